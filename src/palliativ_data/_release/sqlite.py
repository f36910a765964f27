"""Write a data package as one SQLite database (stdlib :mod:`sqlite3`, no other dependency).

One table per resource, vocabularies included, with the Table Schema turned into SQL:

=====================  ==========================================================
Table Schema           SQLite
=====================  ==========================================================
``string``, ``date``   ``TEXT`` (dates as ``YYYY-MM-DD``, checked with ``date()``)
``integer``, ``year``  ``INTEGER``
``number``             ``REAL``
``boolean``            ``INTEGER`` 0/1 with ``CHECK (x IN (0, 1))``
``required``           ``NOT NULL``
``unique``             ``UNIQUE``
``enum``               ``CHECK (x IN (…))``
``minimum/maximum``    ``CHECK (x >= …)`` / ``CHECK (x <= …)``
``primaryKey``         ``PRIMARY KEY (…)``
``foreignKeys``        ``FOREIGN KEY (…) REFERENCES t (…)`` and an index on the columns
                       (unless the primary key starts with them), so joins and
                       Datasette's "links from other tables" do not scan the table
=====================  ==========================================================

Each column's description is kept as an SQL comment in the ``CREATE TABLE`` statement, which
SQLite stores verbatim, so DB Browser for SQLite and Datasette show it with the schema.
Empty CSV cells become ``NULL``. Rows are inserted in primary-key order and the file is
vacuumed, so the same data gives the same bytes (with the same SQLite library).
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from .._arrow import cell_texts
from .._errors import BuildError
from .._schema.tableschema import key_fields
from .._schema.types import FALSE_VALUES, TRUE_VALUES, TYPES
from .._source import VERSION_PATTERN

_SQL_TYPES = {name: facts.sqlite for name, facts in TYPES.items()}
_TRUE, _FALSE = TRUE_VALUES, FALSE_VALUES


def quote_identifier(name: str) -> str:
    """Quote an SQL identifier (double quotes, inner ones doubled).

    Examples:
        >>> print(quote_identifier('a "b" c'))
        "a ""b"" c"
    """
    return '"' + name.replace('"', '""') + '"'


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def _checks(field: Mapping[str, Any]) -> list[str]:
    column = quote_identifier(field["name"])
    kind = field.get("type", "string")
    constraints = field.get("constraints") or {}
    checks = []
    if "enum" in constraints:
        values = ", ".join(_literal(value) for value in constraints["enum"])
        checks.append(f"{column} IN ({values})")
    if kind == "boolean":
        checks.append(f"{column} IN (0, 1)")
    if kind == "date":
        checks.append(f"date({column}) IS {column}")
    if "minimum" in constraints and kind in ("integer", "year", "number"):
        checks.append(f"{column} >= {_literal(constraints['minimum'])}")
    if "maximum" in constraints and kind in ("integer", "year", "number"):
        checks.append(f"{column} <= {_literal(constraints['maximum'])}")
    return checks


def create_table_sql(name: str, table_schema: Mapping[str, Any]) -> str:
    """The ``CREATE TABLE`` statement of one resource, with descriptions as comments.

    Examples:
        >>> print(create_table_sql("t", {"description": "Things.", "primaryKey": ["code"],
        ...     "fields": [{"name": "code", "type": "string", "description": "The code.",
        ...                 "constraints": {"required": True, "enum": ["a", "b"]}}]}))
        CREATE TABLE "t" ( -- Things.
          "code" TEXT NOT NULL CHECK ("code" IN ('a', 'b')), -- The code.
          PRIMARY KEY ("code")
        );
    """
    fields = table_schema["fields"]
    primary_key = key_fields(table_schema.get("primaryKey") or [])
    parts: list[tuple[str, str]] = []
    for field in fields:
        kind = field.get("type", "string")
        if kind not in _SQL_TYPES:
            raise BuildError(
                f"Field {name}.{field['name']} has Table Schema type {kind!r}, which has no "
                f"SQLite mapping. Allowed: {', '.join(sorted(_SQL_TYPES))}."
            )
        constraints = field.get("constraints") or {}
        sql = f"{quote_identifier(field['name'])} {_SQL_TYPES[kind]}"
        if constraints.get("required") or field["name"] in primary_key:
            sql += " NOT NULL"
        if constraints.get("unique") and primary_key != [field["name"]]:
            sql += " UNIQUE"
        for check in _checks(field):
            sql += f" CHECK ({check})"
        parts.append((sql, _comment(field.get("description", ""))))
    if primary_key:
        keys = ", ".join(quote_identifier(key) for key in primary_key)
        parts.append((f"PRIMARY KEY ({keys})", ""))
    for foreign_key in table_schema.get("foreignKeys") or []:
        reference = foreign_key["reference"]
        target = reference.get("resource") or name
        source = ", ".join(quote_identifier(key) for key in key_fields(foreign_key["fields"]))
        referenced = ", ".join(quote_identifier(key) for key in key_fields(reference["fields"]))
        parts.append(
            (f"FOREIGN KEY ({source}) REFERENCES {quote_identifier(target)} ({referenced})", "")
        )
    header = f"CREATE TABLE {quote_identifier(name)} ("
    description = _comment(table_schema.get("description", ""))
    lines = [header + (f" -- {description}" if description else "")]
    for index, (sql, comment) in enumerate(parts):
        separator = "," if index < len(parts) - 1 else ""
        lines.append(f"  {sql}{separator}" + (f" -- {comment}" if comment else ""))
    lines.append(");")
    return "\n".join(lines)


def create_index_sql(name: str, table_schema: Mapping[str, Any]) -> list[str]:
    """``CREATE INDEX`` statements for the foreign keys of one resource.

    A foreign key whose columns begin the primary key needs none (the primary key's index
    serves it), nor does one whose columns an earlier index already covers.

    Examples:
        >>> for sql in create_index_sql("gaps", {"primaryKey": ["edition", "gap_key"],
        ...         "foreignKeys": [{"fields": "edition", "reference": {"resource": "editions",
        ...                          "fields": "edition"}},
        ...                         {"fields": "region_code", "reference": {"resource": "regions",
        ...                          "fields": "region_code"}}]}):
        ...     print(sql)
        CREATE INDEX "gaps_region_code" ON "gaps" ("region_code");
    """
    primary_key = key_fields(table_schema.get("primaryKey") or [])
    covered = [primary_key] if primary_key else []
    statements = []
    for foreign_key in table_schema.get("foreignKeys") or []:
        columns = key_fields(foreign_key["fields"])
        if any(index[: len(columns)] == columns for index in covered):
            continue
        covered.append(columns)
        index_name = quote_identifier("_".join([name, *columns]))
        column_list = ", ".join(quote_identifier(column) for column in columns)
        statements.append(f"CREATE INDEX {index_name} ON {quote_identifier(name)} ({column_list});")
    return statements


def _converter(field: Mapping[str, Any]) -> Callable[[str], Any]:
    kind = field.get("type", "string")
    missing = None

    if kind in ("integer", "year"):
        return lambda text: missing if text == "" else int(text)
    if kind == "number":
        return lambda text: missing if text == "" else float(text)
    if kind == "boolean":
        true_values = tuple(field.get("trueValues", _TRUE))
        false_values = tuple(field.get("falseValues", _FALSE))

        def boolean(text: str) -> int | None:
            if text == "":
                return missing
            if text in true_values:
                return 1
            if text in false_values:
                return 0
            raise ValueError(f"{text!r} is not a boolean ({true_values} / {false_values})")

        return boolean
    return lambda text: missing if text == "" else text


def typed_rows(
    table: pa.Table, table_schema: Mapping[str, Any]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """A resource's table (as ``read_csv_table`` reads it) as typed tuples, sorted by primary key.

    All of :func:`typed_row_batches` in one list.
    """
    names, batches = typed_row_batches(table, table_schema)
    return names, [row for batch in batches for row in batch]


def typed_row_batches(
    table: pa.Table, table_schema: Mapping[str, Any], size: int = 50_000
) -> tuple[list[str], Iterator[list[tuple[Any, ...]]]]:
    """A resource's table as typed tuples sorted by primary key, ``size`` rows at a time.

    Each cell is taken in its CSV form (:func:`cell_texts`, which gives back the curated file's
    text) and converted for SQLite: empty cells (the package's only missing value) become
    ``None``, booleans 0/1, dates and times stay ISO text. Sorting uses the typed values, with
    ``None`` last (as in the Parquet files). The key's columns are converted whole to sort (and
    again with their batch: converting twice costs less than keeping them), every column a
    batch at a time, so a long table is never all Python tuples at once.
    """
    fields = table_schema["fields"]
    names = [field["name"] for field in fields]
    if table.column_names != names:
        raise BuildError(
            f"The columns {table.column_names} do not match the Table Schema fields {names}. "
            "Run `palliativ-data validate` and fix the file."
        )
    converters = [_converter(field) for field in fields]

    def typed(part: pa.Table, index: int) -> list[Any]:
        convert = converters[index]
        return [convert(cell) for cell in cell_texts(part.column(index), part.schema.field(index))]

    key = [names.index(column) for column in key_fields(table_schema.get("primaryKey") or names)]
    keys = [typed(table, index) for index in key]  # freed on return, as is the order
    order = sorted(range(table.num_rows), key=lambda row: [(k[row] is None, k[row]) for k in keys])
    ordered = table.take(pa.array(order, type=pa.int64()))  # one Arrow copy, not Python rows

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        for start in range(0, ordered.num_rows, size):
            part = ordered.slice(start, size)
            columns = [typed(part, index) for index in range(len(names))]
            yield list(zip(*columns, strict=True))

    return names, batches()


_DISK_ERRORS = {
    sqlite3.SQLITE_FULL: errno.ENOSPC,
    sqlite3.SQLITE_IOERR: errno.EIO,
    sqlite3.SQLITE_CANTOPEN: errno.EACCES,
    sqlite3.SQLITE_READONLY: errno.EROFS,
}
"""SQLite's primary result codes that are about the file system, as the OS error they are."""


