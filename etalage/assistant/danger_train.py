"""Train the danger model (danger_model.py) from the corpus; a development tool.

    python -m etalage.assistant.danger_train           # writes danger_model.json.gz
    python -m etalage.assistant.danger_train --check   # exit 1 when the file is stale

Needs scikit-learn (the `dev` extra); the product itself never imports this module.
After a retrain the professional trace's `model_score` changes: regenerate the golden
advice file (`ETALAGE_UPDATE_GOLDEN=1 pytest tests/golden -p no:xdist`) and check that
only scores moved.

What it trains on (tests/assistant/corpus/, README there), never a held-out item:

- the generated crisis texts (weight 0.3: many, and made from templates);
- the hand-written crisis texts of `handwritten*.yaml` without `heldout: true`, and no
  file that is all held out (`handwritten_fourth.yaml`, `handwritten_seventh.yaml`,
  `handwritten_twentythird.yaml`, the sets 27-34 of the new writers, `others_crisis.yaml`);
  danger `true` counts as danger, `false` as none, `doubt` as danger at weight 0.5
  (the safety question is the right answer for it);
- the vignettes of the main set without `heldout: true` and the engine's own vignettes
  (tests/assistant/vignettes.yaml): ordinary help questions, none unless their expected
  route is crisis. `others.yaml` is all held out and never used.

Two logistic regressions share one TF-IDF vocabulary (features seen in at least two
texts): danger or not (class-balanced), and the kind among the danger texts
(multinomial). The thresholds are fixed in THRESHOLDS and their out-of-fold effect on the
training texts is written to the file's `meta.cross_validation`, so a retrain shows
whether they still hold.

A third regression, the finding model, reads each finding of the concept reader (on the
region pack PACK) with the words around it in its sentence (danger_model.finding_features):
the findings that count or are in doubt are labelled by their text (danger or none);
those the reader already set aside (negated, past, excluded) are used only from texts
without danger, as examples of what surrounds a danger word that is not danger now.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from etalage.assistant.danger_model import (
    CHAR_NGRAMS,
    FINDING_WINDOW,
    FORMAT,
    MODEL_PATH,
    features,
    features_of_findings,
    sentence_breaks,
)
from etalage.assistant.lexicon import CRISIS
from etalage.assistant.text import tokenize

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "assistant" / "corpus"
KINDS = ("suicide", "violence", "unsafe_child", "danger")
# Files whose non-held-out items are trained on; a file that is all held out is absent.
CRISIS_FILES = (
    "handwritten.yaml",
    "handwritten_more.yaml",
    "handwritten_third.yaml",
    "handwritten_fifth.yaml",
    "handwritten_sixth.yaml",
    "handwritten_eighth.yaml",
    "handwritten_ninth.yaml",
    "handwritten_tenth.yaml",
    "handwritten_eleventh.yaml",
    "handwritten_twelfth.yaml",
    "handwritten_fourteenth.yaml",
    "handwritten_fifteenth.yaml",
    "handwritten_sixteenth.yaml",
    "handwritten_seventeenth.yaml",
    "handwritten_eighteenth.yaml",
    "handwritten_nineteenth.yaml",
    "handwritten_twentieth.yaml",
    "handwritten_twentyfirst.yaml",
    "handwritten_twentysecond.yaml",
    "handwritten_twentyfourth.yaml",
    "handwritten_twentyfifth.yaml",
    "handwritten_twentysixth.yaml",
)
C = 16.0  # inverse regularisation strength of both text regressions
FINDING_C = 1.0  # and of the finding model
PACK = "westfriesland"  # whose concept reader gives the findings
GENERATED_WEIGHT = 0.3
DOUBT_WEIGHT = 0.5
MIXED_WEIGHT = 0.5
MIN_DF = 2
FOLDS = 5
SEED = 2026
THRESHOLDS = {
    "ask": 0.5,
    "ask_short": 0.6,
    "confirm": 0.5,
    "dismiss": 0.15,
    "keep": 0.4,
    "quiet": 0.1,
    "keep_quiet": 0.5,
    "overrule_min_words": 10,
}


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # a danger kind, or "none"
    weight: float
    source: str  # generated, handwritten, vignette


def examples(corpus: Path = CORPUS) -> list[Example]:
    """Every training text, in a fixed order."""
    sys.path.insert(0, str(corpus))
    try:
        import generate  # the corpus generator (standard library only)
    finally:
        sys.path.remove(str(corpus))
    out: list[Example] = []
    for item in generate.generate():
        label = item["kind"] if _truth(item["danger"]) == "true" else "none"
        out.append(Example(item["text"], label, GENERATED_WEIGHT, "generated"))
    for name in CRISIS_FILES:
        for item in _yaml(corpus / name):
            if item.get("heldout"):
                continue
            truth = _truth(item["danger"])
            label = "none" if truth == "false" else item["kind"]
            weight = DOUBT_WEIGHT if truth == "doubt" else 1.0
            out.append(Example(item["text"], label, weight, "handwritten"))
    vignettes = _yaml(corpus / "vignettes" / "vignettes.yaml")["vignettes"]
    engine_cases = _yaml(corpus.parent / "vignettes.yaml")["cases"]
    ordinary: list[str] = []
    for case in [v for v in vignettes if not v.get("heldout")] + engine_cases:
        label = "danger" if case["expect"].get("route") == "crisis" else "none"
        out.append(Example(case["text"], label, 1.0, "vignette"))
        if label == "none":
            ordinary.append(case["text"])
    return out + _mixed(ordinary, [e for e in out if e.source == "handwritten"])


def _mixed(ordinary: Sequence[str], crisis: Sequence[Example]) -> list[Example]:
    """People write a care need and a danger in one text ("Mijn zoon van 12 heeft autisme
    ... mijn man bedreigt ons met een mes"). Without such texts the model learns the words
    of ordinary help questions as evidence against danger, and overrules a clear finding
    in a long care story. So each ordinary vignette is joined once with a hand-written
    danger text and once with a hard non-danger one (before or after it, seeded), labelled
    as the crisis text."""
    rng = random.Random(SEED)
    danger = [e for e in crisis if e.label != "none" and e.weight == 1.0]
    safe = [e for e in crisis if e.label == "none"]
    out: list[Example] = []
    for text in ordinary:
        for pool in (danger, safe):
            other = rng.choice(pool)
            parts = [text, other.text] if rng.random() < 0.5 else [other.text, text]
            out.append(Example(" ".join(parts), other.label, MIXED_WEIGHT, "mixed"))
    return out


def fingerprint(items: Sequence[Example]) -> str:
    """SHA-256 over the training texts, labels and weights and the reader's findings in
    them: the model is stale when the corpus or the concept reader changes."""
    digest = hashlib.sha256()
    for item in items:
        found = [f[:4] for f in findings_of(item.text)]
        digest.update(json.dumps([item.text, item.label, item.weight, found]).encode())
    return digest.hexdigest()


@cache
def findings_of(text: str) -> tuple[tuple[str, str, int, int, tuple[str, ...]], ...]:
    """The concept reader's crisis findings in one text: (status, kind, first, last,
    features) each (reading.Hit.status; danger_model.finding_features)."""
    from etalage.assistant.engine import assistant_for
    from etalage.assistant.reading import read
    from etalage.region import load_pack

    lexicon = assistant_for(load_pack(PACK)).lexicon
    tokens = tokenize(text)
    found = [
        (h.value, h.status, h.first, h.last) for h in read(lexicon, text).hits if h.kind == CRISIS
    ]
    names = features_of_findings(tokens, sentence_breaks(text, tokens), found)
    return tuple(
        (status, kind, first, last, tuple(row))
        for (kind, status, first, last), row in zip(found, names, strict=True)
    )


def finding_rows(items: Sequence[Example]) -> list[tuple[tuple[str, ...], bool, float]]:
    """The finding model's training rows: (features, danger now, weight)."""
    rows = []
    for item in items:
        danger = item.label != "none"
        for status, _, _, _, names in findings_of(item.text):
            if status in ("hit", "doubt") or not danger:
                rows.append((names, danger, item.weight))
    return rows


