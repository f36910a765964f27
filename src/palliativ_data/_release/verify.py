"""A release's declared copies checked against the CSV they are copies of (``validate``).

A release lists, besides each table's curated CSV, the same rows in other formats (``x-formats``
of each resource: Parquet, the spreadsheet CSV; ``x-database``: SQLite). ``load()`` serves the
Parquet copy, so a copy that differs from its CSV would give its reader other data than
``validate`` checked, even when every hash (and ``SHA256SUMS``) was rewritten to match.
:func:`copy_differences` therefore checks each copy whose size and hash match against the CSV,
read as the readers read it:

* **Parquet**: its columns and their types (from the footer), its rows (no more than its CSV
  could hold, then exactly as many), then every value, in the order the build writes them
  (``parquet.stable_order``); within the budget of ``_schema/parquet_reader.py``, so a
  decompression bomb is refused before it is decoded;
* **SQLite**: opened read-only (``immutable``, ``trusted_schema`` off, a cap on the length of
  a value and on the work of a query), each table must be a plain table with the schema's
  columns and hold the rows the build inserts (``sqlite.typed_rows``);
* **any other format of the table of release formats** (the spreadsheet CSV, and whatever
  format is added to :data:`~palliativ_data._release.formats.FORMATS`): written again from the
  CSV with the format's own writer, the bytes must be the same (builds are reproducible);
* a copy in a format no entry of that table writes cannot be checked, and is a problem.

Each difference is ``(code, message)`` with a code of ``_validation/codes.py``:
``copy-unreadable``, ``copy-schema``, ``copy-rows``, ``copy-differs``, ``copy-unknown``.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyarrow as pa

from .._errors import DataError, IntegrityError
from .._io import file_facts
from .._schema.csv_reader import read_csv_table
from .._schema.parquet_reader import Budget, ParquetCopy, read_parquet_table
from .._source import regular_file
from .formats import COPY, Inputs, ReleaseFormat, formats_listed_in

Difference = tuple[str, str]
"""``(code, message)``: one way a copy differs from its CSV."""

SHOWN_VALUE = 60
"""Characters of a value a message shows."""


@dataclass
class Tables:
    """The CSV tables of a descriptor, read once each (as ``load()`` reads them), or None
    for one that cannot be read (its problems are reported by the other checks)."""

    folder: Path
    descriptor: Mapping[str, Any]
    read: dict[str, tuple[Mapping[str, Any], pa.Table, bytes] | None] = field(default_factory=dict)

    def get(self, name: str) -> tuple[Mapping[str, Any], pa.Table, bytes] | None:
        """``(Table Schema, table, CSV bytes)`` of resource ``name``, or None."""
        if name not in self.read:
            self.read[name] = self._read(name)
        return self.read[name]

    def _read(self, name: str) -> tuple[Mapping[str, Any], pa.Table, bytes] | None:
        resources = [r for r in self.descriptor.get("resources") or [] if r.get("name") == name]
        if len(resources) != 1 or not isinstance(resources[0].get("schema"), Mapping):
            return None
        resource = resources[0]
        try:
            path = regular_file(self.folder, resource.get("path"), resource=name)
            table = read_csv_table(
                path, name, table_schema=resource["schema"], version=self.descriptor.get("version")
            )
        except (DataError, OSError, KeyError, TypeError, ValueError):
            return None
        return resource["schema"], table, path.read_bytes()


def copy_differences(
    tables: Tables, resource: str | None, where: str, entry: Mapping[str, Any], file: Path
) -> list[tuple[str | None, Difference]]:
    """How the copy ``file`` (the descriptor's ``entry`` at ``where``, of ``resource``) differs
    from the CSV it is a copy of: ``(resource, (code, message))`` each; empty when it does not,
    or when the CSV cannot be read (the other checks report that)."""
    fmt = _format_of(resource, where, entry)
    if fmt is None:
        return [(resource, _unknown(where, entry))]
    shown = str(entry.get("path"))
    if fmt.format == "parquet" and resource is not None:
        return [(resource, d) for d in _parquet_differences(tables, resource, file, shown)]
    if fmt.format == "sqlite":
        return _sqlite_differences(tables, file, shown)
    if resource is None:
        return []
    return [(resource, d) for d in _written_differences(tables, resource, fmt, file, shown)]


def _format_of(resource: str | None, where: str, entry: Mapping[str, Any]) -> ReleaseFormat | None:
    """The format of the table of release formats that writes ``entry``, if any."""
    if resource is None:
        listed = [fmt for fmt in formats_listed_in() if fmt.listed_in == where]
    else:
        listed = [
            fmt for fmt in formats_listed_in(COPY) if fmt.file(table=resource) == entry.get("path")
        ]
    return next((fmt for fmt in listed if fmt.format == entry.get("format")), None)


def _unknown(where: str, entry: Mapping[str, Any]) -> Difference:
    return (
        "copy-unknown",
        f"{where} declares a copy {_shown(entry.get('path'))} in format "
        f"{_shown(entry.get('format'))}, which this version of palliativ-data does not write, so "
        "it cannot be checked against its CSV. Remove the entry (and the file) or build the "
        "release with `palliativ-data build`.",
    )


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 1] + "…"


_TODO = (
    " Its size and hash match the descriptor, so the release was changed after it was built "
    "(or built from other data): download the release again, or build it with "
    "`palliativ-data build`."
)


# --------------------------------------------------------------------------- Parquet


def _parquet_differences(tables: Tables, name: str, file: Path, shown: str) -> list[Difference]:
    from .._schema.arrow_schemas import schema_from_table_schema  # deferred: only a release
    from .parquet import sort_columns, stable_order  # deferred: pyarrow.compute

    read = tables.get(name)
    if read is None:
        return []
    table_schema, csv_table, csv_bytes = read
    budget = Budget.of_csv(len(csv_bytes), len(table_schema["fields"]))
    try:
        copy = ParquetCopy(file, name, schema_from_table_schema(table_schema, resource=name))
    except IntegrityError as error:
        return [("copy-unreadable", str(error))]
    for code, problem in (
        ("copy-schema", copy.columns_problem()),
        ("copy-rows", copy.rows_problem(budget)),
        ("copy-rows", copy.bytes_problem(budget)),
    ):
        if problem is not None:
            return [(code, f"{shown} {problem}.{_TODO}")]
    try:
        parquet = read_parquet_table(file, name, table_schema=table_schema, budget=budget)
    except IntegrityError as error:
        return [("copy-unreadable", str(error))]
    except DataError as error:
        return [("copy-differs", f"{shown}: {'; '.join(error.problems)}.{_TODO}")]
    if parquet.num_rows != csv_table.num_rows:
        return [
            (
                "copy-rows",
                f"{shown} holds {parquet.num_rows:,} rows, its CSV {csv_table.num_rows:,}.{_TODO}",
            )
        ]
    order = stable_order(csv_table, sort_columns(table_schema))
    expected = csv_table if order is None else csv_table.take(order)
    keys = _key_names(table_schema)
    return [
        ("copy-differs", message)
        for column in expected.column_names
        if (message := _column_difference(shown, expected, parquet, column, keys)) is not None
    ]


def _key_names(table_schema: Mapping[str, Any]) -> list[str]:
    key = table_schema.get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def _plain(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_dictionary(column.type):
        return column.cast(column.type.value_type)
    return column


def _column_difference(
    shown: str, expected: pa.Table, got: pa.Table, column: str, keys: list[str]
) -> str | None:
    """Where ``column`` of ``got`` differs from ``expected`` (same length), as a message."""
    import pyarrow.compute as pc  # deferred: ~0.2 s to import; only a release's copies need it

    want, have = _plain(expected.column(column)), _plain(got.column(column))
    if want.equals(have):
        return None
    differs = pc.or_(
        pc.fill_null(pc.not_equal(want, have), False), pc.xor(pc.is_null(want), pc.is_null(have))
    )
    count = pc.sum(differs).as_py() or 0
    if not count:
        return None
    row = pc.index(differs, True).as_py()
    key = ", ".join(f"{k}={_shown(expected.column(k)[row].as_py())}" for k in keys)
    what = "a key column" if column in keys else "column"
    return (
        f"{shown}: {what} {column!r} differs from the CSV in {count:,} row(s); the first is "
        f"row {row + 1} ({key or 'no primary key'}), {_shown(have[row].as_py())} where the CSV "
        f"has {_shown(want[row].as_py())}.{_TODO}"
    )


# --------------------------------------------------------------------------- SQLite


def _sqlite_differences(
    tables: Tables, file: Path, shown: str
) -> list[tuple[str | None, Difference]]:
    from .sqlite import typed_rows  # deferred: pyarrow's cell texts, only for a release

    names = [r.get("name") for r in tables.descriptor.get("resources") or []]
    read = {name: tables.get(name) for name in names if isinstance(name, str)}
    if any(value is None for value in read.values()):
        return []  # a CSV the other checks refuse
    longest = max((len(value[2]) for value in read.values() if value), default=0)
    steps = 2_000 * sum(len(value[2]) for value in read.values() if value) + 10_000_000
    try:
        connection = _open_read_only(file, longest + 1024, steps)
    except sqlite3.Error as error:
        return [
            (None, ("copy-unreadable", f"{shown} cannot be opened as SQLite ({error}).{_TODO}"))
        ]
    found: list[tuple[str | None, Difference]] = []
    try:
        kinds = dict(connection.execute("SELECT name, type FROM sqlite_master"))
        for name, value in read.items():
            assert value is not None
            table_schema, table, _ = value
            columns, rows = typed_rows(table, table_schema)
            difference = _sqlite_table(connection, kinds, shown, name, columns, rows)
            if difference is not None:
                found.append((name, difference))
    except sqlite3.Error as error:
        found.append(
            (None, ("copy-unreadable", f"{shown} cannot be read as SQLite ({error}).{_TODO}"))
        )
    finally:
        connection.close()
    return found


def _open_read_only(file: Path, longest: int, steps: int) -> sqlite3.Connection:
    """``file`` opened read-only, unchanged, its schema untrusted, with a cap on the length of
    any value and on the steps of the virtual machine."""
    uri = f"file:{quote(str(file))}?mode=ro&immutable=1"
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA query_only = ON")
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max(longest, 1_000_000))
    spent = [0]

    def progress() -> int:
        spent[0] += 1
        return int(spent[0] * 1_000 > steps)  # non-zero: interrupt

    connection.set_progress_handler(progress, 1_000)
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # "not a database"
    return connection


def _sqlite_table(
    connection: sqlite3.Connection,
    kinds: Mapping[str, str],
    shown: str,
    name: str,
    columns: list[str],
    rows: list[tuple[Any, ...]],
) -> Difference | None:
    quoted = '"' + name.replace('"', '""') + '"'
    if kinds.get(name) != "table":
        return ("copy-schema", f"{shown} has no table {name!r}.{_TODO}")
    have = [row[1] for row in connection.execute(f"PRAGMA table_xinfo({quoted})")]
    if have != columns:
        missing = [column for column in columns if column not in have]
        extra = [column for column in have if column not in columns]
        return (
            "copy-schema",
            f"{shown}: table {name!r} has {len(have):,} columns, not the schema's "
            f"{len(columns):,} (missing: {_shown(missing)}; not in the schema: "
            f"{_shown(extra)}).{_TODO}",
        )
    (count,) = connection.execute(f"SELECT count(*) FROM {quoted}").fetchone()
    if count != len(rows):
        return (
            "copy-rows",
            f"{shown}: table {name!r} holds {count:,} rows, its CSV {len(rows):,}.{_TODO}",
        )
    listed = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    got = connection.execute(f"SELECT {listed} FROM {quoted} ORDER BY rowid").fetchall()
    for number, (want, have_row) in enumerate(zip(rows, got, strict=True), start=1):
        if tuple(want) != tuple(have_row):
            column = next(c for c, a, b in zip(columns, want, have_row, strict=True) if a != b)
            return (
                "copy-differs",
                f"{shown}: table {name!r} differs from the CSV, first in row {number} "
                f"(column {column!r}: {_shown(have_row[columns.index(column)])} where the CSV has "
                f"{_shown(want[columns.index(column)])}).{_TODO}",
            )
    return None


# --------------------------------------------------------------------------- any other format


def _written_differences(
    tables: Tables, name: str, fmt: ReleaseFormat, file: Path, shown: str
) -> list[Difference]:
    """The copy written again from the CSV with its format's own writer: the same bytes?"""
    read = tables.get(name)
    if read is None:
        return []
    table_schema, table, csv_bytes = read
    given = Inputs(tables.descriptor, {name: (table_schema, table)}, table=name, csv=csv_bytes)
    with tempfile.TemporaryDirectory(prefix="palliativ-data-check-") as folder:
        again = Path(folder) / Path(fmt.file(table=name)).name
        fmt.write(given, again)
        same = file_facts(again)["hash"] == file_facts(file)["hash"]
    if same:
        return []
    return [
        (
            "copy-differs",
            f"{shown} is not what `palliativ-data build` writes from the CSV ({fmt.label or fmt.key}): "
            f"it holds other rows or values.{_TODO}",
        )
    ]
