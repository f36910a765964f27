"""The built site in a real browser: Playwright driving Debian's Chromium, served on localhost.

Builds the site with ``mkdocs build --strict`` into a temporary folder, serves it with
``http.server`` on 127.0.0.1 and checks what a reader gets: pages load without console errors
and without a single request leaving localhost, search, region pages, the map and charts, the
language switch, accessibility (axe-core), page weight; and saves screenshots.

Needs a Chromium-family browser: ``$PALLIATIV_CHROMIUM``, by default Debian's ``/usr/bin/chromium``
(``apt-get install chromium``; Playwright never downloads a browser here). CI on GitHub's Ubuntu
runners points it at their Chrome (``.github/workflows/ci.yml``). Without it the tests skip,
except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import re
import sys
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

import palliativ_data as pdata
from palliativ_data._site._text import number

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("PALLIATIV_CHROMIUM") or "/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
# Flags that keep Chromium off the network (no component updates, sync or safe-browsing calls).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
LANGS = ("sv", "en")
LANG_PREFIX = {"sv": "/", "en": "/en/"}  # Swedish at the root, English beside it
# Pages named by the site (issue 9): their path under a language's prefix.
COMPARISON = "comparison/"
REGIONS = "regions/"
ON_CALL_PAGE = "functions/palliativmedicinsk-jourlinje-24-7/"
MAX_PAGE_BYTES = 1_000_000


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)")
    pytest.skip(reason)


# --------------------------------------------------------------------------- site, server, browser


@pytest.fixture(scope="session")
def built_site(site_build: Any) -> Path:
    """The site of ``site_build`` (conftest.py; one build shared with test_docs.py)."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: apt-get install chromium, or set PALLIATIV_CHROMIUM")
    done = site_build.done
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return Path(site_build.site)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types when the browser asks, as GitHub Pages does
    (so the page weights measured below are what travels over the wire)."""

    COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt", ".map")

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or not path.name.endswith(self.COMPRESSED)
            or not path.is_file()
            or not self.path.split("?")[0].endswith((path.name, "/"))
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser hangs up on a request it no longer needs when the test navigates away.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 (a free port) while the block runs: its base URL."""
    handler = functools.partial(_Handler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    with _serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: apt-get install chromium, or set PALLIATIV_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """What one browser context saw: console errors, failed and outside requests, bytes."""

    origin: str
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)

    def clean(self) -> None:
        self.errors.clear()
        self.outside.clear()
        self.failed.clear()
        self.requests.clear()

    def request_failed(self, request: Any) -> None:
        # ERR_ABORTED: cancelled by the next navigation (or aborted above as outside the site).
        if request.url not in self.outside and "ERR_ABORTED" not in (request.failure or ""):
            self.failed.append(f"{request.url} {request.failure}")

    def problems(self) -> list[str]:
        return (
            [f"console: {e}" for e in self.errors]
            + [f"outside localhost: {u}" for u in self.outside]
            + [f"failed: {u}" for u in self.failed]
        )


def _is_local(url: str, origin: str) -> bool:
    scheme = urlsplit(url).scheme
    return scheme in ("data", "blob", "about") or url.startswith(origin + "/") or url == origin


