"""The JSON shapes of the public API (docs/http-api.md) for provider records.

Pure: plain data in (`etalage.provider` records and the region pack), dicts out. The
reader builds records from the database and `search_index.documents.record_from_document`
from a search hit, so a search answer is presented without a database round trip and
with the same presenters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Literal

from etalage.catalogue.schemas import (
    Capaciteit,
    Kpi,
    Locatie,
    ProviderDetail,
    ProviderSearchResponse,
    ProviderSummary,
    Verwijzing,
    Wachttijd,
    WachttijdMeting,
)
from etalage.provider import (
    WHOLE_REGION,
    Capacity,
    KpiPoint,
    ProviderRecord,
    WaitingPoint,
    is_stale,
)
from etalage.region.model import RegionPack


def municipality_codes(pack: RegionPack) -> tuple[str, ...]:
    return tuple(m.code for m in pack.municipalities)


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
        key=lambda pair: (
            profile_rank.get(pair[0], 999),
            pair[0],
            intensity_rank.get(pair[1], 999),
            pair[1],
        ),
    )


def _round1(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def waiting_json(point: WaitingPoint | None, today: date, freshness_weeks: int) -> Wachttijd | None:
    if point is None:
        return None
    return Wachttijd(
        aanmelden_weken=point.registration_weeks,
        behandeling_weken=point.treatment_weeks,
        peildatum=point.peildatum.isoformat(),
        verouderd=is_stale(point.checked_on, today, freshness_weeks),
        bevestigd_op=point.checked_on.isoformat(),
    )


def waiting_history_json(point: WaitingPoint, today: date, freshness_weeks: int) -> WachttijdMeting:
    """One measurement of the history: the contract's waiting-time object plus the
    size of the waiting list."""
    return WachttijdMeting(
        aanmelden_weken=point.registration_weeks,
        behandeling_weken=point.treatment_weeks,
        peildatum=point.peildatum.isoformat(),
        verouderd=is_stale(point.checked_on, today, freshness_weeks),
        bevestigd_op=point.checked_on.isoformat(),
        wachtlijst_aantal=point.waiting_list_size,
    )


def capacity_json(capacity: Capacity | None) -> Capaciteit | None:
    """The capacity status that holds today, or None (none given, or past geldig_tot)."""
    if capacity is None:
        return None
    return Capaciteit(
        status=capacity.status,  # type: ignore[arg-type]
        toelichting=capacity.note,
        geldig_tot=capacity.until.isoformat() if capacity.until else None,
        sinds=capacity.since.isoformat() if capacity.since else None,
    )


def kpi_json(point: KpiPoint | None, kpi_min_n: int) -> Kpi | None:
    """The KPI object. With a small n (below the pack's kpi_min_n) the percentages are
    `null` and `te_weinig_waarnemingen` is true: too few observations, never shown as
    a precise percentage (docs/domain.md), in search results and in the detail alike."""
    if point is None:
        return None
    too_few = point.n < kpi_min_n
    return Kpi(
        uitval_pct=None if too_few else _round1(point.dropout_pct),
        doelrealisatie_pct=None if too_few else _round1(point.goal_attainment_pct),
        tevredenheid_pct=None if too_few else _round1(point.satisfaction_pct),
        n=point.n,
        periode=point.period,
        te_weinig_waarnemingen=too_few,
    )


def _facts(record: ProviderRecord, pack: RegionPack, today: date) -> dict[str, Any]:
    """The fields a search result and the full provider share, in the contract's order."""
    return {
        "kvk": record.kvk,
        "slug": record.slug,
        "naam": record.name,
        "gemeente": record.municipality,
        "wetten": list(record.laws),
        "segmenten": list(record.segments),
        "arrangementen": [f"{p}:{i}" for p, i in sorted_arrangements(record.arrangements, pack)],
        "expertise": list(record.expertise),
        "wachttijd": waiting_json(record.latest_waiting, today, pack.freshness_weeks),
        "capaciteit": capacity_json(record.capacity_on(today)),
        "kpi": kpi_json(record.latest_kpi, pack.kpi_min_n),
    }


def provider_summary(
    record: ProviderRecord,
    pack: RegionPack,
    today: date,
    afstand_km: float | None = None,
) -> ProviderSummary:
    """One search result, exactly the fields of the contract, in its order."""
    return ProviderSummary(**_facts(record, pack, today), afstand_km=_round1(afstand_km))


def provider_detail(record: ProviderRecord, pack: RegionPack, today: date) -> ProviderDetail:
    """The full provider for `GET /api/v1/providers/{kvk}`: summary fields plus all facts
    and the waiting-time and KPI histories (oldest first)."""
    freshness = pack.freshness_weeks
    return ProviderDetail(
        **_facts(record, pack, today),
        omschrijving=record.description,
        website=record.website,
        telefoon=record.phone,
        email=record.email,
        leeftijd_min=record.age_min,
        leeftijd_max=record.age_max,
        talen=list(record.languages),
        aanmelding=list(record.registration_routes),
        verwijzing=Verwijzing(zorgdomein=record.referral_zorgdomein, inhoud=record.referral_note),
        werkgebied=[WHOLE_REGION]
        if record.serves_region
        else list(record.served_municipalities(municipality_codes(pack))),
        locaties=[
            Locatie(
                adres=location.address,
                postcode=location.postcode,
                plaats=location.city,
                gemeente=location.municipality,
            )
            for location in record.locations
        ],
        wachttijd_historie=[
            waiting_history_json(point, today, freshness) for point in record.waiting_times
        ],
        kpi_historie=[kpi for kpi in (kpi_json(k, pack.kpi_min_n) for k in record.kpis) if kpi],
        demo=record.is_demo,
    )


def search_json(
    *,
    total: int,
    page: int,
    per_page: int,
    backend: Literal["meilisearch", "embedded"],
    results: Sequence[ProviderSummary],
    facets: dict[str, dict[str, int]],
) -> ProviderSearchResponse:
    return ProviderSearchResponse(
        total=total,
        page=page,
        per_page=per_page,
        backend=backend,
        results=list(results),
        facets=facets,
    )
