"""POST /api/v1/assistant/advice (docs/http-api.md#hulpwijzer-advice) over the real
catalogue (web_catalogue), Dutch 400s that name the field, never a 500, and an index that
follows the data."""

from __future__ import annotations

import json
import random
import re
import time
from typing import Any

import pytest
from accounts_support import engine_of, make_user, professional_headers, token_headers
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from web_catalogue import ALFA, fill_catalogue, make_provider, weeks_ago

from etalage.db.models import Provider

Client = TestClient[Litestar]
URL = "/api/v1/assistant/advice"
SHAPE = {
    "route", "law", "profile", "intensity", "trajectory", "explanation",
    "follow_up_questions", "crisis", "providers", "providers_total", "first_help",
    "next_steps", "mode",
}  # fmt: skip
DOMAINS = "answers.life_domains"
CODE = re.compile(r"\b[JW]\d\b|€")
CONTRACT_EXAMPLE = {
    "text": "Mijn zoon van 12 heeft autisme en loopt vast op school.",
    "answers": {
        "life_domains": {"school_dagbesteding": 2, "ontwikkeling": 3},
        "duration": "temporary",
        "postcode": "1621 AB",
    },
}


def ask(client: Client, body: Any, status: int = 200) -> dict[str, Any]:
    r = client.post(URL, json=body)
    assert r.status_code == status, (body if len(str(body)) < 300 else "…", r.text[:500])
    assert r.headers["content-type"].startswith("application/json")
    data: dict[str, Any] = r.json()
    return data


# ---------------------------------------------------------------------------- the contract


def test_the_contract_example(client: Client) -> None:
    """The example of docs/http-api.md#hulpwijzer-advice, on SQLite and on PostgreSQL."""
    data = ask(client, CONTRACT_EXAMPLE)
    assert set(data) == SHAPE
    assert data["route"] == "B" and data["law"] == "jeugdwet"
    assert data["profile"] == {"code": "J4", "name": "Autisme en ontwikkelingsstoornissen"}
    assert (data["intensity"], data["trajectory"]) == ("midden", "herstel")
    assert data["crisis"] is None and data["explanation"]
    provider = data["providers"][0]
    assert (provider["kvk"], provider["naam"], provider["slug"]) == (
        ALFA,
        "Alfa Jeugdhulp",
        "alfa-jeugdhulp",
    )
    assert "heeft een contract voor deze hulp" in provider["reasons"]
    assert any(r.startswith("wachttijd ongeveer 5 weken") for r in provider["reasons"])
    assert any("km van uw postcode" in r for r in provider["reasons"])
    assert data["providers_total"] == 1  # Delta has J4 zwaar, not midden
    assert all(not CODE.search(line) for line in data["explanation"])  # inwoner: no codes


def test_crisis_holds_the_contacts_whatever_else_is_answered(page_client: Client) -> None:
    data = ask(
        page_client,
        {
            "text": "Mijn zoon van 12 heeft autisme.",
            "answers": {"acute_safety": True, "network_support": True, "age": 12},
        },
    )
    assert data["route"] == "crisis" and data["providers"] == []
    phones = {c["phone"] for c in data["crisis"]["contacts"]}
    assert {"112", "0800-0113", "0800-2000"} <= phones
    assert data["crisis"]["instructions"] and data["follow_up_questions"] == []
    text = ask(page_client, {"text": "ik wil er een eind aan maken"})
    assert text["route"] == "crisis" and text["crisis"]["contacts"][0]["phone"] == "0800-0113"


def test_undecided_fields_are_null_with_a_follow_up_question(page_client: Client) -> None:
    data = ask(page_client, {"text": "Ik zoek hulp."})
    assert data["law"] is None and data["profile"] is None and data["providers"] == []
    keys = [q["key"] for q in data["follow_up_questions"]]
    assert keys[0] == "age" and "postcode" in keys
    only_answers = ask(page_client, {"text": "", "answers": {"age": 80}})
    assert only_answers["law"] == "wmo"
    tie = ask(page_client, {"text": "Mijn puber blowt en is agressief."})
    question = next(q for q in tie["follow_up_questions"] if q["key"] == "profile")
    assert [o["value"] for o in question["options"]][:2] == ["J2", "J7"]


def test_segment_a_and_a_wmo_provider(page_client: Client) -> None:
    data = ask(
        page_client,
        {
            "text": "Ik heb vragen over de opvoeding van mijn dochter.",
            "answers": {"age": 9, "network_support": True, "postcode": "1671"},
        },
    )
    assert data["route"] == "A"
    assert [p["slug"] for p in data["providers"]] == ["charlie-inloop"]
    wmo = ask(
        page_client,
        {"text": "Ik ben somber en eenzaam.", "answers": {"age": 40, "life_domains": {
            "geestelijke_gezondheid": 2, "sociaal_netwerk": 3, "financien": 3}}},
    )  # fmt: skip
    assert wmo["profile"]["code"] == "W3" and wmo["intensity"] == "midden"
    assert [p["slug"] for p in wmo["providers"]] == ["bravo-wmo-begeleiding"]
    reasons = " ".join(wmo["providers"][0]["reasons"])
    assert "mogelijk verouderd" in reasons  # Bravo's waiting time is 10 weeks old


