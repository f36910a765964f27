"""The fast paths give the same results as the plain ones (issue 12).

* compare on a release folder reads only the compared editions from the Parquet copy (filtered
  while reading, not cached) and gives exactly what it gives on the CSV files;
* ``import palliativ_data`` and ``load()`` + ``table()`` build no pydantic model; records do.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

import palliativ_data as pdata

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_generate_fast", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(tmp_path_factory.mktemp("release") / "package", 2000, 5)


def test_compare_on_parquet_reads_only_the_compared_editions(release):
    fast, plain = pdata.load(release), pdata.load(release / "datapackage-csv.json")
    for old, new in (("2030-03", "2030-04"), ("2030-05", "2030-01"), ("2030-02", "2030-02")):
        quick, slow = fast.compare(old, new), plain.compare(old, new)
        assert quick.to_table().equals(slow.to_table())
        assert quick.to_json() == slow.to_json()
        assert quick.gaps == slow.gaps
    assert "gaps" not in fast._tables  # filtered while reading, never the whole table
    assert "gaps" in plain._tables
    editions = fast._rows_where("gaps", "edition", ["2030-02"]).column("edition")
    assert set(editions.cast("string").to_pylist()) == {"2030-02"}
    assert len(editions) == 400


def test_compare_across_a_parquet_and_a_csv_package(release):
    fast, plain = pdata.load(release), pdata.load(release / "datapackage-csv.json")
    cross = pdata.compare(fast, plain, "2030-04", "2030-05", region="23")
    assert cross.to_json() == plain.compare("2030-04", "2030-05", region="23").to_json()


def test_cached_table_is_filtered_in_memory(release):
    pkg = pdata.load(release)
    whole = pkg.table("gaps")
    rows = pkg._rows_where("gaps", "edition", ["2030-01", "2030-05"])
    assert rows.num_rows == 800 < whole.num_rows


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_tables_need_no_pydantic_models_and_records_load_them():
    seen = _run(
        "import sys, palliativ_data as p\n"
        "print('pydantic' in sys.modules)\n"
        "pkg = p.load()\n"
        "rows = sum(pkg.table(n).num_rows for n in pkg.resource_names)\n"
        "print('pydantic' in sys.modules, rows > 0)\n"
        "print(type(pkg.editions[0]).__name__, 'pydantic' in sys.modules)\n"
        "print(p.Gap.__name__, p.Region.__module__, sorted(p.__all__) == sorted(set(p.__all__)))"
    ).splitlines()
    assert seen == ["False", "False True", "Edition True", "Gap palliativ_data True"]


def test_public_names_are_unchanged_and_resolve():
    names = _run("import palliativ_data as p; print(' '.join(p.__all__))").split()
    assert {"Gap", "Region", "Record", "load", "Package", "compare", "validate"} <= set(names)
    for name in names:
        assert getattr(pdata, name) is not None
    from palliativ_data import GapAnswer, Stance  # from-imports of lazy names work

    assert issubclass(GapAnswer, pdata.Record) and issubclass(Stance, pdata.Record)


def test_loading_a_release_needs_no_compute_kernels(release):
    seen = _run(
        "import sys, palliativ_data as p\n"
        f"pkg = p.load({str(release)!r})\n"
        "tables = [pkg.table(n) for n in pkg.resource_names]\n"
        "print('pyarrow.compute' in sys.modules, 'pydantic' in sys.modules)\n"
        "print(tables[0].schema.field('region_code').type, tables[0].num_rows)"
    ).splitlines()
    assert seen == ["False False", "string 21"]


def test_loading_the_csv_files_needs_no_compute_kernels():
    seen = _run(
        "import sys, palliativ_data as p\n"
        "pkg = p.load()\n"
        "tables = [pkg.table(n) for n in pkg.resource_names]\n"
        "print('pyarrow.compute' in sys.modules, 'pandas' in sys.modules)\n"
        "c = pkg.table('classifications').column('category')\n"
        "print(c.type, c.chunk(0).dictionary.to_pylist()[0])"
    ).splitlines()
    assert seen == [
        "False False",
        "dictionary<values=string, indices=int32, ordered=0> concrete_plans",
    ]


def test_enum_columns_of_a_csv_in_several_blocks_map_to_the_enum(tmp_path):
    """Each block of a large CSV has its own dictionary, in order of appearance."""
    import csv
    import itertools

    import pyarrow as pa

    from palliativ_data._schema.csv_reader import read_csv_table
    from palliativ_data._schema.tableschema import load_table_schema

    schema = load_table_schema("classifications")
    fields = [field["name"] for field in schema["fields"]]
    enum = next(f for f in schema["fields"] if f["name"] == "category")["constraints"]["enum"]
    # a later value first, so the CSV reader's dictionary is not the enum's order
    categories = list(itertools.islice(itertools.cycle(enum[::-1]), 40_000))
    path = tmp_path / "classifications.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(fields)
        for number, category in enumerate(categories):
            row = {"edition": f"{2000 + number // 21}-06", "region_code": f"{number % 21:02d}",
                   "category": category, "position": number + 1, "source_ref": "x" * 40}  # fmt: skip
            writer.writerow([row.get(name, "") for name in fields])
    table = read_csv_table(path, "classifications", table_schema=schema)
    column = table.column("category")
    assert column.num_chunks > 1  # several blocks, several CSV dictionaries
    assert column.type == pa.dictionary(pa.int32(), pa.string())
    for chunk in column.chunks:
        assert chunk.dictionary.to_pylist() == enum
    assert column.to_pylist() == categories


def test_a_release_writes_a_row_group_per_edition(release):
    import pyarrow.parquet as pq

    from palliativ_data._release.parquet import ROW_GROUP_ROWS, row_groups

    metadata = pq.ParquetFile(release / "parquet" / "gaps.parquet").metadata
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert sizes == [400] * 5  # 2,000 gap rows, 5 editions
    column = metadata.schema.names.index("edition")
    groups = [metadata.row_group(i).column(column).statistics for i in range(5)]
    assert [(s.min, s.max) for s in groups] == [(e, e) for e in
            ("2030-01", "2030-02", "2030-03", "2030-04", "2030-05")]  # fmt: skip
    import pyarrow as pa

    many = pa.table({"edition": ["a"] * (ROW_GROUP_ROWS + 5) + ["b"] * 3})
    assert row_groups(many, ["edition", "gap_key"]) == [ROW_GROUP_ROWS, 5, 3]
    assert row_groups(many, ["response_id"]) == [ROW_GROUP_ROWS, 8]


def test_a_parquet_dictionary_in_another_order_is_mapped_to_the_enum(tmp_path, release):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from palliativ_data._schema.parquet_reader import read_parquet_table

    pkg = pdata.load(release)
    table = pkg.table("gap_answers")
    stance = table.column("stance").combine_chunks()
    reordered = stance.dictionary.to_pylist()[::-1]  # same values, reversed dictionary
    remapped = pa.DictionaryArray.from_arrays(
        pa.array([len(reordered) - 1 - i for i in stance.indices.to_pylist()], pa.int32()),
        pa.array(reordered),
    )
    path = tmp_path / "gap_answers.parquet"
    pq.write_table(table.set_column(table.column_names.index("stance"), "stance", remapped), path)
    schema = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in schema["resources"] if r["name"] == "gap_answers"]
    back = read_parquet_table(path, "gap_answers", table_schema=resource["schema"])
    assert back.column("stance").combine_chunks().dictionary.equals(stance.dictionary)
    assert back.column("stance").to_pylist() == table.column("stance").to_pylist()


@pytest.mark.parametrize("side", ["old", "new"])
def test_a_gap_key_listed_twice_in_an_edition_is_reported(tmp_path, side):
    import csv
    import shutil

    from palliativ_data._paths import bundled_package_dir

    package = tmp_path / "package"
    shutil.copytree(bundled_package_dir(), package)
    path = package / "data" / "gaps.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    edition = "2026-02" if side == "old" else "2026-06"
    twice = next(row for row in rows if row["edition"] == edition)
    rows.append(dict(twice))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(
        pdata.DataError, match=f"Edition {edition} lists gap_key.*{twice['gap_key']}"
    ):
        pdata.load(package).compare("2026-02", "2026-06")


def test_the_cli_compare_picks_the_c_allocator_unless_told_otherwise():
    code = (
        "import pyarrow as pa\n"
        "from palliativ_data._cli.commands import _lean_allocator\n"
        "_lean_allocator()\n"
        "print(pa.default_memory_pool().backend_name)"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    chosen = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env=env).stdout.strip()  # fmt: skip
    told = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**env, "ARROW_DEFAULT_MEMORY_POOL": "jemalloc"})  # fmt: skip
    assert chosen == "system"
    assert told.stdout.strip() == "jemalloc"


@pytest.mark.parametrize("group_rows", [None, 300, 400])
def test_filtered_parquet_read_equals_filtering_the_whole_table(tmp_path, release, group_rows):
    """Row groups of one edition (statistics decide), straddling ones (the key column does)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from palliativ_data._schema.parquet_reader import _read, _row_group_plan

    whole = pq.ParquetFile(release / "parquet" / "gaps.parquet").read()
    path = tmp_path / "gaps.parquet"
    if group_rows is None:
        path = release / "parquet" / "gaps.parquet"  # as a release writes it: one per edition
    else:
        pq.write_table(whole, path, row_group_size=group_rows)
    wanted = ["2030-02", "2030-05"]
    got = _read(pq.ParquetFile(path), ("edition", wanted))
    expected = whole.filter(
        pc.is_in(whole.column("edition").cast("string"), value_set=pa_strings(wanted))
    )
    assert got.to_pylist() == expected.to_pylist() and got.num_rows == 800
    plan = _row_group_plan(pq.ParquetFile(path), "edition", set(wanted))
    if group_rows is None or group_rows == 400:
        assert plan == ["skip", "whole", "skip", "skip", "whole"]
    else:  # 300-row groups: some hold two editions and are tested row by row
        assert "test" in plan and "whole" in plan and "skip" in plan
    assert _read(pq.ParquetFile(path), ("edition", ["1999-01"])).num_rows == 0


