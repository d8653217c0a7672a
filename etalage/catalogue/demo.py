"""The fictional demo dataset.

Every provider here is invented: names are made-up compounds, KvK numbers start with
`0099`, websites and e-mail addresses use the reserved `.example` domain and phone
numbers are in one made-up block. Everything else (municipalities, postcodes, laws,
segments, profiles, intensities, expertise, languages) is taken from the region pack,
so the demo works for any pack.

The data is generated from a fixed seed; dates are relative to `today`. The history is
a series of monthly snapshots (waiting times on the first of each month, KPIs for the
last completed half-years), each rendered as an import CSV and sent through the same
read -> validate -> write path as `etalage import`, in one transaction. Loading twice
on the same day (or in the same month) gives the same database.
"""

from __future__ import annotations

import csv
import io
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from sqlalchemy import Engine

from etalage.catalogue.import_header import COLUMNS
from etalage.catalogue.import_reader import read_csv_bytes
from etalage.catalogue.import_report import ImportIssue, ImportReport, count
from etalage.catalogue.import_validation import validate_table
from etalage.catalogue.writer import apply_records, slugify
from etalage.db.session import transaction
from etalage.region.model import Law, Profile, RegionPack

SEED = 20_26_11
SNAPSHOTS = 6  # monthly waiting-time peildata
KPI_PERIODS = 3  # completed half-years
KVK_PREFIX = "0099"

# Made-up name parts: compounds of these are not names of real organisations.
_NAME_FIRST = (
    "Zeekraal", "Klaproos", "Kwelder", "Dijkwacht", "Lantaarn", "Wilgentak", "Meeuwen",
    "Polderwind", "Duinroos", "Tulpenveld", "Zandloper", "Kompasroos", "Ankerlicht",
    "Wadlooper", "Molenwiek", "Boterbloem", "Slootkant", "Hooiberg", "Vlasbloem",
    "Schelpen",
)  # fmt: skip
_NAME_SECOND = (
    "hof", "kamp", "brug", "kring", "werf", "stek", "tuin", "poort", "hoek", "steiger",
    "baken", "erf", "kade",
)  # fmt: skip
_STREETS = (
    "Kwelderlaan", "Zeekraalstraat", "Dijkwachtweg", "Lantaarnpad", "Wilgentakstraat",
    "Meeuwenplein", "Polderwindlaan", "Duinroosweg", "Tulpenveldstraat", "Molenwiekpad",
    "Boterbloemlaan", "Slootkantweg",
)  # fmt: skip

# Languages most asked for in the region's care, favoured when the pack has them.
_COMMON_LANGUAGES = ("en", "pl", "tr", "ar", "uk", "de")

# Freely accessible (segment A) kinds: (name prefix, audience, expertise tags, text).
_FREE_KINDS = (
    (
        "Buurtteam",
        "both",
        ("gezinsbegeleiding", "opvoedondersteuning", "ambulante-begeleiding"),
        "Wij zijn het buurtteam. U kunt bij ons terecht met vragen over geld, opvoeden, "
        "eenzaamheid of zorg. U hebt geen verwijzing nodig. Wij denken met u mee en "
        "zoeken samen naar een oplossing.",
    ),
    (
        "Geldzorgpunt",
        "adult",
        ("schuldhulp",),
        "Hebt u schulden of zorgen over geld? Wij helpen u gratis. Samen maken we een "
        "overzicht van uw inkomsten en uitgaven. We zoeken samen naar een oplossing.",
    ),
    (
        "Jongerenwerk",
        "youth",
        ("jongerenwerk",),
        "Wij zijn er voor jongeren van 10 tot 23 jaar. Kom langs in ons jongerenhuis. "
        "Je kunt bij ons terecht voor een gesprek, om iets leuks te doen of met een vraag "
        "over school, thuis of werk.",
    ),
    (
        "Mantelzorgsteunpunt",
        "adult",
        ("mantelzorgondersteuning",),
        "Zorgt u voor iemand in uw omgeving? Dan bent u mantelzorger. Wij geven advies, "
        "een luisterend oor en praktische hulp, zodat u het zorgen volhoudt.",
    ),
    (
        "Opvoedpunt",
        "youth",
        ("opvoedondersteuning", "scheiding"),
        "Hebt u vragen over opvoeden? Bijvoorbeeld over slapen, eten, grenzen stellen of "
        "een scheiding? Kom langs of bel ons. U hebt geen verwijzing nodig.",
    ),
)

