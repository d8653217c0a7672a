"""Rule 10: the providers that fit an advice, ranked, each with its reasons.

Providers come in as `etalage.provider.ProviderRecord`s (in the app: read back from the
search service's documents; in tests and the benchmark: built directly). `ProviderIndex`
groups them once by (law, segment, profile, intensity) and by the municipality they
serve, so one advice only looks at the providers that can take it:

- contracted for the law and the segment, and in segment B/C for the profile and the
  intensity (the arrangement);
- serving the client's municipality, when known (werkgebied or the whole region);
- the client's age within the provider's age range, when both are known.

They are ranked by expertise match with the text (tags named in the text count double,
the profile's own tags once), then by waiting time (a stale or missing waiting time after
the known, fresh ones), then by distance from the client's postcode (PC4 centroid), then
by the outcome indicators (quality score, higher first); the name breaks the last ties.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from etalage.provider import Places, ProviderRecord, quality_score
from etalage.region.model import RegionPack

MISSING_WAIT = 10_000


@dataclass(frozen=True, slots=True)
class ProviderMatch:
    record: ProviderRecord
    reasons: tuple[str, ...]
    expertise: tuple[str, ...]  # matched tags
    distance_km: float | None
    wait_weeks: int | None
    wait_stale: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "kvk": self.record.kvk,
            "naam": self.record.name,
            "slug": self.record.slug,
            "reasons": list(self.reasons),
            "expertise": list(self.expertise),
            "wachttijd_weken": self.wait_weeks,
            "wachttijd_verouderd": self.wait_stale,
            "afstand_km": None if self.distance_km is None else round(self.distance_km, 1),
        }


@dataclass(frozen=True, slots=True)
class _Item:
    record: ProviderRecord
    tags: int  # expertise bit mask
    stale: bool  # waiting time missing or older than the pack's freshness
    wait_weeks: int | None  # latest total: registration + treatment
    peildatum: date | None
    wait: int  # wait_weeks, with a missing one last
    quality_score: float | None  # 0..100, None with too few observations
    quality: float  # quality_score, with a missing one last
    lat_rad: float | None
    lon_rad: float | None
    age_lo: int
    age_hi: int


@dataclass(frozen=True)
class Query:
    law: str
    segment: str
    profile: str | None = None
    intensity: str | None = None
    municipality: str | None = None
    age: int | None = None
    profile_tags: frozenset[str] = frozenset()
    text_tags: frozenset[str] = frozenset()
    origin: tuple[float, float] | None = None  # lat, lon of the client's postcode
    limit: int = 10


@dataclass
class MatchResult:
    matches: list[ProviderMatch] = field(default_factory=list)
    total: int = 0  # all providers that fit, before the limit


class ProviderIndex:
    """Providers grouped for rule 10; build once, query per advice."""

    def __init__(
        self, pack: RegionPack, records: Iterable[ProviderRecord], today: date | None = None
    ) -> None:
        self.pack = pack
        self.today = today or date.today()
        stale_before = self.today - timedelta(weeks=pack.freshness_weeks)
        self._bits: dict[str, int] = {t.code: 1 << i for i, t in enumerate(pack.expertise)}
        self._labels = {t.code: t.label for t in pack.expertise}
        self._places = Places.of(pack)
        municipalities = [m.code for m in pack.municipalities]
        groups: dict[tuple[str, str, str | None, str | None], list[_Item]] = defaultdict(list)
        self.size = 0
        for record in records:
            self.size += 1
            item = self._item(record, stale_before)
            segments = set(record.segments)
            for law in set(record.laws):
                if "A" in segments:
                    groups[(law, "A", None, None)].append(item)
                for seg in segments & {"B", "C"}:
                    for profile, intensity in set(record.arrangements):
                        prof = pack.profile(profile)
                        if prof is not None and prof.law == law:
                            groups[(law, seg, profile, intensity)].append(item)
        self._groups: dict[tuple[str, str, str | None, str | None], dict[str | None, list[_Item]]]
        self._groups = {}
        for key, items in groups.items():
            items.sort(
                key=lambda entry: (entry.stale, entry.wait, -entry.quality, entry.record.name)
            )
            by_area: dict[str | None, list[_Item]] = {None: items}
            for code in municipalities:
                by_area[code] = [i for i in items if i.record.serves(code)]
            self._groups[key] = by_area

    def _item(self, record: ProviderRecord, stale_before: date) -> _Item:
        mask = 0
        for tag in record.expertise:
            bit = self._bits.get(tag)
            if bit is None:
                bit = self._bits[tag] = 1 << len(self._bits)
            mask |= bit
        latest = record.latest_waiting
        wait_weeks = latest.total_weeks if latest else None
        peildatum = latest.peildatum if latest else None
        stale = wait_weeks is None or peildatum is None or peildatum < stale_before
        quality = quality_score(record.latest_kpi, self.pack.kpi_min_n)
        point = self._places.point(record.main_location)
        return _Item(
            record=record,
            tags=mask,
            stale=stale,
            wait_weeks=wait_weeks,
            peildatum=peildatum,
            wait=MISSING_WAIT if wait_weeks is None else wait_weeks,
            quality_score=quality,
            quality=-1.0 if quality is None else quality,
            lat_rad=None if point is None else math.radians(point[0]),
            lon_rad=None if point is None else math.radians(point[1]),
            age_lo=-1 if record.age_min is None else record.age_min,
            age_hi=1_000 if record.age_max is None else record.age_max,
        )

    def mask(self, tags: Iterable[str]) -> int:
        out = 0
        for tag in tags:
            out |= self._bits.get(tag, 0)
        return out

    def match(self, query: Query, mode: str = "inwoner") -> MatchResult:
        if query.segment == "A":
            key: tuple[str, str, str | None, str | None] = (query.law, "A", None, None)
        else:
            if query.profile is None or query.intensity is None:
                return MatchResult()
            key = (query.law, query.segment, query.profile, query.intensity)
        by_area = self._groups.get(key)
        if not by_area:
            return MatchResult()
        items = by_area.get(query.municipality) if query.municipality else by_area[None]
        if items is None:  # a municipality outside the pack: do not filter
            items = by_area[None]
        text_mask = self.mask(query.text_tags)
        profile_mask = self.mask(query.profile_tags) & ~text_mask
        age = query.age
        # Items are presorted by (stale, wait, -quality, name); bucket them by expertise
        # score, keeping that order, then order runs of equal waiting time by distance.
        buckets: dict[int, list[_Item]] = defaultdict(list)
        total = 0
        scoring = bool(text_mask or profile_mask)
        for item in items:
            if age is not None and not item.age_lo <= age <= item.age_hi:
                continue
            total += 1
            if scoring:
                score = (
                    2 * (item.tags & text_mask).bit_count() + (item.tags & profile_mask).bit_count()
                )
                buckets[score].append(item)
            else:
                buckets[0].append(item)
        chosen: list[tuple[_Item, float | None]] = []
        for score in sorted(buckets, reverse=True):
            run: list[_Item] = []
            for item in buckets[score]:
                if run and (item.stale, item.wait) != (run[0].stale, run[0].wait):
                    self._take(run, query.origin, chosen, query.limit)
                    run = []
                    if len(chosen) >= query.limit:
                        break
                run.append(item)
            if run and len(chosen) < query.limit:
                self._take(run, query.origin, chosen, query.limit)
            if len(chosen) >= query.limit:
                break
        matched_tags = query.text_tags | query.profile_tags
        matches = [self._explain(query, item, dist, matched_tags, mode) for item, dist in chosen]
        return MatchResult(matches=matches, total=total)

    @staticmethod
    def _take(
        run: list[_Item],
        origin: tuple[float, float] | None,
        chosen: list[tuple[_Item, float | None]],
        limit: int,
    ) -> None:
        """Add a run of equal (stale, wait) items, nearest first, up to the limit."""
        if origin is None:
            chosen.extend((item, None) for item in run[: limit - len(chosen)])
            return
        origin_lat, origin_lon = math.radians(origin[0]), math.radians(origin[1])
        cos_lat = math.cos(origin_lat)
        ranked: list[tuple[float, float, str, _Item, float | None]] = []
        for item in run:
            dist: float | None = None
            if item.lat_rad is not None and item.lon_rad is not None:
                delta_lon = (item.lon_rad - origin_lon) * cos_lat
                delta_lat = item.lat_rad - origin_lat
                dist = 6371.0 * math.sqrt(delta_lon * delta_lon + delta_lat * delta_lat)
            far = math.inf if dist is None else dist
            ranked.append((far, -item.quality, item.record.name, item, dist))
        for _, _, _, item, dist in heapq.nsmallest(
            limit - len(chosen), ranked, key=lambda entry: entry[:3]
        ):
            chosen.append((item, dist))

    def _explain(
        self,
        query: Query,
        item: _Item,
        dist: float | None,
        wanted: frozenset[str],
        mode: str,
    ) -> ProviderMatch:
        record = item.record
        pro = mode == "professional"
        reasons: list[str] = []
        if query.segment == "A":
            reasons.append(
                "vrij toegankelijk aanbod (segment A)"
                if pro
                else "u kunt hier zelf terecht, zonder besluit van de gemeente"
            )
        else:
            reasons.append(
                f"contract voor {query.profile} {query.intensity}"
                if pro
                else "heeft een contract voor deze hulp"
            )
        tags = sorted(
            (t for t in record.expertise if t in wanted),
            key=lambda tag: (tag not in query.text_tags, tag),
        )
        if tags:
            labels = [_label(self._labels.get(t, t)) for t in tags]
            reasons.append(("expertise " if pro else "heeft ervaring met ") + _join(labels))
        if item.wait_weeks is not None:
            weeks = "1 week" if item.wait_weeks == 1 else f"{item.wait_weeks} weken"
            line = f"wachttijd {weeks}" if pro else f"wachttijd ongeveer {weeks}"
            if item.stale and item.peildatum is not None:
                line += f" (gemeten op {item.peildatum:%d-%m-%Y}, mogelijk verouderd)"
            reasons.append(line)
        else:
            reasons.append("wachttijd onbekend")
        if dist is not None:
            distance_text = "minder dan 1 km" if dist < 1 else f"{round(dist)} km"
            reasons.append(distance_text if pro else f"{distance_text} van uw postcode")
        if item.quality_score is not None:
            reasons.append(
                f"kwaliteitsscore {item.quality_score:.0f}"
                if pro
                else f"resultaten bij eerdere cliënten: {item.quality_score:.0f} van 100"
            )
        return ProviderMatch(
            record=record,
            reasons=tuple(reasons),
            expertise=tuple(tags),
            distance_km=dist,
            wait_weeks=item.wait_weeks,
            wait_stale=item.stale and item.wait_weeks is not None,
        )


def _label(label: str) -> str:
    """ "Autisme" -> "autisme", but "ADHD en ADD" stays."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]
