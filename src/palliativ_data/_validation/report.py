"""The result of :func:`palliativ_data.validate`: a report of :class:`Problem` s."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from .._guards import SHOWN_PER_CODE, cap_per_code
from .._io import DESCRIPTOR_FILE
from .._printable import json_text, printable


@dataclass(frozen=True)
class Problem:
    """One problem found by :func:`validate`.

    Attributes:
        code: Stable, machine-readable code such as ``foreign-key``; the documentation's
            "Problem codes" page lists every code, what it means and what to do.
        resource: Name of the resource the problem is in, or ``None`` for the package.
        row: Row number as frictionless counts it (header = 1, first data row = 2), or
            ``None`` for problems about a whole file, a resource or the descriptor.
        field: Field name (several, comma-separated, for a key), a location inside the
            descriptor such as ``schema.fields[0].type`` for ``profile-error``, or ``None``.
        message: What is wrong, what is allowed and what to do: one line, with every control
            character of the data it quotes shown as an escape (``\x1b``).
        path: The file the problem is in, relative to the package folder
            (``data/gaps.csv``, ``datapackage.json``), where known.
    """

    code: str
    resource: str | None
    row: int | None
    field: str | None
    message: str
    path: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", printable(self.message, one_line=True))

    @property
    def key(self) -> tuple[str, str | None, int | None, str | None]:
        """``(code, resource, row, field)``, the part of a problem tests assert on."""
        return (self.code, self.resource, self.row, self.field)

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """Order of problems in a report: package first, then by resource, row, field, code."""
        return (
            self.resource or "",
            self.row if self.row is not None else 0,
            self.field or "",
            self.code,
            self.message,
        )

    def location(self, default: str = DESCRIPTOR_FILE) -> str:
        """``file:row`` (or just the file) for human output; ``default`` when no file is known."""
        where = self.path or self.resource or default
        return f"{where}:{self.row}" if self.row is not None else where

    def to_dict(self) -> dict[str, Any]:
        """The problem as a JSON-ready dict (keys: code, resource, path, row, field, message)."""
        return {
            "code": self.code,
            "resource": self.resource,
            "path": self.path,
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass(frozen=True)
class ValidationReport:
    """Every problem found in one package, and a summary of what it holds.

    Attributes:
        package: The descriptor that was validated (or the path given, when none was found).
        problems: Every problem, sorted by :meth:`Problem.sort_key`.
        summary: Counts computed from the CSV files (see :meth:`to_dict`); a count is
            ``None`` when its file could not be read.
    """

    package: str
    problems: tuple[Problem, ...]
    summary: Mapping[str, Any] = dataclass_field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def keys(self) -> list[tuple[str, str | None, int | None, str | None]]:
        """``(code, resource, row, field)`` of every problem, in report order."""
        return [problem.key for problem in self.problems]

    def to_dict(self, limit: int | None = None) -> dict[str, Any]:
        """The report as JSON-ready data; this is the shape ``validate --json`` prints.

        With ``limit`` (``validate --json`` passes ``SHOWN_PER_CODE`` unless ``--all``), at
        most ``limit`` problems of each code are listed and ``"omitted": {code: count}`` says
        how many more there are (``{}`` when none were left out).

        ``{"valid": bool, "package": str, "problems": [...], "summary": {...}}`` where each
        problem has ``code``, ``resource``, ``path``, ``row``, ``field``, ``message`` and the
        summary has ``name``, ``version``, ``regions``, ``editions`` (a list of ``edition``,
        ``kind``, ``published``, ``gaps``, ``regions_with_gaps``), ``responses``,
        ``regions_with_responses``, ``gap_answers`` and ``classifications``
        (``{edition: {category: count}}``, every category listed, zeros included).
        """

        shown, omitted = cap_per_code(self.problems, limit)
        data = {
            "valid": self.valid,
            "package": self.package,
            "problems": [problem.to_dict() for problem in shown],
            "summary": dict(self.summary),
            "omitted": omitted,
        }
        return data

    def to_json(self, indent: int | None = 2, limit: int | None = None) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 characters kept as they are, control characters
        escaped)."""
        return json_text(self.to_dict(limit), indent=indent)

    def render(self, limit: int | None = SHOWN_PER_CODE) -> str:
        """Human-readable text: a summary when valid, one line per problem when not.

        At most ``limit`` problems of each code are printed (``None``: all), then a line
        counting the rest.
        """
        if self.valid:
            lines = [f"{self.package}: valid", *render_summary(self.summary)]
            return "\n".join(printable(line, one_line=True) for line in lines)

        shown, omitted = cap_per_code(self.problems, limit)
        lines = [
            f"{problem.location(self.package)} {problem.field or '-'} [{problem.code}] "
            f"{problem.message}"
            for problem in shown
        ]
        for code, more in omitted.items():
            lines.append(f"… and {more:,} more [{code}] problem(s) (--all lists every problem)")
        count = len(self.problems)
        lines.append(f"{count:,} problem{'s' if count != 1 else ''} in {self.package}: not valid")
        return "\n".join(printable(line, one_line=True) for line in lines)

    def __str__(self) -> str:
        return self.render()


def render_summary(summary: Mapping[str, Any]) -> list[str]:
    """Lines describing a package summary as :meth:`ValidationReport.to_dict` gives it."""

    def count(value: Any) -> str:
        return "?" if value is None else str(value)

    lines = [
        f"package {summary.get('name') or '?'} version {summary.get('version') or '?'}: "
        f"{count(summary.get('regions'))} regions"
    ]
    for edition in summary.get("editions") or []:
        lines.append(
            f"edition {edition['edition']} ({edition['kind']}, published {edition['published']}): "
            f"{count(edition['gaps'])} gaps in {count(edition['regions_with_gaps'])} regions"
        )
    lines.append(
        f"responses: {count(summary.get('responses'))} from "
        f"{count(summary.get('regions_with_responses'))} regions; "
        f"gap answers: {count(summary.get('gap_answers'))}"
    )
    for edition, counts in (summary.get("classifications") or {}).items():
        parts = ", ".join(f"{category} {n}" for category, n in counts.items())
        lines.append(f"classifications {edition}: {parts}")
    return lines


# shown under its public name, palliativ_data.Problem, …
Problem.__module__ = "palliativ_data"
ValidationReport.__module__ = "palliativ_data"
