"""Shared pieces of the page generators: the data context, slugs, CSV files, Markdown tables,
and the one escape of every value that comes from the data (:func:`markdown_text`).

Every value a page shows goes through :func:`markdown_text` on its way into a template (the
environment's ``finalize``, see ``_templates.py``), unless it is Markdown or HTML the site
made itself: a :class:`markupsafe.Markup` (a macro's text, :func:`table`, :func:`link`,
:func:`code`, :func:`code_block`, a drawn figure). Pieces built here from data escape the data
in them the same way.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .._errors import DataError
from .._models import KeyFigure
from .._queries import classifications_by_region, latest_follow_up

if TYPE_CHECKING:  # pragma: no cover
    from palliativ_data import Comparison, Package


ACTION_STANCES = ("action_taken", "action_decided", "planned")
"""Stances that state an action: the pages label the answer's action "Åtgärd" only for these,
and a gap with one of them (or a target year) is a promise."""

_SLIP = re.compile(r"'([^']+)', apparently a slip for '[^']+'")
"""How a row's ``notes`` name a slip of the source kept in its verbatim label (methodology,
"Labels as they stand")."""


def slug(name: str) -> str:
    """A URL-safe slug: ``"Jämtland Härjedalen"`` → ``"jamtland-harjedalen"``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = "".join(ch if ch.isalnum() else " " for ch in plain.lower()).split()
    return "-".join(words)


