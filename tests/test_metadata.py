"""Discoverable metadata: publication facts, CITATION.cff, DCAT-AP-SE and schema.org.

The release under test is built the way a publisher would: the bundled package with clearly
example publication facts (example.org) and ``--base-url https://example.org/palliativ-data/``.
DCAT-AP-SE is checked with DIGG's shapes (vendored in ``fixtures/dcat-ap-se/``) applied the way
the portal's validator applies them, and with the harvesting rules the shapes do not cover.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import hashlib
import json
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from palliativ_data._authoring.citation import render_repo_citation
from palliativ_data._cli import main
from palliativ_data._errors import BuildError
from palliativ_data._io import read_json
from palliativ_data._paths import bundled_package_dir, repo_root
from palliativ_data._release.build import build_release
from palliativ_data._release.formats import release_files
from palliativ_data._release.metadata.cff import citation, citation_cff
from palliativ_data._release.metadata.facts import PUBLICATION, PublicationFacts, publication_facts
from palliativ_data._release.metadata.schema_org import schema_org_dataset

FIXTURES = Path(__file__).parent / "fixtures"
SHAPES = FIXTURES / "dcat-ap-se"
PACKAGE = bundled_package_dir()
DESCRIPTOR = read_json(PACKAGE / "datapackage.json")
VERSION = DESCRIPTOR["version"]
BASE_URL = "https://example.org/palliativ-data/"
SPDX = Namespace("http://spdx.org/rdf/terms#")
SDO = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
CC_BY_4 = "http://creativecommons.org/licenses/by/4.0/"

HOMEPAGE = "https://example.org/palliativ-data/site/"
EXAMPLE_FACTS: dict[str, Any] = {
    "base_url": None,
    "repository": "https://example.org/palliativ-data/source",
    "publisher": {
        "name": {"sv": "Exempelorganisationen", "en": "Example Organisation"},
        "iri": "https://example.org/organisation",
        "type": "NonProfitOrganisation",
    },
    "contact_point": {"email": "data@example.org", "url": None},
    "code_license": DESCRIPTOR[PUBLICATION]["code_license"],
}


def _package_with(tmp: Path, facts: dict[str, Any], homepage: str | None = None) -> Path:
    """A copy of the bundled package whose descriptor carries ``facts`` and ``homepage``."""
    target = tmp / "package"
    shutil.copytree(PACKAGE, target)
    descriptor = copy.deepcopy(DESCRIPTOR)
    descriptor[PUBLICATION] = facts
    descriptor.pop("homepage", None)
    if homepage:
        descriptor["homepage"] = homepage
    (target / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def example_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _package_with(tmp_path_factory.mktemp("pkg"), EXAMPLE_FACTS, HOMEPAGE)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory, example_package: Path):
    out = tmp_path_factory.mktemp("meta") / "dist"
    return build_release(out, example_package, validate=False, base_url=BASE_URL)


@pytest.fixture(scope="module")
def release(build) -> Path:
    return build.release_dir


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


def _rows(name: str) -> list[dict[str, str]]:
    with (PACKAGE / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------- publication facts


@pytest.fixture(scope="module")
def unknown_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled package with no publication fact decided (all null)."""
    facts = {key: None for key in EXAMPLE_FACTS}
    return _package_with(tmp_path_factory.mktemp("unknown"), facts)


def test_build_names_every_missing_fact(tmp_path: Path, unknown_package: Path) -> None:
    result = build_release(tmp_path / "dist", unknown_package, validate=False)
    missing = [fact.split(" ")[0].rstrip(":") for fact in PublicationFacts().missing()]
    assert missing == [
        "base_url",
        "publisher.name",
        "publisher.type",
        "publisher.iri",
        "contact_point.email",
        "homepage",
    ]
    assert [w.split(" ")[4].rstrip(":") for w in result.warnings] == missing
    assert "warning: publication fact not set: base_url" in result.render()


def test_bundled_facts_are_read_from_schema_package_json() -> None:
    assert publication_facts() == PublicationFacts.from_descriptor(DESCRIPTOR)
    assert publication_facts().code_license["name"] == "MIT"


