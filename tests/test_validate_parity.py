"""The fast path of ``validate`` (``_validation/fast.py``) against the full path (frictionless).

The fast path judges each table itself, reporting what frictionless would report there, and
hands to frictionless only the tables it cannot judge. What must hold, and is checked here:

* the reports are byte-identical with ``engine="auto"`` and ``engine="frictionless"``: the
  text (capped per code and in full), the JSON (``--json`` and ``--json --all``), in the same
  order: the whole bad-input corpus (``tests/fixtures/bad/``; the slow tier), a targeted
  mutation for each check, the bundled and the minimal package, and generated packages with
  problems in every table (``bench/generate.py --problems``; 10^5 gap rows in the slow tier);
* the fast path judges the tables those problems are in (types, constraints, unique, keys,
  the rules) instead of handing them over, so frictionless reads only what it cannot judge:
  none of a generated package with problems;
* a clean package, and a package whose problems the fast path judges, needs neither
  frictionless nor pandas.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from palliativ_data._guards import SHOWN_PER_CODE
from palliativ_data._validation.fast import FastPath, Verdict
from palliativ_data._validation.report import ValidationReport
from palliativ_data._validation.validator import Validator, validate

_ROOT = Path(__file__).resolve().parent.parent
_HERE = Path(__file__).parent / "fixtures" / "bad"


def _load(name: str, path: Path) -> Any:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


cases = _load("bad_corpus_cases", _HERE / "cases.py")
generate = _load("bench_generate", _ROOT / "bench" / "generate.py")


def cheap_layers(path: Path) -> Validator | None:
    """A validator after the cheap layers (descriptor, profile, schemas, files); None when
    the descriptor cannot be read at all."""
    v = Validator(path)
    if not v._load_descriptor():
        return None
    v._check_descriptor()  # the project's keys and resources, the profile
    v._check_schemas_match_project()
    v._check_files()
    return v


def fast_verdict(path: Path) -> Verdict | None:
    """The cheap layers, then the fast path's judging; None when the cheap layers found
    problems."""
    v = cheap_layers(path)
    if v is None or v.problems:
        return None
    return FastPath(v).judge()


def handed_over(path: Path) -> set[str]:
    """The resources the fast path leaves to frictionless (after the cheap layers)."""
    v = cheap_layers(path)
    assert v is not None
    return set(v.resources) - FastPath(v).judge().judged


def outputs(report: ValidationReport) -> list[str]:
    """Everything ``validate`` prints: text and JSON, capped per code and in full."""
    return [
        report.render(),
        report.render(limit=None),
        report.to_json(limit=SHOWN_PER_CODE),
        report.to_json(),
    ]


def assert_same_reports(package: Path) -> ValidationReport:
    """Both engines print the same bytes for ``package``; the report (auto)."""
    auto = validate(package)
    full = validate(package, engine="frictionless")
    assert auto.keys() == full.keys()
    for mine, theirs in zip(outputs(auto), outputs(full), strict=True):
        assert mine == theirs
    return auto


def _param(case: Any) -> Any:
    marks = [pytest.mark.slow] if case.slow else []
    return pytest.param(case, id=case.id, marks=marks)


# --------------------------------------------------------------------------- the corpus


@pytest.mark.slow
@pytest.mark.parametrize("case", [_param(case) for case in cases.CASES])
def test_reports_are_the_same_both_ways(case: Any, tmp_path: Path) -> None:
    package = cases.make_package(tmp_path / "work" / "package", case.mutation)
    auto = assert_same_reports(package)
    assert not auto.valid
    if case.expected:  # (rows-10-6 leaves its list to test_bad_corpus)
        assert Counter(auto.keys()) == Counter(case.expected)


_FAST_TIER_CORPUS = ("nul-in-text", "label-duplicate", "duplicate-edition", "empty-file")


@pytest.mark.parametrize("case_id", _FAST_TIER_CORPUS)
def test_reports_are_the_same_both_ways_fast_tier(case_id: str, tmp_path: Path) -> None:
    """A case each of a rule, a header the fast path hands over, a key, an unreadable file."""
    (case,) = [c for c in cases.CASES if c.id == case_id]
    assert_same_reports(cases.make_package(tmp_path / "package", case.mutation))


def test_the_fast_path_judges_the_corpus_tables_with_data_problems(tmp_path: Path) -> None:
    """The table a data problem is in is judged by the fast path, not handed over."""
    for case_id, table in _DATA_CASES.items():
        (case,) = [c for c in cases.CASES if c.id == case_id]
        package = cases.make_package(tmp_path / case_id, case.mutation)
        verdict = fast_verdict(package)
        assert verdict is not None and table in verdict.judged, (case_id, verdict)
        assert not handed_over(package), case_id


_DATA_CASES = {
    "nul-in-text": "stances",
    "spaces-only-required": "stances",
    "gap-key-other-region": "gaps",
    "duplicate-edition": "editions",
}


# --------------------------------------------------------------------------- valid packages


def test_the_bundled_package_is_valid_both_ways() -> None:
    auto = validate()
    full = validate(engine="frictionless")
    assert auto.valid and full.valid
    assert outputs(auto) == outputs(full)


def test_the_minimal_package_is_judged_with_the_full_paths_summary(tmp_path: Path) -> None:
    package = cases.make_package(tmp_path / "package")
    assert not handed_over(package)
    auto = assert_same_reports(package)
    assert auto.valid and auto.summary["regions"] == 3  # the minimal package


@pytest.mark.parametrize(
    ("gaps", "editions"), [(42, 2), pytest.param(300, 5, marks=pytest.mark.slow)]
)
def test_generated_packages_are_valid_both_ways(gaps: int, editions: int, tmp_path: Path) -> None:
    folder = generate.generate(tmp_path / "package", gaps, editions)
    descriptor = folder / "datapackage.json"
    assert not handed_over(descriptor)
    auto = assert_same_reports(descriptor)
    assert auto.valid
    assert sum(e["gaps"] for e in auto.summary["editions"]) == gaps


# --------------------------------------------------------------------------- with problems


@pytest.mark.parametrize(
    ("gaps", "every"),
    [(3_000, 100), pytest.param(100_000, 1_000, marks=pytest.mark.slow)],
    ids=["3000-rows", "100000-rows"],
)
def test_a_generated_package_with_problems_in_every_table(
    gaps: int, every: int, tmp_path: Path
) -> None:
    """``bench/generate.py --problems``: a mistake in one row in ``every`` of each table;
    the fast path judges every table (frictionless reads none) and reports as frictionless."""
    folder = generate.generate(tmp_path / "package", gaps, 2, problems=every)
    descriptor = folder / "datapackage.json"
    assert not handed_over(descriptor)
    auto = assert_same_reports(descriptor)
    spoiled = {
        name for name in generate.MISTAKES if (folder / "csv" / f"{name}.csv").stat().st_size
    }
    assert {p.resource for p in auto.problems} == spoiled
    per_table = Counter(p.resource for p in auto.problems)
    assert per_table["gaps"] >= gaps // every  # each mistake is (at least) one problem
    codes = {p.code for p in auto.problems}
    assert {"type-error", "constraint-error", "unique-error", "primary-key", "foreign-key",
            "control-character", "gap-key-prefix"} <= codes  # fmt: skip


def test_a_release_whose_csv_files_were_edited_is_still_judged_by_the_fast_path(
    tmp_path: Path,
) -> None:
    """A release downloaded, its CSV files edited (mistakes in every table), its Parquet
    copies kept: each copy now differs from its CSV (``copy-differs``, a problem about the
    copy), yet the tables are judged by the fast path, not handed to frictionless, and the
    report is the full path's."""
    folder = generate.generate(tmp_path / "package", 600, 2)
    generate.spoil(folder, 50, keep_copies=True)
    descriptor = folder / "datapackage.json"
    v = cheap_layers(descriptor)
    assert v is not None and {p.code for p in v.problems} == {"copy-differs"}
    assert not handed_over(descriptor)
    auto = assert_same_reports(descriptor)
    copies = {p.resource for p in auto.problems if p.code == "copy-differs"}
    assert len(copies) >= 3 and copies <= set(generate.MISTAKES)  # (those whose CSV still parses)
    assert {"type-error", "foreign-key", "control-character"} <= {p.code for p in auto.problems}


