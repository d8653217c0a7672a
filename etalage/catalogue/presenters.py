"""Provider records and the JSON shapes of the public API (CONTRACTS.md §3).

Pure: plain data in (frozen dataclasses and the region pack), dicts out. The query
layer turns database rows into these records; `record_from_document` builds the same
record from a search document, so a search answer is presented without a database
round trip and with the same presenters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from etalage.region.model import RegionPack


@dataclass(frozen=True)
class WaitingPoint:
    """One waiting-time measurement."""

    peildatum: date
    registration_weeks: int | None
    treatment_weeks: int | None
    waiting_list_size: int | None = None

    @property
    def total_weeks(self) -> int | None:
        if self.registration_weeks is None and self.treatment_weeks is None:
            return None
        return (self.registration_weeks or 0) + (self.treatment_weeks or 0)


@dataclass(frozen=True)
class KpiPoint:
    """The three outcome indicators for one period, with the number of trajectories."""

    period: str
    dropout_pct: float | None
    goal_attainment_pct: float | None
    satisfaction_pct: float | None
    n: int


@dataclass(frozen=True)
class LocationRecord:
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    municipality: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class ProviderRecord:
    """Everything the etalage shows about one provider, as plain data."""

    kvk: str
    slug: str
    name: str
    description: str = ""
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    serves_region: bool = False
    is_demo: bool = False
    laws: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    expertise: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    registration_routes: tuple[str, ...] = ()
    service_area: tuple[str, ...] = ()  # municipality codes (`gebied`), empty = main location
    arrangements: tuple[tuple[str, str], ...] = ()  # (profile, intensity)
    locations: tuple[LocationRecord, ...] = ()  # first = main location
    waiting_times: tuple[WaitingPoint, ...] = ()  # oldest first
    kpis: tuple[KpiPoint, ...] = field(default=())  # oldest first

    @property
    def main_location(self) -> LocationRecord | None:
        return self.locations[0] if self.locations else None

    @property
    def gemeente(self) -> str | None:
        loc = self.main_location
        return loc.municipality if loc else None

    @property
    def latest_waiting(self) -> WaitingPoint | None:
        return self.waiting_times[-1] if self.waiting_times else None

    @property
    def latest_kpi(self) -> KpiPoint | None:
        return self.kpis[-1] if self.kpis else None

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(sorted({p for p, _ in self.arrangements}))

    @property
    def intensities(self) -> tuple[str, ...]:
        return tuple(sorted({i for _, i in self.arrangements}))


# ---------------------------------------------------------------------------- helpers


def is_stale(peildatum: date, today: date, freshness_weeks: int) -> bool:
    """A measurement is stale when it is older than the pack's freshness limit."""
    return today - peildatum > timedelta(weeks=freshness_weeks)


def served_municipalities(record: ProviderRecord, pack: RegionPack) -> tuple[str, ...]:
    """Municipality codes the provider serves: the whole region, its area, or its home."""
    if record.serves_region or "regio" in record.service_area:
        return tuple(m.code for m in pack.municipalities)
    if record.service_area:
        return tuple(sorted(set(record.service_area)))
    return (record.gemeente,) if record.gemeente else ()


_RANKS: dict[int, tuple[RegionPack, dict[str, int], dict[str, int]]] = {}


def _ranks(pack: RegionPack) -> tuple[dict[str, int], dict[str, int]]:
    """Profile and intensity order of a pack, computed once per pack (a hot path)."""
    found = _RANKS.get(id(pack))
    if found is None or found[0] is not pack:
        found = (
            pack,
            {p.code: i for i, p in enumerate(pack.profiles)},
            {x.code: i for i, x in enumerate(pack.intensities)},
        )
        if len(_RANKS) > 16:
            _RANKS.clear()
        _RANKS[id(pack)] = found
    return found[1], found[2]


def sorted_arrangements(
    arrangements: Iterable[tuple[str, str]], pack: RegionPack
) -> list[tuple[str, str]]:
    """Arrangements in pack order: by profile, then licht → midden → zwaar."""
    profile_rank, intensity_rank = _ranks(pack)
    return sorted(
        set(arrangements),
        key=lambda a: (profile_rank.get(a[0], 999), a[0], intensity_rank.get(a[1], 999), a[1]),
    )


