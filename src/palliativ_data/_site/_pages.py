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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._comparison.constants import STATUSES
from .._validation import codes as catalogue
from . import _about
from ._common import Data, capital, csv_text, link, lower_first, prose, region_slug, slug
from ._downloads import downloads
from ._figures import chart_svg, listing_map_svg, map_svg
from ._promise_pages import promises
from ._reference import cli_reference, dictionary, dictionary_table
from ._region_pages import region_page, rows_of
from ._shown import Inputs, Shown
from ._templates import COUNT_COLUMNS, TEMPLATES, counts
from ._text import number, status_word, status_words, t
from ._viz import status_chart_spec

Show = Callable[..., Shown]
"""``show(inputs, lang)``, or ``show(inputs, lang, item)`` for a page per item (``Page.each``)."""

Each = Callable[[Data], Sequence[tuple[str, Any]]]
"""``each(data)``: the items a page is written once for (regions, functions…), each with the
slug its file is named by."""


@dataclass(frozen=True)
class Page:
    """One generated page (or one per region) in every language of the site."""

    path: str
    """Where it is written under each language, e.g. ``comparison.md``; with ``{slug}``, one
    page per item of ``each`` (``regions/{slug}.md``)."""
    template: str
    """The template's name under ``templates/sv/`` and ``templates/en/``."""
    show: Show | None
    """What the page shows (``None``: the template needs only the common values)."""
    nav: tuple[str, str] | None
    """The page's title in the navigation, Swedish and English: ``mkdocs.yml`` lists it under
    ``nav`` and translates it under ``nav_translations`` (a test checks both). ``None`` for
    pages the navigation lists otherwise (a page per item, listed under ``under``)."""
    each: Each | None = None
    """For a page per item: the items and their slugs (the path holds ``{slug}``)."""
    under: str | None = None
    """For a page per item: the page whose entry in the navigation lists them (the MkDocs
    hook adds them there, from the data; see :func:`listed_under`)."""

    def __post_init__(self) -> None:
        if ("{slug}" in self.path) != (self.each is not None):
            raise ValueError(f"{self.path}: a page per item has {{slug}} in its path and `each`")

    @property
    def repeated(self) -> bool:
        """Whether the page is written once per item (``each``)."""
        return self.each is not None

    def paths(self, data: Data) -> list[str]:
        """The files the page is written to under each language."""
        if self.each is None:
            return [self.path]
        return [self.path.format(slug=slug) for slug, _ in self.each(data)]


def regions_each(data: Data) -> list[tuple[str, Any]]:
    """The regions, each with the slug of its page (``23-jamtland-harjedalen``)."""
    return [(region_slug(region), region) for region in data.regions]


def functions_each(data: Data) -> list[tuple[str, Any]]:
    """The functions, each with the slug of its page (from the Swedish label)."""
    return [(data.function_slugs[code], code) for code in data.functions]


def resources_each(data: Data) -> list[tuple[str, Any]]:
    """The tables of the package, each with the slug of its page in the data dictionary."""
    return [(slug(r["name"]), r["name"]) for r in data.pkg.descriptor["resources"]]


# ====================================================================== home


def home(inputs: Inputs, lang: str) -> Shown:
    data = inputs.data
    fu = data.follow_up
    answered = {r.region_code for r in data.pkg.responses(edition=fu.edition)}
    by_category = Counter(c.category for c in data.classification.values())
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
            data.categories[code],
            [r for r in data.regions if data.classification[r.region_code].category == code],
        )
        for code in data.categories
    ]
    files["data/gaps-per-function.csv"] = _function_regions_csv(data)
    matrix, files["data/region-function-matrix.csv"] = _matrix(data)
    figures = data.key_figures
    category_figures = sorted(
        (k for k in figures.values() if k.category is not None),
        key=lambda k: data.categories[k.category].position,
    )
    summary = data.comparison.summary
    return Shown(
        {
            "summary": summary,
            "regions": len(data.regions),
            "answered": len(answered),
            "silent": [r for r in data.regions if r.region_code not in answered],
            "people": figures.get("people_not_reached_per_year"),  # a package may lack it
            "category_figures": category_figures,
            "gap_totals": [
                (edition, len(data.pkg.gaps(edition=edition.edition))) for edition in data.editions
            ],
            "list_sections": [_sections(data.pkg.gaps(edition=e.edition)) for e in data.editions],
            "map": map_svg(map_rows, lang),
            "category_members": members,
            "function_rows": _function_regions(data, lang),
            "functions": [
                (data.function_label(code, lang), f"functions/{data.function_slugs[code]}.md")
                for code in data.functions
            ],
            "matrix": matrix,
        },
        files,
    )


