"""The provider: one record type for everything the etalage knows about a provider.

Pure: no database, no web framework. The reader (`etalage.catalogue.reader`) builds
records from the database, `search_index.documents` builds a search document from a
record and reads one back into a record, and the presenters, the HTML views and the
assistant's provider matching all take records. The importer's partial write is a
different thing (a change, `etalage.catalogue.writer.ProviderChange`) that reuses the
parts defined here.

Codes are the region pack's (docs/region-pack.md); field names are English, Dutch
stays at the edges (API keys, import columns, pages).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from etalage.region.model import RegionPack

# A provider whose service area is this code serves every municipality of the pack.
WHOLE_REGION = "regio"


@dataclass(frozen=True, slots=True)
class Location:
    """A place where the provider works; the first of a record is its main location."""

    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    municipality: str | None = None  # pack code
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class WaitingPoint:
    """One waiting-time measurement, in weeks, on its reference date (peildatum)."""

    peildatum: date
    registration_weeks: int | None = None  # aanmeldwachttijd: registration to intake
    treatment_weeks: int | None = None  # behandelwachttijd: intake to the start of help
    waiting_list_size: int | None = None
    # The day the provider confirmed these figures unchanged ("klopt nog"), if later.
    confirmed_on: date | None = None

    @property
    def checked_on(self) -> date:
        """The day these figures were last known to be right: measured or confirmed.
        Freshness is judged by this day (a confirmation is not a new measurement)."""
        if self.confirmed_on is not None and self.confirmed_on > self.peildatum:
            return self.confirmed_on
        return self.peildatum

    @property
    def total_weeks(self) -> int | None:
        if self.registration_weeks is None and self.treatment_weeks is None:
            return None
        return (self.registration_weeks or 0) + (self.treatment_weeks or 0)


@dataclass(frozen=True, slots=True)
class KpiPoint:
    """The three outcome indicators of one period, with the number of trajectories."""

    period: str  # "2025" or "2025-H1"
    n: int
    dropout_pct: float | None = None  # uitval
    goal_attainment_pct: float | None = None  # doelrealisatie
    satisfaction_pct: float | None = None  # cliënttevredenheid


CAPACITY_STATUSES = ("plek", "wachtlijst", "aanmeldstop", "eerst_screening")


@dataclass(frozen=True, slots=True)
class Capacity:
    """Whether the provider takes new clients (the HL7 SDOH capacity statuses)."""

    status: str  # one of CAPACITY_STATUSES
    note: str = ""  # toelichting
    until: date | None = None  # geldig_tot: after this day the status no longer holds
    since: date | None = None

    def holds_on(self, today: date) -> bool:
        return self.until is None or today <= self.until


@dataclass(frozen=True)
class ProviderRecord:
    """Everything the etalage shows about one provider, as plain data."""

    kvk: str
    slug: str
    name: str
    description: str = ""
    website: str | None = None
    # How a GP refers (docs/import-format.md#referral): through ZorgDomein (None:
    # not said), and what the referral must contain.
    referral_zorgdomein: bool | None = None
    referral_note: str = ""
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
    # Municipality codes served besides the whole region; empty: the main location's.
    service_area: tuple[str, ...] = ()
    arrangements: tuple[tuple[str, str], ...] = ()  # (profile, intensity)
    locations: tuple[Location, ...] = ()  # first = main location
    waiting_times: tuple[WaitingPoint, ...] = ()  # oldest first
    kpis: tuple[KpiPoint, ...] = field(default=())  # oldest first
    capacity: Capacity | None = None

    def capacity_on(self, today: date) -> Capacity | None:
        """The capacity status that holds today (None past its end date)."""
        return self.capacity if self.capacity and self.capacity.holds_on(today) else None

    @property
    def main_location(self) -> Location | None:
        return self.locations[0] if self.locations else None

    @property
    def municipality(self) -> str | None:
        """The municipality of the main location."""
        main = self.main_location
        return main.municipality if main else None

    @property
    def latest_waiting(self) -> WaitingPoint | None:
        return self.waiting_times[-1] if self.waiting_times else None

    @property
    def latest_kpi(self) -> KpiPoint | None:
        return self.kpis[-1] if self.kpis else None

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(sorted({profile for profile, _ in self.arrangements}))

    @property
    def intensities(self) -> tuple[str, ...]:
        return tuple(sorted({intensity for _, intensity in self.arrangements}))

    def served_municipalities(self, all_municipalities: Iterable[str]) -> tuple[str, ...]:
        """Municipality codes served: the whole region, the service area, or home."""
        if self.serves_region:
            return tuple(all_municipalities)
        if self.service_area:
            return tuple(sorted(set(self.service_area)))
        return (self.municipality,) if self.municipality else ()

    def serves(self, municipality: str) -> bool:
        if self.serves_region or municipality in self.service_area:
            return True
        return not self.service_area and self.municipality == municipality


def is_stale(peildatum: date, today: date, freshness_weeks: int) -> bool:
    """A measurement is stale when it is older than the pack's freshness limit."""
    return today - peildatum > timedelta(weeks=freshness_weeks)


def quality_score(kpi: KpiPoint | None, min_n: int) -> float | None:
    """An explainable quality score (0..100) for sorting, or None.

    The mean of the available indicators, each oriented so that higher is better:
    doelrealisatie, tevredenheid and (100 - uitval). None without indicators or when
    they rest on fewer than `min_n` trajectories: small numbers say too little.
    """
    if kpi is None or kpi.n < min_n:
        return None
    parts = [
        value
        for value in (
            kpi.goal_attainment_pct,
            kpi.satisfaction_pct,
            None if kpi.dropout_pct is None else 100.0 - kpi.dropout_pct,
        )
        if value is not None
    ]
    if not parts:
        return None
    return round(sum(parts) / len(parts), 1)


@dataclass(frozen=True)
class Places:
    """Where a location lies, from the pack: its own coordinates, else the centroid of
    its PC4 postcode area, else that of its municipality."""

    postcodes: Mapping[str, tuple[float, float]]
    municipalities: Mapping[str, tuple[float, float]]

    @classmethod
    def of(cls, pack: RegionPack) -> Places:
        return cls(
            postcodes={
                area.pc4: (area.lat, area.lon)
                for municipality in pack.municipalities
                for area in municipality.postcodes
            },
            municipalities={m.code: (m.lat, m.lon) for m in pack.municipalities},
        )

    def point(self, location: Location | None) -> tuple[float, float] | None:
        if location is None:
            return None
        if location.lat is not None and location.lon is not None:
            return (float(location.lat), float(location.lon))
        if location.postcode:
            found = self.postcodes.get(location.postcode.replace(" ", "")[:4])
            if found is not None:
                return found
        if location.municipality:
            return self.municipalities.get(location.municipality)
        return None
