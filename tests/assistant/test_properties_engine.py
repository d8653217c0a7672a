"""Property tests (Hypothesis) of the hulpwijzer's engine: deterministic, total (any
valid answers give an advice, never an exception), and monotone where the rules say so:
a worse life-domain score never lowers the intensity (rule 8)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from etalage.assistant import Answers, advise
from etalage.region import RegionPack, load_pack

PACK = load_pack("westfriesland")
DOMAINS = [d.code for d in PACK.life_domains]
RANK = {None: 0, "licht": 1, "midden": 2, "zwaar": 3}
TEXTS = st.sampled_from([
    "", "Mijn zoon van 9 heeft autisme en raakt snel overprikkeld.",
    "Mijn moeder vergeet veel en woont alleen.", "We hebben schulden en ruzie thuis.",
    "Onze dochter is somber en gaat niet meer naar school.", "Ik zoek hulp.",
])  # fmt: skip
ANSWERS = st.builds(
    Answers,
    age=st.one_of(st.none(), st.integers(0, 100)),
    life_domains=st.dictionaries(st.sampled_from(DOMAINS), st.integers(1, 5), max_size=6),
    network_support=st.one_of(st.none(), st.booleans()),
    residential_care_needed=st.one_of(st.none(), st.booleans()),
    duration=st.one_of(st.none(), st.sampled_from(["temporary", "long_term", "unknown"])),
    previous_care_failed=st.one_of(st.none(), st.booleans()),
    acute_safety=st.one_of(st.none(), st.just(False)),
)


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, answers=ANSWERS)
def test_the_engine_is_total_and_deterministic(text: str, answers: Answers) -> None:
    first = advise(PACK, text, answers)
    again = advise(PACK, text, answers)
    assert first.as_dict() == again.as_dict()
    assert first.route in ("crisis", "A", "B", "C")


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, answers=ANSWERS, domain=st.sampled_from(DOMAINS))
def test_a_worse_score_never_lowers_the_intensity(text: str, answers: Answers, domain: str) -> None:
    pack: RegionPack = PACK
    score = answers.life_domains.get(domain)
    if score is None or score == 1:
        return
    worse = replace(answers, life_domains={**answers.life_domains, domain: score - 1})
    before = advise(pack, text, answers)
    after = advise(pack, text, worse)
    if before.route == "crisis" or after.route == "crisis":
        return
    assert RANK[after.intensity] >= RANK[before.intensity], (answers, domain)