def write_sqlite(
    target: Path,
    tables: Iterable[tuple[str, Mapping[str, Any], pa.Table]],
    *,
    user_version: int = 0,
) -> dict[str, int]:
    """Write the resources into a new SQLite file.

    Args:
        target: The database file to create (must not exist).
        tables: ``(resource name, Table Schema, Arrow table)`` for every resource, each table
            as ``read_csv_table`` reads it (the build reads each CSV once).
        user_version: Stored as ``PRAGMA user_version`` (the data version as an integer).

    Returns:
        Row count per table.

    Raises:
        BuildError: The file exists, or the data breaks a key or constraint (the message
            names the table and rows).
        OSError: The disk is full (``ENOSPC``) or refused a write: SQLite's error as the OS
            error it is (:data:`_DISK_ERRORS`), so the build reports it as any failed write.
    """
    if target.exists():
        raise BuildError(f"{target} exists already; the SQLite file is written to a new path.")
    tables = list(tables)
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        return _fill(connection, tables, user_version)
    except sqlite3.OperationalError as error:
        number = _DISK_ERRORS.get(getattr(error, "sqlite_errorcode", 0) & 0xFF)
        if number is None:
            raise
        # the disk, not the data (a full disk, a failed write): an OSError, as elsewhere
        raise OSError(number, os.strerror(number), str(target)) from error
    finally:
        connection.close()


