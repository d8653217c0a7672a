"""The hulpwijzer on the web: the conversation at /assistent and the advice API.

- `GET /assistent` shows the conversation so far; `POST /assistent` takes one step (the
  hulpvraag, an answer, "wijzig", the view, "begin opnieuw"). Without JavaScript every
  post is answered with a redirect to `GET /assistent` (post/redirect/get), so reloading
  and the back button work. An htmx post gets a fragment: the new chat messages,
  appended to the transcript (an `aria-live` log that stays in the page, so only the
  new messages are read out), plus the parts of the page that changed (out-of-band).
  Going back to an earlier answer replaces the whole panel instead.
- `POST /api/v1/assistant/advice` is CONTRACTS.md §3: `Advice.as_dict()` of the pure
  engine, with providers matched over the real catalogue.

The conversation lives in a signed, expiring cookie (assistant_session.py); nothing of
it is stored on the server or logged. The provider index is built from the database at
start-up and rebuilt when the data changes (`LiveProviderIndex`).

The engine has no answer for "which description fits": when the person picks a profile,
the conversation adds a line to the story it sends ("Gekozen beschrijving: <name>
(<signals only that profile has>)"), checked with the engine, so rule 7 decides on it.
The line shows in the professional summary, so the choice stays visible there.
"""

from __future__ import annotations

import gc
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypedDict

