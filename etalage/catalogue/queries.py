"""Read side of the catalogue: filter, sort, facet and page providers from the database.

Filtering is plain SQL (the search issue replaces this engine, not the pages that call
it). Distance, sorting and facets are computed in Python over the filtered set, which
stays small (one region: a few hundred providers at most). Input is a validated
`ProviderFilters`; output is plain records from `presenters`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, case, exists, func, null, or_, select
from sqlalchemy.orm import Session, aliased

from etalage.catalogue.presenters import (
    KpiPoint,
    LocationRecord,
    ProviderRecord,
    WaitingPoint,
    is_stale,
    served_municipalities,
)
from etalage.db.models import (
    Arrangement,
    KpiMeasurement,
    Location,
    Provider,
    ProviderCode,
    WaitingTime,
)
from etalage.region.model import RegionPack

SORTS = ("relevance", "wachttijd", "afstand", "kwaliteit", "naam")
FACET_KINDS = ("gemeente", "wet", "segment", "profiel", "intensiteit", "expertise", "taal")
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


@dataclass(frozen=True)
class ProviderHit:
    record: ProviderRecord
    afstand_km: float | None = None
    score: int = 0


@dataclass(frozen=True)
class ProviderPage:
    total: int
    page: int
    per_page: int
    items: list[ProviderHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


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


# ---------------------------------------------------------------------------- geometry


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def location_point(record: ProviderRecord, pack: RegionPack) -> tuple[float, float] | None:
    """Coordinates of the main location: its own, else its PC4 centroid, else the
    centroid of its municipality."""
    loc = record.main_location
    if loc is None:
        return None
    if loc.lat is not None and loc.lon is not None:
        return (loc.lat, loc.lon)
    if loc.postcode:
        centroid = pack.postcode_centroid(loc.postcode.replace(" ", "")[:4])
        if centroid:
            return centroid
    if loc.municipality:
        m = pack.municipality(loc.municipality)
        if m:
            return (m.lat, m.lon)
    return None


# ---------------------------------------------------------------------------- filtering


def _has_code(kind: str, codes: Sequence[str]) -> ColumnElement[bool]:
    return exists().where(
        ProviderCode.provider_id == Provider.id,
        ProviderCode.kind == kind,
        ProviderCode.code.in_(list(codes)),
    )


def _latest_total_weeks() -> ColumnElement[int | None]:
    """Total waiting time of the provider's latest measurement (NULL when unknown)."""
    w = aliased(WaitingTime)
    total = case(
        (and_(w.registration_weeks.is_(None), w.treatment_weeks.is_(None)), null()),
        else_=func.coalesce(w.registration_weeks, 0) + func.coalesce(w.treatment_weeks, 0),
    )
    return (
        select(total)
        .where(w.provider_id == Provider.id)
        .order_by(w.peildatum.desc())
        .limit(1)
        .correlate(Provider)
        .scalar_subquery()
    )


def matching_expertise(q: str, pack: RegionPack) -> list[str]:
    needle = q.casefold()
    return [
        t.code
        for t in pack.expertise
        if any(needle in s.casefold() for s in (t.code, t.label, *t.synonyms))
    ]


def _conditions(f: ProviderFilters, pack: RegionPack) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.gemeente:
        home = aliased(Location)
        first = aliased(Location)
        main_position = (
            select(func.min(first.position))
            .where(first.provider_id == Provider.id)
            .correlate(Provider)
            .scalar_subquery()
        )
        lives_there = exists().where(
            home.provider_id == Provider.id,
            home.position == main_position,
            home.municipality == f.gemeente,
        )
        conds.append(
            or_(
                Provider.serves_region.is_(True),
                _has_code("gebied", [f.gemeente, "regio"]),
                and_(
                    ~exists().where(
                        ProviderCode.provider_id == Provider.id, ProviderCode.kind == "gebied"
                    ),
                    lives_there,
                ),
            )
        )
    if f.wet:
        conds.append(_has_code("wet", [f.wet]))
    if f.segment:
        conds.append(_has_code("segment", [f.segment]))
    if f.taal:
        conds.append(_has_code("taal", [f.taal]))
    for tag in f.expertise:
        conds.append(_has_code("expertise", [tag]))
    if f.profiel or f.intensiteit:
        arr = [Arrangement.provider_id == Provider.id]
        if f.profiel:
            arr.append(Arrangement.profile == f.profiel)
        if f.intensiteit:
            arr.append(Arrangement.intensity == f.intensiteit)
        conds.append(exists().where(*arr))
    if f.leeftijd is not None:
        conds.append(or_(Provider.age_min.is_(None), Provider.age_min <= f.leeftijd))
        conds.append(or_(Provider.age_max.is_(None), Provider.age_max >= f.leeftijd))
    if f.max_wachttijd_weken is not None:
        conds.append(_latest_total_weeks() <= f.max_wachttijd_weken)
    if f.q:
        text_match = [
            Provider.name.icontains(f.q, autoescape=True),
            Provider.description.icontains(f.q, autoescape=True),
        ]
        tags = matching_expertise(f.q, pack)
        if tags:
            text_match.append(_has_code("expertise", tags))
        conds.append(or_(*text_match))
    return conds


