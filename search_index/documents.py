"""Search documents: one flat dict per provider, built from a `ProviderRecord`.

Pure: no database session, no web framework. `DocumentBuilder.build` makes a document
from a record (`etalage.provider`) and `record_from_document`, next to it, reads one
back, so the presenters build the API result (docs/http-api.md) from a hit's document
without a database round trip and the assistant matches providers on the same records.
Both search backends index exactly these dicts.

Field reference (every key is always present; unknown values are `None`):

- identity: `id` (= kvk), `kvk`, `slug`, `naam`, `naam_sort` (folded, for sorting),
  `omschrijving`, `website`, `telefoon`, `email`, `verwijzing_zorgdomein` (a GP refers
  through ZorgDomein: true, false or None when not said), `verwijzing_inhoud` (what a
  referral must contain)
- place: `gemeente` (code of the main location), `gemeente_naam`, `plaats`,
  `plaatsen` (place and municipality names of all locations, for text search),
  `werkgebied` (municipality codes served; all of them when the provider serves the
  whole region), `regio` (bool), `_geo` ({"lat", "lng"} of the main location, or of
  its postcode/municipality centroid; absent when unknown)
- offer: `wetten`, `segmenten`, `arrangementen` ("J4:licht"), `profielen`,
  `profiel_namen`, `intensiteiten`, `expertise` (codes), `expertise_labels`,
  `expertise_termen` (labels and synonyms, for text search), `talen`, `taal_namen`,
  `aanmelding`, `leeftijd_min` / `leeftijd_max` (open bounds as 0 / 120)
- waiting time (latest measurement): `wachttijd_aanmelden_weken`,
  `wachttijd_behandeling_weken`, `wachttijd_totaal_weken`, `wachttijd_peildatum`
  (ISO date), `wachttijd_verouderd` (older than the pack's freshness_weeks on the day
  the document was built: recompute with `is_stale` when showing it), `wachtlijst_aantal`,
  `wachttijd_sorteer` (the waiting-time sort: fresh first, see `waiting_sort_key`),
  `wachttijd_bevestigd_op` (the day the figures were last measured or confirmed
  unchanged; staleness is judged by it)
- capacity: `capaciteit_status` (plek, wachtlijst, aanmeldstop, eerst_screening or
  `None`), `capaciteit_toelichting`, `capaciteit_geldig_tot`, `capaciteit_sinds`
- outcome indicators (latest period): `kpi_periode`, `kpi_n`, `kpi_te_weinig` (n below
  the pack's kpi_min_n: the percentages are then `None`, never shown as precise),
  `kpi_uitval_pct`, `kpi_doelrealisatie_pct`, `kpi_tevredenheid_pct`
- `kwaliteit`: quality score 0..100 for sorting, see `quality_score`; `None` when
  there are too few observations
- `zwaarte`: how heavy the help is for an ordinary referral, for ranking (see
  `heaviness`): 0 fits one (segment A, or an arrangement at a lighter intensity), 1
  offers arrangements only at a heavy intensity, 2 offers none of the ordinary segments
- `samenstellingen`: known parts of Dutch compound words in the texts
  ("gezinsbegeleiding" -> "begeleiding"), so a search for a part finds the whole
- `facetten`: every facet value as "name:value", see `facet_values`
- `hash`: a digest of everything above; index and database agree when their
  `documents_checksum` agree
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import msgspec

from etalage.provider import (
    Capacity,
    KpiPoint,
    Location,
    Places,
    ProviderRecord,
    WaitingPoint,
    is_stale,
    quality_score,
)
from etalage.region.model import RegionPack
from search_index.text import clean_text, fold, words

SearchDocument = dict[str, Any]


def heaviness(record: ProviderRecord, pack: RegionPack) -> int:
    """0: fits an ordinary referral; 1: arrangements only at a heavy intensity; 2: none
    of the ordinary segments (docs/region-pack.md#search-fit). Without a `search_fit`
    in the pack, or without known segments, every provider is 0."""
    fit = pack.search_fit
    segments = set(record.segments)
    if not fit.ordinary_segments or not segments:
        return 0
    ordinary = segments.intersection(fit.ordinary_segments)
    if not ordinary:
        return 2
    free = {x.code for x in pack.segments if not x.needs_arrangement}
    if ordinary & free or not record.arrangements:
        return 0
    heavy = set(fit.heavy_intensities)
    return 0 if any(i not in heavy for _, i in record.arrangements) else 1


# Facet name in the API -> document attribute.
FACETS: dict[str, str] = {
    "gemeente": "werkgebied",
    "wet": "wetten",
    "segment": "segmenten",
    "profiel": "profielen",
    "intensiteit": "intensiteiten",
    "expertise": "expertise",
    "taal": "talen",
}
FACET_SEPARATOR = ":"


def facet_values(doc: Mapping[str, Any]) -> list[str]:
    """Every facet value of a document in one list, as "name:value" ("gemeente:hoorn").

    Meilisearch counts facets per document and per attribute; one combined attribute
    costs it one look-up per candidate instead of seven (measured: facet-heavy queries
    take about a third less time). `split_facet_values` turns the counts back."""
    out: list[str] = []
    for name, attribute in FACETS.items():
        value = doc.get(attribute)
        values = value if isinstance(value, list) else ([] if value is None else [value])
        out.extend(f"{name}{FACET_SEPARATOR}{v}" for v in values)
    return out


def split_facet_values(counts: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """The counts of `facet_values` per facet name, values in alphabetical order."""
    out: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for combined, count in counts.items():
        name, _, value = combined.partition(FACET_SEPARATOR)
        if name in out and count:
            out[name][value] = int(count)
    return {name: dict(sorted(values.items())) for name, values in out.items()}


AGE_OPEN_MIN = 0
AGE_OPEN_MAX = 120

# Common parts of Dutch care words; the pack's own labels and synonyms are added.
_BASE_COMPOUND_PARTS = (
    "begeleiding",
    "behandeling",
    "hulp",
    "zorg",
    "therapie",
    "ondersteuning",
    "training",
    "coaching",
    "wonen",
    "opvang",
    "dagbesteding",
    "thuis",
    "gezin",
    "jeugd",
    "ouder",
    "ouders",
    "kind",
    "kinderen",
    "jongeren",
    "volwassenen",
    "groep",
    "traject",
    "problematiek",
    "stoornis",
    "beperking",
    "letsel",
    "verslaving",
    "zorgboerderij",
    "advies",
    "diagnostiek",
    "herstel",
    "crisis",
    "werk",
    "school",
    "hersen",
    "opvoed",
    "opvoeding",
    "gedrag",
    "trauma",
    "angst",
    "autisme",
    "dementie",
    "geheugen",
)
# Link letters between the parts of a compound: "gezin-s-begeleiding".
_LINKS = ("s", "e", "en")


STALE_SORT_OFFSET = 1000  # weeks: more than any real waiting time (at most 2 x 104)


def waiting_sort_key(waiting: WaitingPoint | None, today: date, freshness_weeks: int) -> int | None:
    """The waiting-time sort: fresh figures by total weeks, then stale figures by total
    weeks (a stale "1 week" must not top the list), then unknown (None: last)."""
    total = waiting.total_weeks if waiting else None
    if waiting is None or total is None:
        return None
    return total + (
        STALE_SORT_OFFSET if is_stale(waiting.checked_on, today, freshness_weeks) else 0
    )


def _sorted_unique(values: Iterable[str]) -> list[str]:
    return sorted({v for v in values if v})


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


class DocumentBuilder:
    """Builds search documents with the labels, synonyms and thresholds of one pack."""

    def __init__(self, pack: RegionPack) -> None:
        self.pack = pack
        self._municipalities = {m.code: m for m in pack.municipalities}
        self._all_municipalities = sorted(self._municipalities)
        self._expertise = {t.code: t for t in pack.expertise}
        self._profiles = {p.code: p for p in pack.profiles}
        self._places = Places.of(pack)
        parts: set[str] = {fold(p) for p in _BASE_COMPOUND_PARTS}
        for tag in pack.expertise:
            for text in (tag.label, *tag.synonyms):
                parts.update(w for w in words(text) if len(w) >= 4)
        for profile in pack.profiles:
            parts.update(w for w in words(profile.name) if len(w) >= 4)
        self._compound_parts = frozenset(parts)
        self._part_cache: dict[str, tuple[str, ...]] = {}
        # Per expertise tag, computed once: its cleaned label and synonyms (for text
        # search), their words, and the compound parts of those words. Every document
        # with the tag repeats them; building them per document was a third of the time.
        self._expertise_text: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]]
        self._expertise_text = {}
        for tag in pack.expertise:
            terms = frozenset(
                term for term in (clean_text(t) for t in (tag.label, *tag.synonyms)) if term
            )
            term_words = frozenset(word for term in terms for word in words(term))
            term_parts = frozenset(
                part for word in term_words for part in self._parts_of_word(word)
            )
            self._expertise_text[tag.code] = (terms, term_words, term_parts)

    # ---- pieces ---------------------------------------------------------------------

    def _geo(self, main: Location | None) -> dict[str, float] | None:
        point = self._places.point(main)
        return None if point is None else {"lat": point[0], "lng": point[1]}

    def _parts_of_word(self, word: str) -> tuple[str, ...]:
        """Known parts of one compound word ("gezinsbegeleiding" -> gezin, begeleiding)."""
        cached = self._part_cache.get(word)
        if cached is not None:
            return cached
        found: list[str] = []
        parts = self._compound_parts
        if len(word) >= 7:
            for split_at in range(3, len(word) - 3):
                tail = word[split_at:]
                if tail not in parts:
                    continue
                found.append(tail)
                head = word[:split_at]
                for candidate in (head, *(head[: -len(k)] for k in _LINKS if head.endswith(k))):
                    if len(candidate) >= 3 and candidate in parts:
                        found.append(candidate)
                break  # the longest known tail is enough
        result = tuple(found)
        if len(self._part_cache) < 200_000:
            self._part_cache[word] = result
        return result

    # ---- the document ---------------------------------------------------------------

    def build(self, record: ProviderRecord, today: date | None = None) -> SearchDocument:
        """The document of a record (its latest waiting time and KPI point)."""
        today = today or date.today()
        pack = self.pack
        main = record.main_location
        gemeente = main.municipality if main and main.municipality else None
        if record.serves_region:
            werkgebied = list(self._all_municipalities)
        else:
            werkgebied = _sorted_unique(record.service_area)
            if not werkgebied and gemeente:
                werkgebied = [gemeente]
        arrangementen = sorted({f"{p}:{i}" for p, i in record.arrangements})
        profielen = _sorted_unique(p for p, _ in record.arrangements)
        intensiteiten = _sorted_unique(i for _, i in record.arrangements)
        expertise = _sorted_unique(record.expertise)
        expertise_labels = [
            self._expertise[c].label if c in self._expertise else c for c in expertise
        ]
        terms: set[str] = set()
        term_words: set[str] = set()
        term_parts: set[str] = set()
        for code in expertise:
            known = self._expertise_text.get(code)
            if known is not None:
                terms |= known[0]
                term_words |= known[1]
                term_parts |= known[2]
        expertise_termen = sorted(terms)
        profiel_namen = [self._profiles[p].name if p in self._profiles else p for p in profielen]
        talen = _sorted_unique(record.languages)
        plaatsen = _sorted_unique(
            clean_text(name)
            for loc in record.locations
            for name in (
                loc.city or "",
                self._municipalities[loc.municipality].name
                if loc.municipality in self._municipalities
                else "",
            )
        )
        naam = clean_text(record.name)
        omschrijving = clean_text(record.description)

        waiting = record.latest_waiting
        capacity = record.capacity
        kpi = record.latest_kpi
        too_few = kpi is not None and kpi.n < pack.kpi_min_n
        own_words = [*words(naam), *words(omschrijving)]
        text_words = term_words.union(own_words)
        found_parts = set(term_parts)
        for word in own_words:
            found_parts.update(self._parts_of_word(word))
        samenstellingen = sorted(found_parts - text_words)
        doc: SearchDocument = {
            "id": record.kvk,
            "kvk": record.kvk,
            "slug": record.slug,
            "naam": naam,
            "naam_sort": " ".join(words(naam)),
            "omschrijving": omschrijving,
            "website": record.website,
            "verwijzing_zorgdomein": record.referral_zorgdomein,
            "verwijzing_inhoud": clean_text(record.referral_note),
            "telefoon": record.phone,
            "email": record.email,
            "gemeente": gemeente,
            "gemeente_naam": self._municipalities[gemeente].name
            if gemeente in self._municipalities
            else None,
            "plaats": main.city if main else None,
            "plaatsen": plaatsen,
            "werkgebied": werkgebied,
            "regio": bool(record.serves_region),
            "wetten": _sorted_unique(record.laws),
            "segmenten": _sorted_unique(record.segments),
            "arrangementen": arrangementen,
            "profielen": profielen,
            "profiel_namen": profiel_namen,
            "intensiteiten": intensiteiten,
            "expertise": expertise,
            "expertise_labels": expertise_labels,
            "expertise_termen": expertise_termen,
            "talen": talen,
            "taal_namen": [pack.languages.get(t, t) for t in talen],
            "aanmelding": _sorted_unique(record.registration_routes),
            "leeftijd_min": AGE_OPEN_MIN if record.age_min is None else record.age_min,
            "leeftijd_max": AGE_OPEN_MAX if record.age_max is None else record.age_max,
            "wachttijd_aanmelden_weken": waiting.registration_weeks if waiting else None,
            "wachttijd_behandeling_weken": waiting.treatment_weeks if waiting else None,
            "wachttijd_totaal_weken": waiting.total_weeks if waiting else None,
            "wachttijd_peildatum": waiting.peildatum.isoformat() if waiting else None,
            "wachttijd_bevestigd_op": waiting.checked_on.isoformat() if waiting else None,
            "wachttijd_verouderd": is_stale(waiting.checked_on, today, pack.freshness_weeks)
            if waiting
            else False,
            "wachtlijst_aantal": waiting.waiting_list_size if waiting else None,
            "wachttijd_sorteer": waiting_sort_key(waiting, today, pack.freshness_weeks),
            "capaciteit_status": capacity.status if capacity else None,
            "capaciteit_toelichting": clean_text(capacity.note) if capacity else None,
            "capaciteit_geldig_tot": capacity.until.isoformat()
            if capacity and capacity.until
            else None,
            "capaciteit_sinds": capacity.since.isoformat() if capacity and capacity.since else None,
            "kpi_periode": kpi.period if kpi else None,
            "kpi_n": kpi.n if kpi else None,
            "kpi_te_weinig": too_few,
            "kpi_uitval_pct": None if kpi is None or too_few else _round(kpi.dropout_pct),
            "kpi_doelrealisatie_pct": None
            if kpi is None or too_few
            else _round(kpi.goal_attainment_pct),
            "kpi_tevredenheid_pct": None
            if kpi is None or too_few
            else _round(kpi.satisfaction_pct),
            "kwaliteit": quality_score(kpi, pack.kpi_min_n),
            "zwaarte": heaviness(record, pack),
            "samenstellingen": samenstellingen,
        }
        doc["facetten"] = facet_values(doc)
        geo = self._geo(main)
        if geo is not None:
            doc["_geo"] = geo
        doc["hash"] = document_hash(doc)
        return doc


# Every key of a document, in build order ("_geo" only when the place is known).
DOCUMENT_FIELDS: tuple[str, ...] = (
    "id",
    "kvk",
    "slug",
    "naam",
    "naam_sort",
    "omschrijving",
    "website",
    "verwijzing_zorgdomein",
    "verwijzing_inhoud",
    "telefoon",
    "email",
    "gemeente",
    "gemeente_naam",
    "plaats",
    "plaatsen",
    "werkgebied",
    "regio",
    "wetten",
    "segmenten",
    "arrangementen",
    "profielen",
    "profiel_namen",
    "intensiteiten",
    "expertise",
    "expertise_labels",
    "expertise_termen",
    "talen",
    "taal_namen",
    "aanmelding",
    "leeftijd_min",
    "leeftijd_max",
    "wachttijd_aanmelden_weken",
    "wachttijd_behandeling_weken",
    "wachttijd_totaal_weken",
    "wachttijd_peildatum",
    "wachttijd_bevestigd_op",
    "wachttijd_verouderd",
    "wachtlijst_aantal",
    "wachttijd_sorteer",
    "capaciteit_status",
    "capaciteit_toelichting",
    "capaciteit_geldig_tot",
    "capaciteit_sinds",
    "kpi_periode",
    "kpi_n",
    "kpi_te_weinig",
    "kpi_uitval_pct",
    "kpi_doelrealisatie_pct",
    "kpi_tevredenheid_pct",
    "kwaliteit",
    "zwaarte",
    "samenstellingen",
    "facetten",
    "_geo",
    "hash",
)

# The hash covers everything but itself, the staleness too: when a waiting time goes
# stale, its document changes (its sort key does), and the daily reload's drift check
# sends it to Meilisearch.
_VOLATILE = frozenset({"hash"})
_ENCODER = msgspec.json.Encoder(order="sorted")


def document_hash(doc: Mapping[str, Any]) -> str:
    """A digest of the document's content: compact JSON with sorted keys. msgspec writes
    the same bytes as `json.dumps(sort_keys=True, ensure_ascii=False, separators=(",",
    ":"))` for every value a document holds (a test holds them to it), several times
    faster; only floats in exponent form would differ, and documents have none."""
    stable = {key: value for key, value in doc.items() if key not in _VOLATILE}
    return hashlib.sha256(_ENCODER.encode(stable)).hexdigest()[:32]


def checksum_of(pairs: Iterable[tuple[str, str]]) -> str:
    """One digest over (id, hash) pairs, independent of their order."""
    digest = hashlib.sha256()
    for doc_id, doc_hash in sorted(pairs):
        digest.update(f"{doc_id}:{doc_hash}\n".encode())
    return digest.hexdigest()


def documents_checksum(docs: Iterable[Mapping[str, Any]]) -> str:
    """The checksum `SearchBackend.stats()` reports for an index holding these docs."""
    return checksum_of((str(d["id"]), str(d["hash"])) for d in docs)


def build_document(
    record: ProviderRecord, pack: RegionPack, today: date | None = None
) -> SearchDocument:
    """Convenience for one document; use a `DocumentBuilder` for many."""
    return DocumentBuilder(pack).build(record, today)


def record_from_document(doc: Mapping[str, Any], *, is_demo: bool = False) -> ProviderRecord:
    """The record a search document describes: `DocumentBuilder.build` read back.

    A document holds the latest waiting time and KPI only, so the histories have one
    point each; it holds no street address, and open age bounds (0 and 120) read as
    no bound. KPI percentages resting on too few trajectories are not in the index:
    they come back as `None`. The main location carries the document's coordinates
    (`_geo`), which may be a postcode or municipality centroid.
    """
    waiting: tuple[WaitingPoint, ...] = ()
    if doc.get("wachttijd_peildatum"):
        confirmed = doc.get("wachttijd_bevestigd_op")
        waiting = (
            WaitingPoint(
                peildatum=date.fromisoformat(doc["wachttijd_peildatum"]),
                confirmed_on=date.fromisoformat(confirmed) if confirmed else None,
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
                n=int(doc.get("kpi_n") or 0),
                dropout_pct=doc.get("kpi_uitval_pct"),
                goal_attainment_pct=doc.get("kpi_doelrealisatie_pct"),
                satisfaction_pct=doc.get("kpi_tevredenheid_pct"),
            ),
        )
    geo = doc.get("_geo") or {}
    municipality, city = doc.get("gemeente"), doc.get("plaats")
    locations = (
        (Location(city=city, municipality=municipality, lat=geo.get("lat"), lon=geo.get("lng")),)
        if municipality or city
        else ()
    )
    age_min, age_max = doc.get("leeftijd_min"), doc.get("leeftijd_max")
    serves_region = bool(doc.get("regio"))
    return ProviderRecord(
        kvk=doc["kvk"],
        slug=doc["slug"],
        name=doc["naam"],
        description=doc.get("omschrijving") or "",
        website=doc.get("website"),
        referral_zorgdomein=doc.get("verwijzing_zorgdomein"),
        referral_note=str(doc.get("verwijzing_inhoud") or ""),
        phone=doc.get("telefoon"),
        email=doc.get("email"),
        age_min=age_min or None,
        age_max=None if age_max is None or age_max >= AGE_OPEN_MAX else age_max,
        serves_region=serves_region,
        is_demo=is_demo,
        laws=tuple(doc.get("wetten") or ()),
        segments=tuple(doc.get("segmenten") or ()),
        expertise=tuple(doc.get("expertise") or ()),
        languages=tuple(doc.get("talen") or ()),
        registration_routes=tuple(doc.get("aanmelding") or ()),
        service_area=() if serves_region else tuple(doc.get("werkgebied") or ()),
        arrangements=tuple(
            (p, i) for p, _, i in (a.partition(":") for a in doc.get("arrangementen") or ())
        ),
        locations=locations,
        waiting_times=waiting,
        kpis=kpis,
        capacity=Capacity(
            status=doc["capaciteit_status"],
            note=str(doc.get("capaciteit_toelichting") or ""),
            until=_day(doc.get("capaciteit_geldig_tot")),
            since=_day(doc.get("capaciteit_sinds")),
        )
        if doc.get("capaciteit_status")
        else None,
    )


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None
