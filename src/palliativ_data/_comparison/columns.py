"""The Arrow columns of a comparison: the answers' stances per gap, and :meth:`Comparison.to_table`.

Built with compute kernels only (``index_in`` for the joins), from the matched pairs and
constants made by ``_arrow`` (no pandas; see there why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import combined, int_scalar, string_array, strings
from .constants import STATUSES, TABLE_FIELDS

if TYPE_CHECKING:  # pragma: no cover - Comparison.to_table calls comparison_table
    from .result import Comparison, ComparisonData


def plain(values: Any, data_type: pa.DataType) -> pa.Array | pa.ChunkedArray:
    if values.type != data_type:
        values = values.cast(data_type)
    return values


def stance_lists(
    old_index: pa.ChunkedArray,
    old_keys: pa.ChunkedArray,
    answers: pa.Table,
    value_type: pa.DataType | None = None,
) -> pa.Array:
    """Per compared gap, the stances of the answers about it, in answer (file) order.

    ``value_type`` is the list values' type (default string; the JSON writer passes answer
    row numbers in the ``stance`` column).

    Vectorised: each answer is mapped to its old-edition row (a hash look-up), the answers are
    sorted by (row, answer), the runs of equal rows become lists, and each compared gap takes
    the list of its old row; gaps without answers get an empty list.
    """

    rows = pc.index_in(answers.column("gap_key"), value_set=combined(old_keys)).cast(pa.int64())
    # indices_nonzero crashes on a chunked array (pyarrow 15 and 16)
    if isinstance(rows, pa.ChunkedArray):
        rows = rows.combine_chunks()
    kept = pc.indices_nonzero(pc.is_valid(rows))  # answers about a compared gap
    rows = pc.take(rows, kept)
    order = pc.sort_indices(
        pa.table({"row": rows, "answer": kept}),
        sort_keys=[("row", "ascending"), ("answer", "ascending")],
    )
    values = combined(pc.take(answers.column("stance"), pc.take(kept, order)))
    values = values.cast(value_type or pa.string())
    runs = pc.run_end_encode(combined(pc.take(rows, order)))
    ends = runs.run_ends.cast(pa.int32())
    zero = pa.nulls(1, pa.int32()).fill_null(int_scalar(0).cast(pa.int32()))
    last = ends[len(ends) - 1 :] if len(ends) else zero
    # one list per answered old row, then one empty list for every other compared gap
    offsets = pa.concat_arrays([zero, ends, last])
    lists = pa.ListArray.from_arrays(offsets, values)
    which = pc.index_in(old_index, value_set=runs.values).cast(pa.int64())
    return pc.take(lists, pc.coalesce(which, int_scalar(len(ends))))


def comparison_table(c: Comparison, data: ComparisonData) -> pa.Table:
    """:meth:`Comparison.to_table`, built with compute kernels from the matched pairs."""
    pairs = data.pairs
    rows = pairs.num_rows
    regions = {region.region_code: region for region in c.regions}
    codes = string_array(list(regions))
    statuses = string_array(STATUSES)

    region_index = pc.index_in(pairs.column("region_code"), value_set=codes)  # one hash pass

    def per_region(values: list[str | None]) -> pa.Array:
        return pc.take(strings(values), region_index)

    def side(table: pa.Table, column: str, index_column: str) -> pa.ChunkedArray | pa.Array:
        values = table.column(column)
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        return pc.take(values, pairs.column(index_column))

    status = pc.index_in(pairs.column("status"), value_set=statuses)
    if isinstance(status, pa.ChunkedArray):
        status = status.combine_chunks()
    stances_type = pa.list_(pa.string())
    stances = stance_lists(pairs.column("_old"), data.old.column("gap_key"), data.answers)
    columns = {
        "old_edition": pa.repeat(string_array([c.old_edition])[0], rows),
        "new_edition": pa.repeat(string_array([c.new_edition])[0], rows),
        "region_code": pairs.column("region_code"),
        "region_name": per_region([region.name for region in regions.values()]),
        "gap_key": pairs.column("gap_key"),
        "function": pairs.column("function"),
        "status": pa.DictionaryArray.from_arrays(status.cast(pa.int32()), statuses),
        "old_label_en": side(data.old, "label_en", "_old"),
        "old_label_sv": side(data.old, "label_sv", "_old"),
        "new_label_en": side(data.new, "label_en", "_new"),
        "new_label_sv": side(data.new, "label_sv", "_new"),
        "old_category": per_region([region.old_category for region in regions.values()]),
        "new_category": per_region([region.new_category for region in regions.values()]),
        "answer_stances": stances,
    }
    fields = [
        pa.field(
            name,
            pa.dictionary(pa.int32(), pa.string())
            if name == "status"
            else (stances_type if name == "answer_stances" else pa.string()),
            nullable=name
            not in (
                "old_edition",
                "new_edition",
                "region_code",
                "gap_key",
                "function",
                "status",
                "answer_stances",
            ),
            metadata={b"description": description.encode()},
        )
        for name, description in TABLE_FIELDS.items()
    ]
    schema = pa.schema(
        fields,
        metadata={
            b"description": (
                f"Comparison of edition {c.old_edition} ({c.old_package.name} "
                f"{c.old_package.version}) with {c.new_edition} ({c.new_package.name} "
                f"{c.new_package.version}): one row per gap."
            ).encode()
        },
    )
    return pa.Table.from_arrays(
        [plain(columns[name], field.type) for name, field in zip(columns, fields, strict=True)],
        schema=schema,
    )
