"""The assistant section of a region pack is validated at load, with Dutch messages."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from etalage.assistant import AssistantConfigError, load_config
from etalage.region import RegionPack


def broken(pack: RegionPack, change: Any) -> str:
    section = copy.deepcopy(pack.assistant)
    change(section)
    with pytest.raises(AssistantConfigError) as exc:
        load_config(pack.model_copy(update={"assistant": section}))
    return str(exc.value)


def test_the_westfriesland_section_is_valid(pack: RegionPack) -> None:
    config = load_config(pack)
    assert config.thresholds.c_n_severe_min == 3
    assert config.duurzaam_profiles == ("J5", "W2", "W4", "W5", "W6")
    assert {c.phone for c in config.crisis.contacts} == {"112", "0800-0113", "0800-2000"}
    assert [(c.label, c.score) for c in config.zrm_choices] == [
        ("Gaat goed", 4),
        ("Lukt soms niet", 3),
        ("Lukt niet", 2),
        ("Acuut: nu hulp nodig", 1),
    ]


def test_a_pack_without_assistant_section(test_pack: RegionPack) -> None:
    with pytest.raises(AssistantConfigError, match=r"assistant\.yaml"):
        load_config(test_pack.model_copy(update={"assistant": {}}))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: s["thresholds"].update(c_n_severe_min="drie"),
            "'thresholds.c_n_severe_min' moet een geheel getal zijn",
        ),
        (
            lambda s: s["thresholds"].pop("zwaar_n_affected_min"),
            "'thresholds.zwaar_n_affected_min' ontbreekt",
        ),
        (lambda s: s.update(duurzaam_profiles=["J5", "X9"]), "onbekend profiel 'X9'"),
        (lambda s: s["questions"].pop("age"), "'questions.age' ontbreekt"),
        (lambda s: s.update(age_patterns=[r"\d+ jaar"]), "geen groep met de naam 'age'"),
        (lambda s: s.update(age_patterns=[r"(?P<age>\d+"]), "geen geldige reguliere expressie"),
        (
            lambda s: s["lexicon"]["synonyms"].update(knuffel="knuffelbeer"),
            "'knuffel' wijst naar 'knuffelbeer'",
        ),
        (
            lambda s: s["lexicon"]["same_signal"].append(["blind", "ziet slecht"]),
            "mengt specialistische en andere signalen",
        ),
        (lambda s: s["law_hints"].update(wlz=["verpleeghuis"]), "onbekende wet 'wlz'"),
        (lambda s: s["crisis"]["first_contact"].update(suicide="115"), "onbekend contact '115'"),
        (
            lambda s: s["special_cases"]["adult_autism"].update(then_profile="J5"),
            "hoort niet bij wet 'wmo'",
        ),
        (lambda s: s.update(unknown_key=1), "'unknown_key' is geen bekend veld"),
        (lambda s: s["zrm_choices"][0].update(score=6), "moet 5 of minder zijn"),
    ],
)
def test_broken_sections_name_the_fault(pack: RegionPack, change: Any, message: str) -> None:
    assert message in broken(pack, change)
