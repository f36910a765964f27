"""The site's generated pages: the one table of them (``PAGES``) and what each page shows.

A page is a row of ``PAGES``: where it is written, its template (``templates/sv/<template>``
and ``templates/en/<template>``, the page's wording), the function that computes what it
shows (its *show* function: numbers, lists, labels of codes in the language, drawn figures, and
the CSV files behind its tables) and its title in the navigation. ``render`` in
``__init__.py`` walks the table; nothing else lists the pages (see "How to add a site page" in
``docs/en/contributing.md``).

CSV files (the exact rows behind a table) are written next to the Swedish pages only — the
i18n plugin serves the default language's files under ``/en/`` too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._comparison.constants import STATUSES
from .._validation import codes as catalogue
from ._common import Data, csv_text
from ._downloads import downloads
from ._figures import chart_svg, map_svg
from ._reference import cli_reference, dictionary
from ._templates import COUNT_COLUMNS, TEMPLATES, counts
from ._text import status_word, status_words, t

if TYPE_CHECKING:  # pragma: no cover
    import argparse

PROMISE_STANCES = ("action_taken", "action_decided", "planned")
"""Stances that state an action; a gap with one of these, or with a target year, is a promise."""


@dataclass(frozen=True)
class Inputs:
    """What the pages are made from: the data, the release built from it, the CLI's parser."""

    data: Data
    release: Path
    """The release folder (``built_release``); the downloads page lists its files."""
    cli_parser: argparse.ArgumentParser
    """The parser of ``palliativ-data``, for the CLI reference (passed in by the caller, so
    that the site does not import the CLI)."""


@dataclass
class Shown:
    """What one page shows in one language: the template's values and the CSV files behind it."""

    values: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """CSV files by path relative to the language's root (``data/map.csv``)."""


Show = Callable[..., Shown]
"""``show(inputs, lang)``, or ``show(inputs, lang, region)`` for a page per region."""


@dataclass(frozen=True)
class Page:
    """One generated page (or one per region) in every language of the site."""

    path: str
    """Where it is written under each language, e.g. ``comparison.md``; with ``{slug}`` (a
    region's ``_common.region_slug``) one page per region."""
    template: str
    """The template's name under ``templates/sv/`` and ``templates/en/``."""
    show: Show | None
    """What the page shows (``None``: the template needs only the common values)."""
    nav: tuple[str, str] | None
    """The page's title in the navigation, Swedish and English: ``mkdocs.yml`` lists it under
    ``nav`` and translates it under ``nav_translations`` (a test checks both). ``None`` for
    pages the navigation lists otherwise (the region pages, added by the MkDocs hook)."""

    @property
    def per_region(self) -> bool:
        return "{slug}" in self.path


# ====================================================================== home


def home(inputs: Inputs, lang: str) -> Shown:
    data = inputs.data
    fu = data.follow_up
    answered = {r.region_code for r in data.pkg.responses()}
    by_category = Counter(c.category for c in data.classification.values())
    first_category = next(iter(data.categories))
    files: dict[str, str] = {}

    files["data/regions-per-category.csv"] = csv_text(
        ["edition", "category", "heading_sv", "label_en", "regions"],
        [
            (fu.edition, code, c.heading_sv, c.label_en, by_category[code])
            for code, c in data.categories.items()
        ],
    )
    map_rows = []
    for region in data.regions:
        code = data.classification[region.region_code].category
        map_rows.append(
            {
                "iso": region.iso_3166_2,
                "region_code": region.region_code,
                "name": region.name_source,
                "category": code,
                "category_label": data.category_label(code, lang),
                "href": f"regions/{data.region_slugs[region.region_code]}/",
            }
        )
    files["data/map.csv"] = csv_text(
        ["region_code", "iso_3166_2", "name", "edition", "category"],
        [(r["region_code"], r["iso"], r["name"], fu.edition, r["category"]) for r in map_rows],
    )
    members = [
        (
            data.category_label(code, lang),
            [r for r in data.regions if data.classification[r.region_code].category == code],
        )
        for code in data.categories
    ]
    files["data/gaps-per-function.csv"] = _function_csv(data)
    matrix, files["data/region-function-matrix.csv"] = _matrix(data)
    return Shown(
        {
            "summary": data.comparison.summary,
            "regions": len(data.regions),
            "answered": len(answered),
            "with_plans": by_category[first_category],
            "categories": [
                (data.category_label(code, lang), by_category[code]) for code in data.categories
            ],
            "map": map_svg(map_rows, lang),
            "category_members": members,
            "region_slugs": data.region_slugs,
            "function_rows": _function_rows(data, lang),
            "functions": [data.function_label(code, lang) for code in data.functions],
            "matrix": matrix,
        },
        files,
    )


