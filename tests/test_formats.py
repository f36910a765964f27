"""The table of release formats (``_release/formats.py``): consistent, and the one place to add
a format.

``test_a_format_added_to_the_table_is_built_listed_described_and_offered`` follows the recipe
"How to add a release format" in ``docs/en/contributing.md``: it puts a made-up format (a
tab-separated copy of each table) into the table and nowhere else, then checks that a build
writes it, lists it in ``datapackage.json`` and ``SHA256SUMS``, that ``validate`` checks it,
and that DCAT-AP-SE, schema.org and the downloads page describe it.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import palliativ_data as pdata
from palliativ_data import _site
from palliativ_data._cli import build_parser
from palliativ_data._io import DESCRIPTOR_FILE, file_facts, read_json
from palliativ_data._paths import bundled_package_dir
from palliativ_data._release import formats
from palliativ_data._release.build import build_release
from palliativ_data._release.formats import (
    COPY,
    DESCRIPTOR,
    READERS,
    RESOURCE,
    Inputs,
    ReleaseFormat,
    formats_listed_in,
    release_files,
)
from palliativ_data._release.metadata.dcat import DCAT_FILE, FILE_TYPE, IANA_MEDIA_TYPES
from palliativ_data._release.metadata.schema_org import SCHEMA_ORG_FILE
from palliativ_data._source import PACKAGE_WIDE_FILES, declared_copies

PACKAGE = bundled_package_dir()
DESCRIPTOR_JSON = read_json(PACKAGE / DESCRIPTOR_FILE)
LANGUAGES = {"en", "sv"}
BASE_URL = "https://example.org/palliativ-data/"


# --------------------------------------------------------------------------- the table


def test_keys_and_paths_are_unique() -> None:
    keys = Counter(fmt.key for fmt in formats.FORMATS)
    paths = Counter(fmt.path for fmt in formats.FORMATS)
    assert [key for key, n in keys.items() if n > 1] == []
    assert [path for path, n in paths.items() if n > 1] == []


def test_one_format_is_the_tables_own_file_and_one_the_descriptor() -> None:
    assert [fmt.key for fmt in formats_listed_in(RESOURCE)] == ["csv"]
    assert [fmt.key for fmt in formats_listed_in(DESCRIPTOR)] == ["descriptor"]
    package_wide = [fmt.listed_in for fmt in formats_listed_in()]
    assert sorted(package_wide) == ["x-database", "x-workbook"]
    assert all(place.startswith("x-") for place in package_wide)


def test_every_package_wide_file_is_checked_by_validate_and_load() -> None:
    """``_source.declared_copies`` (which ``validate`` and ``load`` check) reads the package-wide
    files from its own list: a new one must be named there too."""
    assert {fmt.listed_in for fmt in formats_listed_in()} == set(PACKAGE_WIDE_FILES)
    descriptor = {fmt.listed_in: {"path": fmt.file(package="p")} for fmt in formats_listed_in()}
    assert {where for _, where, _ in declared_copies(descriptor)} == set(PACKAGE_WIDE_FILES)


def test_a_path_names_the_table_exactly_when_there_is_a_file_per_table() -> None:
    for fmt in formats.FORMATS:
        per_table = fmt.listed_in in (RESOURCE, COPY)
        assert ("{table}" in fmt.path) == per_table, fmt.key


def test_a_data_format_has_one_media_type_and_one_file_type() -> None:
    """DCAT looks a file's EU file type up by its Data Package ``format``: formats sharing one
    (the curated CSV and the spreadsheet copy) must agree."""
    seen: dict[str, tuple[str, str]] = {}
    for fmt in formats.FORMATS:
        facts = (fmt.mediatype, fmt.file_type)
        assert seen.setdefault(fmt.format, facts) == facts, fmt.key
        assert formats.file_type(fmt.format) == fmt.file_type


def test_every_text_is_in_both_languages_and_every_reader_is_known() -> None:
    for fmt in formats.FORMATS:
        for text in (fmt.title, fmt.description, fmt.advice):
            assert set(text) == LANGUAGES, fmt.key
        assert fmt.reader in READERS, fmt.key
    for label in READERS.values():
        assert set(label) == LANGUAGES
    assert {fmt.reader for fmt in formats.FORMATS} == set(READERS), "a reader nobody suits"


def test_a_copy_names_itself_in_x_formats() -> None:
    for fmt in formats_listed_in(COPY):
        entry = fmt.entry(fmt.file(table="gaps"), {"bytes": 1, "hash": "sha256:00"})
        assert entry["x-label"] == fmt.label and entry["path"] == fmt.file(table="gaps")
        assert list(entry)[-2:] == ["bytes", "hash"]


def test_an_unknown_copy_in_a_descriptor_is_described_generically() -> None:
    """A descriptor written elsewhere may list a copy the table does not know."""
    descriptor = {
        "resources": [
            {
                "name": "regions",
                "title": "Regions",
                "path": "data/regions.csv",
                "description": "The regions.",
                "x-formats": [
                    {"format": "ods", "path": "ods/regions.ods", "x-label": "OpenDocument"}
                ],
            }
        ]
    }
    _, workbook = release_files(descriptor)
    assert workbook["title"] == {
        "en": "Regions (regions), OpenDocument",
        "sv": "Tabellen regions, OpenDocument",
    }
    assert workbook["description"]["sv"] == "Tabellen regions som OpenDocument."
    assert workbook["mediatype"] is None and formats.file_type("ods") is None


def test_an_unknown_format_key_names_the_table() -> None:
    with pytest.raises(KeyError, match="'csv'"):
        formats.release_format("ods")


# --------------------------------------------------------------------------- the recipe


def _write_tsv(given: Inputs, path: Path) -> None:
    """The made-up format's writer: the curated CSV's rows, tab-separated."""
    rows = csv.reader(io.StringIO(given.csv.decode("utf-8"), newline=""))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter="\t", lineterminator="\n").writerows(rows)


TSV = ReleaseFormat(
    key="tsv",
    path="tsv/{table}.tsv",
    listed_in=COPY,
    format="tsv",
    mediatype="text/tab-separated-values",
    file_type="TSV",
    label="TSV (tab-separated)",
    title={"en": "{title} ({name}), {label}", "sv": "Tabellen {name}, {label}"},
    description={"en": "{about} {label}.", "sv": "Tabellen {name} som TSV (tabbseparerad)."},
    reader="programs",
    advice={"en": "the `{folder}` folder (tab-separated)", "sv": "mappen `{folder}` (tabbar)"},
    write=_write_tsv,
    dialect={"delimiter": "\t", "lineTerminator": "\n", "header": True},
)


@pytest.fixture(scope="module")
def with_tsv(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A release built with the made-up format added to the table (and nowhere else)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formats, "FORMATS", (*formats.FORMATS, TSV))
        out = tmp_path_factory.mktemp("tsv") / "dist"
        result = build_release(out, validate=False, base_url=BASE_URL)
        pages = {
            lang: _site.render_page("downloads.md", lang, result.out, build_parser())
            for lang in ("sv", "en")
        }
    return result, pages


def _tsv_paths() -> list[str]:
    return [TSV.file(table=name) for name in pdata.load().resource_names]


def test_a_format_added_to_the_table_is_written_for_every_table(with_tsv: Any) -> None:
    result, _ = with_tsv
    for name in pdata.load().resource_names:
        written = (result.release_dir / TSV.file(table=name)).read_text(encoding="utf-8")
        with (PACKAGE / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            curated = list(csv.reader(handle))
        assert list(csv.reader(io.StringIO(written, newline=""), delimiter="\t")) == curated
        assert TSV.file(table=name) in result.files


def test_a_format_added_to_the_table_is_listed_and_checked(with_tsv: Any, tmp_path: Path) -> None:
    result, _ = with_tsv
    release = result.release_dir
    descriptor = read_json(release / DESCRIPTOR_FILE)
    for resource in descriptor["resources"]:
        (entry,) = [e for e in resource["x-formats"] if e["format"] == "tsv"]
        assert entry["path"] == TSV.file(table=resource["name"])
        assert entry["x-label"] == TSV.label and entry["dialect"]["delimiter"] == "\t"
        assert {k: entry[k] for k in ("bytes", "hash")} == file_facts(release / entry["path"])
    sums = (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    summed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in sums}
    for path in _tsv_paths():
        assert "sha256:" + summed[path] == file_facts(release / path)["hash"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formats, "FORMATS", (*formats.FORMATS, TSV))
        assert pdata.validate(release).valid  # validate checks the declared copy's size and hash
        changed = shutil.copytree(release, tmp_path / "changed")
        (changed / _tsv_paths()[0]).write_text("changed\n", encoding="utf-8")
        assert "byte-count" in {problem.code for problem in pdata.validate(changed).problems}
        # … and what it holds, written again with the format's own writer, even when whoever
        # changed it rewrote its hash too
        descriptor = read_json(changed / DESCRIPTOR_FILE)
        (resource,) = [
            r for r in descriptor["resources"] if r["name"] == pdata.load().resource_names[0]
        ]
        (entry,) = [e for e in resource["x-formats"] if e["format"] == "tsv"]
        entry.update(file_facts(changed / entry["path"]))
        (changed / DESCRIPTOR_FILE).write_text(json.dumps(descriptor), encoding="utf-8")
        assert [p.code for p in pdata.validate(changed).problems] == ["copy-differs"]
    # a version of palliativ-data whose table lacks the format cannot check the copy: it says so
    assert {problem.code for problem in pdata.validate(release).problems} == {"copy-unknown"}


def test_a_format_added_to_the_table_is_a_distribution_in_dcat_and_schema_org(
    with_tsv: Any,
) -> None:
    result, _ = with_tsv
    graph = read_json(result.release_dir / DCAT_FILE)["@graph"]
    by_url = {
        node["dcat:downloadURL"]["@id"]: node
        for node in graph
        if node.get("@type") == "dcat:Distribution"
    }
    gaps = by_url[BASE_URL + TSV.file(table="gaps")]
    assert gaps["dct:format"] == {"@id": FILE_TYPE + "TSV"}
    assert gaps["dcat:mediaType"] == {"@id": IANA_MEDIA_TYPES + TSV.mediatype}
    titles = {literal["@language"]: literal["@value"] for literal in gaps["dct:title"]}
    title = next(r for r in DESCRIPTOR_JSON["resources"] if r["name"] == "gaps")["title"]
    assert titles == {
        "en": f"{title} (gaps), TSV (tab-separated)",
        "sv": "Tabellen gaps, TSV (tab-separated)",
    }
    assert {node["@id"] for node in graph} >= {IANA_MEDIA_TYPES + TSV.mediatype}
    downloads = read_json(result.release_dir / SCHEMA_ORG_FILE)["distribution"]
    described = {item["name"]: item for item in downloads}
    for path in _tsv_paths():
        assert described[path]["contentUrl"] == BASE_URL + path
        assert described[path]["encodingFormat"] == TSV.mediatype
        assert described[path]["sha256"] == file_facts(result.release_dir / path)["hash"][7:]


def test_a_format_added_to_the_table_is_offered_on_the_downloads_page(with_tsv: Any) -> None:
    _, pages = with_tsv
    assert (
        "- **R, Python, DuckDB**: the `parquet/` folder (typed columns), the SQLite file or the "
        "`tsv/` folder (tab-separated)." in pages["en"]
    )
    assert (
        "- **R, Python, DuckDB**: mappen `parquet/` (typade kolumner), SQLite-filen eller "
        "mappen `tsv/` (tabbar)." in pages["sv"]
    )
    for page in pages.values():
        assert ">tsv/gaps.tsv</a>" in page  # the table of every file, with size and checksum
