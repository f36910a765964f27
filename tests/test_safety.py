"""The reproductions of the safety issue (#7), each a test: containment, messages instead of
tracebacks, and "validate accepts it, so load and build handle it".

Packages are made in ``tmp_path`` from the minimal package by ``tests/fixtures/bad/build.py``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import palliativ_data as pdata
from palliativ_data._cli import main
from palliativ_data._errors import BuildError, DataError, PackageNotFoundError
from palliativ_data._guards import SHOWN_PER_CODE
from palliativ_data._release.build import build_release
from palliativ_data._source import UnsafePathError

_spec = importlib.util.spec_from_file_location(
    "bad_build_safety", Path(__file__).parent / "fixtures" / "bad" / "build.py"
)
bad = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bad)

SECRET = "TOP-SECRET-LINE-do-not-leak"


def _package(tmp_path: Path, mutation=None) -> Path:
    return bad.make_package(tmp_path / "package", mutation)


def _secret_file(tmp_path: Path) -> Path:
    outside = tmp_path / "outside" / "secret.csv"
    outside.parent.mkdir()
    outside.write_text(f"{SECRET},{SECRET}\nroot:x:0:0,{SECRET}\n", encoding="utf-8")
    return outside


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder`` (files by content, links by target)."""
    result: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            result[key] = "link:" + os.readlink(path)
        elif path.is_file():
            result[key] = path.read_bytes()
        else:
            result[key] = "dir"
    return result


@dataclass
class _Result:
    returncode: int
    stdout: str
    stderr: str


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> _Result:
    """``palliativ-data ARGS`` in this process (``cli.main``), in ``cwd`` with ``env`` added:
    the exit code and what it printed. An exception escaping ``main`` fails the test (a
    traceback is a bug); the real processes are tested in test_broken_pipe_is_quiet,
    test_cli_query.py and test_validate.py."""
    stdout, stderr = io.StringIO(), io.StringIO()
    saved_env = {name: os.environ.get(name) for name in env or {}}
    saved_cwd = os.getcwd()
    try:
        os.environ.update(env or {})
        os.chdir(cwd)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse's usage errors
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os.chdir(saved_cwd)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return _Result(code, stdout.getvalue(), stderr.getvalue())


def _first_fast(*values, ids=None):
    """Parameters of which the first runs in the fast tier and the others (more of the same
    check, each a validation and a build) in the slow tier only."""
    return [
        pytest.param(
            *(value if isinstance(value, tuple) else (value,)),
            marks=[] if i == 0 else [pytest.mark.slow],
            id=None if ids is None else ids[i],
        )
        for i, value in enumerate(values)
    ]


def _no_traceback(result: _Result) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


# --------------------------------------------------------------------------- 1. containment


@pytest.mark.parametrize(
    "name", _first_fast("../../escape", "/tmp/escape-abs", "a/b", "..", "Name With Space")
)
def test_unsafe_package_name_is_invalid_and_never_a_path(tmp_path, name):
    package = _package(tmp_path, bad.set_key("name", name))
    report = pdata.validate(package)
    assert ("profile-error", None, None, "name") in report.keys()
    out = tmp_path / "work" / "out"
    out.parent.mkdir()
    before = _snapshot(tmp_path)
    with pytest.raises(BuildError):
        build_release(out, package)
    with pytest.raises(BuildError, match="'name'"):
        build_release(out, package, validate=False)  # even without validation first
    assert _snapshot(tmp_path) == before


def test_unsafe_version_is_invalid_and_never_a_path(tmp_path):
    package = _package(tmp_path, bad.set_key("version", "1.0.0/../../../escape"))
    assert ("profile-error", None, None, "version") in pdata.validate(package).keys()
    with pytest.raises(BuildError, match="'version'"):
        build_release(tmp_path / "out", package, validate=False)
    assert not (tmp_path / "escape").exists()


