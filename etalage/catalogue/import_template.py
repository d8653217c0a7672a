"""Import templates as regional staff work: an XLSX with the import's columns, drop-down
lists of the region pack's codes and an instructions sheet in Dutch, and the same
columns as CSV (docs/import-format.md#templates). Made with openpyxl.

The drop-downs on columns that take several codes (`wetten`, `expertise`, ...) offer
the single codes and the usual combinations, but accept other values ("information"
style): a cell such as `autisme|adhd` must stay possible. The importer checks every cell.
"""

from __future__ import annotations

import io
from itertools import combinations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from etalage.catalogue.import_header import COLUMNS, REQUIRED_COLUMNS
from etalage.region.model import RegionPack

ROWS_WITH_LISTS = 1000

HELP: dict[str, tuple[str, str]] = {
    "kvk": ("8 cijfers, het KvK-nummer", "12345678"),
    "naam": ("naam van de aanbieder, hoogstens 200 tekens", "Jeugdhulp De Haven"),
    "omschrijving": ("wat de aanbieder doet, in gewone taal", "Hulp bij opvoeden en opgroeien."),
    "website": ("begint met https:// of http://", "https://www.voorbeeld.nl"),
    "telefoon": ("Nederlands nummer", "0229 123 456"),
    "email": ("e-mailadres", "info@voorbeeld.nl"),
    "wetten": ("jeugdwet, wmo of beide met | ertussen", "jeugdwet|wmo"),
    "segmenten": ("A, B en/of C met | ertussen", "A|B"),
    "arrangementen": (
        "PROFIEL:INTENSITEIT met | ertussen; verplicht bij segment B of C",
        "J2:licht|J4:midden",
    ),
    "expertise": ("codes uit het blad 'codes', met | ertussen", "autisme|adhd"),
    "leeftijd_min": ("jongste leeftijd, 0 tot 120", "4"),
    "leeftijd_max": ("oudste leeftijd, 0 tot 120", "18"),
    "adres": ("straat en huisnummer van de hoofdlocatie", "Grote Noord 1"),
    "postcode": ("postcode, 1621 AB", "1621 AB"),
    "plaats": ("plaats van de hoofdlocatie", "Hoorn"),
    "gemeente": ("gemeentecode (zie 'codes'); leeg: uit de postcode", "hoorn"),
    "werkgebied": ("gemeenten met | ertussen, of regio", "hoorn|koggenland"),
    "talen": ("taalcodes met | ertussen", "nl|en"),
    "aanmelding": ("huisarts, toegang en/of direct", "huisarts|direct"),
    "verwijzing_zorgdomein": ("ja of nee; leeg: niet gezegd", "ja"),
    "verwijzing_inhoud": ("wat een verwijzing moet bevatten", "Hulpvraag en diagnose."),
    "aanmeldwachttijd_weken": ("weken tot het eerste gesprek, 0 tot 104", "3"),
    "behandelwachttijd_weken": ("weken tot de hulp begint, 0 tot 104", "5"),
    "wachtlijst_aantal": ("mensen op de wachtlijst", "12"),
    "wachttijd_peildatum": (
        "datum van de meting, jjjj-mm-dd; verplicht bij een wachttijd",
        "2026-12-01",
    ),
    "uitval_pct": ("procent trajecten voortijdig gestopt, 0 tot 100", "8,5"),
    "doelrealisatie_pct": ("procent trajecten met doelen bereikt", "76"),
    "tevredenheid_pct": ("procent tevreden cliënten", "88"),
    "kpi_n": ("aantal trajecten waarop de percentages rusten; verplicht bij een percentage", "40"),
    "kpi_periode": ("jaar (2025) of halfjaar (2025-H1); verplicht bij een percentage", "2025-H2"),
}


