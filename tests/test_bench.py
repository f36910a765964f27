"""Smoke tests of the benchmarks (``bench/``) at a tiny size: they run, and they check contents.

No timing is asserted here (benchmarks are not tests): only that the generated package is a
valid, loadable package, that every case runs with ours and the baseline producing the same
output, that the content checks do catch a difference, and that the committed performance
page is what ``bench/report.py`` renders from the committed result.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

import palliativ_data as pdata

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _module(name: str):
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_package_is_valid_and_compares(tmp_path):
    generate = _module("generate")
    path = generate.generate(tmp_path / "package", gap_rows=1000, editions=4)
    report = pdata.validate(path)
    assert report.valid, report.render()
    pkg = pdata.load(path)
    assert pkg.table("gaps").num_rows == 1000
    ids = generate.edition_ids(4)
    assert [edition.edition for edition in pkg.editions] == ids
    result = pkg.compare(ids[-2], ids[-1])
    assert result.summary.old == result.summary.new == 250
    assert result.summary.persisting == 250 - 25  # d = n // 10 keys shift per edition
    import pyarrow.parquet as pq

    for name in pkg.resource_names:
        assert (
            pq.ParquetFile(path / "parquet" / f"{name}.parquet").read().num_rows
            == pkg.table(name).num_rows
        )


@pytest.mark.slow
def test_benchmark_smoke_run_writes_every_case_with_checks_passed(tmp_path, capsys):
    """Every case once on a tiny package (--pairs 0: the content-checked runs, no timed pairs)."""
    run = _module("run")
    out = tmp_path / "result.json"
    assert run.main(["--sizes", "100", "--pairs", "0", "--extra", "", "--no-bundled",
                     "--growth", "0", "--out", str(out)]) == 0  # fmt: skip
    result = json.loads(out.read_text(encoding="utf-8"))
    (dataset,) = result["datasets"]
    assert dataset["gap_rows"] == 100 and dataset["compared"] == ["2030-01", "2030-02"]
    later = {"validate problems", "site", "mkdocs"}  # from 10^5 rows; with --growth
    assert [case["case"] for case in dataset["cases"]] == [
        name for name in run.CASE_NAMES if name not in later
    ]
    for case in dataset["cases"]:
        assert case["check"]["passed"], case
        assert len(case["runs"]) == 1
        for side in ("ours", "base"):
            assert case[side]["seconds"] > 0 and case[side]["peak_mb"] > 0
    compared = next(c for c in dataset["cases"] if c["case"] == "compare json")
    assert "gaps" in compared["check"]["what"]
    assert result["machine"]["cores"] >= 1 and result["machine"]["libraries"]["pyarrow"]
    printed = capsys.readouterr().out
    for name in set(run.CASE_NAMES) - later:
        assert name in printed
    page = _module("report").render(result)
    assert "| `palliativ-data compare OLD NEW --json` |" in page


@pytest.mark.slow
def test_benchmark_smoke_run_of_problems_and_growth(tmp_path, monkeypatch):
    """validate with problems (its size floor lowered) and compare, site and mkdocs over 2, 5
    and 10 editions, once each: both reports compared, the same pages both sides."""
    import dataclasses

    pytest.importorskip(
        "mkdocs", reason="the growth cases build the site: pip install -e '.[docs]'"
    )
    run = _module("run")
    monkeypatch.setattr(run, "CASES", [dataclasses.replace(c, min_rows=0) for c in run.CASES])
    monkeypatch.setattr(run, "PROBLEMS_EVERY", 50)
    out = tmp_path / "result.json"
    assert run.main(["--sizes", "600", "--pairs", "0", "--extra", "", "--no-bundled",
                     "--growth", "30", "--cases", "validate problems", "compare json", "site",
                     "mkdocs", "--out", str(out)]) == 0  # fmt: skip
    result = json.loads(out.read_text(encoding="utf-8"))
    cases = {(d["dataset"], c["case"]): c for d in result["datasets"] for c in d["cases"]}
    assert set(cases) == {("600x2", "validate problems"), ("600x2", "compare json"),
                          ("60x2", "compare json"), ("150x5", "compare json"),
                          ("150x5", "site"), ("150x5", "mkdocs"), ("300x10", "compare json"),
                          ("300x10", "site"), ("300x10", "mkdocs")}  # fmt: skip
    assert all(case["check"]["passed"] for case in cases.values())
    assert "the same" in cases[("600x2", "validate problems")]["check"]["what"]
    assert "shows editions" in cases[("300x10", "site")]["check"]["what"]
    page = _module("report").render(result)
    assert "| 300x10 | ratio" in page  # the site's goal is judged at 10 editions


def test_the_problems_check_catches_a_missing_problem(tmp_path):
    run = _module("run")
    problem = {"code": "type-error", "resource": "gaps", "path": "csv/gaps.csv", "row": 5,
               "field": "part", "message": "part is 'x', not a valid integer; write 1."}  # fmt: skip
    error = {"type": "type-error", "rowNumber": 5, "fieldName": "part", "message": "m"}
    ours, base = tmp_path / "ours", tmp_path / "base"
    ours.mkdir()
    base.mkdir()

    def write(problems, errors):
        (ours / "stdout").write_text(json.dumps({"problems": problems, "omitted": {}}))
        tasks = [{"name": "gaps", "warnings": [], "errors": errors}]
        (base / "stdout").write_text(json.dumps({"tasks": tasks}))

    write([problem], [error])
    assert "the same 1 table problems" in run.check_validate_problems(None, ours, base)
    write([], [error])
    with pytest.raises(run.CheckFailed, match="frictionless only"):
        run.check_validate_problems(None, ours, base)
    write([problem], [])
    with pytest.raises(run.CheckFailed, match="ours only"):
        run.check_validate_problems(None, ours, base)


def test_content_checks_catch_a_difference(tmp_path):
    run = _module("run")
    document = {"gaps": [{"gap_key": "a", "status": "persisting"}], "regions": [],
                "functions": [], "classification_changes": [], "summary": {"old": 1}}  # fmt: skip
    (tmp_path / "ours").mkdir()
    (tmp_path / "base").mkdir()
    (tmp_path / "ours" / "stdout").write_text(json.dumps(document))
    document["gaps"][0]["status"] = "dropped"
    (tmp_path / "base" / "stdout").write_text(json.dumps(document))
    with pytest.raises(run.CheckFailed, match="gaps"):
        run.check_compare_json(None, tmp_path / "ours", tmp_path / "base")
    document["gaps"][0]["status"] = "persisting"
    (tmp_path / "base" / "stdout").write_text(json.dumps(document))
    assert "equal" in run.check_compare_json(None, tmp_path / "ours", tmp_path / "base")


def test_measure_records_peak_memory_of_the_child(tmp_path):
    run = _module("run")
    script = tmp_path / "grow.py"
    script.write_text("block = bytearray(80 * 2**20)\nblock[::4096] = b'x' * len(block[::4096])\n")
    small = tmp_path / "small.py"
    small.write_text("pass\n")
    big = run.run_once([str(script)], tmp_path / "big", check=False, stdout=False)
    little = run.run_once([str(small)], tmp_path / "little", check=False, stdout=False)
    assert big["peak_mb"] > little["peak_mb"] + 60
    assert little["peak_mb"] < 60  # not the runner's (pytest's) high-water mark


def test_performance_page_is_generated_from_the_committed_result():
    report = _module("report")
    page = report.page_path()
    committed = json.loads((BENCH / "results" / "latest.json").read_text(encoding="utf-8"))
    assert page.read_text(encoding="utf-8") == report.render(committed), (
        f"{page} is stale: run `.venv/bin/python bench/report.py bench/results/latest.json "
        f"> {page.relative_to(ROOT)}`"
    )


@pytest.mark.slow
def test_append_adds_cases_and_parts_to_one_result(tmp_path):
    run = _module("run")
    out = tmp_path / "result.json"
    common = ["--sizes", "100", "--pairs", "0", "--extra", "", "--no-bundled", "--out", str(out)]
    assert run.main([*common, "--cases", "load parquet"]) == 0
    assert run.main([*common, "--cases", "load csv", "--append"]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    (dataset,) = result["datasets"]
    assert [case["case"] for case in dataset["cases"]] == ["load parquet", "load csv"]
    assert len(result["parts"]) == 2
    assert all(case["check"]["passed"] and case["load_average"] for case in dataset["cases"])
    assert run.main([*common, "--cases", "load csv", "--append"]) == 0  # measured again: replaced
    again = json.loads(out.read_text(encoding="utf-8"))
    assert [case["case"] for case in again["datasets"][0]["cases"]] == ["load parquet", "load csv"]
    assert len(again["parts"]) == 3


def test_goals_are_judged_with_how_far_off():
    run, report = _module("run"), _module("report")

    def result(ratio, memory=1.0, seconds=0.5, peak=100.0):
        return {"ratio": {"median": ratio, "min": ratio, "max": ratio},
                "memory_ratio": {"median": memory}, "cpu_ratio": {"median": ratio},
                "ours": {"seconds": seconds, "peak_mb": peak, "peak_mb_max": peak},
                "base": {"seconds": 1.0, "peak_mb": peak}, "baseline": "b",
                "check": {"passed": True, "what": "x"}}  # fmt: skip

    assert run.goal_verdict("load csv", 186, result(1.2), "bundled") == "met"
    assert run.goal_verdict("load csv", 186, result(1.5), "bundled") == "NOT met"
    assert run.goal_verdict("load parquet", 186, result(1.5), "bundled") is None
    assert run.goal_verdict("compare json", 100_000, result(3.0), "100000x2") is None
    assert run.goal_verdict("compare json", 10**6, result(1.9, memory=2.5), "x") == "NOT met"
    assert run.goal_verdict("validate", 10**6, result(0.1, peak=900), "x") == "met"
    assert run.goal_verdict("validate", 10**6, result(0.1, peak=1100), "x") == "NOT met"
    assert run.goal_verdict("validate", 186, result(0.9, seconds=1.4), "bundled") == "NOT met"
    assert run.goal_verdict("validate", 186, result(0.3, seconds=0.35), "bundled") == "met"
    assert run.goal_verdict("validate", 186, result(0.4, seconds=0.35), "bundled") == "NOT met"
    assert run.goal_verdict("site", 2000, result(1.5), "2000x10", editions=10) == "met"
    assert run.goal_verdict("site", 2000, result(2.5), "2000x10", editions=10) == "NOT met"
    assert run.goal_verdict("site", 1000, result(2.5), "1000x5", editions=5) is None
    assert run.goal_verdict("build", 10**6, result(1.4), "1000000x2") == "met"
    page = report.render({
        "command": "c", "started": "s", "finished": "f", "pairs": 1,
        "machine": {"cpu": "cpu", "cores": 2, "system": "os", "python": "3", "libraries": {},
                    "load_average": [1.0, 1.0, 1.0]},
        "goals": {name: goal["text"] for name, goal in run.GOALS.items()},
        "datasets": [{"dataset": "1000000x50", "gap_rows": 10**6, "editions": 50,
                      "compared": ["a", "b"], "csv_mb": 1, "parquet_mb": 1,
                      "cases": [{"case": "load parquet", **result(1.43)}]}],
    })  # fmt: skip
    assert "| 1000000x50 | ratio 1.43× | ≤ 1.3× | NOT met (ratio 10 % over) |" in page
    assert "load average at the start 1.0, 1.0, 1.0" in page
