"""Words of the site itself (headings, sentences around the data), in Swedish and English.

Only interface text lives here. Every number, list, label of a code and name of a place comes
from the data package; these strings are templates filled from it.
"""

from __future__ import annotations

from .._comparison.constants import STATUS_LABELS, STATUSES, GapStatus

LANGS = ("sv", "en")
"""Languages of the site; the first is the default, served at the root."""

STATUS_LABELS_SV: dict[GapStatus, str] = {
    "persisting": "kvarstår",
    "dropped": "listas inte längre",
    "added": "har tillkommit",
}
"""The Swedish wording of each status (the English is ``STATUS_LABELS``). Verb phrases, so that
one wording fits one gap and many ("3 kvarstår", "en brist listas inte längre")."""

STATUS_WORDS: dict[str, dict[GapStatus, str]] = {"sv": STATUS_LABELS_SV, "en": STATUS_LABELS}
"""The wording of each status in each language of the site: the only place the site takes it."""

TEXT: dict[str, dict[str, str]] = {
    "sv": {
        "site_title": "Brister i den specialiserade palliativa vården",
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
        "gap_count": "Antal brister",
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
        "gap_count": "Gaps",
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


def status_word(lang: str, status: GapStatus) -> str:
    """The wording of a gap status in ``lang`` (``STATUS_WORDS``)."""
    return STATUS_WORDS[lang][status]


def status_words(lang: str) -> list[str]:
    """The wording of every status in ``lang``, in report order."""
    return [STATUS_WORDS[lang][status] for status in STATUSES]