def test_example_facts_and_base_url_leave_nothing_missing(build) -> None:
    assert build.warnings == ()


def test_strict_metadata_refuses_and_writes_nothing(tmp_path: Path, unknown_package: Path) -> None:
    out = tmp_path / "dist"
    with pytest.raises(BuildError) as caught:
        build_release(out, unknown_package, validate=False, strict_metadata=True, base_url=BASE_URL)
    assert not out.exists()
    message = str(caught.value)
    assert "publisher.type" in message and "contact_point" in message
    assert "base_url" not in caught.value.problems[0]  # given with --base-url
    assert list(caught.value.problems) == PublicationFacts(base_url=BASE_URL).missing()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"publisher": {"type": "Charity"}}, "publisher.type"),
        ({"base_url": "example.org/data"}, "base_url"),
        ({"contact_point": {"email": "not an address"}}, "contact_point.email"),
        ({"homepage": "ftp://example.org/"}, "homepage"),
        ({"publisher": ["Example"]}, "publisher"),
        ({"contact_point": "data@example.org"}, "contact_point"),
    ],
)
def test_malformed_fact_is_a_clear_error(change: dict[str, Any], named: str) -> None:
    descriptor = dict(DESCRIPTOR, **{PUBLICATION: dict(EXAMPLE_FACTS, **change)})
    if "homepage" in change:  # a Data Package property, beside x-publication
        descriptor["homepage"] = descriptor[PUBLICATION].pop("homepage")
    with pytest.raises(BuildError) as caught:
        PublicationFacts.from_descriptor(descriptor)
    message = str(caught.value)
    where = named if named == "homepage" else f"x-publication.{named}"
    assert f"`{where}` in schema/package.json" in message
    assert "null while" in message


def test_base_url_option_is_checked_and_completed() -> None:
    facts = PublicationFacts().with_base_url("https://example.org/data")
    assert facts.base_url == "https://example.org/data/"
    assert facts.iri("dataset") == "https://example.org/data/#dataset"
    with pytest.raises(BuildError, match="absolute http"):
        PublicationFacts().with_base_url("/data/")


