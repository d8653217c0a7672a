"""What both backends share: reading the query, relaxing it, shaping the answer.

A backend implements `_run` (one query against its index: a page of hits with their
highlights, the total and the facet counts) and the write methods; `BaseBackend.search`
does the rest the same way for both, so they cannot drift apart on query
understanding, stop words, the "all words must match" rule, relaxation, "did you
mean", distances or staleness.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from etalage.provider import is_stale
from search_index.documents import SearchDocument
from search_index.filters import Condition, conditions_for, distance_m
from search_index.protocol import (
    FACETS,
    MAX_Q_LENGTH,
    BackendName,
    Hit,
    QueryError,
    SearchQuery,
    SearchResult,
    Segment,
    Sort,
)
from search_index.text import HIGHLIGHT_POST, HIGHLIGHT_PRE
from search_index.vocabulary import Understanding, Vocabulary

# Attributes searched, most important first (Meilisearch's `attribute` ranking rule).
SEARCHABLE: tuple[str, ...] = (
    "naam",
    "expertise_labels",
    "expertise_termen",
    "profiel_namen",
    "samenstellingen",
    "omschrijving",
    "plaatsen",
    "taal_namen",
    "profielen",
    "kvk",
)
HIGHLIGHTED: tuple[str, ...] = ("naam", "omschrijving", "expertise_labels")
CROP_FIELD = "omschrijving"
CROP_WORDS = 24
CROP_MARKER = "…"
# Internal fields a hit's document does not carry.
# (A hit keeps `hash`: it names the version of the provider, e.g. for caching its card.)
NOT_RETRIEVED = frozenset(
    {"samenstellingen", "expertise_termen", "facetten", "naam_sort", "wachttijd_sorteer"}
)
MAX_RELAX_TRIES = 12

FALLBACK_NOTICE = (
    "De zoekfunctie werkt nu in een eenvoudiger vorm. De resultaten kunnen iets afwijken."
)


@dataclass(frozen=True)
class Plan:
    """A query made ready for a backend."""

    query: SearchQuery
    understood: Understanding
    words: tuple[str, ...]  # words to match (all of them), stop words removed
    prefix: bool  # the last word may be the start of a longer word
    conditions: tuple[Condition, ...]
    origin: tuple[float, float] | None
    sort: Sort
    # Relevance ranks help that fits an ordinary referral first (`zwaarte`), unless
    # the search asks for heavier help (Vocabulary.lighter_first).
    lighter_first: bool = False

    def with_words(self, words: Sequence[str]) -> Plan:
        return Plan(
            self.query,
            self.understood,
            tuple(words),
            self.prefix,
            self.conditions,
            self.origin,
            self.sort,
            self.lighter_first,
        )

    @property
    def text(self) -> str:
        """The text a backend searches for: a trailing space ends prefix search."""
        if not self.words:
            return ""
        return " ".join(self.words) + ("" if self.prefix else " ")


@dataclass
class RawHit:
    doc: Mapping[str, Any]
    highlights: dict[str, list[list[Segment]]] = field(default_factory=dict)


@dataclass
class RawPage:
    hits: list[RawHit]
    total: int
    facets: dict[str, dict[str, int]]


def prepare(query: SearchQuery, vocabulary: Vocabulary) -> Plan:
    query_text = query.q[:MAX_Q_LENGTH] if isinstance(query.q, str) else ""
    filters = query.filters
    if query.understand:
        understood = vocabulary.understand(
            query_text,
            leeftijd=filters.leeftijd,
            gemeente=filters.gemeente,
            places=query.read_place,
        )
    else:
        understood = Understanding(original=query_text, text=" ".join(query_text.split()))
    if filters.ignore_place and understood.gemeente is not None and filters.gemeente is None:
        understood = replace(
            understood, gemeente=None, gemeente_naam=None, ignored_place=understood.gemeente_naam
        )
    if understood.leeftijd is not None or understood.gemeente is not None:
        filters = replace(
            filters,
            leeftijd=filters.leeftijd if filters.leeftijd is not None else understood.leeftijd,
            leeftijd_tot=filters.leeftijd_tot
            if filters.leeftijd is not None
            else understood.leeftijd_tot,
            gemeente=filters.gemeente if filters.gemeente is not None else understood.gemeente,
        )
    origin: tuple[float, float] | None = None
    if filters.postcode is not None:
        if not isinstance(filters.postcode, str) or len(filters.postcode) > 10:
            raise QueryError("postcode", "vul een postcode in zoals 1621 AB")
        origin = vocabulary.postcode_point(filters.postcode)
        if origin is None:
            raise QueryError(
                "postcode", "deze postcode kennen we niet; vul een postcode uit de regio in"
            )
    if query.sort == "afstand" and origin is None:
        raise QueryError("sort", "vul een postcode in om op afstand te sorteren")
    conditions = conditions_for(filters, origin)
    prefix = bool(query_text) and not query_text[-1].isspace()
    return Plan(
        query=query,
        understood=understood,
        words=tuple(vocabulary.search_words(understood.text)),
        prefix=prefix,
        conditions=tuple(conditions),
        origin=origin,
        sort=query.sort,
        lighter_first=query.sort == "relevance"
        and vocabulary.lighter_first(understood.text, filters.segment, filters.intensiteit),
    )


def parse_highlight(text: str) -> list[Segment]:
    """Split a text marked with the private-use highlight markers into segments.

    Markers that do not pair up are dropped (an unclosed one marks the rest); text
    never contains them otherwise (`clean_text` removes them)."""
    out: list[Segment] = []
    first, *marked = text.split(HIGHLIGHT_PRE)
    plain = first.replace(HIGHLIGHT_POST, "")
    for part in marked:
        match, closed, rest = part.partition(HIGHLIGHT_POST)
        if match:
            if plain:
                out.append(Segment(plain))
                plain = ""
            if out and out[-1].match:  # two marks in a row: one piece
                out[-1] = Segment(out[-1].text + match, True)
            else:
                out.append(Segment(match, True))
        if closed:
            plain += rest.replace(HIGHLIGHT_POST, "")
    if plain:
        out.append(Segment(plain))
    return out


def plain_segments(value: Any) -> list[list[Segment]]:
    values = value if isinstance(value, list) else [value]
    return [[Segment(str(v))] if v else [] for v in values if v is not None]


class BaseBackend:
    name: BackendName
    vocabulary: Vocabulary
    freshness_weeks: int = 6

    # ---- to implement ------------------------------------------------------------------

    def _run(self, plan: Plan, offset: int, limit: int, facets: bool, highlight: bool) -> RawPage:
        """One query: `limit` hits from `offset` (0: the total only), the facet counts
        when `facets`, match marks when `highlight`."""
        raise NotImplementedError

    # ---- shared ------------------------------------------------------------------------

    def _count(self, plan: Plan) -> int:
        return self._run(plan, 0, 0, False, False).total

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        plan = prepare(query, self.vocabulary)
        offset = (query.page - 1) * query.per_page
        limit = query.per_page if query.hits else 0
        page = self._run(plan, offset, limit, query.facets, query.highlight)
        suggestion: str | None = None
        relaxed: tuple[str, ...] = ()
        if page.total == 0 and plan.words:
            suggestion = self._suggestion(plan) if query.hits else None
            if len(plan.words) > 1:
                better, relaxed = self._relax(plan)
                if better is not None:
                    plan = better
                    page = self._run(plan, offset, limit, query.facets, query.highlight)
        hits = [self._hit(raw, plan) for raw in page.hits]
        return SearchResult(
            hits=hits,
            total=page.total,
            page=query.page,
            per_page=query.per_page,
            facets={name: page.facets.get(name, {}) for name in FACETS},
            backend=self.name,
            understood=plan.understood,
            suggestion=suggestion,
            relaxed_words=relaxed,
            lighter_first=plan.lighter_first,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def _suggestion(self, plan: Plan) -> str | None:
        """A "did you mean" text from the vocabulary, only if it finds something."""
        suggested = self.vocabulary.suggest(" ".join(plan.words))
        if not suggested:
            return None
        words = self.vocabulary.search_words(suggested)
        if tuple(words) == plan.words or self._count(plan.with_words(words)) == 0:
            return None
        return suggested

    def _relax(self, plan: Plan) -> tuple[Plan | None, tuple[str, ...]]:
        """Leave words out, one at a time, the one whose absence finds the most."""
        words = list(plan.words)
        dropped: list[str] = []
        tries = 0
        while len(words) > 1 and tries < MAX_RELAX_TRIES:
            best: tuple[int, int] | None = None  # (count, index)
            for index in reversed(range(len(words))):  # ties: leave out later words first
                tries += 1
                count = self._count(plan.with_words(words[:index] + words[index + 1 :]))
                if count and (best is None or count > best[0]):
                    best = (count, index)
            if best is not None:
                dropped.append(words[best[1]])
                return plan.with_words(words[: best[1]] + words[best[1] + 1 :]), tuple(dropped)
            # Nothing with one word less: drop the last word and try again.
            dropped.append(words.pop())
        return None, ()

    def _hit(self, raw: RawHit, plan: Plan) -> Hit:
        doc: SearchDocument = {k: v for k, v in raw.doc.items() if k not in NOT_RETRIEVED}
        checked = doc.get("wachttijd_bevestigd_op") or doc.get("wachttijd_peildatum")
        if checked:
            doc["wachttijd_verouderd"] = is_stale(
                date.fromisoformat(checked), date.today(), self.freshness_weeks
            )
        afstand: float | None = None
        geo = doc.get("_geo")
        if plan.origin is not None and geo:
            afstand = round(
                distance_m(plan.origin[0], plan.origin[1], geo["lat"], geo["lng"]) / 1000, 1
            )
        highlights = {f: raw.highlights.get(f) or plain_segments(doc.get(f)) for f in HIGHLIGHTED}
        return Hit(id=str(doc["id"]), document=doc, highlights=highlights, afstand_km=afstand)
