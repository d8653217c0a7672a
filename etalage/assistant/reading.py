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
from dataclasses import dataclass, replace
from datetime import date

from etalage.assistant import danger
from etalage.assistant.ages import stated_ages
from etalage.assistant.danger_model import DangerScore, features_of_findings, sentence_breaks
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

PAST_REASON = danger.PAST
EXCLUSION_REASON = danger.FIGURATIVE
DOUBT_REASON = danger.DOUBT


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
    # For a crisis finding that counts or is in doubt: the finding model's score of it
    # with the words around it (danger_model.FindingModel), when the model has one.
    model: float | None = None

    @property
    def active(self) -> bool:
        return not self.negated and self.suppressed is None

    @property
    def status(self) -> str:
        """What the finding model is told of a crisis finding: hit, doubt, or why not."""
        if self.active:
            return "hit"
        if self.suppressed == DOUBT_REASON:
            return "doubt"
        return "not:" + (self.suppressed or "negated")


@dataclass(frozen=True, slots=True)
class AgeHit:
    age: int
    text: str  # the words of the (folded) text that stated it


@dataclass(frozen=True)
class Reading:
    text: str
    hits: tuple[Hit, ...]
    ages: tuple[AgeHit, ...]
    # The danger model's reading of the whole text (danger_model.py), and the words of
    # the text that weighed most towards danger, as written.
    danger: DangerScore | None = None
    danger_words: tuple[str, ...] = ()

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


def read(lex: Lexicon, text: str, today: date | None = None) -> Reading:
    tokens = tokenize(text)
    words = [lex.equivalents.get(t.norm, t.norm) for t in tokens]
    matches = list(_matches(lex, tokens, text))
    by_kind: dict[str, list[_Match]] = {}
    for match in matches:
        by_kind.setdefault(match.entry.kind, []).append(match)
    crisis_excl = by_kind.get(CRISIS_EXCLUSION, [])
    resid_excl = by_kind.get(RESIDENTIAL_EXCLUSION, [])
    danger_reader = lex.danger
    assert danger_reader is not None
    danger_ctx = danger_reader.context(tokens)
    hits: list[Hit] = []
    for concept in danger_reader.read_context(danger_ctx):
        first, last = concept.positions[0], concept.positions[-1]
        status = concept.status
        if any(m.positions[0] <= last and first <= m.positions[-1] for m in crisis_excl):
            status = EXCLUSION_REASON  # the pack's exclusions: "misbruik van", "mes en vork"
        hits.append(
            Hit(
                kind=CRISIS,
                value=concept.kind,
                term=concept.label,
                text=text[tokens[first].start : tokens[last].end],
                start=tokens[first].start,
                end=tokens[last].end,
                first=first,
                last=last,
                how="concept",
                negated=status == danger.NEGATED,
                suppressed=status,
            )
        )
    for match in matches:
        kind = match.entry.kind
        if kind in NOT_NEGATED_KINDS:
            continue
        suppressed: str | None = None
        if kind == CRISIS:
            # The pack's crisis phrases go through the same context rules as the concepts.
            if _overlaps(match, crisis_excl):
                suppressed = EXCLUSION_REASON
            else:
                suppressed = danger_reader.status(danger_ctx, match.positions)
            hits.append(_hit(text, match, suppressed == danger.NEGATED, suppressed))
            continue
        if kind == RESIDENTIAL and _overlaps(match, resid_excl):
            suppressed = EXCLUSION_REASON
        hits.append(_hit(text, match, _negated(lex, tokens, words, match), suppressed))
    hits.sort(key=lambda hit: (hit.start, -hit.end, hit.kind, hit.value))
    hits = _drop_crisis_inside_concepts(hits)
    model = lex.danger_model
    score = model.score(tokens) if model is not None else None
    if model is not None and model.findings is not None:
        crisis = [i for i, h in enumerate(hits) if h.kind == CRISIS]
        names = features_of_findings(
            tokens,
            sentence_breaks(text, tokens),
            [(hits[i].value, hits[i].status, hits[i].first, hits[i].last) for i in crisis],
        )
        for i, row in zip(crisis, names, strict=True):
            if hits[i].status in ("hit", "doubt"):
                hits[i] = replace(hits[i], model=model.findings.score(row))
    return Reading(
        text=text,
        hits=tuple(hits),
        ages=tuple(_ages(lex, text, today or date.today())),
        danger=score,
        danger_words=tuple(text[tokens[i].start : tokens[i].end] for i in score.words)
        if score
        else (),
    )


