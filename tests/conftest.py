"""Fixtures shared by the test modules."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class SiteBuild:
    """One ``mkdocs build --strict`` of the docs (``_build_site``): its result, the copy of the
    project it built (``project/docs`` as the build's hook left it) and the built site."""

    done: subprocess.CompletedProcess[str]
    project: Path
    site: Path


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reads the built site (``site_build``) is in the slow tier."""
    for item in items:
        if "site_build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    """The site built once per test run, shared by test_docs.py and test_browser.py; read it,
    never change it.

    Under pytest-xdist each worker has its own session, so the build goes to the run's shared
    temporary folder under a file lock: the first worker builds (about 12 s of CPU), the other
    waits and reads the same result. (``--dist loadgroup`` would keep the site tests on one
    worker instead, but with pytest 9.2 pytest-xdist 3.8 silently ignores the groups: its
    issue #1386.)
    """
    if shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]')")
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    work = shared / "site-build"
    with (shared / "site-build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            done_file = work / "done.json"
            if not done_file.exists():
                shutil.rmtree(work, ignore_errors=True)  # a build that broke off, if any
                done = _build_site(work / "project", work / "site")
                saved = {"returncode": done.returncode, "stdout": done.stdout}
                done_file.write_text(json.dumps({**saved, "stderr": done.stderr}), "utf-8")
            result = json.loads(done_file.read_text("utf-8"))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    done = subprocess.CompletedProcess(
        ["mkdocs", "build"], result["returncode"], result["stdout"], result["stderr"]
    )
    return SiteBuild(done, work / "project", work / "site")
