"""The response workbook's layout, which the writer (:mod:`.send`) and the reader (:mod:`.receive`)
both follow: sheet names, columns, headings, the cells of the responder sheet and what each
answer allows. Nothing here is data: the choices offered (stances, functions, kinds) and their
Swedish labels come from the package and ``schema/`` when a workbook is written or read.

A region sees five sheets (the sixth, :data:`META`, is very hidden):

* :data:`INSTRUCTIONS` — what is asked, how to answer, the meaning of each status;
* :data:`RESPONDER` — who answers: a role and an organisation, never a name;
* :data:`GAPS` — one row per gap of the region's list, the gap locked, the answers open;
* :data:`OTHER` — gaps the region says are missing from the list, or wrongly described;
* :data:`LISTS` (hidden) — the dropdowns' choices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

FORMAT = "palliativ-data response workbook 1"
"""What the hidden sheet says the file is; a change of layout changes the number."""

INSTRUCTIONS = "Instruktioner"
RESPONDER = "Svarande"
GAPS = "Brister"
OTHER = "Andra brister"
LISTS = "Listor"
META = "Filinfo"
SHEETS = (INSTRUCTIONS, RESPONDER, GAPS, OTHER, LISTS, META)
"""Every sheet, in workbook order."""

Kind = Literal["locked", "text", "choice", "date", "year", "number"]


@dataclass(frozen=True)
class Column:
    """One column of a table sheet (:data:`GAPS` or :data:`OTHER`).

    Attributes:
        key: What the column holds (the field of ``gap_statements`` it fills, or a gap fact).
        letter: The spreadsheet column.
        heading: The heading, a plain question in Swedish.
        kind: ``locked`` (pre-filled, protected) or how the answer is checked.
        width: Column width in characters.
        help: The input message Excel shows on the cell (Swedish; at most 255 characters).
    """

    key: str
    letter: str
    heading: str
    kind: Kind
    width: int
    help: str = ""


GAP_COLUMNS = (
    Column("number", "A", "Nr", "locked", 5),
    Column("label", "B", "Brist (som den listades)", "locked", 48),
    Column("function", "C", "Funktion", "locked", 26),
    Column("sub_area", "D", "Delområde", "locked", 14),
    Column(
        "region_status",
        "E",
        "Hur är läget för bristen nu? (välj)",
        "choice",
        30,
        "Välj det alternativ som stämmer bäst. Instruktionerna förklarar vad varje alternativ betyder.",
    ),
    Column(
        "decision_date",
        "F",
        "Datum för beslutet (ÅÅÅÅ-MM-DD)",
        "date",
        16,
        "Om ett beslut är fattat: beslutets datum, t.ex. 2027-03-14.",
    ),
    Column(
        "decision_body",
        "G",
        "Vilket organ fattade beslutet?",
        "text",
        26,
        "T.ex. hälso- och sjukvårdsnämnden eller regionstyrelsen.",
    ),
    Column(
        "decision_ref",
        "H",
        "Diarienummer eller paragraf",
        "text",
        18,
        "Beslutets diarienummer eller paragraf i protokollet, så att handlingen kan begäras ut.",
    ),
    Column(
        "action_text",
        "I",
        "Vilken åtgärd är vidtagen, beslutad eller planerad?",
        "text",
        40,
        "Beskriv åtgärden kort och konkret: vad, var och för vilka patienter.",
    ),
    Column(
        "target_year",
        "J",
        "Vilket år ska åtgärden vara på plats?",
        "year",
        14,
        "Årtal, t.ex. 2028.",
    ),
    Column(
        "target_quarter",
        "K",
        "Vilket kvartal? (frivilligt)",
        "choice",
        12,
        "Kvartal 1–4 av året ovan, om ni vet.",
    ),
    Column(
        "statement_text",
        "L",
        "Något mer ni vill säga om bristen?",
        "text",
        40,
        "Fritext. Skriv inga personnamn eller e-postadresser.",
    ),
    Column("gap_key", "M", "gap_key", "locked", 12),
)
"""The columns of :data:`GAPS`; row 1 holds the headings, the gaps start on row 2."""

OTHER_COLUMNS = (
    Column(
        "kind",
        "A",
        "Vad gäller det? (välj)",
        "choice",
        20,
        "Saknas i listan: en brist som inte finns med. Fel i listan: en listad brist är fel beskriven.",
    ),
    Column(
        "number",
        "B",
        "Vilken brist (Nr) är fel beskriven?",
        "choice",
        16,
        "Bara för 'Fel i listan': bristens nummer på bladet Brister.",
    ),
    Column(
        "function",
        "C",
        "Vilken funktion saknas? (välj)",
        "choice",
        30,
        "Bara för 'Saknas i listan': den funktion bristen gäller.",
    ),
    Column(
        "statement_text",
        "D",
        "Beskriv bristen eller vad som är fel",
        "text",
        60,
        "Fritext. Skriv inga personnamn eller e-postadresser.",
    ),
)
"""The columns of :data:`OTHER`."""

OTHER_ROWS = 20
"""How many empty rows :data:`OTHER` offers (rows 2 to 21)."""
FIRST_ROW = 2
"""The first data row of a table sheet (row 1 holds the headings)."""

GAP_KEY_COLUMN = next(c for c in GAP_COLUMNS if c.key == "gap_key")


@dataclass(frozen=True)
class Field:
    """One answer of :data:`RESPONDER`: the label in column A, the answer in column B."""

    key: str
    row: int
    label: str
    kind: Kind
    help: str = ""

    @property
    def cell(self) -> str:
        return f"B{self.row}"


RESPONDER_FIELDS = (
    Field("region", 2, "Region", "locked"),
    Field(
        "organisation",
        3,
        "Organisation som svarar",
        "text",
        "Regionen, nämnden eller partiet som svaret kommer från.",
    ),
    Field(
        "role",
        4,
        "Er roll (inte ert namn)",
        "text",
        "T.ex. Hälso- och sjukvårdsdirektör. Skriv rollen, inte namnet: uppgifterna publiceras som öppna data utan personnamn.",
    ),
    Field("kind", 5, "Svaret kommer från (välj)", "choice"),
    Field("date", 6, "Datum för svaret (ÅÅÅÅ-MM-DD)", "date", "Frivilligt."),
)
"""The answers of :data:`RESPONDER`."""

META_KEYS = ("format", "round", "from_edition", "region_code", "region", "package_version")
"""The rows of :data:`META` (key in column A, value in column B, from row 1)."""

DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2040, 12, 31))
"""Dates a workbook accepts (a decision or an answer)."""
QUARTERS = ("1", "2", "3", "4")
MAX_TEXT = 4000
"""The longest answer accepted in one cell (characters)."""


def column(columns: tuple[Column, ...], key: str) -> Column:
    """The column of ``key``."""
    return next(c for c in columns if c.key == key)


def cell(col: Column, row: int) -> str:
    """A cell reference, e.g. ``E7``."""
    return f"{col.letter}{row}"