def _sections(rows: Sequence[Any]) -> list[str]:
    """The sections of the source that ``rows`` come from (the first part of each
    ``source_ref``), in order of first use."""
    return list(dict.fromkeys(data_row.source_ref.split(" › ")[0] for data_row in rows))


def _listing_regions(data: Data, function: str) -> list[tuple[Any, list[Any]]]:
    """``(edition, regions listing a gap of function)`` for each edition the pages show."""
    result = []
    for edition in data.editions:
        codes = {g.region_code for g in data.pkg.gaps(edition=edition.edition, function=function)}
        result.append((edition, [r for r in data.regions if r.region_code in codes]))
    return result


def _function_regions(data: Data, lang: str, root: str = "") -> list[tuple[Any, ...]]:
    """Per function: a link to its page (from a page ``root`` below the language's root), then
    the regions listing a gap of it and the gaps, in each edition (``function_table`` in the
    templates)."""
    rows = []
    for code in data.functions:
        per_edition = _listing_regions(data, code)
        gaps = [len(data.pkg.gaps(edition=e.edition, function=code)) for e in data.editions]
        target = f"{root}functions/{data.function_slugs[code]}.md"
        rows.append(
            (
                link(data.function_label(code, lang), target),
                *(len(r) for _, r in per_edition),
                *gaps,
            )
        )
    return rows


def _function_regions_csv(data: Data) -> str:
    """The rows behind ``_function_regions``: per function and edition, regions and gaps."""
    rows = []
    for code, function in data.functions.items():
        for edition, regions in _listing_regions(data, code):
            gaps = len(data.pkg.gaps(edition=edition.edition, function=code))
            rows.append(
                (code, function.label_sv, function.label_en, edition.edition, len(regions), gaps)
            )
    return csv_text(["function", "label_sv", "label_en", "edition", "regions", "gaps"], rows)


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
        page = link(region.name_source, f"regions/{data.region_slugs[region.region_code]}.md")
        rows.append([page, *cells])
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
        page = link(region.name_source, f"../regions/{data.region_slugs[region.region_code]}.md")
        category = data.category_label(rc.new_category, lang) if rc.new_category else "–"
        rows.append((page, rc.counts.old, rc.counts.new, category))
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


# ====================================================================== comparison


def _status_bars(label: str, counts: Any, lang: str) -> list[dict[str, Any]]:
    """One bar segment per status for ``label`` (a function or a region) in the status chart."""
    return [
        {
            "label": label,
            "status": status_word(lang, status),
            "gaps": getattr(counts, status),
            "rank": rank,
            # what a screen reader says for the bar, in the page's language
            "description": f"{label}, {status_word(lang, status)}: {number(lang, getattr(counts, status))}",
        }
        for rank, status in enumerate(STATUSES)
    ]


def _status_spec(rows: list[dict[str, Any]], lang: str, axis: str) -> dict[str, Any]:
    """A horizontal stacked bar chart of gaps by status by ``axis`` (``_viz``): the functions'
    long names above their bars, the regions' beside them; axes, legend and bars described
    for screen readers in the page's language."""
    return status_chart_spec(
        rows,
        status_words(lang),
        t(lang, "gap_count"),
        labels_above=axis == "function",
        label_title=t(lang, axis),
        legend_title=t(lang, "legend"),
    )


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
        page = link(region.name_source, f"regions/{data.region_slugs[region.region_code]}.md")
        region_rows.append((page, *counts(rc.counts)))
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
        **_pairs_csv(data),
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
            "function_chart": chart_svg(_status_spec(function_bars, lang, "function"), lang),
            "function_rows": _function_rows(data, lang),
            "region_chart": chart_svg(_status_spec(region_bars, lang, "region"), lang),
            "region_rows": region_rows,
            "steps": _pair_rows(data, lang, data.steps),
            "other_pairs": _pair_rows(
                data, lang, [p for p in data.pairs if all(p is not s for s in data.steps)]
            ),
        },
        files,
    )


