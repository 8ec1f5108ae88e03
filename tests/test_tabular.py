"""Tests for importers.tabular: reading csv/xlsx files into rows with line numbers."""

from __future__ import annotations

import datetime as dt
import os
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook

from importers.tabular import (
    Row,
    TableError,
    decode_bytes,
    parse_csv,
    parse_xlsx,
    read_table,
)

DATA = Path(__file__).parent / "data" / "spreadsheets"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- decoding -----------------------------------------------------------------


def test_decode_utf8_with_bom_strips_it() -> None:
    assert decode_bytes(b"\xef\xbb\xbfnaam") == ("naam", "utf-8-sig")


def test_decode_plain_utf8() -> None:
    assert decode_bytes("café".encode()) == ("café", "utf-8")


def test_decode_falls_back_to_cp1252() -> None:
    assert decode_bytes("Taalcafé €".encode("cp1252")) == ("Taalcafé €", "cp1252")


def test_decode_utf16_with_bom() -> None:
    text, encoding = decode_bytes("naam;tijd\nTaalcafé;9:30".encode("utf-16"))
    assert (text, encoding) == ("naam;tijd\nTaalcafé;9:30", "utf-16")


@pytest.mark.parametrize(
    "data",
    [
        bytes([0, 1, 2, 3, 200, 17, 0, 99] * 50),
        bytes(range(1, 32)) * 10 + b"abc",
        (DATA / "header.png").read_bytes(),
    ],
    ids=["nul-bytes", "control-chars", "png"],
)
def test_decode_refuses_binary(data: bytes) -> None:
    with pytest.raises(TableError, match="binaire inhoud"):
        decode_bytes(data)


# --- csv ----------------------------------------------------------------------


def test_semicolon_csv_with_bom(tmp_path: Path) -> None:
    table = read_table(DATA / "semicolon_bom.csv")
    assert table.format == "csv"
    assert table.delimiter == ";"
    assert table.encoding == "utf-8-sig"
    assert table.headers == ["Naam", "Organisatie", "Leefgebied(en)", "Kosten"]
    assert table.rows[0] == Row(
        2,
        {
            "Naam": "Taalcafé",
            "Organisatie": "Buurthuis De Linde",
            "Leefgebied(en)": "taal",
            "Kosten": "€ 2,50",
        },
    )
    assert [row.line for row in table.rows] == [2, 3]


def test_cp1252_csv() -> None:
    table = read_table(DATA / "cp1252.csv")
    assert table.encoding == "cp1252"
    assert table.rows[0].cells == {
        "Naam": "Taalcafé",
        "Kosten": "€ 1,50",
        "Omschrijving": "Koffie én gesprek",
    }


def test_comma_csv() -> None:
    table = parse_csv('naam,organisatie,kosten\nTaalcafé,Buurthuis,"2,50"\n')
    assert table.delimiter == ","
    assert table.rows[0].cells["kosten"] == "2,50"


def test_tab_csv() -> None:
    table = parse_csv("naam\tdag\tvan\nYoga\tma, wo\t9:30\n")
    assert table.delimiter == "\t"
    assert table.rows[0].cells == {"naam": "Yoga", "dag": "ma, wo", "van": "9:30"}


def test_delimiter_inside_quoted_header_is_ignored() -> None:
    table = parse_csv('"naam; titel",dag\nYoga,ma\n')
    assert table.delimiter == ","
    assert table.headers == ["naam; titel", "dag"]


def test_quoted_cell_with_newline_and_delimiter() -> None:
    table = read_table(DATA / "multiline.csv")
    assert table.rows[0].line == 2
    assert table.rows[0].cells["Omschrijving"] == 'Koffie; thee\r\nen een "praatje"'
    assert table.rows[1] == Row(4, {"Naam": "Wandelen", "Omschrijving": "Buiten", "Dag": "di"})


def test_cells_are_stripped_and_short_rows_padded() -> None:
    table = parse_csv("naam;dag;tijd\n  Yoga  ; ma\n")
    assert table.rows[0].cells == {"naam": "Yoga", "dag": "ma", "tijd": ""}


