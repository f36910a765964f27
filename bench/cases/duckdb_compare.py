"""baseline: DuckDB producing what ``compare`` produces, from the same files.

Usage: duckdb_compare.py table DESCRIPTOR OLD NEW   the table of ``compare().to_table()``
       duckdb_compare.py json DESCRIPTOR OLD NEW    the JSON of ``compare --format json``
                                                    (written to stdout)

Each resource is read from its Parquet copy (``x-formats``) when the descriptor lists one,
else from its CSV with the column types of its Table Schema. The gap-by-gap part is one FULL
OUTER JOIN on gap_key (materialised once), the answers one GROUP BY; the JSON's gap list is
DuckDB's own JSON export (``COPY … (FORMAT JSON, ARRAY true)``); the small parts (editions,
regions, functions, counts) are a few queries and a little Python, as a person using DuckDB
would write them.
"""

import json
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb
from _common import descriptor, out_dir, write_ipc

TYPES = {"string": "VARCHAR", "integer": "BIGINT", "boolean": "BOOLEAN", "date": "DATE",
         "number": "DOUBLE", "year": "BIGINT"}  # fmt: skip
mode, target, OLD, NEW = sys.argv[1:5]
base, package = descriptor(target)
con = duckdb.connect()
schemas = {}
for resource in package["resources"]:
    name = resource["name"]
    schema = resource["schema"]
    if isinstance(schema, str):
        schema = json.loads((base / schema).read_text(encoding="utf-8"))
    schemas[name] = [field["name"] for field in schema["fields"]]
    parquet = [f["path"] for f in resource.get("x-formats", []) if f.get("format") == "parquet"]
    if parquet:
        source = f"read_parquet('{base / parquet[0]}', file_row_number = true)"
        rn = "file_row_number"
    else:
        columns = {f["name"]: TYPES.get(f["type"], "VARCHAR") for f in schema["fields"]}
        source = (f"read_csv('{base / resource['path']}', header = true, delim = ',', "
                  f"quote = '\"', auto_detect = false, columns = {columns!r})")  # fmt: skip
        rn = "row_number() OVER ()"
    con.execute(f"CREATE VIEW {name} AS SELECT *, {rn} AS rn FROM {source}")

editions = {row[0]: row[1:] for row in con.sql(
    "SELECT edition, kind, follows_up FROM editions").fetchall()}  # fmt: skip


def classification_edition(edition):
    kind, _ = editions[edition]
    if kind == "follow_up":
        return edition
    follow_ups = [e for e, (_, follows) in editions.items() if follows == edition]
    return max(follow_ups) if follow_ups else None


answers_edition = None
for candidate in (OLD, editions[OLD][1]):
    if (
        candidate
        and con.execute(
            "SELECT count(*) FROM gap_answers WHERE edition = ?", [candidate]
        ).fetchall()[0][0]
    ):
        answers_edition = candidate
        break
old_class, new_class = classification_edition(OLD), classification_edition(NEW)
row_struct = ", ".join(f"{field} := {field}" for field in schemas["gaps"])
con.execute(f"""
CREATE TEMP TABLE j AS
WITH o AS (SELECT gap_key, region_code, function, label_en, label_sv, rn,
                  struct_pack({row_struct}) AS row FROM gaps WHERE edition = '{OLD}'),
     n AS (SELECT gap_key, region_code, function, label_en, label_sv, rn,
                  struct_pack({row_struct}) AS row FROM gaps WHERE edition = '{NEW}')
SELECT coalesce(n.gap_key, o.gap_key) AS gap_key,
       coalesce(n.region_code, o.region_code) AS region_code,
       coalesce(n.function, o.function) AS function,
       CASE WHEN o.gap_key IS NULL THEN 'added' WHEN n.gap_key IS NULL THEN 'dropped'
            ELSE 'persisting' END AS status,
       o.label_en AS old_label_en, o.label_sv AS old_label_sv,
       n.label_en AS new_label_en, n.label_sv AS new_label_sv,
       o.row AS old, n.row AS new, o.rn AS orn, n.rn AS nrn
FROM o FULL OUTER JOIN n ON o.gap_key = n.gap_key""")
ORDER = "ORDER BY j.region_code, j.nrn IS NULL, coalesce(j.nrn, j.orn)"


def categories(edition):
    if edition is None:
        return {}
    return dict(con.execute(
        "SELECT region_code, category FROM classifications WHERE edition = ?", [edition]
    ).fetchall())  # fmt: skip


