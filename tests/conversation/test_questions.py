"""Each question key, read from typed words and from the quick replies, asked and
labelled: the table of etalage.conversation.questions, called directly."""

from __future__ import annotations

import pytest

from etalage.assistant.config import QUESTION_KEYS
from etalage.conversation import (
    QUESTIONS,
    SKIP,
    AnswerError,
    Asking,
    Conversation,
    Guide,
    ReadAnswer,
    Reply,
    Step,
    answer_label,
    ask,
    read_answer,
)

YES_NO = ("acute_safety", "network_support", "previous_care_failed", "residential_care_needed")


def read(guide: Guide, key: str, choice: str = "", typed: str = "", **domains: str) -> ReadAnswer:
    return read_answer(guide, key, Reply(choice, typed, domains))


def refused(guide: Guide, key: str, choice: str = "", typed: str = "", **domains: str) -> str:
    with pytest.raises(AnswerError) as caught:
        read(guide, key, choice, typed, **domains)
    return caught.value.message


def test_every_question_of_the_engine_has_one_entry() -> None:
    assert sorted(QUESTIONS) == sorted(QUESTION_KEYS)


# ---------------------------------------------------------------------------- "weet ik niet"


@pytest.mark.parametrize("key", QUESTION_KEYS)
def test_every_question_can_be_skipped(guide: Guide, key: str) -> None:
    assert read(guide, key, choice=SKIP) == ReadAnswer(None)
    if key != "life_domains":  # typed: a free-text field is shown for every other kind
        assert read(guide, key, typed="weet ik niet") == ReadAnswer(None, "weet ik niet")
        assert read(guide, key, typed="Geen idee.") == ReadAnswer(None, "Geen idee.")
        # more than "weet ik niet": the words are kept for the story
        said = "weet ik niet, hij praat er nooit over"
        assert read(guide, key, typed=said) == ReadAnswer(None, said)


# ---------------------------------------------------------------------------- yes or no


@pytest.mark.parametrize("key", YES_NO)
def test_yes_no_from_the_buttons(guide: Guide, key: str) -> None:
    assert read(guide, key, choice="ja") == ReadAnswer(True)
    assert read(guide, key, choice="nee") == ReadAnswer(False)
    assert refused(guide, key, choice="misschien") == "Kies een van de antwoorden."


@pytest.mark.parametrize("key", YES_NO)
def test_yes_no_from_typed_words(guide: Guide, key: str) -> None:
    assert read(guide, key, typed="ja hoor") == ReadAnswer(True, "ja hoor")
    assert read(guide, key, typed="Nee, niemand.") == ReadAnswer(False, "Nee, niemand.")
    assert read(guide, key, typed="jawel, de buurvrouw") == ReadAnswer(True, "jawel, de buurvrouw")
    assert refused(guide, key, typed="misschien") == "Typ ja of nee, of kies een van de knoppen."
    assert refused(guide, key) == "Kies een antwoord, of typ uw antwoord."


def test_a_crisis_in_typed_words_is_kept_unanswered(guide: Guide) -> None:
    words = "mijn man bedreigt ons met een mes"  # no ja or nee: not an answer, but heard
    assert read(guide, "previous_care_failed", typed=words) == ReadAnswer(None, words)


# ---------------------------------------------------------------------------- the others


def test_age(guide: Guide) -> None:
    assert read(guide, "age", typed="12") == ReadAnswer(12, "12")
    assert read(guide, "age", typed="hij is 81") == ReadAnswer(81, "hij is 81")
    assert read(guide, "age", typed="15 jaar oud") == ReadAnswer(15, "15 jaar oud")
    assert refused(guide, "age", typed="twaalf") == "Typ de leeftijd als getal, bijvoorbeeld 12."
    assert refused(guide, "age", typed="1 of 2") == "Typ de leeftijd als getal, bijvoorbeeld 12."
    for wrong in ("130", "-5"):  # -5 is not read as 5
        assert refused(guide, "age", typed=wrong) == "De leeftijd moet tussen 0 en 120 jaar liggen."
    assert refused(guide, "age", choice="12") == "Kies een van de antwoorden."


