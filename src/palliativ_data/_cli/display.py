"""Overviews behind the query commands: ``editions``, ``regions`` and ``show REGION``.

Each function returns plain, JSON-ready data (what ``--json`` prints); :func:`region_markdown`
renders the ``show`` report for people, and :func:`print_rows` / :func:`print_comparison` print
rich tables (rich is imported only when they run).

Example:
    >>> import palliativ_data as pdata
    >>> from palliativ_data._cli.display import region_report
    >>> report = region_report(pdata.load(), "Jämtland")
    >>> report["region"]["region_code"], sorted(report)[:3]
    ('23', ['classifications', 'editions', 'healthcare_regions'])
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._comparison.constants import STATUS_LABELS, GapStatus
from .._comparison.render import classification_note
from .._vocabulary import FOLLOW_UP

if TYPE_CHECKING:  # pragma: no cover
    from .._comparison import Comparison
    from .._package import Package

__all__ = [
    "editions_overview",
    "print_comparison",
    "print_rows",
    "region_markdown",
    "region_report",
    "regions_overview",
]


def _edition_ids(pkg: Package) -> list[str]:
    return sorted(edition.edition for edition in pkg.editions)


def editions_overview(pkg: Package) -> list[dict[str, Any]]:
    """One dict per edition, oldest first: the editions row plus counts of what points to it.

    Examples:
        >>> import palliativ_data as pdata
        >>> rows = editions_overview(pdata.load())
        >>> [row["edition"] for row in rows][:2]
        ['2026-02', '2026-06']
    """
    gaps = pkg.gaps()
    rows = []
    for edition in sorted(pkg.editions, key=lambda item: item.edition):
        listed = [gap for gap in gaps if gap.edition == edition.edition]
        row = edition.model_dump(mode="json")
        row["gaps"] = len(listed)
        row["regions_with_gaps"] = len({gap.region_code for gap in listed})
        row["responses"] = len(pkg.responses(edition=edition.edition))
        row["classifications"] = len(pkg.classifications(edition=edition.edition))
        rows.append(row)
    return rows


def regions_overview(pkg: Package) -> list[dict[str, Any]]:
    """One dict per region: codes, names, healthcare regions, gaps per edition, latest category.

    Examples:
        >>> import palliativ_data as pdata
        >>> rows = regions_overview(pdata.load())
        >>> len(rows), rows[0]["region_code"]
        (21, '01')
    """
    editions = _edition_ids(pkg)
    follow_ups = [
        e.edition for e in sorted(pkg.editions, key=lambda e: e.edition) if e.kind == FOLLOW_UP
    ]
    latest = follow_ups[-1] if follow_ups else None
    categories = (
        {c.region_code: c.category for c in pkg.classifications(edition=latest)} if latest else {}
    )
    affiliations: dict[str, list[str]] = {}
    for row in pkg.region_healthcare_regions:
        affiliations.setdefault(row.region_code, []).append(row.healthcare_region)
    counts: dict[tuple[str, str], int] = {}
    for gap in pkg.gaps():
        counts[(gap.region_code, gap.edition)] = counts.get((gap.region_code, gap.edition), 0) + 1
    rows = []
    for region in pkg.regions:
        rows.append(
            {
                "region_code": region.region_code,
                "iso_3166_2": region.iso_3166_2,
                "name": region.name_source,
                "name_official_sv": region.name_official_sv,
                "name_en": region.name_en,
                "healthcare_regions": affiliations.get(region.region_code, []),
                "gaps": {
                    edition: counts.get((region.region_code, edition), 0) for edition in editions
                },
                "category": categories.get(region.region_code),
                "category_edition": latest if region.region_code in categories else None,
            }
        )
    return rows


def region_report(pkg: Package, query: Any) -> dict[str, Any]:
    """Everything about one region across the editions, as JSON-ready data.

    Keys: ``region`` (the regions row), ``healthcare_regions`` (affiliation rows with the
    healthcare region's names), ``editions`` (oldest first; each with ``kind``, ``title_en``,
    ``category`` where the edition classifies, ``gaps`` with ``status`` relative to the previous
    edition — ``null`` for the first — and the ``answers`` about each gap, and
    ``no_longer_listed``: the previous edition's gaps this one does not list), ``responses`` and
    ``classifications``.

    Args:
        pkg: The package.
        query: Anything ``Package.region`` accepts (code, ISO code, name, alias).

    Raises:
        UnknownNameError, AmbiguousNameError: The query names no region, or several.
    """
    region = pkg.region(query)
    code = region.region_code
    names = {row.healthcare_region: row for row in pkg.healthcare_regions}
    affiliations = []
    for row in pkg.region_healthcare_regions:
        if row.region_code == code:
            item = row.model_dump(mode="json")
            target = names.get(row.healthcare_region)
            item["name_en"] = target.name_en if target else None
            item["name_sv"] = target.name_sv if target else None
            affiliations.append(item)
    answers: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for answer in pkg.gap_answers(region=code):
        answers.setdefault((answer.edition, answer.gap_key), []).append(
            answer.model_dump(mode="json")
        )
    categories = {c.edition: c.category for c in pkg.classifications(region=code)}
    editions = []
    previous: str | None = None
    for edition in sorted(pkg.editions, key=lambda item: item.edition):
        statuses: dict[str, str] = {}
        dropped: list[dict[str, Any]] = []
        if previous is not None:
            result = pkg.compare(previous, edition.edition, region=code)
            statuses = {gap.gap_key: gap.status for gap in result.gaps}
            dropped = [
                {
                    "gap_key": gap.gap_key,
                    "function": gap.function,
                    "label_en": gap.label_en,
                    "label_sv": gap.label_sv,
                }
                for gap in result.gaps
                if gap.status == "dropped"
            ]
        gaps = []
        for gap in pkg.gaps(edition=edition.edition, region=code):
            item = gap.model_dump(mode="json")
            item["status"] = statuses.get(gap.gap_key) if previous is not None else None
            item["answers"] = answers.get((edition.edition, gap.gap_key), [])
            gaps.append(item)
        editions.append(
            {
                "edition": edition.edition,
                "kind": edition.kind,
                "title_en": edition.title_en,
                "compared_with": previous,
                "category": categories.get(edition.edition),
                "gaps": gaps,
                "no_longer_listed": dropped,
            }
        )
        previous = edition.edition
    return {
        "region": region.model_dump(mode="json"),
        "healthcare_regions": affiliations,
        "editions": editions,
        "responses": [response.model_dump(mode="json") for response in pkg.responses(region=code)],
        "classifications": [
            row.model_dump(mode="json") for row in pkg.classifications(region=code)
        ],
    }


def _status_word(status: GapStatus | None) -> str:
    """A gap's status in words; ``None`` (the first edition, nothing to compare with): listed."""
    return "listed" if status is None else STATUS_LABELS[status]


def region_markdown(pkg: Package, report: dict[str, Any]) -> str:
    """The :func:`region_report` of one region as a Markdown page for people."""
    region = report["region"]
    functions = {f.function: f for f in pkg.functions}
    categories = {c.category: c for c in pkg.categories}
    stances = {s.stance: s for s in pkg.stances}

    def function_label(code: str) -> str:
        item = functions.get(code)
        return f"{item.label_en} ({item.label_sv})" if item else code

    def category_label(code: str | None) -> str:
        item = categories.get(code) if code else None  # type: ignore[call-overload]
        return f"{item.label_en} ({item.heading_sv})" if item else "not classified"

    lines = [f"# {region['region_code']} {region['name_source']}", ""]
    names = [region["name_official_sv"], region["name_en"], region["county_sv"]]
    shown = [name for i, name in enumerate(names) if name and name not in names[:i]]
    shown = [name for name in shown if name != region["name_source"]] or shown[:1]
    lines.append(" · ".join([*shown, f"ISO 3166-2 {region['iso_3166_2']}"]))
    if region.get("aliases"):
        lines += ["", f"Also written: {region['aliases']}"]
    if report["healthcare_regions"]:
        lines += [
            "",
            "Healthcare region: "
            + "; ".join(
                f"{item['name_en'] or item['healthcare_region']} ({item['name_sv'] or ''})"
                + (f", part: {item['municipalities']}" if item["coverage"] == "part" else "")
                for item in report["healthcare_regions"]
            ),
        ]
    for edition in report["editions"]:
        lines += [
            "",
            f"## {edition['edition']}: {edition['title_en']} ({edition['kind'].replace('_', '-')})",
            "",
        ]
        if edition["category"]:
            lines += [f"Category: {category_label(edition['category'])}", ""]
        compared = (
            f" (status compared with {edition['compared_with']})"
            if edition["compared_with"]
            else ""
        )
        lines.append(f"{len(edition['gaps'])} gaps listed{compared}:")
        lines.append("")
        for gap in edition["gaps"]:
            lines.append(
                f"- **{_status_word(gap['status'])}** · {function_label(gap['function'])}: "
                f"{gap['label_en']} — *{gap['label_sv']}* `{gap['gap_key']}`"
            )
            for answer in gap["answers"]:
                stance = stances.get(answer["stance"])
                text = stance.label_en if stance else answer["stance"]
                if answer.get("target_year"):
                    text += f" (by {answer['target_year']})"
                if answer.get("summary_en"):
                    text += f": {answer['summary_en']}"
                lines.append(f"  - answer {answer['response_id']}: {text}")
        for gap in edition["no_longer_listed"]:
            lines.append(
                f"- **{STATUS_LABELS['dropped']}** · {function_label(gap['function'])}: "
                f"{gap['label_en']} — "
                f"*{gap['label_sv']}* `{gap['gap_key']}`"
            )
    lines += ["", "## Responses", ""]
    if not report["responses"]:
        lines.append("No response in the data.")
    for response in report["responses"]:
        date = f", {response['date']}" if response.get("date") else ""
        lines.append(
            f"- **{response['response_id']}** ({response['edition']}, {response['kind']}{date}) "
            f"{response['responder_role_en']}, {response['organisation']}: {response['summary_en']}"
        )
    return "\n".join(lines) + "\n"


def _console() -> Any:
    from rich.console import Console  # deferred, as every rich import here: rich is heavy

    # piped output: rich would fall back to 80 columns; use a wide page unless COLUMNS is set
    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Console(soft_wrap=False, width=160 if wide else None)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


def print_table(
    console: Any,
    title: str | None,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[str] = (),
) -> None:
    """Print rows as a table that fits the terminal, else as a list (one block per row).

    A table cell wraps at spaces only; when even that cannot fit (the longest word of every
    column side by side is wider than the terminal), each row becomes a block of
    ``heading: value`` lines instead, so that no word is ever cut.
    """
    from rich.measure import Measurement  # deferred: rich is heavy (also below)
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False)
    for heading in headings:
        table.add_column(heading, justify="right" if heading in right else "left")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    # measured without the terminal's limit: rich clamps the minimum to the width it is given
    unlimited = console.options.update_width(10**6)
    if Measurement.get(console, unlimited, table).minimum <= console.width:
        console.print(table)
        return
    if title:
        console.print(Text(title, style="bold"))
    for row in rows:
        console.print()
        for heading, cell in zip(headings, row, strict=True):
            if cell:
                console.print(Text(f"{heading}: {cell}"))


