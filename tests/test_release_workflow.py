"""The release workflow (.github/workflows/release.yml) and the distributions it publishes."""

from __future__ import annotations

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


def test_release_builds_checks_and_publishes_everything(workflow: dict[Any, Any]) -> None:
    jobs = workflow["jobs"]
    build = jobs["build"]
    runs = _runs(build)
    for command in (
        "python -m build",
        "twine check --strict",
        "palliativ-data validate",
        "palliativ-data build",
        "sha256sum -c SHA256SUMS",
        "mkdocs build --strict",
    ):
        assert command in runs, command
    assert "actions/upload-pages-artifact" in _uses(build)

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
    for name in ("pypi", "github-release", "pages"):
        assert jobs[name]["needs"] == "build"


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
