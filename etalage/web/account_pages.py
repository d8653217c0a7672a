"""Logging in and out, and the account page (docs/portal.md#logging-in).

`/inloggen` (GET: the form; POST: `email`, `wachtwoord` and the CSRF field), `POST
/uitloggen`, `/account` (log out everywhere; personal API tokens). Every form carries
Litestar's CSRF token (etalage.web.app), on top of the Origin/Sec-Fetch-Site check.
Logged-in pages are `Cache-Control: no-store`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlsplit

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from etalage.accounts.actor import Actor
from etalage.accounts.login import LoginRefused
from etalage.accounts.tokens import create_token, list_tokens, revoke_token
from etalage.accounts.users import AccountError
from etalage.audit import record
from etalage.db.session import transaction
from etalage.web.auth import (
    accounts_of,
    address_of,
    current_actor,
    session_cookie,
    session_id,
)
from etalage.web.errors import DutchNotFound

NO_STORE = {"Cache-Control": "no-store"}
HOME_OF = {"beheerder": "/beheer", "aanbieder": "/portaal", "toegang": "/account"}


def page(name: str, status: int = 200, **context: Any) -> Template:
    return Template(name, context=context, status_code=status, headers=NO_STORE)


def require(request: Request[Any, Any, Any], roles: Iterable[str]) -> Actor | Redirect:
    """The actor when logged in with one of these roles; a way to the login page when
    not logged in; a 404 for other roles (a page they lack does not exist for them)."""
    actor = current_actor(request)
    if actor is None:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        return Redirect(f"/inloggen?volgende={quote(target, safe='/')}", status_code=303)
    if actor.role not in roles:
        raise DutchNotFound(
            detail="Deze pagina bestaat niet (meer). Misschien is het adres veranderd."
        )
    return actor


def _safe_next(value: str | None) -> str | None:
    """Only a path on this site (no scheme, no host, no `//`)."""
    if not value or len(value) > 500:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return None
    if "\\" in value or any(ord(c) < 32 for c in value):
        return None
    return value


async def _form(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await request.form()
    return {k: str(form.get(k) or "")[:10_000] for k in form}


@get("/inloggen", name="login-page", include_in_schema=False)
async def login_page(request: Request[Any, Any, Any]) -> Template:
    volgende = request.query_params.get("volgende")
    actor = current_actor(request)
    return page(
        "login.html",
        title="Inloggen",
        actor=actor,
        volgende=_safe_next(volgende) or "",
        email="",
        error=None,
    )


@post("/inloggen", name="login", include_in_schema=False, status_code=303)
async def login(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await _form(request)
    email = form.get("email", "").strip()[:254]
    password = form.get("wachtwoord", "")[:1000]
    target = _safe_next(form.get("volgende"))
    accounts = accounts_of(request)
    address = address_of(request)
    if not email or not password:
        return page(
            "login.html",
            400,
            title="Inloggen",
            actor=None,
            volgende=target or "",
            email=email,
            error="Vul uw e-mailadres en uw wachtwoord in.",
        )
    try:
        actor = await anyio.to_thread.run_sync(accounts.login.attempt, email, password, address)
    except LoginRefused as refused:
        return page(
            "login.html",
            400 if refused.locked_until is None else 429,
            title="Inloggen",
            actor=None,
            volgende=target or "",
            email=email,
            error=refused.message,
        )
    assert actor.user_id is not None
    raw = await anyio.to_thread.run_sync(
        lambda: accounts.sessions.create(actor.user_id or 0, replaces=session_id(request))
    )
    response = Redirect(target or HOME_OF.get(actor.role, "/account"), status_code=303)
    response.cookies.append(session_cookie(request, raw))
    response.headers.update(NO_STORE)
    return response


@post("/uitloggen", name="logout", include_in_schema=False, status_code=303)
async def logout(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await _form(request)
    accounts = accounts_of(request)
    actor = current_actor(request)
    if form.get("overal") == "ja" and actor is not None and actor.user_id is not None:
        await anyio.to_thread.run_sync(accounts.sessions.end_all, actor.user_id)
    else:
        await anyio.to_thread.run_sync(accounts.sessions.end, session_id(request))
    response = Redirect("/inloggen?uitgelogd=1", status_code=303)
    response.cookies.append(session_cookie(request, None))
    return response


@get("/account", name="account", include_in_schema=False)
async def account_page(request: Request[Any, Any, Any]) -> Response[Any]:
    actor = require(request, ("beheerder", "toegang", "aanbieder"))
    if isinstance(actor, Redirect):
        return actor
    return await _account(request, actor)


async def _account(
    request: Request[Any, Any, Any],
    actor: Actor,
    *,
    new_token: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Template:
    engine = accounts_of(request).engine
    tokens = await anyio.to_thread.run_sync(lambda: list_tokens(engine, actor.email))
    return page(
        "account.html",
        status,
        title="Uw account",
        actor=actor,
        tokens=tokens,
        new_token=new_token,
        error=error,
    )


@post("/account/tokens", name="account-token-create", include_in_schema=False, status_code=200)
async def account_token_create(request: Request[Any, Any, Any]) -> Response[Any]:
    actor = require(request, ("beheerder", "aanbieder"))
    if isinstance(actor, Redirect):
        return actor
    form = await _form(request)
    engine = accounts_of(request).engine
    try:
        view, raw = await anyio.to_thread.run_sync(
            create_token, engine, actor.email, form.get("naam", "")
        )
    except AccountError as error:
        return await _account(request, actor, error=" ".join(error.problems), status=400)
    await anyio.to_thread.run_sync(_audit_token, engine, actor, "token aangemaakt", view.name)
    return await _account(request, actor, new_token=raw)


@post(
    "/account/tokens/{token_id:int}/intrekken",
    name="account-token-revoke",
    include_in_schema=False,
    status_code=303,
)
async def account_token_revoke(
    request: Request[Any, Any, Any], token_id: FromPath[int]
) -> Response[Any]:
    actor = require(request, ("beheerder", "aanbieder"))
    if isinstance(actor, Redirect):
        return actor
    engine = accounts_of(request).engine
    try:
        view = await anyio.to_thread.run_sync(
            lambda: revoke_token(engine, token_id, owner=actor.email)
        )
    except AccountError:
        raise DutchNotFound(detail="Dit token bestaat niet (meer).") from None
    await anyio.to_thread.run_sync(_audit_token, engine, actor, "token ingetrokken", view.name)
    return Redirect("/account?ingetrokken=1", status_code=303)


def _audit_token(engine: Any, actor: Actor, what: str, name: str) -> None:
    with transaction(engine) as session:
        record(session, actor, what, new={"gebruiker": actor.email, "token": name})


ACCOUNT_HANDLERS = [
    login_page,
    login,
    logout,
    account_page,
    account_token_create,
    account_token_revoke,
]
