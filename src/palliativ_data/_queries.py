"""Questions asked of a package: overviews of its editions and regions, one region's report.

The command line (``editions``, ``regions``, ``show``) and the documentation site both ask
them here, so each is answered once. The results are typed (frozen dataclasses holding the
package's own records); ``to_dict()`` gives the JSON-ready shape ``--json`` prints.

Example:
    >>> import palliativ_data as pdata
    >>> report = region_report(pdata.load(), "Jämtland")
    >>> report.region.region_code, [edition.edition.edition for edition in report.editions]
    ('23', ['2026-02', '2026-06'])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._vocabulary import FOLLOW_UP

if TYPE_CHECKING:  # pragma: no cover
    from . import _models as m
    from ._comparison.constants import GapStatus
    from ._package import Package, Query


# ------------------------------------------------------------------ shared look-ups


def _editions(pkg: Package) -> list[m.Edition]:
    """The editions, oldest first (edition ids are ``YYYY-MM``: text order is time order)."""
    return sorted(pkg.editions, key=lambda edition: edition.edition)


def latest_follow_up(pkg: Package) -> m.Edition | None:
    """The latest follow-up edition (the one whose classification is current), None if none.

    Examples:
        >>> import palliativ_data as pdata
        >>> latest_follow_up(pdata.load()).edition
        '2026-06'
    """
    follow_ups = [edition for edition in _editions(pkg) if edition.kind == FOLLOW_UP]
    return follow_ups[-1] if follow_ups else None


def classifications_by_region(pkg: Package, edition: str) -> dict[str, m.Classification]:
    """Region code → the region's classification in follow-up ``edition`` (a region the
    edition does not classify is not a key).

    Examples:
        >>> import palliativ_data as pdata
        >>> classifications_by_region(pdata.load(), "2026-06")["23"].category
        'concrete_plans'
    """
    return {row.region_code: row for row in pkg.classifications(edition=edition)}


# ------------------------------------------------------------------ editions


@dataclass(frozen=True)
class EditionOverview:
    """One edition and how many records point to it.

    Attributes:
        edition: The ``editions`` row.
        gaps: Gaps the edition lists.
        regions_with_gaps: Regions with at least one of those gaps.
        responses: Responses to the edition.
        classifications: Regions the edition classifies.
    """

    edition: m.Edition
    gaps: int
    regions_with_gaps: int
    responses: int
    classifications: int

    def to_dict(self) -> dict[str, Any]:
        """The ``editions`` row with the counts after it (what ``editions --json`` prints)."""
        return {
            **self.edition.model_dump(mode="json"),
            "gaps": self.gaps,
            "regions_with_gaps": self.regions_with_gaps,
            "responses": self.responses,
            "classifications": self.classifications,
        }


def editions_overview(pkg: Package) -> list[EditionOverview]:
    """Every edition, oldest first, with its counts of gaps, responses and classifications.

    Examples:
        >>> import palliativ_data as pdata
        >>> rows = editions_overview(pdata.load())
        >>> [row.edition.edition for row in rows][:2]
        ['2026-02', '2026-06']
    """
    gaps = pkg.gaps()
    rows = []
    for edition in _editions(pkg):
        listed = [gap for gap in gaps if gap.edition == edition.edition]
        rows.append(
            EditionOverview(
                edition=edition,
                gaps=len(listed),
                regions_with_gaps=len({gap.region_code for gap in listed}),
                responses=len(pkg.responses(edition=edition.edition)),
                classifications=len(pkg.classifications(edition=edition.edition)),
            )
        )
    return rows


# ------------------------------------------------------------------ regions


@dataclass(frozen=True)
class RegionOverview:
    """One region: its names, healthcare regions, gaps per edition and latest category.

    Attributes:
        region: The ``regions`` row.
        healthcare_regions: The codes of the healthcare regions it belongs to (whole or part).
        gaps: Edition id → gaps listed for the region, every edition (oldest first).
        category: Its category in the latest follow-up, None if not classified there.
        category_edition: That follow-up, None when ``category`` is None.
    """

    region: m.Region
    healthcare_regions: tuple[str, ...]
    gaps: Mapping[str, int]
    category: str | None
    category_edition: str | None

    def to_dict(self) -> dict[str, Any]:
        """What ``regions --json`` prints for the region."""
        region = self.region
        return {
            "region_code": region.region_code,
            "iso_3166_2": region.iso_3166_2,
            "name": region.name_source,
            "name_official_sv": region.name_official_sv,
            "name_en": region.name_en,
            "healthcare_regions": list(self.healthcare_regions),
            "gaps": dict(self.gaps),
            "category": self.category,
            "category_edition": self.category_edition,
        }


def regions_overview(pkg: Package) -> list[RegionOverview]:
    """Every region, in the package's order, with its gaps per edition and latest category.

    Examples:
        >>> import palliativ_data as pdata
        >>> rows = regions_overview(pdata.load())
        >>> len(rows), rows[0].region.region_code, rows[0].category_edition
        (21, '01', '2026-06')
    """
    editions = [edition.edition for edition in _editions(pkg)]
    latest = latest_follow_up(pkg)
    classified = classifications_by_region(pkg, latest.edition) if latest else {}
    affiliations: dict[str, list[str]] = {}
    for row in pkg.region_healthcare_regions:
        affiliations.setdefault(row.region_code, []).append(row.healthcare_region)
    counts: dict[tuple[str, str], int] = {}
    for gap in pkg.gaps():
        counts[(gap.region_code, gap.edition)] = counts.get((gap.region_code, gap.edition), 0) + 1
    rows = []
    for region in pkg.regions:
        code = region.region_code
        classification = classified.get(code)
        rows.append(
            RegionOverview(
                region=region,
                healthcare_regions=tuple(affiliations.get(code, [])),
                gaps={edition: counts.get((code, edition), 0) for edition in editions},
                category=classification.category if classification else None,
                category_edition=latest.edition if latest and classification else None,
            )
        )
    return rows


# ------------------------------------------------------------------ one region


@dataclass(frozen=True)
class Affiliation:
    """A region's membership of a healthcare region.

    Attributes:
        row: The ``region_healthcare_regions`` row (coverage, municipalities…).
        healthcare_region: The ``healthcare_regions`` row it names, None if the package
            lacks it.
    """

    row: m.RegionHealthcareRegion
    healthcare_region: m.HealthcareRegion | None

    def to_dict(self) -> dict[str, Any]:
        """The affiliation row with the healthcare region's ``name_en`` and ``name_sv``."""
        target = self.healthcare_region
        return {
            **self.row.model_dump(mode="json"),
            "name_en": target.name_en if target else None,
            "name_sv": target.name_sv if target else None,
        }


