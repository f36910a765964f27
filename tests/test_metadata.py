"""Discoverable metadata: CITATION.cff, DCAT-AP-SE and schema.org, generated from datapackage.json."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns

from palliativ_data._io import read_json
from palliativ_data._paths import bundled_package_dir, repo_root
from palliativ_data.release.build import build_release
from palliativ_data.release.metadata import (
    CC_BY_4,
    citation,
    citation_cff,
    release_files,
    render_repo_citation,
    schema_org_dataset,
)

FIXTURES = Path(__file__).parent / "fixtures"
PACKAGE = bundled_package_dir()
DESCRIPTOR = read_json(PACKAGE / "datapackage.json")
VERSION = DESCRIPTOR["version"]
SPDX = Namespace("http://spdx.org/rdf/terms#")
SDO = Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_release(tmp_path_factory.mktemp("meta") / "dist", validate=False).release_dir


def _cff_validator() -> jsonschema.Draft7Validator:
    schema = read_json(FIXTURES / "schemas" / "citation-file-format-1.2.0.json")
    return jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def _data_files(release: Path) -> dict[str, bytes]:
    """Files the catalogue records describe: those listed in datapackage.json, and it."""
    descriptor = read_json(release / "datapackage.json")
    paths = [item["path"] for item in release_files(descriptor)] + ["datapackage.json"]
    return {path: (release / path).read_bytes() for path in paths}


# --------------------------------------------------------------------------- CITATION.cff


def test_citation_cff_is_valid_cff_1_2_0(release: Path) -> None:
    data = yaml.safe_load((release / "CITATION.cff").read_text(encoding="utf-8"))
    assert [error.message for error in _cff_validator().iter_errors(data)] == []
    assert data["cff-version"] == "1.2.0"
    assert data["version"] == VERSION
    assert data["type"] == "dataset"
    assert data["title"] == DESCRIPTOR["title"]
    assert data["license"] == DESCRIPTOR["licenses"][0]["name"]


def test_cff_validator_rejects_a_broken_citation() -> None:
    data = citation(DESCRIPTOR, PACKAGE)
    del data["authors"]
    data["license"] = "not a licence"
    messages = [error.message for error in _cff_validator().iter_errors(data)]
    assert any("authors" in message for message in messages)
    assert len(messages) >= 2


def test_citation_cites_every_source_document() -> None:
    data = yaml.safe_load(citation_cff(DESCRIPTOR, PACKAGE))
    with (PACKAGE / "data" / "sources.csv").open(encoding="utf-8") as handle:
        import csv

        sources = list(csv.DictReader(handle))
    assert [ref["title"] for ref in data.get("references", [])] == [s["title_sv"] for s in sources]
    for reference, source in zip(data.get("references", []), sources):
        names = [author["name"] for author in reference["authors"]]
        assert "; ".join(names) == source["publisher"]
        assert reference["year"] == int(source["published"][:4])


def test_repository_citation_cff_is_generated() -> None:
    root = repo_root()
    assert root is not None
    on_disk = (root / "CITATION.cff").read_text(encoding="utf-8")
    assert on_disk == render_repo_citation(), "run `palliativ-data generate` and commit the result"


def test_release_citation_equals_the_repository_one(release: Path) -> None:
    assert (release / "CITATION.cff").read_text(encoding="utf-8") == render_repo_citation()


def test_citation_follows_the_descriptor() -> None:
    changed = copy.deepcopy(DESCRIPTOR)
    changed["version"] = "9.8.7"
    changed["keywords"] = ["hospice"]
    data = yaml.safe_load(citation_cff(changed))
    assert data["version"] == "9.8.7"
    assert data["keywords"] == ["hospice"]


# --------------------------------------------------------------------------- DCAT-AP-SE


@pytest.fixture(scope="module")
def dcat(release: Path) -> Graph:
    graph = Graph()
    graph.parse(release / "dcat-ap-se.jsonld", format="json-ld")
    return graph


def _dataset(graph: Graph) -> URIRef:
    datasets = list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))
    assert len(datasets) == 1
    return datasets[0]


def test_dcat_dataset_licence_publisher_and_version(dcat: Graph) -> None:
    rows = list(
        dcat.query(
            """
        SELECT ?licence ?publisher ?version WHERE {
          ?d a dcat:Dataset ; dct:license ?licence ; dct:publisher ?p ; owl:versionInfo ?version .
          ?p foaf:name ?publisher .
        }""",
            initNs={
                "dcat": ns.DCAT,
                "dct": ns.DCTERMS,
                "foaf": Namespace("http://xmlns.com/foaf/0.1/"),
                "owl": Namespace("http://www.w3.org/2002/07/owl#"),
            },
        )
    )
    assert len(rows) == 1
    licence, publisher, version = rows[0]
    assert licence == URIRef(CC_BY_4)
    assert str(version) == VERSION
    assert str(publisher) == DESCRIPTOR["contributors"][0]["title"]


def test_dcat_titles_and_descriptions_are_language_tagged(dcat: Graph) -> None:
    dataset = _dataset(dcat)
    titles = {t.language: str(t) for t in dcat.objects(dataset, ns.DCTERMS.title)}
    assert titles["en"] == DESCRIPTOR["title"]
    descriptions = {t.language for t in dcat.objects(dataset, ns.DCTERMS.description)}
    assert "en" in descriptions


def test_dcat_has_a_swedish_title_and_description(dcat: Graph) -> None:
    dataset = _dataset(dcat)
    assert "sv" in {t.language for t in dcat.objects(dataset, ns.DCTERMS.title)}
    assert "sv" in {t.language for t in dcat.objects(dataset, ns.DCTERMS.description)}


def test_dcat_has_one_distribution_per_file_with_format_and_checksum(
    dcat: Graph, release: Path
) -> None:
    files = _data_files(release)
    rows = dcat.query(
        """
        SELECT ?url ?media ?format ?size ?algorithm ?value ?licence WHERE {
          ?d a dcat:Dataset ; dcat:distribution ?dist .
          ?dist dcat:downloadURL ?url ; dcat:mediaType ?media ; dcat:byteSize ?size ;
                dct:license ?licence ;
                spdx:checksum [ spdx:algorithm ?algorithm ; spdx:checksumValue ?value ] .
          OPTIONAL { ?dist dct:format ?format }
        }""",
        initNs={"dcat": ns.DCAT, "dct": ns.DCTERMS, "spdx": SPDX},
    )
    seen = {}
    base = (release / "dcat-ap-se.jsonld").resolve().as_uri().rsplit("/", 1)[0] + "/"
    for url, media, file_format, size, algorithm, value, licence in rows:
        path = str(url).removeprefix(base)
        seen[path] = (str(media), file_format, int(size), str(value))
        assert algorithm == SPDX.checksumAlgorithm_sha256
        assert licence == URIRef(CC_BY_4)
    assert sorted(seen) == sorted(files)
    for path, (media, file_format, size, value) in seen.items():
        assert size == len(files[path]), path
        assert value == hashlib.sha256(files[path]).hexdigest(), path
        assert media.startswith("http://www.iana.org/assignments/media-types/"), path
        if path.endswith(".csv"):
            assert str(file_format).endswith("/file-type/CSV")
            assert media.endswith("/text/csv")
        if path.endswith(".parquet"):
            assert str(file_format).endswith("/file-type/PARQUET")


def test_dcat_checksum_values_are_typed_hex(dcat: Graph) -> None:
    values = list(dcat.objects(None, SPDX.checksumValue))
    assert values
    for value in values:
        assert isinstance(value, Literal)
        assert str(value.datatype) == "http://www.w3.org/2001/XMLSchema#hexBinary"


# --------------------------------------------------------------------------- schema.org


def _schema_org_graph(document: dict[str, Any]) -> Graph:
    """Parse schema.org JSON-LD offline (the remote context replaced by its vocabulary)."""
    local = dict(document, **{"@context": {"@vocab": "https://schema.org/"}})
    graph = Graph()
    graph.parse(data=json.dumps(local), format="json-ld", publicID="https://example.org/release/")
    return graph


def test_schema_org_release_file_has_a_data_download_per_file(release: Path) -> None:
    document = read_json(release / "schema-org.jsonld")
    assert document["@context"] == "https://schema.org/"
    assert document["@type"] == "Dataset"
    assert document["version"] == VERSION
    assert document["name"] == DESCRIPTOR["title"]
    assert document["license"] == DESCRIPTOR["licenses"][0]["path"]
    files = _data_files(release)
    downloads = {d["contentUrl"]: d for d in document["distribution"]}
    assert sorted(downloads) == sorted(files)
    for path, download in downloads.items():
        assert download["@type"] == "DataDownload"
        assert download["sha256"] == hashlib.sha256(files[path]).hexdigest()
        assert download["contentSize"] == f"{len(files[path])} B"
        assert download["encodingFormat"]


def test_schema_org_parses_as_rdf(release: Path) -> None:
    graph = _schema_org_graph(read_json(release / "schema-org.jsonld"))
    datasets = list(graph.subjects(ns.RDF.type, SDO.Dataset))
    assert len(datasets) == 1
    downloads = list(graph.objects(datasets[0], SDO.distribution))
    assert len(downloads) == len(_data_files(release))
    assert all((d, ns.RDF.type, SDO.DataDownload) in graph for d in downloads)


def test_schema_org_function_describes_the_bundled_package() -> None:
    document = schema_org_dataset()
    assert document["version"] == VERSION
    csvs = {r["path"]: r for r in DESCRIPTOR["resources"]}
    downloads = {d["contentUrl"]: d for d in document["distribution"]}
    assert sorted(downloads) == sorted(csvs)
    for path, download in downloads.items():
        data = (PACKAGE / path).read_bytes()
        assert download["sha256"] == hashlib.sha256(data).hexdigest()
        assert download["encodingFormat"] == "text/csv"


def test_schema_org_base_url_makes_absolute_links() -> None:
    document = schema_org_dataset(base_url="https://example.org/files/")
    assert all(
        d["contentUrl"].startswith("https://example.org/files/data/")
        for d in document["distribution"]
    )