_YOUTH_PREFIXES = ("Jeugdpraktijk", "Gezinsbegeleiding", "Kindercoaching", "Jeugdhulp")
_ADULT_PREFIXES = ("Begeleiding", "Thuisbegeleiding", "Dagbesteding", "Zorgpraktijk")
_COMPLEX_PREFIXES = ("Zorgcombinatie", "Behandelcentrum", "Zorgcombinatie", "Woonzorg")


@dataclass
class _History:
    reports: list[bool]  # per snapshot: does this provider report a waiting time?
    registration: list[int] = field(default_factory=list)
    treatment: list[int] = field(default_factory=list)
    waiting_list: list[int] = field(default_factory=list)
    kpis: list[tuple[float, float, float, int] | None] = field(default_factory=list)


@dataclass
class _Provider:
    kvk: str
    cells: dict[str, str]
    history: _History


@dataclass
class DemoReport(ImportReport):
    snapshots: int = 0
    kpi_periods: int = 0

    def summary(self) -> str:
        if not self.ok:
            return (
                f"Demodataset niet geladen: {count(len(self.errors), 'fout', 'fouten')} "
                "gevonden. Er is niets opgeslagen."
            )
        total = self.created + self.updated
        return (
            f"Demodataset geladen: {count(total, 'fictieve aanbieder', 'fictieve aanbieders')}"
            f" ({self.created} toegevoegd, {self.updated} bijgewerkt), "
            f"{count(self.snapshots, 'peildatum', 'peildata')} voor wachttijden en "
            f"{count(self.kpi_periods, 'periode', 'periodes')} voor kwaliteitscijfers."
        )


# ---------------------------------------------------------------------------- dates


def snapshot_dates(today: date, count: int = SNAPSHOTS) -> list[date]:
    """The first of each of the last `count` months, oldest first (the last is this month)."""
    dates = []
    year, month = today.year, today.month
    for _ in range(count):
        dates.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return dates[::-1]


def kpi_periods(today: date, count: int = KPI_PERIODS) -> list[str]:
    """The last `count` completed half-years, oldest first."""
    year, half = (today.year - 1, 2) if today.month <= 6 else (today.year, 1)
    periods = []
    for _ in range(count):
        periods.append(f"{year}-H{half}")
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return periods[::-1]


# ---------------------------------------------------------------------------- generation


def _youth_law(pack: RegionPack) -> Law:
    return next((x for x in pack.laws if x.age_min < 18), pack.laws[0])


def _adult_law(pack: RegionPack) -> Law:
    return next((x for x in pack.laws if x.age_min >= 18), pack.laws[-1])


# What a GP's referral to a (fictional) youth provider must contain.
YOUTH_REFERRAL = (
    "De hulpvraag van kind en ouders, wat er al geprobeerd is, eventuele diagnoses en "
    "medicatie, en de school of opvang van het kind."
)


def _names(rng: random.Random, count: int) -> list[str]:
    combos = [a + b for a in _NAME_FIRST for b in _NAME_SECOND]
    rng.shuffle(combos)
    if count > len(combos):  # a very large demo: number the rest
        combos += [f"{combos[i % len(combos)]} {i // len(combos) + 1}" for i in range(count)]
    return combos[:count]


Item = TypeVar("Item")


def _pick(rng: random.Random, items: Sequence[Item], count: int) -> list[Item]:
    return rng.sample(list(items), min(count, len(items)))


