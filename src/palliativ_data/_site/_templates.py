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
- ``t(key)``, ``status_word(status)``, ``status_words()``: the shared words of ``_text.py``;
- ``table(header, rows, align)``: a Markdown table (its cells escaped); ``cell`` (filter): a
  value escaped for a table cell; ``capital`` (filter): the first letter in upper case;
- ``counts_table(axis, rows)``: gaps then and now and by status, per ``"function"`` or
  ``"region"``;
- ``figure(svg, caption, label)``: a chart or the map with its caption (``figure.html``), or a
  note when the figure could not be drawn;
- ``nested`` (filter): an English page inside the Swedish one, for the pages that exist in
  English only (``{% filter nested %}{% include "en/cli.md" %}{% endfilter %}``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._comparison.constants import STATUSES
from .._errors import MissingExtraError
from ._common import Data, capital, cell, escaped, table, trusted
from ._text import status_word, status_words, t

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

TEMPLATES = Path(__file__).with_name("templates")
"""The folder of the site's templates."""

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
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = cell
    env.filters["capital"] = capital
    env.filters["nested"] = nested
    return env


def nested(page: str) -> str:
    """An English page inside a Swedish one (the reference pages): its title one level down,
    under the Swedish page's own title (and a blank line more below it, as the pages have).
    ``page`` is a rendered template (Markdown the site made), and so is the result."""
    return trusted("#" + str(escaped(page)).replace("\n", "\n\n", 1))


def render(
    env: jinja2.Environment, template: str, data: Data, lang: str, values: dict[str, Any]
) -> str:
    """The text of ``template`` in ``lang`` (``templates/<lang>/<template>``) with ``values``."""
    return env.get_template(f"{lang}/{template}").render(
        {**common_values(env, data, lang), **values}
    )


def common_values(env: jinja2.Environment, data: Data, lang: str) -> dict[str, Any]:
    """What every template sees besides its page's values (the module docstring lists it)."""
    return {
        "data": data,
        "lang": lang,
        "inventory_month": data.edition_short(data.inventory, lang),
        "follow_up_month": data.edition_short(data.follow_up, lang),
        "t": functools.partial(t, lang),
        "status_word": functools.partial(status_word, lang),
        "status_words": functools.partial(status_words, lang),
        "table": table,
        "counts_table": functools.partial(counts_table, data, lang),
        "figure": _figure(env, lang),
    }


def counts(row: Any) -> tuple[int, ...]:
    """The ``COUNT_COLUMNS`` of a comparison row's counts."""
    return tuple(getattr(row, column) for column in COUNT_COLUMNS)


def counts_table(data: Data, lang: str, axis: str, rows: list[tuple[Any, ...]]) -> str:
    """A table of ``(label, *counts)`` rows by ``axis`` (``"function"`` or ``"region"``)."""
    inv_m, fu_m = data.edition_short(data.inventory, lang), data.edition_short(data.follow_up, lang)
    header = [t(lang, axis), inv_m, fu_m, *(capital(word) for word in status_words(lang))]
    return table(header, rows, "l" + "r" * len(COUNT_COLUMNS))


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