def pa_strings(values):
    import pyarrow as pa

    return pa.array(values, pa.string())


VALIDATE_IMPORTS = {
    "pyarrow",  # the tables (pyarrow.compute too, for the fast path's checks)
    "numpy",  # imported by pyarrow itself
    "cython_runtime",  # pyarrow's
    "jsonschema_rs",  # the descriptor against the Data Package v2 profile (jsonschema only
    "dplib",  # when it is invalid); dplib ships the profile
    "packaging",  # data versions
    "palliativ_data",
}
"""Every third-party package ``palliativ-data validate`` imports on the bundled package."""


def test_a_clean_validate_imports_only_what_it_needs():
    """``palliativ-data validate`` on the bundled package imports the packages above and no
    other (by name, not by time): not frictionless (the fast path judges every table),
    pandas (pyarrow imports it for a Python scalar or Acero), pydantic (the models), jsonschema
    (only for a descriptor the profile rejects), the release, site or round libraries."""
    code = (
        "import io, sys, contextlib\n"
        "from palliativ_data._cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    status = main(['validate', '--json'])\n"
        "names = {m.split('.')[0] for m in sys.modules}\n"
        "print(status, *sorted(n for n in names - set(sys.stdlib_module_names)"
        " if not n.startswith('_')))"
    )
    status, *imported = _run(code).split()
    assert status == "0"
    assert set(imported) == VALIDATE_IMPORTS
    modules = _run(
        "import sys, io, contextlib\nfrom palliativ_data._cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['validate'])\n"
        "print(' '.join(m for m in sys.modules if m.startswith('pyarrow.')))"
    ).split()
    assert "pyarrow.compute" in modules
