"""`palliativ-data validate` and `palliativ_data.validate`.

Broken packages are built in ``tmp_path`` from the synthetic minimal package in
``tests/fixtures/minimal/`` by one small mutation each (the table ``CASES``), and every case
asserts the exact sorted list of ``(code, resource, row, field)`` the report gives. Row numbers
count as frictionless counts them: header = row 1, first data row = 2.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from palliativ_data._cli import main
from palliativ_data._paths import bundled_package_dir
from palliativ_data._schema.tableschema import load_table_schema, resource_names
from palliativ_data._validation import Problem, ValidationReport, validate

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"

Mutation = Callable[[Path], None]

# the mutations shared with the corpus of bad packages live in its builder, written once
_spec = importlib.util.spec_from_file_location(
    "bad_build_validate", Path(__file__).parent / "fixtures" / "bad" / "build.py"
)
assert _spec is not None and _spec.loader is not None
bad = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bad)
_csv_path, _read_rows, _write_rows = bad.csv_path, bad.read_rows, bad.write_rows
_resource = bad.resource
set_cell, copy_row, transform_bytes = bad.set_cell, bad.copy_row, bad.transform_bytes
delete_file, edit_descriptor, set_resource_key = (
    bad.delete_file,
    bad.edit_descriptor,
    bad.set_resource_key,
)
combine = bad.combine


# --- building broken packages ------------------------------------------------------------


def append_row(resource: str, **values: str) -> Mutation:
    def mutate(folder: Path) -> None:
        rows = _read_rows(folder, resource)
        rows.append([values.get(name, "") for name in rows[0]])
        _write_rows(folder, resource, rows)

    return mutate


def delete_row(resource: str, row: int) -> Mutation:
    def mutate(folder: Path) -> None:
        rows = _read_rows(folder, resource)
        del rows[row - 1]
        _write_rows(folder, resource, rows)

    return mutate


def insert_raw_line(resource: str, before_row: int, line: str) -> Mutation:
    def mutate(folder: Path) -> None:
        lines = _csv_path(folder, resource).read_text(encoding="utf-8").split("\n")
        lines.insert(before_row - 1, line)
        _csv_path(folder, resource).write_text("\n".join(lines), encoding="utf-8")

    return mutate


def semicolons(data: bytes) -> bytes:
    """What a Swedish-locale Excel writes: the same table, separated by ';'."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def excel_swedish(data: bytes) -> bytes:
    """Excel's 'CSV UTF-8' in a Swedish locale: BOM, ';' and CRLF."""
    return b"\xef\xbb\xbf" + semicolons(data).replace(b"\n", b"\r\n")


def drop_resource(name: str) -> Mutation:
    def func(descriptor: dict) -> None:
        descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != name]

    return edit_descriptor(func)


def drop_foreign_key(name: str, field: str) -> Mutation:
    def func(descriptor: dict) -> None:
        schema = _resource(descriptor, name)["schema"]
        schema["foreignKeys"] = [fk for fk in schema["foreignKeys"] if fk["fields"] != field]

    return edit_descriptor(func)


def write_descriptor_text(text: str) -> Mutation:
    return lambda folder: (folder / "datapackage.json").write_text(text, encoding="utf-8")


def make_package(tmp_path: Path, mutation: Mutation | None = None) -> Path:
    """A complete copy of the minimal package: its CSVs plus the bundled descriptor."""
    folder = tmp_path / "package"
    shutil.copytree(MINIMAL, folder, ignore=shutil.ignore_patterns("README.md"))
    shutil.copy(bundled_package_dir() / "datapackage.json", folder / "datapackage.json")
    if mutation is not None:
        mutation(folder)
    return folder


STATEMENT = {
    "response_id": "01-1",
    "position": "1",
    "kind": "listed",
    "edition": "2026-02",
    "gap_key": "01-on_call_24_7",
    "region_status": "planned",
    "curation": "suggested",
    "source_ref": "synthetic",
}
"""A valid statement: region 01's listed gap, as gap_answers reads it (stance planned)."""


