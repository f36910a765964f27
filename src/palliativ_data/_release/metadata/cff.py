"""``CITATION.cff`` for a release (Citation File Format 1.2.0, ``type: dataset``).

The repository's own ``CITATION.cff`` is the same text for the bundled package, written by
``palliativ-data generate`` (:mod:`palliativ_data._authoring.citation`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .facts import (
    DataRows,
    PublicationFacts,
    agent_name,
    agents,
    keywords,
    licence,
    publisher_name,
)

CITATION_FILE = "CITATION.cff"
"""The file name, in a release and at the repository's root."""
CFF_VERSION = "1.2.0"
CFF_MESSAGE = (
    "If you use this data, please cite it as below, and cite the source documents it was "
    "curated from (see references)."
)


def _cff_reference(row: Mapping[str, str]) -> dict[str, Any]:
    reference: dict[str, Any] = {
        "type": "report",
        "title": row.get("title_sv") or row.get("title_en") or "",
        "authors": [
            {"name": name.strip()}
            for name in (row.get("publisher") or "").split(";")
            if name.strip()
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
        reference["languages"] = [{"sv": "swe", "en": "eng"}.get(row["language"], row["language"])]
    if row.get("url"):
        reference["url"] = row["url"]
    if row.get("citation"):
        reference["notes"] = row["citation"]
    return reference


def citation(
    descriptor: Mapping[str, Any], base: Path | None = None, *, rows: DataRows | None = None
) -> dict[str, Any]:
    """The content of ``CITATION.cff`` as a mapping (see :func:`citation_cff`).

    The author is an entity (CFF ``name``), never a made-up person: the publisher of the
    publication facts, else the descriptor's creators. ``url`` is the landing page
    (``homepage``), else where the release is published (``base_url``). ``license`` is the
    data's licence alone (one SPDX id, as Zenodo and citation managers expect): this file cites
    the data set; the code's licence (``code_license``) is the wheel's business.
    """
    rows = rows or DataRows.read(descriptor, base)
    facts = PublicationFacts.from_descriptor(descriptor)
    if facts.publisher_name:
        author: dict[str, str] = {"name": publisher_name(descriptor)}
        if facts.publisher_iri:
            author["website"] = facts.publisher_iri
        authors = [author]
    else:
        creators = agents(descriptor, "creator", "author") or list(
            descriptor.get("contributors") or []
        )
        authors = [_cff_person(creator) for creator in creators]
    contact = dict(authors[0]) if authors else {}
    if facts.contact_email:
        contact["email"] = facts.contact_email
    if facts.contact_url:
        contact["website"] = facts.contact_url
    data: dict[str, Any] = {
        "cff-version": CFF_VERSION,
        "message": CFF_MESSAGE,
        "type": "dataset",
        "title": descriptor["title"],
        "abstract": descriptor.get("description", ""),
        "version": descriptor["version"],
        "date-released": rows.data_date,
        "authors": authors,
        "contact": [contact] if (facts.contact_email or facts.contact_url) else [],
        "url": facts.homepage or facts.base_url,
        "repository-code": facts.repository,
        "license": licence(descriptor).get("name"),
        "keywords": [word for word, _ in keywords(descriptor)],
    }
    references = [_cff_reference(row) for row in rows.sources]
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
        person = {"name": agent_name(contributor)}
    if contributor.get("email"):
        person["email"] = contributor["email"]
    if contributor.get("path"):
        person["website"] = contributor["path"]
    return {key: value for key, value in person.items() if value}


def citation_cff(
    descriptor: Mapping[str, Any], base: Path | None = None, *, rows: DataRows | None = None
) -> str:
    """``CITATION.cff`` text (CFF 1.2.0) for a data package descriptor.

    Written with PyYAML (keys in CFF's order, no line folding), so the same descriptor gives
    the same bytes.

    Args:
        descriptor: The data package descriptor.
        base: Folder of the package: its ``sources`` rows become references and its latest
            edition date ``date-released``.
        rows: Those rows when the caller has read them already (a build); else read from
            ``base``.

    Returns:
        The YAML text.

    Examples:
        >>> text = citation_cff({"title": "T", "version": "1.0.0",
        ...     "contributors": [{"title": "Us", "roles": ["creator"]}],
        ...     "licenses": [{"name": "CC-BY-4.0"}],
        ...     "x-publication": {"base_url": "https://example.org/d/"}})
        >>> print(text.split("\\n", 3)[3], end="")
        type: dataset
        title: T
        version: 1.0.0
        authors:
        - name: Us
        url: https://example.org/d/
        license: CC-BY-4.0
    """
    import yaml  # deferred: only writing CITATION.cff needs PyYAML

    header = (
        "# Generated from datapackage.json by `palliativ-data generate` / `build`; do not edit."
    )
    body: str = yaml.safe_dump(
        citation(descriptor, base, rows=rows), sort_keys=False, allow_unicode=True, width=1 << 30
    )
    return header + "\n" + body
