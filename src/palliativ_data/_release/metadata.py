"""Release metadata from ``datapackage.json``: CFF, DCAT-AP-SE, schema.org, Datasette.

Nothing here is written twice: title, description, version, keywords, licence and sources
come from the data package descriptor (``schema/package.json`` in the end), the list of files
with their sizes and checksums from a release descriptor (see
:mod:`palliativ_data._release.build`), and the **publication facts** — who publishes, where,
how to reach them — from ``schema/package.json`` (read with :func:`publication_facts`): its
Data Package property ``homepage`` (the documentation site, GitHub Pages: the landing page
everywhere; ``palliativ_data._urls`` reads the same key for help texts) and its
``x-publication`` object:

==================  ==========================================================================
``base_url``        where the files of a release are published (``build --base-url`` overrides)
``repository``      the source repository (``repository-code`` in ``CITATION.cff``)
``publisher``       ``name`` (``sv``, ``en``), ``iri``, ``type`` (an ADMS publisher type)
``contact_point``   ``email`` (a function mailbox, never a person's) and/or ``url`` (a web form)
``code_license``    the licence of the code (the data's is the descriptor's ``licenses``)
==================  ==========================================================================

A fact nobody has decided yet is ``null`` (``homepage``: absent): nothing is invented. :meth:`PublicationFacts.missing`
names the facts Sweden's data portal needs to harvest the release; ``palliativ-data build``
warns about each (``--strict-metadata`` refuses to build instead).

Outputs:

- :func:`citation_cff` — ``CITATION.cff`` (Citation File Format 1.2.0, ``type: dataset``);
- :func:`dcat_ap_se` — DCAT-AP-SE (JSON-LD): a ``dcat:Catalog``, the ``dcat:Dataset`` and one
  ``dcat:Distribution`` per file, every node with an IRI; :func:`rdf_serializations` turns it
  into Turtle and RDF/XML (rdflib, imported only there);
- :func:`schema_org_dataset` — a schema.org ``Dataset`` (JSON-LD) with one ``DataDownload``
  per file, for the docs site's home page;
- :func:`datasette_metadata` — the metadata file Datasette reads with ``-m`` (title, licence,
  source, table and column descriptions from ``schema/``, label columns).

Swedish titles, descriptions and keywords come from the descriptor's ``x-translations``
(``{"sv": {"title": …, "description": …, "keywords": […]}}``).
"""

from __future__ import annotations

import csv
import datetime as _datetime
import json
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .._errors import BuildError
from .._io import DESCRIPTOR_FILE, atomic_write_changed, file_facts, read_json
from .._paths import bundled_package_dir, repo_root, schema_dir
from .._schema.tableschema import PACKAGE_FILE

CFF_VERSION = "1.2.0"
CFF_MESSAGE = (
    "If you use this data, please cite it as below, and cite the source documents it was "
    "curated from (see references)."
)
CC_BY_4 = "http://creativecommons.org/licenses/by/4.0/"

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = EU_AUTHORITY + "file-type/"
LANGUAGE = EU_AUTHORITY + "language/"
COUNTRY_SWEDEN = EU_AUTHORITY + "country/SWE"
THEME_HEALTH = EU_AUTHORITY + "data-theme/HEAL"
THEME_SCHEME = EU_AUTHORITY + "data-theme"
ACCESS_PUBLIC = EU_AUTHORITY + "access-right/PUBLIC"
FREQUENCY_IRREGULAR = EU_AUTHORITY + "frequency/IRREG"
AVAILABILITY_STABLE = "http://data.europa.eu/r5r/availability/STABLE"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
DATA_PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
PUBLISHER_TYPES = {
    "Academia-ScientificOrganisation": "Academia/Scientific organisation",
    "Company": "Company",
    "IndustryConsortium": "Industry consortium",
    "LocalAuthority": "Local authority",
    "NationalAuthority": "National authority",
    "NonGovernmentalOrganisation": "Non-governmental organisation",
    "NonProfitOrganisation": "Non-profit organisation",
    "PrivateIndividual(s)": "Private individual(s)",
    "RegionalAuthority": "Regional authority",
    "StandardisationBody": "Standardisation body",
    "SupraNationalAuthority": "Supra-national authority",
}
"""The ADMS publisher types (``dct:type`` of the publisher, required by DCAT-AP-SE) and their
labels."""

