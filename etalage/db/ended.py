"""Hulpwijzer conversations that were started over, shared by every app process.

"Begin opnieuw" gives a conversation a new random id; the old id is kept here until the
old cookie would have expired, so a copy of that cookie cannot bring the conversation
back (etalage.conversation.cookie). Only a SHA-256 digest of the random id is stored:
nothing the person said, nothing that identifies them. Expired rows are removed as new
ones come in.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from etalage.db.models import EndedConversation
from etalage.db.session import transaction


def _digest(sid: str) -> str:
    return hashlib.sha256(b"etalage.hulpwijzer.ended\x00" + sid.encode()).hexdigest()


def _when(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


class DatabaseEndedConversations:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def end(self, sid: str, until: float) -> None:
        try:
            with transaction(self.engine) as session:
                session.execute(
                    delete(EndedConversation).where(EndedConversation.until < datetime.now(UTC))
                )
                session.execute(
                    insert(EndedConversation).values(sid_digest=_digest(sid), until=_when(until))
                )
        except IntegrityError:  # ended twice (two tabs): it is ended
            pass

    def has_ended(self, sid: str) -> bool:
        with self.engine.connect() as connection:
            found = connection.execute(
                select(EndedConversation.until).where(EndedConversation.sid_digest == _digest(sid))
            ).scalar()
        if found is None:
            return False
        until = found if found.tzinfo else found.replace(tzinfo=UTC)
        return until > datetime.now(UTC)
