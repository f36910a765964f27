"""Arrow schemas derived from ``schema/``, and CSV reading and writing with them.

The Table Schemas in ``schema/`` are the single source of truth; this module turns one into a
:class:`pyarrow.Schema`:

========================  =====================================================
Table Schema              Arrow
========================  =====================================================
``string``                ``string``; with ``constraints.enum``:
                          ``dictionary(int32, string)`` whose dictionary is the
                          enum, in schema order
``integer`` / ``year``    ``int64``
``number``                ``float64``
``boolean``               ``bool``
``date``                  ``date32``
``datetime``              ``timestamp("s")`` (``timestamp("s", "UTC")`` if the
                          value ends in ``Z``, see :func:`arrow_type`)
``time``                  ``time32("s")``
``yearmonth``, ``any``    ``string``
========================  =====================================================

``constraints.required`` makes a field non-nullable; each field carries its description in
its metadata (``b"description"``), and the schema carries the table description, the resource
name, the primary key (JSON) and the data version (``schema/package.json`` ``version``).

:func:`read_csv_table` reads a resource CSV with explicit column types (no type inference);
:func:`write_csv` writes a table back in the curated CSV style (UTF-8, comma, header row,
``\\n``, minimal quoting, empty cell for null), so CSV → Arrow → CSV gives back the same bytes
for a file in that style.
"""

from __future__ import annotations

import array
import csv
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow.csv as pacsv

# pyarrow.compute and pyarrow.csv are imported by the functions that use them: importing
# pyarrow.compute alone takes about 0.2 s, which reading a release's Parquet copy never needs
from .._errors import DataError, PalliativDataError, UnknownNameError
from .._io import atomic_write_text, format_csv, read_json
from .._paths import schema_dir
from .tableschema import PACKAGE_FILE, load_table_schema, resource_names
from .types import FALSE_VALUES, TRUE_VALUES, TYPES

__all__ = [
    "DATA_VERSION_KEY",
    "DESCRIPTION_KEY",
    "PRIMARY_KEY_KEY",
    "RESOURCE_KEY",
    "arrow_field",
    "arrow_schema",
    "arrow_type",
    "csv_text",
    "read_csv_table",
    "schema_from_table_schema",
    "write_csv",
]

DESCRIPTION_KEY = b"description"
"""Metadata key of a field's description (field metadata) and the table's (schema metadata)."""
DATA_VERSION_KEY = b"data_version"
"""Schema metadata key of the data package version."""
RESOURCE_KEY = b"resource"
"""Schema metadata key of the resource name."""
PRIMARY_KEY_KEY = b"primary_key"
"""Schema metadata key of the primary key, a JSON list of field names."""

DEFAULT_TRUE_VALUES = TRUE_VALUES
DEFAULT_FALSE_VALUES = FALSE_VALUES

_SIMPLE_TYPES: dict[str, pa.DataType] = {
    name: getattr(pa, factory)(*args)
    for name, (factory, args) in ((n, t.arrow) for n, t in TYPES.items())
}
ENUM_TYPE = pa.dictionary(pa.int32(), pa.string())
"""Arrow type of a string field with ``constraints.enum``."""


def _enum(field: Mapping[str, Any]) -> list[Any] | None:
    return (field.get("constraints") or {}).get("enum")


def _is_dictionary_field(field: Mapping[str, Any]) -> bool:
    return field.get("type", "string") == "string" and _enum(field) is not None


def arrow_type(field: Mapping[str, Any]) -> pa.DataType:
    """The Arrow type of one Table Schema field.

    Args:
        field: A Table Schema field descriptor.

    Returns:
        The Arrow data type (see the module docstring for the mapping).

    Raises:
        PalliativDataError: The field's type has no Arrow mapping here.

    Examples:
        >>> arrow_type({"name": "n", "type": "integer"})
        DataType(int64)
        >>> arrow_type({"name": "k", "type": "string", "constraints": {"enum": ["a", "b"]}})
        DictionaryType(dictionary<values=string, indices=int32, ordered=0>)
    """
    kind = field.get("type", "string")
    if _is_dictionary_field(field):
        return ENUM_TYPE
    try:
        return _SIMPLE_TYPES[kind]
    except KeyError:
        allowed = ", ".join(sorted(_SIMPLE_TYPES))
        raise PalliativDataError(
            f"Field {field.get('name')!r} has Table Schema type {kind!r}, which has no Arrow "
            f"mapping in palliativ-data. Allowed types: {allowed}. Change the field's type in "
            "schema/ or extend palliativ_data/_arrow.py."
        ) from None


