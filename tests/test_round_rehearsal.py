"""The rehearsal of a whole round (issue 19, part 5): a SYNTHETIC round, never shipped as data.

:func:`test_the_next_round_from_the_command_line` runs round 2027-02 on a copy of the published
package (editions 2026-02 and 2026-06), as the organisers would, from the command line: the 21
workbooks out, 20 filled in as regions would (one does not answer, three make typical mistakes,
one writes about a gap missing from its list), the mistakes reported by cell, the corrected
workbooks imported, then ``validate``, ``compare`` (the draft list keeps every gap listed), the
organisers' restated list (one gap judged closed, the missing one added), ``compare`` on three
editions, ``editions``, ``show`` and ``build``. The site's half (pages on more than two
editions, read in the browser) is ``tests/test_site_editions.py`` and
``test_browser.py::test_a_site_of_four_editions_shows_a_gaps_history``.

:func:`test_a_round_on_five_editions` does the same from Python on the synthetic 2027 package
(``tests/fixtures/synthetic_2027/``: the real 2026 editions, a made-up 2027-02 inventory and
2027-06 follow-up), round 2028-02, and compares every consecutive pair of five editions.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import json
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

import palliativ_data as pdata
from palliativ_data._cli import main
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


MISTAKES = (
    (form.RESPONDER, "B4", "Verksamhetschef Anna Berglund", "personal-name"),
    (form.GAPS, "E2", "Vet ej", "invalid-choice"),
    (form.GAPS, "B2", "Bristen är åtgärdad", "locked-cell-changed"),
)
"""Three typical mistakes: (sheet, cell, what the region wrote, the problem code)."""
MISSING = "Jourlinjen når inte kommunernas sjuksköterskor nattetid"


def _answer(
    folder: Path,
    region: pdata.Region,
    choices: Choices,
    index: int,
    mistake: tuple[str, str, str, str] | None = None,
) -> None:
    """Fill the region's workbook in ``folder/outgoing`` and save it in ``folder/returned``,
    as the region would; the 3rd region adds a missing gap, the 4th says a gap is wrong."""
    book = openpyxl.load_workbook(folder / "outgoing" / workbook_name(region))
    _fill(book, choices, index)
    if index == 3:  # a gap missing from the list
        other = book[form.OTHER]
        other["A2"], other["C2"] = "Saknas i listan", choices.functions[0].label
        other["D2"] = MISSING
    if index == 4:  # a listed gap wrongly described
        other = book[form.OTHER]
        other["A2"], other["B2"] = "Fel i listan", 1
        other["D2"] = "Avdelningen flyttade till länssjukhuset 2027"
    if mistake:
        sheet, cell, value, _ = mistake
        book[sheet][cell] = value
    book.save(folder / "returned" / workbook_name(region))


@pytest.mark.slow
def test_a_round_on_five_editions(tmp_path: Path) -> None:
    package = tmp_path / "synthetic"
    BUILDER.build(package)
    pkg = pdata.load(package)
    choices = Choices.of(pkg)
    sent = pdata.send_round(ROUND, FROM, tmp_path / "round", package=package)
    assert sent.regions == 21 and sent.gaps == len(pkg.gaps(edition=FROM))

    regions = sorted(pkg.regions, key=lambda r: r.region_code)
    silent, *answering = regions  # the first region does not answer
    returned = tmp_path / "round" / "returned"
    mistakes = {region.region_code: m for region, m in zip(answering, MISTAKES, strict=False)}

    def write(region: pdata.Region, index: int, *, with_mistakes: bool) -> None:
        mistake = mistakes.get(region.region_code) if with_mistakes else None
        _answer(tmp_path / "round", region, choices, index, mistake)

    for index, region in enumerate(answering, start=1):
        write(region, index, with_mistakes=True)

    # 1. the mistakes, each by cell, and nothing written
    first = pdata.import_round(returned, tmp_path / "candidate", package=package)
    assert not first.ok and not (tmp_path / "candidate").exists()
    found = sorted((p.file, p.sheet, p.cell, p.code) for p in first.problems)
    assert found == sorted(
        (workbook_name(pkg.region(code)), sheet, cell, problem)
        for code, (sheet, cell, _, problem) in mistakes.items()
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

    # 4. the import kept every gap of 2027-06 listed in 2028-02, as a draft; the organisers
    #    restate the list: a gap the region says is now in place ('action_taken') is judged
    #    closed and its row deleted, every other gap stays
    closed = {item.gap_key for item in second.for_the_list if item.kind == "action_taken"}
    assert closed and second.gaps == len(pkg.gaps(edition=FROM))
    g_header, gaps = BUILDER.read_rows(candidate / "data" / "gaps.csv")
    drafts = [gap for gap in gaps if gap["edition"] == ROUND]
    assert len(drafts) == second.gaps and all("Draft" in gap["notes"] for gap in drafts)
    kept = [gap for gap in gaps if not (gap["edition"] == ROUND and gap["gap_key"] in closed)]
    BUILDER.write_rows(candidate / "data" / "gaps.csv", g_header, kept)
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


def _cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_the_next_round_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Round 2027-02 on the published editions, every step a command the organisers run."""
    package = tmp_path / "package"
    shutil.copytree(pdata.load().path, package)
    pkg = pdata.load(package)
    choices = Choices.of(pkg)
    old, new = "2026-06", "2027-02"
    folder, candidate = tmp_path / "round-2027", tmp_path / "candidate"

    # send: 21 workbooks and e-mails
    code, out, _ = _cli(capsys, "round", new, "--from", old, "--out", folder, "--package", package)
    assert code == 0 and "wrote 21 workbooks and e-mails" in out
    assert len(list((folder / "outgoing").glob("*.xlsx"))) == 21

    # the regions answer; the first does not, three make mistakes
    silent, *answering = sorted(pkg.regions, key=lambda r: r.region_code)
    mistakes = dict(zip((r.region_code for r in answering), MISTAKES, strict=False))
    for index, region in enumerate(answering, start=1):
        _answer(folder, region, choices, index, mistakes.get(region.region_code))
    returned = folder / "returned"
    command = ("round", "import", returned, "--into", candidate, "--package", package)

    # import: every mistake by file › sheet › cell, nothing written, exit 1
    code, out, _ = _cli(capsys, *command)
    assert code == 1 and not candidate.exists()
    for region_code, (sheet, cell, _, problem) in mistakes.items():
        where = f"{workbook_name(pkg.region(region_code))} › {sheet} › {cell}: [{problem}]"
        assert where in out
    assert "3 problem(s) in 3 of 20 workbook(s); nothing was written" in out

    # corrected workbooks come back; the import writes the candidate
    for index, region in enumerate(answering, start=1):
        if region.region_code in mistakes:
            _answer(folder, region, choices, index)
    code, out, _ = _cli(capsys, *command, "--json")
    result = json.loads(out)
    assert code == 0 and result["ok"] and result["not_returned"] == [silent.name_official_sv]
    gaps_before = pkg.gaps(edition=old)
    assert result["gaps"] == len(gaps_before)
    kinds = {item["kind"] for item in result["for_the_list"]}
    assert kinds == {"missing", "wrong", "action_taken", "disputed"}
    missing = next(item for item in result["for_the_list"] if item["kind"] == "missing")
    assert missing["text"] == MISSING and missing["gap_key"] is None

    # validate, then compare: the draft list keeps every gap of 2026-06 listed
    assert _cli(capsys, "validate", candidate)[0] == 0
    code, out, _ = _cli(capsys, "compare", old, new, "--package", candidate, "--json")
    summary = json.loads(out)["summary"]
    assert code == 0 and summary["persisting"] == len(gaps_before)
    assert summary["dropped"] == summary["added"] == 0

    # the organisers restate the list of 2027-02: one gap a region says is in place is judged
    # closed (its row deleted), the gap reported missing is added with a new key, the drafts'
    # notes and references replaced
    closed = next(item for item in result["for_the_list"] if item["kind"] == "action_taken")
    added_key = f"{missing['region_code']}-{missing['function']}-round_2027"
    data = candidate / "data"
    header, gaps = BUILDER.read_rows(data / "gaps.csv")
    restated = []
    for gap in gaps:
        if gap["edition"] == new and gap["gap_key"] == closed["gap_key"]:
            continue
        if gap["edition"] == new:
            gap["source_ref"] = f"SYNTHETIC › {new} › {gap['gap_key']}"
            gap["notes"] = ""
        restated.append(gap)
    template = next(g for g in gaps if g["edition"] == new)
    restated.append(
        {
            **template,
            "region_code": missing["region_code"],
            "gap_key": added_key,
            "function": missing["function"],
            "sub_area": "",
            "label_sv": MISSING,
            "label_en": "SYNTHETIC: the on-call line does not reach the municipalities' nurses",
            "population": "",
            "places": "",
            "places_excepted": "",
            "region_wide": "true",
            "list_position": "99",
            "part": "1",
            "source_ref": f"SYNTHETIC › {new} › {added_key}",
        }
    )
    BUILDER.write_rows(data / "gaps.csv", header, restated)
    code, out, _ = _cli(capsys, "validate", candidate)
    assert code == 0, out

    # compare on three editions: the decisions, and only they, show
    code, out, _ = _cli(capsys, "compare", old, new, "--package", candidate, "--json")
    later = json.loads(out)
    status = {gap["gap_key"]: gap["status"] for gap in later["gaps"]}
    assert {key for key, value in status.items() if value == "dropped"} == {closed["gap_key"]}
    assert {key for key, value in status.items() if value == "added"} == {added_key}
    assert later["summary"]["persisting"] == len(gaps_before) - 1
    code, out, _ = _cli(capsys, "compare", "2026-02", new, "--package", candidate, "--json")
    span = json.loads(out)["summary"]
    inventory = pkg.gaps(edition="2026-02")
    assert span["persisting"] + span["dropped"] == len(inventory)
    assert span["new"] == len(gaps_before) - 1 + 1 and added_key in {
        gap["gap_key"] for gap in json.loads(out)["gaps"] if gap["status"] == "added"
    }
    code, out, _ = _cli(capsys, "compare", old, new, "--package", candidate)
    assert code == 0 and "no longer listed" in out and "newly listed" in out

    # the overviews and a region page read three editions
    code, out, _ = _cli(capsys, "editions", "--package", candidate, "--json")
    editions = {row["edition"]: row for row in json.loads(out)}
    assert list(editions) == ["2026-02", "2026-06", new]
    assert editions[new]["gaps"] == len(gaps_before) and editions[new]["responses"] == 20
    code, out, _ = _cli(capsys, "show", missing["region_code"], "--package", candidate, "--json")
    assert code == 0 and new in out

    # a release of the candidate, for review before it is published
    code, out, err = _cli(capsys, "build", candidate, "--out", tmp_path / "release", "--json")
    assert code == 0, err
    built = json.loads(out)
    assert "csv/gap_statements.csv" in built["files"]
    rows = (Path(built["release_dir"]) / "csv" / "gaps.csv").read_text(encoding="utf-8")
    assert sum(row.startswith(f"{new},") for row in rows.splitlines()) == len(gaps_before)
