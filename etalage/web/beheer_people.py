"""Beheer: users and their KvK bindings, and the audit log (search, CSV export)
(docs/portal.md#beheer)."""

from __future__ import annotations

from datetime import date
from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect

from etalage.accounts.actor import Actor
from etalage.accounts.users import (
    AccountError,
    create_user,
    disable_user,
    list_users,
    set_kvks,
)
from etalage.audit import MAX_ENTRIES, csv_text, entries
from etalage.dates import parse_day
from etalage.web.account_pages import NO_STORE, page
from etalage.web.auth import accounts_of
from etalage.web.beheer_pages import MAX_ERRORS_SHOWN, guard
from etalage.web.params import ParamError, parse_kvk
from etalage.web.services import Catalogue

ROLE_CHOICES = ("aanbieder", "toegang", "beheerder")


# ---------------------------------------------------------------------------- users


@get("/beheer/gebruikers", name="beheer-users", include_in_schema=False)
async def beheer_users(request: Request[Any, Any, Any]) -> Response[Any]:
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    return await _users_page(request, actor)


async def _users_page(
    request: Request[Any, Any, Any],
    actor: Actor,
    *,
    errors: list[str] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response[Any]:
    users = await anyio.to_thread.run_sync(list_users, accounts_of(request).engine)
    return page(
        "beheer_users.html",
        status,
        title="Gebruikers",
        actor=actor,
        users=users,
        roles=ROLE_CHOICES,
        errors=(errors or [])[:MAX_ERRORS_SHOWN],
        typed=typed or {},
        saved=request.query_params.get("opgeslagen"),
    )


@post("/beheer/gebruikers", name="beheer-user-create", include_in_schema=False, status_code=303)
async def beheer_user_create(request: Request[Any, Any, Any]) -> Response[Any]:
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    form = await request.form()
    email = str(form.get("email") or "")[:300]
    role = str(form.get("rol") or "")[:40]
    kvks = [
        k.strip() for k in str(form.get("kvk") or "")[:2000].replace(",", " ").split() if k.strip()
    ]
    password = str(form.get("wachtwoord") or "")[:1000]
    engine = accounts_of(request).engine
    try:
        await anyio.to_thread.run_sync(
            lambda: create_user(engine, email, role, password, kvks, actor=actor)
        )
    except AccountError as error:
        return await _users_page(
            request,
            actor,
            errors=error.problems,
            typed={"email": email, "rol": role, "kvk": " ".join(kvks)},
            status=400,
        )
    return Redirect("/beheer/gebruikers?opgeslagen=aangemaakt", status_code=303)


@post(
    "/beheer/gebruikers/uitzetten",
    name="beheer-user-disable",
    include_in_schema=False,
    status_code=303,
)
async def beheer_user_disable(request: Request[Any, Any, Any]) -> Response[Any]:
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    form = await request.form()
    email = str(form.get("email") or "")[:300]
    engine = accounts_of(request).engine
    try:
        await anyio.to_thread.run_sync(lambda: disable_user(engine, email, actor=actor))
    except AccountError as error:
        return await _users_page(request, actor, errors=error.problems, status=400)
    return Redirect("/beheer/gebruikers?opgeslagen=uitgezet", status_code=303)


@post("/beheer/gebruikers/kvk", name="beheer-user-kvks", include_in_schema=False, status_code=303)
async def beheer_user_kvks(request: Request[Any, Any, Any]) -> Response[Any]:
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    form = await request.form()
    email = str(form.get("email") or "")[:300]
    kvks = str(form.get("kvk") or "")[:2000].replace(",", " ").split()
    engine = accounts_of(request).engine
    try:
        await anyio.to_thread.run_sync(lambda: set_kvks(engine, email, kvks, actor=actor))
    except AccountError as error:
        return await _users_page(request, actor, errors=error.problems, status=400)
    return Redirect("/beheer/gebruikers?opgeslagen=gekoppeld", status_code=303)


# ---------------------------------------------------------------------------- audit


def _audit_filters(kvk: str | None, sinds: str | None) -> tuple[str | None, date | None, list[str]]:
    problems = []
    number = None
    if kvk and kvk.strip():
        try:
            number = parse_kvk(kvk)
        except ParamError:
            problems.append("Een KvK-nummer heeft precies 8 cijfers.")
    day = None
    if sinds and sinds.strip():
        day = parse_day(sinds)
        if day is None:
            problems.append("Vul de datum in als jjjj-mm-dd, bijvoorbeeld 2026-12-01.")
    return number, day, problems


@get("/beheer/audit", name="beheer-audit", include_in_schema=False, sync_to_thread=True)
def beheer_audit(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    kvk, sinds, zoek = (request.query_params.get(k) for k in ("kvk", "sinds", "zoek"))
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    number, day, problems = _audit_filters(kvk, sinds)
    text = (zoek or "").strip()[:100] or None
    found = (
        [] if problems else entries(catalogue.engine, kvk=number, since=day, text=text, limit=200)
    )
    return page(
        "beheer_audit.html",
        400 if problems else 200,
        title="Auditlog",
        actor=actor,
        found=found,
        problems=problems,
        kvk=kvk or "",
        sinds=sinds or "",
        zoek=zoek or "",
        query=request.url.query,
    )


@get("/beheer/audit.csv", name="beheer-audit-csv", include_in_schema=False, sync_to_thread=True)
def beheer_audit_csv(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    kvk, sinds, zoek = (request.query_params.get(k) for k in ("kvk", "sinds", "zoek"))
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    number, day, problems = _audit_filters(kvk, sinds)
    if problems:
        raise ParamError("sinds" if day is None and sinds else "kvk", " ".join(problems))
    found = entries(
        catalogue.engine,
        kvk=number,
        since=day,
        text=(zoek or "").strip()[:100] or None,
        limit=MAX_ENTRIES,
    )
    return Response(
        "\ufeff" + csv_text(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="auditlog.csv"', **NO_STORE},
    )


PEOPLE_HANDLERS = [
    beheer_users,
    beheer_user_create,
    beheer_user_disable,
    beheer_user_kvks,
    beheer_audit,
    beheer_audit_csv,
]
