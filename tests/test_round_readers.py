"""Every generated workbook read by readers that are neither its writer nor the import's reader.

The workbooks are written with XlsxWriter and read back by the import with openpyxl; a mistake
the two share (a cell both believe is fine) would go unseen. Two more readers check them:

* **python-calamine** (the Rust calamine reader, a test dependency): every sheet in order, its
  state (hidden, very hidden), every value and its type. Swedish letters are intact, and
  ``01``, ``2026-06`` and ``2027-02`` are text, never numbers or dates.
* **LibreOffice** (headless Calc, its own xlsx import, converting to flat ODF XML): what a
  region meets when it opens the file: the protected sheets and the cells left open, the
  dropdowns bound to their cells and what they offer, the dates and years checked, the free-text
  cells left free. ``/usr/bin/soffice`` comes from Debian's ``libreoffice-calc-nogui``; without
  it these tests skip, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree
from python_calamine import CalamineWorkbook, SheetVisibleEnum

import palliativ_data as pdata
from palliativ_data._round import form, send_round
from palliativ_data._round.content import Choices, workbook_name

ROUND, FROM = "2027-02", "2026-06"
PKG = pdata.load()
CHOICES = Choices.of(PKG)
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


@pytest.fixture(scope="module")
def outgoing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("round")
    send_round(ROUND, FROM, out, deadline="2027-01-31")
    return out / "outgoing"


def _regions() -> list[pdata.Region]:
    return sorted(PKG.regions, key=lambda region: region.region_code)


# --------------------------------------------------------------------------- python-calamine


def test_calamine_reads_every_workbook_as_designed(outgoing: Path) -> None:
    statuses = [choice.label for choice in CHOICES.statuses]
    assert "Åtgärd vidtagen" in statuses and "Bristen ifrågasätts" in statuses
    for region in _regions():
        book = CalamineWorkbook.from_path(str(outgoing / workbook_name(region)))
        assert book.sheet_names == list(form.SHEETS)
        visible = {sheet.name: sheet.visible for sheet in book.sheets_metadata}
        assert visible[form.LISTS] == SheetVisibleEnum.Hidden
        assert visible[form.META] == SheetVisibleEnum.VeryHidden
        assert all(visible[name] == SheetVisibleEnum.Visible for name in form.SHEETS[:4])

        def rows(name: str, book: CalamineWorkbook = book) -> list[list[Any]]:
            return book.get_sheet_by_name(name).to_python(skip_empty_area=False)

        meta = {row[0]: row[1] for row in rows(form.META)}
        assert meta == {  # codes come back as the text written: '01', not 1; '2027-02', no date
            "format": form.FORMAT,
            "round": ROUND,
            "from_edition": FROM,
            "region_code": region.region_code,
            "region": region.name_official_sv,
            "package_version": PKG.version,
        }
        assert all(type(value) is str for value in meta.values())
        gaps = rows(form.GAPS)
        assert gaps[0] == [column.heading for column in form.GAP_COLUMNS]
        expected = PKG.gaps(edition=FROM, region=region)
        assert len(gaps) == len(expected) + 1
        for number, (row, gap) in enumerate(zip(gaps[1:], expected, strict=True), start=1):
            assert row[0] == number
            assert row[1] == gap.label_sv  # Swedish letters intact
            assert row[12] == gap.gap_key and type(row[12]) is str
            assert row[4:12] == [""] * 8  # the answers start empty
        lists = rows(form.LISTS)
        offered = [row[0] for row in lists[1:] if row[0] != ""]
        assert offered == statuses
        assert [row[4] for row in lists[1:5]] == list(form.QUARTERS)  # '1'…'4' as text
        responder = rows(form.RESPONDER)
        assert responder[1][:2] == ["Region", region.name_official_sv]


# --------------------------------------------------------------------------- LibreOffice

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
MAX_ROWS, MAX_COLUMNS = 60, 16
"""How much of each sheet is read (a response workbook is smaller)."""


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


@dataclass(frozen=True)
class Cell:
    text: str
    value_type: str | None
    style: str
    validation: str | None


@dataclass(frozen=True)
class Sheet:
    protected: bool
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Book:
    sheets: dict[str, Sheet]
    unprotected_styles: frozenset[str]
    conditions: dict[str, str | None]
    """Each validation's condition (``None``: any value, an input message only)."""

    def locked(self, sheet: str, cell: str) -> bool:
        return self.sheets[sheet].cells[cell].style not in self.unprotected_styles

    def condition(self, sheet: str, cell: str) -> str | None:
        name = self.sheets[sheet].cells[cell].validation
        assert name is not None, f"{sheet}!{cell} has no validation"
        return self.conditions[name]

    def offered(self, sheet: str, cell: str) -> list[str]:
        """What the dropdown of ``cell`` offers: the cells of its list range, as LibreOffice
        reads them."""
        condition = self.condition(sheet, cell) or ""
        match = re.fullmatch(
            r"of:cell-content-is-in-list\(\[\$(\w+)\.\$([A-Z])\$(\d+):\.\$\2\$(\d+)\]\)", condition
        )
        assert match, condition
        source, letter, first, last = match.groups()
        cells = self.sheets[source].cells
        return [cells[f"{letter}{row}"].text for row in range(int(first), int(last) + 1)]


