"""Writing a release's Parquet copies: typed by the Table Schema, rows in the CSV's order.

The rows keep the curated CSV's order (the source's order: ``compare`` and the site list gaps
in it, and read a Parquet copy and its CSV alike). Row groups follow the editions: a table with
a required ``edition`` column (``gaps``, ``classifications``, ``responses``, ``gap_answers``)
is grouped by edition with a stable sort (a no-op for a CSV already grouped by edition, as the
curated ones are), and a new row group starts wherever the edition changes; none holds more
than :data:`ROW_GROUP_ROWS` rows. A reader that wants two editions of fifty (``compare``) then
decodes only their row groups (see ``_schema/parquet_reader.py``), and so do DuckDB and pyarrow's
dataset filters, from the row groups' statistics. Other tables are cut every
:data:`ROW_GROUP_ROWS` rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROW_GROUP_ROWS = 1 << 16
"""At most this many rows in one row group (65,536)."""
GROUP_COLUMN = "edition"
"""A table sorted by this column first gets one row group (or more) per value."""

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,  # (per column: see dictionary_columns)
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "store_schema": True,
}
"""Fixed Parquet writer settings (part of what makes builds reproducible)."""


def sort_columns(table_schema: Mapping[str, Any]) -> list[str]:
    """The columns a resource's Parquet rows are grouped by: :data:`GROUP_COLUMN` when that is
    a required field, else none (the CSV's order as it is).

    Examples:
        >>> edition = {"name": "edition", "constraints": {"required": True}}
        >>> sort_columns({"fields": [{"name": "id"}, edition], "primaryKey": "id"})
        ['edition']
        >>> sort_columns({"fields": [{"name": "id"}, {"name": "edition"}], "primaryKey": "id"})
        []
    """
    required = any(
        field.get("name") == GROUP_COLUMN and (field.get("constraints") or {}).get("required")
        for field in table_schema["fields"]
    )
    return [GROUP_COLUMN] if required else []


def stable_order(table: pa.Table, columns: list[str]) -> pa.Array | None:
    """Row order of ``table`` by ``columns`` (by value, also for dictionary columns), rows with
    equal values kept in their order; ``None`` when the rows are in that order already.

    Examples:
        >>> import pyarrow as pa
        >>> t = pa.table({"k": pa.array(["b", "a", "b", "a"]).dictionary_encode()})
        >>> stable_order(t, ["k"]).to_pylist()
        [1, 3, 0, 2]
        >>> stable_order(t.take([1, 3, 0, 2]), ["k"]) is None
        True
    """
    if not columns or not table.num_rows:
        return None
    keys = {}
    for column in columns:
        values = table.column(column)
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        keys[column] = values
    keys["_row"] = pa.array(range(table.num_rows), pa.int64())  # equal values: file order
    order = pc.sort_indices(pa.table(keys), sort_keys=[(name, "ascending") for name in keys])
    if pc.all(pc.equal(order, keys["_row"])).as_py():
        return None
    return order


def row_groups(table: pa.Table, sorted_by: list[str], limit: int = ROW_GROUP_ROWS) -> list[int]:
    """The sizes of the row groups to write ``table`` (rows sorted by ``sorted_by``) in.

    A new group starts where :data:`GROUP_COLUMN` changes, when the rows are sorted by it
    first, and after every ``limit`` rows.

    Examples:
        >>> import pyarrow as pa
        >>> t = pa.table({"edition": ["a", "a", "a", "b", "c", "c"]})
        >>> row_groups(t, ["edition"], limit=2)
        [2, 1, 1, 2]
        >>> row_groups(t, ["other"], limit=4)
        [4, 2]
    """
    if sorted_by[:1] == [GROUP_COLUMN] and table.num_rows:
        values = table.column(GROUP_COLUMN)
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        runs = pc.run_end_encode(values.combine_chunks()).run_ends.to_pylist()
        runs = [end - start for start, end in zip([0, *runs], runs, strict=False)]
    else:
        runs = [table.num_rows]
    sizes = []
    for run in runs:
        while run > limit:
            sizes.append(limit)
            run -= limit
        if run:
            sizes.append(run)
    return sizes


def dictionary_columns(table: pa.Table, groups: list[int] | None = None) -> list[str]:
    """The columns worth dictionary encoding: enums, and columns with at most one distinct
    value per two rows within the row groups (``groups``: their sizes; default one).
    Mostly-distinct columns (labels, keys, line numbers) are written plain: a dictionary of
    them only adds an incompressible index per row (with a row group per edition, 80 % more
    bytes).

    Examples:
        >>> import pyarrow as pa
        >>> t = pa.table({"a": ["x", "x", "y", "y"], "b": ["1", "2", "1", "2"]})
        >>> dictionary_columns(t), dictionary_columns(t, [2, 2])
        (['a', 'b'], ['a'])
    """
    chosen = []
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            chosen.append(name)
            continue
        distinct, start = 0, 0
        for size in groups or [table.num_rows]:
            part = column.slice(start, size)
            distinct += pc.count_distinct(part, mode="all").as_py() if size else 0
            start += size
        if table.num_rows and distinct * 2 <= table.num_rows:
            chosen.append(name)
    return chosen


def write_parquet(table: pa.Table, table_schema: Mapping[str, Any], target: Path) -> None:
    """Write one resource's table (as :func:`read_csv_table` reads it) as Parquet, rows in the
    CSV's order grouped by :func:`sort_columns`, in row groups by edition (see the module
    docstring)."""
    order = sort_columns(table_schema)
    rows = stable_order(table, order)
    if rows is not None:
        table = table.take(rows)
    target.parent.mkdir(parents=True, exist_ok=True)
    groups = row_groups(table, order)
    options = {**PARQUET_OPTIONS, "use_dictionary": dictionary_columns(table, groups)}
    with pq.ParquetWriter(target, table.schema, **options) as writer:
        start = 0
        for size in groups or [0]:
            writer.write_table(table.slice(start, size), row_group_size=max(size, 1))
            start += size
