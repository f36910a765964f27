"""What the MkDocs hook does to the built pages (``_site/_built.py``) and the pages whose words
follow the publication facts (``_site/_about.py``): each checked on its own here; the built
site and the browser tests (``test_docs.py``, ``test_browser.py``) check them together."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import palliativ_data as pdata
from palliativ_data import _site
from palliativ_data._cli import build_parser
from palliativ_data._io import read_json
from palliativ_data._site import _about, _built

FACTS = read_json(Path(__file__).parent / "fixtures" / "example-publication-facts.json")

# --------------------------------------------------------------------------- tables


def test_every_table_scrolls_in_a_named_focusable_region() -> None:
    html = (
        '<h2 id="a">Brister <em>per</em> funktion<a class="headerlink" href="#a">¶</a></h2>'
        "<p>x</p><table><tr><td>1</td></tr></table><table><tr></tr></table>"
        '<h3 id="b">A &amp; "B"</h3><table><tr></tr></table>'
    )
    out = _built.scrollable_tables(html, "sv", "Sidan")
    assert out.count('<div class="pd-table" role="region" tabindex="0"') == 3
    assert 'aria-label="Tabell: Brister per funktion"><table><tr><td>1</td>' in out
    assert 'aria-label="Tabell: Brister per funktion (2)"' in out
    assert 'aria-label="Tabell: A &amp; &quot;B&quot;"' in out
    assert out.count("</table></div>") == 3
    # nothing else changes
    assert out.replace("</table></div>", "</table>").count("<div") == 3
    no_heading = _built.scrollable_tables("<table></table>", "en", "The page")
    assert 'aria-label="Table: The page"' in no_heading


# --------------------------------------------------------------------------- search


def test_numbers_written_with_spaces_are_indexed_as_digits() -> None:
    assert _built.numbers("8 500 personer och 1 168 rader") == ["8500", "1168"]
    assert _built.numbers("8\u00a0500 och 21\u202f000") == ["8500", "21000"]
    # decimals, versions, years and lists of small numbers are not one number
    assert _built.numbers("7.694 121.3 s, 1,095 250, år 2026 4, 1 2 3") == []


def _merged_index(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    docs = [
        {"location": "", "title": "Start", "text": "8 500 personer"},
        {"location": "regions/25-norrbotten/", "title": "Norrbotten", "text": "Svar"},
        {"location": "en/", "title": "Home", "text": "8 500 people"},
        {"location": "en/regions/25-norrbotten/#answer", "title": "Norrbotten", "text": "x"},
    ]
    config = {"lang": ["sv", "en"], "separator": "[\\s\\-]+", "fields": {"title": {"boost": 1e3}}}
    (site / _built.SEARCH_INDEX).write_text(json.dumps({"config": config, "docs": docs}))
    return site


def test_the_search_index_is_split_per_language(tmp_path: Path) -> None:
    site = _merged_index(tmp_path)
    counts = _built.split_search_index(site, {"sv": "", "en": "en/"})
    assert counts == {"sv": 2, "en": 2}
    swedish = json.loads((site / _built.SEARCH_INDEX).read_text())
    english = json.loads((site / "en" / _built.SEARCH_INDEX).read_text())
    assert [d["location"] for d in swedish["docs"]] == ["", "regions/25-norrbotten/"]
    assert [d["location"] for d in english["docs"]] == ["", "regions/25-norrbotten/#answer"]
    assert swedish["config"]["lang"] == ["sv"] and english["config"]["lang"] == ["en"]
    for index in (swedish, english):
        assert index["config"]["fields"][_built.NUMBERS_FIELD] == {"boost": 1.0}
        assert index["config"]["fields"]["title"] == {"boost": 1e3}
        assert index["docs"][0][_built.NUMBERS_FIELD] == "8500"
        assert _built.NUMBERS_FIELD not in index["docs"][1]


def test_english_pages_search_the_english_index() -> None:
    config = {"base": "../..", "search": "../../assets/search.js"}
    page = f'<head><script id="__config" type="application/json">{json.dumps(config)}</script>'
    moved = _built.english_search_base(page, "en/")
    found = json.loads(moved.split('application/json">')[1].split("</script>")[0])
    assert found == {"base": "../../en/", "search": "../../assets/search.js"}


# --------------------------------------------------------------------------- JSON-LD, sitemap


def test_json_ld_reaches_the_release_files_the_site_serves() -> None:
    document = pdata.schema_org_dataset()
    ld = _built.json_ld(document, "../downloads/files/palliativ-data-0.3.0/")
    urls = [item["contentUrl"] for item in ld["distribution"]]
    assert urls and all(url.startswith("../downloads/files/palliativ-data-0.3.0/") for url in urls)
    absolute = {"distribution": [{"contentUrl": "https://example.org/a.csv"}]}
    assert _built.json_ld(absolute, "x/")["distribution"] == absolute["distribution"]
    assert document["distribution"][0]["contentUrl"] == "data/regions.csv"  # not changed


def test_json_ld_in_the_head_cannot_close_its_script() -> None:
    page = _built.with_json_ld("<head><title>t</title></head><body>", {"n": "</script><b>"})
    script = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(script) == {"n": "</script><b>"}
    assert page.endswith("</head><body>")


def test_schema_org_names_the_catalogue_and_every_variable() -> None:
    document = pdata.schema_org_dataset()
    catalog = document["includedInDataCatalog"]
    assert catalog["@type"] == "DataCatalog" and catalog["name"]
    assert "url" not in catalog  # no homepage in the repository's facts: left out, not None
    fields = [
        f"{r['name']}.{f['name']}"
        for r in pdata.load().descriptor["resources"]
        for f in r["schema"]["fields"]
    ]
    assert [v["name"] for v in document["variableMeasured"]] == fields
    gaps_code = next(v for v in document["variableMeasured"] if v["name"] == "gaps.region_code")
    assert gaps_code["@type"] == "PropertyValue" and "Regionkod" in gaps_code["alternateName"]
    assert "None" not in json.dumps(document)


def test_without_a_site_url_the_sitemap_lists_no_page(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text("<urlset><url><loc>None./</loc></url></urlset>")
    assert _built.clean_sitemap(tmp_path, None)
    for text in (
        (tmp_path / "sitemap.xml").read_text(),
        gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()).decode(),
    ):
        assert "<url>" not in text and "None" not in text and "<urlset" in text
    (tmp_path / "sitemap.xml").write_text("kept")
    assert not _built.clean_sitemap(tmp_path, "https://example.org/")
    assert (tmp_path / "sitemap.xml").read_text() == "kept"


# --------------------------------------------------------------------------- facts on pages


@pytest.fixture(scope="module")
def with_facts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled package with the example publication facts set."""
    copy = Path(shutil.copytree(pdata.load().path, tmp_path_factory.mktemp("facts") / "p"))
    descriptor = read_json(copy / "datapackage.json")
    descriptor["homepage"] = FACTS["homepage"]
    descriptor["x-publication"] = FACTS["x-publication"]
    (copy / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False))
    return copy


