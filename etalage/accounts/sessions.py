"""Server-side login sessions, shared by every app process through the database.

The browser holds only a random id (256 bits) in an HttpOnly cookie; the table holds its
SHA-256 digest, the user and two times. A session ends:
- after `idle` without a request (default 30 minutes),
- `absolute` after login whatever happens (default 12 hours),
- at logout, at "overal uitloggen" (every session of the user), and
- when the user is disabled (checked on every request).
A new id is made at every login (the old one, if any, is removed), so an id planted
before login is worthless after it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select

from etalage.accounts.actor import Actor, aware
from etalage.db.models import LoginSession, User
from etalage.db.session import transaction

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
# last_seen_at is written at most this often (a page load is not a database write).
TOUCH_EVERY = timedelta(seconds=60)


def digest(raw: str) -> str:
    return hashlib.sha256(b"etalage.session\x00" + raw.encode()).hexdigest()


def actor_of(user: User, via: str = "sessie") -> Actor:
    return Actor(
        email=user.email,
        role=user.role,
        kvks=frozenset(p.kvk for p in user.providers),
        user_id=user.id,
        via=via,
    )


class SessionStore:
    def __init__(
        self,
        engine: Engine,
        *,
        idle: timedelta = IDLE,
        absolute: timedelta = ABSOLUTE,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine = engine
        self.idle = idle
        self.absolute = absolute
        self.clock = clock

    def create(self, user_id: int, replaces: str | None = None) -> str:
        """A new session for the user; `replaces` (the id the browser had) ends."""
        raw = secrets.token_urlsafe(32)
        now = self.clock()
        with transaction(self.engine) as session:
            if replaces:
                session.execute(
                    delete(LoginSession).where(LoginSession.id_digest == digest(replaces[:200]))
                )
            # Expired sessions of this user go as a new one comes in.
            session.execute(
                delete(LoginSession).where(
                    LoginSession.user_id == user_id,
                    (LoginSession.last_seen_at < now - self.idle)
                    | (LoginSession.created_at < now - self.absolute),
                )
            )
            session.add(
                LoginSession(
                    id_digest=digest(raw), user_id=user_id, created_at=now, last_seen_at=now
                )
            )
        return raw

    def lookup(self, raw: str | None) -> Actor | None:
        """The actor of a live session, or None (and an expired session is removed)."""
        if not raw or len(raw) > 200:
            return None
        key = digest(raw)
        now = self.clock()
        with transaction(self.engine) as session:
            row = session.get(LoginSession, key)
            if row is None:
                return None
            user = session.get(User, row.user_id)
            created = aware(row.created_at)
            seen = aware(row.last_seen_at)
            assert created is not None and seen is not None
            if (
                user is None
                or not user.is_active
                or now - seen > self.idle
                or now - created > self.absolute
            ):
                session.delete(row)
                return None
            if now - seen > TOUCH_EVERY:
                row.last_seen_at = now
            return actor_of(user)

    def end(self, raw: str | None) -> None:
        if raw and len(raw) <= 200:
            with transaction(self.engine) as session:
                session.execute(delete(LoginSession).where(LoginSession.id_digest == digest(raw)))

    def end_all(self, user_id: int) -> int:
        """Log the user out everywhere; returns how many sessions ended."""
        with transaction(self.engine) as session:
            ids = list(
                session.scalars(
                    select(LoginSession.id_digest).where(LoginSession.user_id == user_id)
                )
            )
            session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))
            return len(ids)
