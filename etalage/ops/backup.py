"""`etalage backup FILE` and `etalage restore FILE` (docs/operations.md#backup).

A backup is one gzip-compressed JSON file: the schema version, the non-secret settings
it was made with (region, allowed hosts), and every row of every table except the
ones that only make sense in the running system (login sessions and the login
throttle: a restore logs everybody out). Values keep their types (dates, timestamps).
The search indexes are not in it: they are built again from the database.

Restore goes into an empty, migrated database (the same schema version), in one
transaction, tables in foreign-key order, and moves PostgreSQL's id sequences past the
restored ids. A database that already holds providers or users is refused.
"""

from __future__ import annotations

import gzip
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, Table, func, insert, select, text

from etalage import __version__
from etalage.db.models import Base
from etalage.settings import Settings

FORMAT = "etalage-backup/1"
SKIPPED = frozenset({"login_sessions", "login_throttle"})


class BackupError(Exception):
    """Why a backup cannot be made or restored (Dutch)."""


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
    return value


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED]


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup(engine: Engine, settings: Settings, path: Path) -> dict[str, int]:
    """Write the backup; returns rows per table."""
    counts: dict[str, int] = {}
    tables: dict[str, Any] = {}
    with engine.connect() as conn:
        for table in _tables():
            columns = [c.name for c in table.columns]
            rows = [
                [_encode(v) for v in row]
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            tables[table.name] = {"columns": columns, "rows": rows}
            counts[table.name] = len(rows)
    document = {
        "format": FORMAT,
        "etalage": __version__,
        "made_at": datetime.now().astimezone().isoformat(),
        "schema": _revision(engine),
        "settings": {"region": settings.region, "allowed_hosts": list(settings.allowed_hosts)},
        "tables": tables,
    }
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(gzip.compress(data, compresslevel=6))
    tmp.replace(path)  # a half-written backup never has the real name
    return counts


def restore(engine: Engine, path: Path) -> dict[str, Any]:
    """Restore a backup into an empty database; returns its settings and row counts."""
    try:
        document = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, ValueError) as exc:
        raise BackupError(
            f"{path} is geen back-up van de etalage ({exc.__class__.__name__})."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is geen back-up van de etalage (onbekend formaat).")
    current = _revision(engine)
    if document.get("schema") != current:
        raise BackupError(
            f"De back-up heeft databaseversie {document.get('schema')}, deze database "
            f"{current}. Zet de database eerst op dezelfde versie ('etalage db upgrade')."
        )
    tables = {t.name: t for t in _tables()}
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for name in ("providers", "users"):
            if conn.execute(select(func.count()).select_from(tables[name])).scalar():
                raise BackupError(
                    "De database is niet leeg (er staan al aanbieders of gebruikers in). "
                    "Zet een back-up alleen terug in een lege database."
                )
        for table in _tables():
            part = document["tables"].get(table.name)
            if part is None:
                continue
            known = {c.name for c in table.columns}
            columns = [c for c in part["columns"] if c in known]
            rows = [
                {c: _decode(v) for c, v in zip(part["columns"], row, strict=True) if c in known}
                for row in part["rows"]
            ]
            # Restored rows may not enqueue search work twice: the indexes are rebuilt.
            for start in range(0, len(rows), 1000):
                chunk = rows[start : start + 1000]
                if chunk:
                    conn.execute(insert(table), chunk)
            counts[table.name] = len(rows)
            if conn.dialect.name == "postgresql" and "id" in columns and rows:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT MAX(id) FROM {table.name}))"
                    )
                )
    return {"settings": document.get("settings", {}), "counts": counts}
