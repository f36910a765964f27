"""Versioning: the data version must move when the data or schema does, and the changelog says why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import palliativ_data
from palliativ_data import _cli as cli
from palliativ_data._authoring import versioning as _versioning
from palliativ_data._authoring.preflight import (
    changelog_problems,
    preflight,
    version_problems,
)
from palliativ_data._authoring.preflight import main as preflight_main
from palliativ_data._authoring.versioning import (
    changelog_entries,
    changelog_problem,
    check_fingerprint,
    compute_fingerprint,
    plan_fingerprint_update,
    read_changelog,
)
from palliativ_data._errors import VersionError
from palliativ_data._io import read_json
from palliativ_data._paths import bundled_package_dir, repo_root, schema_dir

DATA_VERSION = read_json(schema_dir() / "package.json")["version"]


# --------------------------------------------------------------------------- the real package


def test_data_or_schema_did_not_change_without_a_version_bump() -> None:
    check = check_fingerprint()
    if check.up_to_date:
        return
    try:
        plan_fingerprint_update(check, read_changelog())
    except VersionError as error:
        pytest.fail(str(error))
    pytest.fail(
        f"datapackage/fingerprint.json is stale (changed: {check.changed_files or 'version'}). "
        "Run `palliativ-data generate` and commit datapackage/fingerprint.json."
    )


def test_changelog_has_an_entry_for_the_current_data_version() -> None:
    problem = changelog_problem(DATA_VERSION, read_changelog())
    assert problem is None, problem


def test_fingerprint_records_the_current_data_version() -> None:
    recorded = read_json(bundled_package_dir() / "fingerprint.json")
    assert recorded["version"] == DATA_VERSION


def test_one_version_names_the_python_package_and_the_data() -> None:
    """One number (docs/en/release.md, "Versions"): the package's version is the data's, in the
    library, in the wheel's metadata (hatch_build.py) and in the release tag."""
    assert palliativ_data.__version__ == palliativ_data.data_version() == DATA_VERSION
    hook = _hatch_hook()
    metadata: dict[str, object] = {}
    hook.CustomMetadataHook(str(repo_root()), {}).update(metadata)
    assert metadata["version"] == DATA_VERSION
    root = repo_root()
    assert root is not None
    assert "[tool.hatch.version]" not in (root / "pyproject.toml").read_text(encoding="utf-8")


def _hatch_hook():  # type: ignore[no-untyped-def]
    import importlib.util

    pytest.importorskip("hatchling")
    root = repo_root()
    assert root is not None
    spec = importlib.util.spec_from_file_location("hatch_build", root / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_project_urls_are_the_publication_facts_that_are_set() -> None:
    hook = _hatch_hook()
    package = read_json(schema_dir() / "package.json")
    facts = package["x-publication"]
    expected = {
        label
        for label, value in (
            ("Documentation", package.get("homepage")),
            ("Source", facts.get("repository")),
            ("Download", facts.get("base_url")),
        )
        if value
    }
    assert set(hook.project_urls(package)) - {"Issues"} == expected  # nothing invented
    example = {
        "homepage": "https://example.org/site/",
        "x-publication": {
            "repository": "https://github.com/example/palliativ-data",
            "base_url": None,
        },
    }
    assert hook.project_urls(example) == {
        "Documentation": "https://example.org/site/",
        "Source": "https://github.com/example/palliativ-data",
        "Issues": "https://github.com/example/palliativ-data/issues",
    }


def test_wheel_licence_is_the_code_and_data_licences() -> None:
    import tomllib

    root = repo_root()
    assert root is not None
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    package = read_json(schema_dir() / "package.json")
    code, data = package["x-publication"]["code_license"]["name"], package["licenses"][0]["name"]
    assert project["license"] == f"{code} AND {data}" == "MIT AND CC-BY-4.0"
    assert "LICENSE-DATA.md" in project["license-files"]
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]
    assert "Typing :: Typed" in project["classifiers"]
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]


# --------------------------------------------------------------------------- the tag check


def test_a_data_only_correction_is_releasable() -> None:
    """0.2.0 released, the wording corrected: version 0.2.1, dated, tagged v0.2.1."""
    assert version_problems("v0.2.1", "0.2.1", "0.2.1") == []
    entries = changelog_entries("## Data 0.2.1 — 2026-07-02\n\n## Data 0.2.0 — 2026-06-20\n")
    assert changelog_problems("0.2.1", entries) == []


def test_versions_never_released_on_their_own_are_part_of_the_next() -> None:
    """0.2.1 and 0.3.0 prepared side by side, both unreleased: the tag v0.3.0 releases 0.3.0
    once the changelog dates it and says where 0.2.1's changes went."""
    text = (
        "## Data 0.3.0 — unreleased\n\n## Data 0.2.1 — unreleased\n\n## Data 0.2.0 — 2026-06-20\n"
    )
    problems = changelog_problems("0.3.0", changelog_entries(text))
    assert len(problems) == 2
    assert "marks 0.3.0 unreleased" in problems[0] and "YYYY-MM-DD" in problems[0]
    assert "'## Data 0.2.1 — part of 0.3.0'" in problems[1]
    text = text.replace("0.3.0 — unreleased", "0.3.0 — 2026-09-01")
    text = text.replace("0.2.1 — unreleased", "0.2.1 — part of 0.3.0")
    assert changelog_problems("0.3.0", changelog_entries(text)) == []
    # a newer entry than the version released is a version that was not bumped
    newer = changelog_problems("0.2.1", changelog_entries(text))
    assert any("above the version released" in problem for problem in newer)


