"""Filter injection can neither break nor widen a search, on either backend.

The filter helper allow-lists attribute names and quotes every value (backslash and
double quote escaped); numbers must be numbers. Hostile values therefore either match
nothing (no document carries them) or are refused with a QueryError (API: 400), and
they never raise anything else.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from search_testdata import IDS

from search_index.filters import (
    ATTRIBUTES,
    Compare,
    Eq,
    compare,
    conditions_for,
    eq,
    quote,
    to_meili,
)
from search_index.protocol import QueryError, SearchBackend, SearchFilters, SearchQuery

HOSTILE = [
    'hoorn" OR wetten = "wmo',
    'hoorn\\" OR wetten = \\"wmo',
    '") OR ("1" = "1',
    "hoorn OR enkhuizen",
    "(hoorn)",
    "hoorn) OR (regio = true",
    "hoorn\\",
    "\\",
    '"',
    '\\"',
    "",
    " ",
    'x" OR _geoRadius(52, 5, 100000000) OR "',
    "hoorn\x00",
    "hoorn\n OR regio = true",
    "\x1b[31m\x07\x7f",
    "\u202ehoorn",
    "hoorn' OR '1'='1",
    "*",
    "a" * 200,
]
STRING_PARAMS = ["gemeente", "wet", "segment", "profiel", "intensiteit", "taal"]


def _search(backend: SearchBackend, **filters: Any) -> set[str]:
    result = backend.search(SearchQuery(filters=SearchFilters(**filters), per_page=100))
    return {h.id for h in result.hits}


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("param", STRING_PARAMS)
def test_hostile_values_match_nothing(backend: SearchBackend, param: str, value: str) -> None:
    assert _search(backend, **{param: value}) == set()


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_cannot_widen_a_filtered_search(backend: SearchBackend, value: str) -> None:
    baseline = _search(backend, gemeente="hoorn")
    assert baseline  # the test set has providers in Hoorn
    assert _search(backend, gemeente="hoorn", wet=value) == set()
    assert _search(backend, gemeente="hoorn", expertise=("autisme", value)) == set()
    assert _search(backend, gemeente="hoorn", profiel="J4", intensiteit=value) == set()


def test_a_value_with_quote_and_backslash_matches_exactly(backend: SearchBackend) -> None:
    assert _search(backend, expertise=('x"y\\z',)) == {IDS['Escape "Test" \\ Huis']}
    assert _search(backend, expertise=('x"y\\\\z',)) == set()
    assert _search(backend, expertise=('x\\"y\\z',)) == set()


def test_very_long_values_are_refused_not_sent(backend: SearchBackend) -> None:
    with pytest.raises(QueryError) as e:
        _search(backend, gemeente="h" * 100_000)
    assert e.value.param == "gemeente"


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("leeftijd", "12 OR 1=1"),
        ("leeftijd", math.nan),
        ("leeftijd", math.inf),
        ("leeftijd", True),
        ("leeftijd", -1),
        ("leeftijd", 12.5),
        ("max_wachttijd_weken", "3) OR (1"),
        ("max_wachttijd_weken", 1e308),
        ("afstand_km", -5),
        ("afstand_km", math.nan),
    ],
)
def test_numbers_must_be_numbers(backend: SearchBackend, param: str, value: Any) -> None:
    filters: dict[str, Any] = {param: value}
    if param == "afstand_km":
        filters["postcode"] = "1621"
    with pytest.raises(QueryError) as e:
        _search(backend, **filters)
    assert e.value.param == param


@pytest.mark.parametrize(
    "q",
    [
        '" OR 1=1 --',
        "autisme\x00\x1b[0m",
        "(((((",
        "\\" * 1000,
        "autisme " * 20_000,
        "\ue000autisme\ue001",
        "_geoRadius(52, 5, 1)",
    ],
    ids=range(7),
)
def test_hostile_search_text_is_just_text(backend: SearchBackend, q: str) -> None:
    result = backend.search(SearchQuery(q=q, per_page=100))
    assert result.total >= 0
    for hit in result.hits:
        for segments in hit.highlights.values():
            for value in segments:
                assert all("\ue000" not in s.text and "\ue001" not in s.text for s in value)


# ---- the helper itself ---------------------------------------------------------------------


def test_quote_escapes_backslash_then_quote() -> None:
    assert quote('a"b') == '"a\\"b"'
    assert quote("a\\b") == '"a\\\\b"'
    assert quote('\\"') == '"\\\\\\""'


def test_meili_filter_strings() -> None:
    f = SearchFilters(
        gemeente='hoorn" OR x = "y',
        leeftijd=12,
        expertise=("autisme", "adhd"),
        max_wachttijd_weken=8,
    )
    assert to_meili(conditions_for(f)) == (
        'werkgebied = "hoorn\\" OR x = \\"y" AND expertise = "autisme" AND '
        'expertise = "adhd" AND leeftijd_min <= 12 AND leeftijd_max >= 12 AND '
        "wachttijd_totaal_weken <= 8"
    )
    assert to_meili(conditions_for(SearchFilters(gemeente="regio"))) == "regio = true"
    assert to_meili([]) is None


def test_attributes_are_allow_listed() -> None:
    with pytest.raises(ValueError):
        eq("naam", "x")
    with pytest.raises(ValueError):
        eq("werkgebied = 'x' OR naam", "x")
    with pytest.raises(ValueError):
        compare("werkgebied", "<=", 3)
    with pytest.raises(ValueError):
        compare("leeftijd_min", "< 3 OR leeftijd_min >", 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        to_meili([Eq("naam", "x")])
    with pytest.raises(ValueError):
        to_meili([Compare("naam", "<=", 1.0)])
    assert set(ATTRIBUTES) >= {"werkgebied", "wetten", "expertise", "leeftijd_min"}
