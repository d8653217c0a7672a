"""The one place where search filters are built.

Filters are first a small list of conditions (all must hold), then either a Meilisearch
filter string (`to_meili`) or a predicate over documents (`matches`, the reference the
embedded backend's bitsets are tested against). Attribute names come from an allow-list
only; string values are always quoted with backslash and double quote escaped; numbers
must be real, finite numbers. Nothing a user types reaches a filter string any other way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from etalage.region.model import RegionPack
from search_index.protocol import QueryError, SearchFilters

Kind = Literal["string", "number", "bool"]

# attribute -> kind; the only attributes a filter may name (plus _geoRadius).
ATTRIBUTES: dict[str, Kind] = {
    "werkgebied": "string",
    "gemeente": "string",
    "wetten": "string",
    "segmenten": "string",
    "profielen": "string",
    "intensiteiten": "string",
    "arrangementen": "string",
    "expertise": "string",
    "talen": "string",
    "aanmelding": "string",
    "regio": "bool",
    "leeftijd_min": "number",
    "leeftijd_max": "number",
    "wachttijd_totaal_weken": "number",
}

MAX_VALUE_LENGTH = 200
EARTH_RADIUS_M = 6_371_008.8
MAX_AFSTAND_KM = 250.0
MAX_WACHTTIJD_WEKEN = 208

Operator = Literal["<=", ">="]


@dataclass(frozen=True)
class Eq:
    """The attribute (a value or a list of values) equals or contains `value`."""

    attribute: str
    value: str | bool


@dataclass(frozen=True)
class Compare:
    attribute: str
    op: Operator
    value: float


@dataclass(frozen=True)
class GeoRadius:
    lat: float
    lng: float
    meters: float


Condition = Eq | Compare | GeoRadius


def _attribute(name: str, kind: Kind) -> str:
    if ATTRIBUTES.get(name) != kind:
        raise ValueError(f"attribute {name!r} is not allowed in a filter as {kind}")
    return name


def _number(value: Any, param: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QueryError(param, "moet een getal zijn")
    if not math.isfinite(value):
        raise QueryError(param, "moet een eindig getal zijn")
    return float(value)


def eq(attribute: str, value: str | bool, param: str | None = None) -> Eq:
    if isinstance(value, bool):
        return Eq(_attribute(attribute, "bool"), value)
    _attribute(attribute, "string")
    return Eq(attribute, _text(value, param or attribute))


def _text(value: Any, param: str) -> str:
    if not isinstance(value, str):
        raise QueryError(param, "moet tekst zijn")
    if len(value) > MAX_VALUE_LENGTH:
        raise QueryError(param, f"is te lang (meer dan {MAX_VALUE_LENGTH} tekens)")
    return value


def compare(attribute: str, op: Operator, value: Any, param: str | None = None) -> Compare:
    if op not in ("<=", ">="):
        raise ValueError(f"operator {op!r} is not allowed")
    return Compare(_attribute(attribute, "number"), op, _number(value, param or attribute))


def geo_radius(lat: Any, lng: Any, meters: Any) -> GeoRadius:
    latitude, longitude, radius = (
        _number(lat, "postcode"),
        _number(lng, "postcode"),
        _number(meters, "afstand_km"),
    )
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise QueryError("postcode", "ligt niet op aarde")
    if radius < 0:
        raise QueryError("afstand_km", "mag niet negatief zijn")
    return GeoRadius(latitude, longitude, radius)


# ---- Meilisearch ------------------------------------------------------------------------


def quote(value: str) -> str:
    """A Meilisearch filter string literal: backslash and double quote escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def condition_to_meili(condition: Condition) -> str:
    if isinstance(condition, Eq):
        name = _attribute(condition.attribute, ATTRIBUTES.get(condition.attribute, "string"))
        if isinstance(condition.value, bool):
            return f"{name} = {'true' if condition.value else 'false'}"
        return f"{name} = {quote(condition.value)}"
    if isinstance(condition, Compare):
        return f"{_attribute(condition.attribute, 'number')} {condition.op} {_num(condition.value)}"
    return f"_geoRadius({_num(condition.lat)}, {_num(condition.lng)}, {_num(condition.meters)})"


def to_meili(conditions: Iterable[Condition]) -> str | None:
    parts = [condition_to_meili(c) for c in conditions]
    return " AND ".join(parts) if parts else None


# ---- reference semantics (embedded backend, tests) ---------------------------------------


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    lat1_rad, lat2_rad = math.radians(lat1), math.radians(lat2)
    dlat_rad, dlng_rad = lat2_rad - lat1_rad, math.radians(lng2 - lng1)
    haversine = (
        math.sin(dlat_rad / 2) ** 2
        + math.cos(lat1_rad) * math.cos(lat2_rad) * math.sin(dlng_rad / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(haversine)))


def value_matches(stored: Any, condition: Eq) -> bool:
    values = stored if isinstance(stored, list) else [stored]
    if isinstance(condition.value, bool):
        return any(v is condition.value for v in values)
    return any(isinstance(v, str) and v == condition.value for v in values)