def test_professional_mode_needs_a_toegang_or_beheer_token(page_client: Client) -> None:
    body = {**CONTRACT_EXAMPLE, "mode": "professional"}
    refused = page_client.post(URL, json=body)
    assert refused.status_code == 403 and refused.json()["parameter"] == "mode"
    engine = engine_of(page_client)
    provider_token = token_headers(engine, make_user(engine, "aanbieder", ["12345678"]))
    assert page_client.post(URL, json=body, headers=provider_token).status_code == 403


def test_professional_mode(page_client: Client) -> None:
    r = page_client.post(
        URL,
        json={**CONTRACT_EXAMPLE, "mode": "professional"},
        headers=professional_headers(page_client),
    )
    assert r.status_code == 200, r.text[:300]
    data = r.json()
    assert data["mode"] == "professional"
    pro = data["professional"]
    assert pro["codes"]["arrangement"] == "J4:midden"
    assert pro["tariff"]["is_example"] is True and "voorbeeldbedrag" in pro["tariff"]["label"]
    assert [s["rule"] for s in pro["trace"]] == list(range(1, 11))
    assert pro["summary"].startswith("Samenvatting voor het perspectiefplan")
    assert any(CODE.search(line) for line in data["explanation"])
    assert "professional" not in ask(page_client, CONTRACT_EXAMPLE)


