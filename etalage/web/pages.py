"""HTML pages. Thin: parse parameters, ask the catalogue, render a template.

Every URL renders a full page. An htmx request to the catalogue (HX-Request header,
not a history restore) gets only the results fragment, plus the filter options' new
counts as out-of-band swaps; both carry `Vary: HX-Request` so caches keep them apart.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from etalage.catalogue import history_views, views
from etalage.catalogue.referral import referral_for
from etalage.web.cards import ResultCards
from etalage.web.errors import DutchNotFound
from etalage.web.params import ParamError, filters_to_query, parse_provider_filters
from etalage.web.services import Catalogue, Found
from etalage.web.structured_data import provider_jsonld
from etalage.web.templating import query_url, render
from search_index.protocol import SINGLE_CHOICE_FILTERS, SearchRequest

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


def _pagination(found: Found) -> dict[str, Any]:
    filters = found.filters

    def url(number: int) -> str:
        return query_url(
            CATALOGUE_PATH, filters_to_query(filters, page=None if number == 1 else number)
        )

    window = sorted(
        {1, found.pages, *range(max(1, found.page - 2), min(found.pages, found.page + 2) + 1)}
    )
    links: list[dict[str, Any]] = []
    previous = 0
    for number in window:
        if number - previous > 1:
            links.append({"gap": True})
        links.append(
            {"gap": False, "number": number, "url": url(number), "current": number == found.page}
        )
        previous = number
    return {
        "links": links,
        "previous": url(found.page - 1) if found.page > 1 else None,
        "next": url(found.page + 1) if found.page < found.pages else None,
        "first_item": (found.page - 1) * found.per_page + 1,
        "last_item": min(found.total, found.page * found.per_page),
    }


def _catalogue_url(filters: SearchRequest, **overrides: object) -> str:
    return query_url(CATALOGUE_PATH, filters_to_query(filters, **overrides))


def _search_context(catalogue: Catalogue, found: Found, cards: ResultCards) -> dict[str, Any]:
    """What the results fragment shows: cards with highlights, the count, what the
    search text was read as, "did you mean", the fallback notice, and on an empty
    result the ways to widen the search."""
    filters, result = found.filters, found.result
    today = catalogue.today()
    understood = result.understood
    widenings = [
        {"label": w.label, "url": _catalogue_url(w.filters), "total": w.total}
        for w in found.widenings
    ]
    return {
        "demo": found.has_demo,
        "filters": filters,
        "page": found,
        "result": result,
        "results": cards.views(result.hits, today, found.demo_kvks, filters),
        "pagination": _pagination(found),
        "api_url": query_url("/api/v1/providers", filters_to_query(filters)),
        "export_query": [
            (k, v) for k, v in filters_to_query(filters) if k not in ("page", "per_page")
        ],
        "understood": understood.summary() if understood.changed else "",
        "relaxed": views.join_nl(f"‘{w}’" for w in result.relaxed_words),
        "suggestion": {
            "text": result.suggestion,
            "url": _catalogue_url(filters, q=result.suggestion, page=None),
        }
        if result.suggestion
        else None,
        "widenings": widenings,
        # Say so when the regrouping mattered: heavier help was found too.
        "lighter_first": result.lighter_first
        and any(
            found.counts.get("segment", {}).get(x.code, 0)
            for x in catalogue.pack.segments
            if x.code not in catalogue.pack.search_fit.ordinary_segments
        ),
        "without_place_url": _catalogue_url(filters, gemeente="alle", page=None)
        if understood.gemeente and not filters.gemeente
        else "",
    }


# The form's fields as the page names them, for an error message that points at one.
FIELD_LABELS = {
    "q": "Zoek een aanbieder", "gemeente": "Gemeente", "wet": "Voor wie",
    "segment": "Soort hulp", "profiel": "Ondersteuningsprofiel", "intensiteit": "Intensiteit",
    "expertise": "Expertise", "taal": "Taal", "leeftijd": "Leeftijd",
    "max_wachttijd_weken": "Hoogstens zoveel weken wachten", "postcode": "Uw postcode",
    "afstand_km": "Hoogstens zoveel kilometer", "sort": "Sorteren op",
    "page": "Pagina", "per_page": "Aantal per pagina",
}  # fmt: skip
MAX_RECOVERIES = 5
# The filters folded away on a phone; how many are set shows on their button.
ACTIVE_FIELDS = (
    "gemeente", "wet", "segment", "profiel", "intensiteit", "taal", "leeftijd",
    "max_wachttijd_weken", "postcode", "afstand_km",
)  # fmt: skip


def parse_recovering(
    raw: dict[str, list[str]], catalogue: Catalogue
) -> tuple[SearchRequest, list[ParamError]]:
    """The search as asked, or, when a parameter is bad, the search without it (so the
    results of the last good search stay on the page) and what was wrong.

    Raises the first error when leaving parameters out does not help."""
    errors: list[ParamError] = []
    current = dict(raw)
    for _ in range(MAX_RECOVERIES):
        try:
            return parse_provider_filters(current, catalogue.pack, allow_unknown=True), errors
        except ParamError as exc:
            errors.append(exc)
            if exc.parameter not in current:
                break
            current.pop(exc.parameter)
    raise errors[0]


def field_errors(errors: list[ParamError]) -> dict[str, str]:
    """Form field -> the plain-Dutch message shown at it."""
    out: dict[str, str] = {}
    for exc in errors:
        out.setdefault(exc.parameter, exc.hint)
        if exc.parameter in ("sort", "afstand_km") and "postcode" not in out:
            out["postcode"] = "Vul hier uw postcode in, bijvoorbeeld 1621 AB."
    return out


def search_summary(found: Found, catalogue: Catalogue) -> str:
    """What a screen reader hears after a search: "12 aanbieders gevonden voor
    autisme, 10 jaar, Hoorn." (not the whole list)."""
    total = found.total
    count = (
        "Geen aanbieders gevonden"
        if total == 0
        else "1 aanbieder gevonden"
        if total == 1
        else f"{total} aanbieders gevonden"
    )
    pack, filters, understood = catalogue.pack, found.filters, found.result.understood
    parts: list[str] = []
    if understood.text:
        parts.append(understood.text)
    age = filters.leeftijd if filters.leeftijd is not None else understood.leeftijd
    if age is not None:
        until = understood.leeftijd_tot if filters.leeftijd is None else None
        parts.append(f"{age} tot en met {until} jaar" if until is not None else f"{age} jaar")
    place = filters.gemeente or understood.gemeente
    if place:
        parts.append(
            views.pack_label(pack, "gemeente", place) if place != "regio" else "heel de regio"
        )
    for kind in ("wet", "segment", "profiel", "intensiteit", "taal"):
        code = getattr(filters, kind)
        if code:
            parts.append(views.pack_label(pack, kind, code))
    parts.extend(views.pack_label(pack, "expertise", c) for c in filters.expertise)
    if filters.max_wachttijd_weken is not None:
        parts.append(f"hoogstens {filters.max_wachttijd_weken} weken wachten")
    line = count + (" voor " + ", ".join(parts) if parts else "")
    if found.pages > 1:
        first = (found.page - 1) * found.per_page + 1
        line += f"; u ziet {first} tot en met {min(total, found.page * found.per_page)}"
    return line + "."


