"""What a round's workbooks offer and show, taken from a package and the project's ``schema/``.

The writer and the reader use the same :class:`Choices`, so a dropdown's choice and the code it
is read back as cannot drift apart: the statuses are the codes of ``stances`` (but
``not_addressed``) with their Swedish labels and decision rules, the functions those of
``functions``, the kinds of response and of statement the ``categories`` of their fields in
``schema/``, the target years the bounds of ``gap_statements.target_year``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._schema.tableschema import load_table_schema

if TYPE_CHECKING:  # pragma: no cover
    from .. import _models as m
    from .._package import Package


@dataclass(frozen=True)
class Choice:
    """One choice of a dropdown: the code stored, the Swedish label shown, its meaning."""

    code: str
    label: str
    help: str = ""


def _field(resource: str, name: str) -> dict[str, Any]:
    field: dict[str, Any] = next(
        f for f in load_table_schema(resource)["fields"] if f["name"] == name
    )
    return field


def _categories(resource: str, name: str, codes: tuple[str, ...]) -> tuple[Choice, ...]:
    labels = {item["value"]: item["label"] for item in _field(resource, name)["categories"]}
    return tuple(Choice(code, labels[code]) for code in codes)


@dataclass(frozen=True)
class Choices:
    """The choices a workbook offers, from a package and ``schema/``.

    Attributes:
        statuses: The region's status of a gap (``gap_statements.region_status``).
        functions: The functions of specialised palliative care (for a missing gap).
        response_kinds: Who the answer comes from (``responses.kind``).
        statement_kinds: What a row of the sheet of other gaps is (missing or wrong).
        years: The target years allowed (``gap_statements.target_year``), lowest and highest.
    """

    statuses: tuple[Choice, ...]
    functions: tuple[Choice, ...]
    response_kinds: tuple[Choice, ...]
    statement_kinds: tuple[Choice, ...]
    years: tuple[int, int]

    @classmethod
    def of(cls, pkg: Package) -> Choices:
        allowed = _field("gap_statements", "region_status")["constraints"]["enum"]
        stances = sorted(pkg.stances, key=lambda s: s.position)
        year = _field("gap_statements", "target_year")["constraints"]
        return cls(
            statuses=tuple(
                Choice(s.stance, s.label_sv, s.definition_sv)
                for s in stances
                if s.stance in allowed
            ),
            functions=tuple(
                Choice(f.function, f.label_sv, f.definition_sv)
                for f in sorted(pkg.functions, key=lambda f: f.position)
            ),
            response_kinds=_categories(
                "responses", "kind", tuple(_field("responses", "kind")["constraints"]["enum"])
            ),
            statement_kinds=_categories("gap_statements", "kind", ("missing", "wrong")),
            years=(int(year["minimum"]), int(year["maximum"])),
        )


def label_of(choices: tuple[Choice, ...], code: str) -> str:
    """The Swedish label of ``code`` among ``choices``."""
    return next(choice.label for choice in choices if choice.code == code)


@dataclass(frozen=True)
class RegionList:
    """One region's part of a round: who it is and the gaps it is asked about."""

    region: m.Region
    gaps: tuple[m.Gap, ...]


def region_lists(pkg: Package, from_edition: str) -> tuple[RegionList, ...]:
    """Every region with its gaps of ``from_edition``, in region-code order, gaps in file order."""
    gaps = pkg.gaps(edition=from_edition)
    return tuple(
        RegionList(region, tuple(g for g in gaps if g.region_code == region.region_code))
        for region in sorted(pkg.regions, key=lambda r: r.region_code)
    )


def default_deadline(edition: str) -> dt.date:
    """The default deadline of a round: the last day of the month before the edition's month.

    Examples:
        >>> default_deadline("2027-02"), default_deadline("2027-01")
        (datetime.date(2027, 1, 31), datetime.date(2026, 12, 31))
    """
    year, month = (int(part) for part in edition.split("-"))
    return dt.date(year, month, 1) - dt.timedelta(days=1)


def workbook_name(region: m.Region) -> str:
    """The file name of a region's workbook: its official name (``Region Skåne.xlsx``)."""
    return f"{region.name_official_sv}.xlsx"
