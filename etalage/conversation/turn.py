"""One turn of the conversation: the advice so far, the transcript, and what to ask next.

`take_turn` runs the engine once for the conversation; `settle` keeps on the conversation
what its page showed (a `TurnMark`), so `shown_page` can tell the next step which
messages the person already has without running the engine on the old conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from etalage.assistant import Advice, AdviceInputError, Answers, parse_answers
from etalage.assistant.rules import CRISIS_ROUTE
from etalage.conversation.guide import Guide
from etalage.conversation.questions import QUESTIONS, Asking, Question, answer_label, ask
from etalage.conversation.reading import is_skip, says_more
from etalage.conversation.state import TEXT_KEY, Conversation, TurnMark

EDIT_TEXT = "Pas uw verhaal aan. Daarna kijk ik opnieuw."
CRISIS_CLOSING = (
    "Wat u schrijft klinkt alsof iemand nu in gevaar is. Bovenaan deze pagina staat"
    " wie u direct kunt bellen. Wacht daar niet mee."
)
CLOSING = "Dank u wel. Hieronder staat welke hulp past, en waarom."


@dataclass(frozen=True)
class Message:
    who: Literal["bot", "user"]
    text: str


@dataclass(frozen=True)
class AnswerLine:
    key: str
    question: str
    label: str


@dataclass(frozen=True)
class Turn:
    """Where the conversation stands: the advice so far and what comes next."""

    step: Literal["text", "question", "advice"]
    advice: Advice | None = None
    question: Question | None = None
    transcript: list[Message] = field(default_factory=list)
    answers: list[AnswerLine] = field(default_factory=list)
    engine_answers: Answers = field(default_factory=Answers)  # as the engine took them

    @property
    def crisis(self) -> dict[str, Any] | None:
        return self.advice.crisis if self.advice is not None else None

    @property
    def mark(self) -> TurnMark:
        return TurnMark(self.question.key if self.question else None, self.crisis is not None)


@dataclass(frozen=True)
class Page:
    """The messages a page showed, and whether it showed the crisis."""

    transcript: list[Message]
    crisis: bool


def engine_answers(guide: Guide, conversation: Conversation) -> Answers:
    """The structured answers of the conversation, as the engine takes them."""
    pack = guide.pack
    raw: dict[str, Any] = {}
    for step in conversation.steps:
        if QUESTIONS[step.key].in_answers and step.value is not None:
            raw[step.key] = step.value
    age = raw.get("age")
    if isinstance(age, int) and isinstance(raw.get("life_domains"), dict):
        adult = pack.law_for_age(age)
        if adult is not None and adult.age_min > 0:  # youth-only domains do not apply
            youth = {d.code for d in pack.life_domains if d.youth_only}
            raw["life_domains"] = {k: v for k, v in raw["life_domains"].items() if k not in youth}
    for _ in range(3):
        try:
            return parse_answers(pack, raw)
        except AdviceInputError as exc:  # drop what no longer fits (never expected)
            for err in exc.errors:
                parts = err.field.split(".")
                if len(parts) == 3 and isinstance(raw.get(parts[1]), dict):
                    raw[parts[1]].pop(parts[2], None)
                elif len(parts) >= 2:
                    raw.pop(parts[1], None)
    return Answers()


def engine_story(guide: Guide, conversation: Conversation, answers: Answers) -> str:
    """The hulpvraag plus what the person typed on the way; plus the chosen profile's
    phrase when they picked "which description fits"."""
    parts = [conversation.text or ""]
    # typed answers count for the story when they say more than the answer ("jawel, de
    # buurvrouw"); a plain "ja" or "weet ik niet" adds nothing
    parts += [s.said for s in conversation.steps if s.said and says_more(s.said, ())]
    story = "\n".join(p for p in parts if p)
    chosen = conversation.step("profile")
    if chosen is not None and isinstance(chosen.value, str):
        line = guide.profile_line(story, answers, chosen.value)
        if line:
            story = f"{story}\n{line}"
    return story


def take_turn(guide: Guide, conversation: Conversation) -> Turn:
    """The advice for the conversation so far and the next thing to ask."""
    if conversation.text is None:
        return Turn(step="text", transcript=_greeting(guide))
    answers = engine_answers(guide, conversation)
    story = engine_story(guide, conversation, answers)
    advice = guide.advise(story, answers, conversation.mode)
    question = _next_question(guide, conversation, advice)
    transcript, lines = _told(guide, conversation)
    crisis = advice.route == CRISIS_ROUTE
    transcript.append(_last_message(conversation, question.question if question else None, crisis))
    step: Literal["text", "question", "advice"] = "advice"
    if conversation.editing == TEXT_KEY:
        step = "text"
    elif question is not None:
        step = "question"
    return Turn(step, advice, question, transcript, lines, answers)


def settle(guide: Guide, conversation: Conversation) -> tuple[Conversation, Turn]:
    """The turn of the conversation, and the conversation to keep: crisis contacts stay
    once shown, and it remembers what its page showed."""
    turn = take_turn(guide, conversation)
    if turn.crisis is not None:
        conversation = conversation.saw_crisis()
    return conversation.marked(turn.mark), turn


def shown_page(guide: Guide, conversation: Conversation) -> Page:
    """The page of a settled conversation (loaded from the cookie): from its mark, or
    from the engine when it has none (an older cookie, or one too full for the mark)."""
    mark = conversation.last_turn
    if conversation.text is None:
        return Page(_greeting(guide), crisis=False)
    if mark is None:
        turn = take_turn(guide, conversation)
        return Page(turn.transcript, turn.crisis is not None)
    question = guide.config.questions[mark.asked].question if mark.asked is not None else None
    transcript, _ = _told(guide, conversation)
    transcript.append(_last_message(conversation, question, mark.crisis))
    return Page(transcript, mark.crisis)


def _next_question(guide: Guide, conversation: Conversation, advice: Advice) -> Question | None:
    editing = conversation.editing
    if editing == TEXT_KEY:
        return None
    asked = {f.key: f for f in advice.follow_up_questions}
    if editing is not None:
        return ask(guide, editing, conversation, Asking(advice, asked.get(editing)))
    if advice.route == CRISIS_ROUTE:
        return None
    for follow_up in advice.follow_up_questions:
        if follow_up.key not in conversation.answered:
            return ask(guide, follow_up.key, conversation, Asking(advice, follow_up))
    return None


def _greeting(guide: Guide) -> list[Message]:
    return [
        Message(
            "bot",
            f"Hallo. Ik ben de hulpwijzer van {guide.pack.name}. Ik help u te zien welke hulp"
            " past, en wie die hulp geeft.",
        ),
        Message(
            "bot",
            "Vertel in uw eigen woorden wat er aan de hand is. Voor wie zoekt u hulp, en waarbij?",
        ),
    ]


def _told(guide: Guide, conversation: Conversation) -> tuple[list[Message], list[AnswerLine]]:
    """The greeting, the hulpvraag and every answer so far; and the list of answers."""
    text = conversation.text or ""
    transcript = [*_greeting(guide), Message("user", text)]
    lines = [AnswerLine(TEXT_KEY, "Uw hulpvraag", text)]
    for step in conversation.steps:
        question = guide.config.questions[step.key].question
        label = answer_label(guide, step, conversation.mode)
        unanswered = step.value is None and step.said and not is_skip(step.said)
        if unanswered:  # words that did not answer the question (a danger, say)
            label = step.said
        transcript += [Message("bot", question), Message("user", step.said or label)]
        if step.said:
            transcript.append(Message("bot", echo(step.said, None if unanswered else label)))
        lines.append(AnswerLine(step.key, question, label))
    return transcript, lines


def echo(said: str, label: str | None) -> str:
    """How a typed answer was read: "U antwoordde: ‘ik weet het niet’. We lezen dat als:
    weet ik niet." (label None: the words did not answer the question)."""
    words_ = " ".join(said.split())
    if label is None:
        return (
            f"U antwoordde: ‘{words_}’. Dat lezen we niet als antwoord op de vraag, maar we"
            " nemen het mee."
        )
    return f"U antwoordde: ‘{words_}’. We lezen dat als: {label[:1].lower() + label[1:]}."


def _last_message(conversation: Conversation, question: str | None, crisis: bool) -> Message:
    """What the hulpwijzer says last: what to do now, the question, or the closing."""
    if conversation.editing == TEXT_KEY:
        return Message("bot", EDIT_TEXT)
    if question is not None:
        return Message("bot", question)
    return Message("bot", CRISIS_CLOSING if crisis else CLOSING)


__all__ = [
    "AnswerLine",
    "Message",
    "Page",
    "Turn",
    "echo",
    "engine_answers",
    "engine_story",
    "settle",
    "shown_page",
    "take_turn",
]
