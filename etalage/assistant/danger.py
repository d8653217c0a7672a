"""Danger read as concepts, with a context algorithm (rule 1 of the hulpwijzer).

A phrase list cannot keep up with Dutch: the verb moves to the end of a subordinate
clause ("dat hij ons bedreigt"), a separable verb splits ("doet ons iets aan", "dreigt ons
iets aan te doen"), people write in the first, second or third person, in any tense and
with typos. So danger is recognised from its parts (`danger_nl.yaml`, documented in
docs/assistant-reading.md):

1. Every word gets its lemmas: the forms of the danger verbs come from their principal
   parts (slaan: sla sloeg sloegen geslagen); a separable verb is joined in its clause
   when the particle ends the clause or stands right before the verb ("slaat de deur
   dicht" is *dichtslaan*, not *slaan*). Words of 7+ letters also match with one typo.
2. A *concept* is a kind and slots that must all be found in one sentence, in any order
   ("dreigen" + "aandoen"; "gevallen" + "kan niet opstaan"). Hitting verbs need a person
   in the clause ("slaat me", "slaat zijn broertje", a passive "werd geslagen").
3. Every match (and every crisis phrase of the region pack) then gets a status, in the
   spirit of the ConText algorithm: *negated* ("hij slaat ons nooit", "geen suicidale
   gedachten", "suicidaliteit: negatief"), *past* (a past marker nearer than a present
   one, or a past-tense danger in a text that says the present is safe), *other*
   (media, school, work: "een film over huiselijk geweld", "zij werkt bij Veilig Thuis"),
   *figurative* ("ik schrik me dood", jokes), *doubt* (fear and hypotheticals: "bang dat
   hij ...": the safety question is asked first) or *active*.

The prepared text and its context checks are in danger_context.py. Pure and bounded:
the work is linear in the number of words (the caller bounds those), and the one cache
(typo lookups) holds at most `CACHE_ENTRIES` words.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA

from etalage.assistant.danger_context import DangerContext
from etalage.assistant.text import CACHE_ENTRIES, Token, fold_word

# Statuses of a danger match (Hit.suppressed values; None is active).
NEGATED = "ontkenning"
PAST = "verleden"
OTHER = "ander"
FIGURATIVE = "uitzondering"
DOUBT = "twijfel"

_FUZZY_MIN = 7
_DEFAULT_SPAN = 10


@dataclass(frozen=True, slots=True)
class Concept:
    kind: str
    label: str  # the first alternative of the first slot, for explanations
    slots: tuple[tuple[tuple[str, ...], ...], ...]  # slot -> alternatives -> words
    person: bool
    not_with: frozenset[str]
    doubt: bool
    span: int
    gap: int = 1  # words allowed between a phrase's words (the plain vocabulary: none)


@dataclass(frozen=True, slots=True)
class Match:
    """One concept found in the text: its kind, token positions and status."""

    kind: str
    label: str
    positions: tuple[int, ...]
    status: str | None  # None (active) or one of the statuses above
    doubt: bool


@dataclass(frozen=True, slots=True)
class _Forms:
    lemmas: tuple[str, ...]
    past: bool


class DangerReader:
    """The compiled danger lexicon (see the module docstring); `read` is pure."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._forms: dict[str, _Forms] = {}
        self._separable: dict[tuple[str, str], str] = {}  # (particle, verb lemma) -> lemma
        for infinitive, parts in data["verbs"].items():
            self._add_verb(str(infinitive), str(parts).split())
        self._particles = frozenset(data["particles"])
        self._persons = frozenset(fold_word(w) for w in data["persons"])
        self.concepts = tuple(_concept(c) for c in data["concepts"]) + tuple(
            _vocabulary(data.get("vocabulary") or {})
        )
        self._figurative = tuple(_phrase(p) for p in data["figurative"])
        self._jokes = tuple(_phrase(p) for p in data["jokes"])
        neg = data["negation"]
        self._neg_noun = frozenset(neg["noun"])
        self._neg_window = int(neg["noun_window"])
        self._neg_clause = frozenset(neg["clause"])
        self._neg_after = frozenset(neg["after"])
        self._neg_transparent = frozenset(neg["transparent"])
        self._neg_not_before = frozenset(neg["not_before"])
        self._neg_not_after = frozenset(neg["not_after"])
        self._clause_words = frozenset(data["clause_words"])
        self._past = tuple(_phrase(p) for p in data["past"])
        self._present = tuple(_phrase(p) for p in data["present"])
        self._safe_now = tuple(_phrase(p) for p in data["safe_now"])
        self._relapse = tuple(_phrase(p) for p in data["relapse"])
        self._other = tuple(_phrase(p) for p in data["other"])
        self._doubt = tuple(_phrase(p) for p in data["doubt"])
        vocabulary = set(self._forms)
        for concept in self.concepts:
            for slot in concept.slots:
                vocabulary.update(alt[0] for alt in slot if len(alt) == 1)
        self._vocabulary = sorted(w for w in vocabulary if len(w) >= _FUZZY_MIN and "|" not in w)
        self._known = frozenset(vocabulary)
        self._danger_verbs = frozenset(
            alt[0] for c in self.concepts for slot in c.slots for alt in slot if "|" in alt[0]
        )
        self._fuzzy = lru_cache(maxsize=CACHE_ENTRIES)(self._fuzzy_uncached)
        self._slot_firsts: dict[int, tuple[frozenset[str], ...]] = {}

    def slot_firsts(self, concept: Concept) -> tuple[frozenset[str], ...]:
        """Per slot of a concept, the first words of its alternatives (cached)."""
        found = self._slot_firsts.get(id(concept))
        if found is None:
            found = tuple(frozenset(alt[0] for alt in slot) for slot in concept.slots)
            self._slot_firsts[id(concept)] = found
        return found

    def extended(self, past: Iterable[str], present: Iterable[str]) -> DangerReader:
        """A copy that also knows a region pack's own time markers."""
        other = copy.copy(self)
        other._past = self._past + tuple(_phrase(p) for p in past)
        other._present = self._present + tuple(_phrase(p) for p in present)
        return other

    @classmethod
    def default(cls) -> DangerReader:
        text = resources.files("etalage.assistant").joinpath("danger_nl.yaml").read_text("utf-8")
        return cls(yaml.safe_load(text))

    # ---- building ---------------------------------------------------------------------

    def _add_verb(self, infinitive: str, parts: list[str]) -> None:
        stem_, past_sg, past_pl, participle = parts
        particle, _, verb = infinitive.rpartition("|")
        present = {stem_, stem_ + "t", stem_ + "d", verb, stem_ + "e"}
        if stem_.endswith("a") and stem_[-2:-1] not in ("a", "e", "i", "o", "u", ""):
            present |= {stem_ + "at", stem_ + "ad"}  # sla -> slaat (and the slaad slip)
        if stem_.endswith(("t", "d")):
            present.add(stem_[:-1] + ("d" if stem_.endswith("t") else "t"))
        if stem_.endswith(("ijd", "uid", "oud")):
            present.add(stem_[:-1])  # the spoken first person: "ik snij", "ik rij"
        past = {past_sg, past_pl, participle}
        if participle.endswith("d"):
            past.add(participle[:-1] + "t")  # the bedreigt / bedreigd slip
        elif participle.endswith("t"):
            past.add(participle[:-1] + "d")
        # A separable verb's split forms ("doet ... aan") are the simple verb until the
        # clause joins them; its one-word forms ("aandoet", "aangedaan") are the verb.
        for form in present:
            self._add_form(form, verb, past=False)
        for form in past:
            self._add_form(form, verb, past=True)
        if particle:
            self._separable[(particle, verb)] = infinitive
            for form in present:
                self._add_form(particle + form, infinitive, past=False)
            for form in (past_sg, past_pl):
                self._add_form(particle + form, infinitive, past=True)
            bare = participle[2:] if participle.startswith("ge") else participle
            self._add_form(particle + "ge" + bare, infinitive, past=True)  # aangedaan
            self._add_form(particle + "te" + verb, infinitive, past=False)  # aantedoen

    def _add_form(self, form: str, lemma: str, past: bool) -> None:
        old = self._forms.get(form)
        if old is None:
            self._forms[form] = _Forms((lemma,), past)
        elif lemma not in old.lemmas:
            self._forms[form] = _Forms((*old.lemmas, lemma), past or old.past)

    # ---- reading ----------------------------------------------------------------------

    def lemmas(self, norm: str) -> tuple[str, ...]:
        forms = self._forms.get(norm)
        if forms:
            return forms.lemmas
        if len(norm) >= _FUZZY_MIN and norm not in self._known:
            near = self._fuzzy(norm)
            if near is not None:
                hit = self._forms.get(near)
                return hit.lemmas if hit else (near,)
        return ()

    def _fuzzy_uncached(self, norm: str) -> str | None:
        found = process.extractOne(
            norm,
            self._vocabulary,
            scorer=OSA.distance,
            score_cutoff=1,
        )
        if found is None or found[0][0] != norm[0]:
            return None
        return str(found[0])

    def is_past_form(self, norm: str) -> bool:
        forms = self._forms.get(norm)
        return bool(forms and forms.past)

    def read(self, tokens: Sequence[Token]) -> list[Match]:
        """Every danger concept in the text, each with its status."""
        return self.read_context(DangerContext(self, tokens))

    def read_context(self, ctx: DangerContext) -> list[Match]:
        """`read` on a prepared text (the caller also qualifies phrases with `ctx`)."""
        if not ctx.tokens:
            return []
        found: list[Match] = []
        for concept in self.concepts:
            for positions in ctx.find(concept):
                found.append(
                    Match(
                        concept.kind,
                        concept.label,
                        positions,
                        self.status(ctx, positions, concept.doubt),
                        concept.doubt,
                    )
                )
        return _outermost(found)

    def context(self, tokens: Sequence[Token]) -> DangerContext:
        return DangerContext(self, tokens)

    def status(
        self, ctx: DangerContext, positions: Sequence[int], doubt: bool = False
    ) -> str | None:
        """The status of a danger at these token positions (None: active)."""
        first = min(positions)
        sentence = ctx.tokens[first].sentence
        if ctx.inside(self._figurative, positions) or ctx.sentence_has(sentence, self._jokes):
            return FIGURATIVE
        if ctx.negated(positions):
            return NEGATED
        if ctx.sentence_has(sentence, self._other):
            return OTHER
        if ctx.told_as_past(positions):
            # the past coming back now: not decided, so the safety question first
            return DOUBT if ctx.relapse_after(positions) else PAST
        if doubt or ctx.sentence_has(sentence, self._doubt):
            return DOUBT
        return None


