"""HSDS 3.0 tabular data packages (docs/hsds.md#tabular-data-packages): CSV files plus
`datapackage.json`, written from the catalogue and read back into it.

Export: the tables of the HSDS objects the API publishes (organizations, their
identifiers, locations, addresses, phones, services, service areas, languages,
services at locations, attributes, taxonomies, taxonomy terms) and the Etalage
profile's tables (`etalage_wachttijden`, `etalage_capaciteit`, `etalage_resultaten`),
rows sorted by id, columns in the order of the HSDS 3.0 table schemas (kept in
`hsds-3.0-datapackage.json`, CC BY-SA 4.0, Open Referral), so the same data gives the
same files byte for byte.

Import: an organization with a KvK number (`organization_identifiers`, scheme
`NL-KVK`) becomes a provider; its services' attributes give its laws, segments,
arrangements (profile x intensity), expertise and registration routes through the
taxonomy terms; the profile's tables give the waiting time, confirmation, capacity
and outcome indicators. Every problem is reported in Dutch (an unknown taxonomy term,
no KvK number, a missing column) and nothing is written unless there is none; the
provider facts are then checked as the importer checks them.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from etalage.accounts.actor import SYSTEM, Actor
from etalage.audit import record_changes
from etalage.catalogue.import_reader import Row, Table
from etalage.catalogue.import_validation import validate_table
from etalage.catalogue.writer import apply_records
from etalage.db.models import Provider
from etalage.db.session import transaction
from etalage.hsds.mapping import TAXONOMIES, Mapper, clean, kinds, taxonomies, taxonomy_terms
from etalage.portal.snapshot import snapshot
from etalage.provider import CAPACITY_STATUSES, ProviderRecord
from etalage.region.model import RegionPack

SPEC = Path(__file__).resolve().parent / "hsds-3.0-datapackage.json"
MAX_FILE_BYTES = 50_000_000
MAX_ERRORS = 200

# HSDS resource name -> file
TABLES = {
    "organization": "organizations.csv",
    "organization_identifier": "organization_identifiers.csv",
    "location": "locations.csv",
    "address": "addresses.csv",
    "phone": "phones.csv",
    "service": "services.csv",
    "service_area": "service_areas.csv",
    "language": "languages.csv",
    "service_at_location": "service_at_location.csv",  # singular, as HSDS 3.0 names it
    "attribute": "attributes.csv",
    "taxonomy": "taxonomies.csv",
    "taxonomy_term": "taxonomy_terms.csv",
}
PROFILE_TABLES: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "etalage_wachttijd": (
        "etalage_wachttijden.csv",
        [
            ("id", "string", "Identifier"),
            ("organization_id", "string", "The organization (provider) measured"),
            ("peildatum", "date", "The date of the measurement"),
            ("aanmelden_weken", "integer", "Weeks from registration to intake"),
            ("behandeling_weken", "integer", "Weeks from intake to the start of help"),
            ("wachtlijst_aantal", "integer", "People on the waiting list"),
            ("bevestigd_op", "date", "Last measured or confirmed unchanged (klopt nog)"),
        ],
    ),
    "etalage_capaciteit": (
        "etalage_capaciteit.csv",
        [
            ("id", "string", "Identifier"),
            ("organization_id", "string", "The organization (provider)"),
            ("status", "string", "plek, wachtlijst, aanmeldstop or eerst_screening"),
            ("toelichting", "string", "Explanation"),
            ("geldig_tot", "date", "Last day the status holds"),
            ("sinds", "date", "First day of the status"),
        ],
    ),
    "etalage_resultaat": (
        "etalage_resultaten.csv",
        [
            ("id", "string", "Identifier"),
            ("organization_id", "string", "The organization (provider)"),
            ("periode", "string", "A year (2025) or a half-year (2025-H1)"),
            ("n", "integer", "Trajectories the percentages rest on"),
            ("uitval_pct", "number", "Drop-out, percent"),
            ("doelrealisatie_pct", "number", "Goal attainment, percent"),
            ("tevredenheid_pct", "number", "Client satisfaction, percent"),
        ],
    ),
}


def _spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    return data


def _columns(spec: dict[str, Any]) -> dict[str, list[str]]:
    out = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in spec["resources"]}
    for name, (_file, fields) in PROFILE_TABLES.items():
        out[name] = [f[0] for f in fields]
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, ".10g")
    return str(value)


# ---------------------------------------------------------------------------- export


def package_rows(
    records: Sequence[ProviderRecord], pack: RegionPack, today: date
) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows (dicts by column) for these records."""
    mapper = Mapper(pack, today)
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        org = clean(mapper.organization(record, None, full=True))
        rows["organization"].append(org)
        rows["organization_identifier"] += [
            {**x, "organization_id": org["id"]} for x in org.get("organization_identifiers", [])
        ]
        rows["phone"] += [{**p, "organization_id": org["id"]} for p in org.get("phones", [])]
        for location in org.get("locations", []):
            rows["location"].append(location)
            rows["address"] += location.get("addresses", [])
        for kind in kinds(record):
            service = clean(mapper.service(record, kind, None, full=True))
            rows["service"].append(service)
            rows["service_area"] += service.get("service_areas", [])
            rows["language"] += service.get("languages", [])
            rows["service_at_location"] += service.get("service_at_locations", [])
            rows["attribute"] += service.get("attributes", [])
        waiting = record.latest_waiting
        if waiting is not None:
            rows["etalage_wachttijd"].append(
                {
                    "id": mapper.organization_id(record),
                    "organization_id": org["id"],
                    "peildatum": waiting.peildatum.isoformat(),
                    "aanmelden_weken": waiting.registration_weeks,
                    "behandeling_weken": waiting.treatment_weeks,
                    "wachtlijst_aantal": waiting.waiting_list_size,
                    "bevestigd_op": waiting.checked_on.isoformat(),
                }
            )
        if record.capacity is not None:
            c = record.capacity
            rows["etalage_capaciteit"].append(
                {
                    "id": mapper.organization_id(record),
                    "organization_id": org["id"],
                    "status": c.status,
                    "toelichting": c.note,
                    "geldig_tot": c.until.isoformat() if c.until else None,
                    "sinds": c.since.isoformat() if c.since else None,
                }
            )
        kpi = record.latest_kpi
        if kpi is not None:
            rows["etalage_resultaat"].append(
                {
                    "id": mapper.organization_id(record),
                    "organization_id": org["id"],
                    "periode": kpi.period,
                    "n": kpi.n,
                    "uitval_pct": kpi.dropout_pct,
                    "doelrealisatie_pct": kpi.goal_attainment_pct,
                    "tevredenheid_pct": kpi.satisfaction_pct,
                }
            )
    rows["taxonomy"] = [clean(t) for t in taxonomies(pack)]
    rows["taxonomy_term"] = [clean(t) for t in taxonomy_terms(pack)]
    for attribute in rows["attribute"]:
        attribute.pop("taxonomy_term", None)
    # a phone belongs to its organization, location or service through the HSDS columns
    for phone in rows["phone"]:
        phone.setdefault("organization_id", None)
    return rows


