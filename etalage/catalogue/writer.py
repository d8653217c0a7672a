"""Write validated provider records to the database.

`apply_records` is the one place that turns validated provider facts into rows. The
importer uses it; a provider portal can use it too. It never validates: callers hand it
records that already passed validation (codes known to the region pack, numbers in
range), and it runs inside the caller's transaction.

Rules:
- a new kvk creates a provider with a unique slug made from its name; a known kvk
  updates it (the slug stays, so links keep working; a demo provider stays marked as
  demo, so an export of the demo data imports again without a change);
- coded facts and arrangements of a given kind are replaced by the record's set (only
  the differences are written, so a re-import changes nothing that is already right);
- the main location (position 0) is replaced; other locations are left alone;
- waiting times and KPIs are history: a new peildatum or period adds a point, a known
  one updates that point, so importing the same file twice gives the same database;
- `fields` names what the record says something about. A field that is not named is
  left as it is on an existing provider (an import file without the `email` column
  does not wipe e-mail addresses). `None` means: everything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from etalage.db.models import (
    Arrangement,
    KpiMeasurement,
    Provider,
    ProviderCode,
    WaitingTime,
)
from etalage.db.models import Location as LocationRow
from etalage.provider import KpiPoint, Location, WaitingPoint

# The coded kinds an import sets directly; `gebied` is derived from the service area.
DIRECT_CODE_KINDS = ("wet", "segment", "expertise", "taal", "aanmelding")

# Field names for `ProviderChange.fields`.
FIELDS = frozenset(
    {
        "description",
        "website",
        "phone",
        "email",
        "referral",  # referral_zorgdomein and referral_note together
        "age",  # age_min and age_max together
        "arrangements",
        "location",  # the main location as a whole
        "service_area",  # serves_region and the `gebied` codes
        *DIRECT_CODE_KINDS,
    }
)

SLUG_MAX = 200


@dataclass(frozen=True)
class ProviderChange:
    """What one import row (or one edit) says about a provider: validated, and partial.

    Not a provider record (`etalage.provider.ProviderRecord`): a change names only the
    fields it sets (`fields`), holds one main location, the service area as given, and
    at most one new waiting-time and KPI point to add to the histories."""

    kvk: str
    name: str
    description: str = ""
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    referral_zorgdomein: bool | None = None
    referral_note: str = ""
    age_min: int | None = None
    age_max: int | None = None
    # kind -> codes, for the kinds in DIRECT_CODE_KINDS
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    arrangements: tuple[tuple[str, str], ...] = ()  # (profile, intensity)
    location: Location | None = None
    # Municipality codes served. `None`: only the municipality of the main location.
    service_area: tuple[str, ...] | None = None
    serves_region: bool = False
    waiting_time: WaitingPoint | None = None
    kpi: KpiPoint | None = None
    fields: frozenset[str] | None = None

    def says(self, name: str) -> bool:
        return self.fields is None or name in self.fields


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    provider_ids: list[int] = field(default_factory=list)
    # The providers written, in record order. While the caller holds them, a later
    # `apply_records` in the same session uses them without reading them again.
    providers: list[Provider] = field(default_factory=list)


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by '-'; 'provider' when nothing is left."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = slug[:SLUG_MAX].rstrip("-")
    return slug or "aanbieder"


def unique_slug(base: str, taken: set[str]) -> str:
    slug = base
    number = 2
    while slug in taken:
        suffix = f"-{number}"
        slug = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        number += 1
    taken.add(slug)
    return slug


def apply_records(
    session: Session, records: Sequence[ProviderChange], *, is_demo: bool = False
) -> ApplyResult:
    """Create or update providers from validated records, in the caller's transaction."""
    result = ApplyResult()
    if not records:
        return result
    kvks = [r.kvk for r in records]
    existing: dict[str, Provider] = {}
    # Providers this session already holds (an earlier batch in the same transaction)
    # are used as they are; only the others are read.
    wanted = set(kvks)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Provider) and obj.kvk in wanted:
            existing[obj.kvk] = obj
    missing = [k for k in dict.fromkeys(kvks) if k not in existing]
    for chunk in _chunks(missing, 500):
        for stored in session.scalars(select(Provider).where(Provider.kvk.in_(chunk))):
            existing[stored.kvk] = stored
    taken_slugs: set[str] | None = None

    touched: list[Provider] = []
    for rec in records:
        provider = existing.get(rec.kvk)
        if provider is None:
            if taken_slugs is None:
                taken_slugs = set(session.scalars(select(Provider.slug)))
            provider = Provider(
                kvk=rec.kvk,
                name=rec.name,
                slug=unique_slug(slugify(rec.name), taken_slugs),
                description="",
                serves_region=False,
                is_demo=is_demo,
            )
            session.add(provider)
            existing[rec.kvk] = provider
            result.created += 1
            _fill(provider, rec, is_new=True)
        else:
            result.updated += 1
            if is_demo:  # a demo provider stays marked as one (a re-import keeps it so)
                _set(provider, "is_demo", True)
            _fill(provider, rec, is_new=False)
        touched.append(provider)
    session.flush()
    result.provider_ids = [p.id for p in touched]
    result.providers = touched
    return result


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _set(obj: object, name: str, value: object) -> None:
    if getattr(obj, name) != value:
        setattr(obj, name, value)


