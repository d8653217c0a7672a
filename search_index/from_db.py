"""Turn an ORM `Provider` into `ProviderFacts` (the only module here that knows the ORM)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from etalage.db.models import Provider
from etalage.region.model import RegionPack
from search_index.documents import (
    DocumentBuilder,
    KpiFacts,
    LocationFacts,
    ProviderFacts,
    SearchDocument,
    WaitingTimeFacts,
)


def facts_from_provider(p: Provider) -> ProviderFacts:
    wt = p.latest_waiting_time
    kpi = p.latest_kpi
    return ProviderFacts(
        kvk=p.kvk,
        naam=p.name,
        slug=p.slug,
        omschrijving=p.description or "",
        website=p.website,
        telefoon=p.phone,
        email=p.email,
        wetten=p.codes_of("wet"),
        segmenten=p.codes_of("segment"),
        arrangementen=[(a.profile, a.intensity) for a in p.arrangements],
        expertise=p.codes_of("expertise"),
        talen=p.codes_of("taal"),
        aanmelding=p.codes_of("aanmelding"),
        werkgebied=[c for c in p.codes_of("gebied") if c != "regio"],
        serves_region=bool(p.serves_region) or "regio" in p.codes_of("gebied"),
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
            for loc in p.locations
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


def documents_from_providers(
    providers: Iterable[Provider], pack: RegionPack, today: date | None = None
) -> Iterator[SearchDocument]:
    builder = DocumentBuilder(pack)
    for p in providers:
        yield builder.build(facts_from_provider(p), today)
