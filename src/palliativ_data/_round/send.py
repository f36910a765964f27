"""Send: one response workbook (``.xlsx``) and one request e-mail (``.eml``) per region.

The workbook is written with XlsxWriter, laid out by :mod:`.form`, its choices from
:class:`.content.Choices`; the e-mail with Python's :mod:`email` package, following the
content of the 2026 request (Bilaga 1 of the June 2026 compilation): the region's gaps, what
is asked (concrete decisions, timed actions and priorities), the deadline and how to answer.
Both are byte-identical from run to run (fixed timestamps, a MIME boundary derived from the
content). No address is written: the organisers' mail program fills in sender and recipients;
the e-mail names the roles it goes to.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import textwrap
from dataclasses import dataclass
from email.headerregistry import Group
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import ArgumentError
from .._io import sha256_digest, write_new_files
from .._new_edition import MONTHS_SV, check_new_edition
from . import form
from .content import Choices, RegionList, default_deadline, region_lists
from .content import workbook_name as _workbook_name

if TYPE_CHECKING:  # pragma: no cover
    from .. import _models as m
    from .._package import Package

INSTRUCTIONS_WIDTH = 110
"""The width of the instructions' one column (characters)."""
LINE_HEIGHT = 15
"""The height of a line of 11-point Calibri in a row (points)."""
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
OUTGOING = "outgoing"
"""The folder, inside ``--out``, of the workbooks and e-mails to send."""
RETURNED = "returned"
"""The folder, inside ``--out``, where the organisers save the workbooks that come back."""
RECIPIENTS_SV = (
    "hälso- och sjukvårdsdirektören samt ordföranden och 1:e och 2:e vice ordföranden i "
    "hälso- och sjukvårdsnämnden"
)
"""Whom the request goes to, as roles (Bilaga 1: the director of health care and the three
leading health-care politicians)."""


@dataclass(frozen=True)
class RoundSent:
    """What :func:`send_round` wrote.

    Attributes:
        edition: The round: the follow-up edition the answers will be published in.
        from_edition: The edition whose gaps the regions are asked about.
        deadline: The date answers are asked for.
        out: The folder written to.
        files: Every file written (workbooks, e-mails, the README).
        regions: How many regions got a workbook.
        gaps: How many gap rows the workbooks hold.
    """

    edition: str
    from_edition: str
    deadline: dt.date
    out: Path
    files: tuple[Path, ...]
    regions: int
    gaps: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (paths as strings)."""
        return {
            "edition": self.edition,
            "from_edition": self.from_edition,
            "deadline": self.deadline.isoformat(),
            "out": str(self.out),
            "files": [str(path) for path in self.files],
            "regions": self.regions,
            "gaps": self.gaps,
        }


def swedish_date(day: dt.date) -> str:
    """``31 januari 2027``.

    Examples:
        >>> swedish_date(dt.date(2027, 1, 31))
        '31 januari 2027'
    """
    return f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"


def _publisher(pkg: Package, edition: m.Edition) -> str:
    """Who asks: the publishers of the edition's source, joined with "och"."""
    source = next(s for s in pkg.sources if s.source_id == edition.published_in)
    names = [name.strip() for name in source.publisher.split(";") if name.strip()]
    return " och ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


@dataclass(frozen=True)
class _Round:
    """Everything a region's files are made of."""

    edition: str
    from_edition: m.Edition
    deadline: dt.date
    publisher: str
    choices: Choices
    package_version: str


def _gap_line(gap: m.Gap) -> str:
    return f"{gap.sub_area}: {gap.label_sv}" if gap.sub_area else gap.label_sv


# --------------------------------------------------------------------------- the workbook


