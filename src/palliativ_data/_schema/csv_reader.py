"""Reading a resource CSV into an Arrow table typed by its Table Schema (no type inference).

:func:`read_csv_table` is what :meth:`Package.table` and a build read a CSV with; an empty cell
is null, strings are kept exactly as written, and enum fields become dictionary columns whose
dictionary is the enum (the schemas of ``arrow_schemas``). A file in the curated CSV style
(UTF-8, comma, header row, ``\\n``, minimal quoting, empty cell for null) is given back cell
for cell by :func:`palliativ_data._arrow.cell_texts` (``tests/test_arrow.py`` writes it back
byte for byte). :func:`read_csv_blocks` is ``pyarrow.csv.read_csv`` that also reads cells
larger than its block size (``validate``'s fast path reads with it too).
"""

from __future__ import annotations

import array
import csv
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from .._arrow import string_array
from .._errors import DataError
from .arrow_schemas import (
    DATA_VERSION_KEY,
    ENUM_TYPE,
    arrow_schema,
    enum_values,
    schema_from_table_schema,
)
from .tableschema import load_table_schema
from .types import FALSE_VALUES, TRUE_VALUES

# pyarrow.compute and pyarrow.csv are imported by the functions that use them: importing
# pyarrow.compute alone takes about 0.2 s, which reading a release's Parquet copy never needs
if TYPE_CHECKING:  # pragma: no cover
    import pyarrow.csv as pacsv


def _header(path: Path) -> list[str]:
    csv.field_size_limit(2**31 - 1)  # a multi-megabyte cell is data, not an error
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            return next(csv.reader(handle))
        except StopIteration:
            return []
        except (UnicodeDecodeError, csv.Error) as error:
            raise DataError(
                f"{path}: the header cannot be read ({error}). The file must be UTF-8 CSV; run "
                "`palliativ-data validate` for a full report.",
                path=str(path),
            ) from None


def _row_numbers(mask: pa.ChunkedArray | pa.Array, limit: int = 10) -> list[int]:
    """Row numbers (header = row 1, as frictionless counts) where ``mask`` (no nulls) is true."""
    # deferred: pyarrow.compute alone takes ~0.2 s to import; a Parquet read needs none
    import pyarrow.compute as pc

    indices = pc.indices_nonzero(mask).to_pylist()
    return [index + 2 for index in indices[:limit]]


def read_csv_blocks(
    path: Path,
    convert: pacsv.ConvertOptions,
    *,
    parse: pacsv.ParseOptions | None = None,
    autogenerate_column_names: bool = False,
    block_size: int | None = None,
) -> pa.Table:
    """``pyarrow.csv.read_csv`` that also reads cells larger than its block size.

    pyarrow refuses a row that straddles two read blocks (about 1 MB by default, or
    ``block_size``), which a multi-megabyte cell does; frictionless (``validate``) accepts such
    a file, so on that error the file is read again in one block of its whole size (see
    PITFALLS). ``parse`` defaults to quoted line breaks allowed.
    """
    # deferred: pyarrow.compute alone takes ~0.2 s to import; a Parquet read needs none
    import pyarrow.csv as pacsv

    parse = parse or pacsv.ParseOptions(newlines_in_values=True)

    def read(block: int | None) -> pa.Table:
        options = pacsv.ReadOptions(
            use_threads=True, block_size=block, autogenerate_column_names=autogenerate_column_names
        )
        return pacsv.read_csv(
            path, read_options=options, parse_options=parse, convert_options=convert
        )

    try:
        return read(block_size)
    except pa.ArrowInvalid as error:
        if "straddl" not in str(error):
            raise
    return read(min(max(path.stat().st_size + 1, 1 << 20), (1 << 31) - 1))