@pytest.fixture()
def visit(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh context (no cache) that aborts and records every request outside the site."""
    viewport = getattr(request, "param", {"width": 1280, "height": 800})
    context = browser.new_context(viewport=viewport, service_workers="block")
    seen = Visit(origin=base_url)

    def route(route: Any) -> None:
        if _is_local(route.request.url, base_url):
            route.continue_()
        else:
            seen.outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    context.on("request", lambda r: seen.requests.append(r))
    context.on("requestfailed", seen.request_failed)
    context.on(
        "response",
        lambda r: seen.failed.append(f"{r.url} HTTP {r.status}") if r.status >= 400 else None,
    )
    page = context.new_page()
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    yield page, seen
    context.close()


def _pages(built_site: Path) -> list[str]:
    """Site paths of every built page ("/", "/en/", "/regioner/01/", …)."""
    paths = []
    for index in sorted(built_site.rglob("index.html")):
        relative = index.parent.relative_to(built_site).as_posix()
        paths.append("/" if relative == "." else f"/{relative}/")
    return paths


def _text(page: Any) -> str:
    return re.sub(r"\s+", " ", page.inner_text("article"))


# --------------------------------------------------------------------------- the package's facts


@pytest.fixture(scope="session")
def facts() -> dict[str, Any]:
    package = pdata.load()
    regions = package.table("regions").to_pylist()
    categories = {c["category"]: c for c in package.table("categories").to_pylist()}
    classifications = package.table("classifications").to_pylist()
    latest = max(c["edition"] for c in classifications)
    category = {c["region_code"]: c["category"] for c in classifications if c["edition"] == latest}
    gaps = package.table("gaps").to_pylist()
    return {
        "regions": regions,
        "categories": categories,
        "category": category,
        "gaps": gaps,
        "editions": sorted({g["edition"] for g in gaps}),
    }


def _slug(name: str) -> str:
    """ "Jämtland Härjedalen" → "jamtland-harjedalen" (in the region pages' URLs)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _region_path(built_site: Path, lang: str, region: dict[str, Any]) -> str:
    """The region's page, e.g. /regions/25-norrbotten/ and /en/regions/25-norrbotten/."""
    path = f"{LANG_PREFIX[lang]}{REGIONS}{region['region_code']}-{_slug(region['name_source'])}/"
    assert (built_site / path.strip("/") / "index.html").is_file(), f"no page {path}"
    return path


def _counterpart(path: str, to_lang: str) -> str:
    if to_lang == "en":
        return "/en" + path
    return path.removeprefix("/en")


# --------------------------------------------------------------------------- tests


def test_every_page_loads_cleanly_and_stays_on_the_site(built_site: Path, visit: Any) -> None:
    page, seen = visit
    pages = _pages(built_site)
    assert len(pages) >= 2 * (21 + 5)
    problems = {}
    switch_problems = {}
    previous = None
    for path in pages:
        page.goto(seen.origin + path, wait_until="load")
        # A late request (search index, sitemap) of the previous page shows up here: blame both.
        if seen.problems():
            problems[f"{previous} or {path}" if previous else path] = seen.problems()
        seen.clean()
        previous = path
        # The language switch points at the same page in the other language, where it exists.
        lang = "en" if path.startswith("/en/") else "sv"
        other = "sv" if lang == "en" else "en"
        target = _counterpart(path, other)
        if target in pages:
            links = page.locator(f"a[hreflang='{other}']")
            hrefs = {
                urlsplit(urljoin(page.url, links.nth(i).get_attribute("href") or "")).path
                for i in range(links.count())
            }
            if hrefs != {target}:
                switch_problems[path] = sorted(hrefs)
    page.wait_for_load_state("networkidle")
    if seen.problems():
        problems[str(previous)] = seen.problems()
    assert not problems, f"{len(problems)} pages with problems, e.g. {list(problems.items())[:5]}"
    assert not switch_problems, switch_problems


def test_language_switch_lands_on_the_same_page(
    built_site: Path, visit: Any, facts: dict[str, Any]
) -> None:
    page, seen = visit
    region = _region_path(built_site, "sv", facts["regions"][-1])
    for start, other in ((region, "en"), (_counterpart(region, "en"), "sv")):
        page.goto(seen.origin + start)
        page.hover(".md-header__option .md-select")
        page.click(f".md-select a[hreflang='{other}']")
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == _counterpart(start, other)
        assert page.evaluate("document.documentElement.lang").startswith(other)
    assert not seen.problems(), seen.problems()


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_norrbotten(
    built_site: Path, visit: Any, facts: dict[str, Any], lang: str
) -> None:
    page, seen = visit
    page.goto(seen.origin + LANG_PREFIX[lang])
    page.click("input.md-search__input")  # in the header at desktop width
    page.keyboard.type("Norrbotten")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15_000)
    assert "Norrbotten" in page.inner_text(".md-search-result")
    hrefs = [
        urlsplit(urljoin(page.url, results.nth(i).get_attribute("href") or "")).path
        for i in range(results.count())
    ]
    # Norrbotten's own page in the language searched in is among the results.
    norrbotten = next(r for r in facts["regions"] if r["iso_3166_2"] == "SE-BD")
    assert _region_path(built_site, lang, norrbotten) in hrefs, hrefs
    assert not seen.problems(), seen.problems()


@pytest.mark.parametrize("lang", LANGS)
def test_each_region_page_shows_its_category_and_both_gap_lists(
    built_site: Path, visit: Any, facts: dict[str, Any], lang: str
) -> None:
    page, seen = visit
    label = "label_sv" if lang == "sv" else "label_en"
    missing: dict[str, list[str]] = {}
    for region in facts["regions"]:
        code = region["region_code"]
        page.goto(seen.origin + _region_path(built_site, lang, region))
        text = _text(page).replace(" [sic]", "")  # a slip of the source, marked
        category = facts["categories"][facts["category"][code]]
        wanted = [category["heading_sv"]]  # the exact Swedish heading, in both languages
        if lang == "en":
            wanted.append(category["label_en"])
        for edition in facts["editions"]:
            gaps = [
                g for g in facts["gaps"] if g["region_code"] == code and g["edition"] == edition
            ]
            wanted += [re.sub(r"\s+", " ", g[label]) for g in gaps]
        lost = [w for w in wanted if w.casefold() not in text.casefold()]
        if lost:
            missing[code] = lost
    assert not missing, missing


def _chart_boxes(page: Any) -> list[dict[str, Any]]:
    """Each rendered chart (vl-convert SVG, class "marks") with its marks' sizes on screen; a
    map's shapes are named "geoshape" by Vega, "område" on Swedish pages (_viz)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('article svg.marks')].map(svg => {
            const box = svg.getBoundingClientRect();
            const marks = [...svg.querySelectorAll('path[role="graphics-symbol"]')]
              .map(p => p.getBBox()).filter(b => b.width > 0 && b.height > 0);
            const shapes = svg.querySelectorAll(
              'path[aria-roledescription="geoshape"], path[aria-roledescription="område"]');
            return {width: box.width, height: box.height, marks: marks.length,
                    shapes: shapes.length};
        })"""
    )


