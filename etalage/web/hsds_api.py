"""The HSDS 3.0 API under `/hsds/` (docs/hsds.md): the reference's endpoints, paging and
filters, answers that validate against the compiled HSDS 3.0 schemas and the Etalage
profile. Open: GET only, no key, `Access-Control-Allow-Origin: *`; every answer has an
`ETag` and `Last-Modified`, and `If-None-Match` gives 304."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from etalage.hsds.mapping import HSDS_VERSION, Mapper, clean, kinds, taxonomies, taxonomy_terms
from etalage.provider import Places
from etalage.web.errors import DutchError
from etalage.web.ratelimit import RateLimit
from etalage.web.services import Catalogue
from search_index.filters import distance_m

PER_PAGE = 50
MAX_PER_PAGE = 500
LIST_PARAMS = {"page", "per_page", "search", "full", "format"}
SERVICE_PARAMS = LIST_PARAMS | {
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
    "minimal",
}
SAL_PARAMS = SERVICE_PARAMS | {"postcode", "proximity"}
TERM_PARAMS = LIST_PARAMS | {"taxonomy_id", "top_only", "parent_id"}


def _profile_dir() -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "hsds" / "profile"


def _bad(parameter: str, detail: str) -> DutchError:
    return DutchError(400, detail, parameter)


HARVEST = RateLimit()


def _params(request: Request[Any, Any, Any], allowed: set[str]) -> dict[str, str]:
    client = request.client.host if request.client else "onbekend"
    wait = HARVEST.wait_s(client)
    if wait:
        raise DutchError(
            429,
            f"Te veel vragen: hoogstens {HARVEST.limit} per minuut. Probeer het over "
            f"{int(wait)} seconden opnieuw.",
            headers={"Retry-After": str(int(wait))},
        )
    out = {}
    for key in request.query_params:
        if key not in allowed:
            raise _bad(key, f"Onbekende parameter '{key[:40]}'. Wel: {', '.join(sorted(allowed))}.")
        values = request.query_params.getall(key)
        if len(values) > 1:
            raise _bad(key, f"De parameter '{key}' staat er meer dan één keer in.")
        if len(values[0]) > 200:
            raise _bad(key, f"De parameter '{key}' is te lang (hoogstens 200 tekens).")
        out[key] = values[0]
    if out.get("format", "json") != "json":
        raise _bad("format", "Alleen format=json wordt ondersteund.")
    return out


def _int(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise _bad(name, f"{name} moet een geheel getal van {low} tot en met {high} zijn.")
    return int(raw)


def _bool(params: dict[str, str], name: str) -> bool:
    raw = params.get(name, "").lower()
    if raw in ("", "false", "0", "nee"):
        return False
    if raw in ("true", "1", "ja"):
        return True
    raise _bad(name, f"{name} moet true of false zijn.")


def _answer(request: Request[Any, Any, Any], body: Any, modified: datetime | None) -> Response[Any]:
    raw = json.dumps(
        clean(body), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()
    etag = '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": "public, max-age=60",
        "Vary": "Accept-Encoding",
    }
    if modified is not None:
        headers["Last-Modified"] = format_datetime(modified.astimezone(UTC), usegmt=True)
    asked = request.headers.get("if-none-match", "")
    if etag in {t.strip() for t in asked.split(",")} or asked.strip() == "*":
        return Response(b"", status_code=304, headers=headers)
    return Response(raw, media_type="application/json", headers=headers)


def _page(items: Sequence[Any], params: dict[str, str]) -> dict[str, Any]:
    per_page = _int(params, "per_page", PER_PAGE, 1, MAX_PER_PAGE)
    total = len(items)
    pages = max(1, -(-total // per_page))
    page = _int(params, "page", 1, 1, 1_000_000)
    contents = list(items[(page - 1) * per_page : page * per_page])
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


class _Data:
    def __init__(self, catalogue: Catalogue) -> None:
        self.records = catalogue.all_records()
        self.modified = catalogue.modified_times()
        self.mapper = Mapper(catalogue.pack, catalogue.today())
        self.pack = catalogue.pack
        self.last = max(self.modified.values(), default=None)

    def services(self, full: bool = True) -> list[tuple[Any, Any, dict[str, Any]]]:
        return [
            (r, k, self.mapper.service(r, k, self.modified.get(r.kvk), full=full))
            for r in self.records
            for k in kinds(r)
        ]


def _match_text(text: str, *values: Any) -> bool:
    needle = text.casefold().strip()
    return not needle or any(needle in str(v or "").casefold() for v in values)


def _modified_after(params: dict[str, str]) -> datetime | None:
    raw = params.get("modified_after")
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise _bad(
            "modified_after",
            "modified_after moet een datum en tijd zijn, zoals 2026-12-01T00:00:00Z.",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _filtered_services(
    data: _Data, params: dict[str, str]
) -> list[tuple[Any, Any, dict[str, Any]]]:
    after = _modified_after(params)
    term = params.get("taxonomy_term_id")
    taxonomy = params.get("taxonomy_id")
    org = params.get("organization_id")
    out = []
    for record, kind, service in data.services(full=True):
        if org and service["organization_id"] != org:
            continue
        if not _match_text(params.get("search", ""), service["name"], service["description"]):
            continue
        attrs = service["attributes"]
        if term and not any(a["taxonomy_term_id"] == term for a in attrs):
            continue
        if taxonomy and not any(a["taxonomy_term"]["taxonomy_id"] == taxonomy for a in attrs):
            continue
        if after and (m := data.modified.get(record.kvk)) is not None and m < after:
            continue
        out.append((record, kind, service))
    return out


def _short(service: dict[str, Any], mapper: Mapper, record: Any, kind: Any) -> dict[str, Any]:
    return mapper.service(
        record,
        kind,
        service["last_modified"] and datetime.fromisoformat(service["last_modified"]),
        full=False,
    )


@get("/hsds", name="hsds-root", include_in_schema=False, sync_to_thread=True)
def hsds_root(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    _params(request, set())
    base = str(request.base_url).rstrip("/")
    return _answer(
        request,
        {
            "version": HSDS_VERSION,
            "profile": f"{base}/hsds/profile/",
            "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
        },
        None,
    )


@get("/hsds/profile", name="hsds-profile", include_in_schema=False)
async def hsds_profile(request: Request[Any, Any, Any]) -> Response[Any]:
    base = str(request.base_url).rstrip("/")
    return _answer(
        request,
        {
            "name": "etalage",
            "title": "Etalage-profiel van HSDS 3.0",
            "description": (
                "Voegt aan een service de actuele wachttijd (etalage_wachttijd), de capaciteit "
                "(etalage_capaciteit) en de resultaten van de zorg (etalage_resultaten) toe. "
                "Alle andere velden zijn HSDS 3.0."
            ),
            "base": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/",
            "schemas": {"service": f"{base}/hsds/profile/service.json"},
        },
        None,
    )


@get("/hsds/profile/service.json", name="hsds-profile-service", include_in_schema=False)
async def hsds_profile_service(request: Request[Any, Any, Any]) -> Response[Any]:
    schema = json.loads((_profile_dir() / "service.json").read_text(encoding="utf-8"))
    return _answer(request, schema, None)


@get("/hsds/services", name="hsds-services", include_in_schema=False, sync_to_thread=True)
def hsds_services(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    params = _params(request, SERVICE_PARAMS)
    full = _bool(params, "full")
    data = _Data(catalogue)
    found = _filtered_services(data, params)
    if _bool(params, "minimal"):
        items: list[Any] = [
            {"id": s["id"], "modified_date": s["last_modified"]} for _, _, s in found
        ]
    else:
        items = [s if full else _short(s, data.mapper, r, k) for r, k, s in found]
    return _answer(request, _page(items, params), data.last)


@get("/hsds/services/{id:str}", name="hsds-service", include_in_schema=False, sync_to_thread=True)
def hsds_service(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], id: FromPath[str]
) -> Response[Any]:
    _params(request, set())
    data = _Data(catalogue)
    for record, _kind, service in data.services(full=True):
        if service["id"] == id:
            return _answer(request, service, data.modified.get(record.kvk))
    raise DutchError(404, f"Er is geen service met id {id[:60]}.")


def _organizations(data: _Data, full: bool) -> list[tuple[Any, dict[str, Any]]]:
    return [
        (r, data.mapper.organization(r, data.modified.get(r.kvk), full=full)) for r in data.records
    ]


@get("/hsds/organizations", name="hsds-organizations", include_in_schema=False, sync_to_thread=True)
def hsds_organizations(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    params = _params(request, SERVICE_PARAMS - {"minimal"})
    full = _bool(params, "full")
    data = _Data(catalogue)
    keep = None
    if any(params.get(k) for k in ("taxonomy_term_id", "taxonomy_id", "modified_after")):
        keep = {
            s["organization_id"] for _, _, s in _filtered_services(data, {**params, "search": ""})
        }
    items = [
        org
        for r, org in _organizations(data, full)
        if (keep is None or org["id"] in keep)
        and (not params.get("organization_id") or org["id"] == params["organization_id"])
        and _match_text(params.get("search", ""), org["name"], org["description"])
    ]
    return _answer(request, _page(items, params), data.last)


@get(
    "/hsds/organizations/{id:str}",
    name="hsds-organization",
    include_in_schema=False,
    sync_to_thread=True,
)
def hsds_organization(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], id: FromPath[str]
) -> Response[Any]:
    _params(request, set())
    data = _Data(catalogue)
    for record, org in _organizations(data, True):
        if org["id"] == id:
            return _answer(request, org, data.modified.get(record.kvk))
    raise DutchError(404, f"Er is geen organization met id {id[:60]}.")


def _near(params: dict[str, str], catalogue: Catalogue) -> Callable[[Any], bool]:
    """The postcode and proximity filters of service_at_locations."""
    code = params.get("postcode", "").replace(" ", "").upper()
    if not code:
        if params.get("proximity"):
            raise _bad("proximity", "proximity werkt alleen samen met postcode.")
        return lambda record: True
    pack = catalogue.pack
    pc4 = code[:4]
    found = next(((m, a) for m in pack.municipalities for a in m.postcodes if a.pc4 == pc4), None)
    if found is None or not pc4.isdigit():
        raise _bad("postcode", f"De postcode {code[:10]} ligt niet in de regio {pack.name}.")
    municipality, area = found
    metres = None
    if params.get("proximity"):
        raw = params["proximity"]
        if not raw.isdigit() or not 1 <= int(raw) <= 200_000:
            raise _bad("proximity", "proximity is een afstand in meters, 1 tot en met 200000.")
        metres = int(raw)
    places = Places.of(pack)
    codes = [m.code for m in pack.municipalities]

    def keep(record: Any) -> bool:
        if municipality.code not in record.served_municipalities(codes):
            return False
        if metres is None:
            return True
        point = places.point(record.main_location)
        if point is None:
            return False
        return distance_m(area.lat, area.lon, point[0], point[1]) <= metres

    return keep


@get(
    "/hsds/service_at_locations",
    name="hsds-service-at-locations",
    include_in_schema=False,
    sync_to_thread=True,
)
def hsds_service_at_locations(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    params = _params(request, SAL_PARAMS - {"minimal"})
    full = _bool(params, "full")
    data = _Data(catalogue)
    keep = _near(params, catalogue)
    items = []
    for record, kind, _service in _filtered_services(data, params):
        location = data.mapper.location(record)
        if location is None or not keep(record):
            continue
        items.append(data.mapper.service_at_location(record, kind, location, full=full))
    return _answer(request, _page(items, params), data.last)


@get(
    "/hsds/service_at_locations/{id:str}",
    name="hsds-service-at-location",
    include_in_schema=False,
    sync_to_thread=True,
)
def hsds_service_at_location(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], id: FromPath[str]
) -> Response[Any]:
    _params(request, set())
    data = _Data(catalogue)
    for record, kind, _service in data.services(full=False):
        location = data.mapper.location(record)
        if location is None:
            continue
        sal = data.mapper.service_at_location(record, kind, location, full=True)
        if sal["id"] == id:
            sal["service"] = data.mapper.service(
                record, kind, data.modified.get(record.kvk), full=False
            )
            return _answer(request, sal, data.modified.get(record.kvk))
    raise DutchError(404, f"Er is geen service_at_location met id {id[:60]}.")


@get("/hsds/taxonomies", name="hsds-taxonomies", include_in_schema=False, sync_to_thread=True)
def hsds_taxonomies(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    params = _params(request, LIST_PARAMS)
    items = [
        t
        for t in taxonomies(catalogue.pack)
        if _match_text(params.get("search", ""), t["name"], t["description"])
    ]
    return _answer(request, _page(items, params), None)


@get(
    "/hsds/taxonomies/{id:str}", name="hsds-taxonomy", include_in_schema=False, sync_to_thread=True
)
def hsds_taxonomy(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], id: FromPath[str]
) -> Response[Any]:
    _params(request, set())
    for t in taxonomies(catalogue.pack):
        if t["id"] == id:
            return _answer(request, t, None)
    raise DutchError(404, f"Er is geen taxonomy met id {id[:60]}.")


@get(
    "/hsds/taxonomy_terms", name="hsds-taxonomy-terms", include_in_schema=False, sync_to_thread=True
)
def hsds_taxonomy_terms(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    params = _params(request, TERM_PARAMS)
    _bool(params, "top_only")  # every term is a top term: the region's taxonomies are flat
    items = [
        t
        for t in taxonomy_terms(catalogue.pack)
        if (not params.get("taxonomy_id") or t["taxonomy_id"] == params["taxonomy_id"])
        and (not params.get("parent_id") or t["parent_id"] == params["parent_id"])
        and _match_text(params.get("search", ""), t["name"], t["code"], t["description"])
    ]
    return _answer(request, _page(items, params), None)


@get(
    "/hsds/taxonomy_terms/{id:str}",
    name="hsds-taxonomy-term",
    include_in_schema=False,
    sync_to_thread=True,
)
def hsds_taxonomy_term(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], id: FromPath[str]
) -> Response[Any]:
    _params(request, set())
    for t in taxonomy_terms(catalogue.pack):
        if t["id"] == id:
            return _answer(request, t, None)
    raise DutchError(404, f"Er is geen taxonomy_term met id {id[:60]}.")


HSDS_HANDLERS = [
    hsds_root,
    hsds_profile,
    hsds_profile_service,
    hsds_services,
    hsds_service,
    hsds_organizations,
    hsds_organization,
    hsds_service_at_locations,
    hsds_service_at_location,
    hsds_taxonomies,
    hsds_taxonomy,
    hsds_taxonomy_terms,
    hsds_taxonomy_term,
]