def instructions(rnd: _Round, item: RegionList) -> list[tuple[str, str]]:
    """The instructions sheet: (style, text) lines, style ``title``, ``heading`` or ``text``."""
    name = item.region.name_official_sv
    from_title = rnd.from_edition.title_sv
    deadline = swedish_date(rnd.deadline)
    lines = [
        ("title", f"Uppföljning av brister i den specialiserade palliativa vården – {name}"),
        (
            "text",
            f"{rnd.publisher} följer upp de brister i tillgången till specialiserad palliativ "
            f"vård som listades för {name} i {from_title[0].lower()}{from_title[1:]}. "
            "Vi önskar ett tydligt svar på vilka konkreta beslut, tidsatta åtgärder och "
            "prioriteringar ni har fattat eller avser att genomföra för att åtgärda varje brist.",
        ),
        (
            "text",
            f"Svara senast {deadline}: fyll i den här filen och skicka tillbaka den som bilaga, "
            "med samma filnamn, som svar på e-postmeddelandet den kom med.",
        ),
        ("heading", "Så fyller ni i filen"),
        (
            "text",
            f"1. Bladet {form.RESPONDER}: er roll och den organisation som svarar. Skriv rollen "
            "(t.ex. hälso- och sjukvårdsdirektör), inte ert namn: svaren publiceras som öppna "
            "data, utan personnamn och e-postadresser.",
        ),
        (
            "text",
            f"2. Bladet {form.GAPS}: en rad per brist som listades för regionen. Bristen är "
            "låst. Välj för varje brist hur läget är nu (kolumn E, obligatoriskt) och fyll i "
            "det som gäller i kolumnerna F–L.",
        ),
        (
            "text",
            "3. Är ett beslut fattat: ange datum, beslutande organ och diarienummer (kolumn F–H), "
            "så att beslutet kan begäras ut som allmän handling. Fattade beslut och offentliga "
            "handlingar är det vi helst vill ha.",
        ),
        (
            "text",
            "4. Beskriv åtgärden (kolumn I) och när den ska vara på plats: år (kolumn J), gärna "
            "kvartal (kolumn K).",
        ),
        (
            "text",
            f"5. Bladet {form.OTHER}: en rad per brist som saknas i listan, eller som är fel "
            "beskriven där (ange då bristens nummer).",
        ),
        (
            "text",
            "6. Ändra inte de låsta cellerna, lägg inte till eller ta bort rader på bladet "
            f"{form.GAPS} och byt inte namn på bladen: filen läses in automatiskt, och varje "
            "ändring av det förifyllda kommer tillbaka till er som en fråga.",
        ),
        ("heading", "Alternativen i kolumn E"),
        (
            "text",
            "Beskrivningarna är samma regler som vi använder när vi läser svaren; med 'svaret' "
            "menas ert svar om bristen.",
        ),
    ]
    lines += [("choice", f"{choice.label}: {choice.help}") for choice in rnd.choices.statuses]
    decided, planned = (
        next(c.label for c in rnd.choices.statuses if c.code == code)
        for code in ("action_decided", "planned")
    )
    lines += [
        (
            "text",
            f"Väljer ni '{decided}' behövs datum och beslutande organ; väljer ni '{planned}' "
            "behövs en beskrivning av åtgärden.",
        ),
        ("heading", "Frågor"),
        ("text", "Svara på e-postmeddelandet som filen kom med."),
    ]
    return lines


def render_workbook(rnd: _Round, item: RegionList) -> bytes:
    """The region's response workbook, as bytes (XlsxWriter, in memory, fixed timestamps)."""
    # deferred: XlsxWriter only for the command that writes workbooks
    import xlsxwriter

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    book = xlsxwriter.Workbook(buffer, options)
    year, month = (int(part) for part in rnd.edition.split("-"))
    region = item.region
    book.set_properties(
        {
            "title": f"Svarsmall {rnd.edition}: {region.name_official_sv}",
            "subject": "Uppföljning av brister i den specialiserade palliativa vården",
            "author": rnd.publisher,
            "company": rnd.publisher,
            "comments": f"{form.FORMAT}; skriven av palliativ-data",
            "created": dt.datetime(year, month, 1),
        }
    )
    fmt = _formats(book)
    protect = {
        "select_locked_cells": True,
        "select_unlocked_cells": True,
        "format_columns": True,
        "format_rows": True,
    }
    lists = _lists(rnd, item)
    ranges = _ranges(lists)

    # the sheets are added in the order a region sees them: the first one opens
    sheet = book.add_worksheet(form.INSTRUCTIONS)
    sheet.set_column("A:A", INSTRUCTIONS_WIDTH)
    for row, (style, text) in enumerate(instructions(rnd, item)):
        sheet.write_string(row, 0, text, fmt[style])
        _fit_row(sheet, row, [(text, INSTRUCTIONS_WIDTH)], bold=style in ("title", "heading"))
    sheet.protect("", protect)
    sheet.activate()

    _write_responder(book, rnd, item, fmt, ranges, protect)
    _write_gaps(book, rnd, item, fmt, ranges, protect)
    _write_other(book, rnd, item, fmt, ranges, protect)
    _write_lists(book, lists, protect)

    meta = book.add_worksheet(form.META)
    meta.very_hidden()
    meta.protect("", protect)
    values = {
        "format": form.FORMAT,
        "round": rnd.edition,
        "from_edition": rnd.from_edition.edition,
        "region_code": region.region_code,
        "region": region.name_official_sv,
        "package_version": rnd.package_version,
    }
    for row, key in enumerate(form.META_KEYS):
        meta.write_string(row, 0, key)
        meta.write_string(row, 1, values[key], fmt["code"])
    book.close()
    return buffer.getvalue()


