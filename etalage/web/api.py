"""The JSON API of docs/http-api.md, versioned under /api/v1.

Query parameters are declared here so the OpenAPI document describes them, but they
are typed as plain strings and validated by `etalage.web.params` from the raw query:
every bad value gives a Dutch 400 that names the parameter.
"""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import Parameter

from etalage.catalogue.presenters import provider_detail, provider_summary, search_json
from etalage.catalogue.schemas import ProviderDetail, ProviderSearchResponse
from etalage.web.errors import DutchNotFound
from etalage.web.pages import query_lists
from etalage.web.params import parse_kvk, parse_provider_filters
from etalage.web.services import Catalogue
from etalage.web.update_schema import (
    DECIMAL_PATTERN,
    INTEGER_PATTERN,
    KVK_PATTERN,
    POSTCODE_PATTERN,
    pattern,
)
from search_index.documents import record_from_document

# ---------------------------------------------------------------------------- schema


# Optional keys through `total=False` subclasses: with postponed annotations on Python
# 3.11, TypedDict does not see NotRequired and the OpenAPI document would call them
# required.


class _ApiFout(TypedDict):
    detail: str


class ApiFout(_ApiFout, total=False):
    """An error: a Dutch sentence, and for a bad parameter the parameter's name."""

    parameter: str


ERROR_DESCRIPTIONS = {
    400: "Ongeldige parameter; `parameter` noemt welke.",
    401: "Geen geldig token (`Authorization: Bearer TOKEN`).",
    403: "Dit token (of deze rol) mag dit niet.",
    404: "Onbekend KvK-nummer.",
    413: "Het verzoek is te groot.",
    429: "Te veel verzoeken; probeer het later opnieuw (zie `Retry-After`).",
}


def error_responses(*codes: int, **descriptions: str) -> dict[int, ResponseSpec]:
    """The documented error answers of an operation, all `{"detail", "parameter"}`
    (`descriptions` overrides one by code, as `e404="..."`)."""
    return {
        code: ResponseSpec(
            data_container=ApiFout,
            description=descriptions.get(f"e{code}", ERROR_DESCRIPTIONS[code]),
            generate_examples=False,
        )
        for code in codes
    }


ERRORS = error_responses(400, 404)


def _param(description: str, **kwargs: Any) -> Any:
    return Parameter(description=description, required=False, **kwargs)


# ---------------------------------------------------------------------------- handlers


