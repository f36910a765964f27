"""Words of the site itself (headings, sentences around the data), in Swedish and English.

Only interface text lives here. Every number, list, label of a code and name of a place comes
from the data package; these strings are templates filled from it.
"""

from __future__ import annotations

from collections.abc import Sequence

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

PARTIES: dict[str, str] = {
    "M": "Moderaterna",
    "S": "Socialdemokraterna",
    "C": "Centerpartiet",
    "L": "Liberalerna",
    "KD": "Kristdemokraterna",
    "SD": "Sverigedemokraterna",
    "V": "Vänsterpartiet",
    "MP": "Miljöpartiet",
}
"""The parties ``responses.party`` names by their abbreviations, spelt out as the style sheet
(docs/sv/style.md, "Förkortningar") writes them; a test holds the two together."""

UNSTATED_ROLE = "Ej angivet"
"""``responses.responder_role_sv`` where the source states no role (methodology): the pages
then name no role rather than show these words as one."""

_FILES_SV = "[Excel-arbetsbok]({xlsx}) för kalkylprogram, [CSV]({csv}) för program (UTF-8, komma)"
_FILES_EN = "[Excel workbook]({xlsx}) for spreadsheets, [CSV]({csv}) for programs (UTF-8, comma)"
"""The two files offered under a table, the end of every "download" sentence in ``TEXT``."""

TEXT: dict[str, dict[str, str]] = {
    "sv": {
        "site_title": "Brister i den specialiserade palliativa vården",
        "kind.administrative": "tjänstepersoner",
        "kind.political": "politiker",
        "kind.joint": "politiker och tjänstepersoner",
        "download": "Ladda ner data: " + _FILES_SV,
        "download.responses": "Ladda ner svaren: " + _FILES_SV,
        "download.gap_answers": "Ladda ner vad svaren säger om varje brist: " + _FILES_SV,
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
        "no_gaps": "Inga brister listade.",
        "no_answer": "Regionen har inte svarat.",
        "target_year": "målår",
        "no_year": "Inget år angivet",
        "source": "Plats i källan",
        "disputed_note": "Svaret ifrågasätter bristen.",
        "gaps_in": "Brister i {month}",
        "regions_in": "Regioner i {month}",
        "kind.administrative.one": "tjänsteperson",
        "kind.political.one": "politiker",
        "kind.joint.one": "politiker och tjänsteperson",
        "item": "punkt",
        "edition": "Utgåva",
        "gap": "Brist",
        "history.listed": "listad",
        "history.answer": "svar",
        "pair.old": "Från",
        "pair.new": "Till",
        "pair.old_gaps": "Brister i den äldre",
        "pair.new_gaps": "Brister i den nyare",
        "listing.listed": "Brist i {month}",
        "listing.earlier": "Brist tidigare, inte i {month}",
        "listing.never": "Ingen brist listad",
        "listing.legend": "Listar regionen en brist?",
        "listing.title": "Karta: regioner med en brist som gäller {function}, {month}",
        "er_label": "Diagram över tabellerna och deras nycklar",
        "legend": "Teckenförklaring",
        "constraint.required": "obligatoriskt",
        "constraint.unique": "unikt",
        "constraint.pattern": "mönster",
        "constraint.minimum": "minst",
        "constraint.maximum": "högst",
        "constraint.minLength": "minsta längd",
        "constraint.maxLength": "största längd",
        "not_found_title": "Sidan finns inte",
        "not_found_text": "Adressen leder inte till någon sida på webbplatsen. Sök eller välj en sida i menyn.",
    },
    "en": {
        "site_title": "Gaps in specialised palliative care",
        "kind.administrative": "officials",
        "kind.political": "politicians",
        "kind.joint": "politicians and officials",
        "download": "Download the data: " + _FILES_EN,
        "download.responses": "Download the answers: " + _FILES_EN,
        "download.gap_answers": "Download what the answers say about each gap: " + _FILES_EN,
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
        "no_gaps": "No gaps listed.",
        "no_answer": "The region did not answer.",
        "target_year": "target year",
        "no_year": "No year stated",
        "source": "Place in the source",
        "disputed_note": "The answer disputes the gap.",
        "gaps_in": "Gaps, {month}",
        "regions_in": "Regions, {month}",
        "kind.administrative.one": "official",
        "kind.political.one": "politician",
        "kind.joint.one": "politician and official",
        "item": "item",
        "edition": "Edition",
        "gap": "Gap",
        "history.listed": "listed",
        "history.answer": "answer",
        "pair.old": "From",
        "pair.new": "To",
        "pair.old_gaps": "Gaps in the older",
        "pair.new_gaps": "Gaps in the newer",
        "listing.listed": "Gap in {month}",
        "listing.earlier": "Gap earlier, not in {month}",
        "listing.never": "No gap listed",
        "listing.legend": "Does the region list a gap?",
        "listing.title": "Map: regions with a gap in {function}, {month}",
        "er_label": "Diagram of the tables and their keys",
        "legend": "Legend",
        "constraint.required": "required",
        "constraint.unique": "unique",
        "constraint.pattern": "pattern",
        "constraint.minimum": "minimum",
        "constraint.maximum": "maximum",
        "constraint.minLength": "minimum length",
        "constraint.maxLength": "maximum length",
        "not_found_title": "Page not found",
        "not_found_text": "This address leads to no page on the site. Search, or pick a page from the menu.",
    },
}


