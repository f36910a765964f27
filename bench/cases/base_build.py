"""baseline: what a person would do instead of ``palliativ-data build``, with lean tools.

Usage: base_build.py DESCRIPTOR OUT

``frictionless.validate`` of the package (``build`` validates first), then for each resource:
the CSV copied, ``pyarrow.csv.read_csv`` with the Table Schema's types, a semicolon CSV with
a BOM for spreadsheets, Parquet (zstd level 9, as the release), a SQLite table filled with
``executemany``, a sheet of one Excel workbook (XlsxWriter in constant memory, as the
release's workbook; a header row, then the rows); then SHA256SUMS and a zip of the folder. No
citation or catalogue metadata.
"""

import hashlib
import shutil
import sqlite3
import sys
import zipfile
from pathlib import Path

import frictionless
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import xlsxwriter
from _common import descriptor

TYPES = {"string": pa.string(), "integer": pa.int64(), "boolean": pa.bool_(),
         "date": pa.date32(), "number": pa.float64(), "year": pa.int64()}  # fmt: skip
SQL = {"string": "TEXT", "integer": "INTEGER", "boolean": "INTEGER", "date": "TEXT"}
target, out = sys.argv[1:3]
base, package = descriptor(target)
report = frictionless.validate(str(Path(target)))
if not report.valid:
    sys.exit(f"invalid: {report.flatten(['type', 'message'])[:5]}")
out = Path(out)
shutil.rmtree(out, ignore_errors=True)
for folder in ("csv", "excel", "parquet"):
    (out / folder).mkdir(parents=True)
db = sqlite3.connect(out / "package.sqlite")
book = xlsxwriter.Workbook(out / "package.xlsx", {
    "constant_memory": True, "tmpdir": str(out), "default_date_format": "yyyy-mm-dd",
    "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
})  # fmt: skip
for resource in package["resources"]:
    name, fields = resource["name"], resource["schema"]["fields"]
    source = base / resource["path"]
    shutil.copyfile(source, out / "csv" / f"{name}.csv")
    types = {f["name"]: TYPES.get(f["type"], pa.string()) for f in fields}
    table = pacsv.read_csv(source, convert_options=pacsv.ConvertOptions(
        column_types=types, strings_can_be_null=True))  # fmt: skip
    with (out / "excel" / f"{name}.csv").open("wb") as excel:
        excel.write(b"\xef\xbb\xbf")
        pacsv.write_csv(table, excel, pacsv.WriteOptions(delimiter=";"))
    pq.write_table(table, out / "parquet" / f"{name}.parquet", compression="zstd",
                   compression_level=9)  # fmt: skip
    columns = ", ".join(f'"{f["name"]}" {SQL.get(f["type"], "TEXT")}' for f in fields)
    key = ", ".join(f'"{k}"' for k in resource["schema"].get("primaryKey", []))
    db.execute(f'CREATE TABLE "{name}" ({columns}{f", PRIMARY KEY ({key})" if key else ""})')
    marks = ", ".join("?" for _ in fields)
    sheet = book.add_worksheet(name[:31])
    sheet.write_row(0, 0, [f["name"] for f in fields])
    number = 1
    for batch in table.to_batches(50_000):  # each batch as Python rows once, for both
        rows = list(zip(*(column.to_pylist() for column in batch.columns), strict=True))
        db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
        for row in rows:
            sheet.write_row(number, 0, row)
            number += 1
db.commit()
db.close()
book.close()
files = sorted(p for p in out.rglob("*") if p.is_file())
with (out / "SHA256SUMS").open("w") as sums:
    for path in files:
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        sums.write(f"{digest}  {path.relative_to(out)}\n")
with zipfile.ZipFile(out.with_suffix(".zip"), "w", zipfile.ZIP_DEFLATED) as archive:
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        archive.write(path, path.relative_to(out))