def _fill(
    connection: sqlite3.Connection,
    tables: list[tuple[str, Mapping[str, Any], pa.Table]],
    user_version: int,
) -> dict[str, int]:
    counts: dict[str, int] = {}
    connection.execute("PRAGMA page_size = 4096")
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute(f"PRAGMA user_version = {int(user_version)}")
    connection.execute("BEGIN")
    for name, table_schema, _ in tables:
        connection.execute(create_table_sql(name, table_schema))
    for name, table_schema, table in tables:
        columns, batches = typed_row_batches(table, table_schema)
        placeholders = ", ".join("?" for _ in columns)
        column_list = ", ".join(quote_identifier(column) for column in columns)
        insert = f"INSERT INTO {quote_identifier(name)} ({column_list}) VALUES ({placeholders})"
        try:
            for rows in batches:
                connection.executemany(insert, rows)
        except sqlite3.IntegrityError as error:
            raise BuildError(
                f"Resource {name!r} breaks a constraint in SQLite: {error}. "
                "Run `palliativ-data validate` to find the rows."
            ) from error
        counts[name] = table.num_rows
    for name, table_schema, _ in tables:
        for statement in create_index_sql(name, table_schema):
            connection.execute(statement)
    connection.execute("COMMIT")
    problems = connection.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        shown = "; ".join(
            f"{table} rowid {rowid} → {parent}" for table, rowid, parent, _ in problems[:10]
        )
        raise BuildError(
            f"The SQLite database has {len(problems)} broken foreign key(s): {shown}. "
            "Run `palliativ-data validate` and fix the data.",
            problems=[str(problem) for problem in problems],
        )
    connection.execute("VACUUM")
    return counts


def semver_as_int(version: str) -> int:
    """Pack ``MAJOR.MINOR.PATCH`` into one integer for ``PRAGMA user_version``.

    Examples:
        >>> semver_as_int("1.2.3")
        1002003
    """
    # Not packaging.version: a release's version is SemVer (``_source.VERSION_PATTERN``), whose
    # pre-release part packaging does not read ("1.0.0-foo.1" raises InvalidVersion); the
    # pattern that checked it gives the three numbers.
    match = re.match(VERSION_PATTERN, version)
    if match is None:
        raise ValueError(f"{version!r} is not a SemVer version MAJOR.MINOR.PATCH")
    major, minor, patch = (int(part) for part in match.groups())
    return major * 1_000_000 + minor * 1_000 + patch
