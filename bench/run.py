"""Paired benchmarks: palliativ-data against the lean tools people would use instead.

Every measurement is a whole process (``bench/cases/*.py`` or a console command), started by
``bench/_measure.py``, which records the process's peak resident memory (``VmHWM``) when it
ends; CPU time comes from ``os.wait4`` for that one child. For each case the two sides run
alternately, ours then the baseline, ``--pairs`` times on the same files, and the figure is the
**median of the pair-by-pair ratios** (ours ÷ baseline) with its min–max: on a shared machine
a load spike hits both runs of a pair, so the ratio moves much less than the seconds do.

Before the timed pairs, each side runs once more untimed with ``BENCH_OUT`` set and writes its
output; the two outputs are checked against each other (contents, not just row counts) and the
case fails loudly when they differ. That run also warms the file cache.

Cases (ours / baseline):

* ``import``        ``import palliativ_data`` / ``import pyarrow``
* ``load parquet``  ``load()`` of a release-style descriptor + ``table()`` of every resource
                    (the Parquet fast path) / ``pyarrow.parquet.ParquetFile(f).read()`` of each
* ``load csv``      the same on ``datapackage-csv.json`` (typed CSV parsing, checks) /
                    ``pyarrow.csv.read_csv`` of each CSV (type inference, no checks)
* ``compare table`` ``load().compare(old, new).to_table()`` / DuckDB building the same table
                    (FULL OUTER JOIN on gap_key, region names, categories, stances per gap)
* ``compare json``  ``palliativ-data compare OLD NEW --json`` / DuckDB writing the same JSON
                    document (its own JSON export for the gaps)
* ``validate``      ``palliativ-data validate --json`` / ``frictionless validate --json``
* ``validate problems``  the same with ``--all`` on a copy with a mistake in one row in 1,000
                    of every table (``generate.py --problems``; 10^5 gap rows and up): the
                    two reports are compared problem by problem before timing
* ``build``         ``palliativ-data build`` / frictionless validate + pyarrow (CSV, Parquet)
                    + sqlite3 + XlsxWriter + zipfile (``cases/base_build.py``; no catalogue
                    metadata)
* ``site``          the site generator (``cases/ours_site.py``: the release built, every page
                    rendered and written) / the same on the 2-edition package (``--growth``)
* ``mkdocs``        ``mkdocs build`` of the site (``cases/ours_mkdocs.py``) / the same on the
                    2-edition package (``--growth``)

Datasets: the bundled package (2026-02 → 2026-06), and synthetic packages from
``bench/generate.py`` (``--sizes`` gap rows × ``--editions``; the last two editions are
compared), plus ``--extra`` (default 10^6 rows over 50 editions: load and compare only), plus
``--growth`` (default 200 gap rows per edition over 2, 5 and 10 editions: compare, site and
mkdocs, the last two against the same on 2 editions: how the time grows as editions
accumulate).
Goals (:data:`GOALS`) are judged at 10^6 gap rows and on the bundled package; the page says
which are met and by how much the others are missed.

The default run covers every row of issue 12's table: every case on the bundled package and
at 10^3 … 10^6 gap rows over 2 editions, load and compare at 10^6 over 50, 5 pairs each.
On the two-core machine it was written on that is about an hour (10^6 validate and build
alone about 40 minutes with frictionless as the baseline, less once ours is fast); it can
be run in five parts that add to one result file (``--part``; keep the generated packages
with ``--keep`` so that parts 2, 4 and 5 share the 10^6 one).

Before measuring, ``palliativ_data`` is byte-compiled (``compile_sources``): with
``PYTHONDONTWRITEBYTECODE=1`` a source checkout would otherwise compile itself on every run.

Usage::

    .venv/bin/python bench/run.py --keep /tmp/bench-data            # the full run (~1 h)
    for n in 1 2 3 4 5; do                                         # the same, in parts
        .venv/bin/python bench/run.py --part $n --keep /tmp/bench-data; done
    .venv/bin/python bench/run.py --sizes 1000 --pairs 3 --extra ''   # a quick look
    .venv/bin/python bench/run.py --sizes --extra 1000000x50 --no-bundled \
        --cases "compare table" "compare json" --pairs 3 --out /tmp/x.json  # one target
    .venv/bin/python bench/report.py bench/results/latest.json > docs/en/performance.md
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CASES_DIR = HERE / "cases"
MEASURE = HERE / "_measure.py"
sys.path.insert(0, str(HERE))

from generate import edition_ids, generate, spoil  # noqa: E402

OURS_CLI = "palliativ_data._cli:main"
FRICTIONLESS_CLI = "frictionless.__main__:console"
RESULTS = HERE / "results" / "latest.json"

# goals from issue 12: ratio at most, memory ratio at most, peak MiB below; judged at 10^6 gap
# rows and up, and on the bundled package where "bundled" says how
GOALS: dict[str, dict[str, Any]] = {
    "load parquet": {"ratio": 1.3, "text": "≤ 1.3× bare pyarrow"},
    "load csv": {"ratio": 1.3, "bundled": ["ratio"],
                 "text": "≤ 1.3× bare pyarrow (also the bundled package: import + load + every table)"},
    "compare table": {"ratio": 2.0, "memory": 2.0, "text": "≤ 2× DuckDB, memory ≤ 2×"},
    "compare json": {"ratio": 2.0, "memory": 2.0, "text": "≤ 2× DuckDB, memory ≤ 2×"},
    "validate": {"ratio": 0.2, "peak_mb": 1024, "bundled": ["ratio", "seconds"],
                 "bundled_ratio": 0.35, "seconds": 0.4,
                 "text": "≥ 5× faster than frictionless, < 1 GB; the bundled package ≤ 0.35× "
                         "frictionless and under 0.4 s (issue 22)"},
    "validate problems": {"ratio": 0.2, "peak_mb": 1024,
                          "text": "≥ 5× faster than frictionless with 1 problem per 1,000 rows, "
                                  "the same problems, < 1 GB (issue 22)"},
    "build": {
        "ratio": 1.5,
        "text": "≤ 1.5× frictionless + pyarrow + sqlite3 + XlsxWriter (issue 22)",
    },
    "site": {"ratio": 2.0, "editions": 10,
             "text": "10 editions ≤ 2× the time of 2 (issue 22)"},
    "mkdocs": {"ratio": 2.0, "editions": 10,
               "text": "10 editions ≤ 2× the time of 2 (issue 22)"},
}  # fmt: skip
PROBLEMS_EVERY = 1_000
"""``validate problems``: a mistake in one row in this many of every table."""


@dataclass(frozen=True)
class Dataset:
    """Files a case runs on: a package folder with its descriptors and two editions."""

    name: str
    folder: Path
    descriptor: Path  # release-style (Parquet in x-formats) or the bundled one
    csv_descriptor: Path  # CSV only
    old: str
    new: str
    gap_rows: int
    editions: int
    parquet: bool
    two_editions: Dataset | None = None
    """The package with the same gap rows per edition over 2 editions (``--growth``): the
    baseline of ``site`` and ``mkdocs``."""


@dataclass(frozen=True)
class Case:
    name: str
    baseline: str  # what the baseline is, for the table
    ours: Callable[[Dataset, Path], list[str]]  # argv after _measure.py PEAK (out folder given)
    base: Callable[[Dataset, Path], list[str]]
    check: Callable[[Dataset, Path, Path], str]  # raises CheckFailed; returns what was checked
    needs_parquet: bool = False
    stdout: bool = False  # the output is what the process prints
    min_rows: int = 0  # run only on synthetic packages of at least this many gap rows
    status: int = 0  # the exit status both sides must end with (1: "not valid")
    growth: bool = False  # run only on the --growth packages over more than 2 editions


class CheckFailed(AssertionError):
    """The two sides of a case produced different outputs."""


def _script(name: str, *args: Any) -> list[str]:
    return [str(CASES_DIR / name), *map(str, args)]


# ---------------------------------------------------------------------------- checks


def _read_ipc(path: Path) -> Any:
    import pyarrow as pa

    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def _plain(table: Any) -> Any:
    """Dictionary columns decoded, so that types compare by value."""
    import pyarrow as pa

    columns = []
    for column in table.columns:
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def _as_text(table: Any) -> Any:
    """Every column as text, empty for null: what a CSV file holds."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = _plain(table)
    return pa.table(
        [pc.fill_null(column.cast(pa.string()), "") for column in table.columns],
        names=table.column_names,
    )


