"""The code is typed and linted: mypy --strict on src/, ruff lint and format on everything."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["src", "tests", "bench"]


def _tool(name: str) -> list[str]:
    """The command that runs ``name`` from this environment; skip if it is not installed."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return [str(beside)]
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return [found]


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_lint_passes():
    done = _run([*_tool("ruff"), "check", *PATHS])
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_applied():
    done = _run([*_tool("ruff"), "format", "--check", *PATHS])
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_passes_on_src(mypy_run):
    # files and --strict come from pyproject.toml; the run (conftest.py) also checks the probe
    # of tests/test_facts.py, which only reveals types
    done = mypy_run.done
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues found" in done.stdout


def test_the_checks_can_fail(tmp_path):
    """Both tools report a real problem (so a green run above means something)."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\n\ndef f(x):\n    return undefined_name + x\n", encoding="utf-8")
    assert _run([*_tool("ruff"), "check", "--no-cache", str(bad)]).returncode != 0
    assert _run([*_tool("mypy"), "--strict", str(bad)]).returncode != 0
