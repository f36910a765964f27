"""The Excel workbook beside each CSV file of the site: the same rows, ready for a spreadsheet.

Under every table and chart the site offers the rows behind it twice: as CSV (for programs)
and as a one-sheet workbook (for Excel and LibreOffice, opened with a double click). The
workbook is written from the CSV by ``_release.workbook`` like the release's own: Swedish
headings in row 1 above the CSV's column names in row 2, codes and editions as text, counts as
numbers, a region's name beside a region code the CSV gives without one.

A column's heading and type come from the Table Schema field of the same name (the site's CSV
columns are the package's fields wherever they can be), else from :data:`HEADINGS` (the counts
and editions of a comparison), else the column name itself, as text unless every value is a
plain integer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from typing import Any

from .._release.metadata.facts import DataRows
from .._release.workbook import (
    REGION_NAME,
    REGION_NAME_HEADING,
    Column,
    Sheet,
    column_kind,
    heading,
    write_workbook,
)
from ._common import Data, capital
from ._text import STATUS_LABELS_SV

SHEET = "Tabell"
"""The name of the one sheet."""

HEADINGS: dict[str, str] = {
    "region": "Region",
    "name": "Region",
    "old_edition": "Tidigare utgåva",
    "new_edition": "Senare utgåva",
    "old": "Brister i den tidigare utgåvan",
    "new": "Brister i den senare utgåvan",
    "old_gaps": "Brister i den tidigare utgåvan",
    "new_gaps": "Brister i den senare utgåvan",
    "regions": "Antal regioner",
    "status": "Status",
    **{status: capital(label) for status, label in STATUS_LABELS_SV.items()},
}
"""Swedish headings of the site's CSV columns that are not fields of the package."""

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")


def _fields(descriptor: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Every field of the package by name (the first resource that has it)."""
    found: dict[str, Mapping[str, Any]] = {}
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            found.setdefault(field["name"], field)
    return found


def _column(name: str, values: list[str], fields: Mapping[str, Mapping[str, Any]]) -> Column:
    field = fields.get(name)
    if field is not None:
        return Column(name, heading(field), column_kind(field))
    numbers = [value for value in values if value != ""]
    integer = bool(numbers) and all(_INTEGER.fullmatch(value) for value in numbers)
    return Column(name, HEADINGS.get(name, name), "integer" if integer else "text")


def _value(text: str, column: Column) -> Any:
    """A CSV cell as the workbook stores it (the CSV writes each value in its schema's form)."""
    if text == "":
        return None
    if column.kind == "integer" and _INTEGER.fullmatch(text):
        return int(text)
    if column.kind == "number":
        try:
            return float(text)
        except ValueError:
            return text
    if column.kind == "boolean" and text in ("true", "false"):
        return text == "true"
    if column.kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def csv_workbook(text: str, data: Data) -> bytes:
    """The one-sheet workbook of a site CSV file (``text``), as bytes."""
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    fields = _fields(data.pkg.descriptor)
    columns = [_column(name, [row[i] for row in rows], fields) for i, name in enumerate(header)]
    names = {region.region_code: region.name_source for region in data.regions}
    with_name = "region_code" in header and not {"region", "name"} & set(header)
    sheet_columns: list[Column] = []
    for column in columns:
        sheet_columns.append(column)
        if with_name and column.name == "region_code":
            sheet_columns.append(Column(REGION_NAME, REGION_NAME_HEADING))
    sheet_rows = []
    for row in rows:
        values: list[Any] = []
        for cell, column in zip(row, columns, strict=True):
            values.append(_value(cell, column))
            if with_name and column.name == "region_code":
                values.append(names.get(cell))
        sheet_rows.append(values)
    return write_workbook(
        [Sheet(SHEET, tuple(sheet_columns), sheet_rows)],
        title=f"palliativ-data {data.pkg.version}",
        created=_data_date(data),
    )


def _data_date(data: Data) -> dt.datetime:
    """The data's date, as the release's workbook has it (its latest edition's)."""
    editions = {"editions": data.pkg.table("editions")}
    return dt.datetime.fromisoformat(DataRows.from_tables(editions).data_date or "1980-01-01")


def workbooks(files: Mapping[str, str], data: Data) -> dict[str, bytes]:
    """A workbook (``….xlsx``) beside each CSV file of ``files`` (path → text)."""
    return {
        name[: -len(".csv")] + ".xlsx": csv_workbook(text, data)
        for name, text in files.items()
        if name.endswith(".csv")
    }
