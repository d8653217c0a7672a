"""One text prepared for the danger reader (danger.py): lemmas per word, sentences and
sub-clauses, joined separable verbs, an index of every key a word answers to, and the
context checks (negation, time, person) the reader's statuses are made of.

docs/assistant-reading.md describes the rules; the words they use are in danger_nl.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from etalage.assistant.text import Token

if TYPE_CHECKING:
    from etalage.assistant.danger import Concept, DangerReader

_COORDINATORS = frozenset({"en", "of"})
_PASSIVE = frozenset({"word", "wordt", "werd", "werden", "worden", "geworden", "door"})
_OBJECT_PRONOUNS = frozenset(
    {"me", "mij", "mezelf", "mijzelf", "hem", "haar", "ons", "hen", "jou", "elkaar", "zichzelf"}
)
_SUBJECT_PRONOUNS = frozenset({"ik", "k", "jij", "je", "hij", "ie", "zij", "ze", "we", "wij", "u"})
# A verb after a danger starts a new statement for a negation that follows it.
_BOUNDARY_VERBS = frozenset(
    {
        "is",
        "was",
        "ben",
        "bent",
        "zijn",
        "heeft",
        "hebben",
        "had",
        "kan",
        "kon",
        "wil",
        "wordt",
        "werd",
        "gaat",
        "doet",
        "durf",
        "durft",
        "moet",
        "weet",
        "zit",
        "ligt",
        "staat",
    }
)

# A finite verb right after a danger, with its subject after it: the danger is the
# fronted object ("zelfmoordgedachten heb ik niet").
_INVERSION_VERBS = frozenset(
    {
        "heb",
        "heeft",
        "hebben",
        "had",
        "hadden",
        "is",
        "ben",
        "bent",
        "zijn",
        "was",
        "waren",
        "doe",
        "doet",
        "deed",
        "zou",
        "zal",
        "zouden",
        "wil",
        "wilt",
        "denk",
        "denkt",
        "voel",
        "voelt",
        "zie",
        "ziet",
    }
)


class DangerContext:
    """One text prepared for matching: lemmas per word, sentences and sub-clauses."""

    def __init__(self, reader: DangerReader, tokens: Sequence[Token]) -> None:
        self.reader = reader
        self.tokens = tokens
        self.norms = [t.norm for t in tokens]
        self.lemmas: list[set[str]] = [set(reader.lemmas(n)) for n in self.norms]
        self.subclause = self._subclauses()
        self._join_separable()
        self.sentences: dict[int, list[int]] = {}
        for i, t in enumerate(tokens):
            self.sentences.setdefault(t.sentence, []).append(i)
        self._phrase_cache: dict[tuple[str, ...], list[tuple[int, int]]] = {}
        self._keys: dict[str, set[int]] | None = None
        self._keyset: frozenset[str] | None = None
        self._found: dict[int, list[tuple[int, int]]] = {}  # id of a phrase list -> spans

    def _subclauses(self) -> list[int]:
        out, current, last_clause = [], 0, -1
        for i, t in enumerate(self.tokens):
            if t.clause != last_clause or (i and t.norm in self.reader._clause_words):
                current += 1
                last_clause = t.clause
            out.append(current)
        return out

    def _join_separable(self) -> None:
        reader = self.reader
        n = len(self.tokens)
        for i, norm in enumerate(self.norms):
            if norm not in reader._particles:
                continue
            clause = self.subclause[i]
            clause_end = i + 1 == n or self.subclause[i + 1] != clause
            candidates: list[int] = []
            if clause_end:
                candidates = [j for j in range(i - 1, -1, -1) if self.subclause[j] == clause]
            else:
                # "aan te doen", "pijn heeft gedaan", "op staan"; and, only where that makes
                # a danger verb, a verb shortly before: "sluiten me op in mijn kamer" (not
                # "slaat me op mijn hoofd")
                candidates = []
                for j in range(i + 1, min(n, i + 4)):
                    if self.subclause[j] != clause:
                        break
                    candidates.append(j)
                    if self.norms[j] != "te" and self.norms[j] not in _BOUNDARY_VERBS:
                        break  # only "te" or an auxiliary may stand between
                candidates += [
                    j
                    for j in range(i - 1, max(-1, i - 4), -1)
                    if self.subclause[j] == clause
                    and any(
                        reader._separable.get((norm, lemma)) in reader._danger_verbs
                        for lemma in self.lemmas[j]
                    )
                ]
            for j in candidates:
                joined = {
                    reader._separable[(norm, lemma)]
                    for lemma in self.lemmas[j]
                    if (norm, lemma) in reader._separable
                }
                if joined:
                    self.lemmas[j] = (
                        self.lemmas[j] - {lem.rpartition("|")[2] for lem in joined}
                    ) | joined
                    self.lemmas[i] |= joined
                    break

    # ---- concepts ---------------------------------------------------------------------

    def find(self, concept: Concept) -> Iterable[tuple[int, ...]]:
        keys = self._key_set()
        if any(firsts.isdisjoint(keys) for firsts in self.reader.slot_firsts(concept)):
            return  # a slot none of whose first words is in the text: no match
        per_slot: list[list[tuple[int, int]]] = []
        for slot in concept.slots:
            spans: list[tuple[int, int]] = []
            for alt in slot:
                if alt[0] in keys:
                    spans.extend(self.spans(alt, concept.gap))
            if not spans:
                return
            per_slot.append(sorted(set(spans)))
        seen: set[tuple[int, ...]] = set()
        for start, end in per_slot[0]:
            sentence = self.tokens[start].sentence
            chosen = [(start, end)]
            for spans in per_slot[1:]:
                options = [
                    s
                    for s in spans
                    if self.tokens[s[0]].sentence == sentence
                    and not any(s[0] <= c[1] and c[0] <= s[1] for c in chosen)
                ]
                if not options:
                    break
                chosen.append(min(options, key=lambda s: abs(s[0] - start)))
            else:
                positions = tuple(sorted({p for s, e in chosen for p in range(s, e + 1)}))
                if positions[-1] - positions[0] > concept.span:
                    continue
                if concept.not_with and self._near_words(
                    positions, concept.not_with, whole_sentence=not concept.person
                ):
                    continue
                if concept.person and not self._has_person(positions):
                    continue
                if positions not in seen:
                    seen.add(positions)
                    yield positions

    def spans(self, alt: tuple[str, ...], gap: int = 1) -> list[tuple[int, int]]:
        """Where the words of a phrase stand, in order, with at most `gap` words between
        (a concept's words: one; a context phrase such as "voel me veilig": none)."""
        key = (*alt, str(gap))
        cached = self._phrase_cache.get(key)
        if cached is not None:
            return cached
        out: list[tuple[int, int]] = []
        index = self._index()
        n = len(self.norms)
        for i in index.get(alt[0], ()):
            position, ok = i, True
            sentence = self.tokens[i].sentence
            for word in alt[1:]:
                places = index.get(word)
                nxt = None
                if places:
                    for j in range(position + 1, min(n, position + 2 + gap)):
                        if j in places and self.tokens[j].sentence == sentence:
                            nxt = j
                            break
                if nxt is None:
                    ok = False
                    break
                position = nxt
            if ok:
                out.append((i, position))
        self._phrase_cache[key] = out
        return out

    def _key_set(self) -> frozenset[str]:
        if self._keyset is None:
            self._keyset = frozenset(self._index())
        return self._keyset

    def _index(self) -> dict[str, set[int]]:
        """Every key a word answers to: its folded form, its lemmas, and for compounds
        the parts a phrase word may be ("zelfmoord" in "zelfmoordgedachten")."""
        if self._keys is None:
            keys: dict[str, set[int]] = {}
            for i, norm in enumerate(self.norms):
                words = {norm, *self.lemmas[i]}
                for cut in range(6, len(norm) - 2):
                    words.add(norm[:cut])  # prefix of 6+ letters, 3+ letters left
                for cut in range(3, len(norm) - 7):
                    words.add(norm[cut:])  # suffix of 8+ letters
                for word in words:
                    keys.setdefault(word, set()).add(i)
            self._keys = keys
        return self._keys

    def _near_words(
        self, positions: Sequence[int], words: frozenset[str], whole_sentence: bool = False
    ) -> bool:
        """One of `words` near the danger: in its sentence, or (for a verb and the person
        it is done to) in its clause or within four words."""
        clause = self.subclause[positions[0]]
        sentence = self.tokens[positions[0]].sentence
        for i in self.sentences[sentence]:
            norm = self.norms[i]
            if i in positions:
                continue
            near = whole_sentence or self.subclause[i] == clause or abs(i - positions[0]) <= 4
            if near and (norm in words or self.lemmas[i] & words):
                return True
        return False

    def _has_person(self, positions: Sequence[int]) -> bool:
        persons = self.reader._persons
        clauses = {self.subclause[p] for p in positions}
        for p in positions:  # "hem krabt en slaat": the verbs share the person before "en"
            first = self.subclause.index(self.subclause[p])
            if p - first <= 1 and self.norms[first] in _COORDINATORS and p > first:
                clauses.add(self.subclause[p] - 1)
        nouns = subjects = 0
        passive = False
        around = self.sentences[self.tokens[positions[0]].sentence]
        for i in around:
            norm = self.norms[i]
            if self.subclause[i] not in clauses or i in positions:
                continue
            if norm in persons or norm in _OBJECT_PRONOUNS:
                nouns += 1
            elif norm in _SUBJECT_PRONOUNS:
                subjects += 1
            if norm in _PASSIVE:
                passive = True
        if passive and any(self.reader.is_past_form(self.norms[p]) for p in positions):
            return True
        return (nouns >= 1 and nouns + subjects >= 2) or any(
            self.norms[i] in _OBJECT_PRONOUNS
            for i in around
            if self.subclause[i] in clauses and i not in positions
        )

    # ---- context ----------------------------------------------------------------------

    def phrase_spans(
        self, phrases: Sequence[tuple[str, ...]], sentence: int | None = None
    ) -> Iterator[tuple[int, int]]:
        """Where any of `phrases` stands (word for word), in one sentence or anywhere;
        found once per list and text, then looked up."""
        found = self._found.get(id(phrases))
        if found is None:
            keys = self._key_set()
            found = [
                span
                for phrase in phrases
                if phrase[0] in keys
                for span in self.spans(phrase, gap=0)
            ]
            self._found[id(phrases)] = found
        for start, end in found:
            if sentence is None or self.tokens[start].sentence == sentence:
                yield start, end

    def inside(self, phrases: Sequence[tuple[str, ...]], positions: Sequence[int]) -> bool:
        first, last = min(positions), max(positions)
        sentence = self.tokens[first].sentence
        return any(s <= last and first <= e for s, e in self.phrase_spans(phrases, sentence))

    def sentence_has(self, sentence: int, phrases: Sequence[tuple[str, ...]]) -> bool:
        return any(True for _ in self.phrase_spans(phrases, sentence))

    def sentence_has_words(self, sentence: int, words: frozenset[str]) -> bool:
        return any(self.norms[i] in words for i in self.sentences.get(sentence, ()))

    def negated(self, positions: Sequence[int]) -> bool:
        reader = self.reader
        own = set(positions)
        first, last = min(positions), max(positions)
        clause = self.subclause[first]
        sentence = self.tokens[first].sentence
        # "geen suicidale gedachten", "geen sprake van geweld"
        for p in positions:
            distance, i = 0, p - 1
            while i >= 0 and self.subclause[i] == clause and i not in own:
                norm = self.norms[i]
                if norm in reader._neg_noun:
                    return True
                if norm not in reader._neg_transparent:
                    distance += 1
                if distance >= reader._neg_window:
                    break
                i -= 1
        # "hij heeft ons nooit geslagen" (any word before, in the clause); "hij slaat ons
        # nooit" (a few words after, before a new subject or verb: "geduwd k durf niks").
        for i in range(first - 1, -1, -1):
            if self.subclause[i] != clause:
                break
            if (
                i not in own
                and self.norms[i] in reader._neg_clause
                and not self._pseudo_negation(i, own)
            ):
                return True
        # "zelfmoordgedachten heb ik niet", "geslagen heeft hij me nooit": the danger put
        # first, the verb and its subject inverted after it, the negation further on.
        verb = next(
            (
                k
                for k in (last + 1, last + 2)
                if k + 1 < len(self.norms)
                and self.norms[k] in _INVERSION_VERBS
                and self.norms[k + 1] in _SUBJECT_PRONOUNS
                and self.subclause[k + 1] == clause
            ),
            None,
        )
        inverted = verb is not None and self.norms[last + 1] not in _SUBJECT_PRONOUNS
        skip = verb + 1 if verb is not None and inverted else last
        for i in range(last + 1, min(len(self.norms), skip + 5)):
            if self.subclause[i] != clause:
                break
            norm = self.norms[i]
            if i in own or i <= skip:
                continue
            if (norm in _SUBJECT_PRONOUNS and i > last + 1) or norm in _BOUNDARY_VERBS:
                break
            if norm in reader._neg_clause and not self._pseudo_negation(i, own):
                return True
        # "zou zichzelf nooit iets aandoen": a negation between the words of the danger
        for i in range(first + 1, last):
            negator = i not in own and self.norms[i] in reader._neg_clause
            if negator and not self._pseudo_negation(i, own):
                return True
        # "suicidaliteit: negatief", "drugs - nee", "geweld: geen"
        for i in (last + 1, last + 2, last + 3):
            if i >= len(self.norms) or self.tokens[i].sentence != sentence:
                break
            if self.norms[i] in reader._neg_after and any(
                ch in self.tokens[j].before for j in range(last + 1, i + 1) for ch in ":-–"
            ):
                return True
        return False

    def _pseudo_negation(self, i: int, own: set[int]) -> bool:
        reader = self.reader
        nxt = i + 1
        if nxt in own:
            return False
        if nxt < len(self.norms) and self.norms[nxt] in reader._neg_not_before:
            return True
        for j in (i - 1, i - 2):
            same_clause = j >= 0 and self.subclause[j] == self.subclause[i] and j not in own
            if same_clause and self.norms[j] in reader._neg_not_after:
                return True
        return False

    def told_as_past(self, positions: Sequence[int]) -> bool:
        first = min(positions)
        sentence = self.tokens[first].sentence
        markers = sorted(
            [(s, "past") for s, _ in self.phrase_spans(self.reader._past, sentence)]
            + [(s, "now") for s, _ in self.phrase_spans(self.reader._present, sentence)]
        )
        before = [kind for s, kind in markers if s < first]
        if before:
            if before[-1] == "past":
                return True
        else:
            after = [kind for s, kind in markers if s > first]
            if after and after[0] == "past":
                return True
        if any(kind == "now" for _, kind in markers):
            return False
        if not self.sentence_has_any(self.reader._safe_now):
            return False
        # A safe present: a past-tense danger, or one without a verb, is over.
        verbs = [p for p in positions if self.reader._forms.get(self.norms[p])]
        return (
            not verbs
            or any(self.reader.is_past_form(self.norms[p]) for p in verbs)
            or any(self.reader.is_past_form(self.norms[i]) for i in self.sentences[sentence])
        )

    def relapse_after(self, positions: Sequence[int]) -> bool:
        """A past danger that comes back: "vroeger sloeg hij me, nu begint het weer",
        "... toen ben ik gestopt, maar sinds gister doe ik het weer". A relapse word after
        the danger's first word (a long finding can hold it: "snijden maar sinds twee weken
        doe ik het weer"), in its sentence or the next, that is not part of a safe present
        ("weer veilig", "weer vrolijk")."""
        first, last = min(positions), max(positions)
        sentence = self.tokens[last].sentence
        safe = [
            (s, e)
            for n in (sentence, sentence + 1)
            for s, e in self.phrase_spans(self.reader._safe_now, n)
        ]
        return any(
            start > first and not any(s <= start < e for s, e in safe)
            for n in (sentence, sentence + 1)
            for start, _ in self.phrase_spans(self.reader._relapse, n)
        )

    def sentence_has_any(self, phrases: Sequence[tuple[str, ...]]) -> bool:
        return any(True for _ in self.phrase_spans(phrases))
