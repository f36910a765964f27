"""Discoverable metadata generated from ``datapackage.json``: CFF, DCAT-AP-SE, schema.org.

Nothing here is written twice: title, description, version, keywords, licence, creators and
sources come from the data package descriptor (``schema/package.json`` in the end), and the
list of files with their sizes and checksums from a release descriptor
(see :mod:`palliativ_data._build`). Three outputs:

- :func:`citation_cff` — ``CITATION.cff`` (Citation File Format 1.2.0, ``type: dataset``);
- :func:`dcat_ap_se` — a DCAT-AP-SE description (JSON-LD): one ``dcat:Dataset`` with titles
  and descriptions per language, publisher, licence, and one ``dcat:Distribution`` per file
  with format, media type, size and ``spdx:checksum``;
- :func:`schema_org_dataset` — a schema.org ``Dataset`` (JSON-LD) with one ``DataDownload``
  per file, for the docs site's home page.

Swedish titles and descriptions come from an ``x-translations`` property of the descriptor
(``{"sv": {"title": …, "description": …}}``) where it has one.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._io import file_facts, read_json

CFF_VERSION = "1.2.0"
CFF_MESSAGE = (
    "If you use this data, please cite it as below, and cite the source documents it was "
    "curated from (see references)."
)
CC_BY_4 = "http://creativecommons.org/licenses/by/4.0/"

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
COUNTRY_SWEDEN = "http://publications.europa.eu/resource/authority/country/SWE"
THEME_HEALTH = "http://publications.europa.eu/resource/authority/data-theme/HEAL"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

# Format facts per file format: EU file-type code (None where the EU vocabulary has no entry)
# and IANA media type.
FORMATS: dict[str, tuple[str | None, str]] = {
    "csv": ("CSV", "text/csv"),
    "parquet": ("PARQUET", "application/vnd.apache.parquet"),
    "sqlite": (None, "application/vnd.sqlite3"),
    "json": ("JSON", "application/json"),
    "jsonld": ("JSON_LD", "application/ld+json"),
    "cff": ("YAML", "application/yaml"),
    "zip": ("ZIP", "application/zip"),
    "txt": ("TXT", "text/plain"),
}
_ISO_639_3 = {"sv": "SWE", "en": "ENG"}

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


# --------------------------------------------------------------------------- shared facts


def _translation(descriptor: Mapping[str, Any], language: str, key: str) -> str | None:
    return ((descriptor.get("x-translations") or {}).get(language) or {}).get(key)


def localized(descriptor: Mapping[str, Any], key: str) -> dict[str, str]:
    """A descriptor text (``title``, ``description``) per language: English first.

    Examples:
        >>> localized({"title": "Gaps", "x-translations": {"sv": {"title": "Brister"}}}, "title")
        {'en': 'Gaps', 'sv': 'Brister'}
    """
    texts = {"en": descriptor[key]} if descriptor.get(key) else {}
    for language in sorted(descriptor.get("x-translations") or {}):
        text = _translation(descriptor, language, key)
        if text:
            texts[language] = text
    return texts


def agents(descriptor: Mapping[str, Any], *roles: str) -> list[Mapping[str, Any]]:
    """Contributors holding any of ``roles``, in descriptor order."""
    return [
        contributor
        for contributor in descriptor.get("contributors") or []
        if set(contributor.get("roles") or [contributor.get("role", "")]) & set(roles)
    ]


def _agent_name(contributor: Mapping[str, Any]) -> str:
    if contributor.get("title"):
        return contributor["title"]
    return " ".join(
        part for part in (contributor.get("givenName"), contributor.get("familyName")) if part
    )


def publisher_name(descriptor: Mapping[str, Any]) -> str:
    """The publisher: the contributor with role ``publisher``, else the first creator."""
    chosen = agents(descriptor, "publisher") or agents(descriptor, "creator", "author")
    chosen = chosen or list(descriptor.get("contributors") or [])
    return _agent_name(chosen[0]) if chosen else descriptor.get("title", "")


def licence(descriptor: Mapping[str, Any]) -> Mapping[str, Any]:
    """The first licence of the package (``name``, ``path``, ``title``)."""
    licences = descriptor.get("licenses") or []
    return licences[0] if licences else {}


def licence_iri(descriptor: Mapping[str, Any]) -> str | None:
    """The licence as an RDF IRI; Creative Commons licences use their ``http://`` IRI.

    Examples:
        >>> licence_iri({"licenses": [{"path": "https://creativecommons.org/licenses/by/4.0/"}]})
        'http://creativecommons.org/licenses/by/4.0/'
    """
    path = licence(descriptor).get("path")
    if path and path.startswith("https://creativecommons.org/"):
        return "http://" + path.removeprefix("https://")
    return path


def release_files(
    descriptor: Mapping[str, Any], base: Path | None = None
) -> list[dict[str, Any]]:
    """Every data file a descriptor lists: main CSV resources, ``x-formats``, ``x-database``.

    Each entry has ``path``, ``format``, ``mediatype``, ``title``, ``bytes`` and ``hash``.
    Where the descriptor has no ``bytes``/``hash`` (the repository's descriptor) and ``base``
    holds the file, they are computed from it.

    Args:
        descriptor: A data package descriptor (a release's or the repository's).
        base: Folder the paths are relative to.

    Returns:
        The files, in descriptor order.
    """
    files: list[dict[str, Any]] = []

    def add(entry: Mapping[str, Any], title: str) -> None:
        item = {
            "path": entry["path"],
            "format": entry.get("format", Path(entry["path"]).suffix.lstrip(".")),
            "mediatype": entry.get("mediatype"),
            "title": title,
            "bytes": entry.get("bytes"),
            "hash": entry.get("hash"),
        }
        if item["mediatype"] is None:
            item["mediatype"] = FORMATS.get(item["format"], (None, None))[1]
        if (item["bytes"] is None or item["hash"] is None) and base is not None:
            if (base / entry["path"]).is_file():
                item.update(file_facts(base / entry["path"]))
        files.append(item)

    for resource in descriptor.get("resources") or []:
        title = resource.get("title") or resource["name"]
        add(resource, f"{title} ({resource['name']}), CSV")
        for extra in resource.get("x-formats") or []:
            add(extra, f"{title} ({resource['name']}), {extra.get('x-label', extra['format'])}")
    database = descriptor.get("x-database")
    if database:
        add(database, "All tables in one SQLite database")
    return files


def _hex(digest: str | None) -> str | None:
    return digest.split(":", 1)[1] if digest and ":" in digest else digest


def _join(base_url: str | None, path: str) -> str:
    return f"{base_url.rstrip('/')}/{path}" if base_url else path


def read_sources(descriptor: Mapping[str, Any], base: Path | None) -> list[dict[str, str]]:
    """Rows of the package's ``sources`` resource, if it has one and ``base`` holds it."""
    if base is None:
        return []
    for resource in descriptor.get("resources") or []:
        if resource.get("name") == "sources" and (base / resource["path"]).is_file():
            with (base / resource["path"]).open(encoding="utf-8", newline="") as handle:
                return list(csv.DictReader(handle))
    return []


# --------------------------------------------------------------------------- CFF


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(str(value), ensure_ascii=False)


def _yaml(value: Any, indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, Mapping | list):
                if not item:
                    continue
                lines.append(f"{pad}{key}:")
                lines.extend(_yaml(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {_yaml_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping):
                nested = _yaml(item, indent + 2)
                lines.append(f"{pad}- {nested[0].lstrip()}")
                lines.extend(nested[1:])
            else:
                lines.append(f"{pad}- {_yaml_scalar(item)}")
    return lines


def _cff_reference(row: Mapping[str, str]) -> dict[str, Any]:
    reference: dict[str, Any] = {
        "type": "report",
        "title": row.get("title_sv") or row.get("title_en") or "",
        "authors": [
            {"name": name.strip()} for name in (row.get("publisher") or "").split(";") if name.strip()
        ],
    }
    published = row.get("published") or ""
    if len(published) == 10:
        reference["date-published"] = published
    if published[:4].isdigit():
        reference["year"] = int(published[:4])
    if len(published) >= 7 and published[5:7].isdigit():
        reference["month"] = int(published[5:7])
    if row.get("language"):
        reference["languages"] = [
            {"sv": "swe", "en": "eng"}.get(row["language"], row["language"])
        ]
    if row.get("url"):
        reference["url"] = row["url"]
    if row.get("citation"):
        reference["notes"] = row["citation"]
    return reference


def citation(descriptor: Mapping[str, Any], base: Path | None = None) -> dict[str, Any]:
    """The content of ``CITATION.cff`` as a mapping (see :func:`citation_cff`)."""
    authors = agents(descriptor, "creator", "author") or list(descriptor.get("contributors") or [])
    data: dict[str, Any] = {
        "cff-version": CFF_VERSION,
        "message": CFF_MESSAGE,
        "type": "dataset",
        "title": descriptor["title"],
        "abstract": descriptor.get("description", ""),
        "version": descriptor["version"],
        "authors": [_cff_person(author) for author in authors],
        "contact": [_cff_person(agent) for agent in agents(descriptor, "maintainer", "contact")],
        "license": licence(descriptor).get("name"),
        "keywords": list(descriptor.get("keywords") or []),
    }
    if descriptor.get("homepage"):
        data["url"] = descriptor["homepage"]
    references = [_cff_reference(row) for row in read_sources(descriptor, base)]
    if references:
        data["references"] = references
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _cff_person(contributor: Mapping[str, Any]) -> dict[str, str]:
    if contributor.get("familyName") or contributor.get("givenName"):
        person = {
            "family-names": contributor.get("familyName", ""),
            "given-names": contributor.get("givenName", ""),
        }
    else:
        person = {"name": _agent_name(contributor)}
    if contributor.get("email"):
        person["email"] = contributor["email"]
    if contributor.get("path"):
        person["website"] = contributor["path"]
    return {key: value for key, value in person.items() if value}


def citation_cff(descriptor: Mapping[str, Any], base: Path | None = None) -> str:
    """``CITATION.cff`` text (CFF 1.2.0) for a data package descriptor.

    Args:
        descriptor: The data package descriptor.
        base: Folder of the package, to cite the rows of its ``sources`` resource as
            references.

    Returns:
        The YAML text.

    Examples:
        >>> text = citation_cff({"title": "T", "version": "1.0.0",
        ...     "contributors": [{"title": "Us", "roles": ["creator"]}],
        ...     "licenses": [{"name": "CC-BY-4.0"}]})
        >>> print(text.split("\\n", 1)[1], end="")
        cff-version: "1.2.0"
        message: "If you use this data, please cite it as below, and cite the source documents it was curated from (see references)."
        type: "dataset"
        title: "T"
        version: "1.0.0"
        authors:
          - name: "Us"
        license: "CC-BY-4.0"
    """
    header = (
        "# Generated from datapackage.json by `palliativ-data generate` / `build`; do not edit."
    )
    return "\n".join([header, *_yaml(citation(descriptor, base))]) + "\n"


# --------------------------------------------------------------------------- DCAT-AP-SE


def _literals(texts: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"@value": text, "@language": language} for language, text in texts.items()]


def _dcat_distribution(
    item: Mapping[str, Any], licence_id: str | None, base_url: str | None
) -> dict[str, Any]:
    url = {"@id": _join(base_url, item["path"])}
    distribution: dict[str, Any] = {
        "@type": "dcat:Distribution",
        "dct:title": {"@value": item["title"], "@language": "en"},
        "dcat:accessURL": url,
        "dcat:downloadURL": url,
    }
    file_type = FORMATS.get(item["format"], (None, None))[0]
    if file_type:
        distribution["dct:format"] = {"@id": FILE_TYPE + file_type}
    if item.get("mediatype"):
        distribution["dcat:mediaType"] = {"@id": IANA_MEDIA_TYPES + item["mediatype"]}
    if item.get("bytes") is not None:
        distribution["dcat:byteSize"] = {
            "@value": str(item["bytes"]),
            "@type": "xsd:nonNegativeInteger",
        }
    if item.get("hash"):
        algorithm, _, value = item["hash"].partition(":")
        distribution["spdx:checksum"] = {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": f"spdx:checksumAlgorithm_{algorithm.lower()}"},
            "spdx:checksumValue": {"@value": value, "@type": "xsd:hexBinary"},
        }
    if licence_id:
        distribution["dct:license"] = {"@id": licence_id}
    return distribution


def dcat_ap_se(
    descriptor: Mapping[str, Any],
    *,
    base: Path | None = None,
    base_url: str | None = None,
    extra_files: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """A DCAT-AP-SE description (JSON-LD) of the package and its files.

    Args:
        descriptor: The (release) data package descriptor.
        base: Folder of the files, to compute sizes and checksums missing from the descriptor.
        base_url: Where the files are published; without it, file IRIs are relative to the
            JSON-LD document (the release folder).
        extra_files: More files to describe (e.g. ``datapackage.json`` itself), each with
            ``path``, ``format``, ``mediatype``, ``title``, ``bytes``, ``hash``.

    Returns:
        The JSON-LD document.
    """
    licence_id = licence_iri(descriptor)
    files = [*release_files(descriptor, base), *extra_files]
    languages = sorted({"en", "sv", *localized(descriptor, "title")})
    dataset: dict[str, Any] = {
        "@id": _join(base_url, "") + "#dataset" if base_url else "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": descriptor.get("id") or descriptor.get("name"),
        "dct:title": _literals(localized(descriptor, "title")),
        "dct:description": _literals(localized(descriptor, "description")),
        "owl:versionInfo": descriptor["version"],
        "dcat:keyword": list(descriptor.get("keywords") or []),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher_name(descriptor)},
        "dct:language": [{"@id": LANGUAGE + _ISO_639_3[code]} for code in languages],
        "dct:spatial": {"@id": COUNTRY_SWEDEN},
        "dcat:theme": {"@id": THEME_HEALTH},
        "dct:source": [
            {"dct:title": source["title"]} for source in descriptor.get("sources") or []
        ],
        "dcat:distribution": [_dcat_distribution(item, licence_id, base_url) for item in files],
    }
    if licence_id:
        dataset["dct:license"] = {"@id": licence_id}
    if descriptor.get("homepage"):
        dataset["dcat:landingPage"] = {"@id": descriptor["homepage"]}
    return {"@context": DCAT_CONTEXT, "@graph": [dataset]}


# --------------------------------------------------------------------------- schema.org


def _content_size(size: int | None) -> str | None:
    return None if size is None else f"{size} B"


def schema_org_dataset(
    descriptor: Mapping[str, Any] | None = None,
    *,
    base: Path | None = None,
    base_url: str | None = None,
    extra_files: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """A schema.org ``Dataset`` (JSON-LD) with one ``DataDownload`` per file.

    With no arguments it describes the bundled data package (its CSV files, with sizes and
    checksums computed from them), ready to embed in a web page in a
    ``<script type="application/ld+json">`` element. A release build writes the same for the
    release, with every file of it.

    Args:
        descriptor: A data package descriptor; default the bundled ``datapackage.json``.
        base: Folder of the files; default the bundled package's folder when ``descriptor``
            is not given.
        base_url: Where the files are published; without it, ``contentUrl`` is relative.
        extra_files: More files to describe (see :func:`dcat_ap_se`).

    Returns:
        The JSON-LD document.

    Examples:
        >>> doc = schema_org_dataset()
        >>> doc["@type"], doc["distribution"][0]["@type"]
        ('Dataset', 'DataDownload')
    """
    if descriptor is None:
        from .._paths import bundled_package_dir

        base = base or bundled_package_dir()
        descriptor = read_json(base / "datapackage.json")
    titles = localized(descriptor, "title")
    descriptions = localized(descriptor, "description")
    document: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": titles.get("en") or descriptor.get("name"),
        "alternateName": [text for language, text in titles.items() if language != "en"],
        "description": descriptions.get("en", ""),
        "identifier": descriptor.get("id") or descriptor.get("name"),
        "version": descriptor["version"],
        "keywords": list(descriptor.get("keywords") or []),
        "license": licence(descriptor).get("path"),
        "inLanguage": sorted({*titles, "sv"}),
        "isAccessibleForFree": True,
        "creator": [
            {"@type": "Organization", "name": _agent_name(agent)}
            for agent in agents(descriptor, "creator", "author")
        ],
        "publisher": {"@type": "Organization", "name": publisher_name(descriptor)},
        "spatialCoverage": {"@type": "Place", "name": "Sweden"},
        "isBasedOn": [
            {"@type": "CreativeWork", "name": source["title"]}
            for source in descriptor.get("sources") or []
        ],
        "distribution": [],
    }
    if descriptor.get("homepage"):
        document["url"] = descriptor["homepage"]
    for item in [*release_files(descriptor, base), *extra_files]:
        download = {
            "@type": "DataDownload",
            "name": item["path"],
            "description": item["title"],
            "encodingFormat": item.get("mediatype"),
            "contentUrl": _join(base_url, item["path"]),
            "contentSize": _content_size(item.get("bytes")),
            "sha256": _hex(item.get("hash")),
        }
        document["distribution"].append(
            {key: value for key, value in download.items() if value is not None}
        )
    return {key: value for key, value in document.items() if value not in (None, "", [])}


# --------------------------------------------------------------------------- repository file

CITATION_FILE = "CITATION.cff"


def render_repo_citation() -> str:
    """The repository's ``CITATION.cff``, generated from the bundled ``datapackage.json``."""
    from .._paths import bundled_package_dir

    base = bundled_package_dir()
    return citation_cff(read_json(base / "datapackage.json"), base)


def write_repo_citation() -> Path | None:
    """Write ``CITATION.cff`` at the repository root; ``None`` outside a source checkout."""
    from .._paths import repo_root

    root = repo_root()
    if root is None:
        return None
    target = root / CITATION_FILE
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(render_repo_citation(), encoding="utf-8")
    tmp.replace(target)
    return target
