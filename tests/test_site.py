"""The generated pages of the site: committed, current, and made from the data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from jinja2 import meta

import palliativ_data as pdata
from palliativ_data import _cli as cli
from palliativ_data import _site as site
from palliativ_data._site import _common, _pages, _reference, _shown, _templates
from palliativ_data._site._text import LANGS, number, t

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    with site.built_release() as release:
        return site.render(release, cli.build_parser())


def test_committed_pages_equal_regenerated_ones(rendered: dict[str, str]) -> None:
    stale = site.changed(DOCS, rendered)
    leftovers = [p.relative_to(DOCS).as_posix() for p in site.stale(DOCS, rendered)]
    assert not stale and not leftovers, (
        f"stale generated pages {stale[:10]}, files no longer generated {leftovers[:10]}: run "
        "python -c 'import palliativ_data._site as s; s.generate()' (or mkdocs build) and commit"
    )


def test_write_only_touches_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    files = {"sv/regions/01-a.md": "# A\n", "sv/index.md": "# Start\n"}
    assert len(site.write(tmp_path, files)) == 2
    assert site.write(tmp_path, files) == []
    (tmp_path / "sv/regions/99-gone.md").write_text("old")
    assert site.write(tmp_path, files) == [tmp_path / "sv/regions/99-gone.md"]
    assert not (tmp_path / "sv/regions/99-gone.md").exists()


def test_a_page_per_region_and_language(rendered: dict[str, str]) -> None:
    pkg = pdata.load()
    for lang in ("sv", "en"):
        pages = [n for n in rendered if re.fullmatch(rf"{lang}/regions/\d\d-[a-z-]+\.md", n)]
        assert sorted(p.split("/")[-1][:2] for p in pages) == sorted(
            r.region_code for r in pkg.regions
        )


def test_every_csv_link_has_its_file_and_its_rows_are_the_data(rendered: dict[str, str]) -> None:
    pkg = pdata.load()
    for name, text in rendered.items():
        if not name.endswith(".md"):
            continue
        for link in re.findall(r"\]\(([^)]+\.csv)\)", text):
            target = Path("sv") / Path(name).relative_to(name.split("/")[0]).parent / link
            key = Path(*[p for p in target.parts]).as_posix()
            # resolve ../
            parts: list[str] = []
            for part in key.split("/"):
                if part == "..":
                    parts.pop()
                else:
                    parts.append(part)
            assert "/".join(parts) in rendered, (name, link)
    # a region's CSV holds exactly its rows of gaps.csv
    stockholm = next(r for r in pkg.regions if r.region_code == "01")
    text = rendered[f"sv/regions/{_common.region_slug(stockholm)}-gaps.csv"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted((r["edition"], r["gap_key"]) for r in rows) == sorted(
        (g.edition, g.gap_key) for g in pkg.gaps(region="01")
    )


def test_every_table_offers_a_workbook_beside_its_csv(rendered: site.Files) -> None:
    """Under every table, "Ladda ner data" links the Excel workbook beside the CSV file; each
    workbook holds the CSV's rows (read back by openpyxl), codes kept as text."""
    import openpyxl

    from palliativ_data._release.workbook import REGION_NAME

    footers = 0
    for name, text in rendered.items():
        if not (name.endswith(".md") and isinstance(text, str)):
            continue
        for line in (line for line in text.splitlines() if 'class="pd-source"' in line):
            links = re.findall(r"\]\(([^)]+)\)", line)
            assert [Path(link).suffix for link in links] == [".xlsx", ".csv"], (name, line)
            assert links[0][:-5] == links[1][:-4], (name, links)
            footers += 1
    assert footers > 2 * 21
    csv_files = [n for n in rendered if n.endswith(".csv")]
    assert csv_files and {n[:-4] + ".xlsx" for n in csv_files} == {
        n for n in rendered if n.endswith(".xlsx")
    }
    for name in csv_files:
        text = rendered[name]
        assert isinstance(text, str)
        header, *rows = list(csv.reader(io.StringIO(text, newline="")))
        data = rendered[name[:-4] + ".xlsx"]
        assert isinstance(data, bytes)
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        headings, names, *cells = [list(r) for r in sheet.iter_rows(values_only=True)]
        kept = [i for i, column in enumerate(names) if column != REGION_NAME]
        assert [names[i] for i in kept] == header, name
        assert all(isinstance(h, str) and h for h in headings), name
        as_text = [[_csv_form(row[i]) for i in kept] for row in cells]
        assert as_text == rows, name
        if "region_code" in header:
            codes = [row[names.index("region_code")] for row in cells]
            assert all(isinstance(code, str) and len(code) == 2 for code in codes), name


