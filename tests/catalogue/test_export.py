"""The export writes the import format: it imports again without changing anything, and
cells a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import csv
import io

from catalogue_testdata import TODAY, VALID_30, db_state
from sqlalchemy import Engine

from etalage.catalogue.export import export_csv, neutralise
from etalage.catalogue.import_header import COLUMNS
from etalage.catalogue.importer import import_bytes, import_file
from etalage.catalogue.writer import ProviderChange, apply_records
from etalage.db.session import transaction
from etalage.region import RegionPack


def test_export_round_trips(engine: Engine, pack: RegionPack) -> None:
    assert import_file(engine, pack, VALID_30, today=TODAY).ok
    exported = export_csv(engine, bom=True)
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert len(rows) == 30 and list(rows[0]) == list(COLUMNS)
    assert rows[2]["telefoon"] == "'+31 229 123456"  # neutralised, and still valid
    assert rows[0]["uitval_pct"] == "12.5"

    state = db_state(engine)
    report = import_bytes(engine, pack, exported.encode("utf-8"), today=TODAY)
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated) == (0, 30)
    assert db_state(engine) == state


def test_formula_cells_are_neutralised(sqlite_engine: Engine) -> None:
    # Written past the importer (as a provider portal might): the export still guards.
    with transaction(sqlite_engine) as session:
        apply_records(
            session,
            [
                ProviderChange(
                    kvk="12345678",
                    name='=HYPERLINK("https://x.example")',
                    description="-2+3",
                    email="@x",
                    codes={"wet": ("wmo",), "segment": ("A",)},
                )
            ],
        )
    [row] = list(csv.DictReader(io.StringIO(export_csv(sqlite_engine))))
    assert row["naam"] == '\'=HYPERLINK("https://x.example")'
    assert row["omschrijving"] == "'-2+3"
    assert row["email"] == "'@x"
    assert [neutralise(v) for v in ("\tx", "\rx", "+1", "x=1", "")] == [
        "'\tx",
        "'\rx",
        "'+1",
        "x=1",
        "",
    ]