# Format facts per file format: EU file-type code and IANA media type. The EU vocabulary has
# no SQLite entry; BIN ("binary data") is the honest generic one, the media type is exact.
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("CSV", "text/csv"),
    "parquet": ("PARQUET", "application/vnd.apache.parquet"),
    "sqlite": ("BIN", "application/vnd.sqlite3"),
    "json": ("JSON", "application/json"),
    "jsonld": ("JSON_LD", "application/ld+json"),
    "ttl": ("RDF_TURTLE", "text/turtle"),
    "rdf": ("RDF_XML", "application/rdf+xml"),
    "cff": ("YAML", "application/yaml"),
    "zip": ("ZIP", "application/zip"),
    "txt": ("TXT", "text/plain"),
}
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

PUBLICATION = "x-publication"
"""The descriptor property holding the publication facts."""

# Columns Datasette shows instead of a code where another table points to a row, by preference.
LABEL_COLUMNS = (
    "name_sv",
    "name_official_sv",
    "label_sv",
    "heading_sv",
    "title_sv",
    "organisation",
)

DATASETTE_FILE = "datasette-metadata.json"


# --------------------------------------------------------------------------- publication facts


def _where(key: str) -> str:
    name = key if key == "homepage" else f"{PUBLICATION}.{key}"
    return f"`{name}` in schema/package.json"


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise BuildError(
            f"{where} is {value!r}; it must be an object (see the table in "
            "palliativ_data._release.metadata), or null while not known."
        )
    return value


def _check_url(key: str, value: Any, *, directory: bool = False) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
        raise BuildError(
            f"{_where(key)} is {value!r}; it must be an absolute http(s) URL such as "
            "https://example.org/palliativ-data/, or null while it is not known."
        )
    if directory and not value.endswith("/"):
        return value + "/"
    return value


