"""The JSON text of a :class:`Comparison`, assembled from Arrow columns (no per-gap objects).

The text is exactly what ``json.dumps(comparison_dict(c), ensure_ascii=False, indent=…)`` gives
through the per-gap models (``tests/test_compare.py`` checks it byte for byte): each value
becomes its JSON text with Arrow string kernels (strings escaped as ``json.dumps`` escapes
them, integers and booleans cast, nulls ``null``; anything else, e.g. a date, through
``json.dumps`` itself) and each object is one ``binary_join_element_wise`` of its keys and
values. The gaps are formatted in batches by two threads (Arrow kernels release the GIL) and
handed out in order as UTF-8 chunks, so memory holds a few batches of text, never the whole
document.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import combined, int_scalar, string_array, strings
from .columns import stance_lists
from .render import comparison_head

if TYPE_CHECKING:  # pragma: no cover
    from .result import Comparison, ComparisonData

BATCH_ROWS = 1 << 15
"""Gaps formatted per batch."""
_PLACEHOLDER = "\x00gaps\x00"
# what json.dumps(ensure_ascii=False) escapes with a short escape, in an order that never
# escapes an escape; other control characters get \u00XX (handled by json.dumps itself)
_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"),
            ("\b", "\\b"), ("\f", "\\f"))  # fmt: skip
# every byte but the control characters json.dumps escapes as \u00XX
_NOT_OTHER_CONTROL = bytes(range(0x20, 0x100)) + b"\b\t\n\f\r"


def _scalar(text: str) -> pa.StringScalar:
    return string_array([text])[0]


def _data_bytes(values: pa.Array) -> bytes:
    """The value bytes of a string array (searching them is much faster than a regex kernel)."""
    buffers = values.buffers()
    return b"" if len(buffers) < 3 or buffers[2] is None else buffers[2].to_pybytes()


class _Encoder:
    """Turns the columns of one table into JSON text, deciding once per column how.

    Which escapes a string column needs is found once, over the whole column, so that the
    batches only apply them (most columns need none).
    """

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self.plans: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
        for name in table.column_names:
            values = combined(table.column(name))
            kind = values.type.value_type if pa.types.is_dictionary(values.type) else values.type
            if pa.types.is_string(kind) or pa.types.is_large_string(kind):
                if pa.types.is_dictionary(values.type):
                    values = values.dictionary
                data = _data_bytes(values)
                if data.translate(None, _NOT_OTHER_CONTROL):  # C speed, unlike a regex
                    self.plans[name] = ("python", ())
                else:
                    needed = tuple(pair for pair in _ESCAPES if pair[0].encode() in data)
                    self.plans[name] = ("string", needed)
            elif pa.types.is_integer(kind) or pa.types.is_boolean(kind):
                self.plans[name] = ("cast", ())
            else:
                self.plans[name] = ("python", ())

    def text(self, name: str, values: Any) -> pa.Array:
        """JSON text of ``values`` (rows of column ``name``); null stays null."""
        how, escapes = self.plans[name]
        values = combined(values)
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        if how == "cast":
            return values.cast(pa.string())
        if how == "python":  # rare: dates, numbers, unusual control characters
            return strings(
                [
                    None if v is None else json.dumps(_json_ready(v), ensure_ascii=False)
                    for v in values.to_pylist()
                ]
            )
        for old, new in escapes:
            values = pc.replace_substring(values, old, new)
        quote = _scalar('"')
        return pc.binary_join_element_wise(quote, values, quote, _scalar(""))

    def objects(self, rows: pa.Table, layout: _Layout, level: int) -> pa.Array:
        """One JSON object per row of ``rows`` (a ``take`` of this table; null index: null)."""
        null = _scalar("null")
        members = [
            (name, pc.fill_null(self.text(name, rows.column(name)), null))
            for name in rows.column_names
        ]
        return layout.objects(members, level)


def _json_ready(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


class _Layout:
    """The separators ``json.dumps(indent=indent)`` writes at each nesting level."""

    def __init__(self, indent: int | None) -> None:
        self.indent = indent

    def newline(self, level: int) -> str:
        return "" if self.indent is None else "\n" + " " * (self.indent * level)

    def separator(self, level: int) -> str:
        return ", " if self.indent is None else "," + self.newline(level)

    def objects(self, members: list[tuple[str, Any]], level: int, lead: str = "") -> pa.Array:
        """One JSON object per row; ``members`` are (key, JSON text per row) in key order."""
        parts: list[Any] = []
        for number, (key, values) in enumerate(members):
            opening = "{" + self.newline(level + 1) if number == 0 else self.separator(level + 1)
            parts += [_scalar((lead if number == 0 else "") + opening + json.dumps(key) + ": "),
                      values]  # fmt: skip
        parts.append(_scalar(self.newline(level) + "}"))
        return pc.binary_join_element_wise(*parts, _scalar(""))

    def arrays(self, lists: pa.ListArray, level: int) -> pa.Array:
        """Each list of JSON texts as a JSON array (``[]`` when empty)."""
        joined = pc.binary_join(lists, _scalar(self.separator(level + 1)))
        framed = pc.binary_join_element_wise(
            _scalar("[" + self.newline(level + 1)), joined, _scalar(self.newline(level) + "]"),
            _scalar(""),
        )  # fmt: skip
        return pc.if_else(pc.greater(pc.list_value_length(lists), int_scalar(0)), framed,
                          _scalar("[]"))  # fmt: skip


def _numbers(count: int) -> pa.Array:
    return pc.subtract(pc.cumulative_sum(pa.repeat(int_scalar(1), count)), int_scalar(1))


def _answer_rows(data: ComparisonData) -> pa.ListArray:
    """Per compared gap, the row numbers of the answers about its gap_key, in answer order.

    Matched by gap_key whatever the gap's status, as ``Comparison.gaps`` attaches them.
    """
    answers = data.answers
    numbered = answers.set_column(
        answers.column_names.index("stance"), "stance", _numbers(answers.num_rows)
    )
    keys = data.pairs.column("gap_key")
    return combined(stance_lists(_numbers(len(keys)), keys, numbered, pa.int64()))


def _utf8(text: pa.StringArray, skip: int = 0) -> memoryview:
    """The UTF-8 bytes of every value of ``text``, back to back (one buffer, no copy)."""
    _, offsets, data = text.buffers()
    positions = memoryview(offsets).cast("i")
    first, last = positions[text.offset], positions[text.offset + len(text)]
    return memoryview(data)[first + skip : last]


def iter_json(
    c: Comparison, data: ComparisonData, indent: int | None = 2
) -> Iterator[bytes | memoryview]:
    """The comparison's JSON text as UTF-8 chunks, in order (join them for the document)."""
    layout = _Layout(indent)
    head = comparison_head(c)
    head["gaps"] = _PLACEHOLDER
    before, after = json.dumps(head, ensure_ascii=False, indent=indent).split(
        json.dumps(_PLACEHOLDER)
    )
    yield before.encode()
    pairs = data.pairs
    if not pairs.num_rows:
        yield ("[]" + after).encode()
        return
    sides = (
        (_Encoder(data.old_gaps), combined(data.old_rows), "_old"),
        (_Encoder(data.new_gaps), combined(data.new_rows), "_new"),
    )
    answers = data.answers
    notes = _Encoder(answers.select([n for n in answers.column_names if n != "gap_key"]))
    answer_rows = _answer_rows(data)
    separator = layout.separator(2)
    null = _scalar("null")

    def batch_text(start: int) -> pa.StringArray:
        batch = pairs.slice(start, BATCH_ROWS).combine_chunks()
        texts = []
        for encoder, numbers, column in sides:
            index = pc.take(numbers, batch.column(column))
            objects = encoder.objects(encoder.table.take(index), layout, 3)
            texts.append(pc.if_else(pc.is_null(index), null, objects))
        lists = answer_rows.slice(start, BATCH_ROWS)
        flat = notes.table.take(lists.flatten())
        offsets = pc.subtract(lists.offsets, lists.offsets[0])
        note_lists = pa.ListArray.from_arrays(offsets, combined(notes.objects(flat, layout, 4)))
        members = [(name, pc.fill_null(gap_text(name, batch.column(name)), null))
                   for name in ("region_code", "gap_key", "function", "status")]  # fmt: skip
        members += [("old", texts[0]), ("new", texts[1]), ("answers", layout.arrays(note_lists, 3))]
        return combined(layout.objects(members, 2, lead=separator))

    key_encoder = _Encoder(pairs.select(["region_code", "gap_key", "function", "status"]))
    gap_text = key_encoder.text
    yield ("[" + layout.newline(2)).encode()
    starts = range(0, pairs.num_rows, BATCH_ROWS)
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: deque[Any] = deque()
        for start in starts:
            pending.append((start, pool.submit(batch_text, start)))
            if len(pending) > 2:
                first, future = pending.popleft()
                yield _utf8(future.result(), len(separator) if first == 0 else 0)
        while pending:
            first, future = pending.popleft()
            yield _utf8(future.result(), len(separator) if first == 0 else 0)
    yield (layout.newline(1) + "]" + after).encode()


def comparison_json(c: Comparison, data: ComparisonData, indent: int | None = 2) -> str:
    """The comparison as JSON text (UTF-8 letters kept), shape documented in the module."""
    return b"".join(iter_json(c, data, indent)).decode()


def comparison_dict(c: Comparison, data: ComparisonData) -> dict[str, Any]:
    """The comparison as plain JSON-ready data, in the shape documented in the module.

    Parsed from the JSON text, so no per-gap model is made.
    """
    document: dict[str, Any] = json.loads(comparison_json(c, data, None))
    return document


def write_json(c: Comparison, data: ComparisonData, stream: Any, indent: int | None = 2) -> None:
    """Write the JSON document and a newline to a text stream (its bytes directly if it can)."""
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        stream.flush()
        for chunk in iter_json(c, data, indent):
            binary.write(chunk)
        binary.write(b"\n")
        binary.flush()
    else:
        for chunk in iter_json(c, data, indent):
            stream.write(bytes(chunk).decode())
        stream.write("\n")
