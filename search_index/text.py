"""Text normalisation shared by the documents, the vocabulary and both backends.

Meilisearch (charabia) lower-cases, removes diacritics from Latin text and splits on
anything that is not a letter or a digit; it does not split camelCase or letter/digit
runs ("ZorgPlus" stays one word, "J4" too). The embedded backend and the vocabulary
must see exactly the same words, so everything goes through `fold` and `words` here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# A word: a run of letters and digits. `\w` also matches "_", which charabia treats
# as a separator, so exclude it explicitly.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")

# Characters from the Unicode private-use area mark highlights inside Meilisearch
# answers; they are removed from every indexed text so a document can never fake one.
HIGHLIGHT_PRE = "\ue000"
HIGHLIGHT_POST = "\ue001"


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Cliënt" -> "client"."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) for every word of the original text.

    Folding can change a word's length (ligatures, "ß"), so spans refer to the original
    text and the folded form is computed per word.
    """
    if text.isascii():  # folding keeps every position: match on the folded text
        for match in _WORD.finditer(text.lower()):
            yield match.start(), match.end(), match.group()
        return
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), fold(match.group())


def clean_text(text: str) -> str:
    """Text fit for indexing: no control characters, no highlight markers, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text).replace(HIGHLIGHT_PRE, "").replace(HIGHLIGHT_POST, "")
    return _SPACES.sub(" ", text).strip()


def phrase(text: str) -> str:
    """A folded, single-spaced phrase: the key form of synonyms and place names."""
    return " ".join(words(text))


def typo_budget(word: str) -> int:
    """Typos tolerated for a query word, as Meilisearch does by default.

    Fewer than 5 characters: none; 5 to 8: one; 9 or more: two.
    """
    length = len(word)
    if length >= 9:
        return 2
    if length >= 5:
        return 1
    return 0