# --- the table of broken packages --------------------------------------------------------

CASES: list[tuple[str, Mutation, list[tuple]]] = [
    (
        "bad-enum-value",
        set_cell("classifications", 3, "category", "partly"),
        [("constraint-error", "classifications", 3, "category")],
    ),
    (
        "bad-pattern",
        set_cell("regions", 3, "iso_3166_2", "SE_C"),
        [("constraint-error", "regions", 3, "iso_3166_2")],
    ),
    (
        "bad-type",
        set_cell("gaps", 2, "region_wide", "yes"),
        [("type-error", "gaps", 2, "region_wide")],
    ),
    (
        "missing-required-cell",
        set_cell("responses", 4, "organisation", ""),
        [("constraint-error", "responses", 4, "organisation")],
    ),
    (
        "duplicate-unique-value",
        set_cell("regions", 3, "iso_3166_2", "SE-AB"),
        [("unique-error", "regions", 3, "iso_3166_2")],
    ),
    (
        "duplicate-primary-key",
        copy_row("gaps", 2, label_en="Synthetic duplicate"),
        [("primary-key", "gaps", 9, "edition,gap_key")],
    ),
    (
        "dangling-foreign-key",
        set_cell("gaps", 3, "function", "hospice"),
        [("foreign-key", "gaps", 3, "function")],
    ),
    (
        "dangling-composite-foreign-key",
        set_cell("gap_answers", 5, "gap_key", "03-consultation_team-extra"),
        [("foreign-key", "gap_answers", 5, "edition,gap_key")],
    ),
    (
        "foreign-key-dropped-from-descriptor",
        combine(drop_foreign_key("gaps", "function"), set_cell("gaps", 3, "function", "hospice")),
        [("foreign-key", "gaps", 3, "function")],
    ),
    (
        "missing-cell",
        transform_bytes("classifications", lambda b: b.replace(b"synthetic,49,\n", b"synthetic\n")),
        [
            ("missing-cell", "classifications", 3, "notes"),
            ("missing-cell", "classifications", 3, "source_line"),
        ],
    ),
    (
        "extra-cell",
        transform_bytes(
            "classifications", lambda b: b.replace(b"synthetic,49,\n", b"synthetic,49,,x\n")
        ),
        [("extra-cell", "classifications", 3, None)],
    ),
    (
        "blank-row",
        insert_raw_line("classifications", 3, ""),
        [("blank-row", "classifications", 3, None)],
    ),
    (
        "incorrect-label",
        set_cell("classifications", 1, "edition", "editon"),
        [("incorrect-label", "classifications", 1, "edition")],
    ),
    (
        "two-classifications-for-one-region",
        append_row(
            "classifications",
            edition="2026-06",
            region_code="01",
            category="partial_plans",
            position="2",
            source_ref="synthetic",
        ),
        [("classification-duplicate", "classifications", 5, "region_code")],
    ),
    (
        "missing-classification",
        delete_row("classifications", 3),
        [("classification-missing", "classifications", None, None)],
    ),
    (
        "classification-of-an-inventory",
        append_row(
            "classifications",
            edition="2026-02",
            region_code="01",
            category="concrete_plans",
            position="1",
            source_ref="synthetic",
        ),
        [("classification-edition-kind", "classifications", 5, "edition")],
    ),
    (
        "no-response-but-responses-exist",
        set_cell("classifications", 2, "category", "no_response"),
        [("no-response-mismatch", "classifications", 2, "category")],
    ),
    (
        "answered-category-without-responses",
        set_cell("classifications", 4, "category", "no_concrete_plans"),
        [("no-response-mismatch", "classifications", 4, "category")],
    ),
    (
        "gap-key-moves-between-regions",
        set_cell("gaps", 7, "region_code", "25"),
        [("gap-key-prefix", "gaps", 7, "gap_key"), ("gap-key-region", "gaps", 7, "region_code")],
    ),
    (
        "gap-key-changes-function",
        set_cell("gaps", 6, "function", "inpatient_beds"),
        [("gap-key-function", "gaps", 6, "function")],
    ),
    (
        "gap-answer-wrong-edition",
        set_cell("gap_answers", 2, "edition", "2026-06"),
        [("gap-answer-mismatch", "gap_answers", 2, "edition")],
    ),
    (
        "gap-answer-other-regions-gap",
        set_cell("gap_answers", 5, "gap_key", "01-inpatient_beds"),
        [("gap-answer-mismatch", "gap_answers", 5, "gap_key")],
    ),
    (
        "party-on-administrative-response",
        set_cell("responses", 2, "party", "M"),
        [("party-kind", "responses", 2, "party")],
    ),
    (
        "supplements-other-region",
        set_cell("responses", 4, "supplements", "01-1"),
        [("supplements-region", "responses", 4, "supplements")],
    ),
    (
        "gap-statement-without-its-status",
        append_row("gap_statements", **{**STATEMENT, "region_status": "", "curation": "curated"}),
        [("gap-statement-shape", "gap_statements", 2, "region_status")],
    ),
    (
        "gap-statement-of-the-wrong-edition",
        append_row("gap_statements", **{**STATEMENT, "edition": "2026-06", "curation": "curated"}),
        [("gap-statement-mismatch", "gap_statements", 2, "edition")],
    ),
    (
        "gap-statement-twice",
        combine(
            append_row("gap_statements", **STATEMENT),
            append_row("gap_statements", **{**STATEMENT, "position": "2"}),
        ),
        [("gap-statement-duplicate", "gap_statements", 3, "gap_key")],
    ),
    (
        "gap-statement-still-suggested-after-reading",
        append_row("gap_statements", **{**STATEMENT, "region_status": "action_decided"}),
        [("gap-statement-reading", "gap_statements", 2, "curation")],
    ),
    (
        "semicolon-separated-csv",
        transform_bytes("classifications", semicolons),
        [("csv-dialect", "classifications", None, None)],
    ),
    (
        "excel-swedish-csv-utf8",
        transform_bytes("gaps", excel_swedish),
        [("csv-dialect", "gaps", None, None)],
    ),
    (
        "byte-order-mark",
        transform_bytes("regions", lambda b: b"\xef\xbb\xbf" + b),
        [("csv-dialect", "regions", None, None)],
    ),
    (
        "crlf-line-endings",
        transform_bytes("responses", lambda b: b.replace(b"\n", b"\r\n")),
        [("csv-dialect", "responses", None, None)],
    ),
    (
        "windows-1252-csv",
        transform_bytes("regions", lambda b: b.decode("utf-8").encode("cp1252")),
        [("encoding-error", "regions", None, None)],
    ),
    (
        "missing-resource-file",
        delete_file("stances"),
        [("file-missing", "stances", None, None)],
    ),
    (
        "resource-not-declared",
        drop_resource("gap_answers"),
        [("resource-missing", "gap_answers", None, None)],
    ),
    (
        "descriptor-path-leaves-package",
        set_resource_key("stances", "path", "../stances.csv"),
        [("profile-error", "stances", None, "path")],
    ),
    (
        "descriptor-unknown-field-type",
        edit_descriptor(
            lambda d: _resource(d, "sources")["schema"]["fields"][0].__setitem__("type", "strin")
        ),
        [("profile-error", "sources", None, "schema.fields[0].type")],
    ),
    (
        "descriptor-loosens-an-enum",
        edit_descriptor(
            lambda d: _resource(d, "classifications")["schema"]["fields"][2]["constraints"].pop(
                "enum"
            )
        ),
        [("schema-mismatch", "classifications", None, "category")],
    ),
    (
        "descriptor-changes-a-type-and-the-primary-key",
        combine(
            edit_descriptor(
                lambda d: _resource(d, "gaps")["schema"]["fields"][11].__setitem__("type", "number")
            ),
            edit_descriptor(
                lambda d: _resource(d, "regions")["schema"].__setitem__(
                    "primaryKey", ["iso_3166_2"]
                )
            ),
        ),
        [
            ("schema-mismatch", "gaps", None, "list_position"),
            ("schema-mismatch", "regions", None, None),
        ],
    ),
    (
        "descriptor-drops-a-field",
        edit_descriptor(lambda d: _resource(d, "stances")["schema"]["fields"].pop()),
        [("schema-mismatch", "stances", None, None)],  # its rows are not checked
    ),
    (
        "descriptor-remote-path",
        set_resource_key("stances", "path", "https://example.org/stances.csv"),
        [("resource-path", "stances", None, "path")],
    ),
    (
        "duplicate-resource-name",
        edit_descriptor(lambda d: d["resources"].append(dict(_resource(d, "stances")))),
        [("profile-error", "stances", None, None)],
    ),
    (
        "invalid-json",
        write_descriptor_text('{"name": "palliativ-data",\n "resources": [}\n'),
        [("json-error", None, None, None)],
    ),
    (
        "descriptor-not-an-object",
        write_descriptor_text("[]\n"),
        [("package-error", None, None, None)],
    ),
]


