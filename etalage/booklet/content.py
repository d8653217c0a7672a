"""What the booklet holds (docs/booklet.md), as plain data for its template. Pure.

A provider is in the booklet when it matches the filter: it serves the municipality
(its service area, or the whole region) and it is contracted for the law. The booklet
has one section for the free-access offer (segment A) and one per profile (the
providers contracted for an arrangement of it); a provider with several profiles is in
each of their sections, in full, so a reader who looks up a profile finds everything
there. Codes and indicative tariffs are only in the `toegang` version; the `inwoner`
version uses the plain (B1) names and says how a citizen gets there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from etalage.catalogue.referral import referral_for
from etalage.catalogue.views import (
    CAPACITY_LABELS,
    age_range_nl,
    format_date,
    join_nl,
    pack_label,
    service_area_nl,
    waiting_view,
)
from etalage.provider import ProviderRecord
from etalage.region.model import RegionPack

AUDIENCES = ("huisarts", "toegang", "inwoner")
AUDIENCE_NAMES = {
    "huisarts": "voor huisartsen en andere verwijzers",
    "toegang": "voor het wijkteam en de toegang",
    "inwoner": "voor inwoners",
}
UNITS = {"traject": "per traject", "maand": "per maand", "jaar": "per jaar"}


@dataclass(frozen=True)
class Entry:
    anchor: str
    name: str
    description: str
    offer: str  # the arrangements of this section's profile, or the whole offer
    expertise: str
    ages: str
    area: str
    register: tuple[tuple[str, str], ...]  # (for whom, how)
    waiting: str
    waiting_date: str
    capacity: str
    contact: tuple[str, ...]
    tariffs: tuple[str, ...]  # toegang only


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    intro: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Booklet:
    region: str
    audience: str
    audience_name: str
    filters: str  # in words: "Gemeente Hoorn, Jeugdwet"
    printed: str
    sections: tuple[Section, ...]
    providers: tuple[str, ...]  # the KvK numbers in it
    codes: bool
    tariff_note: str


def matches(
    record: ProviderRecord, pack: RegionPack, municipality: str | None, law: str | None
) -> bool:
    if law is not None and law not in record.laws:
        return False
    if municipality is not None:
        return municipality in record.served_municipalities([m.code for m in pack.municipalities])
    return True


def _euro(amount: float) -> str:
    whole = f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"€ {whole}"


def _entry(
    record: ProviderRecord,
    pack: RegionPack,
    today: date,
    audience: str,
    profile: str | None,
    anchor: str,
) -> Entry:
    codes = audience == "toegang"
    plain = audience == "inwoner"
    pairs = [(p, i) for p, i in record.arrangements if profile is None or p == profile]
    by_profile: dict[str, list[str]] = {}
    for p, i in pairs:
        by_profile.setdefault(p, []).append(pack_label(pack, "intensiteit", i))
    offer_parts = []
    for p, intensities in by_profile.items():
        prof = next((x for x in pack.profiles if x.code == p), None)
        name = (prof.label or prof.name) if prof and plain else (prof.name if prof else p)
        prefix = f"{p} " if codes else ""
        offer_parts.append(f"{prefix}{name}: {join_nl(intensities)}")
    if not offer_parts and "A" in record.segments:
        offer_parts.append("Vrij toegankelijke hulp, zonder verwijzing of beschikking")
    referral = referral_for(record, pack)
    if audience == "huisarts":
        register = [("Huisarts", referral.gp)]
        if referral.gp_note:
            register.append(("In de verwijzing", referral.gp_note))
        register.append(("Inwoner", referral.citizen))
    elif audience == "toegang":
        register = [("Toegang", referral.toegang), ("Huisarts", referral.gp)]
    else:
        register = [("Zo meldt u zich aan", referral.citizen)]
    w = waiting_view(record.latest_waiting, pack, today)
    if w is None:
        waiting, waiting_date = "Geen wachttijd bekend.", ""
    else:
        waiting = (
            f"Aanmelden {w.registration}, behandeling {w.treatment} (totaal {w.total}). "
            f"{w.status.label}."
        )
        waiting_date = f"Gemeten op {w.peildatum}" + (
            f", bevestigd op {w.confirmed}" if w.confirmed else ""
        )
        if w.stale:
            waiting_date += f". Verouderd: ouder dan {pack.freshness_weeks} weken"
    capacity = record.capacity_on(today)
    capacity_text = ""
    if capacity is not None:
        label, meaning = CAPACITY_LABELS.get(capacity.status, (capacity.status, ""))
        capacity_text = f"{label}: {meaning}" + (f" {capacity.note}" if capacity.note else "")
        if capacity.until:
            capacity_text += f" (tot en met {format_date(capacity.until)})"
    contact = []
    main = record.main_location
    if main and (main.address or main.city):
        contact.append(", ".join(x for x in (main.address, main.postcode, main.city) if x))
    if record.phone:
        contact.append(f"Telefoon {record.phone}")
    if record.email:
        contact.append(record.email)
    if record.website:
        contact.append(record.website)
    tariffs: list[str] = []
    if codes:
        for p, i in sorted(pairs):
            for t in pack.tariffs.items:
                if t.profile == p and t.intensity == i:
                    tariffs.append(
                        f"{p}:{i} {t.trajectory}: {_euro(t.amount_eur)} {UNITS.get(t.unit, t.unit)}"
                    )
    return Entry(
        anchor=anchor,
        name=record.name,
        description=record.description,
        offer="; ".join(offer_parts),
        expertise=join_nl(pack_label(pack, "expertise", e) for e in record.expertise),
        ages=age_range_nl(record.age_min, record.age_max),
        area=service_area_nl(record, pack),
        register=tuple(register),
        waiting=waiting,
        waiting_date=waiting_date,
        capacity=capacity_text,
        contact=tuple(contact),
        tariffs=tuple(tariffs),
    )


def booklet(
    records: Sequence[ProviderRecord],
    pack: RegionPack,
    today: date,
    *,
    audience: str = "huisarts",
    municipality: str | None = None,
    law: str | None = None,
) -> Booklet:
    chosen = sorted(
        (r for r in records if matches(r, pack, municipality, law)), key=lambda r: r.name.casefold()
    )
    plain = audience == "inwoner"
    codes = audience == "toegang"
    sections: list[Section] = []
    free = [r for r in chosen if "A" in r.segments]
    if free:
        sections.append(
            Section(
                anchor="vrij",
                title="Vrij toegankelijke hulp" if plain else "Segment A: vrij toegankelijk",
                intro="Hulp zonder verwijzing of beschikking: u kunt zich zelf aanmelden."
                if plain
                else "Zonder verwijzing of beschikking; de inwoner meldt zich zelf aan.",
                entries=tuple(
                    _entry(r, pack, today, audience, None, f"vrij-{r.kvk}") for r in free
                ),
            )
        )
    for profile in pack.profiles:
        if law is not None and profile.law != law:
            continue
        with_profile = [r for r in chosen if any(p == profile.code for p, _ in r.arrangements)]
        if not with_profile:
            continue
        name = profile.label or profile.name if plain else profile.name
        sections.append(
            Section(
                anchor=f"profiel-{profile.code.lower()}",
                title=f"{profile.code} {name}" if codes or not plain else name,
                intro=profile.description,
                entries=tuple(
                    _entry(
                        r, pack, today, audience, profile.code, f"{profile.code.lower()}-{r.kvk}"
                    )
                    for r in with_profile
                ),
            )
        )
    words = []
    if municipality:
        words.append(f"Gemeente {pack_label(pack, 'gemeente', municipality)}")
    if law:
        words.append(pack_label(pack, "wet", law))
    return Booklet(
        region=pack.name,
        audience=audience,
        audience_name=AUDIENCE_NAMES[audience],
        filters=", ".join(words) or "Alle gemeenten en beide wetten",
        printed=format_date(today),
        sections=tuple(sections),
        providers=tuple(r.kvk for r in chosen),
        codes=codes,
        tariff_note=(
            "Indicatieve tarieven"
            + (" (voorbeeldbedragen, geen echte tarieven)" if pack.tariffs.is_example else "")
            + (f". {pack.tariffs.note}" if pack.tariffs.note else "")
        )
        if codes
        else "",
    )