def _csv_text(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 26)).column_names
    options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    return pacsv.read_csv(
        path, read_options=pacsv.ReadOptions(block_size=1 << 26), convert_options=options
    )


def _same(mine: Any, theirs: Any, what: str) -> None:
    if mine.column_names != theirs.column_names:
        raise CheckFailed(f"{what}: columns differ: {mine.column_names} vs {theirs.column_names}")
    if mine.num_rows != theirs.num_rows:
        raise CheckFailed(f"{what}: {mine.num_rows} rows vs {theirs.num_rows}")
    for name in mine.column_names:
        a, b = mine.column(name), theirs.column(name)
        if not a.combine_chunks().equals(b.combine_chunks()):
            raise CheckFailed(f"{what}: column {name!r} differs")


def _sorted(table: Any) -> Any:
    return table.take(
        __import__("pyarrow.compute").compute.sort_indices(
            table, sort_keys=[(name, "ascending") for name in table.column_names]
        )
    )


def _resources(descriptor: Path) -> list[dict[str, Any]]:
    return json.loads(descriptor.read_text(encoding="utf-8"))["resources"]


def check_load_parquet(data: Dataset, ours: Path, base: Path) -> str:
    import pyarrow.parquet as pq

    resources = _resources(data.descriptor)
    for resource in resources:
        name = resource["name"]
        theirs = pq.ParquetFile(data.folder / "parquet" / f"{name}.parquet").read()
        _same(_plain(_read_ipc(ours / f"{name}.arrow")), _plain(theirs), f"table {name}")
    return f"every value of the {len(resources)} tables equals ParquetFile.read()"


def check_load_csv(data: Dataset, ours: Path, base: Path) -> str:
    resources = _resources(data.csv_descriptor)
    for resource in resources:
        name = resource["name"]
        theirs = _csv_text(data.csv_descriptor.parent / resource["path"])
        _same(_as_text(_read_ipc(ours / f"{name}.arrow")), theirs, f"table {name}")
    return f"every cell of the {len(resources)} tables equals the CSV text"


