"""DCAT-AP-SE: the release described for Sweden's data portal (JSON-LD, Turtle, RDF/XML).

:func:`dcat_ap_se` writes a ``dcat:Catalog``, the ``dcat:Dataset`` and one
``dcat:Distribution`` per file of the release (the files the table of release formats lists,
:func:`palliativ_data._release.formats.release_files`), every node with an IRI;
:func:`rdf_serializations` turns it into Turtle and RDF/XML (rdflib, imported only there).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..._io import DESCRIPTOR_FILE
from ..formats import file_type, release_files
from .facts import (
    ADMS_PUBLISHER_TYPE,
    COUNTRY_SWEDEN,
    EU_AUTHORITY,
    PUBLISHER_TYPES,
    DataRows,
    PublicationFacts,
    keywords,
    licence_iri,
    localized,
    publisher_name,
    publisher_names,
)

FILE_TYPE = EU_AUTHORITY + "file-type/"
LANGUAGE = EU_AUTHORITY + "language/"
THEME_HEALTH = EU_AUTHORITY + "data-theme/HEAL"
THEME_SCHEME = EU_AUTHORITY + "data-theme"
ACCESS_PUBLIC = EU_AUTHORITY + "access-right/PUBLIC"
FREQUENCY_IRREGULAR = EU_AUTHORITY + "frequency/IRREG"
AVAILABILITY_STABLE = "http://data.europa.eu/r5r/availability/STABLE"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
DATA_PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
_ISO_639_3 = {"sv": "SWE", "en": "ENG"}

DCAT_CONTEXT = {
    "adms": "http://www.w3.org/ns/adms#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatap": "http://data.europa.eu/r5r/",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _literals(texts: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"@value": text, "@language": language} for language, text in texts.items()]


def _typed(value: str, datatype: str) -> dict[str, str]:
    return {"@value": value, "@type": datatype}


def _date_literal(date: str) -> dict[str, str]:
    return _typed(date, "xsd:date" if len(date) == 10 else "xsd:gYearMonth")


def _concept(iri: str, label: str) -> dict[str, Any]:
    """A concept of a vocabulary the shapes know no copy of, with its English label."""
    return {
        "@id": iri,
        "@type": "skos:Concept",
        "skos:prefLabel": {"@value": label, "@language": "en"},
    }


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", path)


def _dcat_distribution(
    item: Mapping[str, Any],
    facts: PublicationFacts,
    licence_id: str | None,
    date: str | None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One distribution node, and the nodes it points to (checksum)."""
    slug = _slug(item["path"])
    url = {"@id": facts.url(item["path"])}
    distribution: dict[str, Any] = {
        "@id": facts.iri(f"distribution-{slug}"),
        "@type": "dcat:Distribution",
        "dct:title": _literals(item["title"]),
        "dct:description": _literals(item["description"]),
        "dcat:accessURL": url,
        "dcat:downloadURL": url,
        "dcatap:availability": {"@id": AVAILABILITY_STABLE},
    }
    code = file_type(item["format"])
    if code:
        distribution["dct:format"] = {"@id": FILE_TYPE + code}
    if item.get("mediatype"):
        distribution["dcat:mediaType"] = {"@id": IANA_MEDIA_TYPES + item["mediatype"]}
    if item.get("bytes") is not None:
        distribution["dcat:byteSize"] = _typed(str(item["bytes"]), "xsd:nonNegativeInteger")
    nodes = []
    if item.get("hash"):
        algorithm, _, value = item["hash"].partition(":")
        checksum = {
            "@id": facts.iri(f"checksum-{slug}"),
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": f"spdx:checksumAlgorithm_{algorithm.lower()}"},
            "spdx:checksumValue": _typed(value, "xsd:hexBinary"),
        }
        distribution["spdx:checksum"] = {"@id": checksum["@id"]}
        nodes.append(checksum)
    if item["path"] == DESCRIPTOR_FILE:
        distribution["dct:conformsTo"] = {"@id": DATA_PACKAGE_PROFILE}
    if licence_id:
        distribution["dct:license"] = {"@id": licence_id}
    if date:
        distribution["dct:issued"] = _date_literal(date)
    return distribution, nodes


def _provenance(sources: Sequence[Mapping[str, str]]) -> dict[str, str]:
    cited = " ".join(row["citation"] for row in sources if row.get("citation"))
    return {
        "en": "Transcribed and classified by hand from the source documents, every record "
        "pointing to its place in them (see the sources and editions tables). " + cited,
        "sv": "Överfört och klassat för hand från källdokumenten; varje post pekar på sin plats "
        "i källan (se tabellerna sources och editions). " + cited,
    }


