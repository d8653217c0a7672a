"""Normalised Dutch words: folding, tokens with their places, and a light stemmer.

The assistant reads free text the same way it reads its lexicon: lower case, no accents,
words split on anything that is not a letter or a digit, and every word reduced to a
simple stem so that plural, inflected and diminutive forms meet ("driftbuien" /
"driftbui", "agressieve" / "agressief", "problemen" / "probleem", "zoontje" / "zoon").
The stemmer is deliberately small: it only has to make the two sides agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# A word: letters and digits, with an inner apostrophe kept ("m'n", "baby's").
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_SENTENCE_BREAK = re.compile(r"[.!?;]|\n\s*\n")
_CLAUSE_BREAK = re.compile(r"[,:()\[\]\"“”\n–]")

_VOWELS = frozenset("aeiouy")
_DIMINUTIVES = ("etjes", "tjes", "pjes", "jes", "etje", "tje", "pje", "je")


# Caches hold words (at most answers.MAX_WORD_CHARS letters), never whole texts: with a
# bound on entries that bounds their bytes too (about 0.5 KB an entry at most).
CACHE_ENTRIES = 8_192
_CACHED_MAX_CHARS = 64  # longer strings (whole texts) are folded without caching


def fold(text: str) -> str:
    """Lower case without diacritics: "Cliënt" -> "client", "suïcide" -> "suicide"."""
    if len(text) > _CACHED_MAX_CHARS:
        return _fold(text)
    return _fold_cached(text)


def _fold(text: str) -> str:
    """Lower case without diacritics: "Cliënt" -> "client", "suïcide" -> "suicide"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_fold_cached = lru_cache(maxsize=CACHE_ENTRIES)(_fold)


def fold_word(word: str) -> str:
    """A folded word without apostrophes: "M'n" -> "mn", "baby's" -> "babys"."""
    return fold(word).replace("'", "").replace("’", "")


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return [fold_word(m.group()) for m in _TOKEN.finditer(text)]


def phrase_key(text: str) -> str:
    """The folded words of a phrase joined by single spaces (the key form of a term)."""
    return " ".join(words(text))


@lru_cache(maxsize=CACHE_ENTRIES)
def stem(word: str) -> str:
    """A light Dutch stem of a folded word; both sides of a match use it.

    Removes one diminutive (-je, -tje, ...), then a plural -en or -s (after a, e, o, y,
    l, m or r: not the -s of "grens", "stoornis", "thuis"), then a final -e; undoubles a
    final double consonant ("ballen" -> "bal"), restores a long vowel in an open
    syllable ("problemen" -> "probleem") and a final v/z ("agressieve" -> "agressief",
    "boze" -> "boos"). Short words stay as they are.
    """
    if len(word) <= 4 or not word.isalpha():
        return word
    base = word
    stripped = ""
    for suffix in _DIMINUTIVES:
        if base.endswith(suffix) and len(base) - len(suffix) >= 3:
            return _tidy(base[: -len(suffix)], "je")
    if base.endswith("en") and len(base) - 2 >= 3:
        base, stripped = base[:-2], "en"
    elif base.endswith("s") and len(base) - 1 >= 4 and base[-2] in "aeolmry":
        base, stripped = base[:-1], "s"
    if base.endswith("e") and len(base) - 1 >= 3:
        base, stripped = base[:-1], "e"
    if not stripped:
        return base
    return _tidy(base, stripped)


def _tidy(base: str, stripped: str) -> str:
    if len(base) >= 4 and base[-1] == base[-2] and base[-1] not in _VOWELS:
        return base[:-1]  # ballen -> bal, lessen -> les
    if stripped in ("en", "e") and len(base) >= 3:
        before, vowel, final = base[-3], base[-2], base[-1]
        open_syllable = before not in _VOWELS and (
            vowel in "aou" or (vowel == "e" and final not in "lnr")
        )
        if open_syllable and final not in _VOWELS and final not in "wj":
            base = base[:-1] + vowel + final  # problem -> probleem, jar -> jaar, lop -> loop
    if base.endswith("v"):
        base = base[:-1] + "f"
    elif base.endswith("z"):
        base = base[:-1] + "s"
    return base


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text, with its place."""

    index: int
    norm: str  # folded
    stem: str
    start: int  # character offsets in the original text
    end: int
    sentence: int
    clause: int
    before: str  # the punctuation between the previous word and this one


def tokenize(text: str) -> list[Token]:
    """The words of a text with sentence and clause numbers.

    Sentences end at . ! ? ; and blank lines; clauses also at , : ( ) quotes and line
    breaks.
    """
    tokens: list[Token] = []
    sentence = clause = 0
    last_end = 0
    for word_match in _TOKEN.finditer(text):
        between = text[last_end : word_match.start()]
        if tokens:
            if _SENTENCE_BREAK.search(between):
                sentence += 1
                clause += 1
            elif _CLAUSE_BREAK.search(between):
                clause += 1
        norm = fold_word(word_match.group())
        tokens.append(
            Token(
                index=len(tokens),
                norm=norm,
                stem=stem(norm),
                start=word_match.start(),
                end=word_match.end(),
                sentence=sentence,
                clause=clause,
                before=between.strip(),
            )
        )
        last_end = word_match.end()
    return tokens
