"""The next round (issue 19): workbooks and e-mails out, returned workbooks read back.

The generated workbooks (written with XlsxWriter) are read here with openpyxl, a second,
independent reader; the e-mails with Python's email parser. Every bad-workbook case names its
exact problems as ``(file, sheet, cell, code)``, and checks that nothing was written.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import palliativ_data as pdata
from palliativ_data._cli import main
from palliativ_data._round import form, import_round, send_round
from palliativ_data._round.content import Choices, default_deadline, workbook_name
from palliativ_data._round.problems import CODES
from palliativ_data._round.safety import MAX_CELLS, MAX_FILE_BYTES, MAX_UNCOMPRESSED

ROUND, FROM = "2027-02", "2026-06"
PKG = pdata.load()
CHOICES = Choices.of(PKG)
SKANE = PKG.region("12")
HALLAND = PKG.region("13")


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("round")
    send_round(ROUND, FROM, out, deadline="2027-01-31", force=True)
    return out


def _workbooks(sent: Path) -> list[Path]:
    return sorted((sent / "outgoing").glob("*.xlsx"))


# --------------------------------------------------------------------------- send


def test_one_workbook_and_one_email_per_region(sent: Path) -> None:
    names = {path.name for path in (sent / "outgoing").iterdir()}
    expected = {workbook_name(region) for region in PKG.regions}
    assert len(expected) == 21
    assert names == expected | {name.replace(".xlsx", ".eml") for name in expected}
    assert (sent / "returned").is_dir() and not any((sent / "returned").iterdir())


def test_sending_twice_writes_the_same_bytes(sent: Path, tmp_path: Path) -> None:
    send_round(ROUND, FROM, tmp_path, deadline="2027-01-31")
    for path in (sent / "outgoing").iterdir():
        assert (tmp_path / "outgoing" / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_second_reader_sees_the_workbook_as_designed(sent: Path) -> None:
    """openpyxl reads what XlsxWriter wrote: sheets, locks, dropdowns, text codes."""
    statuses = [choice.label for choice in CHOICES.statuses]
    assert statuses[0] == "Åtgärd vidtagen" and len(statuses) == 6
    for path in _workbooks(sent):
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == list(form.SHEETS)
        states = {sheet.title: sheet.sheet_state for sheet in book.worksheets}
        assert states[form.LISTS] == "hidden" and states[form.META] == "veryHidden"
        for sheet in book.worksheets:  # protected, with no secret password
            assert sheet.protection.sheet is True, (path.name, sheet.title)
            assert not sheet.protection.password and not sheet.protection.hashValue
        meta = book[form.META]
        values = {meta.cell(row, 1).value: meta.cell(row, 2) for row in range(1, 7)}
        region = PKG.region(values["region_code"].value)
        assert workbook_name(region) == path.name
        for key in ("region_code", "round", "from_edition"):  # '01', '2027-02' stay text
            assert values[key].data_type == "s" and isinstance(values[key].value, str)
        assert values["round"].value == ROUND and values["from_edition"].value == FROM
        gaps = book[form.GAPS]
        expected = PKG.gaps(edition=FROM, region=region)
        assert gaps.column_dimensions["M"].hidden
        for number, gap in enumerate(expected, start=1):
            row = number + 1
            assert gaps[f"A{row}"].value == number
            assert gaps[f"B{row}"].value == gap.label_sv  # Swedish letters intact
            assert gaps[f"M{row}"].value == gap.gap_key
            for letter in "ABCDM":
                assert gaps[f"{letter}{row}"].protection.locked, (path.name, letter, row)
            for letter in "EFGHIJKL":
                assert not gaps[f"{letter}{row}"].protection.locked, (path.name, letter, row)
        assert gaps[f"A{len(expected) + 2}"].value is None
        rules = {str(dv.sqref): dv for dv in gaps.data_validations.dataValidation}
        last = len(expected) + 1
        if expected:
            status = rules[f"E2:E{last}"] if last > 2 else rules["E2"]
            assert status.type == "list"
            column = re.fullmatch(r"Listor!\$([A-Z])\$2:\$\1\$(\d+)", status.formula1)
            assert column is not None
            lists = book[form.LISTS]
            offered = [
                lists[f"{column.group(1)}{r}"].value for r in range(2, int(column.group(2)) + 1)
            ]
            assert offered == statuses
            year = rules[f"J2:J{last}"] if last > 2 else rules["J2"]
            assert (year.type, year.formula1, year.formula2) == ("whole", "2025", "2040")
            date = rules[f"F2:F{last}"] if last > 2 else rules["F2"]
            assert date.type == "date"
        responder = book[form.RESPONDER]
        assert (
            responder["B2"].value == region.name_official_sv and responder["B2"].protection.locked
        )
        assert not responder["B4"].protection.locked


def test_the_email_follows_the_2026_request_and_carries_the_workbook(sent: Path) -> None:
    path = sent / "outgoing" / "Region Skåne.eml"
    raw = path.read_bytes()
    assert b"\r\n" in raw and b"@" not in raw  # RFC 5322 line ends; no address anywhere
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert "hälso- och sjukvårdsdirektören" in str(message["To"])
    assert "31 januari 2027" in str(message["Subject"])
    body = message.get_body(("plain",)).get_content()
    assert "konkreta beslut, tidsatta åtgärder och prioriteringar" in body  # Bilaga 1
    for gap in PKG.gaps(edition=FROM, region=SKANE):
        assert gap.label_sv in body
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["Region Skåne.xlsx"]
    assert attachments[0].get_content() == (sent / "outgoing" / "Region Skåne.xlsx").read_bytes()


def test_no_personal_name_or_address_in_what_is_sent(sent: Path) -> None:
    """The sign-off names and addresses of the 2026 mail are not carried into the files."""
    for path in (sent / "outgoing").iterdir():
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        for word in (b"Axelsson", b"Dreilich", b"gmail"):
            assert word not in data, (path.name, word)
        assert not re.search(rb"[\w.+-]+@[\w-]+\.[\w.-]+", data), path.name


def test_send_refuses_a_round_that_exists_or_an_unknown_edition(tmp_path: Path) -> None:
    with pytest.raises(pdata.ArgumentError, match="already exists"):
        send_round("2026-06", "2026-02", tmp_path)
    with pytest.raises(pdata.UnknownNameError, match="Editions: 2026-02, 2026-06"):
        send_round("2027-02", "2025-01", tmp_path)
    assert not any(tmp_path.iterdir())
    assert default_deadline("2027-02") == dt.date(2027, 1, 31)


def test_send_never_overwrites_without_force(sent: Path, tmp_path: Path) -> None:
    send_round(ROUND, FROM, tmp_path)
    with pytest.raises(pdata.OutputExistsError):
        send_round(ROUND, FROM, tmp_path)


# --------------------------------------------------------------------------- filling in

Filler = Callable[[openpyxl.Workbook], None]


def status_label(code: str) -> str:
    """The workbook's Swedish label of a status code (the labels come from `stances`)."""
    return next(choice.label for choice in CHOICES.statuses if choice.code == code)


