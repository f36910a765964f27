"""Matching two editions gap by gap with Arrow compute, into a :class:`Comparison`.

The engine, :func:`compare_editions`, is given what it compares, never a package: one
:class:`Side` per edition (the edition, its package's gaps and the records compare needs from
that package) and the ``gap_answers`` rows about the old edition's gaps.
:meth:`Package.compare` builds them, asking the functions here which edition a name means
(:func:`edition_named`), which follow-up classifies an edition
(:func:`classification_edition`) and whose answers to read (:func:`answer_editions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from .. import _models as m
from .._arrow import combined, int_scalar, is_in_mask, string_array
from .._errors import DataError, UnknownNameError
from .._vocabulary import FOLLOW_UP
from .constants import STATUSES
from .result import (
    ClassificationChange,
    Comparison,
    ComparisonData,
    FunctionComparison,
    GapAnswerNote,
    Labels,
    PackageInfo,
    RegionComparison,
    StatusCounts,
    Summary,
    with_data,
)


@dataclass(frozen=True)
class Side:
    """One side of a comparison: an edition, and what compare needs from the package holding it.

    Attributes:
        package: Name and version of the package.
        edition: The edition compared.
        gaps: The package's gaps: at least the edition's rows (other rows are left out here).
        regions: The package's regions.
        functions: The package's functions (their labels and order).
        categories: The package's categories (their labels).
        stances: The package's stances (their labels).
        classification_edition: The follow-up edition whose classifications describe the
            edition (:func:`classification_edition`), None if there is none.
        classifications: That follow-up edition's classifications.
    """

    package: PackageInfo
    edition: m.Edition
    gaps: pa.Table
    regions: tuple[m.Region, ...]
    functions: tuple[m.Function, ...]
    categories: tuple[m.Category, ...]
    stances: tuple[m.Stance, ...]
    classification_edition: str | None
    classifications: tuple[m.Classification, ...]


def edition_named(editions: Sequence[m.Edition], edition: str, where: str) -> m.Edition:
    """The edition of id ``edition`` among ``editions``, those of the package ``where`` names.

    Raises:
        UnknownNameError: There is no such edition; the message lists those there are.
    """
    by_id = {item.edition: item for item in editions}
    if edition in by_id:
        return by_id[edition]
    names = sorted(by_id)
    raise UnknownNameError(
        f"No edition {edition!r} in {where}. Editions there: {', '.join(names) or 'none'}. "
        "Pick one of those (`palliativ-data editions` lists them).",
        kind="edition",
        query=edition,
        candidates=names,
    )


def classification_edition(editions: Sequence[m.Edition], edition: m.Edition) -> str | None:
    """The follow-up edition whose classifications describe ``edition`` (see the package docs).

    ``editions`` are those of the package holding ``edition``.
    """
    if edition.kind == FOLLOW_UP:
        return edition.edition
    follow_ups = [item.edition for item in editions if item.follows_up == edition.edition]
    return max(follow_ups) if follow_ups else None


def answer_editions(edition: m.Edition) -> list[str]:
    """The editions of the ``gap_answers`` that may be about the gaps of ``edition``.

    The edition's own, then, for a follow-up, those of the inventory it follows up; the first
    of them with rows is used.
    """
    return [edition.edition] + ([edition.follows_up] if edition.follows_up else [])


_PAIR_COLUMNS = ["gap_key", "region_code", "function", "label_en", "label_sv"]


def _edition_gaps(
    gaps: pa.Table, edition: str, regions: Sequence[str] | None, functions: Sequence[str] | None
) -> tuple[pa.Table, pa.Table, pa.Array]:
    """The gaps table, the edition's rows (only the columns compare needs), their row numbers.

    ``gaps`` holds at least the edition's rows (see :class:`Side`).
    """
    mask = is_in_mask(gaps.column("edition"), [edition])
    if regions is not None:
        mask = pc.and_(mask, pc.is_in(gaps.column("region_code"), value_set=string_array(regions)))
    if functions is not None:
        mask = pc.and_(mask, pc.is_in(gaps.column("function"), value_set=string_array(functions)))
    mask = combined(mask)
    rows = pc.indices_nonzero(mask)
    return gaps, _kept(gaps.select(_PAIR_COLUMNS), mask, rows), rows


def _kept(table: pa.Table, mask: pa.Array, rows: pa.Array | None = None) -> pa.Table:
    """``table.filter(mask)``; a slice, which copies nothing, when the kept rows are one run
    (an edition of a release's Parquet copy, or of any file sorted by edition), where a
    filter copies every label."""
    if rows is None:
        rows = pc.indices_nonzero(combined(mask))
    count = len(rows)
    if count and rows[count - 1].as_py() - rows[0].as_py() == count - 1:
        return table.slice(rows[0].as_py(), count)
    return table.filter(mask)


def _positions(count: int) -> pa.Array:
    """0, 1, …, count − 1 as int64."""
    one = int_scalar(1)
    return pc.subtract(pc.cumulative_sum(pa.repeat(one, count)), one)


def _pair(old: pa.Table, new: pa.Table, editions: tuple[str, str] = ("old", "new")) -> pa.Table:
    """Full outer join of the two editions' gaps on gap_key, with status and report order.

    The keys are hashed once: ``dictionary_encode`` of the old keys followed by the new ones
    numbers each distinct key in order of first appearance, so the old edition's keys are
    unique exactly when they are numbered 0, 1, …, and a new key numbered below the old count
    is the old row of that number (persisting; otherwise added). Old rows whose number no new
    key has are dropped. Rows are the new edition's gaps in its order, then the dropped ones in
    the old order, sorted by region code (stable).

    Raises:
        DataError: An edition lists a gap_key more than once.
    """
    old_count, added = old.num_rows, new.num_rows
    keys = pa.chunked_array(
        [combined(old.column("gap_key")), combined(new.column("gap_key"))]
    ).combine_chunks()
    numbers = combined(pc.dictionary_encode(keys).indices).cast(pa.int64())
    old_numbers, new_numbers = numbers.slice(0, old_count), numbers.slice(old_count)
    if old_count and pc.max(old_numbers).as_py() != old_count - 1:
        _raise_duplicates(old, editions[0])
    if added and pc.count_distinct(new_numbers).as_py() != added:
        _raise_duplicates(new, editions[1])
    in_old = pc.less(new_numbers, int_scalar(old_count))
    old_of_new = pc.if_else(in_old, new_numbers, pa.nulls(1, pa.int64())[0])
    dropped = pc.indices_nonzero(pc.invert(pc.is_in(old_numbers, value_set=new_numbers)))

    def both(column: str) -> pa.ChunkedArray:
        return pa.chunked_array(
            [combined(new.column(column)), combined(pc.take(old.column(column), dropped))]
        )

    status = pa.chunked_array(
        [
            pc.if_else(pc.is_valid(old_of_new), int_scalar(0), int_scalar(2)),  # persisting / added
            pa.repeat(int_scalar(1), len(dropped)),  # dropped
        ]
    )
    region_code = both("region_code")
    rows = added + len(dropped)
    # report order: region code, then this order (new edition's, then the dropped); one int64
    # key sorts faster than (string, int)
    regions = pc.unique(region_code).sort()
    key = pc.add(
        pc.multiply(
            pc.index_in(region_code, value_set=regions).cast(pa.int64()), int_scalar(rows + 1)
        ),
        _positions(rows),
    )
    pairs = pa.table(
        {
            "gap_key": both("gap_key"),
            "region_code": region_code,
            "function": both("function"),
            "status": pc.take(string_array(STATUSES), status),
            "_old": pa.chunked_array([old_of_new, dropped.cast(pa.int64())]),
            "_new": pa.chunked_array([_positions(added), pa.nulls(len(dropped), pa.int64())]),
        }
    )
    return pairs.take(pc.sort_indices(key))


def _raise_duplicates(table: pa.Table, edition: str) -> None:
    counts = pc.value_counts(table.column("gap_key"))
    repeated = pc.filter(
        counts.field("values"), pc.greater(counts.field("counts"), int_scalar(1))
    ).to_pylist()
    raise DataError(
        f"Edition {edition} lists gap_key(s) {', '.join(sorted(repeated)[:10])} more than once; "
        "(edition, gap_key) is the primary key of gaps. Run `palliativ-data validate` on that "
        "package and fix the duplicates.",
        resource="gaps",
        problems=repeated,
    )


def _counts(pairs: pa.Table, by: str) -> dict[str, StatusCounts]:
    """Counts by status per value of column ``by`` (value_counts of one int key per row)."""
    values = pc.unique(pairs.column(by))
    status = pc.index_in(pairs.column("status"), value_set=string_array(STATUSES)).cast(pa.int64())
    key = pc.add(
        pc.multiply(
            pc.index_in(pairs.column(by), value_set=values).cast(pa.int64()), int_scalar(3)
        ),
        status,
    )
    names = values.to_pylist()
    raw: dict[str, dict[str, int]] = {name: dict.fromkeys(STATUSES, 0) for name in names}
    for item in pc.value_counts(key).to_pylist():
        raw[names[item["values"] // 3]][STATUSES[item["values"] % 3]] = item["counts"]
    return {name: _status_counts(counts) for name, counts in raw.items()}


def _status_counts(values: dict[str, int]) -> StatusCounts:
    persisting, dropped, added = (values.get(status, 0) for status in STATUSES)
    return StatusCounts(
        old=persisting + dropped,
        new=persisting + added,
        persisting=persisting,
        dropped=dropped,
        added=added,
    )


_ZERO = StatusCounts(old=0, new=0, persisting=0, dropped=0, added=0)


def _answers(
    table: pa.Table, edition: m.Edition, gap_keys: pa.Array | pa.ChunkedArray | None
) -> tuple[str | None, pa.Table]:
    """gap_answers about the old edition's gaps (or, for a follow-up, its inventory's).

    ``table`` holds at least the rows of :func:`answer_editions`.
    """
    candidates = answer_editions(edition)
    columns = ["gap_key", *GapAnswerNote.model_fields]
    for candidate in candidates:
        selected = _kept(table, combined(is_in_mask(table.column("edition"), [candidate])))
        if selected.num_rows:
            if gap_keys is not None:  # compare was limited to some regions or functions
                selected = selected.filter(pc.is_in(selected.column("gap_key"), value_set=gap_keys))
            selected = selected.select(columns)  # file order: responses in source order
            stance = selected.column("stance")
            if pa.types.is_dictionary(stance.type):
                selected = selected.set_column(
                    columns.index("stance"), "stance", stance.cast(stance.type.value_type)
                )
            return candidate, selected
    empty = pa.table({name: pa.nulls(0, pa.string()) for name in columns})
    return None, empty


def compare_editions(
    old_side: Side,
    new_side: Side,
    answer_rows: pa.Table,
    *,
    region_codes: tuple[str, ...] | None = None,
    function_codes: tuple[str, ...] | None = None,
) -> Comparison:
    """Compare the edition of ``old_side`` with that of ``new_side``.

    The engine behind :meth:`Package.compare` (and so :func:`palliativ_data.compare`), which
    documents the comparison; here everything is read and looked up already.

    Args:
        old_side: The old edition and what compare needs from its package.
        new_side: The new edition and what compare needs from its package.
        answer_rows: The old package's ``gap_answers``: at least the rows of
            :func:`answer_editions` of the old edition.
        region_codes: The region codes to limit the comparison to; None for all.
        function_codes: The function codes to limit the comparison to; None for all.

    Raises:
        DataError: An edition lists a gap_key more than once.
    """
    old_ed, new_ed = old_side.edition, new_side.edition
    old_edition, new_edition = old_ed.edition, new_ed.edition
    old_gaps, old, old_rows = _edition_gaps(
        old_side.gaps, old_edition, region_codes, function_codes
    )
    new_gaps, new, new_rows = _edition_gaps(
        new_side.gaps, new_edition, region_codes, function_codes
    )
    pairs = _pair(old, new, (old_edition, new_edition))
    filtered = region_codes is not None or function_codes is not None
    answers_edition, answers = _answers(
        answer_rows, old_ed, old.column("gap_key") if filtered else None
    )

    old_regions = {region.region_code: region for region in old_side.regions}
    new_regions = {region.region_code: region for region in new_side.regions}
    listed = pc.unique(pairs.column("region_code")).to_pylist()
    codes = sorted(set(old_regions) | set(new_regions) | set(listed))
    if region_codes is not None:
        codes = [code for code in codes if code in region_codes]
    old_class_ed = old_side.classification_edition
    new_class_ed = new_side.classification_edition
    old_categories = {row.region_code: row.category for row in old_side.classifications}
    new_categories = {row.region_code: row.category for row in new_side.classifications}
    region_counts = _counts(pairs, "region_code")

    regions = []
    changes = []
    for code in codes:
        current = new_regions.get(code) or old_regions.get(code)
        before = old_regions.get(code)
        name = current.name_source if current else code
        old_name = before.name_source if before and before.name_source != name else None
        region_result = RegionComparison(
            region_code=code,
            name=name,
            old_name=old_name,
            name_en=current.name_en if current else code,
            old_category=old_categories.get(code),
            new_category=new_categories.get(code),
            old_classification_edition=old_class_ed if code in old_categories else None,
            new_classification_edition=new_class_ed if code in new_categories else None,
            counts=region_counts.get(code, _ZERO),
        )
        regions.append(region_result)
        if region_result.category_changed:
            changes.append(
                ClassificationChange(
                    region_code=code,
                    name=name,
                    old_edition=old_class_ed,
                    new_edition=new_class_ed,
                    old_category=region_result.old_category,
                    new_category=region_result.new_category,
                )
            )

    function_counts = _counts(pairs, "function")
    function_labels: dict[str, tuple[str, str]] = {}
    order: dict[str, int] = {}
    for side in (old_side, new_side):  # the new package's labels win
        for item in side.functions:
            function_labels[item.function] = (item.label_en, item.label_sv)
            order.setdefault(item.function, item.position)
    functions = tuple(
        FunctionComparison(
            function=code,
            label_en=function_labels.get(code, (code, code))[0],
            label_sv=function_labels.get(code, (code, code))[1],
            counts=function_counts[code],
        )
        for code in sorted(function_counts, key=lambda code: (order.get(code, 10**6), code))
    )
    total = _status_counts(
        {status: sum(getattr(c.counts, status) for c in regions) for status in STATUSES}
    )
    result = Comparison(
        old_edition=old_edition,
        new_edition=new_edition,
        old_package=old_side.package,
        new_package=new_side.package,
        answers_edition=answers_edition,
        region_codes=region_codes,
        function_codes=function_codes,
        summary=Summary(
            **total.model_dump(), regions=len(regions), classification_changes=len(changes)
        ),
        regions=tuple(regions),
        functions=functions,
        classification_changes=tuple(changes),
    )
    labels: Labels = {
        "functions": function_labels,
        "categories": {
            item.category: (item.label_en, item.heading_sv)
            for side in (old_side, new_side)
            for item in side.categories
        },
        "stances": {
            item.stance: (item.label_en, item.label_sv)
            for side in (old_side, new_side)
            for item in side.stances
        },
        "editions": {
            "old": (old_ed.title_en, old_ed.title_sv),
            "new": (new_ed.title_en, new_ed.title_sv),
        },
    }
    data = ComparisonData(
        pairs=pairs,
        old=old,
        new=new,
        old_gaps=old_gaps,
        old_rows=old_rows,
        new_gaps=new_gaps,
        new_rows=new_rows,
        answers=answers,
        labels=labels,
    )
    return with_data(result, data)
