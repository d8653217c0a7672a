"""The state of one hulpwijzer conversation: plain data with pure transitions.

A conversation is the hulpvraag, the answers in the order they were given, the chosen
view and what is being changed. Every transition returns a new conversation; nothing
here asks the engine or knows about cookies or HTTP. `as_json` and `from_json` are the
one serialised form (cookie.py signs it).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from etalage.assistant.config import QUESTION_KEYS

Mode = Literal["inwoner", "professional"]

TEXT_KEY = "tekst"  # the hulpvraag in the list of answers ("wijzig" and editing)


@dataclass(frozen=True)
class Step:
    """One answered question: `value` None means "weet ik niet" (skipped)."""

    key: str
    value: Any = None
    said: str = ""  # the words the person typed, when they typed their answer

    def as_list(self) -> list[Any]:
        return [self.key, self.value, self.said]


@dataclass(frozen=True)
class TurnMark:
    """What the page of the last turn showed that only the engine could tell: the
    question it asked (None: none) and whether it showed the crisis. With it, the next
    step knows which messages the person already has without running the engine on the
    old conversation again."""

    asked: str | None = None
    crisis: bool = False


@dataclass(frozen=True)
class Conversation:
    sid: str
    text: str | None = None  # None: the hulpvraag is not told yet
    steps: tuple[Step, ...] = ()
    mode: Mode = "inwoner"
    editing: str | None = None  # TEXT_KEY or a question key being changed
    crisis_seen: bool = False  # crisis contacts stay on the page once shown
    notice: str = ""  # one-off message for the next page (not a personal detail)
    last_turn: TurnMark | None = None  # None: not known (the next step asks the engine)

    @classmethod
    def new(cls, mode: Mode = "inwoner") -> Conversation:
        return cls(sid=secrets.token_urlsafe(16), mode=mode)

    # ---- reading ---------------------------------------------------------------------

    @property
    def answered(self) -> frozenset[str]:
        return frozenset(s.key for s in self.steps)

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    # ---- transitions (each returns a new conversation) -------------------------------

    def tell(self, text: str) -> Conversation:
        return replace(self, text=text, editing=None, notice="")

    def answer(self, key: str, value: Any, said: str = "") -> Conversation:
        """Record an answer; a changed answer keeps its place in the list."""
        new = Step(key, value, said)
        if any(s.key == key for s in self.steps):
            steps = tuple(new if s.key == key else s for s in self.steps)
        else:
            steps = (*self.steps, new)
        return replace(self, steps=steps, editing=None, notice="")

    def edit(self, key: str) -> Conversation:
        known = (key == TEXT_KEY and self.text is not None) or key in self.answered
        return replace(self, editing=key if known else None, notice="")

    def stop_editing(self) -> Conversation:
        return replace(self, editing=None, notice="")

    def switch(self, mode: Mode) -> Conversation:
        return replace(self, mode=mode, notice="")

    def restart(self) -> Conversation:
        """Everything told is forgotten, under a new `sid` (the old cookie is ended, see
        etalage.conversation.cookie); the view and the crisis contacts stay."""
        return Conversation(
            sid=secrets.token_urlsafe(16), mode=self.mode, crisis_seen=self.crisis_seen
        )

    def saw_crisis(self) -> Conversation:
        return self if self.crisis_seen else replace(self, crisis_seen=True)

    def with_notice(self, notice: str) -> Conversation:
        return replace(self, notice=notice)

    def marked(self, mark: TurnMark | None) -> Conversation:
        return replace(self, last_turn=mark)

    # ---- (de)serialising -------------------------------------------------------------

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "sid": self.sid,
            "text": self.text,
            "steps": [s.as_list() for s in self.steps],
            "mode": self.mode,
            "editing": self.editing,
            "crisis_seen": self.crisis_seen,
            "notice": self.notice,
        }
        if self.last_turn is not None:
            out["turn"] = [self.last_turn.asked, self.last_turn.crisis]
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Conversation:
        """Strict: anything unexpected raises ValueError (the cookie is then ignored)."""
        sid, text, mode = data["sid"], data["text"], data["mode"]
        if not isinstance(sid, str) or not sid or (text is not None and not isinstance(text, str)):
            raise ValueError("bad conversation")
        if mode not in ("inwoner", "professional"):
            raise ValueError("bad mode")
        steps = []
        for item in data["steps"]:
            key, value, said = item
            if key not in QUESTION_KEYS or not isinstance(said, str):
                raise ValueError("bad step")
            steps.append(Step(key, value, said))
        editing = data["editing"]
        if editing is not None and editing != TEXT_KEY and editing not in QUESTION_KEYS:
            raise ValueError("bad editing")
        return cls(
            sid=sid,
            text=text,
            steps=tuple(steps),
            mode=mode,
            editing=editing,
            crisis_seen=bool(data["crisis_seen"]),
            notice=str(data.get("notice") or ""),
            last_turn=_mark_from_json(data.get("turn")),
        )


def _mark_from_json(data: Any) -> TurnMark | None:
    if data is None:
        return None
    asked, crisis = data
    if (asked is not None and asked not in QUESTION_KEYS) or not isinstance(crisis, bool):
        raise ValueError("bad turn")
    return TurnMark(asked, crisis)


__all__ = ["TEXT_KEY", "Conversation", "Mode", "Step", "TurnMark"]
