"""Reading a hulpvraag: which phrase of the text gave which signal.

`read(lexicon, text)` finds every lexicon phrase in the text (see lexicon.py for how
words match), then decides per phrase:

- negation: a negation word shortly before it in the same clause ("geen drugs", "niet
  agressief"), between its words ("drinkt niet te veel"), or right after it at the end
  of the clause ("middelengebruik: geen") makes it count 0. A negation after "kan",
  "lukt", "wil", ... says what does not work ("kan geen grenzen stellen"), and "niet
  alleen", "niet zonder" are no negation;
- crisis phrases told as the past ("vroeger", "jaren geleden") are suppressed, unless a
  present marker stands closer ("vroeger ..., nu slaat hij me weer"); crisis and
  residential phrases inside an exclusion ("mes en vork", "na de opname") are dropped;
- stated ages ("ik ben 67", "zoon van 12", "mevr., 82 jr") are read with the pack's
  regular expressions.

Every finding is a `Hit` with its span in the original text, so the explanation can quote
the phrase.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from etalage.assistant.lexicon import (
    ALLOWED,
    CRISIS,
    CRISIS_EXCLUSION,
    EXACT,
    FUZZY,
    PAST,
    PRESENT,
    RESIDENTIAL,
    RESIDENTIAL_EXCLUSION,
    Entry,
    Lexicon,
    NegationWords,
    TokenMatch,
)
from etalage.assistant.text import Token, fold, tokenize

NOT_NEGATED_KINDS = frozenset({PAST, PRESENT, CRISIS_EXCLUSION, RESIDENTIAL_EXCLUSION})

PAST_REASON = "verleden"
EXCLUSION_REASON = "uitzondering"


@dataclass(frozen=True, slots=True)
class Hit:
    """One phrase of the text that matched the lexicon."""

    kind: str
    value: str  # signal class, crisis kind, law code, duration, domain, expertise tag
    term: str  # the lexicon phrase, as written in the pack
    text: str  # the words of the text
    start: int  # span in the original text
    end: int
    first: int  # token positions
    last: int
    how: str  # exact, fuzzy or compound
    negated: bool = False
    suppressed: str | None = None  # why it does not count (PAST_REASON, EXCLUSION_REASON)

    @property
    def active(self) -> bool:
        return not self.negated and self.suppressed is None


@dataclass(frozen=True, slots=True)
class AgeHit:
    age: int
    text: str  # the words of the (folded) text that stated it


@dataclass(frozen=True)
class Reading:
    text: str
    hits: tuple[Hit, ...]
    ages: tuple[AgeHit, ...]

    def of(self, kind: str, active: bool = True) -> list[Hit]:
        return [h for h in self.hits if h.kind == kind and (h.active or not active)]


@dataclass(frozen=True, slots=True)
class _Match:
    entry: Entry
    positions: tuple[int, ...]
    gaps: tuple[int, ...]
    how: str
    start: int
    end: int


def read(lex: Lexicon, text: str) -> Reading:
    tokens = tokenize(text)
    words = [lex.equivalents.get(t.norm, t.norm) for t in tokens]
    matches = list(_matches(lex, tokens, text))
    by_kind: dict[str, list[_Match]] = {}
    for m in matches:
        by_kind.setdefault(m.entry.kind, []).append(m)
    crisis_excl = by_kind.get(CRISIS_EXCLUSION, [])
    resid_excl = by_kind.get(RESIDENTIAL_EXCLUSION, [])
    markers = sorted(
        (
            (m.positions[0], m.positions[-1], m.entry.kind)
            for m in matches
            if m.entry.kind in (PAST, PRESENT)
        ),
    )
    hits: list[Hit] = []
    for m in matches:
        kind = m.entry.kind
        if kind in NOT_NEGATED_KINDS:
            continue
        suppressed: str | None = None
        if kind == CRISIS:
            if _overlaps(m, crisis_excl):
                suppressed = EXCLUSION_REASON
            elif _told_as_past(m, tokens, markers):
                suppressed = PAST_REASON
        elif kind == RESIDENTIAL and _overlaps(m, resid_excl):
            suppressed = EXCLUSION_REASON
        hits.append(
            Hit(
                kind=kind,
                value=m.entry.value,
                term=m.entry.term,
                text=text[m.start : m.end],
                start=m.start,
                end=m.end,
                first=m.positions[0],
                last=m.positions[-1],
                how=m.how,
                negated=_negated(lex, tokens, words, m),
                suppressed=suppressed,
            )
        )
    hits.sort(key=lambda h: (h.start, -h.end, h.kind, h.value))
    return Reading(text=text, hits=tuple(hits), ages=tuple(_ages(lex, text)))


# ---------------------------------------------------------------------------- phrases


def _matches(lex: Lexicon, tokens: Sequence[Token], text: str) -> Iterator[_Match]:
    per_token = [
        ()
        if t.norm in lex.case_sensitive and not text[t.start : t.end].isupper()
        else lex.token_matches(t.norm)
        for t in tokens
    ]
    max_gap = lex.config.lexicon.max_gap
    n = len(tokens)
    for i, options in enumerate(per_token):
        for tm in options:
            for entry in lex.entries_by_first.get(tm.token, ()):
                allowed = ALLOWED[entry.kind]
                if tm.how not in allowed:
                    continue
                found = _match_rest(entry, i, tokens, per_token, allowed, max_gap)
                if found is None:
                    continue
                positions, gaps, hows = found
                if entry.clause_end:
                    last = positions[-1]
                    if last + 1 < n and tokens[last + 1].clause == tokens[last].clause:
                        continue
                hows = (tm, *hows)
                start, end = tokens[positions[0]].start, tokens[positions[-1]].end
                if len(positions) == 1 and tm.how not in (EXACT, FUZZY):
                    start, end = _part_span(tokens[i], tm)
                how = _how(hows)
                yield _Match(entry, positions, gaps, how, start, end)


def _match_rest(
    entry: Entry,
    i: int,
    tokens: Sequence[Token],
    per_token: Sequence[tuple[TokenMatch, ...]],
    allowed: frozenset[str],
    max_gap: int,
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[TokenMatch, ...]] | None:
    positions = [i]
    gaps: list[int] = []
    hows: list[TokenMatch] = []
    clause = tokens[i].clause
    limit = 0 if entry.adjacent else max_gap
    pos = i
    for wanted in entry.tokens[1:]:
        hit: tuple[int, TokenMatch] | None = None
        for j in range(pos + 1, min(len(tokens), pos + 2 + limit)):
            if tokens[j].clause != clause:
                break
            for tm in per_token[j]:
                if tm.token == wanted and tm.how in allowed:
                    hit = (j, tm)
                    break
            if hit:
                break
        if hit is None:
            return None
        j, tm = hit
        gaps.extend(range(pos + 1, j))
        positions.append(j)
        hows.append(tm)
        pos = j
    return tuple(positions), tuple(gaps), tuple(hows)


def _part_span(token: Token, tm: TokenMatch) -> tuple[int, int]:
    if token.end - token.start != len(token.norm):
        return token.start, token.end  # folding changed the length: quote the whole word
    if tm.how == "prefix":
        return token.start, token.start + tm.cut
    return token.start + tm.cut, token.end


def _how(hows: Sequence[TokenMatch]) -> str:
    kinds = {tm.how for tm in hows}
    if kinds <= {EXACT}:
        return "exact"
    if kinds <= {EXACT, FUZZY}:
        return "fuzzy"
    return "compound"


def _overlaps(m: _Match, others: Sequence[_Match]) -> bool:
    a0, a1 = m.positions[0], m.positions[-1]
    return any(o.positions[0] <= a1 and a0 <= o.positions[-1] for o in others)


def _told_as_past(
    m: _Match, tokens: Sequence[Token], markers: Sequence[tuple[int, int, str]]
) -> bool:
    """The nearest time marker before the phrase in its sentence (else after) is past."""
    sentence = tokens[m.positions[0]].sentence
    first, last = m.positions[0], m.positions[-1]
    before = [k for s, e, k in markers if e < first and tokens[s].sentence == sentence]
    if before:
        return before[-1] == PAST
    after = [k for s, e, k in markers if s > last and tokens[s].sentence == sentence]
    return bool(after) and after[0] == PAST


# ---------------------------------------------------------------------------- negation


def _negated(lex: Lexicon, tokens: Sequence[Token], words: Sequence[str], m: _Match) -> bool:
    neg = lex.negation
    assert neg is not None
    for g in m.gaps:
        if words[g] in neg.words and not _cancelled(neg, tokens, words, g):
            return True
    first, last = m.positions[0], m.positions[-1]
    clause = tokens[first].clause
    d, p = 0, first - 1
    while p >= 0 and d < neg.window:
        if tokens[p].clause != clause or words[p] in neg.breaks:
            break
        if words[p] in neg.words:
            scope = neg.short_scope.get(words[p], neg.window)
            if d + 1 <= scope and not _cancelled(neg, tokens, words, p):
                return True
        elif words[p] not in neg.transparent:
            d += 1  # "geen last meer van driftbuien": last, meer, van do not count
        p -= 1
    # "drugs: nee", "middelengebruik - geen", "suïcidaliteit uitgevraagd: geen"
    for p in (last + 1, last + 2):
        if p >= len(tokens) or tokens[p].sentence != tokens[last].sentence:
            break
        if (
            words[p] in neg.after_words
            and (
                tokens[p].before in ("", ":", "-", "–")
                if p == last + 1
                else ":" in tokens[p].before
            )
            and (p + 1 == len(tokens) or tokens[p + 1].clause != tokens[p].clause)
        ):
            return True
    return False


def _cancelled(neg: NegationWords, tokens: Sequence[Token], words: Sequence[str], p: int) -> bool:
    """A negation word that does not negate: "kan geen", "niet alleen", "niet zonder"."""
    clause = tokens[p].clause
    for q in (p - 1, p - 2, p - 3):  # "kan geen", "kan ik niet", "kan ik tijdelijk niet"
        if q < 0 or tokens[q].clause != clause or words[q] in neg.breaks:
            break
        if words[q] in neg.not_after:
            return True
    if p - 1 >= 0 and tokens[p - 1].clause == clause and words[p - 1] in neg.words:
        return True
    if p + 1 < len(tokens) and tokens[p + 1].clause == clause:
        nxt = words[p + 1]
        if nxt in neg.not_before or nxt in neg.words:
            return True
    return False


# ---------------------------------------------------------------------------- ages


def _ages(lex: Lexicon, text: str) -> Iterator[AgeHit]:
    folded = fold(text)
    found: list[tuple[int, AgeHit]] = []
    for compiled in lex.age_patterns:
        for m in compiled.finditer(folded):
            age = int(m.group("age"))
            if 0 <= age <= 120:
                found.append((m.start("age"), AgeHit(age, m.group(0).strip())))
    seen: set[int] = set()
    for pos, hit in sorted(found, key=lambda x: x[0]):
        if pos not in seen:
            seen.add(pos)
            yield hit
