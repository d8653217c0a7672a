"""Reading Dutch text: word forms, typos, compounds, short words, negation and spans."""

from __future__ import annotations

import pytest

from etalage.assistant.engine import Assistant
from etalage.assistant.reading import Hit
from etalage.assistant.text import stem, tokenize


def signals(assistant: Assistant, text: str, active: bool = True) -> dict[str, Hit]:
    """Lexicon term -> hit, for the signals read in the text."""
    return {h.term.casefold(): h for h in assistant.read(text).of("signal", active=active)}


def profiles(assistant: Assistant, text: str) -> set[str]:
    classes = assistant.lexicon.signal_classes
    return {p for h in assistant.read(text).of("signal") for p in classes[h.value].weights}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("driftbuien", "driftbui"),
        ("agressieve", "agressief"),
        ("problemen", "probleem"),
        ("zoontje", "zoon"),
        ("dochtertje", "dochter"),
        ("woedeaanvallen", "woedeaanval"),
        ("sombere", "somber"),
        ("eenzame", "eenzaam"),
        ("pubers", "puber"),
        ("stoornissen", "stoornis"),
    ],
)
def test_word_forms_share_a_stem(a: str, b: str) -> None:
    assert stem(a) == stem(b)


@pytest.mark.parametrize(
    ("text", "profile"),
    [
        ("Hij heeft autsime.", "J4"),  # typo
        ("Hij heeft AUTISME.", "J4"),  # case
        ("Ze is dementerend.", "W2"),  # inflected form
        ("Mijn vader heeft hersenletsel.", "W5"),
        ("Hersenletstel na een ongeluk.", "W5"),  # typo in a long word
        ("Diagnose ADHD.", "J2"),
        ("Diagnose add.", "J2"),  # lower case acronym, exact
        ("Zij heeft MS.", "W1"),  # in capitals only
        ("Ze heeft de ziekte van Parkinson.", "W1"),  # spelling variant of the pack
        ("Hij is erg agressieve geweest.", "J2"),
        ("Hij heeft een gokverslaving.", "W7"),  # compound word
        ("Zijn drugsgebruik is het probleem.", "J7"),
        ("Hij heeft een cocaïneverslaving.", "W7"),  # accent and compound
        ("Suïcidaliteit", None),  # a crisis word is no profile signal
    ],
)
def test_signals_tolerate_typos_forms_and_compounds(
    assistant: Assistant, text: str, profile: str | None
) -> None:
    found = profiles(assistant, text)
    if profile is None:
        assert not found
    else:
        assert profile in found, assistant.read(text).hits


@pytest.mark.parametrize(
    "text",
    [
        "Ik ga hier and daar heen.",  # "and" is no ADD
        "Als het moet, dan moet het.",  # "als" is no ASS
        "Ze heeft blond haar.",  # "blond" is no "blind"
        "Hij is kleurenblind.",  # no zintuiglijke beperking
        "Hij was sober gekleed.",  # "sober" is no "somber"
        "Ze wil meer lezen.",
        "Stuur het via ms teams, het duurt maar 20 ms.",  # "ms" is no MS
        "Tia is mijn buurvrouw.",  # the name is no TIA
    ],
)
def test_short_and_near_words_do_not_match(assistant: Assistant, text: str) -> None:
    assert signals(assistant, text) == {}


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Hij gebruikt geen drugs.", True),
        ("Hij is niet agressief.", True),
        ("Ze is nooit somber.", True),
        ("Middelengebruik: geen.", True),
        ("Drugs: nee.", True),
        ("Hij heeft geen last meer van driftbuien.", True),
        ("Hij kan niet stoppen met blowen.", False),  # inability, not absence
        ("Ik kan geen grenzen stellen.", False),
        ("Ze kan het huishouden niet meer.", False),
        ("Hij is niet alleen somber maar ook angstig.", False),
        ("Geen vrienden, wel erg eenzaam.", False),  # "wel" ends the negation's scope
        ("Hij heeft geen werk en is eenzaam.", False),  # too far away
    ],
)
def test_negation(assistant: Assistant, text: str, negated: bool) -> None:
    hits = assistant.read(text).of("signal", active=False)
    assert hits, text
    assert hits[-1].negated is negated


def test_phrases_are_matched_as_phrases(assistant: Assistant) -> None:
    assert "slecht ter been" in signals(assistant, "Ze is slecht ter been.")
    assert "slecht ter been" not in signals(assistant, "Het been is slecht. Ter info.")
    # a few words may stand in between, but not across a clause
    assert "moeite met leren en begrijpen" in signals(
        assistant, "Ze heeft veel moeite met leren en met begrijpen."
    )
    assert "grenzen stellen" not in signals(assistant, "Grenzen, stellen")


def test_hits_report_span_term_and_signal(assistant: Assistant) -> None:
    text = "Onze zoon (8) heeft autsime en is snel overprikkeld."
    reading = assistant.read(text)
    hit = next(h for h in reading.of("signal") if h.text == "autsime")
    assert text[hit.start : hit.end] == "autsime"
    assert hit.term == "autsime"  # the pack's spelling variant
    assert assistant.lexicon.signal_classes[hit.value].weights["J4"] == 2
    compound = next(h for h in assistant.read("zelfmoordgedachten").of("crisis"))
    assert compound.text == "zelfmoord" and compound.how == "compound"


def test_stated_ages(assistant: Assistant) -> None:
    def ages(text: str) -> list[int]:
        return [a.age for a in assistant.read(text).ages]

    assert ages("Ik ben 67 en woon alleen.") == [67]
    assert ages("Mijn zoon van 12 en mijn dochter (9).") == [12, 9]
    assert ages("Mevr. Jansen, 82 jaar, woont alleen.") == [82]
    assert ages("Een 15-jarige jongen.") == [15]
    assert ages("Ik ben al 3 jaar ziek, 5 jaar geleden begon het.") == []
    assert ages("Mijn vrouw van 3 kinderen") == []


def test_tokens_know_sentences_and_clauses() -> None:
    tokens = tokenize("Eén, twee. Drie")
    assert [(t.norm, t.sentence, t.clause) for t in tokens] == [
        ("een", 0, 0),
        ("twee", 0, 1),
        ("drie", 1, 2),
    ]
