"""Hostile import files (issue 11, point 5): each gives one clear Dutch error, writes
nothing, and costs little, whatever the file holds."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from catalogue_testdata import TODAY, VALID_30, db_state, lines, valid_rows
from sqlalchemy import Engine

import etalage.catalogue.importer as importer
from etalage.catalogue.import_header import COLUMNS
from etalage.catalogue.importer import import_file
from etalage.region import RegionPack

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
XXE = b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _workbook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    for row in valid_rows()[:2]:
        sheet.append([row.get(c, "") for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        target.writestr(name, content)
    return out.getvalue()


def _sheet(rows: int, cells: int, text: bytes = b"x") -> bytes:
    cell = b'<c t="inlineStr"><is><t>' + text + b"</t></is></c>"
    row = b"<row>" + cell * cells + b"</row>"
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + row * rows
        + b"</sheetData></worksheet>"
    )


def _refused(engine: Engine, pack: RegionPack, path: Path) -> list[str]:
    before = db_state(engine)
    report = import_file(engine, pack, path, today=TODAY)
    assert not report.ok and db_state(engine) == before, "nothing is written"
    return lines(report)


@pytest.mark.parametrize(
    ("part", "content"),
    [
        ("xl/worksheets/sheet1.xml", LAUGHS + b"<worksheet/>"),
        ("xl/worksheets/sheet1.xml", XXE + b"<worksheet><v>&xxe;</v></worksheet>"),
        ("xl/sharedStrings.xml", LAUGHS + b"<sst/>"),
    ],
    ids=["billion-laughs", "xxe", "dtd-in-shared-strings"],
)
def test_a_dtd_or_entity_is_a_dutch_error(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path, part: str, content: bytes
) -> None:
    path = tmp_path / "aanbieders.xlsx"
    path.write_bytes(_with_part(_workbook(), part, content))
    said = _refused(sqlite_engine, pack, path)
    assert said == [
        "Bestand: het bevat een DTD of entiteiten (<!DOCTYPE>). Een gewone Excel-werkmap "
        "heeft die niet; sla het bestand opnieuw op in Excel en probeer het nog eens."
    ]


def test_defusedxml_guards_openpyxl_too() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML, "openpyxl parses workbooks with defusedxml"


@pytest.mark.parametrize(
    ("rows", "cells", "text", "expected"),
    [
        (2500, 2000, b"x", "het heeft 2000 kolommen, meer dan 500"),  # 190 MB of cells
        (10_500, 30, b"x", "het heeft meer dan 10000 rijen"),
        (3_000, 30, b"y" * 1000, "het is uitgepakt te groot om te lezen"),  # long texts
    ],
    ids=["wide", "tall", "long-texts"],
)
def test_a_small_file_that_unpacks_to_a_lot_is_refused_before_it_is_parsed(
    sqlite_engine: Engine,
    pack: RegionPack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: int,
    cells: int,
    text: bytes,
    expected: str,
) -> None:
    data = _with_part(_workbook(), "xl/worksheets/sheet1.xml", _sheet(rows, cells, text))
    path = tmp_path / "groot.xlsx"
    path.write_bytes(data)
    assert path.stat().st_size < 3_000_000
    # Refused while counting the XML as it unpacks: openpyxl (which may parse a whole
    # sheet just to learn its size) is never asked to open it.
    import openpyxl

    def not_called(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to read the hostile file")

    monkeypatch.setattr(openpyxl, "load_workbook", not_called)
    (said,) = _refused(sqlite_engine, pack, path)
    assert expected in said


def test_ten_thousand_unknown_columns_are_one_error_line(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    for extra, expected in ((10_000, "kolommen, meer dan 500"), (50, "50 onbekende kolommen")):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([*COLUMNS, *(f"onbekend{i}" for i in range(extra))])
        for row in valid_rows()[:2]:
            writer.writerow([row.get(c, "") for c in COLUMNS] + [""] * extra)
        path = tmp_path / f"breed{extra}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        said = _refused(sqlite_engine, pack, path)
        assert len(said) == 1 and expected in said[0], said


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\u2066", "\ufeff", "\u200e"])
def test_invisible_characters_in_a_name_are_refused(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path, hidden: str
) -> None:
    rows = valid_rows()[:1]
    rows[0]["naam"] = f"Zorg{hidden}ekorW"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow([rows[0].get(c, "") for c in COLUMNS])
    path = tmp_path / "aanbieders.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    (said,) = _refused(sqlite_engine, pack, path)
    assert f"kolom 'naam': bevat een onzichtbaar teken (U+{ord(hidden):04X})" in said
    assert hidden not in said


def test_a_nul_in_the_header_is_not_printed_raw(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["kvk\x00x", *COLUMNS[1:]])
    writer.writerow([valid_rows()[0].get(c, "") for c in COLUMNS])
    path = tmp_path / "aanbieders.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    said = _refused(sqlite_engine, pack, path)
    assert any("'kvk<U+0000>x'" in line for line in said), said
    assert not any("\x00" in line for line in said)


def test_a_database_lock_held_elsewhere_is_a_dutch_message(
    sqlite_engine: Engine, pack: RegionPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "LOCK_WAIT_S", 1)
    before = db_state(sqlite_engine)
    database = sqlite_engine.url.database
    assert database
    other = sqlite3.connect(database, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        report = import_file(sqlite_engine, pack, VALID_30, today=TODAY)
    finally:
        other.execute("ROLLBACK")
        other.close()
    said = lines(report)
    assert said == [
        "Bestand: de database is nu bezet door een andere bewerking (na 1 seconde wachten). "
        "Er is niets opgeslagen; probeer het over een minuut opnieuw."
    ]
    assert db_state(sqlite_engine) == before
    # and afterwards it works, with the usual wait
    assert import_file(sqlite_engine, pack, VALID_30, today=TODAY).ok