def _matrix(data: Data) -> tuple[list[list[str]], str]:
    """Rows of gaps per region (a link) and function (``old→new``), and the CSV behind them."""
    comp = data.comparison
    counts_of: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for gap in comp.gaps:
        if gap.old is not None:
            counts_of[(gap.region_code, gap.function)][0] += 1
        if gap.new is not None:
            counts_of[(gap.region_code, gap.function)][1] += 1
    rows = []
    csv_rows = []
    for region in data.regions:
        cells = []
        for code in data.functions:
            old, new = counts_of.get((region.region_code, code), [0, 0])
            cells.append("–" if old == new == 0 else f"{old}→{new}")
            csv_rows.append(
                (
                    region.region_code,
                    region.name_source,
                    code,
                    data.inventory.edition,
                    old,
                    data.follow_up.edition,
                    new,
                )
            )
        link = f"[{region.name_source}](regions/{data.region_slugs[region.region_code]}.md)"
        rows.append([link, *cells])
    text = csv_text(
        ["region_code", "region", "function", "old_edition", "old_gaps", "new_edition", "new_gaps"],
        csv_rows,
    )
    return rows, text


def _function_counts(data: Data) -> list[tuple[str, Any]]:
    by_code = {f.function: f for f in data.comparison.functions}
    return [(code, by_code[code].counts) for code in data.functions if code in by_code]


def _function_rows(data: Data, lang: str) -> list[tuple[Any, ...]]:
    """``(label, *counts)`` per function, for ``counts_table``."""
    return [(data.function_label(code, lang), *counts(c)) for code, c in _function_counts(data)]


def _function_csv(data: Data) -> str:
    comp = data.comparison
    return csv_text(
        ["function", "label_sv", "label_en", "old_edition", "new_edition", *COUNT_COLUMNS],
        [
            (
                code,
                data.functions[code].label_sv,
                data.functions[code].label_en,
                comp.old_edition,
                comp.new_edition,
                *counts(c),
            )
            for code, c in _function_counts(data)
        ],
    )


# ====================================================================== regions


def regions_index(inputs: Inputs, lang: str) -> Shown:
    data = inputs.data
    comp = data.comparison
    rows = []
    for region in data.regions:
        rc = comp.region(region.region_code)
        link = f"[{region.name_source}](../regions/{data.region_slugs[region.region_code]}.md)"
        category = data.category_label(rc.new_category, lang) if rc.new_category else "–"
        rows.append((link, rc.counts.old, rc.counts.new, category))
    regions_csv = csv_text(
        ["region_code", "name", "old_edition", "old_gaps", "new_edition", "new_gaps", "category"],
        [
            (
                r.region_code,
                r.name_source,
                comp.old_edition,
                comp.region(r.region_code).counts.old,
                comp.new_edition,
                comp.region(r.region_code).counts.new,
                comp.region(r.region_code).new_category,
            )
            for r in data.regions
        ],
    )
    return Shown({"rows": rows}, {"data/regions.csv": regions_csv})


def _list_order(row: Any) -> tuple[int, int]:
    """Where a gap row stands in its edition's list: list position, then part."""
    return (int(row.list_position), int(row.part))


