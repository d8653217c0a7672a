"""The provider portal (docs/portal.md#the-provider-portal): `/portaal` for users with
the role `aanbieder` (and beheerders, who may open any provider).

A provider keeps its waiting time, capacity and own facts current, and confirms with
"Klopt nog" that the figures still hold. Every form posts to its own path, carries
the CSRF token, and redirects back on success (303); on an error the page comes back
with the errors listed (400) and nothing is written. Authorization is checked again in
etalage.portal.updates: a provider that is not yours is a 404 there and here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from etalage.accounts.actor import Actor, NotYours
from etalage.audit import entries
from etalage.catalogue import views
from etalage.portal import updates
from etalage.portal.freshness import stale_kvks
from etalage.provider import ProviderRecord
from etalage.web.account_pages import page, require
from etalage.web.errors import DutchNotFound
from etalage.web.params import ParamError, parse_kvk
from etalage.web.services import Catalogue

ROLES = ("aanbieder", "beheerder")
LABELS = {
    "aanmeldwachttijd_weken": "Wachttijd tot het eerste gesprek",
    "behandelwachttijd_weken": "Wachttijd tot de hulp begint",
    "wachtlijst_aantal": "Mensen op de wachtlijst",
    "wachttijd_peildatum": "Datum van de meting",
    "status": "Capaciteit",
    "toelichting": "Toelichting",
    "geldig_tot": "Geldig tot en met",
    "omschrijving": "Omschrijving",
    "website": "Website",
    "telefoon": "Telefoon",
    "email": "E-mailadres",
    "expertise": "Expertise",
    "talen": "Talen",
    "aanmelding": "Aanmelden",
    "verwijzing_zorgdomein": "Verwijzen via ZorgDomein",
    "verwijzing_inhoud": "Wat een verwijzing moet bevatten",
}
SAVED = {
    "wachttijd": "De nieuwe wachttijd is opgeslagen. Hij staat binnen een paar seconden in "
    "de zoekresultaten.",
    "bevestigd": "Bevestigd: de cijfers kloppen nog. De site toont nu 'bevestigd op' met de "
    "datum van vandaag.",
    "capaciteit": "De capaciteit is opgeslagen.",
    "gegevens": "De gegevens zijn opgeslagen.",
    "ongewijzigd": "Er was niets veranderd; er is niets opgeslagen.",
}


def _kvk(value: str) -> str:
    try:
        return parse_kvk(value)
    except ParamError:
        raise DutchNotFound(detail="Deze aanbieder bestaat niet.") from None


def _mine(catalogue: Catalogue, actor: Actor, kvk: str) -> ProviderRecord:
    """The provider, when the actor may edit it; a 404 otherwise (also when unknown)."""
    record = catalogue.provider(kvk) if actor.may_edit(kvk) else None
    if record is None:
        raise DutchNotFound(detail="Deze aanbieder bestaat niet, of u mag hem niet bijwerken.")
    return record


@get("/portaal", name="portal", include_in_schema=False, sync_to_thread=True)
def portal_home(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    actor = require(request, ROLES)
    if isinstance(actor, Redirect):
        return actor
    if actor.is_beheerder:
        return Redirect("/beheer/aanbieders", status_code=303)
    records = catalogue.providers(sorted(actor.kvks))
    today = catalogue.today()
    stale = stale_kvks(records, catalogue.pack, today)
    return page(
        "portal_home.html",
        title="Portaal",
        actor=actor,
        rows=[(r, views.provider_view(r, catalogue.pack, today), r.kvk in stale) for r in records],
        stale=[r for r in records if r.kvk in stale],
    )


def _provider_page(
    request: Request[Any, Any, Any],
    catalogue: Catalogue,
    actor: Actor,
    record: ProviderRecord,
    *,
    errors: list[tuple[str | None, str]] | None = None,
    form: str | None = None,
    typed: dict[str, Any] | None = None,
    status: int = 200,
) -> Template:
    today = catalogue.today()
    pack = catalogue.pack
    saved = request.query_params.get("opgeslagen")
    return page(
        "portal_provider.html",
        status,
        title=f"Bijwerken: {record.name}",
        actor=actor,
        r=record,
        p=views.provider_view(record, pack, today),
        today=today.isoformat(),
        stale=bool(stale_kvks([record], pack, today)),
        errors=errors or [],
        form=form,
        typed=typed or {},
        labels=LABELS,
        saved=SAVED.get(saved or ""),
        history=entries(catalogue.engine, kvk=record.kvk, limit=20),
        expertise=[(t.code, t.label) for t in pack.expertise],
        languages=sorted(pack.languages.items(), key=lambda item: item[1]),
        routes=list(pack.registration_routes.items()),
        capacity_choices=[(code, *views.CAPACITY_LABELS[code]) for code in views.CAPACITY_LABELS],
    )


@get("/portaal/{kvk:str}", name="portal-provider", include_in_schema=False, sync_to_thread=True)
def portal_provider(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], kvk: FromPath[str]
) -> Response[Any]:
    actor = require(request, ROLES)
    if isinstance(actor, Redirect):
        return actor
    record = _mine(catalogue, actor, _kvk(kvk))
    return _provider_page(request, catalogue, actor, record)


async def _fields(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    form = await request.form()
    return {k: [str(v)[:10_000] for v in form.getall(k)][:200] for k in form}


def _one(fields: dict[str, list[str]], name: str) -> str:
    values = fields.get(name) or [""]
    return values[0]


async def _handle(
    request: Request[Any, Any, Any],
    catalogue: Catalogue,
    kvk: str,
    form_name: str,
    change: Any,
) -> Response[Any]:
    actor = require(request, ROLES)
    if isinstance(actor, Redirect):
        return actor
    number = _kvk(kvk)
    await anyio.to_thread.run_sync(_mine, catalogue, actor, number)
    fields = await _fields(request)
    try:
        outcome = await anyio.to_thread.run_sync(change, actor, number, fields, catalogue.today())
    except NotYours:
        raise DutchNotFound(
            detail="Deze aanbieder bestaat niet, of u mag hem niet bijwerken."
        ) from None
    except updates.UpdateError as error:
        record = await anyio.to_thread.run_sync(_mine, catalogue, actor, number)
        return _provider_page(
            request,
            catalogue,
            actor,
            record,
            errors=[(p.field, p.message) for p in error.problems],
            form=form_name,
            typed={k: v if len(v) > 1 else v[0] for k, v in fields.items()},
            status=400,
        )
    done = "bevestigd" if outcome.confirmed else (form_name if outcome.changed else "ongewijzigd")
    return Redirect(f"/portaal/{number}?opgeslagen={done}#{form_name}-kop", status_code=303)


@post(
    "/portaal/{kvk:str}/wachttijd", name="portal-waiting", include_in_schema=False, status_code=303
)
async def portal_waiting(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], kvk: FromPath[str]
) -> Response[Any]:
    def change(actor: Actor, number: str, fields: dict[str, list[str]], today: date) -> Any:
        values = {c: _one(fields, c) for c in updates.WAITING_FIELDS}
        return updates.set_waiting_time(
            catalogue.engine, catalogue.pack, actor, number, values, today
        )

    return await _handle(request, catalogue, kvk, "wachttijd", change)


@post(
    "/portaal/{kvk:str}/klopt-nog", name="portal-confirm", include_in_schema=False, status_code=303
)
async def portal_confirm(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], kvk: FromPath[str]
) -> Response[Any]:
    def change(actor: Actor, number: str, _fields: dict[str, list[str]], today: date) -> Any:
        return updates.confirm(catalogue.engine, actor, number, today)

    return await _handle(request, catalogue, kvk, "wachttijd", change)


@post(
    "/portaal/{kvk:str}/capaciteit",
    name="portal-capacity",
    include_in_schema=False,
    status_code=303,
)
async def portal_capacity(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], kvk: FromPath[str]
) -> Response[Any]:
    def change(actor: Actor, number: str, fields: dict[str, list[str]], today: date) -> Any:
        status = _one(fields, "status")
        return updates.set_capacity(
            catalogue.engine,
            actor,
            number,
            None if status == "geen" else status,
            _one(fields, "toelichting"),
            _one(fields, "geldig_tot"),
            today,
        )

    return await _handle(request, catalogue, kvk, "capaciteit", change)


@post(
    "/portaal/{kvk:str}/gegevens", name="portal-details", include_in_schema=False, status_code=303
)
async def portal_details(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], kvk: FromPath[str]
) -> Response[Any]:
    def change(actor: Actor, number: str, fields: dict[str, list[str]], today: date) -> Any:
        values = {}
        for column in updates.DETAIL_COLUMNS:
            if column in ("expertise", "talen", "aanmelding"):
                values[column] = "|".join(v for v in fields.get(column, []) if v)
            else:
                values[column] = _one(fields, column)
        if values["verwijzing_zorgdomein"] == "onbekend":
            values["verwijzing_zorgdomein"] = ""
        return updates.set_details(catalogue.engine, catalogue.pack, actor, number, values, today)

    return await _handle(request, catalogue, kvk, "gegevens", change)


PORTAL_HANDLERS = [
    portal_home,
    portal_provider,
    portal_waiting,
    portal_confirm,
    portal_capacity,
    portal_details,
]