# --------------------------------------------------------------------------- each check

_B = cases


def _append_line(resource: str, line: bytes) -> Any:
    return _B.transform_bytes(resource, lambda data: data + line)


TARGETED = {
    # check: (mutation, a problem code the full path reports for it)
    "pattern": (_B.set_cell("gaps", 2, "gap_key", "1-x"), "constraint-error"),
    "enum": (_B.set_cell("gaps", 2, "population", "adults"), "constraint-error"),
    "required": (_B.set_cell("gaps", 2, "label_en", ""), "constraint-error"),
    "minimum": (_B.set_cell("gaps", 2, "list_position", "0"), "constraint-error"),
    "integer type": (_B.set_cell("gaps", 2, "part", "one"), "type-error"),
    "integer with spaces": (_B.set_cell("gaps", 2, "part", " 1"), "type-error"),
    "boolean type": (_B.set_cell("gaps", 2, "region_wide", "ja"), "type-error"),
    "date type": (_B.set_cell("responses", 2, "date", "2026-02-30"), "type-error"),
    "date with a space": (_B.set_cell("responses", 2, "date", " 2026-02-03"), "type-error"),
    "unique": (_B.set_cell("categories", 3, "label_en", "concrete plans"), "unique-error"),
    "unique typed (01 = 1)": (_B.set_cell("categories", 3, "position", "01"), "unique-error"),
    "primary key": (
        _B.copy_row(
            "regions",
            2,
            iso_3166_2="SE-ZZ",
            name_source="x",
            name_official_sv="x",
            name_en="x",
            county_sv="x",
        ),
        "primary-key",
    ),
    "primary key of empty cells": (_B.set_cell("functions", 2, "function", ""), "primary-key"),
    "foreign key": (_B.set_cell("gaps", 2, "function", "no_such_function"), "foreign-key"),
    "composite foreign key": (
        _B.set_cell("gap_answers", 2, "gap_key", "01-no_such_gap"),
        "foreign-key",
    ),
    "composite foreign key, partly empty": (
        _B.set_cell("gap_answers", 2, "edition", ""),
        "foreign-key",
    ),
    "blank row": (_append_line("functions", b"\n"), "blank-row"),
    "row of empty cells": (_append_line("functions", b",,,,,\n"), "blank-row"),
    "extra cell": (_append_line("functions", b"a,b,c,d,e,7,x\n"), "extra-cell"),
    "missing cell": (_append_line("functions", b"a,b\n"), "missing-cell"),
    "header label": (_B.set_label("functions", "label_en", "label_english"), "incorrect-label"),
    "control character": (_B.set_cell("gaps", 2, "notes", "a\x1b[31mb"), "control-character"),
    "C1 control character": (_B.set_cell("gaps", 2, "notes", "a\x85b"), "control-character"),
    "blank text (NBSP)": (_B.set_cell("gaps", 2, "label_en", "\xa0"), "blank-text"),
    "rule gap-key-prefix": (_B.set_cell("gaps", 2, "region_code", "03"), "gap-key-prefix"),
    "rule gap-key-function": (
        _B.copy_row("gaps", 2, edition="2026-06", function="inpatient_beds"),
        "gap-key-function",
    ),
    "rule party-kind": (_B.set_cell("responses", 2, "party", "S"), "party-kind"),
}

