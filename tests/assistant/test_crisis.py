"""Crisis first: every crisis phrasing is caught, hard topics without danger are not.

Issue 4: at least 30 crisis phrasings (indirect ones and typos included) caught 100%,
and at least 30 texts that merely mention hard topics that do not trigger it.
"""

from __future__ import annotations

import pytest

from etalage.assistant import Answers, advise, assistant_for
from etalage.region import RegionPack

CRISIS = [
    # suicidal thoughts, direct
    "Ik denk steeds aan zelfmoord.",
    "ik wil niet meer leven",
    "Mijn dochter (15) zegt dat ze niet meer wil leven.",
    "Ik wil een eind aan mijn leven maken.",
    "Hij heeft gezegd dat hij dood wil.",
    "ik wil mezelf iets aandoen",
    "Sinds vorige week heeft ze zelfmoordgedachten.",
    "Cliënt is suïcidaal, heeft een plan.",
    "Zoon 16 jr, suicidaal, pillen gespaard.",
    "Ik heb een afscheidsbrief geschreven.",
    # suicidal thoughts, indirect
    "Ik zie het niet meer zitten, iedereen is beter af zonder mij.",
    "Ik zie geen uitweg meer.",
    "Het leven heeft voor mij geen zin meer.",
    "Het hoeft voor mij niet meer.",
    "Ik wil er gewoon niet meer zijn.",
    "Soms hoop ik dat ik niet meer wakker word. Ik wil niet meer wakker worden.",
    "Ik weet niet of ik nog wil leven.",
    "Ik wil niet meer. Ik ben zo moe van alles.",
    "Hij dreigt zichzelf iets aan te doen als zijn vriendin weggaat.",
    "Ik heb geen zin meer om te leven.",
    # with typos
    "ik denk aan zelfmoort",
    "ik wil dood, echt waar",
    "mijn vriend slaat me als hij gedronken heeft",
    "Er is huiselijk gewelt bij ons thuis.",
    "ze word mishandelt door haar stiefvader",
    "ik voel me onveilg thuis",
    "ik wil mezelf wat aan doen",
    "Ik snij mezelf als het me te veel wordt.",
    # violence or abuse at home now
    "Mijn man slaat me en ik ben bang.",
    "Hij slaat mij en de kinderen.",
    "Mijn moeder wordt geslagen door mijn vader.",
    "Ons kind wordt mishandeld.",
    "Mijn dochter is misbruikt door een oom.",
    "Ik ben bang voor mijn man, hij is gewelddadig.",
    # a child that is unsafe
    "Mijn vriendin van 14 durft niet naar huis.",
    "Het is thuis niet veilig voor de kinderen.",
    "Ik ben 13 en voel me niet veilig thuis.",
    # acute danger
    "Mijn ex bedreigt ons en staat voor de deur.",
    "Hij staat met een mes in de keuken en schreeuwt.",
    "Mijn zoon is in gevaar, hij is weggelopen met een man die hem bedreigt.",
    "Mijn vader heeft een overdosis genomen.",
    # past and present together: the present wins
    "Vroeger werd ik geslagen en nu slaat mijn vriend me weer.",
]

