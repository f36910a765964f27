"""Generate SYNTHETIC palliativ-data packages of any size for the benchmarks (never shipped).

A generated package has the project's ``schema/`` and is laid out like a release
(``palliativ-data build``): ``csv/<resource>.csv`` and ``parquet/<resource>.parquet`` (the same
rows, in the order a release has them (grouped by edition), written by the release's own Parquet writer: Arrow schema from
``schema/``, zstd, a row group per edition). ``datapackage.json`` describes them as the release
descriptor does: each resource points to its CSV, with ``bytes`` and ``hash``, and lists the
Parquet file in ``x-formats`` (so ``load()`` takes its Parquet fast path);
``datapackage-csv.json`` points to the CSV files only (so ``load()`` parses the CSV).

What is in it:

* the vocabularies, regions and healthcare regions of the real package, copied;
* ``editions`` editions (``2030-01``, ``2030-02``, …) alternating inventory / follow-up (each
  follow-up follows up the inventory before it);
* ``gaps`` rows split evenly over the editions; edition *k* lists the gap keys
  ``k·d … k·d + n − 1`` (``n`` rows per edition, ``d = n // 10``), so consecutive editions
  share 90 % of their keys, 10 % drop out and 10 % are new;
* per follow-up: a classification for each of the 21 regions, one response from each region
  but the last (classified ``no_response``), and one ``gap_answers`` row per gap of the
  followed-up inventory in a region that answered.

With ``problems`` (``--problems 1000``), one row in that many of every table (and at least
one row of each table that has rows) then gets a mistake of the kinds a contributed file has:
a word in an integer, a value outside an enum or a pattern, an empty required cell, a date
that does not exist, a reference to nothing, an escape character in a text, spaces around a
number, a duplicate (:data:`MISTAKES`), so ``validate`` has problems in every table to report.

Usage::

    .venv/bin/python bench/generate.py OUT_DIR --gaps 100000 --editions 2
    .venv/bin/python bench/generate.py OUT_DIR --gaps 100000 --problems 1000
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any, get_args

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from palliativ_data._authoring.descriptor import build_descriptor
from palliativ_data._io import dump_json
from palliativ_data._models import CategoryCode, StanceCode
from palliativ_data._paths import bundled_package_dir, schema_dir
from palliativ_data._release.parquet import sort_columns, stable_order, write_parquet
from palliativ_data._schema.arrow_schemas import arrow_schema
from palliativ_data._schema.csv_reader import read_csv_table
from palliativ_data._schema.tableschema import load_table_schema, resource_names

COPIED = (
    "regions",
    "healthcare_regions",
    "region_healthcare_regions",
    "sources",
    "functions",
    "categories",
    "stances",
)
STANCES = get_args(StanceCode)
CATEGORIES = tuple(code for code in get_args(CategoryCode) if code != "no_response")


def edition_ids(count: int, start_year: int = 2030) -> list[str]:
    """``count`` consecutive months from January ``start_year``: ``['2030-01', '2030-02', …]``."""
    return [f"{start_year + i // 12}-{i % 12 + 1:02d}" for i in range(count)]


def _strings(prefix: str, numbers: np.ndarray, suffix: str = "") -> pa.Array:
    return pc.binary_join_element_wise(prefix, pa.array(numbers.astype(str)), suffix, "")


def _table(name: str, columns: dict[str, Any]) -> pa.Table:
    """A table with resource ``name``'s Arrow schema; absent columns are null."""
    schema = arrow_schema(name)
    length = len(next(iter(columns.values())))
    arrays = []
    for field in schema:
        values = columns.get(field.name)
        if values is None:
            arrays.append(pa.nulls(length, field.type))
            continue
        array = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values)
        if pa.types.is_dictionary(field.type):
            array = pc.cast(array, pa.string()).dictionary_encode()
            dictionary = array.dictionary.to_pylist()
            allowed = pa.array(_enum(name, field.name), pa.string())
            indices = pc.index_in(pa.array(dictionary, pa.string()), value_set=allowed)
            array = pa.DictionaryArray.from_arrays(
                pc.take(indices, array.indices).cast(pa.int32()), allowed
            )
        elif array.type != field.type:
            array = array.cast(field.type)
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=schema)


_SCHEMAS: dict[str, dict[str, Any]] = {}