ENGLISH_WORDS: tuple[str, ...] = (
    "and", "the", "of", "with", "which", "gap", "gaps", "answer", "answers", "region's",
    "download", "source", "line", "item", "edition", "function", "category", "map", "legend",
    "x-axis", "y-axis", "titled", "official", "officials", "politician", "politicians", "party",
    "target year", "no year stated", "quote", "action", "follow-up",
    "compilation", "not found", *STATUS_LABELS.values(),
)  # fmt: skip
"""Words of the English interface (templates, ``TEXT``, the names Vega gives a drawing) that
have no place on a Swedish page: the one list ``tests/test_site_language.py`` scans the Swedish
pages for, outside code and outside parts marked ``lang="en"``."""


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


# ====================================================================== numbers and agreement

NUMBER_WORDS: dict[str, tuple[str, ...]] = {
    "sv": (
        "inga", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva",
        "tolv",
    ),
    "en": (
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ),
}  # fmt: skip
"""Numbers up to twelve in words, as running text writes them (docs/sv/style.md); zero is the
word a counted noun takes ("inga brister", "no gaps")."""

NEUTER_SV = {"en": "ett"}
"""The Swedish words that change for a neuter noun ("ett svar")."""

NOUNS: dict[str, dict[str, tuple[str, str, str]]] = {
    "sv": {
        "gap": ("brist", "brister", "en"),
        "region": ("region", "regioner", "en"),
        "answer": ("svar", "svar", "ett"),
    },
    "en": {
        "gap": ("gap", "gaps", ""),
        "region": ("region", "regions", ""),
        "answer": ("answer", "answers", ""),
    },
}
"""The nouns the pages count, by a key common to both languages: singular, plural and (Swedish)
gender. ``count`` agrees them with a number."""

AND = {"sv": "och", "en": "and"}


def number(lang: str, n: int, gender: str = "en") -> str:
    """``n`` as running text writes it: in words up to twelve, in digits above, with a space
    (a no-break space) between thousands in Swedish and a comma in English.

    ``gender`` is the Swedish gender of what is counted (``"en"`` or ``"ett"``).

    Examples:
        >>> number("sv", 1), number("sv", 1, "ett"), number("sv", 0), number("sv", 12)
        ('en', 'ett', 'inga', 'tolv')
        >>> number("sv", 8500), number("en", 8500), number("en", 13)
        ('8\\xa0500', '8,500', '13')
    """
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    if n < len(NUMBER_WORDS[lang]):
        word = NUMBER_WORDS[lang][n]
        return NEUTER_SV.get(word, word) if lang == "sv" and gender == "ett" else word
    return f"{n:,}".replace(",", "\xa0" if lang == "sv" else ",")


def form(n: int, singular: str, plural: str) -> str:
    """The form of a word that agrees with ``n``: ``singular`` for one, ``plural`` otherwise
    (zero included: "inga nya", "no gaps were")."""
    return singular if n == 1 else plural


def count(lang: str, n: int, noun: str) -> str:
    """``n`` of ``noun`` (a key of ``NOUNS``), agreed: "en brist", "två brister", "inga
    brister", "13 brister"; "one gap", "no gaps".

    Examples:
        >>> count("sv", 1, "gap"), count("sv", 0, "answer"), count("sv", 1, "answer")
        ('en brist', 'inga svar', 'ett svar')
        >>> count("en", 2, "region"), count("en", 0, "gap")
        ('two regions', 'no gaps')
    """
    singular, plural, gender = NOUNS[lang][noun]
    return f"{number(lang, n, gender)} {form(n, singular, plural)}"


def listing(lang: str, items: Sequence[str]) -> str:
    """``items`` as running text lists them: "a, b och c" / "a, b and c"."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {AND[lang]} {items[-1]}"
