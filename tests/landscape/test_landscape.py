"""The landscape (docs/landscape.md) on a small hand-made dataset: every cell compared,
lacunes appearing and disappearing as waiting times and capacity change, and a
peildatum in the past giving the figures of that day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from etalage.landscape.compute import landscape
from etalage.provider import Capacity, ProviderRecord, WaitingPoint
from etalage.region import RegionPack

TODAY = date(2026, 12, 2)


def _provider(
    kvk: str,
    arrangements: tuple[tuple[str, str], ...],
    points: tuple[tuple[int, int, int], ...],  # (weeks ago, registration, treatment)
    *,
    area: tuple[str, ...] = (),
    region: bool = False,
    capacity: Capacity | None = None,
    segments: tuple[str, ...] = ("B",),
    expertise: tuple[str, ...] = (),
    laws: tuple[str, ...] = ("jeugdwet",),
) -> ProviderRecord:
    return ProviderRecord(
        kvk=kvk,
        slug=kvk,
        name=f"Aanbieder {kvk}",
        laws=laws,
        segments=segments,
        expertise=expertise,
        arrangements=arrangements,
        service_area=area,
        serves_region=region,
        waiting_times=tuple(
            WaitingPoint(TODAY - timedelta(weeks=ago), reg, tre)
            for ago, reg, tre in sorted(points, reverse=True)
        ),
        capacity=capacity,
    )


def dataset() -> list[ProviderRecord]:
    return [
        # the whole region, 8 weeks now; 30 weeks twenty weeks ago
        _provider("00000001", (("J4", "midden"),), ((1, 3, 5), (20, 10, 20)), region=True),
        # Hoorn only, fresh but 20 weeks: over the norm
        _provider("00000002", (("J4", "midden"),), ((2, 10, 10),), area=("hoorn",)),
        # Hoorn, 4 weeks, but measured 10 weeks ago: stale
        _provider("00000003", (("J4", "midden"),), ((10, 2, 2),), area=("hoorn",)),
        # Hoorn, J4 licht, 2 weeks and fresh, but an aanmeldstop since three days
        _provider(
            "00000004",
            (("J4", "licht"),),
            ((1, 1, 1),),
            area=("hoorn",),
            capacity=Capacity("aanmeldstop", "vol", None, TODAY - timedelta(days=3)),
        ),
        # a Wmo provider without any waiting time, Enkhuizen
        _provider("00000005", (("W1", "licht"),), (), area=("enkhuizen",), laws=("wmo",)),
        # segment A, free access, Opmeer, expertise autisme, 1 week
        _provider(
            "00000006",
            (),
            ((0, 0, 1),),
            area=("opmeer",),
            segments=("A",),
            expertise=("autisme",),
        ),
    ]


def _cells(land: object) -> dict[tuple[str, str, str], dict[str, object]]:
    return {
        (c["profiel"], c["intensiteit"], c["gemeente"]): c  # type: ignore[index]
        for c in land.json()["cellen"]  # type: ignore[attr-defined]
    }


def expected(pack: RegionPack) -> dict[tuple[str, str, str], dict[str, object]]:
    """Every cell, worked out by hand."""
    out: dict[tuple[str, str, str], dict[str, object]] = {}
    for profile in pack.profiles:
        for intensity in pack.intensities:
            for m in pack.municipalities:
                out[(profile.code, intensity.code, m.code)] = {
                    "aanbieders": 0, "met_verse_wachttijd": 0, "binnen_norm": 0,
                    "mediaan_wachttijd_weken": None, "kortste_wachttijd_weken": None,
                    "lacune": True,
                }  # fmt: skip
    for m in pack.municipalities:  # provider 1 everywhere: 8 weeks, within the norm
        out[("J4", "midden", m.code)].update(
            aanbieders=1, met_verse_wachttijd=1, binnen_norm=1, mediaan_wachttijd_weken=8.0,
            kortste_wachttijd_weken=8, lacune=False,
        )  # fmt: skip
    out[("J4", "midden", "hoorn")].update(
        aanbieders=3, met_verse_wachttijd=2, binnen_norm=1, mediaan_wachttijd_weken=14.0,
        kortste_wachttijd_weken=8, lacune=False,
    )  # fmt: skip
    out[("J4", "licht", "hoorn")].update(
        aanbieders=1, met_verse_wachttijd=1, binnen_norm=0, mediaan_wachttijd_weken=2.0,
        kortste_wachttijd_weken=2, lacune=True,
    )  # fmt: skip
    out[("W1", "licht", "enkhuizen")].update(aanbieders=1)
    return out


def test_every_cell_of_a_hand_made_landscape(pack: RegionPack) -> None:
    land = landscape(dataset(), pack, TODAY)
    got = _cells(land)
    want = expected(pack)
    assert set(got) == set(want)
    assert len(got) == len(pack.profiles) * len(pack.intensities) * len(pack.municipalities)
    for key, cell in want.items():
        assert {k: got[key][k] for k in cell} == cell, key
    summary = land.json()["samenvatting"]
    assert summary["cellen"] == len(want)  # type: ignore[index]
    assert summary["lacunes"] == sum(1 for c in want.values() if c["lacune"])  # type: ignore[index]
    assert summary["zonder_aanbieder"] == sum(1 for c in want.values() if not c["aanbieders"])  # type: ignore[index]
    # providers 1-5 are counted; 3 (stale) and 5 (none) have no fresh figure
    assert summary["verouderd_pct"] == 40.0  # type: ignore[index]


def test_filters_narrow_the_cells(pack: RegionPack) -> None:
    wmo = landscape(dataset(), pack, TODAY, law="wmo")
    assert {c.profile[0] for c in wmo.cells} == {"W"}
    hoorn = landscape(dataset(), pack, TODAY, municipality="hoorn")
    assert {c.municipality for c in hoorn.cells} == {"hoorn"}
    assert len(hoorn.cells) == len(pack.profiles) * len(pack.intensities)


def test_lacunes_come_and_go_with_waiting_times_and_capacity(pack: RegionPack) -> None:
    records = dataset()
    lifted = [replace(r, capacity=None) if r.kvk == "00000004" else r for r in records]
    assert _cells(landscape(lifted, pack, TODAY))[("J4", "licht", "hoorn")]["lacune"] is False
    # the stop ended yesterday: it no longer counts
    ended = Capacity("aanmeldstop", "", TODAY - timedelta(days=1), TODAY - timedelta(days=10))
    expired = [replace(r, capacity=ended) if r.kvk == "00000004" else r for r in records]
    assert _cells(landscape(expired, pack, TODAY))[("J4", "licht", "hoorn")]["binnen_norm"] == 1
    # provider 1 now waits 20 weeks: Enkhuizen's J4 midden becomes a lacune
    longer = [
        replace(r, waiting_times=(*r.waiting_times, WaitingPoint(TODAY, 10, 10)))
        if r.kvk == "00000001"
        else r
        for r in records
    ]
    cell = _cells(landscape(longer, pack, TODAY))[("J4", "midden", "enkhuizen")]
    assert cell["lacune"] is True and cell["mediaan_wachttijd_weken"] == 20.0
    # a stale figure confirmed ("klopt nog") counts as fresh again
    stale = next(r for r in records if r.kvk == "00000003")
    confirmed = replace(
        stale, waiting_times=(replace(stale.waiting_times[-1], confirmed_on=TODAY),)
    )
    again = [confirmed if r.kvk == "00000003" else r for r in records]
    cell = _cells(landscape(again, pack, TODAY))[("J4", "midden", "hoorn")]
    assert cell["met_verse_wachttijd"] == 3 and cell["binnen_norm"] == 2


def test_a_past_peildatum_gives_the_figures_of_that_day(pack: RegionPack) -> None:
    day = TODAY - timedelta(weeks=19)
    cells = _cells(landscape(dataset(), pack, day))
    # then provider 1 waited 30 weeks (measured a week before), the others had no figure
    assert cells[("J4", "midden", "enkhuizen")] | {} == {
        **cells[("J4", "midden", "enkhuizen")],
        "aanbieders": 1, "met_verse_wachttijd": 1, "binnen_norm": 0,
        "mediaan_wachttijd_weken": 30.0, "lacune": True,
    }  # fmt: skip
    assert cells[("J4", "midden", "hoorn")]["met_verse_wachttijd"] == 1
    # the aanmeldstop started three days ago: not yet on a day before
    before_stop = _cells(landscape(dataset(), pack, TODAY - timedelta(days=4)))
    assert before_stop[("J4", "licht", "hoorn")]["binnen_norm"] == 1


def test_the_free_access_offer_per_expertise(pack: RegionPack) -> None:
    land = landscape(dataset(), pack, TODAY)
    free = {(c.expertise, c.municipality): c for c in land.free}
    assert free[("autisme", "opmeer")].within_norm == 1
    assert free[("autisme", "hoorn")].gap and not free[("autisme", "hoorn")].providers
    assert {c.expertise for c in land.free} == {"autisme"}
