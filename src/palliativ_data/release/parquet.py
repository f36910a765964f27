"""Writing a release's Parquet copies: typed by the Table Schema, sorted by primary key."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..schema.tableschema import key_fields

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "row_group_size": 1_000_000,
    "store_schema": True,
}
"""Fixed Parquet writer settings (part of what makes builds reproducible)."""


def sort_indices(table: Any, columns: list[str]) -> Any:
    """Row order of ``table`` by ``columns`` (by value, also for dictionary columns).

    Examples:
        >>> import pyarrow as pa
        >>> t = pa.table({"k": pa.array(["b", "a", "c"]).dictionary_encode()})
        >>> sort_indices(t, ["k"]).to_pylist()
        [1, 0, 2]
    """
    keys = {}
    for column in columns:
        values = table.column(column)
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        keys[column] = values
    return pc.sort_indices(pa.table(keys), sort_keys=[(column, "ascending") for column in columns])


def write_parquet(table: pa.Table, table_schema: Mapping[str, Any], target: Path) -> None:
    """Write one resource's table (as :func:`read_csv_table` reads it) as Parquet, rows sorted
    by primary key."""
    primary_key = key_fields(table_schema.get("primaryKey")) or [
        f["name"] for f in table_schema["fields"]
    ]
    if table.num_rows:
        table = table.take(sort_indices(table, primary_key))
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, target, **PARQUET_OPTIONS)
