"""Providers from the database as `ProviderFacts` (the only module here that knows it).

`facts_from_provider` turns one ORM `Provider` into facts. `read_facts` reads many at
once with six plain SELECTs and no ORM objects: at 10,000 providers that is about ten
times faster than loading them through the ORM, which matters at start-up (the search
index and the assistant both read every provider). Both give the same facts; a test
holds them to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from etalage.db.models import (
    Arrangement,
    KpiMeasurement,
    Location,
    Provider,
    ProviderCode,
    WaitingTime,
)
from etalage.region.model import RegionPack
from search_index.documents import (
    DocumentBuilder,
    KpiFacts,
    LocationFacts,
    ProviderFacts,
    SearchDocument,
    WaitingTimeFacts,
)


def _facts(
    p: Any,
    codes: Iterable[tuple[str, str]],
    arrangements: Iterable[Any],
    locations: Iterable[Any],
    wt: Any,
    kpi: Any,
) -> ProviderFacts:
    """Facts from a provider and its rows: ORM objects or plain result rows alike (they
    have the same attribute names). `codes` are (kind, code) pairs; `wt` and `kpi` the
    latest measurements or None."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, code in codes:
        by_kind[kind].append(code)
    gebied = by_kind.get("gebied", [])
    return ProviderFacts(
        kvk=p.kvk,
        naam=p.name,
        slug=p.slug,
        omschrijving=p.description or "",
        website=p.website,
        telefoon=p.phone,
        email=p.email,
        wetten=sorted(by_kind.get("wet", [])),
        segmenten=sorted(by_kind.get("segment", [])),
        arrangementen=[(a.profile, a.intensity) for a in arrangements],
        expertise=sorted(by_kind.get("expertise", [])),
        talen=sorted(by_kind.get("taal", [])),
        aanmelding=sorted(by_kind.get("aanmelding", [])),
        werkgebied=sorted(c for c in gebied if c != "regio"),
        serves_region=bool(p.serves_region) or "regio" in gebied,
        leeftijd_min=p.age_min,
        leeftijd_max=p.age_max,
        locations=[
            LocationFacts(
                address=loc.address,
                postcode=loc.postcode,
                city=loc.city,
                municipality=loc.municipality,
                lat=loc.lat,
                lon=loc.lon,
            )
            for loc in locations
        ],
        waiting_time=WaitingTimeFacts(
            peildatum=wt.peildatum,
            aanmelden_weken=wt.registration_weeks,
            behandeling_weken=wt.treatment_weeks,
            wachtlijst_aantal=wt.waiting_list_size,
        )
        if wt is not None
        else None,
        kpi=KpiFacts(
            periode=kpi.period,
            n=kpi.n,
            uitval_pct=kpi.dropout_pct,
            doelrealisatie_pct=kpi.goal_attainment_pct,
            tevredenheid_pct=kpi.satisfaction_pct,
        )
        if kpi is not None
        else None,
    )


def facts_from_provider(p: Provider) -> ProviderFacts:
    return _facts(
        p,
        ((c.kind, c.code) for c in p.codes),
        p.arrangements,
        p.locations,
        p.latest_waiting_time,
        p.latest_kpi,
    )


def documents_from_providers(
    providers: Iterable[Provider], pack: RegionPack, today: date | None = None
) -> Iterator[SearchDocument]:
    builder = DocumentBuilder(pack)
    for p in providers:
        yield builder.build(facts_from_provider(p), today)


@dataclass(frozen=True)
class FactsRow:
    facts: ProviderFacts
    is_demo: bool


def read_facts(session: Session, kvks: Sequence[str] | None = None) -> list[FactsRow]:
    """Every provider (or those with these KvK numbers) as facts, ordered by KvK."""
    p = Provider.__table__
    stmt = select(
        p.c.id, p.c.kvk, p.c.name, p.c.slug, p.c.description, p.c.website, p.c.phone,
        p.c.email, p.c.age_min, p.c.age_max, p.c.serves_region, p.c.is_demo,
    ).order_by(p.c.kvk)  # fmt: skip
    if kvks is not None:
        if not kvks:
            return []
        stmt = stmt.where(p.c.kvk.in_(list(kvks)))
    providers = session.execute(stmt).all()
    if not providers:
        return []
    ids = [row.id for row in providers]

    def rows(table: Any, *columns: str, order: Sequence[str] = ()) -> dict[int, list[Any]]:
        t = table.__table__
        q = select(t.c.provider_id, *(t.c[c] for c in columns)).order_by(
            t.c.provider_id, *(t.c[c] for c in order), t.c.id
        )
        if kvks is not None:
            q = q.where(t.c.provider_id.in_(ids))
        out: dict[int, list[Any]] = defaultdict(list)
        for row in session.execute(q):
            out[row[0]].append(row)
        return out

    codes = rows(ProviderCode, "kind", "code")
    arrangements = rows(Arrangement, "profile", "intensity")
    locations = rows(
        Location, "address", "postcode", "city", "municipality", "lat", "lon", order=["position"]
    )
    waiting = rows(
        WaitingTime,
        "peildatum",
        "registration_weeks",
        "treatment_weeks",
        "waiting_list_size",
        order=["peildatum"],
    )
    kpis = rows(
        KpiMeasurement,
        "period",
        "dropout_pct",
        "goal_attainment_pct",
        "satisfaction_pct",
        "n",
        order=["period"],
    )
    return [
        FactsRow(
            _facts(
                r,
                ((c.kind, c.code) for c in codes.get(r.id, ())),
                arrangements.get(r.id, ()),
                locations.get(r.id, ()),
                waiting[r.id][-1] if r.id in waiting else None,
                kpis[r.id][-1] if r.id in kpis else None,
            ),
            bool(r.is_demo),
        )
        for r in providers
    ]


def read_documents(
    session: Session,
    pack: RegionPack,
    today: date | None = None,
    kvks: Sequence[str] | None = None,
) -> list[SearchDocument]:
    """`read_facts` made into search documents."""
    builder = DocumentBuilder(pack)
    return [builder.build(row.facts, today) for row in read_facts(session, kvks)]
