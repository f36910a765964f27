"""Figures: the map of Sweden and the charts, drawn at build time by ``palliativ_data._site._viz``.

``_viz`` renders Vega-Lite to SVG offline and draws the map. When its renderer (vl-convert, in
the docs extra) is not installed, the pages say so and keep the table, which carries the same
figures — the build never fails for a missing picture.
"""

from __future__ import annotations

import re
from typing import Any

from . import _viz


def _inline(svg: str) -> str:
    """SVG text ready to sit in a Markdown raw HTML block: no XML prolog, no blank lines."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg).strip()
    return "\n".join(line for line in svg.splitlines() if line.strip())


def map_svg(rows: list[dict[str, str]], lang: str) -> str | None:
    """The map of the regions by category (``_viz.category_map_svg``); None without vl-convert."""
    try:
        return _inline(_viz.category_map_svg(rows, lang))
    except ImportError:
        return None


def listing_map_svg(rows: list[dict[str, str]], lang: str, title: str, legend: str) -> str | None:
    """A map of the regions by whether they list a gap (``_viz.LISTING_COLOURS``), named
    ``title`` for screen readers, its legend headed ``legend``; None without vl-convert."""
    spec = _viz.region_map_spec(rows, _viz.LISTING_COLOURS, title, legend, lang)
    try:
        return _inline(_viz.map_svg(spec, lang))
    except ImportError:
        return None


def chart_svg(spec: dict[str, Any], lang: str) -> str | None:
    """A Vega-Lite chart as SVG (``_viz.render_svg``), its parts named for screen readers in
    ``lang``; None without vl-convert."""
    try:
        return _inline(_viz.in_language(_viz.render_svg(spec), spec, lang))
    except ImportError:
        return None