def arrow_field(field: Mapping[str, Any]) -> pa.Field:
    """The Arrow field of one Table Schema field: type, nullability, description metadata.

    Examples:
        >>> f = arrow_field({"name": "code", "type": "string", "description": "A code.",
        ...                  "constraints": {"required": True}})
        >>> f.nullable, f.metadata[b"description"]
        (False, b'A code.')
    """
    required = bool((field.get("constraints") or {}).get("required", False))
    metadata = {}
    if field.get("description"):
        metadata[DESCRIPTION_KEY] = field["description"].encode("utf-8")
    return pa.field(field["name"], arrow_type(field), nullable=not required, metadata=metadata)


def schema_from_table_schema(
    table_schema: Mapping[str, Any],
    *,
    resource: str | None = None,
    version: str | None = None,
) -> pa.Schema:
    """Build the Arrow schema of a Table Schema given as a mapping.

    Use this for a Table Schema that is not in ``schema/`` (e.g. inlined in the descriptor of
    another copy of the package); :func:`arrow_schema` is the usual entry point.

    Args:
        table_schema: The Table Schema (``fields``, optional ``description``, ``primaryKey``).
        resource: The resource name, stored in the schema metadata.
        version: The data package version, stored in the schema metadata.

    Returns:
        The Arrow schema.
    """
    metadata: dict[bytes, bytes] = {}
    if table_schema.get("description"):
        metadata[DESCRIPTION_KEY] = table_schema["description"].encode("utf-8")
    if resource is not None:
        metadata[RESOURCE_KEY] = resource.encode("utf-8")
    if version is not None:
        metadata[DATA_VERSION_KEY] = str(version).encode("utf-8")
    primary_key = table_schema.get("primaryKey")
    if primary_key:
        keys = [primary_key] if isinstance(primary_key, str) else list(primary_key)
        metadata[PRIMARY_KEY_KEY] = json.dumps(keys).encode("utf-8")
    fields = [arrow_field(field) for field in table_schema["fields"]]
    return pa.schema(fields, metadata=metadata)


def _schema_version(directory: Path) -> str | None:
    package = directory / PACKAGE_FILE
    if not package.exists():
        return None
    version = read_json(package).get("version")
    return None if version is None else str(version)


def arrow_schema(name: str, directory: Path | None = None) -> pa.Schema:
    """The Arrow schema of resource ``name``, derived from ``schema/<name>.json``.

    Args:
        name: Resource name, e.g. ``"gaps"``.
        directory: Folder of the Table Schemas; default: the project's ``schema/``.

    Returns:
        The Arrow schema, with descriptions and the data version in its metadata.

    Raises:
        UnknownNameError: There is no ``schema/<name>.json``.

    Examples:
        >>> schema = arrow_schema("regions")
        >>> schema.field("region_code").type, schema.field("region_code").nullable
        (DataType(string), False)
        >>> schema.metadata[b"resource"]
        b'regions'
    """
    directory = directory or schema_dir()
    path = directory / f"{name}.json"
    if not path.exists() or name == PACKAGE_FILE.removesuffix(".json"):
        names = resource_names(directory)
        raise UnknownNameError(
            f"No Table Schema for resource {name!r} in {directory}. Resources: {', '.join(names)}.",
            kind="resource",
            query=name,
            candidates=names,
        )
    return schema_from_table_schema(
        load_table_schema(name, directory), resource=name, version=_schema_version(directory)
    )


# --------------------------------------------------------------------------- reading


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