def _formats(book: Any) -> dict[str, Any]:
    base = {"valign": "top", "text_wrap": True, "font_name": "Calibri", "font_size": 11}
    unlocked = {**base, "locked": False, "bg_color": "#FFF8DC", "border": 1}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "heading": book.add_format({**base, "bold": True, "font_size": 12, "top": 1}),
        "text": book.add_format(base),
        "choice": book.add_format({**base, "indent": 1}),
        "header": book.add_format({**base, "bold": True, "bg_color": "#DDE4F0", "border": 1}),
        "locked": book.add_format({**base, "bg_color": "#F2F2F2", "border": 1}),
        "code": book.add_format({**base, "num_format": "@"}),
        "text_in": book.add_format({**unlocked, "num_format": "@"}),
        "choice_in": book.add_format({**unlocked, "num_format": "@"}),
        "date_in": book.add_format({**unlocked, "num_format": "yyyy-mm-dd"}),
        "year_in": book.add_format({**unlocked, "num_format": "0"}),
        "help": book.add_format({**base, "italic": True, "font_color": "#555555"}),
    }


_LIST_COLUMNS = (
    "statuses",
    "response_kinds",
    "statement_kinds",
    "functions",
    "quarters",
    "numbers",
)


def _lists(rnd: _Round, item: RegionList) -> dict[str, list[str | int]]:
    """The dropdowns' choices, by list (the columns of the hidden sheet :data:`.form.LISTS`)."""
    return {
        "statuses": [c.label for c in rnd.choices.statuses],
        "response_kinds": [c.label for c in rnd.choices.response_kinds],
        "statement_kinds": [c.label for c in rnd.choices.statement_kinds],
        "functions": [c.label for c in rnd.choices.functions],
        "quarters": list(form.QUARTERS),
        "numbers": list(range(1, len(item.gaps) + 1)),
    }


def _ranges(lists: dict[str, list[str | int]]) -> dict[str, str]:
    """Each non-empty list's range formula on :data:`.form.LISTS` (``=Listor!$A$2:$A$7``)."""
    ranges = {}
    for index, key in enumerate(_LIST_COLUMNS):
        letter = chr(ord("A") + index)
        if lists[key]:
            ranges[key] = f"={form.LISTS}!${letter}$2:${letter}${len(lists[key]) + 1}"
    return ranges


def _write_lists(book: Any, lists: dict[str, list[str | int]], protect: dict[str, bool]) -> None:
    """The hidden sheet of the dropdowns' choices, one list per column under its key."""
    sheet = book.add_worksheet(form.LISTS)
    for index, key in enumerate(_LIST_COLUMNS):
        sheet.write_string(0, index, key)
        for row, value in enumerate(lists[key], start=1):
            if isinstance(value, int):
                sheet.write_number(row, index, value)
            else:
                sheet.write_string(row, index, value)
    sheet.hide()
    sheet.protect("", protect)


def _validation(
    col: form.Column | form.Field, source: str | None, rnd: _Round
) -> dict[str, Any] | None:
    """The data validation of an input cell: a dropdown, a date or a year, with its messages;
    for a text answer only its input message (``None`` when it has none)."""
    title = col.heading if isinstance(col, form.Column) else col.label
    rule: dict[str, Any]
    if col.kind == "choice":
        rule = {"validate": "list", "source": source}
        error = "Välj ett av alternativen i listan."
    elif col.kind == "date":
        low, high = form.DATE_RANGE
        rule = {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.datetime(low.year, low.month, low.day),
            "maximum": dt.datetime(high.year, high.month, high.day),
        }
        error = f"Skriv ett datum mellan {low.isoformat()} och {high.isoformat()} (ÅÅÅÅ-MM-DD)."
    elif col.kind == "year":
        low_year, high_year = rnd.choices.years
        rule = {
            "validate": "integer",
            "criteria": "between",
            "minimum": low_year,
            "maximum": high_year,
        }
        error = f"Skriv ett årtal mellan {low_year} och {high_year}."
    elif col.help:  # free text: any value, only the input message
        return {"validate": "any", "input_title": title[:32], "input_message": col.help[:255]}
    else:
        return None
    rule.update({"error_title": "Ogiltigt värde", "error_message": error, "ignore_blank": True})
    if col.help:
        rule.update({"input_title": title[:32], "input_message": col.help[:255]})
    return rule