# ---------------------------------------------------------------------------- ranking


def relevance(record: ProviderRecord, q: str | None, pack: RegionPack) -> int:
    if not q:
        return 0
    needle = q.casefold()
    score = 0
    if needle in record.name.casefold():
        score += 3
    if set(matching_expertise(q, pack)) & set(record.expertise):
        score += 2
    if needle in record.description.casefold():
        score += 1
    return score


def quality_score(kpi: KpiPoint | None, kpi_min_n: int) -> float | None:
    """Mean of goal attainment, satisfaction and (100 - drop-out); None when unreliable."""
    if kpi is None or kpi.n < kpi_min_n:
        return None
    parts = [
        v
        for v in (
            kpi.goal_attainment_pct,
            kpi.satisfaction_pct,
            None if kpi.dropout_pct is None else 100.0 - kpi.dropout_pct,
        )
        if v is not None
    ]
    return sum(parts) / len(parts) if parts else None


def _sort_key(sort: str, pack: RegionPack, today: date):  # type: ignore[no-untyped-def]
    def name(h: ProviderHit) -> tuple[str, str]:
        return (h.record.name.casefold(), h.record.kvk)

    if sort == "naam":
        return name
    if sort == "relevance":
        return lambda h: (-h.score, *name(h))
    if sort == "afstand":
        return lambda h: (h.afstand_km is None, h.afstand_km or 0.0, *name(h))
    if sort == "wachttijd":

        def waiting(h: ProviderHit) -> tuple[bool, bool, int, str, str]:
            w = h.record.latest_waiting
            total = w.total_weeks if w else None
            if w is None or total is None:
                return (True, True, 0, *name(h))
            # Fresh figures first: an old "2 weeks" must not top the list.
            return (False, is_stale(w.peildatum, today, pack.freshness_weeks), total, *name(h))

        return waiting
    if sort == "kwaliteit":

        def quality(h: ProviderHit) -> tuple[bool, float, str, str]:
            s = quality_score(h.record.latest_kpi, pack.kpi_min_n)
            return (s is None, -(s or 0.0), *name(h))

        return quality
    raise ValueError(f"unknown sort {sort!r}")


# ---------------------------------------------------------------------------- facets


def compute_facets(
    records: Sequence[ProviderRecord], pack: RegionPack
) -> dict[str, dict[str, int]]:
    """Provider counts per code, over the given (filtered) records, in pack order."""
    counts: dict[str, dict[str, int]] = {kind: {} for kind in FACET_KINDS}

    def add(kind: str, codes: Sequence[str]) -> None:
        for code in set(codes):
            counts[kind][code] = counts[kind].get(code, 0) + 1

    for r in records:
        add("gemeente", served_municipalities(r, pack))
        add("wet", r.laws)
        add("segment", r.segments)
        add("profiel", r.profiles)
        add("intensiteit", r.intensities)
        add("expertise", r.expertise)
        add("taal", r.languages)

    order = {
        "gemeente": [m.code for m in pack.municipalities],
        "wet": [x.code for x in pack.laws],
        "segment": [x.code for x in pack.segments],
        "profiel": [x.code for x in pack.profiles],
        "intensiteit": [x.code for x in pack.intensities],
        "expertise": [x.code for x in pack.expertise],
        "taal": list(pack.languages),
    }
    out: dict[str, dict[str, int]] = {}
    for kind, found in counts.items():
        known = [c for c in order[kind] if c in found]
        rest = sorted(c for c in found if c not in order[kind])
        out[kind] = {c: found[c] for c in (*known, *rest)}
    return out


# ---------------------------------------------------------------------------- services


def search_providers(
    session: Session, pack: RegionPack, filters: ProviderFilters, today: date
) -> ProviderPage:
    ids = session.scalars(select(Provider.id).where(*_conditions(filters, pack))).all()
    records = list(load_records(session, ids).values())

    origin = pack.postcode_centroid(filters.pc4) if filters.pc4 else None
    hits: list[ProviderHit] = []
    for r in records:
        distance = None
        if origin is not None:
            point = location_point(r, pack)
            distance = haversine_km(origin, point) if point else None
        if filters.afstand_km is not None and (distance is None or distance > filters.afstand_km):
            continue
        hits.append(ProviderHit(record=r, afstand_km=distance, score=relevance(r, filters.q, pack)))

    hits.sort(key=_sort_key(filters.sort, pack, today))
    start = (filters.page - 1) * filters.per_page
    return ProviderPage(
        total=len(hits),
        page=filters.page,
        per_page=filters.per_page,
        items=hits[start : start + filters.per_page],
        facets=compute_facets([h.record for h in hits], pack),
    )


def get_provider(session: Session, kvk: str) -> ProviderRecord | None:
    pid = session.scalar(select(Provider.id).where(Provider.kvk == kvk))
    return None if pid is None else load_records(session, [pid]).get(pid)


def get_provider_by_slug(session: Session, slug: str) -> ProviderRecord | None:
    pid = session.scalar(select(Provider.id).where(Provider.slug == slug))
    return None if pid is None else load_records(session, [pid]).get(pid)


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