def test_empty_rows_are_skipped_but_lines_still_count() -> None:
    table = parse_csv("naam;dag\n\n;\nYoga;ma\n ; \n")
    assert [(row.line, row.cells["naam"]) for row in table.rows] == [(4, "Yoga")]


def test_unbalanced_quote_names_the_line_where_it_starts() -> None:
    with pytest.raises(TableError, match="aanhalingsteken niet gesloten") as info:
        read_table(DATA / "unclosed_quote.csv")
    assert info.value.line == 4
    assert str(info.value) == "regel 4: aanhalingsteken niet gesloten"


def test_stray_quote_after_quoted_cell_is_an_error() -> None:
    with pytest.raises(TableError, match="aanhalingsteken") as info:
        parse_csv('naam;dag\nYoga;ma\n"Buurthuis" De Linde;di\n')
    assert info.value.line == 3


def test_too_many_cells_names_the_line() -> None:
    with pytest.raises(TableError, match="te veel cellen") as info:
        parse_csv("naam;dag\nYoga;ma\nTaal;di;extra\n")
    assert info.value.line == 3
    assert str(info.value).startswith("regel 3: ")


def test_trailing_empty_cells_beyond_headers_are_allowed() -> None:
    table = parse_csv("naam;dag\nYoga;ma;;\n")
    assert table.rows[0].cells == {"naam": "Yoga", "dag": "ma"}


def test_empty_header_column_with_no_data_is_dropped() -> None:
    table = parse_csv("naam;;dag;\nYoga;;ma;\n")
    assert table.headers == ["naam", "dag"]


def test_blank_header_with_data_is_an_error() -> None:
    with pytest.raises(TableError, match="kolomkop ontbreekt") as info:
        parse_csv("naam;;dag\nYoga;x;ma\n")
    assert info.value.line == 1


def test_duplicate_header_is_an_error() -> None:
    with pytest.raises(TableError, match="dubbele kolomkop 'naam'") as info:
        parse_csv("naam;dag;naam\n")
    assert info.value.field == "naam"


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="bestand is leeg"):
        read_table(write(tmp_path, "leeg.csv", b""))
    with pytest.raises(TableError, match="bestand is leeg"):
        parse_csv("\ufeff\r\n  \n")


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "kop.csv", b"naam;organisatie;dag\r\n"))
    assert table.headers == ["naam", "organisatie", "dag"]
    assert table.rows == []


def test_single_column_csv() -> None:
    table = parse_csv("naam\nYoga\n")
    assert table.headers == ["naam"]
    assert table.rows == [Row(2, {"naam": "Yoga"})]


def test_old_mac_line_endings() -> None:
    table = parse_csv("naam;dag\rYoga;ma\rTaal;di\r")
    assert [row.line for row in table.rows] == [2, 3]


# --- binary and size ----------------------------------------------------------


def test_random_binary_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "data.csv", os.urandom(2000) + b"\x00\x00")
    with pytest.raises(TableError, match="binaire inhoud"):
        read_table(path)


def test_png_renamed_to_csv_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "foto.csv", (DATA / "header.png").read_bytes())
    with pytest.raises(TableError, match="geen tekst- of Excelbestand"):
        read_table(path)


def test_file_over_max_bytes_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "groot.csv", b"naam\n" + b"x\n" * 600)
    with pytest.raises(TableError, match="te groot"):
        read_table(path, max_bytes=1000)
    assert len(read_table(path, max_bytes=2000).rows) == 600


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="niet gevonden"):
        read_table(tmp_path / "bestaat-niet.csv")