def _input_format(kind: str, fmt: dict[str, Any]) -> Any:
    return fmt[{"date": "date_in", "year": "year_in", "choice": "choice_in"}.get(kind, "text_in")]


def _write_responder(
    book: Any,
    rnd: _Round,
    item: RegionList,
    fmt: dict[str, Any],
    ranges: dict[str, str],
    protect: dict[str, bool],
) -> None:
    sheet = book.add_worksheet(form.RESPONDER)
    widths = (34, 50, 60)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, "Vem svarar?", fmt["title"])
    prefilled = {
        "region": item.region.name_official_sv,
        "organisation": item.region.name_official_sv,
    }
    for field in form.RESPONDER_FIELDS:
        row = field.row - 1
        sheet.write_string(row, 0, field.label, fmt["locked"])
        value = prefilled.get(field.key, "")
        style = fmt["locked"] if field.kind == "locked" else _input_format(field.kind, fmt)
        if value:
            sheet.write_string(row, 1, value, style)
        else:
            sheet.write_blank(row, 1, None, style)
        source = ranges.get("response_kinds") if field.key == "kind" else None
        rule = _validation(field, source, rnd) if field.kind != "locked" else None
        if rule:
            sheet.data_validation(row, 1, row, 1, rule)
        if field.help:
            sheet.write_string(row, 2, field.help, fmt["help"])
        texts = (field.label, value, field.help)
        _fit_row(sheet, row, list(zip(texts, widths, strict=True)))
    sheet.protect("", protect)


def _write_gaps(
    book: Any,
    rnd: _Round,
    item: RegionList,
    fmt: dict[str, Any],
    ranges: dict[str, str],
    protect: dict[str, bool],
) -> None:
    sheet = book.add_worksheet(form.GAPS)
    functions = {c.code: c.label for c in rnd.choices.functions}
    sources = {"region_status": ranges.get("statuses"), "target_quarter": ranges.get("quarters")}
    for col in form.GAP_COLUMNS:
        options = {"hidden": True} if col is form.GAP_KEY_COLUMN else None
        sheet.set_column(f"{col.letter}:{col.letter}", col.width, None, options)
        sheet.write_string(0, _index(col), col.heading, fmt["header"])
    _fit_row(sheet, 0, [(c.heading, c.width) for c in form.GAP_COLUMNS if c.key != "gap_key"], True)
    sheet.freeze_panes(1, 2)
    last = form.FIRST_ROW + len(item.gaps) - 1
    for number, gap in enumerate(item.gaps, start=1):
        row = form.FIRST_ROW + number - 2
        facts = {
            "label": gap.label_sv,
            "function": functions.get(gap.function, gap.function),
            "sub_area": gap.sub_area or "",
            "gap_key": gap.gap_key,
        }
        for col in form.GAP_COLUMNS:
            if col.key == "number":
                sheet.write_number(row, _index(col), number, fmt["locked"])
            elif col.kind == "locked":
                sheet.write_string(row, _index(col), facts[col.key], fmt["locked"])
            else:
                sheet.write_blank(row, _index(col), None, _input_format(col.kind, fmt))
        shown = [c for c in form.GAP_COLUMNS if c.key in facts and c is not form.GAP_KEY_COLUMN]
        _fit_row(sheet, row, [(facts[c.key], c.width) for c in shown])
    for col in form.GAP_COLUMNS:
        rule = _validation(col, sources.get(col.key), rnd) if col.kind != "locked" else None
        if item.gaps and rule:
            sheet.data_validation(form.FIRST_ROW - 1, _index(col), last - 1, _index(col), rule)
    sheet.protect("", protect)


