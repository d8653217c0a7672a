"""Reading what a person posts: typed words, a quick reply, the life-domain choices.

Only the words that count everywhere live here (yes, no, "weet ik niet", filler);
what an answer to one question means is in questions.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SKIP = "onbekend"  # the quick reply "weet ik niet" / "sla over"
ANSWER_MAX_CHARS = 300
TEXT_MAX_CHARS = 2000  # a hulpvraag in the conversation (the cookie must hold it)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_YES = {"ja", "jazeker", "jawel", "yes", "klopt", "zeker", "natuurlijk", "inderdaad"}
_NO = {"nee", "neen", "niet", "no", "nooit", "nope", "geen", "niemand"}
_SKIP_PHRASES = ("weet ik niet", "weet niet", "geen idee", "onbekend", "sla over", "overslaan")
# "weet ik niet" in the ways people type it: "dat weet ik eigenlijk niet", "ik weet het
# niet", "k weet t nie", "geen flauw idee", "weet ik veel", "kan ik niet zeggen".
_SKIP = re.compile(
    r"\b(?:weet|wist)\s+(?:ik\s+|k\s+|we\s+|wij\s+)?(?:het\s+|t\s+|dat\s+|da\s+)?"
    r"(?:eigenlijk\s+|echt\s+|ook\s+|nog\s+|helemaal\s+|nu\s+|zo\s+|even\s+|precies\s+)*"
    r"(?:niet|nie|nit|niks|niets)\b"
    r"|\b(?:geen|weinig)\s+(?:flauw\s+)?(?:idee|benul)\b"
    r"|\bweet\s+ik\s+veel\b|\bidk\b|\bonbekend\b|\bsla\s+(?:maar\s+)?over\b|\boverslaan\b"
    r"|\b(?:kan|kunnen)\s+(?:ik|we)\s+(?:niet|nog\s+niet)\s+zeggen\b"
    r"|\b(?:moeilijk|lastig)\s+te\s+zeggen\b|\bniet\s+zeker\b"
)
_FILLER = {"hoor", "wel", "toch", "denk", "ik", "het", "dat", "is", "jaar", "jr", "oud", "de"}
# Control characters other than tab and newlines: never part of a real answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class AnswerError(ValueError):
    """An answer we could not read; the message (Dutch) says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Reply:
    """One posted answer, as sent: a quick reply (`choice`), typed words, or per life
    domain the key of a ZRM choice."""

    choice: str = ""
    typed: str = ""
    domains: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadAnswer:
    value: Any
    said: str = ""  # the typed words, kept when they say more than the answer


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def folded(text: str) -> str:
    return " ".join(words(text))


def is_skip(text: str) -> bool:
    """Does the person say they do not know? A plain ja or nee first wins ("nee, weet
    ik niet wie" is no); otherwise "weet ik niet" anywhere does ("dat weet ik eigenlijk
    niet" is unknown, never no)."""
    found = words(text)
    if found and found[0] in (_YES | _NO) - {"niet", "geen", "niemand", "nooit"}:
        return False
    return _SKIP.search(" ".join(found)) is not None


def yes_or_no(text: str) -> bool | None:
    """Yes or no from typed words; None when neither, or both ("ja en nee")."""
    found = words(text)
    yes = [i for i, w in enumerate(found) if w in _YES]
    no = [i for i, w in enumerate(found) if w in _NO]
    if yes and no:
        first_yes, first_no = yes[0], no[0]
        if found[min(first_yes, first_no)] in ("ja", "nee") and min(first_yes, first_no) == 0:
            return first_yes == 0  # "ja, maar niet elke dag", "nee, niet echt"
        return None
    if yes:
        return True
    if no:
        return False
    return None


def both_yes_and_no(text: str) -> bool:
    found = set(words(text))
    return bool(found & _YES) and bool(found & _NO)


def says_more(text: str, known: Iterable[str]) -> bool:
    """Does the typed answer say more than the answer itself?"""
    vocabulary = _YES | _NO | _FILLER | {w for k in known for w in words(k)}
    vocabulary |= {w for p in _SKIP_PHRASES for w in p.split()}
    return any(w not in vocabulary and not w.isdigit() for w in words(text))


def has_control_character(text: str) -> bool:
    return _CONTROL.search(text) is not None


def encodable(text: str) -> bool:
    """No lone surrogates (they cannot be written back as UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


__all__ = [
    "ANSWER_MAX_CHARS",
    "SKIP",
    "TEXT_MAX_CHARS",
    "AnswerError",
    "ReadAnswer",
    "Reply",
    "both_yes_and_no",
    "encodable",
    "folded",
    "has_control_character",
    "is_skip",
    "says_more",
    "words",
    "yes_or_no",
]