# a table pyarrow cannot read as frictionless does, and those referring to it
_FUNCTIONS_AND_REFERRERS = {"functions", "gaps", "gap_answers", "gap_statements", "stances",
                            "stated_quantities"}  # fmt: skip
HANDED_OVER = {  # what the fast path leaves to frictionless
    "blank row": {"functions"},  # (read as frictionless reads it: still a look-up)
    "row of empty cells": {"functions"},
    "extra cell": _FUNCTIONS_AND_REFERRERS,
    "missing cell": _FUNCTIONS_AND_REFERRERS,
    "header label": _FUNCTIONS_AND_REFERRERS,
}


@pytest.mark.parametrize("check", list(TARGETED))
def test_each_check_is_judged_by_the_fast_path_or_handed_over(check: str, tmp_path: Path) -> None:
    mutation, code = TARGETED[check]
    package = cases.make_package(tmp_path / "package", mutation)
    assert fast_verdict(package) is not None, "the cheap layers caught it; not a fast check"
    assert handed_over(package) == HANDED_OVER.get(check, set())
    report = validate(package)
    assert code in {problem.code for problem in report.problems}, report.render()


@pytest.mark.parametrize(
    "check",
    [
        pytest.param(check, marks=[] if i % 4 == 0 else [pytest.mark.slow])
        for i, check in enumerate(TARGETED)
    ],
)
def test_each_targeted_mutation_gives_the_full_paths_report(check: str, tmp_path: Path) -> None:
    assert_same_reports(cases.make_package(tmp_path / "package", TARGETED[check][0]))


def test_problems_in_two_tables_and_the_cheap_layers_give_the_full_paths_report(
    tmp_path: Path,
) -> None:
    """The fast path runs after the cheap layers found a problem (a missing file), judges
    each table on its own, and frictionless reads only the rest."""
    mutation = _B.combine(
        _B.set_cell("gaps", 2, "part", "one"),
        _B.set_cell("responses", 2, "date", "2026-02-30"),
        _B.delete_file("stances"),
    )
    package = cases.make_package(tmp_path / "package", mutation)
    v = cheap_layers(package)
    assert v is not None and v.problems, "the cheap layers must find the missing file"
    auto = assert_same_reports(package)
    assert {(p.code, p.resource) for p in auto.problems} >= {
        ("type-error", "gaps"),
        ("type-error", "responses"),
    }
    judged = FastPath(v).judge().judged
    assert {"regions", "gaps", "responses"} <= judged and "stances" not in judged


