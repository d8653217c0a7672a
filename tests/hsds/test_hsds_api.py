"""The HSDS 3.0 API (docs/hsds.md): every endpoint's answers, paged and `full`, validate
against the compiled HSDS 3.0 schemas (tests/fixtures/hsds) and services also against
the Etalage profile; ids are stable; the filters, paging, ETag and CORS work."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from litestar.testing import TestClient
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import Engine

from etalage.catalogue.demo import load_demo
from etalage.db.migrate import upgrade
from etalage.db.session import engine_for, make_engine
from etalage.region import RegionPack
from etalage.settings import settings_from_env
from etalage.web.app import create_app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "hsds"
PROFILE = Path(__file__).resolve().parents[2] / "etalage" / "hsds" / "profile" / "service.json"
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


@cache
def _registry() -> Registry:
    resources = []
    for path in FIXTURES.glob("*.json.gz"):
        schema = json.loads(gzip.decompress(path.read_bytes()))
        name = path.name.removesuffix(".gz").replace("compiled_", "compiled/")
        resource = Resource(contents=schema, specification=DRAFT202012)
        resources += [(name, resource), (BASE + name, resource)]
    return Registry().with_resources(resources)


def validator(name: str) -> Draft202012Validator:
    schema = _registry().contents(name)
    return Draft202012Validator(schema, registry=_registry())


def profile_validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(PROFILE.read_text(encoding="utf-8")))


def assert_valid(document: Any, name: str) -> None:
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, f"{name}: " + "; ".join(
        f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]
    )


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, pack: RegionPack
) -> Iterator[tuple[Any, Engine]]:
    folder = tmp_path_factory.mktemp("hsds")
    engine = make_engine(f"sqlite:///{folder / 'etalage.db'}")
    upgrade(engine)
    load_demo(engine, pack)
    base = settings_from_env(
        {"ETALAGE_VAR_DIR": str(folder), "ETALAGE_ALLOWED_HOSTS": "testserver.local"}
    )
    from etalage.web import hsds_api
    from etalage.web.ratelimit import RateLimit

    kept = hsds_api.HARVEST
    hsds_api.HARVEST = RateLimit(limit=1_000_000)  # these tests ask more than a harvester may
    try:
        with TestClient(create_app(replace(base, database_url=str(engine.url)))) as client:
            yield client, engine
    finally:
        hsds_api.HARVEST = kept
    engine_for(str(engine.url)).dispose()


def _all(client: Any, path: str, **params: Any) -> list[dict[str, Any]]:
    items, page = [], 1
    while True:
        body = client.get(path, params={**params, "page": page, "per_page": 100}).json()
        items += body["contents"]
        if body["last_page"]:
            return items
        page += 1


PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.mark.parametrize(
    ("path", "list_schema", "full_schema"),
    [
        ("/hsds/services", "compiled/service_list.json", "compiled/service.json"),
        ("/hsds/organizations", "compiled/organization_list.json", "compiled/organization.json"),
        (
            "/hsds/service_at_locations",
            "compiled/service_at_location_list.json",
            "compiled/service_at_location.json",
        ),
        ("/hsds/taxonomies", "taxonomy.json", "taxonomy.json"),
        ("/hsds/taxonomy_terms", "taxonomy_term.json", "taxonomy_term.json"),
    ],
)
def test_every_answer_validates_against_the_compiled_schemas(
    site: tuple[Any, Engine], path: str, list_schema: str, full_schema: str
) -> None:
    client, _ = site
    first = client.get(path, params={"per_page": 3})
    assert first.status_code == 200 and set(first.json()) == PAGE_KEYS
    paged = _all(client, path)
    assert paged and len(paged) == first.json()["total_items"]
    for item in paged:
        assert_valid(item, list_schema)
    full = _all(client, path, full="true")
    for item in full:
        assert_valid(item, full_schema)
    for item in full[:40]:  # one by one
        one = client.get(f"{path}/{item['id']}")
        assert one.status_code == 200
        assert_valid(one.json(), full_schema)
    if path == "/hsds/services":
        profile = profile_validator()
        for item in [*paged, *full]:
            assert not list(profile.iter_errors(item)), item["id"]


def test_every_contracted_kind_of_help_is_a_service_with_stable_ids(
    site: tuple[Any, Engine], pack: RegionPack, tmp_path: Path
) -> None:
    client, engine = site
    services = _all(client, "/hsds/services", full="true")
    from etalage.catalogue.reader import read_records
    from etalage.db.session import session_factory

    with session_factory(engine)() as session:
        records = read_records(session, history=False)
    expected = sum(("A" in r.segments) + len({p for p, _ in r.arrangements}) for r in records)
    assert len(services) == expected and len({s["id"] for s in services}) == expected
    # a second app on another copy of the same data gives the same ids
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade(other)
    load_demo(other, pack)
    base = settings_from_env(
        {"ETALAGE_VAR_DIR": str(tmp_path), "ETALAGE_ALLOWED_HOSTS": "testserver.local"}
    )
    with TestClient(create_app(replace(base, database_url=str(other.url)))) as second:
        again = {s["id"] for s in _all(second, "/hsds/services")}
    assert again == {s["id"] for s in services}
    one = next(s for s in services if s["etalage_wachttijd"])
    assert one["assured_date"] == one["etalage_wachttijd"]["bevestigd_op"]
    assert {a["link_type"] for a in one["attributes"]} >= {"wet", "segment"}


def test_the_filters(site: tuple[Any, Engine]) -> None:
    client, _ = site
    terms = _all(client, "/hsds/taxonomy_terms")
    j4 = next(t for t in terms if t["code"] == "J4")
    with_j4 = _all(client, "/hsds/services", taxonomy_term_id=j4["id"])
    assert with_j4 and all(s["name"].split(": ", 1)[1].startswith("J4") for s in with_j4)
    profiles = next(
        t
        for t in client.get("/hsds/taxonomies").json()["contents"]
        if t["name"].endswith("profiel")
    )
    assert len(_all(client, "/hsds/services", taxonomy_id=profiles["id"])) < len(
        _all(client, "/hsds/services")
    )
    org = client.get("/hsds/organizations", params={"per_page": 1}).json()["contents"][0]
    mine = _all(client, "/hsds/services", organization_id=org["id"])
    assert mine and {s["organization_id"] for s in mine} == {org["id"]}
    assert _all(client, "/hsds/services", modified_after="2999-01-01T00:00:00Z") == []
    near = client.get(
        "/hsds/service_at_locations", params={"postcode": "1621 AB", "proximity": "3000"}
    ).json()
    wide = client.get("/hsds/service_at_locations", params={"postcode": "1621 AB"}).json()
    assert (
        0
        < near["total_items"]
        < wide["total_items"]
        <= client.get("/hsds/service_at_locations").json()["total_items"]
    )
    found = client.get("/hsds/services", params={"search": "autisme"}).json()
    assert found["total_items"] > 0
    minimal = client.get("/hsds/services", params={"minimal": "true", "per_page": 2}).json()[
        "contents"
    ]
    assert set(minimal[0]) == {"id", "modified_date"}


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/hsds/services", {"per_page": "0"}, "per_page"),
        ("/hsds/services", {"per_page": "501"}, "per_page"),
        ("/hsds/services", {"page": "x"}, "page"),
        ("/hsds/services", {"full": "misschien"}, "full"),
        ("/hsds/services", {"onbekend": "1"}, "onbekend"),
        ("/hsds/services", {"modified_after": "gisteren"}, "modified_after"),
        ("/hsds/services", {"format": "ndjson"}, "format"),
        ("/hsds/service_at_locations", {"postcode": "9999 ZZ"}, "postcode"),
        ("/hsds/service_at_locations", {"proximity": "100"}, "proximity"),
        ("/hsds/service_at_locations", {"postcode": "1621", "proximity": "ver"}, "proximity"),
    ],
)
def test_bad_parameters_are_dutch_400s(
    site: tuple[Any, Engine], path: str, params: dict[str, str], parameter: str
) -> None:
    client, _ = site
    r = client.get(path, params=params)
    assert r.status_code == 400 and r.json()["parameter"] == parameter and r.json()["detail"]


def test_conventions_etag_cors_and_404(site: tuple[Any, Engine]) -> None:
    client, _ = site
    r = client.get("/hsds/services", params={"per_page": 5})
    assert r.headers["access-control-allow-origin"] == "*" and r.headers["etag"]
    assert "last-modified" in r.headers
    again = client.get(
        "/hsds/services", params={"per_page": 5}, headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
    root = client.get("/hsds/").json()
    assert root["version"] == "3.0" and root["profile"].endswith("/hsds/profile/")
    assert (
        client.get("/hsds/profile/")
        .json()["schemas"]["service"]
        .endswith("/hsds/profile/service.json")
    )
    assert client.get("/hsds/profile/service.json").json()["properties"]["etalage_wachttijd"]
    for path in (
        "/hsds/services/x",
        "/hsds/organizations/x",
        "/hsds/taxonomies/x",
        "/hsds/taxonomy_terms/x",
        "/hsds/service_at_locations/x",
    ):
        assert client.get(path).status_code == 404
    empty = client.get("/hsds/services", params={"page": 999}).json()
    assert empty["contents"] == [] and empty["size"] == 0 and empty["last_page"] is True


def test_a_harvester_gets_a_budget_then_a_dutch_429() -> None:
    from etalage.web.ratelimit import RateLimit

    now = [0.0]
    limit = RateLimit(limit=3, window_s=60, clock=lambda: now[0])
    assert [limit.wait_s("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limit.wait_s("a") == 60.0 and limit.wait_s("b") == 0.0
    now[0] = 61.0
    assert limit.wait_s("a") == 0.0


def test_the_api_answers_429_over_the_budget(
    site: tuple[Any, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    from etalage.web import hsds_api
    from etalage.web.ratelimit import RateLimit

    client, _ = site
    monkeypatch.setattr(hsds_api, "HARVEST", RateLimit(limit=2, window_s=60))
    assert client.get("/hsds/taxonomies").status_code == 200
    assert client.get("/hsds/taxonomies").status_code == 200
    r = client.get("/hsds/taxonomies")
    assert (
        r.status_code == 429
        and int(r.headers["retry-after"]) >= 1
        and "Te veel vragen" in r.json()["detail"]
    )
