"""Compare two editions: which gaps persist, which are no longer listed, which are new.

:func:`compare` puts one edition of one package beside one edition of another (or the same)
package and matches the gaps by ``gap_key``, the key the curators keep the same for the same
underlying gap in every edition. Each gap gets a status:

============== ====================== ============================================================
status         label in reports       meaning
============== ====================== ============================================================
``persisting`` still listed           listed in the old edition and in the new one
``dropped``    no longer listed       listed in the old edition, not in the new one
``added``      newly listed           listed in the new edition, not in the old one
============== ====================== ============================================================

"No longer listed" is what the data says; it is **not** "resolved". An edition does not say why
a gap is missing from its lists (it may have been remedied, reworded into another gap, or simply
left out), so reports never call a dropped gap resolved.

The comparison also gives, per region, the category its answers were classified in on each side
and the counts of each status; per function the same counts; and, for each gap, what the regions'
answers said about it where the data has it (``gap_answers`` rows whose ``edition`` is the old
edition, or, when the old edition is a follow-up, the inventory it follows up).

Classifications belong to follow-up editions. The *classification edition* of a side is the
edition itself when it is a follow-up, otherwise the latest follow-up that follows it up (none
if there is no such follow-up yet). A *classification change* is a region classified on both
sides, in different categories.

Regions are matched across packages by ``region_code``; a region renamed between the packages
(a different ``name_source``) is shown under its new name, with the old one in ``old_name``.

JSON shape (:meth:`Comparison.to_json`, ``format_version`` 1). Keys are never removed or renamed
within a format version; new keys may be added::

    {
      "format": "palliativ-data-comparison",
      "format_version": 1,
      "old_edition": "2026-02",            # edition ids, YYYY-MM
      "new_edition": "2026-06",
      "old_package": {"name": str, "version": str},
      "new_package": {"name": str, "version": str},
      "answers_edition": "2026-02" | null, # edition of the gap_answers attached to the gaps
      "filters": {"region_codes": [str] | null, "functions": [str] | null},
      "summary": {"old": int, "new": int, "persisting": int, "dropped": int, "added": int,
                  "regions": int, "classification_changes": int},
      "regions": [{"region_code": str, "name": str, "old_name": str | null, "name_en": str,
                   "old_category": str | null, "new_category": str | null,
                   "old_classification_edition": str | null,
                   "new_classification_edition": str | null,
                   "counts": {"old": int, "new": int, "persisting": int, "dropped": int,
                              "added": int}}],
      "functions": [{"function": str, "label_en": str, "label_sv": str, "counts": {...}}],
      "classification_changes": [{"region_code": str, "name": str, "old_edition": str,
                                  "new_edition": str, "old_category": str,
                                  "new_category": str}],
      "gaps": [{"region_code": str, "gap_key": str, "function": str,
                "status": "persisting" | "dropped" | "added",
                "old": {gap row} | null,   # every field of the gaps resource
                "new": {gap row} | null,
                "answers": [{"response_id": str, "edition": str, "stance": str,
                             "target_year": int | null, "summary_en": str | null,
                             "summary_sv": str | null}]}]
    }

``summary.old`` / ``summary.new`` count the gaps listed in the old / new edition; for every
region and in the summary, ``persisting + dropped == old`` and ``persisting + added == new``.
Gaps are ordered by region code, then as the new edition lists them, then the dropped ones as the
old edition listed them.

Example:
    >>> import palliativ_data as pdata
    >>> result = pdata.load().compare("2026-02", "2026-06")
    >>> counts = result.summary
    >>> counts.persisting + counts.dropped == counts.old
    True
    >>> sorted({gap.status for gap in result.gaps}) <= ["added", "dropped", "persisting"]
    True
    >>> result.to_dict()["format"]
    'palliativ-data-comparison'
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from . import _models as m
from ._errors import DataError, UnknownNameError

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from ._package import Package

# pyarrow is imported inside the functions that use it, so that ``import palliativ_data``
# (which exports :func:`compare`) does not pay for it.

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "STATUSES",
    "STATUS_LABELS",
    "ClassificationChange",
    "Comparison",
    "FunctionComparison",
    "GapAnswerNote",
    "GapChange",
    "GapStatus",
    "PackageInfo",
    "RegionComparison",
    "StatusCounts",
    "Summary",
    "compare",
]

FORMAT = "palliativ-data-comparison"
FORMAT_VERSION = 1

GapStatus = Literal["persisting", "dropped", "added"]
"""Status of a gap between two editions (see the module docstring)."""
STATUSES: tuple[str, ...] = ("persisting", "dropped", "added")
STATUS_LABELS: dict[str, str] = {
    "persisting": "still listed",
    "dropped": "no longer listed",
    "added": "newly listed",
}
"""How reports word each status. A dropped gap is "no longer listed", never "resolved"."""

TABLE_FIELDS: dict[str, str] = {
    "old_edition": "The old edition (YYYY-MM).",
    "new_edition": "The new edition (YYYY-MM).",
    "region_code": "SCB county code of the region (matched across packages by this code).",
    "region_name": "The region's name_source in the new package.",
    "gap_key": "The gap's key, the same in every edition in which the gap appears.",
    "function": "The function of specialised palliative care the gap is about.",
    "status": (
        "persisting (still listed), dropped (no longer listed; not 'resolved') or added "
        "(newly listed)."
    ),
    "old_label_en": "The gap's English label in the old edition; null when not listed there.",
    "old_label_sv": "The gap's Swedish label in the old edition; null when not listed there.",
    "new_label_en": "The gap's English label in the new edition; null when not listed there.",
    "new_label_sv": "The gap's Swedish label in the new edition; null when not listed there.",
    "old_category": "The region's category in the old side's classification edition, if any.",
    "new_category": "The region's category in the new side's classification edition, if any.",
    "answer_stances": (
        "Stances of the answers about the gap (gap_answers of answers_edition), in response "
        "order; empty when none."
    ),
}
"""Columns of :meth:`Comparison.to_table`, with their descriptions (also in the field metadata)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackageInfo(_Frozen):
    """Which package a side of the comparison comes from.

    Attributes:
        name: ``name`` in the package's ``datapackage.json``.
        version: ``version`` in the package's ``datapackage.json``.
    """

    name: str
    version: str


