"""The monitor page's parts, ready for the template (docs/landscape.md#the-monitor).

Pure: a computed landscape, provider records and the pack in, plain data out.
- the matrix: per profile x intensity (rows) and municipality (columns) how many
  providers can start within the norm, of how many contracted, with a level for its
  colour and a link to the providers behind it;
- the waiting-time trend per profile: the median and range of fresh totals on the first
  day of each of the last months, and the share of stale figures on those days;
- the outcome indicators per profile: each provider's figures with n against the
  regional median; below the pack's `kpi_min_n` as too few observations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median
from urllib.parse import urlencode

from etalage.catalogue.charts import Sparkline, sparkline
from etalage.catalogue.history_views import HistoryRow, TableView
from etalage.catalogue.views import format_date, number_nl, pack_label
from etalage.landscape.compute import Cell, Landscape, state_on
from etalage.provider import ProviderRecord
from etalage.region.model import RegionPack

MONTHS = 12


@dataclass(frozen=True)
class MatrixCell:
    within: int
    providers: int
    level: str  # geen (none contracted), lacune, krap (one), ruim (two or more)
    href: str
    label: str  # for screen readers and the title


@dataclass(frozen=True)
class MatrixRow:
    profile: str
    profile_name: str
    intensity: str
    first_of_profile: bool
    span: int
    cells: tuple[MatrixCell, ...]


def _level(cell: Cell) -> str:
    if not cell.providers:
        return "geen"
    if cell.within_norm == 0:
        return "lacune"
    return "krap" if cell.within_norm == 1 else "ruim"


def matrix(land: Landscape, pack: RegionPack) -> tuple[list[str], list[MatrixRow]]:
    """(municipality codes of the columns, rows) of the landscape's cells."""
    columns = list(dict.fromkeys(c.municipality for c in land.cells))
    by_key = {(c.profile, c.intensity, c.municipality): c for c in land.cells}
    pairs = list(dict.fromkeys((c.profile, c.intensity) for c in land.cells))
    rows: list[MatrixRow] = []
    seen: set[str] = set()
    for profile, intensity in pairs:
        cells = []
        for code in columns:
            cell = by_key[(profile, intensity, code)]
            level = _level(cell)
            place = pack_label(pack, "gemeente", code)
            if level == "geen":
                label = f"{place}: geen gecontracteerde aanbieder"
            else:
                label = (
                    f"{place}: {cell.within_norm} van {len(cell.providers)} aanbieders kunnen "
                    f"binnen de norm starten" + (" (lacune)" if level == "lacune" else "")
                )
            query = urlencode({"profiel": profile, "intensiteit": intensity, "gemeente": code})
            cells.append(
                MatrixCell(
                    cell.within_norm, len(cell.providers), level, f"/aanbieders?{query}", label
                )
            )
        first = profile not in seen
        seen.add(profile)
        rows.append(
            MatrixRow(
                profile=profile,
                profile_name=pack_label(pack, "profiel", profile),
                intensity=intensity,
                first_of_profile=first,
                span=sum(1 for p, _ in pairs if p == profile),
                cells=tuple(cells),
            )
        )
    return columns, rows


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first day of each of the last `months` months, oldest first, and today."""
    days = []
    year, month = today.year, today.month
    for _ in range(months):
        days.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    days.reverse()
    if days[-1] != today:
        days.append(today)
    return days


@dataclass(frozen=True)
class TrendView:
    id: str
    title: str
    summary: str
    chart: Sparkline
    table: TableView


def trends(
    records: Sequence[ProviderRecord], pack: RegionPack, today: date, law: str | None = None
) -> tuple[list[TrendView], TrendView | None]:
    """Per profile the median fresh total waiting time (and its range) over the last
    months, and the share of stale figures on those days."""
    days = month_starts(today)
    freshness = pack.freshness_weeks
    states = {d: {r.kvk: state_on(r, d, freshness) for r in records} for d in days}
    views: list[TrendView] = []
    for profile in pack.profiles:
        if law is not None and profile.law != law:
            continue
        kvks = [r.kvk for r in records if any(p == profile.code for p, _ in r.arrangements)]
        if not kvks:
            continue
        medians: list[float | None] = []
        rows = []
        for d in days:
            totals = [t for k in kvks if (t := states[d][k].fresh_total) is not None]
            mid = float(median(totals)) if totals else None
            medians.append(mid)
            rows.append(
                HistoryRow(
                    format_date(d),
                    (
                        number_nl(mid, 1) if mid is not None else "geen verse cijfers",
                        f"{min(totals)} tot {max(totals)}" if totals else "",
                        str(len(totals)),
                    ),
                )
            )
        known = [m for m in medians if m is not None]
        name = pack_label(pack, "profiel", profile.code)
        summary = (
            f"Mediaan van de verse wachttijden van {number_nl(known[0], 1)} naar "
            f"{number_nl(known[-1], 1)} weken."
            if known
            else "Geen verse wachttijden in deze periode."
        )
        views.append(
            TrendView(
                id=f"trend-{profile.code.lower()}",
                title=f"{profile.code} {name}",
                summary=summary,
                chart=sparkline(medians, y_max=max([*known, float(pack.treeknorm.total_weeks)])),
                table=TableView(
                    caption=f"Wachttijd {profile.code} per maand (weken)",
                    headers=(
                        "Datum",
                        "Mediaan",
                        "Van kortste tot langste",
                        "Aanbieders met verse cijfers",
                    ),
                    rows=tuple(rows),
                ),
            )
        )
    shares: list[float | None] = []
    stale_rows = []
    contracted = [r.kvk for r in records if r.arrangements or "A" in r.segments]
    for d in days:
        if not contracted:
            shares.append(None)
            continue
        stale = sum(1 for k in contracted if not states[d][k].fresh)
        share = round(100.0 * stale / len(contracted), 1)
        shares.append(share)
        stale_rows.append(HistoryRow(format_date(d), (f"{number_nl(share, 1)}%", str(stale))))
    stale_view = None
    if contracted:
        stale_view = TrendView(
            id="trend-verouderd",
            title="Aandeel verouderde cijfers",
            summary=f"Van {number_nl(shares[0], 1)}% naar {number_nl(shares[-1], 1)}% "
            "van de aanbieders.",
            chart=sparkline(shares, y_max=100.0),
            table=TableView(
                caption="Aandeel aanbieders zonder verse wachttijd",
                headers=("Datum", "Aandeel", "Aanbieders"),
                rows=tuple(stale_rows),
            ),
        )
    return views, stale_view


@dataclass(frozen=True)
class OutcomeRow:
    name: str
    slug: str
    period: str
    n: int
    too_few: bool
    values: tuple[str, str, str]  # doelrealisatie, tevredenheid, uitval


@dataclass(frozen=True)
class OutcomeView:
    profile: str
    name: str
    medians: tuple[str, str, str]
    rows: tuple[OutcomeRow, ...]


def _pct(value: float | None) -> str:
    return "" if value is None else f"{number_nl(value, 0)}%"


def outcomes(
    records: Sequence[ProviderRecord], pack: RegionPack, law: str | None = None
) -> list[OutcomeView]:
    views = []
    for profile in pack.profiles:
        if law is not None and profile.law != law:
            continue
        with_profile = [r for r in records if any(p == profile.code for p, _ in r.arrangements)]
        rows = []
        reliable: list[tuple[float | None, float | None, float | None]] = []
        for r in sorted(with_profile, key=lambda x: x.name):
            k = r.latest_kpi
            if k is None:
                continue
            too_few = k.n < pack.kpi_min_n
            triple = (k.goal_attainment_pct, k.satisfaction_pct, k.dropout_pct)
            if not too_few:
                reliable.append(triple)
            rows.append(
                OutcomeRow(
                    r.name,
                    r.slug,
                    k.period,
                    k.n,
                    too_few,
                    ("", "", "")
                    if too_few
                    else (_pct(triple[0]), _pct(triple[1]), _pct(triple[2])),
                )
            )
        if not rows:
            continue
        mids = []
        for i in range(3):
            values = [v for t in reliable if (v := t[i]) is not None]
            mids.append(_pct(float(median(values))) if values else "")
        views.append(
            OutcomeView(
                profile.code,
                pack_label(pack, "profiel", profile.code),
                (mids[0], mids[1], mids[2]),
                tuple(rows),
            )
        )
    return views
