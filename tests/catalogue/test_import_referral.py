"""How a GP refers: the import columns verwijzing_zorgdomein and verwijzing_inhoud
(docs/import-format.md#referral), through the database to the search document and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalogue_testdata import TODAY, lines, valid_rows, write_csv
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from etalage.catalogue.export import export_csv
from etalage.catalogue.import_header import COLUMNS
from etalage.catalogue.importer import import_file
from etalage.catalogue.reader import read_records
from etalage.region import RegionPack
from search_index.documents import DocumentBuilder, record_from_document


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("ja", True), ("Nee", False), ("WAAR", True), ("0", False), ("j", True), ("", None)],
)
def test_yes_and_no_as_people_type_them(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path, typed: str, expected: bool | None
) -> None:
    rows = valid_rows()[:1]
    rows[0]["verwijzing_zorgdomein"] = typed
    rows[0]["verwijzing_inhoud"] = "Hulpvraag, eerdere hulp en medicatie."
    path = write_csv(tmp_path / "aanbieders.csv", rows, columns=COLUMNS)
    report = import_file(sqlite_engine, pack, path, today=TODAY)
    assert report.ok, lines(report)
    with Session(sqlite_engine) as session:
        (record,) = read_records(session, [rows[0]["kvk"]])
    assert record.referral_zorgdomein is expected
    assert record.referral_note == "Hulpvraag, eerdere hulp en medicatie."
    doc = DocumentBuilder(pack).build(record, TODAY)
    back = record_from_document(doc)
    assert (back.referral_zorgdomein, back.referral_note) == (expected, record.referral_note)
    exported = export_csv(sqlite_engine)
    assert "Hulpvraag, eerdere hulp en medicatie." in exported


def test_a_wrong_answer_is_a_dutch_error_and_nothing_is_written(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    rows = valid_rows()[:2]
    rows[1]["verwijzing_zorgdomein"] = "misschien"
    path = write_csv(tmp_path / "aanbieders.csv", rows, columns=COLUMNS)
    report = import_file(sqlite_engine, pack, path, today=TODAY)
    assert not report.ok
    assert any(
        "verwijzing_zorgdomein" in line and "moet ja of nee zijn (gevonden: 'misschien')" in line
        for line in lines(report)
    ), lines(report)
    with Session(sqlite_engine) as session:
        assert read_records(session, [r["kvk"] for r in rows]) == []


def test_a_formula_in_the_referral_text_is_refused(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    rows = valid_rows()[:1]
    rows[0]["verwijzing_inhoud"] = '=HYPERLINK("http://x")'
    path = write_csv(tmp_path / "aanbieders.csv", rows, columns=COLUMNS)
    report = import_file(sqlite_engine, pack, path, today=TODAY)
    assert not report.ok and any("verwijzing_inhoud" in line for line in lines(report))