@pytest.mark.parametrize(
    ("tag", "named"),
    [
        ("v0.1.0", "does not name version 0.2.0"),
        ("0.2.0", "is not v + MAJOR.MINOR.PATCH"),
        ("v0.2", "is not v + MAJOR.MINOR.PATCH"),
        ("data-v0.2.0", "is not v + MAJOR.MINOR.PATCH"),
    ],
)
def test_a_tag_that_is_not_the_version_is_refused(tag: str, named: str) -> None:
    (problem,) = version_problems(tag, "0.2.0", "0.2.0")
    assert named in problem and "v0.2.0" in problem


def test_a_stale_descriptor_is_refused() -> None:
    (problem,) = version_problems("v0.2.1", "0.2.1", "0.2.0")
    assert "palliativ-data generate" in problem


def test_preflight_names_every_missing_publication_fact(capsys: pytest.CaptureFixture[str]) -> None:
    """The real checkout: the facts are null until a maintainer decides them, so a tag of the
    current version stops before anything is built, naming each one."""
    from palliativ_data._release.metadata.facts import publication_facts

    missing = publication_facts().missing()
    result = preflight(f"v{DATA_VERSION}")
    assert result.version == DATA_VERSION
    facts = [p for p in result.problems if p.startswith("publication fact not set: ")]
    assert [p.removeprefix("publication fact not set: ") for p in facts] == missing
    assert preflight_main([f"v{DATA_VERSION}"]) == (1 if result.problems else 0)
    err = capsys.readouterr().err
    assert "nothing was built or published" in err or not result.problems
    for fact in missing:
        assert fact.split(" ")[0] in err


# --------------------------------------------------------------------------- the rules, on a copy