def check_compare_table(data: Dataset, ours: Path, base: Path) -> str:
    import pyarrow.compute as pc

    mine, theirs = _plain(_read_ipc(ours / "compare.arrow")), _read_ipc(base / "compare.arrow")
    order = [("gap_key", "ascending")]
    mine = mine.take(pc.sort_indices(mine, sort_keys=order))
    theirs = theirs.take(pc.sort_indices(theirs, sort_keys=order))
    _same(mine, theirs, "compare table")
    return f"all {mine.num_columns} columns of {mine.num_rows:,} rows equal DuckDB's (by gap_key)"


def _normalised(document: dict[str, Any]) -> dict[str, Any]:
    document = dict(document)
    for key, by in (
        ("gaps", "gap_key"),
        ("regions", "region_code"),
        ("functions", "function"),
        ("classification_changes", "region_code"),
    ):
        document[key] = sorted(document[key], key=lambda item, by=by: item[by])
    return document


def check_compare_json(data: Dataset, ours: Path, base: Path) -> str:
    mine = _normalised(json.loads((ours / "stdout").read_text(encoding="utf-8")))
    theirs = _normalised(json.loads((base / "stdout").read_text(encoding="utf-8")))
    if mine.keys() != theirs.keys():
        raise CheckFailed(f"compare json: keys {sorted(mine)} vs {sorted(theirs)}")
    for key in mine:
        if mine[key] != theirs[key]:
            raise CheckFailed(f"compare json: {key!r} differs")
    return f"parsed documents equal ({len(mine['gaps']):,} gaps, after sorting lists by key)"


def check_validate(data: Dataset, ours: Path, base: Path) -> str:
    mine = json.loads((ours / "stdout").read_text(encoding="utf-8"))
    theirs = json.loads((base / "stdout").read_text(encoding="utf-8"))
    if not (mine["valid"] and theirs["valid"]):
        raise CheckFailed(
            f"validate: ours valid={mine['valid']} ({len(mine['problems'])} problems), "
            f"frictionless valid={theirs['valid']} ({theirs['stats']['errors']} errors)"
        )
    gaps = sum(edition["gaps"] for edition in mine["summary"]["editions"])
    counted = {task["name"]: task["stats"].get("rows") for task in theirs["tasks"]}
    if counted.get("gaps") != gaps:
        raise CheckFailed(f"validate: ours counted {gaps} gaps, frictionless {counted.get('gaps')}")
    return f"both valid, both read {gaps:,} gap rows"


_ROW_ERRORS = {"primary-key", "foreign-key", "blank-row"}


def _rule_made(problem: dict[str, Any]) -> bool:
    """A problem of a cross-table rule that shares its code with frictionless' errors."""
    message = problem["message"]
    return "spaces or a line break around" in message or "the project's schema does" in message


def check_validate_problems(data: Dataset, ours: Path, base: Path) -> str:
    """Every problem of ours of frictionless' kinds is one of frictionless' errors (resource,
    row, type, field), and each of frictionless' errors is ours, or a foreign key whose every
    cell has an error already (which ``validate`` does not report twice)."""
    # deferred: the catalogue of codes frictionless reports too
    from palliativ_data._validation.codes import FRICTIONLESS_CODES

    mine = json.loads((ours / "stdout").read_text(encoding="utf-8"))
    theirs = json.loads((base / "stdout").read_text(encoding="utf-8"))
    if mine["omitted"]:
        raise CheckFailed(f"validate problems: ours left problems out: {mine['omitted']}")

    def key(resource: str, row: int | None, kind: str, field: str | None) -> tuple[Any, ...]:
        return (resource, row, kind, None if kind in _ROW_ERRORS else field)

    frictionless_kinds = [p for p in mine["problems"]
                          if p["code"] in FRICTIONLESS_CODES and not _rule_made(p)]  # fmt: skip
    our_keys = {key(p["resource"], p["row"], p["code"], p["field"]) for p in frictionless_kinds}
    errors = [(task["name"], error) for task in theirs["tasks"] for error in task["errors"]]
    if any(task["warnings"] for task in theirs["tasks"]):
        raise CheckFailed("validate problems: frictionless stopped at its error limit")
    their_keys = {
        key(name, e.get("rowNumber"), e["type"], e.get("fieldName")) for name, e in errors
    }
    if our_keys - their_keys:
        raise CheckFailed(f"validate problems: ours only: {sorted(our_keys - their_keys)[:5]}")
    bad_cells = {(p["resource"], p["row"], p["field"]) for p in frictionless_kinds
                 if p["code"] not in _ROW_ERRORS}  # fmt: skip
    repeated = 0
    for name, error in errors:
        if key(name, error.get("rowNumber"), error["type"], error.get("fieldName")) in our_keys:
            continue
        fields = error.get("fieldNames") or []
        if error["type"] == "foreign-key" and all(
            (name, error["rowNumber"], field) in bad_cells for field in fields
        ):
            repeated += 1
            continue
        raise CheckFailed(f"validate problems: frictionless only: {name} {error['message']}")
    rules = len(mine["problems"]) - len(frictionless_kinds)
    return (
        f"the same {len(our_keys):,} table problems as frictionless' {len(errors):,} errors "
        f"({repeated:,} foreign keys of cells with an error not repeated); "
        f"{rules:,} more from the rules"
    )


