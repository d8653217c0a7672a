"""What each follow-up question means to the conversation: how it is asked, how a
posted answer is read, and how the answer is shown. One entry per question key
(`QUESTIONS`); the wording comes from the pack's assistant.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from etalage.assistant import Advice, AdviceInputError, parse_answers
from etalage.assistant.answers import MAX_AGE
from etalage.assistant.config import QUESTION_KEYS
from etalage.assistant.lexicon import CRISIS, DOMAIN, DURATION
from etalage.assistant.rules import FollowUp
from etalage.conversation.guide import Guide
from etalage.conversation.reading import (
    ANSWER_MAX_CHARS,
    SKIP,
    AnswerError,
    ReadAnswer,
    Reply,
    both_yes_and_no,
    folded,
    has_control_character,
    is_skip,
    says_more,
    yes_or_no,
)
from etalage.conversation.state import Conversation, Mode, Step

QuestionKind = Literal["choice", "number", "postcode", "profile", "domains"]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Question:
    """A question as the page shows it."""

    key: str
    kind: QuestionKind
    question: str
    help: str = ""
    reason: str = ""
    options: tuple[Choice, ...] = ()
    domains: tuple[Choice, ...] = ()
    open_domains: frozenset[str] = frozenset()  # shown before "meer onderwerpen"
    current: Any = None  # the earlier answer, when changing it
    editing: bool = False

    @property
    def free_text(self) -> bool:
        return self.kind != "domains"


@dataclass(frozen=True)
class Asking:
    """Why a question is asked now: the advice so far and its follow-up (None when the
    person changes an answer the engine no longer asks for)."""

    advice: Advice | None = None
    follow_up: FollowUp | None = None


class QuestionType:
    """How one kind of question is asked, read and labelled (subclasses per kind)."""

    kind: QuestionKind = "choice"
    in_answers = True  # the answer goes to the engine's answers (not into the story)
    empty = "Kies een antwoord, of typ uw antwoord."  # nothing chosen and nothing typed
    skipped = "Weet ik niet"  # the label of a skipped answer

    def ask(self, guide: Guide, question: Question, mode: Mode, asking: Asking) -> Question:
        return question

    def read(self, guide: Guide, reply: Reply, typed: str) -> ReadAnswer:
        """`typed` is stripped, not too long, and not a skip."""
        if reply.choice:
            return self.read_choice(guide, reply.choice)
        if not typed:
            raise AnswerError(self.empty)
        return self.read_typed(guide, typed)

    def read_choice(self, guide: Guide, choice: str) -> ReadAnswer:
        raise AnswerError("Kies een van de antwoorden.")

    def read_typed(self, guide: Guide, typed: str) -> ReadAnswer:
        raise AnswerError(self.empty)

    def label(self, guide: Guide, value: Any, mode: Mode) -> str:
        return str(value)


class YesNo(QuestionType):
    def ask(self, guide: Guide, question: Question, mode: Mode, asking: Asking) -> Question:
        labels = guide.config.answer_labels
        current = question.current
        if isinstance(current, bool):
            current = "ja" if current else "nee"
        options = (Choice("ja", labels.yes), Choice("nee", labels.no))
        return replace(question, kind="choice", options=options, current=current)

    def read_choice(self, guide: Guide, choice: str) -> ReadAnswer:
        if choice in ("ja", "nee"):
            return ReadAnswer(choice == "ja")
        return super().read_choice(guide, choice)

    def read_typed(self, guide: Guide, typed: str) -> ReadAnswer:
        labels = guide.config.answer_labels
        value = yes_or_no(typed)
        if value is None:
            if both_yes_and_no(typed):
                raise AnswerError(
                    f"U schreef ‘{_short(typed)}’. Daarin staat zowel ja als nee. Typ ja of nee,"
                    " of kies een van de knoppen."
                )
            raise AnswerError("Typ ja of nee, of kies een van de knoppen.")
        return ReadAnswer(value, typed if says_more(typed, (labels.yes, labels.no)) else "")

    def label(self, guide: Guide, value: Any, mode: Mode) -> str:
        labels = guide.config.answer_labels
        return labels.yes if value else labels.no


class Duration(QuestionType):
    def ask(self, guide: Guide, question: Question, mode: Mode, asking: Asking) -> Question:
        labels = guide.config.answer_labels
        options = (Choice("temporary", labels.temporary), Choice("long_term", labels.long_term))
        return replace(question, kind="choice", options=options)

    def read_choice(self, guide: Guide, choice: str) -> ReadAnswer:
        if choice in ("temporary", "long_term"):
            return ReadAnswer(choice)
        return super().read_choice(guide, choice)

    def read_typed(self, guide: Guide, typed: str) -> ReadAnswer:
        labels = guide.config.answer_labels
        known = (labels.temporary, labels.long_term, "tijdelijk", "blijvend")
        words = folded(typed)
        found = {h.value for h in guide.assistant.read(typed).of(DURATION)}
        if words in (folded(labels.temporary), "tijdelijk", "kort"):
            found = {"temporary"}
        elif words in (folded(labels.long_term), "blijvend", "altijd"):
            found = {"long_term"}
        if len(found) != 1:
            raise AnswerError(
                f"Kies ‘{labels.temporary}’ of ‘{labels.long_term}’, of typ bijvoorbeeld"
                " ‘een paar maanden’ of ‘blijvend’."
            )
        return ReadAnswer(found.pop(), typed if says_more(typed, known) else "")

    def label(self, guide: Guide, value: Any, mode: Mode) -> str:
        labels = guide.config.answer_labels
        return labels.temporary if value == "temporary" else labels.long_term


class Age(QuestionType):
    kind: QuestionKind = "number"

    def read_typed(self, guide: Guide, typed: str) -> ReadAnswer:
        numbers = re.findall(r"(?<![\w-])-?\d{1,4}(?!\d)", typed)
        if len(numbers) != 1:
            raise AnswerError("Typ de leeftijd als getal, bijvoorbeeld 12.")
        age = int(numbers[0])
        if age < 0 or age > MAX_AGE:
            raise AnswerError(f"De leeftijd moet tussen 0 en {MAX_AGE} jaar liggen.")
        return ReadAnswer(age, typed if says_more(typed, ()) else "")

    def label(self, guide: Guide, value: Any, mode: Mode) -> str:
        return f"{value} jaar"


class Postcode(QuestionType):
    kind: QuestionKind = "postcode"

    def read_typed(self, guide: Guide, typed: str) -> ReadAnswer:
        try:
            answers = parse_answers(guide.pack, {"postcode": typed})
        except AdviceInputError as exc:
            raise AnswerError(exc.errors[0].message) from None
        pc4 = answers.pc4
        if pc4 is not None and guide.pack.postcode_centroid(pc4) is None:
            # Outside the region: say so, instead of quietly leaving out the distance.
            raise AnswerError(
                f"Postcode {pc4} ligt buiten de regio {guide.pack.name}. De hulp in deze "
                "etalage is voor inwoners van de regio, en we meten de afstand vanaf een "
                "postcode in de regio. Vul uw postcode in de regio in, of kies ‘Weet ik niet’."
            )
        return ReadAnswer(answers.postcode)

    def label(self, guide: Guide, value: Any, mode: Mode) -> str:
        text = str(value)
        return f"{text[:4]} {text[4:]}".strip()


class Profile(QuestionType):
    """ "Which description fits": the words describe the situation, so typed words
    become part of the story, and the choice a line of it (Guide.profile_line)."""

    kind: QuestionKind = "profile"
    in_answers = False
    empty = "Kies de beschrijving die het best past, of vertel er meer over."

    def ask(self, guide: Guide, question: Question, mode: Mode, asking: Asking) -> Question:
        pack, asked = guide.pack, asking.follow_up
        law = asking.advice.law if asking.advice else None
        if asked and asked.options:
            codes = [str(o.value) for o in asked.options]
        elif law:
            codes = [p.code for p in pack.profiles_for_law(law)]
        else:
            codes = [p.code for p in pack.profiles]
        profiles = [p for p in (pack.profile(c) for c in codes) if p is not None]
        pro = mode == "professional"
        options = tuple(
            Choice(p.code, f"{p.code} {p.name}" if pro else p.plain, p.description)
            for p in profiles
        )
        return replace(question, kind="profile", options=options)

    def read_choice(self, guide: Guide, choice: str) -> ReadAnswer:
        if guide.pack.profile(choice) is not None:
            return ReadAnswer(choice)
        return super().read_choice(guide, choice)

    def read_typed(self, guide: Guide, typed: str) -> ReadAnswer:
        return ReadAnswer(None, typed)

    def label(self, guide: Guide, value: Any, mode: Mode) -> str:
        profile = guide.pack.profile(str(value))
        if profile is None:
            return str(value)
        return f"{profile.code} {profile.name}" if mode == "professional" else profile.plain


class LifeDomains(QuestionType):
    """Per life domain one choice, mapped to a ZRM score by the pack."""

    kind: QuestionKind = "domains"
    skipped = "Overgeslagen"

    def ask(self, guide: Guide, question: Question, mode: Mode, asking: Asking) -> Question:
        pack, config = guide.pack, guide.config
        advice, asked = asking.advice, asking.follow_up
        law = advice.law if advice else None
        if asked and asked.domains:
            codes = [str(o.value) for o in asked.domains]
        else:
            youth = law is not None and any(x.code == law and x.age_min == 0 for x in pack.laws)
            codes = [d.code for d in pack.life_domains if youth or not d.youth_only]
        names = {d.code: d for d in pack.life_domains}
        domains = tuple(
            Choice(c, names[c].plain if mode == "inwoner" else names[c].name, names[c].description)
            for c in codes
            if c in names
        )
        hinted = (
            {h.value for h in advice.reading.of(DOMAIN)} if advice and advice.reading else set()
        )
        current = question.current
        scored = set(current) if isinstance(current, dict) else set()
        # open first: the domains the text hints at, those answered, and those that point
        # to a profile of the law (the pack's domain hints); the rest behind "meer onderwerpen"
        for_law = {h.domain for h in pack.domain_hints if law is None or law in h.profiles}
        open_domains = frozenset(c.value for c in domains if c.value in hinted | scored | for_law)
        if not open_domains:
            open_domains = frozenset(c.value for c in domains[:4])
        if isinstance(current, dict):
            by_score = {c.score: c.key for c in reversed(config.zrm_choices)}
            current = {k: by_score.get(v, "") for k, v in current.items()}
        options = tuple(Choice(c.key, c.label) for c in config.zrm_choices)
        return replace(
            question,
            kind="domains",
            options=options,
            domains=domains,
            open_domains=open_domains,
            current=current,
        )

    def read(self, guide: Guide, reply: Reply, typed: str) -> ReadAnswer:
        scores = {c.key: c.score for c in guide.config.zrm_choices}
        out: dict[str, int] = {}
        for domain in guide.pack.life_domains:
            choice = reply.domains.get(domain.code, "")
            if not choice:
                continue
            if choice not in scores:
                raise AnswerError(f"Kies bij ‘{domain.plain}’ een van de antwoorden.")
            out[domain.code] = scores[choice]
        return ReadAnswer(out or None)

    def label(self, guide: Guide, value: Any, mode: Mode) -> str:
        if not isinstance(value, dict):
            return str(value)
        names = {d.code: d.plain if mode == "inwoner" else d.name for d in guide.pack.life_domains}
        choices = {c.score: c.label for c in reversed(guide.config.zrm_choices)}
        parts = [
            f"{names.get(k, k)}: {choices.get(v, v)}"
            + (f" (score {v})" if mode == "professional" else "")
            for k, v in value.items()
        ]
        return "; ".join(parts)


_YES_NO = YesNo()

QUESTIONS: Mapping[str, QuestionType] = {
    "acute_safety": _YES_NO,
    "age": Age(),
    "profile": Profile(),
    "life_domains": LifeDomains(),
    "network_support": _YES_NO,
    "previous_care_failed": _YES_NO,
    "residential_care_needed": _YES_NO,
    "duration": Duration(),
    "postcode": Postcode(),
}
if set(QUESTIONS) != set(QUESTION_KEYS):  # the engine's follow-up questions, each once
    raise RuntimeError(f"QUESTIONS does not match the engine's {QUESTION_KEYS}")


def ask(guide: Guide, key: str, conversation: Conversation, asking: Asking) -> Question:
    """The question `key` as the page shows it, with the earlier answer when changing it."""
    spec = guide.config.questions[key]
    step = conversation.step(key)
    follow_up = asking.follow_up
    question = Question(
        key=key,
        kind=QUESTIONS[key].kind,
        question=spec.question,
        help=spec.help,
        reason=follow_up.reason if follow_up else "",
        current=step.value if step is not None else None,
        editing=conversation.editing == key,
    )
    return QUESTIONS[key].ask(guide, question, conversation.mode, asking)


def read_answer(guide: Guide, key: str, reply: Reply) -> ReadAnswer:
    """The answer to `key`: a quick reply, typed words, or the life-domain choices.
    Raises AnswerError with a Dutch message, except when the typed words hold a crisis
    signal: they are then kept (unanswered), so the crisis shows."""
    try:
        return _read(guide, key, reply)
    except AnswerError:
        typed = reply.typed.strip()
        if typed and len(typed) <= ANSWER_MAX_CHARS and guide.assistant.read(typed).of(CRISIS):
            return ReadAnswer(None, typed)
        raise


def _read(guide: Guide, key: str, reply: Reply) -> ReadAnswer:
    typed = reply.typed.strip()
    if len(typed) > ANSWER_MAX_CHARS:
        raise AnswerError(f"Uw antwoord is te lang. Gebruik hooguit {ANSWER_MAX_CHARS} tekens.")
    if has_control_character(typed):
        raise AnswerError("Uw antwoord bevat een ongeldig teken. Typ het opnieuw.")
    if reply.choice == SKIP:
        return ReadAnswer(None, typed if typed and says_more(typed, ()) else "")
    if not reply.choice and typed and is_skip(typed):
        if any(ch.isdigit() for ch in typed):  # "weet ik niet precies, een jaar of 14"
            try:
                return replace(QUESTIONS[key].read(guide, reply, typed), said=typed)
            except AnswerError:
                pass
        return ReadAnswer(None, typed)  # echoed: "We lezen dat als: weet ik niet"
    answer = QUESTIONS[key].read(guide, reply, typed)
    # Every typed answer is kept, so the hulpwijzer can say how it read it.
    return replace(answer, said=typed) if typed and not reply.choice else answer


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def answer_label(guide: Guide, step: Step, mode: Mode) -> str:
    """The answer as the list of answers (and the transcript) shows it."""
    question = QUESTIONS[step.key]
    if step.value is None:
        return question.skipped
    return question.label(guide, step.value, mode)


__all__ = [
    "QUESTIONS",
    "Asking",
    "Choice",
    "Question",
    "QuestionType",
    "answer_label",
    "ask",
    "read_answer",
]