old_categories, new_categories = categories(old_class), categories(new_class)
if mode == "table":
    # one list of stances per answered gap, in file order, joined to the gaps listed in OLD
    con.execute("CREATE TEMP TABLE cat (region_code VARCHAR, old_category VARCHAR, "
                "new_category VARCHAR)")  # fmt: skip
    codes = sorted(set(old_categories) | set(new_categories))
    if codes:
        con.executemany("INSERT INTO cat VALUES (?, ?, ?)",
                        [(c, old_categories.get(c), new_categories.get(c)) for c in codes])  # fmt: skip
    table = con.sql(f"""
SELECT '{OLD}' AS old_edition, '{NEW}' AS new_edition, j.region_code,
       r.name_source AS region_name, j.gap_key, j.function, j.status,
       j.old_label_en, j.old_label_sv, j.new_label_en, j.new_label_sv,
       cat.old_category, cat.new_category,
       CASE WHEN j.orn IS NULL THEN [] ELSE coalesce(a.stances, []) END AS answer_stances
FROM j LEFT JOIN regions r ON r.region_code = j.region_code
LEFT JOIN cat ON cat.region_code = j.region_code
LEFT JOIN (SELECT gap_key, list(CAST(stance AS VARCHAR) ORDER BY rn) AS stances
           FROM gap_answers WHERE edition = '{answers_edition}' GROUP BY gap_key) a
       ON a.gap_key = j.gap_key
{ORDER}""").to_arrow_table()
    write_ipc(table, "compare")
    sys.exit(0)

# JSON: the small parts in Python, the gaps by DuckDB's JSON writer
STATUSES = ("persisting", "dropped", "added")


def counts(rows):
    persisting, dropped, added = (rows.get(s, 0) for s in STATUSES)
    return {"old": persisting + dropped, "new": persisting + added, "persisting": persisting,
            "dropped": dropped, "added": added}  # fmt: skip


def grouped(column):
    result = {}
    for value, status, count in con.sql(
        f"SELECT {column}, status, count(*) FROM j GROUP BY ALL"
    ).fetchall():
        result.setdefault(value, {})[status] = count
    return result


by_region, by_function = grouped("region_code"), grouped("function")
regions, changes = [], []
for code, name, name_en in con.sql(
    "SELECT region_code, name_source, name_en FROM regions ORDER BY region_code"
).fetchall():
    old_cat, new_cat = old_categories.get(code), new_categories.get(code)
    regions.append({
        "region_code": code, "name": name, "old_name": None, "name_en": name_en,
        "old_category": old_cat, "new_category": new_cat,
        "old_classification_edition": old_class if old_cat else None,
        "new_classification_edition": new_class if new_cat else None,
        "counts": counts(by_region.get(code, {})),
    })  # fmt: skip
    if old_cat and new_cat and old_cat != new_cat:
        changes.append({"region_code": code, "name": name, "old_edition": old_class,
                        "new_edition": new_class, "old_category": old_cat,
                        "new_category": new_cat})  # fmt: skip
functions = [
    {"function": code, "label_en": en, "label_sv": sv, "counts": counts(by_function[code])}
    for code, en, sv in con.sql(
        "SELECT function, label_en, label_sv FROM functions ORDER BY position, function"
    ).fetchall()
    if code in by_function
]
total = counts({s: sum(c.get(s, 0) for c in by_region.values()) for s in STATUSES})
info = {"name": package.get("name", ""), "version": str(package.get("version", ""))}
head = {
    "format": "palliativ-data-comparison", "format_version": 1,
    "old_edition": OLD, "new_edition": NEW, "old_package": info, "new_package": info,
    "answers_edition": answers_edition,
    "filters": {"region_codes": None, "functions": None},
    "summary": {**total, "regions": len(regions), "classification_changes": len(changes)},
    "regions": regions, "functions": functions, "classification_changes": changes,
}  # fmt: skip
notes = (
    "response_id := response_id, edition := edition, stance := CAST(stance AS VARCHAR), "
    "target_year := target_year, summary_en := summary_en, summary_sv := summary_sv"
)
with tempfile.TemporaryDirectory(dir=out_dir()) as temporary:
    gaps_file = Path(temporary, "gaps.json")
    con.execute(f"""
COPY (
  SELECT j.region_code, j.gap_key, j.function, j.status, j.old, j.new,
         coalesce(a.answers, []) AS answers
  FROM j LEFT JOIN (SELECT gap_key, list(struct_pack({notes}) ORDER BY rn) AS answers
                    FROM gap_answers WHERE edition = '{answers_edition}' GROUP BY gap_key) a
         ON a.gap_key = j.gap_key
  {ORDER}
) TO '{gaps_file}' (FORMAT JSON, ARRAY true)""")
    out = sys.stdout.buffer
    out.write(json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "gaps": ')
    with gaps_file.open("rb") as gaps:
        shutil.copyfileobj(gaps, out, 1 << 20)
    out.write(b"}\n")
