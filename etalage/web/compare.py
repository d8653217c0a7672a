"""Compare up to four providers side by side, and "mijn lijst" (saved in the browser).

`GET /aanbieders/vergelijk?kvk=…&kvk=…` (one to four KvK numbers, optionally with a
`postcode` for the distance) shows, per provider: the arrangements, the waiting time
with its age and Treeknorm mark, the waiting list (the capacity figure the etalage
has), the outcome indicators with n, languages, distance and how to register. Bad input
gets a Dutch message on the page (400), never a framework error.

`GET /mijn-lijst` is a page whose list lives in the browser only (localStorage, see
static/js/etalage.js): the server never sees which providers someone saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Template

from etalage.catalogue import views
from etalage.catalogue.referral import Referral, referral_for
from etalage.provider import ProviderRecord
from etalage.web.pages import query_lists
from etalage.web.params import ParamError, parse_kvk, parse_postcode
from etalage.web.services import Catalogue
from etalage.web.templating import render
from search_index.filters import distance_m

COMPARE_PATH = "/aanbieders/vergelijk"
MAX_COMPARE = 4


@dataclass(frozen=True)
class Compared:
    p: views.ProviderView
    referral: Referral
    languages: list[str]
    registration: str
    distance: str | None


def _distance(record: ProviderRecord, origin: tuple[float, float] | None) -> str | None:
    main = record.main_location
    if origin is None or main is None or main.lat is None or main.lon is None:
        return None
    km = distance_m(origin[0], origin[1], main.lat, main.lon) / 1000
    return f"{views.number_nl(km, 1)} km"


def _parse(raw: dict[str, list[str]], catalogue: Catalogue) -> tuple[list[str], str | None]:
    kvks: list[str] = []
    for value in raw.get("kvk", []):
        kvk = parse_kvk(value)
        if kvk not in kvks:
            kvks.append(kvk)
    if not kvks:
        raise ParamError(
            "kvk",
            "Kies een of meer aanbieders om te vergelijken (parameter 'kvk').",
            "Kies in de lijst met aanbieders ‘Vergelijk’ bij twee tot vier aanbieders.",
        )
    if len(kvks) > MAX_COMPARE:
        raise ParamError(
            "kvk",
            f"U kunt hoogstens {MAX_COMPARE} aanbieders tegelijk vergelijken (parameter 'kvk').",
            f"U kunt hoogstens {MAX_COMPARE} aanbieders tegelijk vergelijken. "
            "Haal er een of meer weg.",
        )
    postcode_values = [v.strip() for v in raw.get("postcode", []) if v.strip()]
    postcode = (
        parse_postcode("postcode", postcode_values[0], catalogue.pack) if postcode_values else None
    )
    return kvks, postcode


@get(COMPARE_PATH, name="compare", sync_to_thread=True, include_in_schema=False)
def compare_page(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[str]:
    pack = catalogue.pack
    context: dict[str, Any] = {
        "title": "Aanbieders vergelijken",
        "current": "catalogue",
        "error": None,
        "compared": [],
        "missing": 0,
        "postcode": None,
        "demo": False,
    }
    status = 200
    try:
        kvks, postcode = _parse(query_lists(request), catalogue)
    except ParamError as exc:
        context["error"] = exc
        return render(request, "compare.html", context, status_code=400)
    records = catalogue.providers(kvks)
    origin = pack.postcode_centroid(postcode[:4]) if postcode else None
    today = catalogue.today()
    context["compared"] = [
        Compared(
            p=views.provider_view(record, pack, today),
            referral=referral_for(record, pack),
            languages=[pack.label("taal", c) for c in record.languages],
            registration=views.join_nl(
                pack.label("aanmelding", c) for c in record.registration_routes
            ),
            distance=_distance(record, origin),
        )
        for record in records
    ]
    context["missing"] = len(kvks) - len(records)
    context["postcode"] = postcode
    context["demo"] = any(r.is_demo for r in records)
    if not records:
        status = 404
    return render(request, "compare.html", context, status_code=status)


@get("/mijn-lijst", name="my_list", sync_to_thread=False, include_in_schema=False)
def my_list_page() -> Template:
    return Template("my_list.html", context={"title": "Mijn lijst", "current": "catalogue"})


COMPARE_HANDLERS = [compare_page, my_list_page]