def _round1(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


# ---------------------------------------------------------------------------- documents


def record_from_document(doc: Mapping[str, Any], *, is_demo: bool = False) -> ProviderRecord:
    """The record a search document describes (search_index.documents, as a hit holds it).

    A document holds the latest waiting time and KPI only, so the histories have one
    point each; it holds no street address, and open age bounds (0 and 120) read as
    no bound. KPI percentages resting on too few trajectories are not in the index:
    they come back as `None`, flagged by `kpi_json`.
    """
    waiting: tuple[WaitingPoint, ...] = ()
    if doc.get("wachttijd_peildatum"):
        waiting = (
            WaitingPoint(
                peildatum=date.fromisoformat(doc["wachttijd_peildatum"]),
                registration_weeks=doc.get("wachttijd_aanmelden_weken"),
                treatment_weeks=doc.get("wachttijd_behandeling_weken"),
                waiting_list_size=doc.get("wachtlijst_aantal"),
            ),
        )
    kpis: tuple[KpiPoint, ...] = ()
    if doc.get("kpi_periode") is not None:
        kpis = (
            KpiPoint(
                period=doc["kpi_periode"],
                dropout_pct=doc.get("kpi_uitval_pct"),
                goal_attainment_pct=doc.get("kpi_doelrealisatie_pct"),
                satisfaction_pct=doc.get("kpi_tevredenheid_pct"),
                n=int(doc.get("kpi_n") or 0),
            ),
        )
    geo = doc.get("_geo") or {}
    gemeente, plaats = doc.get("gemeente"), doc.get("plaats")
    locations = (
        (
            LocationRecord(
                city=plaats, municipality=gemeente, lat=geo.get("lat"), lon=geo.get("lng")
            ),
        )
        if gemeente or plaats
        else ()
    )
    age_min, age_max = doc.get("leeftijd_min"), doc.get("leeftijd_max")
    regio = bool(doc.get("regio"))
    return ProviderRecord(
        kvk=doc["kvk"],
        slug=doc["slug"],
        name=doc["naam"],
        description=doc.get("omschrijving") or "",
        website=doc.get("website"),
        phone=doc.get("telefoon"),
        email=doc.get("email"),
        age_min=age_min or None,
        age_max=None if age_max is None or age_max >= 120 else age_max,
        serves_region=regio,
        is_demo=is_demo,
        laws=tuple(doc.get("wetten") or ()),
        segments=tuple(doc.get("segmenten") or ()),
        expertise=tuple(doc.get("expertise") or ()),
        languages=tuple(doc.get("talen") or ()),
        registration_routes=tuple(doc.get("aanmelding") or ()),
        service_area=("regio",) if regio else tuple(doc.get("werkgebied") or ()),
        arrangements=tuple(
            (p, i) for p, _, i in (a.partition(":") for a in doc.get("arrangementen") or ())
        ),
        locations=locations,
        waiting_times=waiting,
        kpis=kpis,
    )


# ---------------------------------------------------------------------------- JSON shapes


def waiting_json(
    point: WaitingPoint | None, today: date, freshness_weeks: int
) -> dict[str, Any] | None:
    if point is None:
        return None
    return {
        "aanmelden_weken": point.registration_weeks,
        "behandeling_weken": point.treatment_weeks,
        "peildatum": point.peildatum.isoformat(),
        "verouderd": is_stale(point.peildatum, today, freshness_weeks),
    }


def waiting_history_json(point: WaitingPoint, today: date, freshness_weeks: int) -> dict[str, Any]:
    """One measurement of the history: the contract's waiting-time object plus the
    size of the waiting list."""
    out = waiting_json(point, today, freshness_weeks) or {}
    out["wachtlijst_aantal"] = point.waiting_list_size
    return out


def kpi_json(point: KpiPoint | None, kpi_min_n: int) -> dict[str, Any] | None:
    """The KPI object. With a small n (below the pack's kpi_min_n) the percentages are
    `null` and `te_weinig_waarnemingen` is true: too few observations, never shown as
    a precise percentage (DOMAIN.md), in search results and in the detail alike."""
    if point is None:
        return None
    too_few = point.n < kpi_min_n
    out: dict[str, Any] = {
        "uitval_pct": None if too_few else _round1(point.dropout_pct),
        "doelrealisatie_pct": None if too_few else _round1(point.goal_attainment_pct),
        "tevredenheid_pct": None if too_few else _round1(point.satisfaction_pct),
        "n": point.n,
        "periode": point.period,
    }
    if too_few:
        out["te_weinig_waarnemingen"] = True
    return out


def provider_summary(
    record: ProviderRecord,
    pack: RegionPack,
    today: date,
    afstand_km: float | None = None,
) -> dict[str, Any]:
    """One search result, exactly the fields of the contract, in its order."""
    return {
        "kvk": record.kvk,
        "slug": record.slug,
        "naam": record.name,
        "gemeente": record.gemeente,
        "wetten": list(record.laws),
        "segmenten": list(record.segments),
        "arrangementen": [f"{p}:{i}" for p, i in sorted_arrangements(record.arrangements, pack)],
        "expertise": list(record.expertise),
        "wachttijd": waiting_json(record.latest_waiting, today, pack.freshness_weeks),
        "kpi": kpi_json(record.latest_kpi, pack.kpi_min_n),
        "afstand_km": _round1(afstand_km),
    }


def provider_detail(record: ProviderRecord, pack: RegionPack, today: date) -> dict[str, Any]:
    """The full provider for `GET /api/v1/providers/{kvk}`: summary fields plus all facts
    and the waiting-time and KPI histories (oldest first)."""
    out = provider_summary(record, pack, today)
    del out["afstand_km"]
    out.update(
        {
            "omschrijving": record.description,
            "website": record.website,
            "telefoon": record.phone,
            "email": record.email,
            "leeftijd_min": record.age_min,
            "leeftijd_max": record.age_max,
            "talen": list(record.languages),
            "aanmelding": list(record.registration_routes),
            "werkgebied": ["regio"]
            if record.serves_region
            else list(served_municipalities(record, pack)),
            "locaties": [
                {
                    "adres": loc.address,
                    "postcode": loc.postcode,
                    "plaats": loc.city,
                    "gemeente": loc.municipality,
                }
                for loc in record.locations
            ],
            "wachttijd_historie": [
                waiting_history_json(p, today, pack.freshness_weeks) for p in record.waiting_times
            ],
            "kpi_historie": [kpi_json(k, pack.kpi_min_n) for k in record.kpis],
            "demo": record.is_demo,
        }
    )
    return out


def search_json(
    *,
    total: int,
    page: int,
    per_page: int,
    backend: str,
    results: Sequence[dict[str, Any]],
    facets: dict[str, dict[str, int]],
) -> dict[str, Any]:
    return {
        "total": total,
        "page": page,
        "per_page": per_page,
        "backend": backend,
        "results": list(results),
        "facets": facets,
    }