@get(
    "/api/v1/providers",
    name="api-providers",
    sync_to_thread=True,
    tags=["aanbieders"],
    summary="Zoek aanbieders",
    response_description="Eén pagina aanbieders, met het totaal en de facetten.",
    responses={400: ERRORS[400]},
    description=(
        "Zoekt in de gecontracteerde aanbieders van de regio, met filters, sortering en "
        "pagina's. `q` is vrije tekst en verdraagt tikfouten, synoniemen en samengestelde "
        "woorden; een leeftijd of plaats in de tekst (`autisme 12 jaar hoorn`) werkt als "
        "filter, een leeftijdsbereik (`van 12 tot 18 jaar`) ook: dan passen aanbieders "
        "voor een of meer leeftijden daarin. `facets` telt per code hoeveel aanbieders "
        "in het gefilterde resultaat passen. `backend` zegt welke zoekmachine antwoordde: "
        "`meilisearch`, of "
        "`embedded` (de ingebouwde zoekfunctie, ook als Meilisearch even niet werkt). "
        "Een onbekende parameter of waarde geeft 400 met een Nederlandse uitleg en de naam "
        "van de parameter in `parameter`. Sortering `relevance`: best passend eerst (zonder "
        "`q`: op naam); `wachttijd`: kortste totale wachttijd eerst, dan verouderde "
        "metingen (`verouderd: true`), dan onbekende; `afstand` (met `postcode`): "
        "dichtstbij eerst; "
        "`kwaliteit`: beste resultaten eerst; `naam`: A tot Z. Resultaten op te weinig "
        "trajecten hebben `te_weinig_waarnemingen` en geen percentages (`null`)."
    ),
)
def list_providers(
    request: Request[Any, Any, Any],
    catalogue: NamedDependency[Catalogue],
    q: Annotated[str | None, _param("Vrije tekst: naam, omschrijving of expertise.")] = None,
    gemeente: Annotated[
        str | None,
        _param("Gemeentecode, bv. `hoorn`: aanbieders die daar werken; `regio`: in de hele regio."),
    ] = None,
    wet: Annotated[str | None, _param("`jeugdwet` of `wmo`.")] = None,
    segment: Annotated[str | None, _param("`A`, `B` of `C`.")] = None,
    profiel: Annotated[str | None, _param("Ondersteuningsprofiel, bv. `J4`.")] = None,
    intensiteit: Annotated[str | None, _param("`licht`, `midden` of `zwaar`.")] = None,
    expertise: Annotated[
        list[str] | None, _param("Expertise-code; herhaal voor meer (alle moeten passen).")
    ] = None,
    taal: Annotated[str | None, _param("Taalcode (ISO 639-1), bv. `ar`.")] = None,
    leeftijd: Annotated[
        str | None, _param("Leeftijd in jaren (0..120).", schema_extra=pattern(INTEGER_PATTERN))
    ] = None,
    max_wachttijd_weken: Annotated[
        str | None,
        _param(
            "Hoogstens zoveel weken wachten (aanmelden + behandeling).",
            schema_extra=pattern(INTEGER_PATTERN),
        ),
    ] = None,
    postcode: Annotated[
        str | None,
        _param(
            "Postcode in de regio, bv. `1621 AB` of `1621`.",
            schema_extra=pattern(POSTCODE_PATTERN),
        ),
    ] = None,
    afstand_km: Annotated[
        str | None,
        _param("Hoogstens zoveel km van de postcode.", schema_extra=pattern(DECIMAL_PATTERN)),
    ] = None,
    sort: Annotated[
        str | None,
        _param("`relevance` (standaard), `wachttijd`, `afstand`, `kwaliteit` of `naam`."),
    ] = None,
    page: Annotated[
        str | None, _param("Pagina, vanaf 1.", schema_extra=pattern(INTEGER_PATTERN))
    ] = None,
    per_page: Annotated[
        str | None,
        _param("Aantal per pagina, 1..100 (standaard 20).", schema_extra=pattern(INTEGER_PATTERN)),
    ] = None,
) -> ProviderSearchResponse:
    pack = catalogue.pack
    filters = parse_provider_filters(query_lists(request), pack)
    result = catalogue.search(filters, highlight=False).result
    today = catalogue.today()
    body = search_json(
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        backend=result.backend,
        results=[
            provider_summary(record_from_document(hit.document), pack, today, hit.afstand_km)
            for hit in result.hits
        ],
        facets=result.facets,
    )
    return body


@get(
    "/api/v1/providers/{kvk:str}",
    name="api-provider",
    sync_to_thread=True,
    tags=["aanbieders"],
    summary="Eén aanbieder",
    response_description="De aanbieder met de geschiedenis van wachttijden en resultaten.",
    responses=ERRORS,
    description=(
        "Alle gegevens van één aanbieder, met de geschiedenis van wachttijden en "
        "resultaten (oudste eerst). 404 als het KvK-nummer niet bekend is."
    ),
)
def get_provider(
    catalogue: NamedDependency[Catalogue],
    kvk: Annotated[
        str, Parameter(description="KvK-nummer, 8 cijfers.", schema_extra=pattern(KVK_PATTERN))
    ],
) -> ProviderDetail:
    number = parse_kvk(kvk)
    record = catalogue.provider(number)
    if record is None:
        raise DutchNotFound(detail=f"Er is geen aanbieder met KvK-nummer {number}.")
    return provider_detail(record, catalogue.pack, catalogue.today())


API_HANDLERS = [list_providers, get_provider]
