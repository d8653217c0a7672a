"""Rule 10: which providers fit, in which order, with which reasons."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from support import provider_record

from etalage.assistant import Answers, ProviderIndex, advise
from etalage.assistant.matching import Query
from etalage.provider import ProviderRecord, quality_score
from etalage.region import RegionPack
from search_index.documents import record_from_document

TODAY = date(2026, 11, 2)
FRESH = date(2026, 10, 20)
HOORN = (52.64, 5.058)  # PC 1621


def provider(kvk: str, **kw: Any) -> ProviderRecord:
    base: dict[str, Any] = {
        "naam": f"Aanbieder {kvk}",
        "slug": f"aanbieder-{kvk}",
        "wetten": {"jeugdwet"},
        "segmenten": {"B"},
        "arrangementen": {("J4", "midden")},
        "serves_region": True,
        "wait_weeks": 5,
        "wait_peildatum": FRESH,
        "lat": HOORN[0],
        "lon": HOORN[1],
    }
    base.update(kw)
    if base["wait_weeks"] is None:
        base["wait_peildatum"] = None
    return provider_record(kvk, **base)


def query(**kw: Any) -> Query:
    base: dict[str, Any] = {
        "law": "jeugdwet",
        "segment": "B",
        "profile": "J4",
        "intensity": "midden",
    }
    base.update(kw)
    return Query(**base)


def kvks(index: ProviderIndex, q: Query) -> list[str]:
    return [m.record.kvk for m in index.match(q).matches]


def test_contract_law_segment_and_arrangement(pack: RegionPack) -> None:
    index = ProviderIndex(
        pack,
        [
            provider("1"),
            provider("2", arrangementen={("J4", "licht")}),  # other intensity
            provider("3", wetten={"wmo"}, arrangementen={("W3", "midden")}),  # other law
            provider("4", segmenten={"C"}),  # other segment
            provider("5", segmenten={"A"}, arrangementen=set()),  # A only
        ],
        today=TODAY,
    )
    assert kvks(index, query()) == ["1"]
    assert kvks(index, query(segment="C")) == ["4"]
    assert kvks(index, query(segment="A", profile=None, intensity=None)) == ["5"]
    assert kvks(index, query(profile=None)) == []  # B without a profile: nothing yet


def test_service_area(pack: RegionPack) -> None:
    index = ProviderIndex(
        pack,
        [
            provider("1", serves_region=True),
            provider("2", serves_region=False, werkgebied={"hoorn", "opmeer"}),
            provider("3", serves_region=False, werkgebied=set(), gemeente="hoorn"),
            provider("4", serves_region=False, werkgebied={"enkhuizen"}, gemeente="enkhuizen"),
        ],
        today=TODAY,
    )
    assert sorted(kvks(index, query(municipality="hoorn"))) == ["1", "2", "3"]
    assert sorted(kvks(index, query(municipality="enkhuizen"))) == ["1", "4"]
    assert len(kvks(index, query())) == 4  # municipality unknown: no filter


@pytest.mark.parametrize(
    ("age", "expected"), [(3, ["1"]), (4, ["1", "2"]), (17, ["1", "2"]), (None, ["1", "2"])]
)
def test_age_range(pack: RegionPack, age: int | None, expected: list[str]) -> None:
    index = ProviderIndex(
        pack,
        [provider("1", wait_weeks=1), provider("2", wait_weeks=2, age_min=4, age_max=17)],
        today=TODAY,
    )
    assert kvks(index, query(age=age)) == expected


def test_ranking_expertise_then_wait_then_distance_then_quality(pack: RegionPack) -> None:
    index = ProviderIndex(
        pack,
        [
            provider("wait1", wait_weeks=1),
            provider("autism-wait8", expertise={"autisme"}, wait_weeks=8),
            provider("autism-wait3-far", expertise={"autisme"}, wait_weeks=3, lat=52.77, lon=5.1),
            provider("autism-wait3-near", expertise={"autisme"}, wait_weeks=3),
            provider("autism-wait3-near-q90", expertise={"autisme"}, wait_weeks=3, quality=90.0),
            provider("autism-adhd", expertise={"autisme", "adhd"}, wait_weeks=12),
        ],
        today=TODAY,
    )
    order = kvks(
        index,
        query(profile_tags=frozenset({"autisme"}), text_tags=frozenset({"adhd"}), origin=HOORN),
    )
    assert order == [
        "autism-adhd",  # a tag named in the text counts double
        "autism-wait3-near-q90",  # then waiting time, distance, quality
        "autism-wait3-near",
        "autism-wait3-far",
        "autism-wait8",
        "wait1",
    ]


def test_stale_or_missing_waiting_times_come_after_fresh_ones(pack: RegionPack) -> None:
    index = ProviderIndex(
        pack,
        [
            provider("stale", wait_weeks=0, wait_peildatum=date(2026, 1, 1)),
            provider("missing", wait_weeks=None, wait_peildatum=None),
            provider("fresh", wait_weeks=9),
        ],
        today=TODAY,
    )
    assert kvks(index, query())[0] == "fresh"
    stale = next(m for m in index.match(query()).matches if m.record.kvk == "stale")
    assert stale.wait_stale
    assert any("verouderd" in r for r in stale.reasons)


def test_limit_and_total(pack: RegionPack) -> None:
    index = ProviderIndex(pack, [provider(str(i), wait_weeks=i) for i in range(25)], today=TODAY)
    result = index.match(query(limit=10))
    assert result.total == 25
    assert [m.record.kvk for m in result.matches] == [str(i) for i in range(10)]


def test_reasons_per_mode(pack: RegionPack) -> None:
    index = ProviderIndex(
        pack,
        [provider("1", expertise={"autisme"}, wait_weeks=3, lat=52.67, lon=5.1, quality=81.0)],
        today=TODAY,
    )
    q = query(profile_tags=frozenset({"autisme"}), origin=HOORN)
    pro = index.match(q, mode="professional").matches[0].reasons
    assert pro[0] == "contract voor J4 midden"
    assert "expertise autisme" in pro
    assert "wachttijd 3 weken" in pro
    assert "4 km" in pro
    assert "kwaliteitsscore 81" in pro
    inwoner = index.match(q, mode="inwoner").matches[0].reasons
    assert inwoner[0] == "heeft een contract voor deze hulp"
    assert "heeft ervaring met autisme" in inwoner
    assert not any("J4" in r for r in inwoner)


def test_record_from_a_search_document() -> None:
    doc = {
        "kvk": "12345678",
        "slug": "de-kleine-haven",
        "naam": "De Kleine Haven",
        "wetten": ["jeugdwet"],
        "segmenten": ["B"],
        "arrangementen": ["J4:licht", "J4:midden"],
        "expertise": ["autisme"],
        "werkgebied": ["hoorn"],
        "regio": False,
        "gemeente": "hoorn",
        "leeftijd_min": 0,
        "leeftijd_max": 120,
        "wachttijd_totaal_weken": 8,
        "wachttijd_peildatum": "2026-10-01",
        "_geo": {"lat": 52.64, "lng": 5.06},
        "kwaliteit": 77.5,
    }
    doc.update(
        {
            "wachttijd_aanmelden_weken": 3,
            "wachttijd_behandeling_weken": 5,
            "kpi_periode": "2025",
            "kpi_n": 40,
            "kpi_uitval_pct": 10.0,
            "kpi_doelrealisatie_pct": 70.0,
            "kpi_tevredenheid_pct": 62.5,
        }
    )
    r = record_from_document(doc)
    assert set(r.arrangements) == {("J4", "licht"), ("J4", "midden")}
    assert r.latest_waiting is not None and r.main_location is not None
    assert (r.latest_waiting.total_weeks, r.latest_waiting.peildatum) == (8, date(2026, 10, 1))
    assert (r.main_location.lat, r.main_location.lon) == (52.64, 5.06)
    assert (r.age_min, r.age_max) == (None, None)
    assert not r.serves_region and r.serves("hoorn") and not r.serves("opmeer")
    assert quality_score(r.latest_kpi, 20) == 74.2  # (70 + 62.5 + 90) / 3
    assert isinstance(r, ProviderRecord)


def test_advice_uses_postcode_age_and_text_tags(pack: RegionPack) -> None:
    index = ProviderIndex(
        pack,
        [
            provider("near", expertise={"autisme"}, wait_weeks=4),
            provider("adhd", expertise={"autisme", "adhd"}, wait_weeks=4, lat=52.70, lon=5.29),
            provider(
                "enkhuizen-only",
                serves_region=False,
                werkgebied={"enkhuizen"},
                expertise={"autisme", "adhd"},
                wait_weeks=0,
            ),
            provider("too-old", expertise={"autisme", "adhd"}, age_min=12, age_max=17),
        ],
        today=TODAY,
    )
    advice = advise(
        pack,
        "Mijn zoon van 8 heeft autisme en misschien ook ADHD, hij raakt snel overprikkeld.",
        Answers(postcode="1621AB", life_domains={"ontwikkeling": 2}),
        index,
        today=TODAY,
    )
    assert advice.profile and advice.profile["code"] == "J4" and advice.intensity == "midden"
    assert [p.record.kvk for p in advice.providers] == ["adhd", "near"]
    assert advice.providers_total == 2
    assert advice.providers[1].distance_km is not None and advice.providers[1].distance_km < 1
    assert any("aanbieders" in line for line in advice.explanation)


def test_no_providers_before_law_and_profile_are_known(pack: RegionPack) -> None:
    index = ProviderIndex(pack, [provider("1")], today=TODAY)
    advice = advise(pack, "Hulp gezocht.", Answers(), index)
    assert advice.providers == ()
    assert any("Zodra" in line for line in advice.explanation)
