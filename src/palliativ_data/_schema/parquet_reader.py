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

A downloaded release is someone else's file, and whoever changed it could also rewrite its
hashes (and ``SHA256SUMS``). So the file is checked before it is decoded: its columns and
their types must be the Table Schema's (from the footer), and, given the size of the CSV it
is a copy of (a :class:`Budget`), it may hold no more rows than that CSV could (each CSV row
takes at least a byte per field), nor decode to more than :data:`DECODED_PER_CSV_BYTE` bytes
per byte of that CSV: text stored with a dictionary is counted from its indices (read alone,
without decoding the text), other columns from the sizes the footer declares and their width.
A 1.6 MB file that would expand to 2×10^7 rows and 3.2 GB is refused from its footer in a few
milliseconds. A file pyarrow cannot read (damaged, or not Parquet) is an
:class:`IntegrityError`, never a pyarrow exception. (A data page's own header, outside the
footer, is trusted up to Parquet's limit of 2 GB a page.)

It reads with ``pyarrow.parquet.ParquetFile``, not ``read_table``: ``read_table`` goes through
``pyarrow.dataset``, which imports pandas when it is installed (about half a second).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from .._arrow import is_in_mask, string_array
from .._errors import DataError, IntegrityError
from .._io import file_facts
from .._source import UnsafePathError, resolve_inside, verify_file
from .arrow_schemas import DATA_VERSION_KEY, schema_from_table_schema

DECODED_PER_CSV_BYTE = 16
"""A Parquet copy decodes to at most this many bytes per byte of its CSV (plus
:data:`DECODED_SLACK`). Text takes as many bytes in Arrow as in the CSV; an empty cell, one
byte in the CSV (its comma), takes at most eight in Arrow (a 64-bit number) plus a validity
bit; the bundled release decodes to 1.0–1.2 bytes per CSV byte."""
DECODED_SLACK = 1 << 20
"""Bytes every copy may take besides :data:`DECODED_PER_CSV_BYTE` (small files)."""
BATCH_ROWS = 1 << 16
"""Rows counted at a time."""


@dataclass(frozen=True)
class Budget:
    """What a Parquet copy of a CSV may hold: at most ``rows`` rows and ``bytes`` decoded.

    Examples:
        >>> Budget.of_csv(1_000, 10)
        Budget(rows=100, bytes=1064576)
    """

    rows: int
    bytes: int

    @classmethod
    def of_csv(cls, csv_bytes: int, fields: int) -> Budget:
        """The budget of a copy of a CSV file of ``csv_bytes`` bytes with ``fields`` columns:
        every CSV row takes at least one byte per field (its commas and its line end)."""
        return cls(csv_bytes // max(fields, 1), DECODED_PER_CSV_BYTE * csv_bytes + DECODED_SLACK)


def _local(base: Path, path: Any, *, verify: bool = False) -> Path | None:
    """The file ``path`` names inside ``base``; None when unsafe (URL, ``..``, a symlink out)
    or, with ``verify``, :class:`UnsafePathError` for a hard link (a release never holds one)."""

    try:
        candidate = resolve_inside(base, path)
    except UnsafePathError as error:
        if verify and error.reason == "hardlink":
            raise
        return None
    return candidate if candidate.is_file() else None


def parquet_copy(resource: Mapping[str, Any], base: Path, *, verify: bool = False) -> Path | None:
    """The Parquet copy of ``resource`` that may be read instead of its CSV, or None.

    Args:
        resource: The resource's descriptor (from ``datapackage.json``).
        base: The folder of ``datapackage.json``.
        verify: Raise :class:`IntegrityError` instead of falling back to the CSV when the CSV's
            size or the Parquet file's hash differs from the descriptor (``load()`` verifies),
            and :class:`UnsafePathError` when the Parquet file is a hard link.

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
        path = _local(base, entry.get("path"), verify=verify)
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
    budget: Budget | None = None,
) -> pa.Table:
    """Read one resource from Parquet, checked against and typed by its Table Schema.

    Args:
        where: ``(column, values)``: keep only the rows whose ``column`` is one of ``values``,
            filtered batch by batch while reading (so memory holds those rows, not the file).
        budget: The most rows and decoded bytes the file may hold (:meth:`Budget.of_csv` of the
            CSV it is a copy of), checked before it is decoded.

    Raises:
        IntegrityError: The file cannot be read as Parquet, its columns or their types are not
            the Table Schema's, or it holds more than ``budget`` (nothing was decoded).
        DataError: The file's required values or enum values do not fit the schema.
    """
    schema = schema_from_table_schema(table_schema, resource=name, version=version)
    if version is not None:
        schema = schema.with_metadata(
            {**(schema.metadata or {}), DATA_VERSION_KEY: str(version).encode()}
        )
    copy = ParquetCopy(Path(path), name, schema)
    copy.check(budget)
    table = copy.read(where)
    problems = []
    columns = []
    for field in schema:
        column = table.column(field.name)
        if not field.nullable and column.null_count:
            problems.append(f"{field.name}: {column.null_count} empty value(s) in a required field")
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


def _is_text(kind: pa.DataType) -> bool:
    """Text, plain or as a dictionary."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _compatible(actual: pa.DataType, expected: pa.DataType) -> bool:
    """Whether a column of type ``actual`` can be read as ``expected``: the same type, text
    for text (plain or a dictionary), or an integer for an integer."""
    if actual == expected:
        return True
    if _is_text(expected):
        return _is_text(actual)
    return bool(pa.types.is_integer(expected) and pa.types.is_integer(actual))


class ParquetCopy:
    """A Parquet file opened (its footer read) and checked against its schema and a budget
    before it is decoded (see the module docstring).

    Raises:
        IntegrityError: (on opening) pyarrow cannot read the file as Parquet.
    """

    def __init__(self, path: Path, name: str, schema: pa.Schema) -> None:
        self.path, self.name, self.schema = path, name, schema
        # deferred: a package without Parquet copies (CSV only) never needs pyarrow.parquet
        import pyarrow.parquet as pq

        self.file = self.guard(lambda: pq.ParquetFile(path))

    def refuse(self, what: str) -> IntegrityError:
        """The error that refuses the file because it ``what``."""
        return IntegrityError(
            f"{self.path.name} (resource {self.name!r}) {what}; it was not decoded. Its "
            "checksum matches the descriptor, so the release itself was changed or damaged: "
            "download it again, or build it with `palliativ-data build`.",
            resource=self.name,
            path=str(self.path),
        )

    def guard(self, read: Callable[[], Any]) -> Any:
        """``read()``, with pyarrow's errors about the file as an :class:`IntegrityError`."""
        try:
            return read()
        except (pa.ArrowException, OSError) as error:
            reason = (str(error).splitlines() or [type(error).__name__])[0][:200]
            raise self.refuse(f"cannot be read as Parquet ({reason})") from None

    def check(self, budget: Budget | None) -> None:
        """Refuse the file (:class:`IntegrityError`) when one of the problems below applies."""
        problems = [self.columns_problem()]
        if budget is not None:
            problems += [self.rows_problem(budget), self.bytes_problem(budget)]
        for problem in problems:
            if problem is not None:
                raise self.refuse(problem)

    def columns_problem(self) -> str | None:
        """How the footer's columns or their types differ from the schema, or None."""
        found = self.file.schema_arrow
        if found.names != self.schema.names:
            missing = [name for name in self.schema.names if name not in found.names]
            extra = [name for name in found.names if name not in self.schema.names]
            what = [f"it lacks {_listed(missing)}"] if missing else []
            what += [f"it has {_listed(extra)}, which the schema does not"] if extra else []
            details = " and ".join(what or ["they are in another order"])
            return f"has other columns than its Table Schema: {details}"
        wrong = [
            f"{field.name} is {found.field(field.name).type}, not {field.type}"
            for field in self.schema
            if not _compatible(found.field(field.name).type, field.type)
        ]
        if wrong:
            return f"has columns of other types than its schema: {_listed(wrong, quote=False)}"
        return None

    def rows_problem(self, budget: Budget) -> str | None:
        """The footer's row count when it is more than ``budget`` allows, or None."""
        rows = self.file.metadata.num_rows
        if rows > budget.rows:
            return f"holds {rows:,} rows, more than its CSV could hold ({budget.rows:,})"
        return None

    def bytes_problem(self, budget: Budget) -> str | None:
        """What the file would decode to when it is more than ``budget`` allows, or None;
        counted before decoding (:meth:`decoded_bytes`)."""
        size = self.guard(lambda: self.decoded_bytes(stop_above=budget.bytes))
        if size > budget.bytes:
            return (
                f"would decode to {size:,} bytes or more, more than a copy of its CSV takes "
                f"({budget.bytes:,}: {DECODED_PER_CSV_BYTE} bytes per byte of CSV)"
            )
        return None

    def decoded_bytes(self, stop_above: int | None = None) -> int:
        """What the file takes once decoded, counted before decoding: what the footer declares
        for the pages; then text stored in a dictionary from its indices (read alone, as a
        dictionary, batch by batch; stopping once over ``stop_above``), other text by its
        declared size, everything else by its width."""
        # deferred: as in __init__
        import pyarrow.parquet as pq

        meta = self.file.metadata
        rows = meta.num_rows
        declared: int = 0
        paged = set()  # text columns written with a dictionary in some row group
        size: int = 0
        for group in range(meta.num_row_groups):
            row_group = meta.row_group(group)
            for index in range(row_group.num_columns):
                column = row_group.column(index)
                declared += int(column.total_uncompressed_size)
                if not _is_text(self.schema.field(column.path_in_schema).type):
                    continue
                if column.has_dictionary_page:
                    paged.add(column.path_in_schema)
                else:
                    size += int(column.total_uncompressed_size)
        if stop_above is not None and declared > stop_above:
            return declared  # the pages alone are too many bytes: nothing read
        size += sum(
            (8 if _is_text(field.type) else 9) * rows
            for field in self.schema
            if not (_is_text(field.type) and pa.types.is_dictionary(field.type))
        )  # offsets, or values (at most 8 bytes) and validity
        columns = [name for name in self.schema.names if name in paged]
        if not columns:
            return size
        dictionaries = pq.ParquetFile(self.path, read_dictionary=columns)
        for batch in dictionaries.iter_batches(batch_size=BATCH_ROWS, columns=columns):
            for name, column in zip(batch.schema.names, batch.columns, strict=True):
                size += _text_bytes(column, pa.types.is_dictionary(self.schema.field(name).type))
            if stop_above is not None and size > stop_above:
                break  # enough to refuse
        return size

    def read(self, where: tuple[str, Sequence[str]] | None) -> pa.Table:
        """The rows (those whose ``where[0]`` is one of ``where[1]``; see :func:`_read`)."""
        table: pa.Table = self.guard(lambda: _read(self.file, where))
        return table


def _listed(names: Sequence[str], limit: int = 10, *, quote: bool = True) -> str:
    """``names`` for a message, at most ``limit`` of them (a hostile file may have thousands).

    Examples:
        >>> _listed(["a", "b", "c"], 2)
        "the columns 'a', 'b' and 1 more"
    """
    shown = [repr(name) if quote else name for name in names[:limit]]
    more = f" and {len(names) - limit:,} more" if len(names) > limit else ""
    prefix = "the column " if len(names) == 1 and quote else "the columns " if quote else ""
    return prefix + ", ".join(shown) + more


def _text_bytes(column: pa.Array, stays_a_dictionary: bool) -> int:
    """The bytes of text a dictionary column holds once decoded, from its buffers (no
    decoding): the length of the value each row points to, summed; its own size when it stays
    a dictionary (an enum) or is not one."""
    if stays_a_dictionary or not pa.types.is_dictionary(column.type):
        return int(column.nbytes)
    dictionary, indices = column.dictionary, column.indices
    if not len(dictionary) or not len(indices):
        return 0
    wide = pa.types.is_large_string(dictionary.type)
    offsets = np.frombuffer(dictionary.buffers()[1], dtype=np.int64 if wide else np.int32)
    lengths = np.diff(offsets[dictionary.offset : dictionary.offset + len(dictionary) + 1])
    signed = "u" if pa.types.is_unsigned_integer(indices.type) else "i"
    kind = np.dtype(f"{signed}{indices.type.bit_width // 8}")
    rows = np.frombuffer(indices.buffers()[1], dtype=kind)
    rows = rows[indices.offset : indices.offset + len(indices)]
    return int(np.take(lengths, rows, mode="clip").sum(dtype=np.int64))


def _read(file: Any, where: tuple[str, Sequence[str]] | None) -> pa.Table:
    """The rows of ``file`` (a ``ParquetFile``), or those whose ``where[0]`` is one of
    ``where[1]``.

    A release writes a row group per edition (``_release/parquet.py``): a row group whose
    statistics say it holds one value of the column is read whole when that value is wanted
    and skipped when not, so comparing two editions of fifty decodes two row groups of
    ``gaps``. For the other row groups the key column is read (cheap, dictionary-encoded) and
    tested on its dictionary: fully wanted groups are read whole, the others batch by batch and
    filtered, so memory holds the wanted rows plus one batch. Rows taken on the statistics'
    word are tested again after reading (on the dictionary, cheap).
    """
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
