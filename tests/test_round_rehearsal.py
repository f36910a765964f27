"""The rehearsal of a whole round (issue 19, part 5), on the SYNTHETIC 2027 package.

The synthetic package (``tests/fixtures/synthetic_2027/``) holds the real 2026 editions and a
made-up 2027-02 inventory and 2027-06 follow-up. The rehearsal sends round 2028-02 about the
gaps of 2027-06, fills the 21 workbooks in as 21 regions would (one does not answer, three make
typical mistakes, two write about gaps missing from or wrong in their list), imports and sees
every mistake by cell, fixes them, imports again, validates, restates the list of 2028-02 as
the organisers would, and compares across five editions. The site's half (three-edition pages,
the browser) comes later.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import sys
from pathlib import Path

import openpyxl
import pytest

import palliativ_data as pdata
from palliativ_data._round import form
from palliativ_data._round.content import Choices, workbook_name

FIXTURES = Path(__file__).parent / "fixtures"
ROUND, FROM = "2028-02", "2027-06"


def _builder():
    spec = importlib.util.spec_from_file_location(
        "synthetic_2027_build_round", FIXTURES / "synthetic_2027" / "build.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


BUILDER = _builder()


def _fill(book: openpyxl.Workbook, choices: Choices, index: int) -> None:
    """Fill a workbook in as a region would; the status cycles through the choices."""
    statuses = [choice.label for choice in choices.statuses]
    book[form.RESPONDER]["B4"] = "Hälso- och sjukvårdsdirektör"
    book[form.RESPONDER]["B5"] = choices.response_kinds[0].label
    gaps = book[form.GAPS]
    for row in range(2, gaps.max_row + 1):
        if not gaps[f"M{row}"].value:
            continue
        status = statuses[(row + index) % len(statuses)]
        gaps[f"E{row}"] = status
        if status != statuses[-1]:  # not disputed: an action, a decision, a target
            gaps[f"F{row}"] = dt.datetime(2027, 11, 3)
            gaps[f"G{row}"] = "Regionstyrelsen"
            gaps[f"H{row}"] = f"RS 2027-{index:02d}"
            gaps[f"I{row}"] = "Utökad bemanning i det palliativa teamet"
            gaps[f"J{row}"] = 2029


@pytest.mark.slow
def test_a_whole_round_rehearsed(tmp_path: Path) -> None:
    package = tmp_path / "synthetic"
    BUILDER.build(package)
    pkg = pdata.load(package)
    choices = Choices.of(pkg)
    sent = pdata.send_round(ROUND, FROM, tmp_path / "round", package=package)
    assert sent.regions == 21 and sent.gaps == len(pkg.gaps(edition=FROM))

    regions = sorted(pkg.regions, key=lambda r: r.region_code)
    silent, *answering = regions  # the first region does not answer
    returned = tmp_path / "round" / "returned"
    mistakes = {
        answering[0].region_code: ("Svarande", "B4", "personal-name"),
        answering[1].region_code: ("Brister", "E2", "invalid-choice"),
        answering[2].region_code: ("Brister", "B2", "locked-cell-changed"),
    }

    def write(region: pdata.Region, index: int, *, with_mistakes: bool) -> None:
        book = openpyxl.load_workbook(tmp_path / "round" / "outgoing" / workbook_name(region))
        _fill(book, choices, index)
        if index == 3:  # a gap missing from the list
            other = book[form.OTHER]
            other["A2"], other["C2"] = "Saknas i listan", choices.functions[0].label
            other["D2"] = "Jourlinjen når inte kommunernas sjuksköterskor nattetid"
        if index == 4:  # a listed gap wrongly described
            other = book[form.OTHER]
            other["A2"], other["B2"] = "Fel i listan", 1
            other["D2"] = "Avdelningen flyttade till länssjukhuset 2027"
        mistake = mistakes.get(region.region_code)
        if with_mistakes and mistake:
            sheet, cell, _ = mistake
            book[sheet][cell] = {
                "B4": "Verksamhetschef Anna Berglund",
                "E2": "Vet ej",
                "B2": "Bristen är åtgärdad",
            }[cell]
        book.save(returned / workbook_name(region))

    for index, region in enumerate(answering, start=1):
        write(region, index, with_mistakes=True)

    # 1. the mistakes, each by cell, and nothing written
    first = pdata.import_round(returned, tmp_path / "candidate", package=package)
    assert not first.ok and not (tmp_path / "candidate").exists()
    found = sorted((p.file, p.sheet, p.cell, p.code) for p in first.problems)
    assert found == sorted(
        (workbook_name(pkg.region(code)), *where) for code, where in mistakes.items()
    )
    for problem in first.problems:  # the Swedish line goes back to the region as it is
        assert problem.message_sv and problem.message_en

    # 2. the regions send corrected workbooks; the import writes the candidate
    for index, region in enumerate(answering, start=1):
        if region.region_code in mistakes:
            write(region, index, with_mistakes=False)
    second = pdata.import_round(returned, tmp_path / "candidate", package=package)
    assert second.ok, second.render()
    assert second.not_returned == (silent.name_official_sv,)
    candidate = tmp_path / "candidate"
    report = pdata.validate(candidate)
    assert report.valid, report.render()
    cpkg = pdata.load(candidate)
    assert cpkg.edition(ROUND).follows_up == FROM
    statements = cpkg.table("gap_statements").to_pylist()
    kinds = sorted(s["kind"] for s in statements if s["kind"] != "listed")
    assert kinds == ["missing", "wrong"]
    assert sum(s["kind"] == "listed" for s in statements) == sent.gaps - len(
        pkg.gaps(edition=FROM, region=silent)
    )
    category = {c.region_code: c.category for c in cpkg.classifications(edition=ROUND)}
    assert category[silent.region_code] == "no_response" and len(category) == 21

    # 3. a curator reads one suggestion: changing the stance while it is still marked
    #    'suggested' is reported; marking it 'curated' makes the package valid again
    answers_path = candidate / "data" / "gap_answers.csv"
    statements_path = candidate / "data" / "gap_statements.csv"
    header, answers = BUILDER.read_rows(answers_path)
    row = next(a for a in answers if a["edition"] == FROM and a["stance"] == "planned")
    row["stance"], row["cue"] = "under_investigation", "Utökad bemanning"
    BUILDER.write_rows(answers_path, header, answers)
    codes = {p.code for p in pdata.validate(candidate).problems}
    assert codes == {"gap-statement-reading"}
    s_header, rows = BUILDER.read_rows(statements_path)
    for statement in rows:
        if (statement["response_id"], statement["gap_key"]) == (row["response_id"], row["gap_key"]):
            statement["curation"] = "curated"
    BUILDER.write_rows(statements_path, s_header, rows)
    assert pdata.validate(candidate).valid

    # 4. the organisers restate the list of 2028-02: a gap the region says is now in place
    #    ('action_taken') is no longer listed, every other gap still is
    closed = {
        s["gap_key"]
        for s in cpkg.table("gap_statements").to_pylist()
        if s["region_status"] == "action_taken"
    }
    assert closed
    g_header, gaps = BUILDER.read_rows(candidate / "data" / "gaps.csv")
    restated = [
        {**gap, "edition": ROUND, "source_ref": f"SYNTHETIC › {ROUND} › {gap['gap_key']}"}
        for gap in gaps
        if gap["edition"] == FROM and gap["gap_key"] not in closed
    ]
    BUILDER.write_rows(candidate / "data" / "gaps.csv", g_header, gaps + restated)
    report = pdata.validate(candidate)
    assert report.valid, report.render()

    # 5. year over year across five editions
    cpkg = pdata.load(candidate)
    editions = [e.edition for e in cpkg.editions]
    assert editions == ["2026-02", "2026-06", "2027-02", "2027-06", ROUND]
    latest = cpkg.compare(FROM, ROUND)
    assert {gap.gap_key for gap in latest.gaps if gap.status == "dropped"} == closed
    assert latest.summary.added == 0
    for old, new in itertools.pairwise(editions):  # every consecutive pair
        pair = cpkg.compare(old, new)
        assert pair.summary.old == len(cpkg.gaps(edition=old))
        assert pair.summary.new == len(cpkg.gaps(edition=new))
    span = cpkg.compare("2026-02", ROUND)
    assert span.summary.persisting + span.summary.dropped == len(cpkg.gaps(edition="2026-02"))


@pytest.mark.parametrize("force", [False, True])
def test_import_into_a_folder_that_holds_files(tmp_path: Path, force: bool) -> None:
    """An existing candidate is replaced only with force; without it nothing changes."""
    package = tmp_path / "synthetic"
    BUILDER.build(package)
    pdata.send_round(ROUND, FROM, tmp_path / "round", package=package)
    pkg = pdata.load(package)
    region = pkg.region("12")
    book = openpyxl.load_workbook(tmp_path / "round" / "outgoing" / workbook_name(region))
    _fill(book, Choices.of(pkg), 1)
    book.save(tmp_path / "round" / "returned" / workbook_name(region))
    into = tmp_path / "candidate"
    into.mkdir()
    (into / "keep.txt").write_text("mine", encoding="utf-8")
    if not force:
        with pytest.raises(pdata.OutputExistsError):
            pdata.import_round(tmp_path / "round" / "returned", into, package=package)
        assert [p.name for p in into.iterdir()] == ["keep.txt"]
        return
    result = pdata.import_round(tmp_path / "round" / "returned", into, package=package, force=True)
    assert result.ok and not (into / "keep.txt").exists()
    assert pdata.validate(into).valid
