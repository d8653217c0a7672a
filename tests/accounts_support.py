"""Helpers for tests of the logged-in side: users, tokens, logging in, CSRF tokens."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select

from etalage.accounts.tokens import create_token
from etalage.accounts.users import create_user
from etalage.db.models import Base

PASSWORD = "Paars-Olifant-Regent-42"
_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


def engine_of(client: Any) -> Engine:
    engine: Engine = client.app.state["accounts"].engine
    return engine


def make_user(engine: Engine, role: str, kvks: Sequence[str] = (), email: str | None = None) -> str:
    email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.nl"
    create_user(engine, email, role, PASSWORD, list(kvks))
    return email


def token_headers(engine: Engine, email: str) -> dict[str, str]:
    _view, raw = create_token(engine, email, "test")
    return {"Authorization": f"Bearer {raw}"}


def professional_headers(client: Any) -> dict[str, str]:
    engine = engine_of(client)
    return token_headers(engine, make_user(engine, "toegang"))


def csrf(client: Any, path: str = "/inloggen") -> str:
    page = client.get(path)
    found = _CSRF.search(page.text)
    assert found, f"no CSRF field on {path} ({page.status_code})"
    return found.group(1)


def login(client: Any, email: str, password: str = PASSWORD) -> Any:
    token = csrf(client)
    r = client.post(
        "/inloggen",
        data={"email": email, "wachtwoord": password, "_csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]
    return r


# Tables and columns that change by logging in or by looking, not by the calls tested.
VOLATILE_TABLES = {"login_sessions", "login_throttle"}
VOLATILE_COLUMNS = {"users": {"last_login_at"}, "api_tokens": {"last_used_at"}}
SPARE = "reserve@example.nl"


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in VOLATILE_TABLES:
                continue
            skip = VOLATILE_COLUMNS.get(table.name, set())
            columns = [c for c in table.columns if c.name not in skip]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns))
            found[table.name] = [tuple(r) for r in rows]
    return found
