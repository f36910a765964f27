"""The site's wording: Jinja2 templates under ``templates/``, one per page and language.

``templates/sv/<page>`` and ``templates/en/<page>`` hold a page's text in each language, with
the data filled in from what the page's show function (``_pages.PAGES``) computed;
``templates/<language>/_macros.md`` holds the sentences several pages share (the line under a
figure, the citation, what an answer says about a gap) and ``templates/figure.html`` the
``<figure>`` around a chart or the map. Words the pages share with the code (table headings,
status words) stay in ``_text.py``; templates reach them through ``t`` and ``status_word``.

Every value a template prints is escaped, in Markdown and HTML templates alike: the
environment autoescapes, and its ``finalize`` passes each value through
``_common.markdown_text`` (HTML entities for Markdown's and HTML's syntax, so a gap label
``<script>`` or ``[x](javascript:…)`` comes out as text, in Markdown, in an HTML block or in an
attribute). What the site writes itself is marked as Markdown (``Markup``) and goes in as it
is: the templates' own text, macros, ``table``, ``counts_table``, ``figure``, and the links,
code and drawings the show functions build with ``_common``'s helpers (which escape the data
in them). A template needs no filter for safety; ``|safe`` is never used.

Besides the values of each page, every template sees:

- ``data``: the package and what the pages derive from it (``_common.Data``);
- ``lang``: ``"sv"`` or ``"en"``; ``inventory_month`` and ``follow_up_month``: the two
  editions compared, as the pages name them (``februari 2026`` / ``February 2026``);
- ``root``: the way up from the page to the language's root (``""``, ``"../"``), for links;
- ``t(key)``, ``status_word(status)``, ``status_words()``: the shared words of ``_text.py``;
- ``number(n)``, ``count(n, noun)``, ``form(n, singular, plural)``, ``listing(items)``: numbers
  and words that agree with them ("en brist", "inga nya", "tolv", "13") and lists ("a, b och
  c"), from ``_text.py``: every count in a sentence goes through them;
- ``link_to(text, target)``: a Markdown link (its text escaped), e.g. for a table's cell;
  ``t_links(key, **targets)``: a shared sentence of ``_text.py`` whose links (``[CSV]({csv})``)
  point at ``targets``, files or pages of the site;
- ``table(header, rows, align)``: a Markdown table (its cells escaped); ``cell`` (filter): a
  value escaped for a table cell; ``capital`` and ``lower_first`` (filters): the first letter
  in upper or lower case; ``md`` (filter): a value escaped (``_common.escaped``) before a
  template joins it with ``~`` to the site's own Markdown (a macro's output, ``listing`` of
  links): Jinja would escape it for HTML only, not for Markdown;
- ``counts_table(axis, rows)``: gaps then and now and by status, per ``"function"`` or
  ``"region"``;
- ``history_cells(cells)``: what each edition shows of one gap (``_region_pages._history``), as the
  cells of a row of the region page's history table;
- ``figure(svg, caption, label)``: a chart or the map with its caption (``figure.html``), or a
  note when the figure could not be drawn;
- ``nested`` (filter): an English page inside the Swedish one, for the pages that exist in
  English only (``{% filter nested %}{% include "en/cli.md" %}{% endfilter %}``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .._comparison.constants import STATUSES, GapStatus
from .._errors import MissingExtraError
from ._common import (
    Data,
    capital,
    cell,
    escaped,
    is_trusted,
    link,
    link_target,
    lower_first,
    table,
    trusted,
)
from ._text import count, form, listing, number, status_word, status_words, t

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

TEMPLATES = Path(__file__).with_name("templates")
"""The folder of the site's templates."""

HistoryCell = tuple[GapStatus | Literal["listed"] | None, list[str]]
"""What one edition shows of a gap in a region's history: its status (``"listed"`` in the
first edition), None where neither it nor the edition before lists the gap; the stances of
the region's answers about it in that edition."""

COUNT_COLUMNS = ("old", "new", *STATUSES)
"""The counts of a comparison row (a function or a region): gaps then and now, by status."""


def environment(folders: Sequence[Path] = (TEMPLATES,)) -> jinja2.Environment:
    """The Jinja2 environment of the site's templates, looked up in ``folders`` in order.

    Raises:
        MissingExtraError: Jinja2 (part of the ``docs`` extra) is not installed.
    """
    try:
        import jinja2  # deferred: the docs extra provides it; without it, say so (not a traceback)
    except ImportError:
        raise MissingExtraError(
            "the site's pages need jinja2, which is not installed. "
            "Install it with: pip install 'palliativ-data[docs]'",
            extra="docs",
        ) from None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        autoescape=True,  # every template: a value is escaped unless the site made it (Markup)
        finalize=escaped,  # … by the one escape of Markdown and HTML (_common.markdown_text)
        undefined=jinja2.StrictUndefined,  # a misspelt value fails the build, never prints ""
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],  # {% do parts.append(…) %}: a sentence built in parts
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = cell
    env.filters["md"] = escaped
    env.filters["capital"] = capital
    env.filters["lower_first"] = lower_first
    env.filters["nested"] = nested
    return env


