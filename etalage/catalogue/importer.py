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

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from etalage.catalogue.import_reader import (
    FileProblem,
    Table,
    read_csv_bytes,
    read_path,
    read_xlsx_bytes,
)
from etalage.catalogue.import_report import ImportIssue, ImportReport
from etalage.catalogue.import_validation import COLUMNS, validate_table
from etalage.catalogue.writer import apply_records
from etalage.db.models import Provider
from etalage.db.session import session_factory, transaction
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
) -> ImportReport:
    try:
        table = read_path(Path(path))
    except FileProblem as problem:
        return ImportReport(errors=[ImportIssue(None, None, str(problem))], dry_run=dry_run)
    return import_table(engine, pack, table, dry_run=dry_run, today=today, is_demo=is_demo)


def import_bytes(
    engine: Engine,
    pack: RegionPack,
    data: bytes,
    *,
    format: str = "csv",
    dry_run: bool = False,
    today: date | None = None,
    is_demo: bool = False,
) -> ImportReport:
    """Import file contents already in memory (`format` is `csv` or `xlsx`)."""
    try:
        table = read_xlsx_bytes(data) if format == "xlsx" else read_csv_bytes(data)
    except FileProblem as problem:
        return ImportReport(errors=[ImportIssue(None, None, str(problem))], dry_run=dry_run)
    return import_table(engine, pack, table, dry_run=dry_run, today=today, is_demo=is_demo)


def import_table(
    engine: Engine,
    pack: RegionPack,
    table: Table,
    *,
    dry_run: bool = False,
    today: date | None = None,
    is_demo: bool = False,
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
            result = apply_records(session, records, is_demo=is_demo)
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