@dataclass(frozen=True)
class PublicationFacts:
    """Who publishes the data, where, and how to reach them (``x-publication``).

    Attributes:
        homepage: The documentation site (its Pages URL), the landing page.
        base_url: Where a release's files are published (ends with ``/``).
        repository: The source repository.
        publisher_name: The publisher's name per language (``sv``, ``en``).
        publisher_iri: An IRI identifying the publisher (e.g. its website).
        publisher_type: An ADMS publisher type (see :data:`PUBLISHER_TYPES`).
        contact_email: A function mailbox (never a person's address).
        contact_url: A contact web form.
        code_license: The code's licence (``name`` as SPDX id, ``path``).
    """

    homepage: str | None = None
    base_url: str | None = None
    repository: str | None = None
    publisher_name: Mapping[str, str] = field(default_factory=dict)
    publisher_iri: str | None = None
    publisher_type: str | None = None
    contact_email: str | None = None
    contact_url: str | None = None
    code_license: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_descriptor(cls, descriptor: Mapping[str, Any]) -> PublicationFacts:
        """Read and check the facts of a descriptor (absent facts are ``None``).

        Raises:
            BuildError: A fact is present but malformed (the message names it and what is
                allowed).
        """
        raw = _object(descriptor.get(PUBLICATION), f"`{PUBLICATION}` in schema/package.json")
        publisher = _object(raw.get("publisher"), _where("publisher"))
        contact = _object(raw.get("contact_point"), _where("contact_point"))
        names = publisher.get("name") or {}
        if isinstance(names, str):
            names = {"en": names}
        names = _object(names, _where("publisher.name"))
        publisher_type = publisher.get("type")
        if publisher_type is not None:
            publisher_type = str(publisher_type).removeprefix(ADMS_PUBLISHER_TYPE)
            if publisher_type not in PUBLISHER_TYPES:
                raise BuildError(
                    f"{_where('publisher.type')} is {publisher.get('type')!r}; allowed (ADMS "
                    f"publisher types): {', '.join(PUBLISHER_TYPES)}, or null while not known."
                )
        email = contact.get("email")
        if email is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", str(email)):
            raise BuildError(
                f"{_where('contact_point.email')} is {email!r}, not an e-mail address. Use a "
                "function mailbox (no person's address), or null while not known."
            )
        return cls(
            homepage=_check_url("homepage", descriptor.get("homepage"), directory=True),
            base_url=_check_url("base_url", raw.get("base_url"), directory=True),
            repository=_check_url("repository", raw.get("repository")),
            publisher_name={str(key): str(value) for key, value in names.items() if value},
            publisher_iri=_check_url("publisher.iri", publisher.get("iri")),
            publisher_type=publisher_type,
            contact_email=email,
            contact_url=_check_url("contact_point.url", contact.get("url")),
            code_license=dict(_object(raw.get("code_license"), _where("code_license"))),
        )

    def with_base_url(self, base_url: str | None) -> PublicationFacts:
        """The same facts with another release base URL (``build --base-url``).

        Raises:
            BuildError: ``base_url`` is not an absolute http(s) URL.
        """
        if base_url is None:
            return self
        return replace(self, base_url=_check_url("base_url", base_url, directory=True))

    def missing(self) -> list[str]:
        """The facts Sweden's data portal needs to harvest a release that are not known.

        Examples:
            >>> PublicationFacts(publisher_name={"en": "X"}).missing()[:1]
            ['base_url (--base-url): without it every IRI is relative and nothing can be harvested']
        """
        missing = []
        if not self.base_url:
            missing.append(
                "base_url (--base-url): without it every IRI is relative and nothing can be "
                "harvested"
            )
        if not self.publisher_name:
            missing.append("publisher.name (sv, en): the publisher has no name of its own")
        if not self.publisher_type:
            missing.append("publisher.type: DCAT-AP-SE requires an ADMS publisher type")
        if not self.publisher_iri:
            missing.append("publisher.iri: the publisher is identified only inside the release")
        if not (self.contact_email or self.contact_url):
            missing.append("contact_point.email or contact_point.url: no contact point")
        if not self.homepage:
            missing.append("homepage: no landing page")
        return missing

    def iri(self, fragment: str) -> str:
        """An IRI of the release: absolute under ``base_url``, else relative to the document."""
        return f"{self.base_url or ''}#{fragment}"

    def url(self, path: str) -> str:
        """A file of the release: absolute under ``base_url``, else relative."""
        return (self.base_url or "") + path


def publication_facts(descriptor: Mapping[str, Any] | None = None) -> PublicationFacts:
    """The publication facts of a descriptor (default: ``schema/package.json``).

    Other code (the site's links, CLI help) reads the site's address from here:
    ``publication_facts().homepage``.

    Examples:
        >>> facts = publication_facts({"homepage": "https://example.org/site"})
        >>> facts.homepage
        'https://example.org/site/'
    """
    if descriptor is None:
        descriptor = read_json(schema_dir() / PACKAGE_FILE)
    return PublicationFacts.from_descriptor(descriptor)


# --------------------------------------------------------------------------- shared facts


def _translation(descriptor: Mapping[str, Any], language: str, key: str) -> Any:
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


