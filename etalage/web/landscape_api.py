"""`GET /api/v1/landschap` (docs/landscape.md): the landscape of supply, waiting times and
gaps per profile x intensity x municipality, as of a day, computed by
etalage.landscape.compute from the database's records and their history."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from etalage.dates import parse_day
from etalage.landscape.compute import Landscape, landscape
from etalage.web.api import error_responses
from etalage.web.params import ParamError
from etalage.web.services import Catalogue
from etalage.web.update_schema import DATE_PATTERN, pattern

EARLIEST = date(2000, 1, 1)
KNOWN = {"wet", "gemeente", "peildatum"}


def landscape_filters(
    request: Request[Any, Any, Any], catalogue: Catalogue, extra: frozenset[str] = frozenset()
) -> tuple[str | None, str | None, date]:
    """`wet`, `gemeente` and `peildatum` from the query, checked (Dutch 400s); `extra`
    names other parameters the caller reads itself."""
    pack = catalogue.pack
    params = request.query_params
    for key in params:
        if key not in KNOWN and key not in extra:
            raise ParamError(
                key, f"Onbekende parameter '{key[:40]}'. Wel: wet, gemeente, peildatum."
            )
        if len(params.getall(key)) > 1:
            raise ParamError(key, f"De parameter '{key}' staat er meer dan één keer in.")
    law = (params.get("wet") or "").strip().lower() or None
    laws = [x.code for x in pack.laws]
    if law is not None and law not in laws:
        raise ParamError("wet", f"Onbekende wet '{law[:40]}'. Kies uit: {', '.join(laws)}.")
    place = (params.get("gemeente") or "").strip().lower() or None
    places = [m.code for m in pack.municipalities]
    if place is not None and place not in places:
        raise ParamError(
            "gemeente", f"Onbekende gemeente '{place[:40]}'. Kies uit: {', '.join(places)}."
        )
    today = catalogue.today()
    raw = (params.get("peildatum") or "").strip()
    day = today
    if raw:
        found = parse_day(raw)
        if found is None:
            raise ParamError(
                "peildatum",
                "De peildatum moet een datum zijn als jjjj-mm-dd, bijvoorbeeld 2026-10-01.",
            )
        day = found
        if day > today:
            raise ParamError(
                "peildatum",
                "De peildatum ligt in de toekomst; kies vandaag of een dag in het verleden.",
            )
        if day < EARLIEST:
            raise ParamError("peildatum", "De peildatum ligt te ver in het verleden (vóór 2000).")
    return law, place, day


def compute(catalogue: Catalogue, law: str | None, place: str | None, day: date) -> Landscape:
    records = catalogue.all_records(history=True)
    return landscape(records, catalogue.pack, day, law=law, municipality=place)


@get(
    "/api/v1/landschap",
    name="api-landscape",
    sync_to_thread=True,
    tags=["landschap"],
    summary="Het zorglandschap",
    description=(
        "Per profiel x intensiteit x gemeente: hoeveel gecontracteerde aanbieders er zijn, "
        "hoeveel een verse wachttijd hebben, hoeveel binnen de Treeknorm kunnen starten "
        "(niet bij een aanmeldstop), de mediaan en de kortste verse wachttijd, en of de cel "
        "een lacune is (niemand kan binnen de norm starten). `peildatum` geeft de cijfers "
        "van die dag, uit de geschiedenis. `vrij_toegankelijk`: hetzelfde per expertise "
        "voor het vrij toegankelijke aanbod (segment A)."
    ),
    responses=error_responses(400),
)
def get_landscape(
    request: Request[Any, Any, Any],
    catalogue: NamedDependency[Catalogue],
    wet: Annotated[
        str | None, Parameter(description="`jeugdwet` of `wmo`.", required=False)
    ] = None,
    gemeente: Annotated[str | None, Parameter(description="Gemeentecode.", required=False)] = None,
    peildatum: Annotated[
        str | None,
        Parameter(
            description="Datum jjjj-mm-dd; standaard vandaag.",
            required=False,
            schema_extra=pattern(DATE_PATTERN),
        ),
    ] = None,
) -> dict[str, Any]:
    law, place, day = landscape_filters(request, catalogue)
    return compute(catalogue, law, place, day).json()


LANDSCAPE_API_HANDLERS = [get_landscape]
