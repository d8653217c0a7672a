"""Read side of the catalogue in the database: single providers with their histories.

Searching (filters, sorting, facets, pages) is the search layer's job (`search_index`,
through `etalage.indexing`); `ProviderFilters` is the validated form of the search
parameters the pages and the API share. Output is plain records from `presenters`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from etalage.catalogue.presenters import (
    KpiPoint,
    LocationRecord,
    ProviderRecord,
    WaitingPoint,
)
from etalage.db.models import (
    Arrangement,
    KpiMeasurement,
    Location,
    Provider,
    ProviderCode,
    WaitingTime,
)

SORTS = ("relevance", "wachttijd", "afstand", "kwaliteit", "naam")
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class ProviderFilters:
    """Validated search parameters (codes are the pack's canonical codes)."""

    q: str | None = None
    gemeente: str | None = None
    wet: str | None = None
    segment: str | None = None
    profiel: str | None = None
    intensiteit: str | None = None
    expertise: tuple[str, ...] = ()
    taal: str | None = None
    leeftijd: int | None = None
    max_wachttijd_weken: int | None = None
    postcode: str | None = None  # normalised: "1621AB" or "1621"
    afstand_km: float | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def pc4(self) -> str | None:
        return self.postcode[:4] if self.postcode else None


# ---------------------------------------------------------------------------- records


def load_records(session: Session, ids: Sequence[int]) -> dict[int, ProviderRecord]:
    """Records for the given provider ids, with their full histories.

    Plain column queries (one per table) rather than ORM objects: a search reads every
    matching provider, and building a few thousand ORM instances per request is the
    slowest part of it.
    """
    if not ids:
        return {}
    id_list = list(ids)
    codes: dict[int, dict[str, list[str]]] = {}
    for pid, kind, code in session.execute(
        select(ProviderCode.provider_id, ProviderCode.kind, ProviderCode.code).where(
            ProviderCode.provider_id.in_(id_list)
        )
    ):
        codes.setdefault(pid, {}).setdefault(kind, []).append(code)
    arrangements: dict[int, list[tuple[str, str]]] = {}
    for pid, profile, intensity in session.execute(
        select(Arrangement.provider_id, Arrangement.profile, Arrangement.intensity).where(
            Arrangement.provider_id.in_(id_list)
        )
    ):
        arrangements.setdefault(pid, []).append((profile, intensity))
    locations: dict[int, list[LocationRecord]] = {}
    for pid, *loc in session.execute(
        select(
            Location.provider_id,
            Location.address,
            Location.postcode,
            Location.city,
            Location.municipality,
            Location.lat,
            Location.lon,
        )
        .where(Location.provider_id.in_(id_list))
        .order_by(Location.provider_id, Location.position, Location.id)
    ):
        locations.setdefault(pid, []).append(LocationRecord(*loc))
    waiting: dict[int, list[WaitingPoint]] = {}
    for pid, *point in session.execute(
        select(
            WaitingTime.provider_id,
            WaitingTime.peildatum,
            WaitingTime.registration_weeks,
            WaitingTime.treatment_weeks,
            WaitingTime.waiting_list_size,
        )
        .where(WaitingTime.provider_id.in_(id_list))
        .order_by(WaitingTime.provider_id, WaitingTime.peildatum)
    ):
        waiting.setdefault(pid, []).append(WaitingPoint(*point))
    kpis: dict[int, list[KpiPoint]] = {}
    for pid, *kpi in session.execute(
        select(
            KpiMeasurement.provider_id,
            KpiMeasurement.period,
            KpiMeasurement.dropout_pct,
            KpiMeasurement.goal_attainment_pct,
            KpiMeasurement.satisfaction_pct,
            KpiMeasurement.n,
        )
        .where(KpiMeasurement.provider_id.in_(id_list))
        .order_by(KpiMeasurement.provider_id, KpiMeasurement.period)
    ):
        kpis.setdefault(pid, []).append(KpiPoint(*kpi))

    records: dict[int, ProviderRecord] = {}
    for row in session.execute(
        select(
            Provider.id,
            Provider.kvk,
            Provider.slug,
            Provider.name,
            Provider.description,
            Provider.website,
            Provider.phone,
            Provider.email,
            Provider.age_min,
            Provider.age_max,
            Provider.serves_region,
            Provider.is_demo,
        ).where(Provider.id.in_(id_list))
    ):
        pid = row.id
        mine = codes.get(pid, {})

        def of(kind: str, mine: dict[str, list[str]] = mine) -> tuple[str, ...]:
            return tuple(sorted(mine.get(kind, ())))

        records[pid] = ProviderRecord(
            kvk=row.kvk,
            slug=row.slug,
            name=row.name,
            description=row.description or "",
            website=row.website,
            phone=row.phone,
            email=row.email,
            age_min=row.age_min,
            age_max=row.age_max,
            serves_region=bool(row.serves_region),
            is_demo=bool(row.is_demo),
            laws=of("wet"),
            segments=of("segment"),
            expertise=of("expertise"),
            languages=of("taal"),
            registration_routes=of("aanmelding"),
            service_area=of("gebied"),
            arrangements=tuple(sorted(arrangements.get(pid, ()))),
            locations=tuple(locations.get(pid, ())),
            waiting_times=tuple(waiting.get(pid, ())),
            kpis=tuple(kpis.get(pid, ())),
        )
    return records


def get_provider(session: Session, kvk: str) -> ProviderRecord | None:
    pid = session.scalar(select(Provider.id).where(Provider.kvk == kvk))
    return None if pid is None else load_records(session, [pid]).get(pid)


def get_provider_by_slug(session: Session, slug: str) -> ProviderRecord | None:
    pid = session.scalar(select(Provider.id).where(Provider.slug == slug))
    return None if pid is None else load_records(session, [pid]).get(pid)


def demo_kvks(session: Session) -> list[str]:
    return list(session.scalars(select(Provider.kvk).where(Provider.is_demo.is_(True))))


def any_demo(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(Provider.is_demo.is_(True)))))


def provider_count(session: Session) -> int:
    return int(session.scalar(select(func.count(Provider.id))) or 0)


@dataclass(frozen=True)
class RegionalHistory:
    """Every provider's waiting-time and KPI history, for regional averages."""

    waiting: dict[int, list[WaitingPoint]]
    kpis: dict[int, list[KpiPoint]]


def regional_history(session: Session) -> RegionalHistory:
    waiting: dict[int, list[WaitingPoint]] = {}
    for row in session.execute(
        select(
            WaitingTime.provider_id,
            WaitingTime.peildatum,
            WaitingTime.registration_weeks,
            WaitingTime.treatment_weeks,
        ).order_by(WaitingTime.provider_id, WaitingTime.peildatum)
    ):
        waiting.setdefault(row[0], []).append(WaitingPoint(row[1], row[2], row[3]))
    kpis: dict[int, list[KpiPoint]] = {}
    for kpi_row in session.execute(
        select(
            KpiMeasurement.provider_id,
            KpiMeasurement.period,
            KpiMeasurement.dropout_pct,
            KpiMeasurement.goal_attainment_pct,
            KpiMeasurement.satisfaction_pct,
            KpiMeasurement.n,
        ).order_by(KpiMeasurement.provider_id, KpiMeasurement.period)
    ):
        pid, period, dropout, goal, satisfaction, n = kpi_row
        kpis.setdefault(pid, []).append(KpiPoint(period, dropout, goal, satisfaction, n))
    return RegionalHistory(waiting=waiting, kpis=kpis)
