"""The JSON of a comparison, written from Arrow columns, is byte for byte what the models give.

``Comparison.to_json`` builds its text with Arrow string kernels (``comparison/jsontext.py``);
the reference here is ``json.dumps`` of a dict built from the per-gap models
(``Comparison.gaps``), the way the JSON was made before. Both must agree for every edition
pair, with filters, across packages, for every indent, and for text that needs escaping.
"""

from __future__ import annotations

import csv
import itertools
import json
import shutil
from pathlib import Path

import pytest

import palliativ_data as pdata
from palliativ_data._comparison import jsontext
from palliativ_data._comparison.render import comparison_head
from palliativ_data._paths import bundled_package_dir

REAL = bundled_package_dir()


def _reference(result) -> dict:
    document = comparison_head(result)
    document["gaps"] = [
        {
            "region_code": gap.region_code,
            "gap_key": gap.gap_key,
            "function": gap.function,
            "status": gap.status,
            "old": None if gap.old is None else gap.old.model_dump(mode="json"),
            "new": None if gap.new is None else gap.new.model_dump(mode="json"),
            "answers": [answer.model_dump(mode="json") for answer in gap.answers],
        }
        for gap in result.gaps
    ]
    return document


def _assert_same(result) -> None:
    reference = _reference(result)
    for indent in (2, None, 4):
        assert result.to_json(indent) == json.dumps(reference, ensure_ascii=False, indent=indent)
    assert result.to_dict() == reference


@pytest.fixture(scope="module")
def real():
    return pdata.load()


EDITIONS = [e.edition for e in pdata.load().editions]


@pytest.mark.parametrize(("old", "new"), list(itertools.permutations(EDITIONS, 2)))
def test_json_equals_the_model_path_for_every_edition_pair(real, old, new):
    _assert_same(real.compare(old, new))


@pytest.mark.parametrize(
    "limits", [{"region": ["23", "01"]}, {"function": "consultation_team"}, {"region": "09"}]
)
def test_json_equals_the_model_path_with_filters(real, limits):
    _assert_same(real.compare(EDITIONS[0], EDITIONS[-1], **limits))


@pytest.fixture(scope="module")
def awkward(tmp_path_factory) -> Path:
    """A copy of the bundled package whose labels hold every character JSON must escape."""
    out = tmp_path_factory.mktemp("awkward") / "package"
    shutil.copytree(REAL, out)
    path = out / "data" / "gaps.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    texts = ['a "quoted" word', "back\\slash \\n", "two\nlines\r\n", "tab\there",
             "bell\x07 and \x1f", "form\x0cfeed\x08", "emoji 🙂 and Ω", "\u2028 separator"]  # fmt: skip
    for number, row in enumerate(rows):
        row["label_en"] = texts[number % len(texts)] + row["label_en"]
        if number % 3 == 0:
            row["places"] = texts[(number + 1) % len(texts)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out


def test_json_escapes_as_json_dumps_does(awkward):
    pkg = pdata.load(awkward)
    result = pkg.compare(EDITIONS[0], EDITIONS[-1])
    _assert_same(result)
    labels = {gap["gap_key"]: gap for gap in json.loads(result.to_json())["gaps"]}
    assert any("\x07" in (gap["old"] or gap["new"])["label_en"] for gap in labels.values())


def test_json_across_packages_and_in_small_batches(awkward, real, monkeypatch):
    monkeypatch.setattr(jsontext, "BATCH_ROWS", 7)  # many batches, written in order
    _assert_same(pdata.compare(pdata.load(awkward), real, EDITIONS[0], EDITIONS[-1]))
    _assert_same(pdata.compare(real, pdata.load(awkward), EDITIONS[-1], EDITIONS[0]))


def test_json_of_an_empty_comparison(real):
    result = real.compare(EDITIONS[0], EDITIONS[0], region="09", function="inpatient_beds")
    _assert_same(result)