@lru_cache(maxsize=1)
def default_reader() -> DangerReader:
    """The reader of danger_nl.yaml, compiled once per process."""
    return DangerReader.default()


def _concept(raw: dict[str, Any]) -> Concept:
    slots = tuple(tuple(_phrase(alt) for alt in slot) for slot in raw["slots"])
    return Concept(
        kind=str(raw["kind"]),
        label=" ".join(slots[0][0]),
        slots=slots,
        person=bool(raw.get("person", False)),
        not_with=frozenset(fold_word(w) for w in raw.get("not_with", ())),
        doubt=bool(raw.get("doubt", False)),
        span=int(raw.get("span", _DEFAULT_SPAN)),
        gap=int(raw.get("gap", 1)),
    )


def _vocabulary(vocabulary: dict[str, Any]) -> Iterable[Concept]:
    """The plain phrases per kind: `strong` ones decide danger, `weak` ones ask first.
    Each group is one concept whose alternatives are the phrases."""
    for kind, groups in vocabulary.items():
        for strength in ("strong", "weak"):
            phrases = tuple(_phrase(p) for p in groups.get(strength) or ())
            if phrases:
                yield Concept(
                    kind=str(kind),
                    label=" ".join(phrases[0]),
                    slots=(phrases,),
                    person=False,
                    not_with=frozenset(),
                    doubt=strength == "weak",
                    span=_DEFAULT_SPAN,
                    gap=0,
                )


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(fold_word(w) if "|" not in w else w for w in str(text).split())


def _outermost(matches: list[Match]) -> list[Match]:
    """Drop a match whose positions lie inside another match of the same kind."""
    out: list[Match] = []
    for m in sorted(matches, key=lambda m: (-len(m.positions), m.positions)):
        if any(m.kind == o.kind and set(m.positions) <= set(o.positions) for o in out):
            continue
        out.append(m)
    return sorted(out, key=lambda m: m.positions)
