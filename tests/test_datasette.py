"""The release's SQLite file is Datasette-ready: indexes on foreign keys, and a metadata file
(title, licence, source, table and column descriptions, label columns) that Datasette serves.

The server test starts ``datasette`` on 127.0.0.1 with the release's files, as a reader
would, and reads the metadata and one table's JSON over HTTP.
"""

from __future__ import annotations

import csv
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from palliativ_data._io import read_json
from palliativ_data._paths import bundled_package_dir
from palliativ_data._release.build import build_release
from palliativ_data._release.metadata.datasette import DATASETTE_FILE, label_column
from palliativ_data._schema.tableschema import load_table_schema, resource_names

PACKAGE = bundled_package_dir()
DESCRIPTOR = read_json(PACKAGE / "datapackage.json")
DATABASE = DESCRIPTOR["name"]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_release(tmp_path_factory.mktemp("ds") / "dist", validate=False).release_dir


@pytest.fixture(scope="module")
def metadata(release: Path) -> dict[str, Any]:
    return read_json(release / DATASETTE_FILE)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def server(release: Path) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(release / f"{DATABASE}.sqlite"),
            "--metadata",
            str(release / DATASETTE_FILE),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--setting",
            "default_page_size",
            "1000",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(url + "/-/versions.json")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"datasette did not start:\n{output}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_metadata_has_title_licence_source_and_every_table(metadata: dict[str, Any]) -> None:
    assert metadata["title"] == DESCRIPTOR["title"]
    assert metadata["description"] == DESCRIPTOR["description"]
    assert metadata["license"] == DESCRIPTOR["licenses"][0]["name"]
    assert metadata["license_url"] == DESCRIPTOR["licenses"][0]["path"]
    for source in DESCRIPTOR["sources"]:
        assert source["title"] in metadata["source"]
    tables = metadata["databases"][DATABASE]["tables"]
    assert list(tables) == resource_names()


@pytest.mark.parametrize("name", resource_names())
def test_table_and_column_descriptions_come_from_schema(
    metadata: dict[str, Any], name: str
) -> None:
    table_schema = load_table_schema(name)
    table = metadata["databases"][DATABASE]["tables"][name]
    assert table["description"] == table_schema["description"]
    assert table["columns"] == {f["name"]: f["description"] for f in table_schema["fields"]}
    assert table.get("label_column") == label_column(table_schema)


def test_every_table_other_tables_point_to_has_a_label(metadata: dict[str, Any]) -> None:
    referenced = {
        key["reference"]["resource"]
        for name in resource_names()
        for key in load_table_schema(name).get("foreignKeys") or []
        if key["reference"].get("resource") and isinstance(key["fields"], str)
    }
    tables = metadata["databases"][DATABASE]["tables"]
    assert referenced - {"gaps"} <= {name for name, t in tables.items() if t.get("label_column")}


@pytest.mark.parametrize("name", resource_names())
def test_foreign_key_lookups_use_an_index(release: Path, name: str) -> None:
    connection = sqlite3.connect(release / f"{DATABASE}.sqlite")
    try:
        for key in load_table_schema(name).get("foreignKeys") or []:
            columns = [key["fields"]] if isinstance(key["fields"], str) else key["fields"]
            where = " AND ".join(f'"{column}" = ?' for column in columns)
            plan = " ".join(
                str(step[-1])
                for step in connection.execute(
                    f'EXPLAIN QUERY PLAN SELECT * FROM "{name}" WHERE {where}', ["x"] * len(columns)
                )
            )
            assert "USING" in plan and "INDEX" in plan, (name, columns, plan)
    finally:
        connection.close()


def test_datasette_serves_metadata_and_table_json(server: str) -> None:
    served = _get(server + "/-/metadata.json")
    assert served["title"] == DESCRIPTOR["title"]
    assert served["license"] == DESCRIPTOR["licenses"][0]["name"]
    regions = _get(server + f"/{DATABASE}/regions.json?_shape=array")
    with (PACKAGE / "data" / "regions.csv").open(encoding="utf-8", newline="") as handle:
        expected = {row["region_code"]: row for row in csv.DictReader(handle)}
    assert {row["region_code"] for row in regions} == set(expected)
    names = {row["region_code"]: row["name_official_sv"] for row in regions}
    gaps = _get(server + f"/{DATABASE}/gaps.json?_shape=array&_labels=on&_size=5")
    assert gaps, "no gaps served"
    for row in gaps:
        assert row["region_code"]["label"] == names[row["region_code"]["value"]]