def _csv_form(value: Any) -> str:
    """A workbook cell as the site's CSV writes the value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):  # a date field: a date at midnight
        assert value.time() == dt.time(0)
        return value.date().isoformat()
    return str(value)


def test_home_figures_come_from_compare(rendered: dict[str, str]) -> None:
    pkg = pdata.load()
    result = pkg.compare("2026-02", "2026-06")
    home = rendered["sv/index.md"]
    s = result.summary
    assert f'<strong class="pd-key-value">{s.old} → {s.new}</strong>' in home
    persisting, dropped = number("sv", s.persisting), number("sv", s.dropped)
    assert f"februari 2026 kvarstår {persisting} och {dropped} listas inte längre." in home
    counts = list(csv.DictReader(io.StringIO(rendered["sv/data/regions-per-category.csv"])))
    assert sum(int(r["regions"]) for r in counts) == len(pkg.regions)
    for row in counts:
        assert int(row["regions"]) == len(
            pkg.classifications(edition="2026-06", category=row["category"])
        )


def test_every_table_and_figure_carries_a_citation(rendered: dict[str, str]) -> None:
    for name, text in rendered.items():
        if not name.endswith(".md") or "dictionary" in name or name.endswith("cli.md"):
            continue
        tables = len(re.findall(r"^\| ---", text, re.M)) + text.count('<figure class="pd-figure"')
        citations = text.count('class="pd-source"') + (1 if "downloads.md" in name else 0)
        if tables:
            assert citations >= 1, name
            assert f"palliativ-data {pdata.load().version}" in text, name


def test_no_list_item_runs_into_the_paragraph_before_it(rendered: dict[str, str]) -> None:
    """A bullet right under a list item's indented paragraph is read by Markdown as more of
    that paragraph: the promises and function pages showed one item per section, the others
    run into it after a literal ' - '. Every bullet after an indented paragraph needs a blank
    line before it."""
    for name, text in rendered.items():
        if not name.endswith(".md"):
            continue
        lines = text.splitlines()
        for before, line in itertools.pairwise(lines):
            if re.match(r"-\s", line):
                assert not re.match(r" {4}\S", before), f"{name}: {line[:80]!r}"


def test_a_reader_can_tell_the_lines_under_tables_apart(rendered: dict[str, str]) -> None:
    """An editor's read (issue 20): a region page showed two identical download lines, one
    under the other (the answers and what they say about each gap); a gap shared by two
    functions showed the same status twice; a title ending in '!' got a full stop after it."""
    link = re.compile(r"\[([^\]]+)\]\([^)]*\)")
    status = re.compile(r'<span class="pd-status pd-\w+">[^<]*</span>')
    for name, text in rendered.items():
        if not name.endswith(".md"):
            continue
        lines = [line for line in text.splitlines() if line.strip()]
        for before, line in itertools.pairwise(lines):
            if 'class="pd-source"' in before and 'class="pd-source"' in line:
                assert link.sub(r"\1", before) != link.sub(r"\1", line), f"{name}: {line[:80]}"
        for line in lines:
            spans = status.findall(line)
            assert len(spans) == len(set(spans)), f"{name}: {line[:80]}"
        assert not re.search(r"[!?]\*?\.", text.replace("...", "")), name


def test_promises_are_grouped_by_target_year(rendered: dict[str, str]) -> None:
    pkg = pdata.load()
    years = sorted({a.target_year for a in pkg.gap_answers() if a.target_year is not None})
    text = rendered["sv/promises.md"]
    positions = [text.index(f"\n## {year}\n") for year in years]
    assert positions == sorted(positions)
    rows = list(csv.DictReader(io.StringIO(rendered["sv/data/promises.csv"])))
    wanted = {
        (a.response_id, a.gap_key)
        for a in pkg.gap_answers()
        if a.target_year is not None or a.stance in ("action_taken", "action_decided", "planned")
    }
    assert {(r["response_id"], r["gap_key"]) for r in rows} == wanted


@pytest.mark.parametrize("lang", LANGS)
def test_dictionary_lists_every_resource_and_field(rendered: dict[str, str], lang: str) -> None:
    """A page per table, in both languages, the Swedish titles and descriptions from the
    schema's ``x-translations.sv``; the first page links every table's page."""
    descriptor = pdata.load().descriptor
    index = rendered[f"{lang}/dictionary.md"]
    for resource in descriptor["resources"]:
        page_name = _common.slug(resource["name"])
        assert f"[`{resource['name']}`](dictionary/{page_name}.md)" in index
        text = rendered[f"{lang}/dictionary/{page_name}.md"]
        own = resource.get("x-translations", {}).get("sv", {}) if lang == "sv" else resource
        assert text.startswith(f"# {own['title']} (`{resource['name']}`)\n")
        for field in resource["schema"]["fields"]:
            own = field.get("x-translations", {}).get("sv", {}) if lang == "sv" else field
            description = _common.prose(own["description"])  # escaped: '<region_code>'
            assert f"\n### `{field['name']}`: {own['title']}\n\n{description}" in text
    # vocabulary values with both labels, the other language marked as such
    stances = rendered[f"{lang}/dictionary/stances.md"]
    for stance in pdata.load().stances:
        sv, en = stance.label_sv, stance.label_en
        cells = (
            f'{sv} | <span lang="en">{en}</span>'
            if lang == "sv"
            else f'<span lang="sv">{sv}</span> | {en}'
        )
        assert f"| `{stance.stance}` | {cells} |" in stances


def test_no_dictionary_page_is_as_long_as_the_old_single_page(rendered: dict[str, str]) -> None:
    """The dictionary was one page of 23,000 px; each table's page is a fraction of it."""
    whole = sum(len(text) for name, text in rendered.items() if name.startswith("sv/dictionary/"))
    pages = [text for name, text in rendered.items() if name.startswith("sv/dictionary/")]
    assert len(pages) == len(pdata.load().descriptor["resources"])
    assert max(len(text) for text in pages) < whole / 4


