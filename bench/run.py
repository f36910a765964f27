"""Benchmark loading and compare against bare pyarrow and DuckDB, all figures from ONE run.

For each size, ``bench/generate.py`` writes a synthetic package (CSV + Parquet of the same
rows) into a temporary folder, then every measurement runs in its own fresh Python process
(so import costs count and peak memory is that process's resident high-water mark), repeated ``--repeat``
times; the minimum time and the maximum peak are kept.

Loading (goal: ≤ 1.3× a bare Parquet read):

* ``load``          ``import palliativ_data``; ``load(path)``; ``pkg.table(name)`` for every
                    resource, on the release-style ``datapackage.json``: the Parquet fast path
                    (hash checked, schema checked, enums as the schema's dictionaries)
* ``load csv``      the same on ``datapackage-csv.json``: the CSV files parsed with explicit
                    types, required values and enums checked
* ``pyarrow.csv``   ``import pyarrow.csv``; ``read_csv`` of every CSV (type inference, no checks)
* ``parquet``       ``import pyarrow.parquet``; ``read_table`` of every Parquet file (goes
                    through ``pyarrow.dataset``, which imports pandas when it is installed)
* ``parquet file``  ``import pyarrow.parquet``; ``ParquetFile(path).read()`` of every file (the
                    leanest bare read, without pandas; reported as a second, stricter ratio)

Compare (goal: ≤ 2× DuckDB), the last two editions, result as an Arrow table:

* ``compare``       ``compare(pkg, pkg, old, new).to_table()`` on a package whose tables are
                    already loaded (the full outer join on gap_key, statuses, per-region and
                    per-function counts, classifications, answers' stances per gap)
* ``duckdb``        the same result with DuckDB over the same tables already in memory (Arrow,
                    read from the Parquet files): a FULL OUTER JOIN on gap_key with the labels
                    and the answers' stances per gap, ordered by region, plus the counts per
                    region and per function
* ``compare e2e``   import + ``load`` + compare + ``to_table`` in a fresh process
* ``duckdb e2e``    import duckdb + the same queries straight over the Parquet files

Usage (the README's development section)::

    .venv/bin/python bench/run.py                     # 10^3 … 10^6 rows, 2 editions, + 10^6 × 50
    .venv/bin/python bench/run.py --sizes 1000 --editions 2 --repeat 1   # smoke run
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import edition_ids, generate  # noqa: E402

PRELUDE = """
import json, resource, sys, time
started = time.perf_counter()
"""
# Peak memory: VmHWM (this process's resident high-water mark) where /proc exists. Not
# ru_maxrss: Linux carries it over exec from the parent, so a child would report the runner's.
REPORT = """
def peak_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "rss_mb": peak_mb(), **extra}))
"""

SCRIPTS: dict[str, str] = {
    "load": """
import palliativ_data as pdata
pkg = pdata.load(PATH)
rows = sum(pkg.table(name).num_rows for name in pkg.resource_names)
elapsed = time.perf_counter() - started
extra = {"rows": rows}
""",
    "load csv": """
import palliativ_data as pdata
pkg = pdata.load(PATH + "/datapackage-csv.json")
rows = sum(pkg.table(name).num_rows for name in pkg.resource_names)
elapsed = time.perf_counter() - started
extra = {"rows": rows}
""",
    "pyarrow.csv": """
import pathlib
import pyarrow.csv as pacsv
rows = sum(pacsv.read_csv(p).num_rows for p in sorted(pathlib.Path(PATH, "csv").glob("*.csv")))
elapsed = time.perf_counter() - started
extra = {"rows": rows}
""",
    "parquet": """
import pathlib
import pyarrow.parquet as pq
rows = sum(pq.read_table(p).num_rows for p in sorted(pathlib.Path(PATH, "parquet").glob("*.parquet")))
elapsed = time.perf_counter() - started
extra = {"rows": rows}
""",
    "parquet file": """
import pathlib
import pyarrow.parquet as pq
rows = sum(pq.ParquetFile(p).read().num_rows for p in sorted(pathlib.Path(PATH, "parquet").glob("*.parquet")))
elapsed = time.perf_counter() - started
extra = {"rows": rows}
""",
    "compare": """
