"""Issue 9, point 5: the citizen view speaks B1 Dutch: no codes, internal names or
jargon; the professional view keeps the formal names. Checked over every vignette."""

from __future__ import annotations

import re

from quality import vignettes

from etalage.assistant import advise, parse_answers
from etalage.region import RegionPack

JARGON = re.compile(
    r"problematiek|Duurzaam traject|Hersteltraject|\bADL\b|n_severe|n_affected"
    r"|previous_care_failed|network_support|residential_care_needed|life_domains"
    r"|\b[JW]\d\b|\bRegel \d+\b|segment [ABC]\b",
    re.IGNORECASE,
)


def _citizen_words(advice: object) -> str:
    parts: list[str] = list(advice.explanation)  # type: ignore[attr-defined]
    for follow_up in advice.follow_up_questions:  # type: ignore[attr-defined]
        parts += [follow_up.question, follow_up.help or "", follow_up.reason or ""]
        parts += [option.label for option in follow_up.options or ()]
        parts += [option.label for option in getattr(follow_up, "domains", None) or ()]
    return "\n".join(parts)


def test_no_jargon_in_the_citizen_view(pack: RegionPack) -> None:
    today, cases = vignettes()
    found = []
    for case in cases:
        answers = parse_answers(pack, case.get("answers") or {})
        words = _citizen_words(advise(pack, case["text"], answers, today=today))
        found += [(case["id"], m.group()) for m in JARGON.finditer(words)]
    assert not found, found[:10]


def test_every_name_has_a_b1_label_and_an_explanation(pack: RegionPack) -> None:
    for group in (pack.profiles, pack.intensities, pack.trajectory_types, pack.life_domains):
        for item in group:
            assert item.label and item.description, item.code
            assert not JARGON.search(item.label), item.label


def test_the_professional_view_keeps_the_formal_names(pack: RegionPack) -> None:
    text = "Mijn moeder van 84 is dementerend en vergeet alles."
    citizen = advise(pack, text)
    pro = advise(pack, text, mode="professional")
    assert any("dementie en geheugenproblemen" in line for line in citizen.explanation)
    assert any("W2" in line for line in pro.explanation)


def test_counts_are_in_good_dutch(pack: RegionPack) -> None:
    from etalage.assistant.engine import _count_phrase

    assert _count_phrase(1) == "is 1 aanbieder die deze hulp geeft"
    assert _count_phrase(6) == "zijn 6 aanbieders die deze hulp geven"
