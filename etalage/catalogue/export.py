"""Export the catalogue in the import format (docs/import-format.md#formula-neutralisation).

One row per provider, with its latest waiting time and latest KPIs, so an exported
file imports again unchanged. Cells that a spreadsheet would read as a formula (they
start with `=`, `+`, `-`, `@`, tab or CR) get a leading `'`; the importer drops that
`'` again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, select

from etalage.catalogue.import_header import COLUMNS
from etalage.catalogue.import_validation import FORMULA_PREFIXES
from etalage.db.models import Provider
from etalage.db.session import session_factory


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _number(value: float | None) -> str:
    return "" if value is None else format(value, ".10g")


def _integer(value: int | None) -> str:
    return "" if value is None else str(value)


def provider_row(provider: Provider) -> dict[str, str]:
    """One provider as import cells (not yet neutralised)."""
    loc = provider.main_location
    waiting = provider.latest_waiting_time
    kpi = provider.latest_kpi
    area = "regio" if provider.serves_region else "|".join(provider.codes_of("gebied"))
    return {
        "kvk": provider.kvk,
        "naam": provider.name,
        "omschrijving": provider.description or "",
        "website": provider.website or "",
        "telefoon": provider.phone or "",
        "email": provider.email or "",
        "wetten": "|".join(provider.codes_of("wet")),
        "segmenten": "|".join(provider.codes_of("segment")),
        "arrangementen": "|".join(
            f"{a.profile}:{a.intensity}"
            for a in sorted(
                provider.arrangements,
                key=lambda arrangement: (arrangement.profile, arrangement.intensity),
            )
        ),
        "expertise": "|".join(provider.codes_of("expertise")),
        "leeftijd_min": _integer(provider.age_min),
        "leeftijd_max": _integer(provider.age_max),
        "adres": (loc.address if loc else None) or "",
        "postcode": (loc.postcode if loc else None) or "",
        "plaats": (loc.city if loc else None) or "",
        "gemeente": (loc.municipality if loc else None) or "",
        "werkgebied": area,
        "talen": "|".join(provider.codes_of("taal")),
        "aanmelding": "|".join(provider.codes_of("aanmelding")),
        "verwijzing_zorgdomein": ""
        if provider.referral_zorgdomein is None
        else ("ja" if provider.referral_zorgdomein else "nee"),
        "verwijzing_inhoud": provider.referral_note or "",
        "aanmeldwachttijd_weken": _integer(waiting.registration_weeks if waiting else None),
        "behandelwachttijd_weken": _integer(waiting.treatment_weeks if waiting else None),
        "wachtlijst_aantal": _integer(waiting.waiting_list_size if waiting else None),
        "wachttijd_peildatum": waiting.peildatum.isoformat() if waiting else "",
        "uitval_pct": _number(kpi.dropout_pct if kpi else None),
        "doelrealisatie_pct": _number(kpi.goal_attainment_pct if kpi else None),
        "tevredenheid_pct": _number(kpi.satisfaction_pct if kpi else None),
        "kpi_n": _integer(kpi.n if kpi else None),
        "kpi_periode": kpi.period if kpi else "",
    }


def export_rows(engine: Engine, kvks: Sequence[str] | None = None) -> list[dict[str, str]]:
    """Providers as import cells, neutralised: all (by KvK), or these in this order."""
    with session_factory(engine)() as session:
        if kvks is None:
            found = list(session.scalars(select(Provider).order_by(Provider.kvk)))
        else:
            by_kvk: dict[str, Provider] = {}
            wanted = list(kvks)
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                by_kvk.update(
                    (p.kvk, p)
                    for p in session.scalars(select(Provider).where(Provider.kvk.in_(chunk)))
                )
            found = [by_kvk[k] for k in wanted if k in by_kvk]
        return [{c: neutralise(v) for c, v in provider_row(p).items()} for p in found]


def table_csv(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A table as CSV for Dutch Excel: UTF-8 with a BOM, `;`-separated."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def table_xlsx(headers: Sequence[str], rows: Iterable[Sequence[str]], sheet: str) -> bytes:
    """A table as XLSX (openpyxl, write-only): every cell text, so codes and dates stay
    as they are, and a frozen, bold header row."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in headers:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([WriteOnlyCell(ws, value=str(v)) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_csv(engine: Engine, *, bom: bool = False) -> str:
    """All providers as CSV text in the import format, ordered by kvk."""
    buffer = io.StringIO()
    if bom:  # lets Excel see that the file is UTF-8
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    with session_factory(engine)() as session:
        for provider in session.scalars(select(Provider).order_by(Provider.kvk)):
            row = provider_row(provider)
            writer.writerow([neutralise(row[c]) for c in COLUMNS])
    return buffer.getvalue()
