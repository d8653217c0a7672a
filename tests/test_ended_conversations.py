"""Conversations started over, kept in the database (etalage.db.ended)."""

from __future__ import annotations

import time

from sqlalchemy import Engine, func, select

from etalage.db.ended import DatabaseEndedConversations
from etalage.db.models import EndedConversation
from etalage.db.session import session_factory


def test_an_ended_conversation_stays_ended_until_its_cookie_expires(
    sqlite_engine: Engine,
) -> None:
    ended = DatabaseEndedConversations(sqlite_engine)
    assert not ended.has_ended("abc")
    ended.end("abc", time.time() + 60)
    ended.end("abc", time.time() + 60)  # twice (two tabs) is fine
    assert ended.has_ended("abc") and not ended.has_ended("abd")
    ended.end("old", time.time() - 1)  # its cookie expired already
    assert not ended.has_ended("old")
    ended.end("next", time.time() + 60)  # a new one clears the expired ones
    with session_factory(sqlite_engine)() as session:
        stored = session.scalars(select(EndedConversation.sid_digest)).all()
        count = session.scalar(select(func.count()).select_from(EndedConversation))
    assert count == 2 and all(len(d) == 64 and "abc" not in d for d in stored)
