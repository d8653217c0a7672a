"""The provider update API (docs/http-api.md#provider-updates): providers' own systems
keep waiting times and capacity current with a personal token.

- No token, or an unknown or revoked one: 401.
- A KvK number that is unknown or not bound to the token's user: 404, the same answer
  for both, and nothing changes.
- A bad value: 400 with a Dutch `detail` naming the field in `parameter`.
Every change goes through etalage.portal.updates (validation, audit entry, outbox).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from litestar import Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import Parameter

from etalage.accounts.actor import Actor, NotYours
from etalage.audit import entries
from etalage.catalogue.presenters import capacity_json, waiting_json
from etalage.catalogue.schemas import Capaciteit, Wachttijd
from etalage.dates import parse_day
from etalage.portal import updates
from etalage.web.api import error_responses
from etalage.web.auth import bearer_actor
from etalage.web.errors import DutchError, DutchNotFound
from etalage.web.params import parse_kvk
from etalage.web.services import Catalogue
from etalage.web.update_schema import (
    DATE_PATTERN,
    KVK_PATTERN,
    OPTIONAL_KVK_PATTERN,
    CapacityOperation,
    WaitingOperation,
    pattern,
)

MAX_BODY = 8 * 1024


class WachttijdAntwoord(msgspec.Struct):
    kvk: str
    wachttijd: Wachttijd | None
    bevestigd: bool


class CapaciteitAntwoord(msgspec.Struct):
    kvk: str
    capaciteit: Capaciteit | None
    bevestigd: bool


class BevestigingAntwoord(msgspec.Struct):
    kvk: str
    bevestigd_op: str


def _unknown(kvk: str) -> DutchNotFound:
    return DutchNotFound(
        detail=f"Er is geen aanbieder met KvK-nummer {kvk} die u met dit token mag bijwerken."
    )


async def _body(request: Request[Any, Any, Any]) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise DutchError(413, f"De vraag is te groot (hoogstens {MAX_BODY // 1024} kB).")
    try:
        body = msgspec.json.decode(raw) if raw.strip() else None
    except msgspec.DecodeError:
        raise DutchError(400, "De inhoud is geen geldige JSON.") from None
    if not isinstance(body, dict):
        raise DutchError(400, 'Stuur een JSON-object, bijvoorbeeld {"aanmelden_weken": 3}.')
    return body


def _refused(error: updates.UpdateError) -> DutchError:
    first = error.problems[0]
    detail = "; ".join(str(p) for p in error.problems)
    return DutchError(400, detail, first.field)


def _actor_and_kvk(request: Request[Any, Any, Any], kvk: str) -> tuple[Actor, str]:
    actor = bearer_actor(request)  # 401 before anything else is looked at
    number = parse_kvk(kvk)
    if not actor.may_edit(number):
        raise _unknown(number)
    return actor, number


UPDATE_ERRORS = error_responses(
    400, 401, 403, 404, e404="Onbekend KvK-nummer, of geen aanbieder van dit token."
)


@put(
    "/api/v1/providers/{kvk:str}/wachttijd",
    name="api-update-waiting",
    tags=["bijwerken"],
    summary="Nieuwe wachttijd",
    description=(
        "Een nieuwe meting van de wachttijd, met een persoonlijk token. `peildatum` is "
        "standaard vandaag en nooit in de toekomst. Dezelfde cijfers als de laatste meting "
        "gelden als bevestiging (`bevestigd: true`), niet als nieuwe meting."
    ),
    status_code=200,
    responses=UPDATE_ERRORS,
    operation_class=WaitingOperation,
)
async def put_waiting(
    request: Request[Any, Any, Any],
    catalogue: NamedDependency[Catalogue],
    kvk: str = Parameter(description="KvK-nummer, 8 cijfers.", schema_extra=pattern(KVK_PATTERN)),
) -> WachttijdAntwoord:
    actor, number = _actor_and_kvk(request, kvk)
    body = await _body(request)
    today = catalogue.today()
    try:
        cells = updates.waiting_values(body)
        outcome = await _run(
            updates.set_waiting_time,
            catalogue.engine,
            catalogue.pack,
            actor,
            number,
            cells,
            today,
            names=updates.WAITING_FIELDS,
        )
    except updates.UpdateError as error:
        raise _refused(error) from None
    except NotYours:
        raise _unknown(number) from None
    record = catalogue.provider(number)
    assert record is not None
    return WachttijdAntwoord(
        kvk=number,
        wachttijd=waiting_json(record.latest_waiting, today, catalogue.pack.freshness_weeks),
        bevestigd=outcome.confirmed,
    )


@put(
    "/api/v1/providers/{kvk:str}/capaciteit",
    name="api-update-capacity",
    tags=["bijwerken"],
    summary="Capaciteit",
    description=(
        "Of de aanbieder nieuwe cliënten aanneemt: `plek`, `wachtlijst`, `aanmeldstop` of "
        "`eerst_screening`, met een `toelichting` en een einddatum `geldig_tot`; een status "
        "voorbij die datum geldt niet meer (`capaciteit: null`)."
    ),
    status_code=200,
    responses=UPDATE_ERRORS,
    operation_class=CapacityOperation,
)
async def put_capacity(
    request: Request[Any, Any, Any],
    catalogue: NamedDependency[Catalogue],
    kvk: str = Parameter(description="KvK-nummer, 8 cijfers.", schema_extra=pattern(KVK_PATTERN)),
) -> CapaciteitAntwoord:
    actor, number = _actor_and_kvk(request, kvk)
    body = await _body(request)
    today = catalogue.today()
    problems: list[updates.Problem] = []
    unknown = sorted(set(body) - {"status", "toelichting", "geldig_tot"})
    if unknown:
        problems.append(
            updates.Problem(
                unknown[0][:40], "is geen veld van capaciteit; wel: status, toelichting, geldig_tot"
            )
        )
    if not isinstance(body.get("status"), str) or not body["status"]:
        problems.append(
            updates.Problem(
                "status", "is verplicht: plek, wachtlijst, aanmeldstop of eerst_screening"
            )
        )
    for name in ("toelichting", "geldig_tot"):
        if body.get(name) is not None and not isinstance(body[name], str):
            problems.append(updates.Problem(name, "moet tekst zijn"))
    try:
        if problems:
            raise updates.UpdateError(problems)
        outcome = await _run(
            updates.set_capacity,
            catalogue.engine,
            actor,
            number,
            body["status"],
            body.get("toelichting"),
            body.get("geldig_tot"),
            today,
        )
    except updates.UpdateError as error:
        raise _refused(error) from None
    except NotYours:
        raise _unknown(number) from None
    record = catalogue.provider(number)
    assert record is not None
    return CapaciteitAntwoord(
        kvk=number, capaciteit=capacity_json(record.capacity_on(today)), bevestigd=outcome.confirmed
    )


@post(
    "/api/v1/providers/{kvk:str}/bevestiging",
    name="api-confirm",
    tags=["bijwerken"],
    summary="Klopt nog",
    description="Bevestigt vandaag dat de huidige cijfers nog kloppen, zonder ze te veranderen.",
    status_code=200,
    responses=UPDATE_ERRORS,
)
async def post_confirmation(
    request: Request[Any, Any, Any],
    catalogue: NamedDependency[Catalogue],
    kvk: str = Parameter(description="KvK-nummer, 8 cijfers.", schema_extra=pattern(KVK_PATTERN)),
) -> BevestigingAntwoord:
    actor, number = _actor_and_kvk(request, kvk)
    today = catalogue.today()
    try:
        await _run(updates.confirm, catalogue.engine, actor, number, today)
    except NotYours:
        raise _unknown(number) from None
    return BevestigingAntwoord(kvk=number, bevestigd_op=today.isoformat())


@get(
    "/api/v1/audit",
    name="api-audit",
    tags=["bijwerken"],
    summary="Auditlog",
    description=(
        "Alle wijzigingen, nieuwste eerst (hoogstens 1000), voor het token van een beheerder."
    ),
    sync_to_thread=True,
    responses=error_responses(400, 401, 403, e403="Alleen een beheerder mag het auditlog lezen."),
)
def get_audit(
    request: Request[Any, Any, Any],
    catalogue: NamedDependency[Catalogue],
    kvk: str | None = Parameter(
        default=None,
        required=False,
        description="Alleen deze aanbieder.",
        schema_extra=pattern(OPTIONAL_KVK_PATTERN),
    ),
    since: str | None = Parameter(
        default=None,
        required=False,
        description="Vanaf deze datum (jjjj-mm-dd).",
        schema_extra=pattern(DATE_PATTERN),
    ),
) -> dict[str, Any]:
    actor = bearer_actor(request)
    if not actor.is_beheerder:
        raise DutchError(403, "Alleen een beheerder mag het auditlog lezen.")
    number = parse_kvk(kvk) if kvk else None
    day: date | None = None
    if since:
        day = parse_day(since)
        if day is None:
            raise DutchError(400, "since moet een datum zijn in de vorm jjjj-mm-dd.", "since")
    found = entries(catalogue.engine, kvk=number, since=day)
    return {"entries": [e.json() for e in found]}


async def _run(func: Any, *args: Any, **kwargs: Any) -> Any:
    import anyio.to_thread

    return await anyio.to_thread.run_sync(lambda: func(*args, **kwargs))


UPDATE_API_HANDLERS = [put_waiting, put_capacity, post_confirmation, get_audit]
