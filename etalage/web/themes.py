"""Help by theme, for citizens: `GET /hulp/{code}` for a theme of the region pack
(docs/region-pack.md#themes). It shows what is freely accessible first (segment A: no
referral, no decision of the municipality), the wijkteams to call, the providers with a
referral per kind of help (links into the catalogue, with counts), and the hulpwijzer.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from etalage.catalogue import views
from etalage.region.model import RegionPack, Theme
from etalage.web.errors import DutchNotFound
from etalage.web.params import filters_to_query
from etalage.web.services import Catalogue
from etalage.web.templating import query_url, render
from search_index.protocol import Hit, SearchRequest

THEME_PATH = "/hulp"
FIRST_SHOWN = 6


def free_segments(pack: RegionPack) -> list[str]:
    return [s.code for s in pack.segments if not s.needs_arrangement]


def _requests(theme: Theme, **filters: Any) -> list[tuple[str, SearchRequest]]:
    """(what it is, the search) for each way the theme finds providers."""
    if theme.expertise:
        return [(tag, SearchRequest(expertise=(tag,), **filters)) for tag in theme.expertise]
    return [("", SearchRequest(q=theme.q, **filters))]


@get(THEME_PATH + "/{code:str}", name="theme", sync_to_thread=True, include_in_schema=False)
def theme_page(
    request: Request[Any, Any, Any], code: FromPath[str], catalogue: NamedDependency[Catalogue]
) -> Response[str]:
    pack = catalogue.pack
    theme = next((t for t in pack.themes if t.code == code), None)
    if theme is None:
        raise DutchNotFound(
            detail="Dit onderwerp kennen we niet. Kies een onderwerp op de startpagina."
        )
    hits: list[Hit] = []
    seen: set[str] = set()
    for segment in free_segments(pack):
        for _, search in _requests(theme, segment=segment, per_page=FIRST_SHOWN):
            for hit in catalogue.results_page(search).result.hits:
                if hit.id not in seen:
                    seen.add(hit.id)
                    hits.append(hit)
    ways = []
    for tag, search in _requests(theme):
        found = catalogue.results_page(SearchRequest(**{**_fields(search), "per_page": 1}))
        ways.append(
            {
                "label": views.pack_label(pack, "expertise", tag) if tag else f"‘{theme.q}’",
                "url": query_url("/aanbieders", filters_to_query(search)),
                "total": found.total,
            }
        )
    context = {
        "title": theme.label,
        "current": "home",
        "theme": theme,
        "free": request.app.state.cards.views(
            hits[:FIRST_SHOWN], catalogue.today(), catalogue.demo_kvks()
        ),
        "filters": SearchRequest(),
        "ways": ways,
        "demo": bool(catalogue.demo_kvks()),
    }
    return render(request, "theme.html", context)


def _fields(search: SearchRequest) -> dict[str, Any]:
    return {
        "q": search.q,
        "expertise": search.expertise,
        "segment": search.segment,
    }


THEME_HANDLERS = [theme_page]
