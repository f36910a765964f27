"""Publication facts and the shared facts every metadata document takes from a descriptor.

* :class:`PublicationFacts` (read with :func:`publication_facts`): who publishes, where, how to
  reach them; the ``x-publication`` object of ``schema/package.json`` (its keys are listed in
  :mod:`palliativ_data._release.metadata`), checked when read;
* the descriptor's texts per language (:func:`localized`), :func:`keywords`, :func:`agents`,
  the publisher's name and the licence;
* :class:`DataRows`: what the documents take from the data (the editions' dates, the
  ``sources`` rows).
"""

from __future__ import annotations

import csv
import datetime as _datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..._errors import BuildError
from ..._io import read_json
from ..._paths import schema_dir
from ..._schema.tableschema import PACKAGE_FILE
from ..._urls import iri_problem

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
"""The EU's authority tables (file types, languages, countries, themes…)."""
COUNTRY_SWEDEN = EU_AUTHORITY + "country/SWE"
"""The spatial coverage of the data: Sweden."""
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

PUBLICATION = "x-publication"
"""The descriptor property holding the publication facts."""


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
    problem = iri_problem(value)
    if problem is not None or not isinstance(value, str):
        raise BuildError(
            f"{_where(key)} is {value!r}: {problem}. It must be an absolute http(s) URL such as "
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


def agent_name(contributor: Mapping[str, Any]) -> str:
    """A contributor's name: its ``title``, else given and family name."""
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
    return {"en": agent_name(chosen[0])} if chosen else {"en": descriptor.get("title", "")}


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


# --------------------------------------------------------------------------- data rows

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
