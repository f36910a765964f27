"""The Parquet fast path of :meth:`Package.table`: read a resource from its Parquet copy.

A release folder (``palliativ-data build``) holds every resource twice, as the curated CSV and
as Parquet, and its ``datapackage.json`` lists the Parquet file in the resource's
``x-formats`` (with its ``bytes`` and ``hash``). Reading Parquet is several times faster than
parsing CSV, so :func:`parquet_copy` finds that file and :meth:`Package.table` reads it with
:func:`read_parquet_table` instead of the CSV, when it is safe to:

* the ``x-formats`` entry has ``format`` ``parquet`` and a relative local ``path`` to a file;
* its ``hash`` (``sha256:…``), when recorded, matches the file (a stale or damaged copy is not
  used);
* the resource's own file has the size the descriptor records in ``bytes``, when it records
  one (so a CSV edited after the build is read, not the older Parquet).

Otherwise the CSV is read as always. :func:`read_parquet_table` checks the table against the
Table Schema as the CSV reader does: the same columns in the same order, no empty value in a
required field, enum values within the enum; it returns the Arrow schema derived from the
Table Schema (descriptions and data version in the metadata).

It reads with ``pyarrow.parquet.ParquetFile``, not ``read_table``: ``read_table`` goes through
``pyarrow.dataset``, which imports pandas when it is installed (about half a second).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from .._arrow import is_in_mask, string_array
from .._errors import DataError
from .._io import file_facts
from .._source import UnsafePathError, resolve_inside, verify_file
from .arrow_schemas import DATA_VERSION_KEY, schema_from_table_schema


def _local(base: Path, path: Any) -> Path | None:
    """The file ``path`` names inside ``base``; None when unsafe (URL, ``..``, a symlink out)."""

    try:
        candidate = resolve_inside(base, path)
    except UnsafePathError:
        return None
    return candidate if candidate.is_file() else None


def parquet_copy(resource: Mapping[str, Any], base: Path, *, verify: bool = False) -> Path | None:
    """The Parquet copy of ``resource`` that may be read instead of its CSV, or None.

    Args:
        resource: The resource's descriptor (from ``datapackage.json``).
        base: The folder of ``datapackage.json``.
        verify: Raise :class:`IntegrityError` instead of falling back to the CSV when the CSV's
            size or the Parquet file's hash differs from the descriptor (``load()`` verifies).

    Examples:
        >>> from pathlib import Path
        >>> parquet_copy({"name": "regions", "path": "data/regions.csv"}, Path(".")) is None
        True
    """

    own = _local(base, resource.get("path"))
    if own is None:
        return None
    recorded = resource.get("bytes")
    if isinstance(recorded, int) and own.stat().st_size != recorded:
        if verify:
            verify_file(own, {"bytes": recorded}, resource=resource.get("name"))
        return None
    formats = resource.get("x-formats")
    for entry in formats if isinstance(formats, list) else []:  # a hostile value is ignored
        if not isinstance(entry, Mapping) or entry.get("format") != "parquet":
            continue
        path = _local(base, entry.get("path"))
        if path is None:
            continue
        expected = entry.get("hash")
        if (
            isinstance(expected, str)
            and expected.startswith("sha256:")
            and file_facts(path)["hash"] != expected
        ):
            if verify:
                verify_file(path, entry, resource=resource.get("name"))
            continue
        return path
    return None


def read_parquet_table(
    path: str | Path,
    name: str,
    *,
    table_schema: Mapping[str, Any],
    version: str | None = None,
    where: tuple[str, Sequence[str]] | None = None,
) -> pa.Table:
    """Read one resource from Parquet, checked against and typed by its Table Schema.

    Args:
        where: ``(column, values)``: keep only the rows whose ``column`` is one of ``values``,
            filtered batch by batch while reading (so memory holds those rows, not the file).

    Raises:
        DataError: The file's columns, required values or enum values do not fit the schema.
    """
    schema = schema_from_table_schema(table_schema, resource=name, version=version)
    if version is not None:
        schema = schema.with_metadata(
            {**(schema.metadata or {}), DATA_VERSION_KEY: str(version).encode()}
        )
    table = _read(path, where)
    problems = []
    columns = []
    if table.column_names != schema.names:
        problems.append(f"columns {table.column_names}, expected {schema.names}")
    else:
        for field in schema:
            column = table.column(field.name)
            if not field.nullable and column.null_count:
                problems.append(
                    f"{field.name}: {column.null_count} empty value(s) in a required field"
                )
            if pa.types.is_dictionary(field.type):
                column = _as_enum(
                    column, string_array(_enum(table_schema, field.name)), field, problems
                )
            elif column.type != field.type:
                try:
                    column = column.cast(field.type)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
                    problems.append(f"{field.name}: {error}")
            columns.append(column)
    if not problems:
        return pa.Table.from_arrays(columns, schema=schema)
    raise DataError(
        f"{path}: resource {name!r} does not fit its Table Schema: {'; '.join(problems)}. Rebuild "
        "the release (`palliativ-data build`) or remove the Parquet entry from the descriptor's "
        "x-formats so that the CSV is read.",
        resource=name,
        path=str(path),
        problems=problems,
    )


def _read(path: str | Path, where: tuple[str, Sequence[str]] | None) -> pa.Table:
    """The file's rows, or those whose ``where[0]`` is one of ``where[1]``.

    A release writes a row group per edition (``_release/parquet.py``): a row group whose
    statistics say it holds one value of the column is read whole when that value is wanted
    and skipped when not, so comparing two editions of fifty decodes two row groups of
    ``gaps``. For the other row groups the key column is read (cheap, dictionary-encoded) and
    tested on its dictionary: fully wanted groups are read whole, the others batch by batch and
    filtered, so memory holds the wanted rows plus one batch. Rows taken on the statistics'
    word are tested again after reading (on the dictionary, cheap).
    """
    # deferred: a package without Parquet copies (CSV only) never needs pyarrow.parquet
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    if where is None or where[0] not in file.schema_arrow.names:
        return file.read()  # (a missing column is reported by the schema check)
    # deferred: pyarrow.compute alone takes ~0.2 s to import; a Parquet read needs none
    import pyarrow.compute as pc

    column, values = where
    plan = _row_group_plan(file, column, set(values))
    masks: dict[int, Any] = {}
    tested = [group for group, how in enumerate(plan) if how == "test"]
    if tested:
        keys = file.read_row_groups(tested, columns=[column]).column(0)
        mask = is_in_mask(keys, values).combine_chunks()
        start = 0
        for group in tested:
            size = file.metadata.row_group(group).num_rows
            masks[group] = mask.slice(start, size)
            start += size
    kept: list[pa.Table] = []
    whole: list[int] = []  # a run of fully wanted row groups, read together

    def flush() -> None:
        if whole:
            kept.append(file.read_row_groups(whole))
            whole.clear()

    for group, how in enumerate(plan):
        if how == "skip":
            continue
        if how == "whole":
            whole.append(group)
            continue
        part = masks[group]
        count = pc.sum(part).as_py() or 0
        if count == len(part):
            whole.append(group)
            continue
        flush()
        if count:
            offset = 0
            for batch in file.iter_batches(batch_size=1 << 16, row_groups=[group]):
                kept.append(pa.Table.from_batches([batch.filter(part.slice(offset, len(batch)))]))
                offset += len(batch)
    flush()
    if not kept:
        return file.schema_arrow.empty_table()
    table = pa.concat_tables(kept)
    if "whole" in plan:  # statistics are not covered by the file's hash: check what they said
        mask = is_in_mask(table.column(column), values)
        if pc.all(mask).as_py() is False:
            table = table.filter(mask)
    return table


def _row_group_plan(file: Any, column: str, values: set[str]) -> list[str]:
    """Per row group: ``whole`` / ``skip`` when its statistics say it holds one value of
    ``column`` (wanted or not), else ``test`` (read the column to see)."""
    index = file.schema_arrow.get_field_index(column)
    plan = []
    for group in range(file.num_row_groups):
        meta = file.metadata.row_group(group)
        how = "test"
        if meta.num_rows == 0:
            how = "skip"
        elif index < meta.num_columns and meta.column(index).path_in_schema == column:
            stats = meta.column(index).statistics
            if (
                stats is not None
                and stats.has_min_max
                and stats.has_null_count
                and stats.null_count == 0
                and isinstance(stats.min, str)
                and stats.min == stats.max
            ):
                how = "whole" if stats.min in values else "skip"
        plan.append(how)
    return plan


def _as_enum(column: Any, vocabulary: Any, field: Any, problems: list[str]) -> Any:
    """``column`` as a dictionary column whose dictionary is exactly the enum, in schema order.

    A release's files keep the enum as the dictionary (or a leading part of it), so usually the
    indices are kept as they are, without a compute kernel (importing pyarrow.compute alone
    takes about 0.2 s).
    """
    chunks = []
    for chunk in column.chunks:
        if (
            pa.types.is_dictionary(chunk.type)
            and chunk.type.index_type == field.type.index_type
            and len(chunk.dictionary) <= len(vocabulary)
            and chunk.dictionary.equals(vocabulary.slice(0, len(chunk.dictionary)))
        ):
            chunks.append(pa.DictionaryArray.from_arrays(chunk.indices, vocabulary))
            continue
        # deferred: pyarrow.compute alone takes ~0.2 s to import; a Parquet read needs none
        import pyarrow.compute as pc

        if not pa.types.is_dictionary(chunk.type):
            chunk = chunk.cast(pa.string()).dictionary_encode()
        mapping = pc.index_in(chunk.dictionary.cast(pa.string()), value_set=vocabulary)
        outside = pc.filter(chunk.dictionary, pc.is_null(mapping))
        if len(outside):
            used = set(pc.unique(chunk.indices).to_pylist()) - {None}
            bad = sorted(chunk.dictionary[i].as_py() for i in used if not mapping[i].is_valid)
            if bad:
                problems.append(
                    f"{field.name}: value(s) {bad} not in the allowed values {vocabulary.to_pylist()}"
                )
                return column
        indices = pc.take(mapping, chunk.indices).cast(pa.int32())
        chunks.append(pa.DictionaryArray.from_arrays(indices, vocabulary))
    return pa.chunked_array(chunks, type=field.type)


def _enum(table_schema: Mapping[str, Any], name: str) -> list[Any]:
    for field in table_schema.get("fields", []):
        if field.get("name") == name:
            return list((field.get("constraints") or {}).get("enum") or [])
    return []