def _text(element: object) -> str:
    parts = []
    for paragraph in element.findall(_q("text:p")):  # type: ignore[attr-defined]
        pieces = [paragraph.text or ""]
        for child in paragraph.iter():
            if child is paragraph:
                continue
            if child.tag == _q("text:s"):
                pieces.append(" " * int(child.get(_q("text:c"), "1")))
            elif child.text:
                pieces.append(child.text)
            pieces.append(child.tail or "")
        parts.append("".join(pieces))
    return "\n".join(parts)


def _letter(index: int) -> str:
    return chr(ord("A") + index)


def _read_fods(path: Path) -> Book:
    root = ElementTree.parse(path).getroot()
    unprotected = frozenset(
        style.get(_q("style:name"))
        for style in root.iter(_q("style:style"))
        if any(
            props.get(_q("style:cell-protect")) == "none"
            for props in style.iter(_q("style:table-cell-properties"))
        )
    )
    conditions = {
        item.get(_q("table:name")): item.get(_q("table:condition"))
        for item in root.iter(_q("table:content-validation"))
    }
    sheets = {}
    for table in root.iter(_q("table:table")):
        defaults = []
        for column in table.findall(_q("table:table-column")):
            repeat = int(column.get(_q("table:number-columns-repeated"), "1"))
            style = column.get(_q("table:default-cell-style-name"), "Default")
            defaults += [style] * min(repeat, MAX_COLUMNS)
        cells: dict[str, Cell] = {}
        row_number = 0
        for row in table.iter(_q("table:table-row")):
            for _ in range(min(int(row.get(_q("table:number-rows-repeated"), "1")), MAX_ROWS)):
                row_number += 1
                index = 0
                for cell in row:
                    if cell.tag not in (_q("table:table-cell"), _q("table:covered-table-cell")):
                        continue
                    repeat = int(cell.get(_q("table:number-columns-repeated"), "1"))
                    for _ in range(min(repeat, MAX_COLUMNS)):
                        if index < MAX_COLUMNS:
                            default = defaults[index] if index < len(defaults) else "Default"
                            cells[f"{_letter(index)}{row_number}"] = Cell(
                                text=_text(cell),
                                value_type=cell.get(_q("office:value-type")),
                                style=cell.get(_q("table:style-name"), default),
                                validation=cell.get(_q("table:content-validation-name")),
                            )
                        index += 1
            if row_number >= MAX_ROWS:
                break
        sheets[table.get(_q("table:name"))] = Sheet(
            protected=table.get(_q("table:protected")) == "true", cells=cells
        )
    return Book(sheets, unprotected, conditions)