def keywords(descriptor: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(keyword, language)``: the descriptor's (English), then each translation's.

    Examples:
        >>> keywords({"keywords": ["care"], "x-translations": {"sv": {"keywords": ["vård"]}}})
        [('care', 'en'), ('vård', 'sv')]
    """
    found = [(word, "en") for word in descriptor.get("keywords") or []]
    for language in sorted(descriptor.get("x-translations") or {}):
        found += [(word, language) for word in _translation(descriptor, language, "keywords") or []]
    return found


def agents(descriptor: Mapping[str, Any], *roles: str) -> list[Mapping[str, Any]]:
    """Contributors holding any of ``roles``, in descriptor order."""
    return [
        contributor
        for contributor in descriptor.get("contributors") or []
        if set(contributor.get("roles") or [contributor.get("role", "")]) & set(roles)
    ]


def _agent_name(contributor: Mapping[str, Any]) -> str:
    if contributor.get("title"):
        return str(contributor["title"])
    return " ".join(
        part for part in (contributor.get("givenName"), contributor.get("familyName")) if part
    )


def publisher_names(descriptor: Mapping[str, Any]) -> dict[str, str]:
    """The publisher's name per language: from the publication facts, else the first
    contributor with role ``publisher`` (else ``creator``), in English.

    Examples:
        >>> publisher_names({"contributors": [{"title": "Us", "roles": ["creator"]}]})
        {'en': 'Us'}
    """
    facts = PublicationFacts.from_descriptor(descriptor)
    if facts.publisher_name:
        return dict(facts.publisher_name)
    chosen = agents(descriptor, "publisher") or agents(descriptor, "creator", "author")
    chosen = chosen or list(descriptor.get("contributors") or [])
    return {"en": _agent_name(chosen[0])} if chosen else {"en": descriptor.get("title", "")}


def publisher_name(descriptor: Mapping[str, Any]) -> str:
    """The publisher's name in English (else the first language known)."""
    names = publisher_names(descriptor)
    return names.get("en") or next(iter(names.values()))


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
    if not isinstance(path, str):
        return None
    if path.startswith("https://creativecommons.org/"):
        return "http://" + path.removeprefix("https://")
    return path


def release_files(descriptor: Mapping[str, Any], base: Path | None = None) -> list[dict[str, Any]]:
    """Every data file a descriptor lists: main CSV resources, ``x-formats``, ``x-database``.

    Each entry has ``path``, ``format``, ``mediatype``, ``title`` (per language), ``description``
    (per language), ``bytes`` and ``hash``. Where the descriptor has no ``bytes``/``hash`` (the
    repository's descriptor) and ``base`` holds the file, they are computed from it.

    Args:
        descriptor: A data package descriptor (a release's or the repository's).
        base: Folder the paths are relative to.

    Returns:
        The files, in descriptor order.
    """
    files: list[dict[str, Any]] = []

    def add(entry: Mapping[str, Any], title: dict[str, str], description: dict[str, str]) -> None:
        item = {
            "path": entry["path"],
            "format": entry.get("format", Path(entry["path"]).suffix.lstrip(".")),
            "mediatype": entry.get("mediatype"),
            "title": title,
            "description": description,
            "bytes": entry.get("bytes"),
            "hash": entry.get("hash"),
        }
        if item["mediatype"] is None:
            item["mediatype"] = FORMATS.get(item["format"], (None, None))[1]
        missing_facts = item["bytes"] is None or item["hash"] is None
        if missing_facts and base is not None and (base / entry["path"]).is_file():
            item.update(file_facts(base / entry["path"]))
        files.append(item)

    for resource in descriptor.get("resources") or []:
        name = resource["name"]
        title = resource.get("title") or name
        about = resource.get("description") or (resource.get("schema") or {}).get("description")
        add(
            resource,
            {"en": f"{title} ({name}), CSV", "sv": f"Tabellen {name}, CSV"},
            {
                "en": f"{about} CSV (UTF-8, comma-separated).".strip(),
                "sv": f"Tabellen {name} som CSV (UTF-8, kommaseparerad). Kolumnerna beskrivs "
                "i datapackage.json.",
            },
        )
        for extra in resource.get("x-formats") or []:
            label = extra.get("x-label", extra["format"])
            if extra["format"] == "parquet":
                sv = f"Tabellen {name} som Parquet (kolumnformat med typer)"
            else:
                sv = f"Tabellen {name} som CSV för kalkylprogram (UTF-8 med BOM, semikolon)"
            add(
                extra,
                {"en": f"{title} ({name}), {label}", "sv": f"Tabellen {name}, {label}"},
                {"en": f"{about} {label}.".strip(), "sv": sv + "."},
            )
    database = descriptor.get("x-database")
    if database:
        add(
            database,
            {"en": "All tables in one SQLite database", "sv": "Alla tabeller i en SQLite-databas"},
            {
                "en": "Every table of the package in one SQLite file, with keys, constraints, "
                "indexes on foreign keys and column descriptions.",
                "sv": "Alla tabeller i en SQLite-fil, med nycklar, villkor, index på "
                "främmande nycklar och kolumnbeskrivningar.",
            },
        )
    return files


def _hex(digest: str | None) -> str | None:
    return digest.split(":", 1)[1] if digest and ":" in digest else digest


_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _resource_rows(
    descriptor: Mapping[str, Any], base: Path | None, name: str
) -> list[dict[str, str]]:
    if base is None:
        return []
    for resource in descriptor.get("resources") or []:
        if resource.get("name") == name and (base / resource["path"]).is_file():
            with (base / resource["path"]).open(encoding="utf-8", newline="") as handle:
                return list(csv.DictReader(handle))
    return []


def _is_date(text: str) -> bool:
    """``YYYY-MM-DD`` or ``YYYY-MM`` naming a real day or month."""
    if not _DATE.match(text):
        return False
    try:
        _datetime.date.fromisoformat(text if len(text) == 10 else text + "-01")
    except ValueError:
        return False
    return True


NAMES = ("editions", "sources")
"""The resources :class:`DataRows` reads."""


@dataclass(frozen=True)
class DataRows:
    """What the metadata takes from the data: the editions' dates and the ``sources`` rows.

    A build makes it once from the Arrow tables it has read (:meth:`from_tables`); a metadata
    function called on its own reads the package folder's CSV files (:meth:`read`).

    Attributes:
        edition_dates: Publication dates of the editions (``YYYY-MM-DD`` or ``YYYY-MM``),
            oldest first.
        sources: The rows of the ``sources`` resource (an empty cell is ``""``).
    """

    edition_dates: tuple[str, ...] = ()
    sources: tuple[Mapping[str, str], ...] = ()

    @classmethod
    def from_rows(
        cls, editions: Iterable[Mapping[str, Any]], sources: Iterable[Mapping[str, Any]]
    ) -> DataRows:
        dates = (str(row.get("published") or "") for row in editions)
        return cls(
            edition_dates=tuple(sorted(text for text in dates if _is_date(text))),
            sources=tuple(
                {key: "" if value is None else str(value) for key, value in row.items()}
                for row in sources
            ),
        )

    @classmethod
    def from_tables(cls, tables: Mapping[str, Any]) -> DataRows:
        """From Arrow tables by resource name (``editions`` and ``sources`` if present)."""
        editions, sources = (tables[n].to_pylist() if n in tables else [] for n in NAMES)
        return cls.from_rows(editions, sources)

    @classmethod
    def read(cls, descriptor: Mapping[str, Any], base: Path | None) -> DataRows:
        """From the CSV files of the package folder ``base`` (nothing without one).

        Examples:
            >>> from palliativ_data._paths import bundled_package_dir
            >>> d = bundled_package_dir()
            >>> DataRows.read(read_json(d / "datapackage.json"), d).edition_dates[0][:4]
            '2026'
        """
        editions, sources = (_resource_rows(descriptor, base, name) for name in NAMES)
        return cls.from_rows(editions, sources)

    @property
    def data_date(self) -> str | None:
        """The date of the data version: the latest edition's publication date
        (``YYYY-MM-DD``; a month alone counts as its first day), ``None`` without editions."""
        if not self.edition_dates:
            return None
        latest = self.edition_dates[-1]
        return latest if len(latest) == 10 else latest + "-01"


# --------------------------------------------------------------------------- CFF


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
    publication facts, else the descriptor's creators.
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
    licences = [licence(descriptor).get("name"), facts.code_license.get("name")]
    licences = [name for name in licences if name]
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
        "license": licences[0] if len(licences) == 1 else licences,
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
        person = {"name": _agent_name(contributor)}
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
        ...     "x-publication": {"code_license": {"name": "MIT"}}})
        >>> print(text.split("\\n", 3)[3], end="")
        type: dataset
        title: T
        version: 1.0.0
        authors:
        - name: Us
        license:
        - CC-BY-4.0
        - MIT
    """
    import yaml  # deferred: only writing CITATION.cff needs PyYAML

    header = (
        "# Generated from datapackage.json by `palliativ-data generate` / `build`; do not edit."
    )
    body: str = yaml.safe_dump(
        citation(descriptor, base, rows=rows), sort_keys=False, allow_unicode=True, width=1 << 30
    )
    return header + "\n" + body


# --------------------------------------------------------------------------- DCAT-AP-SE


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
    file_type = FORMATS.get(item["format"], (None, None))[0]
    if file_type:
        distribution["dct:format"] = {"@id": FILE_TYPE + file_type}
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


# --------------------------------------------------------------------------- schema.org


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


# --------------------------------------------------------------------------- Datasette


def label_column(table_schema: Mapping[str, Any]) -> str | None:
    """The column Datasette shows for a row another table points to (see :data:`LABEL_COLUMNS`).

    Examples:
        >>> label_column({"fields": [{"name": "code"}, {"name": "label_sv"}]})
        'label_sv'
    """
    names = [field["name"] for field in table_schema.get("fields") or []]
    return next((column for column in LABEL_COLUMNS if column in names), None)


def datasette_metadata(descriptor: Mapping[str, Any], database: str) -> dict[str, Any]:
    """Datasette's metadata (``datasette FILE.sqlite -m datasette-metadata.json``).

    Title, description, licence and source for the instance; per table its description, its
    columns' descriptions (from ``schema/``) and a label column.

    Args:
        descriptor: The (release) descriptor.
        database: The database name Datasette uses: the SQLite file name without ``.sqlite``.
    """
    facts = PublicationFacts.from_descriptor(descriptor)
    sources = "; ".join(
        source["title"] for source in descriptor.get("sources") or [] if source.get("title")
    )
    tables: dict[str, Any] = {}
    for resource in descriptor.get("resources") or []:
        table_schema = resource.get("schema") or {}
        table: dict[str, Any] = {
            "title": resource.get("title") or resource["name"],
            "description": table_schema.get("description") or resource.get("description", ""),
            "columns": {
                field["name"]: field.get("description", "")
                for field in table_schema.get("fields") or []
            },
        }
        label = label_column(table_schema)
        if label:
            table["label_column"] = label
        tables[resource["name"]] = table
    metadata: dict[str, Any] = {
        "title": descriptor.get("title"),
        "description": descriptor.get("description"),
        "license": licence(descriptor).get("name"),
        "license_url": licence(descriptor).get("path"),
        "source": sources,
        "source_url": facts.homepage or facts.repository,
        "databases": {database: {"tables": tables}},
    }
    return {key: value for key, value in metadata.items() if value not in (None, "")}


# --------------------------------------------------------------------------- repository file

CITATION_FILE = "CITATION.cff"


def render_repo_citation() -> str:
    """The repository's ``CITATION.cff``, generated from the bundled ``datapackage.json``."""
    base = bundled_package_dir()
    return citation_cff(read_json(base / DESCRIPTOR_FILE), base)


def write_repo_citation() -> list[Path]:
    """Write ``CITATION.cff`` at the repository root if it changed; return it if written
    (nothing outside a source checkout)."""
    root = repo_root()
    if root is None:
        return []
    return atomic_write_changed({root / CITATION_FILE: render_repo_citation()})