CASE_MUTATIONS = {case: mutation for case, mutation, _ in CASES}


@pytest.fixture(scope="session")
def case_report(tmp_path_factory) -> Callable[[str], ValidationReport]:
    """The report of one broken package of ``CASES``, validated once per test session.

    Several tests look at the same broken package (its problem keys, its message, the CLI's
    rendering of it); frictionless runs on it once.
    """
    reports: dict[str, ValidationReport] = {}

    def report(case: str) -> ValidationReport:
        if case not in reports:
            folder = make_package(tmp_path_factory.mktemp(case), CASE_MUTATIONS[case])
            reports[case] = validate(folder)
        return reports[case]

    return report


@pytest.mark.parametrize(("case", "expected"), [(case, expected) for case, _, expected in CASES])
def test_broken_package_gives_exactly_these_problems(case_report, case, expected):
    report = case_report(case)
    assert report.keys() == expected
    assert not report.valid
    for problem in report.problems:
        assert problem.message.endswith((".", ")")), problem.message


def test_case_ids_are_unique():
    assert len({case for case, _, _ in CASES}) == len(CASES)


def test_every_problem_is_collected_not_just_the_first(tmp_path):
    """All mutations of several independent cases at once: the report holds the union."""
    chosen = [
        "bad-enum-value",
        "bad-type",
        "dangling-foreign-key",
        "gap-key-changes-function",
        "party-on-administrative-response",
        "missing-resource-file",
        "descriptor-unknown-field-type",
    ]
    table = {case: (mutation, expected) for case, mutation, expected in CASES}
    report = validate(make_package(tmp_path, combine(*(table[c][0] for c in chosen))))
    expected = [key for c in chosen for key in table[c][1]]
    assert Counter(report.keys()) == Counter(expected)