def is_in_mask(column: Any, values: Sequence[str]) -> Any:
    """Where ``column`` (string or dictionary of strings) is one of ``values``, as booleans.

    A dictionary column is tested on its (small) dictionary and then by index, not value by
    value.
    """
    # deferred: pyarrow.compute alone takes ~0.2 s to import; a Parquet read needs none
    import pyarrow.compute as pc

    wanted = string_array(list(values))
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    masks = []
    for chunk in chunks:
        if pa.types.is_dictionary(chunk.type):
            hits = pc.indices_nonzero(
                pc.is_in(chunk.dictionary.cast(pa.string()), value_set=wanted)
            )
            masks.append(pc.is_in(chunk.indices, value_set=hits.cast(chunk.indices.type)))
        else:
            masks.append(pc.is_in(chunk, value_set=wanted))
    return pa.chunked_array(masks, type=pa.bool_())


def string_array(values: Sequence[str]) -> pa.StringArray:
    """A string array built from buffers.

    ``pa.array(list)`` asks pandas whether the list is "array-like", which imports pandas
    (about half a second) whenever it is installed; building from buffers does not.
    """
    encoded = [value.encode("utf-8") for value in values]
    offsets = [0]
    for item in encoded:
        offsets.append(offsets[-1] + len(item))
    offset_bytes = b"".join(offset.to_bytes(4, sys.byteorder, signed=True) for offset in offsets)
    data = pa.py_buffer(b"".join(encoded))
    return pa.StringArray.from_buffers(len(encoded), pa.py_buffer(offset_bytes), data)


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
            true_values.update(field.get("trueValues", DEFAULT_TRUE_VALUES))
            false_values.update(field.get("falseValues", DEFAULT_FALSE_VALUES))
    # enum fields are read as dictionaries (in order of appearance), then re-pointed at the enum
    read_types = {field.name: field.type for field in schema}
    convert = pacsv.ConvertOptions(
        column_types=read_types,
        null_values=list(table_schema.get("missingValues", [""])),
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        true_values=sorted(true_values) or list(DEFAULT_TRUE_VALUES),
        false_values=sorted(false_values) or list(DEFAULT_FALSE_VALUES),
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
            vocabulary = [str(value) for value in _enum(fields[field.name]) or []]
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


# --------------------------------------------------------------------------- writing


def cell_texts(column: pa.ChunkedArray, field: pa.Field) -> Sequence[str]:
    """A column as CSV cell texts: empty string for null, Table Schema lexical forms."""
    # deferred: pyarrow.compute alone takes ~0.2 s to import; a Parquet read needs none
    import pyarrow.compute as pc

    data_type = field.type
    if pa.types.is_dictionary(data_type):
        column = column.cast(data_type.value_type)
        data_type = data_type.value_type
    if pa.types.is_floating(data_type):
        return ["" if value is None else repr(value) for value in column.to_pylist()]
    if pa.types.is_timestamp(data_type):
        return [
            "" if value is None else value.isoformat().replace("+00:00", "Z")
            for value in column.to_pylist()
        ]
    if not (pa.types.is_string(data_type) or pa.types.is_large_string(data_type)):
        # integers, booleans ("true"/"false"), dates (ISO 8601), times
        column = pc.cast(column, pa.string())
    return ["" if value is None else value for value in column.to_pylist()]


def csv_text(table: pa.Table) -> str:
    """A table as CSV text in the curated style: comma, header row, ``\\n``, minimal quoting.

    Null is an empty cell; booleans are ``true``/``false``, dates ``YYYY-MM-DD``.

    Examples:
        >>> import pyarrow as pa
        >>> print(csv_text(pa.table({"name": ["Skåne", "a, b", None], "n": [1, 2, None]})), end="")
        name,n
        Skåne,1
        "a, b",2
        ,
    """
    columns = [cell_texts(table.column(i), table.schema.field(i)) for i in range(table.num_columns)]
    return format_csv(table.column_names, zip(*columns, strict=True))


def write_csv(table: pa.Table, path: str | Path) -> Path:
    """Write a table as a UTF-8 CSV in the curated style (see :func:`csv_text`).

    Args:
        table: The table, e.g. from :func:`read_csv_table`.
        path: Where to write; the file is replaced atomically.

    Returns:
        The path written.
    """
    return atomic_write_text(Path(path), csv_text(table))
