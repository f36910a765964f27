"""Excel workbooks: the release's workbook (every table a sheet) and one-sheet workbooks.

A workbook a Swedish spreadsheet opens right on a double click, with nothing to import:

- every table a sheet: row 1 the Swedish column headings (the Table Schema's
  ``x-translations.sv.title``), row 2 the field names of the CSV files and ``datapackage.json``,
  the rows from row 3; the headings frozen and a filter on row 2;
- a region's name (``regions.name_source``) in a column beside each region code, so that a
  reader need not look codes up;
- codes, editions and every other ``string`` field stored as text, in cells formatted as text
  (``@``), so that ``01`` stays ``01`` and ``2026-02`` is not made a date, even after an edit;
  integers and numbers as numbers, booleans as booleans, ``date`` fields as dates
  (``yyyy-mm-dd``), and an empty cell for a missing value;
- formula-safe: every text is written as a string, never parsed as a formula, and a text that
  starts like one (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) also carries Excel's
  "quote prefix", so that editing the cell keeps it text;
- first an "Om filen" sheet (what the file is, in Swedish and English) and a "Kolumner" sheet
  (every column: table, field, Swedish heading and description, type).

Written with XlsxWriter, the release's workbook sheet by sheet and row by row through
temporary files in the build's staging folder (memory stays flat however long the tables), with
fixed zip dates and the document's dates fixed to the data's date, so the same package gives
the same bytes. openpyxl (the reader of ``palliativ-data round``) reads it back in the tests.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from .._errors import BuildError
from .excel import formula_safe
from .metadata.facts import DataRows

KINDS = ("text", "integer", "number", "boolean", "date")
"""How a column's cells are written: a Table Schema type maps onto one of these."""

_KIND_OF_TYPE = {"integer": "integer", "number": "number", "boolean": "boolean", "date": "date"}

REGION_NAME = "regions.name_source"
"""Row 2 of the column added beside a region code: where its values come from."""
REGION_NAME_HEADING = "Regionens namn"

ABOUT_SHEET, COLUMNS_SHEET = "Om filen", "Kolumner"

MAX_CELL = 32_767
"""The most characters an Excel cell holds."""
CUT_NOTE = " … [avkortad, hela texten finns i CSV-filen / cut, the full text is in the CSV file]"
"""Ends a text longer than an Excel cell holds (``MAX_CELL`` characters), cut to fit: the
workbook is a copy for reading; the CSV, Parquet and SQLite copies keep the whole text."""
MAX_ROWS = 1_048_576
_MAX_WIDTH, _MIN_WIDTH = 60, 8
_SHEET_NAME_FORBIDDEN = set("[]:*?/\\")


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    Attributes:
        name: The field name (row 2).
        heading: The Swedish heading (row 1).
        kind: How its cells are written, one of :data:`KINDS`.
    """

    name: str
    heading: str
    kind: str = "text"


@dataclass(frozen=True)
class Sheet:
    """One sheet: a name (at most 31 characters), its columns and its rows (a value per
    column, ``None`` for an empty cell)."""

    name: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Any]]


def column_kind(field: Mapping[str, Any]) -> str:
    """The :data:`KINDS` entry of a Table Schema field (anything not typed is text).

    Examples:
        >>> column_kind({"type": "integer"}), column_kind({"type": "string"})
        ('integer', 'text')
    """
    return _KIND_OF_TYPE.get(str(field.get("type")), "text")


def swedish(item: Mapping[str, Any], key: str) -> str | None:
    """``x-translations.sv.<key>`` of a descriptor, resource or field, if set."""
    text = ((item.get("x-translations") or {}).get("sv") or {}).get(key)
    return text if isinstance(text, str) and text else None


def heading(field: Mapping[str, Any]) -> str:
    """A field's Swedish title, else its title, else its name."""
    return swedish(field, "title") or str(field.get("title") or field["name"])


# --------------------------------------------------------------------------- the package


