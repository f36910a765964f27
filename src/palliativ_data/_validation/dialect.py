"""The CSV dialect check: UTF-8, commas, ``\\n``, no byte-order mark (what spreadsheets get wrong)."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path
from typing import TYPE_CHECKING

from .._guards import header_problems
from .resources import Resource
from .text import show

if TYPE_CHECKING:  # pragma: no cover - the validator calls this check
    from .validator import Validator


def _encoding_error(v: Validator, res: Resource) -> None:
    assert res.file is not None
    data = res.file.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        v.add(
            "encoding-error",
            f"{res.path} is not UTF-8 (byte {data[exc.start]:#04x} on line {line}); it was "
            "probably saved as Windows-1252/Latin-1 (e.g. plain 'CSV' from Excel). Save it "
            "as UTF-8 (Excel: 'CSV UTF-8'; LibreOffice: character set 'Unicode (UTF-8)'), "
            "then validate again. Its rows were not checked.",
            resource=res.name,
        )
        res.checkable = False


_CHUNK = 1 << 22


def _scan(file: Path) -> tuple[str, bool] | None:
    """The first line (decoded) and whether a CR occurs, reading the file in chunks.

    None when the file is not UTF-8 (the caller reads it whole for the exact message). No
    more than one chunk is held at a time, so a file of any size takes little memory.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    first: list[bytes] = []
    first_done = False
    carriage = False
    with file.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return None
            carriage = carriage or b"\r" in chunk
            if not first_done:
                end = chunk.find(b"\n")
                first.append(chunk if end < 0 else chunk[:end])
                first_done = end >= 0
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return b"".join(first).decode("utf-8"), carriage


def check_dialect(v: Validator, res: Resource) -> None:
    assert res.file is not None
    scanned = _scan(res.file)
    if scanned is None:
        _encoding_error(v, res)
        return
    header_line, carriage = scanned
    issues = []
    skip_rows = False
    if header_line.startswith("\ufeff"):
        issues.append("it starts with a byte-order mark (BOM)")
        header_line = header_line[1:]
    if carriage:
        issues.append("it has CRLF (Windows) line endings instead of \\n")
    header_line = header_line.rstrip("\r")
    names = [str(f.get("name")) for f in res.fields]
    for column, label, name in header_problems(next(csv.reader([header_line]), []), names):
        v.add(
            "incorrect-label",
            f"header label {show(label)} in column {column} should be '{name}' (no spaces "
            "around it; frictionless would strip them, load() and build do not). Delete the "
            "spaces.",
            resource=res.name,
            row=1,
            field=name,
        )
    expected = len(res.fields)
    by_comma = len(next(csv.reader([header_line]), []))
    if expected > 1 and by_comma < expected:
        for delimiter, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|'")):
            by_other = len(next(csv.reader([header_line], delimiter=delimiter), []))
            if by_other > by_comma:
                issues.insert(0, f"it is separated by {label}, not commas")
                skip_rows = True
                break
    if not issues:
        return
    message = (
        f"{res.path} is not in this package's CSV dialect: {'; '.join(issues)}. That is "
        "how spreadsheet programs often save CSV (a Swedish-locale Excel writes ';'). "
        "Save or convert it as UTF-8 without BOM, comma-separated, with \\n line endings "
        "(LibreOffice: Save As › Text CSV, field delimiter ',', character set UTF-8), "
        "then validate again."
    )
    if skip_rows:
        message += " Its rows were not checked."
    v.add("csv-dialect", message, resource=res.name)
    if skip_rows:
        res.checkable = False