def _pair_rows(data: Data, lang: str, pairs: Sequence[Any]) -> list[tuple[Any, ...]]:
    """``(older, newer, *counts)`` per comparison of two editions, named as the pages name
    them; none unless the package holds more editions than the two the page compares."""
    if not data.has_history:
        return []
    edition = {e.edition: e for e in data.history}
    return [
        (
            capital(data.edition_short(edition[pair.old_edition], lang)),
            capital(data.edition_short(edition[pair.new_edition], lang)),
            *counts(pair.summary),
        )
        for pair in pairs
    ]


def _pairs_csv(data: Data) -> dict[str, str]:
    """The rows behind the comparison page's table of every two editions (none with two)."""
    if not data.has_history:
        return {}
    text = csv_text(
        ["old_edition", "new_edition", "consecutive", *COUNT_COLUMNS],
        [
            (
                pair.old_edition,
                pair.new_edition,
                any(pair is step for step in data.steps),
                *counts(pair.summary),
            )
            for pair in data.pairs
        ],
    )
    return {"data/comparison-pairs.csv": text}


# ====================================================================== functions


def _listing(data: Data, function: str) -> dict[str, str]:
    """Region code → ``"listed"`` (a gap of ``function`` in the latest edition), ``"earlier"``
    (only in an earlier one) or ``"never"`` (``_viz.LISTING_COLOURS``)."""
    result = {}
    lists = _listing_regions(data, function)
    for region in data.regions:
        found = [region in regions for _, regions in lists]
        result[region.region_code] = "listed" if found[-1] else "earlier" if any(found) else "never"
    return result


def functions_index(inputs: Inputs, lang: str) -> Shown:
    data = inputs.data
    return Shown(
        {
            "functions": [
                (
                    code,
                    data.function_slugs[code],
                    [len(regions) for _, regions in _listing_regions(data, code)],
                )
                for code in data.functions
            ],
            "function_rows": _function_regions(data, lang, "../"),
        }
    )


def function_page(inputs: Inputs, lang: str, function: str) -> Shown:
    """Which regions list a gap of one function, in each edition, and what their answers say."""
    data = inputs.data
    slug = data.function_slugs[function]
    gaps = [g for g in data.comparison.gaps if g.function == function]
    responses = {r.response_id: r for r in data.pkg.responses()}
    answered = {r.region_code for r in data.pkg.responses(edition=data.follow_up.edition)}
    answers_of = Counter(r.region_code for r in responses.values())
    listing = _listing(data, function)
    regions = []
    for region in data.regions:
        mine = [g for g in gaps if g.region_code == region.region_code]
        if not mine:
            continue
        regions.append(
            (
                region,
                [
                    (
                        gap,
                        [
                            (responses[note.response_id], row)
                            for note in gap.answers
                            if (row := data.gap_answer(note.response_id, gap.gap_key))
                        ],
                    )
                    for gap in mine
                ],
            )
        )
    label = data.function_label(function, lang)
    month = data.edition_short(data.follow_up, lang)
    words = {code: t(lang, f"listing.{code}", month=month) for code in set(listing.values())}
    map_rows = [
        {
            "iso": region.iso_3166_2,
            "region_code": region.region_code,
            "name": region.name_source,
            "category": listing[region.region_code],
            "category_label": words[listing[region.region_code]],
            "href": f"../../regions/{data.region_slugs[region.region_code]}/",
        }
        for region in data.regions
    ]
    title = t(lang, "listing.title", function=lower_first(label), month=month)
    keys = {g.gap_key for g in gaps}
    files = {}
    header, rows = rows_of(data, "gaps", lambda row: row["function"] == function)
    files[f"functions/{slug}-gaps.csv"] = csv_text(header, rows)
    header, rows = rows_of(data, "gap_answers", lambda row: row["gap_key"] in keys)
    files[f"functions/{slug}-gap-answers.csv"] = csv_text(header, rows)
    per_edition = _listing_regions(data, function)
    return Shown(
        {
            "function": data.functions[function],
            "label": label,
            "slug": slug,
            "per_edition": [
                (edition, found, len(data.pkg.gaps(edition=edition.edition, function=function)))
                for edition, found in per_edition
            ],
            "rows": [
                (
                    link(
                        region.name_source, f"../regions/{data.region_slugs[region.region_code]}.md"
                    ),
                    *(
                        sum(1 for g, _ in items if _row_in(g, edition)) or "–"
                        for edition in data.editions
                    ),
                )
                for region, items in regions
            ],
            "regions": regions,
            "without": [r for r in data.regions if listing[r.region_code] == "never"],
            "answered": answered,
            "several_answers": {code for code, n in answers_of.items() if n > 1},
            "map": listing_map_svg(map_rows, lang, title, t(lang, "listing.legend")),
            "map_title": title,
        },
        files,
    )


