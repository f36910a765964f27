"""The one map from Table Schema field types to everything the library derives from them.

Each type has one row: the annotation in the generated models, the Arrow type, the SQLite
column type, how a person writes a value of it (for validation messages), and the column types
the downloads page's R and DuckDB examples give (so ``01`` stays text and dates stay dates). Booleans are
spelled the Table Schema way: the default ``trueValues`` and ``falseValues``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldType:
    """What one Table Schema type becomes."""

    python: str
    """Annotation in the generated pydantic models."""
    arrow: tuple[str, tuple[str, ...]]
    """Arrow type: the ``pyarrow`` factory and its arguments, e.g. ``("timestamp", ("s",))``."""
    sqlite: str
    """SQLite column type."""
    hint: str | None = None
    """How to write a value, for a type-error message (None: "a valid <type>")."""
    readr: str = "col_character()"
    """The column type R's ``readr::read_csv`` is given (the downloads page's R example)."""
    duckdb: str = "VARCHAR"
    """The column type DuckDB's ``read_csv(types = …)`` is given (the downloads page)."""


TYPES: dict[str, FieldType] = {
    "string": FieldType("str", ("string", ()), "TEXT"),
    "integer": FieldType(
        "int", ("int64", ()), "INTEGER", "a whole number such as 3", "col_integer()", "BIGINT"
    ),
    "year": FieldType(
        "int", ("int64", ()), "INTEGER", "a four-digit year", "col_integer()", "INTEGER"
    ),
    "number": FieldType(
        "float",
        ("float64", ()),
        "REAL",
        "a number with '.' as the decimal separator, such as 2.5",
        "col_double()",
        "DOUBLE",
    ),
    "boolean": FieldType(
        "bool", ("bool_", ()), "INTEGER", "true or false", "col_logical()", "BOOLEAN"
    ),
    "date": FieldType(
        "datetime.date",
        ("date32", ()),
        "TEXT",
        "an ISO date YYYY-MM-DD, such as 2026-06-11",
        "col_date()",
        "DATE",
    ),
    "datetime": FieldType(
        "datetime.datetime",
        ("timestamp", ("s",)),
        "TEXT",
        "an ISO date and time such as 2026-06-11T09:30:00",
        "col_datetime()",
        "TIMESTAMP",
    ),
    "time": FieldType("datetime.time", ("time32", ("s",)), "TEXT", None, "col_time()", "TIME"),
    "yearmonth": FieldType("str", ("string", ()), "TEXT"),
    "any": FieldType("Any", ("string", ()), "TEXT"),
}
"""Every Table Schema type the library maps (a field of another type is refused by name)."""

TRUE_VALUES = ("true", "True", "TRUE", "1")
"""Table Schema's default ``trueValues``."""
FALSE_VALUES = ("false", "False", "FALSE", "0")
"""Table Schema's default ``falseValues``."""
