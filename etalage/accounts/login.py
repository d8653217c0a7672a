"""Logging in: the password check behind a throttle per account and per client address.

- After `ACCOUNT_FAILURES` failed attempts on one e-mail address within `WINDOW`, that
  address is locked for `LOCK`; after `ADDRESS_FAILURES` failures from one client
  address (any account), that client is locked the same way. A lock holds even for the
  right password, and the answer never says whether the account exists.
- The client address is the connection's peer; `X-Forwarded-For` counts only when the
  peer is one of the configured trusted proxies (`ETALAGE_TRUSTED_PROXIES`), and then its
  right-most address that is not itself a trusted proxy.
- Unknown e-mail addresses cost the same argon2 check as known ones (no timing oracle).
The counters live in the database, so every app process sees the same lock.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from etalage.accounts.actor import Actor, aware
from etalage.accounts.passwords import hash_password, needs_rehash, verify_password
from etalage.accounts.sessions import actor_of
from etalage.db.models import LoginThrottle, User
from etalage.db.session import transaction

ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
# Compared against when the e-mail address is unknown, so that costs as much.
_DUMMY_HASH = hash_password("etalage-dummy-password-for-timing")

WRONG = "Het e-mailadres of het wachtwoord klopt niet."


@dataclass(frozen=True)
class LoginRefused(Exception):
    message: str
    locked_until: datetime | None = None


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[str]) -> str:
    """The client's address: the peer, or from X-Forwarded-For behind a trusted proxy."""
    peer = (peer or "onbekend")[:100]
    if not trusted or not forwarded_for or not _in(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for[:2000].split(",") if h.strip()]
    for hop in reversed(hops):
        if not _in(hop, trusted):
            return hop[:100]
    return peer


def _in(address: str, networks: Sequence[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for net in networks:
        try:
            if ip in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:
            continue
    return False


class Login:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.engine = engine
        self.clock = clock

    def attempt(self, email: str, password: str, address: str) -> Actor:
        """The actor for a right password; `LoginRefused` (Dutch) otherwise."""
        email = email.strip().lower()[:254]
        keys = {f"account:{email}": ACCOUNT_FAILURES, f"adres:{address}": ADDRESS_FAILURES}
        now = self.clock()
        locked = self._locked(keys, now)
        if locked is not None:
            minutes = max(1, int((locked - now).total_seconds() // 60) + 1)
            raise LoginRefused(
                f"Te veel mislukte pogingen. Probeer het over {minutes} minuten opnieuw.",
                locked,
            )
        with transaction(self.engine) as session:
            user = session.scalar(select(User).where(User.email == email))
            stored = user.password_hash if user is not None else _DUMMY_HASH
            good = verify_password(stored, password)
            if user is None or not good or not user.is_active:
                pass
            else:
                user.last_login_at = now
                if needs_rehash(user.password_hash):
                    user.password_hash = hash_password(password)
                session.flush()
                actor = actor_of(user)
                row = session.get(LoginThrottle, f"account:{email}")
                if row is not None:
                    session.delete(row)
                return actor
        self._failed(keys, now)
        raise LoginRefused(WRONG)

    def _locked(self, keys: dict[str, int], now: datetime) -> datetime | None:
        with transaction(self.engine) as session:
            rows = session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))
            until = [aware(r.locked_until) for r in rows if r.locked_until is not None]
            live = [u for u in until if u is not None and u > now]
            return max(live) if live else None

    def _failed(self, keys: dict[str, int], now: datetime) -> None:
        with transaction(self.engine) as session:
            for key, limit in keys.items():
                row = session.get(LoginThrottle, key, with_for_update=True)
                if row is None:
                    row = LoginThrottle(key=key, failures=0, window_start=now)
                    session.add(row)
                start = aware(row.window_start)
                if start is None or now - start > WINDOW:
                    row.window_start = now
                    row.failures = 0
                    row.locked_until = None
                row.failures = (row.failures or 0) + 1
                if row.failures >= limit:
                    row.locked_until = now + LOCK