@pytest.fixture()
def copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of schema/ and datapackage/ with its fingerprint recorded."""
    schemas = tmp_path / "schema"
    package = tmp_path / "datapackage"
    shutil.copytree(schema_dir(), schemas)
    shutil.copytree(bundled_package_dir() / "data", package / "data")
    (package / "fingerprint.json").write_text(
        compute_fingerprint(schemas, package).to_json(), encoding="utf-8"
    )
    return schemas, package


def _set_version(schemas: Path, version: str) -> None:
    path = schemas / "package.json"
    data = read_json(path)
    data["version"] = version
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _change_data(package: Path) -> None:
    path = package / "data" / "regions.csv"
    path.write_bytes(path.read_bytes() + b"\n")


RELEASED = {DATA_VERSION: "2026-07-01"}
UNRELEASED = {DATA_VERSION: "unreleased"}


def test_unchanged_copy_is_up_to_date(copy: tuple[Path, Path]) -> None:
    check = check_fingerprint(*copy)
    assert check.up_to_date
    assert check.changed_files == []


def test_changed_data_without_bump_is_refused_once_released(copy: tuple[Path, Path]) -> None:
    schemas, package = copy
    _change_data(package)
    check = check_fingerprint(schemas, package)
    assert not check.up_to_date
    assert check.changed_files == ["datapackage/data/regions.csv"]
    with pytest.raises(VersionError) as raised:
        plan_fingerprint_update(check, RELEASED)
    message = str(raised.value)
    assert "datapackage/data/regions.csv" in message
    assert "Bump `version` in schema/package.json" in message
    assert "major" in message and "minor" in message and "patch" in message
    assert raised.value.changed_files == ("datapackage/data/regions.csv",)


def test_changed_schema_without_bump_is_refused_once_released(copy: tuple[Path, Path]) -> None:
    schemas, package = copy
    path = schemas / "regions.json"
    schema = read_json(path)
    schema["fields"][0]["description"] += " Changed."
    path.write_text(json.dumps(schema), encoding="utf-8")
    check = check_fingerprint(schemas, package)
    assert check.changed_files == ["schema/regions.json"]
    with pytest.raises(VersionError):
        plan_fingerprint_update(check, RELEASED)


def test_an_unreleased_version_may_still_change(copy: tuple[Path, Path]) -> None:
    schemas, package = copy
    _change_data(package)
    check = check_fingerprint(schemas, package)
    assert plan_fingerprint_update(check, UNRELEASED) == check.current
    with pytest.raises(VersionError):
        plan_fingerprint_update(check, {})  # no changelog entry at all counts as released


def _bump(version: str, part: str) -> str:
    major, minor, patch = (int(p) for p in version.split("."))
    return {
        "major": f"{major + 1}.0.0",
        "minor": f"{major}.{minor + 1}.0",
        "patch": f"{major}.{minor}.{patch + 1}",
    }[part]


@pytest.mark.parametrize("part", ["major", "minor", "patch"])
def test_a_bumped_version_is_recorded(copy: tuple[Path, Path], part: str) -> None:
    schemas, package = copy
    _change_data(package)
    bumped = _bump(DATA_VERSION, part)
    _set_version(schemas, bumped)
    check = check_fingerprint(schemas, package)
    assert check.version_bumped
    planned = plan_fingerprint_update(check, RELEASED)
    assert planned.version == bumped
    assert planned.fingerprint == compute_fingerprint(schemas, package).fingerprint


def test_the_version_cannot_go_down(copy: tuple[Path, Path]) -> None:
    schemas, package = copy
    (package / "fingerprint.json").write_text(
        json.dumps({"version": "99.0.0", "fingerprint": "sha256:00", "files": {}}),
        encoding="utf-8",
    )
    with pytest.raises(VersionError, match="lower than the recorded one"):
        plan_fingerprint_update(check_fingerprint(schemas, package), UNRELEASED)


def test_the_version_itself_and_whitespace_are_not_fingerprinted(copy: tuple[Path, Path]) -> None:
    schemas, package = copy
    before = compute_fingerprint(schemas, package).fingerprint
    _set_version(schemas, "7.7.7")
    path = schemas / "gaps.json"
    path.write_text(json.dumps(read_json(path), indent=8), encoding="utf-8")
    assert compute_fingerprint(schemas, package).fingerprint == before


def test_a_new_data_file_changes_the_fingerprint(copy: tuple[Path, Path]) -> None:
    schemas, package = copy
    (package / "data" / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    check = check_fingerprint(schemas, package)
    assert check.changed_files == ["datapackage/data/extra.csv"]


def test_bad_semver_is_rejected() -> None:
    with pytest.raises(VersionError, match=r"MAJOR\.MINOR\.PATCH"):
        _versioning.parse_semver("1.0")


def test_changelog_entries_and_problems() -> None:
    text = "# Changelog\n\n## Data 0.2.0 — unreleased\n\n- x\n\n## Data 0.1.0 — 2026-07-01\n"
    entries = changelog_entries(text)
    assert entries == {"0.2.0": "unreleased", "0.1.0": "2026-07-01"}
    assert changelog_problem("0.2.0", entries) is None
    problem = changelog_problem("0.3.0", entries)
    assert problem is not None and "## Data 0.3.0 — unreleased" in problem


# --------------------------------------------------------------------------- the generate command


def test_generate_refuses_and_writes_nothing_when_a_bump_is_due(
    copy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    schemas, package = copy
    _change_data(package)
    fingerprint_before = (package / "fingerprint.json").read_bytes()
    monkeypatch.setattr(_versioning, "schema_dir", lambda: schemas)
    monkeypatch.setattr(_versioning, "bundled_package_dir", lambda: package)
    monkeypatch.setattr(_versioning, "read_changelog", lambda root=None: RELEASED)

    def must_not_write(*args: object, **kwargs: object) -> None:
        raise AssertionError("generate wrote a file although the version must be bumped")

    import palliativ_data._cli.commands as codegen
    import palliativ_data._cli.commands as descriptor
    import palliativ_data._cli.commands as metadata

    monkeypatch.setattr(descriptor, "write_descriptor", must_not_write)
    monkeypatch.setattr(codegen, "write_models", must_not_write)
    monkeypatch.setattr(metadata, "write_repo_citation", must_not_write)
    assert cli.main(["generate"]) == 1
    assert "Bump `version`" in capsys.readouterr().err
    assert (package / "fingerprint.json").read_bytes() == fingerprint_before


def test_generate_records_the_fingerprint_after_a_bump(
    copy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    schemas, package = copy
    _change_data(package)
    _set_version(schemas, _bump(DATA_VERSION, "minor"))
    monkeypatch.setattr(_versioning, "schema_dir", lambda: schemas)
    monkeypatch.setattr(_versioning, "bundled_package_dir", lambda: package)
    monkeypatch.setattr(_versioning, "read_changelog", lambda root=None: RELEASED)
    path, text = _versioning.render_fingerprint_update()
    assert path == package / "fingerprint.json"
    _versioning.write_fingerprint(path, text)
    assert check_fingerprint(schemas, package).up_to_date
    assert read_json(path)["version"] == _bump(DATA_VERSION, "minor")


@pytest.mark.parametrize("version", ["01.2.3", "v1.2.3", "1.2.3rc1", "1.2.3+local", "1!1.2.3", ""])
def test_a_data_version_has_one_spelling(version: str) -> None:
    with pytest.raises(VersionError, match=r"MAJOR\.MINOR\.PATCH"):
        _versioning.parse_version(version)


def test_data_versions_compare_as_numbers() -> None:
    assert _versioning.parse_version("0.10.0") > _versioning.parse_version("0.9.9")
    assert _versioning.parse_semver("0.10.0") == (0, 10, 0)


def test_the_sqlite_user_version_reads_a_semver_pre_release() -> None:
    from palliativ_data._release.sqlite import semver_as_int

    assert semver_as_int("1.2.3") == semver_as_int("1.2.3-rc.1+b5") == 1_002_003