def _identity(names: Sequence[str]) -> Sequence[str]:
    return names


def fit_findings(items: Sequence[Example]) -> tuple[Any, Any, list[Any]]:
    """The finding model: vectorizer, regression and the rows it was fitted on."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = finding_rows(items)
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=MIN_DF)
    matrix = vectorizer.fit_transform([r[0] for r in rows])
    model = LogisticRegression(C=FINDING_C, max_iter=5000, class_weight="balanced")
    model.fit(matrix, np.array([r[1] for r in rows]), sample_weight=np.array([r[2] for r in rows]))
    return vectorizer, model, rows


def analyse(text: str) -> list[str]:
    return features(tokenize(text))


def fitted_pipeline(items: Sequence[Example]) -> Any:
    """The danger regression as a scikit-learn pipeline (vectorizer + regression),
    fitted exactly as `train` fits it: for checking the run-time arithmetic."""
    from sklearn.pipeline import Pipeline

    vectorizer, danger, _ = _fit(items)
    return Pipeline([("tfidf", vectorizer), ("danger", danger)])


def _fit(items: Sequence[Example]) -> tuple[Any, Any, Any]:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [i.text for i in items]
    weights = np.array([i.weight for i in items])
    is_danger = np.array([i.label != "none" for i in items])
    vectorizer = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, min_df=MIN_DF)
    matrix = vectorizer.fit_transform(texts)
    danger = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    danger.fit(matrix, is_danger, sample_weight=weights)
    rows = np.flatnonzero(is_danger)
    kinds = LogisticRegression(C=C, max_iter=5000)
    kinds.fit(matrix[rows], [items[int(r)].label for r in rows], sample_weight=weights[rows])
    return vectorizer, danger, kinds


def train(items: Sequence[Example], cross_validate: bool = True) -> dict[str, Any]:
    import numpy as np
    import sklearn

    vectorizer, danger, kinds = _fit(items)
    n_features = len(vectorizer.vocabulary_)
    is_danger = np.array([i.label != "none" for i in items])
    assert list(danger.classes_) == [False, True]
    kind_order = [KINDS.index(k) for k in kinds.classes_]
    assert sorted(kind_order) == list(range(len(KINDS))), kinds.classes_
    kind_coef = np.zeros((len(KINDS), n_features))
    kind_bias = np.zeros(len(KINDS))
    for row, k in enumerate(kind_order):
        kind_coef[k] = kinds.coef_[row]
        kind_bias[k] = kinds.intercept_[row]
    f_vectorizer, f_model, f_rows = fit_findings(items)
    assert list(f_model.classes_) == [False, True]
    f_idf = f_vectorizer.idf_
    finding_table = {
        name: [_round(f_idf[col]), _round(f_model.coef_[0][col])]
        for name, col in sorted(f_vectorizer.vocabulary_.items())
    }
    idf = vectorizer.idf_
    table = {
        name: [_round(idf[col]), _round(danger.coef_[0][col])]
        + [_round(v) for v in kind_coef[:, col]]
        for name, col in sorted(vectorizer.vocabulary_.items())
    }
    return {
        "format": FORMAT,
        "kinds": list(KINDS),
        "bias": _round(danger.intercept_[0]),
        "kind_bias": [_round(b) for b in kind_bias],
        "thresholds": THRESHOLDS,
        "features": table,
        "findings": {"bias": _round(f_model.intercept_[0]), "features": finding_table},
        "meta": {
            "trained_on": fingerprint(items),
            "examples": len(items),
            "danger_examples": int(is_danger.sum()),
            "by_source": {s: sum(1 for i in items if i.source == s) for s in _sources(items)},
            "features": len(table),
            "char_ngrams": list(CHAR_NGRAMS),
            "finding_examples": len(f_rows),
            "finding_danger_examples": sum(1 for r in f_rows if r[1]),
            "finding_features": len(finding_table),
            "finding_window": FINDING_WINDOW,
            "finding_C": FINDING_C,
            "C": C,
            "min_df": MIN_DF,
            "scikit_learn": sklearn.__version__,
            "cross_validation": cross_validation(items) if cross_validate else None,
        },
    }


def cross_validation(items: Sequence[Example]) -> dict[str, Any]:
    """Out-of-fold effect of the thresholds, on the hand-written texts (the model alone,
    without the concept reader): what a retrain should still roughly reproduce."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    texts = [i.text for i in items]
    weights = np.array([i.weight for i in items])
    labels = np.array([i.label != "none" for i in items])
    scores = np.zeros(len(items))
    for fit_rows, test_rows in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(
        texts, labels
    ):
        vectorizer = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, min_df=MIN_DF)
        matrix = vectorizer.fit_transform([texts[r] for r in fit_rows])
        model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
        model.fit(matrix, labels[fit_rows], sample_weight=weights[fit_rows])
        scores[test_rows] = model.predict_proba(
            vectorizer.transform([texts[r] for r in test_rows])
        )[:, 1]

    def rate(mask: Any) -> float:
        return round(float(mask.mean()), 4) if mask.size else 0.0

    out: dict[str, Any] = {}
    for source in ("handwritten", "vignette"):
        rows = np.array([i.source == source for i in items])
        pos = scores[rows & labels]
        neg = scores[rows & ~labels]
        out[source] = {
            "danger": int(pos.size),
            "none": int(neg.size),
            "danger_at_least_ask": rate(pos >= THRESHOLDS["ask"]),
            "danger_below_dismiss": rate(pos < THRESHOLDS["dismiss"]),
            "none_at_least_ask": rate(neg >= THRESHOLDS["ask"]),
        }
    return out


def write(model: dict[str, Any], path: Path = MODEL_PATH) -> None:
    text = json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # mtime=0: the same model gives the same bytes
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(text.encode("utf-8"))


def _round(value: float) -> float:
    return float(f"{value:.5g}")


def _truth(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _sources(items: Sequence[Example]) -> list[str]:
    return sorted({i.source for i in items})


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the file is current")
    args = parser.parse_args()
    items = examples()
    if args.check:
        with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as handle:
            shipped = json.load(handle)["meta"]["trained_on"]
        current = fingerprint(items)
        print("current" if shipped == current else f"stale: {shipped[:12]} != {current[:12]}")
        raise SystemExit(0 if shipped == current else 1)
    model = train(items)
    write(model)
    print(json.dumps(model["meta"], indent=1))


if __name__ == "__main__":
    main()
