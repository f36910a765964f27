"""Tests of the query commands: compare, editions, regions, show (exit codes, formats, JSON shape)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import palliativ_data as pdata
from palliativ_data._cli import build_parser, main
from palliativ_data._comparison.constants import STATUSES, TABLE_FIELDS
from palliativ_data._paths import bundled_package_dir

REAL = bundled_package_dir()
FIXTURES = Path(__file__).parent / "fixtures"


def _rows(package_dir: Path, name: str) -> list[dict[str, str]]:
    with (package_dir / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


EDITIONS = [row["edition"] for row in _rows(REAL, "editions")]
REGIONS = [row["region_code"] for row in _rows(REAL, "regions")]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    spec = importlib.util.spec_from_file_location(
        "synthetic_2027_build_cli", FIXTURES / "synthetic_2027" / "build.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("synthetic_2027")
    return out, module.build(out)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ------------------------------------------------------------------ compare


def test_compare_json_is_valid_and_of_the_documented_shape(capsys):
    code, out, err = run(capsys, "compare", EDITIONS[0], EDITIONS[-1], "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["old_edition"], data["new_edition"]) == (EDITIONS[0], EDITIONS[-1])
    for key in ("summary", "classification_changes", "regions", "functions", "gaps"):
        assert key in data
    old = {r["gap_key"] for r in _rows(REAL, "gaps") if r["edition"] == EDITIONS[0]}
    new = {r["gap_key"] for r in _rows(REAL, "gaps") if r["edition"] == EDITIONS[-1]}
    assert {g["gap_key"] for g in data["gaps"]} == old | new
    for gap in data["gaps"]:
        assert {"region_code", "gap_key", "function", "status"} <= set(gap)
        assert gap["status"] in STATUSES
    assert [r["region_code"] for r in data["regions"]] == sorted(REGIONS)
    code, same, _ = run(capsys, "compare", EDITIONS[0], EDITIONS[-1], "--json")
    assert code == 0 and json.loads(same) == data


def test_compare_csv_has_one_row_per_gap(capsys):
    code, out, _ = run(capsys, "compare", EDITIONS[0], EDITIONS[-1], "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(TABLE_FIELDS)
    keys = {
        r["gap_key"] for r in _rows(REAL, "gaps") if r["edition"] in (EDITIONS[0], EDITIONS[-1])
    }
    assert {row["gap_key"] for row in rows} == keys and len(rows) == len(keys)


def test_compare_markdown_and_table(capsys):
    code, out, _ = run(capsys, "compare", EDITIONS[0], EDITIONS[-1], "--format", "markdown")
    assert code == 0
    for row in _rows(REAL, "regions"):
        assert f"### {row['region_code']} {row['name_source']}" in out
    code, out, _ = run(capsys, "compare", EDITIONS[0], EDITIONS[-1])
    assert code == 0
    assert "Regions" in out and "Gaps" in out


def test_compare_filters(capsys):
    code, out, _ = run(
        capsys,
        "compare",
        EDITIONS[0],
        EDITIONS[-1],
        "--region",
        "SE-Z",
        "--region",
        "Skåne",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert [r["region_code"] for r in data["regions"]] == ["12", "23"]
    assert {g["region_code"] for g in data["gaps"]} <= {"12", "23"}
    function = _rows(REAL, "gaps")[0]["function"]
    code, out, _ = run(
        capsys, "compare", EDITIONS[0], EDITIONS[-1], "--function", function, "--json"
    )
    assert code == 0 and {g["function"] for g in json.loads(out)["gaps"]} == {function}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["compare", "1999-01", "2026-06"], "Editions there"),
        (["compare", "2026-02", "2026-06", "--region", "Atlantis"], "Atlantis"),
        (["compare", "2026-02", "2026-06", "--function", "nothing"], "nothing"),
        (
            ["compare", "2026-02", "2026-06", "--package", "/nonexistent/folder"],
            "/nonexistent/folder",
        ),
        (["show", "Atlantis"], "Atlantis"),
        (["regions", "--package", "/nonexistent/folder"], "/nonexistent/folder"),
    ],
)
def test_bad_input_exits_2_with_a_message(capsys, argv, expected):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ") and expected in err


def test_unknown_edition_message_lists_the_editions(capsys):
    _, _, err = run(capsys, "compare", "1999-01", EDITIONS[-1])
    for edition in EDITIONS:
        assert edition in err


def test_compare_across_packages(capsys, synthetic):
    path, plan = synthetic
    code, out, err = run(
        capsys,
        "compare",
        "2026-06",
        "2027-02",
        "--old-package",
        str(REAL),
        "--package",
        str(path),
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    status = {gap["gap_key"]: gap["status"] for gap in data["gaps"]}
    assert status[plan.closed_gap] == "dropped"
    assert status[plan.reappearing_gap] == "added"
    assert status[plan.new_function_gap] == "added"
    region = next(r for r in data["regions"] if r["region_code"] == plan.renamed_region)
    assert (region["name"], region["old_name"]) == (plan.new_name, plan.old_name)
    assert data["new_package"]["name"] != data["old_package"]["name"]


# ------------------------------------------------------------------ editions, regions, show


def test_editions(capsys):
    code, out, _ = run(capsys, "editions", "--json")
    assert code == 0
    data = json.loads(out)
    assert [row["edition"] for row in data] == sorted(EDITIONS)
    gaps = _rows(REAL, "gaps")
    for row in data:
        assert row["gaps"] == sum(1 for gap in gaps if gap["edition"] == row["edition"])
    code, out, _ = run(capsys, "editions")
    assert code == 0 and all(edition in out for edition in EDITIONS)
    code, out, _ = run(capsys, "editions", "--format", "csv")
    assert code == 0 and len(list(csv.DictReader(io.StringIO(out)))) == len(EDITIONS)


def test_regions(capsys):
    code, out, _ = run(capsys, "regions", "--json")
    assert code == 0
    data = json.loads(out)
    assert [row["region_code"] for row in data] == REGIONS
    gaps = _rows(REAL, "gaps")
    for row in data:
        for edition in EDITIONS:
            expected = sum(
                1
                for g in gaps
                if g["edition"] == edition and g["region_code"] == row["region_code"]
            )
            assert row["gaps"][edition] == expected
    code, out, _ = run(capsys, "regions", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == len(REGIONS)
    assert {f"gaps_{edition}" for edition in EDITIONS} <= set(rows[0])
    code, out, _ = run(capsys, "regions")
    assert code == 0 and "Regions" in out


@pytest.mark.parametrize("region_code", REGIONS)
def test_show_every_region(capsys, region_code):
    code, out, err = run(capsys, "show", region_code, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["region"]["region_code"] == region_code
    gaps = _rows(REAL, "gaps")
    previous = None
    for edition in data["editions"]:
        keys = {
            g["gap_key"]
            for g in gaps
            if g["edition"] == edition["edition"] and g["region_code"] == region_code
        }
        assert {g["gap_key"] for g in edition["gaps"]} == keys
        if previous is None:
            assert all(g["status"] is None for g in edition["gaps"])
        else:
            for gap in edition["gaps"]:
                assert gap["status"] == ("persisting" if gap["gap_key"] in previous else "added")
            assert {g["gap_key"] for g in edition["no_longer_listed"]} == previous - keys
        previous = keys
    responses = [
        r["response_id"] for r in _rows(REAL, "responses") if r["region_code"] == region_code
    ]
    assert [r["response_id"] for r in data["responses"]] == responses
    answers = {
        (a["response_id"], a["gap_key"])
        for a in _rows(REAL, "gap_answers")
        if a["response_id"] in responses
    }
    shown = {
        (a["response_id"], g["gap_key"])
        for e in data["editions"]
        for g in e["gaps"]
        for a in g["answers"]
    }
    assert shown == answers
    code, text, _ = run(capsys, "show", region_code)
    assert code == 0 and text.startswith(f"# {region_code} {data['region']['name_source']}")


def test_show_accepts_what_people_type(capsys):
    for query in ("SE-Z", "jamtland", "23", "Jämtland Härjedalen"):
        code, out, _ = run(capsys, "show", query, "--json")
        assert code == 0 and json.loads(out)["region"]["region_code"] == "23"


# ------------------------------------------------------------------ help


COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


def test_the_commands_are_all_there():
    expected = {
        "build",
        "compare",
        "editions",
        "generate",
        "new-edition",
        "regions",
        "round",
        "show",
        "site",
    }
    assert expected | {"validate"} == set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(capsys, command):
    with pytest.raises(SystemExit) as caught:
        main([command, "-h"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "Example" in out and f"palliativ-data {command}" in out
    assert "--json" in out
    assert "docs/" not in out  # pip users have no docs/ folder: help points to the site


def test_generate_refuses_outside_a_source_checkout(capsys, monkeypatch):
    import palliativ_data._cli.commands as commands

    def must_not_write(*args, **kwargs):
        raise AssertionError("generate wrote outside a source checkout")

    monkeypatch.setattr(commands, "repo_root", lambda: None)
    for name in ("write_descriptor", "write_models", "write_repo_citation", "write_fingerprint"):
        monkeypatch.setattr(commands, name, must_not_write)
    code, out, err = run(capsys, "generate")
    assert code == 2 and out == ""
    assert "source checkout" in err and "pip install -e ." in err


def test_help_does_not_import_heavy_libraries(modules_after):
    code = "from palliativ_data._cli import build_parser; build_parser()"
    assert not {"rich", "pyarrow", "frictionless", "pandas"} & modules_after(code)
    assert {"compare", "regions", "show", "editions", "new-edition"} <= set(
        build_parser()._subparsers._group_actions[0].choices
    )


def test_console_script_prints_valid_json():
    exe = Path(sys.executable).parent / "palliativ-data"
    argv = [str(exe)] if exe.exists() else [sys.executable, "-m", "palliativ_data"]
    result = subprocess.run(
        [*argv, "compare", "2026-02", "2026-06", "--format", "json"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["format"] == "palliativ-data-comparison"


# ------------------------------------------------------------------ people's terminals


@pytest.mark.parametrize(
    "argv",
    [("editions",), ("regions",), ("compare", "2026-02", "2026-06")],
    ids=["editions", "regions", "compare"],
)
def test_tables_fit_80_columns_and_never_cut_a_word(capsys, monkeypatch, argv):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 80
    words = set(out.split())
    for edition in EDITIONS:
        assert edition in out
    if argv[0] == "regions":
        regions = _rows(REAL, "regions")
        for row in regions:  # whole names, not "Södermanl…" or "Södermanl/and"
            assert set(row["name_source"].split()) <= words, row["name_source"]
    assert "…" not in out


def test_compare_says_plainly_that_the_inventory_has_no_classification(capsys):
    inventory, follow_up = EDITIONS[0], EDITIONS[-1]
    code, out, _ = run(capsys, "compare", inventory, follow_up)
    assert code == 0
    assert "category changes" not in out  # no "0 category changes" that looks like a finding
    assert f"edition {inventory} has no classification of its own" in " ".join(out.split())
    code, out, _ = run(capsys, "compare", inventory, follow_up, "--format", "markdown")
    assert "| regions whose category changed | 0 |" not in out
    assert f"edition {inventory} has no classification of its own" in out


@pytest.mark.parametrize("region_code", REGIONS)
def test_show_does_not_repeat_a_name(capsys, region_code):
    code, out, _ = run(capsys, "show", region_code)
    assert code == 0
    heading, _, names = out.splitlines()[:3]
    parts = names.split(" · ")
    assert len(parts) == len(set(parts)), names
    assert heading.split(" ", 2)[2] not in parts  # the heading already says it


PYTHON_SPEAK = ("pkg.", "load()", "=True", "Package.", "()")


@pytest.mark.parametrize(
    "argv",
    [
        ("show", "Atlantis"),
        ("compare", "2026-02", "2026-06", "--function", "teleportation"),
        ("compare", "2026-02", "2026-06", "--package", "no/such/folder"),
        ("regions", "--package", "no/such/folder"),
    ],
    ids=["unknown-region", "unknown-function", "no-package", "no-package-regions"],
)
def test_cli_errors_name_commands_and_flags_not_python(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("error: ")
    for phrase in PYTHON_SPEAK:
        assert phrase not in err, (phrase, err)


def test_unknown_region_points_to_the_regions_command(capsys):
    _, _, err = run(capsys, "show", "Atlantis")
    assert "`palliativ-data regions` lists them" in err
    with pytest.raises(pdata.UnknownNameError) as caught:
        pdata.load().region("Atlantis")
    assert "palliativ-data regions" not in str(caught.value)  # Python callers get Python advice


def test_generate_json_lists_what_it_wrote(capsys, monkeypatch, tmp_path):
    import palliativ_data._cli.commands as commands

    names = ("schema", "descriptor", "models", "citation", "print")
    files = {name: tmp_path / name for name in names}
    monkeypatch.setattr(commands, "repo_root", lambda: tmp_path)
    monkeypatch.setattr(commands, "render_fingerprint_update", lambda: (files["print"], "{}"))
    monkeypatch.setattr(
        commands, "write_descriptor", lambda: [files["schema"], files["descriptor"]]
    )
    monkeypatch.setattr(commands, "write_models", lambda: [files["models"]])
    monkeypatch.setattr(commands, "write_repo_citation", lambda: [files["citation"]])
    monkeypatch.setattr(commands, "write_fingerprint", lambda path, text: [path])
    code, out, _ = run(capsys, "generate", "--json")
    assert code == 0
    assert json.loads(out) == {"written": [str(path) for path in files.values()]}


def test_generate_says_when_every_generated_file_is_up_to_date(capsys, monkeypatch, tmp_path):
    import palliativ_data._cli.commands as commands

    monkeypatch.setattr(commands, "repo_root", lambda: tmp_path)
    monkeypatch.setattr(commands, "render_fingerprint_update", lambda: (tmp_path / "f", "{}"))
    for writer in ("write_descriptor", "write_models", "write_repo_citation"):
        monkeypatch.setattr(commands, writer, lambda: [])
    monkeypatch.setattr(commands, "write_fingerprint", lambda path, text: [])
    assert run(capsys, "generate")[:2] == (
        0,
        "nothing to write: every generated file is up to date\n",
    )
    assert json.loads(run(capsys, "generate", "--json")[1]) == {"written": []}


def test_a_generated_file_already_up_to_date_is_not_written_again(tmp_path):
    from palliativ_data._io import atomic_write_changed

    same, other = tmp_path / "same.json", tmp_path / "other.json"
    assert atomic_write_changed({same: "{}\n", other: "[]\n"}) == [same, other]
    stamp = same.stat().st_mtime_ns, same.stat().st_ino
    assert atomic_write_changed({same: "{}\n", other: "[1]\n"}) == [other]
    assert (same.stat().st_mtime_ns, same.stat().st_ino) == stamp  # not replaced
    assert other.read_text(encoding="utf-8") == "[1]\n"


def test_generate_reports_a_broken_schema_source_and_writes_nothing(capsys, monkeypatch, tmp_path):
    """A broken file in schema/src/ is an `error:` line naming it, exit 1, no traceback."""
    import shutil

    import palliativ_data._authoring.versioning as versioning
    import palliativ_data._cli.commands as commands
    from palliativ_data._paths import schema_dir

    schemas = tmp_path / "schema"
    shutil.copytree(schema_dir(), schemas)
    (schemas / "src" / "fields.json").write_text('{"fields": [', encoding="utf-8")
    monkeypatch.setattr(versioning, "schema_dir", lambda: schemas)

    def must_not_write(*args, **kwargs):
        raise AssertionError("generate wrote a file although a source is broken")

    for writer in ("write_descriptor", "write_models", "write_repo_citation", "write_fingerprint"):
        monkeypatch.setattr(commands, writer, must_not_write)
    code, out, err = run(capsys, "generate")
    assert code == 1
    assert err.startswith("error: schema/src/fields.json is not valid"), err
    assert "Traceback" not in err and out == ""


# ------------------------------------------------------------------ show: terminal or Markdown


def _words(text: str) -> list[str]:
    """The words of a ``show`` page, without Markdown marks or list bullets (hyphens kept)."""
    plain = re.sub(r"[*`#•]", " ", text)
    return [word for word in plain.split() if word != "-"]


def test_show_piped_prints_markdown(capsys):
    code, piped, _ = run(capsys, "show", "Jämtland")  # captured: stdout is not a terminal
    assert code == 0 and piped.startswith("# 23 Jämtland Härjedalen\n")
    assert run(capsys, "show", "Jämtland", "--format", "markdown")[1] == piped
    assert "**still listed**" in piped and "`23-" in piped


@pytest.mark.parametrize("width", [60, 100])
def test_show_format_text_is_laid_out_to_the_width_and_keeps_every_word(capsys, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    markdown = run(capsys, "show", "Jämtland", "--format", "markdown")[1]
    code, text, err = run(capsys, "show", "Jämtland", "--format", "text")
    assert code == 0, err
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert max(len(line) for line in markdown.splitlines()) > width  # so wrapping was needed
    assert not any(line.endswith(" ") for line in lines)
    for mark in ("**", "`", "# ", "\n- "):  # no raw Markdown: the marks are laid out
        assert mark not in text, mark
    assert _words(text) == _words(markdown)  # nothing lost, nothing reordered


def test_show_on_a_terminal_is_laid_out_for_it():
    """Run in a pseudo-terminal 80 columns wide, ``show`` prints for it, not Markdown."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    exe = Path(sys.executable).parent / "palliativ-data"
    argv = [str(exe)] if exe.exists() else [sys.executable, "-m", "palliativ_data"]
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    env["TERM"] = "dumb"  # a terminal without colours: the text alone, to compare
    process = subprocess.Popen(
        [*argv, "show", "Jämtland"], stdout=follower, stderr=subprocess.PIPE, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the program closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert not text.startswith("#") and "**" not in text
    assert "23 Jämtland Härjedalen" in text.splitlines()[0]
    assert max(len(line) for line in text.splitlines()) <= 80
    piped = subprocess.run(
        [*argv, "show", "Jämtland"], capture_output=True, text=True, env=env, check=True
    )
    assert piped.stdout.startswith("# 23 Jämtland Härjedalen\n")
    assert _words(text) == _words(piped.stdout)


# ------------------------------------------------------------------ commands and exit statuses


def test_every_command_of_the_parser_has_a_handler():
    from palliativ_data._cli.commands import HANDLERS

    assert set(HANDLERS) == set(COMMANDS)


def _error_classes(cls: type) -> list[type]:
    return [cls, *(sub for child in cls.__subclasses__() for sub in _error_classes(child))]


USAGE_ERRORS = {
    "NameLookupError", "UnknownNameError", "AmbiguousNameError",
    "ArgumentError", "PackageNotFoundError", "OutputExistsError",
}  # fmt: skip


@pytest.mark.parametrize(
    "error", _error_classes(pdata.PalliativDataError), ids=lambda cls: cls.__name__
)
def test_exit_status_follows_the_exception_tree(capsys, error):
    """Bad input (a name, an argument, a path, an existing file) exits 2; bad data exits 1."""
    from palliativ_data._cli.commands import _guarded

    def fail(args):
        raise error("what went wrong")

    assert _guarded(fail)(None) == (2 if error.__name__ in USAGE_ERRORS else 1)
    assert capsys.readouterr().err == "error: what went wrong\n"
