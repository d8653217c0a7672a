"""Import providers from a CSV or XLSX file (docs/import-format.md#all-or-nothing).

All or nothing: the whole file is read and checked first; only a file without a single
error is written, in one transaction. A dry run checks and writes nothing.

    report = import_file(engine, pack, Path("aanbieders.csv"), dry_run=True)
    if not report.ok:
        for issue in report.errors:
            print(issue)  # Rij 5, kolom 'kvk': moet precies 8 cijfers zijn (gevonden: '1234')
    print(report.summary())
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from etalage.accounts.actor import SYSTEM, Actor
from etalage.audit import record_changes
from etalage.catalogue.import_header import COLUMNS
from etalage.catalogue.import_reader import (
    FileProblem,
    Table,
    read_csv_bytes,
    read_path,
    read_xlsx_bytes,
)
from etalage.catalogue.import_report import ImportIssue, ImportReport
from etalage.catalogue.import_validation import validate_table
from etalage.catalogue.writer import apply_records
from etalage.db.models import Provider
from etalage.db.session import session_factory, transaction
from etalage.portal.snapshot import snapshot
from etalage.region.model import RegionPack

__all__ = [
    "COLUMNS",
    "ImportIssue",
    "ImportReport",
    "import_bytes",
    "import_file",
    "import_table",
]


def import_file(
    engine: Engine,
    pack: RegionPack,
    path: Path | str,
    *,
    dry_run: bool = False,
    today: date | None = None,
    is_demo: bool = False,
    actor: Actor = SYSTEM,
) -> ImportReport:
    try:
        table = read_path(Path(path))
    except FileProblem as problem:
        return ImportReport(errors=[ImportIssue(None, None, str(problem))], dry_run=dry_run)
    return import_table(
        engine, pack, table, dry_run=dry_run, today=today, is_demo=is_demo, actor=actor
    )


def import_bytes(
    engine: Engine,
    pack: RegionPack,
    data: bytes,
    *,
    format: str = "csv",
    dry_run: bool = False,
    today: date | None = None,
    is_demo: bool = False,
    actor: Actor = SYSTEM,
) -> ImportReport:
    """Import file contents already in memory (`format` is `csv` or `xlsx`)."""
    try:
        table = read_xlsx_bytes(data) if format == "xlsx" else read_csv_bytes(data)
    except FileProblem as problem:
        return ImportReport(errors=[ImportIssue(None, None, str(problem))], dry_run=dry_run)
    return import_table(
        engine, pack, table, dry_run=dry_run, today=today, is_demo=is_demo, actor=actor
    )


def _snapshots(session: Session, kvks: list[str]) -> dict[str, dict[str, Any]]:
    """The audit log's view of the providers an import will change, before it does;
    they stay in the session, so the writer does not read them again."""
    found: dict[str, dict[str, Any]] = {}
    for i in range(0, len(kvks), 500):
        for provider in session.scalars(
            select(Provider).where(Provider.kvk.in_(kvks[i : i + 500]))
        ):
            found[provider.kvk] = snapshot(provider)
    return found


LOCK_WAIT_S = 5  # how long an import waits for another write before it gives up


def _wait_briefly_for_locks(session: Session) -> Callable[[], None]:
    """Wait at most LOCK_WAIT_S for a lock another transaction holds (not the driver's
    30 s), on SQLite and PostgreSQL alike; returns what puts the connection back."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        previous = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {LOCK_WAIT_S * 1000}")

        def restore() -> None:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(previous or 0)}")

        return restore
    if connection.dialect.name == "postgresql":  # for this transaction only
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT_S}s'")
    return lambda: None


def _is_lock_error(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return any(
        word in text
        for word in ("database is locked", "database table is locked", "lock timeout", "busy")
    ) or getattr(exc.orig, "sqlstate", None) in ("55P03", "40P01")


def import_table(
    engine: Engine,
    pack: RegionPack,
    table: Table,
    *,
    dry_run: bool = False,
    today: date | None = None,
    is_demo: bool = False,
    actor: Actor = SYSTEM,
) -> ImportReport:
    checked = validate_table(pack, table, today=today or date.today())
    report = ImportReport(errors=list(checked.issues), dry_run=dry_run)
    if checked.issues:
        return report
    records = checked.records
    report.rows = len(records)
    report.waiting_times = sum(1 for r in records if r.waiting_time is not None)
    report.kpis = sum(1 for r in records if r.kpi is not None)
    if dry_run:
        kvks = [r.kvk for r in records]
        with session_factory(engine)() as session:
            known: set[str] = set()
            for i in range(0, len(kvks), 500):
                chunk = kvks[i : i + 500]
                known.update(session.scalars(select(Provider.kvk).where(Provider.kvk.in_(chunk))))
        report.updated = sum(1 for k in kvks if k in known)
        report.created = len(kvks) - report.updated
        return report
    try:
        with transaction(engine) as session:
            restore = _wait_briefly_for_locks(session)
            try:
                before = _snapshots(session, [r.kvk for r in records])
                result = apply_records(session, records, is_demo=is_demo)
                for provider in result.providers:
                    old = before.get(provider.kvk, {})
                    what = "import: bijgewerkt" if old else "import: aangemaakt"
                    record_changes(session, actor, what, provider.kvk, old, snapshot(provider))
            finally:
                restore()
    except OperationalError as exc:
        if not _is_lock_error(exc):
            raise
        # Another write holds the database (a second import, a long edit). Nothing was
        # written; the message says so in Dutch, without SQL or row values.
        report.errors.append(
            ImportIssue(
                None,
                None,
                "de database is nu bezet door een andere bewerking (na "
                f"{LOCK_WAIT_S} seconde{'' if LOCK_WAIT_S == 1 else 'n'} wachten). Er is niets "
                "opgeslagen; probeer het over een minuut opnieuw.",
            )
        )
        return report
    except IntegrityError:
        # Validation should make this impossible; a concurrent import of the same new
        # provider can still collide. Nothing was written: the transaction rolled back.
        report.errors.append(
            ImportIssue(
                None,
                None,
                "de gegevens konden niet worden opgeslagen, omdat tegelijk een andere import "
                "dezelfde aanbieders veranderde. Er is niets opgeslagen; probeer het opnieuw.",
            )
        )
        return report
    report.created = result.created
    report.updated = result.updated
    report.provider_ids = result.provider_ids
    return report
