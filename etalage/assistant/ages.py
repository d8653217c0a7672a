"""Stated ages the way referrers write them (rule 2: a stated age counts as `age`).

Besides the region pack's own patterns (assistant.yaml `age_patterns`), the assistant
reads the forms of a GP's or toegang note and of everyday Dutch:

- "14 jr", "14 jaar", "(15)", "15-jarige", "mw. 82 jr", "Jgd (15)", "pt 17 jr",
  "leeftijd: 15", "lft 15";
- number words: "vijftienjarige", "twaalfjarige", "een zeventienjarige";
- a birth year or date: "geb. 2011", "geboren in 2011", "geboortejaar 2011",
  "geb. 12-03-2011" (the age on `today`).

Durations are not ages: "al 3 jaar", "sinds 2 jaar", "3 jaar geleden", "10 jaar
getrouwd". The text is the folded text (lower case, no accents) so positions agree with
the pack's patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

_UNITS = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9,
}  # fmt: skip
_TEENS = {
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
}  # fmt: skip
_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
    "tachtig": 80, "negentig": 90,
}  # fmt: skip
_WORD_NUMBER = (
    r"(?:(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen)en)?"
    r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)"
    r"|tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien"
    r"|een|twee|drie|vier|vijf|zes|zeven|acht|negen"
)
_NOT_BEFORE = (
    r"(?<!\bal )(?<!\bsinds )(?<!\bruim )(?<!\bna )(?<!\bover )(?<!\bvoor )(?<!\bdan )"
    r"(?<!\bafgelopen )(?<!\blaatste )(?<!\beerste )(?<!\bkomende )(?<!\bbinnen )(?<!\bde )"
    r"(?<!\bom )(?<!\bin )(?<!\bbijna al )(?<!\bzo'n )(?<!\bzon )"
)
_NOT_AFTER = (
    r"(?!\s*(?:geleden|getrouwd|samen|in\s+dienst|werkzaam|bekend|lang|bezig|later|terug"
    r"|gewerkt|gewoond|verslaafd|tijd|achter|lid|ervaring|oud\s+en)\b)"
)
_PATTERNS = (
    # 14 jr, 82 jr., 14 jaar (not a duration)
    re.compile(_NOT_BEFORE + r"\b(?P<age>\d{1,3})\s*(?:jr|jaar|j)\b\.?" + _NOT_AFTER),
    # 15-jarige, 15 jarige
    re.compile(r"\b(?P<age>\d{1,3})\s*-?\s*jarig(?:e|en)?\b"),
    # (15), ( 15 ), but not a year or a list "(4 en 7)": each age of a list is read
    re.compile(r"\(\s*(?P<age>\d{1,3})\s*(?:jr|jaar|j)?\.?\s*[),]"),
    re.compile(r"\(\s*\d{1,3}\s*(?:en|,|&)\s*(?P<age>\d{1,3})\s*\)"),
    re.compile(r"(?:^|[.;]\s*)\(\s*(?P<age>\d{1,3})\s*\)"),
    # leeftijd: 15, lft 15
    re.compile(r"\b(?:leeftijd|lft|lftd)\.?\s*:?\s*(?P<age>\d{1,3})\b"),
    # mw. 80, dhr 67, pt. 15, jgd 16 (a GP's shorthand before a bare number)
    re.compile(
        r"\b(?:mw|mevr|mevrouw|dhr|meneer|pt|pte|patient|patiente|jgd|jongere|client"
        r"|cliente|zoon|dochter|jongen|meisje|kind)\.?\s*,?\s*(?P<age>\d{1,3})\b"
        r"(?!\s*(?:kinderen|kids|keer|kilo|kg|weken|week|maanden|maand|dagen|dag|uur|cm|euro"
        r"|procent|%|-|tot\b))"
    ),
)
_WORD_AGE = re.compile(rf"\b(?P<word>{_WORD_NUMBER})\s*-?\s*jarig(?:e|en)?\b")
_BORN = re.compile(
    r"\b(?:geb|geboren|geboortejaar|geboortedatum|gebjr|gebdat|geb\.\s*datum)\.?\s*"
    r"(?:in\s+|op\s+|:\s*)?(?:(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})[-/.])?(?P<year>(?:19|20)\d{2})\b"
)


def word_number(word: str) -> int | None:
    """A Dutch number word up to 99: "vijftien" -> 15, "tweeentwintig" -> 22."""
    if word in _UNITS:
        return _UNITS[word]
    if word in _TEENS:
        return _TEENS[word]
    if word in _TENS:
        return _TENS[word]
    for unit, value in _UNITS.items():
        head = unit + "en"
        if word.startswith(head) and word[len(head) :] in _TENS:
            return value + _TENS[word[len(head) :]]
    return None


def stated_ages(folded: str, today: date) -> Iterator[tuple[int, int, str]]:
    """(position, age, the words that state it) for every age stated in the folded text."""
    for pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            age = int(match.group("age"))
            if 0 <= age <= 120:
                yield match.start("age"), age, match.group(0).strip(" (),.;:")
    for match in _WORD_AGE.finditer(folded):
        number = word_number(match.group("word"))
        if number is not None:
            yield match.start(), number, match.group(0)
    for match in _BORN.finditer(folded):
        year = int(match.group("year"))
        age = today.year - year
        if match.group("month") and match.group("day"):
            month, day = int(match.group("month")), int(match.group("day"))
            if (month, day) > (today.month, today.day):
                age -= 1
        if 0 <= age <= 120 and year <= today.year:
            yield match.start(), age, match.group(0)
