"""The release workflow (.github/workflows/release.yml) and the distributions it publishes."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / ".github" / "workflows" / "release.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(RELEASE.read_text(encoding="utf-8"))


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job.get("steps", [])


def _uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in _steps(job) if "uses" in step]


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in _steps(job))


def test_release_runs_on_version_tags_only(workflow: dict[Any, Any]) -> None:
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert set(triggers) == {"push"}
    assert triggers["push"] == {"tags": ["v*"]}
    assert workflow["permissions"] == {"contents": "read"}


SCRIPT = ROOT / ".github" / "scripts" / "release-build.sh"
CI = ROOT / ".github" / "workflows" / "ci.yml"
PUBLISHING = ["pypi", "github-release", "pages"]


def _needs(job: dict[str, Any]) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def _order(jobs: dict[str, Any]) -> list[str]:
    """The jobs as a chain, each needing exactly the one before (fails if they are not one)."""
    (first,) = [name for name, job in jobs.items() if not _needs(job)]
    chain = [first]
    while len(chain) < len(jobs):
        (after,) = [name for name, job in jobs.items() if _needs(job) == [chain[-1]]]
        chain.append(after)
    return chain


def test_release_jobs_run_in_order_each_needing_the_one_before(workflow: dict[Any, Any]) -> None:
    """Tests, then one build, then PyPI, the GitHub release and Pages: a failure stops the rest,
    so no site or release goes out without the package on PyPI."""
    jobs = workflow["jobs"]
    assert _order(jobs) == ["test", "build", *PUBLISHING]
    assert jobs["test"]["uses"] == "./.github/workflows/ci.yml"
    ci = yaml_load(CI)
    assert "workflow_call" in ci[True]  # the CI workflow can be called by the release
    assert "python -m pytest" in _runs(ci["jobs"]["ci"])


def test_release_permissions_are_the_least_each_job_needs(workflow: dict[Any, Any]) -> None:
    jobs = workflow["jobs"]
    assert "permissions" not in jobs["test"] and "permissions" not in jobs["build"]
    # Trusted publishing: an OIDC token for the PyPI job only, no password or token secret.
    publishers = [name for name, job in jobs.items() if "pypa/gh-action-pypi-publish" in _uses(job)]
    assert publishers == ["pypi"]
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}
    assert jobs["pypi"]["environment"]["name"] == "pypi"
    assert "secrets." not in RELEASE.read_text(encoding="utf-8")
    assert jobs["github-release"]["permissions"] == {"contents": "write"}
    assert "gh release upload" in _runs(jobs["github-release"])
    assert "actions/deploy-pages" in _uses(jobs["pages"])
    assert jobs["pages"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["pages"]["environment"]["name"] == "github-pages"


def test_build_job_runs_the_release_script_on_the_tag(workflow: dict[Any, Any]) -> None:
    build = workflow["jobs"]["build"]
    assert f'{SCRIPT.relative_to(ROOT)} "${{GITHUB_REF_NAME}}"' in _runs(build)
    assert SCRIPT.stat().st_mode & 0o111, "the script must be executable"
    # the publishing jobs take what the one build made, nothing of their own
    uploaded = {
        step["with"]["name"] for step in _steps(build) if "upload-artifact" in step.get("uses", "")
    }
    assert uploaded == {"python-dist", "release-assets"}
    assert "actions/upload-pages-artifact" in _uses(build)
    for name in PUBLISHING:
        assert not [s for s in _steps(workflow["jobs"][name]) if "checkout" in s.get("uses", "")]
    for name, artifact in (("pypi", "python-dist"), ("github-release", "release-assets")):
        (download,) = [
            s for s in _steps(workflow["jobs"][name]) if "download-artifact" in s.get("uses", "")
        ]
        assert download["with"]["name"] == artifact


def _script_lines() -> list[str]:
    return [
        line.strip()
        for line in SCRIPT.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _line(fragment: str) -> int:
    (found,) = [number for number, line in enumerate(_script_lines()) if fragment in line]
    return found


def test_release_script_checks_first_then_builds_once_with_strict_flags() -> None:
    script = "\n".join(_script_lines())
    assert "set -euo pipefail" in script
    checks = _line("palliativ_data._authoring.preflight")
    for step in (
        "-m build",
        "twine check --strict",
        "palliativ_data build --strict-metadata",
        "mkdocs build --strict",
    ):
        assert checks < _line(step), step
    assert _line("palliativ_data build") < _line("sha256sum --check") < _line("mkdocs build")
    # one build: one SOURCE_DATE_EPOCH, exported before anything is built; the site ships the
    # data release built above instead of building its own
    assert script.count("palliativ_data build") == 1
    assert _line("export SOURCE_DATE_EPOCH") < _line("-m build")
    assert 'PALLIATIV_DATA_SITE_RELEASE="$out/data-release"' in script
    assert _line("cmp --") > _line("sha256sum -- *")
    # the base URL is a publication fact, never an option that could differ from the site's
    assert "--base-url" not in script and "--base-url" not in RELEASE.read_text("utf-8")


_PINNED = re.compile(r"^\s*(?:- )?uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<ref>\S+)(?P<comment>.*)$")


@pytest.mark.parametrize("path", [RELEASE, CI], ids=lambda p: p.name)
def test_actions_are_pinned_by_commit_with_the_tag_as_a_comment(path: Path) -> None:
    pins = [
        found
        for line in path.read_text(encoding="utf-8").splitlines()
        if (found := _PINNED.match(line))
    ]
    assert pins
    for pin in pins:
        assert re.fullmatch(r"[0-9a-f]{40}", pin["ref"]), pin.group(0)
        assert re.fullmatch(r"\s+# v\d+(\.\d+)*", pin["comment"]), pin.group(0)
    shas = {}
    for pin in pins:  # one commit per action across the file
        assert shas.setdefault(pin["action"], pin["ref"]) == pin["ref"], pin["action"]


def test_setup_notes_name_every_one_time_step() -> None:
    notes = "\n".join(
        line for line in RELEASE.read_text(encoding="utf-8").splitlines() if line.startswith("#")
    )
    for step in (
        "publication facts",
        "trusted publisher",
        'environment\n#      "pypi"',
        "Source: GitHub Actions",
        "github-pages",
        "tag rule",
    ):
        assert step in notes, step


def yaml_load(path: Path) -> dict[Any, Any]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_wheel_and_sdist_build_pass_twine_check_and_carry_the_site_data(tmp_path: Path) -> None:
    pytest.importorskip("build")
    pytest.importorskip("twine")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    (sdist,) = tmp_path.glob("*.tar.gz")
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("PASSED") == 2

    # The wheel is built from the sdist, so both carry the map geometry and its licence note,
    # and the site's templates.
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "palliativ_data/_site/geo/sweden-lan.geojson",
        "palliativ_data/_site/geo/sweden-lan-map.json",
        "palliativ_data/_site/geo/README.md",
        "palliativ_data/_site/templates/sv/index.md",
        "palliativ_data/_site/templates/figure.html",
        "palliativ_data/_site/_viz.py",
        "palliativ_data/_data/datapackage/datapackage.json",
    ):
        assert name in names, name
    with tarfile.open(sdist) as archive:
        assert any(
            n.endswith("src/palliativ_data/_site/geo/sweden-lan.geojson")
            for n in archive.getnames()
        )
