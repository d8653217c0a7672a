"""Files at the edges of what the importer accepts: refused quickly, in Dutch."""

from __future__ import annotations

from pathlib import Path

from catalogue_testdata import TODAY, lines, valid_rows, write_csv
from sqlalchemy import Engine

from etalage.catalogue.import_header import COLUMNS
from etalage.catalogue.importer import import_file
from etalage.region import RegionPack


def test_an_over_long_cell_is_too_long_not_a_quoting_problem(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    rows = valid_rows()[:2]
    rows[1]["omschrijving"] = "a" * 200_000
    report = import_file(sqlite_engine, pack, write_csv(tmp_path / "lang.csv", rows), today=TODAY)
    assert not report.ok
    [line] = lines(report)
    assert line.startswith("Rij 3, kolom 'omschrijving': is te lang (200000 tekens")


def test_an_xlsx_over_the_row_limit_is_refused(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(COLUMNS))
    row = [valid_rows()[0].get(c, "") for c in COLUMNS]
    for _ in range(10_050):
        ws.append(row)
    path = tmp_path / "groot.xlsx"
    wb.save(path)
    # The reader streams rows (openpyxl read-only mode) and stops at the limit, so a
    # sheet with a million rows is refused without being loaded into memory whole.
    report = import_file(sqlite_engine, pack, path, today=TODAY)
    assert lines(report) == ["Bestand: het heeft meer dan 10000 rijen; splits het bestand."]
