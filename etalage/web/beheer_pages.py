"""Beheer (docs/portal.md#beheer), for users with the role `beheerder`: the overview
with the stale providers, and providers with their contracts (arrangements) created,
edited and ended. Imports are in beheer_import.py, users and the audit log in
beheer_people.py. Other roles get a 404; anonymous visitors are sent to `/inloggen`.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from etalage.accounts.actor import Actor, NotYours
from etalage.audit import entries
from etalage.catalogue import views
from etalage.catalogue.import_header import COLUMNS, REQUIRED_COLUMNS
from etalage.catalogue.import_template import HELP
from etalage.portal import updates
from etalage.portal.freshness import is_stale_record
from etalage.web.account_pages import page, require
from etalage.web.errors import DutchNotFound
from etalage.web.params import ParamError, parse_kvk
from etalage.web.services import Catalogue

ROLE = ("beheerder",)
MAX_ERRORS_SHOWN = 20


def guard(request: Request[Any, Any, Any]) -> Actor | Redirect:
    return require(request, ROLE)


@get("/beheer", name="beheer", include_in_schema=False, sync_to_thread=True)
def beheer_home(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    records = catalogue.all_records()
    today = catalogue.today()
    stale = [r for r in records if is_stale_record(r, catalogue.pack, today)]
    return page(
        "beheer_home.html",
        title="Beheer",
        actor=actor,
        total=len(records),
        stale=stale,
        views={r.kvk: views.provider_view(r, catalogue.pack, today) for r in stale},
        recent=entries(catalogue.engine, limit=10),
    )


# Async with the work in a thread, not sync_to_thread: a sync GET handler that shares its
# path with an async POST handler was answered with the POST's coroutine (Litestar 2.25).
@get("/beheer/aanbieders", name="beheer-providers", include_in_schema=False)
async def beheer_providers(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    return await anyio.to_thread.run_sync(_providers_page, request, catalogue)


def _providers_page(request: Request[Any, Any, Any], catalogue: Catalogue) -> Response[Any]:
    q = request.query_params.get("q")
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    today = catalogue.today()
    records = catalogue.all_records()
    text = (q or "").strip().casefold()[:100]
    if text:
        records = [r for r in records if text in r.name.casefold() or text in r.kvk]
    return page(
        "beheer_providers.html",
        title="Aanbieders beheren",
        actor=actor,
        q=q or "",
        rows=[(r, is_stale_record(r, catalogue.pack, today)) for r in records],
        saved=request.query_params.get("opgeslagen"),
    )


def _provider_form(
    actor: Actor,
    catalogue: Catalogue,
    values: dict[str, str],
    *,
    kvk: str | None,
    errors: list[tuple[str | None, str]] | None = None,
    status: int = 200,
) -> Response[Any]:
    return page(
        "beheer_provider.html",
        status,
        title="Nieuwe aanbieder" if kvk is None else f"Aanbieder {values.get('naam', kvk)}",
        actor=actor,
        kvk=kvk,
        values=values,
        columns=[c for c in COLUMNS if not c.startswith(("kpi_", "uitval", "doelr", "tevr"))],
        required=REQUIRED_COLUMNS,
        help=HELP,
        errors=errors or [],
        labels={c: c for c in COLUMNS},
    )


def _cells(snap: dict[str, Any]) -> dict[str, str]:
    """A provider's snapshot as import cells, for the edit form."""
    cells: dict[str, str] = {}
    for key, value in snap.items():
        if isinstance(value, list):
            cells[key] = "|".join(value)
        elif isinstance(value, bool):
            cells[key] = "ja" if value else "nee"
        elif value is None or isinstance(value, dict):
            cells[key] = ""
        else:
            cells[key] = str(value)
    waiting = snap.get("wachttijd") or {}
    cells["aanmeldwachttijd_weken"] = str(waiting.get("aanmelden_weken") or "")
    cells["behandelwachttijd_weken"] = str(waiting.get("behandeling_weken") or "")
    cells["wachtlijst_aantal"] = str(waiting.get("wachtlijst_aantal") or "")
    cells["wachttijd_peildatum"] = str(waiting.get("peildatum") or "")
    return cells


