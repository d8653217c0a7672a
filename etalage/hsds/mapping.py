"""Provider records as HSDS 3.0 objects (docs/hsds.md#the-mapping). Pure.

- A provider is an **organization** (its KvK number as organization identifier) with a
  **location** for its main address and one **service** per kind of help it is
  contracted for: the free-access offer (segment A), and one per ondersteuningsprofiel
  of its arrangements (segments B and C), with the intensities.
- Each service has **service_at_location** at the main location, **service_areas** per
  municipality served, **languages**, **phones**, eligibility from the ages and the law,
  and **attributes** linking it to the region's **taxonomies** (law, segment, profile,
  intensity, expertise), which are published as HSDS taxonomies and terms.
- `assured_date` is the day the figures were last measured or confirmed ("klopt nog").
- Ids are UUIDs (version 5) derived from the KvK number and the kind of help, so they
  never change between runs.
- The Etalage profile adds to each service `etalage_wachttijd`, `etalage_capaciteit`
  and `etalage_resultaten` (etalage/hsds/profile/).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from etalage.provider import ProviderRecord, is_stale
from etalage.region.model import RegionPack

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://etalage.example/hsds/3.0")
HSDS_VERSION = "3.0"
# the region's taxonomies: name -> (pack kind, description)
TAXONOMIES = {
    "wet": "De wet waaronder de hulp valt (Jeugdwet of Wmo).",
    "segment": "Het segment: A vrij toegankelijk, B met een beschikking, C specialistisch.",
    "profiel": "Het ondersteuningsprofiel van de regio.",
    "intensiteit": "De intensiteit van de hulp (licht, midden, zwaar).",
    "expertise": "De expertise van de aanbieder.",
    "aanmelding": "Hoe een inwoner bij de hulp komt (huisarts, toegang, direct).",
}
FREE = "A"


def uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def taxonomy_id(name: str, region: str) -> str:
    return uid("taxonomy", region, name)


def term_id(name: str, code: str, region: str) -> str:
    return uid("term", region, name, code)


def _terms(pack: RegionPack) -> dict[str, list[tuple[str, str, str]]]:
    """taxonomy -> [(code, name, description)]."""
    return {
        "wet": [(x.code, x.name, x.name) for x in pack.laws],
        "segment": [(x.code, x.name, x.description or x.name) for x in pack.segments],
        "profiel": [(x.code, x.name, x.description or x.name) for x in pack.profiles],
        "intensiteit": [(x.code, x.name, x.description or x.name) for x in pack.intensities],
        "expertise": [(x.code, x.label, x.label) for x in pack.expertise],
        "aanmelding": [(code, name, name) for code, name in pack.registration_routes.items()],
    }


def taxonomies(pack: RegionPack) -> list[dict[str, Any]]:
    return [
        {
            "id": taxonomy_id(name, pack.code),
            "name": f"etalage-{pack.code}-{name}",
            "description": description,
            "uri": None,
            "version": "1",
        }
        for name, description in TAXONOMIES.items()
    ]


def taxonomy_terms(pack: RegionPack) -> list[dict[str, Any]]:
    out = []
    for name, terms in _terms(pack).items():
        for code, label, description in terms:
            out.append(
                {
                    "id": term_id(name, code, pack.code),
                    "code": code,
                    "name": label,
                    "description": description,
                    "parent_id": None,
                    "taxonomy": f"etalage-{pack.code}-{name}",
                    "language": "nl",
                    "taxonomy_id": taxonomy_id(name, pack.code),
                    "term_uri": None,
                }
            )
    return out


@dataclass(frozen=True)
class Kind:
    """One kind of help of a provider: the free offer, or one profile."""

    key: str  # "A" or the profile code
    intensities: tuple[str, ...]


def kinds(record: ProviderRecord) -> list[Kind]:
    found = []
    if FREE in record.segments:
        found.append(Kind(FREE, ()))
    profiles: dict[str, list[str]] = {}
    for profile, intensity in sorted(record.arrangements):
        profiles.setdefault(profile, []).append(intensity)
    found += [Kind(p, tuple(i)) for p, i in profiles.items()]
    return found


class Mapper:
    """HSDS objects for one region pack, on one day (staleness depends on it)."""

    def __init__(self, pack: RegionPack, today: date) -> None:
        self.pack = pack
        self.today = today
        self._terms = {(name, t[0]): t for name, ts in _terms(pack).items() for t in ts}
        self._places = {m.code: m for m in pack.municipalities}
        self._profiles = {p.code: p for p in pack.profiles}

    # ---- pieces

    def organization_id(self, record: ProviderRecord) -> str:
        return uid("organization", record.kvk)

    def location_id(self, record: ProviderRecord) -> str:
        return uid("location", record.kvk, "0")

    def service_id(self, record: ProviderRecord, kind: Kind) -> str:
        return uid("service", record.kvk, kind.key)

    def _term(self, name: str, code: str) -> dict[str, Any] | None:
        found = self._terms.get((name, code))
        if found is None:
            return None
        return {
            "id": term_id(name, code, self.pack.code),
            "code": code,
            "name": found[1],
            "description": found[2],
            "taxonomy": f"etalage-{self.pack.code}-{name}",
            "taxonomy_id": taxonomy_id(name, self.pack.code),
        }

    def _attributes(self, record: ProviderRecord, kind: Kind, link: str) -> list[dict[str, Any]]:
        wanted = [("wet", law) for law in record.laws]
        if kind.key == FREE:
            wanted.append(("segment", FREE))
        else:
            wanted += [("segment", s) for s in record.segments if s != FREE]
            wanted.append(("profiel", kind.key))
            wanted += [("intensiteit", i) for i in kind.intensities]
        wanted += [("expertise", e) for e in record.expertise]
        wanted += [("aanmelding", r) for r in record.registration_routes]
        out = []
        for name, code in wanted:
            term = self._term(name, code)
            if term is None:
                continue
            out.append(
                {
                    "id": uid("attribute", link, term["id"]),
                    "link_id": link,
                    "link_type": name,
                    "link_entity": "service",
                    "taxonomy_term_id": term["id"],
                    "value": code,
                    "taxonomy_term": term,
                }
            )
        return out

    def phones(self, record: ProviderRecord, owner: str) -> list[dict[str, Any]]:
        if not record.phone:
            return []
        return [
            {
                "id": uid("phone", record.kvk, owner),
                "number": record.phone,
                "type": "voice",
                "languages": [],
            }
        ]

    def location(self, record: ProviderRecord) -> dict[str, Any] | None:
        main = record.main_location
        if main is None:
            return None
        place = self._places.get(main.municipality or "")
        loc_id = self.location_id(record)
        address = None
        if main.address or main.city or main.postcode:
            address = {
                "id": uid("address", record.kvk, "0"),
                "location_id": loc_id,
                "address_1": main.address or "",
                "city": main.city or (place.name if place else ""),
                "region": place.name if place else None,
                "state_province": "Noord-Holland" if place else "",
                "postal_code": main.postcode or "",
                "country": "NL",
                "address_type": "physical",
            }
        return {
            "id": loc_id,
            "location_type": "physical",
            "organization_id": self.organization_id(record),
            "name": f"{record.name}, {main.city or (place.name if place else '')}".rstrip(", "),
            "latitude": main.lat,
            "longitude": main.lon,
            "external_identifier": main.municipality,
            "external_identifier_type": "gemeentecode",
            "addresses": [address] if address else [],
            "phones": self.phones(record, "location"),
            "languages": [],
            "schedules": [],
            "accessibility": [],
            "attributes": [],
            "contacts": [],
        }

    def _waiting(self, record: ProviderRecord) -> dict[str, Any] | None:
        w = record.latest_waiting
        if w is None:
            return None
        return {
            "aanmelden_weken": w.registration_weeks,
            "behandeling_weken": w.treatment_weeks,
            "totaal_weken": w.total_weeks,
            "wachtlijst_aantal": w.waiting_list_size,
            "peildatum": w.peildatum.isoformat(),
            "bevestigd_op": w.checked_on.isoformat(),
            "verouderd": is_stale(w.checked_on, self.today, self.pack.freshness_weeks),
        }

    def _capacity(self, record: ProviderRecord) -> dict[str, Any] | None:
        c = record.capacity_on(self.today)
        if c is None:
            return None
        return {
            "status": c.status,
            "toelichting": c.note,
            "geldig_tot": c.until.isoformat() if c.until else None,
            "sinds": c.since.isoformat() if c.since else None,
        }

    def _outcomes(self, record: ProviderRecord) -> dict[str, Any] | None:
        k = record.latest_kpi
        if k is None:
            return None
        too_few = k.n < self.pack.kpi_min_n
        return {
            "periode": k.period,
            "n": k.n,
            "te_weinig_waarnemingen": too_few,
            "uitval_pct": None if too_few else k.dropout_pct,
            "doelrealisatie_pct": None if too_few else k.goal_attainment_pct,
            "tevredenheid_pct": None if too_few else k.satisfaction_pct,
        }

    # ---- objects

    def service(
        self,
        record: ProviderRecord,
        kind: Kind,
        modified: datetime | None,
        *,
        full: bool,
    ) -> dict[str, Any]:
        sid = self.service_id(record, kind)
        if kind.key == FREE:
            what = "vrij toegankelijke hulp"
        else:
            profile = self._profiles.get(kind.key)
            what = f"{kind.key} {profile.name if profile else kind.key}"
        laws = " en ".join(
            self._terms[("wet", law)][1] for law in record.laws if ("wet", law) in self._terms
        )
        ages = []
        if record.age_min:
            ages.append(f"vanaf {record.age_min} jaar")
        if record.age_max is not None and record.age_max < 120:
            ages.append(f"tot en met {record.age_max} jaar")
        waiting = self._waiting(record)
        service: dict[str, Any] = {
            "id": sid,
            "organization_id": self.organization_id(record),
            "name": f"{record.name}: {what}",
            "alternate_name": None,
            "description": record.description or None,
            "url": record.website,
            "email": record.email,
            "status": "active",
            "interpretation_services": None,
            "application_process": _application(record),
            "fees_description": None,
            "wait_time": _wait_text(waiting),
            "fees": None,
            "accreditations": None,
            "eligibility_description": ", ".join(x for x in (laws, " ".join(ages)) if x) or None,
            "minimum_age": record.age_min,
            "maximum_age": record.age_max,
            "assured_date": waiting["bevestigd_op"] if waiting else None,
            "assurer_email": None,
            "licenses": None,
            "alert": None,
            "last_modified": modified.isoformat() if modified else None,
            "etalage_intensiteiten": list(kind.intensities),
            "etalage_wachttijd": waiting,
            "etalage_capaciteit": self._capacity(record),
            "etalage_resultaten": self._outcomes(record),
        }
        if not full:
            return service
        location = self.location(record)
        served = record.served_municipalities(list(self._places))
        service.update(
            {
                "phones": self.phones(record, sid),
                "schedules": [],
                "service_areas": [
                    {
                        "id": uid("service_area", sid, code),
                        "service_id": sid,
                        "name": self._places[code].name,
                        "description": "Heel de regio" if record.serves_region else None,
                        "extent": None,
                        "extent_type": None,
                        "uri": None,
                    }
                    for code in served
                    if code in self._places
                ],
                "service_at_locations": [
                    self.service_at_location(record, kind, location, full=True)
                ]
                if location
                else [],
                "languages": [
                    {
                        "id": uid("language", sid, code),
                        "service_id": sid,
                        "name": self.pack.languages.get(code, code),
                        "code": code,
                        "note": None,
                    }
                    for code in record.languages
                ],
                "organization": self.organization(record, modified, full=False),
                "funding": [],
                "cost_options": [],
                "required_documents": [],
                "contacts": [],
                "attributes": self._attributes(record, kind, sid),
                "metadata": [],
            }
        )
        return service

    def service_at_location(
        self, record: ProviderRecord, kind: Kind, location: dict[str, Any] | None, *, full: bool
    ) -> dict[str, Any]:
        sid = self.service_id(record, kind)
        out: dict[str, Any] = {
            "id": uid("service_at_location", sid, "0"),
            "service_id": sid,
            "location_id": self.location_id(record),
            "description": None,
        }
        if full:
            out.update(
                {
                    "contacts": [],
                    "phones": [],
                    "schedules": [],
                    "location": location,
                    "attributes": [],
                    "metadata": [],
                }
            )
        return out

    def organization(
        self, record: ProviderRecord, modified: datetime | None, *, full: bool
    ) -> dict[str, Any]:
        oid = self.organization_id(record)
        out: dict[str, Any] = {
            "id": oid,
            "name": record.name,
            "alternate_name": None,
            "description": record.description or record.name,
            "email": record.email,
            "website": record.website,
            "tax_status": None,
            "tax_id": None,
            "year_incorporated": None,
            "legal_status": None,
            "logo": None,
            "uri": None,
            "parent_organization_id": None,
        }
        if not full:
            return out
        location = self.location(record)
        out.update(
            {
                "funding": [],
                "contacts": [],
                "phones": self.phones(record, oid),
                "locations": [location] if location else [],
                "programs": [],
                "organization_identifiers": [
                    {
                        "id": uid("organization_identifier", record.kvk),
                        "organization_id": oid,
                        "identifier_scheme": "NL-KVK",
                        "identifier_type": "KvK-nummer",
                        "identifier": record.kvk,
                    }
                ],
                "attributes": [],
                "metadata": [],
                "services": [self.service(record, k, modified, full=False) for k in kinds(record)],
            }
        )
        return out


def _wait_text(waiting: Mapping[str, Any] | None) -> str | None:
    if waiting is None:
        return None
    return (
        f"Aanmelden {waiting['aanmelden_weken']} weken, behandeling "
        f"{waiting['behandeling_weken']} weken (peildatum {waiting['peildatum']})"
    )


def _application(record: ProviderRecord) -> str | None:
    routes = {
        "huisarts": "met een verwijzing van de huisarts",
        "toegang": "via het wijkteam of de toegang van de gemeente",
        "direct": "rechtstreeks, zonder verwijzing",
    }
    parts = [routes[r] for r in record.registration_routes if r in routes]
    return ("Aanmelden " + ", of ".join(parts) + ".") if parts else None


def services(
    records: Sequence[ProviderRecord],
    mapper: Mapper,
    modified: Mapping[str, datetime],
    *,
    full: bool,
) -> list[dict[str, Any]]:
    return [mapper.service(r, k, modified.get(r.kvk), full=full) for r in records for k in kinds(r)]


def clean(value: Any, *, keep_null: bool = False) -> Any:
    """Without the fields that are not known (`None`): HSDS types them as strings, numbers
    or dates, so an unknown value is left out rather than sent as null. The profile's
    `etalage_*` fields keep their nulls (the profile says what null means there)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            inside = keep_null or key.startswith("etalage_")
            if item is None and not inside:
                continue
            out[key] = clean(item, keep_null=inside)
        return out
    if isinstance(value, list):
        return [clean(item, keep_null=keep_null) for item in value]
    return value
