"""schema.org: a ``Dataset`` (JSON-LD) with one ``DataDownload`` per file of the release.

:func:`schema_org_dataset` is public (``palliativ_data.schema_org_dataset``): with no arguments
it describes the bundled package, for a web page's ``<script type="application/ld+json">``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..._io import DESCRIPTOR_FILE, read_json
from ..._paths import bundled_package_dir
from ..formats import release_files
from .facts import (
    COUNTRY_SWEDEN,
    DataRows,
    PublicationFacts,
    keywords,
    licence,
    localized,
    publisher_name,
)

SCHEMA_ORG_FILE = "schema-org.jsonld"
"""The schema.org description in a release."""


def _hex(digest: str | None) -> str | None:
    return digest.split(":", 1)[1] if digest and ":" in digest else digest


def _content_size(size: int | None) -> str | None:
    return None if size is None else f"{size} B"


def _citation_work(row: Mapping[str, str]) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "Report",
        "name": row.get("title_sv") or row.get("title_en"),
        "alternateName": row.get("title_en"),
        "author": [
            {"@type": "Organization", "name": name.strip()}
            for name in (row.get("publisher") or "").split(";")
            if name.strip()
        ],
        "datePublished": row.get("published"),
        "inLanguage": row.get("language"),
        "url": row.get("url"),
        "description": row.get("citation"),
    }
    return {key: value for key, value in work.items() if value not in (None, "", [])}


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
        base_url: Where the files are published (default: the facts' ``base_url``); without
            either, ``@id`` and ``contentUrl`` are relative.
        extra_files: More files to describe (see :func:`dcat_ap_se`).

    Returns:
        The JSON-LD document.

    Examples:
        >>> doc = schema_org_dataset()
        >>> doc["@type"], doc["distribution"][0]["@type"]
        ('Dataset', 'DataDownload')
    """
    if descriptor is None:
        base = base or bundled_package_dir()
        descriptor = read_json(base / DESCRIPTOR_FILE)
    rows = DataRows.read(descriptor, base)
    return schema_org(descriptor, base=base, base_url=base_url, extra_files=extra_files, rows=rows)


def variables(descriptor: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every field of every table as a schema.org ``PropertyValue`` (``variableMeasured``):
    ``table.field`` as its name, its Swedish title as another, its English description.

    Examples:
        >>> [variable] = variables({"resources": [{"name": "t", "schema": {"fields": [
        ...     {"name": "a", "title": "A", "description": "The a.",
        ...      "x-translations": {"sv": {"title": "Ett a"}}}]}}]})
        >>> variable["@type"], variable["name"], variable["alternateName"], variable["description"]
        ('PropertyValue', 't.a', ['A', 'Ett a'], 'The a.')
    """
    found = []
    for resource in descriptor.get("resources") or []:
        for field in (resource.get("schema") or {}).get("fields") or []:
            names = [field.get("title"), localized(field, "title").get("sv")]
            variable = {
                "@type": "PropertyValue",
                "name": f"{resource['name']}.{field['name']}",
                "alternateName": [name for name in names if name],
                "description": field.get("description"),
            }
            found.append({key: value for key, value in variable.items() if value})
    return found


def schema_org(
    descriptor: Mapping[str, Any],
    *,
    base: Path | None,
    base_url: str | None,
    extra_files: Sequence[Mapping[str, Any]],
    rows: DataRows,
) -> dict[str, Any]:
    """The document of :func:`schema_org_dataset`, from ``editions`` and ``sources`` rows read."""
    facts = PublicationFacts.from_descriptor(descriptor).with_base_url(base_url)
    titles = localized(descriptor, "title")
    descriptions = localized(descriptor, "description")
    dates = rows.edition_dates
    publisher: dict[str, Any] = {"@type": "Organization", "name": publisher_name(descriptor)}
    if facts.publisher_iri:
        publisher["@id"] = facts.publisher_iri
        publisher["url"] = facts.publisher_iri
    if facts.contact_email or facts.contact_url:
        publisher["contactPoint"] = {
            key: value
            for key, value in {
                "@type": "ContactPoint",
                "email": facts.contact_email,
                "url": facts.contact_url,
            }.items()
            if value
        }
    landing = facts.homepage or facts.base_url
    document: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": facts.iri("dataset"),
        "url": landing,
        "identifier": facts.iri("dataset") if facts.base_url else None,
        "name": titles.get("en") or descriptor.get("name"),
        "alternateName": [text for language, text in titles.items() if language != "en"],
        "description": descriptions.get("en", ""),
        "version": descriptor["version"],
        "datePublished": rows.data_date,
        "keywords": [word for word, _ in keywords(descriptor)],
        "license": licence(descriptor).get("path"),
        "inLanguage": sorted({*titles, "sv"}),
        "isAccessibleForFree": True,
        "creator": [publisher],
        "publisher": publisher,
        "temporalCoverage": f"{dates[0]}/{dates[-1]}" if dates else None,
        "spatialCoverage": {
            "@type": "Place",
            "name": "Sweden",
            "identifier": COUNTRY_SWEDEN,
            "address": {"@type": "PostalAddress", "addressCountry": "SE"},
        },
        "citation": [_citation_work(row) for row in rows.sources],
        "distribution": [],
    }
    if facts.repository:
        document["sameAs"] = facts.repository
    catalog = {
        "@type": "DataCatalog",
        "@id": facts.iri("catalog") if facts.base_url else None,
        "name": f"{document['name']} – catalogue",
        "url": facts.homepage,
    }
    document["includedInDataCatalog"] = {k: v for k, v in catalog.items() if v is not None}
    document["variableMeasured"] = variables(descriptor)
    for item in [*release_files(descriptor, base), *extra_files]:
        download = {
            "@type": "DataDownload",
            "name": item["path"],
            "description": item["title"]["en"],
            "encodingFormat": item.get("mediatype"),
            "contentUrl": facts.url(item["path"]),
            "contentSize": _content_size(item.get("bytes")),
            "sha256": _hex(item.get("hash")),
        }
        document["distribution"].append(
            {key: value for key, value in download.items() if value is not None}
        )
    return {key: value for key, value in document.items() if value not in (None, "", [])}
