"""What the HTML pages show about a provider, in plain Dutch (B1). Pure.

Turns records into small view objects: waiting time with its age, Treeknorm status
(always with words, never colour alone), KPIs ("te weinig waarnemingen" when n is
small), arrangements in words, how to register. The history charts and the regional
averages they are drawn against are in history_views.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from markupsafe import Markup

from etalage.catalogue.presenters import municipality_codes, sorted_arrangements
from etalage.provider import Capacity, KpiPoint, ProviderRecord, WaitingPoint, is_stale
from etalage.region.model import RegionPack, Treeknorm
from search_index.protocol import Hit, Segment

if TYPE_CHECKING:  # the row module builds on this one
    from etalage.catalogue.result_rows import Offer

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip

# How each registration route works, in words a citizen understands.
REGISTRATION_HELP = {
    "huisarts": "Vraag uw huisarts (of de jeugdarts of medisch specialist) om een verwijzing.",
    "toegang": "Neem contact op met het wijkteam of de toegang van uw gemeente. "
    "Samen bekijkt u welke hulp past. De gemeente geeft daarna een beschikking.",
    "direct": "U kunt zich zelf aanmelden bij deze aanbieder. U hebt geen verwijzing nodig.",
}

KPI_METRICS = (
    # (field on KpiPoint, label, explanation, higher is better)
    ("goal_attainment_pct", "Doelen bereikt", "Deel van de trajecten waarin de doelen "
     "(grotendeels) zijn bereikt.", True),
    ("satisfaction_pct", "Tevreden over de hulp", "Deel van de cliënten dat positief is "
     "over wat de hulp heeft opgeleverd.", True),
    ("dropout_pct", "Voortijdig gestopt (uitval)", "Deel van de trajecten dat eerder "
     "stopte dan afgesproken.", False),
)  # fmt: skip

KPI_SHORT = {
    "goal_attainment_pct": "Doelen",
    "satisfaction_pct": "Tevreden",
    "dropout_pct": "Uitval",
}
# How to register, in a result row.
REGISTRATION_SHORT = {
    "huisarts": "huisarts",
    "toegang": "gemeente",
    "direct": "zelf aanmelden",
}


# ---------------------------------------------------------------------------- labels

_LABELS: dict[int, tuple[RegionPack, dict[tuple[str, str], str]]] = {}


def pack_label(pack: RegionPack, kind: str, code: str) -> str:
    """`pack.label`, remembered: result cards ask for the same few labels all the time."""
    entry = _LABELS.get(id(pack))
    if entry is None or entry[0] is not pack:
        entry = (pack, {})
        _LABELS[id(pack)] = entry
    key = (kind, code)
    found = entry[1].get(key)
    if found is None:
        if kind == "wet-van-profiel":
            profile = pack.profile(code)
            found = pack_label(pack, "wet", profile.law) if profile else ""
        else:
            found = pack.label(kind, code)
        entry[1][key] = found
    return found


# ---------------------------------------------------------------------------- words


def join_nl(items: Iterable[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    parts = [str(x) for x in items]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def join_comma(items: Iterable[str]) -> str:
    return ", ".join(items)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_or(items: Iterable[str]) -> str:
    """'a', 'a of b', 'a, b of c'."""
    parts = [str(x) for x in items]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " of " + parts[-1]


def format_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def number_nl(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "onbekend"
    text = f"{value:.{decimals}f}" if decimals else f"{round(value):d}"
    return text.replace(".", ",")


def percent_nl(value: float | None) -> str:
    if value is None:
        return "onbekend"
    rounded = round(value, 1)
    return (f"{rounded:g}".replace(".", ",")) + "%"


def weeks_nl(weeks: int | None) -> str:
    if weeks is None:
        return "onbekend"
    return f"{weeks} week" if weeks == 1 else f"{weeks} weken"


def age_nl(then: date, today: date) -> str:
    """How long ago, in words: 'vandaag', '3 dagen geleden', '5 weken geleden'."""
    days = (today - then).days
    if days < 0:
        return "in de toekomst"
    if days == 0:
        return "vandaag"
    if days < 14:
        return "1 dag geleden" if days == 1 else f"{days} dagen geleden"
    weeks = days // 7
    if weeks < 9:
        return f"{weeks} weken geleden"
    months = days // 30
    if months < 24:
        return f"{months} maanden geleden"
    return f"{days // 365} jaar geleden"


def age_range_nl(age_min: int | None, age_max: int | None) -> str:
    """'Alle leeftijden', 'Tot en met 17 jaar', 'Vanaf 18 jaar', '4 tot en met 12 jaar'."""
    low = age_min or None  # 0 is no lower limit
    high = None if age_max is None or age_max >= 120 else age_max
    if low is None and high is None:
        return "Alle leeftijden"
    if low is None:
        return f"Tot en met {high} jaar"
    if high is None:
        return f"Vanaf {low} jaar"
    return f"{low} tot en met {high} jaar"


# ---------------------------------------------------------------------------- waiting


@dataclass(frozen=True)
class TreeknormStatus:
    level: str  # "binnen" | "boven" | "ver-boven" | "onbekend": a CSS modifier
    label: str  # the words shown next to the colour


def treeknorm_status(point: WaitingPoint | None, norm: Treeknorm) -> TreeknormStatus:
    """Binnen: total and both parts within the norm. Ver boven: more than twice the
    total norm. Boven: anything else over the norm."""
    if point is None or point.total_weeks is None:
        return TreeknormStatus("onbekend", "Wachttijd onbekend")
    total = point.total_weeks
    within = (
        total <= norm.total_weeks
        and (point.registration_weeks or 0) <= norm.registration_weeks
        and (point.treatment_weeks or 0) <= norm.treatment_weeks
    )
    if within:
        return TreeknormStatus("binnen", "Binnen de Treeknorm")
    if total > 2 * norm.total_weeks:
        return TreeknormStatus("ver-boven", "Ruim boven de Treeknorm")
    return TreeknormStatus("boven", "Boven de Treeknorm")


@dataclass(frozen=True)
class WaitingView:
    registration: str
    treatment: str
    total: str
    peildatum: str
    peildatum_iso: str
    age: str
    stale: bool
    status: TreeknormStatus
    waiting_list: int | None
    # "Klopt nog": confirmed unchanged after the measurement (None when not).
    confirmed: str | None = None
    confirmed_iso: str | None = None
    confirmed_age: str | None = None


def waiting_view(point: WaitingPoint | None, pack: RegionPack, today: date) -> WaitingView | None:
    if point is None:
        return None
    return WaitingView(
        registration=weeks_nl(point.registration_weeks),
        treatment=weeks_nl(point.treatment_weeks),
        total=weeks_nl(point.total_weeks),
        peildatum=format_date(point.peildatum),
        peildatum_iso=point.peildatum.isoformat(),
        age=age_nl(point.peildatum, today),
        stale=is_stale(point.checked_on, today, pack.freshness_weeks),
        status=treeknorm_status(point, pack.treeknorm),
        waiting_list=point.waiting_list_size,
        **_confirmation(point, today),
    )


def _confirmation(point: WaitingPoint, today: date) -> dict[str, str]:
    if point.checked_on == point.peildatum:
        return {}
    return {
        "confirmed": format_date(point.checked_on),
        "confirmed_iso": point.checked_on.isoformat(),
        "confirmed_age": age_nl(point.checked_on, today),
    }


# ---------------------------------------------------------------------------- capacity

CAPACITY_LABELS = {
    "plek": ("Plek", "Neemt nieuwe cliënten aan."),
    "wachtlijst": ("Wachtlijst", "Nieuwe cliënten komen op de wachtlijst."),
    "aanmeldstop": ("Aanmeldstop", "Neemt nu geen nieuwe aanmeldingen aan."),
    "eerst_screening": (
        "Eerst screening",
        "Na de aanmelding kijkt de aanbieder eerst of de hulp past.",
    ),
}


@dataclass(frozen=True)
class CapacityView:
    status: str
    label: str
    meaning: str
    note: str
    until: str | None
    until_iso: str | None


def capacity_view(capacity: Capacity | None) -> CapacityView | None:
    if capacity is None:
        return None
    label, meaning = CAPACITY_LABELS.get(capacity.status, (capacity.status, ""))
    return CapacityView(
        status=capacity.status,
        label=label,
        meaning=meaning,
        note=capacity.note,
        until=format_date(capacity.until) if capacity.until else None,
        until_iso=capacity.until.isoformat() if capacity.until else None,
    )


def treeknorm_text(norm: Treeknorm) -> str:
    return (
        f"De Treeknorm is de landelijke afspraak over een redelijke wachttijd: hoogstens "
        f"{norm.registration_weeks} weken tot het eerste gesprek (aanmelden), "
        f"{norm.treatment_weeks} weken tot de hulp begint (behandeling) en "
        f"{norm.total_weeks} weken in totaal."
    )


# ---------------------------------------------------------------------------- KPIs


@dataclass(frozen=True)
class KpiItem:
    label: str
    value: str
    explanation: str
    short: str = ""  # the label in a result row: "Doelen", "Tevreden", "Uitval"
    whole: str = ""  # the value in whole percents, for a result row ("57%")


@dataclass(frozen=True)
class KpiView:
    period: str
    n: int
    reliable: bool
    items: tuple[KpiItem, ...]


def kpi_view(point: KpiPoint | None, pack: RegionPack) -> KpiView | None:
    if point is None:
        return None
    reliable = point.n >= pack.kpi_min_n
    items = tuple(
        KpiItem(
            label=label,
            value=percent_nl(getattr(point, attr)) if reliable else "te weinig waarnemingen",
            explanation=explanation,
            short=KPI_SHORT.get(attr, label),
            whole=f"{round(getattr(point, attr))}%"
            if reliable and getattr(point, attr) is not None
            else "",
        )
        for attr, label, explanation, _ in KPI_METRICS
    )
    return KpiView(period=point.period, n=point.n, reliable=reliable, items=items)


# ---------------------------------------------------------------------------- offer


@dataclass(frozen=True)
class ArrangementLine:
    profile: str
    name: str
    law: str
    intensities: str


def arrangement_lines(record: ProviderRecord, pack: RegionPack) -> list[ArrangementLine]:
    """'Autisme en ontwikkelingsstoornissen (J4): licht en midden', one line a profile."""
    by_profile: dict[str, list[str]] = {}
    for profile, intensity in sorted_arrangements(record.arrangements, pack):
        by_profile.setdefault(profile, []).append(
            pack_label(pack, "intensiteit", intensity).lower()
        )
    lines = []
    for code, intensities in by_profile.items():
        lines.append(
            ArrangementLine(
                profile=code,
                name=pack_label(pack, "profiel", code),
                law=pack_label(pack, "wet-van-profiel", code),
                intensities=join_nl(intensities),
            )
        )
    return lines


def service_area_nl(record: ProviderRecord, pack: RegionPack) -> str:
    if record.serves_region:
        return f"Heel de regio {pack.name}"
    codes = record.served_municipalities(municipality_codes(pack))
    return join_nl(pack_label(pack, "gemeente", c) for c in codes) or "Onbekend"


# ---------------------------------------------------------------------------- cards


@dataclass(frozen=True)
class RegistrationRoute:
    code: str
    label: str
    help: str


@dataclass(frozen=True)
class ProviderView:
    """What a result card and the provider page show, ready for the template."""

    record: ProviderRecord
    waiting: WaitingView | None
    kpi: KpiView | None
    arrangements: list[ArrangementLine]
    area: str
    ages: str
    registration: list[RegistrationRoute]
    distance: str | None
    capacity: CapacityView | None = None


def provider_view(
    record: ProviderRecord, pack: RegionPack, today: date, afstand_km: float | None = None
) -> ProviderView:
    return ProviderView(
        record=record,
        waiting=waiting_view(record.latest_waiting, pack, today),
        kpi=kpi_view(record.latest_kpi, pack),
        arrangements=arrangement_lines(record, pack),
        area=service_area_nl(record, pack),
        ages=age_range_nl(record.age_min, record.age_max),
        registration=[
            RegistrationRoute(
                code=code,
                label=pack_label(pack, "aanmelding", code),
                help=REGISTRATION_HELP.get(code, ""),
            )
            for code in sorted(record.registration_routes, key=_route_rank(pack))
        ],
        distance=None if afstand_km is None else f"{number_nl(afstand_km, 1)} km",
        capacity=capacity_view(record.capacity_on(today)),
    )


def _route_rank(pack: RegionPack):  # type: ignore[no-untyped-def]
    order = [*pack.registration_routes, *REGISTRATION_HELP]
    return lambda code: (order.index(code) if code in order else len(order), code)


# ---------------------------------------------------------------------------- search hits


@dataclass(frozen=True)
class CardFacts:
    """What a result card says of a provider whatever the search: the same for every
    search on the same day, so it can be made (and rendered) once per provider version
    (see `etalage.web.cards`)."""

    p: ProviderView  # without distance
    laws: str  # "Jeugdwet en Wmo"
    segments: str  # "B: Arrangement …; C: Hoogcomplex …"
    registration: str  # "Via de huisarts en …"
    registration_short: str  # "via de huisarts of zelf aanmelden"
    segments_short: str  # "soort hulp A en B"
    expertise: tuple[tuple[Segment, ...], ...]  # the labels, unmarked
    # The row's fixed parts rendered (the meta line, waiting time and results, how to
    # register), around what depends on the search: filled in by the web layer.
    html: tuple[Markup, Markup, Markup] = (Markup(), Markup(), Markup())


def card_facts(record: ProviderRecord, pack: RegionPack, today: date) -> CardFacts:
    view = provider_view(record, pack, today)
    return CardFacts(
        p=view,
        laws=join_nl(pack_label(pack, "wet", c) for c in record.laws),
        segments="; ".join(f"{c}: {pack_label(pack, 'segment', c)}" for c in record.segments),
        registration=join_nl(r.label for r in view.registration),
        registration_short=_capital(
            join_comma(REGISTRATION_SHORT.get(r.code, r.label.lower()) for r in view.registration)
        ),
        segments_short=("soort hulp " + join_nl(record.segments)) if record.segments else "",
        expertise=tuple((Segment(pack_label(pack, "expertise", c)),) for c in record.expertise),
    )


@dataclass(frozen=True)
class HitView:
    """A result card: the provider, and the pieces of its texts the search matched.

    Segments are plain text; the template escapes each one and wraps the matched ones
    in <mark>, so neither a provider's name nor the search engine can inject markup.
    """

    facts: CardFacts
    name: Sequence[Segment]
    snippet: Sequence[Segment]
    expertise: Sequence[Sequence[Segment]]
    distance: str | None  # "4,2 km" from the postcode searched from
    offer: Offer | None = None  # the arrangements the search is about (result_rows)

    @property
    def p(self) -> ProviderView:
        return self.facts.p

    @property
    def matched_expertise(self) -> list[Sequence[Segment]]:
        """The expertise labels the search marked (shown before the offer in a row)."""
        return [label for label in self.expertise if any(s.match for s in label)]


def _first(highlights: Sequence[Sequence[Segment]] | None, fallback: str) -> Sequence[Segment]:
    if highlights and highlights[0]:
        return highlights[0]
    return (Segment(fallback),) if fallback else ()


def hit_view(hit: Hit, facts: CardFacts, offer: Offer | None = None) -> HitView:
    """The card of a hit: the provider's facts and the search's marks and distance."""
    record = facts.p.record
    labels = hit.highlights.get("expertise_labels") or ()
    return HitView(
        facts=facts,
        name=_first(hit.highlights.get("naam"), record.name),
        snippet=_first(hit.highlights.get("omschrijving"), record.description),
        expertise=[s for s in labels if s] or facts.expertise,
        distance=None if hit.afstand_km is None else f"{number_nl(hit.afstand_km, 1)} km",
        offer=offer,
    )


# ---------------------------------------------------------------------------- filter form

Choice = tuple[str, str, str | None]  # (code, text, group: the law of a profile)
_CHOICES: dict[int, tuple[RegionPack, dict[str, list[Choice]]]] = {}


def filter_choices(pack: RegionPack) -> dict[str, list[Choice]]:
    """The options of the one-choice filters, in pack order (computed once per pack)."""
    cached = _CHOICES.get(id(pack))
    if cached is not None and cached[0] is pack:
        return cached[1]
    laws = {law.code: law.name for law in pack.laws}
    choices: dict[str, list[Choice]] = {
        "gemeente": [(m.code, m.name, None) for m in pack.municipalities],
        "wet": [(x.code, x.name, None) for x in pack.laws],
        "segment": [(x.code, f"{x.code}: {x.name}", None) for x in pack.segments],
        "profiel": [
            (p.code, f"{p.code}: {p.name}", laws.get(p.law, p.law))
            for law in pack.laws
            for p in pack.profiles
            if p.law == law.code
        ],
        "intensiteit": [(x.code, x.name, None) for x in pack.intensities],
        "taal": [(code, name, None) for code, name in pack.languages.items()],
    }
    _CHOICES[id(pack)] = (pack, choices)
    return choices


@dataclass(frozen=True)
class OptionView:
    """One option of a filter, with how many providers choosing it finds."""

    id: str
    value: str
    text: str  # "Hoorn (12)"
    selected: bool
    group: str | None = None


def _count_text(counts: Mapping[str, Mapping[str, int]] | None, kind: str, code: str) -> str:
    return "" if counts is None else f" ({counts.get(kind, {}).get(code, 0)})"


def option_views(
    pack: RegionPack,
    form: Mapping[str, object],
    counts: Mapping[str, Mapping[str, int]] | None,
) -> dict[str, list[OptionView]]:
    """Every filter option ready for the form: one-choice filters and expertise tags
    (`selected` meaning checked); `counts` None when there are none (a bad request)."""
    out: dict[str, list[OptionView]] = {}
    for kind, items in filter_choices(pack).items():
        chosen = form.get(kind)
        out[kind] = [
            OptionView(
                id=f"o-{kind}-{value}",
                value=value,
                text=text + _count_text(counts, kind, value),
                selected=chosen == value,
                group=group,
            )
            for value, text, group in items
        ]
    checked = form.get("expertise") or ()
    out["expertise"] = [
        OptionView(
            id=f"n-expertise-{tag.code}",
            value=tag.code,
            text=_count_text(counts, "expertise", tag.code),
            selected=tag.code in checked,  # type: ignore[operator]
            group=tag.label,
        )
        for tag in pack.expertise
    ]
    return out
