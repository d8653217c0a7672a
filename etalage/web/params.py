"""Parse and validate the provider search parameters, for the API and the HTML pages.

Every parameter arrives as raw strings and is checked here, so a bad value always
gives a Dutch message that names the parameter (400), never a framework error or 500.
Codes are matched without regard to case, and municipality names work too
("Stede Broec" → `stede-broec`). The result is the search layer's own `SearchRequest`,
which goes to the search service as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from etalage.region.model import RegionPack
from search_index.protocol import DEFAULT_PER_PAGE, MAX_PER_PAGE, SORTS, SearchRequest

PARAMETERS = (
    "q", "gemeente", "wet", "segment", "profiel", "intensiteit", "expertise", "taal",
    "leeftijd", "max_wachttijd_weken", "postcode", "afstand_km", "sort", "page", "per_page",
)  # fmt: skip
REPEATABLE = frozenset({"expertise"})
REGIO = "regio"
ALLE = "alle"  # every municipality; a place named in q is left out too
MAX_LENGTH = 200
MAX_PAGE = 10_000
MAX_DISTANCE_KM = 250.0

_INT = re.compile(r"^[0-9]{1,6}$")
_DECIMAL = re.compile(r"^[0-9]{1,4}(?:[.,][0-9]{1,3})?$")
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})?$")
_KVK = re.compile(r"^[0-9]{8}$")


class ParamError(ValueError):
    """A bad request parameter; `message` is Dutch and names `parameter` (for the API);
    `hint` says the same in plain words next to the form field (for the pages)."""

    def __init__(self, parameter: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.hint = hint or message


def _fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive key: 'Stede Broec' == 'stede-broec'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_-]+", "-", plain.strip())


def _clean(name: str, raw: str) -> str:
    value = raw.strip()
    if len(value) > MAX_LENGTH:
        raise ParamError(name, f"De parameter '{name}' is te lang (hoogstens {MAX_LENGTH} tekens).")
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") for c in value):
        raise ParamError(name, f"De parameter '{name}' bevat tekens die niet zijn toegestaan.")
    return value


def _choice(name: str, value: str, options: Mapping[str, str], unknown: str) -> str:
    """Map a value onto a canonical code; options: code -> display name."""
    folded = _fold(value)
    for code, label in options.items():
        if folded in (_fold(code), _fold(label)):
            return code
    allowed = ", ".join(options)
    raise ParamError(
        name,
        f"{unknown} '{value}' in parameter '{name}'. Kies uit: {allowed}.",
        f"{unknown} ‘{value}’. Kies een van de mogelijkheden in de lijst.",
    )


def _integer(name: str, value: str, low: int, high: int) -> int:
    if _INT.match(value):
        number = int(value)
        if low <= number <= high:
            return number
    raise ParamError(
        name,
        f"De parameter '{name}' moet een heel getal zijn van {low} tot en met {high}.",
        f"Vul een heel getal in van {low} tot en met {high}, bijvoorbeeld {min(high, 15)}.",
    )


def parse_postcode(name: str, value: str, pack: RegionPack) -> str:
    """'1621 ab' → '1621AB'; '1621' stays '1621'. The PC4 area must be in the pack."""
    match = _POSTCODE.match(value)
    if not match:
        raise ParamError(
            name,
            f"De parameter '{name}' is geen geldige postcode. "
            "Gebruik vier cijfers en eventueel twee letters, bijvoorbeeld 1621 AB of 1621.",
            "Vul een postcode in zoals 1621 AB of 1621.",
        )
    pc4, letters = match.group(1), (match.group(2) or "").upper()
    if pack.postcode_centroid(pc4) is None:
        raise ParamError(
            name,
            f"Postcode {pc4} (parameter '{name}') ligt niet in de regio {pack.name}. "
            "Vul een postcode uit de regio in.",
            f"Postcode {pc4} ligt buiten de regio {pack.name}. We meten de afstand vanaf "
            "het midden van uw postcodegebied, en dat kan alleen in de regio. Vul een "
            "postcode uit de regio in, bijvoorbeeld die van uw huisarts.",
        )
    return pc4 + letters


def parse_kvk(value: str) -> str:
    value = value.strip()
    if not _KVK.match(value):
        raise ParamError(
            "kvk", "De parameter 'kvk' moet een KvK-nummer van precies 8 cijfers zijn."
        )
    return value


def parse_provider_filters(
    query: Mapping[str, Sequence[str]], pack: RegionPack, *, allow_unknown: bool = False
) -> SearchRequest:
    """Validate raw query parameters (name -> list of values) into a `SearchRequest`.

    Empty values count as not given (a GET form sends every field). Unknown parameter
    names are an error for the API; the HTML pages pass `allow_unknown=True`.
    """
    values: dict[str, str] = {}
    expertise_raw: list[str] = []
    for name, raw_values in query.items():
        if name not in PARAMETERS:
            if allow_unknown:
                continue
            raise ParamError(
                name,
                f"Onbekende parameter '{name}'. Toegestaan zijn: {', '.join(PARAMETERS)}.",
            )
        cleaned = [v for v in (_clean(name, r) for r in raw_values) if v]
        if name in REPEATABLE:
            expertise_raw.extend(cleaned)
        elif len(cleaned) > 1:
            raise ParamError(name, f"De parameter '{name}' mag maar één keer voorkomen.")
        elif cleaned:
            values[name] = cleaned[0]

    laws = {x.code: x.name for x in pack.laws}
    segments = {x.code: x.name for x in pack.segments}
    profiles = {x.code: x.name for x in pack.profiles}
    intensities = {x.code: x.name for x in pack.intensities}
    tags = {x.code: x.label for x in pack.expertise}

    def pick(name: str, options: Mapping[str, str], unknown: str) -> str | None:
        return _choice(name, values[name], options, unknown) if name in values else None

    # `regio`: providers that work in the whole region (docs/http-api.md#query-parameters).
    municipalities = {m.code: m.name for m in pack.municipalities} | {
        REGIO: "Heel de regio",
        ALLE: "Alle gemeenten",
    }
    gemeente = pick("gemeente", municipalities, "Onbekende gemeente")
    ignore_place = gemeente == ALLE
    if ignore_place:
        gemeente = None
    wet = pick("wet", laws, "Onbekende wet")
    segment = pick("segment", segments, "Onbekend segment")
    profiel = pick("profiel", profiles, "Onbekend profiel")
    intensiteit = pick("intensiteit", intensities, "Onbekende intensiteit")
    taal = None
    if "taal" in values:
        if pack.languages:
            taal = _choice("taal", values["taal"], pack.languages, "Onbekende taal")
        elif re.fullmatch(r"[A-Za-z]{2}", values["taal"]):
            taal = values["taal"].lower()
        else:
            raise ParamError("taal", "De parameter 'taal' moet een taalcode van twee letters zijn.")

    if len(expertise_raw) > len(tags):
        raise ParamError("expertise", "De parameter 'expertise' komt te vaak voor.")
    expertise: list[str] = []
    for raw in expertise_raw:
        code = _choice("expertise", raw, tags, "Onbekende expertise")
        if code not in expertise:
            expertise.append(code)

    leeftijd = _integer("leeftijd", values["leeftijd"], 0, 120) if "leeftijd" in values else None
    max_wacht = (
        _integer("max_wachttijd_weken", values["max_wachttijd_weken"], 0, 208)
        if "max_wachttijd_weken" in values
        else None
    )
    page = _integer("page", values["page"], 1, MAX_PAGE) if "page" in values else 1
    per_page = (
        _integer("per_page", values["per_page"], 1, MAX_PER_PAGE)
        if "per_page" in values
        else DEFAULT_PER_PAGE
    )
    postcode = (
        parse_postcode("postcode", values["postcode"], pack) if "postcode" in values else None
    )

    afstand = None
    if "afstand_km" in values:
        raw = values["afstand_km"]
        number = float(raw.replace(",", ".")) if _DECIMAL.match(raw) else -1.0
        if not 0 < number <= MAX_DISTANCE_KM:
            raise ParamError(
                "afstand_km",
                "De parameter 'afstand_km' moet een getal zijn groter dan 0 en hoogstens "
                f"{MAX_DISTANCE_KM:g} (kilometers).",
                f"Vul een aantal kilometers in, groter dan 0 en hoogstens {MAX_DISTANCE_KM:g}.",
            )
        if postcode is None:
            raise ParamError(
                "afstand_km",
                "De parameter 'afstand_km' werkt alleen samen met een 'postcode'. "
                "Vul ook een postcode in.",
                "Vul ook uw postcode in. Dan weten we vanaf waar we de afstand meten.",
            )
        afstand = number

    wanted = values.get("sort", "relevance").lower()
    sort = next((option for option in SORTS if option == wanted), None)
    if sort is None:
        raise ParamError(
            "sort",
            f"Onbekende sortering '{values['sort']}' in parameter 'sort'. "
            f"Kies uit: {', '.join(SORTS)}.",
        )
    if sort == "afstand" and postcode is None:
        raise ParamError(
            "sort",
            "Sorteren op afstand (parameter 'sort') kan alleen met een 'postcode'. "
            "Vul ook een postcode in.",
            "Vul uw postcode in. Dan zetten we de aanbieders die het dichtstbij zijn bovenaan.",
        )

    return SearchRequest(
        q=values.get("q"),
        gemeente=gemeente,
        wet=wet,
        segment=segment,
        profiel=profiel,
        intensiteit=intensiteit,
        expertise=tuple(expertise),
        taal=taal,
        leeftijd=leeftijd,
        max_wachttijd_weken=max_wacht,
        postcode=postcode,
        afstand_km=afstand,
        sort=sort,
        page=page,
        per_page=per_page,
        ignore_place=ignore_place,
    )


def filters_to_query(request: SearchRequest, **overrides: object) -> list[tuple[str, str]]:
    """The canonical query string of a search (only what is set), for links."""
    items: list[tuple[str, str]] = []
    fields: dict[str, object] = {
        "q": request.q,
        "gemeente": ALLE if request.ignore_place and not request.gemeente else request.gemeente,
        "wet": request.wet,
        "segment": request.segment,
        "profiel": request.profiel,
        "intensiteit": request.intensiteit,
        "expertise": list(request.expertise),
        "taal": request.taal,
        "leeftijd": request.leeftijd,
        "max_wachttijd_weken": request.max_wachttijd_weken,
        "postcode": request.postcode,
        "afstand_km": f"{request.afstand_km:g}" if request.afstand_km is not None else None,
        "sort": None if request.sort == "relevance" else request.sort,
        "page": None if request.page == 1 else request.page,
        "per_page": None if request.per_page == DEFAULT_PER_PAGE else request.per_page,
    }
    fields.update(overrides)
    for name, value in fields.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            items.extend((name, str(v)) for v in value)
        else:
            items.append((name, str(value)))
    return items
