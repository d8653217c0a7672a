"""One step of the conversation: what a person posts, and what it leads to.

A `Move` is one post (tell the hulpvraag, answer, change an answer, ...). `take_step`
checks it, applies it and settles the new conversation, running the engine once;
`update` says which messages an htmx page still lacks, from the mark of the old
conversation (no engine run for it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from etalage.assistant.answers import check_text
from etalage.conversation.cookie import ConversationCookie, Loaded
from etalage.conversation.guide import Guide
from etalage.conversation.questions import read_answer
from etalage.conversation.reading import TEXT_MAX_CHARS, AnswerError, Reply, encodable
from etalage.conversation.state import Conversation
from etalage.conversation.turn import Message, Turn, settle, shown_page

Action = Literal["tell", "answer", "edit", "cancel", "switch", "restart", "unknown"]

EXPIRED_NOTICE = (
    "Uw vorige gesprek is gewist, omdat het langer dan {minutes} minuten stil was. U kunt"
    " opnieuw beginnen."
)
NO_CONVERSATION = (
    "Uw gesprek was verlopen of gewist. Begin opnieuw; staat uw tekst hieronder nog,"
    " verstuur hem dan nog een keer."
)
STALE_PAGE = "Deze pagina was niet meer actueel. Probeer het nog een keer."
TOO_LARGE = (
    "Uw verhaal en antwoorden zijn samen te lang om te bewaren. Maak uw tekst korter,"
    " of begin opnieuw."
)


@dataclass(frozen=True)
class Move:
    """One post, as sent: the action and its fields (all as typed, not yet checked)."""

    action: Action
    token: str = ""  # the CSRF token of the page
    text: str = ""  # tell: the hulpvraag
    key: str = ""  # answer, edit: the question key (or TEXT_KEY)
    reply: Reply = field(default_factory=Reply)  # answer
    mode: str = ""  # switch: "inwoner" or "professional"
    seen: str = ""  # the number of messages the page showed

    @property
    def forward(self) -> bool:
        """A step forward: the page can append the new messages."""
        return self.action in ("tell", "answer")


@dataclass(frozen=True)
class Outcome:
    conversation: Conversation  # settled: the one to keep
    turn: Turn  # its turn (the one engine run of the step)
    error: str | None = None
    typed: Mapping[str, str] = field(default_factory=dict)  # shown back after an error


@dataclass(frozen=True)
class Update:
    """The messages an htmx page lacks, and whether its crisis block must change."""

    messages: list[Message]
    crisis_changed: bool


def start(guide: Guide, loaded: Loaded, max_age_s: int) -> tuple[Conversation, Turn]:
    """The conversation a page shows: the one loaded, or a new one (saying so when the
    old one expired); settled."""
    conversation = loaded.conversation
    if conversation is None:
        conversation = Conversation.new()
        if loaded.expired:
            conversation = conversation.with_notice(EXPIRED_NOTICE.format(minutes=max_age_s // 60))
    return settle(guide, conversation)


def take_step(
    guide: Guide, cookie: ConversationCookie, before: Conversation | None, move: Move
) -> Outcome:
    """Apply one posted step; an invalid post changes nothing and says why."""
    kept, error = _checked(guide, cookie, before, move)
    conversation, turn = settle(guide, kept)
    if error is None:
        return Outcome(conversation, turn)
    return Outcome(conversation, turn, error, {"tekst": move.text, "vrij": move.reply.typed})


def update(
    guide: Guide, before: Conversation | None, outcome: Outcome, move: Move
) -> Update | None:
    """For a step forward without error: the new messages, when the page showed exactly
    the conversation before and the new transcript continues it (else None: the page
    gets the whole panel)."""
    if outcome.error is not None or not move.forward or before is None:
        return None
    page = shown_page(guide, before)
    count = len(page.transcript)
    if move.seen != str(count):
        return None
    new = outcome.turn.transcript
    if new[:count] != page.transcript or len(new) <= count:
        return None
    now_crisis = outcome.turn.crisis is not None
    seen_changed = before.crisis_seen != outcome.conversation.crisis_seen
    return Update(new[count:], crisis_changed=page.crisis != now_crisis or seen_changed)


def _checked(
    guide: Guide, cookie: ConversationCookie, before: Conversation | None, move: Move
) -> tuple[Conversation, str | None]:
    if before is None or not cookie.check_token(before, move.token):
        return before or Conversation.new(), NO_CONVERSATION if before is None else STALE_PAGE
    try:
        new = apply(guide, before, move)
    except AnswerError as exc:
        return before, exc.message
    if not cookie.fits(new):
        return before, TOO_LARGE
    if new.sid != before.sid:  # started over: the old cookie may not come back
        cookie.end(before)
    return new, None


def apply(guide: Guide, conversation: Conversation, move: Move) -> Conversation:
    """The conversation after the move; AnswerError (Dutch) when the move does not fit."""
    if move.action == "tell":
        text = move.text.strip()
        if not text:
            raise AnswerError("Vertel in een paar woorden waar u hulp bij zoekt.")
        if len(text) > TEXT_MAX_CHARS:
            raise AnswerError(
                f"Uw tekst is te lang ({len(text)} tekens). Gebruik hooguit {TEXT_MAX_CHARS}"
                " tekens."
            )
        if "\x00" in text or not encodable(text):
            raise AnswerError("Uw tekst bevat een teken dat we niet kunnen lezen.")
        problems = check_text(text)  # the engine's own limits (a word too long)
        if problems:
            raise AnswerError(problems[0].message)
        return conversation.tell(text)
    if move.action == "answer":
        if move.key not in guide.config.questions or conversation.text is None:
            raise AnswerError("Deze vraag kennen we niet. Kies een antwoord op de vraag hieronder.")
        answer = read_answer(guide, move.key, move.reply)
        if answer.said and not encodable(answer.said):
            raise AnswerError("Uw antwoord bevat een teken dat we niet kunnen lezen.")
        return conversation.answer(move.key, answer.value, answer.said)
    if move.action == "edit":
        return conversation.edit(move.key)
    if move.action == "cancel":
        return conversation.stop_editing()
    if move.action == "switch":
        if move.mode not in ("inwoner", "professional"):
            raise AnswerError("Kies de weergave voor inwoners of voor professionals.")
        return conversation.switch("professional" if move.mode == "professional" else "inwoner")
    if move.action == "restart":
        return conversation.restart()
    raise AnswerError("Dit konden we niet verwerken. Probeer het nog een keer.")


__all__ = [
    "EXPIRED_NOTICE",
    "Action",
    "Move",
    "Outcome",
    "Update",
    "apply",
    "start",
    "take_step",
    "update",
]
