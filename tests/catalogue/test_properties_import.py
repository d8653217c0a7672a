"""Property tests (Hypothesis): the importer never crashes, whatever the cells, and is
all or nothing: either every row is valid and written, or nothing changes."""

from __future__ import annotations

from datetime import date

from catalogue_testdata import db_state
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from etalage.catalogue.import_header import COLUMNS
from etalage.catalogue.import_reader import Row, Table
from etalage.catalogue.import_validation import validate_table
from etalage.catalogue.importer import import_table
from etalage.region import RegionPack

TODAY = date(2026, 11, 22)
GOOD = {
    "kvk": "12345678", "naam": "Zorg Test", "wetten": "jeugdwet", "segmenten": "A",
    "leeftijd_min": "4", "leeftijd_max": "18", "aanmeldwachttijd_weken": "3",
    "wachttijd_peildatum": "2026-11-01", "talen": "nl", "expertise": "autisme",
}  # fmt: skip
CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "0", "-1", "105", "2026-11-01", "2999-01-01", "J4:midden", "A|B", "=1+1",
                     "jeugdwet|wmo", "\u202e", "\x00", "1621 AB", "ja", "nee", "regio", "1e9"]),
)  # fmt: skip


@st.composite
def tables(draw: st.DrawFn) -> Table:
    columns = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=12, unique=True))
    if draw(st.booleans()):
        columns = list(dict.fromkeys(["kvk", "naam", "wetten", "segmenten", *columns]))
    rows = []
    for number in range(2, 2 + draw(st.integers(0, 4))):
        cells = tuple(draw(st.one_of(CELL, st.just(GOOD.get(c, "")))) for c in columns)
        rows.append(Row(number, cells))
    return Table(header=tuple(columns), rows=tuple(rows))


@settings(max_examples=300, deadline=None)
@given(table=tables())
def test_validation_never_crashes(pack: RegionPack, table: Table) -> None:
    result = validate_table(pack, table, today=TODAY)
    assert bool(result.records) != bool(result.issues) or not table.rows
    for issue in result.issues:
        assert str(issue) and "\x00" not in str(issue)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=tables())
def test_an_import_is_all_or_nothing(sqlite_engine: Engine, pack: RegionPack, table: Table) -> None:
    before = db_state(sqlite_engine)
    report = import_table(sqlite_engine, pack, table, today=TODAY)
    after = db_state(sqlite_engine)
    if not report.ok:
        assert after == before
    else:
        assert report.rows == len([r for r in table.rows if any(c.strip() for c in r.cells)])