def _code_lists(pack: RegionPack) -> dict[str, list[str]]:
    laws = [law.code for law in pack.laws]
    segments = [s.code for s in pack.segments]
    return {
        "wetten": [
            *laws,
            *("|".join(c) for n in range(2, len(laws) + 1) for c in combinations(laws, n)),
        ],
        "segmenten": [
            *segments,
            *("|".join(c) for n in range(2, len(segments) + 1) for c in combinations(segments, n)),
        ],
        "expertise": [t.code for t in pack.expertise],
        "gemeente": [m.code for m in pack.municipalities],
        "werkgebied": ["regio", *(m.code for m in pack.municipalities)],
        "talen": list(pack.languages),
        "aanmelding": list(pack.registration_routes),
        "verwijzing_zorgdomein": ["ja", "nee"],
        "arrangementen": [f"{p.code}:{i.code}" for p in pack.profiles for i in pack.intensities],
    }


def xlsx_template(pack: RegionPack) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "aanbieders"
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF4D6")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column)
        cell.font = bold
        if column in REQUIRED_COLUMNS:
            cell.fill = required_fill
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column) + 2)
    sheet.freeze_panes = "A2"
    # Text cells, so Excel keeps leading zeros of KvK numbers and does not turn
    # 2025-H1 or 1621 AB into something else.
    for index in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].number_format = "@"

    codes = book.create_sheet("codes")
    lists = _code_lists(pack)
    for col, (name, values) in enumerate(lists.items(), start=1):
        codes.cell(row=1, column=col, value=name).font = bold
        for row, value in enumerate(values, start=2):
            codes.cell(row=row, column=col, value=value)
        letter = get_column_letter(col)
        codes.column_dimensions[letter].width = 24
        target = get_column_letter(COLUMNS.index(name) + 1)
        strict = name in ("gemeente", "verwijzing_zorgdomein")
        validation = DataValidation(
            type="list",
            formula1=f"=codes!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "information",
            errorTitle="Onbekende code",
            error="Kies een code uit de lijst (blad 'codes')."
            if strict
            else "Dit staat niet in de lijst. Meer codes: zet | ertussen, zoals autisme|adhd.",
        )
        validation.add(f"{target}2:{target}{ROWS_WITH_LISTS}")
        sheet.add_data_validation(validation)
    labels = book.create_sheet("betekenis")
    labels.append(["soort", "code", "betekenis"])
    for tag in pack.expertise:
        labels.append(["expertise", tag.code, tag.label])
    for m in pack.municipalities:
        labels.append(["gemeente", m.code, m.name])
    for code, name in pack.languages.items():
        labels.append(["taal", code, name])
    for code, name in pack.registration_routes.items():
        labels.append(["aanmelding", code, name])
    for profile in pack.profiles:
        labels.append(["profiel", profile.code, profile.name])
    for c in labels[1]:
        c.font = bold
    labels.column_dimensions["C"].width = 60

    # Second: the importer reads the first sheet (docs/import-format.md#files).
    guide = book.create_sheet("uitleg", 1)
    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 70
    guide.column_dimensions["D"].width = 26
    for line in (
        [f"Importbestand aanbieders, regio {pack.name}"],
        ["Vul het blad 'aanbieders' in: één regel per aanbieder. Laat de kopregel staan."],
        [
            "Meer codes in één cel: zet | ertussen. De codes en hun betekenis staan in de "
            "bladen 'codes' en 'betekenis'."
        ],
        ["Een kolom die u weglaat, blijft bij een bekende aanbieder zoals hij was."],
        [
            "Staat er één fout in het bestand, dan wordt niets opgeslagen. U krijgt dan een "
            "lijst van alle fouten."
        ],
        [],
        ["kolom", "verplicht", "wat vult u in", "voorbeeld"],
    ):
        guide.append(line)
    guide["A1"].font = Font(bold=True, size=14)
    for c in guide[7]:
        c.font = bold
    for column in COLUMNS:
        meaning, example = HELP.get(column, ("", ""))
        guide.append([column, "ja" if column in REQUIRED_COLUMNS else "", meaning, example])
    for row in guide.iter_rows(min_row=8):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_template() -> bytes:
    """The header row (UTF-8 with BOM, `;` as Dutch Excel writes it)."""
    return ("\ufeff" + ";".join(COLUMNS) + "\r\n").encode("utf-8")