def fill(book: openpyxl.Workbook, seed: int = 0) -> None:
    """Fill a workbook in as a region would, without mistakes."""
    statuses = [choice.label for choice in CHOICES.statuses]
    with_action = {status_label(c) for c in ("action_taken", "action_decided", "planned")}
    responder = book[form.RESPONDER]
    responder["B4"] = "Hälso- och sjukvårdsdirektör"
    responder["B5"] = CHOICES.response_kinds[0].label
    gaps = book[form.GAPS]
    for row in range(2, gaps.max_row + 1):
        if not gaps[f"M{row}"].value:
            continue
        status = statuses[(row + seed) % len(statuses)]
        gaps[f"E{row}"] = status
        if status in with_action:
            gaps[f"F{row}"] = dt.datetime(2027, 1, 12)
            gaps[f"G{row}"] = "Hälso- och sjukvårdsnämnden"
            gaps[f"H{row}"] = "2026-02"  # a diarienummer that looks like a date stays text
            gaps[f"I{row}"] = "Palliativ mottagning öppnas på länssjukhuset"
            gaps[f"J{row}"] = 2028
            gaps[f"K{row}"] = "3"


def returned_copy(sent: Path, folder: Path, region: Any, change: Filler | None = None,
                  name: str | None = None, seed: int = 0) -> Path:  # fmt: skip
    book = openpyxl.load_workbook(sent / "outgoing" / workbook_name(region))
    fill(book, seed)
    if change is not None:
        change(book)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or workbook_name(region))
    book.save(target)
    return target