@get(CATALOGUE_PATH, name="catalogue", sync_to_thread=True, include_in_schema=False)
def catalogue_page(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[str]:
    raw = query_lists(request)
    fragment = is_fragment_request(request)
    context: dict[str, Any] = {
        "title": "Aanbieders zoeken",
        "current": "catalogue",
        "form": _form_values(raw),
        "error": None,
        "errors": [],
        "field_errors": {},
        "field_labels": FIELD_LABELS,
        "summary": "",
        "results": None,
        "page": None,
        "pagination": None,
        "filters": None,
        "counts": None,
        "fragment": fragment,
        "place_from_text": False,
    }
    status = 200
    try:
        filters, errors = parse_recovering(raw, catalogue)
        found = catalogue.results_page(filters)
    except ParamError as exc:
        context["error"] = exc
        context["errors"] = [exc]
        context["field_errors"] = field_errors([exc])
        context["demo"] = bool(catalogue.demo_kvks())
        context["summary"] = "Dit kunnen we niet zoeken. " + exc.hint
        status = 400
    else:
        if errors:
            status = 400
            context["errors"] = errors
            context["field_errors"] = field_errors(errors)
        context.update(_search_context(catalogue, found, request.app.state.cards))
        context["counts"] = found.counts
        context["summary"] = search_summary(found, catalogue)
        # Show the choices as understood ("Stede Broec" → the option stede-broec), and
        # a place read from the search text as the chosen municipality: "Alle
        # gemeenten" (`alle`) then leaves it out.
        form = context["form"]
        for kind in SINGLE_CHOICE_FILTERS:
            form[kind] = getattr(filters, kind) or ""
        understood = found.result.understood
        if not filters.gemeente and understood.gemeente:
            form["gemeente"] = understood.gemeente
            context["place_from_text"] = True
        context["place_from_text"] |= filters.ignore_place
        form["expertise"] = list(filters.expertise)
        if filters.q:
            context["title"] = f"Zoeken naar “{filters.q}”"
    form = context["form"]
    context["active_filters"] = sum(bool(form.get(k)) for k in ACTIVE_FIELDS) + len(
        form["expertise"]
    )
    context["options"] = views.option_views(catalogue.pack, form, context["counts"])
    headers = dict(VARY)
    if not fragment:
        return render(request, "catalogue.html", context, status_code=status, headers=headers)
    if context["filters"] is not None:
        # Push the canonical address (no empty fields) instead of the raw form URL, and
        # nothing when it is the address already shown (a repeated request would add a
        # second, identical step to the back button).
        canonical = _catalogue_url(context["filters"])
        current = urlsplit(request.headers.get("hx-current-url", ""))
        shown = current.path + (f"?{current.query}" if current.query else "")
        headers["HX-Push-Url"] = "false" if shown == canonical else canonical
    return render(request, "_results.html", context, status_code=status, headers=headers)


@get(CATALOGUE_PATH + "/{slug:str}", name="provider", sync_to_thread=True, include_in_schema=False)
def provider_page(
    request: Request[Any, Any, Any], slug: FromPath[str], catalogue: NamedDependency[Catalogue]
) -> Template:
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
            "waiting_chart": history_views.waiting_chart(record, pack, outcome.history.waiting),
            "kpi_history": history_views.kpi_history(record, pack, outcome.history.kpis),
            "languages": [pack.label("taal", c) for c in record.languages],
            "expertise": [pack.label("expertise", c) for c in record.expertise],
            "laws": [pack.label("wet", c) for c in record.laws],
            "segments": [(c, pack.label("segment", c)) for c in record.segments],
            "referral": referral_for(record, pack),
            "structured_data": provider_jsonld(
                record, pack, str(request.url.with_replacements(query=""))
            ),
        },
    )


@get("/toegankelijkheid", name="accessibility", sync_to_thread=False, include_in_schema=False)
def accessibility_page() -> Template:
    return Template(
        "accessibility.html", context={"title": "Toegankelijkheid", "current": "accessibility"}
    )


PAGE_HANDLERS = [home, catalogue_page, provider_page, accessibility_page]