NOT_CRISIS = [
    "Mijn vader had vroeger een drankprobleem.",
    "Ze is bang voor onweer en slaapt slecht.",
    "Hij wil niet meer naar school.",
    "Ik wil niet meer naar de dagbesteding, het is er saai.",
    "Ik werd jaren geleden mishandeld, daar heb ik nu nog nachtmerries van.",
    "Toen ik jong was, sloeg mijn vader me. Nu heb ik last van angst.",
    "Vroeger dacht ik vaak aan zelfmoord, maar dat is voorbij.",
    "Mijn moeder kan niet meer met mes en vork eten door haar reuma.",
    "Zijn baan is in gevaar door zijn drinken.",
    "Ik schaam me dood voor de rommel in huis.",
    "Ik ben doodmoe van de zorg voor mijn moeder.",
    "Mijn zoon is doodsbang voor honden.",
    "Zij eet bijna niet en is erg mager.",
    "Onze dochter heeft woedeaanvallen en gooit met spullen.",
    "Mijn kind slaat andere kinderen op school.",
    "Er is geen sprake van huiselijk geweld.",
    "Suïcidaliteit uitgevraagd: geen.",
    "Hij is niet suïcidaal, wel erg somber.",
    "Ik denk niet aan zelfmoord, maar ik ben wel heel moe.",
    "Mijn opa is vorig jaar overleden en mijn oma is eenzaam.",
    "Mijn broer is dood gegaan aan kanker, sindsdien is mijn moeder somber.",
    "Ik kan het huishouden niet meer aan.",
    "Mijn zoon van 17 blowt elke dag en wil niet meer naar zijn werk.",
    "Mijn man is dementerend en dwaalt 's nachts door het huis.",
    "Ze heeft last van paniekaanvallen als ze naar buiten moet.",
    "Hij gamet de hele nacht en is overdag moe.",
    "We hebben veel ruzie thuis over de scheiding.",
    "De kinderen zijn bang in het donker.",
    "Sinds de beroerte kan mijn vader niet meer goed praten.",
    "Mijn moeder ziet bijna niets meer en is bang om te vallen.",
    "Ik heb schulden en de deurwaarder komt langs.",
    "Hij maakt misbruik van mijn goedheid en leent steeds geld.",
    "Het gaat slecht met mijn examens, mijn diploma is in gevaar.",
    "Ons kind is vaak in het ziekenhuis door epilepsie.",
    "Ik slaap slecht en pieker veel over mijn werk.",
]


def test_the_suites_are_large_enough() -> None:
    assert len(CRISIS) >= 30
    assert len(NOT_CRISIS) >= 30
    assert len(set(CRISIS)) == len(CRISIS) and len(set(NOT_CRISIS)) == len(NOT_CRISIS)


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_is_caught(pack: RegionPack, text: str) -> None:
    advice = advise(pack, text)
    assert advice.route == "crisis", [h for h in advice.reading.hits if h.kind == "crisis"]  # type: ignore[union-attr]
    assert advice.crisis is not None
    assert {c["phone"] for c in advice.crisis["contacts"]} == {"112", "0800-0113", "0800-2000"}


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_hard_topics_are_no_crisis(pack: RegionPack, text: str) -> None:
    advice = advise(pack, text)
    assert advice.route != "crisis", [h for h in advice.reading.hits if h.kind == "crisis"]  # type: ignore[union-attr]
    if advice.crisis is not None:  # the danger model may ask first (issue 9: on <= 10 %)
        assert advice.crisis["confirmed"] is False
        assert advice.follow_up_questions[0].key == "acute_safety"


def test_hard_topics_rarely_ask_first(pack: RegionPack) -> None:
    """The safety question on at most 10 % of hard texts without danger (issue 9)."""
    asked = [t for t in NOT_CRISIS if advise(pack, t).crisis is not None]
    assert len(asked) <= len(NOT_CRISIS) // 10, asked


@pytest.mark.parametrize(
    "answers",
    [
        Answers(acute_safety=False),
        Answers(age=40, network_support=True, residential_care_needed=False),
        Answers(age=12, life_domains={"financien": 5}, duration="temporary"),
        Answers(residential_care_needed=True, previous_care_failed=True),
    ],
)
def test_no_answer_hides_a_crisis(pack: RegionPack, answers: Answers) -> None:
    advice = advise(pack, "Ik zie het niet meer zitten, ik wil er niet meer zijn.", answers)
    assert advice.route == "crisis"
    assert advice.crisis is not None


def test_crisis_in_professional_mode_keeps_the_trace(pack: RegionPack) -> None:
    advice = advise(pack, "Hij dreigt zichzelf iets aan te doen. Hij is 16.", mode="professional")
    assert advice.route == "crisis" and advice.law == "jeugdwet"
    assert advice.professional is not None
    step = advice.professional["trace"][0]
    assert step["rule"] == 1 and step["fired"] is True
    assert "CRISIS" in advice.professional["summary"]


