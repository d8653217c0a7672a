"""The monitor (`/landschap`, docs/landscape.md#the-monitor) and the exports
(docs/landscape.md#exports): result lists and monitor tables as CSV and XLSX.

- `/landschap`: public; the matrix of profiles x intensities against municipalities,
  coloured by how many providers can start within the norm, the lacunes marked, each
  cell a link to its providers; the trends; the outcome indicators per profile. A
  beheerder also sees the stale providers, those not confirmed for a long time and
  those with an aanmeldstop.
- `/aanbieders.csv` and `.xlsx`: every provider the search finds (all pages), in the
  import format, formula-looking cells neutralised, so it imports again.
- `/landschap.csv` and `.xlsx`: the cells of the matrix.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import anyio.to_thread
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Template

from etalage.catalogue.export import export_rows, table_csv, table_xlsx
from etalage.catalogue.import_header import COLUMNS
from etalage.catalogue.views import pack_label
from etalage.landscape import views as monitor
from etalage.landscape.compute import Landscape
from etalage.portal.freshness import is_stale_record
from etalage.web.auth import current_actor
from etalage.web.landscape_api import compute, landscape_filters
from etalage.web.pages import query_lists
from etalage.web.params import ParamError, parse_provider_filters
from etalage.web.services import Catalogue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CELL_HEADERS = (
    "profiel", "intensiteit", "gemeente", "aanbieders", "met_verse_wachttijd", "binnen_norm",
    "mediaan_wachttijd_weken", "kortste_wachttijd_weken", "lacune",
)  # fmt: skip
MAX_EXPORT = 50_000


@get("/landschap", name="landscape", include_in_schema=False)
async def landscape_page(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Template:
    return await anyio.to_thread.run_sync(_page, request, catalogue)


def _page(request: Request[Any, Any, Any], catalogue: Catalogue) -> Template:
    law, place, day = landscape_filters(request, catalogue)
    records = catalogue.all_records(history=True)
    from etalage.landscape.compute import landscape

    pack = catalogue.pack
    land = landscape(records, pack, day, law=law, municipality=place)
    columns, rows = monitor.matrix(land, pack)
    trend_views, stale_trend = monitor.trends(records, pack, day, law)
    actor = current_actor(request)
    beheer: dict[str, Any] | None = None
    if actor is not None and actor.is_beheerder:
        today = catalogue.today()
        long_ago = today - timedelta(weeks=2 * pack.freshness_weeks)
        beheer = {
            "stale": [r for r in records if is_stale_record(r, pack, today)],
            "unconfirmed": [
                r for r in records if r.latest_waiting and r.latest_waiting.checked_on < long_ago
            ],
            "stopped": [
                r for r in records if (c := r.capacity_on(today)) and c.status == "aanmeldstop"
            ],
        }
    summary = land.json()["samenvatting"]
    return Template(
        "landscape.html",
        context={
            "title": "Het zorglandschap",
            "current": "landscape",
            "actor": actor,
            "land": land,
            "summary": summary,
            "columns": [(c, pack_label(pack, "gemeente", c)) for c in columns],
            "rows": rows,
            "trends": trend_views,
            "stale_trend": stale_trend,
            "outcomes": monitor.outcomes(records, pack, law),
            "free": _free_rows(land, catalogue),
            "law": law or "",
            "place": place or "",
            "day": day.isoformat(),
            "today": catalogue.today().isoformat(),
            "query": request.url.query,
            "beheer": beheer,
        },
        headers={"Cache-Control": "no-store"} if beheer is not None else {},
    )


def _free_rows(land: Landscape, catalogue: Catalogue) -> list[tuple[str, int, int, int]]:
    """The free-access offer per expertise tag: (label, providers, municipalities
    without anyone who can start within the norm, municipalities)."""
    by_tag: dict[str, tuple[set[str], int, int]] = {}
    for cell in land.free:
        kvks, gaps, places = by_tag.get(cell.expertise, (set(), 0, 0))
        by_tag[cell.expertise] = (kvks | set(cell.providers), gaps + int(cell.gap), places + 1)
    return [
        (pack_label(catalogue.pack, "expertise", tag), len(kvks), gaps, places)
        for tag, (kvks, gaps, places) in by_tag.items()
    ]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def _cells(land: Landscape) -> list[list[str]]:
    return [[_text(cell.json()[h]) for h in CELL_HEADERS] for cell in land.cells]


TABLES = ("cellen", "vrij", "trends", "resultaten")


def _table(
    request: Request[Any, Any, Any], catalogue: Catalogue
) -> tuple[str, tuple[str, ...], list[list[str]]]:
    """The monitor table asked for (`tabel`, default the matrix's cells)."""
    law, place, day = landscape_filters(request, catalogue, frozenset({"tabel"}))
    name = (request.query_params.get("tabel") or "cellen").strip()
    if name not in TABLES:
        raise ParamError("tabel", f"Onbekende tabel '{name[:40]}'. Kies uit: {', '.join(TABLES)}.")
    if name == "cellen":
        return name, CELL_HEADERS, _cells(compute(catalogue, law, place, day))
    if name == "vrij":
        land = compute(catalogue, law, place, day)
        headers = tuple(k for k in land.free[0].json()) if land.free else ("expertise", "gemeente")
        return name, headers, [[_text(c.json()[h]) for h in headers] for c in land.free]
    records = catalogue.all_records(history=True)
    if name == "trends":
        views, stale = monitor.trends(records, catalogue.pack, day, law)
        rows = []
        for v in [*views, *([stale] if stale else [])]:
            rows += [[v.title, r.when, *r.cells] for r in v.table.rows]
        return (
            name,
            ("reeks", "datum", "mediaan_of_aandeel", "bereik_of_aantal", "aanbieders"),
            rows,
        )
    rows = []
    for o in monitor.outcomes(records, catalogue.pack, law):
        for r in o.rows:
            rows.append(
                [
                    o.profile,
                    r.name,
                    r.period,
                    str(r.n),
                    "ja" if r.too_few else "nee",
                    *r.values,
                    *o.medians,
                ]
            )
    headers = (
        "profiel", "aanbieder", "periode", "n", "te_weinig_waarnemingen", "doelrealisatie",
        "tevredenheid", "uitval", "mediaan_doelrealisatie", "mediaan_tevredenheid",
        "mediaan_uitval",
    )  # fmt: skip
    return name, headers, rows


@get("/landschap.csv", name="landscape-csv", include_in_schema=False, sync_to_thread=True)
def landscape_csv(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[bytes]:
    name, headers, rows = _table(request, catalogue)
    return _file(table_csv(headers, rows), "text/csv; charset=utf-8", f"landschap-{name}.csv")


@get("/landschap.xlsx", name="landscape-xlsx", include_in_schema=False, sync_to_thread=True)
def landscape_xlsx(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[bytes]:
    name, headers, rows = _table(request, catalogue)
    return _file(table_xlsx(headers, rows, name), XLSX, f"landschap-{name}.xlsx")


def _file(body: bytes, media_type: str, name: str) -> Response[bytes]:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def found_kvks(request: Request[Any, Any, Any], catalogue: Catalogue) -> list[str]:
    """Every provider the catalogue search finds with this query string, in its order."""
    filters = parse_provider_filters(query_lists(request), catalogue.pack)
    kvks: list[str] = []
    page = 1
    while True:
        result = catalogue.search(replace(filters, page=page, per_page=100), highlight=False).result
        kvks.extend(hit.document["kvk"] for hit in result.hits)
        if not result.hits or len(kvks) >= min(result.total, MAX_EXPORT):
            return kvks
        page += 1


def _provider_rows(request: Request[Any, Any, Any], catalogue: Catalogue) -> list[list[str]]:
    rows = export_rows(catalogue.engine, found_kvks(request, catalogue))
    return [[row[c] for c in COLUMNS] for row in rows]


@get("/aanbieders.csv", name="providers-csv", include_in_schema=False, sync_to_thread=True)
def providers_csv(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[bytes]:
    return _file(
        table_csv(COLUMNS, _provider_rows(request, catalogue)),
        "text/csv; charset=utf-8",
        "aanbieders.csv",
    )


@get("/aanbieders.xlsx", name="providers-xlsx", include_in_schema=False, sync_to_thread=True)
def providers_xlsx(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[bytes]:
    return _file(
        table_xlsx(COLUMNS, _provider_rows(request, catalogue), "aanbieders"),
        XLSX,
        "aanbieders.xlsx",
    )


LANDSCAPE_HANDLERS = [landscape_page, landscape_csv, landscape_xlsx, providers_csv, providers_xlsx]
