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


def test_a_parquet_dictionary_in_another_order_is_mapped_to_the_enum(tmp_path, release):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from palliativ_data.schema.parquet import read_parquet_table

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