def _hit(text: str, match: _Match, negated: bool, suppressed: str | None) -> Hit:
    return Hit(
        kind=match.entry.kind,
        value=match.entry.value,
        term=match.entry.term,
        text=text[match.start : match.end],
        start=match.start,
        end=match.end,
        first=match.positions[0],
        last=match.positions[-1],
        how=match.how,
        negated=negated,
        suppressed=suppressed,
    )


def _drop_crisis_inside_concepts(hits: list[Hit]) -> list[Hit]:
    """One finding per danger: a concept inside a pack phrase of the same kind is dropped
    (the phrase quotes the text more precisely: "zelfmoord" in "zelfmoordgedachten")."""
    phrases = [h for h in hits if h.kind == CRISIS and h.how != "concept"]
    return [
        h
        for h in hits
        if h.kind != CRISIS
        or h.how != "concept"
        or not any(
            p.value == h.value
            and p.first <= h.first
            and h.last <= p.last
            and (h.suppressed == DOUBT_REASON) == (p.suppressed == DOUBT_REASON)
            for p in phrases
        )
    ]


# ---------------------------------------------------------------------------- phrases


def _matches(lex: Lexicon, tokens: Sequence[Token], text: str) -> Iterator[_Match]:
    per_token = [
        ()
        if t.norm in lex.case_sensitive and not text[t.start : t.end].isupper()
        else lex.token_matches(t.norm)
        for t in tokens
    ]
    max_gap = lex.config.lexicon.max_gap
    token_count = len(tokens)
    for position, options in enumerate(per_token):
        for token_match in options:
            for entry in lex.entries_by_first.get(token_match.token, ()):
                allowed = ALLOWED[entry.kind]
                if token_match.how not in allowed:
                    continue
                found = _match_rest(entry, position, tokens, per_token, allowed, max_gap)
                if found is None:
                    continue
                positions, gaps, hows = found
                if entry.clause_end:
                    last = positions[-1]
                    if last + 1 < token_count and tokens[last + 1].clause == tokens[last].clause:
                        continue
                hows = (token_match, *hows)
                start, end = tokens[positions[0]].start, tokens[positions[-1]].end
                if len(positions) == 1 and token_match.how not in (EXACT, FUZZY):
                    start, end = _part_span(tokens[position], token_match)
                how = _how(hows)
                yield _Match(entry, positions, gaps, how, start, end)


def _match_rest(
    entry: Entry,
    first_position: int,
    tokens: Sequence[Token],
    per_token: Sequence[tuple[TokenMatch, ...]],
    allowed: frozenset[str],
    max_gap: int,
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[TokenMatch, ...]] | None:
    positions = [first_position]
    gaps: list[int] = []
    hows: list[TokenMatch] = []
    clause = tokens[first_position].clause
    limit = 0 if entry.adjacent else max_gap
    last_position = first_position
    for wanted in entry.tokens[1:]:
        hit: tuple[int, TokenMatch] | None = None
        for next_position in range(last_position + 1, min(len(tokens), last_position + 2 + limit)):
            if tokens[next_position].clause != clause:
                break
            for token_match in per_token[next_position]:
                if token_match.token == wanted and token_match.how in allowed:
                    hit = (next_position, token_match)
                    break
            if hit:
                break
        if hit is None:
            return None
        next_position, token_match = hit
        gaps.extend(range(last_position + 1, next_position))
        positions.append(next_position)
        hows.append(token_match)
        last_position = next_position
    return tuple(positions), tuple(gaps), tuple(hows)