def _fill(provider: Provider, rec: ProviderChange, *, is_new: bool) -> None:
    def says(name: str) -> bool:
        return is_new or rec.says(name)

    _set(provider, "name", rec.name)
    if says("description"):
        _set(provider, "description", rec.description or "")
    for attr in ("website", "phone", "email"):
        if says(attr):
            _set(provider, attr, getattr(rec, attr))
    if says("referral"):
        _set(provider, "referral_zorgdomein", rec.referral_zorgdomein)
        _set(provider, "referral_note", rec.referral_note or "")
    if says("age"):
        _set(provider, "age_min", rec.age_min)
        _set(provider, "age_max", rec.age_max)

    for kind in DIRECT_CODE_KINDS:
        if says(kind):
            _replace_codes(provider, kind, rec.codes.get(kind, ()))

    if says("arrangements"):
        wanted = set(rec.arrangements)
        for arrangement in list(provider.arrangements):
            if (arrangement.profile, arrangement.intensity) in wanted:
                wanted.discard((arrangement.profile, arrangement.intensity))
            else:
                provider.arrangements.remove(arrangement)
        for profile, intensity in sorted(wanted):
            provider.arrangements.append(Arrangement(profile=profile, intensity=intensity))

    if says("location"):
        _replace_main_location(provider, rec.location)

    if says("service_area"):
        _set(provider, "serves_region", rec.serves_region)
        if rec.service_area is not None:
            area: tuple[str, ...] = rec.service_area
        else:  # only the municipality of the main location
            main = provider.main_location
            area = (main.municipality,) if main and main.municipality else ()
        _replace_codes(provider, "gebied", area)

    if rec.waiting_time is not None:
        _upsert_waiting_time(provider, rec.waiting_time)
    if rec.kpi is not None:
        _upsert_kpi(provider, rec.kpi)


def _replace_codes(provider: Provider, kind: str, codes: Iterable[str]) -> None:
    wanted = set(codes)
    for provider_code in list(provider.codes):
        if provider_code.kind != kind:
            continue
        if provider_code.code in wanted:
            wanted.discard(provider_code.code)
        else:
            provider.codes.remove(provider_code)
    for code in sorted(wanted):
        provider.codes.append(ProviderCode(kind=kind, code=code))


def _replace_main_location(provider: Provider, loc: Location | None) -> None:
    main = next((x for x in provider.locations if x.position == 0), None)
    if loc is None:
        if main is not None:
            provider.locations.remove(main)
        return
    if main is None:
        main = LocationRow(position=0)
        provider.locations.insert(0, main)
    for attr in ("address", "postcode", "city", "municipality", "lat", "lon"):
        _set(main, attr, getattr(loc, attr))


def _upsert_waiting_time(provider: Provider, waiting_time: WaitingPoint) -> None:
    point = next((x for x in provider.waiting_times if x.peildatum == waiting_time.peildatum), None)
    if point is None:
        point = WaitingTime(peildatum=waiting_time.peildatum)
        provider.waiting_times.append(point)
        provider.waiting_times.sort(key=lambda row: row.peildatum)
    _set(point, "registration_weeks", waiting_time.registration_weeks)
    _set(point, "treatment_weeks", waiting_time.treatment_weeks)
    _set(point, "waiting_list_size", waiting_time.waiting_list_size)


def _upsert_kpi(provider: Provider, kpi: KpiPoint) -> None:
    point = next((x for x in provider.kpis if x.period == kpi.period), None)
    if point is None:
        point = KpiMeasurement(period=kpi.period, n=kpi.n)
        provider.kpis.append(point)
        provider.kpis.sort(key=lambda row: row.period)
    _set(point, "n", kpi.n)
    _set(point, "dropout_pct", kpi.dropout_pct)
    _set(point, "goal_attainment_pct", kpi.goal_attainment_pct)
    _set(point, "satisfaction_pct", kpi.satisfaction_pct)