def test_old_xls_is_refused_with_advice(tmp_path: Path) -> None:
    path = write(tmp_path, "lijst.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(TableError, match=r"\.xlsx of CSV"):
        read_table(path)


def test_unknown_forced_format(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="onbekend formaat"):
        read_table(write(tmp_path, "a.csv", b"naam\n"), format="ods")


# --- xlsx ---------------------------------------------------------------------


def xlsx_bytes(rows: list[list[object]], title: str = "Aanbod", extra_sheet: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for values in rows:
        sheet.append(values)
    if extra_sheet:
        workbook.create_sheet("Tweede").append(["naam", "dag"])
        workbook["Tweede"].append(["Yoga", "ma"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_ROWS: list[list[object]] = [
    ["Naam", "Datum", "Van", "Gecontroleerd", "Aantal", "Prijs", "Gratis", "Leeg", "Tel"],
    [
        "Taalcafé",
        dt.date(2024, 3, 1),
        dt.time(9, 30),
        dt.datetime(2024, 3, 1, 0, 0),
        3.0,
        2.5,
        True,
        None,
        612345678,
    ],
    [
        " Yoga ",
        dt.datetime(2024, 3, 2, 14, 15),
        dt.time(13, 0, 15),
        None,
        12,
        0.1 + 0.2,
        False,
        None,
        None,
    ],
]


def test_xlsx_cells_become_text(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "aanbod.xlsx", xlsx_bytes(XLSX_ROWS)))
    assert table.format == "xlsx"
    assert table.sheet == "Aanbod"
    assert table.encoding is None and table.delimiter is None
    assert table.headers == ["Naam", "Datum", "Van", "Gecontroleerd", "Aantal", "Prijs", "Gratis",
                             "Leeg", "Tel"]  # fmt: skip
    first, second = table.rows
    assert first == Row(
        2,
        {
            "Naam": "Taalcafé",
            "Datum": "2024-03-01",
            "Van": "09:30",
            "Gecontroleerd": "2024-03-01",
            "Aantal": "3",
            "Prijs": "2.5",
            "Gratis": "ja",
            "Leeg": "",
            "Tel": "612345678",
        },
    )
    assert second.line == 3
    assert second.cells["Naam"] == "Yoga"
    assert second.cells["Datum"] == "2024-03-02 14:15"
    assert second.cells["Van"] == "13:00:15"
    assert second.cells["Aantal"] == "12"
    assert second.cells["Prijs"] == "0.3"
    assert second.cells["Gratis"] == "nee"


def test_xlsx_detected_by_content_not_extension(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "export.dat", xlsx_bytes(XLSX_ROWS)))
    assert table.format == "xlsx"


def test_xlsx_blank_rows_skipped_and_lines_kept() -> None:
    data = xlsx_bytes([[None], ["naam", "dag"], [None, None], ["Yoga", "ma"]])
    table = parse_xlsx(data)
    assert table.rows == [Row(4, {"naam": "Yoga", "dag": "ma"})]


def test_xlsx_named_sheet() -> None:
    data = xlsx_bytes(XLSX_ROWS, extra_sheet=True)
    table = parse_xlsx(data, sheet="Tweede")
    assert table.sheet == "Tweede"
    assert table.rows == [Row(2, {"naam": "Yoga", "dag": "ma"})]


def test_xlsx_missing_sheet_lists_the_sheets() -> None:
    with pytest.raises(TableError, match="tabblad 'Derde' bestaat niet.*'Tweede'"):
        parse_xlsx(xlsx_bytes(XLSX_ROWS, extra_sheet=True), sheet="Derde")


def test_xlsx_value_without_header_names_column_and_line() -> None:
    data = xlsx_bytes([["naam", "dag"], ["Yoga", "ma"], ["Taal", "di", "extra"]])
    with pytest.raises(TableError, match="kolomkop ontbreekt in kolom 3") as info:
        parse_xlsx(data)
    assert str(info.value) == (
        "regel 1: kolomkop ontbreekt in kolom 3, terwijl regel 3 daar een waarde heeft"
    )


def test_xlsx_empty_sheet() -> None:
    with pytest.raises(TableError, match="bestand is leeg"):
        parse_xlsx(xlsx_bytes([]))


def test_corrupt_xlsx(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="geen geldig Excelbestand"):
        read_table(DATA / "corrupt.xlsx")
    with pytest.raises(TableError, match="geen geldig Excelbestand"):
        read_table(write(tmp_path, "leeg.xlsx", b"niet eens een zip"))


def test_forced_csv_on_xlsx_is_refused_as_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "aanbod.xlsx", xlsx_bytes(XLSX_ROWS))
    with pytest.raises(TableError, match="binaire inhoud"):
        read_table(path, format="csv")


def test_sheet_with_csv_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="geen tabbladen"):
        read_table(write(tmp_path, "a.csv", b"naam\nYoga\n"), sheet="Blad1")
