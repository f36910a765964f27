"""Fixtures shared by the test modules."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


def modules_after_code(code: str, *args: str) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code`` (with ``args``)."""
    script = f"{code}\nimport sys as _s, json as _j\nprint(_j.dumps(sorted(_s.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="session")
def modules_after() -> Callable[..., set[str]]:
    """Run code in a fresh interpreter and return every module it imported.

    The checks that something stays light ("does not import pandas") use this one helper:
    ``assert not {"pandas"} & modules_after("import palliativ_data")``.
    """
    return modules_after_code


REPO = Path(__file__).resolve().parent.parent
# what `mkdocs build` reads besides docs/ and mkdocs.yml: the hook and mkdocstrings (src/), the
# snippets included from the repository root
_SITE_INPUTS = ("src", "CHANGELOG.md", "README.md", "schema", "datapackage")


def _build_site(workdir: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` on a copy of ``docs/`` and ``mkdocs.yml`` in ``workdir``.

    The build's hook writes the generated pages into its docs folder; building a copy keeps a
    test run from rewriting the checkout. ``workdir/docs`` is left as the build left it, so a
    caller can compare it with the committed pages.
    """
    shutil.copytree(REPO / "docs", workdir / "docs")
    shutil.copy2(REPO / "mkdocs.yml", workdir / "mkdocs.yml")
    for name in _SITE_INPUTS:
        (workdir / name).symlink_to(REPO / name)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=workdir,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


def _tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def build_site() -> Callable[[Path, Path], subprocess.CompletedProcess[str]]:
    """``build_site(workdir, out)``: the site built from a copy of the docs (see ``_build_site``)."""
    return _build_site


@pytest.fixture(scope="session")
def tree_bytes() -> Callable[[Path], dict[str, bytes]]:
    """``tree_bytes(folder)``: every file under ``folder`` with its bytes."""
    return _tree_bytes
