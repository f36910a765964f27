"""The corpus of bad packages (``tests/fixtures/bad/``, marker ``bad``; run alone with
``pytest -m bad``; ``FAST_CASES`` below are in the fast tier, every case in the full run).

Each case is made in ``tmp_path`` from the valid minimal package by one mutation
(``tests/fixtures/bad/cases.py``; large files are generated here, never committed). For every
case: ``validate`` reports exactly the listed ``(code, resource, row, field)``; the CLI exits
non-zero without a traceback; ``build`` refuses with a library error; ``load`` and reading
every table either succeed or raise a library error; no message quotes a file outside the
package; and nothing is written or changed anywhere (the input folder and the output parent
are hashed before and after); nothing is fetched (no socket is even tried: the guard of
``palliativ_data._offline`` counts every attempt it refuses); and nothing printed, as JSON or as
text, holds a raw control character.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

import palliativ_data as pdata
from palliativ_data import _offline
from palliativ_data._cli import main
from palliativ_data._guards import SHOWN_PER_CODE
from palliativ_data._release.build import build_release

_HERE = Path(__file__).parent / "fixtures" / "bad"
_spec = importlib.util.spec_from_file_location("bad_corpus_cases", _HERE / "cases.py")
cases = importlib.util.module_from_spec(_spec)
sys.modules["bad_corpus_cases"] = cases  # dataclasses look their module up
_spec.loader.exec_module(cases)

pytestmark = pytest.mark.bad

NEW_CASES_AT_LEAST = 40

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""A raw control character (newline and tab aside) in what a command printed."""


def test_the_corpus_has_at_least_40_cases_with_unique_ids():
    ids = [case.id for case in cases.CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= NEW_CASES_AT_LEAST


# The fast tier (``-m "not slow"``) runs one case per stage of validation, each about 1.5 s of
# CPU (frictionless runs twice: validate, then build's own validation); the slow tier runs them
# all, the 10 MB cell and the million rows included.
FAST_CASES = {
    "descriptor-nan",  # the descriptor's JSON
    "name-traversal",  # the Data Package profile
    "csv-symlink-outside",  # containment: nothing outside the folder is read or quoted
    "true-values",  # the descriptor against the project's schema
    "missing-file",  # the files
    "declared-hash-wrong",  # integrity: declared bytes and hash
    "nul-in-text",  # cells
    "duplicate-edition",  # keys across rows
    "extrapaths-url",  # nothing the descriptor names is fetched (#18)
    "resource-sqlite-x",  # only the project's resources
    "ansi-in-integer",  # escapes printed as escapes
    "cr-only-line-endings",  # the CSV front door
}


def _params() -> list:
    params = []
    for case in cases.CASES:
        marks = [] if case.id in FAST_CASES and not case.slow else [pytest.mark.slow]
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def test_the_fast_cases_are_in_the_corpus():
    assert {case.id for case in cases.CASES if not case.slow} >= FAST_CASES


@pytest.mark.parametrize("case", _params())
def test_bad_package(case, tmp_path, capsys, fingerprint):
    package = cases.make_package(tmp_path / "work" / "package", case.mutation)
    out_parent = tmp_path / "outputs"
    out_parent.mkdir()
    before = (fingerprint(tmp_path / "work"), fingerprint(out_parent))

    attempts = _offline.refused()
    assert main(["validate", str(package)]) in (1, 2)  # as people read it
    text = capsys.readouterr()
    assert not CONTROL.search(text.out + text.err), "a raw control character was printed"
    code = main(["validate", str(package), "--json"])  # the CLI, as CI runs it
    captured = capsys.readouterr()
    assert code in (1, 2)
    assert "Traceback" not in captured.out + captured.err
    assert not CONTROL.search(captured.out + captured.err)
    assert cases.SECRET not in captured.out + captured.err + text.out + text.err
    if code == 2:  # an unreadable path: a usage error, no report
        assert "error:" in captured.err
        keys = [k for k in pdata.validate(package).keys()]
        omitted: dict[str, int] = {}
    else:
        data = json.loads(captured.out)
        keys = [(p["code"], p["resource"], p["row"], p["field"]) for p in data["problems"]]
        omitted = data["omitted"]
    expected = case.expected
    if case.id == "rows-10-6":  # frictionless stops at its limit; the output is capped
        assert ("error-limit", "region_healthcare_regions", None, None) in keys
        shown = sum(1 for k in keys if k[0] == "primary-key")
        assert shown == SHOWN_PER_CODE and 0 < omitted["primary-key"] <= 10_000 - shown
        assert len(captured.out) < 100_000  # bounded output
        expected = keys
    else:
        assert omitted == {}
    assert keys == expected

    with pytest.raises(pdata.PalliativDataError) as refused:
        build_release(out_parent / "dist", package)
    assert cases.SECRET not in str(refused.value)

    try:  # loading needs no validation; it may work, or refuse with a library error
        pkg = pdata.load(package)
        for name in pkg.resource_names:
            pkg.table(name)
    except pdata.PalliativDataError as error:
        assert cases.SECRET not in str(error)

    after = (fingerprint(tmp_path / "work"), fingerprint(out_parent))
    assert after == before, "something was written or changed"
    assert _offline.refused() == attempts, "something tried to use the network"
