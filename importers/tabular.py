"""Read csv and xlsx files into header-keyed rows with the line numbers a user sees.

This module owns the file format only: encodings, delimiters, quoting, sheets and
cell-to-text conversion. Turning rows into records is someone else's job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Row",
    "Table",
    "TableError",
    "cell_text",
    "decode_bytes",
    "guess_format",
    "parse_csv",
    "parse_xlsx",
    "read_table",
    "sniff_delimiter",
]

DELIMITERS = (";", ",", "\t")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_TEXT_CONTROLS = {9, 10, 12, 13}
_BINARY_CONTROL_RATIO = 0.02

Record = tuple[int, list[str]]


@dataclass
class Row:
    """One data row: `line` as a spreadsheet user sees it (header is line 1)."""

    line: int
    cells: dict[str, str]


@dataclass
class Table:
    """The headers and rows of one file, plus what was detected while reading it."""

    format: str
    headers: list[str]
    rows: list[Row]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


class TableError(ValueError):
    """A file that cannot be read as a table; the message is Dutch and user-facing."""

    def __init__(self, message: str, *, line: int | None = None, field: str = "") -> None:
        self.message = message
        self.line = line
        self.field = field
        super().__init__(f"regel {line}: {message}" if line is not None else message)


# --- bytes → text -------------------------------------------------------------


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    sample = data[:65536]
    controls = sum(1 for b in sample if (b < 32 and b not in _TEXT_CONTROLS) or b == 127)
    return controls > len(sample) * _BINARY_CONTROL_RATIO


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes to text; return (text, encoding name). Refuses binary content."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        raise TableError("dit is geen tekst- of Excelbestand (binaire inhoud)")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        return data.decode("utf-8"), encoding
    except UnicodeDecodeError:
        pass
    mixed = _decode_lines(data)
    if mixed is not None:
        return mixed, "utf-8+cp1252"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _decode_lines(data: bytes) -> str | None:
    """A file that is UTF-8 except for some pasted cp1252 lines, decoded line by line;
    None when no line shows UTF-8 at all (then the whole file is cp1252)."""
    lines = data.split(b"\n")
    decoded: list[str] = []
    saw_utf8 = False
    for line in lines:
        try:
            text = line.decode("utf-8")
            saw_utf8 = saw_utf8 or not line.isascii()
        except UnicodeDecodeError:
            text = line.decode("cp1252", errors="replace")
        decoded.append(text)
    return "\n".join(decoded) if saw_utf8 else None


# --- shared table building ----------------------------------------------------


def _is_blank(cells: list[str]) -> bool:
    return all(not cell for cell in cells)


def _check_headers(headers: list[str], rows: list[Record], header_line: int) -> list[int]:
    """Return the indexes of the columns to keep; raise on blank or duplicate headers."""
    keep: list[int] = []
    seen: set[str] = set()
    for index, header in enumerate(headers):
        if not header:
            used = [line for line, cells in rows if index < len(cells) and cells[index]]
            if used:
                raise TableError(
                    f"kolomkop ontbreekt in kolom {index + 1}, "
                    f"terwijl regel {used[0]} daar een waarde heeft",
                    line=header_line,
                )
            continue
        if header in seen:
            raise TableError(f"dubbele kolomkop '{header}'", line=header_line, field=header)
        seen.add(header)
        keep.append(index)
    return keep


def _build_table(
    records: list[Record],
    format: str,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Turn (line, cells) records into a Table: first non-blank record is the header."""
    records = [(line, [c.strip() for c in cells]) for line, cells in records]
    records = [(line, cells) for line, cells in records if not _is_blank(cells)]
    if not records:
        raise TableError("bestand is leeg")
    header_line, headers = records[0]
    body = records[1:]
    width = len(headers)
    for line, cells in body:
        extra = [cell for cell in cells[width:] if cell]
        if extra:
            raise TableError(
                f"{len(cells)} cellen maar {width} kolomkoppen (te veel cellen)", line=line
            )
    keep = _check_headers(headers, body, header_line)
    kept_headers = [headers[i] for i in keep]
    rows = [
        Row(line, {headers[i]: cells[i] if i < len(cells) else "" for i in keep})
        for line, cells in body
    ]
    return Table(format, kept_headers, rows, encoding=None, delimiter=delimiter, sheet=sheet)


# --- csv ----------------------------------------------------------------------


def _first_line_outside_quotes(text: str) -> str:
    in_quotes = False
    for index, char in enumerate(text):
        if char == '"':
            in_quotes = not in_quotes
        elif char in "\r\n" and not in_quotes:
            return text[:index]
    return text


