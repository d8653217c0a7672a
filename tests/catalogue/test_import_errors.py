"""Broken import files: every error is reported (row, column, Dutch reason) and nothing
is written. Each test starts from a database that already holds the valid file, so
"nothing changed" is checked against real rows. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from catalogue_testdata import (
    TODAY,
    VALID_30,
    Rows,
    db_state,
    lines,
    typed_cells,
    valid_rows,
    write_csv,
    write_xlsx,
)
from sqlalchemy import Engine

from etalage.catalogue.import_header import COLUMNS
from etalage.catalogue.importer import import_file
from etalage.region import RegionPack

PROFILES = "J1, J2, J3, J4, J5, J6, J7, W1, W2, W3, W4, W5, W6, W7, W8"


def refused(engine: Engine, pack: RegionPack, path: Path, expected: list[str]) -> None:
    """Import `path`: exactly `expected` is reported and no table changes."""
    before = db_state(engine)
    report = import_file(engine, pack, path, today=TODAY)
    assert lines(report) == expected
    assert not report.ok
    assert report.provider_ids == [] and report.created == report.updated == 0
    n = len(expected)
    assert report.summary() == (
        f"Import afgebroken: {n} {'fout' if n == 1 else 'fouten'} gevonden. Er is niets opgeslagen."
    )
    assert db_state(engine) == before
    # A dry run reports the same.
    assert lines(import_file(engine, pack, path, dry_run=True, today=TODAY)) == expected


def edit(change: Callable[[Rows], None]) -> Rows:
    rows = valid_rows()
    # Make the file change every provider, so a partial write would show.
    for row in rows:
        row["naam"] += " (gewijzigd)"
    change(rows)
    return rows


def _set(index: int, column: str, value: str) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        rows[index][column] = value

    return change


CELL_CASES = {
    "bad kvk": (
        _set(1, "kvk", "1234"),
        ["Rij 3, kolom 'kvk': moet precies 8 cijfers zijn (gevonden: '1234')"],
    ),
    "missing kvk": (_set(4, "kvk", ""), ["Rij 6, kolom 'kvk': is verplicht"]),
    "unknown profile": (
        _set(0, "arrangementen", "J4:licht|J9:midden"),
        [f"Rij 2, kolom 'arrangementen': onbekend profiel 'J9'; kies uit: {PROFILES}"],
    ),
    "unknown intensity": (
        _set(0, "arrangementen", "J4:extreem"),
        [
            "Rij 2, kolom 'arrangementen': onbekende intensiteit 'extreem'; kies uit: "
            "licht, midden, zwaar"
        ],
    ),
    "arrangement not PROFIEL:INTENSITEIT": (
        _set(0, "arrangementen", "J4-licht"),
        [
            "Rij 2, kolom 'arrangementen': 'J4-licht' heeft niet de vorm PROFIEL:INTENSITEIT "
            "(bijvoorbeeld J1:midden)"
        ],
    ),
    "profile of another law": (
        _set(5, "arrangementen", "W3:licht|J4:midden"),
        [
            "Rij 7, kolom 'arrangementen': profiel J4 hoort bij de Jeugdwet, maar deze "
            "aanbieder heeft alleen wmo"
        ],
    ),
    "only separators in wetten": (
        _set(1, "wetten", " | "),
        ["Rij 3, kolom 'wetten': is verplicht; kies uit: jeugdwet, wmo"],
    ),
    "only separators in segmenten": (
        _set(1, "segmenten", "|"),
        ["Rij 3, kolom 'segmenten': is verplicht; kies uit: A, B, C"],
    ),
    "only separators in arrangementen for segment B": (
        _set(2, "arrangementen", "||"),
        [
            "Rij 4, kolom 'arrangementen': is verplicht bij segment B of C: geef minstens "
            "één PROFIEL:INTENSITEIT, bijvoorbeeld J1:midden"
        ],
    ),
    "arrangement missing for segment B": (
        _set(2, "arrangementen", ""),
        [
            "Rij 4, kolom 'arrangementen': is verplicht bij segment B of C: geef minstens "
            "één PROFIEL:INTENSITEIT, bijvoorbeeld J1:midden"
        ],
    ),
    "arrangement for segment A only": (
        _set(10, "arrangementen", "J1:licht"),
        [
            "Rij 12, kolom 'arrangementen': alleen invullen bij segment B of C; deze "
            "aanbieder heeft alleen segment A"
        ],
    ),
    "unknown law": (
        _set(0, "wetten", "jeugdwet|wlz"),
        ["Rij 2, kolom 'wetten': onbekende wet 'wlz'; kies uit: jeugdwet, wmo"],
    ),
    "no segment": (
        _set(0, "segmenten", ""),
        ["Rij 2, kolom 'segmenten': is verplicht; kies uit: A, B, C"],
    ),
    "future peildatum": (
        _set(0, "wachttijd_peildatum", "2026-12-01"),
        [
            "Rij 2, kolom 'wachttijd_peildatum': ligt in de toekomst (2026-12-01); vul de "
            "datum van de meting in"
        ],
    ),
    "peildatum missing": (
        _set(0, "wachttijd_peildatum", ""),
        [
            "Rij 2, kolom 'wachttijd_peildatum': is verplicht als er een wachttijd of "
            "wachtlijst is ingevuld"
        ],
    ),
    "text in a number column": (
        _set(3, "aanmeldwachttijd_weken", "drie"),
        ["Rij 5, kolom 'aanmeldwachttijd_weken': moet een geheel getal zijn (gevonden: 'drie')"],
    ),
    "waiting time out of range": (
        _set(3, "behandelwachttijd_weken", "105"),
        [
            "Rij 5, kolom 'behandelwachttijd_weken': moet een getal van 0 tot en met 104 zijn "
            "(gevonden: '105')"
        ],
    ),
    "percentage over 100": (
        _set(0, "uitval_pct", "112,5"),
        ["Rij 2, kolom 'uitval_pct': moet een getal van 0 tot en met 100 zijn (gevonden: '112,5')"],
    ),
    "kpi without period": (
        _set(0, "kpi_periode", ""),
        [
            "Rij 2, kolom 'kpi_periode': is verplicht als er een kwaliteitscijfer is "
            "ingevuld (uitval_pct, doelrealisatie_pct of tevredenheid_pct)"
        ],
    ),
    "ages the wrong way round": (
        _set(0, "leeftijd_min", "18"),
        ["Rij 2, kolom 'leeftijd_min': is groter dan leeftijd_max (18 is meer dan 17)"],
    ),
    "duplicate kvk": (
        _set(8, "kvk", "10000001"),
        [
            "Rij 10, kolom 'kvk': 10000001 staat ook al in rij 2; elke aanbieder mag maar "
            "één keer in het bestand staan"
        ],
    ),
    "formula-looking name": (
        _set(1, "naam", '=HYPERLINK("https://x.example","klik")'),
        [
            "Rij 3, kolom 'naam': lijkt op een spreadsheetformule, want begint met '=' "
            '(gevonden: \'=HYPERLINK("https://x.example","klik")\'); haal dat teken weg'
        ],
    ),
    "formula-looking description": (
        _set(2, "omschrijving", "@SUM(1+1)*cmd|' /C calc'!A0"),
        [
            "Rij 4, kolom 'omschrijving': lijkt op een spreadsheetformule, want begint met "
            "'@' (gevonden: '@SUM(1+1)*cmd|' /C calc'!A0'); haal dat teken weg"
        ],
    ),
    "bad postcode": (
        _set(0, "postcode", "162 AB"),
        [
            "Rij 2, kolom 'postcode': is geen geldige postcode; schrijf hem als 1234 AB "
            "(gevonden: '162 AB')"
        ],
    ),
    "unknown municipality in werkgebied": (
        _set(0, "werkgebied", "hoorn|amsterdam"),
        [
            "Rij 2, kolom 'werkgebied': onbekende gemeente 'amsterdam'; kies uit: "
            "drechterland, enkhuizen, hoorn, koggenland, medemblik, opmeer, stede-broec, of "
            "'regio' voor de hele regio"
        ],
    ),
    "bad website, phone, e-mail": (
        lambda rows: rows[0].update(
            website="www.zonder-http.example", telefoon="12345", email="info@"
        ),
        [
            "Rij 2, kolom 'website': moet een webadres zijn dat begint met http:// of "
            "https:// (gevonden: 'www.zonder-http.example')",
            "Rij 2, kolom 'telefoon': is geen geldig Nederlands telefoonnummer (gevonden: "
            "'12345'); schrijf het bijvoorbeeld als 0229-123456 of +31 229 123456",
            "Rij 2, kolom 'email': is geen geldig e-mailadres (gevonden: 'info@')",
        ],
    ),
    "unknown expertise, language and route": (
        lambda rows: rows[0].update(expertise="autsime", talen="nl|xx", aanmelding="post"),
        [
            "Rij 2, kolom 'expertise': onbekende expertise 'autsime' (bedoelt u 'autisme'?)",
            "Rij 2, kolom 'talen': onbekende taalcode 'xx'; kies uit: nl, en, de, fr, es, "
            "pt, it, pl, ro, bg, hu, lt, uk, ru, tr, ar, ku, fa, ps, so, ti, zh",
            "Rij 2, kolom 'aanmelding': onbekende manier van aanmelden 'post'; kies uit: "
            "huisarts, toegang, direct",
        ],
    ),
}


# The kinds of the import contract run on SQLite and PostgreSQL; the other cell checks
# are pure validation and run on SQLite only, to keep the suite fast.
CONTRACT_CASES = [
    "bad kvk",
    "unknown profile",
    "profile of another law",
    "arrangement missing for segment B",
    "future peildatum",
    "text in a number column",
    "duplicate kvk",
    "formula-looking name",
]
OTHER_CASES = [c for c in CELL_CASES if c not in CONTRACT_CASES]


@pytest.mark.parametrize("case", CONTRACT_CASES)
def test_bad_cell(loaded: Engine, pack: RegionPack, tmp_path: Path, case: str) -> None:
    change, expected = CELL_CASES[case]
    path = write_csv(tmp_path / "kapot.csv", edit(change))
    refused(loaded, pack, path, expected)


@pytest.mark.parametrize("case", OTHER_CASES)
def test_more_bad_cells(loaded_sqlite: Engine, pack: RegionPack, tmp_path: Path, case: str) -> None:
    change, expected = CELL_CASES[case]
    path = write_csv(tmp_path / "kapot.csv", edit(change))
    refused(loaded_sqlite, pack, path, expected)


def test_several_errors_are_all_reported(loaded: Engine, pack: RegionPack, tmp_path: Path) -> None:
    def change(rows: Rows) -> None:
        rows[0].update(kvk="1234567X", arrangementen="J9:licht")
        rows[4].update(wachttijd_peildatum="2027-01-01", kpi_n="veel")
        rows[6]["naam"] = ""
        rows[20]["kvk"] = rows[19]["kvk"]

    path = write_csv(tmp_path / "veel-fouten.csv", edit(change))
    refused(
        loaded,
        pack,
        path,
        [
            "Rij 2, kolom 'kvk': moet precies 8 cijfers zijn (gevonden: '1234567X')",
            f"Rij 2, kolom 'arrangementen': onbekend profiel 'J9'; kies uit: {PROFILES}",
            "Rij 6, kolom 'wachttijd_peildatum': ligt in de toekomst (2027-01-01); vul de "
            "datum van de meting in",
            "Rij 6, kolom 'kpi_n': moet een geheel getal zijn (gevonden: 'veel')",
            "Rij 8, kolom 'naam': is verplicht",
            "Rij 22, kolom 'kvk': 10000020 staat ook al in rij 21; elke aanbieder mag maar "
            "één keer in het bestand staan",
        ],
    )


# ---------------------------------------------------------------------------- file level


def test_unknown_column(loaded: Engine, pack: RegionPack, tmp_path: Path) -> None:
    rows = edit(lambda rows: None)
    columns = [*COLUMNS, "telefon", "opmerking"]
    path = write_csv(tmp_path / "kolommen.csv", rows, columns)
    refused(
        loaded,
        pack,
        path,
        [
            "Bestand: onbekende kolom 'telefon' (bedoelt u 'telefoon'?)",
            "Bestand: onbekende kolom 'opmerking'. Toegestane kolommen: "
            + ", ".join(COLUMNS)
            + ".",
        ],
    )


def test_missing_and_duplicate_columns(
    loaded_sqlite: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    columns = [c for c in COLUMNS if c != "wetten"] + ["naam"]
    path = write_csv(tmp_path / "kolommen.csv", edit(lambda rows: None), columns)
    refused(
        loaded_sqlite,
        pack,
        path,
        [
            "Bestand: kolom 'naam' staat meer dan één keer in de kopregel (kolom 2 en 30).",
            "Bestand: verplichte kolom 'wetten' ontbreekt.",
        ],
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Bestand: er staat niets in, geen kopregel en geen aanbieders."),
        (
            b"\xef\xbb\xbf\r\n  \r\n",
            "Bestand: er staat niets in, geen kopregel en geen aanbieders.",
        ),
        (
            ",".join(COLUMNS).encode() + b"\r\n",
            "Bestand: er staan geen aanbieders in, alleen een kopregel.",
        ),
        (
            ";".join(COLUMNS).encode() + b"\r\n;;;\r\n",
            "Bestand: er staan geen aanbieders in, alleen een kopregel.",
        ),
    ],
    ids=["0 bytes", "only blank lines", "header only", "header and an empty row"],
)
def test_empty_file(
    loaded_sqlite: Engine, pack: RegionPack, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "leeg.csv"
    path.write_bytes(content)
    refused(loaded_sqlite, pack, path, [expected])


def test_empty_file_on_every_database(loaded: Engine, pack: RegionPack, tmp_path: Path) -> None:
    path = tmp_path / "leeg.csv"
    path.write_bytes(b"")
    refused(loaded, pack, path, ["Bestand: er staat niets in, geen kopregel en geen aanbieders."])


def test_first_line_is_not_a_header(
    loaded_sqlite: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "zonder-kop.csv", edit(lambda rows: None))
    original = path.read_bytes().decode("utf-8")
    text = original.split("\r\n", 1)[1]
    for content, expected in (
        (text, "de eerste regel is geen kopregel: er staat geen enkele bekende kolomnaam in."),
        ("\r\n" + original, "de eerste regel is leeg."),
    ):
        path.write_text(content, encoding="utf-8")
        refused(
            loaded_sqlite,
            pack,
            path,
            [f"Bestand: {expected} Zet daar de kolomnamen (kvk, naam, wetten, segmenten, ...)."],
        )


def test_wrong_encoding(loaded: Engine, pack: RegionPack, tmp_path: Path) -> None:
    # "Mantelzorgcafé" (row 16) saved by an old Windows program: cp1252, not UTF-8.
    path = write_csv(tmp_path / "windows.csv", edit(lambda rows: None), encoding="cp1252")
    refused(
        loaded,
        pack,
        path,
        [
            "Bestand: de tekst is geen UTF-8; regel 16 bevat een teken dat geen UTF-8 is "
            "(bijvoorbeeld een é of ë uit een ouder Windows- of Mac-bestand). Sla het "
            "bestand op als 'CSV UTF-8' en probeer het opnieuw."
        ],
    )


def test_utf16_file(loaded_sqlite: Engine, pack: RegionPack, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "unicode.csv", edit(lambda rows: None), encoding="utf-16")
    refused(
        loaded_sqlite,
        pack,
        path,
        [
            "Bestand: het is opgeslagen als UTF-16 ('Unicode-tekst'). Sla het op als "
            "'CSV UTF-8' en probeer het opnieuw."
        ],
    )


def test_row_with_too_many_cells(loaded_sqlite: Engine, pack: RegionPack, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "scheef.csv", edit(lambda rows: None))
    text = path.read_text(encoding="utf-8").splitlines()
    text[3] += ",extra"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    refused(
        loaded_sqlite,
        pack,
        path,
        [
            "Rij 4: heeft meer cellen (31) dan de kopregel (30); controleer het "
            "scheidingsteken en de aanhalingstekens"
        ],
    )


def test_unclosed_quote(loaded_sqlite: Engine, pack: RegionPack, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "quote.csv", edit(lambda rows: None))
    text = path.read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace(",", ',"', 1)  # a quote that is never closed
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    refused(
        loaded_sqlite,
        pack,
        path,
        [
            "Bestand: het is geen geldig CSV-bestand; regel 4 kan niet worden gelezen "
            "(controleer de aanhalingstekens)."
        ],
    )


def test_unknown_file_type(loaded_sqlite: Engine, pack: RegionPack, tmp_path: Path) -> None:
    path = tmp_path / "aanbieders.pdf"
    path.write_bytes(b"%PDF-1.4")
    refused(
        loaded_sqlite,
        pack,
        path,
        ["Bestand: onbekend bestandstype '.pdf'. Gebruik een .csv- of .xlsx-bestand."],
    )


def test_xlsx_that_is_not_a_workbook(
    loaded_sqlite: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    path = tmp_path / "nep.xlsx"
    path.write_bytes(VALID_30.read_bytes())
    refused(
        loaded_sqlite,
        pack,
        path,
        [
            "Bestand: het is geen geldig Excel-bestand (.xlsx). Sla het opnieuw op als "
            "Excel-werkmap of als 'CSV UTF-8'."
        ],
    )


def test_csv_that_is_a_workbook(loaded_sqlite: Engine, pack: RegionPack, tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "echt.xlsx", [typed_cells(r) for r in valid_rows()])
    path = tmp_path / "verkeerde-naam.csv"
    path.write_bytes(xlsx.read_bytes())
    refused(
        loaded_sqlite,
        pack,
        path,
        [
            "Bestand: dit is een Excel-bestand, geen CSV. Geef het de extensie .xlsx of sla "
            "het op als 'CSV UTF-8'."
        ],
    )


def test_xlsx_formula_and_error_cells(loaded: Engine, pack: RegionPack, tmp_path: Path) -> None:
    cells = [typed_cells(r) for r in edit(lambda rows: None)]
    cells[0][COLUMNS.index("leeftijd_min")] = "=10+2"
    cells[1][COLUMNS.index("plaats")] = '=HYPERLINK("https://x.example")'
    cells[2][COLUMNS.index("kvk")] = 1000003  # a lost leading zero
    path = write_xlsx(tmp_path / "formules.xlsx", cells)
    refused(
        loaded,
        pack,
        path,
        [
            "Rij 2, kolom 'leeftijd_min': is een formule (gevonden: '=10+2'); vul de uitkomst "
            "zelf in als waarde",
            "Rij 3, kolom 'plaats': is een formule (gevonden: "
            "'=HYPERLINK(\"https://x.example\")'); vul de uitkomst zelf in als waarde",
            "Rij 4, kolom 'kvk': moet precies 8 cijfers zijn (gevonden: '1000003'); begint "
            "het nummer met een 0, maak de kolom in Excel dan op als tekst",
        ],
    )


def test_control_character(loaded_sqlite: Engine, pack: RegionPack, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "nul.csv", edit(_set(0, "naam", "De Kleine\x00Haven")))
    refused(
        loaded_sqlite,
        pack,
        path,
        ["Rij 2, kolom 'naam': bevat een onzichtbaar stuurteken (U+0000); haal dat teken weg"],
    )
