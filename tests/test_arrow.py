"""Arrow schemas come from schema/, and CSV → Arrow → CSV gives back the curated bytes."""

from __future__ import annotations

import csv
import io
import json

import pyarrow as pa
import pytest

from palliativ_data._errors import DataError, PalliativDataError, UnknownNameError
from palliativ_data._io import read_json
from palliativ_data._paths import bundled_package_dir, schema_dir
from palliativ_data._schema.arrow_schemas import (
    DATA_VERSION_KEY,
    DESCRIPTION_KEY,
    PRIMARY_KEY_KEY,
    RESOURCE_KEY,
    arrow_schema,
)
from palliativ_data._schema.csv_reader import read_csv_table
from palliativ_data._schema.tableschema import load_table_schema, resource_names

RESOURCES = resource_names()
FIELDS = [(name, field) for name in RESOURCES for field in load_table_schema(name)["fields"]]
EXPECTED_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}


def _csv_path(name: str):
    return bundled_package_dir() / "data" / f"{name}.csv"


def _canonical(raw: str) -> str:
    """The same rows re-serialised by the stdlib csv module with minimal quoting."""
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(("name", "field"), FIELDS, ids=[f"{n}.{f['name']}" for n, f in FIELDS])
def test_every_field_maps_to_its_arrow_field(name, field):
    arrow = arrow_schema(name).field(field["name"])
    constraints = field.get("constraints", {})
    if "enum" in constraints and field["type"] == "string":
        assert arrow.type == pa.dictionary(pa.int32(), pa.string())
    else:
        assert arrow.type == EXPECTED_TYPES[field["type"]]
    assert arrow.nullable is not bool(constraints.get("required"))
    assert arrow.metadata[DESCRIPTION_KEY].decode("utf-8") == field["description"]


@pytest.mark.parametrize("name", RESOURCES)
def test_schema_metadata_carries_description_version_and_key(name):
    table_schema = load_table_schema(name)
    schema = arrow_schema(name)
    assert schema.names == [field["name"] for field in table_schema["fields"]]
    assert schema.metadata[DESCRIPTION_KEY].decode("utf-8") == table_schema["description"]
    assert schema.metadata[RESOURCE_KEY] == name.encode()
    version = read_json(schema_dir() / "package.json")["version"]
    assert schema.metadata[DATA_VERSION_KEY].decode() == version
    assert json.loads(schema.metadata[PRIMARY_KEY_KEY]) == table_schema["primaryKey"]


def test_unknown_resource_lists_the_names():
    with pytest.raises(UnknownNameError) as info:
        arrow_schema("gapz")
    assert "gaps" in str(info.value) and "regions" in str(info.value)
    assert set(info.value.candidates) == set(RESOURCES)


@pytest.mark.parametrize("name", RESOURCES)
def test_bundled_csv_reads_with_its_schema_and_keeps_every_cell(name):
    path = _csv_path(name)
    table = read_csv_table(path, name)
    assert table.schema.equals(arrow_schema(name), check_metadata=True)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert table.num_rows == len(rows)
    for field in load_table_schema(name)["fields"]:
        if field["type"] != "string":
            continue
        expected = [row[field["name"]] or None for row in rows]
        assert table.column(field["name"]).to_pylist() == expected


@pytest.mark.parametrize("name", RESOURCES)
def test_round_trip_gives_the_canonical_csv(name, csv_text):
    raw = _csv_path(name).read_text(encoding="utf-8")
    assert csv_text(read_csv_table(_csv_path(name), name)) == _canonical(raw)


@pytest.mark.parametrize("name", RESOURCES)
def test_round_trip_is_byte_identical(name, csv_text):
    path = _csv_path(name)
    assert csv_text(read_csv_table(path, name)).encode("utf-8") == path.read_bytes()


# ----------------------------------------------------------------- synthetic schema and files

