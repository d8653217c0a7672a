"""One vocabulary from the region pack: synonyms, variants, places, query understanding."""

from __future__ import annotations

import pytest

from search_index.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("autisme", {"ass", "autistisch", "pdd nos", "asperger"}),
        ("ass", {"autisme"}),
        ("pdd nos", {"autisme"}),
        ("adhd", {"add"}),
        ("add", {"adhd"}),
        ("lvb", {"licht verstandelijke beperking"}),
        ("licht verstandelijke beperking", {"lvb"}),
        ("nah", {"hersenletsel", "beroerte"}),
        ("hersenletsel", {"nah", "beroerte"}),
        ("dementie", {"alzheimer", "geheugenproblemen"}),
        ("alzheimer", {"dementie", "geheugenproblemen"}),
        ("dementerend", {"dementie"}),
        ("altzheimer", {"alzheimer", "dementie"}),  # a variant of a synonym: resolved through
    ],
)
def test_synonyms_from_the_pack(vocabulary: Vocabulary, term: str, expected: set[str]) -> None:
    assert expected <= vocabulary.expand(term)


def test_profile_signals_point_to_the_profile_code(vocabulary: Vocabulary) -> None:
    assert vocabulary.expand("epilepsie") == {"j6"}
    assert vocabulary.expand("cerebrale parese") == {"j6"}
    # An expertise term is not widened to its profiles (W3 lists autisme as a signal).
    assert "w3" not in vocabulary.expand("autisme")


def test_meili_synonyms_are_the_same_expansions(vocabulary: Vocabulary) -> None:
    synonyms = vocabulary.meili_synonyms()
    assert set(synonyms["alzheimer"]) == vocabulary.expand("alzheimer")
    assert all(k == k.casefold() and "  " not in k for k in synonyms)
    assert all(v != "alzheimer" for v in synonyms["alzheimer"])


@pytest.mark.parametrize(
    ("q", "text", "leeftijd", "gemeente"),
    [
        ("autsime 12 jaar hoorn", "autisme", 12, "hoorn"),
        ("Autisme 12-jarige Hoorn", "autisme", 12, "hoorn"),
        ("adhd jongen van 9", "adhd jongen", 9, None),
        ("dementie 80 jr zwaag", "dementie", 80, "hoorn"),  # Zwaag lies in Hoorn
        ("hulp in stede broec", "hulp in", None, "stede-broec"),
        ("stedebroec lvb", "lvb", None, "stede-broec"),
        ("begeleiding enkhuisen", "begeleiding", None, "enkhuizen"),  # a typo in a place
        ("hulp voor hem", "hulp voor hem", None, None),  # "hem" is a word, not Hem
        ("jongeren van 12 tot 18", "jongeren", 12, None),  # a range: see below
        ("leeftijd: 15 trauma", "trauma", 15, None),
        ("130 jaar", "130 jaar", None, None),
    ],
)
def test_understanding(
    vocabulary: Vocabulary, q: str, text: str, leeftijd: int | None, gemeente: str | None
) -> None:
    u = vocabulary.understand(q)
    assert (u.text, u.leeftijd, u.gemeente) == (text, leeftijd, gemeente)


def test_understanding_reports_what_it_read(vocabulary: Vocabulary) -> None:
    u = vocabulary.understand("autsime 12 jaar hoorn")
    assert u.corrections == (("autsime", "autisme"),)
    assert u.summary() == "We zochten op ‘autisme’, leeftijd 12 jaar, gemeente Hoorn."
    assert vocabulary.understand("").summary() == ""


def test_the_word_being_typed_is_not_corrected_away(vocabulary: Vocabulary) -> None:
    assert vocabulary.understand("autis").text == "autis"  # prefix of autisme, autistisch
    assert vocabulary.understand("dementei").text == "dementie"  # one typo: corrected
    assert vocabulary.understand("dementei ").text == "dementie"


def test_explicit_filters_win(vocabulary: Vocabulary) -> None:
    u = vocabulary.understand("autisme 12 jaar hoorn", leeftijd=30, gemeente="opmeer")
    assert (u.leeftijd, u.gemeente) == (None, None)
    assert u.text == "autisme hoorn"  # another place than the filter stays text


def test_did_you_mean(vocabulary: Vocabulary) -> None:
    assert vocabulary.suggest("dmentei") == "dementie"
    assert vocabulary.suggest("autisme") is None
    assert vocabulary.suggest("qqqqzzzz") is None


def test_postcodes(vocabulary: Vocabulary) -> None:
    assert vocabulary.postcode_point("1621 AB") == vocabulary.postcode_point("1621ab")
    assert vocabulary.postcode_point("1621") is not None
    assert vocabulary.postcode_point("9999 ZZ") is None
    assert vocabulary.postcode_point("1621 AB; DROP") is None


@pytest.mark.parametrize(
    ("q", "text", "start", "end"),
    [
        ("jongeren van 12 tot 18", "jongeren", 12, 18),
        ("autisme 12-18 jaar hoorn", "autisme", 12, 18),
        ("tussen 4 en 12 jaar adhd", "adhd", 4, 12),
        ("dementie 65 tot en met 99 jaar", "dementie", 65, 99),
        ("van 4 t/m 12 trauma", "trauma", 4, 12),
        ("van 18 tot 12 jaar", "", 12, 18),  # either way round
        ("12 tot 18", "12 tot 18", None, None),  # no "van", no "jaar": just text
        ("van 12 tot 130 jaar", "van 12 tot 130 jaar", None, None),  # not an age
    ],
)
def test_age_ranges(
    vocabulary: Vocabulary, q: str, text: str, start: int | None, end: int | None
) -> None:
    u = vocabulary.understand(q)
    assert (u.text, u.leeftijd, u.leeftijd_tot) == (text, start, end)
    if end is not None:
        assert f"leeftijd {start} tot en met {end} jaar" in u.summary()