def number_matches(stored: Any, condition: Compare) -> bool:
    if isinstance(stored, bool) or not isinstance(stored, int | float):
        return False
    return stored <= condition.value if condition.op == "<=" else stored >= condition.value


def matches(doc: Mapping[str, Any], conditions: Iterable[Condition]) -> bool:
    for condition in conditions:
        if isinstance(condition, Eq):
            if not value_matches(doc.get(condition.attribute), condition):
                return False
        elif isinstance(condition, Compare):
            if not number_matches(doc.get(condition.attribute), condition):
                return False
        else:
            geo = doc.get("_geo")
            if (
                not geo
                or distance_m(condition.lat, condition.lng, geo["lat"], geo["lng"])
                > condition.meters
            ):
                return False
    return True


# ---- from the search form ------------------------------------------------------------------


def conditions_for(
    filters: SearchFilters, origin: tuple[float, float] | None = None
) -> list[Condition]:
    """The conditions for the form's filters; `origin` is the postcode's centroid."""
    out: list[Condition] = []
    if filters.gemeente == "regio":
        out.append(eq("regio", True))
    elif filters.gemeente is not None:
        out.append(eq("werkgebied", filters.gemeente, "gemeente"))
    for attribute, value, param in (
        ("wetten", filters.wet, "wet"),
        ("segmenten", filters.segment, "segment"),
        ("talen", filters.taal, "taal"),
    ):
        if value is not None:
            out.append(eq(attribute, value, param))
    if filters.profiel is not None and filters.intensiteit is not None:
        # Both checked on their own; the pair is one arrangement code ("J4:zwaar").
        pair = f"{_text(filters.profiel, 'profiel')}:{_text(filters.intensiteit, 'intensiteit')}"
        out.append(Eq("arrangementen", pair))
    elif filters.profiel is not None:
        out.append(eq("profielen", filters.profiel, "profiel"))
    elif filters.intensiteit is not None:
        out.append(eq("intensiteiten", filters.intensiteit, "intensiteit"))
    for tag in dict.fromkeys(filters.expertise):  # each once, all of them
        out.append(eq("expertise", tag, "expertise"))
    if filters.leeftijd is not None:
        age = _number(filters.leeftijd, "leeftijd")
        if not (age.is_integer() and 0 <= age <= 120):
            raise QueryError("leeftijd", "moet een heel getal van 0 tot en met 120 zijn")
        until = age
        if filters.leeftijd_tot is not None:
            until = _number(filters.leeftijd_tot, "leeftijd")
            if not (until.is_integer() and age <= until <= 120):
                raise QueryError(
                    "leeftijd", "het einde moet een heel getal van de leeftijd tot en met 120 zijn"
                )
        # Serves this age, or for a range: any age in it (the two ranges overlap).
        out.append(compare("leeftijd_min", "<=", until, "leeftijd"))
        out.append(compare("leeftijd_max", ">=", age, "leeftijd"))
    if filters.max_wachttijd_weken is not None:
        weeks = _number(filters.max_wachttijd_weken, "max_wachttijd_weken")
        if not 0 <= weeks <= MAX_WACHTTIJD_WEKEN:
            raise QueryError(
                "max_wachttijd_weken", f"moet tussen 0 en {MAX_WACHTTIJD_WEKEN} weken liggen"
            )
        out.append(compare("wachttijd_totaal_weken", "<=", weeks, "max_wachttijd_weken"))
    if filters.afstand_km is not None:
        distance_km = _number(filters.afstand_km, "afstand_km")
        if not 0 < distance_km <= MAX_AFSTAND_KM:
            raise QueryError(
                "afstand_km", f"moet meer dan 0 en hoogstens {MAX_AFSTAND_KM:g} km zijn"
            )
        if origin is None:
            raise QueryError("postcode", "vul een postcode in om op afstand te zoeken")
        out.append(geo_radius(origin[0], origin[1], distance_km * 1000))
    return out


def check_codes(filters: SearchFilters, pack: RegionPack) -> None:
    """Raise QueryError for a code the region pack does not know (API: 400)."""
    known: dict[str, set[str]] = {
        "gemeente": {m.code for m in pack.municipalities} | {"regio"},
        "wet": {x.code for x in pack.laws},
        "segment": {x.code for x in pack.segments},
        "profiel": {x.code for x in pack.profiles},
        "intensiteit": {x.code for x in pack.intensities},
        "expertise": {x.code for x in pack.expertise},
        "taal": set(pack.languages),
    }
    if not known["taal"]:
        del known["taal"]  # a pack without a language list accepts any code
    for param, codes in known.items():
        value = getattr(filters, param)
        for given in value if isinstance(value, tuple) else (value,):
            if given is not None and given not in codes:
                shown = given if len(given) <= 40 else given[:40] + "…"
                raise QueryError(param, f"onbekende waarde ‘{shown}’")