def test_an_unknown_resource_key_is_a_problem_of_the_cheap_layers(tmp_path: Path) -> None:
    """A key the project does not define (here frictionless' ``profile``) is refused before
    any table is read, the same way by both engines."""
    package = cases.make_package(
        tmp_path / "package", _B.set_resource_key("stances", "profile", "tabular-data-resource")
    )
    assert fast_verdict(package) is None  # the cheap layers found it
    report = assert_same_reports(package)
    assert report.keys() == [("unknown-key", "stances", None, None)]


def test_engine_must_be_known() -> None:
    with pytest.raises(ValueError, match="engine"):
        validate(engine="fast")  # type: ignore[arg-type]


def _imports_after_validate(path: Path | None) -> list[str]:
    argument = "" if path is None else repr(str(path))
    code = (
        "import sys; from palliativ_data import validate; r = validate("
        + argument
        + "); print(r.valid, 'frictionless' in sys.modules, 'pandas' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return result.stdout.split()


def test_a_clean_package_needs_neither_frictionless_nor_pandas() -> None:
    """The fast path decides the bundled package alone: the ~0.3 s frictionless import and
    pandas (which pyarrow imports when given a Python scalar or running Acero) are skipped."""
    assert _imports_after_validate(None) == ["True", "False", "False"]


def test_a_package_with_judged_problems_needs_neither_frictionless_nor_pandas(
    tmp_path: Path,
) -> None:
    folder = generate.generate(tmp_path / "package", 600, 2, problems=50)
    assert _imports_after_validate(folder / "datapackage.json") == ["False", "False", "False"]


@pytest.mark.parametrize(
    "mutation",
    ["generated", "rule party-kind", "rule gap-key-function", "composite foreign key"],
)
def test_tables_cut_down_keep_every_column_the_rules_read(
    mutation: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A table over ``SMALL_TABLE_ROWS`` keeps only the columns of ``_RULE_COLUMNS`` (and its
    keys') once its own checks are done; with every table cut down, the report is the same."""
    from palliativ_data._validation import fast

    monkeypatch.setattr(fast, "SMALL_TABLE_ROWS", 0)
    if mutation == "generated":
        package = generate.generate(tmp_path / "package", 600, 2, problems=50) / "datapackage.json"
    else:
        package = cases.make_package(tmp_path / "package", TARGETED[mutation][0])
    v = cheap_layers(package)
    assert v is not None
    path = FastPath(v)
    path.judge()
    assert any(t.num_columns < len(v.resources[n].fields) for n, t in path.arrow.items())
    assert_same_reports(package)


_URI_EXAMPLES = [
    "https://palliativregistret.se/rapport.pdf", "http://x", "mailto:a@b.se", "urn:isbn:1",
    "a:", "a+b-c.d:x", "HTTPS://X", "1http://x", "http//x", "://x", "", " https://x",
    "palliativregistret.se/x", "/relative/path", "?q=1", "#frag", "a b:c", "ä:x", "a:\n",
    "https://x y z", "https://[::1]:80/ä?q#f",
]  # fmt: skip


def _rfc3986_verdict(cell: str) -> bool:
    """frictionless' check of a 'uri' cell, as it makes it (rfc3986, a scheme required)."""
    import rfc3986
    import rfc3986.exceptions
    import rfc3986.validators

    try:
        rfc3986.validators.Validator().require_presence_of("scheme").validate(
            rfc3986.uri_reference(cell)
        )
    except rfc3986.exceptions.ValidationError:
        return False
    return True


@pytest.mark.parametrize("cell", _URI_EXAMPLES)
def test_the_uri_check_gives_rfc3986s_verdict(cell: str) -> None:
    from palliativ_data._validation.table_problems import URI_SCHEME

    assert bool(URI_SCHEME.match(cell)) == _rfc3986_verdict(cell)


def test_the_uri_check_gives_rfc3986s_verdict_on_any_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from palliativ_data._validation.table_problems import URI_SCHEME

    texts = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
    schemes = st.from_regex(r"[a-zA-Z][a-zA-Z0-9+.-]{0,6}", fullmatch=True)

    @settings(max_examples=300, deadline=None)
    @given(
        st.one_of(
            texts, st.tuples(schemes, st.sampled_from([":", "", "/", " :"]), texts).map("".join)
        )
    )
    def check(cell: str) -> None:
        assert bool(URI_SCHEME.match(cell)) == _rfc3986_verdict(cell), cell

    check()
