"""Who sends the search outbox to Meilisearch, when several app processes share it.

Every process applies every outbox row to its own embedded copy, but a row must reach
Meilisearch once, in commit order per provider: two processes sending the same
provider's document could otherwise overtake each other and leave the older one in the
index. So one process at a time holds the *sender lock* and, while holding it, sends
the unsent rows and stamps their `sent_at`; the others skip their round and see the rows
stamped. Drift checks and rebuilds of Meilisearch take the same lock, so two processes
starting together do not both rebuild.

On PostgreSQL the lock is a session-level advisory lock on a connection of its own,
held only for one round (no transaction stays open while Meilisearch is called); it is
released when the process dies, because its connection closes. SQLite serves one
process (the embedded default), so there the lock is the process's own.

Exactly once holds while processes live. A process killed after Meilisearch accepted a
batch but before the stamp committed leaves those rows unsent, and the next holder
sends them again: a repeat of an idempotent upsert or delete, never a loss.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from etalage.db.models import SearchOutbox

log = logging.getLogger(__name__)

# pg_advisory_lock takes one bigint; any constant unique to this purpose.
LOCK_KEY = 0x45544C47_00000001  # "ETLG", 1


class SenderLock:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._local = threading.Lock()  # one holder per process, whatever the database
        self._shared = engine.dialect.name == "postgresql"

    @contextmanager
    def hold(self, *, wait: float = 0.0, stop: threading.Event | None = None) -> Iterator[bool]:
        """Try to take the lock for the `with` block, waiting up to `wait` seconds;
        yields whether it was taken (the block runs either way and must check)."""
        deadline = time.monotonic() + wait
        if not self._local.acquire(timeout=max(wait, 0.0)):
            yield False
            return
        try:
            if not self._shared:
                yield True
                return
            with self._advisory(deadline, stop) as held:
                yield held
        finally:
            self._local.release()

    @contextmanager
    def _advisory(self, deadline: float, stop: threading.Event | None) -> Iterator[bool]:
        held = False
        try:
            conn = self.engine.connect()
        except SQLAlchemyError as exc:
            log.warning("search: no connection for the sender lock (%s)", exc)
            yield False
            return
        try:
            held = self._try(conn)
            while not held and time.monotonic() < deadline and not (stop and stop.is_set()):
                time.sleep(0.05)
                held = self._try(conn)
        except SQLAlchemyError as exc:
            log.warning("search: the sender lock could not be taken (%s)", exc)
        try:
            yield held
        finally:
            try:
                if held:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                    conn.commit()
            except SQLAlchemyError:
                # The connection broke (a database restart): the lock went with it.
                conn.invalidate()
            finally:
                conn.close()

    @staticmethod
    def _try(conn: Connection) -> bool:
        held = bool(conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}))
        conn.commit()  # the lock is the session's; leave no transaction open
        return held


# ---- the rows -----------------------------------------------------------------------------

_BATCH = 500


def unsent_rows(session: Session, limit: int) -> list[Any]:
    """The oldest rows not yet sent to Meilisearch: (id, kvk, op), in id order."""
    return list(
        session.execute(
            select(SearchOutbox.id, SearchOutbox.kvk, SearchOutbox.op)
            .where(SearchOutbox.sent_at.is_(None))
            .order_by(SearchOutbox.id)
            .limit(limit)
        ).all()
    )


def mark_sent(session: Session, ids: list[int]) -> None:
    now = datetime.now(UTC)
    for start in range(0, len(ids), _BATCH):
        session.execute(
            update(SearchOutbox)
            .where(SearchOutbox.id.in_(ids[start : start + _BATCH]))
            .values(sent_at=now)
        )


def first_unsent(session: Session) -> int | None:
    """The lowest id still waiting for Meilisearch (None: everything is sent)."""
    return session.scalar(select(func.min(SearchOutbox.id)).where(SearchOutbox.sent_at.is_(None)))


def prune(session: Session, retention: timedelta, *, keep_unsent: bool) -> None:
    """Delete rows older than `retention`; with Meilisearch, unsent rows wait for it."""
    old = delete(SearchOutbox).where(SearchOutbox.created_at < datetime.now(UTC) - retention)
    if keep_unsent:
        old = old.where(SearchOutbox.sent_at.is_not(None))
    session.execute(old)
