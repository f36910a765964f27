"""The CSV front door: one pass over each file, with limits, before anything else reads it.

UTF-8, commas, ``\\n``, no byte-order mark (what spreadsheets get wrong), no line longer than
:data:`MAX_LINE_BYTES` and a header no wider than the schema. A file that fails is reported
with its file and row and is not read further, so the readers behind the door (the fast
path's pyarrow, frictionless, :func:`~palliativ_data._validation.resources.read_table`) only
ever see files within these limits.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .._guards import header_problems
from .resources import Resource
from .text import join, show

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

MAX_LINE_BYTES = 32 << 20
"""The longest line (between two ``\\n``) a CSV file may have: 32 MB, room for a cell of
10 MB many times over. A longer one is ``line-too-long`` and the file is not read further,
so a 200 MB line without a line break costs one chunk of memory, not 200 MB."""
MAX_HEADER_BYTES = 1 << 20
"""The longest header row (this package's longest is under 1 kB)."""


@dataclass
class Scan:
    """What one pass over a CSV file's bytes found (never more than one chunk in memory)."""

    header: str | None = None
    """The first line, decoded (up to the first line break of any kind); None when it is
    longer than :data:`MAX_HEADER_BYTES`."""
    crlf: bool = False
    bare_cr: bool = False
    """A carriage return not followed by ``\\n`` (old Mac line endings, or a stray CR)."""
    long_line: int | None = None
    """The number of the first line longer than :data:`MAX_LINE_BYTES`."""
    utf8: bool = True


def _scan(file: Path) -> Scan:
    """One pass over the file in chunks: UTF-8, line endings, line lengths, the header."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    found = Scan()
    first: list[bytes] = []
    first_size = 0
    first_done = False
    crs = crlfs = 0
    previous_cr = False
    line, length = 1, 0  # the current line's number and length so far
    with file.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                found.utf8 = False
                return found
            crs += chunk.count(b"\r")
            crlfs += chunk.count(b"\r\n") + (1 if previous_cr and chunk[:1] == b"\n" else 0)
            previous_cr = chunk[-1:] == b"\r"
            if not first_done:
                end = chunk.find(b"\n")
                piece = chunk if end < 0 else chunk[:end]
                first_size += len(piece)
                if first_size <= MAX_HEADER_BYTES:
                    first.append(piece)
                first_done = end >= 0
            parts = chunk.split(b"\n")
            lengths = [length + len(parts[0]), *map(len, parts[1:])]
            if max(lengths[:-1], default=0) > MAX_LINE_BYTES or lengths[-1] > MAX_LINE_BYTES:
                over = next(i for i, n in enumerate(lengths) if n > MAX_LINE_BYTES)
                found.long_line = line + over
                break
            line += len(parts) - 1
            length = lengths[-1]
    if found.long_line is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            found.utf8 = False
            return found
    found.crlf = crlfs > 0
    found.bare_cr = crs > crlfs
    if first_size <= MAX_HEADER_BYTES:
        found.header = re.split("[\r\n]", b"".join(first).decode("utf-8", "replace"), maxsplit=1)[0]
    return found


def header_labels(line: str) -> list[str] | None:
    """The labels of a header line read as CSV, or None when it is not valid CSV."""
    csv.field_size_limit(MAX_LINE_BYTES)  # the csv module's own limit is 128 kB
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return None


def check_dialect(v: Validator, res: Resource) -> None:
    """The front door: every CSV passes here before anything else reads it.

    Reports a file that is not UTF-8, has a line longer than :data:`MAX_LINE_BYTES`, a header
    that is not CSV or wider than the schema, or another dialect (BOM, CR or CRLF line
    endings, semicolons or tabs); a file whose rows the readers would not read as the package's
    CSV is not read further (``res.checkable`` false), so frictionless, the fast path and the
    rules never meet it.
    """
    assert res.file is not None
    scanned = _scan(res.file)
    if not scanned.utf8:
        _encoding_error(v, res)
        return
    if scanned.long_line is not None:
        v.add(
            "line-too-long",
            f"line {scanned.long_line:,} of {res.path} is longer than "
            f"{MAX_LINE_BYTES // (1 << 20)} MB (or the file ends without a line break after "
            "that much text); a row of this package is far shorter. Check that the file is a "
            "CSV file with \\n line breaks. The file was not read further.",
            resource=res.name,
            row=scanned.long_line,
        )
        res.checkable = False
        return
    names = [str(f.get("name")) for f in res.fields]
    if scanned.header is None:
        v.add(
            "line-too-long",
            f"the header row of {res.path} is longer than {MAX_HEADER_BYTES // (1 << 20)} MB; "
            f"it should name the {len(names)} fields. The file was not read further.",
            resource=res.name,
            row=1,
        )
        res.checkable = False
        return
    header_line = scanned.header
    issues = []
    skip_rows = False
    if header_line.startswith("\ufeff"):
        issues.append("it starts with a byte-order mark (BOM)")
        header_line = header_line[1:]
    if scanned.bare_cr:
        issues.append(
            "it has carriage returns (CR) not followed by \\n: old Mac line endings or stray "
            "CR characters"
        )
        skip_rows = True
    elif scanned.crlf:
        issues.append("it has CRLF (Windows) line endings instead of \\n")
    labels = header_labels(header_line)
    if labels is None:
        issues.append("its header row is not valid CSV (a stray quote?)")
        skip_rows = True
        labels = []
    if len(labels) > len(names) and not skip_rows and _by_other(header_line, len(names)) is None:
        extra = labels[len(names) :]
        v.add(
            "extra-label",
            f"the header has {len(labels):,} labels but '{res.name}' has {len(names)} fields; "
            f"extra: {join(extra, limit=10, quote=True)}. The header must name the fields in "
            f"schema order: {join(names)}. Delete the extra columns; the rows were not read.",
            resource=res.name,
            row=1,
        )
        res.checkable = False
        return
    for column, label, name in header_problems(labels, names):
        v.add(
            "incorrect-label",
            f"header label {show(label)} in column {column} should be '{name}' (no spaces "
            "around it; frictionless would strip them, load() and build do not). Delete the "
            "spaces.",
            resource=res.name,
            row=1,
            field=name,
        )
    other = _by_other(header_line, len(names))
    if other is not None:
        issues.insert(0, f"it is separated by {other}, not commas")
        skip_rows = True
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


def _by_other(header_line: str, expected: int) -> str | None:
    """The separator the header uses instead of commas (``semicolons``…), or None."""
    by_comma = len(header_labels(header_line) or [])
    if expected <= 1 or by_comma >= expected:
        return None
    for delimiter, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|'")):
        csv.field_size_limit(MAX_LINE_BYTES)
        try:
            by_other = len(next(csv.reader([header_line], delimiter=delimiter), []))
        except csv.Error:
            continue
        if by_other > by_comma:
            return label
    return None