def check_site(data: Dataset, ours: Path, base: Path) -> str:
    mine = sorted(p.relative_to(ours / "docs").as_posix() for p in (ours / "docs").rglob("*.md"))
    theirs = sorted(p.relative_to(base / "docs").as_posix() for p in (base / "docs").rglob("*.md"))
    if mine != theirs:
        raise CheckFailed(f"site: pages differ: {sorted(set(mine) ^ set(theirs))[:5]}")
    region = next(p for p in mine if p.startswith("en/regions/") and p != "en/regions/index.md")
    shown = _editions_in((ours / "docs" / region).read_text(encoding="utf-8"), data)
    return f"the same {len(mine)} pages; {region} shows editions {', '.join(shown)}"


def _editions_in(text: str, data: Dataset) -> list[str]:
    """The package's edition ids a page names (at least one)."""
    shown = sorted(
        set(re.findall(r"\b20[0-9]{2}-[0-9]{2}\b", text)) & set(edition_ids(data.editions))
    )
    if not shown:
        raise CheckFailed(f"a region page names none of {data.name}'s editions")
    return shown


def check_mkdocs(data: Dataset, ours: Path, base: Path) -> str:
    mine = sorted(p.relative_to(ours / "site").as_posix() for p in (ours / "site").rglob("*.html"))
    theirs = sorted(
        p.relative_to(base / "site").as_posix() for p in (base / "site").rglob("*.html")
    )
    if mine != theirs:
        raise CheckFailed(f"mkdocs: pages differ: {sorted(set(mine) ^ set(theirs))[:5]}")
    region = next(p for p in mine if p.startswith("en/regions/") and "index" not in p.split("/")[2])
    shown = _editions_in((ours / "site" / region).read_text(encoding="utf-8"), data)
    return f"the same {len(mine)} HTML pages; {region} shows editions {', '.join(shown)}"


def check_build(data: Dataset, ours: Path, base: Path) -> str:
    import sqlite3

    import openpyxl
    import pyarrow.parquet as pq

    from palliativ_data._release.formats import DESCRIPTOR, FORMATS

    (release,) = [p for p in (ours / "release").iterdir() if p.is_dir()]
    resources = _resources(data.csv_descriptor)
    for fmt in FORMATS:  # the same work: every format of the release, the baseline's too
        if fmt.listed_in == DESCRIPTOR:
            continue
        tables = [r["name"] for r in resources] if "{table}" in fmt.path else [""]
        files = [fmt.file(table=table, package="package") for table in tables]
        missing = [file for file in files if not (base / "release" / file).is_file()]
        if missing:
            raise CheckFailed(
                f"build: the baseline writes no {fmt.key} file ({missing[0]}); add the format to "
                "bench/cases/base_build.py, so that the baseline does the same work"
            )
    for resource in resources:
        name = resource["name"]
        mine = pq.ParquetFile(release / "parquet" / f"{name}.parquet").read()
        theirs = pq.ParquetFile(base / "release" / "parquet" / f"{name}.parquet").read()
        _same(_sorted(_as_text(mine)), _sorted(_as_text(theirs)), f"parquet {name}")
    (database,) = release.glob("*.sqlite")
    for path, label in ((database, "ours"), (base / "release" / "package.sqlite", "baseline")):
        with sqlite3.connect(path) as db:
            for resource in resources:
                name = resource["name"]
                count = db.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
                rows = pq.ParquetFile(release / "parquet" / f"{name}.parquet").metadata.num_rows
                if count != rows:
                    raise CheckFailed(f"build: {label} SQLite {name} has {count} rows, not {rows}")
    (workbook,) = release.glob("*.xlsx")
    for path, headings in ((workbook, 2), (base / "release" / "package.xlsx", 1)):
        book = openpyxl.load_workbook(path, read_only=True)  # the sheets' <dimension> only
        for resource in resources:
            name = resource["name"]
            rows = pq.ParquetFile(release / "parquet" / f"{name}.parquet").metadata.num_rows
            if book[name[:31]].max_row != rows + headings:
                raise CheckFailed(f"build: workbook {path.name} sheet {name} is not {rows} rows")
        book.close()
    return (
        f"the {len(resources)} Parquet files hold the same rows; SQLite and workbook row counts "
        "match"
    )


def _nothing(data: Dataset, ours: Path, base: Path) -> str:
    return "—"