def write_package(
    records: Sequence[ProviderRecord], pack: RegionPack, folder: Path, today: date
) -> list[Path]:
    """Write the package into `folder` (made if needed); returns the files written."""
    spec = _spec()
    columns = _columns(spec)
    rows = package_rows(records, pack, today)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    resources = []
    by_name = {r["name"]: r for r in spec["resources"]}
    names = set(TABLES) | set(PROFILE_TABLES)
    for name in [*TABLES, *PROFILE_TABLES]:
        path = TABLES.get(name) or PROFILE_TABLES[name][0]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns[name])
        for row in sorted(rows.get(name, []), key=lambda r: str(r.get("id"))):
            writer.writerow([_cell(row.get(c)) for c in columns[name]])
        (folder / path).write_text(out.getvalue(), encoding="utf-8")
        written.append(folder / path)
        if name in by_name:
            resource = json.loads(json.dumps(by_name[name]))
            keys = resource["schema"].get("foreignKeys", [])
            resource["schema"]["foreignKeys"] = [
                k for k in keys if k["reference"]["resource"] in names
            ]
            if not resource["schema"]["foreignKeys"]:
                resource["schema"].pop("foreignKeys")
        else:
            file, fields = PROFILE_TABLES[name]
            resource = {
                "name": name,
                "path": file,
                "description": f"Etalage profile: {name}",
                "format": "csv",
                "mediatype": "text/csv",
                "profile": "tabular-data-resource",
                "schema": {
                    "primaryKey": "id",
                    "fields": [{"name": n, "type": t, "description": d} for n, t, d in fields],
                    "foreignKeys": [
                        {
                            "fields": "organization_id",
                            "reference": {"resource": "organization", "fields": "id"},
                        }
                    ],
                },
            }
        resources.append(resource)
    package = {
        "name": f"etalage-{pack.code}",
        "title": f"Zorglandschap {pack.name}: gecontracteerde aanbieders "
        "(HSDS 3.0, Etalage-profiel)",
        "profile": "tabular-data-package",
        "version": spec.get("version", "3.0.0"),
        "license": spec.get("license"),
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    written.append(folder / "datapackage.json")
    return written


# ---------------------------------------------------------------------------- import


@dataclass
class PackageReport:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _read(
    folder: Path, file: str, report: PackageReport, *, required: bool
) -> list[dict[str, str]]:
    path = folder / file
    if not path.exists():
        if required:
            report.errors.append(f"Het bestand {file} ontbreekt in het pakket.")
        return []
    if path.stat().st_size > MAX_FILE_BYTES:
        report.errors.append(f"{file} is groter dan {MAX_FILE_BYTES // 1_000_000} MB.")
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(f"{file} is geen UTF-8-tekst.")
        return []
    return [
        {k: (v or "").strip() for k, v in row.items() if k}
        for row in csv.DictReader(io.StringIO(text))
    ]


def _by(rows: Iterable[dict[str, str]], key: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        out[row.get(key, "")].append(row)
    return out


def read_package(
    engine: Engine,
    pack: RegionPack,
    folder: Path,
    today: date,
    *,
    actor: Actor = SYSTEM,
    dry_run: bool = False,
) -> PackageReport:
    report = PackageReport()
    if not folder.is_dir():
        report.errors.append(f"{folder} is geen map.")
        return report
    tables = {
        name: _read(folder, file, report, required=name in ("organization", "service"))
        for name, file in TABLES.items()
    }
    profile = {
        name: _read(folder, spec[0], report, required=False)
        for name, spec in PROFILE_TABLES.items()
    }
    has_capacity = (folder / PROFILE_TABLES["etalage_capaciteit"][0]).exists()
    if report.errors:
        return report
    terms = {t.get("id", ""): t for t in tables["taxonomy_term"]}
    taxonomy_names = {t.get("id", ""): t.get("name", "") for t in tables["taxonomy"]}
    ids = _by(tables["organization_identifier"], "organization_id")
    services = _by(tables["service"], "organization_id")
    attributes = _by(tables["attribute"], "link_id")
    locations = _by(tables["location"], "organization_id")
    addresses = _by(tables["address"], "location_id")
    areas = _by(tables["service_area"], "service_id")
    languages = _by(tables["language"], "service_id")
    phones = _by(tables["phone"], "organization_id")
    places = {m.name.casefold(): m.code for m in pack.municipalities}
    header = (
        "kvk", "naam", "omschrijving", "website", "telefoon", "email", "wetten", "segmenten",
        "arrangementen", "expertise", "leeftijd_min", "leeftijd_max", "adres", "postcode",
        "plaats", "gemeente", "werkgebied", "talen", "aanmelding", "aanmeldwachttijd_weken",
        "behandelwachttijd_weken", "wachtlijst_aantal", "wachttijd_peildatum", "uitval_pct",
        "doelrealisatie_pct", "tevredenheid_pct", "kpi_n", "kpi_periode",
    )  # fmt: skip
    waits = {r["organization_id"]: r for r in profile["etalage_wachttijd"]}
    kpis = {r["organization_id"]: r for r in profile["etalage_resultaat"]}
    capacity = {r["organization_id"]: r for r in profile["etalage_capaciteit"]}
    table_rows: list[Row] = []
    extra: dict[str, tuple[str, dict[str, str] | None]] = {}  # kvk -> (bevestigd_op, capacity)
    unknown: set[tuple[str, str]] = set()
    for number, org in enumerate(
        sorted(tables["organization"], key=lambda o: o.get("id", "")), start=2
    ):
        oid = org.get("id", "")
        name = org.get("name", "") or "(zonder naam)"
        kvk = next(
            (
                i.get("identifier", "")
                for i in ids.get(oid, [])
                if i.get("identifier_scheme") == "NL-KVK"
            ),
            "",
        )
        found: dict[str, set[str]] = defaultdict(set)
        arrangements: set[str] = set()
        own = services.get(oid, [])
        for service in own:
            per: dict[str, set[str]] = defaultdict(set)
            for attr in attributes.get(service.get("id", ""), []):
                term = terms.get(attr.get("taxonomy_term_id", ""))
                taxonomy = (
                    taxonomy_names.get(term.get("taxonomy_id", ""), term.get("taxonomy", ""))
                    if term
                    else ""
                )
                kind = next((k for k in TAXONOMIES if taxonomy.endswith(f"-{k}")), None)
                if term is None or kind is None:
                    label = (term or {}).get("name") or attr.get("taxonomy_term_id", "")
                    unknown.add((label[:60], taxonomy[:60] or "onbekend"))
                    continue
                per[kind].add(term.get("code", ""))
            for kind, codes in per.items():
                found[kind] |= codes
            for profile_code in per.get("profiel", set()):
                arrangements |= {f"{profile_code}:{i}" for i in per.get("intensiteit", set())}
        if not kvk:
            report.errors.append(
                f"Organisatie '{name[:80]}' (organizations.csv): heeft geen KvK-nummer "
                "(organization_identifiers met identifier_scheme NL-KVK)."
            )
            continue
        first = own[0] if own else {}
        location = next(iter(locations.get(oid, [])), {})
        address = next(iter(addresses.get(location.get("id", ""), [])), {})
        served = {
            area.get("name", "") for service in own for area in areas.get(service.get("id", ""), [])
        }
        whole = any(
            area.get("description") == "Heel de regio"
            for s in own
            for area in areas.get(s.get("id", ""), [])
        )
        werkgebied = (
            "regio" if whole else "|".join(sorted(places.get(n.casefold(), n) for n in served))
        )
        gemeente = (
            location.get("external_identifier", "")
            if location.get("external_identifier_type") == "gemeentecode"
            else places.get(address.get("region", "").casefold(), "")
        )
        wait = waits.get(oid, {})
        kpi = kpis.get(oid, {})
        cells = {
            "kvk": kvk,
            "naam": name,
            "omschrijving": first.get("description", ""),
            "website": org.get("website", ""),
            "telefoon": next((p.get("number", "") for p in phones.get(oid, [])), ""),
            "email": org.get("email", ""),
            "wetten": "|".join(sorted(found["wet"])),
            "segmenten": "|".join(sorted(found["segment"])),
            "arrangementen": "|".join(sorted(arrangements)),
            "expertise": "|".join(sorted(found["expertise"])),
            "leeftijd_min": first.get("minimum_age", "").split(".")[0],
            "leeftijd_max": first.get("maximum_age", "").split(".")[0],
            "adres": address.get("address_1", ""),
            "postcode": address.get("postal_code", ""),
            "plaats": address.get("city", ""),
            "gemeente": gemeente,
            "werkgebied": werkgebied,
            "talen": "|".join(
                sorted(
                    {
                        lang.get("code", "")
                        for s in own
                        for lang in languages.get(s.get("id", ""), [])
                        if lang.get("code")
                    }
                )
            ),
            "aanmelding": "|".join(sorted(found["aanmelding"])),
            "aanmeldwachttijd_weken": wait.get("aanmelden_weken", ""),
            "behandelwachttijd_weken": wait.get("behandeling_weken", ""),
            "wachtlijst_aantal": wait.get("wachtlijst_aantal", ""),
            "wachttijd_peildatum": wait.get("peildatum", ""),
            "uitval_pct": kpi.get("uitval_pct", ""),
            "doelrealisatie_pct": kpi.get("doelrealisatie_pct", ""),
            "tevredenheid_pct": kpi.get("tevredenheid_pct", ""),
            "kpi_n": kpi.get("n", ""),
            "kpi_periode": kpi.get("periode", ""),
        }
        table_rows.append(Row(number, tuple(cells[c] for c in header)))
        extra[kvk] = (wait.get("bevestigd_op", ""), capacity.get(oid))
    for attr in tables["attribute"]:  # also the terms of what is not a service here
        term = terms.get(attr.get("taxonomy_term_id", ""))
        taxonomy = (
            taxonomy_names.get(term.get("taxonomy_id", ""), term.get("taxonomy", ""))
            if term
            else ""
        )
        if term is None or not any(taxonomy.endswith(f"-{k}") for k in TAXONOMIES):
            label = (term or {}).get("name") or attr.get("taxonomy_term_id", "")
            unknown.add((label[:60], taxonomy[:60] or "onbekend"))
    for label, taxonomy in sorted(unknown)[:50]:
        report.errors.append(
            f"Onbekende term '{label}' van taxonomie '{taxonomy}': die kent de regio niet."
        )
    if len(unknown) > 50:
        report.errors.append(f"En nog {len(unknown) - 50} onbekende termen.")
    if not tables["organization"]:
        report.errors.append("Er staan geen organisaties in organizations.csv.")
    if report.errors:
        report.errors = report.errors[:MAX_ERRORS]
        return report
    checked = validate_table(pack, Table(header=header, rows=tuple(table_rows)), today=today)
    if checked.issues:
        report.errors = [str(i).replace("Rij ", "Organisatie (regel ") for i in checked.issues][
            :MAX_ERRORS
        ]
        return report
    problems = []
    for kvk, (_confirmed, cap) in extra.items():
        if cap and cap.get("status") not in CAPACITY_STATUSES:
            problems.append(f"KvK {kvk}: onbekende capaciteit '{cap.get('status', '')[:40]}'.")
    if problems:
        report.errors = problems[:MAX_ERRORS]
        return report
    if dry_run:
        return report
    with transaction(engine) as session:
        kvks = [r.kvk for r in checked.records]
        before = {
            p.kvk: snapshot(p)
            for p in session.scalars(select(Provider).where(Provider.kvk.in_(kvks)))
        }
        result = apply_records(session, checked.records)
        for provider in result.providers:
            confirmed, cap = extra.get(provider.kvk, ("", None))
            day = date.fromisoformat(confirmed) if confirmed else None
            latest = provider.latest_waiting_time
            if day and latest and day > latest.peildatum and provider.confirmed_on != day:
                provider.confirmed_on = day
            if not has_capacity:  # a package without the profile's table says nothing
                old = before.get(provider.kvk, {})
                record_changes(session, actor, "hsds-import", provider.kvk, old, snapshot(provider))
                continue
            status = cap.get("status") if cap else None
            if provider.capacity_status != status:
                provider.capacity_status = status
            note = (cap or {}).get("toelichting", "")
            if (provider.capacity_note or "") != note:
                provider.capacity_note = note
            for column, key in (("capacity_until", "geldig_tot"), ("capacity_since", "sinds")):
                raw = (cap or {}).get(key, "")
                value = date.fromisoformat(raw) if raw else None
                if getattr(provider, column) != value:
                    setattr(provider, column, value)
            old = before.get(provider.kvk, {})
            record_changes(
                session,
                actor,
                "hsds-import: " + ("bijgewerkt" if old else "aangemaakt"),
                provider.kvk,
                old,
                snapshot(provider),
            )
        report.created, report.updated = result.created, result.updated
    return report