def nested(page: str) -> str:
    """An English page inside a Swedish one (the reference pages): its title one level down,
    under the Swedish page's own title (and a blank line more below it, as the pages have).
    ``page`` is a rendered template (Markdown the site made), and so is the result."""
    return trusted("#" + str(escaped(page)).replace("\n", "\n\n", 1))


def render(
    env: jinja2.Environment,
    template: str,
    data: Data,
    lang: str,
    values: dict[str, Any],
    path: str = "",
) -> str:
    """The text of ``template`` in ``lang`` (``templates/<lang>/<template>``) with ``values``,
    for the page written at ``path`` (under the language's folder)."""
    return env.get_template(f"{lang}/{template}").render(
        {**common_values(env, data, lang, path), **values}
    )


def common_values(env: jinja2.Environment, data: Data, lang: str, path: str = "") -> dict[str, Any]:
    """What every template sees besides its page's values (the module docstring lists it)."""
    return {
        "data": data,
        "lang": lang,
        "root": "../" * path.count("/"),
        "inventory_month": data.edition_short(data.inventory, lang),
        "follow_up_month": data.edition_short(data.follow_up, lang),
        "t": functools.partial(t, lang),
        "status_word": functools.partial(status_word, lang),
        "status_words": functools.partial(status_words, lang),
        "number": functools.partial(number, lang),
        "count": functools.partial(count, lang),
        "form": form,
        "listing": functools.partial(_listing, lang),
        "table": table,
        "link_to": link,
        "t_links": functools.partial(t_links, lang),
        "counts_table": functools.partial(counts_table, data, lang),
        "history_cells": functools.partial(history_cells, data, lang),
        "figure": _figure(env, lang),
    }


def t_links(lang: str, key: str, **targets: str) -> str:
    """The shared sentence ``key`` (the site's own Markdown, with links) in ``lang``, its links
    pointing at ``targets`` (:func:`~._common.link_target`).

    Examples:
        >>> str(t_links("en", "download", xlsx="data/a b.xlsx", csv="data/a.csv"))[:56]
        'Download the data: [Excel workbook](data/a%20b.xlsx) for'
    """
    quoted = {name: link_target(target) for name, target in targets.items()}
    return trusted(t(lang, key, **quoted))


def _listing(lang: str, items: Sequence[Any]) -> str:
    """``_text.listing`` in a template: items the site made (a status, a link) stay its
    Markdown, the others are escaped, and so is the list."""
    if any(is_trusted(item) for item in items):
        return trusted(listing(lang, [str(escaped(item)) for item in items]))
    return listing(lang, items)


def counts(row: Any) -> tuple[int, ...]:
    """The ``COUNT_COLUMNS`` of a comparison row's counts."""
    return tuple(getattr(row, column) for column in COUNT_COLUMNS)


def counts_table(data: Data, lang: str, axis: str, rows: list[tuple[Any, ...]]) -> str:
    """A table of ``(label, *counts)`` rows by ``axis`` (``"function"`` or ``"region"``)."""
    months = [data.edition_short(edition, lang) for edition in (data.inventory, data.follow_up)]
    gaps_in = [t(lang, "gaps_in", month=month) for month in months]
    header = [t(lang, axis), *gaps_in, *(capital(word) for word in status_words(lang))]
    return table(header, rows, "l" + "r" * len(COUNT_COLUMNS))


def history_cells(data: Data, lang: str, cells: list[HistoryCell]) -> list[str]:
    """One cell per edition of a gap's history: its status ("listad", "kvarstår", "listas inte
    längre"…), then what the region's answers in that edition said ("svar: åtgärd planerad");
    a dash where the edition neither lists the gap nor says anything of it."""
    result = []
    for status, stances in cells:
        parts = []
        if status is not None:
            parts.append(
                t(lang, "history.listed") if status == "listed" else status_word(lang, status)
            )
        if stances:
            said = [lower_first(data.stance_label(stance, lang)) for stance in stances]
            parts.append(f"{t(lang, 'history.answer')}: {listing(lang, said)}")
        result.append("; ".join(parts) or "–")
    return result


def _figure(env: jinja2.Environment, lang: str) -> Callable[[str | None, str, str], str]:
    def figure(svg: str | None, caption: str, label: str) -> str:
        """A ``<figure>`` with the SVG (named by ``label`` for screen readers) and a caption.

        ``svg`` is the site's own drawing (``_figures``: vl-convert's SVG, or the map, whose
        texts are XML-escaped), inserted as it is; ``caption`` and ``label`` are escaped
        unless a template made them (a ``{% set %}`` block, its values escaped already).
        """
        return trusted(
            env.get_template("figure.html").render(
                svg=None if svg is None else trusted(svg),
                caption=escaped(caption),
                label=escaped(label),
                no_viz=t(lang, "no_viz"),
            )
        )

    return figure