# ---------------------------------------------------------------------------- 400s


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x", "answers": {"life_domains": {"financien": 7}}}, f"{DOMAINS}.financien"),
        ({"text": "x", "answers": {"life_domains": {"sterren": 2}}}, f"{DOMAINS}.sterren"),
        ({"text": "x", "answers": {"age": -1}}, "answers.age"),
        ({"text": "x", "answers": {"age": "twaalf"}}, "answers.age"),
        ({"text": "x" * 100_000}, "text"),
        ({"text": 12}, "text"),
        ({"text": "x", "answers": {"postcode": "Hoorn"}}, "answers.postcode"),
        ({"text": "x", "answers": {"duration": "altijd"}}, "answers.duration"),
        ({"text": "x", "answers": {"acute_safety": "misschien"}}, "answers.acute_safety"),
        ({"text": "x", "answers": {"schoenmaat": 42}}, "answers.schoenmaat"),
        ({"text": "x", "extra": 1}, "extra"),
        ({"text": "x", "answers": [1, 2]}, "answers"),
        ({"text": "x", "mode": "baas"}, "mode"),
        ({"text": "", "answers": {}}, "text"),
        ([], "body"),
        ("tekst", "body"),
        (None, "body"),
        ({"text": "\ud800"}, "body"),
    ],
    ids=lambda v: v if isinstance(v, str) and "." in v else None,
)  # fmt: skip
def test_invalid_input_names_the_field(page_client: Client, body: Any, field: str) -> None:
    raw = json.dumps(body)  # "\ud800" stays an escape, as a client could send it
    r = page_client.post(URL, content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text[:300]
    data = r.json()
    assert data["parameter"] == field
    assert data["detail"] and data["fouten"][0]["parameter"] == field
    assert not re.search(r"\b(?:the|must|invalid|error)\b", data["detail"], re.I)  # Dutch


def test_broken_json_and_odd_bodies(page_client: Client) -> None:
    for raw in (b"{", b"", b"\xff\xfe", b"[" * 5000 + b"]" * 5000, b'{"text": NaN}'[:-1]):
        r = page_client.post(URL, content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 400 and r.json()["parameter"] == "body", raw[:20]
    several = page_client.post(URL, json={"text": "x", "answers": {"age": -1, "duration": "x"}})
    assert {e["parameter"] for e in several.json()["fouten"]} == {"answers.age", "answers.duration"}
    huge = page_client.post(URL, content=b'{"text": "' + b"x" * 300_000 + b'"}')
    assert huge.status_code == 413
    assert huge.json()["detail"].startswith("Er werden te veel gegevens in één keer gestuurd.")
    schema = page_client.get("/api/schema/openapi.json").json()
    assert "413" in schema["paths"][URL]["post"]["responses"]


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    kinds = ["int", "str", "bool", "none", "float", "big"]
    if depth < 3:
        kinds += ["list", "dict"]
    kind = rng.choice(kinds)
    if kind == "int":
        return rng.randint(-10, 200)
    if kind == "big":
        return rng.choice([10**30, -(10**30), 1e308, float("inf")])
    if kind == "float":
        return rng.uniform(-5, 130)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "str":
        alphabet = "ab12 -ëé€\u200b\ud83d\x00\n<>&\"'jaNEE"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
    if kind == "list":
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ["text", "answers", "mode", "age", "life_domains", "financien", "postcode",
            "acute_safety", "duration", "ontwikkeling", "x"]  # fmt: skip
    return {rng.choice(keys): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def test_fuzz_never_500(page_client: Client) -> None:
    rng = random.Random(20261122)
    answer_keys = [
        "age", "acute_safety", "life_domains", "network_support", "duration",
        "residential_care_needed", "previous_care_failed", "postcode", "profile",
    ]  # fmt: skip
    for _ in range(250):
        answers = {rng.choice(answer_keys): _random_value(rng, 1) for _ in range(rng.randint(0, 4))}
        if rng.random() < 0.3:
            answers["life_domains"] = {
                rng.choice(["financien", "ontwikkeling", "x"]): _random_value(rng, 3)
            }
        body: Any = {"text": _random_value(rng, 3), "answers": answers}
        if rng.random() < 0.2:
            body["mode"] = rng.choice(["inwoner", "professional", 1, None])
        if rng.random() < 0.1:
            body = _random_value(rng)
        raw = json.dumps(body, allow_nan=True)
        if rng.random() < 0.05:
            raw = raw[: rng.randint(0, len(raw))]
        r = page_client.post(URL, content=raw, headers={"content-type": "application/json"})
        assert r.status_code in (200, 400, 403), (raw[:200], r.status_code, r.text[:300])
        data = r.json()
        assert ("route" in data) if r.status_code == 200 else data["parameter"]


# ---------------------------------------------------------------------------- OpenAPI


def test_openapi_documents_the_advice(page_client: Client) -> None:
    schema = page_client.get("/api/schema/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert "hulpwijzer" in operation["tags"] and "hulpvraag" in operation["description"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"text", "answers", "mode"}
    answers = body["properties"]["answers"]["properties"]
    assert {"age", "life_domains", "acute_safety", "postcode", "duration"} <= set(answers)
    assert set(operation["responses"]) >= {"200", "400"}
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    if "$ref" in ok:
        ok = schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[-1]]
    assert set(ok["properties"]) >= SHAPE


# ---------------------------------------------------------------------------- freshness


def _providers_for(client: Client, text: str, age: int) -> list[str]:
    body = {"text": text, "answers": {"age": age, "life_domains": {"geestelijke_gezondheid": 2}}}
    return [p["slug"] for p in ask(client, body)["providers"]]


def test_the_index_follows_the_data(app_for: Any, sqlite_engine: Engine) -> None:
    """The assistant matches on the search service's documents: a change reaches its
    advice as it reaches search (within 2 seconds), and nothing else rebuilds it."""
    fill_catalogue(sqlite_engine)
    app = app_for(sqlite_engine)
    live = app.state.hulpwijzer.providers
    story = "Ik ben somber en piekert veel."

    def eventually(expected: list[str]) -> None:
        deadline = time.monotonic() + 2.0
        while (found := _providers_for(c, story, 40)) != expected:
            assert time.monotonic() < deadline, found
            time.sleep(0.05)

    with TestClient(app) as c:
        assert _providers_for(c, story, 40) == ["bravo-wmo-begeleiding"]
        builds = live.builds
        _providers_for(c, story, 40)
        assert live.builds == builds  # nothing changed: no rebuild
        with Session(sqlite_engine) as s:
            make_provider(
                s,
                kvk="10000009",
                name="Echo Begeleiding",
                wet=("wmo",),
                segment=("B",),
                serves_region=True,
                arrangements=(("W3", "midden"),),
                waiting=((weeks_ago(1), 1, 1),),
            )
            s.commit()
        # Bravo first: its expertise fits the story (Echo has none)
        eventually(["bravo-wmo-begeleiding", "echo-begeleiding"])
        with Session(sqlite_engine) as s:
            s.delete(s.scalars(select(Provider).where(Provider.kvk == "10000009")).one())
            s.commit()
        eventually(["bravo-wmo-begeleiding"])
        assert live.builds >= builds + 2


def test_hostile_requests_get_short_dutch_answers(client: Client) -> None:
    """Issue 9: 26,000 unknown life domains (about 140 KB) gave a 12.3 MB error answer;
    a 10,000-letter word cost 390 ms of CPU. Both are now refused at once, briefly."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    keys = (digits[i // 1296] + digits[i // 36 % 36] + digits[i % 36] for i in range(26_000))
    body = {"text": "hallo", "answers": {"life_domains": {key: 3 for key in keys}}}
    raw = json.dumps(body, separators=(",", ":"))
    assert len(raw) < 256 * 1024  # under the body limit (a larger one gets a 413)
    r = client.post(URL, content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400 and len(r.content) < 20_000, (r.status_code, len(r.content))
    assert "hooguit 20" in r.text
    started = time.perf_counter()
    data = ask(client, {"text": "a" * 9_999}, 400)
    assert time.perf_counter() - started < 1.0
    assert "te lang" in json.dumps(data, ensure_ascii=False)
