"""Reading the outbox into index changes (used by etalage.indexing.service).

A cursor (etalage.indexing.cursor) says which outbox rows an index has applied; these
functions turn the rows it has not seen into documents to upsert and ids to delete,
and apply them, marking the rows only when the index took them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from etalage.db.models import SearchOutbox
from etalage.indexing.cursor import OutboxCursor
from search_index import SearchBackend, SearchDocument

BATCH = 500

# The documents of these providers (kvk numbers), read in one session.
Documents = Callable[[Session, Sequence[str]], list[SearchDocument]]


def pending(sessions: sessionmaker[Session], cursor: OutboxCursor) -> dict[str, str]:
    """Outbox rows this cursor has not applied: kvk -> last op (marked applied)."""
    with sessions() as session, session.begin():
        rows = session.execute(
            select(SearchOutbox.id, SearchOutbox.kvk, SearchOutbox.op)
            .where(SearchOutbox.id > cursor.floor)
            .order_by(SearchOutbox.id)
        ).all()
    fresh = set(cursor.take(r[0] for r in rows))
    ops: dict[str, str] = {}
    for row_id, kvk, operation in rows:
        if row_id in fresh:
            ops[kvk] = operation
    return ops


def load_changes(
    sessions: sessionmaker[Session], documents: Documents, ops: dict[str, str]
) -> tuple[list[SearchDocument], list[str]]:
    """The documents to upsert and the ids to delete for these ops (kvk -> op)."""
    upserts = sorted(k for k, op in ops.items() if op == "upsert")
    docs: list[SearchDocument] = []
    with sessions() as session, session.begin():
        for start in range(0, len(upserts), BATCH):
            docs += documents(session, upserts[start : start + BATCH])
    found = {str(d["id"]) for d in docs}
    # A provider deleted after its upsert was queued is simply gone.
    deletes = sorted({k for k, op in ops.items() if op == "delete"} | (set(upserts) - found))
    return docs, deletes


def apply_outbox(
    sessions: sessionmaker[Session],
    documents: Documents,
    cursor: OutboxCursor,
    target: SearchBackend,
) -> int:
    """Apply what `cursor` has not seen to `target`; on failure nothing is marked."""
    floor, seen = cursor.floor, set(cursor.seen)
    try:
        ops = pending(sessions, cursor)
        if ops:
            docs, deletes = load_changes(sessions, documents, ops)
            if docs:
                target.index_documents(docs)
            if deletes:
                target.delete(deletes)
    except BaseException:
        cursor.floor, cursor.seen = floor, seen
        raise
    cursor.advance()
    return len(ops)