def _page(path: str, lang: str, package: Any = None) -> str:
    return _site.render_page(path, lang, Path("."), build_parser(), package=package)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_accessibility_statement_has_what_digg_asks_for(lang: str, with_facts: Path) -> None:
    unset, facts = _page("accessibility.md", lang), _page("accessibility.md", lang, with_facts)
    for page in (unset, facts):
        assert _about.DIGG_REPORT in page
        assert _about.long_date(_about.STATEMENT_ASSESSED, lang) in page
        assert _about.long_date(_about.STATEMENT_UPDATED, lang) in page
        assert ("delvis förenlig" if lang == "sv" else "partially compliant") in page
        assert "None" not in page
    email = FACTS["x-publication"]["contact_point"]["email"]
    assert f"(mailto:{email})" in facts
    assert FACTS["x-publication"]["publisher"]["name"][lang] in facts
    assert "@" not in unset  # no address invented while the facts are unset
    assert ("ännu inte publicerat" if lang == "sv" else "not yet published") in unset


def test_the_install_page_says_whether_pip_install_works(
    monkeypatch: pytest.MonkeyPatch, with_facts: Path
) -> None:
    assert _about.first_release({"0.3.0": "unreleased", "0.2.0": "part of 0.3.0"}) is None
    assert _about.first_release({"0.3.0": "2026-09-01", "0.2.0": "2026-07-01"}) == (
        "0.2.0",
        "2026-07-01",
    )
    monkeypatch.setattr(_about, "read_changelog", lambda: {"0.3.0": "unreleased"})
    before, with_repository = _page("install.md", "en"), _page("install.md", "en", with_facts)
    for page in (before, with_repository):
        assert "has not been uploaded to PyPI yet" in page
        assert "pip install palliativ-data\n" not in page
    assert ".venv/bin/pip install .\n" in before
    repository = FACTS["x-publication"]["repository"]
    assert f'pip install "palliativ-data @ git+{repository}"' in with_repository
    monkeypatch.setattr(_about, "read_changelog", lambda: {"0.3.0": "2026-07-01"})
    after = _page("install.md", "sv")
    assert ".venv/bin/pip install palliativ-data\n" in after
    assert "sedan version 0.3.0 (2026-07-01)" in after and "inte" not in after.split("##")[1]