class _Generator:
    def __init__(self, pack: RegionPack, today: date) -> None:
        self.pack = pack
        self.today = today
        self.rng = random.Random(SEED)
        self.tags = {t.code for t in pack.expertise}
        self.routes = list(pack.registration_routes) or ["huisarts", "toegang", "direct"]
        self.languages = [c for c in pack.languages if c != "nl"]
        self.common_languages = [c for c in _COMMON_LANGUAGES if c in self.languages]
        self.municipalities = list(pack.municipalities)
        self.free_segment = next((s.code for s in pack.segments if not s.needs_arrangement), None)
        arrangement_segments = [s.code for s in pack.segments if s.needs_arrangement]
        self.b_segment = arrangement_segments[0] if arrangement_segments else None
        self.c_segment = arrangement_segments[-1] if len(arrangement_segments) > 1 else None
        self.intensities = [x.code for x in pack.intensities]
        self.youth = _youth_law(pack)
        self.adult = _adult_law(pack)
        self.providers: list[_Provider] = []

    # -- the whole set

    def generate(self) -> list[_Provider]:
        rng = self.rng
        profiles = list(self.pack.profiles)
        n_free = 5 * len(_FREE_KINDS) if self.free_segment else 0
        can_arrange = bool(self.b_segment and profiles and self.intensities)
        n_b = max(3 * len(profiles), 84) if can_arrange else 0
        n_c = 16 if can_arrange and self.c_segment else 0
        names = _names(rng, n_free + n_b + n_c)
        for index in range(n_free):
            self._free(index, names.pop())
        for index in range(n_b):
            profile = profiles[index % len(profiles)]
            # The first round gives every profile every intensity.
            intensities = (
                self.intensities
                if index < len(profiles)
                else sorted(
                    _pick(rng, self.intensities, rng.randint(1, len(self.intensities))),
                    key=self.intensities.index,
                )
            )
            self._arranged(profile, intensities, names.pop())
        for _ in range(n_c):
            self._complex(names.pop())
        return self.providers

    # -- kinds of provider

    def _base(self, name: str, laws: list[Law], prefix: str) -> dict[str, str]:
        rng = self.rng
        index = len(self.providers)
        municipality = self.municipalities[index % len(self.municipalities)]
        site = slugify(name).replace("-", "")
        cells = {c: "" for c in COLUMNS}
        cells["kvk"] = f"{KVK_PREFIX}{index + 1:04d}"
        cells["naam"] = f"{prefix} {name}"
        cells["wetten"] = "|".join(x.code for x in laws)
        if rng.random() < 0.9:
            cells["website"] = f"https://www.{site}.example"
        if rng.random() < 0.85:
            cells["email"] = f"info@{site}.example"
        cells["telefoon"] = f"088-55{rng.randint(0, 99999):05d}"
        low = min(x.age_min for x in laws)
        high = max(x.age_max for x in laws)
        cells["leeftijd_min"] = str(low)
        cells["leeftijd_max"] = str(high)
        cells["gemeente"] = municipality.code
        cells["adres"] = f"{rng.choice(_STREETS)} {rng.randint(1, 180)}"
        if municipality.postcodes:
            area = rng.choice(municipality.postcodes)
            letters = rng.choice("ABCDEGHJKLMNPRTVWXZ") + rng.choice("ABCDEGHJKLMNPRTVXZ")
            cells["postcode"] = f"{area.pc4} {letters}"
            # A pack may name a neighbourhood: "Hoorn (Binnenstad)" -> "Hoorn"
            cells["plaats"] = (area.place or municipality.name).split(" (")[0]
        else:
            cells["plaats"] = municipality.name
        talen = ["nl"]
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            pool = self.common_languages if rng.random() < 0.75 else self.languages
            if pool:
                talen.append(rng.choice(pool))
        talen = list(dict.fromkeys(talen))
        cells["talen"] = "|".join(talen)
        return cells

    def _area(self, cells: dict[str, str], region_share: float) -> None:
        rng = self.rng
        if rng.random() < region_share:
            cells["werkgebied"] = "regio"
        elif rng.random() < 0.5:
            others = [m.code for m in self.municipalities if m.code != cells["gemeente"]]
            cells["werkgebied"] = "|".join(
                [cells["gemeente"], *_pick(rng, others, rng.randint(1, 3))]
            )
        # else: empty, meaning only the municipality of the main location

    def _tags(self, *candidates: str) -> list[str]:
        return [t for t in dict.fromkeys(candidates) if t in self.tags]

    def _free(self, index: int, name: str) -> None:
        prefix, audience, tags, text = _FREE_KINDS[index % len(_FREE_KINDS)]
        laws = {
            "youth": [self.youth],
            "adult": [self.adult],
            "both": list(dict.fromkeys([self.youth, self.adult])),
        }[audience]
        cells = self._base(name, laws, prefix)
        assert self.free_segment is not None
        cells["segmenten"] = self.free_segment
        cells["expertise"] = "|".join(self._tags(*tags))
        if prefix == "Jongerenwerk":
            cells["leeftijd_min"], cells["leeftijd_max"] = "10", "23"
        cells["omschrijving"] = text
        cells["aanmelding"] = "|".join(self._routes("direct"))
        self._area(cells, region_share=0.15)
        self._add(cells, reports=0.35, kpi=0.3)

    def _arranged(self, profile: Profile, intensities: list[str], name: str) -> None:
        rng = self.rng
        law = next(x for x in self.pack.laws if x.code == profile.law)
        profiles = [profile]
        same_law = [p for p in self.pack.profiles if p.law == law.code and p != profile]
        if same_law and rng.random() < 0.4:
            profiles.append(rng.choice(same_law))
        other_law = [p for p in self.pack.profiles if p.law != law.code]
        if other_law and rng.random() < 0.12:  # 18-/18+ providers
            profiles.append(rng.choice(other_law))
        laws = [x for x in self.pack.laws if any(p.law == x.code for p in profiles)]
        youth = law == self.youth
        prefix = rng.choice(_YOUTH_PREFIXES if youth else _ADULT_PREFIXES)
        cells = self._base(name, laws, prefix)
        segments = [self.b_segment]
        assert self.b_segment is not None
        cells["segmenten"] = self.b_segment
        if self.free_segment and rng.random() < 0.15:
            segments.insert(0, self.free_segment)
            cells["segmenten"] = "|".join(x for x in segments if x)
        pairs = [f"{profile.code}:{i}" for i in intensities]
        for extra in profiles[1:]:
            pairs += [f"{extra.code}:{i}" for i in _pick(rng, self.intensities, 2)]
        cells["arrangementen"] = "|".join(dict.fromkeys(pairs))
        tags = [t for p in profiles for t in p.expertise]
        cells["expertise"] = "|".join(self._tags(*_pick(rng, tags, rng.randint(1, 3))))
        names = " en ".join(p.name.lower() for p in profiles[:2])
        who = "kinderen, jongeren en hun ouders" if youth else "volwassenen"
        cells["omschrijving"] = (
            f"Wij helpen {who} bij {names}. We kijken eerst samen wat u nodig hebt. "
            "Daarna maken we een plan met duidelijke doelen. De hulp is bij u thuis, bij "
            "ons op locatie of online."
        )
        cells["aanmelding"] = "|".join(
            self._routes("huisarts", "toegang") if youth else self._routes("toegang")
        )
        if youth:  # how a GP refers; from the name, so the random draws stay the same
            cells["verwijzing_zorgdomein"] = "ja" if zlib.crc32(name.encode()) % 4 else "nee"
            cells["verwijzing_inhoud"] = YOUTH_REFERRAL
        self._area(cells, region_share=0.4)
        self._add(cells, reports=0.85, kpi=0.85)

    def _complex(self, name: str) -> None:
        rng = self.rng
        assert self.c_segment is not None and self.b_segment is not None
        law = self.youth if rng.random() < 0.65 else self.adult
        options = [p for p in self.pack.profiles if p.law == law.code] or list(self.pack.profiles)
        chosen = _pick(rng, options, rng.randint(1, 3))
        laws = [x for x in self.pack.laws if any(p.law == x.code for p in chosen)]
        prefix = rng.choice(_COMPLEX_PREFIXES)
        cells = self._base(name, laws, prefix)
        heavy = self.intensities[-2:] if len(self.intensities) > 1 else self.intensities
        cells["segmenten"] = "|".join(
            [self.b_segment, self.c_segment] if rng.random() < 0.5 else [self.c_segment]
        )
        cells["arrangementen"] = "|".join(f"{p.code}:{i}" for p in chosen for i in heavy)
        tags = [t for p in chosen for t in p.expertise]
        cells["expertise"] = "|".join(self._tags(*tags, "crisis", "begeleid-wonen"))
        if prefix == "Zorgcombinatie":
            cells["omschrijving"] = (
                f"Zorgcombinatie {name} is een samenwerking van drie zorgaanbieders. Eén "
                "aanbieder is penvoerder en uw vaste aanspreekpunt. Wij bieden behandeling, "
                "begeleiding en zo nodig wonen of logeren buiten huis. Een team van "
                "deskundigen van de regio beslist samen met u over deze hulp."
            )
        else:
            cells["omschrijving"] = (
                "Wij bieden zware en ingewikkelde hulp, vaak met wonen of logeren buiten "
                "huis. Verschillende hulpverleners werken samen in één plan. Elk jaar kijken "
                "we met u en de gemeente opnieuw wat nodig is."
            )
        cells["aanmelding"] = "|".join(self._routes("toegang"))
        self._area(cells, region_share=0.75)
        self._add(cells, reports=0.9, kpi=0.9)

    def _routes(self, *wanted: str) -> list[str]:
        found = [r for r in wanted if r in self.routes]
        return found or self.routes[:1]

    # -- history

    def _add(self, cells: dict[str, str], *, reports: float, kpi: float) -> None:
        rng = self.rng
        roll = rng.random()
        if roll > reports:
            pattern = [False] * SNAPSHOTS  # never reports
        elif roll > reports * 0.75:
            stop = rng.randint(1, max(1, SNAPSHOTS - 3))  # stopped reporting: stale
            pattern = [k < stop for k in range(SNAPSHOTS)]
        else:
            pattern = [k == SNAPSHOTS - 1 or rng.random() < 0.85 for k in range(SNAPSHOTS)]
        history = _History(reports=pattern)
        norm = self.pack.treeknorm
        busy = rng.random() < 0.3  # over the Treeknorm
        reg = (
            rng.randint(norm.registration_weeks, 3 * norm.registration_weeks)
            if busy
            else (rng.randint(0, norm.registration_weeks))
        )
        tre = (
            rng.randint(norm.treatment_weeks, 3 * norm.treatment_weeks)
            if busy
            else (rng.randint(0, norm.treatment_weeks))
        )
        size = rng.randint(5, 80) if busy else rng.randint(0, 15)
        for _ in range(SNAPSHOTS):
            reg = min(104, max(0, reg + rng.randint(-1, 1)))
            tre = min(104, max(0, tre + rng.randint(-2, 2)))
            size = max(0, size + rng.randint(-4, 4))
            history.registration.append(reg)
            history.treatment.append(tre)
            history.waiting_list.append(size)
        has_kpi = rng.random() < kpi
        small = rng.random() < 0.25  # fewer trajectories than the pack's minimum
        for _ in range(KPI_PERIODS):
            if not has_kpi:
                history.kpis.append(None)
                continue
            trajectories = (
                rng.randint(2, max(2, self.pack.kpi_min_n - 1))
                if small
                else rng.randint(self.pack.kpi_min_n, 260)
            )
            history.kpis.append(
                (
                    round(rng.uniform(3, 25), 1),
                    round(rng.uniform(55, 92), 1),
                    round(rng.uniform(62, 96), 1),
                    trajectories,
                )
            )
        self.providers.append(_Provider(kvk=cells["kvk"], cells=cells, history=history))