def region_page(inputs: Inputs, lang: str, region: Any) -> Shown:
    data = inputs.data
    code = region.region_code
    slug = data.region_slugs[code]
    classification = data.classification[code]
    gaps = data.comparison.gaps_of(code)
    responses = sorted(data.pkg.responses(region=code), key=lambda r: r.position)
    # each edition's list of the region's gaps, in the list's order: (gap change, gap row)
    old_list = sorted(
        ((g, g.old) for g in gaps if g.old is not None), key=lambda p: _list_order(p[1])
    )
    new_list = sorted(
        ((g, g.new) for g in gaps if g.new is not None), key=lambda p: _list_order(p[1])
    )
    lists = [(data.inventory, old_list), (data.follow_up, new_list)]
    sources = [
        (
            edition.edition,
            row.gap_key,
            row.source_ref + (f" ({row.source_line})" if row.source_line else ""),
        )
        for edition, items in lists
        for _gap, row in items
    ]
    return Shown(
        {
            "region": region,
            "slug": slug,
            "counts": data.comparison.region(code).counts,
            "classification": classification,
            "category": data.categories[classification.category],
            "lists": lists,
            "answered": [gap for gap, _row in old_list if gap.answers],
            "responses": responses,
            "position_of": {r.response_id: r.position for r in responses},
            "sources": sources,
        },
        _region_csvs(data, region, slug),
    )


def _rows_of(data: Data, resource: str, keep: Any) -> tuple[list[str], list[list[Any]]]:
    tbl = data.pkg.table(resource)
    header = list(tbl.column_names)
    rows = [[row[c] for c in header] for row in tbl.to_pylist() if keep(row)]
    return header, rows


def _region_csvs(data: Data, region: Any, slug: str) -> dict[str, str]:
    code = region.region_code
    files = {}
    header, rows = _rows_of(data, "gaps", lambda row: row["region_code"] == code)
    files[f"regions/{slug}-gaps.csv"] = csv_text(header, rows)
    header, rows = _rows_of(data, "responses", lambda row: row["region_code"] == code)
    if rows:
        files[f"regions/{slug}-responses.csv"] = csv_text(header, rows)
        ids = {row[header.index("response_id")] for row in rows}
        header, rows = _rows_of(data, "gap_answers", lambda row: row["response_id"] in ids)
        files[f"regions/{slug}-gap-answers.csv"] = csv_text(header, rows)
    return files


# ====================================================================== comparison


def _status_bars(label: str, counts: Any, lang: str) -> list[dict[str, Any]]:
    """One bar segment per status for ``label`` (a function or a region) in the status chart."""
    return [
        {
            "label": label,
            "status": status_word(lang, status),
            "gaps": getattr(counts, status),
            "rank": rank,
        }
        for rank, status in enumerate(STATUSES)
    ]


def _status_spec(rows: list[dict[str, Any]], lang: str, axis: str) -> dict[str, Any]:
    """A horizontal stacked bar chart of gaps by status (Vega-Lite) by ``axis``."""
    order = status_words(lang)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 320,
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": None,
                "title": t(lang, axis),
                "axis": {"labelLimit": 280, "labelFontSize": 12},
            },
            "x": {"field": "gaps", "type": "quantitative", "title": t(lang, "gap_count")},
            "color": {
                "field": "status",
                "type": "nominal",
                "sort": order,
                "title": None,
                "scale": {"domain": order, "range": ["#0072B2", "#E69F00", "#009E73"]},
                "legend": {"orient": "top"},
            },
            "order": {"field": "rank", "type": "quantitative"},
        },
        "config": {"font": "sans-serif"},
    }


def comparison(inputs: Inputs, lang: str) -> Shown:
    data = inputs.data
    comp = data.comparison
    function_bars = []
    for code, c in _function_counts(data):
        function_bars += _status_bars(data.function_label(code, lang), c, lang)
    region_bars = []
    region_rows = []
    csv_rows = []
    for region in data.regions:
        rc = comp.region(region.region_code)
        region_bars += _status_bars(region.name_source, rc.counts, lang)
        link = f"[{region.name_source}](regions/{data.region_slugs[region.region_code]}.md)"
        region_rows.append((link, *counts(rc.counts)))
        csv_rows.append(
            (
                region.region_code,
                region.name_source,
                comp.old_edition,
                comp.new_edition,
                *counts(rc.counts),
                rc.new_category,
            )
        )
    files = {
        "data/comparison-by-function.csv": _function_csv(data),
        "data/comparison-by-region.csv": csv_text(
            ["region_code", "region", "old_edition", "new_edition", *COUNT_COLUMNS, "category"],
            csv_rows,
        ),
        "data/comparison-gaps.csv": csv_text(
            ["region_code", "gap_key", "function", "status", "label_sv", "label_en"],
            [
                (g.region_code, g.gap_key, g.function, g.status, g.label_sv, g.label_en)
                for g in comp.gaps
            ],
        ),
    }
    return Shown(
        {
            "comparison": comp,
            "summary": comp.summary,
            "function_chart": chart_svg(_status_spec(function_bars, lang, "function")),
            "function_rows": _function_rows(data, lang),
            "region_chart": chart_svg(_status_spec(region_bars, lang, "region")),
            "region_rows": region_rows,
        },
        files,
    )


