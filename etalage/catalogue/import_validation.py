"""Check an import table against docs/import-format.md#columns and the region pack.

Pure: takes a `Table` and a `RegionPack`, returns validated `ProviderChange`s and every
problem found (not just the first), each with row, column and a Dutch reason.

Choices made here (documented in the import docs):
- Codes are matched without regard to upper/lower case and stored as the pack spells
  them (`JEUGDWET` -> `jeugdwet`, `j4:Licht` -> `J4:licht`); a municipality may also be
  given by its display name (`Stede Broec`).
- `talen` must be codes the region pack names in `languages` (so the site can show a
  Dutch name); a pack without a language list accepts any two-letter code.
- A cell that looks like the start of a spreadsheet formula (`=`, `+`, `-`, `@`) is
  refused in the free-text columns; the structured columns refuse it through their own
  format (a phone number `+31 ...` stays valid). XLSX formula and error cells are
  refused in every column.
- A leading `'` before a formula character is dropped: that is how the export
  neutralises such cells, so exported files import again.
- Fully empty rows are skipped. Columns the file does not have are "not said": on a
  known provider those facts stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from etalage.catalogue.import_cells import (
    FORMULA_PREFIXES,
    MAX_LENGTH,
    Cells,
    _choices,
    _split,
)
from etalage.catalogue.import_header import (
    check_header,
)
from etalage.catalogue.import_header import shown as _shown
from etalage.catalogue.import_reader import Table
from etalage.catalogue.import_report import ImportIssue
from etalage.catalogue.writer import ProviderChange
from etalage.provider import KpiPoint, Location, WaitingPoint
from etalage.region.model import RegionPack

WAITING_COLUMNS = ("aanmeldwachttijd_weken", "behandelwachttijd_weken", "wachtlijst_aantal")
KPI_PCT_COLUMNS = ("uitval_pct", "doelrealisatie_pct", "tevredenheid_pct")
DEFAULT_REGISTRATION_ROUTES = ("huisarts", "toegang", "direct")
REGION_WORD = "regio"

# Which record field each column says something about (see writer.FIELDS).
COLUMN_FIELD = {
    "omschrijving": "description",
    "website": "website",
    "telefoon": "phone",
    "email": "email",
    "wetten": "wet",
    "segmenten": "segment",
    "arrangementen": "arrangements",
    "expertise": "expertise",
    "leeftijd_min": "age",
    "leeftijd_max": "age",
    "adres": "location",
    "postcode": "location",
    "plaats": "location",
    "gemeente": "location",
    "werkgebied": "service_area",
    "talen": "taal",
    "aanmelding": "aanmelding",
    "verwijzing_zorgdomein": "referral",
    "verwijzing_inhoud": "referral",
}

_PERIOD = re.compile(r"^(\d{4})(?:-[Hh]([12]))?$")
_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")
_KVK = re.compile(r"^[0-9]{8}$")


@dataclass
class ValidationResult:
    records: list[ProviderChange] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)


def validate_table(pack: RegionPack, table: Table, *, today: date) -> ValidationResult:
    result = ValidationResult()
    columns = check_header(table, result.issues)
    data_rows = [row for row in table.rows if any(c.strip() for c in row.cells)]
    if not data_rows:
        result.issues.append(
            ImportIssue(None, None, "er staan geen aanbieders in, alleen een kopregel.")
        )
    if result.issues or columns is None:
        return result
    vocab = _Vocabulary(pack)
    seen_kvk: dict[str, int] = {}
    for row in data_rows:
        record = _RowCheck(row, columns, len(table.header), vocab, today, result.issues).run(
            seen_kvk
        )
        if record is not None:
            result.records.append(record)
    if result.issues:
        result.records = []
        # Row by row, and within a row in the order of the file's columns.
        order = {name: i for i, name in enumerate(columns)}
        result.issues.sort(key=lambda issue: (issue.row or 0, order.get(issue.column or "", -1)))
    return result


# ---------------------------------------------------------------------------- pack codes


class _Vocabulary:
    """The pack's codes, looked up without regard to case."""

    def __init__(self, pack: RegionPack) -> None:
        self.pack = pack
        self.laws = {x.code.casefold(): x.code for x in pack.laws}
        self.law_names = {x.code: x.name for x in pack.laws}
        self.segments = {x.code.casefold(): x.code for x in pack.segments}
        self.arrangement_segments = [x.code for x in pack.segments if x.needs_arrangement]
        self.profiles = {x.code.casefold(): x for x in pack.profiles}
        self.intensities = {x.code.casefold(): x.code for x in pack.intensities}
        self.expertise = {x.code.casefold(): x.code for x in pack.expertise}
        self.languages = {c.casefold(): c for c in pack.languages}
        routes = tuple(pack.registration_routes) or DEFAULT_REGISTRATION_ROUTES
        self.routes = {c.casefold(): c for c in routes}
        self.municipalities: dict[str, str] = {}
        for municipality in pack.municipalities:
            self.municipalities[municipality.code.casefold()] = municipality.code
            self.municipalities.setdefault(_fold(municipality.name), municipality.code)
        self.municipality_codes = tuple(m.code for m in pack.municipalities)

    def example_arrangement(self) -> str:
        profile = self.pack.profiles[0].code if self.pack.profiles else "J1"
        intensities = [x.code for x in self.pack.intensities] or ["midden"]
        return f"{profile}:{intensities[len(intensities) // 2]}"


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