def sniff_delimiter(text: str) -> str:
    """Pick `;`, `,` or tab by counting them (outside quotes) in the header line."""
    header = _first_line_outside_quotes(text.lstrip("\r\n"))
    counts = {d: 0 for d in DELIMITERS}
    in_quotes = False
    for char in header:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _csv_records(text: str, delimiter: str) -> list[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[Record] = []
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as exc:
            if "end of data" in str(exc):
                raise TableError("aanhalingsteken niet gesloten", line=start) from exc
            raise TableError(
                "aanhalingsteken op een onverwachte plek; zet een cel met "
                f"aanhalingstekens helemaal tussen aanhalingstekens ({exc})",
                line=start,
            ) from exc
        records.append((start, cells))
        start = reader.line_num + 1


def parse_csv(text: str) -> Table:
    """Parse CSV text (delimiter sniffed) into a Table; pure, no file access."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise TableError("bestand is leeg")
    delimiter = sniff_delimiter(text)
    records = _csv_records(text, delimiter)
    return _build_table(records, "csv", delimiter=delimiter)


# --- xlsx ---------------------------------------------------------------------


def _format_number(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    return f"{value:.15g}"


def _format_time(value: dt.time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def cell_text(value: object) -> str:
    """Convert an openpyxl cell value to the text a user would type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return f"{value.date().isoformat()} {_format_time(value.time())}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return _format_time(value)
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    if isinstance(value, float):
        return _format_number(value)
    return str(value).strip()


def _open_sheet(data: bytes, sheet: str | None) -> tuple[Any, Any]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on corrupt input
        raise TableError("geen geldig Excelbestand") from exc
    if sheet is None:
        return workbook, workbook.worksheets[0]
    if sheet not in workbook.sheetnames:
        names = ", ".join(f"'{name}'" for name in workbook.sheetnames)
        workbook.close()
        raise TableError(f"tabblad '{sheet}' bestaat niet (wel: {names})")
    return workbook, workbook[sheet]


def parse_xlsx(data: bytes, sheet: str | None = None) -> Table:
    """Parse xlsx bytes (first sheet, or the named one) into a Table of text cells."""
    workbook, worksheet = _open_sheet(data, sheet)
    try:
        records = [
            (line, [cell_text(value) for value in values])
            for line, values in enumerate(worksheet.iter_rows(values_only=True), 1)
        ]
    except Exception as exc:  # corrupt sheet XML surfaces only while iterating
        raise TableError("geen geldig Excelbestand") from exc
    finally:
        workbook.close()
    title = str(worksheet.title)
    return _build_table(records, "xlsx", sheet=title)


# --- files --------------------------------------------------------------------


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise TableError(
                f"bestand is te groot ({size / 1e6:.1f} MB; maximaal {max_bytes / 1e6:.1f} MB)"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise TableError(f"bestand niet gevonden: {path}") from exc
    except OSError as exc:
        raise TableError(f"bestand kan niet gelezen worden: {path} ({exc.strerror})") from exc
    if len(data) > max_bytes:
        raise TableError(f"bestand is te groot (maximaal {max_bytes / 1e6:.1f} MB)")
    return data


def guess_format(path: Path, data: bytes) -> str:
    """Return "xlsx" or "csv" from the content, falling back to the extension."""
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise TableError(
            "dit is een oud (.xls) of beveiligd Excelbestand; "
            "sla het op als .xlsx of CSV zonder wachtwoord"
        )
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return "xlsx"
    return "csv"


def read_table(
    path: str | Path,
    format: str | None = None,
    sheet: str | None = None,
    max_bytes: int = 50_000_000,
) -> Table:
    """Read a csv or xlsx file into a Table; `format` ("csv"/"xlsx") overrides the guess."""
    path = Path(path)
    data = _read_bytes(path, max_bytes)
    if not data:
        raise TableError("bestand is leeg")
    fmt = format.lower() if format else guess_format(path, data)
    if fmt == "xlsx" and data.startswith(OLE_MAGIC):
        guess_format(path, data)  # explains what to do with an old or protected workbook
    if fmt == "xlsx":
        return parse_xlsx(data, sheet)
    if fmt != "csv":
        raise TableError(f"onbekend formaat '{format}' (kies csv of xlsx)")
    if sheet is not None:
        raise TableError("een CSV-bestand heeft geen tabbladen")
    text, encoding = decode_bytes(data)
    table = parse_csv(text)
    table.encoding = encoding
    return table
