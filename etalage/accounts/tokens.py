"""Personal API tokens for providers' own systems (docs/http-api.md#provider-updates).

A token is 32 random bytes, `etl_` + URL-safe base64, shown once at creation; the
database keeps its SHA-256 digest, a name, and when it was made, last used and revoked.
A token acts as its user: a revoked token, or one of a disabled user, is refused at
once (checked on every request).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from etalage.accounts.actor import Actor, aware
from etalage.accounts.sessions import actor_of
from etalage.accounts.users import AccountError
from etalage.db.models import ApiToken, User
from etalage.db.session import session_factory, transaction

PREFIX = "etl_"
NAME_MAX = 100
# last_used_at is written at most this often.
TOUCH_EVERY = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(b"etalage.token\x00" + token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenView:
    id: int
    email: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def _view(token: ApiToken, email: str) -> TokenView:
    created = aware(token.created_at)
    assert created is not None
    return TokenView(
        token.id, email, token.name, created, aware(token.last_used_at), aware(token.revoked_at)
    )


def create_token(engine: Engine, email: str, name: str) -> tuple[TokenView, str]:
    """A new token for an active user: (its view, the token itself, shown only now)."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise AccountError([f"Geef het token een naam van 1 tot {NAME_MAX} tekens."])
    raw = PREFIX + secrets.token_urlsafe(32)
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None or not user.is_active:
            raise AccountError(
                [f"Er is geen actieve gebruiker met het e-mailadres {email.strip()}."]
            )
        token = ApiToken(
            user_id=user.id, name=name, token_digest=_digest(raw), created_at=datetime.now(UTC)
        )
        session.add(token)
        session.flush()
        return _view(token, user.email), raw


def list_tokens(engine: Engine, email: str | None = None) -> list[TokenView]:
    with session_factory(engine)() as session:
        query = select(ApiToken, User.email).join(User, User.id == ApiToken.user_id)
        if email is not None:
            query = query.where(User.email == email.strip().lower())
        return [_view(t, e) for t, e in session.execute(query.order_by(ApiToken.id))]


def revoke_token(engine: Engine, token_id: int, *, owner: str | None = None) -> TokenView:
    """Revoke a token (of `owner` only, when given: a user revokes only their own)."""
    with transaction(engine) as session:
        found = session.execute(
            select(ApiToken, User.email)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.id == token_id)
        ).first()
        if found is None or (owner is not None and found[1] != owner):
            raise AccountError([f"Er is geen token met nummer {token_id}."])
        token, email = found
        if token.revoked_at is None:
            token.revoked_at = datetime.now(UTC)
        return _view(token, email)


class TokenAuth:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.engine = engine
        self.clock = clock

    def actor(self, raw: str | None) -> Actor | None:
        """The actor of a live token, or None (unknown, revoked, or user disabled)."""
        if not raw or not raw.startswith(PREFIX) or len(raw) > 200:
            return None
        with transaction(self.engine) as session:
            token = session.scalar(select(ApiToken).where(ApiToken.token_digest == _digest(raw)))
            if token is None or token.revoked_at is not None:
                return None
            user = session.get(User, token.user_id)
            if user is None or not user.is_active:
                return None
            now = self.clock()
            last = aware(token.last_used_at)
            if last is None or now - last > TOUCH_EVERY:
                token.last_used_at = now
            return actor_of(user, via=f"token:{token.name}")
