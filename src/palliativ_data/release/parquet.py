"""Writing a release's Parquet copies: typed by the Table Schema, sorted by primary key."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..schema.arrow import read_csv_table

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


def write_parquet(resource: Mapping[str, Any], csv_path: Path, target: Path, version: str) -> None:
    """Write one resource as Parquet, rows sorted by primary key."""
    name = resource["name"]
    table_schema = resource["schema"]
    table = read_csv_table(csv_path, name, table_schema=table_schema, version=version)
    primary_key = table_schema.get("primaryKey") or [f["name"] for f in table_schema["fields"]]
    primary_key = [primary_key] if isinstance(primary_key, str) else list(primary_key)
    if table.num_rows:
        table = table.take(sort_indices(table, primary_key))
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, target, **PARQUET_OPTIONS)
