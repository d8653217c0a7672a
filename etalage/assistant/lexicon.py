"""The assistant's lexicon, generated from the region pack.

Every phrase the assistant looks for becomes an `Entry` (kind, value, the stems of its
words). The sources are all pack data:

- profile signals (pack.yaml `profiles`), grouped into *signal classes*: forms of one
  signal count once. A class joins signals with the same stems ("agressief" /
  "agressieve"), the pack's `spelling_variants` ("autsime" -> "autisme"), and the
  assistant's `lexicon.same_signal` groups and `lexicon.synonyms`;
- expertise tags (code, label, synonyms, and spelling variants pointing to them);
- from assistant.yaml: crisis signals and their exclusions, past/present time markers,
  law hints, duration hints, residential hints and exclusions, life-domain hints.

A word of the text matches a lexicon word exactly (same stem), with a typo (long words
only: 6+ letters one edit, 9+ two; same first letter), or as part of a compound word
("zelfmoordgedachten", "gokverslaving"). Short words (4 letters or fewer) only match
exactly, so "add" never matches "and" and "ass" never matches "als".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from etalage.assistant.config import AssistantConfig
from etalage.assistant.danger import DangerReader, default_reader
from etalage.assistant.danger_model import DangerModel, default_model
from etalage.assistant.text import CACHE_ENTRIES, fold_word, stem, words
from etalage.region.model import RegionPack

# Entry kinds.
SIGNAL: Final = "signal"
EXPERTISE: Final = "expertise"
CRISIS: Final = "crisis"
CRISIS_EXCLUSION: Final = "crisis_exclusion"
PAST: Final = "past"
PRESENT: Final = "present"
LAW: Final = "law"
DURATION: Final = "duration"
RESIDENTIAL: Final = "residential"
RESIDENTIAL_EXCLUSION: Final = "residential_exclusion"
DOMAIN: Final = "domain"

# How a text word matched a lexicon word.
EXACT: Final = "exact"
FUZZY: Final = "fuzzy"
PREFIX: Final = "prefix"  # the lexicon word starts the text word ("zelfmoord|gedachten")
SUFFIX: Final = "suffix"  # the lexicon word ends the text word ("gok|verslaving")

_ALL = frozenset({EXACT, FUZZY, PREFIX, SUFFIX})
ALLOWED: Final[Mapping[str, frozenset[str]]] = {
    SIGNAL: _ALL,
    EXPERTISE: _ALL,
    DOMAIN: _ALL,
    CRISIS: frozenset({EXACT, FUZZY, PREFIX}),
    CRISIS_EXCLUSION: _ALL,
    LAW: frozenset({EXACT, FUZZY}),
    DURATION: _ALL,
    RESIDENTIAL: frozenset({EXACT, FUZZY, PREFIX}),
    RESIDENTIAL_EXCLUSION: _ALL,
    PAST: frozenset({EXACT}),
    PRESENT: frozenset({EXACT}),
}

FUZZY_MIN_LEN = 6  # shorter words only match exactly
FUZZY_TWO_EDITS_LEN = 9
COMPOUND_MIN_PART = 5  # a lexicon word found inside a compound has 5+ letters
COMPOUND_MIN_REST = 3  # ... and the rest of the compound 3+


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str
    value: str
    term: str  # as written in the pack
    tokens: tuple[int, ...]
    adjacent: bool = False  # "=" phrases: no words in between
    clause_end: bool = False  # "$": must end its clause


@dataclass(frozen=True, slots=True)
class TokenMatch:
    token: int  # lexicon token id
    how: str
    cut: int = 0  # for PREFIX/SUFFIX: where the part ends/starts in the folded word


@dataclass(frozen=True)
class NegationWords:
    """The folded word sets of the negation rules (see reading.py)."""

    words: frozenset[str]
    window: int
    short_scope: Mapping[str, int]
    after_words: frozenset[str]
    not_after: frozenset[str]
    not_before: frozenset[str]
    breaks: frozenset[str]
    transparent: frozenset[str]

    @classmethod
    def from_config(cls, config: AssistantConfig) -> NegationWords:
        negation = config.negation

        def folded(values: Iterable[str]) -> frozenset[str]:
            return frozenset(fold_word(v) for v in values)

        return cls(
            words=folded(negation.words),
            window=negation.window,
            short_scope={fold_word(k): v for k, v in negation.short_scope.items()},
            after_words=folded(negation.after_words),
            not_after=folded(negation.not_after),
            not_before=folded(negation.not_before),
            breaks=folded(negation.breaks),
            transparent=folded(negation.transparent),
        )


@dataclass(frozen=True)
class SignalClass:
    """Forms of one profile signal; it counts once, with its weight per profile."""

    id: str
    label: str
    weights: Mapping[str, int]
    specialist: frozenset[str]  # profiles for which it is a specialist signal


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: str, second: str) -> None:
        first_root, second_root = self.find(first), self.find(second)
        if first_root != second_root:
            self.parent[max(first_root, second_root)] = min(first_root, second_root)


def stem_key(text: str) -> str:
    """The identity of a term: the stems of its words."""
    return " ".join(stem(w) for w in words(text))


@dataclass
class Lexicon:
    """All phrases of a pack's assistant, indexed for matching (build with `from_pack`)."""

    config: AssistantConfig
    entries_by_first: dict[int, list[Entry]] = field(default_factory=dict)
    signal_classes: dict[str, SignalClass] = field(default_factory=dict)
    class_by_key: dict[str, str] = field(default_factory=dict)  # stem key -> class id
    token_stems: list[str] = field(default_factory=list)
    equivalents: dict[str, str] = field(default_factory=dict)
    _ids: dict[str, int] = field(default_factory=dict)
    _prefix: dict[str, set[int]] = field(default_factory=dict)
    _suffix: dict[str, set[int]] = field(default_factory=dict)
    _fuzzy: dict[str, tuple[list[str], list[int]]] = field(default_factory=dict)
    _fuzzy_block: frozenset[str] = frozenset()
    _compound_block: frozenset[str] = frozenset()
    negation: NegationWords | None = None
    case_sensitive: frozenset[str] = frozenset()  # only in capitals: "MS", not "ms"
    age_patterns: tuple[re.Pattern[str], ...] = ()
    danger: DangerReader | None = None
    danger_model: DangerModel | None = None
    _cache: dict[str, tuple[TokenMatch, ...]] = field(default_factory=dict)
    _seen: set[tuple[str, str, tuple[int, ...], bool, bool]] = field(default_factory=set)

    # ---- building ---------------------------------------------------------------------

    @classmethod
    def from_pack(cls, pack: RegionPack, config: AssistantConfig) -> Lexicon:
        lex = cls(config=config)
        lexicon_config = config.lexicon
        lex.equivalents = {
            fold_word(k): fold_word(v) for k, v in lexicon_config.token_equivalents.items()
        }
        lex._fuzzy_block = frozenset(
            stem(fold_word(w)) for w in lexicon_config.fuzzy_blocklist
        ) | frozenset(fold_word(w) for w in lexicon_config.fuzzy_blocklist)
        lex._compound_block = frozenset(fold_word(w) for w in lexicon_config.compound_blocklist)
        optional = frozenset(fold_word(w) for w in lexicon_config.optional_words)
        lex.negation = NegationWords.from_config(config)
        lex.case_sensitive = frozenset(fold_word(w) for w in lexicon_config.case_sensitive)
        lex.age_patterns = tuple(re.compile(p) for p in config.age_patterns)
        lex.danger = default_reader().extended(
            config.time_markers.past, config.time_markers.present
        )
        lex.danger_model = default_model()

        lex._add_signals(pack, config, optional)
        lex._add_expertise(pack, optional)
        for kind_name, phrases in config.crisis.signals.items():
            for phrase in phrases:
                lex._add(CRISIS, kind_name, phrase, optional)
        for phrase in config.crisis.exclusions:
            lex._add(CRISIS_EXCLUSION, "", phrase, optional)
        for phrase in config.time_markers.past:
            lex._add(PAST, "", phrase, optional)
        for phrase in config.time_markers.present:
            lex._add(PRESENT, "", phrase, optional)
        for law, phrases in config.law_hints.items():
            for phrase in phrases:
                lex._add(LAW, law, phrase, optional)
        for phrase in config.duration_hints.long_term:
            lex._add(DURATION, "long_term", phrase, optional)
        for phrase in config.duration_hints.temporary:
            lex._add(DURATION, "temporary", phrase, optional)
        for phrase in config.residential_hints.phrases:
            lex._add(RESIDENTIAL, "yes", phrase, optional)
        for phrase in config.residential_hints.exclusions:
            lex._add(RESIDENTIAL_EXCLUSION, "", phrase, optional)
        for domain, phrases in config.life_domain_hints.items():
            for phrase in phrases:
                lex._add(DOMAIN, domain, phrase, optional)
        lex._index_tokens()
        lex._seen.clear()
        return lex

    def _add_signals(
        self, pack: RegionPack, config: AssistantConfig, optional: frozenset[str]
    ) -> None:
        union_find = _UnionFind()
        surfaces: dict[str, str] = {}  # stem key -> first surface form seen
        weights: dict[str, dict[str, int]] = defaultdict(dict)  # stem key -> profile -> weight
        specialist: dict[str, set[str]] = defaultdict(set)
        w_spec, w_other = config.signal_weights.specialist, config.signal_weights.other
        for profile in pack.profiles:
            for signals, weight in (
                (profile.specialist_signals, w_spec),
                (profile.other_signals, w_other),
            ):
                for signal in signals:
                    key = stem_key(signal)
                    if not key:
                        continue
                    union_find.find(key)
                    surfaces.setdefault(key, signal)
                    weights[key][profile.code] = max(weights[key].get(profile.code, 0), weight)
                    if weight == w_spec:
                        specialist[key].add(profile.code)
        signal_keys = set(weights)

        def link(variant: str, target: str) -> None:
            variant_key, target_key = stem_key(variant), stem_key(target)
            if variant_key and target_key:
                surfaces.setdefault(variant_key, variant)
                union_find.union(variant_key, target_key)

        for variant, target in pack.spelling_variants.items():
            if stem_key(target) in signal_keys or stem_key(variant) in signal_keys:
                link(variant, target)
        for variant, target in config.lexicon.synonyms.items():
            link(variant, target)
        for group in config.lexicon.same_signal:
            members = [m for m in group if stem_key(m)]
            for member in members[1:]:
                link(member, members[0])

        classes: dict[str, dict[str, int]] = defaultdict(dict)
        class_spec: dict[str, set[str]] = defaultdict(set)
        labels: dict[str, str] = {}
        for key in signal_keys:
            root = union_find.find(key)
            for profile_code, profile_weight in weights[key].items():
                classes[root][profile_code] = max(
                    classes[root].get(profile_code, 0), profile_weight
                )
            class_spec[root] |= specialist[key]
        for profile in pack.profiles:  # the label: the first form the pack lists
            for sig in (*profile.specialist_signals, *profile.other_signals):
                if stem_key(sig):
                    labels.setdefault(union_find.find(stem_key(sig)), sig)
        for root, class_weights in classes.items():
            self.signal_classes[root] = SignalClass(
                id=root,
                label=labels[root],
                weights=class_weights,
                specialist=frozenset(class_spec[root]),
            )
        for key, surface in surfaces.items():
            root = union_find.find(key)
            if root in self.signal_classes:
                self.class_by_key[key] = root
                self._add(SIGNAL, root, surface, optional)

    def class_of(self, term: str) -> str | None:
        """The signal class of a term (any of its forms), or None."""
        return self.class_by_key.get(stem_key(term))

    def _add_expertise(self, pack: RegionPack, optional: frozenset[str]) -> None:
        by_key: dict[str, set[str]] = defaultdict(set)
        for tag in pack.expertise:
            label = tag.label.split("(")[0]
            for term in (tag.code.replace("-", " "), label, *tag.synonyms):
                by_key[stem_key(term)].add(tag.code)
                self._add(EXPERTISE, tag.code, term, optional)
        for variant, target in pack.spelling_variants.items():
            for code in by_key.get(stem_key(target), ()):
                self._add(EXPERTISE, code, variant, optional)
        # A profile signal that is a tag synonym under another spelling also names the tag.
        for profile in pack.profiles:
            for signal in (*profile.specialist_signals, *profile.other_signals):
                for code in by_key.get(stem_key(signal), ()):
                    self._add(EXPERTISE, code, signal, optional)

    def _token_id(self, word: str) -> int:
        key = stem(self.equivalents.get(word, word))
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = len(self.token_stems)
            self.token_stems.append(key)
        return found

    def _add(self, kind: str, value: str, term: str, optional: frozenset[str]) -> None:
        text = term.strip()
        adjacent = text.startswith("=")
        text = text.lstrip("=").strip()
        clause_end = text.endswith("$")
        text = text.rstrip("$").strip()
        term_words = words(text)
        kept = [w for w in term_words if w not in optional] or term_words
        if not kept:
            return
        tokens = tuple(self._token_id(w) for w in kept)
        key = (kind, value, tokens, adjacent, clause_end)
        if key in self._seen:
            return
        self._seen.add(key)
        entry = Entry(kind, value, text, tokens, adjacent, clause_end)
        self.entries_by_first.setdefault(tokens[0], []).append(entry)

    def _index_tokens(self) -> None:
        prefix: dict[str, set[int]] = defaultdict(set)
        suffix: dict[str, set[int]] = defaultdict(set)
        fuzzy: dict[str, tuple[list[str], list[int]]] = {}
        for tid, token_stem in enumerate(self.token_stems):
            if not token_stem.isalpha():
                continue
            if len(token_stem) >= COMPOUND_MIN_PART:
                prefix[token_stem].add(tid)
                suffix[token_stem].add(tid)
            if len(token_stem) >= FUZZY_MIN_LEN:
                choices, ids = fuzzy.setdefault(token_stem[0], ([], []))
                choices.append(token_stem)
                ids.append(tid)
        # The unstemmed forms start compounds too ("autisme|spectrum", "drugs|gebruik").
        for entries in self.entries_by_first.values():
            for entry in entries:
                for word, tid in zip(_kept_words(entry.term, self), entry.tokens, strict=False):
                    if len(word) >= COMPOUND_MIN_PART and word.isalpha():
                        prefix[word].add(tid)
        self._prefix = dict(prefix)
        self._suffix = dict(suffix)
        self._fuzzy = fuzzy

    # ---- matching one word ------------------------------------------------------------

    def token_matches(self, norm: str) -> tuple[TokenMatch, ...]:
        """The lexicon words one folded text word can stand for (cached)."""
        cached = self._cache.get(norm)
        if cached is not None:
            return cached
        result = self._token_matches(norm)
        if len(self._cache) >= CACHE_ENTRIES:
            self._cache.clear()  # bounded: words of at most MAX_WORD_CHARS letters
        self._cache[norm] = result
        return result

    def _token_matches(self, norm: str) -> tuple[TokenMatch, ...]:
        word = self.equivalents.get(norm, norm)
        word_stem = stem(word)
        out: list[TokenMatch] = []
        exact = self._ids.get(word_stem)
        if exact is None and word_stem != word:
            exact = self._ids.get(word)
        if exact is not None:
            out.append(TokenMatch(exact, EXACT))
        elif (
            len(word_stem) >= FUZZY_MIN_LEN
            and word_stem.isalpha()
            and word_stem not in self._fuzzy_block
            and word not in self._fuzzy_block
        ):
            out.extend(self._fuzzy_matches(word_stem))
        long_word = len(word) >= COMPOUND_MIN_PART + COMPOUND_MIN_REST and word.isalpha()
        if long_word and word not in self._compound_block:
            out.extend(self._compound_matches(word, exclude=exact))
        return tuple(out)

    def _fuzzy_matches(self, word_stem: str) -> Iterable[TokenMatch]:
        group = self._fuzzy.get(word_stem[0])
        if not group:
            return ()
        choices, ids = group
        budget = 2 if len(word_stem) >= FUZZY_TWO_EDITS_LEN else 1
        found = process.extract(
            word_stem, choices, scorer=OSA.distance, score_cutoff=budget, limit=None
        )
        if not found:
            return ()
        best = min(d for _, d, _ in found)
        return [TokenMatch(ids[i], FUZZY) for _, d, i in found if d == best]

    def _compound_matches(self, word: str, exclude: int | None) -> Iterable[TokenMatch]:
        out: list[TokenMatch] = []
        length = len(word)
        for cut in range(COMPOUND_MIN_PART, length - COMPOUND_MIN_REST + 1):
            for tid in self._prefix.get(word[:cut], ()):
                if tid != exclude:
                    out.append(TokenMatch(tid, PREFIX, cut))
        for cut in range(COMPOUND_MIN_REST, length - COMPOUND_MIN_PART + 1):
            tail = word[cut:]
            ids = self._suffix.get(tail) or self._suffix.get(stem(tail))
            for tid in ids or ():
                if tid != exclude:
                    out.append(TokenMatch(tid, SUFFIX, cut))
        return out


def _kept_words(term: str, lex: Lexicon) -> list[str]:
    optional = frozenset(fold_word(w) for w in lex.config.lexicon.optional_words)
    term_words = words(term)
    return [w for w in term_words if w not in optional] or term_words
