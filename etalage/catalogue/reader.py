"""Read providers from the database as `ProviderRecord`s: the one reader.

The provider page and the API read one provider with its histories; the search index
reads every provider (or the changed ones) with the latest measurements only. Both go
through `read_records`, which uses one plain SELECT per table and no ORM objects: at
10,000 providers that is about ten times faster than loading them through the ORM,
which matters at start-up. `read_histories` reads the same waiting-time and KPI rows
for every provider, for the regional averages on a provider page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from etalage.db.models import (
    Arrangement,
    KpiMeasurement,
    Location,
    Provider,
    ProviderCode,
    WaitingTime,
)
from etalage.provider import (
    WHOLE_REGION,
    Capacity,
    KpiPoint,
    ProviderRecord,
    WaitingPoint,
)
from etalage.provider import Location as LocationPart

_PROVIDER = Provider.__table__
_PROVIDER_COLUMNS = (
    "id", "kvk", "slug", "name", "description", "website", "phone", "email",
    "referral_zorgdomein", "referral_note", "age_min", "age_max", "serves_region", "is_demo",
    "confirmed_on", "capacity_status", "capacity_note", "capacity_until", "capacity_since",
)  # fmt: skip
_LOCATION_COLUMNS = ("address", "postcode", "city", "municipality", "lat", "lon")
_WAITING_COLUMNS = ("peildatum", "registration_weeks", "treatment_weeks", "waiting_list_size")
_KPI_COLUMNS = ("period", "n", "dropout_pct", "goal_attainment_pct", "satisfaction_pct")


def _rows_by_provider(
    session: Session,
    model: Any,
    columns: Sequence[str],
    order: Sequence[str] = (),
    provider_ids: Sequence[int] | None = None,
) -> dict[int, list[Any]]:
    """The rows of a child table, grouped by provider id, in `order` (then insertion)."""
    table = model.__table__
    query: Select[Any] = select(table.c.provider_id, *(table.c[c] for c in columns)).order_by(
        table.c.provider_id, *(table.c[c] for c in order), table.c.id
    )
    if provider_ids is not None:
        query = query.where(table.c.provider_id.in_(list(provider_ids)))
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(query).all():
        grouped[row[0]].append(row)
    return grouped


def _waiting_points(
    session: Session, provider_ids: Sequence[int] | None
) -> dict[int, list[WaitingPoint]]:
    rows = _rows_by_provider(session, WaitingTime, _WAITING_COLUMNS, ["peildatum"], provider_ids)
    return {
        pid: [WaitingPoint(*row[1:]) for row in provider_rows]
        for pid, provider_rows in rows.items()
    }


def _kpi_points(session: Session, provider_ids: Sequence[int] | None) -> dict[int, list[KpiPoint]]:
    rows = _rows_by_provider(session, KpiMeasurement, _KPI_COLUMNS, ["period"], provider_ids)
    return {
        pid: [KpiPoint(*row[1:]) for row in provider_rows] for pid, provider_rows in rows.items()
    }


def read_records(
    session: Session,
    kvks: Sequence[str] | None = None,
    *,
    history: bool = True,
) -> list[ProviderRecord]:
    """Every provider (or those with these KvK numbers) as records, ordered by KvK.

    With `history` the records hold every waiting-time and KPI point (oldest first);
    without, only the latest of each, as the search index needs.
    """
    query = select(*(_PROVIDER.c[c] for c in _PROVIDER_COLUMNS)).order_by(_PROVIDER.c.kvk)
    if kvks is not None:
        if not kvks:
            return []
        query = query.where(_PROVIDER.c.kvk.in_(list(kvks)))
    providers = session.execute(query).all()
    if not providers:
        return []
    # Reading a whole table is faster than a long IN list when every provider is wanted.
    ids = None if kvks is None else [row.id for row in providers]
    codes = _rows_by_provider(session, ProviderCode, ("kind", "code"), provider_ids=ids)
    arrangements = _rows_by_provider(
        session, Arrangement, ("profile", "intensity"), provider_ids=ids
    )
    locations = _rows_by_provider(session, Location, _LOCATION_COLUMNS, ["position"], ids)
    waiting = _waiting_points(session, ids)
    kpis = _kpi_points(session, ids)

    def points(found: dict[int, list[Any]], pid: int) -> tuple[Any, ...]:
        mine = found.get(pid, ())
        return tuple(mine) if history else tuple(mine[-1:])

    def waiting_of(row: Any) -> tuple[WaitingPoint, ...]:
        mine = points(waiting, row.id)
        if mine and row.confirmed_on is not None:
            mine = (*mine[:-1], replace(mine[-1], confirmed_on=row.confirmed_on))
        return mine

    records = []
    for row in providers:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for code_row in codes.get(row.id, ()):
            by_kind[code_row.kind].append(code_row.code)

        def codes_of(kind: str, by_kind: dict[str, list[str]] = by_kind) -> tuple[str, ...]:
            return tuple(sorted(by_kind.get(kind, ())))

        area = codes_of("gebied")
        records.append(
            ProviderRecord(
                kvk=row.kvk,
                slug=row.slug,
                name=row.name,
                description=row.description or "",
                website=row.website,
                referral_zorgdomein=row.referral_zorgdomein,
                referral_note=row.referral_note or "",
                phone=row.phone,
                email=row.email,
                age_min=row.age_min,
                age_max=row.age_max,
                serves_region=bool(row.serves_region) or WHOLE_REGION in area,
                is_demo=bool(row.is_demo),
                laws=codes_of("wet"),
                segments=codes_of("segment"),
                expertise=codes_of("expertise"),
                languages=codes_of("taal"),
                registration_routes=codes_of("aanmelding"),
                service_area=tuple(code for code in area if code != WHOLE_REGION),
                arrangements=tuple(
                    sorted((a.profile, a.intensity) for a in arrangements.get(row.id, ()))
                ),
                locations=tuple(LocationPart(*loc[1:]) for loc in locations.get(row.id, ())),
                waiting_times=waiting_of(row),
                kpis=points(kpis, row.id),
                capacity=Capacity(
                    status=row.capacity_status,
                    note=row.capacity_note or "",
                    until=row.capacity_until,
                    since=row.capacity_since,
                )
                if row.capacity_status
                else None,
            )
        )
    return records


def read_record(
    session: Session, *, kvk: str | None = None, slug: str | None = None
) -> ProviderRecord | None:
    """One provider with its histories, by KvK number or by slug; None when unknown."""
    if slug is not None:
        kvk = session.scalar(select(Provider.kvk).where(Provider.slug == slug))
    if kvk is None:
        return None
    found = read_records(session, [kvk])
    return found[0] if found else None


@dataclass(frozen=True)
class Histories:
    """Every provider's waiting-time and KPI history, for regional averages."""

    waiting: dict[int, list[WaitingPoint]]
    kpis: dict[int, list[KpiPoint]]


def read_histories(session: Session) -> Histories:
    return Histories(waiting=_waiting_points(session, None), kpis=_kpi_points(session, None))


def demo_kvks(session: Session) -> list[str]:
    return list(session.scalars(select(Provider.kvk).where(Provider.is_demo.is_(True))))


def any_demo(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(Provider.is_demo.is_(True)))))


def provider_count(session: Session) -> int:
    return int(session.scalar(select(func.count(Provider.id))) or 0)


def modified_times(session: Session) -> dict[str, datetime]:
    """When each provider last changed, in UTC, by KvK number."""
    out = {}
    for kvk, updated in session.execute(select(_PROVIDER.c.kvk, _PROVIDER.c.updated_at)):
        if updated is not None and updated.tzinfo is None:
            updated = updated.replace(tzinfo=UTC)
        out[kvk] = updated
    return out