def _region_columns(resource: Mapping[str, Any]) -> set[str]:
    """The fields of ``resource`` that are a foreign key to the regions' codes."""
    found = set()
    for key in resource["schema"].get("foreignKeys") or []:
        fields, reference = key.get("fields"), key.get("reference") or {}
        if (
            isinstance(fields, str)
            and reference.get("resource") == "regions"
            and reference.get("fields") in ("region_code", ["region_code"])
        ):
            found.add(fields)
    return found


class TableRows(Sequence[tuple[Any, ...]]):
    """A sheet's rows taken from an Arrow table batch by batch, never all at once.

    Each row is a value per field, with a region's name after each region code in
    ``with_names``; a table of a million rows is never a million Python tuples in memory.
    """

    _BATCH = 20_000

    def __init__(
        self, table: Any, fields: Sequence[str], with_names: set[str], names: Mapping[str, str]
    ) -> None:
        self._table, self._fields = table, tuple(fields)
        self._with_names, self._names = with_names, names

    def __len__(self) -> int:
        return int(self._table.num_rows)

    def _rows(self, part: Any) -> Iterator[tuple[Any, ...]]:
        getters: list[list[Any]] = []
        for name in self._fields:
            values = part.column(name).to_pylist()
            getters.append(values)
            if name in self._with_names:
                getters.append([None if code is None else self._names.get(code) for code in values])
        return zip(*getters, strict=True) if getters else iter(())

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for start in range(0, len(self), self._BATCH):
            yield from self._rows(self._table.slice(start, self._BATCH))

    @overload
    def __getitem__(self, index: int) -> tuple[Any, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]: ...
    def __getitem__(self, index: int | slice) -> tuple[Any, ...] | list[tuple[Any, ...]]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[number] for number in range(start, stop, step)]
            return list(self._rows(self._table.slice(start, max(0, stop - start))))
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return next(self._rows(self._table.slice(index % len(self), 1)))


def package_sheets(descriptor: Mapping[str, Any], tables: Mapping[str, Any]) -> list[Sheet]:
    """A sheet per resource of ``descriptor``, its rows from ``tables`` (resource name →
    (Table Schema, Arrow table)), a region's name beside each region code."""
    names: dict[str, str] = {}
    if "regions" in tables:
        regions = tables["regions"][1]
        if {"region_code", "name_source"} <= set(regions.column_names):
            codes = regions.column("region_code").to_pylist()
            names = dict(zip(codes, regions.column("name_source").to_pylist(), strict=True))
    sheets = []
    for resource in descriptor["resources"]:
        name = resource["name"]
        fields = resource["schema"]["fields"]
        with_names = _region_columns(resource) if names else set()
        columns: list[Column] = []
        for field in fields:
            columns.append(Column(field["name"], heading(field), column_kind(field)))
            if field["name"] in with_names:
                columns.append(Column(REGION_NAME, REGION_NAME_HEADING))
        rows = TableRows(tables[name][1], [f["name"] for f in fields], with_names, names)
        sheets.append(Sheet(name, tuple(columns), rows))
    return sheets


def _about(descriptor: Mapping[str, Any], sheets: Sequence[Sheet]) -> list[tuple[str, ...]]:
    """The rows of the "Om filen" sheet: what the workbook is, in Swedish and English."""
    title_sv = swedish(descriptor, "title") or str(descriptor.get("title", ""))
    version = str(descriptor.get("version", ""))
    licences = descriptor.get("licenses") or [{}]
    licence = str(licences[0].get("title") or licences[0].get("name") or "")
    path = str(licences[0].get("path") or "")
    resources = {r["name"]: r for r in descriptor["resources"]}
    rows: list[tuple[str, ...]] = [
        (f"{title_sv} ({descriptor.get('name', '')} {version})",),
        (f"Licens: {licence} {path}".rstrip(),),
        ("",),
        (
            "Varje tabell i datapaketet är ett blad. Rad 1 är kolumnens svenska rubrik, rad 2 "
            "fältnamnet i CSV-filerna och datapackage.json; uppgifterna börjar på rad 3.",
        ),
        (
            "Koder och utgåvor (till exempel 01 och 2026-02) är lagrade som text. Bredvid varje "
            f"regionkod står regionens namn (kolumnen {REGION_NAME}, som inte finns i "
            "CSV-filerna).",
        ),
        (f"Bladet {COLUMNS_SHEET} beskriver varje kolumn.",),
        ("",),
        (
            "Every table of the data package is a sheet. Row 1 holds the Swedish column "
            "headings, row 2 the field names of the CSV files and datapackage.json; the data "
            "starts on row 3. Codes and editions (such as 01 and 2026-02) are stored as text. "
            f"Beside every region code is the region's name (column {REGION_NAME}, not in the "
            f"CSV files). The sheet {COLUMNS_SHEET} describes every column.",
        ),
        ("",),
        ("Blad", "Innehåll", "Rader"),
    ]
    for sheet in sheets:
        resource = resources[sheet.name]
        about = swedish(resource, "title") or str(resource.get("title") or "")
        rows.append((sheet.name, about, str(len(sheet.rows))))
    return rows


