"""Where people find the documentation: one place for the URL that help texts point to.

The site's address is the ``homepage`` of ``schema/package.json`` (the Data Package property,
else the publication fact ``x-publication.homepage``); until it is set, help points to the
package's page on PyPI.
"""

from __future__ import annotations

from ._io import read_json
from ._paths import schema_dir
from ._schema.tableschema import PACKAGE_FILE

FALLBACK_URL = "https://pypi.org/project/palliativ-data/"


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
