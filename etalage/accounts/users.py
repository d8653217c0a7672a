"""Creating, listing and disabling users (the CLI now, the beheer pages later).

Every rule is checked here, not in a template or a command: a valid e-mail address
(stored in lower case, unique), a known role, KvK numbers only for `aanbieder` (at least
one, 8 digits each), a password that passes the policy (etalage.accounts.passwords).
Problems are `AccountError`s with Dutch messages; nothing is written then.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError

from etalage.accounts.actor import SYSTEM, Actor
from etalage.accounts.passwords import hash_password, policy_problems
from etalage.audit import record
from etalage.db.models import ROLES, ApiToken, LoginSession, User, UserProvider
from etalage.db.session import session_factory, transaction

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
_KVK = re.compile(r"^[0-9]{8}$")


class AccountError(ValueError):
    """Why a user cannot be created or changed; each message is Dutch."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class UserView:
    email: str
    role: str
    kvks: tuple[str, ...]
    is_active: bool
    last_login_at: datetime | None


def _problems(email: str, role: str, kvks: Sequence[str], password: str) -> list[str]:
    problems: list[str] = []
    if len(email) > 254 or not _EMAIL.match(email):
        problems.append(f"'{email[:80]}' is geen geldig e-mailadres.")
    if role not in ROLES:
        problems.append(f"Onbekende rol '{role[:40]}'. Kies uit: {', '.join(ROLES)}.")
    bad = [k for k in kvks if not _KVK.match(k)]
    if bad:
        problems.append(f"Een KvK-nummer heeft precies 8 cijfers (niet: {', '.join(bad[:5])}).")
    if role == "aanbieder" and not kvks:
        problems.append("Een gebruiker met de rol aanbieder hoort bij minstens één KvK-nummer.")
    if role in ROLES and role != "aanbieder" and kvks:
        problems.append(f"Alleen de rol aanbieder hoort bij KvK-nummers, niet de rol {role}.")
    problems += policy_problems(password, [email.split("@", 1)[0]])
    return problems


def create_user(
    engine: Engine,
    email: str,
    role: str,
    password: str,
    kvks: Sequence[str] = (),
    *,
    actor: Actor = SYSTEM,
) -> UserView:
    email = email.strip().lower()
    kvks = list(dict.fromkeys(k.strip() for k in kvks))
    problems = _problems(email, role, kvks, password)
    if problems:
        raise AccountError(problems)
    try:
        with transaction(engine) as session:
            user = User(email=email, role=role, password_hash=hash_password(password))
            user.providers = [UserProvider(kvk=k) for k in kvks]
            session.add(user)
            session.flush()
            record(
                session,
                actor,
                "gebruiker aangemaakt",
                new={"email": email, "rol": role, "kvk": sorted(kvks)},
            )
            return _view(user)
    except IntegrityError:
        raise AccountError([f"Er is al een gebruiker met het e-mailadres {email}."]) from None


def disable_user(engine: Engine, email: str, *, actor: Actor = SYSTEM) -> UserView:
    """The user can no longer log in; its sessions end and its API tokens are revoked
    at once (both also check `is_active` on every use)."""
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise AccountError([f"Er is geen gebruiker met het e-mailadres {email.strip()}."])
        now = datetime.now(UTC)
        if user.is_active:
            user.is_active = False
            user.disabled_at = now
            record(
                session,
                actor,
                "gebruiker uitgezet",
                old={"email": user.email, "actief": True},
                new={"email": user.email, "actief": False},
            )
        session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
        session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return _view(user)


def set_kvks(engine: Engine, email: str, kvks: Sequence[str], *, actor: Actor = SYSTEM) -> UserView:
    """The KvK numbers a user with the role `aanbieder` may keep current (at least one)."""
    kvks = list(dict.fromkeys(k.strip() for k in kvks if k.strip()))
    bad = [k for k in kvks if not _KVK.match(k)]
    if bad:
        raise AccountError(
            [f"Een KvK-nummer heeft precies 8 cijfers (niet: {', '.join(bad[:5])})."]
        )
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise AccountError([f"Er is geen gebruiker met het e-mailadres {email.strip()[:80]}."])
        if user.role != "aanbieder":
            raise AccountError(
                [f"Alleen de rol aanbieder hoort bij KvK-nummers, niet de rol {user.role}."]
            )
        if not kvks:
            raise AccountError(
                ["Een gebruiker met de rol aanbieder hoort bij minstens één KvK-nummer."]
            )
        old = sorted(p.kvk for p in user.providers)
        if old != sorted(kvks):
            user.providers = [UserProvider(kvk=k) for k in kvks]
            record(
                session,
                actor,
                "gebruiker gekoppeld",
                old={"email": user.email, "kvk": old},
                new={"email": user.email, "kvk": sorted(kvks)},
            )
        session.flush()
        return _view(user)


def list_users(engine: Engine) -> list[UserView]:
    with session_factory(engine)() as session:
        return [_view(u) for u in session.scalars(select(User).order_by(User.email))]


def _view(user: User) -> UserView:
    return UserView(
        email=user.email,
        role=user.role,
        kvks=tuple(sorted(p.kvk for p in user.providers)),
        is_active=user.is_active,
        last_login_at=user.last_login_at,
    )