def test_problems_are_sorted_stably(tmp_path):
    mutation = combine(
        set_cell("gaps", 3, "function", "hospice"),
        set_cell("classifications", 3, "category", "partly"),
        set_resource_key("stances", "path", "../stances.csv"),
        set_cell("gaps", 2, "region_wide", "yes"),
    )
    report = validate(make_package(tmp_path, mutation))
    assert list(report.problems) == sorted(report.problems, key=Problem.sort_key)
    assert report.keys() == validate(make_package(tmp_path / "again", mutation)).keys()


def test_missing_path_is_a_problem_not_a_traceback(tmp_path):
    report = validate(tmp_path / "nowhere")
    assert report.keys() == [("package-error", None, None, None)]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert validate(empty).keys() == [("package-error", None, None, None)]


def test_descriptor_file_or_folder(minimal, minimal_report):
    assert minimal_report.valid  # validate(folder)
    by_file = validate(minimal / "datapackage.json")
    assert by_file.valid and by_file.summary == minimal_report.summary
    assert str(minimal) in validate(str(minimal)).package


# --- messages say what is allowed and what to do -----------------------------------------


def _only(report) -> Problem:
    assert len(report.problems) == 1, report.render()
    return report.problems[0]


def test_enum_message_lists_the_allowed_values(case_report):
    problem = _only(case_report("bad-enum-value"))
    categories = next(
        f for f in load_table_schema("classifications")["fields"] if f["name"] == "category"
    )["constraints"]["enum"]
    assert "'partly'" in problem.message
    assert all(category in problem.message for category in categories)
    assert problem.path == "data/classifications.csv"


