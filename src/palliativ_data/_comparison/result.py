"""The result models of a comparison, and the tables they are built from.

``match`` builds a :class:`Comparison` with :func:`with_data`; its outputs are rendered by
``render`` (Markdown), ``columns`` (:meth:`Comparison.to_table`) and ``jsontext`` (JSON), each
given the :class:`ComparisonData` by the method that calls it. Only this module touches the
comparison's private attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from .. import _models as m
from .._errors import DataError, UnknownNameError
from .constants import GapStatus
from .render import comparison_markdown

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

Labels = dict[str, dict[str, tuple[str, str]]]
"""(English, Swedish) wording per code: ``functions``, ``categories``, ``stances``, ``editions``
(``old``/``new`` titles); the new package's wording wins."""


@dataclass(frozen=True)
class ComparisonData:
    """What a :class:`Comparison` is built from besides its fields (made by ``match``).

    Attributes:
        pairs: One row per compared gap, in report order: ``gap_key``, ``region_code``,
            ``function``, ``status``, and ``_old`` / ``_new``, the gap's row in :attr:`old` /
            :attr:`new` (null where the edition does not list it).
        old: The old edition's compared gaps (the columns ``match`` pairs on).
        new: The new edition's compared gaps (the same columns).
        old_gaps: The gaps table the old rows come from (every column).
        old_rows: The row of :attr:`old_gaps` of each row of :attr:`old`.
        new_gaps: The gaps table the new rows come from (every column).
        new_rows: The row of :attr:`new_gaps` of each row of :attr:`new`.
        answers: The ``gap_answers`` rows about the old edition's gaps.
        labels: The wording of the codes, for the Markdown report.
    """

    pairs: pa.Table
    old: pa.Table
    new: pa.Table
    old_gaps: pa.Table
    old_rows: pa.Array
    new_gaps: pa.Table
    new_rows: pa.Array
    answers: pa.Table
    labels: Labels


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

    _data: ComparisonData = PrivateAttr()
    _gaps: tuple[GapChange, ...] | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Equal when the fields and the compared rows are equal (caches do not count)."""
        if not isinstance(other, Comparison):
            return NotImplemented
        if self.model_dump() != other.model_dump():
            return False
        mine, theirs = self._data, other._data
        return all(
            getattr(mine, name).equals(getattr(theirs, name))
            for name in ("pairs", "old", "new", "answers")
        )

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
        data = self._data
        pairs = data.pairs
        old_rows = data.old_gaps.take(data.old_rows).to_pylist()
        new_rows = data.new_gaps.take(data.new_rows).to_pylist()
        answers: dict[str, list[GapAnswerNote]] = {}
        for row in data.answers.to_pylist():
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
        # deferred: pyarrow is heavy, and the vocabulary and models here are not
        from .columns import comparison_table

        return comparison_table(self, self._data)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per compared gap, with the columns of :meth:`to_table`."""
        records: list[dict[str, Any]] = self.to_table().to_pylist()
        return records

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain JSON-ready data, in the shape documented in :mod:`palliativ_data._comparison`."""
        # deferred: the JSON writer imports pyarrow, which building the CLI parser must not
        from .jsontext import comparison_dict

        return comparison_dict(self, self._data)

    def to_json(self, indent: int | None = 2) -> str:
        """The comparison as JSON text (UTF-8 letters kept), shape documented in the module."""
        # deferred: the JSON writer imports pyarrow, which building the CLI parser must not
        from .jsontext import comparison_json

        return comparison_json(self, self._data, indent)

    def to_markdown(self) -> str:
        """A readable report: summary, functions, category changes, then every region.

        Per region: its category on each side, the counts, and each gap with its status, its
        English label with the Swedish one, and what the answers said about it.
        """
        return comparison_markdown(self, self._data.labels)


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


def with_data(comparison: Comparison, data: ComparisonData) -> Comparison:
    """``comparison``, holding the tables it was built from (how ``match`` makes one)."""
    comparison._data = data
    return comparison


def write_json(comparison: Comparison, stream: Any, indent: int | None = 2) -> None:
    """Write the JSON document and a newline to a text stream, in chunks (``compare --json``).

    The bytes go to the stream's binary buffer when it has one; the whole document is never
    held in memory.
    """
    # deferred: the JSON writer imports pyarrow, which building the CLI parser must not
    from .jsontext import write_json as write

    write(comparison, comparison._data, stream, indent)


# shown under their public names, palliativ_data.Comparison and so on
for _model in (
    PackageInfo,
    StatusCounts,
    Summary,
    RegionComparison,
    FunctionComparison,
    ClassificationChange,
    GapAnswerNote,
    GapChange,
    Comparison,
):
    _model.__module__ = "palliativ_data"
