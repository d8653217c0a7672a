"""Shared test data for the catalogue tests: the valid 30-provider file, writers for
CSV/XLSX variants of it, and a dump of every table to prove nothing changed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from etalage.catalogue.import_header import COLUMNS
from etalage.db.models import Base

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "import"
VALID_30 = FIXTURES / "aanbieders_30.csv"
# The fixture's peildata and periods are in the past of this day.
TODAY = date(2026, 11, 22)

Rows = list[dict[str, str]]


def valid_rows() -> Rows:
    with VALID_30.open(encoding="utf-8", newline="") as f:
        return [dict(r) for r in csv.DictReader(f)]


def csv_text(rows: Rows, columns: Sequence[str] = COLUMNS, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue()


def write_csv(
    path: Path,
    rows: Rows,
    columns: Sequence[str] = COLUMNS,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
) -> Path:
    data = csv_text(rows, columns, delimiter).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(
    path: Path,
    rows: Iterable[Sequence[Any]],
    columns: Sequence[str] = COLUMNS,
) -> Path:
    """Rows are lists of cell values (str, int, float, datetime, or '=formula')."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(columns))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def typed_cells(row: dict[str, str]) -> list[Any]:
    """A row as a person would type it into Excel: numbers as numbers, dates as dates."""
    out: list[Any] = []
    for column in COLUMNS:
        value = row.get(column, "")
        if value == "":
            out.append(None)
        elif column in ("leeftijd_min", "leeftijd_max", "kpi_n", "wachtlijst_aantal") or (
            column.endswith("_weken")
        ):
            out.append(int(value))
        elif column.endswith("_pct"):
            out.append(float(value.replace(",", ".")))
        elif column == "wachttijd_peildatum":
            out.append(datetime.fromisoformat(value))
        elif column == "kvk":
            out.append(int(value))
        else:
            out.append(value)
    return out


def db_state(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every catalogue table, in primary-key order."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            state[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return state


def lines(report: Any) -> list[str]:
    return [str(issue) for issue in report.errors]