@pytest.mark.parametrize("lang", LANGS)
def test_map_and_charts_render(visit: Any, lang: str) -> None:
    page, seen = visit
    page.goto(seen.origin + LANG_PREFIX[lang])
    charts = _chart_boxes(page)
    maps = [c for c in charts if c["shapes"]]
    assert len(maps) == 1, charts
    assert maps[0]["shapes"] == 21 and maps[0]["marks"] >= 21, maps
    assert maps[0]["width"] > 100 and maps[0]["height"] > 100, maps
    page.goto(seen.origin + LANG_PREFIX[lang] + COMPARISON)
    charts = _chart_boxes(page)
    assert charts and all(c["marks"] > 0 and c["width"] > 100 for c in charts), charts


def _key_pages(built_site: Path, facts: dict[str, Any], lang: str) -> dict[str, str]:
    norrbotten = next(r for r in facts["regions"] if r["iso_3166_2"] == "SE-BD")
    return {
        "home": LANG_PREFIX[lang],
        "region": _region_path(built_site, lang, norrbotten),
        "comparison": LANG_PREFIX[lang] + COMPARISON,
        "function": LANG_PREFIX[lang] + ON_CALL_PAGE,
    }


WIDTHS = [{"width": 1280, "height": 800}, {"width": 390, "height": 844}]
WIDTH_IDS = ["desktop", "phone"]


@pytest.mark.parametrize("visit", WIDTHS, ids=WIDTH_IDS, indirect=True)
def test_axe_finds_no_serious_or_critical_violation_on_any_page(
    built_site: Path, visit: Any
) -> None:
    """axe-core on every built page (and the 404 page), at desktop and phone width (about two
    minutes a width)."""
    from axe_playwright_python.sync_playwright import Axe

    page, seen = visit
    axe = Axe()
    found = {}
    paths = [*_pages(built_site), "/404.html"]
    for path in paths:
        page.goto(seen.origin + path)
        violations = axe.run(page).response["violations"]
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            found[path] = bad
    assert len(paths) > 2 * (21 + 5)
    assert not found, "\n".join(f"{path}: {line}" for path, bad in found.items() for line in bad)


