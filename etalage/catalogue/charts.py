"""Small inline sparklines: a series (and a regional reference series) as SVG points.

Pure geometry. The template draws the `<svg>`; these functions only decide where the
points go. Missing values (None) leave a gap: each unbroken run becomes one polyline,
a run of one value becomes a dot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    y_min: float
    y_max: float
    lines: tuple[str, ...]  # "x,y x,y ..." for each unbroken run of the series
    dots: tuple[Point, ...]  # runs of a single value
    reference_lines: tuple[str, ...]
    reference_dots: tuple[Point, ...]
    last: Point | None  # the most recent value of the series, for a marker

    @property
    def empty(self) -> bool:
        return not (self.lines or self.dots)


def _runs(points: Sequence[Point | None]) -> list[list[Point]]:
    runs: list[list[Point]] = []
    current: list[Point] = []
    for point in points:
        if point is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point)
    if current:
        runs.append(current)
    return runs


def _fmt(run: Sequence[Point]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in run)


def sparkline(
    values: Sequence[float | None],
    reference: Sequence[float | None] = (),
    *,
    width: int = 240,
    height: int = 56,
    pad: int = 4,
    y_min: float = 0.0,
    y_max: float | None = None,
) -> Sparkline:
    """Scale `values` and `reference` (same x positions) into a width x height box.

    The y axis runs from `y_min` (bottom) to `y_max` (top; default the largest value
    seen, at least y_min + 1). Coordinates are rounded to one decimal.
    """
    count = max(len(values), len(reference))
    seen = [v for v in (*values, *reference) if v is not None]
    top = y_max if y_max is not None else max([*seen, y_min + 1.0])
    if top <= y_min:
        top = y_min + 1.0
    inner_w = width - 2 * pad
    inner_h = height - 2 * pad

    def x_at(index: int) -> float:
        return round(pad + (inner_w / 2 if count == 1 else index * inner_w / (count - 1)), 1)

    def y_at(value: float) -> float:
        clamped = min(max(value, y_min), top)
        return round(height - pad - (clamped - y_min) / (top - y_min) * inner_h, 1)

    def place(series: Sequence[float | None]) -> list[Point | None]:
        return [None if v is None else (x_at(i), y_at(v)) for i, v in enumerate(series)]

    own = _runs(place(values))
    ref = _runs(place(reference))
    placed_last = [p for p in place(values) if p is not None]
    return Sparkline(
        width=width,
        height=height,
        y_min=y_min,
        y_max=top,
        lines=tuple(_fmt(r) for r in own if len(r) > 1),
        dots=tuple(r[0] for r in own if len(r) == 1),
        reference_lines=tuple(_fmt(r) for r in ref if len(r) > 1),
        reference_dots=tuple(r[0] for r in ref if len(r) == 1),
        last=placed_last[-1] if placed_last else None,
    )