def as_enum(column: pa.ChunkedArray, vocabulary: Sequence[str]) -> pa.ChunkedArray | None:
    """A dictionary column of strings re-pointed at ``vocabulary`` as its dictionary.

    None when a value is not in ``vocabulary``. Each chunk's (small) dictionary is looked up
    in Python and its indices mapped with numpy, which pyarrow has loaded when it is installed
    (else with a compute kernel): no pyarrow.compute import, which alone takes ~0.2 s.

    Examples:
        >>> import pyarrow as pa
        >>> column = pa.chunked_array([pa.array(["b", None, "a", "b"]).dictionary_encode()])
        >>> enum = as_enum(column, ["a", "b", "c"])
        >>> enum.chunk(0).indices.to_pylist(), enum.chunk(0).dictionary.to_pylist()
        ([1, None, 0, 1], ['a', 'b', 'c'])
        >>> as_enum(column, ["a"]) is None
        True
    """
    positions = {value: number for number, value in enumerate(vocabulary)}
    dictionary = string_array(list(vocabulary))
    numpy = sys.modules.get("numpy")
    chunks = []
    for chunk in column.chunks:
        values = chunk.dictionary.to_pylist()
        mapping = [positions.get(value, -1) for value in values]
        if -1 in mapping:
            return None
        indices = chunk.indices
        if indices.type != pa.int32():
            indices = indices.cast(pa.int32())
        if mapping != list(range(len(mapping))):
            indices = _mapped(indices, mapping, numpy)
        chunks.append(pa.DictionaryArray.from_arrays(indices, dictionary))
    return pa.chunked_array(chunks, type=ENUM_TYPE)


def _mapped(indices: pa.Int32Array, mapping: list[int], numpy: Any) -> pa.Array:
    """``mapping[i]`` for every index ``i`` (null stays null)."""
    if numpy is None:
        # deferred: pyarrow.compute alone takes ~0.2 s to import; numpy is nearly always there
        import pyarrow.compute as pc

        table = pa.Array.from_buffers(
            pa.int32(), len(mapping), [None, pa.py_buffer(array.array("i", mapping))]
        )
        return pc.take(table, indices)
    validity, data = indices.buffers()[:2]
    raw = numpy.frombuffer(data, dtype=numpy.int32, count=indices.offset + len(indices))
    # a null slot may hold any number: clip it into range (it stays null by the validity bitmap)
    new = numpy.asarray(mapping, dtype=numpy.int32)[numpy.clip(raw, 0, len(mapping) - 1)]
    return pa.Array.from_buffers(
        pa.int32(),
        len(indices),
        [validity, pa.py_buffer(new)],
        null_count=indices.null_count,
        offset=indices.offset,
    )


def _outside_enum(column: pa.ChunkedArray, name: str, vocabulary: Sequence[str]) -> str:
    """The problem text for values of ``column`` outside ``vocabulary``."""
    # deferred: pyarrow.compute alone takes ~0.2 s to import; only a problem needs it
    import pyarrow.compute as pc

    values = column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column
    indices = pc.index_in(values, value_set=string_array(list(vocabulary)))
    outside = pc.and_(pc.is_valid(values), pc.is_null(indices))
    bad = sorted(set(pc.filter(values, outside).to_pylist()))
    return (
        f"{name}: value(s) {bad} not in the allowed values {list(vocabulary)} "
        f"(rows {_row_numbers(outside)})"
    )