import palliativ_data as pdata
import pyarrow as pa
pkg = pdata.load(PATH)
for name in pkg.resource_names:
    pkg.table(name)
for name in ("regions", "functions", "categories", "stances", "editions", "classifications"):
    pkg.records(name)
times = []
for _ in range(REPEAT):
    t = time.perf_counter()
    table = pdata.compare(pkg, pkg, OLD, NEW).to_table()
    times.append(time.perf_counter() - t)
elapsed = min(times)
extra = {"rows": table.num_rows, "arrow_peak_mb": pa.default_memory_pool().max_memory() / 2**20}
""",
    "duckdb": """
import duckdb
import pyarrow.parquet as pq
gaps = pq.read_table(PATH + "/parquet/gaps.parquet")
gap_answers = pq.read_table(PATH + "/parquet/gap_answers.parquet")
con = duckdb.connect()
times = []
for _ in range(REPEAT):
    t = time.perf_counter()
    QUERIES
    times.append(time.perf_counter() - t)
elapsed = min(times)
extra = {"rows": table.num_rows}
""",
    "compare e2e": """
import palliativ_data as pdata
table = pdata.compare(PATH, PATH, OLD, NEW).to_table()
elapsed = time.perf_counter() - started
extra = {"rows": table.num_rows}
""",
    "duckdb e2e": """