def dcat_ap_se(
    descriptor: Mapping[str, Any],
    *,
    base: Path | None = None,
    base_url: str | None = None,
    extra_files: Iterable[Mapping[str, Any]] = (),
    rows: DataRows | None = None,
) -> dict[str, Any]:
    """A DCAT-AP-SE description (JSON-LD) of the package and its files.

    Every node has an IRI (no blank nodes): ``<base_url>#catalog``, ``#dataset``,
    ``#publisher`` (unless the facts give the publisher's own IRI), ``#contact-point``,
    ``#temporal``, ``#provenance``, ``#distribution-<path>``, ``#checksum-<path>``.

    Args:
        descriptor: The (release) data package descriptor, with its publication facts.
        base: Folder of the files, to compute sizes and checksums missing from the descriptor
            and read the ``editions`` and ``sources`` tables.
        base_url: Where the files are published (default: the facts' ``base_url``); without
            either, IRIs are relative to the JSON-LD document (the release folder).
        extra_files: More files to describe (e.g. ``datapackage.json`` itself), each with
            ``path``, ``format``, ``mediatype``, ``title`` and ``description`` (per language),
            ``bytes``, ``hash``.
        rows: The ``editions`` and ``sources`` rows when the caller has read them already (a
            build); else read from ``base``.

    Returns:
        The JSON-LD document.
    """
    rows = rows or DataRows.read(descriptor, base)
    facts = PublicationFacts.from_descriptor(descriptor).with_base_url(base_url)
    licence_id = licence_iri(descriptor)
    files = [*release_files(descriptor, base), *extra_files]
    titles = localized(descriptor, "title")
    languages = sorted({"en", "sv", *titles})
    dates, date, sources = rows.edition_dates, rows.data_date, rows.sources

    publisher_id = facts.publisher_iri or facts.iri("publisher")
    publisher: dict[str, Any] = {
        "@id": publisher_id,
        "@type": ["foaf:Agent", "foaf:Organization"],
        "foaf:name": _literals(publisher_names(descriptor)),
    }
    nodes: list[dict[str, Any]] = [publisher]
    if facts.publisher_type:
        type_iri = ADMS_PUBLISHER_TYPE + facts.publisher_type
        publisher["dct:type"] = {"@id": type_iri}
        nodes.append(_concept(type_iri, PUBLISHER_TYPES[facts.publisher_type]))
    if facts.homepage:
        publisher["foaf:homepage"] = {"@id": facts.homepage}

    dataset: dict[str, Any] = {
        "@id": facts.iri("dataset"),
        "@type": "dcat:Dataset",
        "dct:identifier": facts.iri("dataset") if facts.base_url else descriptor.get("id"),
        "dct:title": _literals(titles),
        "dct:description": _literals(localized(descriptor, "description")),
        "owl:versionInfo": descriptor["version"],
        "dcat:version": descriptor["version"],
        "dcat:keyword": [
            {"@value": word, "@language": lang} for word, lang in keywords(descriptor)
        ],
        "dct:publisher": {"@id": publisher_id},
        "dct:language": [{"@id": LANGUAGE + _ISO_639_3[code]} for code in languages],
        "dct:spatial": {"@id": COUNTRY_SWEDEN},
        "dcat:theme": {"@id": THEME_HEALTH},
        "dct:accessRights": {"@id": ACCESS_PUBLIC},
        "dct:accrualPeriodicity": {"@id": FREQUENCY_IRREGULAR},
        "dct:conformsTo": {"@id": DATA_PACKAGE_PROFILE},
        "dcat:distribution": [],
    }
    if licence_id:
        dataset["dct:license"] = {"@id": licence_id}
        nodes.append({"@id": licence_id, "@type": "dct:LicenseDocument"})
    if facts.homepage:
        dataset["dcat:landingPage"] = {"@id": facts.homepage}
    if date:
        dataset["dct:issued"] = _date_literal(date)
        dataset["dct:modified"] = _date_literal(date)
    if dates:
        temporal = {
            "@id": facts.iri("temporal"),
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _date_literal(dates[0]),
            "dcat:endDate": _date_literal(dates[-1]),
        }
        dataset["dct:temporal"] = {"@id": temporal["@id"]}
        nodes.append(temporal)
    if facts.contact_email or facts.contact_url:
        contact: dict[str, Any] = {
            "@id": facts.iri("contact-point"),
            "@type": ["vcard:Kind", "vcard:Organization"],
            "vcard:fn": publisher_name(descriptor),
        }
        if facts.contact_email:
            contact["vcard:hasEmail"] = {"@id": "mailto:" + facts.contact_email}
        if facts.contact_url:
            contact["vcard:hasURL"] = {"@id": facts.contact_url}
        dataset["dcat:contactPoint"] = {"@id": contact["@id"]}
        nodes.append(contact)
    if sources:
        provenance = {
            "@id": facts.iri("provenance"),
            "@type": "dct:ProvenanceStatement",
            "rdfs:label": _literals(_provenance(sources)),
        }
        dataset["dct:provenance"] = {"@id": provenance["@id"]}
        nodes.append(provenance)
        links = sorted({row["url"] for row in sources if row.get("url")})
        if links:
            dataset["dct:relation"] = [{"@id": link} for link in links]

    media_types: set[str] = set()
    distributions = []
    for item in files:
        distribution, more = _dcat_distribution(item, facts, licence_id, date)
        dataset["dcat:distribution"].append({"@id": distribution["@id"]})
        distributions.append(distribution)
        nodes.extend(more)
        if item.get("mediatype"):
            media_types.add(item["mediatype"])
    nodes.append(_concept(AVAILABILITY_STABLE, "Stable"))
    nodes.extend(
        {"@id": IANA_MEDIA_TYPES + media_type, "@type": "dct:MediaType"}
        for media_type in sorted(media_types)
    )
    catalog: dict[str, Any] = {
        "@id": facts.iri("catalog"),
        "@type": "dcat:Catalog",
        "dct:title": _literals(
            {
                language: f"{text} – {'katalog' if language == 'sv' else 'catalogue'}"
                for language, text in titles.items()
            }
        ),
        "dct:description": _literals(
            {
                "en": f"The catalogue of {descriptor.get('name')}: one dataset, version "
                f"{descriptor['version']}, with every file of the release.",
                "sv": f"Katalogen för {descriptor.get('name')}: en datamängd, version "
                f"{descriptor['version']}, med alla filer i utgåvan.",
            }
        ),
        "dct:publisher": {"@id": publisher_id},
        "dct:language": dataset["dct:language"],
        "dcat:themeTaxonomy": {"@id": THEME_SCHEME},
        "dcat:dataset": {"@id": dataset["@id"]},
    }
    if licence_id:
        catalog["dct:license"] = {"@id": licence_id}
    if facts.homepage:
        catalog["foaf:homepage"] = {"@id": facts.homepage}
    if date:
        catalog["dct:issued"] = _date_literal(date)
        catalog["dct:modified"] = _date_literal(date)
    return {"@context": DCAT_CONTEXT, "@graph": [catalog, dataset, *distributions, *nodes]}