SYNTHETIC_SCHEMA = {
    "description": "SYNTHETIC test table, not data.",
    "fields": [
        {
            "name": "code",
            "type": "string",
            "description": "Code.",
            "constraints": {"required": True},
        },
        {
            "name": "kind",
            "type": "string",
            "description": "Kind.",
            "constraints": {"enum": ["första", "second", "third"]},
        },
        {"name": "text", "type": "string", "description": "Free text."},
        {"name": "n", "type": "integer", "description": "A count."},
        {"name": "x", "type": "number", "description": "A measure."},
        {
            "name": "flag",
            "type": "boolean",
            "description": "A flag.",
            "constraints": {"required": True},
        },
        {"name": "day", "type": "date", "description": "A day."},
    ],
    "missingValues": [""],
    "primaryKey": ["code"],
}
SYNTHETIC_CSV = (
    "code,kind,text,n,x,flag,day\n"
    'a,första,"Jämtland/Härjedalen; Sörmland, Västra Götaland",1,1.5,true,2026-06-15\n'
    'b,,"she said ""no""",,,false,\n'
    'c,third,"two\nlines",-3,0.25,true,2026-02-01\n'
    "d,second, leading and trailing spaces ,0,,false,\n"
)


def _write(tmp_path, text, name="synthetic.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_synthetic_round_trip_is_byte_identical(tmp_path, csv_text):
    path = _write(tmp_path, SYNTHETIC_CSV)
    table = read_csv_table(path, "synthetic", table_schema=SYNTHETIC_SCHEMA, version="9.9.9")
    assert table.column("text").to_pylist() == [
        "Jämtland/Härjedalen; Sörmland, Västra Götaland",
        'she said "no"',
        "two\nlines",
        " leading and trailing spaces ",
    ]
    assert table.column("n").to_pylist() == [1, None, -3, 0]
    assert table.column("flag").to_pylist() == [True, False, True, False]
    assert str(table.column("day")[0].as_py()) == "2026-06-15"
    assert table.schema.metadata[DATA_VERSION_KEY] == b"9.9.9"
    assert csv_text(table) == SYNTHETIC_CSV


def test_enum_dictionary_is_the_whole_vocabulary_in_schema_order(tmp_path):
    table = read_csv_table(
        _write(tmp_path, SYNTHETIC_CSV), "synthetic", table_schema=SYNTHETIC_SCHEMA
    )
    column = table.column("kind")
    assert column.type == pa.dictionary(pa.int32(), pa.string())
    assert column.chunk(0).dictionary.to_pylist() == ["första", "second", "third"]
    assert column.to_pylist() == ["första", None, "third", "second"]


def test_problems_are_collected_with_rows(tmp_path):
    text = "code,kind,text,n,x,flag,day\n,fourth,,,,true,\nb,fifth,,,,false,\n"
    with pytest.raises(DataError) as info:
        read_csv_table(_write(tmp_path, text), "synthetic", table_schema=SYNTHETIC_SCHEMA)
    problems = info.value.problems
    assert len(problems) == 2
    assert problems[0].startswith("code:") and "rows [2]" in problems[0]
    assert problems[1].startswith("kind:") and "['fifth', 'fourth']" in problems[1]
    assert "rows [2, 3]" in problems[1]


def test_bad_value_is_a_data_error(tmp_path):
    text = "code,kind,text,n,x,flag,day\na,,,seven,,true,\n"
    with pytest.raises(DataError, match="seven"):
        read_csv_table(_write(tmp_path, text), "synthetic", table_schema=SYNTHETIC_SCHEMA)


def test_header_mismatch_names_the_columns(tmp_path):
    text = "code,kind,txt,n,x,flag,day\n"
    with pytest.raises(DataError) as info:
        read_csv_table(_write(tmp_path, text), "synthetic", table_schema=SYNTHETIC_SCHEMA)
    assert "missing columns: text" in str(info.value)
    assert "unexpected columns: txt" in str(info.value)


def test_semicolon_file_gets_a_spreadsheet_hint(tmp_path):
    text = "code;kind;text;n;x;flag;day\na;;;;;true;\n"
    with pytest.raises(DataError, match="semicolon-separated"):
        read_csv_table(_write(tmp_path, text), "synthetic", table_schema=SYNTHETIC_SCHEMA)


def test_unsupported_type_is_reported():
    schema = {"fields": [{"name": "where", "type": "geopoint"}]}
    from palliativ_data._schema.arrow_schemas import schema_from_table_schema

    with pytest.raises(PalliativDataError, match="geopoint"):
        schema_from_table_schema(schema)
