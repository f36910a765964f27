"""The code on the downloads page: how to open a release in Python, R, DuckDB and a spreadsheet.

Every example keeps the data's types: a code such as ``01`` stays text and a date stays a date.
Python reads Parquet (``dtype_backend="pyarrow"`` in pandas: text, nullable integers and dates
as they are); R's ``readr`` and DuckDB's ``read_csv`` are given each column's type, generated
from the Table Schema (``_schema.types``: ``readr`` and ``duckdb``); DuckDB reads nothing it
would have to download an extension for (no ``ATTACH … (TYPE sqlite)``). ``tests/test_site.py``
runs the Python and DuckDB examples on a built release.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._release import formats
from .._schema.types import TYPES

TABLES = ("gaps", "responses")
"""The tables the examples open: ``gaps`` has the region codes (``01``), ``responses`` codes
and dates."""

_COMMENTS = {
    "folder": {"sv": "den uppackade zip-filen", "en": "the unzipped folder"},
    "typed": {
        "sv": "typat av datapackage.json: 01 förblir text, datum förblir datum",
        "en": "typed by datapackage.json: 01 stays text, dates stay dates",
    },
    "arrow": {"sv": "en pyarrow-tabell", "en": "a pyarrow Table"},
}


def table_fields(descriptor: Mapping[str, Any], table: str) -> list[Mapping[str, Any]]:
    """The Table Schema fields of ``table`` in the package ``descriptor``."""
    (resource,) = [r for r in descriptor["resources"] if r["name"] == table]
    fields: list[Mapping[str, Any]] = resource["schema"]["fields"]
    return fields


def readr_types(fields: list[Mapping[str, Any]]) -> str:
    """``readr::cols(…)`` for a table: text by default, every other field by its type.

    Examples:
        >>> readr_types([{"name": "region_code", "type": "string"}, {"name": "d", "type": "date"}])
        'cols(.default = col_character(), d = col_date())'
    """
    typed = [
        f"{field['name']} = {TYPES[field['type']].readr}"
        for field in fields
        if TYPES[field["type"]].readr != TYPES["string"].readr
    ]
    return "cols(" + ", ".join([".default = col_character()", *typed]) + ")"


def duckdb_types(fields: list[Mapping[str, Any]]) -> str:
    """DuckDB's ``types = {…}`` for ``read_csv``: every field by its type.

    Examples:
        >>> duckdb_types([{"name": "region_code", "type": "string"}, {"name": "d", "type": "date"}])
        "{'region_code': 'VARCHAR', 'd': 'DATE'}"
    """
    return "{" + ", ".join(f"'{f['name']}': '{TYPES[f['type']].duckdb}'" for f in fields) + "}"


def spreadsheet_codes(fields: list[Mapping[str, Any]]) -> list[str]:
    """The text fields a spreadsheet would turn into numbers or dates: codes whose pattern
    starts with a digit (``01``, ``2026-02``, ``01-1``).

    Examples:
        >>> spreadsheet_codes([{"name": "region_code", "type": "string",
        ...     "constraints": {"pattern": "^[0-9]{2}$"}}, {"name": "label", "type": "string"}])
        ['region_code']
    """
    return [
        field["name"]
        for field in fields
        if field["type"] == "string"
        and str((field.get("constraints") or {}).get("pattern", "")).startswith(("^[0-9]", "^\\d"))
    ]


def snippets(descriptor: Mapping[str, Any], folder: str, lang: str) -> dict[str, str]:
    """The code of the downloads page's tabs ``python``, ``r`` and ``duckdb``, for the release
    folder ``folder`` of the package ``descriptor`` (the spreadsheet tab's text, which names
    :func:`spreadsheet_codes`, is in the page's templates)."""
    note = {key: texts[lang] for key, texts in _COMMENTS.items()}
    parquet = {t: formats.release_format("parquet").file(table=t) for t in TABLES}
    csv = {t: formats.release_format("csv").file(table=t) for t in TABLES}
    python = "\n".join(
        [
            "import pandas as pd  # pip install pandas pyarrow",
            "",
            f'folder = "{folder}"  # {note["folder"]}',
            *(
                f'{t} = pd.read_parquet(f"{{folder}}/{parquet[t]}", dtype_backend="pyarrow")'
                for t in TABLES
            ),
            "",
            "import palliativ_data as pdata  # pip install palliativ-data",
            "",
            f"# {note['arrow']}, {note['typed']}",
            'table = pdata.load(folder).table("responses")',
        ]
    )
    r = "\n".join(
        [
            "library(readr)",
            "",
            *(
                f'{t} <- read_csv("{folder}/{csv[t]}", na = "",\n'
                f"  col_types = {readr_types(table_fields(descriptor, t))})"
                for t in TABLES
            ),
            f'gaps <- arrow::read_parquet("{folder}/{parquet["gaps"]}")',
        ]
    )
    duckdb = "\n".join(
        [
            f"SELECT * FROM '{folder}/{parquet['gaps']}';",
            f"SELECT * FROM read_csv('{folder}/{csv['responses']}',",
            f"  types = {duckdb_types(table_fields(descriptor, 'responses'))});",
        ]
    )
    return {"python": python, "r": r, "duckdb": duckdb}
