"""The danger model: how much a whole text looks like danger now (issue 9).

The concept reader (danger.py) finds a danger word with its people, negation and time,
and quotes it; that is what the explanation shows. It is exact where it fires, but a
phrase list cannot know every way of writing danger: on texts by writers it was never
tuned on it showed the contacts for 70-80 % of real danger and confirmed a crisis on
about 10 % of hard texts without danger. The danger model reads the whole text instead:
a logistic regression over TF-IDF weighted word unigrams and bigrams and character
3-5-grams of each word (so "geslagen", "sloeg" and "gesalgen" share evidence), trained
with scikit-learn on the tuning part of the crisis corpus and on the vignettes
(`etalage/assistant/danger_train.py`; held-out texts are never trained on).

Rule 1 combines the two (docs/assistant-reading.md#the-danger-model):

- a concept (or pack phrase) confirms a crisis only when the model agrees
  (`score >= confirm`); otherwise the safety question comes first;
- a concept the model finds very unlike danger now (`score < dismiss`) is not shown
  (the professional view says why);
- without any concept, a text the model finds like danger (`score >= ask`) gets the
  safety question first, with the contacts of the most likely kind, and the explanation
  names the words that weighed most.

At run time this is pure Python and standard library: the weights live in
`danger_model.json.gz` next to this file, read once per process. Cost is linear in the
text, which the engine already caps (answers.MAX_TEXT_CHARS, MAX_WORD_CHARS).
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from etalage.assistant.text import Token

MODEL_PATH = Path(__file__).with_name("danger_model.json.gz")
FORMAT = 2
CHAR_NGRAMS = (3, 5)
# The finding model sees this many words either side of a finding, within its sentence.
FINDING_WINDOW = 8
_SENTENCE_END = frozenset(".!?;\n")
_TOP_WORDS = 3
# Words too common to explain anything ("vooral de woorden 'niet' en 'ik'" helps no one).
_FUNCTION_WORDS = frozenset(
    "aan als bij dan dat de deze die dit door een en er had heb heeft hem het hij hoe hun"  # noqa: SIM905
    " ik in is je jij kan maar me mee men met mij mijn mn na naar niet nog nu of om ons onze"
    " ook op over te tot uit van voor was wat we wel wie wil wij word wordt ze zich zij zijn"
    " zo zou".split()
)


def features(tokens: Sequence[Token]) -> list[str]:
    """The model's features of one text, from its tokens (text.tokenize).

    Training (danger_train.py) calls this same function, so the two cannot drift."""
    norms = [t.norm for t in tokens]
    out = ["w:" + word for word in norms]
    out += ["b:" + first + " " + second for first, second in pairwise(norms)]
    low, high = CHAR_NGRAMS
    for word in norms:
        padded = " " + word + " "
        for n in range(low, high + 1):
            out += ["c:" + padded[i : i + n] for i in range(len(padded) - n + 1)]
    return out


def sentence_breaks(text: str, tokens: Sequence[Token]) -> list[bool]:
    """`breaks[i]`: a sentence ends between token i-1 and token i (., !, ?, ; or a new
    line in between)."""
    breaks = [False] * (len(tokens) + 1)
    for i in range(1, len(tokens)):
        gap = text[tokens[i - 1].end : tokens[i].start]
        breaks[i] = any(c in _SENTENCE_END for c in gap)
    return breaks


def _sentence(breaks: Sequence[bool], n: int, first: int, last: int) -> tuple[int, int]:
    """Token range [low, high) of the sentence that holds tokens first..last."""
    low = first
    while low > 0 and not breaks[low]:
        low -= 1
    high = last + 1
    while high < n and not breaks[high]:
        high += 1
    return low, high


def finding_features(
    tokens: Sequence[Token],
    breaks: Sequence[bool],
    kind: str,
    status: str,
    first: int,
    last: int,
    others: Iterable[str] = (),
) -> list[str]:
    """The finding model's features of one finding of the concept reader: its kind and
    status, its own words, the words around it in its sentence (up to FINDING_WINDOW
    either side), marked by side, with the word pairs around it ("geen <D>", "<D> in
    de film"); and the statuses of the reader's other crisis findings in the text
    (`others`: a danger word negated or in the past elsewhere, "Geen signalen van
    kindermishandeling." after a bruise).
    What matters is what surrounds the danger word, not the text as a whole."""
    norms = [t.norm for t in tokens]
    n = len(norms)
    start, end = _sentence(breaks, n, first, last)
    low = max(start, first - FINDING_WINDOW)
    high = min(end, last + FINDING_WINDOW + 1)
    out = ["K:" + kind, "T:" + status]
    out += [side + norms[i] for i in range(low, first) for side in ("L:", "w:")]
    out += [side + norms[i] for i in range(last + 1, high) for side in ("R:", "w:")]
    around = [*norms[low:first], "<D>", *norms[last + 1 : high]]
    out += ["b:" + a + " " + b for a, b in pairwise(around)]
    out += ["f:" + norms[i] for i in range(first, last + 1)]
    out += sorted({"O:" + other for other in others})
    return out


def features_of_findings(
    tokens: Sequence[Token], breaks: Sequence[bool], found: Sequence[tuple[str, str, int, int]]
) -> list[list[str]]:
    """finding_features of each (kind, status, first, last) of one text, each told the
    statuses of the others that do not overlap it."""
    return [
        finding_features(
            tokens,
            breaks,
            kind,
            status,
            first,
            last,
            [o[1] for o in found if not (o[2] <= last and first <= o[3])],
        )
        for kind, status, first, last in found
    ]


def _tfidf(names: Iterable[str], idf: dict[str, float]) -> dict[str, float]:
    """Sublinear TF-IDF, L2-normalised over the known features (as scikit-learn's
    TfidfVectorizer(sublinear_tf=True) computes it)."""
    counts = Counter(f for f in names if f in idf)
    raw = {f: (1.0 + math.log(n)) * idf[f] for f, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    return {f: v / norm for f, v in raw.items()} if norm else {}


class FindingModel:
    """How much one finding, read with the words around it, is danger now: a logistic
    regression over finding_features, trained on the findings of the training texts."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.bias: float = float(data["bias"])
        self.idf: dict[str, float] = {n: float(row[0]) for n, row in data["features"].items()}
        self.weight: dict[str, float] = {n: float(row[1]) for n, row in data["features"].items()}

    def score(self, names: Iterable[str]) -> float:
        vec = _tfidf(names, self.idf)
        return _sigmoid(self.bias + sum(self.weight[f] * v for f, v in vec.items()))


def _token_features(tokens: Sequence[Token], position: int) -> Iterable[tuple[str, float]]:
    """The features one token takes part in, with its share of each (for explaining)."""
    word = tokens[position].norm
    yield "w:" + word, 1.0
    if position > 0:
        yield "b:" + tokens[position - 1].norm + " " + word, 0.5
    if position + 1 < len(tokens):
        yield "b:" + word + " " + tokens[position + 1].norm, 0.5
    low, high = CHAR_NGRAMS
    padded = " " + word + " "
    for n in range(low, high + 1):
        for i in range(len(padded) - n + 1):
            yield "c:" + padded[i : i + n], 1.0


@dataclass(frozen=True)
class Thresholds:
    ask: float  # no finding, score at least this: the safety question first
    # the same for a text shorter than `overrule_min_words`: a few plain words ("Zij eet
    # bijna niet en is erg mager.") give the text model little to go on
    ask_short: float
    confirm: float  # a finding confirms a crisis only from this score; below: ask first
    dismiss: float  # a doubt with a score below this is not shown
    # A finding the finding model scores below this, in a text scored below `confirm`,
    # is not shown: neither model reads it as danger now.
    keep: float
    # In a text scored below `quiet` (it reads as a care story, not as danger), a finding
    # needs a finding score of `keep_quiet` to stay: "Mijn buurvrouw is gestorven,
    # zelfmoord zeggen mensen. Met mij gaat het goed." (0 and 1: off, older model files).
    quiet: float
    keep_quiet: float
    # A text shorter than this (in words) gives the model too little context to overrule
    # a finding: "Ik ben suïcidaal." has no word against danger, only few for it.
    overrule_min_words: int


@dataclass(frozen=True, slots=True)
class DangerScore:
    """The model's reading of one text."""

    score: float  # probability-like, 0..1: how much the text looks like danger now
    kind: str | None  # the most likely danger kind (suicide, violence, unsafe_child, danger)
    # token positions that weighed most towards danger, best first (when score >= ask)
    words: tuple[int, ...]
    thresholds: Thresholds
    length: int  # words in the text

    @property
    def may_overrule(self) -> bool:
        return self.length >= self.thresholds.overrule_min_words

    @property
    def ask_at(self) -> float:
        """The score from which the text alone asks first."""
        t = self.thresholds
        return t.ask if self.may_overrule else max(t.ask, t.ask_short)


class DangerModel:
    """Weights and thresholds of one trained model (see danger_train.py for the file)."""

    def __init__(self, data: dict[str, Any]) -> None:
        if data.get("format") not in (1, FORMAT):  # format 1: no finding model
            raise ValueError(f"danger model format {data.get('format')!r}, expected {FORMAT}")
        self.kinds: tuple[str, ...] = tuple(data["kinds"])
        self.bias: float = float(data["bias"])
        self.kind_bias: tuple[float, ...] = tuple(float(b) for b in data["kind_bias"])
        # feature -> (idf, weight towards danger, weights per kind)
        self.weights: dict[str, tuple[float, float, tuple[float, ...]]] = {
            name: (float(row[0]), float(row[1]), tuple(float(v) for v in row[2:]))
            for name, row in data["features"].items()
        }
        t = data["thresholds"]
        self.thresholds = Thresholds(
            ask=float(t["ask"]),
            ask_short=float(t.get("ask_short", t["ask"])),
            confirm=float(t["confirm"]),
            dismiss=float(t["dismiss"]),
            keep=float(t.get("keep", 0.0)),
            quiet=float(t.get("quiet", 0.0)),
            keep_quiet=float(t.get("keep_quiet", 1.0)),
            overrule_min_words=int(t["overrule_min_words"]),
        )
        found = data.get("findings")
        self.findings: FindingModel | None = FindingModel(found) if found else None
        self.meta: dict[str, Any] = dict(data.get("meta", {}))
        self._idf_table: dict[str, float] | None = None

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> DangerModel:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return cls(json.load(handle))

    def vector(self, tokens: Sequence[Token]) -> dict[str, float]:
        return _tfidf(features(tokens), self._idf)

    @property
    def _idf(self) -> dict[str, float]:
        if self._idf_table is None:
            self._idf_table = {name: row[0] for name, row in self.weights.items()}
        return self._idf_table

    def score(self, tokens: Sequence[Token]) -> DangerScore:
        vec = self.vector(tokens)
        z = self.bias + sum(self.weights[f][1] * v for f, v in vec.items())
        kind_z = list(self.kind_bias)
        for f, v in vec.items():
            for k, w in enumerate(self.weights[f][2]):
                kind_z[k] += w * v
        kind = self.kinds[max(range(len(kind_z)), key=kind_z.__getitem__)] if kind_z else None
        score = _sigmoid(z)
        return DangerScore(
            score=score,
            kind=kind,
            # only a text the model asks about is explained by its words
            words=self._top_words(tokens, vec) if score >= self.thresholds.ask else (),
            thresholds=self.thresholds,
            length=len(tokens),
        )

    def _top_words(self, tokens: Sequence[Token], vec: dict[str, float]) -> tuple[int, ...]:
        """Positions of the words that pushed the text most towards danger, each word
        once (a feature's weight is shared by the times it occurs)."""
        counts = Counter(f for f in features(tokens) if f in vec)
        best: dict[str, tuple[float, int]] = {}
        for i, token in enumerate(tokens):
            word = token.norm
            if len(word) < 3 or word.isdigit() or word in _FUNCTION_WORDS:
                continue
            push = sum(
                share * self.weights[f][1] * vec[f] / counts[f]
                for f, share in _token_features(tokens, i)
                if f in vec
            )
            if push > 0 and push > best.get(word, (0.0, -1))[0]:
                best[word] = (push, i)
        ranked = sorted(best.values(), key=lambda item: -item[0])[:_TOP_WORDS]
        return tuple(i for _, i in ranked)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@lru_cache(maxsize=1)
def default_model() -> DangerModel:
    """The shipped model, read once per process."""
    return DangerModel.load()
