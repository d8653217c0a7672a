"""A small, known catalogue for the web tests, written with the ORM.

The catalogue (Westfriesland pack; dates relative to today):

- 10000001 Alfa Jeugdhulp: jeugdwet, B, J4 licht+midden and J2 zwaar, area hoorn and
  enkhuizen, waiting 2+3=5 weeks measured 1 week ago, KPI n=120, ages 4-17.
- 10000002 Bravo Wmo Begeleiding: wmo, B, W3 midden and W8 licht, the whole region,
  waiting 6+12=18 weeks measured 10 weeks ago (stale), KPI n=12 (too few), ages 18+.
- 10000003 Charlie Inloop: jeugdwet and wmo, A, medemblik, no coordinates, no waiting
  time, no KPI.
- 10000004 Delta Zorgcombinatie: jeugdwet, B and C, J4 zwaar and J3 midden, hoorn,
  waiting 5+30=35 weeks measured 2 weeks ago, KPI n=60, ages 12-23.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from etalage.db.models import (
    Arrangement,
    KpiMeasurement,
    Location,
    Provider,
    ProviderCode,
    WaitingTime,
)

TODAY = date.today()
ALFA, BRAVO, CHARLIE, DELTA = "10000001", "10000002", "10000003", "10000004"


def weeks_ago(n: int) -> date:
    return TODAY - timedelta(weeks=n)


def make_provider(
    session: Session,
    *,
    kvk: str,
    name: str,
    slug: str | None = None,
    description: str = "",
    wet: tuple[str, ...] = (),
    segment: tuple[str, ...] = (),
    expertise: tuple[str, ...] = (),
    taal: tuple[str, ...] = ("nl",),
    aanmelding: tuple[str, ...] = (),
    gebied: tuple[str, ...] = (),
    serves_region: bool = False,
    arrangements: tuple[tuple[str, str], ...] = (),
    location: dict[str, Any] | None = None,
    waiting: tuple[tuple[date, int | None, int | None], ...] = (),
    waiting_list: int | None = None,
    kpis: tuple[tuple[str, float | None, float | None, float | None, int], ...] = (),
    age_min: int | None = None,
    age_max: int | None = None,
    is_demo: bool = False,
    phone: str | None = None,
    email: str | None = None,
    website: str | None = None,
) -> Provider:
    """One provider with its codes, arrangements, main location and histories.
    kpis: (period, dropout, goal attainment, satisfaction, n)."""
    p = Provider(
        kvk=kvk,
        name=name,
        slug=slug or name.lower().replace(" ", "-"),
        description=description,
        age_min=age_min,
        age_max=age_max,
        serves_region=serves_region,
        is_demo=is_demo,
        phone=phone,
        email=email,
        website=website,
    )
    for kind, codes in (
        ("wet", wet),
        ("segment", segment),
        ("expertise", expertise),
        ("taal", taal),
        ("aanmelding", aanmelding),
        ("gebied", gebied),
    ):
        p.codes.extend(ProviderCode(kind=kind, code=c) for c in codes)
    p.arrangements.extend(Arrangement(profile=a, intensity=i) for a, i in arrangements)
    if location:
        p.locations.append(Location(position=0, **location))
    for peildatum, reg, tre in waiting:
        p.waiting_times.append(
            WaitingTime(
                peildatum=peildatum,
                registration_weeks=reg,
                treatment_weeks=tre,
                waiting_list_size=waiting_list,
            )
        )
    for period, dropout, goal, satisfaction, n in kpis:
        p.kpis.append(
            KpiMeasurement(
                period=period,
                dropout_pct=dropout,
                goal_attainment_pct=goal,
                satisfaction_pct=satisfaction,
                n=n,
            )
        )
    session.add(p)
    return p


def fill_catalogue(engine: Engine) -> None:
    with Session(engine) as s:
        make_provider(
            s,
            kvk=ALFA,
            name="Alfa Jeugdhulp",
            description="Ambulante hulp voor kinderen en hun ouders.",
            wet=("jeugdwet",),
            segment=("B",),
            expertise=("autisme", "adhd"),
            taal=("nl", "ar"),
            aanmelding=("huisarts", "toegang"),
            gebied=("hoorn", "enkhuizen"),
            arrangements=(("J4", "licht"), ("J4", "midden"), ("J2", "zwaar")),
            location={
                "address": "Kerkstraat 1",
                "postcode": "1621 AB",
                "city": "Hoorn",
                "municipality": "hoorn",
                "lat": 52.6400,
                "lon": 5.0580,
            },
            waiting=((weeks_ago(12), 3, 5), (weeks_ago(1), 2, 3)),
            waiting_list=7,
            kpis=(("2024", 10.0, 70.0, 80.0, 100), ("2025", 8.0, 76.0, 88.0, 120)),
            age_min=4,
            age_max=17,
            phone="0229 - 12 34 56",
            email="info@alfa.example",
            website="https://alfa.example",
        )
        make_provider(
            s,
            kvk=BRAVO,
            name="Bravo Wmo Begeleiding",
            description="Begeleiding thuis voor volwassenen.",
            wet=("wmo",),
            segment=("B",),
            expertise=("angst-depressie",),
            taal=("nl", "tr", "pl"),
            aanmelding=("toegang",),
            serves_region=True,
            arrangements=(("W3", "midden"), ("W8", "licht")),
            location={
                "address": "Westerstraat 9",
                "postcode": "1601 AA",
                "city": "Enkhuizen",
                "municipality": "enkhuizen",
                "lat": 52.7050,
                "lon": 5.2880,
            },
            waiting=((weeks_ago(10), 6, 12),),
            kpis=(("2025", 9.0, 91.0, 93.0, 12),),
            age_min=18,
        )
        make_provider(
            s,
            kvk=CHARLIE,
            name="Charlie Inloop",
            description="Vrij toegankelijke inloop voor opvoedvragen en geldzorgen.",
            wet=("jeugdwet", "wmo"),
            segment=("A",),
            expertise=("opvoedondersteuning", "schuldhulp"),
            aanmelding=("direct",),
            gebied=("medemblik",),
            # no coordinates: distance falls back to the pack's PC4 centroid
            location={"postcode": "1671 AA", "city": "Medemblik", "municipality": "medemblik"},
        )
        make_provider(
            s,
            kvk=DELTA,
            name="Delta Zorgcombinatie",
            description="Specialistische hulp bij autisme en trauma, ook met verblijf.",
            wet=("jeugdwet",),
            segment=("B", "C"),
            expertise=("autisme", "trauma"),
            aanmelding=("huisarts",),
            gebied=("hoorn",),
            arrangements=(("J4", "zwaar"), ("J3", "midden")),
            location={
                "address": "Dijk 3",
                "postcode": "1624 AA",
                "city": "Hoorn",
                "municipality": "hoorn",
                "lat": 52.6300,
                "lon": 5.0450,
            },
            waiting=((weeks_ago(2), 5, 30),),
            kpis=(("2024", 10.0, 60.0, 70.0, 50), ("2025", 12.0, 65.0, 75.0, 60)),
            age_min=12,
            age_max=23,
        )
        s.commit()
