"""Where people find the documentation: one place for the URL that help texts point to.

The site's address is the ``homepage`` of ``schema/package.json`` (the Data Package property,
else the publication fact ``x-publication.homepage``); until it is set, help points to the
package's page on PyPI. :func:`iri_problem` is the one check of a URL the release's metadata
publishes (``validate`` and ``build`` both use it).
"""

from __future__ import annotations

import re

from ._io import read_json
from ._paths import schema_dir
from ._schema.tableschema import PACKAGE_FILE

FALLBACK_URL = "https://pypi.org/project/palliativ-data/"

MAX_URL_CHARS = 2000
_HTTP_IRI = re.compile(r"^https?://[^/?#@\s]+(?:[/?#]\S*)?$")
_NOT_IN_IRI = re.compile(r'[\x00-\x20\x7f-\x9f<>"{}|\\^`\u202a-\u202e\u2066-\u2069]')
"""Characters an IRI cannot hold (RFC 3987; rdflib refuses to serialise an IRI with them)."""


def iri_problem(value: object) -> str | None:
    """Why ``value`` is not an absolute http(s) IRI that RDF can carry, or None.

    Examples:
        >>> iri_problem("https://example.org/palliativ-data/") is None
        True
        >>> iri_problem('https://example.org/"a')
        'it holds \\'"\\', which a URL cannot hold (write it percent-encoded)'
        >>> iri_problem("ftp://example.org/")
        'it is not an absolute http(s) URL such as https://example.org/palliativ-data/'
    """
    if not isinstance(value, str):
        return "it is not a text"
    if len(value) > MAX_URL_CHARS:
        return f"it has {len(value):,} characters (at most {MAX_URL_CHARS:,})"
    bad = _NOT_IN_IRI.search(value)
    if bad:
        shown = bad.group().encode("unicode_escape").decode("ascii")
        return f"it holds {shown!r}, which a URL cannot hold (write it percent-encoded)"
    if not _HTTP_IRI.match(value):
        return "it is not an absolute http(s) URL such as https://example.org/palliativ-data/"
    return None


def _docs_url() -> str:
    try:
        meta = read_json(schema_dir() / PACKAGE_FILE)
    except (OSError, ValueError):
        meta = {}
    publication = meta.get("x-publication") or {}
    homepage = meta.get("homepage") or publication.get("homepage")
    if not isinstance(homepage, str) or not homepage.startswith("https://"):
        return FALLBACK_URL
    return homepage if homepage.endswith("/") else homepage + "/"


DOCS_URL = _docs_url()
"""The documentation site (ends with ``/``)."""


def docs_page(page: str) -> str:
    """The URL of one page of the site, e.g. ``docs_page("compare")``.

    Examples:
        >>> docs_page("compare").startswith("https://")
        True
    """
    if DOCS_URL == FALLBACK_URL:
        return DOCS_URL
    return f"{DOCS_URL}{page}/"
