"""The fast path of ``validate`` (``validation/fast.py``) against the full path (frictionless).

The fast path only says *clean* or *not clean*; a package it does not find clean is validated
by the full path, so the report is the full path's. What must hold, and is checked here:

* it never calls a bad package clean: every case of the bad-input corpus
  (``tests/fixtures/bad/``) and each targeted mutation below;
* the reports are the same with ``engine="auto"`` and ``engine="frictionless"``: the whole
  corpus (slow), the bundled package, the minimal package and generated packages;
* when it finds a package clean, the summary is the one the full path computes.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from palliativ_data._validation.codes import FRICTIONLESS_CODES
from palliativ_data._validation.fast import FastPath, Verdict
from palliativ_data._validation.profile import check_profile
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
    v._collect_resources(check_profile(v))
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


# codes frictionless reports (the rest come from the cheap layers and the rules): the
# catalogue's frictionless codes, and where it stopped at its limit
_FRICTIONLESS_CODES = FRICTIONLESS_CODES | {"error-limit"}


def assert_vouched_soundly(path: Path, full: Any) -> frozenset[str]:
    """The fast path vouches for no resource the full path reports a frictionless problem
    in (or a problem of the cheap layers); return what it vouched for."""
    v = cheap_layers(path)
    if v is None:
        return frozenset()
    verdict = fast_check(v)
    assert not verdict.clean
    flagged = {
        p.resource for p in full.problems if p.code in _FRICTIONLESS_CODES or p.resource in
        {q.resource for q in v.problems}
    }  # fmt: skip
    assert not (verdict.vouched & flagged), (verdict.vouched & flagged, full.render())
    return verdict.vouched


def _param(case: Any) -> Any:
    marks = [pytest.mark.slow] if case.slow else []
    return pytest.param(case, id=case.id, marks=marks)


# --------------------------------------------------------------------------- the corpus


@pytest.mark.parametrize("case", [_param(case) for case in cases.CASES])
def test_the_fast_path_never_calls_a_bad_case_clean(case: Any, tmp_path: Path) -> None:
    package = cases.make_package(tmp_path / "work" / "package", case.mutation)
    verdict = fast_verdict(package)
    assert verdict is None or not verdict.clean, case.id
    if verdict is not None:
        assert verdict.reason  # it says why it handed over


@pytest.mark.slow
@pytest.mark.parametrize("case", [_param(case) for case in cases.CASES])
def test_reports_are_the_same_both_ways(case: Any, tmp_path: Path) -> None:
    package = cases.make_package(tmp_path / "work" / "package", case.mutation)
    auto = validate(package)
    full = validate(package, engine="frictionless")
    assert not auto.valid
    assert auto.keys() == full.keys()
    assert auto.to_dict() == full.to_dict()
    assert_vouched_soundly(package, full)
    if case.expected:  # (rows-10-6 leaves its list to test_bad_corpus)
        assert Counter(auto.keys()) == Counter(case.expected)


def test_the_corpus_reaches_the_fast_path_with_data_problems(tmp_path: Path) -> None:
    """Not every case stops in the cheap layers: the fast path itself is exercised."""
    reached = []
    for case in [c for c in cases.CASES if c.id in _DATA_CASES]:
        package = cases.make_package(tmp_path / case.id, case.mutation)
        verdict = fast_verdict(package)
        assert verdict is not None and not verdict.clean, case.id
        reached.append(case.id)
    assert sorted(reached) == sorted(_DATA_CASES)


_DATA_CASES = ("nul-in-text", "spaces-only-required", "gap-key-other-region", "duplicate-edition")


# --------------------------------------------------------------------------- valid packages


def test_the_bundled_package_is_valid_both_ways() -> None:
    auto = validate()
    full = validate(engine="frictionless")
    assert auto.valid and full.valid
    assert auto.to_dict() == full.to_dict()


def test_the_minimal_package_is_clean_with_the_full_paths_summary(tmp_path: Path) -> None:
    package = cases.make_package(tmp_path / "package")
    verdict = fast_verdict(package)
    assert verdict is not None and verdict.clean, verdict
    full = validate(package, engine="frictionless")
    assert full.valid
    assert dict(verdict.summary or {}) == dict(full.summary)


@pytest.mark.parametrize(
    ("gaps", "editions"), [(42, 2), pytest.param(300, 5, marks=pytest.mark.slow)]
)
def test_generated_packages_are_valid_both_ways(gaps: int, editions: int, tmp_path: Path) -> None:
    folder = generate.generate(tmp_path / "package", gaps, editions)
    descriptor = folder / "datapackage.json"
    verdict = fast_verdict(descriptor)
    assert verdict is not None and verdict.clean, verdict
    auto = validate(descriptor)
    full = validate(descriptor, engine="frictionless")
    assert auto.valid and full.valid
    assert auto.to_dict() == full.to_dict()
    assert sum(e["gaps"] for e in auto.summary["editions"]) == gaps


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
    "foreign key": (_B.set_cell("gaps", 2, "function", "no_such_function"), "foreign-key"),
    "composite foreign key": (
        _B.set_cell("gap_answers", 2, "gap_key", "01-no_such_gap"),
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


@pytest.mark.parametrize("check", list(TARGETED))
def test_each_fast_check_flags_what_the_full_path_reports(check: str, tmp_path: Path) -> None:
    mutation, code = TARGETED[check]
    package = cases.make_package(tmp_path / "package", mutation)
    verdict = fast_verdict(package)
    assert verdict is not None, "the cheap layers caught it; the fast path was not tested"
    assert not verdict.clean
    report = validate(package)
    assert code in {problem.code for problem in report.problems}, report.render()
    # frictionless reads only what the fast path did not vouch for: never where its problem
    # is; a rule's problem is not frictionless', so there it has nothing to read
    found = {problem.resource for problem in report.problems if problem.code in _FRICTIONLESS_CODES}
    assert not (verdict.vouched & found), (verdict.vouched, found)
    if code in _FRICTIONLESS_CODES:
        assert verdict.vouched, "the other tables are vouched for"
    elif not found:
        v = cheap_layers(package)
        assert v is not None and verdict.vouched == set(v.resources)


@pytest.mark.slow
@pytest.mark.parametrize("check", list(TARGETED))
def test_each_targeted_mutation_gives_the_full_paths_report(check: str, tmp_path: Path) -> None:
    package = cases.make_package(tmp_path / "package", TARGETED[check][0])
    full = validate(package, engine="frictionless")
    assert validate(package).to_dict() == full.to_dict()
    assert_vouched_soundly(package, full)


def test_problems_in_two_tables_and_the_cheap_layers_give_the_full_paths_report(
    tmp_path: Path,
) -> None:
    """The fast path runs after the cheap layers found a problem (a missing file), checks each
    table on its own, and frictionless reads only the rest."""
    mutation = _B.combine(
        _B.set_cell("gaps", 2, "part", "one"),
        _B.set_cell("responses", 2, "date", "2026-02-30"),
        _B.delete_file("stances"),
    )
    package = cases.make_package(tmp_path / "package", mutation)
    v = cheap_layers(package)
    assert v is not None and v.problems, "the cheap layers must find the missing file"
    full = validate(package, engine="frictionless")
    auto = validate(package)
    assert auto.to_dict() == full.to_dict()
    assert {(p.code, p.resource) for p in auto.problems} >= {
        ("type-error", "gaps"),
        ("type-error", "responses"),
    }
    vouched = assert_vouched_soundly(package, full)
    assert "regions" in vouched and not {"gaps", "responses", "stances"} & vouched


def test_an_unknown_resource_key_hands_over_and_the_report_stays_valid(tmp_path: Path) -> None:
    package = cases.make_package(
        tmp_path / "package", _B.set_resource_key("stances", "profile", "tabular-data-resource")
    )
    verdict = fast_verdict(package)
    assert verdict is not None and not verdict.clean
    assert "unknown resource keys" in verdict.reason
    assert validate(package).to_dict() == validate(package, engine="frictionless").to_dict()


def test_engine_must_be_known() -> None:
    with pytest.raises(ValueError, match="engine"):
        validate(engine="fast")  # type: ignore[arg-type]


def test_a_clean_package_needs_neither_frictionless_nor_pandas() -> None:
    """The fast path decides the bundled package alone: the ~0.3 s frictionless import and
    pandas (which pyarrow imports when given a Python scalar or running Acero) are skipped."""
    code = (
        "import sys; from palliativ_data import validate; r = validate(); "
        "print(r.valid, 'frictionless' in sys.modules, 'pandas' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == ["True", "False", "False"]
