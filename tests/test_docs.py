"""The documentation site builds with ``mkdocs build --strict`` alone, and the built HTML holds
what the site promises: 21 region pages in each language with the category and both gap lists,
a downloads page whose sizes and checksums are those of the files served, and no request that
leaves the site.

The "no request leaves the site" rule, checked over every built HTML, CSS and SVG file: nothing
the browser *loads* may point outside the site — ``src``/``srcset`` of any element,
``<link href>`` (stylesheets, icons, preloads), ``<object data>``, SVG ``<image>``/``<use>``
``href``, and ``url(…)`` in CSS or ``style`` attributes. Links a reader follows (``<a href>``,
e.g. to a licence) are navigation, not requests, and are allowed. Material's bundled script
knows a CDN address for mermaid, which it fetches only for a ``mermaid`` block; the site draws
its diagrams as SVG at build time, and the check asserts no page has a mermaid block.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import palliativ_data as pdata

REPO = Path(__file__).resolve().parent.parent
LANG_ROOT = {"sv": "", "en": "en/"}


@pytest.fixture(scope="module")
def site(
    site_build: Any,
    tree_bytes: Callable[[Path], dict[str, bytes]],
) -> Path:
    # one build per session (conftest.SiteBuild), shared with test_browser.py; every test that
    # uses it is in the slow tier (conftest.py marks them)
    build = site_build
    assert build.done.returncode == 0, build.done.stderr[-3000:]
    # the hook regenerated the pages into the copy: they must equal the committed ones
    assert tree_bytes(build.project / "docs") == tree_bytes(REPO / "docs"), (
        "generated pages are stale: run `palliativ-data site` and commit them"
    )
    return build.site


def test_mkdocs_builds_strictly(site: Path) -> None:
    for lang in LANG_ROOT:
        for page in (
            "",
            "methodology/",
            "comparison/",
            "promises/",
            "downloads/",
            "dictionary/",
            "cli/",
            "api/",
        ):
            assert (site / LANG_ROOT[lang] / page / "index.html").is_file(), (lang, page)


class _Page(HTMLParser):
    """Text of ``<article>``, every loading reference, ``<html lang>``, hreflang links."""

    LOADING = frozenset({"src", "srcset", "data", "poster"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.loads: list[str] = []
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.depth = 0
        self.mermaid = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag == "article":
            self.depth += 1
        for name, value in values.items():
            if name in self.LOADING:
                self.loads.append(value)
            if name == "style":
                self.loads += re.findall(r"url\(\s*['\"]?([^'\")]+)", value)
        if tag == "link" and "href" in values:
            self.loads.append(values["href"])
        if tag in ("image", "use", "feimage") and ("href" in values or "xlink:href" in values):
            self.loads.append(values.get("href") or values["xlink:href"])
        if tag == "a" and values.get("hreflang"):
            self.alternates[values["hreflang"]] = values.get("href", "")
        if "mermaid" in values.get("class", "").split():
            self.mermaid = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)

    @property
    def article(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _outside(reference: str) -> bool:
    return bool(re.match(r"^\s*(https?:)?//", reference, re.IGNORECASE))


def test_no_built_page_loads_anything_from_outside_the_site(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 2 * 21
    found = {}
    for path in pages:
        page = _parse(path)
        outside = [ref for ref in page.loads if _outside(ref)]
        if outside:
            found[path.relative_to(site).as_posix()] = outside
        assert not page.mermaid, path
    for path in [*site.rglob("*.css"), *site.rglob("*.svg")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        refs = re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
        refs += re.findall(r"<(?:image|use)\b[^>]*?href=\"([^\"]+)\"", text)
        outside = [ref for ref in refs if _outside(ref)]
        if outside:
            found[path.relative_to(site).as_posix()] = outside
    assert not found, found


def test_the_rule_catches_an_outside_stylesheet(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(
        '<html lang="sv"><head><link rel="stylesheet" href="https://cdn.example/x.css">'
        '</head><body><a href="https://example.org/licence">ok</a></body></html>'
    )
    assert [ref for ref in _parse(page).loads if _outside(ref)] == ["https://cdn.example/x.css"]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip().casefold()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_each_region_page_has_its_category_and_both_gap_lists(site: Path, lang: str) -> None:
    pkg = pdata.load()
    follow_up = max((e for e in pkg.editions if e.kind == "follow_up"), key=lambda e: e.published)
    inventory = pkg.edition(follow_up.follows_up)
    pages = sorted((site / LANG_ROOT[lang] / "regions").glob("[0-9][0-9]-*/index.html"))
    assert len(pages) == len(pkg.regions) == 21
    by_code = {path.parent.name[:2]: path for path in pages}
    missing = {}
    for region in pkg.regions:
        page = _parse(by_code[region.region_code])
        assert page.lang.startswith(lang)
        text = _norm(page.article).replace(" [sic]", "")  # a slip of the source, marked
        category = pkg.category(
            pkg.classifications(edition=follow_up.edition, region=region.region_code)[0].category
        )
        wanted = [category.heading_sv] + ([category.label_en] if lang == "en" else [])
        for edition in (inventory, follow_up):
            gaps = pkg.gaps(edition=edition.edition, region=region.region_code)
            wanted += [g.label_sv if lang == "sv" else g.label_en for g in gaps]
            # both lists are there, each under its edition's title
            wanted.append(edition.title_sv if lang == "sv" else edition.title_en)
        lost = [w for w in wanted if _norm(w) not in text]
        if lost:
            missing[region.region_code] = lost
        # the language switch points at the same page in the other language
        other = "en" if lang == "sv" else "sv"
        assert page.alternates[other].rstrip("/").endswith(by_code[region.region_code].parent.name)
    assert not missing, missing


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_downloads_page_lists_the_served_files_with_their_size_and_sha256(
    site: Path, lang: str
) -> None:
    source = (site / LANG_ROOT[lang] / "downloads" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(
        r'<a href="([^"]+)">[^<]*</a></td>\s*<td[^>]*><span data-bytes="(\d+)">[^<]*</span></td>\s*'
        r'<td[^>]*><code class="pd-hash" data-search-exclude>([0-9a-f]{64})</code>',
        source,
    )
    files = site / "downloads" / "files"
    served = sorted(p.relative_to(files).as_posix() for p in files.rglob("*") if p.is_file())
    assert len(rows) == len(served) > 10
    page_dir = site / LANG_ROOT[lang] / "downloads"
    listed = []
    for href, size, digest in rows:
        path = (page_dir / href).resolve()
        assert path.is_file(), href
        assert path.stat().st_size == int(size), href
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, href
        listed.append(path.relative_to(files.resolve()).as_posix())
    assert sorted(listed) == served


def test_each_language_has_its_own_search_index(site: Path) -> None:
    """static-i18n merges both languages into one index; the hook splits it: the Swedish pages
    search ``search/search_index.json``, the English ones ``en/search/search_index.json``
    (their Material ``base`` is ``en/``), and numbers written ``8 500`` are also ``8500``."""
    import json

    indexes = {
        lang: json.loads((site / root / "search" / "search_index.json").read_text("utf-8"))
        for lang, root in LANG_ROOT.items()
    }
    for lang, index in indexes.items():
        assert index["config"]["lang"] == [lang]
        hits = {d["location"] for d in index["docs"] if "Norrbotten" in d["title"]}
        assert "regions/25-norrbotten/" in hits, (lang, hits)
        assert not [d for d in index["docs"] if d["location"].startswith("en/")]
        with_8500 = [d["location"] for d in index["docs"] if "8500" in d.get("numbers", "")]
        assert any(loc.startswith("methodology/") for loc in with_8500), (lang, with_8500)
    english = (site / "en" / "regions" / "index.html").read_text(encoding="utf-8")
    assert '"base": "../../en/"' in english


def test_no_sitemap_address_reads_none(site: Path) -> None:
    """``site_url`` is a publication fact, unset in the repository: the sitemap lists no page
    rather than ``None./`` (the release dry run checks the real addresses once it is set)."""
    import gzip

    for text in (
        (site / "sitemap.xml").read_text(encoding="utf-8"),
        gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8"),
    ):
        assert "None" not in text and "<loc>" not in text
    assert "None" not in (site / "index.html").read_text(encoding="utf-8").split("</head>")[0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_home_and_downloads_pages_carry_the_dataset_json_ld(site: Path, lang: str) -> None:
    import json

    for page in ("", "downloads/"):
        path = site / LANG_ROOT[lang] / page / "index.html"
        found = re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', path.read_text("utf-8"), re.S
        )
        assert len(found) == 1, path
        document = json.loads(found[0])
        assert document["@type"] == "Dataset" and document["variableMeasured"]
        assert document["includedInDataCatalog"]["@type"] == "DataCatalog"
        for item in document["distribution"]:  # each download reaches a file the site serves
            target = (path.parent / item["contentUrl"]).resolve()
            assert target.is_file() and target.is_relative_to(site / "downloads" / "files")
    assert "application/ld+json" not in (site / "comparison" / "index.html").read_text("utf-8")


def test_every_table_is_in_a_named_focusable_region(site: Path) -> None:
    checked = 0
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        tables, regions = text.count("<table"), text.count('<div class="pd-table"')
        assert tables == regions, path
        labels = re.findall(
            r'class="pd-table" role="region" tabindex="0" aria-label="([^"]+)"', text
        )
        assert len(labels) == regions and all(len(label) > 8 for label in labels), path
        checked += regions
    assert checked > 100


def test_every_download_link_under_a_table_reaches_its_workbook_and_csv(site: Path) -> None:
    checked = 0
    for path in sorted(site.rglob("index.html")):
        text = path.read_text(encoding="utf-8")
        for paragraph in re.findall(r'<p class="pd-source"[^>]*>(.*?)</p>', text, re.S):
            links = re.findall(r'href="([^"]+)"', paragraph)
            assert [Path(link).suffix for link in links] == [".xlsx", ".csv"], (path, links)
            for link in links:
                assert (path.parent / html.unescape(link)).resolve().is_file(), (path, link)
            checked += 1
    assert checked > 2 * 21 * 2


def test_the_404_page_is_the_swedish_one(site: Path) -> None:
    """Each language's build writes ``404.html`` at the root; the hook keeps the Swedish one
    (the site's default language), worded in Swedish."""
    page = _parse(site / "404.html")
    assert page.lang == "sv"
    text = (site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Sidan finns inte</h1>" in text and "Not found" not in text


class _Reader(HTMLParser):
    """What a reader of a page's ``<article>`` reads or hears, in the page's language: its text
    and ``aria-label``s, without code and without parts marked with another ``lang``."""

    VOID = frozenset({"br", "img", "input", "hr", "meta", "link", "wbr", "source", "path"})

    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.text: list[str] = []

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        inside = bool(self.stack) or tag == "article"
        if not inside:
            return
        other = values.get("lang", self.lang)[:2] != self.lang
        skipped = tag in ("code", "pre", "script", "style") or other
        if not self._skipping() and not skipped and values.get("aria-label"):
            self.text.append(values["aria-label"] + ".")
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            top, _ = self.stack.pop()
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and not self._skipping():
            self.text.append(data)


def test_no_swedish_page_holds_an_english_interface_word(site: Path) -> None:
    """Every built Swedish page (the generated ones and those written by hand), outside code
    and outside parts marked ``lang="en"``, is free of the English interface words of
    ``_site/_text.py`` (``ENGLISH_WORDS``)."""
    from palliativ_data._site._text import ENGLISH_WORDS

    words = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")(?![\w-])", re.I
    )
    pages = [p for p in sorted(site.rglob("index.html")) if p.relative_to(site).parts[0] != "en"]
    assert len(pages) > 21 + 8
    found = {}
    for path in pages:
        reader = _Reader("sv")
        reader.feed(path.read_text(encoding="utf-8"))
        text = re.sub(r"'[a-z][a-z0-9_]*'", " ", " ".join(reader.text))  # a code quoted as one
        hits = sorted({m[0] for m in words.finditer(text)})
        if hits:
            found[path.relative_to(site).as_posix()] = hits
    assert not found, found