def test_the_bundled_name_and_version_follow_the_rules_in_schema_package_json():
    import json
    import re

    from palliativ_data._paths import schema_dir

    rules = json.loads((schema_dir() / "package.json").read_text(encoding="utf-8"))
    descriptor = pdata.load().descriptor
    for key in ("name", "version"):
        assert re.fullmatch(rules["x-descriptor-rules"][key]["pattern"], descriptor[key])
    assert "x-descriptor-rules" not in descriptor  # a rule for validate, not published


def test_symlinked_csv_outside_the_package_is_refused_and_never_quoted(tmp_path):
    secret = _secret_file(tmp_path)
    package = _package(tmp_path, bad.symlink_resource("sources", secret))
    report = pdata.validate(package)
    assert ("resource-path", "sources", None, "path") in report.keys()
    assert SECRET not in report.render() and SECRET not in report.to_json()
    with pytest.raises(UnsafePathError, match="outside the package") as info:
        pdata.load(package).table("sources")
    assert SECRET not in str(info.value)
    with pytest.raises(BuildError) as built:
        build_release(tmp_path / "out", package)
    assert SECRET not in str(built.value)
    with pytest.raises(UnsafePathError):
        build_release(tmp_path / "out2", package, validate=False)
    assert not (tmp_path / "out").exists() and not (tmp_path / "out2").exists()


def test_symlinked_folder_outside_the_package_is_refused(tmp_path):
    secret = _secret_file(tmp_path)

    def link_data_folder(folder: Path) -> None:
        (secret.parent / "sources.csv").write_bytes(bad.csv_path(folder, "sources").read_bytes())
        bad.edit_descriptor(
            lambda d: bad.resource(d, "sources").__setitem__("path", "ext/sources.csv")
        )(folder)
        os.symlink(secret.parent, folder / "ext")

    package = _package(tmp_path, link_data_folder)
    assert ("resource-path", "sources", None, "path") in pdata.validate(package).keys()
    with pytest.raises(UnsafePathError):
        pdata.load(package).table("sources")


def test_symlink_inside_the_package_is_fine(tmp_path):
    def link_inside(folder: Path) -> None:
        real = folder / "data" / "real-sources.csv"
        bad.csv_path(folder, "sources").rename(real)
        os.symlink("real-sources.csv", bad.csv_path(folder, "sources"))

    package = _package(tmp_path, link_inside)
    assert pdata.validate(package).valid
    assert pdata.load(package).table("sources").num_rows == 2


def test_descriptor_symlinked_from_outside_is_refused(tmp_path):
    package = _package(tmp_path)
    outside = tmp_path / "elsewhere.json"
    (package / "datapackage.json").rename(outside)
    os.symlink(outside, package / "datapackage.json")
    with pytest.raises(PackageNotFoundError, match="outside"):
        pdata.load(package)
    assert pdata.validate(package).keys() == [("package-error", None, None, None)]
    assert main(["validate", str(package)]) == 2


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/etc/passwd", "absolute"),
        ("../outside/secret.csv", "parent"),
        ("data/../../outside/secret.csv", "parent"),
        ("https://example.org/sources.csv", "url"),
        ("file:///etc/passwd", "url"),
        ("data\\sources.csv", "backslash"),
    ],
)
def test_load_refuses_paths_that_validate_refuses(tmp_path, path, reason):
    _secret_file(tmp_path)
    package = _package(tmp_path, bad.set_resource_key("sources", "path", path))
    report = pdata.validate(package)
    assert [k for k in report.keys() if k[1] == "sources"] and not report.valid
    assert SECRET not in report.render()
    pkg = pdata.load(package)
    with pytest.raises(UnsafePathError) as info:
        pkg.table("sources")
    assert info.value.reason == reason
    assert isinstance(info.value, DataError)  # the CLI prints it, exit 1