def _enum(name: str, field: str) -> list[str]:
    if name not in _SCHEMAS:
        _SCHEMAS[name] = json.loads((schema_dir() / f"{name}.json").read_text(encoding="utf-8"))
    spec = next(f for f in _SCHEMAS[name]["fields"] if f["name"] == field)
    return spec["constraints"]["enum"]


def build_tables(gap_rows: int, editions: int, seed: int = 0) -> dict[str, pa.Table]:
    """Every resource of a synthetic package as an Arrow table (see the module docstring)."""
    if editions < 2 or gap_rows < editions:
        raise ValueError("need at least 2 editions and at least one gap row per edition")
    rng = np.random.default_rng(seed)
    real = bundled_package_dir() / "data"
    tables = {name: read_csv_table(real / f"{name}.csv", name) for name in COPIED}
    region_codes = np.array(tables["regions"].column("region_code").to_pylist())
    functions = np.array(tables["functions"].column("function").to_pylist())
    source = tables["sources"].column("source_id")[0].as_py()

    ids = edition_ids(editions)
    kinds = ["inventory" if i % 2 == 0 else "follow_up" for i in range(editions)]
    tables["editions"] = _table(
        "editions",
        {
            "edition": ids,
            "kind": kinds,
            "published": ids,
            "title_en": [f"SYNTHETIC benchmark edition {e}" for e in ids],
            "title_sv": [f"SYNTETISK testutgåva {e}" for e in ids],
            "published_in": [source] * editions,
            "transcribed_from": [source] * editions,
            "source_part": ["SYNTHETIC"] * editions,
            "follows_up": [
                ids[i - 1] if kinds[i] == "follow_up" else None for i in range(editions)
            ],
        },
    )

    per_edition = gap_rows // editions
    sizes = [per_edition + (1 if i < gap_rows % editions else 0) for i in range(editions)]
    shift = max(1, per_edition // 10)
    number = np.concatenate(
        [np.arange(i * shift, i * shift + size) for i, size in enumerate(sizes)]
    )
    edition = np.repeat(np.array(ids), sizes)
    region = region_codes[number % len(region_codes)]
    function = functions[(number // len(region_codes)) % len(functions)]
    keys = pc.binary_join_element_wise(
        pa.array(region), pa.array(function), _strings("q", number), "-"
    )
    positions = np.concatenate([np.arange(size) // len(region_codes) + 1 for size in sizes])
    tables["gaps"] = _table(
        "gaps",
        {
            "edition": edition,
            "region_code": region,
            "gap_key": keys,
            "function": function,
            "label_sv": _strings(
                "SYNTETISK brist nr ",
                number,
                ": specialiserad palliativ vård saknas på sjukhusen i länet",
            ),
            "label_en": _strings(
                "SYNTHETIC gap no. ",
                number,
                ": specialised palliative care is missing at the county's hospitals",
            ),
            "population": pa.array(np.where(number % 7 == 0, "non_cancer", None)),
            "places": pa.array(np.where(number % 3 == 0, "Östersunds sjukhus; Sveg", None)),
            "region_wide": number % 2 == 0,
            "list_position": positions,
            "part": np.ones(gap_rows, dtype=np.int64),
            "source_ref": _strings("SYNTHETIC › ", number),
            "source_line": number + 1,
        },
    )

    follow_ups = [i for i in range(editions) if kinds[i] == "follow_up"]
    answering = region_codes[:-1]
    class_rows: dict[str, list[Any]] = {
        "edition": [],
        "region_code": [],
        "category": [],
        "position": [],
        "source_ref": [],
    }
    response_rows: dict[str, list[Any]] = {
        key: [] for key in ("response_id", "edition", "region_code", "position")
    }
    answer_parts = []
    for order, i in enumerate(follow_ups):
        for position, code in enumerate(region_codes, start=1):
            class_rows["edition"].append(ids[i])
            class_rows["region_code"].append(code)
            class_rows["category"].append(
                "no_response" if code not in answering else CATEGORIES[position % 3]
            )
            class_rows["position"].append(position)
            class_rows["source_ref"].append(f"SYNTHETIC › {ids[i]}")
        response_ids = {code: f"{code}-{order + 1}" for code in answering}
        for code in answering:
            response_rows["response_id"].append(response_ids[code])
            response_rows["edition"].append(ids[i])
            response_rows["region_code"].append(code)
            response_rows["position"].append(1)
        start = sum(sizes[: i - 1])
        gap_region = region[start : start + sizes[i - 1]]
        answered = gap_region != region_codes[-1]
        count = int(answered.sum())
        answer_parts.append(
            {
                "response_id": np.array(
                    [response_ids.get(code, "") for code in gap_region[answered]]
                ),
                "edition": np.full(count, ids[i - 1]),
                "gap_key": keys.slice(start, sizes[i - 1]).filter(pa.array(answered)),
                "stance": np.array(STANCES)[rng.integers(0, len(STANCES), count)],
                "target_year": np.where(rng.random(count) < 0.5, 2031, None),
                "summary_en": np.full(count, "SYNTHETIC: the region describes its plans."),
            }
        )
    tables["classifications"] = _table("classifications", class_rows)
    count = len(response_rows["response_id"])
    tables["responses"] = _table(
        "responses",
        {
            **response_rows,
            "kind": ["administrative"] * count,
            "responder_role_sv": ["Hälso- och sjukvårdsdirektör"] * count,
            "responder_role_en": ["director of health care"] * count,
            "organisation": ["SYNTHETIC"] * count,
            "summary_en": ["SYNTHETIC response."] * count,
            "summary_sv": ["SYNTETISKT svar."] * count,
            "source_ref": ["SYNTHETIC"] * count,
        },
    )
    if answer_parts:
        merged = {
            key: (
                pa.concat_arrays([part[key] for part in answer_parts])
                if isinstance(answer_parts[0][key], pa.Array)
                else np.concatenate([part[key] for part in answer_parts])
            )
            for key in answer_parts[0]
        }
        merged["target_year"] = pa.array(merged["target_year"].tolist(), pa.int64())
        tables["gap_answers"] = _table("gap_answers", merged)
    else:
        tables["gap_answers"] = arrow_schema("gap_answers").empty_table()
    # The real stances' worked examples point to real gap_answers rows, which are not here.
    stances = tables["stances"]
    for column in ("example_response_id", "example_gap_key"):
        i = stances.schema.get_field_index(column)
        field = stances.schema.field(i)
        stances = stances.set_column(i, field, pa.nulls(len(stances), field.type))
    tables["stances"] = stances
    # The source's key figures, as they are (the home page shows them; those of a category
    # count the real package's classifications, not these synthetic ones).
    tables["key_figures"] = read_csv_table(real / "key_figures.csv", "key_figures")
    # Resources not synthesised (the timeline, stated quantities…): empty.
    for name in resource_names():
        tables.setdefault(name, arrow_schema(name).empty_table())
    return tables


def write_package(tables: dict[str, pa.Table], out: Path) -> Path:
    """Write ``tables`` as ``csv/`` and ``parquet/`` plus a release-style ``datapackage.json``."""
    if out.exists():
        shutil.rmtree(out)
    (out / "csv").mkdir(parents=True)
    (out / "parquet").mkdir()
    descriptor = build_descriptor(schema_dir())
    descriptor["name"] = descriptor["id"] = "palliativ-data-benchmark"
    descriptor["title"] = "SYNTHETIC benchmark package, never shipped as data"
    for resource in descriptor["resources"]:
        name = resource["name"]
        table_schema = load_table_schema(name)
        table = tables[name]
        rows = stable_order(table, sort_columns(table_schema))  # as the Parquet writer does
        if rows is not None:
            table = table.take(rows)
        pacsv.write_csv(
            table.cast(
                pa.schema(
                    [
                        f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f
                        for f in table.schema
                    ]
                )
            ),
            out / "csv" / f"{name}.csv",
            pacsv.WriteOptions(quoting_style="needed"),
        )
        write_parquet(table, table_schema, out / "parquet" / f"{name}.parquet")
        resource["path"] = f"csv/{name}.csv"
    # datapackage-csv.json: the CSV files only; datapackage.json: as a release describes them,
    # with sizes, hashes and the Parquet copy in x-formats (what load()'s Parquet fast path uses)
    (out / "datapackage-csv.json").write_text(dump_json(descriptor), encoding="utf-8")
    for resource in descriptor["resources"]:
        name = resource["name"]
        resource.update(_facts(out / "csv" / f"{name}.csv"))
        resource["x-formats"] = [
            {
                "format": "parquet",
                "path": f"parquet/{name}.parquet",
                **_facts(out / "parquet" / f"{name}.parquet"),
            }
        ]
    (out / "datapackage.json").write_text(dump_json(descriptor), encoding="utf-8")
    return out


def _facts(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


MISTAKES: dict[str, list[tuple[str, str | None]]] = {
    # resource: (field, new text; None: the text of the same field in the row before), cycled
    "gaps": [
        ("part", "x"),  # type-error (integer)
        ("population", "adults"),  # constraint-error (enum)
        ("label_en", ""),  # constraint-error (required)
        ("region_wide", "ja"),  # type-error (boolean)
        ("function", "no_such_function"),  # foreign-key (and the gap key's function differs)
        ("notes", "a\x1b[31mb"),  # control-character (a rule)
        ("list_position", "0"),  # constraint-error (minimum)
        ("source_line", " 7"),  # type-error from the text rule (frictionless strips it)
        ("gap_key", "01-x"),  # constraint-error (pattern)
    ],
    "gap_answers": [
        ("stance", "maybe"),  # constraint-error (enum) and foreign-key (stances)
        ("target_year", "20x1"),  # type-error (integer)
        ("target_year", "1999"),  # constraint-error (minimum)
        ("response_id", "99-9"),  # foreign-key (responses)
    ],
    "editions": [("published", "2030-1")],  # constraint-error (pattern)
    "classifications": [("position", "0")],  # constraint-error (minimum)
    "responses": [("date", "2031-02-30")],  # type-error (date)
    "regions": [("name_en", None)],  # unique-error (the name of the region before)
    "functions": [("position", "x")],  # type-error (integer)
    "categories": [("label_en", "")],  # constraint-error (required)
    "stances": [("example_response_id", "x")],  # constraint-error (pattern)
    "sources": [("language", "xx")],  # constraint-error (enum)
    "healthcare_regions": [("rcc_en", "")],  # constraint-error (required)
    "region_healthcare_regions": [("coverage", "most")],  # constraint-error (enum)
}
"""The mistakes :func:`spoil` makes, by resource."""


def spoil(folder: Path, every: int, *, keep_copies: bool = False) -> int:
    """Put a mistake (:data:`MISTAKES`) in one row in ``every`` of each table (at least one
    row of each table with rows) of a generated package; the number of cells changed.

    The descriptor's ``bytes`` and ``hash`` are brought up to date: the mistakes are in the
    cells, not in the files' integrity. The Parquet copies are dropped (their ``x-formats``
    entries and files): a contributed package with mistakes is CSV only, and copies that no
    longer hold what the CSV holds would be problems of their own (``copy-differs``);
    ``keep_copies`` keeps them, for a downloaded release whose CSV files were then edited.
    """
    changed = 0
    for name, mistakes in MISTAKES.items():
        path = folder / "csv" / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        if not body:
            continue
        picked = range(every // 2, len(body), every) if len(body) >= every else [len(body) // 2]
        for count, index in enumerate(picked):
            field, text = mistakes[count % len(mistakes)]
            column = header.index(field)
            body[index][column] = body[index - 1][column] if text is None else text
            changed += 1
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *body])
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if not keep_copies:
            resource.pop("x-formats", None)
        resource.update(_facts(folder / resource["path"]))
    if not keep_copies:
        for key in ("x-database", "x-workbook"):
            descriptor.pop(key, None)
        shutil.rmtree(folder / "parquet", ignore_errors=True)
    (folder / "datapackage.json").write_text(dump_json(descriptor), encoding="utf-8")
    return changed


def generate(
    out: str | Path, gap_rows: int, editions: int = 2, seed: int = 0, problems: int | None = None
) -> Path:
    """Generate a synthetic package with ``gap_rows`` gaps over ``editions`` editions into
    ``out``; with ``problems``, a mistake in one row in that many (:func:`spoil`)."""
    folder = write_package(build_tables(gap_rows, editions, seed), Path(out))
    if problems:
        spoil(folder, problems)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate a SYNTHETIC palliativ-data package for benchmarks (CSV + Parquet).",
        epilog="Example: .venv/bin/python bench/generate.py /tmp/bench-1e5 --gaps 100000 --editions 2",
    )
    parser.add_argument("out", help="output folder (replaced)")
    parser.add_argument(
        "--gaps", type=int, default=100_000, help="number of gap rows (default 100000)"
    )
    parser.add_argument(
        "--editions", type=int, default=2, help="number of editions, >= 2 (default 2)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--problems",
        type=int,
        metavar="N",
        help="put a mistake in one row in N of every table (see MISTAKES), e.g. 1000",
    )
    args = parser.parse_args(argv)
    path = generate(args.out, args.gaps, args.editions, args.seed, args.problems)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