def print_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], title: str | None = None
) -> None:
    """Print ``rows`` with ``columns`` given as ``(key, heading)`` pairs (see :func:`print_table`)."""
    cells = [[_text(row.get(key)) for key, _ in columns] for row in rows]
    print_table(_console(), title, [heading for _, heading in columns], cells)


def print_comparison(result: Comparison) -> None:
    """Print a comparison for people: summary, regions, then every gap."""
    from rich.text import Text  # deferred: rich is heavy

    console = _console()
    s = result.summary
    note = classification_note(result)
    headings = [
        f"in {result.old_edition}",
        f"in {result.new_edition}",
        *STATUS_LABELS.values(),
    ]
    values = [s.old, s.new, s.persisting, s.dropped, s.added]
    if note is None:
        headings.append("category changes")
        values.append(s.classification_changes)
    title = f"{result.old_edition} → {result.new_edition}"
    print_table(console, title, headings, [[str(v) for v in values]], right=headings)
    if note is not None:
        console.print(Text(note))
    rows = []
    for region in result.regions:
        n = region.counts
        name = region.name + (f" (was {region.old_name})" if region.old_name else "")
        if region.category_changed:
            category = f"{region.old_category} → {region.new_category}"
        else:
            category = region.new_category or region.old_category or ""
        counts = [str(v) for v in (n.old, n.new, n.persisting, n.dropped, n.added)]
        rows.append([region.region_code, name, *counts, category])
    numbers = ["old", "new", "still", "no longer", "newly"]
    print_table(console, "Regions", ["code", "region", *numbers, "category"], rows, right=numbers)
    gaps = [
        [
            gap.region_code,
            STATUS_LABELS[gap.status],
            gap.function,
            gap.label_en,
            ", ".join(answer.stance for answer in gap.answers),
        ]
        for gap in result.gaps
    ]
    print_table(console, "Gaps", ["region", "status", "function", "gap", "answers"], gaps)
