"""Helpers of the conversation tests: the stories, a fixed provider source, a counter of
engine runs, and `Talk`, one person's conversation driven as the page drives it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from etalage.assistant import ProviderIndex
from etalage.conversation import (
    Conversation,
    ConversationCookie,
    Guide,
    Move,
    Outcome,
    Reply,
    take_step,
    update,
)

AUTISM = "Mijn zoon van 12 heeft autisme en raakt snel overprikkeld."
LONELY = "Hulp gezocht voor mijn buurman, hij is erg eenzaam."
PUBER = "Mijn puber blowt en is agressief."
CRISIS = "Ik wil niet meer leven, ik zie het niet meer zitten."


class FixedProviders:
    """A provider source over one index (the web app's keeps it up to date)."""

    has_demo = False

    def __init__(self, index: ProviderIndex) -> None:
        self.index = index

    def current(self) -> ProviderIndex:
        return self.index


@dataclass
class EngineRuns:
    """Every run of the engine (`advise`) by the conversation: with the providers (the
    advice itself) or without (the probes of "which description fits")."""

    with_providers: int = 0
    without_providers: int = 0

    @property
    def total(self) -> int:
        return self.with_providers + self.without_providers

    def reset(self) -> None:
        self.with_providers = self.without_providers = 0


class Talk:
    """One person's conversation, driven as the page drives it: every post carries the
    page's token and the number of messages it shows."""

    def __init__(self, guide: Guide, codec: ConversationCookie) -> None:
        self.guide, self.codec = guide, codec
        self.conversation: Conversation | None = Conversation.new()
        self.seen = "2"  # the greeting
        self.last: Outcome | None = None

    def post(self, action: Any, **fields: Any) -> Outcome:
        before = self.conversation
        token = self.codec.token(before) if before is not None else ""
        move = Move(action=action, token=fields.pop("token", token), seen=self.seen, **fields)
        outcome = take_step(self.guide, self.codec, before, move)
        self.new = update(self.guide, before, outcome, move)
        # the cookie round trip, as between two requests
        self.conversation = self.codec.load(self.codec.dump(outcome.conversation)).conversation
        self.seen = str(len(outcome.turn.transcript))
        self.last = outcome
        return outcome

    def tell(self, text: str) -> Outcome:
        return self.post("tell", text=text)

    def answer(self, key: str, choice: str = "", typed: str = "", **domains: str) -> Outcome:
        return self.post("answer", key=key, reply=Reply(choice, typed, domains))

    @property
    def asked(self) -> str | None:
        assert self.last is not None
        question = self.last.turn.question
        return question.key if question else None