def test_cli_build_takes_base_url_and_strict_metadata(
    tmp_path: Path,
    example_package: Path,
    unknown_package: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "dist"
    code = main(
        [
            "build",
            str(example_package),
            "--out",
            str(out),
            "--base-url",
            BASE_URL,
            "--strict-metadata",
            "--json",
        ]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out)["warnings"] == []
    graph = Graph().parse(out / f"palliativ-data-{VERSION}" / "dcat-ap-se.ttl", format="turtle")
    assert (URIRef(BASE_URL + "#dataset"), ns.RDF.type, ns.DCAT.Dataset) in graph
    code = main(
        ["build", str(unknown_package), "--out", str(tmp_path / "other"), "--strict-metadata"]
    )
    assert code == 1
    assert "publisher.name" in capsys.readouterr().err
    assert not (tmp_path / "other").exists()


# --------------------------------------------------------------------------- CITATION.cff


@pytest.fixture(scope="module")
def cff(release: Path) -> dict[str, Any]:
    return yaml.safe_load((release / "CITATION.cff").read_text(encoding="utf-8"))


def test_base_url_option_reaches_the_release_descriptor_and_citation(
    tmp_path: Path, unknown_package: Path
) -> None:
    """``--base-url`` is where the release is published: the release's datapackage.json says so,
    and without a homepage it is the citation's URL (before, both kept the null of the facts)."""
    result = build_release(tmp_path / "dist", unknown_package, validate=False, base_url=BASE_URL)
    descriptor = read_json(result.release_dir / "datapackage.json")
    assert descriptor[PUBLICATION]["base_url"] == BASE_URL
    data = yaml.safe_load((result.release_dir / "CITATION.cff").read_text(encoding="utf-8"))
    assert data["url"] == BASE_URL
    # without --base-url the release keeps the facts as they are
    plain = build_release(tmp_path / "plain", unknown_package, validate=False)
    assert read_json(plain.release_dir / "datapackage.json")[PUBLICATION]["base_url"] is None
    assert "url" not in yaml.safe_load((plain.release_dir / "CITATION.cff").read_text("utf-8"))


def test_citation_cff_is_valid_cff_1_2_0(cff: dict[str, Any]) -> None:
    assert [error.message for error in _cff_validator().iter_errors(cff)] == []
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == VERSION
    assert cff["type"] == "dataset"
    assert cff["title"] == DESCRIPTOR["title"]


def test_citation_has_date_url_repository_and_the_data_licence(cff: dict[str, Any]) -> None:
    latest = max(row["published"] for row in _rows("editions"))
    assert cff["date-released"] == latest
    assert cff["url"] == HOMEPAGE
    assert cff["repository-code"] == EXAMPLE_FACTS["repository"]
    # the data set's licence, one SPDX id (a list is not a licence Zenodo can take); the
    # code's MIT is the wheel's (License-Expression: MIT AND CC-BY-4.0)
    assert cff["license"] == DESCRIPTOR["licenses"][0]["name"] == "CC-BY-4.0"
    assert cff["contact"] == [
        {
            "name": "Example Organisation",
            "website": "https://example.org/organisation",
            "email": "data@example.org",
        }
    ]


def test_citation_author_is_an_entity_not_a_person(cff: dict[str, Any]) -> None:
    assert cff["authors"] == [
        {"name": "Example Organisation", "website": "https://example.org/organisation"}
    ]
    repository = yaml.safe_load(render_repo_citation())
    assert all("family-names" not in author for author in repository["authors"])


def test_citation_renders_bibtex_and_apa_with_an_entity_author_and_url(
    release: Path, cffconvert: Any
) -> None:
    """cffconvert, the Citation File Format's own converter: the publisher is the author as an
    entity (its name as written, not a person's family and given names; Zenodo's creator is
    that name), with the year and the landing page. cffconvert 2.0.0 does not double-brace an
    entity's name in BibTeX (docs/en/release.md says so)."""
    year = max(row["published"] for row in _rows("editions"))[:4]
    bibtex = cffconvert(release / "CITATION.cff", "bibtex")
    assert "author = {Example Organisation}" in bibtex
    assert f"year = {{{year}}}" in bibtex and f"url = {{{HOMEPAGE}}}" in bibtex
    apa = cffconvert(release / "CITATION.cff", "apalike")
    assert apa.startswith(f"Example Organisation ({year}). {DESCRIPTOR['title']} ")
    assert f"(version {VERSION})" in apa and apa.rstrip().endswith(f"URL: {HOMEPAGE}")
    zenodo = json.loads(cffconvert(release / "CITATION.cff", "zenodo"))
    assert zenodo["creators"] == [{"name": "Example Organisation"}]
    assert zenodo["license"] == {"id": "CC-BY-4.0"}


def test_cff_validator_rejects_a_broken_citation() -> None:
    data = citation(DESCRIPTOR, PACKAGE)
    del data["authors"]
    data["license"] = "not a licence"
    messages = [error.message for error in _cff_validator().iter_errors(data)]
    assert any("authors" in message for message in messages)
    assert len(messages) >= 2


def test_citation_cites_every_source_document() -> None:
    data = yaml.safe_load(citation_cff(DESCRIPTOR, PACKAGE))
    sources = _rows("sources")
    assert [ref["title"] for ref in data.get("references", [])] == [s["title_sv"] for s in sources]
    for reference, source in zip(data.get("references", []), sources, strict=True):
        names = [author["name"] for author in reference["authors"]]
        assert "; ".join(names) == source["publisher"]
        assert reference["year"] == int(source["published"][:4])


def test_repository_citation_cff_is_generated() -> None:
    root = repo_root()
    assert root is not None
    on_disk = (root / "CITATION.cff").read_text(encoding="utf-8")
    assert on_disk == render_repo_citation(), "run `palliativ-data generate` and commit the result"
    assert [error.message for error in _cff_validator().iter_errors(yaml.safe_load(on_disk))] == []


def test_release_citation_follows_the_package_facts(release: Path, example_package: Path) -> None:
    expected = citation_cff(read_json(example_package / "datapackage.json"), example_package)
    assert (release / "CITATION.cff").read_text(encoding="utf-8") == expected


def test_citation_follows_the_descriptor() -> None:
    changed = copy.deepcopy(DESCRIPTOR)
    changed["version"] = "9.8.7"
    changed["keywords"] = ["hospice"]
    changed["x-translations"] = {"sv": {"keywords": ["hospis"]}}
    data = yaml.safe_load(citation_cff(changed))
    assert data["version"] == "9.8.7"
    assert data["keywords"] == ["hospice", "hospis"]


# --------------------------------------------------------------------------- DCAT-AP-SE


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """rdflib's JSON-LD parser warns about its own deprecated classes; nothing to act on."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _parse(path: Path) -> Graph:
    fmt = {".jsonld": "json-ld", ".ttl": "turtle", ".rdf": "xml"}[path.suffix]
    graph = Graph()
    with _quiet():
        graph.parse(path, format=fmt)
    return graph


@pytest.fixture(scope="module")
def dcat(release: Path) -> Graph:
    return _parse(release / "dcat-ap-se.jsonld")


# The shapes take seconds per graph; the fast tier checks the JSON-LD file, the slow tier all
# three (test_turtle_and_rdf_xml_are_the_same_graph ties the other two to it in both tiers).
@pytest.mark.parametrize(
    "name",
    [
        "dcat-ap-se.jsonld",
        pytest.param("dcat-ap-se.ttl", marks=pytest.mark.slow),
        pytest.param("dcat-ap-se.rdf", marks=pytest.mark.slow),
    ],
)
def test_dcat_passes_digg_shapes(release: Path, digg_violations: Any, name: str) -> None:
    assert digg_violations(_parse(release / name)) == {}


def test_digg_shapes_catch_a_publisher_without_type(dcat: Graph, digg_violations: Any) -> None:
    broken = Graph()
    for triple in dcat:
        if triple[1] != ns.DCTERMS.type:
            broken.add(triple)
    assert digg_violations(broken) == {(str(ns.DCTERMS.type), "MinCountConstraintComponent"): 1}


def test_dcat_follows_the_harvesting_rules(dcat: Graph) -> None:
    nodes = {term for triple in dcat for term in triple}
    assert not [node for node in nodes if isinstance(node, BNode)], "blank nodes"
    iris = {str(node) for node in nodes if isinstance(node, URIRef)}
    relative = [iri for iri in iris if not iri.startswith(("https://", "http://", "mailto:"))]
    assert relative == []
    catalogs = list(dcat.subjects(ns.RDF.type, ns.DCAT.Catalog))
    assert catalogs == [URIRef(BASE_URL + "#catalog")]
    assert list(dcat.objects(catalogs[0], ns.DCAT.dataset)) == [URIRef(BASE_URL + "#dataset")]
    for node in dcat.subjects(ns.RDF.type, ns.DCAT.Distribution):
        assert str(node).startswith(BASE_URL + "#distribution-")
    for prop in (ns.DCTERMS.title, ns.DCTERMS.description, ns.DCAT.keyword, FOAF.name):
        literals = list(dcat.objects(None, prop))
        assert literals and all(isinstance(x, Literal) and x.language for x in literals), prop
    dataset = URIRef(BASE_URL + "#dataset")
    for prop in (ns.DCTERMS.title, ns.DCTERMS.description, ns.DCAT.keyword):
        assert {x.language for x in dcat.objects(dataset, prop)} == {"sv", "en"}, prop


def test_turtle_and_rdf_xml_are_the_same_graph(release: Path, dcat: Graph) -> None:
    for name in ("dcat-ap-se.ttl", "dcat-ap-se.rdf"):
        assert isomorphic(_parse(release / name), dcat), name


def test_dcat_dataset_facts(dcat: Graph) -> None:
    dataset = URIRef(BASE_URL + "#dataset")
    value = dcat.value
    assert value(dataset, ns.DCTERMS.license) == URIRef(CC_BY_4)
    assert str(value(dataset, ns.OWL.versionInfo)) == VERSION
    assert value(dataset, ns.DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
    assert value(dataset, ns.DCTERMS.spatial) == URIRef(EU + "country/SWE")
    assert value(dataset, ns.DCAT.theme) == URIRef(EU + "data-theme/HEAL")
    assert value(dataset, ns.DCAT.landingPage) == URIRef(HOMEPAGE)
    assert str(value(dataset, ns.DCTERMS.conformsTo)).startswith("https://datapackage.org/")
    assert not list(dcat.objects(dataset, ns.DCTERMS.source))
    publisher = value(dataset, ns.DCTERMS.publisher)
    assert publisher == URIRef("https://example.org/organisation")
    assert {str(n) for n in dcat.objects(publisher, FOAF.name)} == {
        "Exempelorganisationen",
        "Example Organisation",
    }
    assert value(publisher, ns.DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/NonProfitOrganisation"
    )
    contact = value(dataset, ns.DCAT.contactPoint)
    assert value(contact, VCARD.hasEmail) == URIRef("mailto:data@example.org")


def test_dcat_dates_and_temporal_coverage_come_from_the_editions(dcat: Graph) -> None:
    dates = sorted(row["published"] for row in _rows("editions"))
    dataset = URIRef(BASE_URL + "#dataset")
    period = dcat.value(dataset, ns.DCTERMS.temporal)
    assert str(dcat.value(period, ns.DCAT.startDate)) == dates[0]
    assert str(dcat.value(period, ns.DCAT.endDate)) == dates[-1]
    assert str(dcat.value(dataset, ns.DCTERMS.issued)) == dates[-1]
    assert str(dcat.value(dataset, ns.DCTERMS.modified)) == dates[-1]


def test_dcat_provenance_cites_every_source(dcat: Graph) -> None:
    statement = dcat.value(URIRef(BASE_URL + "#dataset"), ns.DCTERMS.provenance)
    assert (statement, ns.RDF.type, ns.DCTERMS.ProvenanceStatement) in dcat
    labels = {x.language: str(x) for x in dcat.objects(statement, ns.RDFS.label)}
    assert set(labels) == {"sv", "en"}
    for row in _rows("sources"):
        assert row["citation"] in labels["en"]


def test_dcat_has_one_distribution_per_file_with_format_and_checksum(
    dcat: Graph, release: Path, vocabularies: Graph
) -> None:
    files = _data_files(release)
    rows = dcat.query(
        """
        SELECT ?url ?media ?format ?size ?algorithm ?value ?licence ?availability WHERE {
          ?d a dcat:Dataset ; dcat:distribution ?dist .
          ?dist dcat:downloadURL ?url ; dcat:accessURL ?url ; dcat:mediaType ?media ;
                dct:format ?format ; dcat:byteSize ?size ; dct:license ?licence ;
                dcatap:availability ?availability ; dct:description ?description ;
                spdx:checksum [ spdx:algorithm ?algorithm ; spdx:checksumValue ?value ] .
          ?media a dct:MediaType .
        }""",
        initNs={
            "dcat": ns.DCAT,
            "dct": ns.DCTERMS,
            "spdx": SPDX,
            "dcatap": Namespace("http://data.europa.eu/r5r/"),
        },
    )
    seen = {}
    for url, media, file_format, size, algorithm, value, licence, availability in rows:
        assert str(url).startswith(BASE_URL)
        path = str(url).removeprefix(BASE_URL)
        seen[path] = (str(media), str(file_format), int(size), str(value))
        assert algorithm == SPDX.checksumAlgorithm_sha256
        assert licence == URIRef(CC_BY_4)
        assert str(availability).endswith("/STABLE")
        assert (file_format, ns.RDF.type, ns.DCTERMS.MediaTypeOrExtent) in vocabularies, path
    assert sorted(seen) == sorted(files)
    for path, (media, file_format, size, value) in seen.items():
        assert size == len(files[path]), path
        assert value == hashlib.sha256(files[path]).hexdigest(), path
        assert media.startswith("http://www.iana.org/assignments/media-types/"), path
        if path.endswith(".csv"):
            assert file_format.endswith("/file-type/CSV") and media.endswith("/text/csv")
        if path.endswith(".parquet"):
            assert file_format.endswith("/file-type/PARQUET")
        if path.endswith(".sqlite"):
            assert media.endswith("/application/vnd.sqlite3")


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
    with _quiet():
        graph.parse(data=json.dumps(local), format="json-ld")
    return graph


@pytest.fixture(scope="module")
def schema_org(release: Path) -> dict[str, Any]:
    return read_json(release / "schema-org.jsonld")


def test_schema_org_has_googles_required_and_recommended_properties(
    schema_org: dict[str, Any],
) -> None:
    # Google's dataset guidelines: name and description (50-5000 characters) are required.
    assert schema_org["name"] == DESCRIPTOR["title"]
    assert 50 <= len(schema_org["description"]) <= 5000
    recommended = {
        "alternateName",
        "creator",
        "citation",
        "identifier",
        "isAccessibleForFree",
        "keywords",
        "license",
        "spatialCoverage",
        "temporalCoverage",
        "version",
        "url",
        "distribution",
        "sameAs",
    }
    assert recommended <= set(schema_org)
    assert schema_org["@id"] == BASE_URL + "#dataset"
    assert schema_org["identifier"] == BASE_URL + "#dataset"
    assert schema_org["url"] == HOMEPAGE
    assert schema_org["license"] == DESCRIPTOR["licenses"][0]["path"]
    assert schema_org["sameAs"] == EXAMPLE_FACTS["repository"]


def test_schema_org_coverage_dates_and_agents(schema_org: dict[str, Any]) -> None:
    dates = sorted(row["published"] for row in _rows("editions"))
    assert schema_org["temporalCoverage"] == f"{dates[0]}/{dates[-1]}"
    assert schema_org["datePublished"] == dates[-1]
    place = schema_org["spatialCoverage"]
    assert place["@type"] == "Place" and place["identifier"] == EU + "country/SWE"
    for agent in (schema_org["publisher"], *schema_org["creator"]):
        assert agent["name"] == "Example Organisation"
        assert agent["@id"] == "https://example.org/organisation"
    sources = _rows("sources")
    assert [work["name"] for work in schema_org["citation"]] == [s["title_sv"] for s in sources]
    assert [work["datePublished"] for work in schema_org["citation"]] == [
        s["published"] for s in sources
    ]


def test_schema_org_release_file_has_an_absolute_data_download_per_file(
    release: Path, schema_org: dict[str, Any]
) -> None:
    files = _data_files(release)
    downloads = {d["contentUrl"]: d for d in schema_org["distribution"]}
    assert sorted(downloads) == sorted(BASE_URL + path for path in files)
    for url, download in downloads.items():
        data = files[url.removeprefix(BASE_URL)]
        assert download["@type"] == "DataDownload"
        assert download["sha256"] == hashlib.sha256(data).hexdigest()
        assert download["contentSize"] == f"{len(data)} B"
        assert download["encodingFormat"]


def test_schema_org_parses_offline_as_rdf(release: Path, schema_org: dict[str, Any]) -> None:
    graph = _schema_org_graph(schema_org)
    datasets = list(graph.subjects(ns.RDF.type, SDO.Dataset))
    assert datasets == [URIRef(BASE_URL + "#dataset")]
    downloads = list(graph.objects(datasets[0], SDO.distribution))
    assert len(downloads) == len(_data_files(release))
    assert all((d, ns.RDF.type, SDO.DataDownload) in graph for d in downloads)
    assert graph.value(datasets[0], SDO.temporalCoverage) is not None
    place = graph.value(datasets[0], SDO.spatialCoverage)
    assert (place, ns.RDF.type, SDO.Place) in graph


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
    document = schema_org_dataset(base_url="https://example.org/files")
    assert document["@id"] == "https://example.org/files/#dataset"
    assert all(
        d["contentUrl"].startswith("https://example.org/files/data/")
        for d in document["distribution"]
    )