class StatusCounts(_Frozen):
    """Counts of gaps by status.

    Attributes:
        old: Gaps listed in the old edition (``persisting + dropped``).
        new: Gaps listed in the new edition (``persisting + added``).
        persisting: Listed in both.
        dropped: Listed in the old edition only ("no longer listed").
        added: Listed in the new edition only ("newly listed").
    """

    old: int
    new: int
    persisting: int
    dropped: int
    added: int


class Summary(StatusCounts):
    """The counts over every compared gap, and how many regions and category changes there are.

    Attributes:
        regions: Regions compared.
        classification_changes: Regions classified on both sides in different categories.
    """

    regions: int
    classification_changes: int


class RegionComparison(_Frozen):
    """One region in a comparison.

    Attributes:
        region_code: SCB county code.
        name: ``name_source`` in the new package (the old one if the new package lacks the region).
        old_name: ``name_source`` in the old package where it differs from ``name``, else None.
        name_en: English name in the new package.
        old_category: Category in the old side's classification edition, None if not classified.
        new_category: Category in the new side's classification edition, None if not classified.
        old_classification_edition: The follow-up edition that gives ``old_category``.
        new_classification_edition: The follow-up edition that gives ``new_category``.
        counts: The region's gaps by status.
    """

    region_code: m.RegionCode
    name: str
    old_name: str | None = None
    name_en: str
    old_category: m.CategoryCode | None = None
    new_category: m.CategoryCode | None = None
    old_classification_edition: m.EditionId | None = None
    new_classification_edition: m.EditionId | None = None
    counts: StatusCounts

    @property
    def category_changed(self) -> bool:
        """True when the region is classified on both sides, in different categories."""
        return (
            self.old_category is not None
            and self.new_category is not None
            and self.old_category != self.new_category
        )


class FunctionComparison(_Frozen):
    """One function of specialised palliative care in a comparison.

    Attributes:
        function: The function code.
        label_en: English label (new package, else old).
        label_sv: Swedish label (new package, else old).
        counts: The function's gaps by status.
    """

    function: m.FunctionCode
    label_en: str
    label_sv: str
    counts: StatusCounts


class ClassificationChange(_Frozen):
    """A region whose category differs between the two sides' classification editions."""

    region_code: m.RegionCode
    name: str
    old_edition: m.EditionId
    new_edition: m.EditionId
    old_category: m.CategoryCode
    new_category: m.CategoryCode


class GapAnswerNote(_Frozen):
    """What one response said about a gap (a ``gap_answers`` row, without curator's notes)."""

    response_id: m.ResponseId
    edition: m.EditionId
    stance: m.StanceCode
    target_year: int | None = None
    summary_en: str | None = None
    summary_sv: str | None = None