@dataclass(frozen=True)
class RegionGap:
    """A gap an edition lists for the region.

    Attributes:
        gap: The ``gaps`` row.
        status: Against the edition before: ``persisting`` or ``added``; None in the first
            edition (nothing to compare with).
        answers: The ``gap_answers`` rows about the gap in this edition.
    """

    gap: m.Gap
    status: GapStatus | None
    answers: tuple[m.GapAnswer, ...]

    def to_dict(self) -> dict[str, Any]:
        """The gap row with ``status`` and ``answers`` after it."""
        return {
            **self.gap.model_dump(mode="json"),
            "status": self.status,
            "answers": [answer.model_dump(mode="json") for answer in self.answers],
        }


@dataclass(frozen=True)
class RegionEdition:
    """One edition as it concerns the region.

    Attributes:
        edition: The ``editions`` row.
        compared_with: The edition before (the gaps' status is against it); None for the first.
        category: The region's category in this edition, None where it classifies nothing.
        gaps: The gaps the edition lists for the region.
        no_longer_listed: The previous edition's rows of the gaps this one no longer lists.
    """

    edition: m.Edition
    compared_with: str | None
    category: str | None
    gaps: tuple[RegionGap, ...]
    no_longer_listed: tuple[m.Gap, ...]

    def to_dict(self) -> dict[str, Any]:
        """The edition's id, kind and title, its category, its gaps and those dropped."""
        return {
            "edition": self.edition.edition,
            "kind": self.edition.kind,
            "title_en": self.edition.title_en,
            "compared_with": self.compared_with,
            "category": self.category,
            "gaps": [gap.to_dict() for gap in self.gaps],
            "no_longer_listed": [
                {
                    "gap_key": gap.gap_key,
                    "function": gap.function,
                    "label_en": gap.label_en,
                    "label_sv": gap.label_sv,
                }
                for gap in self.no_longer_listed
            ],
        }