DCAT_FILE = "dcat-ap-se.jsonld"
"""The DCAT-AP-SE description (JSON-LD) in a release."""
RDF_FORMATS = {"dcat-ap-se.ttl": "turtle", "dcat-ap-se.rdf": "xml"}
"""The other serializations of the DCAT-AP-SE description, by release file name."""

_PLACEHOLDER_BASE = "http://palliativ-data.invalid/release/"


def rdf_serializations(document: Mapping[str, Any], base_url: str | None) -> dict[str, bytes]:
    """Turtle and RDF/XML of a JSON-LD document (see :data:`RDF_FORMATS`).

    The triples are added in sorted order to a graph on rdflib's ``SimpleMemory`` store, which
    keeps insertion order (the default store iterates a ``set`` per graph, so its RDF/XML
    changes with the process's hash seed): the same document gives the same bytes. Without
    ``base_url`` the JSON-LD's relative IRIs stay relative (Turtle without ``@base``; RDF/XML
    with the IRIs relative to the document).
    """
    from rdflib import Graph  # deferred: rdflib is heavy and only these RDF forms need it

    parsed = Graph()
    with warnings.catch_warnings():
        # rdflib 7's JSON-LD parser uses its own deprecated ConjunctiveGraph (into a Graph) or
        # default_context (into a Dataset): nothing the caller can act on.
        warnings.simplefilter("ignore", DeprecationWarning)
        parsed.parse(
            data=json.dumps(document), format="json-ld", base=base_url or _PLACEHOLDER_BASE
        )
    graph = Graph(store="SimpleMemory")
    for prefix, namespace in DCAT_CONTEXT.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(parsed):
        graph.add(triple)
    out = {}
    for name, rdf_format in RDF_FORMATS.items():
        text = graph.serialize(format=rdf_format, encoding="utf-8")
        if not base_url:
            text = text.replace(_PLACEHOLDER_BASE.encode(), b"")
        out[name] = text
    return out