def capital(text: str) -> str:
    """The label with its first letter in upper case (labels are stored as running text)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """The label with its first letter in lower case, for a label inside a sentence ("Palliativ
    mottagning" → "palliativ mottagning"); labels that open with an abbreviation stay as they
    are ("ASIH-team")."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def region_slug(region: Any) -> str:
    """The file name of a region's page: SCB code and name, ``"23-jamtland-harjedalen"``
    (both slugs: a hostile code cannot become a path)."""
    return f"{slug(str(region.region_code))}-{slug(region.name_source)}"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """RFC 4180 CSV with LF line ends (as the package's own CSV files), empty for None."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else _csv_value(value) for value in row])
    return buffer.getvalue()


def _csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ---------------------------------------------------------------------- the one escape

_ENTITIES = {
    ord(char): entity
    for char, entity in {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\\": "&#92;",
        "`": "&#96;",
        "*": "&#42;",
        "[": "&#91;",
        "]": "&#93;",
        "{": "&#123;",
        "}": "&#125;",
        "|": "&#124;",
        "#": "&#35;",
    }.items()
}
"""Characters that are Markdown or HTML syntax anywhere in a line (code, emphasis, links,
``attr_list``'s ``{: …}``, table cells, a heading's closing ``#``, tags and entities), written
as HTML entities: the same text in Markdown, in an HTML block and in an attribute."""
_BREAKS = re.compile(r"\r\n|[\n\r\t\v\f\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # not between two letters or digits
_BLOCK_START = re.compile(r"\s|([-+=!?~])(?=\1|\s|$)|\d+[.)](?=\s|$)")
"""What starts a block at the beginning of a line (or changes one a template starts, as a
space after its ``*``), besides ``#`` (always an entity): a list ``- `` ``+ `` ``1. ``, a rule or setext line
``---`` ``===``, an admonition ``!!!``, details ``???``, tabs ``===``, a fence ``~~~``, any
leading space (indented code, a marker after up to three spaces). ``-3`` and ``0.3.0`` start
none."""


def markdown_text(value: Any, *, line_start: bool = True) -> str:
    """``value`` as text that Markdown, an HTML block and an HTML attribute all show exactly
    as it is, and that cannot start or change any structure of the page.

    Syntax characters become HTML entities (``<`` is ``&lt;``, ``*`` is ``&#42;``…), and so
    does one that would start a block at the beginning of a line (``#``, ``-``, ``1.``…); an
    underscore stays between two letters or digits (``gap_key``); line breaks and tabs become
    spaces (a value is one line of a page); other control characters are shown as ``\\x1b``
    (its backslash an entity too), a lone surrogate as U+FFFD. None is the empty string.

    Examples:
        >>> markdown_text('<img src=x onerror="alert(1)"> *a* [b](javascript:c) {: .x }')
        '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &#42;a&#42; &#91;b&#93;(javascript:c) &#123;: .x &#125;'
        >>> markdown_text("# Title"), markdown_text("1. item"), markdown_text("gap_key")
        ('&#35; Title', '&#49;. item', 'gap_key')
        >>> markdown_text("Sweden's <18 år\\n\\x1b[2J")
        "Sweden's &lt;18 år &#92;x1b&#91;2J"
    """
    if value is None:
        return ""
    text = _BREAKS.sub(" ", str(value))
    text = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
    text = _SURROGATE.sub("\ufffd", text)
    head = ""
    if line_start and _BLOCK_START.match(text):  # (``line_start=False``: text within a line)
        head, text = f"&#{ord(text[0])};", text[1:]
    return head + _UNDERSCORE.sub("&#95;", text.translate(_ENTITIES))


def trusted(text: str) -> str:
    """``text``, which the site wrote, marked as its own Markdown or HTML (a ``Markup``: not
    escaped again). Data in it must have been escaped already."""
    from markupsafe import Markup  # deferred: installed with jinja2 (the docs extra)

    return Markup(text)


def is_trusted(value: Any) -> bool:
    """Whether ``value`` is the site's own Markdown or HTML (not escaped again)."""
    return hasattr(value, "__html__")


def escaped(value: Any) -> str:
    """``value`` as it goes into a page: the site's own Markdown as it is, anything else
    through :func:`markdown_text`; the result is marked as Markdown."""
    return value if is_trusted(value) else trusted(markdown_text(value))


def link_target(target: str) -> str:
    """``target`` (a page, file or anchor of the site) as a Markdown link's target: URL-quoted,
    so that no character of it can end the link.

    Examples:
        >>> link_target("data/a b (1).csv#x")
        'data/a%20b%20%281%29.csv#x'
    """
    return quote(target, safe="/#.-_~")


def link(text: Any, target: str) -> str:
    """A Markdown link to ``target`` (a page or an anchor of the site) showing ``text``.

    Examples:
        >>> str(link("Jämtland [x]", "regions/23-jamtland.md"))
        '[Jämtland &#91;x&#93;](regions/23-jamtland.md)'
    """
    return trusted(f"[{markdown_text(text)}]({link_target(target)})")


_PLAIN_CODE = re.compile(r"[^`|\x00-\x1f\x7f-\x9f\ud800-\udfff]*")


def code(value: Any) -> str:
    """``value`` as inline code: a code span when nothing in it would end the span or a table
    cell, else ``<code>`` with its text escaped.

    Examples:
        >>> str(code("region_code")), str(code("a`b|c"))
        ('`region_code`', '<code>a&#96;b&#124;c</code>')
    """
    text = "" if value is None else str(value)
    if text and text.strip() == text and _PLAIN_CODE.fullmatch(text):
        return trusted(f"`{text}`")
    return trusted(f"<code>{markdown_text(text)}</code>")


_CODE_SPAN = re.compile(r"`([^`]+)`")


def prose(value: Any) -> str:
    """Text written in the schema (a description) that may name things as `code`: escaped as
    :func:`markdown_text`, its code spans kept as code (:func:`code`). Nothing else of
    Markdown or HTML in it has any effect.

    Examples:
        >>> str(prose("references `regions` <b>"))
        'references `regions` &lt;b&gt;'
    """
    text = "" if value is None else str(value)
    parts, end = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(markdown_text(text[end : span.start()], line_start=not end))
        parts.append(str(code(span.group(1))))
        end = span.end()
    parts.append(markdown_text(text[end:], line_start=not end))
    return trusted("".join(parts))


_FENCE = re.compile(r"^\s*(?:`{3,}|~{3,})|-+8<-+|;*-+8<-+", re.MULTILINE)


def code_block(text: str) -> str:
    """``text`` (code the site wrote, with names from the schema in it) marked to go inside a
    fenced code block as it is; refused if a line of it would end the block or include a file.

    Raises:
        DataError: A line starts a fence (`````` or ``~~~``) or holds a snippet marker.
    """
    found = _FENCE.search(text)
    if found is not None or _CONTROL.search(text.replace("\n", "")):
        raise DataError(
            f"A code example of the site would not stay code: it holds "
            f"{found.group().strip() if found else 'a control character'!r}, from a name in the "
            "package's descriptor. Run `palliativ-data validate` on the package."
        )
    return trusted(text)


def cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: a value escaped (:func:`markdown_text`); the
    site's own Markdown with ``|`` escaped and on one line."""
    if is_trusted(value):
        return trusted(str(value).replace("|", "\\|").replace("\n", " "))
    return trusted(markdown_text(value))


def table(header: Sequence[Any], rows: Iterable[Sequence[Any]], align: str = "") -> str:
    """A Markdown pipe table; ``align`` is one letter per column (``l``/``r``). Each cell is
    escaped (:func:`cell`)."""
    align = align or "l" * len(header)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return trusted("\n".join(lines))


@dataclass
class Data:
    """The package and everything the pages derive from it, computed once."""

    pkg: Package

    # ------------------------------------------------------------------ editions

    @cached_property
    def follow_up(self) -> Any:
        """The latest follow-up edition (the one the classification belongs to)."""
        edition = latest_follow_up(self.pkg)
        if edition is None:
            raise DataError(
                "The site shows the latest follow-up edition, and this package has none: add "
                "an edition of kind follow_up to editions.csv."
            )
        return edition

    @cached_property
    def inventory(self) -> Any:
        """The inventory the latest follow-up follows up."""
        return self.pkg.edition(self.follow_up.follows_up)

    @cached_property
    def editions(self) -> tuple[Any, ...]:
        """The editions the pages show, oldest first (today the inventory and its follow-up)."""
        return (self.inventory, self.follow_up)

    @cached_property
    def history(self) -> tuple[Any, ...]:
        """Every edition of the package, oldest first: the region pages' history of each gap,
        the comparison page's pairs, the promises whose target year has passed."""
        return tuple(sorted(self.pkg.editions, key=lambda e: e.edition))

    @property
    def has_history(self) -> bool:
        """Whether the package holds editions beyond the two the pages compare (only then do
        the pages show a history: with two editions, both lists already stand side by side)."""
        return len(self.history) > len(self.editions)

    @cached_property
    def pairs(self) -> tuple[Comparison, ...]:
        """The comparison of every two editions (older first), consecutive or not, in the
        order of the older edition, then the newer."""
        return tuple(
            self.pkg.compare(old.edition, new.edition)
            for old, new in itertools.combinations(self.history, 2)
        )

    @cached_property
    def steps(self) -> tuple[Comparison, ...]:
        """The comparisons of consecutive editions, oldest first (each a step of the history)."""
        ids = [edition.edition for edition in self.history]
        return tuple(
            pair
            for pair in self.pairs
            if ids.index(pair.new_edition) == ids.index(pair.old_edition) + 1
        )

    @cached_property
    def latest(self) -> Any:
        """The newest edition: its date is the "now" of the pages (never today's clock, so
        that a build is reproducible)."""
        return self.history[-1]

    @cached_property
    def comparison(self) -> Comparison:
        return self.pkg.compare(self.inventory.edition, self.follow_up.edition)

    def edition_title(self, edition: Any, lang: str) -> str:
        return str(edition.title_sv if lang == "sv" else edition.title_en)

    def edition_short(self, edition: Any, lang: str) -> str:
        """``februari 2026`` / ``February 2026`` from the title (the words after the kind)."""
        title = self.edition_title(edition, lang)
        words = title.split()
        return " ".join(words[-2:]) if lang == "sv" else " ".join(words[:2])

    def edition_name(self, edition: Any, lang: str) -> str:
        """The edition in running text: ``inventeringen i februari 2026`` / ``the February 2026
        inventory`` (docs/sv/style.md: *inventeringen*, *uppföljningen*)."""
        title = self.edition_title(edition, lang)
        if lang == "sv":
            kind, _, when = title.partition(" ")
            return f"{kind.lower()} i {when}"
        return f"the {title}"

    # ------------------------------------------------------------------ look-ups

    @cached_property
    def regions(self) -> tuple[Any, ...]:
        return self.pkg.regions

    @cached_property
    def region_slugs(self) -> dict[str, str]:
        return {r.region_code: region_slug(r) for r in self.regions}

    @cached_property
    def categories(self) -> dict[str, Any]:
        return {c.category: c for c in sorted(self.pkg.categories, key=lambda c: c.position)}

    @cached_property
    def functions(self) -> dict[str, Any]:
        return {f.function: f for f in sorted(self.pkg.functions, key=lambda f: f.position)}

    @cached_property
    def stances(self) -> dict[str, Any]:
        return {s.stance: s for s in sorted(self.pkg.stances, key=lambda s: s.position)}

    @cached_property
    def classification(self) -> dict[str, Any]:
        """Region code → its classification in the latest follow-up."""
        return classifications_by_region(self.pkg, self.follow_up.edition)

    @cached_property
    def sources(self) -> dict[str, Any]:
        return {s.source_id: s for s in self.pkg.sources}

    @cached_property
    def _gap_answers(self) -> dict[tuple[str, str], Any]:
        return {(a.response_id, a.gap_key): a for a in self.pkg.gap_answers()}

    def gap_answer(self, response_id: str, gap_key: str) -> Any | None:
        """The ``gap_answers`` row of one response about one gap, None if there is none."""
        return self._gap_answers.get((response_id, gap_key))

    def category_label(self, code: str, lang: str) -> str:
        """The category's short label (``label_sv``: the source's heading is quoted once, where
        the category is explained, from ``heading_sv``)."""
        category = self.categories[code]
        return category.label_sv if lang == "sv" else capital(category.label_en)

    def function_label(self, code: str, lang: str) -> str:
        function = self.functions[code]
        return function.label_sv if lang == "sv" else capital(function.label_en)

    @staticmethod
    def states_action(stance: str) -> bool:
        """Whether ``stance`` states an action (``ACTION_STANCES``)."""
        return stance in ACTION_STANCES

    def stance_label(self, code: str, lang: str) -> str:
        stance = self.stances[code]
        return stance.label_sv if lang == "sv" else capital(stance.label_en)

    @cached_property
    def function_slugs(self) -> dict[str, str]:
        """Function code → the file name of its page (from the Swedish label)."""
        return {code: slug(f.label_sv) for code, f in self.functions.items()}

    @cached_property
    def key_figures(self) -> dict[str, Any]:
        rows = self.pkg.records("key_figures")
        return {k.figure_id: k for k in rows if isinstance(k, KeyFigure)}

    def sic(self, row: Any, text: str | None = None) -> str | None:
        """The word of a verbatim text of ``row`` (its gap label, or ``text``: a quote) that
        the source misspelt and the data keeps, as the row's ``notes`` name it (``'Se',
        apparently a slip for 'De'``), or None."""
        found = _SLIP.search(row.notes or "")
        verbatim = row.label_sv if text is None else text
        if found is None or not re.search(rf"\b{re.escape(found[1])}\b", verbatim):
            return None
        return found[1]

    def label_marked(self, row: Any, lang: str, link: str) -> str:
        """A gap's label in ``lang`` (Markdown), the Swedish one with a slip of the source
        marked ``[sic]`` after the misspelt word, linked to ``link`` (the methodology's rule)."""
        if lang != "sv":
            return str(row.label_en)
        return self._marked(row, row.label_sv, link)

    def cue_marked(self, row: Any, link: str) -> str:
        """A reading's quoted words (``cue``, Swedish on both sites) with a slip of the source
        marked ``[sic]`` as in :meth:`label_marked`."""
        return self._marked(row, row.cue, link)

    def _marked(self, row: Any, verbatim: str, link: str) -> str:
        word = self.sic(row, verbatim)
        if word is None:
            return verbatim
        # both escaped (the word comes from the data's notes), then marked in the text
        text, shown = markdown_text(verbatim), markdown_text(word, line_start=False)
        marked = f"{shown} [\\[sic\\]]({link_target(link)})"
        found = rf"(?<!\w){re.escape(shown)}(?!\w)"
        return trusted(re.sub(found, lambda _: marked, text, count=1))

    @staticmethod
    def source_place(ref: str) -> tuple[list[str], str | None]:
        """A ``source_ref`` as the pages cite it: its sections (``Bilaga 2``, ``Stockholm``,
        ``Saknas``) and the number of the list item it ends with, if it does (``"1"``). The
        line number in the plain-text copy (``source_line``) is for checking, not for readers.
        """
        sections = ref.split(" › ")
        item = sections.pop() if len(sections) > 1 and sections[-1].isdigit() else None
        return sections, item

    # ------------------------------------------------------------------ citation

    @cached_property
    def source_documents(self) -> tuple[Any, Any]:
        """The sources (``sources`` rows) of the inventory and of the follow-up, in that order."""
        return (
            self.sources[self.inventory.published_in],
            self.sources[self.follow_up.published_in],
        )

    @cached_property
    def publishers(self) -> list[str]:
        """Who published the follow-up (the templates join the names in their language)."""
        return list(self.sources[self.follow_up.published_in].publisher.split("; "))
