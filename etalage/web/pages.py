"""HTML pages. Thin: parse parameters, ask the catalogue, render a template.

Every URL renders a full page. An htmx request to the catalogue (HX-Request header,
not a history restore) gets only the results fragment; both carry `Vary: HX-Request`
so caches keep them apart.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from etalage.catalogue import views
from etalage.catalogue.queries import ProviderFilters, ProviderPage
from etalage.web.errors import DutchNotFound
from etalage.web.params import ParamError, filters_to_query, parse_provider_filters
from etalage.web.services import Catalogue
from etalage.web.templating import query_url

CATALOGUE_PATH = "/aanbieders"
FORM_FIELDS = (
    "q", "gemeente", "wet", "segment", "profiel", "intensiteit", "taal", "leeftijd",
    "max_wachttijd_weken", "postcode", "afstand_km", "sort", "per_page",
)  # fmt: skip
VARY = {"Vary": "HX-Request"}


def query_lists(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    params = request.query_params
    return {key: params.getall(key) for key in dict.fromkeys(params.keys())}


def is_fragment_request(request: Request[Any, Any, Any]) -> bool:
    headers = request.headers
    return (
        headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"
    )


@get("/", name="home", sync_to_thread=True, include_in_schema=False)
def home(catalogue: NamedDependency[Catalogue]) -> Template:
    overview = catalogue.overview()
    return Template(
        "home.html",
        context={
            "title": "Welkom",
            "current": "home",
            "demo": overview.has_demo,
            "provider_count": overview.providers,
        },
    )


def _form_values(raw: dict[str, list[str]]) -> dict[str, Any]:
    """What the user typed, to show the form as it was sent (also after an error)."""
    form: dict[str, Any] = {name: (raw.get(name) or [""])[0] for name in FORM_FIELDS}
    form["expertise"] = [v for v in raw.get("expertise", []) if v]
    return form


def _pagination(filters: ProviderFilters, page: ProviderPage) -> dict[str, Any]:
    def url(n: int) -> str:
        return query_url(CATALOGUE_PATH, filters_to_query(filters, page=None if n == 1 else n))

    window = sorted(
        {1, page.pages, *range(max(1, page.page - 2), min(page.pages, page.page + 2) + 1)}
    )
    links: list[dict[str, Any]] = []
    previous = 0
    for n in window:
        if n - previous > 1:
            links.append({"gap": True})
        links.append({"gap": False, "number": n, "url": url(n), "current": n == page.page})
        previous = n
    return {
        "links": links,
        "previous": url(page.page - 1) if page.page > 1 else None,
        "next": url(page.page + 1) if page.page < page.pages else None,
        "first_item": (page.page - 1) * page.per_page + 1,
        "last_item": min(page.total, page.page * page.per_page),
    }


@get(CATALOGUE_PATH, name="catalogue", sync_to_thread=True, include_in_schema=False)
def catalogue_page(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Template:
    raw = query_lists(request)
    form = _form_values(raw)
    context: dict[str, Any] = {
        "title": "Aanbieders zoeken",
        "current": "catalogue",
        "form": form,
        "error": None,
        "results": None,
        "page": None,
        "pagination": None,
        "filters": None,
    }
    status = 200
    try:
        filters = parse_provider_filters(raw, catalogue.pack, allow_unknown=True)
    except ParamError as exc:
        context["error"] = exc
        context["demo"] = catalogue.has_demo()
        status = 400
    else:
        outcome = catalogue.search(filters)
        today = catalogue.today()
        context.update(
            {
                "demo": outcome.has_demo,
                "filters": filters,
                "page": outcome.page,
                "results": [
                    views.provider_view(hit.record, catalogue.pack, today, hit.afstand_km)
                    for hit in outcome.page.items
                ],
                "pagination": _pagination(filters, outcome.page),
                "api_url": query_url("/api/v1/providers", filters_to_query(filters)),
            }
        )
        if filters.q:
            context["title"] = f"Zoeken naar “{filters.q}”"
    headers = dict(VARY)
    if not is_fragment_request(request):
        return Template("catalogue.html", context=context, status_code=status, headers=headers)
    if context["filters"] is not None:
        # push the canonical address (no empty fields) instead of the raw form URL
        headers["HX-Push-Url"] = query_url(CATALOGUE_PATH, filters_to_query(context["filters"]))
    return Template("_results.html", context=context, status_code=status, headers=headers)


@get(CATALOGUE_PATH + "/{slug:str}", name="provider", sync_to_thread=True, include_in_schema=False)
def provider_page(slug: FromPath[str], catalogue: NamedDependency[Catalogue]) -> Template:
    outcome = catalogue.provider_page(slug)
    if outcome is None:
        raise DutchNotFound(
            detail="Deze aanbieder staat niet (meer) in de etalage. Zoek opnieuw in het overzicht."
        )
    pack = catalogue.pack
    record = outcome.record
    return Template(
        "provider.html",
        context={
            "title": record.name,
            "current": "catalogue",
            "demo": outcome.has_demo,
            "p": views.provider_view(record, pack, catalogue.today()),
            "waiting_chart": views.waiting_chart(record, pack, outcome.history.waiting),
            "kpi_history": views.kpi_history(record, pack, outcome.history.kpis),
            "languages": [pack.label("taal", c) for c in record.languages],
            "expertise": [pack.label("expertise", c) for c in record.expertise],
            "laws": [pack.label("wet", c) for c in record.laws],
            "segments": [(c, pack.label("segment", c)) for c in record.segments],
        },
    )


@get("/assistent", name="assistant", sync_to_thread=False, include_in_schema=False)
def assistant_page() -> Template:
    return Template(
        "coming_soon.html",
        context={"title": "Hulpwijzer (komt binnenkort)", "current": "assistant"},
    )


@get("/toegankelijkheid", name="accessibility", sync_to_thread=False, include_in_schema=False)
def accessibility_page() -> Template:
    return Template(
        "accessibility.html", context={"title": "Toegankelijkheid", "current": "accessibility"}
    )


PAGE_HANDLERS = [home, catalogue_page, provider_page, assistant_page, accessibility_page]