@get(
    "/beheer/aanbieders/nieuw",
    name="beheer-provider-new",
    include_in_schema=False,
    sync_to_thread=True,
)
def beheer_provider_new(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    return _provider_form(actor, catalogue, {}, kvk=None)


def _number(kvk: str) -> str:
    try:
        return parse_kvk(kvk)
    except ParamError:
        raise DutchNotFound(detail="Deze aanbieder bestaat niet.") from None


@get("/beheer/aanbieders/{kvk:str}", name="beheer-provider", include_in_schema=False)
async def beheer_provider(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], kvk: FromPath[str]
) -> Response[Any]:
    return await anyio.to_thread.run_sync(_provider_page, request, catalogue, kvk)


def _provider_page(
    request: Request[Any, Any, Any], catalogue: Catalogue, kvk: str
) -> Response[Any]:
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    found = catalogue.provider_snapshot(_number(kvk))
    if found is None:
        raise DutchNotFound(detail="Deze aanbieder bestaat niet.")
    return _provider_form(actor, catalogue, _cells(found), kvk=kvk)


async def _form_values(request: Request[Any, Any, Any], names: tuple[str, ...]) -> dict[str, str]:
    form = await request.form()
    return {c: str(form.get(c) or "")[:10_000] for c in names if c in form}


@post("/beheer/aanbieders", name="beheer-provider-create", include_in_schema=False, status_code=303)
async def beheer_provider_create(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    return await _save(request, catalogue, None)


@post(
    "/beheer/aanbieders/{kvk:str}",
    name="beheer-provider-save",
    include_in_schema=False,
    status_code=303,
)
async def beheer_provider_save(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], kvk: FromPath[str]
) -> Response[Any]:
    return await _save(request, catalogue, _number(kvk))


async def _save(
    request: Request[Any, Any, Any], catalogue: Catalogue, kvk: str | None
) -> Response[Any]:
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    values = await _form_values(request, COLUMNS)
    asked = kvk if kvk is not None else values.get("kvk", "").strip()
    known: dict[str, Any] | None = None
    if asked:
        known = await anyio.to_thread.run_sync(catalogue.provider_snapshot, asked)
    if kvk is not None:
        values["kvk"] = kvk
        if known is None:
            raise DutchNotFound(detail="Deze aanbieder bestaat niet.")
    elif known is not None:
        return _provider_form(
            actor,
            catalogue,
            values,
            kvk=None,
            errors=[("kvk", "er is al een aanbieder met dit KvK-nummer; wijzig die aanbieder")],
            status=400,
        )
    values = {c: v for c, v in values.items() if v.strip() or c in REQUIRED_COLUMNS or kvk}
    try:
        outcome = await anyio.to_thread.run_sync(
            updates.save_provider,
            catalogue.engine,
            catalogue.pack,
            actor,
            values,
            catalogue.today(),
        )
    except updates.UpdateError as error:
        return _provider_form(
            actor,
            catalogue,
            values,
            kvk=kvk,
            errors=[(p.field, p.message) for p in error.problems],
            status=400,
        )
    return Redirect(f"/beheer/aanbieders?opgeslagen={outcome.kvk}", status_code=303)


@post(
    "/beheer/aanbieders/{kvk:str}/beeindigen",
    name="beheer-provider-end",
    include_in_schema=False,
    status_code=303,
)
async def beheer_provider_end(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], kvk: FromPath[str]
) -> Response[Any]:
    actor = guard(request)
    if isinstance(actor, Redirect):
        return actor
    form = await request.form()
    number = _number(kvk)
    if form.get("zeker") != "ja":
        return Redirect(f"/beheer/aanbieders/{number}?bevestig=1#beeindigen", status_code=303)
    try:
        await anyio.to_thread.run_sync(updates.end_provider, catalogue.engine, actor, number)
    except NotYours:
        raise DutchNotFound(detail="Deze aanbieder bestaat niet.") from None
    return Redirect("/beheer/aanbieders?opgeslagen=beeindigd", status_code=303)


BEHEER_HANDLERS = [
    beheer_home,
    beheer_providers,
    beheer_provider_new,
    beheer_provider,
    beheer_provider_create,
    beheer_provider_save,
    beheer_provider_end,
]
