"""Words of the site itself (headings, sentences around the data), in Swedish and English.

Only interface text lives here. Every number, list, label of a code and name of a place comes
from the data package; these strings are templates filled from it.
"""

from __future__ import annotations

from ..comparison.constants import STATUS_LABELS

LANGS = ("sv", "en")
"""Languages of the site; the first is the default, served at the root."""

TEXT: dict[str, dict[str, str]] = {
    "sv": {
        "site_title": "Brister i den specialiserade palliativa vården",
        "status.persisting": "kvarstår",
        "status.dropped": "inte längre listad",
        "status.added": "ny i listan",
        "kind.administrative": "tjänstepersoner",
        "kind.political": "politiker",
        "kind.joint": "politiker och tjänstepersoner",
        "csv": "Ladda ner data (CSV)",
        "cite": "Källa",
        "data": "data",
        "no_viz": (
            "Figuren ritas inte i det här bygget (ritverktyget saknas). "
            "Samma uppgifter finns i tabellen."
        ),
        "regions": "Regioner",
        "region": "Region",
        "function": "Funktion",
        "category": "Kategori",
        "count": "Antal",
        "regions_count": "Antal regioner",
        "no_gaps": "Inga brister listade.",
        "no_answer": "Regionen har inte svarat.",
        "date_unknown": "datum anges inte",
        "party": "parti",
        "target_year": "målår",
        "no_year": "Inget år angivet",
        "source": "Plats i källan",
        "line": "rad",
        "disputed_note": "Svaret ifrågasätter bristen.",
    },
    "en": {
        "site_title": "Gaps in specialised palliative care",
        "status.persisting": "persisting",
        "status.dropped": STATUS_LABELS["dropped"],
        "status.added": STATUS_LABELS["added"],
        "status.persisting.long": "persisting (listed in both)",
        "status.dropped.long": "no longer listed (only in {old})",
        "status.added.long": "newly listed (only in {new})",
        "kind.administrative": "officials",
        "kind.political": "politicians",
        "kind.joint": "politicians and officials",
        "csv": "Download the data (CSV)",
        "cite": "Source",
        "data": "data",
        "no_viz": (
            "The figure is not drawn in this build (the chart renderer is missing). "
            "The table holds the same figures."
        ),
        "regions": "Regions",
        "region": "Region",
        "function": "Function",
        "category": "Category",
        "count": "Count",
        "regions_count": "Regions",
        "no_gaps": "No gaps listed.",
        "no_answer": "The region did not answer.",
        "date_unknown": "date not stated",
        "party": "party",
        "target_year": "target year",
        "no_year": "No year stated",
        "source": "Place in the source",
        "line": "line",
        "disputed_note": "The answer disputes the gap.",
    },
}


def t(lang: str, key: str, **values: object) -> str:
    """The interface string ``key`` in ``lang``, with ``values`` filled in."""
    text = TEXT[lang][key]
    return text.format(**values) if values else text
