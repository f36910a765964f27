"""Hostile input, round two (issue 18), the site: generated pages escape every value that
comes from the data, and ``palliativ-data site`` follows no symbolic link.

The hostile package is the bundled one with every free text cell (a string with no pattern,
enum or format, not a key) replaced by Markdown or HTML meant to take over the page; it still
validates. Each page is converted as MkDocs converts it (Python-Markdown with the extensions
of ``mkdocs.yml``) and compared with the committed page of the real data: the hostile text
must change no element and no attribute name of any page (the drawings' own SVG aside, which
is checked for scripts and handlers), and must come out as the very text it is.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import palliativ_data as pdata
import palliativ_data._site as site
from palliativ_data._cli import build_parser, main
from palliativ_data._errors import BuildError
from palliativ_data._paths import bundled_package_dir
from palliativ_data._site._common import markdown_text, table

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
SNIPPET_SECRET = "SNIPPET-SECRET-must-not-be-included"

PAYLOADS = (
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1)) ![i](x.png) <https://example.org>",
    "# heading",
    "- item",
    "1. item",
    '!!! danger "x"',
    '=== "tab"',
    '--8<-- "secret.txt"',
    "| a | b |",
    "```",
    "<!-- comment",
    '{: onclick="alert(1)" } **b** _e_ `c` \\ &lt;&#60;',  # no "; ": it separates roles
    '<div markdown="1">*x*</div>',
    "~~~",
    "---",
    "    indented code",
    "{{ 7 * 7 }} {% if true %}jinja{% endif %}",
)
"""Markdown and HTML a contributor could put in a text cell (each passes ``validate``)."""


PLAIN = tuple(f"plain text {number}" for number in range(len(PAYLOADS)))
"""Harmless texts in place of ``PAYLOADS``, one for one: the same site with these is what the
hostile one is compared with (a page's layout may depend on its texts: a label that names its
function, a list of roles)."""


def _hostile(folder: Path, payloads: tuple[str, ...] = PAYLOADS) -> int:
    """Replace every free text cell of the package in ``folder`` by one of ``payloads`` and
    the cell's first 12 characters; return how many."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    count = 0
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        keys = set(schema.get("primaryKey") or [])
        for foreign in schema.get("foreignKeys", []):
            fields = foreign["fields"]
            keys |= set(fields if isinstance(fields, list) else [fields])
        free = [
            field["name"]
            for field in schema["fields"]
            if field.get("type", "string") == "string"
            and not {"pattern", "enum"} & set(field.get("constraints") or {})
            and field.get("format", "default") == "default"
            and field["name"] not in keys
        ]
        path = folder / resource["path"]
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        for row in rows[1:]:
            for name in free:
                index = rows[0].index(name)
                if row[index]:
                    original = row[index][:12].strip()
                    row[index] = f"{payloads[count % len(payloads)]} {original}".strip()
                    count += 1
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    return count


def _converter(base: Path) -> Any:
    """Markdown to HTML as MkDocs converts the site's pages (``mkdocs.yml``'s extensions),
    with snippets read from ``base``."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!", "#"))
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict):
            ((name, value),) = entry.items()
            names.append(name)
            options[name] = dict(value or {})
        else:
            names.append(entry)
    options.setdefault("pymdownx.snippets", {})["base_path"] = [str(base)]
    return lambda text: markdown.markdown(text, extensions=names, extension_configs=options)


class _Page(HTMLParser):
    """A page's elements outside drawings (tag and attribute names), its text, and anything
    that could run: a script, an embedded object, an event handler, a ``javascript:`` URL."""

    RUNS = frozenset({"script", "iframe", "object", "embed", "img", "foreignobject", "style"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: list[tuple[str, tuple[str, ...]]] = []
        self.runs: list[str] = []
        self.text: list[str] = []
        self.drawing = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.drawing += tag == "svg"
        if not self.drawing:
            self.shape.append((tag, tuple(sorted(name for name, _ in attrs))))
        if tag in self.RUNS:
            self.runs.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.runs.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self.drawing -= tag == "svg" and self.drawing > 0

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _site_of(root: Path, payloads: tuple[str, ...]) -> dict[str, str]:
    """The pages of the bundled package with its free texts replaced (``_hostile``)."""
    package = root / "package"
    shutil.copytree(bundled_package_dir(), package)
    assert _hostile(package, payloads) > 1000
    assert pdata.validate(package).valid  # a contributor's CI would accept it
    with site.built_release(package) as release:
        return site.render(release, build_parser(), package)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Any]:
    root = tmp_path_factory.mktemp("hostile-site")
    (root / "secret.txt").write_text(SNIPPET_SECRET, encoding="utf-8")
    return _site_of(root, PAYLOADS), _converter(root)


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The same site with harmless texts in the same cells (``PLAIN``)."""
    return _site_of(tmp_path_factory.mktemp("plain-site"), PLAIN)


def test_hostile_text_changes_no_element_of_any_page(
    hostile_site: tuple[dict[str, str], Any], plain_site: dict[str, str]
) -> None:
    """Every page has the very elements it has when the same cells hold plain text. The two
    sites' pages come in the same order; a region's or a function's page is named after its
    (changed) name, every other page alike."""
    pages, convert = hostile_site
    assert len(pages) == len(plain_site)
    compared = 0
    for (name, text), (plain_name, plain) in zip(pages.items(), plain_site.items(), strict=True):
        if PurePosixPath(name).parent.name not in ("regions", "functions"):
            assert name == plain_name
        if not name.endswith(".md"):
            continue
        page = _Page(convert(text))
        assert not page.runs, (name, page.runs[:5])
        assert SNIPPET_SECRET not in text and SNIPPET_SECRET not in "".join(page.text), name
        assert page.shape == _Page(convert(plain)).shape, name
        compared += 1
    assert compared >= 56  # regions and functions included


