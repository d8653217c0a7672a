"""The test region loads and differs from Westfriesland: nothing is tied to one region."""

from __future__ import annotations

from itertools import product
from typing import Any

from etalage.region import RegionPack, load_pack
from etalage.region.loader import PACKS_DIR


def test_testregio_loads(test_pack: RegionPack) -> None:
    assert test_pack.code == "testregio"
    assert test_pack.name == "Testregio Kustland"
    assert load_pack("testregio") is test_pack  # loaded once, then cached


def test_testregio_differs_from_westfriesland(pack: RegionPack, test_pack: RegionPack) -> None:
    def codes(items: tuple[Any, ...]) -> set[str]:
        return {x.code for x in items}

    assert codes(test_pack.municipalities).isdisjoint(codes(pack.municipalities))
    assert codes(test_pack.profiles).isdisjoint(codes(pack.profiles))
    assert codes(test_pack.expertise) != codes(pack.expertise)
    assert codes(test_pack.life_domains) < codes(pack.life_domains)
    assert test_pack.domain_hints != pack.domain_hints
    assert test_pack.treeknorm != pack.treeknorm
    assert (test_pack.freshness_weeks, test_pack.kpi_min_n) == (4, 10)
    # the same codes may carry other labels in another region
    assert test_pack.label("intensiteit", "midden") == "Gemiddeld"
    assert pack.label("intensiteit", "midden") == "Midden"
    assert test_pack.label("segment", "A") == "Algemene voorziening"
    assert test_pack.label("traject", "herstel") == "Kortdurend traject"


def test_testregio_taxonomy(test_pack: RegionPack) -> None:
    assert [(p.code, p.law) for p in test_pack.profiles] == [
        ("JA", "jeugdwet"),
        ("JB", "jeugdwet"),
        ("VA", "wmo"),
        ("VB", "wmo"),
    ]
    hints = {h.domain: h.profiles for h in test_pack.domain_hints}
    assert hints["geestelijke_gezondheid"] == {"jeugdwet": "JB", "wmo": "VA"}
    assert test_pack.label("profiel", "VB") == "Geheugen en ouderdom"
    assert test_pack.label("expertise", "geheugen") == "Geheugen"
    assert test_pack.label("profiel", "J4") == "J4"  # a Westfriesland code means nothing here
    law = test_pack.law_for_age(10)
    assert law is not None and law.code == "jeugdwet"


def test_testregio_postcodes_come_from_postcodes_yaml(test_pack: RegionPack) -> None:
    assert (PACKS_DIR / "testregio" / "postcodes.yaml").is_file()
    assert test_pack.municipality_of_postcode("2912") == "polderdam"
    assert test_pack.municipality_of_postcode("1621") is None
    assert test_pack.postcode_centroid("2901") == (52.082, 4.238)


def test_testregio_tariffs_inline_and_per_year(test_pack: RegionPack) -> None:
    assert not (PACKS_DIR / "testregio" / "tariffs.yaml").exists()
    combos = {(t.profile, t.intensity, t.trajectory) for t in test_pack.tariffs.items}
    assert combos == set(
        product(["JA", "JB", "VA", "VB"], ["licht", "midden", "zwaar"], ["herstel", "duurzaam"])
    )
    tariff = test_pack.tariff("VB", "zwaar", "duurzaam")
    assert tariff is not None and tariff.unit == "jaar"