@pytest.fixture(scope="module")
def libreoffice(outgoing: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Book]:
    """Every workbook converted by LibreOffice (one run, its own profile), read back."""
    if not Path(SOFFICE).exists():
        reason = f"{SOFFICE} is missing: apt-get install libreoffice-calc-nogui"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so the LibreOffice checks must run)")
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("libreoffice")
    workbooks = sorted(outgoing.glob("*.xlsx"))
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "fods",
            "--outdir",
            str(work / "fods"),
            *map(str, workbooks),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {path.name: _read_fods(work / "fods" / f"{path.stem}.fods") for path in workbooks}


@pytest.mark.slow
def test_libreoffice_sees_the_locks_and_dropdowns_a_region_meets(
    libreoffice: dict[str, Book],
) -> None:
    statuses = [choice.label for choice in CHOICES.statuses]
    functions = [choice.label for choice in CHOICES.functions]
    year = f"cell-content-is-between({CHOICES.years[0]},{CHOICES.years[1]})"
    assert len(libreoffice) == 21
    for region in _regions():
        book = libreoffice[workbook_name(region)]
        assert list(book.sheets) == list(form.SHEETS)
        assert all(sheet.protected for sheet in book.sheets.values()), region.name_source
        # who answers: the region locked; organisation and role free text (no rule that
        # refuses words), who answers a dropdown, the date a date
        responder = form.RESPONDER
        assert book.sheets[responder].cells["B2"].text == region.name_official_sv
        assert book.locked(responder, "B2")
        for cell in ("B3", "B4", "B5", "B6"):
            assert not book.locked(responder, cell), (region.name_source, cell)
        assert book.condition(responder, "B3") is None
        assert book.condition(responder, "B4") is None
        assert book.offered(responder, "B5") == [c.label for c in CHOICES.response_kinds]
        assert "cell-content-is-date()" in (book.condition(responder, "B6") or "")
        # the gaps: pre-filled and locked, the answers open with their rules
        gaps = PKG.gaps(edition=FROM, region=region)
        sheet = book.sheets[form.GAPS]
        for row, gap in enumerate(gaps, start=form.FIRST_ROW):
            assert sheet.cells[f"B{row}"].text == gap.label_sv
            assert sheet.cells[f"M{row}"].text == gap.gap_key
            assert sheet.cells[f"M{row}"].value_type == "string"
            for column in form.GAP_COLUMNS:
                cell = f"{column.letter}{row}"
                assert book.locked(form.GAPS, cell) == (column.kind == "locked"), cell
            assert book.offered(form.GAPS, f"E{row}") == statuses
            assert book.offered(form.GAPS, f"K{row}") == list(form.QUARTERS)
            assert "cell-content-is-date()" in (book.condition(form.GAPS, f"F{row}") or "")
            assert year in (book.condition(form.GAPS, f"J{row}") or "")
            for letter in "GHIL":  # free text: an input message, no rule
                assert book.condition(form.GAPS, f"{letter}{row}") is None
        # the sheet of other gaps: open rows with their dropdowns
        other = form.OTHER
        for row in (form.FIRST_ROW, form.FIRST_ROW + form.OTHER_ROWS - 1):
            assert not book.locked(other, f"A{row}")
            assert book.offered(other, f"A{row}") == ["Saknas i listan", "Fel i listan"]
            assert book.offered(other, f"C{row}") == functions
            if gaps:
                numbers = book.offered(other, f"B{row}")
                assert numbers == [str(n) for n in range(1, len(gaps) + 1)]
        # the file info: codes as text
        meta = {
            book.sheets[form.META].cells[f"A{row}"].text: book.sheets[form.META].cells[f"B{row}"]
            for row in range(1, len(form.META_KEYS) + 1)
        }
        for key, value in (
            ("region_code", region.region_code),
            ("round", ROUND),
            ("from_edition", FROM),
        ):
            assert (meta[key].text, meta[key].value_type) == (value, "string")