from litestar import MediaType, Request, Response, Router, get, post
from litestar.concurrency import sync_to_thread
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import (
    Example,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from litestar.response import Redirect, Template
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from etalage.assistant import (
    Advice,
    AdviceInputError,
    Answers,
    FieldError,
    ProviderIndex,
    ProviderRecord,
    advise,
    assistant_for,
    parse_answers,
    parse_request,
)
from etalage.assistant.answers import MAX_AGE, MAX_TEXT_CHARS
from etalage.assistant.lexicon import CRISIS, DOMAIN, DURATION, EXPERTISE, SIGNAL
from etalage.assistant.rules import CRISIS_ROUTE, FollowUp
from etalage.assistant.text import phrase_key
from etalage.db.models import KpiMeasurement, Provider, SearchOutbox, WaitingTime
from etalage.region.model import RegionPack
from etalage.web.api import ApiFout
from etalage.web.assistant_session import (
    COOKIE_NAME,
    COOKIE_PATH,
    TEXT_KEY,
    Conversation,
    ConversationCookie,
    ConversationTooLarge,
    Mode,
    Step,
)
from etalage.web.errors import DutchNotFound
from etalage.web.templating import query_url
from search_index.documents import DocumentBuilder
from search_index.from_db import read_facts

log = logging.getLogger("etalage.web.assistant")

PAGE_PATH = COOKIE_PATH
API_PATH = "/api/v1/assistant/advice"
CHECK_INTERVAL_S = 1.0  # the provider data is checked for changes at most this often
TEXT_MAX_CHARS = 2000  # a hulpvraag in the conversation (the cookie must hold it)
ANSWER_MAX_CHARS = 300
API_MAX_BODY_BYTES = 256 * 1024  # room for a too-long text, so its 400 names `text`
SKIP = "onbekend"
YES_NO_KEYS = ("acute_safety", "network_support", "previous_care_failed", "residential_care_needed")
VARY = {"Vary": "HX-Request"}
NO_STORE = {"Cache-Control": "no-store"}

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_YES = {"ja", "jazeker", "jawel", "yes", "klopt", "zeker", "natuurlijk", "inderdaad"}
_NO = {"nee", "neen", "niet", "no", "nooit", "nope", "geen", "niemand"}
_SKIP_PHRASES = ("weet ik niet", "weet niet", "geen idee", "onbekend", "sla over", "overslaan")
_FILLER = {"hoor", "wel", "toch", "denk", "ik", "het", "dat", "is", "jaar", "jr", "oud", "de"}


# ---------------------------------------------------------------------------- provider index


class LiveProviderIndex:
    """The ProviderIndex of the catalogue, rebuilt when the provider data changes.

    Before an advice, at most once per `check_interval` seconds, one cheap query reads a
    data version (the outbox's last id and size, the number of providers, their last
    update, the last waiting time and KPI ids); a different version, or a new day (the
    waiting-time freshness depends on the date), rebuilds the index from the database:
    every provider -> search document -> ProviderRecord, the one conversion path the
    search index uses too. While one request rebuilds, the others use the old index.
    """

    def __init__(
        self,
        engine: Engine,
        pack: RegionPack,
        clock: Callable[[], date] = date.today,
        check_interval: float | None = None,
    ) -> None:
        self.engine = engine
        self.pack = pack
        self.clock = clock
        self.check_interval = CHECK_INTERVAL_S if check_interval is None else check_interval
        self._lock = threading.Lock()
        self._day = clock()
        self._index = ProviderIndex(pack, (), self._day)
        self._version: tuple[Any, ...] | None = None
        self._checked = -math.inf
        self.has_demo = False
        self.builds = 0
        self.current()

    def _data_version(self, session: Session) -> tuple[Any, ...]:
        def scalar(column: Any) -> Any:
            return select(column).scalar_subquery()

        row = session.execute(
            select(
                scalar(func.max(SearchOutbox.id)),
                scalar(func.count(SearchOutbox.id)),
                scalar(func.count(Provider.id)),
                scalar(func.max(Provider.updated_at)),
                scalar(func.max(WaitingTime.id)),
                scalar(func.max(KpiMeasurement.id)),
            )
        ).one()
        return tuple(row)

    def _build(self, session: Session, today: date) -> None:
        rows = read_facts(session)
        builder = DocumentBuilder(self.pack)
        records = [ProviderRecord.from_document(builder.build(r.facts, today)) for r in rows]
        self._index = ProviderIndex(self.pack, records, today)
        self.has_demo = any(r.is_demo for r in rows)
        self.builds += 1

    def current(self) -> ProviderIndex:
        now = time.monotonic()
        if now - self._checked < self.check_interval:
            return self._index
        if not self._lock.acquire(blocking=False):  # another request is checking
            return self._index
        try:
            self._checked = now
            today = self.clock()
            with Session(self.engine) as session:
                version = self._data_version(session)
                if version != self._version or today != self._day:
                    self._build(session, today)
                    self._version, self._day = version, today
                    gc.freeze()  # the index lives long: keep it out of the cyclic GC
        except SQLAlchemyError as exc:  # e.g. not migrated yet: keep the last index
            log.warning("provider index not refreshed: %s", type(exc).__name__)
        finally:
            self._lock.release()
        return self._index


# ---------------------------------------------------------------------------- the service


class Hulpwijzer:
    """The assistant of the region with the live provider index and the cookie codec."""

    def __init__(
        self,
        engine: Engine,
        pack: RegionPack,
        secret: str,
        clock: Callable[[], date] = date.today,
    ) -> None:
        self.pack = pack
        self.available = bool(pack.assistant)
        self.cookie = ConversationCookie(secret)
        self._choices: dict[str, tuple[str, ...]] = {}
        self.providers: LiveProviderIndex | None = None
        if not self.available:
            return
        self.assistant = assistant_for(pack)  # a broken assistant.yaml fails here, at start-up
        self.config = self.assistant.config
        self._choices = self._profile_phrases()
        self.providers = LiveProviderIndex(engine, pack, clock)

    @property
    def has_demo(self) -> bool:
        return self.providers is not None and self.providers.has_demo

    def advise(self, text: str, answers: Answers, mode: Mode = "inwoner") -> Advice:
        index = self.providers.current() if self.providers else None
        return advise(self.pack, text, answers, providers=index, mode=mode)

    # ---- "which description fits" ----------------------------------------------------

    def _profile_phrases(self) -> dict[str, tuple[str, ...]]:
        """Per profile: signals no other profile of its law has, that read as nothing
        but a profile signal (no crisis, duration, law or residential hint)."""
        out: dict[str, tuple[str, ...]] = {}
        for p in self.pack.profiles:
            others = {
                phrase_key(s)
                for q in self.pack.profiles_for_law(p.law)
                if q.code != p.code
                for s in (*q.specialist_signals, *q.other_signals)
            }
            found: list[str] = []
            seen: set[str] = set()  # one phrase per signal ("autisme" = "autistisch")
            for phrase in (*p.other_signals, *p.specialist_signals):
                if phrase_key(phrase) in others:
                    continue
                hits = self.assistant.read(phrase).hits
                signals = {h.value for h in hits if h.kind == SIGNAL}
                clean = all(h.kind in (SIGNAL, EXPERTISE, DOMAIN) for h in hits)
                if signals and clean and not signals & seen:
                    found.append(phrase)
                    seen |= signals
            out[p.code] = tuple(found)
        return out

    def profile_line(self, story: str, answers: Answers, code: str) -> str:
        """A line for the story that makes rule 7 choose profile `code` ("" when the
        story alone does): the chosen description's name with signals only that profile
        has, added one at a time until the rules pick it."""
        if _profile_of(advise(self.pack, story, answers)) == code:
            return ""
        profile = self.pack.profile(code)
        phrases: list[str] = []
        for phrase in self._choices.get(code, ()):
            phrases.append(phrase)
            line = (
                f"Gekozen beschrijving: {profile.name if profile else code} ({', '.join(phrases)})."
            )
            if _profile_of(advise(self.pack, f"{story}\n{line}", answers)) == code:
                return line
        return ""


def _profile_of(advice: Advice) -> str | None:
    return advice.profile["code"] if advice.profile else None


# ---------------------------------------------------------------------------- reading answers


class AnswerError(ValueError):
    """An answer we could not read; the message (Dutch) says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _is_skip(text: str) -> bool:
    folded = " ".join(_words(text))
    return any(folded == p or folded.startswith(p + " ") for p in _SKIP_PHRASES)


def _yes_no(text: str) -> bool | None:
    for word in _words(text):
        if word in _YES:
            return True
        if word in _NO:
            return False
    return None


def _residue(text: str, known: Iterable[str]) -> bool:
    """Does the typed answer say more than the answer itself?"""
    vocabulary = _YES | _NO | _FILLER | {w for k in known for w in _words(k)}
    vocabulary |= {w for p in _SKIP_PHRASES for w in p.split()}
    return any(w not in vocabulary and not w.isdigit() for w in _words(text))


# Control characters other than tab and newlines: never part of a real answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ReadAnswer:
    value: Any
    said: str = ""  # the typed words, kept when they say more than the answer


def read_answer(hw: Hulpwijzer, key: str, form: Mapping[str, Any]) -> ReadAnswer:
    """The answer to `key` from a posted form: a quick reply, typed words, or the
    life-domain choices. Raises AnswerError with a Dutch message, except when the typed
    words hold a crisis signal: they are then kept (unanswered), so the crisis shows."""
    try:
        return _read_answer(hw, key, form)
    except AnswerError:
        typed = _form_str(form, "vrij").strip()
        if typed and len(typed) <= ANSWER_MAX_CHARS and hw.assistant.read(typed).of(CRISIS):
            return ReadAnswer(None, typed)
        raise


def _read_answer(hw: Hulpwijzer, key: str, form: Mapping[str, Any]) -> ReadAnswer:
    cfg = hw.config
    reply = _form_str(form, "antwoord")
    typed = _form_str(form, "vrij").strip()
    if len(typed) > ANSWER_MAX_CHARS:
        raise AnswerError(f"Uw antwoord is te lang. Gebruik hooguit {ANSWER_MAX_CHARS} tekens.")
    if _CONTROL.search(typed):
        raise AnswerError("Uw antwoord bevat een ongeldig teken. Typ het opnieuw.")
    if reply == SKIP or (not reply and typed and _is_skip(typed)):
        return ReadAnswer(None, typed if typed and _residue(typed, ()) else "")
    if key == "life_domains":
        return ReadAnswer(_read_domains(hw, form) or None)
    labels = cfg.answer_labels
    if reply:
        if key in YES_NO_KEYS and reply in ("ja", "nee"):
            return ReadAnswer(reply == "ja")
        if key == "duration" and reply in ("temporary", "long_term"):
            return ReadAnswer(reply)
        if key == "profile" and hw.pack.profile(reply) is not None:
            return ReadAnswer(reply)
        raise AnswerError("Kies een van de antwoorden.")
    if not typed:
        if key == "profile":
            raise AnswerError("Kies de beschrijving die het best past, of vertel er meer over.")
        raise AnswerError("Kies een antwoord, of typ uw antwoord.")
    said = typed
    if key in YES_NO_KEYS:
        value = _yes_no(typed)
        if value is None:
            raise AnswerError("Typ ja of nee, of kies een van de knoppen.")
        return ReadAnswer(value, said if _residue(typed, (labels.yes, labels.no)) else "")
    if key == "duration":
        known = (labels.temporary, labels.long_term, "tijdelijk", "blijvend")
        folded = " ".join(_words(typed))
        found = {h.value for h in hw.assistant.read(typed).of(DURATION)}
        if folded in (" ".join(_words(labels.temporary)), "tijdelijk", "kort"):
            found = {"temporary"}
        elif folded in (" ".join(_words(labels.long_term)), "blijvend", "altijd"):
            found = {"long_term"}
        if len(found) != 1:
            raise AnswerError(
                f"Kies ‘{labels.temporary}’ of ‘{labels.long_term}’, of typ bijvoorbeeld"
                " ‘een paar maanden’ of ‘blijvend’."
            )
        return ReadAnswer(found.pop(), said if _residue(typed, known) else "")
    if key == "age":
        numbers = re.findall(r"(?<![\w-])-?\d{1,4}(?!\d)", typed)
        if len(numbers) != 1:
            raise AnswerError("Typ de leeftijd als getal, bijvoorbeeld 12.")
        age = int(numbers[0])
        if age < 0 or age > MAX_AGE:
            raise AnswerError(f"De leeftijd moet tussen 0 en {MAX_AGE} jaar liggen.")
        return ReadAnswer(age, said if _residue(typed, ()) else "")
    if key == "postcode":
        try:
            answers = parse_answers(hw.pack, {"postcode": typed})
        except AdviceInputError as exc:
            raise AnswerError(exc.errors[0].message) from None
        return ReadAnswer(answers.postcode)
    # profile: the words describe the situation; they become part of the story
    return ReadAnswer(None, said)


def _read_domains(hw: Hulpwijzer, form: Mapping[str, Any]) -> dict[str, int]:
    scores = {c.key: c.score for c in hw.config.zrm_choices}
    out: dict[str, int] = {}
    for domain in hw.pack.life_domains:
        choice = _form_str(form, f"domein_{domain.code}")
        if not choice:
            continue
        if choice not in scores:
            raise AnswerError(f"Kies bij ‘{domain.name}’ een van de antwoorden.")
        out[domain.code] = scores[choice]
    return out


def _form_str(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


# ---------------------------------------------------------------------------- what to ask


def engine_answers(hw: Hulpwijzer, conversation: Conversation) -> Answers:
    """The structured answers of the conversation, as the engine takes them."""
    raw: dict[str, Any] = {}
    for step in conversation.steps:
        if step.key != "profile" and step.value is not None:
            raw[step.key] = step.value
    age = raw.get("age")
    if isinstance(age, int) and isinstance(raw.get("life_domains"), dict):
        adult = hw.pack.law_for_age(age)
        if adult is not None and adult.age_min > 0:  # youth-only domains do not apply
            youth = {d.code for d in hw.pack.life_domains if d.youth_only}
            raw["life_domains"] = {k: v for k, v in raw["life_domains"].items() if k not in youth}
    for _ in range(3):
        try:
            return parse_answers(hw.pack, raw)
        except AdviceInputError as exc:  # drop what no longer fits (never expected)
            for err in exc.errors:
                parts = err.field.split(".")
                if len(parts) == 3 and isinstance(raw.get(parts[1]), dict):
                    raw[parts[1]].pop(parts[2], None)
                elif len(parts) >= 2:
                    raw.pop(parts[1], None)
    return Answers()


def engine_story(hw: Hulpwijzer, conversation: Conversation, answers: Answers) -> str:
    """The hulpvraag plus what the person typed on the way; plus the chosen profile's
    phrase when they picked "which description fits"."""
    parts = [conversation.text or ""]
    parts += [s.said for s in conversation.steps if s.said]
    story = "\n".join(p for p in parts if p)
    chosen = conversation.step("profile")
    if chosen is not None and isinstance(chosen.value, str):
        line = hw.profile_line(story, answers, chosen.value)
        if line:
            story = f"{story}\n{line}"
    return story


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Question:
    key: str
    kind: Literal["choice", "number", "postcode", "profile", "domains"]
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
class Message:
    who: Literal["bot", "user"]
    text: str


@dataclass(frozen=True)
class AnswerLine:
    key: str
    question: str
    label: str


@dataclass
class Turn:
    """Where the conversation stands: the advice so far and what comes next."""

    step: Literal["text", "question", "advice"]
    advice: Advice | None = None
    question: Question | None = None
    transcript: list[Message] = field(default_factory=list)
    answers: list[AnswerLine] = field(default_factory=list)

    @property
    def crisis(self) -> dict[str, Any] | None:
        return self.advice.crisis if self.advice is not None else None


def _question(
    hw: Hulpwijzer,
    key: str,
    conversation: Conversation,
    advice: Advice | None,
    asked: FollowUp | None,
) -> Question:
    cfg, pack = hw.config, hw.pack
    spec = cfg.questions[key]
    step = conversation.step(key)
    current = step.value if step is not None else None
    pro = conversation.mode == "professional"
    common: dict[str, Any] = {
        "key": key,
        "question": spec.question,
        "help": spec.help,
        "reason": asked.reason if asked else "",
        "current": current,
        "editing": conversation.editing == key,
    }
    labels = cfg.answer_labels
    if key in YES_NO_KEYS:
        options: tuple[Choice, ...] = (Choice("ja", labels.yes), Choice("nee", labels.no))
        if isinstance(current, bool):
            common["current"] = "ja" if current else "nee"
        return Question(kind="choice", options=options, **common)
    if key == "duration":
        options = (Choice("temporary", labels.temporary), Choice("long_term", labels.long_term))
        return Question(kind="choice", options=options, **common)
    if key == "age":
        return Question(kind="number", **common)
    if key == "postcode":
        return Question(kind="postcode", **common)
    law = advice.law if advice else None
    if key == "profile":
        if asked and asked.options:
            codes = [str(o.value) for o in asked.options]
        elif law:
            codes = [p.code for p in pack.profiles_for_law(law)]
        else:
            codes = [p.code for p in pack.profiles]
        profiles = [p for p in (pack.profile(c) for c in codes) if p is not None]
        options = tuple(
            Choice(p.code, f"{p.code} {p.name}" if pro else p.name, p.description) for p in profiles
        )
        return Question(kind="profile", options=options, **common)
    # life domains: per domain one choice, mapped to a ZRM score by the pack
    if asked and asked.domains:
        codes = [str(o.value) for o in asked.domains]
    else:
        youth = law is not None and any(x.code == law and x.age_min == 0 for x in pack.laws)
        codes = [d.code for d in pack.life_domains if youth or not d.youth_only]
    names = {d.code: d for d in pack.life_domains}
    domains = tuple(
        Choice(c, names[c].name, names[c].description or "") for c in codes if c in names
    )
    hinted = {h.value for h in advice.reading.of(DOMAIN)} if advice and advice.reading else set()
    scored = set(current) if isinstance(current, dict) else set()
    # open first: the domains the text hints at, those answered, and those that point to
    # a profile of the law (the pack's domain hints); the rest behind "meer onderwerpen"
    for_law = {h.domain for h in pack.domain_hints if law is None or law in h.profiles}
    open_domains = frozenset(c.value for c in domains if c.value in hinted | scored | for_law)
    if not open_domains:
        open_domains = frozenset(c.value for c in domains[:4])
    if isinstance(current, dict):
        by_score = {c.score: c.key for c in reversed(cfg.zrm_choices)}
        common["current"] = {k: by_score.get(v, "") for k, v in current.items()}
    options = tuple(Choice(c.key, c.label) for c in cfg.zrm_choices)
    return Question(
        kind="domains", options=options, domains=domains, open_domains=open_domains, **common
    )


def answer_label(hw: Hulpwijzer, step: Step, mode: Mode) -> str:
    labels = hw.config.answer_labels
    value = step.value
    if value is None:
        return "Weet ik niet" if step.key != "life_domains" else "Overgeslagen"
    if step.key in YES_NO_KEYS:
        return labels.yes if value else labels.no
    if step.key == "duration":
        return labels.temporary if value == "temporary" else labels.long_term
    if step.key == "age":
        return f"{value} jaar"
    if step.key == "postcode":
        text = str(value)
        return f"{text[:4]} {text[4:]}".strip()
    if step.key == "profile":
        profile = hw.pack.profile(str(value))
        if profile is None:
            return str(value)
        return f"{profile.code} {profile.name}" if mode == "professional" else profile.name
    if step.key == "life_domains" and isinstance(value, dict):
        names = {d.code: d.name for d in hw.pack.life_domains}
        choices = {c.score: c.label for c in reversed(hw.config.zrm_choices)}
        parts = [
            f"{names.get(k, k)}: {choices.get(v, v)}"
            + (f" (score {v})" if mode == "professional" else "")
            for k, v in value.items()
        ]
        return "; ".join(parts)
    return str(value)


def take_turn(hw: Hulpwijzer, conversation: Conversation) -> Turn:
    """The advice for the conversation so far and the next thing to ask."""
    cfg = hw.config
    greeting = [
        Message(
            "bot",
            f"Hallo. Ik ben de hulpwijzer van {hw.pack.name}. Ik help u te zien welke hulp"
            " past, en wie die hulp geeft.",
        ),
        Message(
            "bot",
            "Vertel in uw eigen woorden wat er aan de hand is. Voor wie zoekt u hulp, en waarbij?",
        ),
    ]
    if conversation.text is None:
        return Turn(step="text", transcript=greeting)

    answers = engine_answers(hw, conversation)
    story = engine_story(hw, conversation, answers)
    advice = hw.advise(story, answers, conversation.mode)

    transcript = [*greeting, Message("user", conversation.text)]
    lines = [AnswerLine(TEXT_KEY, "Uw hulpvraag", conversation.text)]
    for step in conversation.steps:
        question = cfg.questions[step.key].question
        label = answer_label(hw, step, conversation.mode)
        if step.value is None and step.said:  # words that did not answer the question
            label = step.said
        transcript += [Message("bot", question), Message("user", step.said or label)]
        lines.append(AnswerLine(step.key, question, label))
    turn = Turn(step="advice", advice=advice, transcript=transcript, answers=lines)

    editing = conversation.editing
    if editing == TEXT_KEY:
        turn.step = "text"
        transcript.append(Message("bot", "Pas uw verhaal aan. Daarna kijk ik opnieuw."))
        return turn
    asked = {f.key: f for f in advice.follow_up_questions}
    if editing is not None:
        turn.step = "question"
        turn.question = _question(hw, editing, conversation, advice, asked.get(editing))
        transcript.append(Message("bot", turn.question.question))
        return turn
    if advice.route != CRISIS_ROUTE:
        for follow_up in advice.follow_up_questions:
            if follow_up.key not in conversation.answered:
                turn.step = "question"
                turn.question = _question(hw, follow_up.key, conversation, advice, follow_up)
                transcript.append(Message("bot", turn.question.question))
                return turn
    if advice.route == CRISIS_ROUTE:
        transcript.append(
            Message(
                "bot",
                "Wat u schrijft klinkt alsof iemand nu in gevaar is. Bovenaan deze pagina staat"
                " wie u direct kunt bellen. Wacht daar niet mee.",
            )
        )
    else:
        transcript.append(Message("bot", "Dank u wel. Hieronder staat welke hulp past, en waarom."))
    return turn


# ---------------------------------------------------------------------------- the advice view


@dataclass(frozen=True)
class AdviceView:
    data: dict[str, Any]
    crisis: bool
    law: str | None
    segment: str | None
    profile: str | None
    intensity: tuple[str, str] | None
    trajectory: tuple[str, str] | None
    catalogue_url: str | None
    skipped: tuple[str, ...]  # questions left open that would sharpen the advice


def advice_view(hw: Hulpwijzer, turn: Turn, conversation: Conversation) -> AdviceView | None:
    advice = turn.advice
    if advice is None:
        return None
    pack = hw.pack
    data = advice.as_dict()
    law = next((x.name for x in pack.laws if x.code == advice.law), None)
    segment = next((s.description for s in pack.segments if s.code == advice.route), None)
    intensity = next(
        ((x.name, x.description or "") for x in pack.intensities if x.code == advice.intensity),
        None,
    )
    trajectory = next(
        (
            (x.name, x.description or "")
            for x in pack.trajectory_types
            if x.code == advice.trajectory
        ),
        None,
    )
    url = None
    if advice.route != CRISIS_ROUTE and advice.law and data["providers_total"]:
        answers = engine_answers(hw, conversation)
        items = [("wet", advice.law), ("segment", advice.route)]
        if advice.route != "A" and advice.profile and advice.intensity:
            items += [("profiel", advice.profile["code"]), ("intensiteit", advice.intensity)]
        municipality = pack.municipality_of_postcode(answers.pc4) if answers.pc4 else None
        if municipality:
            items.append(("gemeente", municipality))
        if answers.age is not None:
            items.append(("leeftijd", str(answers.age)))
        url = query_url("/aanbieders", items)
    skipped = tuple(
        f.question for f in advice.follow_up_questions if f.key in conversation.answered
    )
    return AdviceView(
        data=data,
        crisis=advice.route == CRISIS_ROUTE,
        law=law,
        segment=segment,
        profile=advice.profile["name"] if advice.profile else None,
        intensity=intensity,
        trajectory=trajectory,
        catalogue_url=url,
        skipped=skipped,
    )


# ---------------------------------------------------------------------------- one post


@dataclass
class Outcome:
    conversation: Conversation  # the conversation to keep
    error: str | None = None
    typed: dict[str, str] = field(default_factory=dict)  # shown back after an error


def handle_post(
    hw: Hulpwijzer, conversation: Conversation | None, form: Mapping[str, Any]
) -> Outcome:
    """Apply one posted step; an invalid post changes nothing and says why."""
    action = _form_str(form, "actie")
    typed = {"tekst": _form_str(form, "tekst"), "vrij": _form_str(form, "vrij")}
    if conversation is None or not hw.cookie.check_token(conversation, _form_str(form, "_token")):
        fresh = conversation or Conversation.new()
        if conversation is None:
            message = (
                "Uw gesprek was verlopen of gewist. Begin opnieuw; staat uw tekst hieronder nog,"
                " verstuur hem dan nog een keer."
            )
        else:
            message = "Deze pagina was niet meer actueel. Probeer het nog een keer."
        return Outcome(fresh, message, typed)
    try:
        new = _apply(hw, conversation, action, form)
    except AnswerError as exc:
        return Outcome(conversation, exc.message, typed)
    try:
        hw.cookie.dump(new)
    except ConversationTooLarge:
        return Outcome(
            conversation,
            "Uw verhaal en antwoorden zijn samen te lang om te bewaren. Maak uw tekst korter,"
            " of begin opnieuw.",
            typed,
        )
    return Outcome(new)


def _apply(
    hw: Hulpwijzer, conversation: Conversation, action: str, form: Mapping[str, Any]
) -> Conversation:
    if action == "tekst":
        text = _form_str(form, "tekst").strip()
        if not text:
            raise AnswerError("Vertel in een paar woorden waar u hulp bij zoekt.")
        if len(text) > TEXT_MAX_CHARS:
            raise AnswerError(
                f"Uw tekst is te lang ({len(text)} tekens). Gebruik hooguit {TEXT_MAX_CHARS}"
                " tekens."
            )
        if "\x00" in text or not _encodable(text):
            raise AnswerError("Uw tekst bevat een teken dat we niet kunnen lezen.")
        return conversation.tell(text)
    if action == "antwoord":
        key = _form_str(form, "vraag")
        if key not in hw.config.questions or conversation.text is None:
            raise AnswerError("Deze vraag kennen we niet. Kies een antwoord op de vraag hieronder.")
        answer = read_answer(hw, key, form)
        if answer.said and not _encodable(answer.said):
            raise AnswerError("Uw antwoord bevat een teken dat we niet kunnen lezen.")
        return conversation.answer(key, answer.value, answer.said)
    if action == "wijzig":
        return conversation.edit(_form_str(form, "vraag"))
    if action == "annuleer":
        return conversation.stop_editing()
    if action == "modus":
        mode = _form_str(form, "modus")
        if mode not in ("inwoner", "professional"):
            raise AnswerError("Kies de weergave voor inwoners of voor professionals.")
        return conversation.switch("professional" if mode == "professional" else "inwoner")
    if action == "opnieuw":
        return conversation.restart()
    raise AnswerError("Dit konden we niet verwerken. Probeer het nog een keer.")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ---------------------------------------------------------------------------- rendering


def _focus(turn: Turn, error: str | None, typed: Mapping[str, str]) -> str:
    """The element an htmx step moves the focus to (the `autofocus` of the fragment).
    Ids differ per question: htmx puts the focus back on an element with the id that had
    it before the swap, which would keep it on "Nee" of the previous question."""
    q = turn.question
    if turn.step == "text":
        return "hw-tekst"
    if turn.step == "advice" or q is None:
        return "crisis-kop" if turn.crisis is not None else "advies-kop"
    if q.kind in ("number", "postcode") or (error and typed.get("vrij")):
        return f"hw-{q.key}-vrij"
    if q.kind == "choice":
        return f"hw-{q.key}-0"
    if q.kind == "profile":
        return "hw-profiel-0"
    first = next((d.value for d in q.domains if d.value in q.open_domains), "")
    return f"hw-d-{first}-0"


def _context(
    hw: Hulpwijzer,
    conversation: Conversation,
    turn: Turn,
    *,
    error: str | None = None,
    typed: Mapping[str, str] | None = None,
    autofocus: bool = False,
) -> dict[str, Any]:
    pro = conversation.mode == "professional"
    return {
        "title": "Hulpwijzer",
        "current": "assistant",
        "available": True,
        "demo": hw.has_demo,
        "conv": conversation,
        "token": hw.cookie.token(conversation),
        "turn": turn,
        "question": turn.question,
        "advice": advice_view(hw, turn, conversation),
        "crisis": turn.crisis,
        "crisis_contacts": [c.model_dump() for c in hw.config.crisis.contacts],
        "pro": pro,
        "error": error,
        "typed": {"tekst": "", "vrij": "", **(typed or {})},
        "notice": conversation.notice,
        "autofocus": autofocus,
        "focus": _focus(turn, error, typed or {}),
        "shown": len(turn.transcript),
        "text_max": TEXT_MAX_CHARS,
        "answer_max": ANSWER_MAX_CHARS,
        "max_age_minutes": hw.cookie.max_age // 60,
        "skip": SKIP,
        "text_key": TEXT_KEY,
    }


def _cookie(hw: Hulpwijzer, request: Request[Any, Any, Any], conversation: Conversation) -> Cookie:
    return Cookie(
        key=COOKIE_NAME,
        value=hw.cookie.dump(conversation),
        path=COOKIE_PATH,
        max_age=hw.cookie.max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def is_fragment_request(request: Request[Any, Any, Any]) -> bool:
    headers = request.headers
    return (
        headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"
    )


def _settle(hw: Hulpwijzer, conversation: Conversation) -> tuple[Conversation, Turn]:
    turn = take_turn(hw, conversation)
    if turn.crisis is not None:
        conversation = conversation.saw_crisis()
    return conversation, turn


def _unavailable(status: int = 200) -> Template:
    return Template(
        "assistant.html",
        context={"title": "Hulpwijzer", "current": "assistant", "available": False},
        status_code=status,
        headers={**VARY, **NO_STORE},
    )


EXPIRED_NOTICE = (
    "Uw vorige gesprek is gewist, omdat het langer dan {minutes} minuten stil was. U kunt"
    " opnieuw beginnen."
)


def _page(hw: Hulpwijzer, request: Request[Any, Any, Any]) -> Template:
    loaded = hw.cookie.load(request.cookies.get(COOKIE_NAME))
    conversation = loaded.conversation
    if conversation is None:
        conversation = Conversation.new()
        if loaded.expired:
            conversation = conversation.with_notice(
                EXPIRED_NOTICE.format(minutes=hw.cookie.max_age // 60)
            )
    conversation, turn = _settle(hw, conversation)
    fragment = is_fragment_request(request)
    context = _context(hw, conversation, turn, autofocus=fragment)
    shown = conversation.with_notice("")  # a notice is shown once
    return Template(
        "_assistant_panel.html" if fragment else "assistant.html",
        context=context,
        headers={**VARY, **NO_STORE},
        cookies=[_cookie(hw, request, shown)],
    )


def _after_post(
    hw: Hulpwijzer,
    request: Request[Any, Any, Any],
    before: Conversation | None,
    outcome: Outcome,
    form: Mapping[str, Any],
) -> Template | Redirect:
    conversation, turn = _settle(hw, outcome.conversation)
    cookie = _cookie(hw, request, conversation)
    headers = {**VARY, **NO_STORE}
    fragment = is_fragment_request(request)
    if outcome.error is not None:
        context = _context(
            hw, conversation, turn, error=outcome.error, typed=outcome.typed, autofocus=fragment
        )
        if fragment:
            headers.update({"HX-Retarget": "#hulpwijzer", "HX-Reswap": "outerHTML"})
            return Template(
                "_assistant_panel.html", context=context, status_code=400, headers=headers,
                cookies=[cookie],
            )  # fmt: skip
        return Template(
            "assistant.html", context=context, status_code=400, headers=headers, cookies=[cookie]
        )
    if not fragment:
        anchor = "crisis-kop" if turn.crisis is not None else "stap"
        return Redirect(f"{PAGE_PATH}#{anchor}", status_code=303, headers=headers, cookies=[cookie])
    context = _context(hw, conversation, turn, autofocus=True)
    forward = _form_str(form, "actie") in ("tekst", "antwoord") and before is not None
    old = take_turn(hw, before) if forward and before is not None else None
    if (
        old is not None
        and before is not None
        and _form_str(form, "gezien") == str(len(old.transcript))
    ):
        count = len(old.transcript)
        if turn.transcript[:count] == old.transcript and len(turn.transcript) > count:
            context["new_messages"] = turn.transcript[count:]
            context["crisis_changed"] = (old.crisis is None) != (turn.crisis is None) or (
                before.crisis_seen != conversation.crisis_seen
            )
            headers.update({"HX-Retarget": "#gesprek-berichten", "HX-Reswap": "beforeend"})
            return Template(
                "_assistant_update.html", context=context, headers=headers, cookies=[cookie]
            )
    headers.update({"HX-Retarget": "#hulpwijzer", "HX-Reswap": "outerHTML"})
    return Template("_assistant_panel.html", context=context, headers=headers, cookies=[cookie])


# ---------------------------------------------------------------------------- page handlers


@get(PAGE_PATH, name="assistant", sync_to_thread=True, include_in_schema=False)
def assistant_page(
    request: Request[Any, Any, Any], hulpwijzer: NamedDependency[Hulpwijzer]
) -> Template:
    if not hulpwijzer.available:
        return _unavailable()
    return _page(hulpwijzer, request)


@post(PAGE_PATH, name="assistant-step", include_in_schema=False, status_code=200)
async def assistant_step(
    request: Request[Any, Any, Any], hulpwijzer: NamedDependency[Hulpwijzer]
) -> Template | Redirect:
    if not hulpwijzer.available:
        return _unavailable(404)
    form = await request.form()
    fields = {key: form.get(key) for key in form}
    before = hulpwijzer.cookie.load(request.cookies.get(COOKIE_NAME)).conversation

    def step() -> Template | Redirect:
        outcome = handle_post(hulpwijzer, before, fields)
        return _after_post(hulpwijzer, request, before, outcome, fields)

    return await sync_to_thread(step)


# ---------------------------------------------------------------------------- the JSON API


class ApiFouten(TypedDict):
    """Every invalid field: `parameter` is the first, `fouten` lists them all."""

    detail: str
    parameter: str
    fouten: list[ApiFout]


class AdviesProfiel(TypedDict):
    code: str
    name: str


# Optional keys through `total=False` subclasses: with postponed annotations, NotRequired
# is not seen by TypedDict and the OpenAPI document would call them required.


class _AdviesOptie(TypedDict):
    value: Any
    label: str


class AdviesOptie(_AdviesOptie, total=False):
    description: str


class _AdviesVervolgvraag(TypedDict):
    key: str
    question: str


class AdviesVervolgvraag(_AdviesVervolgvraag, total=False):
    help: str
    reason: str
    options: list[AdviesOptie]
    domains: list[AdviesOptie]


class CrisisContact(TypedDict):
    key: str
    name: str
    phone: str
    when: str


class AdviesCrisis(TypedDict):
    message: str
    kinds: list[str]
    contacts: list[CrisisContact]
    instructions: list[str]


class AdviesAanbieder(TypedDict):
    kvk: str
    naam: str
    slug: str
    reasons: list[str]
    expertise: list[str]
    wachttijd_weken: int | None
    wachttijd_verouderd: bool
    afstand_km: float | None


class _Advies(TypedDict):
    route: Literal["crisis", "A", "B", "C"]
    law: str | None
    profile: AdviesProfiel | None
    intensity: str | None
    trajectory: str | None
    explanation: list[str]
    follow_up_questions: list[AdviesVervolgvraag]
    crisis: AdviesCrisis | None
    providers: list[AdviesAanbieder]
    providers_total: int
    next_steps: list[str]
    mode: Literal["inwoner", "professional"]


class Advies(_Advies, total=False):
    """CONTRACTS.md §3; `professional` only in the professional mode."""

    professional: dict[str, Any]


def _bool(description: str) -> Schema:
    return Schema(type=[OpenAPIType.BOOLEAN, OpenAPIType.NULL], description=description)


ADVICE_REQUEST_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    additional_properties=False,
    description="Een hulpvraag en de antwoorden die er al zijn. Alles is optioneel, maar"
    " geef een tekst of ten minste één antwoord.",
    properties={
        "text": Schema(
            type=[OpenAPIType.STRING, OpenAPIType.NULL],
            max_length=MAX_TEXT_CHARS,
            description="De hulpvraag in eigen woorden (van de inwoner of de professional).",
        ),
        "answers": Schema(
            type=[OpenAPIType.OBJECT, OpenAPIType.NULL],
            additional_properties=False,
            description="Antwoorden op vragen; `null` of weglaten betekent: niet beantwoord."
            " Antwoorden gaan altijd voor wat uit de tekst wordt gelezen.",
            properties={
                "age": Schema(
                    type=[OpenAPIType.INTEGER, OpenAPIType.NULL],
                    minimum=0,
                    maximum=MAX_AGE,
                    description="Leeftijd in jaren van wie de hulp nodig heeft.",
                ),
                "acute_safety": _bool("Is iemand op dit moment in gevaar?"),
                "life_domains": Schema(
                    type=[OpenAPIType.OBJECT, OpenAPIType.NULL],
                    additional_properties=Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=5),
                    description="Per levensdomein (code uit het regiopakket, bv. `financien`)"
                    " een ZRM-score: 1 = acuut probleem, 2 = niet zelfredzaam, 3 = beperkt,"
                    " 4 = voldoende, 5 = helemaal zelfredzaam.",
                ),
                "network_support": _bool("Kunnen familie, vrienden of buren helpen?"),
                "residential_care_needed": _bool("Is zorg met verblijf buiten huis nodig?"),
                "duration": Schema(
                    type=[OpenAPIType.STRING, OpenAPIType.NULL],
                    enum=["temporary", "long_term", None],
                    description="`temporary` (voor een tijdje) of `long_term` (blijvend).",
                ),
                "previous_care_failed": _bool("Stopte eerdere hulp zonder resultaat?"),
                "postcode": Schema(
                    type=[OpenAPIType.STRING, OpenAPIType.NULL],
                    description="Postcode, bv. `1621 AB` of `1621`: aanbieders dichtbij eerst.",
                ),
            },
        ),
        "mode": Schema(
            type=[OpenAPIType.STRING, OpenAPIType.NULL],
            enum=["inwoner", "professional", None],
            description="`inwoner` (standaard): eenvoudige taal, geen codes en tarieven."
            " `professional`: met codes, het indicatieve tarief, alle regels en een"
            " samenvatting voor het perspectiefplan (onder `professional`).",
        ),
    },
)

ADVICE_REQUEST_BODY = RequestBody(
    required=True,
    description="De hulpvraag en de antwoorden (REGION_PACK.md).",
    content={
        "application/json": OpenAPIMediaType(
            schema=ADVICE_REQUEST_SCHEMA,
            examples={
                "tekst-en-antwoorden": Example(
                    summary="Een ouder over een kind met autisme",
                    value={
                        "text": "Mijn zoon van 12 heeft autisme en loopt vast op school.",
                        "answers": {
                            "life_domains": {"school_dagbesteding": 2, "ontwikkeling": 3},
                            "postcode": "1621 AB",
                        },
                    },
                ),
                "alleen-antwoorden": Example(
                    summary="Alleen antwoorden, geen tekst",
                    value={"text": "", "answers": {"age": 80, "network_support": True}},
                ),
            },
        )
    },
)


@dataclass
class AdviceOperation(Operation):
    """The advice body is read and checked by `parse_request` (so every 400 names the
    field in Dutch), not by the framework; the OpenAPI document still describes it."""

    def __post_init__(self) -> None:
        self.request_body = ADVICE_REQUEST_BODY


def advice_input_error(request: Request[Any, Any, Any], exc: AdviceInputError) -> Response[Any]:
    errors = [{"detail": e.message, "parameter": e.field} for e in exc.errors]
    first = exc.errors[0] if exc.errors else FieldError("body", "Ongeldige vraag.")
    detail = first.message if len(errors) <= 1 else " ".join(e.message for e in exc.errors)
    return Response(
        {"detail": detail, "parameter": first.field, "fouten": errors},
        status_code=400,
        media_type=MediaType.JSON,
    )


def _strings_ok(value: Any) -> bool:
    """No lone surrogates anywhere (they cannot be written back as UTF-8)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not _encodable(item):
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


@post(
    API_PATH,
    name="api-assistant-advice",
    tags=["hulpwijzer"],
    summary="Advies van de hulpwijzer",
    status_code=200,
    request_max_body_size=API_MAX_BODY_BYTES,
    operation_class=AdviceOperation,
    response_description="Het advies: route, wet, profiel, intensiteit, traject, uitleg,"
    " vervolgvragen, crisiscontacten en passende aanbieders.",
    responses={
        400: ResponseSpec(
            data_container=ApiFouten,
            description="Ongeldige invoer; `parameter` noemt het (eerste) veld, bv."
            " `answers.age` of `answers.life_domains.financien`.",
            generate_examples=False,
        ),
        404: ResponseSpec(
            data_container=ApiFout,
            description="Deze regio heeft (nog) geen hulpwijzer.",
            generate_examples=False,
        ),
        413: ResponseSpec(
            data_container=ApiFout,
            description=f"Het verzoek is groter dan {API_MAX_BODY_BYTES // 1024} kB.",
            generate_examples=False,
        ),
    },
    description=(
        "De hulpwijzer leest de hulpvraag (vrije tekst, ook met typfouten) en de antwoorden,"
        " past de beslisregels van de regio toe en geeft een uitgelegd advies:"
        " `route` (`crisis`, `A`, `B` of `C`), `law`, `profile`, `intensity`, `trajectory`,"
        " `explanation` (welke regel op welk antwoord of welke woorden),"
        " `follow_up_questions` (wat nog gevraagd moet worden; wat nog niet te bepalen is,"
        " is `null`), `crisis` (bij crisis: wie u direct belt en wat u doet) en `providers`"
        " (gecontracteerde aanbieders die passen, elk met redenen). Bij crisis staan de"
        " crisiscontacten altijd in het antwoord, wat er verder ook is ingevuld. Ongeldige"
        " invoer (een score van 7, een onbekend levensdomein, een negatieve leeftijd, een te"
        " lange tekst, geen JSON-object, onbekende velden) geeft 400 met het veld in"
        " `parameter`. De tekst en antwoorden worden niet bewaard en niet gelogd."
    ),
)
async def assistant_advice(
    request: Request[Any, Any, Any], hulpwijzer: NamedDependency[Hulpwijzer]
) -> Advies:
    if not hulpwijzer.available:
        raise DutchNotFound(detail="Deze regio heeft (nog) geen hulpwijzer.")
    raw = await request.body()
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        raise AdviceInputError(
            [FieldError("body", "De inhoud is geen geldige JSON. Stuur een JSON-object.")]
        ) from None
    if not _strings_ok(payload):
        raise AdviceInputError([FieldError("body", "De inhoud bevat een ongeldig teken.")])
    parsed = parse_request(hulpwijzer.pack, payload)
    advice = await sync_to_thread(
        hulpwijzer.advise, parsed.text, parsed.answers, parsed.mode or "inwoner"
    )
    return advice.as_dict()  # type: ignore[return-value]


# ---------------------------------------------------------------------------- the router


def assistant_router(hulpwijzer: Hulpwijzer) -> Router:
    """The page, the step and the API, with the hulpwijzer as a dependency."""

    def provide() -> Hulpwijzer:
        return hulpwijzer

    return Router(
        path="/",
        route_handlers=[assistant_page, assistant_step, assistant_advice],
        dependencies={"hulpwijzer": Provide(provide, sync_to_thread=False)},
        exception_handlers={AdviceInputError: advice_input_error},
    )


__all__ = [
    "API_PATH",
    "PAGE_PATH",
    "AdviceView",
    "Hulpwijzer",
    "LiveProviderIndex",
    "Outcome",
    "Turn",
    "assistant_router",
    "handle_post",
    "read_answer",
    "take_turn",
]
