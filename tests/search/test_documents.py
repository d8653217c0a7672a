"""Search documents from plain facts, and from the database rows."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine, select

from etalage.catalogue.demo import load_demo
from etalage.db.models import (
    Arrangement,
    KpiMeasurement,
    Location,
    Provider,
    ProviderCode,
    WaitingTime,
)
from etalage.db.session import transaction
from etalage.region import RegionPack
from search_index.documents import (
    DOCUMENT_FIELDS,
    DocumentBuilder,
    KpiFacts,
    LocationFacts,
    ProviderFacts,
    WaitingTimeFacts,
    documents_checksum,
    is_stale,
    quality_score,
)
from search_index.embedded import EmbeddedBackend
from search_index.from_db import (
    documents_from_providers,
    facts_from_provider,
    read_documents,
    read_facts,
)
from search_index.protocol import SearchFilters, SearchQuery
from search_index.vocabulary import Vocabulary

TODAY = date(2026, 11, 1)


def _facts(**kwargs: object) -> ProviderFacts:
    base: dict[str, object] = {"kvk": "12345678", "naam": "Proef", "slug": "proef"}
    base.update(kwargs)
    return ProviderFacts(**base)  # type: ignore[arg-type]


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
            waiting_time=WaitingTimeFacts(TODAY - timedelta(weeks=7), 3, None, 4),
            kpi=KpiFacts("2025", 40, uitval_pct=10, doelrealisatie_pct=70, tevredenheid_pct=90),
        ),
        TODAY,
    )
    assert doc["wachttijd_totaal_weken"] == 3 and doc["wachttijd_behandeling_weken"] is None
    assert doc["wachttijd_verouderd"] is True  # seven weeks old, the pack allows six
    assert doc["kwaliteit"] == round((70 + 90 + 90) / 3, 1)
    few = b.build(_facts(kpi=KpiFacts("2025", 5, 10, 70, 90)), TODAY)
    assert few["kpi_te_weinig"] is True
    assert (few["kpi_uitval_pct"], few["kwaliteit"], few["kpi_n"]) == (None, None, 5)
    assert quality_score(KpiFacts("2025", 50, uitval_pct=20), 20) == 80.0
    assert quality_score(KpiFacts("2025", 50), 20) is None
    assert is_stale("2026-01-01", TODAY, 6) and not is_stale(None, TODAY, 6)


def test_hash_follows_content_and_staleness_not_the_calendar(pack: RegionPack) -> None:
    b = DocumentBuilder(pack)
    facts = _facts(waiting_time=WaitingTimeFacts(TODAY, 1, 1))
    a = b.build(facts, TODAY)
    assert b.build(facts, TODAY + timedelta(weeks=1))["hash"] == a["hash"]  # still fresh
    later = b.build(facts, TODAY + timedelta(weeks=10))
    assert (a["wachttijd_verouderd"], later["wachttijd_verouderd"]) == (False, True)
    # Gone stale, it sorts after the fresh figures: a changed document, so the daily
    # drift check sends it to Meilisearch.
    assert (a["wachttijd_sorteer"], later["wachttijd_sorteer"]) == (2, 1002)
    assert a["hash"] != later["hash"]
    changed = b.build(_facts(waiting_time=WaitingTimeFacts(TODAY, 1, 2)), TODAY)
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
        docs = list(documents_from_providers(s.scalars(select(Provider)), pack, TODAY))
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


def test_bulk_read_gives_the_same_facts_as_the_orm(engine: Engine, pack: RegionPack) -> None:
    """`read_facts` (plain SELECTs, used at start-up) equals `facts_from_provider`
    (ORM) for every provider of the demo set, with its histories, and for a subset."""
    load_demo(engine, pack, TODAY)
    with transaction(engine) as s:
        p = s.scalars(select(Provider).order_by(Provider.kvk)).first()
        assert p is not None
        # A second location, and an older measurement added last: order, not insertion.
        s.add(Location(provider_id=p.id, position=1, city="Twisk", municipality="opmeer"))
        s.add(WaitingTime(provider_id=p.id, peildatum=date(2001, 1, 1), registration_weeks=1))
    with transaction(engine) as s:
        orm = [
            (facts_from_provider(p), p.is_demo)
            for p in s.scalars(select(Provider).order_by(Provider.kvk))
        ]
        bulk = read_facts(s)
        assert [(r.facts, r.is_demo) for r in bulk] == orm
        assert len(orm) > 100 and any(f.waiting_time for f, _ in orm)
        assert any(f.serves_region for f, _ in orm) and any(len(f.locations) > 1 for f, _ in orm)
        some = [orm[3][0].kvk, orm[0][0].kvk, "00000000"]
        assert [r.facts for r in read_facts(s, some)] == [orm[0][0], orm[3][0]]
        assert read_facts(s, []) == []
        docs = read_documents(s, pack, TODAY)
        assert docs == [DocumentBuilder(pack).build(f, TODAY) for f, _ in orm]
