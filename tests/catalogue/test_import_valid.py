"""A valid import file adds exactly its providers; a re-import updates them and adds to
their history; a dry run writes nothing. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from catalogue_testdata import (
    TODAY,
    VALID_30,
    csv_text,
    db_state,
    typed_cells,
    valid_rows,
    write_csv,
    write_xlsx,
)
from sqlalchemy import Engine, select

from etalage.catalogue.importer import import_bytes, import_file
from etalage.db.models import Provider
from etalage.db.session import transaction
from etalage.region import RegionPack


def providers(engine: Engine) -> dict[str, Provider]:
    with transaction(engine) as session:
        return {p.kvk: p for p in session.scalars(select(Provider))}


def assert_valid_30_loaded(engine: Engine, pack: RegionPack) -> None:
    found = providers(engine)
    assert sorted(found) == [str(10000001 + i) for i in range(30)]
    assert not any(p.is_demo for p in found.values())

    haven = found["10000001"]
    assert haven.name == "De Kleine Haven"
    assert haven.slug == "de-kleine-haven"
    assert haven.phone == "0229-123456"
    assert haven.codes_of("wet") == ["jeugdwet"]
    assert haven.codes_of("segment") == ["B"]
    assert haven.codes_of("expertise") == ["autisme"]
    assert haven.codes_of("gebied") == ["hoorn"]  # empty werkgebied: the main location's
    assert sorted((a.profile, a.intensity) for a in haven.arrangements) == [
        ("J4", "licht"),
        ("J4", "midden"),
    ]
    assert (haven.age_min, haven.age_max) == (0, 17)
    loc = haven.main_location
    assert loc is not None
    assert (loc.address, loc.postcode, loc.city, loc.municipality) == (
        "Dorpsstraat 1",
        "1621 AB",
        "Hoorn",
        "hoorn",
    )
    assert (loc.lat, loc.lon) == pack.postcode_centroid("1621")
    [wt] = haven.waiting_times
    assert (wt.peildatum, wt.registration_weeks, wt.treatment_weeks, wt.waiting_list_size) == (
        date(2026, 11, 1),
        5,
        4,
        None,
    )
    [kpi] = haven.kpis
    assert (kpi.period, kpi.dropout_pct, kpi.goal_attainment_pct, kpi.satisfaction_pct) == (
        "2025",
        12.5,  # written with a Dutch decimal comma
        80.0,
        63.0,
    )
    assert kpi.n == 12

    region = found["10000002"]  # werkgebied `regio`
    assert region.serves_region
    assert region.codes_of("gebied") == sorted(m.code for m in pack.municipalities)
    assert region.main_location is not None
    assert region.main_location.postcode == "1601 AK"  # written as 1601AK

    # talen `nl|EN|ar` is stored as the pack spells the codes
    assert found["10000003"].codes_of("taal") == ["ar", "en", "nl"]
    assert found["10000003"].phone == "+31 229 123456"
    # No gemeente given: derived from the PC4 area of the postcode.
    wognum = found["10000005"].main_location
    assert wognum is not None
    assert wognum.municipality == pack.municipality_of_postcode("1687")
    assert wognum.municipality is not None
    # No location at all: no location row, service area from werkgebied.
    assert found["10000030"].locations == []
    assert found["10000030"].serves_region
    # A provider without waiting times or KPIs has no history rows.
    assert found["10000005"].waiting_times == []
    assert found["10000006"].kpis == []
    assert found["10000011"].codes_of("segment") == ["A"]
    assert found["10000011"].arrangements == []


def test_valid_csv_with_commas(engine: Engine, pack: RegionPack) -> None:
    report = import_file(engine, pack, VALID_30, today=TODAY)
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated, report.rows) == (30, 0, 30)
    assert len(set(report.provider_ids)) == 30
    assert report.summary() == (
        "30 aanbieders toegevoegd, 0 bijgewerkt (24 wachttijdmetingen en 20 kwaliteitsmetingen)."
    )
    assert_valid_30_loaded(engine, pack)
    assert sorted(report.provider_ids) == sorted(p.id for p in providers(engine).values())


def test_valid_csv_with_semicolons_and_bom(
    engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "puntkomma.csv", valid_rows(), delimiter=";", bom=True)
    report = import_file(engine, pack, path, today=TODAY)
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated) == (30, 0)
    assert_valid_30_loaded(engine, pack)


def test_valid_xlsx_with_typed_cells(engine: Engine, pack: RegionPack, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "aanbieders.xlsx", [typed_cells(r) for r in valid_rows()])
    report = import_file(engine, pack, path, today=TODAY)
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated) == (30, 0)
    assert_valid_30_loaded(engine, pack)


def test_same_state_from_csv_and_xlsx(pack: RegionPack, tmp_path: Path) -> None:
    """CSV and XLSX of the same rows give the same database (bar ids and timestamps)."""
    from etalage.db.migrate import upgrade
    from etalage.db.session import make_engine

    engines = []
    for name in ("a", "b"):
        eng = make_engine(f"sqlite:///{tmp_path / name}.db")
        upgrade(eng)
        engines.append(eng)
    xlsx = write_xlsx(tmp_path / "a.xlsx", [typed_cells(r) for r in valid_rows()])
    assert import_file(engines[0], pack, xlsx, today=TODAY).ok
    assert import_file(engines[1], pack, VALID_30, today=TODAY).ok

    def facts(eng: Engine) -> list[tuple[object, ...]]:
        out = []
        for p in sorted(providers(eng).values(), key=lambda p: p.kvk):
            out.append(
                (
                    p.kvk,
                    p.name,
                    p.slug,
                    p.description,
                    p.website,
                    p.phone,
                    p.email,
                    p.age_min,
                    p.age_max,
                    p.serves_region,
                    sorted((c.kind, c.code) for c in p.codes),
                    sorted((a.profile, a.intensity) for a in p.arrangements),
                    [(x.address, x.postcode, x.city, x.municipality, x.lat, x.lon) for x in
                     p.locations],
                    [(w.peildatum, w.registration_weeks, w.treatment_weeks,
                      w.waiting_list_size) for w in p.waiting_times],
                    [(k.period, k.dropout_pct, k.goal_attainment_pct, k.satisfaction_pct, k.n)
                     for k in p.kpis],
                )
            )  # fmt: skip
        return out

    assert facts(engines[0]) == facts(engines[1])
    for eng in engines:
        eng.dispose()


def test_reimport_updates_and_appends_history(
    engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    assert import_file(engine, pack, VALID_30, today=TODAY).ok
    before = providers(engine)

    rows = valid_rows()
    rows[0]["naam"] = "De Kleine Haven Plus"
    rows[0]["arrangementen"] = "J4:zwaar|J3:licht"
    rows[0]["expertise"] = "autisme|trauma"
    rows[0]["wachttijd_peildatum"] = "2026-11-15"  # a new point
    rows[0]["aanmeldwachttijd_weken"] = "7"
    rows[0]["kpi_periode"] = "2026-H1"  # a new period
    rows[0]["uitval_pct"] = "9,5"
    rows[1]["aanmeldwachttijd_weken"] = "11"  # same peildatum: that point is updated
    rows[2]["werkgebied"] = ""  # back to the main location's municipality
    path = write_csv(tmp_path / "tweede.csv", rows)

    report = import_file(engine, pack, path, today=TODAY)
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated) == (0, 30)
    assert report.summary().startswith("0 aanbieders toegevoegd, 30 bijgewerkt")
    after = providers(engine)

    haven = after["10000001"]
    assert haven.id == before["10000001"].id
    assert haven.name == "De Kleine Haven Plus"
    assert haven.slug == "de-kleine-haven"  # links keep working
    assert sorted((a.profile, a.intensity) for a in haven.arrangements) == [
        ("J3", "licht"),
        ("J4", "zwaar"),
    ]
    assert haven.codes_of("expertise") == ["autisme", "trauma"]
    assert [(w.peildatum, w.registration_weeks) for w in haven.waiting_times] == [
        (date(2026, 11, 1), 5),
        (date(2026, 11, 15), 7),
    ]
    assert [(k.period, k.dropout_pct) for k in haven.kpis] == [("2025", 12.5), ("2026-H1", 9.5)]

    second = after["10000002"]
    assert [(w.peildatum, w.registration_weeks) for w in second.waiting_times] == [
        (date(2026, 10, 1), 11)
    ]
    assert after["10000003"].codes_of("gebied") == ["stede-broec"]

    # Importing the same file again changes nothing at all.
    state = db_state(engine)
    again = import_file(engine, pack, path, today=TODAY)
    assert again.ok and (again.created, again.updated) == (0, 30)
    assert db_state(engine) == state


def test_columns_not_in_the_file_are_left_alone(engine: Engine, pack: RegionPack) -> None:
    assert import_file(engine, pack, VALID_30, today=TODAY).ok
    rows = valid_rows()[:2]
    rows[0]["aanmeldwachttijd_weken"] = "9"
    rows[0]["wachttijd_peildatum"] = "2026-11-20"
    columns = ("kvk", "naam", "wetten", "segmenten", "arrangementen",
               "aanmeldwachttijd_weken", "wachttijd_peildatum")  # fmt: skip
    report = import_bytes(engine, pack, csv_text(rows, columns).encode(), today=TODAY)
    assert report.ok, [str(e) for e in report.errors]
    haven = providers(engine)["10000001"]
    assert haven.email == "info@voorbeeld1.example"
    assert haven.main_location is not None and haven.main_location.postcode == "1621 AB"
    assert haven.codes_of("gebied") == ["hoorn"]
    assert haven.codes_of("taal") == ["nl"]
    assert [w.registration_weeks for w in haven.waiting_times] == [5, 9]


def test_same_name_gets_a_unique_slug(engine: Engine, pack: RegionPack) -> None:
    rows = valid_rows()[:3]
    for row in rows:
        row["naam"] = "Zorgcafé Één & Twee"
    report = import_bytes(engine, pack, csv_text(rows).encode(), today=TODAY)
    assert report.ok, [str(e) for e in report.errors]
    slugs = sorted(p.slug for p in providers(engine).values())
    assert slugs == ["zorgcafe-een-twee", "zorgcafe-een-twee-2", "zorgcafe-een-twee-3"]


def test_dry_run_writes_nothing(engine: Engine, pack: RegionPack, tmp_path: Path) -> None:
    empty = db_state(engine)
    report = import_file(engine, pack, VALID_30, dry_run=True, today=TODAY)
    assert report.ok
    assert (report.created, report.updated, report.provider_ids) == (30, 0, [])
    assert report.summary() == (
        "Proefimport: 30 aanbieders gecontroleerd, geen fouten gevonden (24 wachttijdmetingen "
        "en 20 kwaliteitsmetingen). Bij een echte import worden er 30 toegevoegd en 0 "
        "bijgewerkt; er is niets opgeslagen."
    )
    assert db_state(engine) == empty

    assert import_file(engine, pack, VALID_30, today=TODAY).ok
    loaded = db_state(engine)
    rows = valid_rows()
    rows[0]["naam"] = "Iets anders"
    rows.append({**rows[1], "kvk": "10000099"})
    path = write_csv(tmp_path / "proef.csv", rows)
    report = import_file(engine, pack, path, dry_run=True, today=TODAY)
    assert report.ok and (report.created, report.updated) == (1, 30)
    assert db_state(engine) == loaded


@pytest.mark.parametrize("today", [None, TODAY])
def test_today_defaults_to_the_real_date(
    sqlite_engine: Engine, pack: RegionPack, today: date
) -> None:
    # The fixture's dates are all in the past of the real date as well.
    assert import_file(sqlite_engine, pack, VALID_30, dry_run=True, today=today).ok