def _columns(descriptor: Mapping[str, Any]) -> Sheet:
    """The "Kolumner" sheet: every field of every resource, in Swedish and English."""
    columns = (
        Column("table", "Blad"),
        Column("field", "Fält"),
        Column("heading_sv", "Rubrik"),
        Column("description_sv", "Beskrivning"),
        Column("type", "Typ"),
        Column("title_en", "Rubrik på engelska"),
        Column("description_en", "Beskrivning på engelska"),
    )
    rows = []
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            rows.append(
                (
                    resource["name"],
                    field["name"],
                    heading(field),
                    swedish(field, "description") or "",
                    field.get("type", "string"),
                    field.get("title") or "",
                    field.get("description") or "",
                )
            )
    return Sheet(COLUMNS_SHEET, columns, rows)


def _created(tables: Mapping[str, Any]) -> dt.datetime:
    """The workbook's fixed date: the data's date (its latest edition), else 1980-01-01."""
    date = DataRows.from_tables({n: t for n, (_, t) in tables.items()}).data_date
    return dt.datetime.fromisoformat(date or "1980-01-01")


def release_workbook(
    descriptor: Mapping[str, Any], tables: Mapping[str, Any], scratch: Path | None = None
) -> bytes:
    """The release's workbook (see the module docstring), as bytes.

    Args:
        descriptor: The package's descriptor (its resources' Table Schemas).
        tables: Every table, parsed once: resource name → (Table Schema, Arrow table).
        scratch: A folder for temporary files, to write the sheets row by row to disk
            (:func:`write_workbook`); the build gives its staging folder.

    Raises:
        BuildError: A cell or a table is larger than Excel holds.
    """
    sheets = package_sheets(descriptor, tables)
    about = _about(descriptor, sheets)
    title = swedish(descriptor, "title") or str(descriptor.get("title", ""))
    return write_workbook(
        [_columns(descriptor), *sheets],
        title=f"{title} {descriptor.get('version', '')}".strip(),
        created=_created(tables),
        about=about,
        scratch=scratch,
    )


# --------------------------------------------------------------------------- writing


def _check_sheet_name(name: str) -> None:
    if not name or len(name) > 31 or set(name) & _SHEET_NAME_FORBIDDEN:
        raise BuildError(
            f"The table name {name!r} cannot name an Excel sheet (at most 31 characters, none "
            "of [ ] : * ? / \\). Rename the resource in schema/ and run `palliativ-data "
            "generate`."
        )


def _width(column: Column, rows: Sequence[Sequence[Any]], index: int) -> float:
    longest = max(len(column.heading), len(column.name))
    for row in rows[:500]:
        value = row[index]
        if value is not None:
            longest = max(longest, len(str(value)))
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))


def write_workbook(
    sheets: Iterable[Sheet],
    *,
    title: str,
    created: dt.datetime,
    about: Sequence[Sequence[str]] = (),
    scratch: Path | None = None,
) -> bytes:
    """A workbook of ``sheets`` (after an "Om filen" sheet of ``about`` rows, if any).

    Args:
        sheets: The sheets, in order.
        title: The document's title (its properties).
        created: The document's date (fixed, for reproducible bytes).
        about: Rows of text for the first sheet; none, no such sheet.
        scratch: A folder for XlsxWriter's temporary files (a folder of its own is made in it
            and removed): each sheet is then written row by row to disk ("constant memory",
            text cells inline rather than shared), so memory stays flat however long the
            tables. Without it everything is kept in memory, for small workbooks.

    Raises:
        BuildError: A sheet name Excel refuses, or a cell or table larger than Excel holds.
    """
    if scratch is None:
        return _write_workbook(sheets, title, created, about, {"in_memory": True})
    with tempfile.TemporaryDirectory(prefix=".xlsx-", dir=scratch) as folder:
        return _write_workbook(
            sheets, title, created, about, {"constant_memory": True, "tmpdir": folder}
        )


