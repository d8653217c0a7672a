"""Issue 9, point 6: voorliggend veld first. Segment A, or every matching provider over
the Treeknorm: the wijkteam of the citizen's municipality and free-access providers of
the right kind, with the pack's example values marked as examples."""

from __future__ import annotations

from datetime import date

import pytest
from support import provider_record

from etalage.assistant import ProviderIndex, advise, parse_answers
from etalage.region import RegionPack

TODAY = date(2026, 12, 2)
CARER = "Ik zorg voor mijn man (78) met dementie. Ik ben overbelast als mantelzorger."


def _index(pack: RegionPack, wait: int) -> ProviderIndex:
    records = [
        provider_record(
            "10000001", "Steunpunt Mantelzorg", wetten=["wmo"], segmenten=["A"],
            expertise=["mantelzorgondersteuning"], serves_region=True,
        ),
        provider_record(
            "10000002", "Buurtcentrum Algemeen", wetten=["wmo"], segmenten=["A"],
            serves_region=True,
        ),
        provider_record(
            "10000003", "Dementiezorg Thuis", wetten=["wmo"], segmenten=["B"],
            arrangementen=[("W2", "licht"), ("W2", "midden"), ("W2", "zwaar")],
            expertise=["dementie"], serves_region=True, wait_weeks=wait,
            wait_peildatum=date(2026, 11, 15),
        ),
    ]  # fmt: skip
    return ProviderIndex(pack, records, today=TODAY)


def _ask(pack: RegionPack, wait: int, **answers: object) -> dict[str, object] | None:
    parsed = parse_answers(
        pack, {"postcode": "1621 AB", "life_domains": {"sociaal_netwerk": 2}} | answers
    )
    advice = advise(pack, CARER, parsed, _index(pack, wait), today=TODAY)
    return advice.as_dict()["first_help"]  # type: ignore[no-any-return]


def test_all_over_the_treeknorm_shows_the_wijkteam_and_free_access_help(pack: RegionPack) -> None:
    norm = pack.treeknorm.total_weeks
    found = _ask(pack, wait=norm + 10)
    assert found is not None and found["reason"] == "treeknorm"
    team = found["wijkteam"]
    assert isinstance(team, dict) and team["gemeente"] == "Hoorn" and team["phone"]
    assert team["is_example"] and "voorbeeldgegevens" in str(found["example_notice"])
    names = [p["naam"] for p in found["providers"]]  # type: ignore[union-attr]
    assert names[0] == "Steunpunt Mantelzorg"  # the right kind first: help for the carer


def test_within_the_treeknorm_there_is_no_detour(pack: RegionPack) -> None:
    assert _ask(pack, wait=2) is None


def test_segment_a_shows_the_wijkteam(pack: RegionPack) -> None:
    parsed = parse_answers(
        pack,
        {"postcode": "1601", "network_support": True, "life_domains": {"sociaal_netwerk": 3}},
    )
    advice = advise(
        pack, "Ik ben 70 en voel me soms wat eenzaam.", parsed, _index(pack, 2), today=TODAY
    )
    assert advice.route == "A"
    found = advice.first_help
    assert found is not None and found["reason"] == "segment_a"
    assert found["wijkteam"]["gemeente"] == "Enkhuizen"


@pytest.mark.parametrize("postcode", [None])
def test_without_a_postcode_the_text_asks_for_it(pack: RegionPack, postcode: None) -> None:
    advice = advise(
        pack,
        "Ik ben 70 en voel me soms wat eenzaam.",
        parse_answers(pack, {"network_support": True, "life_domains": {"sociaal_netwerk": 3}}),
        _index(pack, 2),
        today=TODAY,
    )
    assert advice.first_help is not None and advice.first_help["wijkteam"] is None
    assert "postcode" in advice.first_help["message"]
