"""Rule 10: the providers that fit an advice, ranked, each with its reasons.

Providers come in as plain `ProviderRecord`s (from the database, a search document via
`ProviderRecord.from_document`, or the benchmark). `ProviderIndex` groups them once by
(law, segment, profile, intensity) and by the municipality they serve, so one advice only
looks at the providers that can take it:

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from etalage.region.model import RegionPack

MISSING_WAIT = 10_000


@dataclass(frozen=True, slots=True)
class ProviderRecord:
    """What rule 10 needs to know about one provider."""

    kvk: str
    naam: str
    slug: str
    wetten: frozenset[str]
    segmenten: frozenset[str]
    arrangementen: frozenset[tuple[str, str]] = frozenset()  # (profile, intensity)
    expertise: frozenset[str] = frozenset()
    werkgebied: frozenset[str] = frozenset()  # municipality codes served
    serves_region: bool = False
    gemeente: str | None = None  # municipality of the main location
    age_min: int | None = None
    age_max: int | None = None
    wait_weeks: int | None = None  # latest total: registration + treatment
    wait_peildatum: date | None = None
    lat: float | None = None
    lon: float | None = None
    quality: float | None = None  # 0..100, None with too few observations

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> ProviderRecord:
        """A record from a search document (search_index.documents)."""
        arrangements = set()
        for item in doc.get("arrangementen") or ():
            profile, _, intensity = str(item).partition(":")
            if profile and intensity:
                arrangements.add((profile, intensity))
        geo = doc.get("_geo") or {}
        peildatum = doc.get("wachttijd_peildatum")
        return cls(
            kvk=str(doc["kvk"]),
            naam=str(doc["naam"]),
            slug=str(doc.get("slug") or doc["kvk"]),
            wetten=frozenset(doc.get("wetten") or ()),
            segmenten=frozenset(doc.get("segmenten") or ()),
            arrangementen=frozenset(arrangements),
            expertise=frozenset(doc.get("expertise") or ()),
            werkgebied=frozenset(doc.get("werkgebied") or ()),
            serves_region=bool(doc.get("regio")),
            gemeente=doc.get("gemeente"),
            age_min=doc.get("leeftijd_min"),
            age_max=doc.get("leeftijd_max"),
            wait_weeks=doc.get("wachttijd_totaal_weken"),
            wait_peildatum=date.fromisoformat(peildatum) if peildatum else None,
            lat=geo.get("lat"),
            lon=geo.get("lng"),
            quality=doc.get("kwaliteit"),
        )


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
            "naam": self.record.naam,
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
    wait: int
    quality: float
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
        municipalities = [m.code for m in pack.municipalities]
        groups: dict[tuple[str, str, str | None, str | None], list[_Item]] = defaultdict(list)
        self.size = 0
        for r in records:
            self.size += 1
            item = self._item(r, stale_before)
            for law in r.wetten:
                if "A" in r.segmenten:
                    groups[(law, "A", None, None)].append(item)
                for seg in r.segmenten & {"B", "C"}:
                    for profile, intensity in r.arrangementen:
                        prof = pack.profile(profile)
                        if prof is not None and prof.law == law:
                            groups[(law, seg, profile, intensity)].append(item)
        self._groups: dict[tuple[str, str, str | None, str | None], dict[str | None, list[_Item]]]
        self._groups = {}
        for key, items in groups.items():
            items.sort(key=lambda i: (i.stale, i.wait, -i.quality, i.record.naam))
            by_area: dict[str | None, list[_Item]] = {None: items}
            for code in municipalities:
                by_area[code] = [i for i in items if _serves(i.record, code)]
            self._groups[key] = by_area

    def _item(self, r: ProviderRecord, stale_before: date) -> _Item:
        mask = 0
        for tag in r.expertise:
            bit = self._bits.get(tag)
            if bit is None:
                bit = self._bits[tag] = 1 << len(self._bits)
            mask |= bit
        stale = r.wait_weeks is None or r.wait_peildatum is None or r.wait_peildatum < stale_before
        return _Item(
            record=r,
            tags=mask,
            stale=stale,
            wait=MISSING_WAIT if r.wait_weeks is None else r.wait_weeks,
            quality=-1.0 if r.quality is None else r.quality,
            lat_rad=None if r.lat is None else math.radians(r.lat),
            lon_rad=None if r.lon is None else math.radians(r.lon),
            age_lo=-1 if r.age_min is None else r.age_min,
            age_hi=1_000 if r.age_max is None else r.age_max,
        )

    def mask(self, tags: Iterable[str]) -> int:
        out = 0
        for t in tags:
            out |= self._bits.get(t, 0)
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
        for it in items:
            if age is not None and not it.age_lo <= age <= it.age_hi:
                continue
            total += 1
            if scoring:
                score = 2 * (it.tags & text_mask).bit_count() + (it.tags & profile_mask).bit_count()
                buckets[score].append(it)
            else:
                buckets[0].append(it)
        chosen: list[tuple[_Item, float | None]] = []
        for score in sorted(buckets, reverse=True):
            run: list[_Item] = []
            for it in buckets[score]:
                if run and (it.stale, it.wait) != (run[0].stale, run[0].wait):
                    self._take(run, query.origin, chosen, query.limit)
                    run = []
                    if len(chosen) >= query.limit:
                        break
                run.append(it)
            if run and len(chosen) < query.limit:
                self._take(run, query.origin, chosen, query.limit)
            if len(chosen) >= query.limit:
                break
        matched_tags = query.text_tags | query.profile_tags
        matches = [self._explain(query, it, dist, matched_tags, mode) for it, dist in chosen]
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
            chosen.extend((it, None) for it in run[: limit - len(chosen)])
            return
        o_lat, o_lon = math.radians(origin[0]), math.radians(origin[1])
        cos_lat = math.cos(o_lat)
        ranked: list[tuple[float, float, str, _Item, float | None]] = []
        for it in run:
            dist: float | None = None
            if it.lat_rad is not None and it.lon_rad is not None:
                dx = (it.lon_rad - o_lon) * cos_lat
                dy = it.lat_rad - o_lat
                dist = 6371.0 * math.sqrt(dx * dx + dy * dy)
            far = math.inf if dist is None else dist
            ranked.append((far, -it.quality, it.record.naam, it, dist))
        for _, _, _, it, dist in heapq.nsmallest(limit - len(chosen), ranked, key=lambda x: x[:3]):
            chosen.append((it, dist))

    def _explain(
        self,
        query: Query,
        it: _Item,
        dist: float | None,
        wanted: frozenset[str],
        mode: str,
    ) -> ProviderMatch:
        r = it.record
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
            (t for t in r.expertise if t in wanted),
            key=lambda t: (t not in query.text_tags, t),
        )
        if tags:
            labels = [_label(self._labels.get(t, t)) for t in tags]
            reasons.append(("expertise " if pro else "heeft ervaring met ") + _join(labels))
        if r.wait_weeks is not None:
            weeks = "1 week" if r.wait_weeks == 1 else f"{r.wait_weeks} weken"
            line = f"wachttijd {weeks}" if pro else f"wachttijd ongeveer {weeks}"
            if it.stale and r.wait_peildatum is not None:
                line += f" (gemeten op {r.wait_peildatum:%d-%m-%Y}, mogelijk verouderd)"
            reasons.append(line)
        else:
            reasons.append("wachttijd onbekend")
        if dist is not None:
            km = "minder dan 1 km" if dist < 1 else f"{round(dist)} km"
            reasons.append(km if pro else f"{km} van uw postcode")
        if r.quality is not None:
            reasons.append(
                f"kwaliteitsscore {r.quality:.0f}"
                if pro
                else f"resultaten bij eerdere cliënten: {r.quality:.0f} van 100"
            )
        return ProviderMatch(
            record=r,
            reasons=tuple(reasons),
            expertise=tuple(tags),
            distance_km=dist,
            wait_weeks=r.wait_weeks,
            wait_stale=it.stale and r.wait_weeks is not None,
        )


def _serves(r: ProviderRecord, municipality: str) -> bool:
    if r.serves_region or municipality in r.werkgebied:
        return True
    return not r.werkgebied and r.gemeente == municipality


def _label(label: str) -> str:
    """ "Autisme" -> "autisme", but "ADHD en ADD" stays."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]