CASES: list[Case] = [
    Case(
        "import",
        "import pyarrow",
        lambda d, o: _script("ours_import.py"),
        lambda d, o: _script("base_import.py"),
        _nothing,
    ),
    Case(
        "load parquet",
        "ParquetFile(f).read() of each",
        lambda d, o: _script("ours_load.py", d.descriptor),
        lambda d, o: _script("base_load.py", "parquet", d.descriptor),
        check_load_parquet,
        needs_parquet=True,
    ),
    Case(
        "load csv",
        "pyarrow.csv.read_csv of each",
        lambda d, o: _script("ours_load.py", d.csv_descriptor),
        lambda d, o: _script("base_load.py", "csv", d.csv_descriptor),
        check_load_csv,
    ),
    Case(
        "compare table",
        "DuckDB, the same table",
        lambda d, o: _script("ours_compare.py", d.descriptor, d.old, d.new),
        lambda d, o: _script("duckdb_compare.py", "table", d.descriptor, d.old, d.new),
        check_compare_table,
    ),
    Case(
        "compare json",
        "DuckDB, the same JSON",
        lambda d, o: [OURS_CLI, "compare", d.old, d.new, "--package", str(d.descriptor), "--json"],
        lambda d, o: _script("duckdb_compare.py", "json", d.descriptor, d.old, d.new),
        check_compare_json,
        stdout=True,
    ),
    Case(
        "validate",
        "frictionless validate",
        lambda d, o: [OURS_CLI, "validate", str(d.descriptor), "--json"],
        lambda d, o: [FRICTIONLESS_CLI, "validate", str(d.descriptor), "--json"],
        check_validate,
        stdout=True,
    ),
    Case(
        "validate problems",
        "frictionless validate",
        lambda d, o: [OURS_CLI, "validate", str(_problems(d)), "--json", "--all"],
        lambda d, o: [
            FRICTIONLESS_CLI,
            "validate",
            str(_problems(d)),
            "--json",
            "--limit-errors",
            "10000",
        ],
        check_validate_problems,
        stdout=True,
        min_rows=100_000,
        status=1,
    ),
    Case(
        "build",
        "frictionless + pyarrow + sqlite3 + XlsxWriter",
        lambda d, o: [OURS_CLI, "build", "--out", str(o / "release"), str(d.csv_descriptor.parent)],
        lambda d, o: _script("base_build.py", d.csv_descriptor, o / "release"),
        check_build,
    ),
    Case(
        "site",
        "the same, 2 editions",
        lambda d, o: _script("ours_site.py", d.csv_descriptor, o / "docs"),
        lambda d, o: _script("ours_site.py", _two(d).csv_descriptor, o / "docs"),
        check_site,
        growth=True,
    ),
    Case(
        "mkdocs",
        "the same, 2 editions",
        lambda d, o: _script("ours_mkdocs.py", d.csv_descriptor, o),
        lambda d, o: _script("ours_mkdocs.py", _two(d).csv_descriptor, o),
        check_mkdocs,
        growth=True,
    ),
]
CASE_NAMES = [case.name for case in CASES]
GROWTH_CASES = ["compare table", "compare json", "site", "mkdocs"]
GROWTH_EDITIONS = (2, 5, 10)


def _problems(data: Dataset) -> Path:
    """The descriptor of a copy of ``data`` with a mistake in one row in PROBLEMS_EVERY of
    every table (made next to it once, by ``generate.spoil``)."""
    folder = data.folder.with_name(f"{data.folder.name}-problems-{PROBLEMS_EVERY}")
    if not (folder / "datapackage.json").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(data.folder, folder)
        spoil(folder, PROBLEMS_EVERY)
    return folder / "datapackage.json"


def _two(data: Dataset) -> Dataset:
    if data.two_editions is None:
        raise ValueError(f"{data.name}: no 2-edition package to compare with (--growth)")
    return data.two_editions


# ---------------------------------------------------------------------------- running


def run_once(
    argv: list[str], out: Path, check: bool, stdout: bool, status: int = 0
) -> dict[str, float]:
    """Run one process (through _measure.py); wall seconds, CPU seconds, peak MiB. It must
    exit with ``status``."""
    out.mkdir(parents=True, exist_ok=True)
    peak_file = out / "peak"
    env = dict(os.environ)
    env.pop("BENCH_OUT", None)
    if check:
        env["BENCH_OUT"] = str(out)
    target = open(out / "stdout", "wb") if (check and stdout) else subprocess.DEVNULL  # noqa: SIM115
    with open(out / "stderr", "wb") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(MEASURE), str(peak_file), *argv],
            stdout=target,
            stderr=errors,
            env=env,
            cwd=str(out),
        )
        _, waited, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(waited)
    if target is not subprocess.DEVNULL:
        target.close()
    if process.returncode != status:
        message = (out / "stderr").read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"{shlex.join(argv)} exited with {process.returncode}:\n{message}")
    recorded = peak_file.read_text(encoding="ascii").strip()
    peak = float(recorded) if recorded != "None" else usage.ru_maxrss / 1024
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": peak}


def _summary(runs: list[dict[str, float]]) -> dict[str, float]:
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "peak_mb": statistics.median(r["peak_mb"] for r in runs),
        "peak_mb_max": max(r["peak_mb"] for r in runs),
    }