def test_duration(guide: Guide) -> None:
    assert read(guide, "duration", choice="temporary") == ReadAnswer("temporary")
    assert read(guide, "duration", choice="long_term") == ReadAnswer("long_term")
    assert read(guide, "duration", typed="blijvend") == ReadAnswer("long_term", "blijvend")
    assert read(guide, "duration", typed="Tijdelijk") == ReadAnswer("temporary", "Tijdelijk")
    assert read(guide, "duration", typed="voor een tijdje") == ReadAnswer(
        "temporary", "voor een tijdje"
    )
    typed = "een paar maanden"  # read by the engine's lexicon; the words are kept
    assert read(guide, "duration", typed=typed) == ReadAnswer("temporary", typed)
    assert "Kies ‘Voor een tijdje’ of ‘Blijvend’" in refused(guide, "duration", typed="lang")
    assert refused(guide, "duration", choice="soms") == "Kies een van de antwoorden."


def test_postcode(guide: Guide) -> None:
    assert read(guide, "postcode", typed="1621 ab") == ReadAnswer("1621AB", "1621 ab")
    assert read(guide, "postcode", typed="1621") == ReadAnswer("1621", "1621")
    assert "Vul een Nederlandse postcode in" in refused(guide, "postcode", typed="ergens")


def test_profile(guide: Guide) -> None:
    assert read(guide, "profile", choice="J7") == ReadAnswer("J7")
    assert refused(guide, "profile", choice="XX") == "Kies een van de antwoorden."
    # typed words describe the situation: no answer, but part of the story
    typed = "hij is erg somber"
    assert read(guide, "profile", typed=typed) == ReadAnswer(None, typed)
    assert refused(guide, "profile") == (
        "Kies de beschrijving die het best past, of vertel er meer over."
    )


def test_life_domains(guide: Guide) -> None:
    scores = {c.key: c.score for c in guide.config.zrm_choices}
    answer = read(guide, "life_domains", ontwikkeling="lukt_niet", financien="acuut")
    assert answer == ReadAnswer({"ontwikkeling": scores["lukt_niet"], "financien": scores["acuut"]})
    assert read(guide, "life_domains", onbekend_domein="acuut") == ReadAnswer(None)
    assert read(guide, "life_domains") == ReadAnswer(None)  # nothing chosen: skipped
    assert refused(guide, "life_domains", financien="zeven") == (
        "Kies bij ‘Geld en schulden’ een van de antwoorden."
    )


def test_what_no_answer_may_hold(guide: Guide) -> None:
    assert "te lang" in refused(guide, "age", typed="1" + " " * 300 + "2")
    assert refused(guide, "profile", typed="hallo\x00") == (
        "Uw antwoord bevat een ongeldig teken. Typ het opnieuw."
    )


# ---------------------------------------------------------------------------- asked


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        *((key, "choice") for key in YES_NO),
        ("duration", "choice"),
        ("age", "number"),
        ("postcode", "postcode"),
        ("profile", "profile"),
        ("life_domains", "domains"),
    ],
)
def test_every_question_is_asked_with_its_kind(guide: Guide, key: str, kind: str) -> None:
    question = ask(guide, key, Conversation.new().tell("Hulp."), Asking())
    assert (question.key, question.kind) == (key, kind)
    assert question.question == guide.config.questions[key].question
    assert question.free_text == (kind != "domains")
    assert not question.editing and question.current is None


def test_a_question_being_changed_shows_the_earlier_answer(guide: Guide) -> None:
    conversation = Conversation.new().tell("Hulp.").answer("network_support", True)
    conversation = conversation.answer("life_domains", {"financien": 2}).edit("network_support")
    question = ask(guide, "network_support", conversation, Asking())
    assert question.editing and question.current == "ja"  # the button that was chosen
    assert [o.value for o in question.options] == ["ja", "nee"]
    domains = ask(guide, "life_domains", conversation, Asking())
    assert domains.current == {"financien": "lukt_niet"}  # the score as the choice
    assert "financien" in domains.open_domains  # answered: shown without "meer onderwerpen"


