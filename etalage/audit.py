"""The audit log: every change, with who, what, the old and the new value, and when.

`record()` adds an entry in the caller's transaction, so a change and its entry are
committed together or not at all. Entries are never edited or deleted: the table is
append-only in the database itself (triggers, migration 0006), and no code path here
offers either. Values are stored as JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Engine, Select, or_, select
from sqlalchemy.orm import Session

from etalage.accounts.actor import Actor, aware
from etalage.db.models import AuditEntry
from etalage.db.session import session_factory

MAX_ENTRIES = 1000


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    session: Session,
    actor: Actor,
    what: str,
    *,
    kvk: str | None = None,
    old: Any = None,
    new: Any = None,
    at: datetime | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=at or datetime.now(UTC),
            actor=actor.label[:300],
            kvk=kvk,
            what=what[:100],
            old=_json(old),
            new=_json(new),
        )
    )


def record_changes(
    session: Session,
    actor: Actor,
    what: str,
    kvk: str | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> bool:
    """One entry with the fields that differ (old and new of each); none when nothing
    changed. Returns whether an entry was written."""
    changed = [k for k in {*before, *after} if before.get(k) != after.get(k)]
    if not changed:
        return False
    changed.sort()
    record(
        session,
        actor,
        what,
        kvk=kvk,
        old={k: before.get(k) for k in changed},
        new={k: after.get(k) for k in changed},
    )
    return True


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    kvk: str | None
    what: str
    old: Any
    new: Any

    def json(self) -> dict[str, Any]:
        return {
            "wanneer": self.at.isoformat(),
            "wie": self.actor,
            "wat": self.what,
            "kvk": self.kvk,
            "oud": self.old,
            "nieuw": self.new,
        }


def _query(kvk: str | None, since: date | None, text: str | None) -> Select[tuple[AuditEntry]]:
    query = select(AuditEntry)
    if kvk:
        query = query.where(AuditEntry.kvk == kvk)
    if since:
        query = query.where(AuditEntry.at >= datetime.combine(since, time.min, UTC))
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                AuditEntry.actor.ilike(pattern, escape="\\"),
                AuditEntry.what.ilike(pattern, escape="\\"),
                AuditEntry.old.ilike(pattern, escape="\\"),
                AuditEntry.new.ilike(pattern, escape="\\"),
            )
        )
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def entries(
    engine: Engine,
    *,
    kvk: str | None = None,
    since: date | None = None,
    text: str | None = None,
    limit: int = MAX_ENTRIES,
    offset: int = 0,
) -> list[AuditView]:
    """Entries, newest first, filtered by provider, date and free text."""
    with session_factory(engine)() as session:
        rows = session.scalars(
            _query(kvk, since, text).limit(max(1, min(limit, MAX_ENTRIES))).offset(offset)
        )
        return [_view(row) for row in rows]


def _view(row: AuditEntry) -> AuditView:
    at = aware(row.at)
    assert at is not None
    return AuditView(
        id=row.id,
        at=at,
        actor=row.actor,
        kvk=row.kvk,
        what=row.what,
        old=None if row.old is None else json.loads(row.old),
        new=None if row.new is None else json.loads(row.new),
    )


def csv_text(views: Iterable[AuditView]) -> str:
    """The entries as CSV (UTF-8, `;`, for Excel in Dutch), formula-looking cells
    neutralised with a leading `'`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["wanneer", "wie", "wat", "kvk", "oud", "nieuw"])
    for v in views:
        writer.writerow(
            [
                _cell(x)
                for x in (
                    v.at.isoformat(),
                    v.actor,
                    v.what,
                    v.kvk or "",
                    _json(v.old) or "",
                    _json(v.new) or "",
                )
            ]
        )
    return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
