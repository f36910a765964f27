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
                     "--out", str(out)]) == 0  # fmt: skip
    result = json.loads(out.read_text(encoding="utf-8"))
    (dataset,) = result["datasets"]
    assert dataset["gap_rows"] == 100 and dataset["compared"] == ["2030-01", "2030-02"]
    assert [case["case"] for case in dataset["cases"]] == run.CASE_NAMES
    for case in dataset["cases"]:
        assert case["check"]["passed"], case
        assert len(case["runs"]) == 1
        for side in ("ours", "base"):
            assert case[side]["seconds"] > 0 and case[side]["peak_mb"] > 0
    compared = next(c for c in dataset["cases"] if c["case"] == "compare json")
    assert "gaps" in compared["check"]["what"]
    assert result["machine"]["cores"] >= 1 and result["machine"]["libraries"]["pyarrow"]
    printed = capsys.readouterr().out
    for name in run.CASE_NAMES:
        assert name in printed
    page = _module("report").render(result)
    assert "| `palliativ-data compare OLD NEW --json` |" in page


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