RELAPSE = [
    "vroeger sloeg hij me, nu begint het weer",
    "Vroeger deed ik aan zelfbeschadiging, toen ben ik gestopt, maar sinds gister doe ik het weer.",
    "Twee jaar geleden heeft mijn ex me mishandeld. Sinds gisteren staat hij opnieuw voor de deur.",
    "vroeger sloeg hij me, 2 jaar rust, sinds vorige week weer",
]
STILL_PAST = [
    "Vroeger werd ik geslagen, nu ben ik weer gelukkig en veilig.",
    "Vroeger sloeg mijn vader me. Nu woon ik weer bij mijn moeder.",
]


@pytest.mark.parametrize("text", RELAPSE)
def test_the_past_coming_back_is_not_past(pack: RegionPack, text: str) -> None:
    """The past followed by a relapse is not decided: the reader marks it a doubt (the
    safety question first), never the past."""
    statuses = [h.status for h in assistant_for(pack).read(text).hits if h.kind == "crisis"]
    assert "doubt" in statuses and "not:verleden" not in statuses, statuses


@pytest.mark.parametrize("text", STILL_PAST)
def test_weer_alone_is_no_relapse(pack: RegionPack, text: str) -> None:
    statuses = [h.status for h in assistant_for(pack).read(text).hits if h.kind == "crisis"]
    assert statuses == ["not:verleden"], statuses


# The danger put first, verb and subject inverted after it ("X heb ik niet"), then the
# negation: negated. Not when the negation belongs to something else.
FRONTED_NEGATED = [
    "Zelfmoordgedachten heb ik niet, wel veel gepieker.",
    "zelfmoordgedachten heb ik nie, wel veel piekeren. praatgroep?",
    "Suïcidale gedachten heeft hij niet.",
    "Geslagen heeft hij me nooit.",
    "Een eind aan mijn leven maken zou ik nooit doen, daarvoor hou ik te veel van ze.",
]
FRONTED_NOT_NEGATED = [
    "Mezelf snijden kan ik niet laten.",
    "Zelfmoordgedachten heb ik, niet alleen 's nachts.",
    "Hij slaat me, ik durf niks te zeggen.",
]


def _crisis_statuses(pack: RegionPack, text: str) -> list[str]:
    return [h.status for h in assistant_for(pack).read(text).hits if h.kind == "crisis"]


@pytest.mark.parametrize("text", FRONTED_NEGATED)
def test_a_fronted_danger_with_a_later_negation_is_negated(pack: RegionPack, text: str) -> None:
    statuses = _crisis_statuses(pack, text)
    assert statuses and all(s == "not:ontkenning" for s in statuses), statuses


@pytest.mark.parametrize("text", FRONTED_NOT_NEGATED)
def test_a_negation_of_something_else_is_no_negation(pack: RegionPack, text: str) -> None:
    assert "hit" in _crisis_statuses(pack, text)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Hij zegt dat hij zich van het leven berooft.", "hit"),
        ("Ze wil zich van het leven beroven.", "hit"),
        ("Er lagen lege doordrukstrips en ze heeft alles ingenomen.", "hit"),
        ("Volgens mij ligt ze op de vloer, ze zegt niets.", "hit"),
        ("de co melder piept en we zijn duizelig", "doubt"),
        ("Mijn kat is dood.", "doubt"),  # grief mostly; a person found dead: ask first
        ("ik sta op de brug bij de haven", "doubt"),
        ("Ik heb besloten ik stop met eten en medicijn. Het is beter zo.", "doubt"),
        ("vorig jaar ben ik gestopt met snijden maar sinds twee weken doe ik het weer", "doubt"),
        ("hij krijgt ineens heel slecht lucht, zijn beademingsapparaat piept", "doubt"),
        ("we staan op de brug te vissen met opa", None),
        ("Mijn telefoon is dood, ik kan de app niet openen.", None),
        ("De dief wilde mijn leven beroven van alle vreugde.", None),
    ],
)
def test_more_ways_danger_is_written(pack: RegionPack, text: str, status: str | None) -> None:
    statuses = _crisis_statuses(pack, text)
    if status is None:
        assert not [s for s in statuses if s in ("hit", "doubt")], statuses
    else:
        assert status in statuses, statuses