def test_pattern_message_shows_the_pattern(case_report):
    problem = _only(case_report("bad-pattern"))
    pattern = next(f for f in load_table_schema("regions")["fields"] if f["name"] == "iso_3166_2")[
        "constraints"
    ]["pattern"]
    assert pattern in problem.message and "'SE_C'" in problem.message


def test_foreign_key_message_names_the_target_and_its_values(case_report):
    problem = _only(case_report("dangling-foreign-key"))
    assert "functions.function" in problem.message
    functions = [row[0] for row in _read_rows(MINIMAL, "functions")[1:]]
    assert all(name in problem.message for name in functions)


def test_semicolon_message_has_a_hint(case_report):
    problem = _only(case_report("excel-swedish-csv-utf8"))  # transform_bytes("gaps", excel_swedish)
    for words in ("semicolons", "byte-order mark", "CRLF", "Excel", "comma-separated"):
        assert words in problem.message


def test_unsafe_path_message_says_what_a_path_may_be(case_report):
    problem = _only(case_report("descriptor-path-leaves-package"))
    assert "'../stances.csv'" in problem.message and "inside the package folder" in problem.message


def test_missing_file_message_names_what_could_not_be_checked(case_report):
    problem = _only(case_report("missing-resource-file"))
    assert "data/stances.csv" in problem.message
    assert "gap_answers.stance" in problem.message


def test_classification_missing_names_region_and_edition(case_report):
    problem = _only(case_report("missing-classification"))
    region, edition = (
        _read_rows(MINIMAL, "classifications")[2][1],
        _read_rows(MINIMAL, "classifications")[2][0],
    )
    assert f"region {region}" in problem.message and edition in problem.message


# --- the valid packages ------------------------------------------------------------------


def test_minimal_fixture_has_every_resource():
    assert sorted(p.stem for p in (MINIMAL / "data").glob("*.csv")) == sorted(resource_names())


@pytest.fixture(scope="session")
def minimal(tmp_path_factory) -> Path:
    """The valid minimal package, assembled once (tests only read it)."""
    return make_package(tmp_path_factory.mktemp("minimal"))


@pytest.fixture(scope="session")
def minimal_report(minimal) -> ValidationReport:
    return validate(minimal)


def test_minimal_fixture_is_valid(minimal_report):
    assert minimal_report.valid, minimal_report.render()


def test_minimal_fixture_is_valid_for_the_official_frictionless_tool(minimal):
    import frictionless

    report = frictionless.validate(str(minimal / "datapackage.json"))
    assert report.valid, report.flatten(["type", "rowNumber", "fieldName", "note"])


def test_bundled_package_is_valid():
    report = validate()
    assert report.valid, report.render()


def test_bundled_package_is_valid_for_the_official_frictionless_tool():
    import frictionless

    report = frictionless.validate(str(bundled_package_dir() / "datapackage.json"))
    assert report.valid, report.flatten(["type", "rowNumber", "fieldName", "note"])


