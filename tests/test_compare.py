"""Tests of compare(): statuses, invariants, outputs, and year over year with the synthetic 2027 fixture.

Expectations are computed from the CSV files with the csv module (independently of the library),
never copied from the current curated data.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from pydantic import ValidationError

import palliativ_data as pdata
from palliativ_data._comparison.constants import FORMAT, STATUS_LABELS, STATUSES, TABLE_FIELDS
from palliativ_data._paths import bundled_package_dir

FIXTURES = Path(__file__).parent / "fixtures"


def _load_builder():
    spec = importlib.util.spec_from_file_location(
        "synthetic_2027_build", FIXTURES / "synthetic_2027" / "build.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """(path, plan) of a freshly built synthetic 2027 package."""
    out = tmp_path_factory.mktemp("synthetic_2027")
    plan = _load_builder().build(out)
    return out, plan


def _rows(package_dir: Path, name: str) -> list[dict[str, str]]:
    with (package_dir / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _keys(package_dir: Path, edition: str) -> dict[str, dict[str, str]]:
    return {row["gap_key"]: row for row in _rows(package_dir, "gaps") if row["edition"] == edition}


def _editions(package_dir: Path) -> list[str]:
    return [row["edition"] for row in _rows(package_dir, "editions")]


REAL = bundled_package_dir()
REAL_EDITION_PAIRS = list(itertools.permutations(_editions(REAL), 2))


@pytest.fixture(scope="module")
def real():
    return pdata.load()


def _check_against_csv(result, old_dir: Path, new_dir: Path) -> None:
    """Every invariant of a comparison, checked against the raw CSV files."""
    old = _keys(old_dir, result.old_edition)
    new = _keys(new_dir, result.new_edition)
    statuses = {gap.gap_key: gap.status for gap in result.gaps}
    assert len(statuses) == len(result.gaps), "a gap_key appears twice in the comparison"
    expected = {key: "persisting" for key in old.keys() & new.keys()}
    expected |= {key: "dropped" for key in old.keys() - new.keys()}
    expected |= {key: "added" for key in new.keys() - old.keys()}
    assert statuses == expected

    codes = {row["region_code"] for row in _rows(old_dir, "regions")} | {
        row["region_code"] for row in _rows(new_dir, "regions")
    }
    assert [region.region_code for region in result.regions] == sorted(codes)
    for region in result.regions:
        code = region.region_code
        in_old = sum(1 for row in old.values() if row["region_code"] == code)
        in_new = sum(1 for row in new.values() if row["region_code"] == code)
        c = region.counts
        assert (c.persisting + c.dropped, c.persisting + c.added) == (in_old, in_new), code
        assert (c.old, c.new) == (in_old, in_new), code
    s = result.summary
    assert (s.old, s.new) == (len(old), len(new))
    assert s.persisting + s.dropped == s.old and s.persisting + s.added == s.new
    for status in STATUSES:
        assert getattr(s, status) == sum(1 for value in expected.values() if value == status)
    functions = {f.function: f.counts for f in result.functions}
    for code in {row["function"] for row in [*old.values(), *new.values()]}:
        assert functions[code].old == sum(1 for row in old.values() if row["function"] == code)
        assert functions[code].new == sum(1 for row in new.values() if row["function"] == code)


@pytest.mark.parametrize(("old_edition", "new_edition"), REAL_EDITION_PAIRS)
def test_real_comparison_matches_the_csv_for_every_region(real, old_edition, new_edition):
    _check_against_csv(real.compare(old_edition, new_edition), REAL, REAL)


def test_rows_are_attached_by_status(real):
    result = real.compare("2026-02", "2026-06")
    for gap in result.gaps:
        assert (gap.old is not None) == (gap.status in ("persisting", "dropped"))
        assert (gap.new is not None) == (gap.status in ("persisting", "added"))
        for row, edition in ((gap.old, "2026-02"), (gap.new, "2026-06")):
            if row is not None:
                assert (row.edition, row.gap_key, row.region_code, row.function) == (
                    edition,
                    gap.gap_key,
                    gap.region_code,
                    gap.function,
                )
                assert isinstance(row, pdata.Gap)


def test_answers_are_the_gap_answers_of_the_old_edition(real):
    result = real.compare("2026-02", "2026-06")
    expected = defaultdict(list)
    for row in _rows(REAL, "gap_answers"):
        if row["edition"] == "2026-02":
            expected[row["gap_key"]].append(
                (row["response_id"], row["stance"], row["summary_en"] or None)
            )
    got = {
        gap.gap_key: [(a.response_id, a.stance, a.summary_en) for a in gap.answers]
        for gap in result.gaps
        if gap.answers
    }
    assert got == dict(expected)
    table = result.to_table()
    stances = dict(
        zip(
            table.column("gap_key").to_pylist(),
            table.column("answer_stances").to_pylist(),
            strict=True,
        )
    )
    for gap in result.gaps:
        assert stances[gap.gap_key] == [a.stance for a in gap.answers]


def test_same_edition_is_all_persisting(real):
    result = real.compare("2026-06", "2026-06")
    assert {gap.status for gap in result.gaps} <= {"persisting"}
    assert result.summary.old == result.summary.new == result.summary.persisting


def test_package_compare_is_the_function(real):
    assert (
        real.compare("2026-02", "2026-06").to_dict()
        == pdata.compare(real, real, "2026-02", "2026-06").to_dict()
    )
    by_path = pdata.compare(REAL, REAL, "2026-02", "2026-06")
    assert by_path.summary == real.compare("2026-02", "2026-06").summary


def test_comparison_is_frozen(real):
    result = real.compare("2026-02", "2026-06")
    with pytest.raises(ValidationError):
        result.old_edition = "2025-02"
    with pytest.raises(ValidationError):
        result.regions[0].name = "x"


def test_unknown_edition_lists_the_editions(real):
    with pytest.raises(pdata.UnknownNameError) as caught:
        real.compare("1999-01", "2026-06")
    for edition in _editions(REAL):
        assert edition in str(caught.value)
    assert caught.value.candidates == tuple(sorted(_editions(REAL)))
    assert caught.value.kind == "edition"


def test_filters_limit_regions_and_functions(real):
    jamtland = real.region("Jämtland").region_code
    result = real.compare("2026-02", "2026-06", region="Jämtland")
    assert [r.region_code for r in result.regions] == [jamtland]
    assert {gap.region_code for gap in result.gaps} <= {jamtland}
    assert result.summary.old == sum(
        1 for row in _keys(REAL, "2026-02").values() if row["region_code"] == jamtland
    )
    function = _rows(REAL, "gaps")[0]["function"]
    only = real.compare("2026-02", "2026-06", function=function)
    assert {gap.function for gap in only.gaps} == {function}
    assert only.function_codes == (function,)
    with pytest.raises(pdata.UnknownNameError):
        real.compare("2026-02", "2026-06", function="no_such_function")
    with pytest.raises(pdata.NameLookupError):
        real.compare("2026-02", "2026-06", region="Atlantis")


# ------------------------------------------------------------------ outputs


def test_to_table_and_records(real):
    result = real.compare("2026-02", "2026-06")
    table = result.to_table()
    assert table.column_names == list(TABLE_FIELDS)
    assert table.num_rows == len(result.gaps)
    assert table.column("gap_key").to_pylist() == [gap.gap_key for gap in result.gaps]
    assert table.column("status").to_pylist() == [gap.status for gap in result.gaps]
    assert all(field.metadata[b"description"] for field in table.schema)
    records = result.to_records()
    assert records == table.to_pylist()
    for record, gap in zip(records, result.gaps, strict=True):
        assert record["old_label_sv"] == (gap.old.label_sv if gap.old else None)
        assert record["new_label_en"] == (gap.new.label_en if gap.new else None)


def test_json_has_the_documented_shape(real):
    result = real.compare("2026-02", "2026-06")
    data = json.loads(result.to_json())
    assert data["format"] == FORMAT and data["format_version"] == 1
    assert {
        "old_edition",
        "new_edition",
        "old_package",
        "new_package",
        "answers_edition",
        "filters",
        "summary",
        "regions",
        "functions",
        "classification_changes",
        "gaps",
    } <= set(data)
    assert (data["old_edition"], data["new_edition"]) == ("2026-02", "2026-06")
    assert set(data["summary"]) == {
        "old",
        "new",
        "persisting",
        "dropped",
        "added",
        "regions",
        "classification_changes",
    }
    assert (
        len(data["gaps"])
        == data["summary"]["persisting"] + data["summary"]["dropped"] + data["summary"]["added"]
    )
    for gap in data["gaps"]:
        assert {"region_code", "gap_key", "function", "status", "old", "new", "answers"} <= set(gap)
        assert gap["status"] in STATUSES
        assert gap["gap_key"].startswith(gap["region_code"] + "-")
        if gap["old"] is not None:
            assert gap["old"]["edition"] == "2026-02"
    for region in data["regions"]:
        assert {"region_code", "name", "old_name", "old_category", "new_category", "counts"} <= set(
            region
        )
        assert set(region["counts"]) == {"old", "new", "persisting", "dropped", "added"}
    assert len(data["regions"]) == len(_rows(REAL, "regions"))


def test_markdown_covers_every_region_and_never_says_resolved(real):
    result = real.compare("2026-02", "2026-06")
    text = result.to_markdown()
    for row in _rows(REAL, "regions"):
        assert f"### {row['region_code']} {row['name_source']}" in text
    for function in result.functions:
        assert function.label_en in text and function.label_sv in text
    statuses = Counter(gap.status for gap in result.gaps)
    gap_rows = Counter(
        line.split(" | ")[0].removeprefix("| ")
        for line in text.splitlines()
        if line.startswith("| ") and line.endswith(" |") and "`" in line  # gap rows show the key
    )
    assert gap_rows == Counter({STATUS_LABELS[s]: n for s, n in statuses.items()})
    table_lines = [line for line in text.splitlines() if line.startswith("| ")]
    assert not any("resolved" in line.lower() for line in table_lines)


# ------------------------------------------------------------------ year over year (synthetic)


def test_synthetic_package_validates(synthetic):
    path, _ = synthetic
    report = pdata.validate(path)
    assert report.valid, report.render()
    descriptor = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
    assert "SYNTHETIC" in descriptor["title"] and "SYNTHETIC" in descriptor["description"]
    assert "SYNTHETIC" in (path / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old_edition", "new_edition"),
    [
        ("2026-02", "2027-02"),
        ("2026-06", "2027-02"),
        ("2026-06", "2027-06"),
        ("2027-02", "2027-06"),
    ],
)
def test_cross_package_comparison_matches_the_csv(real, synthetic, old_edition, new_edition):
    path, _ = synthetic
    old_dir = REAL if old_edition.startswith("2026") else path
    old_pkg = real if old_dir == REAL else pdata.load(path)
    _check_against_csv(
        pdata.compare(old_pkg, pdata.load(path), old_edition, new_edition), old_dir, path
    )


def test_year_over_year_statuses(real, synthetic):
    path, plan = synthetic
    new = pdata.load(path)
    from_june = {gap.gap_key: gap for gap in pdata.compare(real, new, "2026-06", "2027-02").gaps}
    from_february = {
        gap.gap_key: gap for gap in pdata.compare(real, new, "2026-02", "2027-02").gaps
    }
    closed = from_june[plan.closed_gap]
    assert closed.status == "dropped" and closed.new is None and closed.old.edition == "2026-06"
    assert from_june[plan.reappearing_gap].status == "added"
    assert from_february[plan.reappearing_gap].status == "persisting"
    new_function = from_june[plan.new_function_gap]
    assert (new_function.status, new_function.function) == ("added", "day_care")


def test_year_over_year_new_function_is_counted(real, synthetic):
    path, _ = synthetic
    result = pdata.compare(real, path, "2026-06", "2027-02")
    day_care = [f for f in result.functions if f.function == "day_care"]
    assert len(day_care) == 1
    assert (day_care[0].counts.old, day_care[0].counts.new, day_care[0].counts.added) == (0, 1, 1)
    assert "SYNTHETIC" in day_care[0].label_en
    assert day_care[0].label_en in result.to_markdown()


def test_year_over_year_category_change(real, synthetic):
    path, plan = synthetic
    for old_edition, new_edition in (("2026-06", "2027-06"), ("2026-02", "2027-02")):
        result = pdata.compare(real, path, old_edition, new_edition)
        changes = [
            (c.region_code, c.old_category, c.new_category, c.old_edition, c.new_edition)
            for c in result.classification_changes
        ]
        assert changes == [
            (plan.changed_region, plan.old_category, plan.new_category, "2026-06", "2027-06")
        ]
        assert result.summary.classification_changes == 1
        assert result.region(plan.changed_region).category_changed
        assert (
            json.loads(result.to_json())["classification_changes"][0]["region_code"]
            == plan.changed_region
        )
    # an inventory without a follow-up yet has no classification: no change is claimed
    new = pdata.load(path)
    same = pdata.compare(real, new, "2026-06", "2026-06")
    assert same.classification_changes == ()


def test_year_over_year_renamed_region(real, synthetic):
    path, plan = synthetic
    result = pdata.compare(real, path, "2026-06", "2027-02")
    region = result.region(plan.renamed_region)
    assert (region.name, region.old_name) == (plan.new_name, plan.old_name)
    others = [r for r in result.regions if r.region_code != plan.renamed_region]
    assert all(r.old_name is None for r in others)
    text = result.to_markdown()
    assert f"### {plan.renamed_region} {plan.new_name}" in text and plan.old_name in text
    # both names find the region when filtering
    for name in (plan.new_name, plan.old_name):
        assert [
            r.region_code
            for r in pdata.compare(real, path, "2026-06", "2027-02", region=name).regions
        ] == [plan.renamed_region]


def test_answers_of_a_follow_up_come_from_its_inventory(synthetic):
    path, plan = synthetic
    pkg = pdata.load(path)
    result = pkg.compare("2027-06", "2027-06")
    assert result.answers_edition == "2027-02"
    answered = {
        gap.gap_key for gap in result.gaps if any(a.stance == "planned" for a in gap.answers)
    }
    expected = {
        row["gap_key"]
        for row in _rows(path, "gap_answers")
        if row["edition"] == "2027-02" and row["stance"] == "planned"
    }
    assert answered == expected and expected
    assert {key.split("-")[0] for key in expected} == {plan.changed_region}


def test_unknown_edition_across_packages_names_the_side(real, synthetic):
    path, _ = synthetic
    with pytest.raises(pdata.UnknownNameError) as caught:
        pdata.compare(real, path, "2027-02", "2027-06")
    assert "old package" in str(caught.value)
    assert set(caught.value.candidates) == set(_editions(REAL))


def test_compare_does_not_import_pandas_or_acero(modules_after):
    """pyarrow imports pandas behind pa.array/pa.scalar and pyarrow.acero; compare avoids both."""
    pytest.importorskip("pandas")  # the check means something only where pandas is installed
    code = (
        "import palliativ_data as p\n"
        "result = p.load().compare('2026-02', '2026-06')\n"
        "result.to_table(); result.to_json(); result.to_markdown()"
    )
    assert not {"pandas", "pyarrow.acero", "pyarrow.dataset"} & modules_after(code)


def test_equality_ignores_caches(real):
    first, second = real.compare("2026-02", "2026-06"), real.compare("2026-02", "2026-06")
    assert first.gaps  # builds the per-gap records of one of them only
    assert first == second and hash(first) == hash(second)
    assert first != real.compare("2026-06", "2026-06")
