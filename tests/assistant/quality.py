"""Measuring the hulpwijzer on the blind corpus (tests/assistant/corpus/).

Used by `bench/assistant_quality.py` (prints the figures as JSON) and by
`tests/assistant/test_quality.py` (holds the issue-9 targets). Nothing here tunes
anything: it loads the texts, runs the pure engine on them and counts.

Crisis outcome of one text:

- `confirmed`: the route is `crisis` (`crisis.confirmed` is true);
- `asked`: the contacts are shown with `confirmed: false` and the first follow-up
  question is `acute_safety`;
- `none`: no contacts.

A danger text is *shown* when its outcome is `confirmed` or `asked`.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from etalage.assistant import Advice, advise, parse_answers
from etalage.region import RegionPack

CORPUS = Path(__file__).resolve().parent / "corpus"
KINDS = ("suicide", "violence", "unsafe_child", "danger")
FIELDS = ("route", "law", "profile", "intensity", "trajectory")


@dataclass(frozen=True)
class CrisisText:
    id: str
    kind: str
    danger: str  # "true", "false" or "doubt"
    text: str
    # generated, handwritten, third, fourth (all held out), fifth, sixth, seventh (all held
    # out), eighth to twenty-sixth (twenty-third all held out), twenty-seventh to
    # thirty-fourth (all held out: NEW_WRITERS), others
    source: str
    heldout: bool


def crisis_texts() -> list[CrisisText]:
    """Every crisis-corpus text: generated, hand-written and written by others."""
    sys.path.insert(0, str(CORPUS))
    try:
        import generate
    finally:
        sys.path.remove(str(CORPUS))
    out = [
        CrisisText(i["id"], i["kind"], _label(i["danger"]), i["text"], "generated", False)
        for i in generate.generate()
    ]
    files = (
        ("handwritten.yaml", "handwritten"),
        ("handwritten_more.yaml", "handwritten"),
        ("handwritten_third.yaml", "third"),
        ("handwritten_fourth.yaml", "fourth"),
        ("handwritten_fifth.yaml", "fifth"),
        ("handwritten_sixth.yaml", "sixth"),
        ("handwritten_seventh.yaml", "seventh"),
        ("handwritten_eighth.yaml", "eighth"),
        ("handwritten_ninth.yaml", "ninth"),
        ("handwritten_tenth.yaml", "tenth"),
        ("handwritten_eleventh.yaml", "eleventh"),
        ("handwritten_twelfth.yaml", "twelfth"),
        ("handwritten_fourteenth.yaml", "fourteenth"),
        ("handwritten_fifteenth.yaml", "fifteenth"),
        ("handwritten_sixteenth.yaml", "sixteenth"),
        ("handwritten_seventeenth.yaml", "seventeenth"),
        ("handwritten_eighteenth.yaml", "eighteenth"),
        ("handwritten_nineteenth.yaml", "nineteenth"),
        ("handwritten_twentieth.yaml", "twentieth"),
        ("handwritten_twentyfirst.yaml", "twentyfirst"),
        ("handwritten_twentysecond.yaml", "twentysecond"),
        ("handwritten_twentythird.yaml", "twentythird"),
        ("handwritten_twentyfourth.yaml", "twentyfourth"),
        ("handwritten_twentyfifth.yaml", "twentyfifth"),
        ("handwritten_twentysixth.yaml", "twentysixth"),
        ("handwritten_twentyseventh.yaml", "twentyseventh"),
        ("handwritten_twentyeighth.yaml", "twentyeighth"),
        ("handwritten_twentyninth.yaml", "twentyninth"),
        ("handwritten_thirtieth.yaml", "thirtieth"),
        ("handwritten_thirtyfirst.yaml", "thirtyfirst"),
        ("handwritten_thirtysecond.yaml", "thirtysecond"),
        ("handwritten_thirtythird.yaml", "thirtythird"),
        ("handwritten_thirtyfourth.yaml", "thirtyfourth"),
    )
    for name, source in files:
        for item in _yaml(CORPUS / name):
            out.append(
                CrisisText(
                    item["id"],
                    item["kind"],
                    _label(item["danger"]),
                    item["text"],
                    source,
                    bool(item.get("heldout")),
                )
            )
    others = CORPUS / "others_crisis.yaml"
    if others.exists():
        for item in _yaml(others):
            out.append(
                CrisisText(
                    item["id"], item["kind"], _label(item["danger"]), item["text"], "others", True
                )
            )
    return out


def vignettes() -> tuple[date, list[dict[str, Any]]]:
    """The vignettes (main set and those written by others), with the day they assume."""
    main = _yaml(CORPUS / "vignettes" / "vignettes.yaml")
    others = _yaml(CORPUS / "vignettes" / "others.yaml")
    cases = [dict(v, source="main") for v in main["vignettes"]]
    cases += [dict(v, source="others", heldout=True) for v in others["vignettes"]]
    return date.fromisoformat(str(main["today"])), cases


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _label(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


# ---------------------------------------------------------------------------- running


def outcome(advice: Advice) -> str:
    if advice.route == "crisis":
        return "confirmed"
    follow_up = advice.follow_up_questions
    if advice.crisis is not None and follow_up and follow_up[0].key == "acute_safety":
        return "asked"
    return "none"


def crisis_outcomes(pack: RegionPack, texts: Iterable[CrisisText]) -> dict[str, str]:
    return {t.id: outcome(advise(pack, t.text)) for t in texts}


def fields_of(advice: Advice) -> dict[str, Any]:
    return {
        "route": advice.route,
        "law": advice.law,
        "profile": advice.profile["code"] if advice.profile else None,
        "intensity": advice.intensity,
        "trajectory": advice.trajectory,
    }


def vignette_fields(pack: RegionPack, today: date, case: dict[str, Any]) -> dict[str, Any]:
    answers = parse_answers(pack, case.get("answers") or {})
    return fields_of(advise(pack, case["text"], answers, today=today))


# ---------------------------------------------------------------------------- figures


def crisis_figures(texts: list[CrisisText], outcomes: dict[str, str]) -> dict[str, Any]:
    """Recall (shown), confirmed and asked rates per kind and in all."""

    def block(items: list[CrisisText]) -> dict[str, Any]:
        by = Counter((t.danger, outcomes[t.id]) for t in items)
        n_true = sum(1 for t in items if t.danger == "true")
        n_false = sum(1 for t in items if t.danger == "false")
        n_doubt = sum(1 for t in items if t.danger == "doubt")
        shown = by["true", "confirmed"] + by["true", "asked"]
        return {
            "danger_texts": n_true,
            "recall": _rate(shown, n_true),
            "recall_confirmed": _rate(by["true", "confirmed"], n_true),
            "non_danger_texts": n_false,
            "false_confirmed": _rate(by["false", "confirmed"], n_false),
            "false_asked": _rate(by["false", "asked"], n_false),
            "doubt_texts": n_doubt,
            "doubt_shown": _rate(by["doubt", "confirmed"] + by["doubt", "asked"], n_doubt),
        }

    out: dict[str, Any] = {"all": block(texts)}
    for kind in KINDS:
        out[kind] = block([t for t in texts if t.kind == kind])
    return out


# The hand-written sets with a held-out third (the 4th, 7th and 23rd are all held out).
SPLIT_SOURCES = (
    "handwritten",
    "third",
    "fifth",
    "sixth",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twentyfirst",
    "twentysecond",
    "twentyfourth",
    "twentyfifth",
    "twentysixth",
)

# Sets written after the last training set, all held out (never trained on): the test of
# "texts written by others reach the same figures".
NEW_WRITERS = (
    "twentyseventh",
    "twentyeighth",
    "twentyninth",
    "thirtieth",
    "thirtyfirst",
    "thirtysecond",
    "thirtythird",
    "thirtyfourth",
)


def crisis_report(texts: list[CrisisText], outcomes: dict[str, str]) -> dict[str, Any]:
    parts: dict[str, list[CrisisText]] = {
        "whole": texts,
        "generated": [t for t in texts if t.source == "generated"],
    }
    for source in SPLIT_SOURCES:  # a held-out third each: tuning and held-out part
        parts[f"{source}_tuning"] = [t for t in texts if t.source == source and not t.heldout]
        parts[f"{source}_heldout"] = [t for t in texts if t.source == source and t.heldout]
    for source in ("fourth", "seventh", "twentythird", *NEW_WRITERS):  # all held out
        parts[f"{source}_heldout"] = [t for t in texts if t.source == source]
    # sets 27-34: eight blind writers, never trained on, pooled
    parts["new_writers"] = [t for t in texts if t.source in NEW_WRITERS]
    parts["others"] = [t for t in texts if t.source == "others"]
    parts["heldout"] = [t for t in texts if t.heldout]  # every held-out text, pooled
    return {name: crisis_figures(items, outcomes) for name, items in parts.items() if items}


def field_agreement(cases: list[dict[str, Any]], got: dict[str, dict[str, Any]]) -> dict[str, Any]:
    def block(items: list[dict[str, Any]]) -> dict[str, Any]:
        hits: dict[str, int] = defaultdict(int)
        for case in items:
            for name in FIELDS:
                if got[case["id"]][name] == case["expect"].get(name):
                    hits[name] += 1
        return {"cases": len(items), **{n: _rate(hits[n], len(items)) for n in FIELDS}}

    return {
        "main_tuning": block([c for c in cases if c["source"] == "main" and not c["heldout"]]),
        "main_heldout": block([c for c in cases if c["source"] == "main" and c["heldout"]]),
        "others": block([c for c in cases if c["source"] == "others"]),
        "all": block(cases),
    }


def misses(
    texts: list[CrisisText], outcomes: dict[str, str], *, heldout: bool | None = None
) -> list[dict[str, str]]:
    """Danger texts not shown and non-danger texts confirmed or asked (for reading)."""
    out = []
    for t in texts:
        if heldout is not None and t.heldout != heldout:
            continue
        got = outcomes[t.id]
        wrong = (t.danger == "true" and got == "none") or (t.danger == "false" and got != "none")
        if wrong:
            out.append({"id": t.id, "kind": t.kind, "danger": t.danger, "got": got, "text": t.text})
    return out


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
