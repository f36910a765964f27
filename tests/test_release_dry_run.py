"""A dry run of the release workflow's build steps (``.github/scripts/release-build.sh``, the
very script ``release.yml`` runs on a tag), on a copy of the repository.

With example publication facts (``fixtures/example-publication-facts.json``, example.org) and a
dated changelog, the steps give one zip whose SHA-256 is the one on the built downloads page and
in the release's ``SHA256SUMS``, DCAT-AP-SE with no violation of DIGG's shapes, and a citation
with a URL that cffconvert renders with the publisher as the author. With the facts as they are
in the repository (unset), the same steps stop before building anything and name each fact.
"""

from __future__ import annotations

import hashlib
import html as html_module
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Graph, URIRef

from palliativ_data._io import read_json

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(".github") / "scripts" / "release-build.sh"
FACTS = read_json(Path(__file__).parent / "fixtures" / "example-publication-facts.json")
VERSION = read_json(ROOT / "schema" / "package.json")["version"]
TAG = f"v{VERSION}"
EPOCH = "1790000000"


def _copy_repository(target: Path) -> Path:
    """The checkout's files (tracked, and new ones not ignored) copied to ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _date_the_changelog(copy: Path) -> None:
    """What a maintainer does before tagging: date the version, and mark every older version
    still unreleased as part of it."""
    path = copy / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace(f"## Data {VERSION} — unreleased", f"## Data {VERSION} — 2026-07-01")
    text = re.sub(r"^(## Data [\d.]+) — unreleased$", rf"\1 — part of {VERSION}", text, flags=re.M)
    path.write_text(text, encoding="utf-8")


def _env(copy: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(copy / "src"),  # the copy's palliativ_data, not the checkout's
        "PYTHON": sys.executable,
        "SOURCE_DATE_EPOCH": EPOCH,  # the copy is no git repository: the commit time, given
        "PALLIATIV_DATA_SITE_RELEASE": "",
    }


def _run(argv: list[str], copy: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=copy, env=_env(copy), capture_output=True, text=True)


@dataclass(frozen=True)
class DryRun:
    out: Path

    @property
    def release(self) -> Path:
        (folder,) = [p for p in (self.out / "data-release").iterdir() if p.is_dir()]
        return folder


@pytest.fixture(scope="module")
def dry_run(once_per_run: Any) -> DryRun:
    """The steps run once per test run (about 40 s), shared by the tests below."""
    if shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]')")

    def run(work: Path) -> dict[str, Any]:
        copy = _copy_repository(work / "repo")
        package = copy / "schema" / "package.json"
        descriptor = read_json(package)
        descriptor["homepage"] = FACTS["homepage"]
        descriptor["x-publication"] = FACTS["x-publication"]
        package.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", "utf-8")
        generated = _run([sys.executable, "-m", "palliativ_data", "generate"], copy)
        assert generated.returncode == 0, generated.stdout + generated.stderr
        _date_the_changelog(copy)
        done = _run(["bash", str(SCRIPT), TAG, str(work / "out")], copy)
        return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}

    work, result = once_per_run("release-dry-run", run)
    assert result["returncode"] == 0, result["stdout"][-3000:] + result["stderr"][-3000:]
    return DryRun(work / "out")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_one_zip_is_the_release_asset_the_site_copy_and_the_downloads_page(
    dry_run: DryRun,
) -> None:
    assets = dry_run.out / "assets"
    (zip_path,) = assets.glob("*.zip")
    digest = _sha256(zip_path)
    sums = dict(
        reversed(line.split("  ", 1)) for line in (assets / "SHA256SUMS").read_text().splitlines()
    )
    assert sums[zip_path.name] == digest
    assert set(sums) == {p.name for p in assets.iterdir()} - {"SHA256SUMS"}
    for name, listed in sums.items():
        assert _sha256(assets / name) == listed, name
    site = dry_run.out / "site"
    assert _sha256(site / "downloads" / "files" / zip_path.name) == digest
    for page in ("downloads/index.html", "en/downloads/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert f'<code class="pd-hash" data-search-exclude>{digest}</code>' in html, page
    # the zip is the release folder, stamped with the one SOURCE_DATE_EPOCH
    with zipfile.ZipFile(zip_path) as archive:
        stamps = {info.date_time for info in archive.infolist()}
    assert len(stamps) == 1
    assert (dry_run.release / "SHA256SUMS").is_file()


def test_the_site_is_findable_with_the_facts_set(dry_run: DryRun) -> None:
    """``site_url`` and the repository come from the facts: real addresses in the sitemap
    (with each page's other language), a canonical link, the dataset's JSON-LD with its
    catalogue and ``sameAs``, the repository in every page's footer, a contact point in the
    accessibility statement, and ``pip install`` on the install page (the changelog dates
    the version this tag publishes)."""
    site, homepage = dry_run.out / "site", FACTS["homepage"]
    repository = FACTS["x-publication"]["repository"]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert locations and all(url.startswith(homepage) for url in locations)
    assert f"<loc>{homepage}en/downloads/</loc>" in sitemap
    assert f'hreflang="sv" href="{homepage}downloads/"' in sitemap
    assert "None" not in sitemap
    for page, url in (
        ("index.html", homepage),
        ("en/downloads/index.html", homepage + "en/downloads/"),
    ):
        html = (site / page).read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{url}">' in html, page
        assert f'href="{repository}"' in html, page  # the footer's link
        (ld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        document = json.loads(ld)
        assert document["sameAs"] == repository
        assert document["includedInDataCatalog"]["url"] == homepage
        assert document["variableMeasured"]
        assert all(d["contentUrl"].startswith("https://") for d in document["distribution"])
    statement = (site / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert f'href="mailto:{FACTS["x-publication"]["contact_point"]["email"]}"' in statement
    install = (site / "en" / "install" / "index.html").read_text(encoding="utf-8")
    text = html_module.unescape(re.sub(r"<[^>]+>", "", install))
    assert "pip install palliativ-data\n" in text and "not been uploaded" not in text


def test_wheel_and_sdist_carry_the_version_licences_and_project_urls(dry_run: DryRun) -> None:
    (wheel,) = (dry_run.out / "python-dist").glob("*.whl")
    (sdist,) = (dry_run.out / "python-dist").glob("*.tar.gz")
    assert wheel.name == f"palliativ_data-{VERSION}-py3-none-any.whl"
    assert sdist.name == f"palliativ_data-{VERSION}.tar.gz"
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(name).decode("utf-8"))
        assert any(n.endswith("licenses/LICENSE-DATA.md") for n in archive.namelist())
    assert metadata["Version"] == VERSION
    assert metadata["License-Expression"] == "MIT AND CC-BY-4.0"
    assert "Typing :: Typed" in metadata.get_all("Classifier")
    assert sorted(metadata.get_all("Project-URL")) == [
        f"Documentation, {FACTS['homepage']}",
        f"Download, {FACTS['x-publication']['base_url']}",
        f"Source, {FACTS['x-publication']['repository']}",
    ]


def test_dcat_passes_digg_shapes_with_absolute_iris(dry_run: DryRun, digg_violations: Any) -> None:
    import warnings

    graph = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        graph.parse(dry_run.release / "dcat-ap-se.jsonld", format="json-ld")
    assert digg_violations(graph) == {}
    base = FACTS["x-publication"]["base_url"]
    iris = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    assert base + "#dataset" in iris
    assert not [iri for iri in iris if not iri.startswith(("https://", "http://", "mailto:"))]
    release = read_json(dry_run.release / "datapackage.json")
    assert release["x-publication"]["base_url"] == base


def test_citation_has_a_url_and_renders_with_an_entity_author(
    dry_run: DryRun, cffconvert: Any
) -> None:
    path = dry_run.release / "CITATION.cff"
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert cff["url"] == FACTS["homepage"]
    assert cff["authors"] == [
        {"name": "Example Organisation", "website": "https://example.org/organisation"}
    ]
    bibtex, apa = cffconvert(path, "bibtex"), cffconvert(path, "apalike")
    assert (
        "author = {Example Organisation}" in bibtex and f"url = {{{FACTS['homepage']}}}" in bibtex
    )
    assert apa.startswith("Example Organisation (") and f"URL: {FACTS['homepage']}" in apa


def test_without_the_facts_the_steps_stop_before_building_and_name_them(
    tmp_path: Path,
) -> None:
    from palliativ_data._release.metadata.facts import publication_facts

    copy = _copy_repository(tmp_path / "repo")
    _date_the_changelog(copy)
    out = tmp_path / "out"
    done = _run(["bash", str(SCRIPT), TAG, str(out)], copy)
    assert done.returncode == 1
    assert "nothing was built or published" in done.stderr
    missing = publication_facts().missing()
    assert missing, "the repository's facts are unset: the dry run with them must fail"
    for fact in missing:
        assert fact in done.stderr, fact
    assert not out.exists() or not any(out.iterdir())
