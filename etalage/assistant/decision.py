"""What the decision rules produce and share (etalage.assistant.rules): the decision
with its explanation, trace and follow-up questions, the compiled context, the helpers
that quote the text, and the base of the rules (how a rule explains itself and asks).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from etalage.assistant.answers import Answers, Mode
from etalage.assistant.config import AssistantConfig
from etalage.assistant.lexicon import Lexicon
from etalage.assistant.reading import Hit, Reading
from etalage.region.model import Law, RegionPack

CRISIS_ROUTE = "crisis"


@dataclass(frozen=True)
class TraceStep:
    """One rule as applied: for the professional mode and for tests."""

    rule: int
    name: str
    fired: bool
    inputs: dict[str, Any]
    outcome: Any
    note: str  # plain Dutch, with codes

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "fired": self.fired,
            "inputs": self.inputs,
            "outcome": self.outcome,
            "note": self.note,
        }


@dataclass(frozen=True)
class Option:
    value: Any
    label: str
    description: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "label": self.label}
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class FollowUp:
    key: str
    question: str
    help: str = ""
    reason: str = ""
    options: tuple[Option, ...] = ()
    domains: tuple[Option, ...] = ()  # life_domains: the domains to score, hinted first

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "question": self.question}
        if self.help:
            out["help"] = self.help
        if self.reason:
            out["reason"] = self.reason
        if self.options:
            out["options"] = [o.as_dict() for o in self.options]
        if self.domains:
            out["domains"] = [o.as_dict() for o in self.domains]
        return out


@dataclass
class Decision:
    route: str = "B"
    law: str | None = None
    age: int | None = None
    profile: str | None = None
    intensity: str | None = None
    trajectory: str | None = None
    n_severe: int = 0
    n_affected: int = 0
    crisis_kinds: list[str] = field(default_factory=list)
    # The text touches danger without deciding it: contacts shown, safety question first.
    crisis_doubt: bool = False
    strengths: dict[str, int] = field(default_factory=dict)
    profile_hits: dict[str, list[tuple[Hit, int]]] = field(default_factory=dict)
    text_tags: set[str] = field(default_factory=set)
    explanation: list[str] = field(default_factory=list)
    trace: list[TraceStep] = field(default_factory=list)
    follow_up: list[FollowUp] = field(default_factory=list)
    duration: str | None = None
    residential: bool | None = None
    specialist_hits: list[Hit] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What the rules need from the pack, compiled once per pack."""

    pack: RegionPack
    config: AssistantConfig
    lexicon: Lexicon


# ---------------------------------------------------------------------------- helpers


def quote(text: str) -> str:
    """A quoted phrase of the text."""
    return f"‘{' '.join(text.split())}’"


def quote_hit(hit: Hit) -> str:
    """A quoted hit; a typo or compound part also names the word it was read as."""
    quoted = quote(hit.text)
    if hit.how not in ("exact", "concept") and hit.text.casefold() != hit.term.casefold():
        return f"{quoted} ({hit.term})"
    return quoted


def join_nl(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " en " + items[-1]


def n_topics(count: int) -> str:
    return f"{count} onderwerp" if count == 1 else f"{count} onderwerpen"


def law_range(law: Law) -> str:
    if law.age_min == 0:
        return f"tot {law.age_max + 1} jaar"
    return f"vanaf {law.age_min} jaar"


def first_hits(hits: Iterable[Hit]) -> list[Hit]:
    """One hit per distinct text, in text order."""
    seen: set[str] = set()
    out: list[Hit] = []
    for hit in sorted(hits, key=lambda item: item.start):
        key = hit.text.casefold()
        if key not in seen:
            seen.add(key)
            out.append(hit)
    return out


class RulesBase:
    """The state of one decision and how a rule explains itself and asks."""

    def __init__(self, ctx: Context, reading: Reading, answers: Answers, mode: Mode) -> None:
        self.ctx = ctx
        self.pack = ctx.pack
        self.cfg = ctx.config
        self.thresholds = ctx.config.thresholds
        self.reading = reading
        self.answers = answers
        self.mode = mode
        self.decision = Decision()

    # ---- output ----------------------------------------------------------------------

    def named(self, item: Any, code: str) -> str:
        """A profile, intensity, trajectory or domain as this view names it: the B1 label
        for citizens, the formal name for professionals."""
        if item is None:
            return code
        return str(item.plain if self.mode == "inwoner" else item.name)

    def say(self, inwoner: str, professional: str) -> str:
        """Add the explanation line for the mode; returns the professional line."""
        self.decision.explanation.append(professional if self.mode == "professional" else inwoner)
        return professional

    def step(
        self, rule: int, name: str, fired: bool, inputs: dict[str, Any], outcome: Any, note: str
    ) -> None:
        self.decision.trace.append(TraceStep(rule, name, fired, inputs, outcome, note))

    def ask(self, key: str, reason: str, **extra: Any) -> None:
        if any(f.key == key for f in self.decision.follow_up):
            return
        spec = self.cfg.questions[key]
        self.decision.follow_up.append(
            FollowUp(key=key, question=spec.question, help=spec.help, reason=reason, **extra)
        )

    def yes_no(self) -> tuple[Option, ...]:
        labels = self.cfg.answer_labels
        return (Option(True, labels.yes), Option(False, labels.no))