def _table_regions(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(
        """() => [...document.querySelectorAll('article table')].map(table => {
            const region = table.closest('.pd-table');
            return {label: region && region.getAttribute('aria-label'),
                    role: region && region.getAttribute('role'),
                    tabindex: region && region.getAttribute('tabindex'),
                    client: region ? region.clientWidth : 0,
                    scroll: region ? region.scrollWidth : 0,
                    // what a table shows inside its region, column by column
                    cut: [...table.querySelectorAll('tr:first-child > *')].filter(cell => {
                        const r = cell.getBoundingClientRect(), b = region.getBoundingClientRect();
                        return r.right > b.right + 1;
                    }).length};
        })"""
    )


@pytest.mark.parametrize("visit", WIDTHS, ids=WIDTH_IDS, indirect=True)
def test_tables_fit_the_desktop_and_scroll_on_a_phone_with_keyboard_focus(
    built_site: Path, visit: Any, facts: dict[str, Any]
) -> None:
    """Every table of the pages made from the data sits in a named region a keyboard reaches;
    at 1280 px no column is hidden, at 390 px a wide table scrolls inside its region (which
    has a shadow at the edge, see site.css) and the page itself never scrolls sideways."""
    page, seen = visit
    width = page.viewport_size["width"]
    checked, scrolling = 0, 0
    for lang in LANGS:
        norrbotten = next(r for r in facts["regions"] if r["iso_3166_2"] == "SE-BD")
        paths = [
            *_key_pages(built_site, facts, lang).values(),
            LANG_PREFIX[lang] + REGIONS,
            LANG_PREFIX[lang] + "promises/",
            LANG_PREFIX[lang] + "downloads/",
            _region_path(built_site, lang, norrbotten),
        ]
        for path in paths:
            page.goto(seen.origin + path)
            for table in _table_regions(page):
                assert table["role"] == "region" and table["tabindex"] == "0", (path, table)
                assert table["label"] and len(table["label"]) > 8, (path, table)
                if width >= 1280:
                    assert table["cut"] == 0 and table["scroll"] <= table["client"] + 1, (
                        path,
                        table,
                    )
                scrolling += table["scroll"] > table["client"] + 1
                checked += 1
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
    assert checked > 10
    if width < 1280:
        assert scrolling > 0  # the phone test saw wide tables scroll (and the desktop none)
        # a keyboard reaches the first wide table, and the arrow keys scroll it
        page.goto(seen.origin + LANG_PREFIX["sv"] + COMPARISON)
        wide = page.evaluate(
            "[...document.querySelectorAll('.pd-table')]"
            ".findIndex(r => r.scrollWidth > r.clientWidth + 1)"
        )
        assert wide >= 0
        page.locator(".pd-table").nth(wide).focus()
        assert page.evaluate("document.activeElement.classList.contains('pd-table')")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.activeElement.scrollLeft > 0")


_CHART_TEXT = """() => [...document.querySelectorAll('article svg')].map(svg => {
    const items = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
        const m = t.getScreenCTM();
        const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
        const r = t.getBoundingClientRect();
        return {text: t.textContent.trim(), size, r: [r.left, r.top, r.right, r.bottom]};
    });
    const overlaps = [];
    for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) {
        const [a, b] = [items[i].r, items[j].r];
        const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (w > 1 && h > 1) overlaps.push(items[i].text + ' / ' + items[j].text);
    }
    return {texts: items.length, small: items.filter(i => i.size < 10.99)
              .map(i => i.text + ': ' + i.size.toFixed(1) + ' px'), overlaps};
})"""


@pytest.mark.parametrize("visit", WIDTHS, ids=WIDTH_IDS, indirect=True)
def test_chart_text_is_at_least_11_px_and_never_overlaps(visit: Any) -> None:
    page, seen = visit
    width = page.viewport_size["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    charts = 0
    for lang in LANGS:
        for path in (LANG_PREFIX[lang], LANG_PREFIX[lang] + COMPARISON):
            page.goto(seen.origin + path)
            for index, chart in enumerate(page.evaluate(_CHART_TEXT)):
                assert chart["texts"] > 0, (path, index)
                assert chart["small"] == [], (path, width, chart["small"][:5])
                assert chart["overlaps"] == [], (path, width, chart["overlaps"][:5])
                charts += 1
            figures = page.locator("article figure.pd-figure")
            for index in range(figures.count()):
                name = f"chart-{lang}-{path.strip('/').replace('/', '-') or 'home'}-{index}"
                figures.nth(index).screenshot(path=str(SCREENSHOTS / f"{name}-{width}px.png"))
    assert charts >= 6  # the map and the two comparison charts, in each language


@pytest.mark.parametrize("lang", LANGS)
def test_search_stays_in_the_pages_language_and_finds_numbers_both_ways(
    built_site: Path, visit: Any, lang: str
) -> None:
    """A Swedish page searches the Swedish pages and an English page the English ones; the
    source writes 8500 and the site 8 500, and both find the page that gives the figure."""
    page, seen = visit
    for query in ("Norrbotten", "8500", "8 500"):
        page.goto(seen.origin + LANG_PREFIX[lang])
        page.click("input.md-search__input")
        page.keyboard.type(query)
        results = page.locator(".md-search-result__item a")
        results.first.wait_for(timeout=15_000)
        paths = [
            urlsplit(urljoin(page.url, results.nth(i).get_attribute("href") or "")).path
            for i in range(results.count())
        ]
        in_english = [p for p in paths if p.startswith("/en/")]
        assert in_english == (paths if lang == "en" else []), (query, paths)
        if query != "Norrbotten":
            assert f"{LANG_PREFIX[lang]}methodology/" in paths, (query, paths)
    assert not seen.problems(), seen.problems()


@pytest.mark.parametrize("lang", LANGS)
def test_home_and_a_region_page_weigh_under_1_mb(
    built_site: Path,
    visit: Any,
    facts: dict[str, Any],
    lang: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    page, seen = visit
    weights = {}
    for name in ("home", "region"):
        path = _key_pages(built_site, facts, lang)[name]
        seen.clean()
        page.goto(seen.origin + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        responses = [r.response() for r in seen.requests]
        sizes = [r.sizes() for r in seen.requests]
        sent = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
        unpacked = sum(len(r.body()) for r in responses if r is not None and r.status == 200)
        assert sent > 10_000, (path, sent)  # the page, its CSS and scripts were counted
        weights[path] = (sent, unpacked)
    with capsys.disabled():
        print(
            f"\npage weight ({lang}, transferred gzip / uncompressed, search index included):",
            {p: f"{s / 1000:.0f} kB / {u / 1000:.0f} kB" for p, (s, u) in weights.items()},
        )
    assert all(sent < MAX_PAGE_BYTES for sent, _ in weights.values()), weights


@pytest.mark.parametrize("visit", WIDTHS, ids=WIDTH_IDS, indirect=True)
def test_screenshots(
    built_site: Path, visit: Any, facts: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    page, seen = visit
    width = page.viewport_size["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = []
    for lang in LANGS:
        for name, path in _key_pages(built_site, facts, lang).items():
            page.goto(seen.origin + path)
            page.wait_for_load_state("networkidle")
            # Nothing overflows sideways at phone width (readable without horizontal scrolling).
            overflow = page.evaluate("document.documentElement.scrollWidth") - width
            assert overflow <= 1, (path, width, overflow)
            target = SCREENSHOTS / f"{name}-{lang}-{width}px.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            saved.append(target)
    with capsys.disabled():
        print(f"\nscreenshots ({width} px): {SCREENSHOTS}/", ", ".join(p.name for p in saved))


# --------------------------------------------------------------------------- a journalist's tasks

# What a reader clicks on, in each language (the words of the pages, not of the data).
TASK_LINKS = {
    "sv": {"downloads": "Ladda ner data", "promises": "Utlovade åtgärder"},
    "en": {"downloads": "Downloads", "promises": "Promises"},
}


def _click(page: Any, text: str) -> None:
    """Follow the first link in the page's article whose text is exactly ``text``."""
    page.locator("article a", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).first.click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize(
    "visit",
    [{"width": 1280, "height": 800}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
    indirect=True,
)
@pytest.mark.parametrize("lang", LANGS)
def test_a_journalists_tasks_take_at_most_two_clicks_from_the_home_page(
    visit: Any, facts: dict[str, Any], lang: str
) -> None:
    """The five tasks of issue 20, each walked from the home page by clicking links (at most
    two), at desktop and phone width, and each answer found on the page it lands on."""
    page, seen = visit
    package = pdata.load()
    home = seen.origin + LANG_PREFIX[lang]
    names = {r["region_code"]: r["name_source"] for r in facts["regions"]}
    latest = facts["editions"][-1]

    # 1. Which regions lack a 24/7 on-call line? One click: the function's page.
    on_call = package.function("on_call_24_7")
    page.goto(home)
    _click(
        page,
        on_call.label_sv if lang == "sv" else on_call.label_en[:1].upper() + on_call.label_en[1:],
    )
    assert urlsplit(page.url).path == LANG_PREFIX[lang] + ON_CALL_PAGE
    lacking = sorted(
        {
            g["region_code"]
            for g in facts["gaps"]
            if g["edition"] == latest and g["function"] == "on_call_24_7"
        }
    )
    assert len(lacking) == 15
    text = _text(page)
    assert (
        "har 15 regioner minst en brist" if lang == "sv" else "15 regions have at least one gap"
    ) in text
    assert all(names[code] in text for code in lacking), text[:600]

    # 2. The headline figure, 8 500 people a year: on the home page itself, with its source.
    page.goto(home)
    text = _text(page)
    people = next(
        k for k in package.records("key_figures") if k.figure_id == "people_not_reached_per_year"
    )
    figure = number(lang, people.value).replace("\xa0", " ")  # 8 500 / 8,500
    assert figure in text.replace("\xa0", " "), figure
    assert f"”{people.value}”" in text.replace("“", "”")  # and as the source writes it

    # 3. A download a Swedish spreadsheet opens: one click to the downloads page, which offers
    #    the spreadsheet files.
    _click(page, TASK_LINKS[lang]["downloads"])
    hrefs = page.eval_on_selector_all(
        "article a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert any(h and ("/excel/" in h or h.endswith(".xlsx")) for h in hrefs), hrefs

    # 4. What did a region promise, and for when? One click: the promises page, by year; a gap
    #    two answers speak of is listed once, and the intro counts what is listed.
    page.goto(home)
    _click(page, TASK_LINKS[lang]["promises"])
    text = _text(page)
    entries = page.locator("article li strong > a").count()
    assert entries == 15, entries
    intro = text[: text.index(".")]
    assert re.search(rf"\b{entries}\b", intro), (entries, intro)
    assert text.count(f"{names['19']},") == 1  # Västmanland's one gap, once (two answers)

    # 5. What did a region answer about a gap? Two clicks: the region from the home page's
    #    list, then its page holds the stance of each answer.
    page.goto(home)
    _click(page, names["23"])
    assert urlsplit(page.url).path.startswith(LANG_PREFIX[lang] + REGIONS + "23-")
    text = _text(page)
    for answer in package.gap_answers(region="23"):
        stance = package.stance(answer.stance)
        label = stance.label_sv if lang == "sv" else stance.label_en
        assert label.casefold() in text.casefold(), label
    assert not seen.problems(), seen.problems()


# --------------------------------------------------------------------------- more editions


@pytest.mark.parametrize("lang", LANGS)
def test_a_site_of_four_editions_shows_a_gaps_history(
    editions_site: Any, browser: Any, lang: str
) -> None:
    """Issue 19, item 5: the site built with more than two editions (the SYNTHETIC 2026-02,
    2026-06, 2027-02 and 2027-06), read in the browser: the region page of the gap that closes
    shows its history, edition by edition; the comparison page compares every two editions;
    the promises page names the target years that have passed."""
    done = editions_site.build.done
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    pkg = pdata.load(editions_site.package)
    editions = [e.edition for e in pkg.editions]
    closed = editions_site.plan["closed_gap"]
    region = pkg.region(closed.split("-")[0])
    gap = next(g for g in pkg.gaps(edition=editions[0]) if g.gap_key == closed)
    label = re.sub(r"\s+", " ", gap.label_sv if lang == "sv" else gap.label_en)
    words = {
        "sv": ("Bristernas historik", "listad", "kvarstår", "listas inte längre", "Alla utgåvor",
               "Målår som har passerat"),
        "en": ("The gaps' history", "listed", "still listed", "no longer listed",
               "Every edition", "Target years that have passed"),
    }[lang]  # fmt: skip
    heading, listed, persisting, dropped, pairs, passed = words
    with _serve(editions_site.build.site) as origin:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        outside: list[str] = []
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if _is_local(route.request.url, origin)
                else (outside.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        slug = f"{region.region_code}-{_slug(region.name_source)}"
        page.goto(f"{origin}{LANG_PREFIX[lang]}{REGIONS}{slug}/")
        assert page.get_by_role("heading", name=heading).is_visible()
        table = page.locator(
            f'h2:has-text("{heading}") ~ div table, h2:has-text("{heading}") ~ table'
        ).first
        header = [c.strip() for c in table.locator("thead th").all_inner_texts()]
        assert len(header) == 1 + len(editions)
        row = table.locator("tbody tr", has_text=label[:40])
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        # listed in both 2026 editions, no longer listed in 2027-02, nothing in 2027-06
        assert cells[1] == listed and cells[2].startswith(persisting)
        assert cells[3] == dropped and cells[4] == "–"
        page.goto(f"{origin}{LANG_PREFIX[lang]}{COMPARISON}")
        assert page.get_by_role("heading", name=pairs).is_visible()
        page.goto(f"{origin}{LANG_PREFIX[lang]}promises/")
        assert page.get_by_role("heading", name=passed).is_visible()
        years = [h.replace("¶", "").strip() for h in page.locator("h3").all_inner_texts()]
        assert "2026" in years  # the 2026 answers' target year, passed by 2027
        context.close()
    assert not errors and not outside, errors + outside
