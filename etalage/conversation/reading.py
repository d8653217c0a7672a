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
    text = folded(text)
    return any(text == p or text.startswith(p + " ") for p in _SKIP_PHRASES)


def yes_or_no(text: str) -> bool | None:
    for word in words(text):
        if word in _YES:
            return True
        if word in _NO:
            return False
    return None


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
    "encodable",
    "folded",
    "has_control_character",
    "is_skip",
    "says_more",
    "words",
    "yes_or_no",
]