@dataclass(frozen=True)
class RegionReport:
    """Everything about one region across the editions (what ``show REGION`` prints).

    Attributes:
        region: The ``regions`` row.
        healthcare_regions: Its healthcare regions.
        editions: Every edition, oldest first.
        responses: Its responses.
        classifications: How follow-up editions classified it.
    """

    region: m.Region
    healthcare_regions: tuple[Affiliation, ...]
    editions: tuple[RegionEdition, ...]
    responses: tuple[m.Response, ...]
    classifications: tuple[m.Classification, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: ``region``, ``healthcare_regions``, ``editions``, ``responses``
        and ``classifications`` (what ``show --json`` prints)."""
        return {
            "region": self.region.model_dump(mode="json"),
            "healthcare_regions": [item.to_dict() for item in self.healthcare_regions],
            "editions": [edition.to_dict() for edition in self.editions],
            "responses": [response.model_dump(mode="json") for response in self.responses],
            "classifications": [row.model_dump(mode="json") for row in self.classifications],
        }


def region_report(pkg: Package, query: Query) -> RegionReport:
    """Everything about one region across the editions.

    Each edition after the first is compared with the edition before it, region by region:
    its gaps get a status, and the previous edition's gaps it no longer lists are kept.

    Args:
        pkg: The package.
        query: Anything ``Package.region`` accepts (code, ISO code, name, alias).

    Raises:
        UnknownNameError, AmbiguousNameError: The query names no region, or several.
    """
    region = pkg.region(query)
    code = region.region_code
    names = {row.healthcare_region: row for row in pkg.healthcare_regions}
    affiliations = tuple(
        Affiliation(row, names.get(row.healthcare_region))
        for row in pkg.region_healthcare_regions
        if row.region_code == code
    )
    answers: dict[tuple[str, str], list[m.GapAnswer]] = {}
    for answer in pkg.gap_answers(region=code):
        answers.setdefault((answer.edition, answer.gap_key), []).append(answer)
    categories = {row.edition: row.category for row in pkg.classifications(region=code)}
    editions = []
    previous: str | None = None
    for edition in _editions(pkg):
        statuses: dict[str, GapStatus] = {}
        dropped: tuple[m.Gap, ...] = ()
        if previous is not None:
            result = pkg.compare(previous, edition.edition, region=code)
            statuses = {gap.gap_key: gap.status for gap in result.gaps}
            dropped = tuple(
                gap.old for gap in result.gaps if gap.status == "dropped" and gap.old is not None
            )
        gaps = tuple(
            RegionGap(
                gap=gap,
                status=statuses.get(gap.gap_key) if previous is not None else None,
                answers=tuple(answers.get((edition.edition, gap.gap_key), [])),
            )
            for gap in pkg.gaps(edition=edition.edition, region=code)
        )
        editions.append(
            RegionEdition(
                edition=edition,
                compared_with=previous,
                category=categories.get(edition.edition),
                gaps=gaps,
                no_longer_listed=dropped,
            )
        )
        previous = edition.edition
    return RegionReport(
        region=region,
        healthcare_regions=affiliations,
        editions=tuple(editions),
        responses=pkg.responses(region=code),
        classifications=pkg.classifications(region=code),
    )
