"""Read an import file (CSV or XLSX) into a plain table of text cells.

No guessing: a CSV file must be UTF-8 (a BOM is allowed) and is separated by `,` or
`;`, whichever the header line uses. An XLSX file is read from its first sheet; cells
are turned into text the way a person would type them (whole numbers without `.0`,
dates as `2025-03-01`, percentages as `12.5`). Formula and error cells are flagged so
the validator can reject them. Anything unreadable raises `FileProblem` with a Dutch
message; nothing a file can contain raises anything else.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

MAX_ROWS = 10_000
MAX_FILE_BYTES = 20_000_000
MAX_XLSX_UNPACKED_BYTES = 200_000_000
MAX_COLUMNS = 500  # the format has 30; more is not a provider list
# Text read from the cells of one sheet, at most: a real file of 10,000 providers holds
# well under this, and a small file that unpacks to hundreds of MB of cells is refused
# after reading this much (seconds), not after reading it all.
MAX_CELL_TEXT_CHARS = 20_000_000
XML_HEAD_BYTES = 64 * 1024  # a DTD can only stand before the root element
# One XML part of a workbook, unpacked, at most (a sheet of 10,000 providers in the
# format is a few tens of MB at most).
MAX_XML_PART_BYTES = 80_000_000
_SCAN_CHUNK = 1 << 20

# Python's csv module refuses fields over 128 KiB with a quoting-like error; allow any
# field the file size allows, so an over-long cell gets the validator's "is te lang".
csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
UTF8_BOM = b"\xef\xbb\xbf"

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


class FileProblem(Exception):
    """The file cannot be read as an import table; the message is Dutch."""


@dataclass(frozen=True)
class Row:
    number: int  # spreadsheet row number; the header is row 1
    cells: tuple[str, ...]
    # column index -> "formule" | "fout" | "getal" for XLSX cells that need a remark
    flags: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    header_flags: dict[int, str] = field(default_factory=dict)


def read_path(path: Path) -> Table:
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileProblem(
                f"het is te groot ({size // 1_000_000} MB); het maximum is "
                f"{MAX_FILE_BYTES // 1_000_000} MB."
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise FileProblem("dit is een map, geen bestand.") from None
    except FileNotFoundError:
        raise FileProblem(f"'{path}' bestaat niet.") from None
    except OSError as exc:
        raise FileProblem(f"het kan niet worden gelezen ({exc.strerror}).") from None
    if suffix in XLSX_SUFFIXES:
        return read_xlsx_bytes(data)
    if suffix in CSV_SUFFIXES:
        return read_csv_bytes(data)
    if suffix == ".xls":
        raise FileProblem(
            "dit is een oud Excel-bestand (.xls). Sla het op als Excel-werkmap (.xlsx) of als "
            "'CSV UTF-8' en probeer het opnieuw."
        )
    raise FileProblem(
        f"onbekend bestandstype '{path.suffix or '(geen extensie)'}'. "
        "Gebruik een .csv- of .xlsx-bestand."
    )


# ---------------------------------------------------------------------------- CSV


def read_csv_bytes(data: bytes) -> Table:
    if data.startswith(b"PK\x03\x04"):
        raise FileProblem(
            "dit is een Excel-bestand, geen CSV. Geef het de extensie .xlsx of sla het op "
            "als 'CSV UTF-8'."
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FileProblem(
            "het is opgeslagen als UTF-16 ('Unicode-tekst'). Sla het op als 'CSV UTF-8' en "
            "probeer het opnieuw."
        )
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblem(
            f"de tekst is geen UTF-8; regel {line} bevat een teken dat geen UTF-8 is "
            "(bijvoorbeeld een é of ë uit een ouder Windows- of Mac-bestand). Sla het "
            "bestand op als 'CSV UTF-8' en probeer het opnieuw."
        ) from None
    if not text.strip():
        raise FileProblem("er staat niets in, geen kopregel en geen aanbieders.")
    delimiter = _detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    done = 0  # physical lines read for the complete records so far
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:
                raise FileProblem(_too_many_columns(len(record)))
            records.append(record)
            done = reader.line_num
            if len(records) > MAX_ROWS + 1:
                raise FileProblem(f"het heeft meer dan {MAX_ROWS} rijen; splits het bestand.")
    except csv.Error:
        raise FileProblem(
            f"het is geen geldig CSV-bestand; regel {done + 1} kan niet worden gelezen "
            "(controleer de aanhalingstekens)."
        ) from None
    header = tuple(records[0])
    rows = tuple(Row(number=i, cells=tuple(cells)) for i, cells in enumerate(records[1:], start=2))
    return Table(header=header, rows=rows)


def _detect_delimiter(text: str) -> str:
    first_line = text.lstrip("\r\n").splitlines()[0]
    counts = {}
    for delimiter in (",", ";"):
        try:
            counts[delimiter] = len(next(csv.reader([first_line], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            counts[delimiter] = 0
    return ";" if counts[";"] > counts[","] else ","


# ---------------------------------------------------------------------------- XLSX


def read_xlsx_bytes(data: bytes) -> Table:
    from openpyxl import load_workbook

    not_xlsx = FileProblem(
        "het is geen geldig Excel-bestand (.xlsx). Sla het opnieuw op als Excel-werkmap of als "
        "'CSV UTF-8'."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_XLSX_UNPACKED_BYTES:
                raise FileProblem("het is uitgepakt te groot om te lezen; splits het bestand.")
            _refuse_dtds(archive)
            for info in archive.infolist():
                if info.filename.lower().startswith("xl/worksheets/"):
                    _scan_sheet(archive, info)
    except (zipfile.BadZipFile, OSError, ValueError, zlib.error):
        raise not_xlsx from None
    try:
        # Read-only mode streams the rows, so a sheet with a million rows is refused
        # after MAX_ROWS instead of being loaded into memory whole.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors for a broken workbook
        raise not_xlsx from None
    try:
        if not workbook.worksheets:
            raise FileProblem("er staat geen werkblad in.")
        sheet = workbook.worksheets[0]
        table_rows: list[Row] = []
        read_chars = 0
        for excel_row in sheet.iter_rows():
            if len(table_rows) > MAX_ROWS:
                raise FileProblem(f"het heeft meer dan {MAX_ROWS} rijen; splits het bestand.")
            if len(excel_row) > MAX_COLUMNS:
                raise FileProblem(_too_many_columns(len(excel_row)))
            cells: list[str] = []
            flags: dict[int, str] = {}
            for index, cell in enumerate(excel_row):
                text, flag = _cell_text(cell)
                cells.append(text)
                read_chars += len(text)
                if flag:
                    flags[index] = flag
            if read_chars > MAX_CELL_TEXT_CHARS:
                raise FileProblem(
                    "er staat veel te veel tekst in voor een lijst met aanbieders; controleer "
                    "het bestand of splits het."
                )
            table_rows.append(Row(number=len(table_rows) + 1, cells=tuple(cells), flags=flags))
    finally:
        workbook.close()
    if not table_rows or not any(c.strip() for r in table_rows for c in r.cells):
        raise FileProblem("er staat niets in, geen kopregel en geen aanbieders.")
    head = table_rows[0]
    return Table(header=head.cells, rows=tuple(table_rows[1:]), header_flags=head.flags)


def _too_many_columns(count: int) -> str:
    return (
        f"het heeft {count} kolommen, meer dan {MAX_COLUMNS}; de lijst met aanbieders heeft "
        "er ongeveer 30. Controleer of u het goede bestand kiest."
    )


def _refuse_dtds(archive: zipfile.ZipFile) -> None:
    """A workbook's XML never needs a DTD; one can hide entity expansion (billion laughs)
    or external entities (XXE). Refused before any XML parser sees the file."""
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as part:
            head = part.read(XML_HEAD_BYTES).upper()
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise FileProblem(
                "het bevat een DTD of entiteiten (<!DOCTYPE>). Een gewone Excel-werkmap heeft "
                "die niet; sla het bestand opnieuw op in Excel en probeer het nog eens."
            )


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Count rows and cells in a sheet's XML as it unpacks, before openpyxl reads it
    (which may parse a whole sheet just to learn its size): too many rows, a row with
    too many cells, or too much XML is refused within a second, however much the small
    file unpacks to."""
    rows = cells = 0
    read = 0
    carry = b""
    keep = 5  # longer than "<row" and "<c ": a tag cut by a chunk is counted next time
    with archive.open(info) as part:
        while chunk := part.read(_SCAN_CHUNK):
            read += len(chunk)
            if read > MAX_XML_PART_BYTES:
                raise FileProblem("het is uitgepakt te groot om te lezen; splits het bestand.")
            data = carry + chunk
            body, carry = data[:-keep], data[-keep:]
            first, *starts = body.split(b"<row")
            cells += first.count(b"<c ") + first.count(b"<c>")
            for piece in starts:
                if cells > MAX_COLUMNS:
                    raise FileProblem(_too_many_columns(cells))
                rows += 1
                if rows > MAX_ROWS + 1:
                    raise FileProblem(f"het heeft meer dan {MAX_ROWS} rijen; splits het bestand.")
                cells = piece.count(b"<c ") + piece.count(b"<c>")
            if cells > MAX_COLUMNS:
                raise FileProblem(_too_many_columns(cells))
    cells += carry.count(b"<c ") + carry.count(b"<c>")
    if cells > MAX_COLUMNS:
        raise FileProblem(_too_many_columns(cells))


def _cell_text(cell: Any) -> tuple[str, str | None]:
    value = cell.value
    kind = getattr(cell, "data_type", None)
    if value is None:
        return "", None
    if kind == "f":
        text = getattr(value, "text", value)  # ArrayFormula keeps its text in .text
        return str(text), "formule"
    if kind == "e":
        return str(value), "fout"
    if isinstance(value, bool):
        return ("WAAR" if value else "ONWAAR"), None
    if isinstance(value, int | float):
        number = float(value)
        if "%" in (cell.number_format or ""):
            number *= 100
        if number.is_integer():
            return str(int(number)), "getal"
        return repr(round(number, 9)), "getal"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat(), None
        return value.isoformat(sep=" "), None
    if isinstance(value, date | time):
        return value.isoformat(), None
    return str(value), None
