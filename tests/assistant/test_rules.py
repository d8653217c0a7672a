"""One test per rule of "Guided assistant: decision rules v1", with its boundary values."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from etalage.assistant import Advice

AdviseFn = Callable[..., Advice]

CODE = re.compile(r"\b(?:[JW][1-8]|n_severe|n_affected|segment [ABC])\b")


def rules_fired(advice: object) -> set[int]:
    return {s.rule for s in advice.decision.trace if s.fired}  # type: ignore[attr-defined]


def keys(advice: object) -> list[str]:
    return [f.key for f in advice.follow_up_questions]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- rule 1


def test_rule1_crisis_from_the_answer(ask: AdviseFn) -> None:
    advice = ask("We hebben veel ruzie thuis.", acute_safety=True, age=10)
    assert advice.route == "crisis"
    assert advice.crisis is not None
    phones = [c["phone"] for c in advice.crisis["contacts"]]
    assert phones[0] == "112"  # acute danger: 112 first
    assert set(phones) == {"112", "0800-0113", "0800-2000"}
    assert advice.crisis["instructions"]
    assert advice.intensity is None and advice.trajectory is None
    assert advice.follow_up_questions == () and advice.providers == ()
    assert 1 in rules_fired(advice)


def test_rule1_crisis_from_the_text_is_never_hidden(ask: AdviseFn) -> None:
    advice = ask(
        "Ik wil niet meer leven.",
        acute_safety=False,
        age=30,
        network_support=True,
        residential_care_needed=False,
        life_domains={"financien": 5},
    )
    assert advice.route == "crisis"
    assert advice.crisis is not None
    assert advice.crisis["contacts"][0]["phone"] == "0800-0113"  # suicide: 113 first
    assert "‘wil niet meer leven’" in advice.explanation[0]


def test_rule1_veilig_thuis_first_for_violence(ask: AdviseFn) -> None:
    advice = ask("Mijn vriend slaat me.")
    assert advice.crisis is not None
    assert advice.crisis["contacts"][0]["phone"] == "0800-2000"


def test_rule1_the_past_is_no_crisis(ask: AdviseFn) -> None:
    advice = ask("Ik ben jaren geleden mishandeld.", age=40, mode="professional")
    assert advice.route != "crisis" and advice.crisis is None
    assert any("verleden" in line for line in advice.explanation)


def test_rule1_no_crisis_without_signal(ask: AdviseFn) -> None:
    advice = ask("Hij wil niet meer naar school.", age=15)
    # "wil niet meer naar school" is an exclusion of the pack: no crisis. The danger model
    # may still ask first ("wil niet meer" is how many suicide texts start), never confirm.
    assert advice.route == "B"
    assert advice.crisis is None or advice.crisis["confirmed"] is False
    assert 1 not in rules_fired(advice)
    calm = ask("Hij heeft moeite met rekenen en krijgt bijles.", age=15)
    assert calm.route == "B" and calm.crisis is None


# ---------------------------------------------------------------------------- rule 2


@pytest.mark.parametrize(
    ("age", "law"), [(0, "jeugdwet"), (17, "jeugdwet"), (18, "wmo"), (120, "wmo")]
)
def test_rule2_law_by_age(ask: AdviseFn, age: int, law: str) -> None:
    assert ask("Hulp gezocht.", age=age).law == law


def test_rule2_the_answer_wins_over_the_text(ask: AdviseFn) -> None:
    advice = ask("Mijn zoon van 12 heeft ADHD.", age=19)
    assert advice.law == "wmo"


@pytest.mark.parametrize(
    ("text", "law"),
    [
        ("Ik ben 67 en slecht ter been.", "wmo"),
        ("Mijn zoon heeft driftbuien.", "jeugdwet"),
        ("Onze baby huilt veel.", "jeugdwet"),
        ("Mijn puber blowt.", "jeugdwet"),
        ("Een leerling uit mijn klas is somber.", "jeugdwet"),
        ("Mijn oma is vergeetachtig.", "wmo"),
        ("Mijn moeder kan het huishouden niet meer.", "wmo"),
        ("Mijn zoon van 25 drinkt te veel.", "wmo"),  # a stated age beats the hint
        ("Mevr., 82 jr, woont alleen.", "wmo"),
        ("Jongen, 14 jaar, spijbelt.", "jeugdwet"),
    ],
)
def test_rule2_law_from_the_text(ask: AdviseFn, text: str, law: str) -> None:
    advice = ask(text)
    assert advice.law == law
    assert "age" not in keys(advice)


@pytest.mark.parametrize(
    "text",
    [
        "Het gaat al 3 jaar slecht.",
        "Dit begon 3 jaar geleden.",
        "Mijn baby van 8 maanden slaapt slecht.",  # "mijn baby" gives the law, not an age
        "Ik ben 3 keer verhuisd.",
    ],
)
def test_rule2_durations_are_no_age(ask: AdviseFn, text: str) -> None:
    advice = ask(text)
    assert advice.decision.age is None


def test_rule2_ask_the_age_without_age_or_hint(ask: AdviseFn) -> None:
    advice = ask("We maken ons zorgen.")
    assert advice.law is None and advice.profile is None
    assert keys(advice)[0] == "age"


def test_rule2_conflicting_hints_ask_the_age(ask: AdviseFn) -> None:
    advice = ask("Mijn moeder zegt dat mijn zoon autisme heeft.")
    assert advice.law is None
    assert "age" in keys(advice)
    assert "mijn moeder" in " ".join(advice.explanation).casefold()


# ---------------------------------------------------------------------------- rule 3


def test_rule3_counts(ask: AdviseFn) -> None:
    advice = ask(
        "Hulp gezocht.",
        age=40,
        life_domains={
            "financien": 1,
            "huisvesting": 2,
            "werk_opleiding": 3,
            "justitie": 4,
            "sociaal_netwerk": 5,
        },
    )
    assert (advice.decision.n_severe, advice.decision.n_affected) == (2, 3)


def test_rule3_a_domain_not_given_is_not_affected(ask: AdviseFn) -> None:
    advice = ask("Hulp gezocht.", age=40)
    assert (advice.decision.n_severe, advice.decision.n_affected) == (0, 0)
    assert "life_domains" in keys(advice)


# ---------------------------------------------------------------------------- rule 4


def test_rule4_n_severe_boundary(ask: AdviseFn) -> None:
    two = {"financien": 2, "huisvesting": 1, "werk_opleiding": 3}
    three = {"financien": 2, "huisvesting": 1, "werk_opleiding": 2}
    assert ask("Ik ben somber.", age=40, life_domains=two).route == "B"
    assert ask("Ik ben somber.", age=40, life_domains=three).route == "C"


def test_rule4_residential_from_answer_and_text(ask: AdviseFn) -> None:
    assert ask("Ik ben somber.", age=40, residential_care_needed=True).route == "C"
    assert ask("Onze dochter (13) moet uit huis geplaatst worden.").route == "C"
    # the answer wins over the text
    assert ask("Opname is besproken.", age=40, residential_care_needed=False).route == "B"
    # a hospital stay in the past is no need for verblijf
    assert ask("Na de opname in het ziekenhuis is hij somber.", age=40).route == "B"


def test_rule4_previous_care_failed_needs_one_severe_domain(ask: AdviseFn) -> None:
    base = {"previous_care_failed": True, "age": 40, "network_support": True}
    assert ask("Ik ben somber.", life_domains={"geestelijke_gezondheid": 3}, **base).route == "A"
    assert ask("Ik ben somber.", life_domains={"geestelijke_gezondheid": 2}, **base).route == "C"


# ---------------------------------------------------------------------------- rules 5 and 6


def test_rule5_n_affected_boundary(ask: AdviseFn) -> None:
    one = {"financien": 3, "werk_opleiding": 4}
    two = {"financien": 3, "werk_opleiding": 3}
    assert ask("Ik ben eenzaam.", age=70, network_support=True, life_domains=one).route == "A"
    assert ask("Ik ben eenzaam.", age=70, network_support=True, life_domains=two).route == "B"


def test_rule5_n_severe_must_be_zero(ask: AdviseFn) -> None:
    advice = ask("Ik ben eenzaam.", age=70, network_support=True, life_domains={"financien": 2})
    assert advice.route == "B"


def test_rule5_network_support(ask: AdviseFn) -> None:
    yes = ask("Ik ben eenzaam.", age=70, network_support=True)
    unknown = ask("Ik ben eenzaam.", age=70)
    no = ask("Ik ben eenzaam.", age=70, network_support=False)
    assert (yes.route, unknown.route, no.route) == ("A", "B", "B")
    assert "network_support" in keys(unknown)  # the answer would change the advice
    assert "network_support" not in keys(no)


def test_rule5_a_specialist_signal_of_any_profile_blocks_a(ask: AdviseFn) -> None:
    assert ask("Hij heeft ADHD.", age=30, network_support=True).route == "B"  # J2's signal
    assert ask("Ze is depressief.", age=30, network_support=True).route == "B"
    assert ask("Ze is somber.", age=30, network_support=True).route == "A"  # other signal
    assert ask("Ze heeft geen depressie.", age=30, network_support=True).route == "A"  # negated


def test_rule6_b_otherwise(ask: AdviseFn) -> None:
    advice = ask("Mijn kind heeft autisme.", age=7, network_support=True)
    assert advice.route == "B"
    assert 6 in rules_fired(advice)


# ---------------------------------------------------------------------------- rule 7


def test_rule7_highest_strength_wins(ask: AdviseFn) -> None:
    # J4: autisme (specialist, 2); J2: driftbuien (other, 1)
    advice = ask("Ons kind heeft autisme en driftbuien.", age=8, mode="professional")
    assert advice.profile == {"code": "J4", "name": "Autisme en ontwikkelingsstoornissen"}
    assert advice.decision.strengths["J4"] == 2 and advice.decision.strengths["J2"] == 1


def test_rule7_a_signal_counts_once(ask: AdviseFn) -> None:
    advice = ask("Somber, somber, heel somber. Somberheid overal.", age=30)
    assert advice.decision.strengths["W3"] == 1


def test_rule7_forms_of_one_signal_count_once(ask: AdviseFn) -> None:
    advice = ask("Hij heeft autisme, is autistisch en heeft ASS.", age=8)
    assert advice.decision.strengths["J4"] == 2


def test_rule7_tie_broken_by_lowest_scored_domain(ask: AdviseFn) -> None:
    text = "Onze zoon is agressief en blowt."  # J2 1, J7 1
    low_middelen = {"middelengebruik": 2, "school_dagbesteding": 3}
    low_school = {"middelengebruik": 3, "school_dagbesteding": 2}
    assert ask(text, age=14, life_domains=low_middelen).profile["code"] == "J7"  # type: ignore[index]
    assert ask(text, age=14, life_domains=low_school).profile["code"] == "J2"  # type: ignore[index]


def test_rule7_equal_scores_follow_the_hint_table_order(ask: AdviseFn) -> None:
    text = "Onze zoon is agressief en blowt."
    both = {"middelengebruik": 2, "school_dagbesteding": 2}  # school_dagbesteding comes first
    assert ask(text, age=14, life_domains=both).profile["code"] == "J2"  # type: ignore[index]


def test_rule7_no_signal_takes_the_domain_hint(ask: AdviseFn) -> None:
    advice = ask(
        "Het lukt allemaal niet.",
        age=50,
        life_domains={"instrumentele_adl": 2, "lichamelijke_gezondheid": 2, "financien": 1},
    )
    assert advice.profile["code"] == "W1"  # type: ignore[index]  # table order, financien has no hint


def test_rule7_a_domain_that_goes_well_gives_no_hint(ask: AdviseFn) -> None:
    advice = ask("Hulp gezocht.", age=50, life_domains={"geestelijke_gezondheid": 4})
    assert advice.profile is None
    assert "profile" in keys(advice)


def test_rule7_undecided_asks_which_description_fits(ask: AdviseFn) -> None:
    advice = ask("Mijn puber blowt en is agressief.")  # J2 1 = J7 1, no domains
    assert advice.profile is None
    question = next(f for f in advice.follow_up_questions if f.key == "profile")
    values = [o.value for o in question.options]
    assert values[:2] == ["J2", "J7"]  # the tied profiles first
    assert set(values) == {"J1", "J2", "J3", "J4", "J5", "J6", "J7"}
    assert all(not CODE.search(o.label) for o in question.options)  # inwoner: no codes


def test_rule7_adult_autism_is_w3(ask: AdviseFn) -> None:
    assert ask("Ik heb autisme.", age=30).profile["code"] == "W3"  # type: ignore[index]
    assert ask("Ik heb autisme.", age=12).profile["code"] == "J4"  # type: ignore[index]


def test_rule7_adult_autism_with_lvb_is_w4(ask: AdviseFn) -> None:
    advice = ask("Ik heb autisme en een licht verstandelijke beperking.", age=30)
    assert advice.profile["code"] == "W4"  # type: ignore[index]


def test_rule7_w8_only_when_it_is_the_only_need(ask: AdviseFn) -> None:
    only = ask("Ik kan het huishouden en de boodschappen niet meer doen.", age=80)
    assert only.profile["code"] == "W8"  # type: ignore[index]
    more = ask("Ik ben eenzaam en kan het huishouden niet meer doen.", age=80)
    assert more.profile["code"] == "W3"  # type: ignore[index]


def test_rule7_negated_signals_count_zero(ask: AdviseFn) -> None:
    advice = ask("Hij gebruikt geen drugs en is niet agressief, wel somber.", age=15)
    assert advice.decision.strengths.get("J7", 0) == 0
    assert advice.decision.strengths.get("J2", 0) == 0
    assert advice.profile["code"] == "J3"  # type: ignore[index]


# ---------------------------------------------------------------------------- rule 8


@pytest.mark.parametrize(
    ("scores", "intensity"),
    [
        ({}, "licht"),
        ({"financien": 3, "huisvesting": 3}, "licht"),  # n_affected 2
        ({"financien": 3, "huisvesting": 3, "justitie": 3}, "midden"),  # n_affected 3
        ({"financien": 2}, "midden"),  # n_severe 1
        ({"financien": 3, "huisvesting": 3, "justitie": 3, "werk_opleiding": 3}, "midden"),
        ({"financien": 2, "huisvesting": 1}, "zwaar"),  # n_severe 2
        (
            {
                d: 3
                for d in (
                    "financien",
                    "huisvesting",
                    "justitie",
                    "werk_opleiding",
                    "tijdsbesteding",
                )
            },
            "zwaar",
        ),  # n_affected 5
    ],
)
def test_rule8_intensity_thresholds(ask: AdviseFn, scores: dict[str, int], intensity: str) -> None:
    advice = ask("Ik ben depressief.", age=40, life_domains=scores)
    assert advice.route == "B"
    assert advice.intensity == intensity


def test_rule8_no_intensity_in_segment_a(ask: AdviseFn) -> None:
    assert ask("Ik ben eenzaam.", age=70, network_support=True).intensity is None


def test_rule8_applies_in_segment_c(ask: AdviseFn) -> None:
    advice = ask("Ik ben depressief.", age=40, residential_care_needed=True)
    assert (advice.route, advice.intensity) == ("C", "licht")


# ---------------------------------------------------------------------------- rule 9


@pytest.mark.parametrize(
    "code_text", ["Ik ben zwakbegaafd.", "Ik ben dementerend.", "Ik heb NAH.", "Ik ben blind."]
)
def test_rule9_lasting_profiles_are_duurzaam(ask: AdviseFn, code_text: str) -> None:
    assert ask(code_text, age=60).trajectory == "duurzaam"
    assert ask(code_text, age=60, duration="temporary").trajectory == "herstel"


def test_rule9_j5_is_duurzaam(ask: AdviseFn) -> None:
    assert ask("Ze heeft een verstandelijke beperking.", age=10).trajectory == "duurzaam"


def test_rule9_other_profiles(ask: AdviseFn) -> None:
    assert ask("Ik ben depressief.", age=40).trajectory == "herstel"
    assert ask("Ik ben depressief.", age=40, duration="long_term").trajectory == "duurzaam"
    assert "duration" in keys(ask("Ik ben depressief.", age=40))


def test_rule9_duration_from_the_text_and_the_answer_wins(ask: AdviseFn) -> None:
    assert ask("Ik ben al jaren depressief.", age=40).trajectory == "duurzaam"
    assert ask("Ik ben blind, ik zoek tijdelijk hulp.", age=70).trajectory == "herstel"
    advice = ask("Ik ben al jaren depressief.", age=40, duration="temporary")
    assert advice.trajectory == "herstel"


def test_rule9_undecided_without_profile_and_duration(ask: AdviseFn) -> None:
    advice = ask("Hulp gezocht.", age=40)
    assert advice.trajectory is None
    assert ask("Hulp gezocht.", age=40, duration="long_term").trajectory == "duurzaam"


# ---------------------------------------------------------------------------- explanation


def test_every_firing_rule_explains_itself(ask: AdviseFn) -> None:
    advice = ask(
        "Mijn zoontje van 7 heeft autisme.",
        life_domains={"ontwikkeling": 2},
        mode="professional",
    )
    text = "\n".join(advice.explanation)
    for rule in (2, 3, 6, 7, 8, 9):
        assert f"Regel {rule}" in text
    assert "J4" in text


def test_inwoner_explanation_has_no_codes(ask: AdviseFn) -> None:
    advice = ask(
        "Mijn zoontje van 7 heeft autisme.",
        life_domains={"ontwikkeling": 2, "opvoeding_gezin": 3},
        network_support=False,
    )
    for line in advice.explanation:
        assert not CODE.search(line), line
        assert "€" not in line
