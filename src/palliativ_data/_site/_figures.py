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


def chart_svg(spec: dict[str, Any]) -> str | None:
    """A Vega-Lite chart as SVG (``_viz.render_svg``); None without vl-convert."""
    try:
        return _inline(_viz.render_svg(spec))
    except ImportError:
        return None