def _row_in(gap: Any, edition: Any) -> Any:
    """The row of a gap change in ``edition``, or None where that edition does not list it."""
    return next(
        (r for r in (gap.old, gap.new) if r is not None and r.edition == edition.edition), None
    )


# ====================================================================== the table


def _downloads(inputs: Inputs, lang: str) -> Shown:
    return Shown(downloads(inputs.data, inputs.release, lang))


def _dictionary(inputs: Inputs, lang: str) -> Shown:
    return Shown(dictionary(inputs.data, lang))


def _dictionary_table(inputs: Inputs, lang: str, name: str) -> Shown:
    return Shown(dictionary_table(inputs.data, lang, name))


def _cli(inputs: Inputs, lang: str) -> Shown:
    return Shown(cli_reference(inputs.cli_parser))


def _install(inputs: Inputs, lang: str) -> Shown:
    return Shown(_about.install(inputs.data, lang))


def _accessibility(inputs: Inputs, lang: str) -> Shown:
    return Shown(_about.accessibility(inputs.data, lang))


def problem_codes(inputs: Inputs, lang: str) -> Shown:
    """The problem codes of ``validate`` by layer, in the order the layers run (the catalogue)."""
    sv = lang == "sv"
    layers = [  # read at call time: a code added to the catalogue is on the page
        (
            layer,
            titles[1] if sv else titles[0],
            [_problem_code(c) for c in catalogue.CODES if c.layer == layer],
        )
        for layer, titles in catalogue.LAYERS.items()
    ]
    return Shown({"layers": layers})


def _problem_code(entry: catalogue.ProblemCode) -> dict[str, str]:
    """A catalogue entry's texts as the page shows them: escaped, their `code` kept (prose)."""
    texts = ("title_en", "todo_en", "title_sv", "todo_sv")
    return {"code": entry.code, **{name: prose(getattr(entry, name)) for name in texts}}


PAGES: tuple[Page, ...] = (
    Page("index.md", "index.md", home, nav=("Start", "Home")),
    Page("regions/index.md", "regions.md", regions_index, nav=("Regioner", "Regions")),
    Page(
        "regions/{slug}.md",
        "region.md",
        region_page,
        nav=None,
        each=regions_each,
        under="regions/index.md",
    ),
    Page("functions/index.md", "functions.md", functions_index, nav=("Funktioner", "Functions")),
    Page(
        "functions/{slug}.md",
        "function.md",
        function_page,
        nav=None,
        each=functions_each,
        under="functions/index.md",
    ),
    Page("comparison.md", "comparison.md", comparison, nav=("Jämförelse", "Comparison")),
    Page("promises.md", "promises.md", promises, nav=("Utlovade åtgärder", "Promises")),
    Page("downloads.md", "downloads.md", _downloads, nav=("Ladda ner data", "Downloads")),
    Page("dictionary.md", "dictionary.md", _dictionary, nav=("Datakatalog", "Data dictionary")),
    Page(
        "dictionary/{slug}.md",
        "dictionary-table.md",
        _dictionary_table,
        nav=None,
        each=resources_each,
        under="dictionary.md",
    ),
    Page("cli.md", "cli.md", _cli, nav=("Kommandoraden", "Command line")),
    Page("problems.md", "problems.md", problem_codes, nav=("Problemkoder", "Problem codes")),
    Page("install.md", "install.md", _install, nav=("Installera", "Install and quick start")),
    Page(
        "accessibility.md",
        "accessibility.md",
        _accessibility,
        nav=("Tillgänglighet", "Accessibility"),
    ),
)
"""Every generated page: the one place a page is added (see ``Page``)."""

TEMPLATE_DIRS: tuple[Path, ...] = (TEMPLATES,)
"""The folders the pages' templates are looked up in, in order."""


def listed_under(data: Data) -> dict[str, list[str]]:
    """The pages written per item, by the page the navigation lists them under
    (``{"regions/index.md": ["regions/01-stockholm.md", …]}``): the MkDocs hook adds them."""
    listed: dict[str, list[str]] = {}
    for page in PAGES:
        if page.under is not None:
            listed.setdefault(page.under, []).extend(page.paths(data))
    return listed
