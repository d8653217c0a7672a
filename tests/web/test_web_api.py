"""The JSON API of docs/http-api.md, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import string
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from web_catalogue import ALFA, BRAVO, CHARLIE, DELTA, weeks_ago

Client = TestClient[Litestar]
SUMMARY_KEYS = [
    "kvk", "slug", "naam", "gemeente", "wetten", "segmenten", "arrangementen", "expertise",
    "wachttijd", "capaciteit", "kpi", "afstand_km",
]  # fmt: skip


def kvks(client: Client, query: str) -> list[str]:
    r = client.get(f"/api/v1/providers?{query}")
    assert r.status_code == 200, r.text
    return [x["kvk"] for x in r.json()["results"]]


def test_list_has_the_contract_shape(client: Client) -> None:
    r = client.get("/api/v1/providers")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert list(body) == ["total", "page", "per_page", "backend", "results", "facets"]
    assert (body["total"], body["page"], body["per_page"], body["backend"]) == (
        4,
        1,
        20,
        "embedded",  # no Meilisearch configured in these tests
    )
    alfa = next(x for x in body["results"] if x["kvk"] == ALFA)
    assert list(alfa) == SUMMARY_KEYS
    assert alfa == {
        "kvk": ALFA,
        "slug": "alfa-jeugdhulp",
        "naam": "Alfa Jeugdhulp",
        "gemeente": "hoorn",
        "wetten": ["jeugdwet"],
        "segmenten": ["B"],
        # pack order: profile J2 before J4, licht before midden
        "arrangementen": ["J2:zwaar", "J4:licht", "J4:midden"],
        "expertise": ["adhd", "autisme"],
        "wachttijd": {
            "aanmelden_weken": 2,
            "behandeling_weken": 3,
            "peildatum": weeks_ago(1).isoformat(),
            "verouderd": False,
            "bevestigd_op": weeks_ago(1).isoformat(),
        },
        "capaciteit": None,
        "kpi": {
            "uitval_pct": 8.0,
            "doelrealisatie_pct": 76.0,
            "tevredenheid_pct": 88.0,
            "n": 120,
            "periode": "2025",
        },
        "afstand_km": None,
    }


def test_stale_waiting_time_and_small_n_are_flagged(client: Client) -> None:
    results = {x["kvk"]: x for x in client.get("/api/v1/providers").json()["results"]}
    bravo = results[BRAVO]
    assert bravo["wachttijd"]["verouderd"] is True  # 10 weeks > 6 (pack default)
    assert bravo["kpi"]["te_weinig_waarnemingen"] is True  # n=12 < kpi_min_n 20
    # The search index holds no percentages resting on too few trajectories: a list
    # never shows them as precise figures (the detail's history keeps them, flagged).
    assert bravo["kpi"]["doelrealisatie_pct"] is None
    assert (bravo["kpi"]["n"], bravo["kpi"]["periode"]) == (12, "2025")
    assert "te_weinig_waarnemingen" not in results[ALFA]["kpi"]
    assert results[CHARLIE]["wachttijd"] is None
    assert results[CHARLIE]["kpi"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gemeente=hoorn", {ALFA, BRAVO, DELTA}),  # area, whole region, area
        ("gemeente=enkhuizen", {ALFA, BRAVO}),
        ("gemeente=medemblik", {BRAVO, CHARLIE}),
        ("gemeente=Stede%20Broec", {BRAVO}),  # display name works too
        ("wet=wmo", {BRAVO, CHARLIE}),
        ("wet=jeugdwet", {ALFA, CHARLIE, DELTA}),
        ("segment=A", {CHARLIE}),
        ("segment=c", {DELTA}),
        ("profiel=J4", {ALFA, DELTA}),
        ("profiel=w8", {BRAVO}),
        ("intensiteit=zwaar", {ALFA, DELTA}),
        # both given: the same arrangement (Alfa has J4 and zwaar, but not J4:zwaar)
        ("profiel=J4&intensiteit=zwaar", {DELTA}),
        ("profiel=J4&intensiteit=licht", {ALFA}),
        ("expertise=autisme", {ALFA, DELTA}),
        ("expertise=autisme&expertise=trauma", {DELTA}),
        ("expertise=autisme&expertise=schuldhulp", set()),
        ("taal=ar", {ALFA}),
        ("taal=tr", {BRAVO}),
        ("leeftijd=10", {ALFA, CHARLIE}),
        ("leeftijd=20", {BRAVO, CHARLIE, DELTA}),
        ("leeftijd=3", {CHARLIE}),
        ("max_wachttijd_weken=5", {ALFA}),
        ("max_wachttijd_weken=4", set()),
        ("max_wachttijd_weken=20", {ALFA, BRAVO}),
        ("q=autisme", {ALFA, DELTA}),  # expertise label
        ("q=BRAVO", {BRAVO}),  # name, any case
        ("q=geldzorgen", {CHARLIE}),  # description
        ("q=xyz%25", set()),  # a wildcard is no search syntax
        ("q=%25_", {ALFA, BRAVO, CHARLIE, DELTA}),  # no words at all: everything
        ("postcode=1621AB&afstand_km=5", {ALFA, DELTA}),
        ("postcode=1621&afstand_km=40", {ALFA, BRAVO, CHARLIE, DELTA}),
        ("gemeente=hoorn&wet=jeugdwet&expertise=autisme&max_wachttijd_weken=10", {ALFA}),
        ("gemeente=&wet=", {ALFA, BRAVO, CHARLIE, DELTA}),  # empty means not given
    ],
)
def test_filters_narrow(client: Client, query: str, expected: set[str]) -> None:
    assert set(kvks(client, query)) == expected


def test_facets_count_the_filtered_set(client: Client) -> None:
    body = client.get("/api/v1/providers?wet=jeugdwet").json()
    assert body["total"] == 3
    f = body["facets"]
    assert set(f) == {"gemeente", "wet", "segment", "profiel", "intensiteit", "expertise", "taal"}
    assert f["wet"] == {"jeugdwet": 3, "wmo": 1}
    assert f["segment"] == {"A": 1, "B": 2, "C": 1}
    assert f["profiel"] == {"J2": 1, "J3": 1, "J4": 2}
    assert f["intensiteit"] == {"licht": 1, "midden": 2, "zwaar": 2}
    assert f["expertise"]["autisme"] == 2
    assert f["expertise"]["schuldhulp"] == 1
    assert "angst-depressie" not in f["expertise"]  # only Bravo has it, filtered out
    assert f["gemeente"] == {"enkhuizen": 1, "hoorn": 2, "medemblik": 1}
    assert f["taal"] == {"nl": 3, "ar": 1}


def test_region_wide_provider_counts_for_every_municipality(client: Client) -> None:
    f = client.get("/api/v1/providers?wet=wmo").json()["facets"]
    assert f["gemeente"]["stede-broec"] == 1  # Bravo serves the whole region
    assert f["gemeente"]["medemblik"] == 2  # Bravo and Charlie (home municipality)


def test_pagination(client: Client) -> None:
    first = client.get("/api/v1/providers?sort=naam&per_page=3").json()
    second = client.get("/api/v1/providers?sort=naam&per_page=3&page=2").json()
    beyond = client.get("/api/v1/providers?sort=naam&per_page=3&page=3").json()
    assert [x["kvk"] for x in first["results"]] == [ALFA, BRAVO, CHARLIE]
    assert [x["kvk"] for x in second["results"]] == [DELTA]
    assert (second["total"], second["page"], second["per_page"]) == (4, 2, 3)
    assert beyond["results"] == [] and beyond["total"] == 4
    # facets describe the whole result, not one page
    assert second["facets"]["wet"] == first["facets"]["wet"]


def test_sort_by_name_and_relevance(client: Client) -> None:
    assert kvks(client, "sort=naam") == [ALFA, BRAVO, CHARLIE, DELTA]
    assert kvks(client, "") == [ALFA, BRAVO, CHARLIE, DELTA]  # relevance without q: name
    # name match ranks above an expertise match
    assert kvks(client, "q=delta") == [DELTA]
    assert kvks(client, "q=autisme&sort=relevance")[0] in {ALFA, DELTA}


def test_sort_by_waiting_time_puts_fresh_first_then_stale_then_unknown(client: Client) -> None:
    # Alfa 5, Delta 35, then Bravo 18 (stale, marked so in `verouderd`), Charlie unknown
    body = client.get("/api/v1/providers?sort=wachttijd").json()
    assert [x["kvk"] for x in body["results"]] == [ALFA, DELTA, BRAVO, CHARLIE]
    assert body["results"][2]["wachttijd"]["verouderd"] is True


def test_sort_by_quality(client: Client) -> None:
    # Alfa (n=120) scores higher than Delta (n=60); Bravo's n=12 is too small to rank
    assert kvks(client, "sort=kwaliteit") == [ALFA, DELTA, BRAVO, CHARLIE]


def test_sort_by_distance_needs_and_uses_a_postcode(client: Client) -> None:
    body = client.get("/api/v1/providers?postcode=1601%20ab&sort=afstand").json()
    order = [x["kvk"] for x in body["results"]]
    distances = [x["afstand_km"] for x in body["results"]]
    assert order[0] == BRAVO  # in Enkhuizen itself
    assert all(d is not None for d in distances)
    assert distances == sorted(distances)
    assert distances[0] < 1.0 and 10 < distances[-1] < 30
    # Charlie has no coordinates: the PC4 centroid of its postcode is used
    assert CHARLIE in order


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("profiel=J9", "profiel"),
        ("per_page=1000", "per_page"),
        ("per_page=0", "per_page"),
        ("per_page=abc", "per_page"),
        ("postcode=abc", "postcode"),
        ("postcode=1621%20ABC", "postcode"),
        ("postcode=0621AB", "postcode"),
        ("postcode=9999", "postcode"),  # well formed, but not in the region
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=1.5", "page"),
        ("leeftijd=abc", "leeftijd"),
        ("leeftijd=121", "leeftijd"),
        ("leeftijd=%D9%A3", "leeftijd"),  # an Arabic-Indic digit is not 0-9
        ("sort=foo", "sort"),
        ("sort=afstand", "sort"),  # needs a postcode
        ("gemeente=amsterdam", "gemeente"),
        ("wet=zvw", "wet"),
        ("segment=D", "segment"),
        ("intensiteit=extreem", "intensiteit"),
        ("expertise=autisme&expertise=onbekend", "expertise"),
        ("taal=xx", "taal"),
        ("max_wachttijd_weken=-3", "max_wachttijd_weken"),
        ("max_wachttijd_weken=1e3", "max_wachttijd_weken"),
        ("afstand_km=5", "afstand_km"),  # needs a postcode
        ("afstand_km=0&postcode=1621", "afstand_km"),
        ("afstand_km=abc&postcode=1621", "afstand_km"),
        ("afstand_km=nan&postcode=1621", "afstand_km"),
        ("wet=jeugdwet&wet=wmo", "wet"),  # only expertise is repeatable
        ("profile=J4", "profile"),  # unknown parameter name (English typo)
        ("q=" + "x" * 201, "q"),
        ("q=%00", "q"),
        ("q=a%0Ab", "q"),
    ],
)
def test_bad_parameters_give_dutch_400_naming_the_parameter(
    client: Client, query: str, parameter: str
) -> None:
    r = client.get(f"/api/v1/providers?{query}")
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["parameter"] == parameter
    assert f"'{parameter}'" in body["detail"]
    assert not any(word in body["detail"] for word in ("Validation", "Expected", "Traceback"))


FUZZ_PARAMETERS = (
    "q", "gemeente", "wet", "segment", "profiel", "intensiteit", "expertise", "taal",
    "leeftijd", "max_wachttijd_weken", "postcode", "afstand_km", "sort", "page", "per_page",
)  # fmt: skip
_ODD = [
    "\x00",
    "\x1b",
    "\u200b",
    "\ufffd",
    "%",
    "_",
    "'",
    '"',
    "\\",
    ";",
    "--",
    "<",
    ">",
    "&",
    "é",
    "ß",
    "٣",
    "😀",
]


def _random_values(rng: random.Random, n: int) -> list[str]:
    alphabet = string.ascii_letters + string.digits + string.punctuation + " "
    values = ["", " ", "0", "-0", "1e9", "9" * 30, "NaN", "inf", "null", "1621 AB", "' OR 1=1 --"]
    for _ in range(n):
        size = rng.randint(1, 40)
        values.append(
            "".join(
                rng.choice(_ODD) if rng.random() < 0.2 else rng.choice(alphabet)
                for _ in range(size)
            )
        )
    return values


@pytest.mark.parametrize("parameter", FUZZ_PARAMETERS)
def test_random_values_never_give_500(client: Client, parameter: str) -> None:
    rng = random.Random(f"etalage-{parameter}")
    for value in _random_values(rng, 25):
        r = client.get(
            "/api/v1/providers",
            params={parameter: value, "postcode": "1621"}
            if parameter == "afstand_km"
            else {parameter: value},
        )
        assert r.status_code in (200, 400), (parameter, value, r.status_code, r.text)
        body: dict[str, Any] = r.json()
        if r.status_code == 400:
            assert body["parameter"] == parameter, (value, body)
            assert body["detail"]


@pytest.mark.parametrize("raw", ["%FF", "%ED%A0%80", "%C3", "%25%00", "%E2%80%AE"])
def test_invalid_utf8_and_odd_bytes_never_give_500(client: Client, raw: str) -> None:
    for parameter in ("q", "gemeente", "postcode", "expertise"):
        r = client.get(f"/api/v1/providers?{parameter}={raw}")
        assert r.status_code in (200, 400), (parameter, raw, r.text)


def test_detail_has_all_facts_and_history(client: Client) -> None:
    r = client.get(f"/api/v1/providers/{ALFA}")
    assert r.status_code == 200
    body = r.json()
    assert list(body)[: len(SUMMARY_KEYS) - 1] == SUMMARY_KEYS[:-1]
    assert body["naam"] == "Alfa Jeugdhulp"
    assert body["omschrijving"] == "Ambulante hulp voor kinderen en hun ouders."
    assert body["leeftijd_min"] == 4 and body["leeftijd_max"] == 17
    assert body["talen"] == ["ar", "nl"]
    assert body["aanmelding"] == ["huisarts", "toegang"]
    assert body["werkgebied"] == ["enkhuizen", "hoorn"]
    assert body["locaties"] == [
        {"adres": "Kerkstraat 1", "postcode": "1621 AB", "plaats": "Hoorn", "gemeente": "hoorn"}
    ]
    assert body["telefoon"] == "0229 - 12 34 56"
    assert [w["peildatum"] for w in body["wachttijd_historie"]] == [
        weeks_ago(12).isoformat(),
        weeks_ago(1).isoformat(),
    ]
    assert body["wachttijd_historie"][0]["verouderd"] is True
    assert body["wachttijd_historie"][0]["wachtlijst_aantal"] == 7
    assert [k["periode"] for k in body["kpi_historie"]] == ["2024", "2025"]
    assert body["kpi_historie"][1] == body["kpi"]
    assert body["demo"] is False


def test_detail_of_region_wide_provider(client: Client) -> None:
    body = client.get(f"/api/v1/providers/{BRAVO}").json()
    assert body["werkgebied"] == ["regio"]
    assert body["kpi_historie"][0]["te_weinig_waarnemingen"] is True


def test_unknown_provider_is_a_dutch_404(client: Client) -> None:
    r = client.get("/api/v1/providers/99999999")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {"detail": "Er is geen aanbieder met KvK-nummer 99999999."}
    # The message names the number as read, not the raw path (no newline echoed back).
    r = client.get("/api/v1/providers/99999999%0a")
    assert r.json() == {"detail": "Er is geen aanbieder met KvK-nummer 99999999."}


@pytest.mark.parametrize("kvk", ["abc", "1234567", "123456789", "1234567a"])
def test_malformed_kvk_is_a_400(client: Client, kvk: str) -> None:
    r = client.get(f"/api/v1/providers/{kvk}")
    assert r.status_code == 400
    assert r.json()["parameter"] == "kvk"


def test_unknown_api_path_and_method_are_dutch_json(client: Client) -> None:
    r = client.get("/api/v1/bestaat-niet")
    assert r.status_code == 404
    assert "bestaat niet" in r.json()["detail"]
    r = client.post("/api/v1/providers", json={})
    assert r.status_code == 405
    assert r.json()["detail"] == "Deze pagina kan zo niet worden opgevraagd."


def test_openapi_is_served_in_dutch(client: Client) -> None:
    r = client.get("/api/schema")
    assert r.status_code == 200
    doc = r.json()
    assert doc["info"]["title"].startswith("Zorglandschap-etalage")
    assert "wachttijden" in doc["info"]["description"]
    listing = doc["paths"]["/api/v1/providers"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert set(FUZZ_PARAMETERS) <= names
    assert "/api/v1/providers/{kvk}" in doc["paths"]
    assert "/aanbieders" not in doc["paths"]  # pages are not part of the API
    error = doc["components"]["schemas"]["ApiFout"]
    assert set(error["properties"]) == {"detail", "parameter"}
    # Keys that are not always sent are not required (a 404 has no `parameter`).
    assert error["required"] == ["detail"]
    assert "te_weinig_waarnemingen" not in doc["components"]["schemas"]["Kpi"]["required"]
    assert listing["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApiFout"
    }
    assert client.get("/api/schema/openapi.yaml").status_code == 200
