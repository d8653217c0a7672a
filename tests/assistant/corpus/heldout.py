"""The held-out third of the hand-written corpus: chosen once, never tuned on.

``heldout_ids(items)`` draws a third of the hand-written ids with Python's ``random``
seeded 2026, stratified by the ``danger`` value (true, false, doubt, in that order; the
ids of each stratum sorted first). Run ``python heldout.py --write`` to (re)write the
``heldout:`` line of every item in ``handwritten.yaml`` from that draw; run it without
arguments to check that the file matches the draw.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path
from typing import Any

import yaml

SEED = 2026
STRATA: tuple[bool | str, ...] = (True, False, "doubt")
HERE = Path(__file__).resolve().parent
HANDWRITTEN = HERE / "handwritten.yaml"
# The second hand-written set (another blind writer), drawn the same way on its own.
HANDWRITTEN_MORE = HERE / "handwritten_more.yaml"


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def heldout_ids(items: list[dict[str, Any]]) -> set[str]:
    rng = random.Random(SEED)
    chosen: set[str] = set()
    for value in STRATA:
        ids = sorted(str(i["id"]) for i in items if _same(i["danger"], value))
        rng.shuffle(ids)
        chosen.update(ids[: round(len(ids) / 3)])
    return chosen


def load(path: Path = HANDWRITTEN) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def write() -> None:
    held = heldout_ids(load())
    lines = HANDWRITTEN.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    current = None
    for line in lines:
        m = re.match(r"- id: (\S+)", line)
        if m:
            current = m.group(1)
        if line.startswith("  heldout:"):
            line = f"  heldout: {'true' if current in held else 'false'}"
        out.append(line)
    HANDWRITTEN.write_text("\n".join(out) + "\n", encoding="utf-8")


def check() -> list[str]:
    """Every hand-written set is either all held out (the fourth, seventh and
    twenty-third) or holds exactly the seeded draw."""
    problems: list[str] = []
    for path in sorted(HERE.glob("handwritten*.yaml")):
        if all(i.get("heldout") is True for i in load(path)):
            continue
        problems += _check(path)
    return problems


def _check(path: Path) -> list[str]:
    items = load(path)
    held = heldout_ids(items)
    return [
        f"{i['id']}: heldout is {i.get('heldout')!r}, the seeded draw says {i['id'] in held}"
        for i in items
        if i.get("heldout") is not (i["id"] in held)
    ]


if __name__ == "__main__":
    if "--write" in sys.argv:
        write()
    problems = check()
    print("\n".join(problems) or "heldout flags match the seeded draw")
    sys.exit(1 if problems else 0)