class GapChange(_Frozen):
    """One gap in a comparison: its status and its row on each side.

    Attributes:
        region_code: The region (from the new row, else the old one).
        gap_key: The gap's key.
        function: The function (from the new row, else the old one).
        status: ``persisting``, ``dropped`` (no longer listed) or ``added``.
        old: The gap as the old edition lists it; None for ``added``.
        new: The gap as the new edition lists it; None for ``dropped``.
        answers: What the answers said about the gap (see ``Comparison.answers_edition``).
    """

    region_code: m.RegionCode
    gap_key: m.GapKey
    function: m.FunctionCode
    status: GapStatus
    old: m.Gap | None = None
    new: m.Gap | None = None
    answers: tuple[GapAnswerNote, ...] = ()

    @property
    def label_en(self) -> str:
        """The English label, as the new edition words it where it lists the gap."""
        return (self.new or self.old).label_en  # type: ignore[union-attr]

    @property
    def label_sv(self) -> str:
        """The Swedish label, as the new edition words it where it lists the gap."""
        return (self.new or self.old).label_sv  # type: ignore[union-attr]


class Comparison(_Frozen):
    """The result of :func:`compare`: two editions side by side, gap by gap.

    The region, function and summary records are fields. The per-gap records (:attr:`gaps`)
    are built from the underlying Arrow tables when first asked for, so a comparison of a
    million gaps costs an Arrow join, not a million models, until you ask for them.

    Attributes:
        old_edition: The old edition id.
        new_edition: The new edition id.
        old_package: Name and version of the package of the old edition.
        new_package: Name and version of the package of the new edition.
        answers_edition: Edition of the ``gap_answers`` attached to the gaps, None if none apply.
        region_codes: The regions the comparison was limited to, None for all.
        function_codes: The functions the comparison was limited to, None for all.
        summary: Counts over all compared gaps.
        regions: Every region (all regions of both packages, or those filtered to).
        functions: Every function with a gap on either side.
        classification_changes: Regions classified on both sides in different categories.
    """

    old_edition: m.EditionId
    new_edition: m.EditionId
    old_package: PackageInfo
    new_package: PackageInfo
    answers_edition: m.EditionId | None = None
    region_codes: tuple[m.RegionCode, ...] | None = None
    function_codes: tuple[m.FunctionCode, ...] | None = None
    summary: Summary
    regions: tuple[RegionComparison, ...]
    functions: tuple[FunctionComparison, ...]
    classification_changes: tuple[ClassificationChange, ...]

    _pairs: Any = PrivateAttr()  # pyarrow.Table: gap_key, region_code, function, status, _old, _new
    _old: Any = PrivateAttr()  # pyarrow.Table: the old edition's gaps (_PAIR_COLUMNS only)
    _new: Any = PrivateAttr()  # pyarrow.Table: the new edition's gaps (_PAIR_COLUMNS only)
    _rows: Any = PrivateAttr()  # (old gaps table, row numbers, new gaps table, row numbers)
    _answers: Any = PrivateAttr()  # pyarrow.Table: gap_answers about the old edition's gaps
    _labels: dict[str, dict[str, tuple[str, str]]] = PrivateAttr(default_factory=dict)
    _gaps: tuple[GapChange, ...] | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Equal when the fields and the compared rows are equal (caches do not count)."""
        if not isinstance(other, Comparison):
            return NotImplemented
        if self.model_dump() != other.model_dump():
            return False
        mine = (self._pairs, self._old, self._new, self._answers)
        theirs = (other._pairs, other._old, other._new, other._answers)
        return all(a.equals(b) for a, b in zip(mine, theirs, strict=True))

    def __hash__(self) -> int:
        return hash(
            (self.old_edition, self.new_edition, self.old_package, self.new_package, self.summary)
        )

    # ------------------------------------------------------------------ records

    @property
    def gaps(self) -> tuple[GapChange, ...]:
        """Every compared gap with its status, both rows and the answers about it.

        Ordered by region code, then as the new edition lists the gaps, then the dropped ones
        as the old edition listed them.
        """
        if self._gaps is None:
            self._gaps = self._build_gaps()
        return self._gaps

    def region(self, region_code: str) -> RegionComparison:
        """The :class:`RegionComparison` of one region code.

        Raises:
            UnknownNameError: The region is not in this comparison; the message lists the
                regions that are.
        """
        for region in self.regions:
            if region.region_code == region_code:
                return region
        codes = [region.region_code for region in self.regions]
        raise UnknownNameError(
            f"Region {region_code!r} is not in this comparison. Regions: {', '.join(codes)}. "
            "Pass a two-digit SCB code (look one up with pkg.region(name)).",
            kind="region",
            query=region_code,
            candidates=codes,
        )

    def gaps_of(self, region_code: str) -> tuple[GapChange, ...]:
        """The compared gaps of one region, in report order."""
        return tuple(gap for gap in self.gaps if gap.region_code == region_code)

    def _build_gaps(self) -> tuple[GapChange, ...]:
        pairs = self._pairs
        old_gaps, old_numbers, new_gaps, new_numbers = self._rows
        old_rows = old_gaps.take(old_numbers).to_pylist()
        new_rows = new_gaps.take(new_numbers).to_pylist()
        answers: dict[str, list[GapAnswerNote]] = {}
        for row in self._answers.to_pylist():
            answers.setdefault(row["gap_key"], []).append(
                GapAnswerNote.model_validate({key: row[key] for key in GapAnswerNote.model_fields})
            )
        result = []
        for key, region, function, status, old_index, new_index in zip(
            *(
                pairs.column(name).to_pylist()
                for name in ("gap_key", "region_code", "function", "status", "_old", "_new")
            ),
            strict=True,
        ):
            result.append(
                GapChange(
                    region_code=region,
                    gap_key=key,
                    function=function,
                    status=status,
                    old=None
                    if old_index is None
                    else _gap_model(old_rows[old_index], self.old_edition),
                    new=None
                    if new_index is None
                    else _gap_model(new_rows[new_index], self.new_edition),
                    answers=tuple(answers.get(key, ())),
                )
            )
        return tuple(result)

    # ------------------------------------------------------------------ outputs

    def to_table(self) -> pa.Table:
        """One row per compared gap as an Arrow table (columns: see ``TABLE_FIELDS``).

        ``status`` is a dictionary column over ``persisting, dropped, added``; ``answer_stances``
        is a list of stance codes. Built with Arrow compute, without per-gap Python objects.

        Examples:
            >>> import palliativ_data as pdata
            >>> table = pdata.load().compare("2026-02", "2026-06").to_table()
            >>> table.column_names[:6]
            ['old_edition', 'new_edition', 'region_code', 'region_name', 'gap_key', 'function']
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        pairs = self._pairs
        rows = pairs.num_rows
        regions = {region.region_code: region for region in self.regions}
        codes = _string_array(list(regions))
        statuses = _string_array(STATUSES)

        def per_region(values: list[str | None]) -> pa.Array:
            index = pc.index_in(pairs.column("region_code"), value_set=codes)
            return pc.take(_strings(values), index)

        def side(table: pa.Table, column: str, index_column: str) -> pa.ChunkedArray | pa.Array:
            values = table.column(column)
            if pa.types.is_dictionary(values.type):
                values = values.cast(values.type.value_type)
            return pc.take(values, pairs.column(index_column))

        status = pc.index_in(pairs.column("status"), value_set=statuses)
        if isinstance(status, pa.ChunkedArray):
            status = status.combine_chunks()
        stances_type = pa.list_(pa.string())
        stances = _stance_lists(pairs.column("_old"), self._old.column("gap_key"), self._answers)
        columns = {
            "old_edition": pa.repeat(_string_array([self.old_edition])[0], rows),
            "new_edition": pa.repeat(_string_array([self.new_edition])[0], rows),
            "region_code": pairs.column("region_code"),
            "region_name": per_region([region.name for region in regions.values()]),
            "gap_key": pairs.column("gap_key"),
            "function": pairs.column("function"),
            "status": pa.DictionaryArray.from_arrays(status.cast(pa.int32()), statuses),
            "old_label_en": side(self._old, "label_en", "_old"),
            "old_label_sv": side(self._old, "label_sv", "_old"),
            "new_label_en": side(self._new, "label_en", "_new"),
            "new_label_sv": side(self._new, "label_sv", "_new"),
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
                    f"Comparison of edition {self.old_edition} ({self.old_package.name} "
                    f"{self.old_package.version}) with {self.new_edition} ({self.new_package.name} "
                    f"{self.new_package.version}): one row per gap."
                ).encode()
            },
        )
        return pa.Table.from_arrays(
            [
                _plain(columns[name], field.type)
                for name, field in zip(columns, fields, strict=True)
            ],
            schema=schema,
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per compared gap, with the columns of :meth:`to_table`."""
        return self.to_table().to_pylist()

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain JSON-ready data, in the shape documented in the module."""
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "old_edition": self.old_edition,
            "new_edition": self.new_edition,
            "old_package": self.old_package.model_dump(),
            "new_package": self.new_package.model_dump(),
            "answers_edition": self.answers_edition,
            "filters": {
                "region_codes": None if self.region_codes is None else list(self.region_codes),
                "functions": None if self.function_codes is None else list(self.function_codes),
            },
            "summary": self.summary.model_dump(),
            "regions": [region.model_dump(mode="json") for region in self.regions],
            "functions": [function.model_dump(mode="json") for function in self.functions],
            "classification_changes": [
                change.model_dump(mode="json") for change in self.classification_changes
            ],
            "gaps": [
                {
                    "region_code": gap.region_code,
                    "gap_key": gap.gap_key,
                    "function": gap.function,
                    "status": gap.status,
                    "old": None if gap.old is None else gap.old.model_dump(mode="json"),
                    "new": None if gap.new is None else gap.new.model_dump(mode="json"),
                    "answers": [answer.model_dump(mode="json") for answer in gap.answers],
                }
                for gap in self.gaps
            ],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The comparison as JSON text (UTF-8 letters kept), shape documented in the module."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_markdown(self) -> str:
        """A readable report: summary, functions, category changes, then every region.

        Per region: its category on each side, the counts, and each gap with its status, its
        English label with the Swedish one, and what the answers said about it.
        """
        old, new = self.old_edition, self.new_edition
        s = self.summary
        lines = [
            f"# Gaps in specialised palliative care: {old} compared with {new}",
            "",
            f"Old: edition {old} ({self._title('old')}) of {self.old_package.name} "
            f"{self.old_package.version}. New: edition {new} ({self._title('new')}) of "
            f"{self.new_package.name} {self.new_package.version}.",
        ]
        if self.region_codes is not None or self.function_codes is not None:
            limits = []
            if self.region_codes is not None:
                limits.append("regions " + ", ".join(self.region_codes))
            if self.function_codes is not None:
                limits.append("functions " + ", ".join(self.function_codes))
            lines += ["", f"Limited to {'; '.join(limits)}."]
        lines += [
            "",
            f"Gaps are matched by `gap_key`. *Still listed*: listed in both editions. *No longer "
            f"listed*: listed in {old}, not in {new}; this is not the same as resolved, because "
            f"an edition does not say why a gap is no longer listed. *Newly listed*: listed in "
            f"{new}, not in {old}.",
            "",
            "## Summary",
            "",
            "| | gaps |",
            "|---|---:|",
            f"| listed in {old} | {s.old} |",
            f"| listed in {new} | {s.new} |",
            f"| still listed | {s.persisting} |",
            f"| no longer listed | {s.dropped} |",
            f"| newly listed | {s.added} |",
            f"| regions | {s.regions} |",
            f"| regions whose category changed | {s.classification_changes} |",
            "",
            "## By function",
            "",
            f"| function | {old} | {new} | still listed | no longer listed | newly listed |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for function in self.functions:
            c = function.counts
            lines.append(
                f"| {_cell(function.label_en)} ({_cell(function.label_sv)}) | {c.old} | {c.new} | "
                f"{c.persisting} | {c.dropped} | {c.added} |"
            )
        lines += ["", "## Category changes", ""]
        if self.classification_changes:
            lines += ["| region | before | after |", "|---|---|---|"]
            for change in self.classification_changes:
                lines.append(
                    f"| {change.region_code} {_cell(change.name)} | "
                    f"{self._category(change.old_category)} ({change.old_edition}) | "
                    f"{self._category(change.new_category)} ({change.new_edition}) |"
                )
        else:
            lines.append("No region is classified in different categories on the two sides.")
        lines += ["", "## Regions"]
        by_region: dict[str, list[GapChange]] = {}
        for gap in self.gaps:
            by_region.setdefault(gap.region_code, []).append(gap)
        for region in self.regions:
            lines += ["", self._region_heading(region), ""]
            lines.append(self._region_category(region))
            c = region.counts
            lines += [
                "",
                f"Gaps: {c.old} listed in {old}, {c.new} in {new}; {c.persisting} still listed, "
                f"{c.dropped} no longer listed, {c.added} newly listed.",
            ]
            gaps = by_region.get(region.region_code, [])
            if not gaps:
                continue
            lines += ["", "| status | function | gap | answers |", "|---|---|---|---|"]
            for gap in gaps:
                lines.append(
                    f"| {STATUS_LABELS[gap.status]} | {self._function(gap.function)} | "
                    f"{self._gap_text(gap)} | {self._answer_text(gap)} |"
                )
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------------ report helpers

    def _title(self, side: str) -> str:
        return self._labels.get("editions", {}).get(side, ("", ""))[0] or "no title"

    def _category(self, code: str | None) -> str:
        if code is None:
            return "not classified"
        en, sv = self._labels.get("categories", {}).get(code, (code, ""))
        return f"{en} ({sv})" if sv else en

    def _function(self, code: str) -> str:
        en, sv = self._labels.get("functions", {}).get(code, (code, ""))
        return f"{_cell(en)} ({_cell(sv)})" if sv else _cell(en)

    def _region_heading(self, region: RegionComparison) -> str:
        heading = f"### {region.region_code} {region.name}"
        if region.name_en and region.name_en != region.name:
            heading += f" ({region.name_en})"
        if region.old_name:
            heading += f" — listed as {region.old_name} in {self.old_edition}"
        return heading

    def _region_category(self, region: RegionComparison) -> str:
        old_ed, new_ed = region.old_classification_edition, region.new_classification_edition
        if old_ed is None and new_ed is None:
            return "Category: not classified on either side (no follow-up edition)."
        if old_ed == new_ed:
            return f"Category in {new_ed}: {self._category(region.new_category)}."
        change = " (changed)" if region.category_changed else ""
        old_text = (
            f"{self._category(region.old_category)} in {old_ed}"
            if old_ed
            else "no follow-up on the old side"
        )
        new_text = (
            f"{self._category(region.new_category)} in {new_ed}"
            if new_ed
            else "no follow-up on the new side yet"
        )
        return f"Category{change}: {old_text} → {new_text}."

    def _gap_text(self, gap: GapChange) -> str:
        text = f"{_cell(gap.label_en)}<br>*{_cell(gap.label_sv)}*"
        if gap.old is not None and gap.new is not None and gap.old.label_sv != gap.new.label_sv:
            text += f"<br>{self.old_edition}: *{_cell(gap.old.label_sv)}*"
        return text + f"<br>`{gap.gap_key}`"

    def _answer_text(self, gap: GapChange) -> str:
        if not gap.answers:
            return "—"
        stances = self._labels.get("stances", {})
        parts = []
        for answer in gap.answers:
            label = stances.get(answer.stance, (answer.stance, ""))[0]
            text = f"{answer.response_id}: {label}"
            if answer.target_year is not None:
                text += f" (by {answer.target_year})"
            if answer.summary_en:
                text += f" — {answer.summary_en}"
            parts.append(_cell(text))
        return "<br>".join(parts)


# ---------------------------------------------------------------------------------- helpers


def _cell(text: str | None) -> str:
    """Text made safe for one Markdown table cell."""
    return (
        (text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    )


def _plain(values: Any, data_type: pa.DataType) -> pa.Array | pa.ChunkedArray:
    if values.type != data_type:
        values = values.cast(data_type)
    return values


def _stance_lists(
    old_index: pa.ChunkedArray, old_keys: pa.ChunkedArray, answers: pa.Table
) -> pa.Array:
    """Per compared gap, the stances of the answers about it, in answer (file) order.

    Vectorised: each answer is mapped to its old-edition row (a hash look-up), the answers are
    sorted by (row, answer), the runs of equal rows become lists, and each compared gap takes
    the list of its old row; gaps without answers get an empty list.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = pc.index_in(answers.column("gap_key"), value_set=_combined(old_keys)).cast(pa.int64())
    kept = pc.indices_nonzero(pc.is_valid(rows))  # answers about a compared gap
    rows = pc.take(rows, kept)
    order = pc.sort_indices(
        pa.table({"row": rows, "answer": kept}),
        sort_keys=[("row", "ascending"), ("answer", "ascending")],
    )
    values = _combined(pc.take(answers.column("stance"), pc.take(kept, order))).cast(pa.string())
    runs = pc.run_end_encode(_combined(pc.take(rows, order)))
    ends = runs.run_ends.cast(pa.int32())
    zero = pa.nulls(1, pa.int32()).fill_null(_int(0).cast(pa.int32()))
    last = ends[len(ends) - 1 :] if len(ends) else zero
    # one list per answered old row, then one empty list for every other compared gap
    offsets = pa.concat_arrays([zero, ends, last])
    lists = pa.ListArray.from_arrays(offsets, values)
    which = pc.index_in(old_index, value_set=runs.values).cast(pa.int64())
    return pc.take(lists, pc.coalesce(which, _int(len(ends))))


# pyarrow asks pandas (importing it, about half a second, when it is installed) whenever a
# Python value becomes an Arrow one (pa.array(list), pa.scalar, a str or int passed to a compute
# function), and pyarrow.acero (Table.join, Table.group_by) imports pandas through
# pyarrow.dataset. compare() therefore builds its constants from buffers and uses only compute
# kernels (index_in for the joins, value_counts for the counts).


def _string_array(values: Sequence[str]) -> pa.StringArray:
    from ._arrow import _string_array as build  # imports pyarrow: only when compare runs

    return build(values)


def _int(value: int) -> pa.Int64Scalar:
    import array

    import pyarrow as pa

    return pa.Int64Array.from_buffers(
        pa.int64(), 1, [None, pa.py_buffer(array.array("q", [value]))]
    )[0]


def _strings(values: Sequence[str | None]) -> pa.Array:
    """A string array with nulls, built without pa.array (see above)."""
    import array

    import pyarrow as pa
    import pyarrow.compute as pc

    present = [value for value in values if value is not None]
    if len(present) == len(values):
        return _string_array(present)
    base = pa.concat_arrays([_string_array(present), pa.nulls(1, pa.string())])
    where, seen = array.array("q"), 0
    for value in values:
        where.append(len(present) if value is None else seen)
        seen += value is not None
    return pc.take(
        base, pa.Int64Array.from_buffers(pa.int64(), len(where), [None, pa.py_buffer(where)])
    )


def _combined(values: Any) -> Any:
    return values.combine_chunks() if hasattr(values, "combine_chunks") else values


def _gap_model(row: dict[str, Any], edition: str) -> m.Gap:
    try:
        return m.Gap.model_validate(row)
    except ValidationError as error:
        raise DataError(
            f"Gap {row.get('gap_key')!r} of edition {edition} does not fit the Gap model: "
            f"{error.errors()[0]['msg']}. Run `palliativ-data validate` on that package.",
            resource="gaps",
            problems=[str(error)],
        ) from error


def _as_package(pkg: Package | str | os.PathLike[str]) -> Package:
    from ._package import Package

    if isinstance(pkg, Package):
        return pkg
    from ._load import load

    return load(pkg)


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


def _as_list(value: Any) -> list[Any] | None:
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
    pkg: Package, edition: str, regions: Sequence[str] | None, functions: Sequence[str] | None
) -> tuple[pa.Table, pa.Table, pa.Array]:
    """The gaps table, the edition's rows (only the columns compare needs), their row numbers."""
    import pyarrow.compute as pc

    gaps = pkg.table("gaps")
    mask = pc.equal(gaps.column("edition"), _string_array([edition])[0])
    if regions is not None:
        mask = pc.and_(mask, pc.is_in(gaps.column("region_code"), value_set=_string_array(regions)))
    if functions is not None:
        mask = pc.and_(mask, pc.is_in(gaps.column("function"), value_set=_string_array(functions)))
    table = gaps.select(_PAIR_COLUMNS).filter(mask)
    return gaps, table, pc.indices_nonzero(mask)


def _positions(count: int) -> pa.Array:
    """0, 1, …, count − 1 as int64."""
    import pyarrow as pa
    import pyarrow.compute as pc

    one = _int(1)
    return pc.subtract(pc.cumulative_sum(pa.repeat(one, count)), one)


def _pair(old: pa.Table, new: pa.Table, editions: tuple[str, str] = ("old", "new")) -> pa.Table:
    """Full outer join of the two editions' gaps on gap_key, with status and report order.

    The join is two hash look-ups (``index_in``): each new gap's row in the old edition (none:
    added) and each old gap's row in the new edition (none: dropped). Rows are the new edition's
    gaps in its order, then the dropped ones in the old order, sorted by region code (stable).

    Raises:
        DataError: An edition lists a gap_key more than once.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    old_keys, new_keys = _combined(old.column("gap_key")), _combined(new.column("gap_key"))
    for keys, table, edition in ((old_keys, old, editions[0]), (new_keys, new, editions[1])):
        if len(keys) and pc.count_distinct(keys).as_py() != len(keys):
            _raise_duplicates(table, edition)
    old_of_new = pc.index_in(new_keys, value_set=old_keys).cast(pa.int64())
    dropped = pc.indices_nonzero(pc.is_null(pc.index_in(old_keys, value_set=new_keys)))
    added = len(new_keys)

    def both(column: str) -> pa.ChunkedArray:
        return pa.chunked_array(
            [_combined(new.column(column)), _combined(pc.take(old.column(column), dropped))]
        )

    status = pa.chunked_array(
        [
            pc.if_else(pc.is_valid(old_of_new), _int(0), _int(2)),  # persisting / added
            pa.repeat(_int(1), len(dropped)),  # dropped
        ]
    )
    region_code = both("region_code")
    rows = added + len(dropped)
    # report order: region code, then this order (new edition's, then the dropped); one int64
    # key sorts faster than (string, int)
    regions = pc.unique(region_code).sort()
    key = pc.add(
        pc.multiply(pc.index_in(region_code, value_set=regions).cast(pa.int64()), _int(rows + 1)),
        _positions(rows),
    )
    pairs = pa.table(
        {
            "gap_key": both("gap_key"),
            "region_code": region_code,
            "function": both("function"),
            "status": pc.take(_string_array(STATUSES), status),
            "_old": pa.chunked_array([old_of_new, dropped.cast(pa.int64())]),
            "_new": pa.chunked_array([_positions(added), pa.nulls(len(dropped), pa.int64())]),
        }
    )
    return pairs.take(pc.sort_indices(key))


def _raise_duplicates(table: pa.Table, edition: str) -> None:
    import pyarrow.compute as pc

    counts = pc.value_counts(table.column("gap_key"))
    repeated = pc.filter(
        counts.field("values"), pc.greater(counts.field("counts"), _int(1))
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
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pc.unique(pairs.column(by))
    status = pc.index_in(pairs.column("status"), value_set=_string_array(STATUSES)).cast(pa.int64())
    key = pc.add(
        pc.multiply(pc.index_in(pairs.column(by), value_set=values).cast(pa.int64()), _int(3)),
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
    if edition.kind == "follow_up":
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
    import pyarrow as pa
    import pyarrow.compute as pc

    candidates = [edition.edition] + ([edition.follows_up] if edition.follows_up else [])
    table = pkg.table("gap_answers")
    columns = ["gap_key", *GapAnswerNote.model_fields]
    for candidate in candidates:
        selected = table.filter(pc.equal(table.column("edition"), _string_array([candidate])[0]))
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


def compare(
    old_pkg: Package | str | os.PathLike[str],
    new_pkg: Package | str | os.PathLike[str],
    old_edition: str,
    new_edition: str,
    *,
    region: str | Iterable[str] | None = None,
    function: str | Iterable[str] | None = None,
) -> Comparison:
    """Compare edition ``old_edition`` of ``old_pkg`` with ``new_edition`` of ``new_pkg``.

    Args:
        old_pkg: The package holding the old edition: a :class:`Package` or a path to load.
        new_pkg: The package holding the new edition (may be the same package).
        old_edition: The old edition id, e.g. ``"2026-02"``.
        new_edition: The new edition id, e.g. ``"2026-06"``.
        region: Limit to one or more regions (anything ``Package.region`` accepts, looked up
            in the new package, then the old one).
        function: Limit to one or more function codes.

    Returns:
        The :class:`Comparison`.

    Raises:
        UnknownNameError: An edition, region or function that does not exist; the message
            lists those that do.
        DataError: An edition lists a gap_key twice, or a table does not fit its schema.

    Examples:
        >>> import palliativ_data as pdata
        >>> pkg = pdata.load()
        >>> result = pdata.compare(pkg, pkg, "2026-02", "2026-06", region="Jämtland")
        >>> [region.region_code for region in result.regions]
        ['23']
        >>> pdata.compare(pkg, pkg, "2025-02", "2026-06")
        Traceback (most recent call last):
        ...
        palliativ_data._errors.UnknownNameError: No edition '2025-02' in this package. ...
    """
    old_pkg, new_pkg = _as_package(old_pkg), _as_package(new_pkg)
    cross = old_pkg is not new_pkg
    old_ed = _check_edition(old_pkg, old_edition, "old", cross)
    new_ed = _check_edition(new_pkg, new_edition, "new", cross)
    region_codes = _resolve(old_pkg, new_pkg, _as_list(region), "region", "region_code")
    function_codes = _resolve(old_pkg, new_pkg, _as_list(function), "function", "function")

    old_gaps, old, old_rows = _edition_gaps(old_pkg, old_edition, region_codes, function_codes)
    new_gaps, new, new_rows = _edition_gaps(new_pkg, new_edition, region_codes, function_codes)
    pairs = _pair(old, new, (old_edition, new_edition))
    filtered = region_codes is not None or function_codes is not None
    answers_edition, answers = _answers(
        old_pkg, old_ed, old.column("gap_key") if filtered else None
    )

    old_regions = {region.region_code: region for region in old_pkg.regions}
    new_regions = {region.region_code: region for region in new_pkg.regions}
    import pyarrow.compute as pc

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
