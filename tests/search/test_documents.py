"""Search documents from plain facts, and from the database rows."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine, select
from support import record_of

from etalage.catalogue.demo import load_demo
from etalage.catalogue.reader import read_records
from etalage.db.models import (
    Arrangement,
    KpiMeasurement,
    Location,
    Provider,
    ProviderCode,
    WaitingTime,
)
from etalage.db.session import transaction
from etalage.indexing.reader import read_documents
from etalage.provider import KpiPoint, ProviderRecord, WaitingPoint, is_stale, quality_score
from etalage.provider import Location as LocationFacts
from etalage.region import RegionPack
from search_index.documents import (
    DOCUMENT_FIELDS,
    DocumentBuilder,
    documents_checksum,
    record_from_document,
)
from search_index.embedded import EmbeddedBackend
from search_index.protocol import SearchFilters, SearchQuery
from search_index.vocabulary import Vocabulary

TODAY = date(2026, 11, 1)


def _facts(**kwargs: object) -> ProviderRecord:
    base: dict[str, object] = {"kvk": "12345678", "naam": "Proef", "slug": "proef"}
    base.update(kwargs)
    return record_of(**base)


def test_every_field_is_present(pack: RegionPack) -> None:
    doc = DocumentBuilder(pack).build(
        _facts(locations=[LocationFacts(municipality="hoorn", lat=52.6, lon=5.0)]), TODAY
    )
    assert tuple(doc) == DOCUMENT_FIELDS


def test_service_area_age_and_place(pack: RegionPack) -> None:
    b = DocumentBuilder(pack)
    regio = b.build(_facts(serves_region=True, locations=[LocationFacts(municipality="hoorn")]))
    assert regio["werkgebied"] == sorted(m.code for m in pack.municipalities)
    own = b.build(_facts(locations=[LocationFacts(municipality="opmeer", city="Spanbroek")]))
    assert own["werkgebied"] == ["opmeer"] and own["gemeente"] == "opmeer"
    assert own["plaatsen"] == ["Opmeer", "Spanbroek"]
    assert (own["leeftijd_min"], own["leeftijd_max"]) == (0, 120)
    # No coordinates: the PC4 centroid, else the municipality's.
    by_postcode = b.build(_facts(locations=[LocationFacts(postcode="1716 AB")]))
    assert by_postcode["_geo"] == {"lat": 52.706, "lng": 4.944}
    by_municipality = b.build(_facts(locations=[LocationFacts(municipality="hoorn")]))
    assert by_municipality["_geo"] == {"lat": 52.6424, "lng": 5.0597}
    assert "_geo" not in b.build(_facts())


def test_labels_synonyms_and_compounds(pack: RegionPack) -> None:
    doc = DocumentBuilder(pack).build(
        _facts(
            omschrijving="Gezinsbegeleiding en jeugdhulp.",
            arrangementen=[("J4", "licht"), ("J4", "midden"), ("J2", "licht")],
            expertise=["autisme"],
            talen=["ar"],
        )
    )
    assert doc["arrangementen"] == ["J2:licht", "J4:licht", "J4:midden"]
    assert doc["profielen"] == ["J2", "J4"] and doc["intensiteiten"] == ["licht", "midden"]
    assert doc["profiel_namen"] == ["Gedragsproblematiek", "Autisme en ontwikkelingsstoornissen"]
    assert doc["expertise_labels"] == ["Autisme"]
    assert "PDD-NOS" in doc["expertise_termen"]
    assert doc["taal_namen"] == ["Arabisch"]
    assert {"begeleiding", "hulp", "gezin", "jeugd"} <= set(doc["samenstellingen"])


def test_waiting_time_and_quality(pack: RegionPack) -> None:
    b = DocumentBuilder(pack)
    doc = b.build(
        _facts(
            waiting_time=WaitingPoint(TODAY - timedelta(weeks=7), 3, None, 4),
            kpi=KpiPoint("2025", 40, dropout_pct=10, goal_attainment_pct=70, satisfaction_pct=90),
        ),
        TODAY,
    )
    assert doc["wachttijd_totaal_weken"] == 3 and doc["wachttijd_behandeling_weken"] is None
    assert doc["wachttijd_verouderd"] is True  # seven weeks old, the pack allows six
    assert doc["kwaliteit"] == round((70 + 90 + 90) / 3, 1)
    few = b.build(_facts(kpi=KpiPoint("2025", 5, 10, 70, 90)), TODAY)
    assert few["kpi_te_weinig"] is True
    assert (few["kpi_uitval_pct"], few["kwaliteit"], few["kpi_n"]) == (None, None, 5)
    assert quality_score(KpiPoint("2025", 50, dropout_pct=20), 20) == 80.0
    assert quality_score(KpiPoint("2025", 50), 20) is None
    assert is_stale(date(2026, 1, 1), TODAY, 6) and not is_stale(TODAY, TODAY, 6)


def test_hash_follows_content_and_staleness_not_the_calendar(pack: RegionPack) -> None:
    b = DocumentBuilder(pack)
    facts = _facts(waiting_time=WaitingPoint(TODAY, 1, 1))
    a = b.build(facts, TODAY)
    assert b.build(facts, TODAY + timedelta(weeks=1))["hash"] == a["hash"]  # still fresh
    later = b.build(facts, TODAY + timedelta(weeks=10))
    assert (a["wachttijd_verouderd"], later["wachttijd_verouderd"]) == (False, True)
    # Gone stale, it sorts after the fresh figures: a changed document, so the daily
    # drift check sends it to Meilisearch.
    assert (a["wachttijd_sorteer"], later["wachttijd_sorteer"]) == (2, 1002)
    assert a["hash"] != later["hash"]
    changed = b.build(_facts(waiting_time=WaitingPoint(TODAY, 1, 2)), TODAY)
    assert changed["hash"] != a["hash"]
    assert documents_checksum([a, changed]) == documents_checksum([changed, a])


def test_documents_from_the_database(
    sqlite_engine: Engine, pack: RegionPack, vocabulary: Vocabulary
) -> None:
    with transaction(sqlite_engine) as s:
        p = Provider(
            kvk="87654321",
            name="Het Anker",
            slug="het-anker",
            description="Hulp bij autisme.",
            age_min=6,
            age_max=18,
        )
        p.codes = [
            ProviderCode(kind="wet", code="jeugdwet"),
            ProviderCode(kind="segment", code="B"),
            ProviderCode(kind="expertise", code="autisme"),
            ProviderCode(kind="taal", code="nl"),
            ProviderCode(kind="gebied", code="hoorn"),
            ProviderCode(kind="gebied", code="opmeer"),
        ]
        p.arrangements = [Arrangement(profile="J4", intensity="licht")]
        p.locations = [
            Location(
                position=0,
                postcode="1621 AB",
                city="Hoorn",
                municipality="hoorn",
                lat=52.64,
                lon=5.058,
            )
        ]
        p.waiting_times = [
            WaitingTime(peildatum=date(2026, 1, 1), registration_weeks=9, treatment_weeks=9),
            WaitingTime(peildatum=date(2026, 6, 1), registration_weeks=2, treatment_weeks=3),
        ]
        p.kpis = [
            KpiMeasurement(
                period="2025", dropout_pct=10, goal_attainment_pct=80, satisfaction_pct=90, n=50
            )
        ]
        s.add(p)
    with transaction(sqlite_engine) as s:
        docs = read_documents(s, pack, TODAY)
    (doc,) = docs
    assert doc["id"] == "87654321" and doc["werkgebied"] == ["hoorn", "opmeer"]
    assert doc["wachttijd_totaal_weken"] == 5  # the latest measurement
    assert doc["arrangementen"] == ["J4:licht"] and doc["kwaliteit"] == 86.7
    backend = EmbeddedBackend(vocabulary)
    backend.rebuild(docs)
    found = backend.search(SearchQuery(q="autsime 12 jaar hoorn"))
    assert [h.id for h in found.hits] == ["87654321"]


def test_embedded_updates_and_deletes(vocabulary: Vocabulary, pack: RegionPack) -> None:
    b = DocumentBuilder(pack)
    backend = EmbeddedBackend(vocabulary)
    one = b.build(_facts(kvk="1", slug="a", naam="Alfa Zorg", expertise=["autisme"]))
    two = b.build(_facts(kvk="2", slug="b", naam="Beta Zorg", expertise=["dementie"]))
    backend.index_documents([one, two])
    assert backend.search(SearchQuery(q="autisme")).total == 1
    backend.index_documents([b.build(_facts(kvk="1", slug="a", naam="Alfa Zorg"))])
    assert backend.search(SearchQuery(q="autisme")).total == 0
    assert backend.search(SearchQuery(q="alfa")).total == 1
    assert backend.search(SearchQuery()).facets["expertise"] == {"dementie": 1}
    backend.delete(["2"])
    assert backend.search(SearchQuery(q="dementie")).total == 0
    assert backend.search(SearchQuery(filters=SearchFilters(expertise=("dementie",)))).total == 0
    three = b.build(_facts(kvk="3", slug="c", naam="Gamma", expertise=["dementie"]))
    backend.index_documents([three])  # reuses the freed slot
    assert [h.id for h in backend.search(SearchQuery(q="dementie")).hits] == ["3"]
    assert backend.stats().count == 2


def test_the_reader_gives_every_fact_with_or_without_history(
    engine: Engine, pack: RegionPack
) -> None:
    """`read_records` (the one reader) against the ORM's view of the same rows, for every
    provider of the demo set, with its histories, and for a subset; without history
    each record keeps the latest points only, and the documents are built from those."""
    load_demo(engine, pack, TODAY)
    with transaction(engine) as s:
        p = s.scalars(select(Provider).order_by(Provider.kvk)).first()
        assert p is not None
        # A second location, and an older measurement added last: order, not insertion.
        s.add(Location(provider_id=p.id, position=1, city="Twisk", municipality="opmeer"))
        s.add(WaitingTime(provider_id=p.id, peildatum=date(2001, 1, 1), registration_weeks=1))
    with transaction(engine) as s:
        orm = list(s.scalars(select(Provider).order_by(Provider.kvk)))
        full = read_records(s)
        assert [r.kvk for r in full] == [p.kvk for p in orm] and len(full) > 100
        for record, row in zip(full, orm, strict=True):
            assert record.name == row.name and record.is_demo == row.is_demo
            codes = {(c.kind, c.code) for c in row.codes}
            assert set(record.laws) == {c for k, c in codes if k == "wet"}
            assert set(record.expertise) == {c for k, c in codes if k == "expertise"}
            area = {c for k, c in codes if k == "gebied"}
            assert set(record.service_area) == area - {"regio"}
            assert record.serves_region == (row.serves_region or "regio" in area)
            assert set(record.arrangements) == {(a.profile, a.intensity) for a in row.arrangements}
            assert [loc.city for loc in record.locations] == [
                loc.city for loc in sorted(row.locations, key=lambda x: x.position)
            ]
            assert [w.peildatum for w in record.waiting_times] == sorted(
                w.peildatum for w in row.waiting_times
            )
            assert [k.period for k in record.kpis] == sorted(k.period for k in row.kpis)
        assert any(r.serves_region for r in full) and any(len(r.locations) > 1 for r in full)
        assert full[0].waiting_times[0].peildatum == date(2001, 1, 1)
        latest = read_records(s, history=False)
        assert [r.waiting_times for r in latest] == [r.waiting_times[-1:] for r in full]
        assert [r.kpis for r in latest] == [r.kpis[-1:] for r in full]
        some = [full[3].kvk, full[0].kvk, "00000000"]
        assert read_records(s, some) == [full[0], full[3]]
        assert read_records(s, []) == []
        docs = read_documents(s, pack, TODAY)
        assert docs == [DocumentBuilder(pack).build(r, TODAY) for r in full]


def test_a_document_reads_back_into_its_record(engine: Engine, pack: RegionPack) -> None:
    """`record_from_document` undoes `DocumentBuilder.build` for what a document holds:
    rebuilding a document from the record read back gives the same document."""
    load_demo(engine, pack, TODAY)
    builder = DocumentBuilder(pack)
    with transaction(engine) as s:
        records = read_records(s, history=False)
    for record in records:
        doc = builder.build(record, TODAY)
        back = record_from_document(doc, is_demo=record.is_demo)
        assert builder.build(back, TODAY) == doc, record.kvk
        assert (back.kvk, back.name, back.laws, back.expertise) == (
            record.kvk,
            record.name,
            record.laws,
            record.expertise,
        )


def test_the_hash_is_the_digest_of_sorted_compact_json(engine: Engine, pack: RegionPack) -> None:
    """`document_hash` encodes with msgspec for speed; the bytes must be those of
    `json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))`, so hashes
    stay comparable with the ones Meilisearch already holds. (Floats in exponent form,
    below 1e-4 or from 1e16, are written `1e-7` rather than `1e-07`; no document field
    holds such numbers: coordinates, weeks and rounded percentages.)"""
    import hashlib
    import json

    from search_index.documents import document_hash

    def by_json(doc: dict[str, object]) -> str:
        stable = {key: value for key, value in doc.items() if key != "hash"}
        text = json.dumps(stable, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    load_demo(engine, pack, TODAY)
    with transaction(engine) as s:
        docs = read_documents(s, pack, TODAY)
    tricky = {
        "naam": 'Zorg "Één" \\ café – ß ✓ \u2028 😀',
        "getallen": [0.1, 0.0001, 52.6412345, 12345678.9, 5.0, -0.0, 3, None, True],
        "geneste": {"b": [{"z": 1, "a": "x"}], "a": None},
        "hash": "ignored",
    }
    for doc in [*docs, tricky]:
        assert document_hash(doc) == by_json(doc)
