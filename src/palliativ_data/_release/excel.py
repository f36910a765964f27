"""Writing the spreadsheet copies: each table as CSV for Excel and LibreOffice (:func:`excel_csv`).

The release descriptor lists each copy with :data:`EXCEL_ENCODING` and :data:`EXCEL_DIALECT`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, TextIO

EXCEL_DELIMITER, EXCEL_LINE_END = ";", "\r\n"
EXCEL_DIALECT: dict[str, Any] = {
    "delimiter": EXCEL_DELIMITER,
    "lineTerminator": EXCEL_LINE_END,
    "quoteChar": '"',
    "header": True,
}
"""The copy's CSV dialect (Data Package ``dialect``)."""
EXCEL_ENCODING = "utf-8-sig"
"""The copy's encoding (Data Package ``encoding``): UTF-8 with a byte-order mark."""


def excel_csv(data: bytes) -> bytes:
    """The spreadsheet copy of a curated CSV: UTF-8 with BOM, ``;``-separated, CRLF.

    A spreadsheet in a Swedish locale opens such a file by double-click with the columns split
    (the list separator there is ``;``) and the letters å, ä, ö intact (the BOM says UTF-8).

    Formula-safe (the OWASP CSV-injection rule): a cell a spreadsheet would evaluate, one that
    starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, gets a leading ``'``
    (:func:`formula_safe`); plain numbers such as ``-3`` are kept. Only this copy is changed:
    the curated CSV, Parquet and SQLite keep the exact data.

    Examples:
        >>> excel_csv("namn,län\\nSkåne,\\"a; b\\"\\n".encode())
        b'\\xef\\xbb\\xbfnamn;l\\xc3\\xa4n\\r\\nSk\\xc3\\xa5ne;"a; b"\\r\\n'
        >>> excel_csv(b"a,b\\n=HYPERLINK(1),-2\\n")
        b"\\xef\\xbb\\xbfa;b\\r\\n'=HYPERLINK(1);-2\\r\\n"
    """
    out = io.StringIO(newline="")
    _convert(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=""), out)
    return out.getvalue().encode(EXCEL_ENCODING)


def write_excel_csv(data: bytes, target: Path) -> None:
    """Write :func:`excel_csv` of ``data`` to ``target`` row by row: the copy of a large table
    is never a second whole text in memory."""
    with target.open("w", encoding=EXCEL_ENCODING, newline="") as out:
        _convert(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=""), out)


def _convert(source: TextIO, out: TextIO) -> None:
    csv.field_size_limit(2**31 - 1)  # a multi-megabyte cell is data, not an error
    rows = csv.reader(source)
    header = next(rows, [])
    writer = csv.writer(
        out, delimiter=EXCEL_DELIMITER, lineterminator=EXCEL_LINE_END, quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    writer.writerows([formula_safe(cell) for cell in row] for row in rows)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def formula_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text: a leading ``'`` when it would be a formula.

    Examples:
        >>> [formula_safe(c) for c in ["=1+1", "+46 8", "@SUM(A1)", "-1", "\\tx", "Skåne"]]
        ["'=1+1", "'+46 8", "'@SUM(A1)", '-1', "'\\tx", 'Skåne']
    """
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell
