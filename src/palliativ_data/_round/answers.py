"""One answer of a returned workbook: its value read as text, a choice, a date or a year, and
checked for what it must not hold (control characters, e-mail addresses, in a role or an
organisation a person's name), every problem by file › sheet › cell in Swedish and English.

:class:`AnswerReader` collects the problems of one workbook; :mod:`.receive` reads the sheets
and gives it each cell. :func:`known_words` lists the capitalised words the personal-name check
knows are not names (the package's roles, organisations, regions and places).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import form
from .content import Choice, Choices
from .problems import RoundProblem

if TYPE_CHECKING:  # pragma: no cover
    from .._package import Package

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"[^\s@<>(),;:]+@[^\s@<>(),;:]+\.[A-Za-z]{2,}")
_NAME_WORD = r"[A-ZÅÄÖÉÜ][a-zåäöéüß]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéüß]+)?"
_CAPITALISED_RUN = re.compile(rf"\b{_NAME_WORD}(?:[ \t]+{_NAME_WORD})+\b")
_WORDS = re.compile(r"[\wåäöÅÄÖ]+")


class AnswerReader:
    """Reads one workbook; collects its problems."""

    def __init__(self, name: str, choices: Choices, known_words: frozenset[str]) -> None:
        self.name = name
        self.choices = choices
        self.known_words = known_words
        self.problems: list[RoundProblem] = []

    def add(self, sheet: str, cell: str, code: str, sv: str, en: str) -> None:
        self.problems.append(RoundProblem(self.name, sheet, cell, code, sv, en))

    # -- values ------------------------------------------------------------------------

    def text(self, sheet: str, cell: str, value: Any, *, people: bool = False) -> str | None:
        """A text answer, cleaned (line ends, tabs); problems for what it must not hold."""
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            value = value.isoformat()
        text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").strip()
        if not text:
            return None
        if len(text) > form.MAX_TEXT:
            self.add(
                sheet,
                cell,
                "text-too-long",
                f"Svaret har {len(text):,} tecken; högst {form.MAX_TEXT:,} ryms. Korta det.",
                f"The answer has {len(text):,} characters; at most {form.MAX_TEXT:,} fit. Ask "
                "for a shorter one.",
            )
        bad = _CONTROL.search(text)
        if bad:
            self.add(
                sheet,
                cell,
                "control-character",
                f"Svaret innehåller ett osynligt styrtecken (U+{ord(bad.group()):04X}), ofta "
                "inklistrat från ett annat program. Skriv om texten.",
                f"The answer holds a control character (U+{ord(bad.group()):04X}), often pasted "
                "in from another program. Ask for the text to be retyped.",
            )
        if _EMAIL.search(text):
            self.add(
                sheet,
                cell,
                "email-address",
                "Svaret innehåller en e-postadress. Ta bort den: svaren publiceras som öppna "
                "data utan e-postadresser.",
                f"The answer holds an e-mail address ({_EMAIL.search(text).group()[:3]}…). "  # type: ignore[union-attr]
                "Ask for it to be removed: the answers are published without addresses.",
            )
        if people:
            for run in _CAPITALISED_RUN.finditer(text):
                words = run.group().split()
                unknown = [w.casefold() not in self.known_words for w in words]
                if any(a and b for a, b in itertools.pairwise(unknown)):
                    self.add(
                        sheet,
                        cell,
                        "personal-name",
                        f"”{run.group()}” ser ut som ett personnamn. Skriv bara rollen eller "
                        "organisationen: svaren publiceras som öppna data utan personnamn.",
                        f"'{run.group()}' looks like a person's name. Ask for the role or "
                        "organisation only: the answers are published without personal names.",
                    )
                    break
        return text

    def choice(
        self, sheet: str, cell: str, value: Any, choices: Iterable[Choice], what: str
    ) -> str | None:
        """The code of a dropdown answer (its Swedish label, or the code itself)."""
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        given = " ".join(str(value).split()).casefold()
        options = list(choices)
        for option in options:
            if given in (option.label.casefold(), option.code.casefold()):
                return option.code
        labels = "; ".join(option.label for option in options)
        self.add(
            sheet,
            cell,
            "invalid-choice",
            f"”{short(value)}” är inte ett av alternativen för {what}. Välj ett av: {labels}.",
            f"'{short(value)}' is not one of the choices for {what}. Choose one of: {labels}.",
        )
        return None

    def date(self, sheet: str, cell: str, value: Any) -> dt.date | None:
        if value is None:
            return None
        day: dt.date | None = None
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, str):
            try:
                day = dt.date.fromisoformat(value.strip())
            except ValueError:
                day = None
        low, high = form.DATE_RANGE
        if day is None:
            self.add(
                sheet,
                cell,
                "invalid-date",
                f"”{short(value)}” är inget datum. Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2027-03-14.",
                f"'{short(value)}' is not a date. Ask for it as YYYY-MM-DD, e.g. 2027-03-14.",
            )
        elif not low <= day <= high:
            self.add(
                sheet,
                cell,
                "date-out-of-range",
                f"Datumet {day.isoformat()} ligger utanför {low.year}–{high.year}. Rätta datumet.",
                f"The date {day.isoformat()} is outside {low.year}–{high.year}. Ask for the "
                "right date.",
            )
            return None
        return day

    def year(self, sheet: str, cell: str, value: Any) -> int | None:
        if value is None:
            return None
        year: int | None = None
        if isinstance(value, bool):
            year = None
        elif isinstance(value, int):
            year = value
        elif (isinstance(value, float) and value.is_integer()) or (
            isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value)
        ):
            year = int(value)
        low, high = self.choices.years
        if year is None:
            self.add(
                sheet,
                cell,
                "invalid-year",
                f"”{short(value)}” är inget årtal. Skriv året med fyra siffror, t.ex. 2028.",
                f"'{short(value)}' is not a year. Ask for four digits, e.g. 2028.",
            )
        elif not low <= year <= high:
            self.add(
                sheet,
                cell,
                "year-out-of-range",
                f"Året {year} ligger utanför {low}–{high}. Rätta året.",
                f"The year {year} is outside {low}–{high}. Ask for the right year.",
            )
            return None
        return year

    def required(self, sheet: str, cell: str, what_sv: str, what_en: str) -> None:
        self.add(
            sheet,
            cell,
            "required",
            f"{what_sv} saknas. Fyll i cellen.",
            f"{what_en} is missing. Ask for the cell to be filled in.",
        )


def short(value: Any, limit: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def same(value: Any, expected: str | int) -> bool:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    shown = "" if value is None else " ".join(str(value).split())
    return shown == " ".join(str(expected).split())


def known_words(pkg: Package) -> frozenset[str]:
    """Capitalised words that are not a person's name: those of the package's roles,
    organisations, regions, places and vocabularies (for the personal-name check)."""
    texts: list[str] = []
    for response in pkg.responses():
        texts += [response.responder_role_sv, response.responder_role_en, response.organisation]
    for region in pkg.regions:
        texts += [region.name_source, region.name_official_sv, region.name_en, region.county_sv]
        texts.append(region.aliases or "")
    for item in pkg.healthcare_regions:
        texts += [item.name_sv, item.name_en, item.rcc_sv, item.rcc_en]
    for gap in pkg.gaps():
        texts += [gap.places or "", gap.places_excepted or "", gap.sub_area or "", gap.label_sv]
    for function in pkg.functions:
        texts += [function.label_sv, function.label_en]
    for source in pkg.sources:
        texts.append(source.publisher)
    return frozenset(word.casefold() for text in texts for word in _WORDS.findall(text))
