"""Small Arrow helpers that keep pandas (and, where they can, ``pyarrow.compute``) out.

pyarrow asks pandas (importing it, about half a second, when it is installed) whenever a
Python value becomes an Arrow one (``pa.array(list)``, ``pa.scalar``, a str or int passed to a
compute function), and ``pyarrow.acero`` (``Table.join``, ``Table.group_by``) imports pandas
through ``pyarrow.dataset``. The readers, ``compare`` and ``validate`` therefore build their
constants here, from buffers, and use only compute kernels. Importing ``pyarrow.compute``
alone takes about 0.2 s, which reading a release's Parquet copy never needs: the helpers that
use it import it when called.
"""

from __future__ import annotations

import array
import sys
from collections.abc import Sequence
from typing import Any

import pyarrow as pa


def string_array(values: Sequence[str]) -> pa.StringArray:
    """A string array built from buffers (``pa.array(list)`` would import pandas).

    Examples:
        >>> string_array(["Skåne", ""]).to_pylist()
        ['Skåne', '']
    """
    encoded = [value.encode("utf-8") for value in values]
    offsets = [0]
    for item in encoded:
        offsets.append(offsets[-1] + len(item))
    offset_bytes = b"".join(offset.to_bytes(4, sys.byteorder, signed=True) for offset in offsets)
    data = pa.py_buffer(b"".join(encoded))
    return pa.StringArray.from_buffers(len(encoded), pa.py_buffer(offset_bytes), data)


def strings(values: Sequence[str | None]) -> pa.Array:
    """A string array with nulls, built from buffers (see :func:`string_array`).

    Examples:
        >>> strings(["a", None, "b"]).to_pylist()
        ['a', None, 'b']
    """
    present = [value for value in values if value is not None]
    if len(present) == len(values):
        return string_array(present)
    # deferred: pyarrow.compute alone takes ~0.2 s to import; a Parquet read needs none
    import pyarrow.compute as pc

    base = pa.concat_arrays([string_array(present), pa.nulls(1, pa.string())])
    where, seen = array.array("q"), 0
    for value in values:
        where.append(len(present) if value is None else seen)
        seen += value is not None
    return pc.take(
        base, pa.Int64Array.from_buffers(pa.int64(), len(where), [None, pa.py_buffer(where)])
    )


def int_scalar(value: int) -> pa.Int64Scalar:
    """An int64 scalar built from a buffer (``pa.scalar`` would import pandas)."""
    return pa.Int64Array.from_buffers(
        pa.int64(), 1, [None, pa.py_buffer(array.array("q", [value]))]
    )[0]


def combined(values: Any) -> Any:
    """A chunked array as one array (an array as it is)."""
    return values.combine_chunks() if hasattr(values, "combine_chunks") else values


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


def cell_texts(column: pa.ChunkedArray, field: pa.Field) -> Sequence[str]:
    """A column as CSV cell texts: empty string for null, Table Schema lexical forms.

    Booleans are ``true``/``false``, dates ``YYYY-MM-DD``, numbers as Python writes them, a
    UTC timestamp ends in ``Z``: the curated CSV's spelling, so a file in that style is given
    back cell for cell.

    Examples:
        >>> import pyarrow as pa
        >>> table = pa.table({"flag": [True, None]})
        >>> cell_texts(table.column("flag"), table.schema.field("flag"))
        ['true', '']
    """
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
