"""The pages whose words depend on the publication facts: the install page and the
accessibility statement.

Both read the facts of the package's descriptor (``x-publication`` and ``homepage``, see
``_release.metadata.facts``), which are ``null`` until the maintainers decide them; a fact not
set is left out, never invented.

- The install page says ``pip install palliativ-data`` works only once a version has been
  released: the changelog dates it (``## Data X.Y.Z — YYYY-MM-DD``), which a tag needs before
  the release workflow uploads the package to PyPI (``docs/en/release.md``). Before that it
  says how to install from the source code.
- The accessibility statement follows Digg's list of what a statement under the Swedish law on
  accessibility of digital public services (2018:1937, "DOS-lagen") must hold: who publishes
  the site, how far it complies, what is not accessible and why, when it was assessed and
  updated and how, how to report a problem (the contact point of the facts, else what there is)
  and the link to Digg's complaint form.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .._authoring.versioning import read_changelog
from .._release.metadata.facts import PublicationFacts
from ._common import Data

STATEMENT_ASSESSED = dt.date(2026, 12, 6)
"""When the site's accessibility was last assessed (the tests of every page with axe)."""
STATEMENT_UPDATED = dt.date(2026, 12, 6)
"""When the accessibility statement was last updated."""
DIGG_REPORT = "https://www.digg.se/tdosanmalan"
"""Digg's form for reporting a public site that fails the law (Digg's supervision)."""

MONTHS = {
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "en": "January February March April May June July August September October November December",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def long_date(day: dt.date, lang: str) -> str:
    """``6 december 2026`` / ``6 December 2026``.

    Examples:
        >>> long_date(dt.date(2026, 12, 6), "sv")
        '6 december 2026'
    """
    return f"{day.day} {MONTHS[lang].split()[day.month - 1]} {day.year}"


def first_release(entries: dict[str, str] | None) -> tuple[str, str] | None:
    """``(version, date)`` of the first version the changelog dates, if any.

    Examples:
        >>> first_release({"0.3.0": "unreleased", "0.2.0": "2026-07-01", "0.1.0": "part of 0.2.0"})
        ('0.2.0', '2026-07-01')
        >>> first_release({"0.1.0": "unreleased"}) is None
        True
    """
    dated = [(status, version) for version, status in (entries or {}).items()]
    released = sorted((day, version) for day, version in dated if _DATE.match(day))
    return (released[0][1], released[0][0]) if released else None


def _issues(repository: str | None) -> str | None:
    """Where to open an issue, for a repository on GitHub."""
    if repository and "://github.com/" in repository:
        return repository.rstrip("/") + "/issues"
    return None


def install(data: Data, lang: str) -> dict[str, Any]:
    """What the install page shows: whether ``pip install`` works, else how to install."""
    facts = PublicationFacts.from_descriptor(data.pkg.descriptor)
    released = first_release(read_changelog())
    return {
        "released": released,
        "version": data.pkg.version,
        "repository": facts.repository,
    }


def accessibility(data: Data, lang: str) -> dict[str, Any]:
    """What the accessibility statement shows: publisher, contact, dates, Digg."""
    facts = PublicationFacts.from_descriptor(data.pkg.descriptor)
    names = facts.publisher_name
    return {
        "publisher": names.get(lang) or next(iter(names.values()), None),
        "contact_email": facts.contact_email,
        "contact_url": facts.contact_url,
        "repository": facts.repository,
        "issues": _issues(facts.repository),
        "homepage": facts.homepage,
        "assessed": long_date(STATEMENT_ASSESSED, lang),
        "updated": long_date(STATEMENT_UPDATED, lang),
        "digg_report": DIGG_REPORT,
    }
