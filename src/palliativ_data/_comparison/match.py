"""Matching two editions gap by gap with Arrow compute, into a :class:`Comparison`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from .. import _models as m
from .._errors import DataError, UnknownNameError
from .._schema.arrow import is_in_mask, string_array
from .._vocabulary import FOLLOW_UP
from .arrow import combined, int_scalar
from .constants import STATUSES
from .result import (
    ClassificationChange,
    Comparison,
    FunctionComparison,
    GapAnswerNote,
    PackageInfo,
    RegionComparison,
    StatusCounts,
    Summary,
)

if TYPE_CHECKING:  # pragma: no cover - a Package is passed in, never imported here
    from .._package import Package, Query


def _package_info(pkg: Package) -> PackageInfo:
    return PackageInfo(name=str(pkg.descriptor.get("name", "")), version=pkg.version)


def _check_edition(pkg: Package, edition: str, side: str, cross: bool) -> m.Edition:
    editions = {item.edition: item for item in pkg.editions}
    if edition in editions:
        return editions[edition]
    where = f"the {side} package ({pkg.path})" if cross else "this package"
    names = sorted(editions)
    raise UnknownNameError(
        f"No edition {edition!r} in {where}. Editions there: {', '.join(names) or 'none'}. "
        "Pick one of those (`palliativ-data editions` lists them).",
        kind="edition",
        query=edition,
        candidates=names,
    )


def _one_or_many(value: Any) -> list[Any] | None:
    """Query arguments as a list: one query (a name, a code, a model) or several; None: all."""
    if value is None:
        return None
    if isinstance(value, (str, int, BaseModel)):
        return [value]
    return list(value)


def _resolve(
    old_pkg: Package, new_pkg: Package, queries: list[str] | None, lookup: str, field: str
) -> tuple[str, ...] | None:
    if queries is None:
        return None
    codes: list[str] = []
    for query in queries:
        try:
            code = getattr(getattr(new_pkg, lookup)(query), field)
        except UnknownNameError:
            if old_pkg is new_pkg:
                raise
            try:
                code = getattr(getattr(old_pkg, lookup)(query), field)
            except UnknownNameError:
                raise
        if code not in codes:
            codes.append(code)
    return tuple(sorted(codes))


_PAIR_COLUMNS = ["gap_key", "region_code", "function", "label_en", "label_sv"]


def _edition_gaps(
    gaps: pa.Table, edition: str, regions: Sequence[str] | None, functions: Sequence[str] | None
) -> tuple[pa.Table, pa.Table, pa.Array]:
    """The gaps table, the edition's rows (only the columns compare needs), their row numbers.

    ``gaps`` holds at least the edition's rows (see ``_compared_gaps``).
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


def _classification_edition(pkg: Package, edition: m.Edition) -> str | None:
    """The follow-up edition whose classifications describe ``edition`` (see module docs)."""
    if edition.kind == FOLLOW_UP:
        return edition.edition
    follow_ups = [item.edition for item in pkg.editions if item.follows_up == edition.edition]
    return max(follow_ups) if follow_ups else None


def _categories(pkg: Package, edition: str | None) -> dict[str, str]:
    if edition is None:
        return {}
    return {row.region_code: row.category for row in pkg.classifications(edition=edition)}


def _answers(
    pkg: Package, edition: m.Edition, gap_keys: pa.Array | pa.ChunkedArray | None
) -> tuple[str | None, pa.Table]:
    """gap_answers about the old edition's gaps (or, for a follow-up, its inventory's)."""
    candidates = [edition.edition] + ([edition.follows_up] if edition.follows_up else [])
    # only the candidates' rows (from a release's Parquet copy, only their row groups)
    table = pkg._rows_where("gap_answers", "edition", candidates)
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


def compare_packages(
    old_pkg: Package,
    new_pkg: Package,
    old_edition: str,
    new_edition: str,
    *,
    region: Query | Iterable[Query] | None = None,
    function: str | Iterable[str] | None = None,
) -> Comparison:
    """Compare edition ``old_edition`` of ``old_pkg`` with ``new_edition`` of ``new_pkg``.

    The engine behind :func:`palliativ_data.compare` and :meth:`Package.compare`, which
    document the arguments; here both packages are loaded already.
    """
    cross = old_pkg is not new_pkg
    old_ed = _check_edition(old_pkg, old_edition, "old", cross)
    new_ed = _check_edition(new_pkg, new_edition, "new", cross)
    region_codes = _resolve(old_pkg, new_pkg, _one_or_many(region), "region", "region_code")
    function_codes = _resolve(old_pkg, new_pkg, _one_or_many(function), "function", "function")

    if old_pkg is new_pkg:  # one read for both editions
        old_source = new_source = old_pkg._rows_where("gaps", "edition", [old_edition, new_edition])
    else:
        old_source = old_pkg._rows_where("gaps", "edition", [old_edition])
        new_source = new_pkg._rows_where("gaps", "edition", [new_edition])
    old_gaps, old, old_rows = _edition_gaps(old_source, old_edition, region_codes, function_codes)
    new_gaps, new, new_rows = _edition_gaps(new_source, new_edition, region_codes, function_codes)
    pairs = _pair(old, new, (old_edition, new_edition))
    filtered = region_codes is not None or function_codes is not None
    answers_edition, answers = _answers(
        old_pkg, old_ed, old.column("gap_key") if filtered else None
    )

    old_regions = {region.region_code: region for region in old_pkg.regions}
    new_regions = {region.region_code: region for region in new_pkg.regions}
    listed = pc.unique(pairs.column("region_code")).to_pylist()
    codes = sorted(set(old_regions) | set(new_regions) | set(listed))
    if region_codes is not None:
        codes = [code for code in codes if code in region_codes]
    old_class_ed = _classification_edition(old_pkg, old_ed)
    new_class_ed = _classification_edition(new_pkg, new_ed)
    old_categories = _categories(old_pkg, old_class_ed)
    new_categories = _categories(new_pkg, new_class_ed)
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
    labels: dict[str, tuple[str, str]] = {}
    order: dict[str, int] = {}
    for pkg in (old_pkg, new_pkg):  # the new package's labels win
        for item in pkg.functions:
            labels[item.function] = (item.label_en, item.label_sv)
            order.setdefault(item.function, item.position)
    functions = tuple(
        FunctionComparison(
            function=code,
            label_en=labels.get(code, (code, code))[0],
            label_sv=labels.get(code, (code, code))[1],
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
        old_package=_package_info(old_pkg),
        new_package=_package_info(new_pkg),
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
    result._pairs = pairs
    result._old = old
    result._new = new
    result._rows = (old_gaps, old_rows, new_gaps, new_rows)
    result._answers = answers
    result._labels = {
        "functions": labels,
        "categories": {
            item.category: (item.label_en, item.heading_sv)
            for pkg in (old_pkg, new_pkg)
            for item in pkg.categories
        },
        "stances": {
            item.stance: (item.label_en, item.label_sv)
            for pkg in (old_pkg, new_pkg)
            for item in pkg.stances
        },
        "editions": {
            "old": (old_ed.title_en, old_ed.title_sv),
            "new": (new_ed.title_en, new_ed.title_sv),
        },
    }
    return result
