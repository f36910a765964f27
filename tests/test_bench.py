"""Smoke test of the benchmarks at the smallest size: the generator and the runner work.

No timing is asserted here (benchmarks are not tests); only that the generated package is a
valid, loadable package and that every measurement runs and agrees on the result size.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import palliativ_data as pdata

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
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
            pq.read_table(path / "parquet" / f"{name}.parquet").num_rows == pkg.table(name).num_rows
        )


def test_benchmark_runs_at_the_smallest_size(tmp_path):
    run = _module("run")
    report = run.run_size(1000, 2, 1, tmp_path)
    assert set(report["results"]) == set(run.SCRIPTS)
    assert report["results"]["compare"]["rows"] == report["results"]["duckdb"]["rows"] > 0
    assert report["results"]["load"]["rows"] == report["results"]["parquet"]["rows"]
    text = run.render(report)
    assert "load / parquet" in text and "compare / duckdb" in text