def test_er_diagram_draws_every_table_and_foreign_key() -> None:
    descriptor = pdata.load().descriptor
    svg = ET.fromstring(_reference.er_svg(descriptor))
    ns = "{http://www.w3.org/2000/svg}"
    names = {t.text for t in svg.iter(f"{ns}text") if t.get("font-weight") == "bold"}
    assert names == {r["name"] for r in descriptor["resources"]}
    arrows = [p for p in svg.iter(f"{ns}path") if p.get("marker-end")]
    external = sum(
        1
        for r in descriptor["resources"]
        for fk in r["schema"].get("foreignKeys", [])
        if fk["reference"].get("resource") not in ("", None, r["name"])
    )
    assert len(arrows) == external


def test_cli_reference_is_the_parsers_help(rendered: dict[str, str]) -> None:
    parser = cli.build_parser()
    text = rendered["en/cli.md"]
    import argparse

    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    for name in commands:
        assert f"\n## `{name}`\n" in text


def test_a_page_keeps_its_tables_when_the_figures_cannot_be_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without vl-convert (the docs extra) a figure becomes a note; the page and its tables
    are still written."""
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # `import vl_convert` raises
    data = _common.Data(pdata.load())
    inputs = _shown.Inputs(data, Path("unused"), cli.build_parser())
    env = _templates.environment()
    for lang in LANGS:
        shown = _pages.comparison(inputs, lang)
        text = _templates.render(env, "comparison.md", data, lang, shown.values)
        assert "<svg" not in text
        assert text.count(f'<p class="pd-note">{t(lang, "no_viz")}</p>') == 2
        assert len(re.findall(r"^\| --- \|", text, re.M)) == 2  # by function, by region


def test_a_figure_escapes_its_caption_and_label_for_html() -> None:
    """figure.html is autoescaped: the page's words cannot break the markup around a drawing."""
    figure = _templates._figure(_templates.environment(), "en")(
        "<svg/>", 'a "b" & <c>', "Sweden's map"
    )
    assert '<figure class="pd-figure" role="group" aria-label="Sweden\'s map"' in figure
    assert "<figcaption>a &quot;b&quot; &amp; &lt;c&gt;</figcaption>" in figure
    assert '<div class="pd-svg">\n<svg/>\n</div>' in figure  # the drawing as it is