def test_summary_counts_come_from_the_csv_files(minimal_report):
    summary = minimal_report.summary

    def rows(name: str) -> list[dict[str, str]]:
        header, *body = _read_rows(MINIMAL, name)
        return [dict(zip(header, row, strict=True)) for row in body]

    gaps = rows("gaps")
    assert summary["regions"] == len(rows("regions"))
    assert summary["responses"] == len(rows("responses"))
    assert summary["regions_with_responses"] == len({r["region_code"] for r in rows("responses")})
    assert summary["gap_answers"] == len(rows("gap_answers"))
    assert [(e["edition"], e["gaps"]) for e in summary["editions"]] == [
        (e["edition"], sum(g["edition"] == e["edition"] for g in gaps)) for e in rows("editions")
    ]
    for edition, counts in summary["classifications"].items():
        expected = Counter(
            c["category"] for c in rows("classifications") if c["edition"] == edition
        )
        assert {k: v for k, v in counts.items() if v} == dict(expected)
        assert list(counts) == [c["category"] for c in rows("categories")]


# --- the command line --------------------------------------------------------------------


def test_cli_valid_prints_a_summary_and_exits_0(minimal, capsys):
    assert main(["validate", str(minimal)]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "3 regions" in out and "classifications 2026-06" in out


def test_cli_invalid_prints_every_problem_and_exits_1(tmp_path, capsys):
    folder = make_package(
        tmp_path,
        combine(set_cell("gaps", 3, "function", "hospice"), delete_row("classifications", 3)),
    )
    assert main(["validate", str(folder)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1].startswith("2 problems")
    assert any(line.startswith("data/gaps.csv:3 function [foreign-key] ") for line in lines)
    assert any("[classification-missing]" in line for line in lines)


def test_cli_json_has_the_documented_shape(tmp_path, capsys, minimal):
    folder = make_package(tmp_path, set_cell("gaps", 3, "function", "hospice"))
    assert main(["validate", str(folder), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"valid", "package", "problems", "summary", "omitted"}
    assert data["valid"] is False
    assert [set(p) for p in data["problems"]] == [
        {"code", "resource", "path", "row", "field", "message"}
    ]
    assert data["problems"][0]["code"] == "foreign-key"
    assert {
        "name",
        "version",
        "regions",
        "editions",
        "responses",
        "regions_with_responses",
        "gap_answers",
        "classifications",
    } == set(data["summary"])
    assert main(["validate", str(minimal), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["problems"] == []


def test_cli_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate", "--no-such-option"])
    assert info.value.code == 2


def test_cli_help_has_an_example(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate", "-h"])
    assert info.value.code == 0
    assert "Example" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "code"), [([], 0), (["no/such/package"], 2), (["--bogus"], 2)])
def test_exit_status_of_the_real_process(tmp_path, args, code):
    target = args or [str(make_package(tmp_path))]
    result = subprocess.run(
        [sys.executable, "-m", "palliativ_data", "validate", *target],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == code, result.stdout + result.stderr


def test_the_profile_check_is_cached_by_descriptor_text_never_served_stale(tmp_path):
    """The profile's verdict is cached per descriptor text: a fixed descriptor is checked
    anew, and breaking it again gives the same problems as the first time."""
    folder = make_package(tmp_path)
    original = (folder / "datapackage.json").read_bytes()
    edit_descriptor(lambda d: d.__setitem__("licenses", "CC-BY-4.0"))(folder)
    broken = validate(folder)
    assert ("profile-error", None, None, "licenses") in broken.keys(), broken.render()
    (folder / "datapackage.json").write_bytes(original)
    assert validate(folder).valid
    edit_descriptor(lambda d: d.__setitem__("licenses", "CC-BY-4.0"))(folder)
    assert validate(folder).to_dict() == broken.to_dict()


def test_a_large_descriptor_is_checked_but_not_kept_in_the_cache(tmp_path, monkeypatch):
    from palliativ_data._validation import profile

    folder = make_package(tmp_path)
    edit_descriptor(lambda d: d.__setitem__("licenses", "CC-BY-4.0"))(folder)
    monkeypatch.setattr(profile, "_CACHED_DESCRIPTOR_CHARS", 1000)  # smaller than this one
    before = profile._cached_profile_errors.cache_info()
    report = validate(folder)
    assert ("profile-error", None, None, "licenses") in report.keys()
    after = profile._cached_profile_errors.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)