# ---------------------------------------------------------------------------- rows


class _RowCheck(Cells):
    """One row: the provider's fields from its cells (cell reading in import_cells.py)."""

    # -- the row

    def run(self, seen_kvk: dict[str, int]) -> ProviderChange | None:
        if not self._read_cells():
            return None  # the row does not line up with the header: other errors are noise
        kvk = self._kvk(seen_kvk)
        name = self._free_text("naam")
        if name is None and "naam" not in self.bad:
            self.err("naam", "is verplicht")
        description = self._free_text("omschrijving")
        website = self._website()
        zorgdomein = self._yes_no("verwijzing_zorgdomein")
        referral_note = self._free_text("verwijzing_inhoud")
        phone = self._phone()
        email = self._email()
        laws = self._laws()
        segments = self._segments()
        arrangements = self._arrangements(laws, segments)
        expertise = self.codes(
            "expertise", self.vocab.expertise, "onbekende expertise", self.vocab.expertise.values()
        )
        age_min, age_max = self._ages()
        location = self._location()
        serves_region, area = self._service_area()
        languages = self._languages()
        routes = self.codes(
            "aanmelding",
            self.vocab.routes,
            "onbekende manier van aanmelden",
            self.vocab.routes.values(),
        )
        waiting = self._waiting_time()
        kpi = self._kpi()
        if self.bad or kvk is None or name is None:
            return None
        fields = frozenset(COLUMN_FIELD[c] for c in self.columns if c in COLUMN_FIELD)
        return ProviderChange(
            kvk=kvk,
            name=name,
            description=description or "",
            website=website,
            referral_zorgdomein=zorgdomein,
            referral_note=referral_note or "",
            phone=phone,
            email=email,
            age_min=age_min,
            age_max=age_max,
            codes={
                "wet": tuple(laws),
                "segment": tuple(segments),
                "expertise": tuple(expertise),
                "taal": tuple(languages),
                "aanmelding": tuple(routes),
            },
            arrangements=tuple(arrangements),
            location=location,
            service_area=area,
            serves_region=serves_region,
            waiting_time=waiting,
            kpi=kpi,
            fields=fields,
        )

    def _kvk(self, seen: dict[str, int]) -> str | None:
        value = self.text("kvk")
        if value is None:
            if "kvk" not in self.bad:
                self.err("kvk", "is verplicht")
            return None
        if not _KVK.match(value):
            message = f"moet precies 8 cijfers zijn (gevonden: '{_shown(value)}')"
            index = self.columns["kvk"]
            if self.row.flags.get(index) == "getal" and len(value) < 8 and value.isdigit():
                message += "; begint het nummer met een 0, maak de kolom in Excel dan op als tekst"
            self.err("kvk", message)
            return None
        if value in seen:
            self.err(
                "kvk",
                f"{value} staat ook al in rij {seen[value]}; elke aanbieder mag maar één keer "
                "in het bestand staan",
            )
            return None
        seen[value] = self.row.number
        return value

    def _laws(self) -> list[str]:
        choices = list(self.vocab.laws.values())
        laws = self.codes("wetten", self.vocab.laws, "onbekende wet", choices)
        if not laws and "wetten" not in self.bad:  # empty, or only separators ("|")
            self.err("wetten", f"is verplicht; kies uit: {_choices(choices)}")
        return laws

    def _segments(self) -> list[str]:
        choices = list(self.vocab.segments.values())
        segments = self.codes("segmenten", self.vocab.segments, "onbekend segment", choices)
        if not segments and "segmenten" not in self.bad:  # empty, or only separators
            self.err("segmenten", f"is verplicht; kies uit: {_choices(choices)}")
        return segments

    def _arrangements(self, laws: list[str], segments: list[str]) -> list[tuple[str, str]]:
        column = "arrangementen"
        needs = self.vocab.arrangement_segments
        needing = [s for s in segments if s in needs]
        segments_known = bool(segments) and "segmenten" not in self.bad
        laws_known = bool(laws) and "wetten" not in self.bad
        needs_text = " of ".join(needs)
        value = self.text(column)
        if value is not None and not _split(value):
            value = None  # only separators ("|"): nothing given
        if value is None:
            if needing and column not in self.bad:
                self.err(
                    column,
                    f"is verplicht bij segment {needs_text}: geef minstens één "
                    f"PROFIEL:INTENSITEIT, bijvoorbeeld {self.vocab.example_arrangement()}",
                )
            return []
        if segments_known and not needing:
            self.err(
                column,
                f"alleen invullen bij segment {needs_text}; deze aanbieder heeft alleen "
                f"segment {' en '.join(segments)}",
            )
            return []
        found: list[tuple[str, str]] = []
        profiles = [p.code for p in self.vocab.pack.profiles]
        intensities = list(self.vocab.intensities.values())
        for item in _split(value):
            parts = [p.strip() for p in item.split(":")]
            if len(parts) != 2 or not all(parts):
                self.err(
                    column,
                    f"'{_shown(item)}' heeft niet de vorm PROFIEL:INTENSITEIT "
                    f"(bijvoorbeeld {self.vocab.example_arrangement()})",
                )
                continue
            profile = self.vocab.profiles.get(parts[0].casefold())
            intensity = self.vocab.intensities.get(parts[1].casefold())
            if profile is None:
                self.err(column, self._unknown("onbekend profiel", parts[0], profiles))
            if intensity is None:
                self.err(column, self._unknown("onbekende intensiteit", parts[1], intensities))
            if profile is None or intensity is None:
                continue
            if laws_known and profile.law not in laws:
                law_name = self.vocab.law_names.get(profile.law, profile.law)
                self.err(
                    column,
                    f"profiel {profile.code} hoort bij de {law_name}, maar deze aanbieder "
                    f"heeft alleen {' en '.join(laws)}",
                )
                continue
            if (profile.code, intensity) not in found:
                found.append((profile.code, intensity))
        return found

    def _ages(self) -> tuple[int | None, int | None]:
        age_min = self.integer("leeftijd_min", 0, 120)
        age_max = self.integer("leeftijd_max", 0, 120)
        if age_min is not None and age_max is not None and age_min > age_max:
            self.err(
                "leeftijd_min",
                f"is groter dan leeftijd_max ({age_min} is meer dan {age_max})",
            )
        return age_min, age_max

    def _location(self) -> Location | None:
        pack = self.vocab.pack
        postcode = None
        pc4 = None
        value = self.text("postcode")
        if value is not None:
            match = _POSTCODE.match(value)
            if match is None:
                self.err(
                    "postcode",
                    f"is geen geldige postcode; schrijf hem als 1234 AB (gevonden: "
                    f"'{_shown(value)}')",
                )
            else:
                pc4 = match.group(1)
                postcode = f"{pc4} {match.group(2).upper()}"
        municipality = None
        value = self.text("gemeente")
        if value is not None:
            municipality = self.vocab.municipalities.get(_fold(value))
            if municipality is None:
                self.err(
                    "gemeente",
                    f"onbekende gemeente '{_shown(value)}'; kies uit: "
                    f"{_choices(self.vocab.municipality_codes)}",
                )
        if municipality is None and pc4 is not None and not self.given("gemeente"):
            municipality = pack.municipality_of_postcode(pc4)
        address = self.text("adres")
        city = self.text("plaats")
        if not any((address, postcode, city, municipality)):
            return None
        point = pack.postcode_centroid(pc4) if pc4 else None
        if point is None and municipality:
            found = pack.municipality(municipality)
            point = (found.lat, found.lon) if found else None
        return Location(
            address=address,
            postcode=postcode,
            city=city,
            municipality=municipality,
            lat=point[0] if point else None,
            lon=point[1] if point else None,
        )

    def _service_area(self) -> tuple[bool, tuple[str, ...] | None]:
        value = self.text("werkgebied")
        if value is None:
            return False, None
        items = _split(value)
        if any(item.casefold() == REGION_WORD for item in items):
            rest = [i for i in items if i.casefold() != REGION_WORD]
            for item in rest:
                if _fold(item) not in self.vocab.municipalities:
                    self.err("werkgebied", self._unknown_area(item))
            return True, self.vocab.municipality_codes
        area: list[str] = []
        for item in items:
            code = self.vocab.municipalities.get(_fold(item))
            if code is None:
                self.err("werkgebied", self._unknown_area(item))
            elif code not in area:
                area.append(code)
        return False, tuple(area)

    def _unknown_area(self, item: str) -> str:
        return (
            f"onbekende gemeente '{_shown(item)}'; kies uit: "
            f"{_choices(self.vocab.municipality_codes)}, of '{REGION_WORD}' voor de hele regio"
        )

    def _languages(self) -> list[str]:
        if self.vocab.languages:
            choices = list(self.vocab.languages.values())
            return self.codes("talen", self.vocab.languages, "onbekende taalcode", choices)
        value = self.text("talen")
        found: list[str] = []
        for item in _split(value or ""):
            code = item.lower()
            if not re.fullmatch(r"[a-z]{2}", code):
                self.err(
                    "talen",
                    f"'{_shown(item)}' is geen taalcode van twee letters (ISO 639-1), "
                    "zoals nl, en of ar",
                )
            elif code not in found:
                found.append(code)
        return found

    def _waiting_time(self) -> WaitingPoint | None:
        registration = self.integer("aanmeldwachttijd_weken", 0, 104)
        treatment = self.integer("behandelwachttijd_weken", 0, 104)
        size = self.integer("wachtlijst_aantal", 0, 100_000)
        any_given = any(self.given(c) for c in WAITING_COLUMNS)
        column = "wachttijd_peildatum"
        peildatum = self._date(column)
        if peildatum is None and any_given and not self.given(column):
            self.err(column, "is verplicht als er een wachttijd of wachtlijst is ingevuld")
        if peildatum is not None and not any_given:
            self.err(
                column,
                "vul ook een wachttijd of het aantal op de wachtlijst in, of laat de "
                "peildatum leeg",
            )
            return None
        if peildatum is None:
            return None
        return WaitingPoint(
            peildatum=peildatum,
            registration_weeks=registration,
            treatment_weeks=treatment,
            waiting_list_size=size,
        )

    def _kpi(self) -> KpiPoint | None:
        dropout = self.decimal("uitval_pct", 0, 100)
        goal = self.decimal("doelrealisatie_pct", 0, 100)
        satisfaction = self.decimal("tevredenheid_pct", 0, 100)
        any_pct = any(self.given(c) for c in KPI_PCT_COLUMNS)
        trajectories = self.integer("kpi_n", 0, 1_000_000)
        period = self._period()
        for column in ("kpi_n", "kpi_periode"):
            if any_pct and not self.given(column):
                self.err(
                    column,
                    "is verplicht als er een kwaliteitscijfer is ingevuld (uitval_pct, "
                    "doelrealisatie_pct of tevredenheid_pct)",
                )
            elif self.text(column) is not None and not any_pct:
                self.err(
                    column,
                    "vul ook minstens één kwaliteitscijfer in (uitval_pct, "
                    "doelrealisatie_pct of tevredenheid_pct), of laat deze cel leeg",
                )
        if trajectories is None or period is None or not any_pct:
            return None
        return KpiPoint(
            period=period,
            n=trajectories,
            dropout_pct=dropout,
            goal_attainment_pct=goal,
            satisfaction_pct=satisfaction,
        )

    def _period(self) -> str | None:
        column = "kpi_periode"
        value = self.text(column)
        if value is None:
            return None
        match = _PERIOD.match(value)
        if match is None:
            self.err(
                column,
                "moet een jaar (2025) of een halfjaar (2025-H1 of 2025-H2) zijn "
                f"(gevonden: '{_shown(value)}')",
            )
            return None
        year, half = int(match.group(1)), match.group(2)
        if year < 1900:
            self.err(column, f"moet een jaar vanaf 1900 zijn (gevonden: '{_shown(value)}')")
            return None
        start = date(year, 7 if half == "2" else 1, 1)
        if start > self.today:
            self.err(column, f"ligt in de toekomst ({value})")
            return None
        return f"{year}-H{half}" if half else str(year)


__all__ = ["FORMULA_PREFIXES", "MAX_LENGTH", "ValidationResult", "validate_table"]
