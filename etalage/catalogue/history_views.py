"""The provider page's history: waiting times and outcome indicators over time, against
the region's average, as sparklines with a table beside each (etalage.catalogue.charts
draws them). Pure.

The regional averages use fresh measurements only (waiting times) and enough
observations only (outcome indicators, weighted by n), as the page says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from etalage.catalogue.charts import Sparkline, sparkline
from etalage.catalogue.views import (
    KPI_METRICS,
    format_date,
    number_nl,
    percent_nl,
    weeks_nl,
)
from etalage.provider import KpiPoint, ProviderRecord, WaitingPoint
from etalage.region.model import RegionPack

# ---------------------------------------------------------------------------- averages


def regional_waiting_average(
    histories: Mapping[int, Sequence[WaitingPoint]],
    dates: Sequence[date],
    freshness_weeks: int,
) -> list[float | None]:
    """For each date: the mean total waiting time over providers whose latest
    measurement on or before that date is still fresh (not older than the limit)."""
    out: list[float | None] = []
    limit = timedelta(weeks=freshness_weeks)
    for day in dates:
        totals = []
        for points in histories.values():
            known = [p for p in points if p.peildatum <= day and p.total_weeks is not None]
            if known and day - known[-1].peildatum <= limit:
                totals.append(known[-1].total_weeks or 0)
        out.append(round(sum(totals) / len(totals), 1) if totals else None)
    return out


def regional_kpi_average(
    histories: Mapping[int, Sequence[KpiPoint]],
    periods: Sequence[str],
    attr: str,
    min_n: int,
) -> list[float | None]:
    """For each period: the n-weighted mean of one indicator over providers with
    enough observations (n ≥ min_n) in that period."""
    out: list[float | None] = []
    for period in periods:
        weighted = total_n = 0.0
        for points in histories.values():
            for point in points:
                value = getattr(point, attr)
                if point.period == period and point.n >= min_n and value is not None:
                    weighted += value * point.n
                    total_n += point.n
        out.append(round(weighted / total_n, 1) if total_n else None)
    return out


# ---------------------------------------------------------------------------- charts


@dataclass(frozen=True)
class HistoryRow:
    when: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class TableView:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[HistoryRow, ...]


@dataclass(frozen=True)
class ChartView:
    id: str
    title: str
    summary: str  # one sentence that says what the picture shows, for aria and for text
    chart: Sparkline
    table: TableView | None = None


def waiting_chart(
    record: ProviderRecord,
    pack: RegionPack,
    histories: Mapping[int, Sequence[WaitingPoint]],
) -> ChartView | None:
    points = record.waiting_times
    if not points:
        return None
    reference = regional_waiting_average(
        histories, [p.peildatum for p in points], pack.freshness_weeks
    )
    totals: list[float | None] = [
        None if p.total_weeks is None else float(p.total_weeks) for p in points
    ]
    chart = sparkline(
        totals,
        reference,
        y_max=max(
            [
                *(v or 0 for v in totals),
                *(v or 0 for v in reference),
                float(pack.treeknorm.total_weeks),
            ]
        ),
    )
    first, last = points[0], points[-1]
    if len(points) == 1:
        summary = (
            f"Eén meting: {weeks_nl(last.total_weeks)} in totaal op {format_date(last.peildatum)}."
        )
    else:
        summary = (
            f"Totale wachttijd van {weeks_nl(first.total_weeks)} op {format_date(first.peildatum)} "
            f"naar {weeks_nl(last.total_weeks)} op {format_date(last.peildatum)}."
        )
    if reference[-1] is not None:
        summary += f" Gemiddelde in de regio: {number_nl(reference[-1], 1)} weken."
    rows = tuple(
        HistoryRow(
            when=format_date(p.peildatum),
            cells=(
                weeks_nl(p.registration_weeks),
                weeks_nl(p.treatment_weeks),
                weeks_nl(p.total_weeks),
                "onbekend" if ref is None else f"{number_nl(ref, 1)} weken",
            ),
        )
        for p, ref in zip(points, reference, strict=True)
    )
    return ChartView(
        id="grafiek-wachttijd",
        title="Wachttijd door de tijd",
        summary=summary,
        chart=chart,
        table=TableView(
            caption="Alle metingen van de wachttijd, nieuwste eerst",
            headers=(
                "Peildatum",
                "Aanmelden",
                "Behandeling",
                "Totaal",
                "Gemiddelde regio (totaal)",
            ),
            rows=tuple(reversed(rows)),
        ),
    )


@dataclass(frozen=True)
class KpiHistoryView:
    charts: tuple[ChartView, ...]  # one sparkline per indicator
    table: TableView  # all indicators per period, with the regional average


def kpi_history(
    record: ProviderRecord,
    pack: RegionPack,
    histories: Mapping[int, Sequence[KpiPoint]],
) -> KpiHistoryView | None:
    """Sparklines per indicator and one table with every period. Periods with too few
    observations are left out of the lines and read 'te weinig waarnemingen'."""
    kpis = record.kpis
    if not kpis:
        return None
    periods = [k.period for k in kpis]
    charts = []
    columns: list[list[str]] = []
    for attr, label, _, _ in KPI_METRICS:
        reference = regional_kpi_average(histories, periods, attr, pack.kpi_min_n)
        values: list[float | None] = [
            getattr(k, attr) if k.n >= pack.kpi_min_n else None for k in kpis
        ]
        shown = [(k, v) for k, v in zip(kpis, values, strict=True) if v is not None]
        if shown:
            summary = f"{percent_nl(shown[-1][1])} in {shown[-1][0].period}."
        else:
            summary = "Te weinig waarnemingen voor een betrouwbaar cijfer."
        if reference[-1] is not None:
            summary += f" Gemiddelde in de regio in {periods[-1]}: {percent_nl(reference[-1])}."
        charts.append(
            ChartView(
                id=f"grafiek-{attr.replace('_', '-')}",
                title=label,
                summary=summary,
                chart=sparkline(values, reference, y_min=0.0, y_max=100.0),
            )
        )
        columns.append(
            [
                ("te weinig waarnemingen" if v is None else percent_nl(v))
                + ("" if ref is None else f" (regio {percent_nl(ref)})")
                for v, ref in zip(values, reference, strict=True)
            ]
        )
    rows = tuple(
        HistoryRow(when=k.period, cells=(str(k.n), *(col[i] for col in columns)))
        for i, k in enumerate(kpis)
    )
    return KpiHistoryView(
        charts=tuple(charts),
        table=TableView(
            caption="Resultaten per periode, nieuwste eerst, met het gemiddelde in de regio",
            headers=("Periode", "Trajecten (n)", *(label for _, label, _, _ in KPI_METRICS)),
            rows=tuple(reversed(rows)),
        ),
    )