import duckdb
gaps = PATH + "/parquet/gaps.parquet"
gap_answers = PATH + "/parquet/gap_answers.parquet"
con = duckdb.connect()
QUERIES
elapsed = time.perf_counter() - started
extra = {"rows": table.num_rows}
""",
}

# DuckDB: what compare().to_table() returns, plus the counts compare() computes.
QUERIES = """
source = "read_parquet('" + gaps + "')" if isinstance(gaps, str) else "gaps"
answers = "read_parquet('" + gap_answers + "')" if isinstance(gap_answers, str) else "gap_answers"
con.execute(f'''
CREATE OR REPLACE TEMP TABLE j AS
WITH o AS (SELECT gap_key, region_code, function, label_en, label_sv FROM {source} WHERE edition = '{OLD}'),
     n AS (SELECT gap_key, region_code, function, label_en, label_sv FROM {source} WHERE edition = '{NEW}')
SELECT coalesce(n.gap_key, o.gap_key) AS gap_key,
       coalesce(n.region_code, o.region_code) AS region_code,
       coalesce(n.function, o.function) AS function,
       CASE WHEN o.gap_key IS NULL THEN 'added' WHEN n.gap_key IS NULL THEN 'dropped' ELSE 'persisting' END AS status,
       o.label_en AS old_label_en, o.label_sv AS old_label_sv, n.label_en AS new_label_en, n.label_sv AS new_label_sv
FROM o FULL OUTER JOIN n ON o.gap_key = n.gap_key''')
table = con.sql(f'''
SELECT j.*, coalesce(a.stances, []) AS answer_stances FROM j
LEFT JOIN (SELECT gap_key, list(CAST(stance AS VARCHAR)) AS stances FROM {answers} WHERE edition = '{OLD}' GROUP BY gap_key) a
USING (gap_key) ORDER BY region_code, gap_key''').to_arrow_table()
by_region = con.sql("SELECT region_code, status, count(*) FROM j GROUP BY ALL").to_arrow_table()
by_function = con.sql("SELECT function, status, count(*) FROM j GROUP BY ALL").to_arrow_table()
"""


def _script(name: str, path: Path, old: str, new: str, repeat: int) -> str:
    body = SCRIPTS[name]
    indent = "    " if name == "duckdb" else ""
    body = body.replace("QUERIES", textwrap.indent(QUERIES, indent).strip())
    head = f"PATH = {str(path)!r}\nOLD = {old!r}\nNEW = {new!r}\nREPEAT = {repeat}\n"
    return PRELUDE + head + textwrap.dedent(body) + REPORT


def measure(name: str, path: Path, old: str, new: str, repeat: int) -> dict[str, Any]:
    """Run measurement ``name`` ``repeat`` times, each in a fresh process; min time, max memory."""
    results = []
    processes = 1 if name in ("compare", "duckdb") else repeat  # those repeat inside one process
    for _ in range(processes):
        completed = subprocess.run(
            [sys.executable, "-c", _script(name, path, old, new, repeat)],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"{name} failed:\n{completed.stderr}")
        results.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    best = min(results, key=lambda r: r["seconds"])
    return {
        **best,
        "seconds": best["seconds"],
        "seconds_median": statistics.median(r["seconds"] for r in results),
        "rss_mb": max(r["rss_mb"] for r in results),
    }


def run_size(gap_rows: int, editions: int, repeat: int, root: Path) -> dict[str, Any]:
    path = root / f"gaps-{gap_rows}-editions-{editions}"
    generate(path, gap_rows, editions)
    ids = edition_ids(editions)
    old, new = ids[-2], ids[-1]
    results = {name: measure(name, path, old, new, repeat) for name in SCRIPTS}
    if results["compare"]["rows"] != results["duckdb"]["rows"]:
        raise RuntimeError(
            f"compare and DuckDB disagree: {results['compare']['rows']} vs {results['duckdb']['rows']} rows"
        )
    mb = sum(p.stat().st_size for p in (path / "csv").glob("*.csv")) / 2**20
    mb_parquet = sum(p.stat().st_size for p in (path / "parquet").glob("*.parquet")) / 2**20
    return {
        "gap_rows": gap_rows,
        "editions": editions,
        "compared": [old, new],
        "csv_mb": round(mb, 2),
        "parquet_mb": round(mb_parquet, 2),
        "results": results,
        "ratios": {
            "load / parquet": results["load"]["seconds"] / results["parquet"]["seconds"],
            "load / parquet file": results["load"]["seconds"] / results["parquet file"]["seconds"],
            "load csv / pyarrow.csv": results["load csv"]["seconds"]
            / results["pyarrow.csv"]["seconds"],
            "compare / duckdb": results["compare"]["seconds"] / results["duckdb"]["seconds"],
            "compare e2e / duckdb e2e": results["compare e2e"]["seconds"]
            / results["duckdb e2e"]["seconds"],
        },
    }


def render(report: dict[str, Any]) -> str:
    r, q = report["results"], report["ratios"]
    lines = [
        f"== {report['gap_rows']:,} gap rows, {report['editions']} editions "
        f"(CSV {report['csv_mb']} MB, Parquet {report['parquet_mb']} MB); compare "
        f"{report['compared'][0]} → {report['compared'][1]} ({r['compare']['rows']:,} gaps)",
        f"  {'measurement':<14}{'seconds':>10}{'peak RSS MB':>14}",
    ]
    for name, result in r.items():
        lines.append(f"  {name:<14}{result['seconds']:>10.3f}{result['rss_mb']:>14.0f}")
    goals = {"load / parquet": 1.3, "compare / duckdb": 2.0}
    for name, value in q.items():
        goal = goals.get(name)
        verdict = (
            "" if goal is None else (f"  goal ≤ {goal}: " + ("met" if value <= goal else "NOT met"))
        )
        lines.append(f"  ratio {name:<26}{value:>7.2f}×{verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark palliativ-data loading and compare against pyarrow and DuckDB.",
        epilog="Example: .venv/bin/python bench/run.py --sizes 10000 100000 --editions 2",
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--editions", type=int, nargs="+", default=[2], help="edition counts to run at every size"
    )
    parser.add_argument(
        "--extra", default="1000000x50", help="one more GAPSxEDITIONS run ('' for none)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="repetitions per measurement (min is kept)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--keep", metavar="DIR", help="write the generated packages here and keep them"
    )
    args = parser.parse_args(argv)
    runs = [(size, editions) for size in args.sizes for editions in args.editions]
    if args.extra:
        gaps, editions = (int(x) for x in args.extra.lower().split("x"))
        if (gaps, editions) not in runs:
            runs.append((gaps, editions))
    reports = []
    with tempfile.TemporaryDirectory(prefix="palliativ-bench-") as temporary:
        root = Path(args.keep) if args.keep else Path(temporary)
        for gaps, editions in runs:
            report = run_size(gaps, editions, args.repeat, root)
            reports.append(report)
            if not args.json:
                print(render(report), flush=True)
    if args.json:
        print(json.dumps(reports, indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