# ====================================================================== promises


def promises(inputs: Inputs, lang: str) -> Shown:
    data = inputs.data
    responses = {r.response_id: r for r in data.pkg.responses()}
    items: list[tuple[Any, Any, Any]] = []  # (gap change, note, response)
    for gap in data.comparison.gaps:
        for note in gap.answers:
            if note.stance in PROMISE_STANCES or note.target_year is not None:
                items.append((gap, note, responses[note.response_id]))
    by_year: dict[int | None, list[tuple[Any, Any, Any]]] = defaultdict(list)
    for item in items:
        by_year[item[1].target_year].append(item)
    years = sorted(y for y in by_year if y is not None) + ([None] if None in by_year else [])
    regions = {r.region_code: r for r in data.regions}
    promises_csv = csv_text(
        [
            "target_year",
            "region_code",
            "region",
            "gap_key",
            "edition",
            "status",
            "response_id",
            "stance",
            "label_sv",
            "label_en",
            "summary_sv",
            "summary_en",
        ],
        [
            (
                note.target_year,
                gap.region_code,
                regions[gap.region_code].name_source,
                gap.gap_key,
                note.edition,
                gap.status,
                note.response_id,
                note.stance,
                gap.label_sv,
                gap.label_en,
                note.summary_sv,
                note.summary_en,
            )
            for year in years
            for gap, note, _ in by_year[year]
        ],
    )
    return Shown(
        {
            "gap_count": len({gap.gap_key for gap, _, _ in items}),
            "region_count": len({gap.region_code for gap, _, _ in items}),
            "promise_stances": [data.stance_label(s, lang) for s in PROMISE_STANCES],
            "years": [(year, by_year[year]) for year in years],
            "regions": regions,
        },
        {"data/promises.csv": promises_csv},
    )


# ====================================================================== the table


def _downloads(inputs: Inputs, lang: str) -> Shown:
    return Shown(downloads(inputs.data, inputs.release, lang))


def _dictionary(inputs: Inputs, lang: str) -> Shown:
    return Shown(dictionary(inputs.data))


def _cli(inputs: Inputs, lang: str) -> Shown:
    return Shown(cli_reference(inputs.cli_parser))


def problem_codes(inputs: Inputs, lang: str) -> Shown:
    """The problem codes of ``validate`` by layer, in the order the layers run (the catalogue)."""
    sv = lang == "sv"
    layers = [  # read at call time: a code added to the catalogue is on the page
        (layer, titles[1] if sv else titles[0], [c for c in catalogue.CODES if c.layer == layer])
        for layer, titles in catalogue.LAYERS.items()
    ]
    return Shown({"layers": layers})


PAGES: tuple[Page, ...] = (
    Page("index.md", "index.md", home, nav=("Start", "Home")),
    Page("regions/index.md", "regions.md", regions_index, nav=("Regioner", "Regions")),
    Page("regions/{slug}.md", "region.md", region_page, nav=None),
    Page("comparison.md", "comparison.md", comparison, nav=("Jämförelse", "Comparison")),
    Page("promises.md", "promises.md", promises, nav=("Utlovade åtgärder", "Promises")),
    Page("downloads.md", "downloads.md", _downloads, nav=("Ladda ner data", "Downloads")),
    Page("dictionary.md", "dictionary.md", _dictionary, nav=("Datakatalog", "Data dictionary")),
    Page("cli.md", "cli.md", _cli, nav=("Kommandoraden", "Command line")),
    Page("problems.md", "problems.md", problem_codes, nav=("Problemkoder", "Problem codes")),
)
"""Every generated page: the one place a page is added (see ``Page``)."""

TEMPLATE_DIRS: tuple[Path, ...] = (TEMPLATES,)
"""The folders the pages' templates are looked up in, in order."""
