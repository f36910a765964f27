"""Property and fuzz tests (hypothesis): hostile or random input never escapes as an uncaught
exception, a hang or unbounded memory, and what ``validate`` accepts, ``load`` and ``build``
handle.

The default suite runs a bounded number of examples (``PALLIATIV_FUZZ_EXAMPLES``, default
small, each with a deadline). The long run, e.g. before a release::

    PALLIATIV_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py -q \\
        -p no:cacheprovider --hypothesis-show-statistics

Packages are made from the valid minimal package (``tests/fixtures/bad/build.py``) in a fresh
temporary folder per example.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import palliativ_data as pdata
from palliativ_data._release.build import build_release

_spec = importlib.util.spec_from_file_location(
    "bad_build_fuzz", Path(__file__).parent / "fixtures" / "bad" / "build.py"
)
bad = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bad)

EXAMPLES = int(os.environ.get("PALLIATIV_FUZZ_EXAMPLES", "5"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=60),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=EXAMPLES <= 5,  # the bounded CI run is reproducible
    database=None,
)

_TEMPLATE: dict[str, Path] = {}


def _fresh_package() -> Path:
    """A fresh copy of the valid minimal package (made once, copied per example)."""
    if "package" not in _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="palliativ-fuzz-template-"))
        _TEMPLATE["package"] = bad.make_package(root / "package")
    target = Path(tempfile.mkdtemp(prefix="palliativ-fuzz-")) / "package"
    shutil.copytree(_TEMPLATE["package"], target, symlinks=True)
    return target


def _load_everything(package: Path) -> None:
    pkg = pdata.load(package)
    for name in pkg.resource_names:
        pkg.table(name)


def _only_library_errors(package: Path) -> pdata.ValidationReport:
    """validate never raises; load either works or raises a PalliativDataError."""
    report = pdata.validate(package)
    assert isinstance(report.problems, tuple)
    with contextlib.suppress(pdata.PalliativDataError):
        _load_everything(package)
    return report


# --------------------------------------------------------------------------- random bytes

_RESOURCES = ["stances", "regions", "gaps", "editions", "classifications"]


@st.composite
def mutated_bytes(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "splice"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            chunk = draw(
                st.sampled_from(
                    [
                        b"\x00",
                        b"\r\n",
                        b'"',
                        b",",
                        b"\xff\xfe",
                        b"\x1b[2J",
                        b"\n\n",
                        b"=1+1",
                        b"\t",
                        "ä".encode("cp1252"),
                        b"\xef\xbb\xbf",
                    ]
                )
            )
            data[at:at] = chunk
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            other = draw(st.integers(0, max(len(data) - 1, 0)))
            data[at:at] = data[other : other + draw(st.integers(1, 80))]
    return bytes(data)


@pytest.mark.slow
@FUZZ
@given(data=st.data(), name=st.sampled_from(_RESOURCES))
def test_mutated_csv_bytes_give_a_report_never_an_exception(data, name):
    package = _fresh_package()
    path = bad.csv_path(package, name)
    path.write_bytes(data.draw(mutated_bytes(path.read_bytes())))
    report = _only_library_errors(package)
    if report.valid:  # what validate accepts, load reads (and build, checked below)
        _load_everything(package)


@FUZZ
@given(data=st.data())
def test_mutated_descriptor_bytes_give_a_report_never_an_exception(data):
    package = _fresh_package()
    path = package / "datapackage.json"
    path.write_bytes(data.draw(mutated_bytes(path.read_bytes())))
    _only_library_errors(package)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=30,
)


@FUZZ
@given(
    key=st.sampled_from(["name", "version", "resources", "$schema", "x-database", "licenses"]),
    value=_JSON,
)
def test_random_descriptor_values_give_a_report_never_an_exception(key, value):
    package = _fresh_package()
    bad.set_key(key, value)(package)
    _only_library_errors(package)


@pytest.mark.slow
@FUZZ
@given(
    resource_key=st.sampled_from(
        ["path", "schema", "dialect", "encoding", "bytes", "hash", "x-formats"]
    ),
    value=_JSON
    | st.sampled_from(
        [
            "../x.csv",
            "/etc/passwd",
            "https://x/y.csv",
            "data/../data/stances.csv",
            "data//stances.csv",
            "data/./stances.csv",
            "C:\\x.csv",
            "~/x.csv",
        ]
    ),
)
def test_random_resource_properties_give_a_report_never_an_exception(resource_key, value):
    package = _fresh_package()
    bad.set_resource_key("stances", resource_key, value)(package)
    _only_library_errors(package)


# --------------------------------------------------------------------------- agreement

_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30
) | st.sampled_from(
    [
        "=1+1",
        "-2",
        "+46",
        "@x",
        " ",
        "\t",
        "\x00",
        "\x1b[0m",
        "ja",
        "true",
        "TRUE",
        "1",
        "01",
        "2026-13",
        "NA",
        "-",
        "\u00a0",
        "a\nb",
        '"',
        "a,b",
    ]
)
_CELLS = [
    ("gaps", 2, "label_sv"),
    ("gaps", 2, "region_wide"),
    ("gaps", 3, "list_position"),
    ("gaps", 2, "gap_key"),
    ("regions", 2, "name_source"),
    ("regions", 3, "iso_3166_2"),
    ("editions", 2, "published"),
    ("stances", 2, "position"),
    ("stances", 3, "label_en"),
    ("classifications", 2, "category"),
]


@pytest.mark.slow
@FUZZ
@given(cell=st.sampled_from(_CELLS), value=_TEXT, second=st.sampled_from(_CELLS), other=_TEXT)
def test_validate_ok_means_load_and_build_work_and_not_ok_means_build_refuses(
    cell, value, second, other
):
    package = _fresh_package()
    bad.set_cell(*cell, value)(package)
    bad.set_cell(*second, other)(package)
    report = pdata.validate(package)
    out = package.parent / "out"
    if report.valid:
        _load_everything(package)
        result = build_release(out, package)
        _load_everything(result.release_dir)
    else:
        with pytest.raises(pdata.BuildError) as refused:
            build_release(out, package)
        assert len(refused.value.problems) == len(report.problems)  # the same problems
        assert not out.exists()
        with contextlib.suppress(pdata.PalliativDataError):
            _load_everything(package)