def _write_other(
    book: Any,
    rnd: _Round,
    item: RegionList,
    fmt: dict[str, Any],
    ranges: dict[str, str],
    protect: dict[str, bool],
) -> None:
    sheet = book.add_worksheet(form.OTHER)
    sources = {
        "kind": ranges.get("statement_kinds"),
        "number": ranges.get("numbers"),
        "function": ranges.get("functions"),
    }
    for col in form.OTHER_COLUMNS:
        sheet.set_column(f"{col.letter}:{col.letter}", col.width)
        sheet.write_string(0, _index(col), col.heading, fmt["header"])
    _fit_row(sheet, 0, [(c.heading, c.width) for c in form.OTHER_COLUMNS], bold=True)
    sheet.freeze_panes(1, 0)
    first, last = form.FIRST_ROW - 1, form.FIRST_ROW + form.OTHER_ROWS - 2
    for row in range(first, last + 1):
        for col in form.OTHER_COLUMNS:
            sheet.write_blank(row, _index(col), None, _input_format(col.kind, fmt))
    for col in form.OTHER_COLUMNS:
        rule = _validation(col, sources.get(col.key), rnd)
        if rule and (col.kind != "choice" or sources.get(col.key)):
            sheet.data_validation(first, _index(col), last, _index(col), rule)
    sheet.protect("", protect)


def _fit_row(sheet: Any, row: int, cells: list[tuple[str, int]], bold: bool = False) -> None:
    """Give ``row`` the height its wrapped text needs (the cells' text and column widths).

    A file written by XlsxWriter holds no row heights unless set, and LibreOffice then shows
    wrapped text on one line, cut off. A column's width counts characters of the
    widest digit; Calibri's letters are narrower: about 1.25 of them per unit as LibreOffice
    lays them out (1.2 is used, and 1.1 in bold, so that no line is cut off).
    """
    per_unit = 1.1 if bold else 1.2

    def count(text: str, width: int) -> int:
        chars = max(1, int(width * per_unit))
        return sum(len(textwrap.wrap(part, chars)) or 1 for part in text.split("\n"))

    lines = max((count(text, width) for text, width in cells), default=1)
    if lines > 1:
        sheet.set_row(row, LINE_HEIGHT * lines + 2)


def _index(col: form.Column) -> int:
    return ord(col.letter) - ord("A")


# --------------------------------------------------------------------------- the e-mail


def render_email(rnd: _Round, item: RegionList, workbook: bytes) -> bytes:
    """The request e-mail with the workbook attached (RFC 5322, CRLF line ends), as bytes.

    It opens as a draft to send (``X-Unsent: 1``); ``To`` is an empty group named for the
    roles it goes to, for the organisers to fill in.
    """
    name = item.region.name_official_sv
    file_name = _workbook_name(item.region)
    from_title = rnd.from_edition.title_sv
    deadline = swedish_date(rnd.deadline)
    listed = "\n".join(f"- {_gap_line(gap)}" for gap in item.gaps) or "- (inga brister listade)"
    body = (
        f"Till {RECIPIENTS_SV}, {name}\n\n"
        "Vi önskar ta del av vilka konkreta beslut, tidsatta åtgärder och prioriteringar ni har "
        "fattat eller avser att genomföra för att åtgärda de brister i tillgång till "
        f"specialiserad palliativ vård som listades för {name} i "
        f"{from_title[0].lower()}{from_title[1:]}.\n\n"
        f"Följande funktioner listades som saknade i {name}:\n\n{listed}\n\n"
        f"Svara i den bifogade filen, {file_name}: en rad per brist, med hur läget är nu, "
        "beslut som fattats (datum, beslutande organ och diarienummer, så att beslutet kan "
        "begäras ut som allmän handling), åtgärden och när den ska vara på plats. Saknas en "
        "brist i listan, eller är den fel beskriven, finns ett blad för det. Filen förklarar "
        "varje steg på bladet Instruktioner.\n\n"
        "Skriv er roll, inte ert namn: svaren publiceras som öppna data, utan personnamn och "
        "e-postadresser.\n\n"
        f"Vi önskar ert svar senast {deadline}. Skicka tillbaka filen som bilaga, med samma "
        "filnamn, genom att svara på detta e-postmeddelande.\n\n"
        f"Vänliga hälsningar\n{rnd.publisher}\n"
    )
    message = EmailMessage(policy=SMTP)
    message["Subject"] = (
        f"Uppföljning {rnd.edition}: brister i den specialiserade palliativa vården i {name} "
        f"– svar senast {deadline}"
    )
    message["To"] = Group(f"{RECIPIENTS_SV}, {name}")
    message["X-Unsent"] = "1"
    message.set_content(body, cte="quoted-printable")
    message.add_attachment(
        workbook, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=file_name
    )
    digest = sha256_digest(body.encode() + workbook).removeprefix("sha256:")[:32]
    message.set_boundary(f"palliativ-data-{digest}")
    return message.as_bytes()


# --------------------------------------------------------------------------- the command


