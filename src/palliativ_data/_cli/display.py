"""What the commands print for people: tables, the ``show`` page as Markdown or for a terminal.

The data comes from the library (``_queries``, ``Comparison``); this module only lays it
out. rich is imported only when a table or a terminal page is printed.

Example:
    >>> import palliativ_data as pdata
    >>> from palliativ_data._queries import region_report
    >>> pkg = pdata.load()
    >>> region_markdown(pkg, region_report(pkg, "Jämtland")).splitlines()[0]
    '# 23 Jämtland Härjedalen'
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from .._comparison.constants import STATUS_LABELS, GapStatus
from .._comparison.render import classification_note
from .._printable import printable

if TYPE_CHECKING:  # pragma: no cover
    from .._comparison.result import Comparison
    from .._package import Package
    from .._queries import RegionReport


def _status_word(status: GapStatus | None) -> str:
    """A gap's status in words; ``None`` (the first edition, nothing to compare with): listed."""
    return "listed" if status is None else STATUS_LABELS[status]


def region_markdown(pkg: Package, report: RegionReport) -> str:
    """The :func:`~palliativ_data._queries.region_report` of one region as a Markdown page."""
    region = report.region
    functions = {f.function: f for f in pkg.functions}
    categories = {c.category: c for c in pkg.categories}
    stances = {s.stance: s for s in pkg.stances}

    def function_label(code: str) -> str:
        item = functions.get(code)
        return f"{item.label_en} ({item.label_sv})" if item else code

    def category_label(code: str) -> str:
        item = categories.get(code)  # type: ignore[call-overload]
        return f"{item.label_en} ({item.heading_sv})" if item else "not classified"

    lines = [f"# {region.region_code} {region.name_source}", ""]
    names = [region.name_official_sv, region.name_en, region.county_sv]
    shown = [name for i, name in enumerate(names) if name and name not in names[:i]]
    shown = [name for name in shown if name != region.name_source] or shown[:1]
    lines.append(" · ".join([*shown, f"ISO 3166-2 {region.iso_3166_2}"]))
    if region.aliases:
        lines += ["", f"Also written: {region.aliases}"]
    if report.healthcare_regions:
        parts = []
        for item in report.healthcare_regions:
            row, target = item.row, item.healthcare_region
            name_en, name_sv = (target.name_en, target.name_sv) if target else (None, None)
            part = f", part: {row.municipalities}" if row.coverage == "part" else ""
            parts.append(f"{name_en or row.healthcare_region} ({name_sv or ''}){part}")
        lines += ["", "Healthcare region: " + "; ".join(parts)]
    for entry in report.editions:
        edition = entry.edition
        lines += [
            "",
            f"## {edition.edition}: {edition.title_en} ({edition.kind.replace('_', '-')})",
            "",
        ]
        if entry.category:
            lines += [f"Category: {category_label(entry.category)}", ""]
        compared = f" (status compared with {entry.compared_with})" if entry.compared_with else ""
        lines.append(f"{len(entry.gaps)} gaps listed{compared}:")
        lines.append("")
        for listed in entry.gaps:
            gap = listed.gap
            lines.append(
                f"- **{_status_word(listed.status)}** · {function_label(gap.function)}: "
                f"{gap.label_en} — *{gap.label_sv}* `{gap.gap_key}`"
            )
            for answer in listed.answers:
                stance = stances.get(answer.stance)
                text = stance.label_en if stance else answer.stance
                if answer.target_year:
                    text += f" (by {answer.target_year})"
                if answer.summary_en:
                    text += f": {answer.summary_en}"
                lines.append(f"  - answer {answer.response_id}: {text}")
        for gap in entry.no_longer_listed:
            lines.append(
                f"- **{STATUS_LABELS['dropped']}** · {function_label(gap.function)}: "
                f"{gap.label_en} — *{gap.label_sv}* `{gap.gap_key}`"
            )
    lines += ["", "## Responses", ""]
    if not report.responses:
        lines.append("No response in the data.")
    for response in report.responses:
        date = f", {response.date}" if response.date else ""
        lines.append(
            f"- **{response.response_id}** ({response.edition}, {response.kind}{date}) "
            f"{response.responder_role_en}, {response.organisation}: {response.summary_en}"
        )
    return "\n".join(lines) + "\n"


def print_markdown(text: str) -> None:
    """Print Markdown laid out for a terminal: headings, lists and emphasis, wrapped to its width.

    The width is the terminal's (``COLUMNS`` when set; 80 when the output is not a terminal).
    Colours and styles only go to a terminal (rich's rules: ``NO_COLOR`` turns colour off).
    """
    # deferred: rich is heavy (and its Markdown renderer more so)
    from rich.console import Console

    console = Console()
    with console.capture() as captured:
        console.print(_markdown(text))
    # rich pads every line to the full width with spaces; they are noise in a file or a pager
    sys.stdout.write("".join(line.rstrip(" ") + "\n" for line in captured.get().splitlines()))


def _markdown(text: str) -> Any:
    """rich's Markdown of ``text`` with every heading a styled line, the same in every version.

    rich up to 14 draws a box around a level-1 heading and centres it; the box's lines are
    not words and push the heading's text off its line, so one layout is kept: the heading's
    text as rich styles it, left-aligned.
    """
    from rich.markdown import Heading, Markdown  # deferred: rich is heavy

    class PlainHeading(Heading):
        def __rich_console__(self, console: Any, options: Any) -> Any:
            text = self.text.copy()
            text.justify = "left"
            yield text

    class PlainMarkdown(Markdown):
        # the key is "heading_open" since rich 13.2 (markdown-it), "heading" before (commonmark)
        elements: ClassVar = {
            key: PlainHeading if element is Heading else element
            for key, element in Markdown.elements.items()
        }

    return PlainMarkdown(text)


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

    Every title, heading and cell is made :func:`~palliativ_data._printable.printable` (one
    line each). A table cell wraps at spaces only; when even that cannot fit (the longest word of every
    column side by side is wider than the terminal), each row becomes a block of
    ``heading: value`` lines instead, so that no word is ever cut.
    """
    from rich.measure import Measurement  # deferred: rich is heavy (also below)
    from rich.table import Table
    from rich.text import Text

    title = printable(title, one_line=True) if title else title
    rows = [[printable(cell, one_line=True) for cell in row] for row in rows]
    table = Table(title=title, show_lines=False)
    for heading in headings:
        table.add_column(
            printable(heading, one_line=True), justify="right" if heading in right else "left"
        )
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
        console.print(Text(printable(note)))
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