def _digest(folder: Path) -> str:
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            parts.append(f"{path}->{os.readlink(path)}")
        elif path.is_file():
            parts.append(f"{path}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    return "\n".join(parts)


def _problems(result: Any) -> list[tuple[str, str, str, str]]:
    return [(p.file, p.sheet, p.cell, p.code) for p in result.problems]


def _import_fails(folder: Path, tmp_path: Path) -> list[tuple[str, str, str, str]]:
    """Import through the library and the CLI: problems, exit 1, nothing written."""
    before = _digest(folder)
    into = tmp_path / "candidate"
    result = import_round(folder, into)
    assert not result.ok and not result.written
    assert main(["round", "import", str(folder), "--into", str(into)]) == 1
    assert not into.exists() and _digest(folder) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".candidate")]
    for problem in result.problems:
        assert problem.code in CODES and problem.message_sv and problem.message_en
    return _problems(result)


def test_a_clean_import_passes_validate(sent: Path, tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    returned_copy(sent, folder, SKANE)
    returned_copy(sent, folder, HALLAND, seed=3)
    result = import_round(folder, tmp_path / "candidate")
    assert result.ok, result.render()
    assert result.responses == 2 and len(result.not_returned) == 19
    report = pdata.validate(tmp_path / "candidate")
    assert report.valid, report.render()
    candidate = pdata.load(tmp_path / "candidate")
    statements = candidate.table("gap_statements").to_pylist()
    listed = [s for s in statements if s["kind"] == "listed"]
    assert len(listed) == len(PKG.gaps(edition=FROM, region=SKANE)) + len(
        PKG.gaps(edition=FROM, region=HALLAND)
    )
    assert {s["curation"] for s in statements} == {"suggested"}
    answers = {(a.response_id, a.gap_key): a for a in candidate.gap_answers(edition=FROM)}
    for statement in listed:  # the suggestion: the region's own status, its label the cue
        answer = answers[(statement["response_id"], statement["gap_key"])]
        assert answer.stance == statement["region_status"]
        assert answer.cue == candidate.stance(answer.stance).label_sv
    refs = {s["decision_ref"] for s in statements if s["decision_ref"]}
    assert refs == {"2026-02"}
    categories = {c.region_code: c.category for c in candidate.classifications(edition=ROUND)}
    assert len(categories) == 21 and categories["01"] == "no_response"
    assert categories["12"] != "no_response"
    # the round's own list: a draft, every gap of FROM carried over as it was listed
    draft = candidate.gaps(edition=ROUND)
    carried = PKG.gaps(edition=FROM)
    assert (
        [g.gap_key for g in draft]
        == [g.gap_key for g in carried]
        == [g.gap_key for g in candidate.gaps(edition=FROM)]
    )
    for gap, old in zip(draft, carried, strict=True):
        assert (gap.label_sv, gap.list_position, gap.part) == (
            old.label_sv,
            old.list_position,
            old.part,
        )
        assert gap.notes.startswith("Draft written by `palliativ-data round import`")
        assert gap.source_ref.startswith("Uppföljningen februari 2027 (utkast) › ")
    assert result.gaps == len(carried)
    said = {(item.region_code, item.kind) for item in result.for_the_list}
    notes = {gap.gap_key: gap.notes for gap in draft}
    for item in result.for_the_list:  # the draft row says what the region's workbook says
        assert f"{item.kind} ({item.source_ref})" in notes[item.gap_key]
    assert said <= {(code, kind) for code in ("12", "13") for kind in ("action_taken", "disputed")}
    assert pdata.load().version == candidate.version  # the bundled package is untouched
    assert not pdata.load().table("gap_statements").num_rows


@pytest.mark.parametrize(
    ("case", "build", "expected"),
    [
        (
            "invalid-choice",
            lambda b: b[form.GAPS].__setitem__("E2", "Kanske"),
            [("Region Skåne.xlsx", "Brister", "E2", "invalid-choice")],
        ),
        (
            "date-and-year-out-of-range",
            lambda b: (
                b[form.GAPS].__setitem__("F2", dt.datetime(1999, 12, 31)),
                b[form.GAPS].__setitem__("J2", 2050),
            ),
            [
                ("Region Skåne.xlsx", "Brister", "F2", "date-out-of-range"),
                ("Region Skåne.xlsx", "Brister", "J2", "year-out-of-range"),
            ],
        ),
        (
            "not-a-date-not-a-year",
            lambda b: (
                b[form.GAPS].__setitem__("F3", "i våras"),
                b[form.GAPS].__setitem__("J3", "snart"),
            ),
            [
                ("Region Skåne.xlsx", "Brister", "F3", "invalid-date"),
                ("Region Skåne.xlsx", "Brister", "J3", "invalid-year"),
            ],
        ),
        (
            "empty-required-answer",
            lambda b: (
                b[form.GAPS].__setitem__("E3", None),
                b[form.RESPONDER].__setitem__("B4", None),
            ),
            [
                ("Region Skåne.xlsx", "Svarande", "B4", "required"),
                ("Region Skåne.xlsx", "Brister", "E3", "required"),
            ],
        ),
        (
            "decided-without-decision",
            lambda b: (
                b[form.GAPS].__setitem__("E2", status_label("action_decided")),
                b[form.GAPS].__setitem__("F2", None),
                b[form.GAPS].__setitem__("G2", None),
            ),
            [
                ("Region Skåne.xlsx", "Brister", "F2", "required"),
                ("Region Skåne.xlsx", "Brister", "G2", "required"),
            ],
        ),
        (
            "changed-locked-cell",
            lambda b: b[form.GAPS].__setitem__("B2", "Vi har vårdplatser"),
            [("Region Skåne.xlsx", "Brister", "B2", "locked-cell-changed")],
        ),
        (
            "deleted-locked-cell",
            lambda b: b[form.GAPS].__setitem__("C3", None),
            [("Region Skåne.xlsx", "Brister", "C3", "locked-cell-changed")],
        ),
        (
            "deleted-gap-row",
            lambda b: b[form.GAPS].delete_rows(3),
            [("Region Skåne.xlsx", "Brister", "A3", "gap-row-missing")],
        ),
        (
            "added-gap-row",
            lambda b: (
                b[form.GAPS].__setitem__("B4", "Hospice saknas"),
                b[form.GAPS].__setitem__("E4", status_label("planned")),
            ),
            [("Region Skåne.xlsx", "Brister", "A4", "gap-row-added")],
        ),
        (
            "personal-name-in-role",
            lambda b: b[form.RESPONDER].__setitem__(
                "B4", "Karin Lindqvist, hälso- och sjukvårdsdirektör"
            ),
            [("Region Skåne.xlsx", "Svarande", "B4", "personal-name")],
        ),
        (
            "email-in-role",
            lambda b: b[form.RESPONDER].__setitem__("B4", "direktor@example.org"),
            [("Region Skåne.xlsx", "Svarande", "B4", "email-address")],
        ),
        (
            "other-gap-without-function",
            lambda b: (
                b[form.OTHER].__setitem__("A2", "Saknas i listan"),
                b[form.OTHER].__setitem__("D2", "Hospice för barn saknas"),
            ),
            [("Region Skåne.xlsx", "Andra brister", "C2", "required")],
        ),
        (
            "sheet-deleted",
            lambda b: b.remove(b[form.OTHER]),
            [("Region Skåne.xlsx", "Andra brister", "", "sheet-missing")],
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_bad_answer_is_reported_by_cell(
    sent: Path, tmp_path: Path, case: str, build: Filler, expected: list[Any]
) -> None:
    folder = tmp_path / "returned"
    returned_copy(sent, folder, SKANE, build)
    assert _import_fails(folder, tmp_path) == expected


def test_a_known_role_is_not_a_personal_name(sent: Path, tmp_path: Path) -> None:
    def role(book: openpyxl.Workbook) -> None:
        book[form.RESPONDER]["B4"] = "Ordförande Hälso- och sjukvårdsnämnden, Region Skåne"

    folder = tmp_path / "returned"
    returned_copy(sent, folder, SKANE, role)
    assert import_round(folder, tmp_path / "candidate").ok


def test_workbooks_for_the_wrong_region_or_round(sent: Path, tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    returned_copy(sent, folder, SKANE, name="Region Halland.xlsx")  # saved under another name
    returned_copy(sent, folder, SKANE, name="Svar från Skåne.xlsx")
    other = tmp_path / "other"
    send_round("2027-06", FROM, other)
    book = openpyxl.load_workbook(other / "outgoing" / "Region Uppsala.xlsx")
    fill(book)
    book.save(folder / "Region Uppsala.xlsx")
    assert _import_fails(folder, tmp_path) == [
        ("Region Halland.xlsx", "", "", "duplicate-region"),
        ("Region Halland.xlsx", "", "", "wrong-region"),
        ("Region Uppsala.xlsx", "", "", "wrong-round"),
        ("Svar från Skåne.xlsx", "", "", "duplicate-region"),
    ]


def test_a_workbook_that_is_not_ours(tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    book = openpyxl.Workbook()
    book.active["A1"] = "Vårt svar"
    book.save(folder / "Region Skåne.xlsx")
    assert _import_fails(folder, tmp_path) == [("Region Skåne.xlsx", "", "", "not-our-workbook")]


# --------------------------------------------------------------------------- hostile files


def _rezip(source: Path, target: Path, extra: dict[str, bytes], replace: dict[str, bytes]) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, replace.get(item.filename, old.read(item.filename)))
        for name, data in extra.items():
            new.writestr(name, data)


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    b'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)


def _hostile(case: str, good: Path, target: Path, outside: Path) -> None:
    if case == "not-a-zip":
        target.write_text("Hej! Här är vårt svar i klartext.", encoding="utf-8")
    elif case == "zip-bomb":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", b"<Types/>")
            archive.writestr("xl/workbook.xml", b"<workbook/>")
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNCOMPRESSED + 1))
    elif case == "billion-laughs":
        _rezip(good, target, {}, {"xl/worksheets/sheet1.xml": LAUGHS})
    elif case == "external-link":
        _rezip(good, target, {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}, {})
    elif case == "external-relationship":
        rels = (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/oleObject" '
            b'Target="file:///etc/passwd" TargetMode="External"/></Relationships>'
        )
        _rezip(good, target, {"xl/worksheets/_rels/sheet3.xml.rels": rels}, {})
    elif case == "macro":
        _rezip(good, target, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 VBA"}, {})
    elif case == "path-outside":
        _rezip(good, target, {"../../evil.xml": b"<x/>"}, {})
    elif case == "too-many-cells":
        cells = b"".join(b'<c r="A%d"><v>1</v></c>' % i for i in range(MAX_CELLS + 1))
        _rezip(
            good, target, {}, {"xl/worksheets/sheet3.xml": b"<worksheet>" + cells + b"</worksheet>"}
        )
    elif case == "too-large":
        with target.open("wb") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)
    elif case == "symlink":
        shutil.copy(good, outside)
        target.symlink_to(outside)
    else:  # pragma: no cover
        raise AssertionError(case)


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("not-a-zip", "not-a-workbook"),
        ("zip-bomb", "too-large-uncompressed"),
        ("billion-laughs", "xml-entities"),
        ("external-link", "external-link"),
        ("external-relationship", "external-link"),
        ("macro", "macro"),
        ("path-outside", "unsafe-zip-path"),
        ("too-many-cells", "too-many-cells"),
        ("too-large", "file-too-large"),
        ("symlink", "symlink"),
    ],
)
def test_a_hostile_workbook_is_refused_and_changes_nothing(
    sent: Path, tmp_path: Path, case: str, code: str
) -> None:
    good = returned_copy(sent, tmp_path / "good", SKANE)
    folder = tmp_path / "returned"
    folder.mkdir()
    _hostile(case, good, folder / "Region Skåne.xlsx", tmp_path / "elsewhere.xlsx")
    assert _import_fails(folder, tmp_path) == [("Region Skåne.xlsx", "", "", code)]


def test_defusedxml_refuses_entities_behind_the_scan(
    sent: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The archive scan refuses a DTD first; were it bypassed, openpyxl's defusedxml would."""
    from palliativ_data._round import receive

    good = returned_copy(sent, tmp_path / "good", SKANE)
    folder = tmp_path / "returned"
    folder.mkdir()
    _rezip(good, folder / "Region Skåne.xlsx", {}, {"xl/worksheets/sheet1.xml": LAUGHS})
    monkeypatch.setattr(receive, "check_file", lambda path: None)
    assert _import_fails(folder, tmp_path) == [("Region Skåne.xlsx", "", "", "xml-entities")]


def test_a_macro_enabled_file_is_not_read(sent: Path, tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    returned_copy(sent, folder, SKANE, name="Region Skåne.xlsm")
    assert _import_fails(folder, tmp_path) == [("Region Skåne.xlsm", "", "", "macro")]


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


def test_every_problem_code_is_documented() -> None:
    pages = "".join(
        (Path(__file__).parents[1] / "docs" / lang / "round.md").read_text(encoding="utf-8")
        for lang in ("sv", "en")
    )
    for code in CODES:
        assert f"`{code}`" in pages, code