def _part_span(token: Token, token_match: TokenMatch) -> tuple[int, int]:
    if token.end - token.start != len(token.norm):
        return token.start, token.end  # folding changed the length: quote the whole word
    if token_match.how == "prefix":
        return token.start, token.start + token_match.cut
    return token.start + token_match.cut, token.end


def _how(hows: Sequence[TokenMatch]) -> str:
    kinds = {tm.how for tm in hows}
    if kinds <= {EXACT}:
        return "exact"
    if kinds <= {EXACT, FUZZY}:
        return "fuzzy"
    return "compound"


def _overlaps(match: _Match, others: Sequence[_Match]) -> bool:
    first, last = match.positions[0], match.positions[-1]
    return any(o.positions[0] <= last and first <= o.positions[-1] for o in others)


# ---------------------------------------------------------------------------- negation


def _negated(lex: Lexicon, tokens: Sequence[Token], words: Sequence[str], match: _Match) -> bool:
    neg = lex.negation
    assert neg is not None
    for gap in match.gaps:
        if words[gap] in neg.words and not _cancelled(neg, tokens, words, gap):
            return True
    first, last = match.positions[0], match.positions[-1]
    clause = tokens[first].clause
    distance, position = 0, first - 1
    while position >= 0 and distance < neg.window:
        if tokens[position].clause != clause or words[position] in neg.breaks:
            break
        if words[position] in neg.words:
            scope = neg.short_scope.get(words[position], neg.window)
            if distance + 1 <= scope and not _cancelled(neg, tokens, words, position):
                return True
        elif words[position] not in neg.transparent:
            distance += 1  # "geen last meer van driftbuien": last, meer, van do not count
        position -= 1
    # "drugs: nee", "middelengebruik - geen", "suïcidaliteit uitgevraagd: geen"
    for after in (last + 1, last + 2):
        if after >= len(tokens) or tokens[after].sentence != tokens[last].sentence:
            break
        if (
            words[after] in neg.after_words
            and (
                tokens[after].before in ("", ":", "-", "–")
                if after == last + 1
                else ":" in tokens[after].before
            )
            and (after + 1 == len(tokens) or tokens[after + 1].clause != tokens[after].clause)
        ):
            return True
    return False


def _cancelled(
    neg: NegationWords, tokens: Sequence[Token], words: Sequence[str], position: int
) -> bool:
    """A negation word that does not negate: "kan geen", "niet alleen", "niet zonder"."""
    clause = tokens[position].clause
    # "kan geen", "kan ik niet", "kan ik tijdelijk niet"
    for before in (position - 1, position - 2, position - 3):
        if before < 0 or tokens[before].clause != clause or words[before] in neg.breaks:
            break
        if words[before] in neg.not_after:
            return True
    if (
        position - 1 >= 0
        and tokens[position - 1].clause == clause
        and words[position - 1] in neg.words
    ):
        return True
    if position + 1 < len(tokens) and tokens[position + 1].clause == clause:
        nxt = words[position + 1]
        if nxt in neg.not_before or nxt in neg.words:
            return True
    return False


# ---------------------------------------------------------------------------- ages


def _ages(lex: Lexicon, text: str, today: date) -> Iterator[AgeHit]:
    folded = fold(text)
    found: list[tuple[int, AgeHit]] = []
    for compiled in lex.age_patterns:
        for age_match in compiled.finditer(folded):
            age = int(age_match.group("age"))
            if 0 <= age <= 120:
                found.append((age_match.start("age"), AgeHit(age, age_match.group(0).strip())))
    for position, age, said in stated_ages(folded, today):
        found.append((position, AgeHit(age, said)))
    seen: set[int] = set()
    for pos, hit in sorted(found, key=lambda item: item[0]):
        if pos not in seen:
            seen.add(pos)
            yield hit
