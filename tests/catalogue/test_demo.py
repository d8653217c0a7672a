"""The fictional demo dataset: big enough, covers the whole taxonomy, has history, is
idempotent, and is built from whatever region pack is loaded."""

from __future__ import annotations

from collections import Counter
from datetime import date

from catalogue_testdata import TODAY, db_state
from sqlalchemy import Engine, select

from etalage.catalogue.demo import (
    KVK_PREFIX,
    demo_snapshots,
    kpi_periods,
    load_demo,
    snapshot_dates,
)
from etalage.catalogue.importer import import_bytes
from etalage.db.models import Provider
from etalage.db.session import transaction
from etalage.region import RegionPack


def all_providers(engine: Engine) -> list[Provider]:
    with transaction(engine) as session:
        return list(session.scalars(select(Provider).order_by(Provider.kvk)))


def test_demo_covers_the_region_and_is_idempotent(engine: Engine, pack: RegionPack) -> None:
    report = load_demo(engine, pack, today=TODAY)
    assert report.ok, [str(e) for e in report.errors]
    providers = all_providers(engine)
    n = len(providers)
    assert n >= 120
    assert (report.created, report.updated) == (n, 0)
    assert sorted(report.provider_ids) == sorted(p.id for p in providers)
    assert report.summary() == (
        f"Demodataset geladen: {n} fictieve aanbieders ({n} toegevoegd, 0 bijgewerkt), "
        "6 peildata voor wachttijden en 3 periodes voor kwaliteitscijfers."
    )
    assert all(p.is_demo for p in providers)

    # Fictional contact data only.
    assert all(p.kvk.startswith(KVK_PREFIX) for p in providers)
    assert all(p.website is None or p.website.endswith(".example") for p in providers)
    assert all(p.email is None or p.email.endswith(".example") for p in providers)
    assert len({p.name for p in providers}) == n

    # The whole taxonomy.
    pairs = {(a.profile, a.intensity) for p in providers for a in p.arrangements}
    assert pairs == {(x.code, i.code) for x in pack.profiles for i in pack.intensities}
    homes = {p.main_location.municipality for p in providers if p.main_location}
    assert homes == {m.code for m in pack.municipalities}
    assert {c for p in providers for c in p.codes_of("wet")} == {x.code for x in pack.laws}
    segments = Counter(tuple(p.codes_of("segment")) for p in providers)
    assert segments[("A",)] >= 10  # buurtteams, schuldhulp, jongerenwerk, mantelzorg
    assert {s for combo in segments for s in combo} == {"A", "B", "C"}
    assert any(p.name.startswith("Zorgcombinatie") for p in providers)
    tags = {c for p in providers for c in p.codes_of("expertise")}
    assert {"schuldhulp", "jongerenwerk", "mantelzorgondersteuning"} <= tags
    assert len({c for p in providers for c in p.codes_of("taal")}) >= 5
    assert any(p.serves_region for p in providers)
    # Locations spread over the PC4 areas, with coordinates.
    pc4 = {p.main_location.postcode[:4] for p in providers if p.main_location}
    assert len(pc4) >= 25
    assert all(p.main_location and p.main_location.lat for p in providers)

    # History: monthly waiting times, half-yearly KPIs.
    peildata = {w.peildatum for p in providers for w in p.waiting_times}
    assert peildata == set(snapshot_dates(TODAY))
    assert {k.period for p in providers for k in p.kpis} == set(kpi_periods(TODAY))
    assert sum(1 for p in providers if len(p.waiting_times) >= 4) >= 40
    latest = [p.latest_waiting_time for p in providers]
    fresh_limit = pack.freshness_weeks * 7
    assert sum(1 for w in latest if w and (TODAY - w.peildatum).days <= fresh_limit) >= 30
    assert sum(1 for w in latest if w and (TODAY - w.peildatum).days > fresh_limit) >= 5
    assert sum(1 for w in latest if w is None) >= 5
    norm = pack.treeknorm.total_weeks
    assert sum(1 for w in latest if w and (w.total_weeks or 0) > norm) >= 5
    kpis = [p.latest_kpi for p in providers if p.latest_kpi]
    assert sum(1 for k in kpis if k.n < pack.kpi_min_n) >= 5
    assert sum(1 for k in kpis if k.n >= pack.kpi_min_n) >= 40

    # Loading again changes nothing.
    state = db_state(engine)
    again = load_demo(engine, pack, today=TODAY)
    assert again.ok and (again.created, again.updated) == (0, n)
    assert db_state(engine) == state


def test_demo_with_another_pack(sqlite_engine: Engine, test_pack: RegionPack) -> None:
    report = load_demo(sqlite_engine, test_pack, today=TODAY)
    assert report.ok, [str(e) for e in report.errors]
    providers = all_providers(sqlite_engine)
    assert len(providers) >= 120
    pairs = {(a.profile, a.intensity) for p in providers for a in p.arrangements}
    assert pairs == {(x.code, i.code) for x in test_pack.profiles for i in test_pack.intensities}
    homes = {p.main_location.municipality for p in providers if p.main_location}
    assert homes == {m.code for m in test_pack.municipalities}
    tags = {c for p in providers for c in p.codes_of("expertise")}
    assert tags <= {t.code for t in test_pack.expertise}
    assert {c for p in providers for c in p.codes_of("taal")} <= set(test_pack.languages)


def test_snapshots_are_deterministic_import_files(sqlite_engine: Engine, pack: RegionPack) -> None:
    first = demo_snapshots(pack, TODAY)
    assert first == demo_snapshots(pack, TODAY)
    assert [d for d, _ in first] == snapshot_dates(TODAY)
    # Each snapshot is an ordinary import file.
    for _, text in first:
        report = import_bytes(sqlite_engine, pack, text.encode(), dry_run=True, today=TODAY)
        assert report.ok, [str(e) for e in report.errors][:5]


def test_snapshot_dates() -> None:
    assert snapshot_dates(date(2026, 2, 10), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert kpi_periods(date(2026, 2, 10)) == ["2024-H2", "2025-H1", "2025-H2"]
    assert kpi_periods(date(2026, 7, 1)) == ["2025-H1", "2025-H2", "2026-H1"]