def read_csv_table(
    path: str | Path,
    name: str,
    *,
    table_schema: Mapping[str, Any] | None = None,
    version: str | None = None,
) -> pa.Table:
    """Read one resource CSV into an Arrow table typed by its Table Schema.

    Column types are explicit (no inference): an empty cell is null, strings are kept exactly
    as written (Swedish letters, spaces), enum fields become dictionary columns whose
    dictionary is the enum. The header must list the schema's fields in order. Checked here:
    header, types, required values, enum membership. Not checked here (``palliativ-data
    validate`` does): patterns, ranges, uniqueness, keys.

    Args:
        path: The CSV file.
        name: The resource name; its Table Schema comes from ``schema/`` unless
            ``table_schema`` is given.
        table_schema: The Table Schema to read with (e.g. from another package's descriptor).
        version: Data version for the schema metadata (default: ``schema/package.json``'s
            when reading with ``schema/``).

    Returns:
        The table, with the schema of :func:`arrow_schema`.

    Raises:
        DataError: The file does not fit the schema; the message lists every problem found.

    Examples:
        >>> from palliativ_data._paths import bundled_package_dir
        >>> table = read_csv_table(bundled_package_dir() / "data" / "regions.csv", "regions")
        >>> table.num_rows
        21
    """
    # deferred: pyarrow.csv is needed only here (pyarrow.compute only when a check fails)
    import pyarrow.csv as pacsv

    path = Path(path)
    if table_schema is None:
        schema = arrow_schema(name)
        table_schema = load_table_schema(name)
    else:
        schema = schema_from_table_schema(table_schema, resource=name, version=version)
    if version is not None:
        schema = schema.with_metadata(
            {**(schema.metadata or {}), DATA_VERSION_KEY: str(version).encode()}
        )

    expected = [field.name for field in schema]
    header = _header(path)
    if header != expected:
        missing = [column for column in expected if column not in header]
        extra = [column for column in header if column not in expected]
        detail = []
        if missing:
            detail.append(f"missing columns: {', '.join(missing)}")
        if extra:
            detail.append(f"unexpected columns: {', '.join(extra)}")
        if not missing and not extra:
            detail.append("the columns are in another order")
        hint = ""
        if len(header) == 1 and ";" in header[0]:
            hint = (
                " The file looks semicolon-separated (as a spreadsheet in a Swedish locale saves"
                " it): save it as 'CSV UTF-8 (comma delimited)'."
            )
        raise DataError(
            f"{path}: the header of resource {name!r} does not match its Table Schema "
            f"({'; '.join(detail)}). Expected: {','.join(expected)}.{hint}",
            resource=name,
            path=str(path),
            problems=detail,
        )

    fields = {field["name"]: field for field in table_schema["fields"]}
    true_values: set[str] = set()
    false_values: set[str] = set()
    for field in fields.values():
        if field.get("type") == "boolean":
            true_values.update(field.get("trueValues", TRUE_VALUES))
            false_values.update(field.get("falseValues", FALSE_VALUES))
    # enum fields are read as dictionaries (in order of appearance), then re-pointed at the enum
    read_types = {field.name: field.type for field in schema}
    convert = pacsv.ConvertOptions(
        column_types=read_types,
        null_values=list(table_schema.get("missingValues", [""])),
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        true_values=sorted(true_values) or list(TRUE_VALUES),
        false_values=sorted(false_values) or list(FALSE_VALUES),
    )
    try:
        table = read_csv_blocks(path, convert)
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise DataError(
            f"{path}: resource {name!r} could not be read with its Table Schema: {error}. "
            "Run `palliativ-data validate` for a full report of the problems.",
            resource=name,
            path=str(path),
            problems=[str(error)],
        ) from error

    problems: list[str] = []
    columns = []
    for field in schema:
        column = table.column(field.name)
        if not field.nullable and column.null_count:
            # deferred: pyarrow.compute alone takes ~0.2 s to import; only a problem needs it
            import pyarrow.compute as pc

            rows = _row_numbers(pc.is_null(column))
            problems.append(
                f"{field.name}: {column.null_count} empty value(s) in a required field (rows {rows})"
            )
        if pa.types.is_dictionary(field.type):
            vocabulary = [str(value) for value in enum_values(fields[field.name]) or []]
            enum_column = as_enum(column, vocabulary)
            if enum_column is None:
                problems.append(_outside_enum(column, field.name, vocabulary))
            else:
                column = enum_column
        columns.append(column)
    if problems:
        raise DataError(
            f"{path}: resource {name!r} does not fit its Table Schema: "
            + "; ".join(problems)
            + ". Fix the CSV (or the schema) and run `palliativ-data validate`.",
            resource=name,
            path=str(path),
            problems=problems,
        )
    return pa.Table.from_arrays(columns, schema=schema)
