"""Golden answers: the search documents of the demo data, the provider API for a few
providers and searches, and the advice API for every vignette, on a fixed day.

They were recorded before the provider shapes were merged into one record (issue 8), so
a refactor that changes any answer fails here. To record them again on purpose:

    ETALAGE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/golden -p no:xdist

and read the diff of `tests/golden/*.json` before committing it.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml
from accounts_support import professional_headers
from litestar import Litestar
from litestar.testing import TestClient

from etalage.catalogue.demo import load_demo
from etalage.db.migrate import upgrade
from etalage.db.session import engine_for, make_engine
from etalage.region import RegionPack
from etalage.settings import settings_from_env

HERE = Path(__file__).parent
GOLDEN_DAY = date(2026, 12, 1)
UPDATE = os.environ.get("ETALAGE_UPDATE_GOLDEN") == "1"
VIGNETTES = yaml.safe_load(
    (HERE.parent / "assistant" / "vignettes.yaml").read_text(encoding="utf-8")
)["cases"]
# Three demo providers of different kinds (found by name at record time, kept by kvk).
DETAIL_KVKS = ("00990001", "00990042", "00990117")
SEARCHES = (
    "",
    "q=autisme",
    "q=autsime&gemeente=hoorn",
    "wet=wmo&segment=B&profiel=W2&sort=wachttijd",
    "expertise=trauma&leeftijd=15&sort=kwaliteit",
    "postcode=1621AB&afstand_km=10&sort=afstand",
    "q=dagbesteding&per_page=5&page=2",
    "taal=ar&sort=naam",
    "max_wachttijd_weken=6&segment=A",
)


def check(name: str, actual: Any) -> None:
    path = HERE / f"{name}.json"
    # One line per answer: small enough to keep, and a diff names the answer that changed.
    lines = [
        json.dumps({key: actual[key]}, ensure_ascii=False, sort_keys=True)[1:-1]
        for key in sorted(actual)
    ]
    text = "{\n" + ",\n".join(lines) + "\n}\n"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected, f"{name}: differs from {path.name}"


@pytest.fixture(scope="module")
def travel() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)):
        yield


@pytest.fixture(scope="module")
def demo_url(travel: None, tmp_path_factory: pytest.TempPathFactory, pack: RegionPack) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('golden') / 'etalage.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_demo(engine, pack, today=GOLDEN_DAY)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def client(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from dataclasses import replace

    from etalage.web.app import create_app

    settings = replace(
        settings_from_env(
            {
                "ETALAGE_VAR_DIR": str(tmp_path_factory.mktemp("var")),
                "ETALAGE_ALLOWED_HOSTS": "testserver.local",
            }
        ),
        database_url=demo_url,
    )
    with TestClient[Litestar](app=create_app(settings)) as test_client:
        yield test_client
    engine_for(demo_url).dispose()


def test_search_documents_of_the_demo_data(demo_url: str, pack: RegionPack) -> None:
    from etalage.indexing.reader import read_documents

    engine = make_engine(demo_url)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        docs = read_documents(session, pack, today=GOLDEN_DAY)
    engine.dispose()
    assert len(docs) == 125
    check("search_documents", {d["kvk"]: d for d in docs})


def test_provider_api(client: Any) -> None:
    answers: dict[str, Any] = {}
    for kvk in DETAIL_KVKS:
        response = client.get(f"/api/v1/providers/{kvk}")
        assert response.status_code == 200
        answers[f"detail {kvk}"] = response.json()
    for query in SEARCHES:
        response = client.get(f"/api/v1/providers?{query}")
        assert response.status_code == 200, response.text
        answers[f"search {query}"] = response.json()
    check("provider_api", answers)


def test_advice_api_for_every_vignette(client: Any) -> None:
    pro = professional_headers(client)  # the professional view needs a toegang token
    answers: dict[str, Any] = {}
    for case in VIGNETTES:
        for mode in ("inwoner", "professional"):
            body = {"text": case["text"], "answers": case.get("answers") or {}, "mode": mode}
            headers = pro if mode == "professional" else {}
            response = client.post("/api/v1/assistant/advice", json=body, headers=headers)
            assert response.status_code == 200, (case["id"], response.text)
            answers[f"{case['id']} {mode}"] = response.json()
    check("advice_api", answers)


# ---------------------------------------------------------------------------- typed edges


def _validator(openapi: dict[str, Any], path: str, method: str) -> Any:
    """A validator for the 200 answer of one operation, from the served OpenAPI document,
    made strict: an object may hold no key its schema does not name."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    document = copy.deepcopy(openapi)
    for schema in document["components"]["schemas"].values():
        for node in _objects(schema):
            node.setdefault("additionalProperties", False)
    registry = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    escaped = path.replace("~", "~0").replace("/", "~1")
    pointer = f"/paths/{escaped}/{method}/responses/200/content/application~1json/schema"
    return Draft202012Validator({"$ref": f"urn:openapi#{pointer}"}, registry=registry)


def _objects(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        if "properties" in schema:
            yield schema
        for value in schema.values():
            yield from _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _objects(value)


@pytest.mark.parametrize(
    ("name", "path", "method", "prefix"),
    [
        ("provider_api", "/api/v1/providers/{kvk}", "get", "detail "),
        ("provider_api", "/api/v1/providers", "get", "search "),
        ("advice_api", "/api/v1/assistant/advice", "post", ""),
    ],
)
def test_every_recorded_answer_fits_the_served_openapi_document(
    client: Any, name: str, path: str, method: str, prefix: str
) -> None:
    """The OpenAPI document is made from the same types the handlers return: every
    golden answer validates against it, with no key it does not describe."""
    validator = _validator(client.get("/api/schema/openapi.json").json(), path, method)
    answers = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    checked = 0
    for key, answer in answers.items():
        if key.startswith(prefix):
            errors = [e.message for e in validator.iter_errors(answer)]
            assert not errors, (key, errors[:3])
            checked += 1
    assert checked >= 3
