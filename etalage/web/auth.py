"""Who is asking: the login session of a browser, or the API token of a system.

- Browsers: the session id lives in an HttpOnly, SameSite=Lax cookie; over https it is
  `Secure` and named with the `__Host-` prefix (no Domain, Path=/), so no other host
  or path can set or read it. The session itself lives in the database
  (etalage.accounts.sessions), shared by every app process.
- Systems: `Authorization: Bearer TOKEN` (etalage.accounts.tokens). No token, or an
  unknown, revoked or disabled one: 401 with a Dutch detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie
from sqlalchemy import Engine

from etalage.accounts.actor import Actor
from etalage.accounts.login import Login, client_address
from etalage.accounts.sessions import SessionStore
from etalage.accounts.tokens import TokenAuth
from etalage.web.errors import DutchError

COOKIE = "etalage_sessie"
SECURE_COOKIE = "__Host-etalage_sessie"


@dataclass(frozen=True)
class Accounts:
    engine: Engine
    sessions: SessionStore
    login: Login
    tokens: TokenAuth
    trusted_proxies: tuple[str, ...] = ()


def accounts_of(request: Request[Any, Any, Any]) -> Accounts:
    found: Accounts = request.app.state["accounts"]
    return found


def _secure(request: Request[Any, Any, Any]) -> bool:
    return request.url.scheme == "https"


def cookie_name(request: Request[Any, Any, Any]) -> str:
    return SECURE_COOKIE if _secure(request) else COOKIE


def session_id(request: Request[Any, Any, Any]) -> str | None:
    return request.cookies.get(cookie_name(request))


def current_actor(request: Request[Any, Any, Any]) -> Actor | None:
    """The logged-in user of this request (looked up once per request)."""
    state = request.scope.setdefault("state", {})
    if "etalage_actor" not in state:
        raw = session_id(request)
        state["etalage_actor"] = accounts_of(request).sessions.lookup(raw) if raw else None
    actor: Actor | None = state["etalage_actor"]
    return actor


def session_cookie(request: Request[Any, Any, Any], raw: str | None) -> Cookie:
    """The cookie that holds a new session id (or, with None, removes it)."""
    return Cookie(
        key=cookie_name(request),
        value=raw or "",
        path="/",
        httponly=True,
        secure=_secure(request),
        samesite="lax",
        max_age=None if raw else 0,
    )


def address_of(request: Request[Any, Any, Any]) -> str:
    peer = request.client.host if request.client else None
    return client_address(
        peer, request.headers.get("x-forwarded-for"), accounts_of(request).trusted_proxies
    )


def bearer_actor(request: Request[Any, Any, Any]) -> Actor:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    actor = accounts_of(request).tokens.actor(token.strip()) if scheme.lower() == "bearer" else None
    if actor is None:
        raise DutchError(
            401,
            "Geen geldig token. Stuur een persoonlijk token mee als "
            "'Authorization: Bearer TOKEN'; een ingetrokken token werkt niet meer.",
            headers={"WWW-Authenticate": 'Bearer realm="etalage"'},
        )
    return actor


def no_store(response: Response[Any]) -> Response[Any]:
    response.headers["Cache-Control"] = "no-store"
    return response
