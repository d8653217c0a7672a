"""Which providers' figures are stale: no waiting time at all, or one last measured or
confirmed more than the pack's `freshness_weeks` ago. Used by the portal (a reminder at
login), beheer (the list of stale providers) and `etalage reminders send`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from etalage.provider import ProviderRecord, is_stale
from etalage.region.model import RegionPack


def stale_since(record: ProviderRecord, pack: RegionPack) -> date | None:
    """The day the figures were last right (None: never given); see `is_stale_record`."""
    latest = record.latest_waiting
    return latest.checked_on if latest else None


def is_stale_record(record: ProviderRecord, pack: RegionPack, today: date) -> bool:
    latest = record.latest_waiting
    return latest is None or is_stale(latest.checked_on, today, pack.freshness_weeks)


def stale_kvks(records: Iterable[ProviderRecord], pack: RegionPack, today: date) -> set[str]:
    return {r.kvk for r in records if is_stale_record(r, pack, today)}