def _write_workbook(
    sheets: Iterable[Sheet],
    title: str,
    created: dt.datetime,
    about: Sequence[Sequence[str]],
    mode: Mapping[str, Any],
) -> bytes:
    import xlsxwriter  # deferred: only a build writes workbooks

    buffer = io.BytesIO()
    # in memory, zip entries are dated 1980-01-01; through files, 1980-01-31 local time: the
    # same bytes whatever the time zone either way
    options = {
        **mode,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    book = xlsxwriter.Workbook(buffer, options)
    book.set_properties(
        {
            "title": title,
            "comments": "palliativ-data",
            "created": created.replace(tzinfo=None),
        }
    )
    fmt = {
        "heading": book.add_format({"bold": True, "bg_color": "#DDE4F0", "bottom": 1}),
        "name": book.add_format(
            {"font_color": "#444444", "italic": True, "bg_color": "#F2F2F2", "num_format": "@"}
        ),
        "text": book.add_format({"num_format": "@"}),
        "formula_like": book.add_format({"num_format": "@", "quote_prefix": True}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    if about:
        sheet = book.add_worksheet(ABOUT_SHEET)
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 90)
        sheet.set_column(2, 2, 8)
        for row, texts in enumerate(about):
            for col, text in enumerate(texts):
                style = fmt["title"] if row == 0 else fmt["wrap"] if len(texts) == 1 else None
                if len(texts) == 1 and row > 0 and text:
                    sheet.merge_range(row, 0, row, 2, text, style)
                else:
                    sheet.write_string(row, col, text, style)
    for item in sheets:
        _write_sheet(book, item, fmt)
    book.close()
    return buffer.getvalue()


def _write_sheet(book: Any, item: Sheet, fmt: Mapping[str, Any]) -> None:
    _check_sheet_name(item.name)
    if len(item.rows) + 2 > MAX_ROWS:
        raise BuildError(
            f"The table {item.name} has {len(item.rows):,} rows; an Excel sheet holds "
            f"{MAX_ROWS - 2:,} under its two heading rows. Leave the workbook out of this "
            "release (remove its entry from FORMATS in _release/formats.py)."
        )
    sheet = book.add_worksheet(item.name)
    for col, column in enumerate(item.columns):
        style = fmt["text"] if column.kind == "text" else None
        sheet.set_column(col, col, _width(column, item.rows, col), style)
    # row by row, left to right: a sheet written with constant memory keeps only its last row
    for col, column in enumerate(item.columns):
        sheet.write_string(0, col, column.heading, fmt["heading"])
    for col, column in enumerate(item.columns):
        sheet.write_string(1, col, column.name, fmt["name"])
    for number, values in enumerate(item.rows, start=2):
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            _write_cell(sheet, number, col, item.columns[col], value, fmt)
    sheet.freeze_panes(2, 0)
    if item.columns:
        sheet.autofilter(1, 0, max(1, len(item.rows) + 1), len(item.columns) - 1)


def _write_cell(
    sheet: Any, row: int, col: int, column: Column, value: Any, fmt: Mapping[str, Any]
) -> None:
    kind = column.kind
    if kind == "boolean" and isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif kind in ("integer", "number") and isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif kind == "date" and isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, fmt["date"])
    else:
        text = str(value)
        if len(text) > MAX_CELL:  # validate accepts it, so the build must write it: cut, said
            text = text[: MAX_CELL - len(CUT_NOTE)] + CUT_NOTE
        style = fmt["formula_like"] if formula_safe(text) != text else fmt["text"]
        sheet.write_string(row, col, text, style)
