"""The landscape as of a day (docs/landscape.md, the contract of `GET /api/v1/landschap`).

Pure: provider records (with their waiting-time history and capacity) and the region
pack in, plain data out.

- One cell for every profile of the law(s) x every intensity x every municipality of
  the pack (the filters narrow the set). A provider counts in a cell when it is
  contracted for that arrangement and serves that municipality (its service area, or
  the whole region).
- Its total waiting time is registration + treatment of its latest measurement on or
  before the day; the figure is fresh when that measurement, or a later confirmation
  of it ("klopt nog", known for the latest measurement only), is at most the pack's
  `freshness_weeks` old on that day.
- `binnen_norm` counts providers with a fresh total within the Treeknorm whose capacity
  that day is not `aanmeldstop`. A capacity status holds from its `since` day to its
  `until` day; the etalage keeps the current status only, so a day before `since`
  counts as no status.
- `lacune`: no provider can start within the norm (also when none is contracted).
- The free-access offer (segment A) gets the same figures per expertise tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from etalage.provider import ProviderRecord, WaitingPoint
from etalage.region.model import RegionPack


@dataclass(frozen=True)
class ProviderState:
    """What one provider contributes to the landscape on a day."""

    kvk: str
    total_weeks: int | None  # of the latest measurement on or before the day
    fresh: bool
    stopped: bool  # aanmeldstop that day

    @property
    def fresh_total(self) -> int | None:
        return self.total_weeks if self.fresh else None


@dataclass(frozen=True)
class Figures:
    """The figures of one place in the landscape (the contract's names in `json`)."""

    providers: tuple[str, ...]
    fresh: int
    within_norm: int
    median_weeks: float | None
    shortest_weeks: int | None

    @property
    def gap(self) -> bool:
        return self.within_norm == 0

    def figures_json(self) -> dict[str, object]:
        return {
            "aanbieders": len(self.providers),
            "met_verse_wachttijd": self.fresh,
            "binnen_norm": self.within_norm,
            "mediaan_wachttijd_weken": self.median_weeks,
            "kortste_wachttijd_weken": self.shortest_weeks,
            "lacune": self.gap,
        }


@dataclass(frozen=True)
class Cell(Figures):
    profile: str = ""
    intensity: str = ""
    municipality: str = ""

    def json(self) -> dict[str, object]:
        return {
            "profiel": self.profile,
            "intensiteit": self.intensity,
            "gemeente": self.municipality,
            **self.figures_json(),
        }


@dataclass(frozen=True)
class FreeCell(Figures):
    """The free-access offer (segment A) for one expertise tag in one municipality."""

    expertise: str = ""
    municipality: str = ""

    def json(self) -> dict[str, object]:
        return {"expertise": self.expertise, "gemeente": self.municipality, **self.figures_json()}


@dataclass(frozen=True)
class Landscape:
    day: date
    norm_weeks: int
    freshness_weeks: int
    cells: tuple[Cell, ...]
    free: tuple[FreeCell, ...]
    contracted: int  # providers of the filter counted in at least one cell
    stale: int  # of those, without a fresh figure

    @property
    def stale_pct(self) -> float:
        return round(100.0 * self.stale / self.contracted, 1) if self.contracted else 0.0

    def json(self) -> dict[str, object]:
        return {
            "peildatum": self.day.isoformat(),
            "treeknorm_weken": self.norm_weeks,
            "versheid_weken": self.freshness_weeks,
            "cellen": [c.json() for c in self.cells],
            "samenvatting": {
                "cellen": len(self.cells),
                "lacunes": sum(1 for c in self.cells if c.gap),
                "zonder_aanbieder": sum(1 for c in self.cells if not c.providers),
                "verouderd_pct": self.stale_pct,
            },
            "vrij_toegankelijk": [c.json() for c in self.free],
        }


def point_on(points: Sequence[WaitingPoint], day: date) -> WaitingPoint | None:
    """The latest measurement on or before `day` (points oldest first)."""
    found = None
    for point in points:
        if point.peildatum <= day:
            found = point
        else:
            break
    return found


def state_on(record: ProviderRecord, day: date, freshness_weeks: int) -> ProviderState:
    point = point_on(record.waiting_times, day)
    fresh = False
    if point is not None:
        checked = point.peildatum
        if point.confirmed_on is not None and point.confirmed_on <= day:
            checked = max(checked, point.confirmed_on)
        fresh = day - checked <= timedelta(weeks=freshness_weeks)
    capacity = record.capacity
    stopped = bool(
        capacity
        and capacity.status == "aanmeldstop"
        and (capacity.since is None or capacity.since <= day)
        and (capacity.until is None or day <= capacity.until)
    )
    return ProviderState(
        kvk=record.kvk,
        total_weeks=point.total_weeks if point else None,
        fresh=fresh,
        stopped=stopped,
    )


def _figures(
    states: Iterable[ProviderState], norm: int
) -> tuple[int, int, float | None, int | None]:
    totals = [s.fresh_total for s in states if s.fresh_total is not None]
    ok = 0
    for s in states:
        if s.fresh_total is not None and s.fresh_total <= norm and not s.stopped:
            ok += 1
    return (
        len(totals),
        ok,
        float(median(totals)) if totals else None,
        min(totals) if totals else None,
    )


def landscape(
    records: Sequence[ProviderRecord],
    pack: RegionPack,
    day: date,
    *,
    law: str | None = None,
    municipality: str | None = None,
) -> Landscape:
    norm = pack.treeknorm.total_weeks
    freshness = pack.freshness_weeks
    municipalities = [m.code for m in pack.municipalities if municipality in (None, m.code)]
    all_codes = [m.code for m in pack.municipalities]
    profiles = [p for p in pack.profiles if law in (None, p.law)]
    states = {r.kvk: state_on(r, day, freshness) for r in records}
    served = {r.kvk: set(r.served_municipalities(all_codes)) for r in records}
    arrangements = {r.kvk: set(r.arrangements) for r in records}
    cells = []
    counted: set[str] = set()
    for profile in profiles:
        for intensity in pack.intensities:
            pair = (profile.code, intensity.code)
            offering = [r.kvk for r in records if pair in arrangements[r.kvk]]
            for code in municipalities:
                here = tuple(sorted(k for k in offering if code in served[k]))
                counted.update(here)
                fresh, ok, mid, shortest = _figures([states[k] for k in here], norm)
                cells.append(
                    Cell(here, fresh, ok, mid, shortest, profile.code, intensity.code, code)
                )
    free_cells = []
    laws_ok = {r.kvk for r in records if law is None or law in r.laws}
    free_providers = [r for r in records if "A" in r.segments and r.kvk in laws_ok]
    for tag in pack.expertise:
        with_tag = [r.kvk for r in free_providers if tag.code in r.expertise]
        if not with_tag:
            continue
        for code in municipalities:
            here = tuple(sorted(k for k in with_tag if code in served[k]))
            fresh, ok, mid, shortest = _figures([states[k] for k in here], norm)
            free_cells.append(FreeCell(here, fresh, ok, mid, shortest, tag.code, code))
    stale = sum(1 for k in counted if not states[k].fresh)
    return Landscape(
        day=day,
        norm_weeks=norm,
        freshness_weeks=freshness,
        cells=tuple(cells),
        free=tuple(free_cells),
        contracted=len(counted),
        stale=stale,
    )