def test_query_command_on_a_url_path_prints_an_error_not_a_traceback(tmp_path):
    package = _package(
        tmp_path, bad.set_resource_key("regions", "path", "https://example.org/r.csv")
    )
    result = _cli("regions", "--package", str(package), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1 and "URL" in result.stderr


# --------------------------------------------------------------------------- 2. tracebacks


@pytest.mark.parametrize(
    "data",
    [
        bad.nested(100_000),
        bad.nested(70),
        b'{"name": "x", "version": ' + b"9" * 5000 + b', "resources": []}',
        b'{"name": NaN, "resources": []}',
        b"\xff\xfe{}",
        b"[1, 2, 3]",
    ],
    ids=["deep", "deeper-than-limit", "5000-digits", "nan", "not-utf8", "not-an-object"],
)
def test_hostile_descriptor_is_a_report_and_an_error(tmp_path, data):
    package = _package(tmp_path, bad.write_descriptor_bytes(data))
    report = pdata.validate(package)
    assert len(report.keys()) == 1 and report.keys()[0][0] in {"json-error", "package-error"}
    with pytest.raises(DataError):
        pdata.load(package)
    with pytest.raises(DataError):
        build_release(tmp_path / "out", package)
    result = _cli("validate", str(package), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1
    result = _cli("build", str(package), "--out", str(tmp_path / "out"), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1
    assert not (tmp_path / "out").exists()


def test_build_out_under_a_file_is_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = _cli("build", "--out", str(blocker / "dist"), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1 and "Cannot write" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    result = _cli(
        "new-edition", "2027-02", "--from", "2026-06", "--out", str(blocker / "ws"), cwd=tmp_path
    )
    _no_traceback(result)
    assert result.returncode in (1, 2) and "error:" in result.stderr


def test_build_out_in_an_unwritable_place_is_an_error(tmp_path):
    target = Path("/proc/palliativ-data-test/dist")  # not writable, even for root
    result = _cli("build", "--out", str(target), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1 and "Cannot write" in result.stderr
    result = _cli("new-edition", "2027-02", "--from", "2026-06", "--out", str(target), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode in (1, 2) and "error:" in result.stderr


@pytest.mark.parametrize(
    "epoch", _first_fast("99999999999999999999", "-99999999999999", "1e9", "9" * 5000)
)
def test_source_date_epoch_out_of_range_is_an_error(tmp_path, epoch):
    result = _cli(
        "build", "--out", str(tmp_path / "dist"), cwd=tmp_path, env={"SOURCE_DATE_EPOCH": epoch}
    )
    _no_traceback(result)
    assert result.returncode == 1 and "SOURCE_DATE_EPOCH" in result.stderr
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(
    "command",
    [pytest.param(["validate", "--json"], marks=pytest.mark.slow), ["regions", "--json"]],
    ids=["validate", "regions"],
)
def test_broken_pipe_is_quiet(tmp_path, command):
    process = subprocess.Popen(
        [sys.executable, "-m", "palliativ_data", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(5)
    process.stdout.close()  # as `| head -c 5` does
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=300) == 0
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


def test_validate_nonexistent_exits_2(tmp_path):
    result = _cli("validate", str(tmp_path / "nonexistent"), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 2 and "Nothing at" in result.stderr
    result = _cli(
        "build", str(tmp_path / "nonexistent"), "--out", str(tmp_path / "o"), cwd=tmp_path
    )
    assert result.returncode == 2


# --------------------------------------------------------------------------- 3. agreement


def test_header_label_with_a_trailing_space_is_invalid(tmp_path):
    package = _package(tmp_path, bad.set_label("regions", "region_code", "region_code "))
    assert pdata.validate(package).keys() == [("incorrect-label", "regions", 1, "region_code")]
    with pytest.raises(DataError):
        pdata.load(package).table("regions")


@pytest.mark.slow
def test_cell_of_3_mb_validates_loads_and_builds(tmp_path):
    package = _package(tmp_path, bad.huge_cell("sources", "notes", 3 * 1024 * 1024 + 7))
    assert pdata.validate(package).valid
    table = pdata.load(package).table("sources")
    assert max(len(v or "") for v in table.column("notes").to_pylist()) == 3 * 1024 * 1024 + 7
    result = build_release(tmp_path / "out", package)
    assert result.files["csv/sources.csv"] > 3 * 1024 * 1024
    assert pdata.load(result.release_dir).table("sources").equals(table)


@pytest.mark.parametrize(
    ("mutation", "key"),
    _first_fast(
        (bad.set_field_key("gaps", "region_wide", "trueValues", ["ja"]), ("gaps", "region_wide")),
        (
            bad.set_field_key("regions", "region_code", "missingValues", ["-"]),
            ("regions", "region_code"),
        ),
        (
            bad.set_field_key("gaps", "list_position", "bareNumber", False),
            ("gaps", "list_position"),
        ),
        (
            bad.set_resource_key("gaps", "dialect", {"commentRows": [3]}),
            ("gaps", "dialect.commentRows"),
        ),
        (
            bad.set_resource_key("gaps", "dialect", {"delimiter": ";"}),
            ("gaps", "dialect.delimiter"),
        ),
        (bad.set_resource_key("gaps", "encoding", "latin-1"), ("gaps", "encoding")),
        ids=[
            "trueValues",
            "field-missingValues",
            "bareNumber",
            "commentRows",
            "delimiter",
            "encoding",
        ],
    ),
)
def test_descriptor_properties_that_change_parsing_are_a_schema_mismatch(tmp_path, mutation, key):
    package = _package(tmp_path, mutation)
    keys = pdata.validate(package).keys()
    assert any(
        k[0] == "schema-mismatch" and k[1] == key[0] and (k[3] == key[1] or key[1] == "encoding")
        for k in keys
    ), keys
    with pytest.raises(BuildError):
        build_release(tmp_path / "out", package)


def test_ja_in_a_boolean_column_with_true_values_is_refused(tmp_path):
    package = _package(
        tmp_path,
        bad.combine(
            bad.set_field_key("gaps", "region_wide", "trueValues", ["ja"]),
            bad.set_cell("gaps", 2, "region_wide", "ja"),
        ),
    )
    assert not pdata.validate(package).valid
    with pytest.raises(DataError):
        pdata.load(package).table("gaps")


# --------------------------------------------------------------------------- 4. Excel export


@pytest.mark.parametrize(
    "cell", _first_fast('=HYPERLINK("http://x","klick")', "+46 8 123", "-1+1", "@SUM(A1)")
)
def test_excel_copy_is_formula_safe_and_the_curated_data_is_exact(tmp_path, cell):
    package = _package(tmp_path, bad.set_cell("gaps", 2, "notes", cell))
    assert pdata.validate(package).valid
    result = build_release(tmp_path / "out", package)
    curated = (result.release_dir / "csv" / "gaps.csv").read_bytes()
    assert curated == bad.csv_path(package, "gaps").read_bytes()
    excel = (result.release_dir / "excel" / "gaps.csv").read_bytes().decode("utf-8-sig")
    import csv as csv_module
    import io as io_module

    rows = list(csv_module.reader(io_module.StringIO(excel, newline=""), delimiter=";"))
    notes = rows[0].index("notes")
    assert rows[1][notes] == "'" + cell
    assert not any(value.startswith(("=", "+", "@", "\t", "\r")) for row in rows for value in row)
    gaps = pdata.load(result.release_dir).table("gaps")
    assert cell in gaps.column("notes").to_pylist()  # Parquet keeps the exact value


def test_a_cell_starting_with_a_carriage_return_is_neutralised_too():
    from palliativ_data._release.excel import excel_csv, formula_safe

    # validate refuses tabs and CR in text cells; the export neutralises them all the same
    assert formula_safe("\rx") == "'\rx" and formula_safe("\tx") == "'\tx"
    assert formula_safe("-12.5") == "-12.5"
    assert excel_csv(b'a\n"\rcmd"\n').decode("utf-8-sig") == 'a\r\n"\'\rcmd"\r\n'


# --------------------------------------------------------------------------- 5. integrity


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    root = tmp_path_factory.mktemp("release")
    package = bad.make_package(root / "package")
    return build_release(root / "out", package).release_dir


def _copy_release(release: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "release"
    shutil.copytree(release, target)
    return target


def test_release_loads_verified(release):
    pkg = pdata.load(release)
    assert pkg.table("gaps").num_rows > 0 and pkg.table("regions").num_rows == 3
    assert pdata.validate(release).valid


def test_tampered_parquet_is_refused_on_load_and_by_validate(release, tmp_path):
    copy = _copy_release(release, tmp_path)
    parquet = copy / "parquet" / "regions.parquet"
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 0xFF
    parquet.write_bytes(bytes(data))
    with pytest.raises(pdata.IntegrityError, match=r"regions\.parquet"):
        pdata.load(copy).table("regions")
    assert pdata.load(copy, verify=False).table("regions").num_rows == 3  # opt-out: the CSV
    assert ("hash-count", "regions", None, "x-formats[0].hash") in pdata.validate(copy).keys()
    result = _cli("regions", "--package", str(copy), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1 and "does not match its descriptor" in result.stderr
    assert _cli("regions", "--package", str(copy), "--no-verify", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("how", ["truncated", "appended", "same-size-edit"])
def test_tampered_csv_is_refused_on_load(release, tmp_path, how):
    copy = _copy_release(release, tmp_path)
    csv_file = copy / "csv" / "regions.csv"
    data = csv_file.read_bytes()
    data = {
        "truncated": data[:-10],
        "appended": data + b"99,SE-XX,Evil,Evil,Evil,Evil,,\n",
        "same-size-edit": data.replace(b"Stockholm", b"StockhXlm", 1),
    }[how]
    csv_file.write_bytes(data)
    (copy / "parquet" / "regions.parquet").unlink()  # the CSV is what load reads
    with pytest.raises(pdata.IntegrityError, match=r"regions\.csv"):
        pdata.load(copy).table("regions")
    codes = {k[0] for k in pdata.validate(copy).keys()}
    assert codes & {"hash-count", "byte-count"}


def test_edited_csv_next_to_its_parquet_is_refused_unless_not_verifying(release, tmp_path):
    copy = _copy_release(release, tmp_path)
    csv_file = copy / "csv" / "regions.csv"
    csv_file.write_bytes(csv_file.read_bytes().replace(b"Stockholm", b"Stockholm-edit", 1))
    with pytest.raises(pdata.IntegrityError):
        pdata.load(copy).table("regions")
    names = pdata.load(copy, verify=False).table("regions").column("name_source").to_pylist()
    assert "Stockholm-edit" in names  # the edited CSV, not the stale Parquet


# --------------------------------------------------------------------------- 7. bounded reports


def test_report_is_capped_per_code_in_text_and_json_and_all_lifts_it(tmp_path, capsys, monkeypatch):
    import json

    from palliativ_data import _guards

    package = _package(tmp_path, bad.many_rows(300))
    report = pdata.validate(package)
    total = len(report.problems)
    codes = {p.code for p in report.problems}
    assert total >= 300 and "primary-key" in codes
    text = report.render()
    assert len(text.splitlines()) <= SHOWN_PER_CODE * len(codes) + len(codes) + 1
    assert "more [primary-key] problem(s)" in text
    data = report.to_dict(limit=SHOWN_PER_CODE)
    assert len(data["problems"]) + sum(data["omitted"].values()) == total
    assert all(sum(p["code"] == c for p in data["problems"]) <= SHOWN_PER_CODE for c in codes)
    assert main(["validate", str(package), "--json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["omitted"] == data["omitted"] and printed["problems"] == data["problems"]
    # --all lifts frictionless' error limit as well: set low, as in the next test, it stops
    # nothing here
    monkeypatch.setattr(_guards, "ERROR_LIMIT", 50)
    assert main(["validate", str(package), "--json", "--all"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert len(printed["problems"]) == total and printed["omitted"] == {}
    assert "error-limit" not in {p["code"] for p in printed["problems"]}
    assert sum(1 for p in printed["problems"] if p["code"] == "primary-key") >= 300


def test_frictionless_stops_at_the_error_limit_and_says_so(tmp_path, monkeypatch):
    """The report says where frictionless stopped; ``--all`` lifts the limit (the test above)."""
    from palliativ_data import _guards

    monkeypatch.setattr(_guards, "ERROR_LIMIT", 50)
    package = _package(tmp_path, bad.many_rows(300))
    report = pdata.validate(package)
    assert ("error-limit", "gaps", None, None) in report.keys()
    assert sum(1 for p in report.problems if p.code == "primary-key") <= 50


# --------------------------------------------------------------------------- 8. smaller


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Syntetisk\x00brist", "control-character"),
        ("\x1b[31mröd\x1b[0m", "control-character"),
        ("a\tb", "control-character"),
        ("   ", "blank-text"),
    ],
    ids=["nul", "ansi", "tab", "spaces-only"],
)
def test_control_characters_and_blank_required_text_are_refused(tmp_path, value, code):
    package = _package(tmp_path, bad.set_cell("gaps", 2, "label_sv", value))
    assert pdata.validate(package).keys() == [(code, "gaps", 2, "label_sv")]


def test_gap_key_prefix_must_name_its_own_region(tmp_path):
    package = _package(tmp_path, bad.set_cell("gaps", 2, "gap_key", "03-on_call_24_7"))
    assert ("gap-key-prefix", "gaps", 2, "gap_key") in pdata.validate(package).keys()


def test_show_escapes_control_characters(tmp_path):
    package = _package(tmp_path, bad.set_cell("regions", 2, "name_source", "Stock\x1b[2Jholm"))
    result = _cli("show", "01", "--package", str(package), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "Stock\\x1b[2Jholm" in result.stdout


def test_comparing_editions_in_reverse_order_gives_a_hint(tmp_path):
    result = _cli("compare", "2026-06", "2026-02", "--json", cwd=tmp_path)
    assert result.returncode == 0
    assert "did you mean `palliativ-data compare 2026-02 2026-06`" in result.stderr
    assert (
        "did you mean" not in _cli("compare", "2026-02", "2026-06", "--json", cwd=tmp_path).stderr
    )


# --------------------------------------------------------------------------- 6. atomic writes


def _complete_release(folder: Path) -> bool:
    """Every file listed in SHA256SUMS has that hash, nothing else is there, and it validates."""
    import hashlib

    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        return False
    listed = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    if on_disk != set(listed) | {"SHA256SUMS"}:
        return False
    return all(
        hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        for name, digest in listed.items()
    )


def _build_process(package: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "palliativ_data", "build", str(package), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
    )


@pytest.mark.slow
def test_concurrent_builds_and_a_kill_at_a_random_moment_leave_one_complete_release(tmp_path):
    import random
    import signal
    import time
    import zipfile

    package = _package(tmp_path)
    out = tmp_path / "dist"
    (out / "keep-me.txt").parent.mkdir()
    (out / "keep-me.txt").write_text("not the build's", encoding="utf-8")
    first = _build_process(package, out)
    assert first.wait(timeout=300) == 0
    name = pdata.load(package).descriptor["name"] + "-" + pdata.load(package).version
    assert _complete_release(out / name)
    rng = random.Random(7)
    for _ in range(2):
        survivor, victim = _build_process(package, out), _build_process(package, out)
        time.sleep(rng.uniform(0.5, 4.0))
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=60)
        assert survivor.wait(timeout=300) == 0, survivor.stderr.read().decode()
        assert _complete_release(out / name)
        with zipfile.ZipFile(out / f"{name}.zip") as archive:
            assert archive.testzip() is None
            assert all(n.startswith(name + "/") for n in archive.namelist())
    assert (out / "keep-me.txt").read_text(encoding="utf-8") == "not the build's"
    assert pdata.validate(out / name).valid
    # a killed build may leave its staging folder; the next build removes it
    last = _build_process(package, out)
    assert last.wait(timeout=300) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(["keep-me.txt", name, f"{name}.zip"])


@pytest.mark.slow
def test_killed_build_keeps_the_old_release_whole_at_every_instant(tmp_path):
    import random
    import signal
    import threading
    import time

    package = _package(tmp_path)
    out = tmp_path / "dist"
    assert _build_process(package, out).wait(timeout=300) == 0
    name = next(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    seen_missing = []
    stop = threading.Event()

    def watch() -> None:  # the release folder never disappears, not even for an instant
        while not stop.is_set():
            if not (out / name / "SHA256SUMS").exists():
                seen_missing.append(time.monotonic())
            time.sleep(0.0002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        rng = random.Random(11)
        for _ in range(1):
            victim = _build_process(package, out)
            time.sleep(rng.uniform(0.3, 3.0))
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=60)
            assert _complete_release(out / name)
        assert _build_process(package, out).wait(timeout=300) == 0
    finally:
        stop.set()
        watcher.join()
    assert not seen_missing
    assert _complete_release(out / name)


def test_publish_without_an_exchange_falls_back_and_keeps_the_old_folder_on_failure(
    tmp_path, monkeypatch
):
    from palliativ_data._release import publish

    monkeypatch.setattr(publish, "_renameat2_exchange", lambda a, b: False)
    target = tmp_path / "out" / "release"
    target.mkdir(parents=True)
    (target / "old.txt").write_text("old", encoding="utf-8")
    new = tmp_path / "out" / ".staging-x" / "release"
    new.mkdir(parents=True)
    (new / "new.txt").write_text("new", encoding="utf-8")
    publish.publish_dir(new, target)
    assert sorted(p.name for p in target.iterdir()) == ["new.txt"] and not new.exists()
    assert not (tmp_path / "out" / ".staging-x" / "release.old").exists()
    with pytest.raises(FileExistsError):
        (tmp_path / "out" / "file").write_text("x", encoding="utf-8")
        other = tmp_path / "out" / ".staging-x" / "file"
        other.mkdir()
        publish.publish_dir(other, tmp_path / "out" / "file")


# --------------------------------------------------------------------------- found by fuzzing


@pytest.mark.parametrize(
    "schema", [{}, {"fields": "x"}, {"fields": [1]}, {"fields": [{"name": "stance", "type": 3}]}]
)
def test_load_of_a_malformed_table_schema_is_a_data_error(tmp_path, schema):
    # tests/test_fuzz.py found `"schema": {}` raising KeyError('fields') in load()
    package = _package(tmp_path, bad.set_resource_key("stances", "schema", schema))
    assert not pdata.validate(package).valid
    with pytest.raises(DataError, match="Table Schema"):
        pdata.load(package).table("stances")


def test_load_of_a_resource_that_is_not_an_object_is_a_data_error(tmp_path):
    # tests/test_fuzz.py found `"resources": [null]` raising TypeError in load()
    package = _package(tmp_path, bad.set_key("resources", [None]))
    assert not pdata.validate(package).valid
    with pytest.raises(DataError, match=r"resources\[0\]"):
        pdata.load(package)


def test_a_number_with_a_line_break_around_it_is_invalid(tmp_path):
    # tests/test_fuzz.py found '"4\n"' in an integer column: frictionless accepted it, load did not
    package = _package(tmp_path, bad.set_cell("stances", 5, "position", "4\n"))
    assert pdata.validate(package).keys() == [("type-error", "stances", 5, "position")]
    with pytest.raises(DataError):
        pdata.load(package).table("stances")


@pytest.mark.parametrize("value", [True, 3, "parquet", {"path": "x"}])
def test_x_formats_that_is_not_a_list_does_not_break_load(tmp_path, value):
    # tests/test_fuzz.py found `"x-formats": true` raising TypeError in load()
    package = _package(tmp_path, bad.set_resource_key("stances", "x-formats", value))
    assert pdata.load(package).table("stances").num_rows == 4