# ---------------------------------------------------------------------------- snapshots


def demo_snapshots(pack: RegionPack, today: date) -> list[tuple[date, str]]:
    """The demo set as import CSV texts, one per monthly snapshot, oldest first."""
    providers = _Generator(pack, today).generate()
    peildata = snapshot_dates(today)
    periods = kpi_periods(today)
    out = []
    for snapshot_index, peildatum in enumerate(peildata):
        period_index = min(len(periods) - 1, snapshot_index * len(periods) // len(peildata))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for provider in providers:
            cells = dict(provider.cells)
            history = provider.history
            if history.reports[snapshot_index]:
                cells["aanmeldwachttijd_weken"] = str(history.registration[snapshot_index])
                cells["behandelwachttijd_weken"] = str(history.treatment[snapshot_index])
                cells["wachtlijst_aantal"] = str(history.waiting_list[snapshot_index])
                cells["wachttijd_peildatum"] = peildatum.isoformat()
            kpi = history.kpis[period_index]
            if kpi is not None:
                dropout, goal, satisfaction, trajectories = kpi
                cells["uitval_pct"] = f"{dropout:g}".replace(".", ",")  # Dutch comma
                cells["doelrealisatie_pct"] = f"{goal:g}"
                cells["tevredenheid_pct"] = f"{satisfaction:g}"
                cells["kpi_n"] = str(trajectories)
                cells["kpi_periode"] = periods[period_index]
            writer.writerow([cells[c] for c in COLUMNS])
        out.append((peildatum, buffer.getvalue()))
    return out


def load_demo(engine: Engine, pack: RegionPack, today: date | None = None) -> DemoReport:
    """Load the fictional demo set with its history; idempotent for the same month."""
    today = today or date.today()
    snapshots = demo_snapshots(pack, today)
    report = DemoReport(snapshots=len(snapshots), kpi_periods=len(kpi_periods(today)))
    batches = []
    for peildatum, text in snapshots:
        checked = validate_table(pack, read_csv_bytes(text.encode("utf-8")), today=today)
        if checked.issues:  # a broken pack or generator: say where, write nothing
            report.errors = [
                ImportIssue(None, None, f"demo-peildatum {peildatum.isoformat()}: {issue}")
                for issue in checked.issues
            ]
            return report
        batches.append(checked.records)
    ids: list[int] = []
    held = []  # keeps the providers in the session between snapshots
    with transaction(engine) as session:
        for records in batches:
            result = apply_records(session, records, is_demo=True)
            held.append(result.providers)
            if not ids:  # every snapshot names every provider: the first one creates
                ids = result.provider_ids
                report.created = result.created
                report.updated = result.updated
            report.waiting_times += sum(1 for r in records if r.waiting_time is not None)
            report.kpis += sum(1 for r in records if r.kpi is not None)
    report.rows = len(ids)
    report.provider_ids = ids
    return report