def test_profiles_are_named_for_the_inwoner_and_coded_for_the_professional(guide: Guide) -> None:
    inwoner = ask(guide, "profile", Conversation.new().tell("Hulp."), Asking())
    professional = ask(guide, "profile", Conversation.new("professional").tell("x"), Asking())
    j7 = next(o for o in inwoner.options if o.value == "J7")
    assert j7.label == "Hulp bij verslaving"
    assert next(o for o in professional.options if o.value == "J7").label == (
        "J7 Verslavingsproblematiek"  # the formal name for professionals
    )


# ---------------------------------------------------------------------------- labelled


def test_answers_are_labelled_in_plain_dutch(guide: Guide) -> None:
    labels = guide.config.answer_labels
    assert answer_label(guide, Step("acute_safety", True), "inwoner") == labels.yes
    assert answer_label(guide, Step("network_support", False), "inwoner") == labels.no
    assert answer_label(guide, Step("duration", "long_term"), "inwoner") == labels.long_term
    assert answer_label(guide, Step("age", 81), "inwoner") == "81 jaar"
    assert answer_label(guide, Step("postcode", "1621AB"), "inwoner") == "1621 AB"
    assert answer_label(guide, Step("postcode", "1621"), "inwoner") == "1621"
    assert answer_label(guide, Step("profile", "J7"), "inwoner") == "Hulp bij verslaving"
    assert answer_label(guide, Step("profile", "J7"), "professional") == (
        "J7 Verslavingsproblematiek"
    )
    domains = Step("life_domains", {"financien": 2})
    assert answer_label(guide, domains, "inwoner") == "Geld en schulden: Lukt niet"
    assert answer_label(guide, domains, "professional") == "Financiën: Lukt niet (score 2)"
    assert answer_label(guide, Step("age"), "inwoner") == "Weet ik niet"
    assert answer_label(guide, Step("life_domains"), "inwoner") == "Overgeslagen"


# ---------------------------------------------------------------------------- issue 9: echo

DONT_KNOW = [
    "dat weet ik eigenlijk niet",
    "ik weet het niet",
    "Weet ik echt niet.",
    "k weet t nie",
    "geen flauw idee",
    "weet ik veel",
    "Dat kan ik niet zeggen.",
    "ik weet het niet zeker",
    "hmm, moeilijk te zeggen",
]


@pytest.mark.parametrize("typed", DONT_KNOW)
@pytest.mark.parametrize("key", YES_NO)
def test_dont_know_is_unknown_never_no(guide: Guide, key: str, typed: str) -> None:
    """Issue 9: "dat weet ik eigenlijk niet" was stored as Nee."""
    assert read(guide, key, typed=typed) == ReadAnswer(None, typed)


def test_yes_or_no_first_wins_over_dont_know(guide: Guide) -> None:
    assert read(guide, "network_support", typed="nee, weet niet wie") == ReadAnswer(
        False, "nee, weet niet wie"
    )
    assert read(guide, "network_support", typed="ja, maar niet elke dag").value is True
    assert read(guide, "age", typed="weet ik niet precies, hij is 14").value == 14


def test_an_answer_that_says_yes_and_no_is_asked_again_with_the_reason(guide: Guide) -> None:
    message = refused(guide, "network_support", typed="soms ja soms nee")
    assert "zowel ja als nee" in message and "soms ja soms nee" in message


def test_every_typed_answer_is_echoed(guide: Guide) -> None:
    from etalage.conversation.turn import echo

    assert echo("dat weet ik eigenlijk niet", "Weet ik niet") == (
        "U antwoordde: ‘dat weet ik eigenlijk niet’. We lezen dat als: weet ik niet."
    )
    assert "niet als antwoord" in echo("mijn man bedreigt ons met een mes", None)
