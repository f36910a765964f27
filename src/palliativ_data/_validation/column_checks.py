"""Arrow helpers of the fast path, shared with the rules' column-wise forms (``Rule.fast``).

Only the fast path imports this module (``pyarrow.compute`` takes about 0.2 s to import).
Columns are text as the CSV holds it, ``""`` for an empty cell. Nothing here converts a
Python value with ``pa.scalar()`` or runs Acero: both import pandas when it is installed.
"""

from __future__ import annotations

import array
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import string_array
from .resources import Resource


class NotClean(Exception):
    """The fast path cannot vouch for the package; the message says why."""


def int_scalar(value: int) -> Any:
    """An Arrow int64 scalar (without ``pa.scalar()``)."""
    return pc.cast(string_array([str(value)]), pa.int64())[0]


def int_array(values: Sequence[int]) -> Any:
    """An Arrow int64 array built from a buffer (``pa.array(list)`` would import pandas)."""
    data = array.array("q", values)
    return pa.Int64Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data)])


def row_numbers(mask: Any) -> list[int]:
    """The row numbers (header = row 1, first data row = 2) where ``mask`` is true."""
    indices = pc.indices_nonzero(combined(pc.fill_null(mask, FALSE)))
    return [index + 2 for index in indices.to_pylist()]


def blank_cells(table: pa.Table, rows: Mapping[str, Sequence[int]]) -> pa.Table:
    """``table`` with the cells of the given rows (numbers, header = 1) of each column empty:
    how the rules see cells frictionless rejected (``RuleContext.rows``)."""
    for name, numbers in rows.items():
        if not numbers or name not in table.column_names:
            continue
        position = table.column_names.index(name)
        column = combined(table.column(position))
        where = pc.is_in(
            int_array(range(len(column))), value_set=int_array([n - 2 for n in numbers])
        )
        table = table.set_column(position, name, pc.if_else(where, EMPTY, column))
    return table


EMPTY = string_array([""])[0]
"""The empty text, as an Arrow scalar."""
TRUE = pc.equal(EMPTY, EMPTY)
FALSE = pc.invert(TRUE)
ZERO = int_scalar(0)
"""Constants as Arrow scalars: a Python value given to a compute function imports pandas."""


def combined(column: Any) -> Any:
    """One array (a value set given as a chunked array is converted with pa.array: pandas)."""
    if not isinstance(column, pa.ChunkedArray):
        return column
    if not column.num_chunks:  # combine_chunks() builds an empty array with pa.array: pandas
        return pa.nulls(0, column.type)
    return column.combine_chunks()


def valid(column: Any) -> Any:
    """The column with empty cells as nulls (how frictionless and the rules see them)."""
    # nulls as an array, not a scalar: pyarrow 16's if_else with a null string scalar breaks
    # the offsets of a sliced column (the CSV's columns are sliced past the header row)
    return pc.if_else(pc.equal(column, EMPTY), pa.nulls(len(column), pa.string()), column)


def all_of(masks: Iterable[Any]) -> Any:
    """Row-wise AND of boolean masks (at least one)."""
    return functools.reduce(pc.and_, masks)


def any_of(masks: Iterable[Any]) -> Any:
    """Row-wise OR of boolean masks (at least one)."""
    return functools.reduce(pc.or_, masks)


def tuple_codes(columns: list[Any], sets: list[Any]) -> Any:
    """Each row's values as one integer: their positions in ``sets`` combined (null when a
    value is in no set)."""
    codes: Any = None
    size = 1
    for column, values in zip(columns, sets, strict=True):
        width = max(len(values), 1)
        size *= width
        if size >= 1 << 62:
            raise NotClean("a composite key with too many distinct values")
        indices = pc.index_in(column, value_set=values).cast(pa.int64())
        codes = indices if codes is None else pc.add(pc.multiply(codes, int_scalar(width)), indices)
    return codes


def unmatched(source: pa.Table, wanted: pa.Table) -> int:
    """How many rows of ``source`` without an empty cell have no equal row in ``wanted``
    (the same number of columns, compared in order: a foreign key)."""
    source = source.filter(pc.invert(any_of(pc.equal(column, EMPTY) for column in source.columns)))
    if not source.num_rows:
        return 0
    if source.num_columns == 1:
        found = pc.is_in(source.column(0), value_set=combined(wanted.column(0)))
    else:  # each row's values as one integer (no Acero join: it imports pandas)
        sets = [pc.unique(combined(column)) for column in wanted.columns]
        found = pc.is_in(
            tuple_codes(source.columns, sets), value_set=tuple_codes(wanted.columns, sets)
        )
    return len(source) - int(pc.sum(found).as_py() or 0)


CONTROL_RE2 = r"[\x{0}-\x{9}\x{b}-\x{1f}\x{7f}-\x{9f}]"
"""The control characters of ``rules.check_text_cells`` as an RE2 class (the same code points)."""

_CONTROL_BYTES = bytes(i for i in range(0x20) if i != 0x0A) + b"\x7f"


def has_control_bytes(res: Resource) -> bool:
    """Whether the file may hold a control character (a byte < 0x20 but \\n, DEL, or
    U+0080…U+009F); a file without any needs no search cell by cell."""
    if res.file is None:
        return True
    with res.file.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            if len(chunk.translate(None, _CONTROL_BYTES)) != len(chunk):
                return True
            at = chunk.find(b"\xc2")
            while at >= 0:
                if at + 1 >= len(chunk) or 0x80 <= chunk[at + 1] <= 0x9F:
                    return True
                at = chunk.find(b"\xc2", at + 1)
    return False


def _first_and_last(column: Any) -> tuple[Any, Any]:
    return pc.utf8_slice_codeunits(column, 0, 1), pc.utf8_slice_codeunits(column, -1, 2**31 - 1)


def _spaces(texts: Any) -> Any:
    """The distinct one-character texts that are whitespace to Python (``str.isspace``)."""
    return string_array([c for c in pc.unique(combined(texts)).to_pylist() if c and c.isspace()])


def space_first(column: Any) -> Any:
    """Where a cell starts with whitespace (a candidate for ``not value.strip()``)."""
    first, _ = _first_and_last(column)
    return pc.is_in(first, value_set=_spaces(first))


def space_at_end(column: Any) -> Any:
    """Where a cell starts or ends with whitespace or a line break (``value != value.strip()``)."""
    first, last = _first_and_last(column)
    spaces = _spaces(pa.chunked_array([*_chunks(first), *_chunks(last)], pa.string()))
    return pc.or_(pc.is_in(first, value_set=spaces), pc.is_in(last, value_set=spaces))


def _chunks(values: Any) -> list[Any]:
    return list(values.chunks) if isinstance(values, pa.ChunkedArray) else [values]


def repeats(column: Any) -> bool:
    """Whether a non-empty value occurs twice in the column."""
    present = pc.filter(column, pc.not_equal(column, EMPTY))
    return int(pc.count_distinct(present).as_py()) != len(present)
