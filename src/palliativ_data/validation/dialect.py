"""The CSV dialect check: UTF-8, commas, ``\\n``, no byte-order mark (what spreadsheets get wrong)."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from .._guards import header_problems
from .resources import Resource
from .text import show

if TYPE_CHECKING:  # pragma: no cover - the validator calls this check
    from .validator import Validator


def check_dialect(v: Validator, res: Resource) -> None:
    assert res.file is not None
    data = res.file.read_bytes()
    try:
        text = data.decode("utf-8")
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
        return
    issues = []
    skip_rows = False
    if text.startswith("\ufeff"):
        issues.append("it starts with a byte-order mark (BOM)")
        text = text[1:]
    if "\r" in text:
        issues.append("it has CRLF (Windows) line endings instead of \\n")
    header_line = text.split("\n", 1)[0].rstrip("\r")
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
