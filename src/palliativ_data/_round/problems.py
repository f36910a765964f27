"""A problem found in a returned workbook: where (file › sheet › cell), a code, and what to do,
in Swedish (to send back to the region as it is) and in English (for the organisers).

:data:`CODES` lists every code with what it means; the documentation lists them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CODES: dict[str, str] = {
    # the file as a whole (checked before it is parsed)
    "symlink": "the file is a symbolic link; it is not followed",
    "not-a-file": "not a regular file (a folder, a device, a pipe)",
    "file-too-large": "the file is larger than a response workbook can be",
    "not-a-workbook": "not an .xlsx workbook (not a zip of a workbook's XML, or encrypted)",
    "too-many-files": "the workbook's zip holds more parts than a response workbook has",
    "too-large-uncompressed": "the workbook's parts unpack to more than allowed (a zip bomb)",
    "unsafe-zip-path": "a part of the zip has an absolute or '..' path, or is a symbolic link",
    "macro": "the workbook holds macros (VBA); macro-enabled files are not read",
    "external-link": "the workbook links to other files or workbooks; links are not followed",
    "xml-entities": "an XML part declares a DTD or entities (e.g. 'billion laughs'); refused",
    "too-many-cells": "a sheet holds more cells than a response workbook can have",
    "unreadable": "the workbook cannot be read as a spreadsheet",
    # whose workbook it is
    "not-our-workbook": "not a response workbook of `palliativ-data round` (file info missing)",
    "wrong-round": "the workbook belongs to another round than the others",
    "unknown-region": "the workbook's region is not in the package",
    "wrong-region": "the file name names another region than the workbook is for",
    "duplicate-region": "two workbooks for the same region",
    "sheet-missing": "a sheet of the workbook was deleted or renamed",
    # the pre-filled, locked cells
    "locked-cell-changed": "a locked, pre-filled cell was changed or emptied",
    "gap-row-missing": "a gap's row was deleted",
    "gap-row-added": "a row that is not one of the listed gaps was added to the gap sheet",
    # the answers
    "required": "an answer that is required is empty",
    "invalid-choice": "an answer is not one of the dropdown's choices",
    "invalid-date": "a date is not a date",
    "date-out-of-range": "a date is outside the years allowed",
    "invalid-year": "a year is not a whole number",
    "year-out-of-range": "a year is outside the years allowed",
    "text-too-long": "an answer is longer than allowed",
    "control-character": "an answer holds a control character",
    "personal-name": "a role or organisation seems to hold a person's name",
    "email-address": "an answer holds an e-mail address",
}
"""Every problem code of the import, with what it means."""


@dataclass(frozen=True)
class RoundProblem:
    """One problem of a returned workbook.

    Attributes:
        file: The workbook's file name.
        sheet: The sheet (empty for a problem of the file as a whole).
        cell: The cell, e.g. ``E7`` (empty for a problem of a sheet or the file).
        code: The problem code (see :data:`CODES`).
        message_sv: What is wrong and what to do, in Swedish (for the region).
        message_en: The same in English.
    """

    file: str
    sheet: str
    cell: str
    code: str
    message_sv: str
    message_en: str

    @property
    def where(self) -> str:
        """``Region Jämtland Härjedalen.xlsx › Brister › D7``."""
        return " › ".join(part for part in (self.file, self.sheet, self.cell) if part)

    def render(self) -> str:
        """Two lines: where, code and the Swedish message; then the English one."""
        return f"{self.where}: [{self.code}] {self.message_sv}\n    (en) {self.message_en}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "code": self.code,
            "message_sv": self.message_sv,
            "message_en": self.message_en,
        }


RoundProblem.__module__ = "palliativ_data"  # its public name (see palliativ_data.__init__)
