"""Figures: the map of Sweden and the charts, drawn at build time by ``palliativ_data._site._viz``.

``_viz`` (owned by the visualisation work) renders Vega-Lite to SVG offline and draws the map.
When it cannot be imported (or its renderer is not installed) the pages say so and keep the
table, which carries the same figures — the build never fails for a missing picture.
"""

from __future__ import annotations

import re
from typing import Any


def _viz() -> Any | None:
    try:
        from . import _viz
    except ImportError:
        return None
    return _viz


def _inline(svg: str) -> str:
    """SVG text ready to sit in a Markdown raw HTML block: no XML prolog, no blank lines."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg).strip()
    return "\n".join(line for line in svg.splitlines() if line.strip())


_NUMBER = re.compile(r"-?\d+\.\d+")
_PATH_DATA = re.compile(r'\bd="([^"]*)"')


def _compact(svg: str) -> str:
    """Lighter path data for the inline map: coordinates to a tenth of a pixel, and a point
    closer than ``_MIN_STEP`` pixels to the last one kept dropped (below what a screen shows).
    The home page loads the map inline and must stay well under 1 MB."""
    return _PATH_DATA.sub(lambda m: f'd="{_thin(m.group(1))}"', svg)


_MIN_STEP = 0.8
_SEGMENT = re.compile(r"([ML])\s*(-?[\d.]+)[ ,](-?[\d.]+)|([Zz])|([^MLZz]+)")


def _thin(path: str) -> str:
    out: list[str] = []
    last: tuple[float, float] | None = None
    for command, x_text, y_text, close, other in _SEGMENT.findall(path):
        if other.strip():
            return _NUMBER.sub(_rounded, path)  # a command we do not thin (curves): round only
        if close:
            out.append("Z")
            last = None
            continue
        x, y = float(x_text), float(y_text)
        if command == "L" and last is not None and abs(x - last[0]) + abs(y - last[1]) < _MIN_STEP:
            continue
        out.append(f"{command}{_fmt(x)},{_fmt(y)}")
        last = (x, y)
    return "".join(out)


def _fmt(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _rounded(match: re.Match[str]) -> str:
    return _fmt(float(match.group(0)))


def map_svg(rows: list[dict[str, str]], lang: str) -> str | None:
    viz = _viz()
    if viz is None:
        return None
    try:
        return _inline(_compact(viz.category_map_svg(rows, lang)))
    except ImportError:
        return None


def chart_svg(spec: dict[str, Any]) -> str | None:
    viz = _viz()
    if viz is None:
        return None
    try:
        return _inline(str(viz.render_svg(spec)))
    except ImportError:
        return None