def test_hostile_text_comes_out_as_the_text_it_is(
    hostile_site: tuple[dict[str, str], Any],
) -> None:
    pages, convert = hostile_site
    shown = " ".join(" ".join(_Page(convert(text)).text) for text in pages.values())
    shown = " ".join(shown.split())
    for payload in PAYLOADS:
        assert " ".join(payload.split()) in shown, payload


def test_the_region_page_of_the_issue_shows_the_label_as_text(tmp_path: Path) -> None:
    """The issue's reproduction: ``<script>`` and ``<img onerror>`` in a gap label."""
    env = site._templates.environment()
    for value in ("<script>alert(1)</script>", '<img src=x onerror="alert(1)">'):
        text = env.from_string("*{{ f }}*: {{ label }}").render(f="Function", label=value)
        html = markdown.markdown(text, extensions=["md_in_html", "attr_list"])
        assert "<script" not in html and "<img" not in html
        assert "".join(_Page(html).text) == f"Function: {value}"


@settings(max_examples=int(os.environ.get("PALLIATIV_FUZZ_EXAMPLES", "200")), deadline=None)
@given(
    st.text(
        st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
        min_size=1,
        max_size=40,
    )
)
def test_any_text_is_shown_as_itself_in_a_paragraph_a_heading_a_cell_and_an_html_block(
    value: str,
) -> None:
    """The one escape, whatever the text: Markdown shows it as the text it is (with line
    breaks and tabs as spaces, other control characters as ``\\x..``), and it makes no
    element, wherever a template puts it."""
    convert = _converter(REPO)
    visible = " ".join(markdown_text(value).split())  # its entities, as the reader sees them
    expected = " ".join(
        _Page(visible).text[0].split() if _Page(visible).text else []
    )  # (HTMLParser decodes the entities)
    places = {
        "paragraph": f"Before {markdown_text(value)} after",
        "line": markdown_text(value),
        "heading": f"## {markdown_text(value)}",
        "emphasis": f"*{markdown_text(value)}*",
        "cell": str(table(["a", "b"], [[value, "x"]])),
        "block": f'<p class="x"><strong>{markdown_text(value)}</strong></p>',
        "attribute": f'<p title="{markdown_text(value)}">x</p>',
    }
    for place, text in places.items():
        page = _Page(convert(text))
        assert not page.runs, (place, page.runs)
        shape = [item for item in page.shape if item != ("a", ("class", "href", "title"))]
        tags = {tag for tag, _ in shape}  # (a heading's permalink aside: toc's)
        allowed = {"p", "h2", "em", "table", "thead", "tbody", "tr", "th", "td", "strong"}
        assert tags <= allowed, (place, text, tags)
        if place != "attribute" and expected:
            assert expected in " ".join(" ".join(page.text).split()), (place, text)


# --------------------------------------------------------------------------- symlinks


@pytest.mark.parametrize("linked", ["en/data", "sv/regions", "en"])
def test_site_refuses_a_symlinked_folder_and_deletes_nothing_there(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    linked: str,
    fingerprint: Callable[[Path], dict[str, str]],
) -> None:
    """The issue's reproduction: ``docs/en/data`` a link to elsewhere, whose files the site
    used to delete as stale generated files."""
    docs, elsewhere = tmp_path / "docs", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.csv").write_text("keep me\n", encoding="utf-8")
    (elsewhere / "index.md").write_text("# mine\n", encoding="utf-8")
    (docs / linked).parent.mkdir(parents=True)
    os.symlink(elsewhere, docs / linked)
    before = fingerprint(tmp_path)

    code = main(["site", "--docs", str(docs)])
    err = capsys.readouterr().err
    assert code == 1 and "is a symbolic link" in err and "Nothing was written" in err
    assert "Traceback" not in err
    files = {f"{linked}/index.md": "# generated\n", "sv/index.md": "# Start\n"}
    with pytest.raises(BuildError, match="symbolic link"):
        site.write(docs, files)
    with pytest.raises(BuildError, match="symbolic link"):
        site.stale(docs, files)
    assert fingerprint(tmp_path) == before


def test_site_refuses_a_generated_file_that_is_a_symlink(tmp_path: Path) -> None:
    docs, outside = tmp_path / "docs", tmp_path / "outside.md"
    outside.write_text("# not the site's\n", encoding="utf-8")
    (docs / "sv").mkdir(parents=True)
    os.symlink(outside, docs / "sv" / "index.md")
    with pytest.raises(BuildError, match=r"index\.md is a symbolic link"):
        site.write(docs, {"sv/index.md": "# Start\n"})
    with pytest.raises(BuildError, match="symbolic link"):
        site.changed(docs, {"sv/index.md": "# Start\n"})  # (--check reads nothing through it)
    assert outside.read_text(encoding="utf-8") == "# not the site's\n"


def test_a_link_inside_a_generated_folder_is_removed_as_a_link(tmp_path: Path) -> None:
    """A stale symlink is removed itself: what it points to stays."""
    docs, outside = tmp_path / "docs", tmp_path / "outside.csv"
    outside.write_text("keep\n", encoding="utf-8")
    (docs / "sv" / "data").mkdir(parents=True)
    os.symlink(outside, docs / "sv" / "data" / "old.csv")
    assert site.write(docs, {"sv/index.md": "# Start\n"})[-1] == docs / "sv" / "data" / "old.csv"
    assert not (docs / "sv" / "data" / "old.csv").is_symlink()
    assert outside.read_text(encoding="utf-8") == "keep\n"
