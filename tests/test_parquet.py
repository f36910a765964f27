"""The Parquet fast path of Package.table: a release loads from Parquet, identical to its CSV."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import palliativ_data as pdata
from palliativ_data._schema.parquet_reader import parquet_copy, read_parquet_table


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    result = pdata.build_release(tmp_path_factory.mktemp("dist"), validate=False)
    return result.release_dir


def _resource(folder, name):
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in descriptor["resources"] if r["name"] == name)


def test_release_tables_come_from_parquet_and_equal_the_csv(release):
    bundled = pdata.load()
    copy = pdata.load(release)
    for name in bundled.resource_names:
        assert (
            parquet_copy(_resource(release, name), release)
            == release / "parquet" / f"{name}.parquet"
        )
        expected = bundled.table(name)
        got = copy.table(name)
        assert got.schema.equals(expected.schema, check_metadata=True), name
        # the same rows in the same order: the Parquet copy keeps the CSV's (source) order
        assert got.to_pylist() == expected.to_pylist(), name


def test_a_csv_edited_after_the_build_is_read_instead(release, tmp_path):
    folder = tmp_path / "release"
    shutil.copytree(release, folder)
    path = folder / "csv" / "regions.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Stockholm", "Stockholm (edited)", 1),
        encoding="utf-8",
    )
    assert parquet_copy(_resource(folder, "regions"), folder) is None
    with pytest.raises(pdata.IntegrityError):  # load() verifies by default
        pdata.load(folder).table("regions")
    names = pdata.load(folder, verify=False).table("regions").column("name_source").to_pylist()
    assert "Stockholm (edited)" in names


def test_a_damaged_parquet_copy_is_not_used(release, tmp_path):
    folder = tmp_path / "release"
    shutil.copytree(release, folder)
    target = folder / "parquet" / "regions.parquet"
    pq.write_table(pq.ParquetFile(target).read().slice(0, 3), target)
    assert parquet_copy(_resource(folder, "regions"), folder) is None
    with pytest.raises(pdata.IntegrityError):  # load() verifies by default
        pdata.load(folder).table("regions")
    expected = pdata.load().table("regions").num_rows
    assert pdata.load(folder, verify=False).table("regions").num_rows == expected


def test_the_bundled_package_has_no_parquet_copy():
    pkg = pdata.load()
    for name in pkg.resource_names:
        assert parquet_copy(_resource(pkg.path, name), pkg.path) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.drop_columns(["notes"]), "columns"),
        (lambda t: t.set_column(2, "category", pa.array(["bogus"] * t.num_rows)), "bogus"),
        (lambda t: t.set_column(1, "region_code", pa.nulls(t.num_rows, pa.string())), "required"),
    ],
)
def test_read_parquet_table_checks_the_schema(release, tmp_path, change, message):
    table = pq.ParquetFile(release / "parquet" / "classifications.parquet").read()
    pq.write_table(change(table), tmp_path / "bad.parquet")
    schema = _resource(release, "classifications")["schema"]
    with pytest.raises(pdata.DataError) as caught:
        read_parquet_table(tmp_path / "bad.parquet", "classifications", table_schema=schema)
    assert message in str(caught.value)


def test_loading_a_release_does_not_import_pandas(release, modules_after):
    code = "import sys, palliativ_data as p\npkg = p.load(sys.argv[1])\n[pkg.table(n) for n in pkg.resource_names]"
    heavy = {"pandas", "polars", "frictionless", "pyarrow.dataset"}
    assert not heavy & modules_after(code, str(release))


def test_compare_of_a_release_equals_compare_of_its_csv(release):
    """The Parquet copy is read in the CSV's order, so the report (whose gaps follow each
    edition's list order) is the same whichever copy is read."""
    from_release = pdata.load(release).compare("2026-02", "2026-06")
    from_csv = pdata.load().compare("2026-02", "2026-06")
    assert from_release.to_json() == from_csv.to_json()
    assert [gap.gap_key for gap in from_release.gaps] == [gap.gap_key for gap in from_csv.gaps]