def test_the_site_command_without_jinja2_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)  # `import jinja2` raises
    assert cli.main(["site", "--docs", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "jinja2" in err and "pip install 'palliativ-data[docs]'" in err
    assert "Traceback" not in err and not any(tmp_path.iterdir())


def _template_uses(env: Any, name: str) -> set[str]:
    """The values a template reads, with those of the templates it includes (not the macros)."""
    tree = env.parse(env.loader.get_source(env, name)[0])
    used = set(meta.find_undeclared_variables(tree))
    for included in meta.find_referenced_templates(tree):
        if included and not included.endswith("/_macros.md"):
            used |= _template_uses(env, included)
    return used


def test_both_languages_of_a_page_show_the_same_values() -> None:
    """A page's Swedish and English templates read the same values of its show function, so
    neither language leaves out a table or a figure the other has."""
    env = _templates.environment()
    common = set(_templates.common_values(env, _common.Data(pdata.load()), "sv"))
    for page in _pages.PAGES:
        swedish = _template_uses(env, f"sv/{page.template}") - common
        english = _template_uses(env, f"en/{page.template}") - common
        assert swedish == english, (page.template, sorted(swedish ^ english))
    assert {"map", "matrix"} <= _template_uses(env, "sv/index.md")
    assert {"help", "commands"} <= _template_uses(env, "sv/cli.md")  # through its include


def test_slug_is_ascii_and_stable() -> None:
    assert _common.slug("Jämtland Härjedalen") == "jamtland-harjedalen"
    assert _common.slug("Örebro") == "orebro"
    assert _common.slug("Västra Götaland") == "vastra-gotaland"


@pytest.mark.slow
def test_cli_site_writes_the_pages_and_check_reports_stale_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from palliativ_data._cli import main

    assert main(["site", "--docs", str(tmp_path), "--check"]) == 1
    assert "stale: sv/index.md" in capsys.readouterr().out
    assert main(["site", "--docs", str(tmp_path)]) == 0
    assert (tmp_path / "en" / "regions" / "index.md").is_file()
    assert main(["site", "--docs", str(tmp_path), "--check"]) == 0
    (tmp_path / "sv" / "promises.md").write_text("# edited by hand\n", encoding="utf-8")
    assert main(["site", "--docs", str(tmp_path), "--check"]) == 1


def test_swedish_methodology_has_the_structure_of_the_english_one() -> None:
    """The Swedish page is a translation: same sections and table rows, so an edit to the English
    page that is not carried over fails here (translate the change into docs/sv/methodology.md)."""

    def shape(text: str) -> tuple[list[int], int, int]:
        levels = [len(m) for m in re.findall(r"^(#{2,6}) ", text, re.M)]
        rows = len(re.findall(r"^\|", text, re.M))
        items = len(re.findall(r"^(?:- |\d+\. )", text, re.M))
        return levels, rows, items

    english = (DOCS / "en" / "methodology.md").read_text(encoding="utf-8")
    swedish = (DOCS / "sv" / "methodology.md").read_text(encoding="utf-8")
    assert shape(swedish) == shape(english)


def _nav_problems(config: dict) -> list[str]:
    """What ``mkdocs.yml`` (``config``) lacks for the pages of ``_pages.PAGES``: each page with
    navigation titles listed under ``nav`` by its Swedish title, and that title translated into
    the English one under the English language's ``nav_translations``."""

    def entries(items: list) -> dict[str, str]:
        found: dict[str, str] = {}
        for item in items:
            if isinstance(item, dict):
                ((title, value),) = item.items()
                if isinstance(value, list):
                    found.update(entries(value))
                else:
                    found[value] = title
        return found

    nav = entries(config["nav"])
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    english = next(lang for lang in i18n["languages"] if lang["locale"] == "en")
    translations = english.get("nav_translations") or {}
    problems = []
    for page in _pages.PAGES:
        if page.nav is None:
            continue
        title_sv, title_en = page.nav
        if nav.get(page.path) != title_sv:
            problems.append(f"mkdocs.yml nav: add `- {title_sv}: {page.path}`")
        if translations.get(title_sv) != title_en:
            problems.append(f"mkdocs.yml nav_translations (en): add `{title_sv}: {title_en}`")
    return problems


def test_the_navigation_lists_every_generated_page_in_both_languages() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    problems = _nav_problems(config)
    assert not problems, "the page table (_site/_pages.py PAGES) and mkdocs.yml disagree: " + (
        "; ".join(problems)
    )


MADE_UP = {
    "sv": '{% import "sv/_macros.md" as m with context %}\n'
    "# Påhittad sida\n\nI {{ follow_up_month }}: {{ count }} regioner.\n\n"
    '{{ m.footer("data/made-up.csv") }}\n',
    "en": '{% import "en/_macros.md" as m with context %}\n'
    "# Made-up page\n\nIn {{ follow_up_month }}: {{ count }} regions.\n\n"
    '{{ m.footer("data/made-up.csv") }}\n',
}


@pytest.mark.slow  # two renders of the whole site (the CLI's site command, twice)
def test_a_page_is_added_as_contributing_md_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The recipe "How to add a site page" (docs/en/contributing.md), step by step, with a
    made-up page: it is written in both languages, its CSV beside the Swedish pages, the
    navigation check names what mkdocs.yml lacks, and ``site --check`` watches the page."""
    from palliativ_data._cli import main

    # 1. the page's text in each language: templates/sv/<page>.md and templates/en/<page>.md
    templates = tmp_path / "templates"
    for lang, text in MADE_UP.items():
        (templates / lang).mkdir(parents=True)
        (templates / lang / "made-up.md").write_text(text, encoding="utf-8")
    monkeypatch.setattr(_pages, "TEMPLATE_DIRS", (*_pages.TEMPLATE_DIRS, templates))

    # 2. what it shows: values for the template, the CSV file behind its figure
    def made_up(inputs: _shown.Inputs, lang: str) -> _shown.Shown:
        count = len(inputs.data.regions)
        return _shown.Shown({"count": count}, {"data/made-up.csv": f"regions\n{count}\n"})

    # 3. one row in PAGES
    page = _pages.Page("made-up.md", "made-up.md", made_up, nav=("Påhittad sida", "Made-up page"))
    monkeypatch.setattr(_pages, "PAGES", (*_pages.PAGES, page))

    # 4. mkdocs.yml: the navigation check says what to add, and passes once it is there
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert _nav_problems(config) == [
        "mkdocs.yml nav: add `- Påhittad sida: made-up.md`",
        "mkdocs.yml nav_translations (en): add `Påhittad sida: Made-up page`",
    ]
    config["nav"].append({"Påhittad sida": "made-up.md"})
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    english = next(lang for lang in i18n["languages"] if lang["locale"] == "en")
    english["nav_translations"]["Påhittad sida"] = "Made-up page"
    assert _nav_problems(config) == []

    # 5. `palliativ-data site` writes it in both languages; `site --check` sees it go stale
    docs = tmp_path / "docs"
    docs.mkdir()
    assert main(["site", "--docs", str(docs)]) == 0
    regions = len(pdata.load().regions)
    swedish = (docs / "sv" / "made-up.md").read_text(encoding="utf-8")
    english_page = (docs / "en" / "made-up.md").read_text(encoding="utf-8")
    assert swedish.startswith(f"# Påhittad sida\n\nI juni 2026: {regions} regioner.\n")
    assert english_page.startswith(f"# Made-up page\n\nIn June 2026: {regions} regions.\n")
    assert "[Excel-arbetsbok](data/made-up.xlsx) för kalkylprogram, [CSV](data/made-up.csv)" in (
        swedish
    )
    assert "[Excel workbook](data/made-up.xlsx) for spreadsheets, [CSV](data/made-up.csv)" in (
        english_page
    )
    for text in (swedish, english_page):
        assert f"palliativ-data {pdata.load().version}.</p>" in text
    assert (docs / "sv" / "data" / "made-up.csv").read_text(encoding="utf-8") == (
        f"regions\n{regions}\n"
    )
    assert not (docs / "en" / "data" / "made-up.csv").exists()
    capsys.readouterr()
    (docs / "en" / "made-up.md").write_text(english_page.replace("June", "July"), "utf-8")
    assert main(["site", "--docs", str(docs), "--check"]) == 1
    assert capsys.readouterr().out.splitlines() == ["stale: en/made-up.md"]


def test_every_page_lives_in_a_language_folder() -> None:
    """docs/ holds sv/ (the default language, at the site root) and en/ only: a page put at the
    top of docs/ would build outside the navigation of both languages."""
    assert sorted(p.name for p in DOCS.iterdir()) == ["en", "sv"]
    english = {p.relative_to(DOCS / "en").as_posix() for p in (DOCS / "en").rglob("*.md")}
    swedish = {p.relative_to(DOCS / "sv").as_posix() for p in (DOCS / "sv").rglob("*.md")}
    assert english == swedish, sorted(english ^ swedish)


@pytest.mark.slow  # a release and the whole site of a changed package
def test_a_package_without_key_figures_still_renders(tmp_path: Path) -> None:
    """``key_figures`` may be empty in a valid package (a next edition's candidate): the home
    page leaves those cards out instead of failing."""
    import shutil

    from palliativ_data._paths import bundled_package_dir

    package = tmp_path / "package"
    shutil.copytree(bundled_package_dir(), package)
    figures = package / "data" / "key_figures.csv"
    header = figures.read_text(encoding="utf-8").splitlines()[0]
    figures.write_text(header + "\n", encoding="utf-8")
    assert pdata.validate(package).valid
    with site.built_release(package) as release:
        files = site.render(release, cli.build_parser(), package)
    home = str(files["sv/index.md"])
    bundled = (Path(__file__).resolve().parent.parent / "docs" / "sv" / "index.md").read_text(
        encoding="utf-8"
    )
    people = _common.Data(pdata.load()).key_figures["people_not_reached_per_year"]
    assert people.label_sv in bundled and people.label_sv not in home  # that card is left out
    assert "20 av 21" in home  # the other cards stay
    assert 'class="pd-key-value"' in home