def _ratio(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def run_case(case: Case, data: Dataset, pairs: int, scratch: Path) -> dict[str, Any]:
    """The check run, then ``pairs`` alternating timed pairs (ours, baseline)."""
    folder = Path(tempfile.mkdtemp(prefix=case.name.replace(" ", "-") + "-", dir=scratch))
    try:
        sides = {"ours": case.ours, "baseline": case.base}
        checks = {
            side: run_once(argv(data, folder / side), folder / side, True, case.stdout, case.status)
            for side, argv in sides.items()
        }
        checked = case.check(data, folder / "ours", folder / "baseline")
        runs: dict[str, list[dict[str, float]]] = {"ours": [], "baseline": []}
        if pairs == 0:  # check only (smoke tests): the check runs stand in as the one pair
            runs = {side: [checks[side]] for side in sides}
        for number in range(pairs):
            for side, argv in sides.items():
                where = folder / f"{side}-{number}"
                runs[side].append(run_once(argv(data, where), where, False, False, case.status))
                shutil.rmtree(where, ignore_errors=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ours, base = _summary(runs["ours"]), _summary(runs["baseline"])
    pair = list(zip(runs["ours"], runs["baseline"], strict=True))
    return {
        "case": case.name,
        "baseline": case.baseline,
        "pairs": pairs,
        "ours": ours,
        "base": base,
        "ratio": _ratio([a["seconds"] / b["seconds"] for a, b in pair]),
        "cpu_ratio": _ratio([a["cpu"] / b["cpu"] for a, b in pair]),
        "memory_ratio": _ratio([a["peak_mb"] / b["peak_mb"] for a, b in pair]),
        "runs": [[a["seconds"], b["seconds"]] for a, b in pair],
        "check": {"passed": True, "what": checked},
    }


def compile_sources() -> list[str]:
    """Byte-compile palliativ_data and the case scripts' helper; the folders compiled.

    An installed package has its ``.pyc`` files (pip writes them), but a source checkout with
    ``PYTHONDONTWRITEBYTECODE=1`` set (as on the machines this was written on) has none: every
    run would compile the project's ~60 modules again (0.1–0.2 s) while DuckDB, pyarrow and
    frictionless load from their ``.pyc`` files. ``compileall`` writes them whatever that
    variable says, so both sides start from bytecode.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("palliativ_data")
    folders = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    folders.append(CASES_DIR)
    for folder in folders:
        compileall.compile_dir(str(folder), quiet=1)
    return [str(folder) for folder in folders]


def bundled_dataset() -> Dataset:
    descriptor = ROOT / "datapackage" / "datapackage.json"
    editions = sorted(
        line.split(",", 1)[0]
        for line in (ROOT / "datapackage" / "data" / "editions.csv")
        .read_text("utf-8")
        .splitlines()[1:]
        if line.strip()
    )
    gaps = len((ROOT / "datapackage" / "data" / "gaps.csv").read_text("utf-8").splitlines()) - 1
    return Dataset(
        "bundled",
        descriptor.parent,
        descriptor,
        descriptor,
        "2026-02",
        "2026-06",
        gaps,
        len(editions),
        parquet=False,
    )


def synthetic_dataset(gap_rows: int, editions: int, root: Path, reuse: bool = False) -> Dataset:
    folder = root / f"gaps-{gap_rows}-editions-{editions}"
    if not (reuse and (folder / "datapackage-csv.json").is_file()):  # generation is seeded
        folder = generate(folder, gap_rows, editions)
    ids = edition_ids(editions)
    return Dataset(
        f"{gap_rows}x{editions}",
        folder,
        folder / "datapackage.json",
        folder / "datapackage-csv.json",
        ids[-2],
        ids[-1],
        gap_rows,
        editions,
        parquet=True,
    )


def _megabytes(data: Dataset) -> dict[str, float]:
    csv = sum(p.stat().st_size for p in data.folder.rglob("*.csv"))
    parquet = sum(p.stat().st_size for p in data.folder.rglob("*.parquet"))
    return {"csv_mb": round(csv / 2**20, 2), "parquet_mb": round(parquet / 2**20, 2)}


def run_dataset(
    data: Dataset, cases: list[str], pairs: int, scratch: Path, echo: Callable[[str], None]
) -> dict[str, Any]:
    results = []
    for case in CASES:
        if case.name not in cases or (case.needs_parquet and not data.parquet):
            continue
        if case.min_rows and (not data.parquet or data.gap_rows < case.min_rows):
            continue  # (the bundled package is not a copy to spoil)
        if case.growth and (data.two_editions is None or data.editions <= 2):
            continue
        if case.name == "import" and _DATASETS_RUN:
            continue  # data-independent: measured once, with the first dataset (the bundled one)
        load = _load_average()
        result = run_case(case, data, pairs, scratch)
        result["load_average"] = load
        results.append(result)
        echo(render_row(data.name, result))
    _DATASETS_RUN.add(data.name)
    return {
        "dataset": data.name,
        "gap_rows": data.gap_rows,
        "editions": data.editions,
        "compared": [data.old, data.new],
        **_megabytes(data),
        "cases": results,
    }


_DATASETS_RUN: set[str] = set()


def _load_average() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def describe_machine() -> dict[str, Any]:
    """CPU, cores, Python, operating system and library versions of this run."""
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    libraries = {}
    for name in (
        "palliativ-data",
        "pyarrow",
        "pydantic",
        "pydantic-core",
        "duckdb",
        "frictionless",
        "numpy",
    ):
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:
            libraries[name] = None
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_average": _load_average(),
        "libraries": libraries,
    }


# ---------------------------------------------------------------------------- output


def goal_checks(
    case: str, gap_rows: int, result: dict[str, Any], dataset: str = "", editions: int = 0
) -> list[tuple[str, float, float]]:
    """The issues' goals for this result: (what, measured, limit) each, met when measured is
    at most (ratios) or below (peak MiB, seconds) the limit; empty when none applies."""
    goal = GOALS.get(case)
    if goal is None:
        return []
    if dataset == "bundled":
        checks = []
        for what in goal.get("bundled", []):
            if what == "ratio":
                limit = goal.get("bundled_ratio", goal["ratio"])
                checks.append(("ratio", result["ratio"]["median"], limit))
            elif what == "seconds":
                checks.append(("seconds", result["ours"]["seconds"], goal["seconds"]))
        return checks
    if "editions" in goal:
        if editions != goal["editions"]:
            return []
        return [("ratio", result["ratio"]["median"], goal["ratio"])]
    if gap_rows < 1_000_000:
        return []
    checks = [("ratio", result["ratio"]["median"], goal["ratio"])]
    if "memory" in goal:
        checks.append(("memory ratio", result["memory_ratio"]["median"], goal["memory"]))
    if "peak_mb" in goal:
        checks.append(("peak MB", result["ours"]["peak_mb_max"], goal["peak_mb"]))
    return checks


def goal_verdict(
    case: str, gap_rows: int, result: dict[str, Any], dataset: str = "", editions: int = 0
) -> str | None:
    """'met' / 'NOT met' against the issue's goal (see :data:`GOALS`), or None."""
    checks = goal_checks(case, gap_rows, result, dataset, editions)
    if not checks:
        return None
    met = all(
        value <= limit if what.endswith("ratio") else value < limit for what, value, limit in checks
    )
    return "met" if met else "NOT met"


HEADER = (
    f"{'data':<12}{'case':<15}{'ours s':>9}{'base s':>9}  {'ratio (min–max)':<20}"
    f"{'cpu':>6}{'peak MB ours/base':>19}  baseline"
)


def render_row(dataset: str, result: dict[str, Any]) -> str:
    r, o, b = result["ratio"], result["ours"], result["base"]
    ratio = f"{r['median']:.2f}× ({r['min']:.2f}–{r['max']:.2f})"
    peak = f"{o['peak_mb']:.0f} / {b['peak_mb']:.0f}"
    return (
        f"{dataset:<12}{result['case']:<15}{o['seconds']:>9.3f}{b['seconds']:>9.3f}  {ratio:<20}"
        f"{result['cpu_ratio']['median']:>5.2f}×{peak:>19}  {result['baseline']}"
    )


def render(report: dict[str, Any]) -> str:
    lines = [HEADER]
    for dataset in report["datasets"]:
        for result in dataset["cases"]:
            lines.append(render_row(dataset["dataset"], result))
    return "\n".join(lines)


PARTS: dict[int, dict[str, Any]] = {
    1: {"sizes": [1_000, 10_000, 100_000], "extra": "", "no_bundled": False, "cases": CASE_NAMES,
        "growth": 0},
    2: {"sizes": [1_000_000], "extra": "", "no_bundled": True, "growth": 0,
        "cases": ["load parquet", "load csv", "compare table", "compare json"]},
    3: {"sizes": [], "extra": "1000000x50", "no_bundled": True, "cases": CASE_NAMES, "growth": 0},
    4: {"sizes": [1_000_000], "extra": "", "no_bundled": True, "growth": 0,
        "cases": ["validate", "validate problems"]},
    5: {"sizes": [1_000_000], "extra": "", "no_bundled": True, "cases": ["build"], "growth": 0},
    6: {"sizes": [], "extra": "", "no_bundled": True, "cases": GROWTH_CASES, "growth": 200},
}  # fmt: skip
"""``--part N``: the default run cut in six (1 starts the result file, 2–6 add to it)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Paired benchmarks of palliativ-data against pyarrow, DuckDB and frictionless.",
        epilog="Example (a quick look): .venv/bin/python bench/run.py --sizes 1000 --pairs 3 --extra ''",
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[1_000, 10_000, 100_000, 1_000_000],
        help="gap rows of the synthetic packages (default 10^3 … 10^6)",
    )
    parser.add_argument(
        "--editions",
        type=int,
        nargs="+",
        default=[2],
        help="edition counts at every size (default 2)",
    )
    parser.add_argument(
        "--extra",
        default="1000000x50",
        help="one more GAPSxEDITIONS package, load and compare only ('' for none)",
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=5,
        help="timed pairs per case (default 5); 0: only the check run, its timings shown as "
        "one pair (for smoke tests, not for figures)",
    )
    parser.add_argument("--cases", nargs="+", choices=CASE_NAMES, default=CASE_NAMES)
    parser.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="CASE=ROWS",
        help="run CASE only up to ROWS gap rows, e.g. --limit validate=10000 "
        "(repeatable; for a shorter run)",
    )
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled package")
    parser.add_argument(
        "--out",
        type=Path,
        default=RESULTS,
        help=f"JSON result file (default {RESULTS.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        type=Path,
        help="keep the synthetic packages here (and reuse those already there)",
    )
    parser.add_argument(
        "--append",
        action="store_true",
        help="add to the result file --out instead of replacing it (a case measured again "
        "replaces its old figures)",
    )
    parser.add_argument(
        "--part",
        type=int,
        choices=sorted(PARTS),
        help="run one part of the default run (sets --sizes, --extra, --cases, --no-bundled, "
        "--growth; parts 2-6 --append): 1 bundled + 10^3..10^5 every case, 2 10^6 load and "
        "compare, 3 10^6 over 50 editions, 4 10^6 validate (clean and with problems), 5 10^6 "
        "build, 6 compare, site and mkdocs over 2, 5 and 10 editions",
    )
    parser.add_argument(
        "--growth",
        type=int,
        default=200,
        metavar="GAPS",
        help="packages of GAPS gap rows per edition over 2, 5 and 10 editions: compare, site "
        "and mkdocs, the last two against the same on 2 editions (default 200; 0: none)",
    )
    args = parser.parse_args(argv)
    if args.part is not None:
        for name, value in PARTS[args.part].items():
            setattr(args, name, value)
        args.append = args.append or args.part != 1
    if args.pairs < 0:
        parser.error("--pairs must be at least 0")
    try:
        limits = {case: int(rows) for case, rows in (item.rsplit("=", 1) for item in args.limit)}
    except ValueError:
        parser.error("--limit takes CASE=ROWS, e.g. --limit validate=10000")
    unknown = set(limits) - set(CASE_NAMES)
    if unknown:
        parser.error(f"--limit: unknown case(s) {sorted(unknown)}; cases: {', '.join(CASE_NAMES)}")
    args.limits = limits

    def save(report: dict[str, Any]) -> None:  # after every dataset: a long run keeps its part
        args.out.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        args.out.write_text(text, encoding="utf-8")

    run(args, echo=lambda line: print(line, flush=True), save=save)
    print(f"wrote {args.out}")
    return 0


def run(
    args: argparse.Namespace,
    echo: Callable[[str], None] = lambda line: None,
    save: Callable[[dict[str, Any]], None] = lambda report: None,
) -> dict[str, Any]:
    """Run the benchmarks ``args`` asks for; the JSON-ready report (``save``d as it grows)."""
    started = dt.datetime.now(dt.UTC)
    command = ["python", "bench/run.py", *(sys.argv[1:] if __name__ == "__main__" else [])]
    machine = describe_machine()
    earlier: dict[str, Any] = {}
    out = getattr(args, "out", None)
    if getattr(args, "append", False) and out is not None and Path(out).is_file():
        earlier = json.loads(Path(out).read_text(encoding="utf-8"))
    parts: list[dict[str, Any]] = list(earlier.get("parts", []))
    if earlier and not parts:  # a result written before there were parts
        parts = [{key: earlier[key] for key in ("command", "started", "finished", "pairs")}]
        parts[0]["load_average"] = earlier["machine"].get("load_average")
    datasets: list[dict[str, Any]] = []

    def merged() -> list[dict[str, Any]]:
        """The earlier datasets with this run's cases put in (a case run again replaces)."""
        by_name = {
            d["dataset"]: {**d, "cases": list(d["cases"])} for d in earlier.get("datasets", [])
        }
        for dataset in datasets:
            old = by_name.get(dataset["dataset"])
            if old is None:
                by_name[dataset["dataset"]] = dataset
                continue
            fresh = {case["case"] for case in dataset["cases"]}
            cases = [c for c in old["cases"] if c["case"] not in fresh] + dataset["cases"]
            cases.sort(key=lambda c: CASE_NAMES.index(c["case"]) if c["case"] in CASE_NAMES else 99)
            by_name[dataset["dataset"]] = {**dataset, "cases": cases}
        return sorted(
            by_name.values(),
            key=lambda d: (d["dataset"] != "bundled", d["gap_rows"], d["editions"]),
        )

    def report() -> dict[str, Any]:
        part = {
            "command": shlex.join(command),
            "started": started.isoformat(timespec="seconds"),
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "pairs": args.pairs,
            "load_average": machine["load_average"],
        }
        return {
            "format": "palliativ-data-bench",
            "format_version": 1,
            **{key: part[key] for key in ("command", "started", "finished", "pairs")},
            "parts": [*parts, part],
            "machine": machine,
            "goals": {name: goal["text"] for name, goal in GOALS.items()},
            "datasets": merged(),
        }

    compile_sources()
    plan: list[tuple[int, int, list[str], int]] = [
        (size, editions, args.cases, 0) for size in args.sizes for editions in args.editions
    ]
    if args.extra:
        gaps, editions = (int(x) for x in args.extra.lower().split("x"))
        extra_cases = [c for c in args.cases if c.startswith(("load", "compare"))]
        if (gaps, editions) not in [(g, e) for g, e, _, _ in plan] and extra_cases:
            plan.append((gaps, editions, extra_cases, 0))
    growth = getattr(args, "growth", 0)
    growth_cases = [c for c in args.cases if c in GROWTH_CASES]
    if growth and growth_cases:
        plan += [(growth * e, e, growth_cases, growth) for e in GROWTH_EDITIONS]
    _DATASETS_RUN.clear()
    echo(HEADER)
    with tempfile.TemporaryDirectory(prefix="palliativ-bench-") as temporary:
        scratch = Path(temporary)
        root = args.keep or scratch
        if not args.no_bundled:
            datasets.append(run_dataset(bundled_dataset(), args.cases, args.pairs, scratch, echo))
            save(report())
        limits = getattr(args, "limits", {})
        reuse = args.keep is not None
        for gaps, editions, cases, per_edition in plan:
            cases = [case for case in cases if gaps <= limits.get(case, gaps)]
            data = synthetic_dataset(gaps, editions, root, reuse=reuse)
            if per_edition:  # --growth: the 2-edition package is the baseline of site, mkdocs
                two = synthetic_dataset(per_edition * 2, 2, root, reuse=True)
                data = dataclasses.replace(data, two_editions=two)
            datasets.append(run_dataset(data, cases, args.pairs, scratch, echo))
            save(report())
            if not args.keep and not per_edition:  # (the growth packages are small)
                shutil.rmtree(data.folder, ignore_errors=True)
                shutil.rmtree(data.folder.with_name(f"{data.folder.name}-problems-"
                                                    f"{PROBLEMS_EVERY}"), ignore_errors=True)  # fmt: skip
    final = report()
    save(final)
    return final


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