def _readme(rnd: _Round, items: tuple[RegionList, ...]) -> str:
    deadline = rnd.deadline.isoformat()
    rows = "\n".join(
        f"| {item.region.region_code} | {_workbook_name(item.region)} | {len(item.gaps)} |"
        for item in items
    )
    return (
        f"# Uppföljning {rnd.edition} / Round {rnd.edition}\n\n"
        f"Skrivet av `palliativ-data round {rnd.edition} --from {rnd.from_edition.edition}`. "
        f"Sista svarsdag / deadline: {deadline}.\n\n"
        f"1. Öppna varje e-postmeddelande i `{OUTGOING}/` (`.eml`), fyll i mottagarna — "
        f"{RECIPIENTS_SV} i regionen — och skicka. Filen är redan bifogad.\n"
        f"2. Spara varje ifylld fil som kommer tillbaka i `{RETURNED}/`, med det namn den har.\n"
        f"3. Läs in dem: `palliativ-data round import {RETURNED}/ --into kandidat/`. Varje "
        "problem anges med fil, blad och cell, på svenska och engelska, så att det kan skickas "
        "tillbaka till regionen.\n\n"
        f"1. Open each e-mail in `{OUTGOING}/`, add the recipients (the director of health care "
        "and the chair, first and second vice-chair of the health care committee) and send it.\n"
        f"2. Save every workbook that comes back in `{RETURNED}/`.\n"
        f"3. Import them: `palliativ-data round import {RETURNED}/ --into candidate/`.\n\n"
        "| region | workbook | gaps |\n|---|---|---:|\n" + rows + "\n"
    )


def send_round(
    edition: str,
    from_edition: str,
    out: str | os.PathLike[str] | None = None,
    *,
    package: Package | str | os.PathLike[str] | None = None,
    deadline: dt.date | str | None = None,
    force: bool = False,
) -> RoundSent:
    """Write a response workbook and a request e-mail for each of the regions.

    Args:
        edition: The round, ``YYYY-MM``: the follow-up edition the answers will be published
            in (e.g. ``"2027-02"``); must not exist yet.
        from_edition: The edition whose gaps the regions are asked about (e.g. ``"2026-06"``).
        out: Folder to write into: ``outgoing/`` (one ``.xlsx`` and one ``.eml`` per region),
            an empty ``returned/`` and a ``README.md``. Default: ``round-<edition>``.
        package: The package (or its path) holding ``from_edition``. Default: the bundled one.
        deadline: The date answers are asked for (a date or ``YYYY-MM-DD``). Default: the last
            day of the month before the round's month.
        force: Replace files that exist in ``out``.

    Returns:
        A :class:`RoundSent` naming the files written.

    Raises:
        ArgumentError: A bad round, deadline or output folder.
        UnknownNameError: ``from_edition`` does not exist.
        OutputExistsError: A file exists and ``force`` is false; nothing is written.
    """
    # deferred: loading the package imports pyarrow; `--help` imports this module's parent
    from .._load import as_package, load

    pkg = load() if package is None else as_package(package)
    from_record = check_new_edition(pkg, edition, from_edition, command="round")
    day = _deadline(deadline, edition)
    rnd = _Round(
        edition=edition,
        from_edition=from_record,
        deadline=day,
        publisher=_publisher(pkg, from_record),
        choices=Choices.of(pkg),
        package_version=pkg.version,
    )
    items = region_lists(pkg, from_edition)
    target = Path(out) if out is not None else Path.cwd() / f"round-{edition}"
    contents: dict[Path, bytes | str] = {}
    for item in items:
        workbook = render_workbook(rnd, item)
        name = _workbook_name(item.region)
        contents[target / OUTGOING / name] = workbook
        contents[target / OUTGOING / f"{name[: -len('.xlsx')]}.eml"] = render_email(
            rnd, item, workbook
        )
    contents[target / "README.md"] = _readme(rnd, items)
    write_new_files(contents, target, force=force, what="the round", folders=[target / RETURNED])
    return RoundSent(
        edition=edition,
        from_edition=from_edition,
        deadline=day,
        out=target,
        files=tuple(sorted(contents)),
        regions=len(items),
        gaps=sum(len(item.gaps) for item in items),
    )


def _deadline(value: dt.date | str | None, edition: str) -> dt.date:
    if value is None:
        return default_deadline(edition)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ArgumentError(
            f"Deadline {value!r} is not a date YYYY-MM-DD (e.g. 2027-01-31).",
            argument="deadline",
            value=value,
        ) from None


RoundSent.__module__ = "palliativ_data"  # its public name (see palliativ_data.__init__)
