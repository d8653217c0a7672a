"""The pure parts behind the pages and the API: parameters, presenters, views, charts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from msgspec import to_builtins
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from web_catalogue import make_provider

from etalage.catalogue.charts import sparkline
from etalage.catalogue.history_views import regional_kpi_average, regional_waiting_average
from etalage.catalogue.presenters import (
    kpi_json,
    provider_summary,
    waiting_json,
)
from etalage.catalogue.views import (
    age_nl,
    age_range_nl,
    join_nl,
    percent_nl,
    treeknorm_status,
)
from etalage.provider import KpiPoint, ProviderRecord, WaitingPoint
from etalage.provider import Location as LocationRecord
from etalage.region import RegionPack
from etalage.web.params import ParamError, filters_to_query, parse_provider_filters

D = date(2026, 10, 1)


# ---------------------------------------------------------------------------- params


def test_parameters_are_normalised(pack: RegionPack) -> None:
    f = parse_provider_filters(
        {
            "gemeente": ["Stede Broec"],
            "profiel": ["j4"],
            "segment": ["b"],
            "intensiteit": ["Midden"],
            "expertise": ["Autisme", "autisme", ""],
            "taal": ["AR"],
            "postcode": [" 1621 ab "],
            "afstand_km": ["7,5"],
            "sort": ["Afstand"],
            "leeftijd": ["15"],
        },
        pack,
    )
    assert (f.gemeente, f.profiel, f.segment, f.intensiteit) == ("stede-broec", "J4", "B", "midden")
    assert f.expertise == ("autisme",)
    assert (f.taal, f.postcode, f.pc4, f.afstand_km) == ("ar", "1621AB", "1621", 7.5)
    assert (f.sort, f.leeftijd, f.page, f.per_page) == ("afstand", 15, 1, 20)
    assert filters_to_query(f, page=3) == [
        ("gemeente", "stede-broec"),
        ("segment", "B"),
        ("profiel", "J4"),
        ("intensiteit", "midden"),
        ("expertise", "autisme"),
        ("taal", "ar"),
        ("leeftijd", "15"),
        ("postcode", "1621AB"),
        ("afstand_km", "7.5"),
        ("sort", "afstand"),
        ("page", "3"),
    ]


def test_unknown_names_are_allowed_only_when_asked(pack: RegionPack) -> None:
    with pytest.raises(ParamError) as err:
        parse_provider_filters({"utm": ["x"]}, pack)
    assert err.value.parameter == "utm"
    assert parse_provider_filters({"utm": ["x"]}, pack, allow_unknown=True).page == 1


def test_error_message_lists_the_choices(pack: RegionPack) -> None:
    with pytest.raises(ParamError) as err:
        parse_provider_filters({"gemeente": ["Amsterdam"]}, pack)
    assert err.value.message.startswith("Onbekende gemeente 'Amsterdam' in parameter 'gemeente'")
    assert "hoorn" in err.value.message


# ---------------------------------------------------------------------------- presenters


def _record(**kw: Any) -> ProviderRecord:
    base: dict[str, Any] = {"kvk": "12345678", "slug": "x", "name": "X"}
    return ProviderRecord(**(base | kw))


def test_summary_is_pure_and_follows_the_contract(pack: RegionPack) -> None:
    rec = _record(
        laws=("jeugdwet",),
        segments=("B",),
        arrangements=(("J4", "midden"), ("J4", "licht")),
        expertise=("autisme",),
        locations=(LocationRecord(municipality="hoorn"),),
        waiting_times=(WaitingPoint(D, 3, 5),),
        kpis=(KpiPoint("2025", 120, 8.04, 76.0, 88.0),),
    )
    out = to_builtins(provider_summary(rec, pack, D + timedelta(days=1), afstand_km=4.2345))
    assert out == {
        "kvk": "12345678",
        "slug": "x",
        "naam": "X",
        "gemeente": "hoorn",
        "wetten": ["jeugdwet"],
        "segmenten": ["B"],
        "arrangementen": ["J4:licht", "J4:midden"],
        "expertise": ["autisme"],
        "wachttijd": {
            "aanmelden_weken": 3,
            "behandeling_weken": 5,
            "peildatum": "2026-10-01",
            "verouderd": False,
            "bevestigd_op": "2026-10-01",
        },
        "capaciteit": None,
        "kpi": {
            "uitval_pct": 8.0,
            "doelrealisatie_pct": 76.0,
            "tevredenheid_pct": 88.0,
            "n": 120,
            "periode": "2025",
        },
        "afstand_km": 4.2,
    }


def test_freshness_limit_is_exclusive() -> None:
    point = WaitingPoint(D, 1, 1)
    fresh = waiting_json(point, D + timedelta(weeks=6), 6)
    stale = waiting_json(point, D + timedelta(weeks=6, days=1), 6)
    assert fresh is not None and fresh.verouderd is False
    assert stale is not None and stale.verouderd is True
    assert waiting_json(None, D, 6) is None


def test_small_n_is_flagged_and_never_a_precise_percentage() -> None:
    out = to_builtins(kpi_json(KpiPoint("2025-H1", 19, 10.0, 50.0, None), kpi_min_n=20))
    assert out == {
        "uitval_pct": None,
        "doelrealisatie_pct": None,
        "tevredenheid_pct": None,
        "n": 19,
        "periode": "2025-H1",
        "te_weinig_waarnemingen": True,
    }
    enough = to_builtins(kpi_json(KpiPoint("2025", 20, 1, 2, 3), 20))
    assert "te_weinig_waarnemingen" not in enough and enough["uitval_pct"] == 1.0


# ---------------------------------------------------------------------------- views


@pytest.mark.parametrize(
    ("reg", "tre", "level"),
    [
        (4, 10, "binnen"),  # exactly the norm
        (0, 14, "boven"),  # total fits, but treatment is over 10
        (5, 0, "boven"),  # registration over 4
        (4, 11, "boven"),
        (10, 18, "boven"),  # 28 = twice the norm: not yet "ruim"
        (10, 19, "ver-boven"),
        (None, 3, "binnen"),
        (None, None, "onbekend"),
    ],
)
def test_treeknorm_status(pack: RegionPack, reg: int | None, tre: int | None, level: str) -> None:
    status = treeknorm_status(WaitingPoint(D, reg, tre), pack.treeknorm)
    assert status.level == level
    assert status.label  # always words, never colour alone


def test_words() -> None:
    assert join_nl([]) == "" and join_nl(["a"]) == "a"
    assert join_nl(["a", "b", "c"]) == "a, b en c"
    assert percent_nl(76.0) == "76%"
    assert percent_nl(76.4) == "76,4%"
    assert percent_nl(None) == "onbekend"
    assert age_range_nl(None, None) == "Alle leeftijden"
    assert age_range_nl(0, 17) == "Tot en met 17 jaar"
    assert age_range_nl(18, 120) == "Vanaf 18 jaar"
    assert age_range_nl(4, 12) == "4 tot en met 12 jaar"
    assert age_nl(D, D) == "vandaag"
    assert age_nl(D, D + timedelta(days=3)) == "3 dagen geleden"
    assert age_nl(D, D + timedelta(weeks=5)) == "5 weken geleden"
    assert age_nl(D, D + timedelta(days=100)) == "3 maanden geleden"


def test_regional_waiting_average_uses_fresh_measurements_only() -> None:
    histories = {
        1: [WaitingPoint(D, 2, 2)],  # 4
        2: [WaitingPoint(D - timedelta(weeks=1), 5, 5)],  # 10
        3: [WaitingPoint(D - timedelta(weeks=20), 50, 50)],  # stale at D: left out
        4: [WaitingPoint(D + timedelta(days=1), 9, 9)],  # after D: left out
    }
    assert regional_waiting_average(histories, [D], freshness_weeks=6) == [7.0]
    assert regional_waiting_average(histories, [D - timedelta(weeks=30)], 6) == [None]


def test_regional_kpi_average_is_weighted_and_skips_small_n() -> None:
    histories = {
        1: [KpiPoint("2025", 100, None, 80.0, None)],
        2: [KpiPoint("2025", 300, None, 60.0, None)],
        3: [KpiPoint("2025", 5, None, 0.0, None)],  # too few: left out
        4: [KpiPoint("2024", 100, None, 10.0, None)],
    }
    assert regional_kpi_average(histories, ["2025", "2023"], "goal_attainment_pct", 20) == [
        65.0,
        None,
    ]


# ---------------------------------------------------------------------------- charts


def test_sparkline_scales_into_the_box() -> None:
    s = sparkline([0, 10, 5], [5, 5, 5], width=100, height=30, pad=5, y_max=10)
    assert s.lines == ("5,25 50,5 95,15",)
    assert s.reference_lines == ("5,15 50,15 95,15",)
    assert s.last == (95, 15)
    assert not s.empty


def test_sparkline_breaks_at_gaps_and_dots_single_values() -> None:
    s = sparkline([1, None, 3, 4, None], width=50, height=20, pad=0, y_max=4)
    assert s.dots == ((0, 15),)
    assert s.lines == ("25,5 37.5,0",)
    assert sparkline([None, None]).empty
    one = sparkline([7], width=40, height=20, pad=0)
    assert one.dots == ((20, 0),) and one.lines == ()


def test_sparkline_clamps_and_survives_flat_series() -> None:
    s = sparkline([0, 0], y_min=0, y_max=None, width=10, height=10, pad=0)
    assert s.y_max == 1.0 and s.lines == ("0,10 10,10",)
    clamped = sparkline([150, -5], y_min=0, y_max=100, width=10, height=10, pad=0)
    assert clamped.lines == ("0,0 10,10",)


# ---------------------------------------------------------------------------- another pack


def test_limits_come_from_the_region_pack(sqlite_engine: Engine, app_for: Any) -> None:
    """Testregio: freshness 4 weeks, kpi_min_n 10, Treeknorm 3/8/11, other codes."""
    today = date.today()
    with Session(sqlite_engine) as s:
        make_provider(
            s,
            kvk="20000001",
            name="Kust Jeugd",
            wet=("jeugdwet",),
            segment=("B",),
            arrangements=(("JA", "licht"),),
            expertise=("gedrag",),
            gebied=("duinwijk",),
            location={"postcode": "2901 AB", "city": "Duinwijk", "municipality": "duinwijk"},
            waiting=((today - timedelta(weeks=5), 3, 8),),
            kpis=(("2025", 5.0, 70.0, 80.0, 12),),
        )
        s.commit()
    with TestClient(app_for(sqlite_engine, region="testregio")) as c:
        item = c.get("/api/v1/providers?profiel=JA&gemeente=duinwijk").json()["results"][0]
        assert item["wachttijd"]["verouderd"] is True  # 5 weeks > 4
        assert "te_weinig_waarnemingen" not in item["kpi"]  # 12 >= 10
        assert item["arrangementen"] == ["JA:licht"]
        assert c.get("/api/v1/providers?profiel=J4").json()["parameter"] == "profiel"
        assert c.get("/api/v1/providers?postcode=1621").status_code == 400
        assert c.get("/api/v1/providers?postcode=2911&sort=afstand").status_code == 200
        text = c.get("/aanbieders/kust-jeugd").text
        assert "Binnen de Treeknorm" in text  # 3 + 8 = 11 is this pack's norm
        assert "70%" in text and "Testregio Kustland" in text
        assert "JA Opvoeden en gedrag: weinig" in c.get("/aanbieders").text
