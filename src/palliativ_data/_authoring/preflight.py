"""Before a tag publishes anything: is this checkout the release the tag names?

The release workflow runs ``python -m palliativ_data._authoring.preflight vX.Y.Z`` (from
``.github/release-build.sh``) before it builds anything; every problem is listed, and any
problem stops the release:

- **the version** (one number for the data and the Python package, docs/en/release.md): the tag
  is ``v`` + ``version`` of ``schema/package.json``, and ``datapackage/datapackage.json`` was
  generated from it;
- **the changelog**: ``CHANGELOG.md`` dates the tagged version (``## Data X.Y.Z — YYYY-MM-DD``)
  and marks no older version ``unreleased`` (one that was never released on its own says
  ``— part of X.Y.Z``);
- **the fingerprint**: ``datapackage/fingerprint.json`` is up to date (the data did not change
  under a released version);
- **the publication facts**: every fact Sweden's data portal needs is set in
  ``schema/package.json`` (:meth:`~palliativ_data._release.metadata.facts.PublicationFacts.missing`
  names each one missing): a tag never publishes metadata that cannot be harvested.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._errors import PalliativDataError
from .._io import DESCRIPTOR_FILE, read_json
from .._paths import bundled_package_dir, schema_dir
from .._release.metadata.facts import PublicationFacts
from .._schema.tableschema import PACKAGE_FILE
from .versioning import (
    CHANGELOG_FILE,
    PART_OF,
    check_fingerprint,
    parse_version,
    read_changelog,
)

_TAG = re.compile(r"^v(?P<version>\d+\.\d+\.\d+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FACT = "publication fact not set: "


@dataclass(frozen=True)
class Preflight:
    """What a tag would release, and why it may not.

    Attributes:
        tag: The tag (``vX.Y.Z``).
        version: ``version`` of ``schema/package.json``.
        problems: Every reason not to release, each saying what to do; empty when ready.
    """

    tag: str
    version: str
    problems: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.problems

    def render(self) -> str:
        if self.ready:
            return f"{self.tag}: ready to release version {self.version}."
        text = (
            f"{self.tag}: not released ({len(self.problems)} problem(s)); nothing was built or "
            "published:\n" + "\n".join(f"  - {problem}" for problem in self.problems)
        )
        if any(problem.startswith(_FACT) for problem in self.problems):
            text += (
                "\nThe publication facts are set in `x-publication` and `homepage` of "
                "schema/package.json (docs/en/release.md lists them); then run "
                "`palliativ-data generate` and commit."
            )
        return text


def version_problems(tag: str, version: str, generated: str | None) -> list[str]:
    """The tag against the version of ``schema/package.json`` and the generated descriptor.

    Examples:
        >>> version_problems("v0.2.1", "0.2.1", "0.2.1")
        []
        >>> version_problems("0.2.1", "0.2.1", "0.2.1")[0][:38]
        "tag '0.2.1' is not v + MAJOR.MINOR.PAT"
    """
    problems = []
    found = _TAG.match(tag)
    if not found:
        problems.append(
            f"tag {tag!r} is not v + MAJOR.MINOR.PATCH (e.g. v{version}); delete it and tag "
            f"v{version}."
        )
    elif found["version"] != version:
        problems.append(
            f"tag {tag} does not name version {version} of schema/package.json: one number "
            f"names the data and the Python package. Tag v{version}, or set `version` to "
            f"{found['version']} (then `palliativ-data generate`) and tag again."
        )
    if generated != version:
        problems.append(
            f"datapackage/{DESCRIPTOR_FILE} has version {generated}, schema/package.json "
            f"{version}: run `palliativ-data generate` and commit the result."
        )
    return problems


def changelog_problems(version: str, entries: Mapping[str, str] | None) -> list[str]:
    """``CHANGELOG.md`` against a release of ``version``.

    Examples:
        >>> changelog_problems("0.3.0", {"0.3.0": "2026-09-01", "0.2.1": "part of 0.3.0"})
        []
        >>> changelog_problems("0.3.0", {"0.3.0": "unreleased"})[0][:47]
        'CHANGELOG.md marks 0.3.0 unreleased: write the '
    """
    if entries is None:
        return [f"{CHANGELOG_FILE} was not found: release from a source checkout."]
    problems = []
    status = entries.get(version)
    if status is None:
        problems.append(
            f"{CHANGELOG_FILE} has no entry for {version}: add '## Data {version} — YYYY-MM-DD' "
            "saying what changed."
        )
    elif not _DATE.match(status):
        problems.append(
            f"{CHANGELOG_FILE} marks {version} {status}: write the release date instead, "
            f"'## Data {version} — YYYY-MM-DD'."
        )
    released = parse_version(version)
    for other, other_status in entries.items():
        if parse_version(other) > released:
            problems.append(
                f"{CHANGELOG_FILE} has an entry for {other}, above the version released "
                f"({version}): set `version` in schema/package.json to the newest entry."
            )
        elif other != version and other_status.lower() == "unreleased":
            problems.append(
                f"{CHANGELOG_FILE} still marks {other} unreleased: its changes go out in "
                f"{version}, so write '## Data {other} — {PART_OF} {version}'."
            )
    return problems


def facts_problems(facts: PublicationFacts) -> list[str]:
    """Each publication fact the data portal needs that is not set (see ``docs/en/release.md``)."""
    return [_FACT + fact for fact in facts.missing()]


def preflight(tag: str, descriptor: Mapping[str, Any] | None = None) -> Preflight:
    """Check this checkout against a release tag (see the module docstring).

    Args:
        tag: The tag pushed (``GITHUB_REF_NAME``), e.g. ``v0.3.0``.
        descriptor: ``schema/package.json`` as read (default: read it).
    """
    package = descriptor if descriptor is not None else read_json(schema_dir() / PACKAGE_FILE)
    version = str(package.get("version"))
    generated = read_json(bundled_package_dir() / DESCRIPTOR_FILE).get("version")
    problems = version_problems(tag, version, None if generated is None else str(generated))
    try:
        parse_version(version)
    except PalliativDataError as error:
        return Preflight(tag, version, (*problems, str(error)))
    problems += changelog_problems(version, read_changelog())
    check = check_fingerprint()
    if not check.up_to_date:
        problems.append(
            f"datapackage/fingerprint.json is stale (changed: {check.changed_files or 'version'}): "
            "run `palliativ-data generate` (it asks for a version bump if one is needed)."
        )
    try:
        problems += facts_problems(PublicationFacts.from_descriptor(package))
    except PalliativDataError as error:
        problems.append(str(error))
    return Preflight(tag, version, tuple(problems))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m palliativ_data._authoring.preflight TAG``: 0 when ready, 1 with the problems."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m palliativ_data._authoring.preflight vX.Y.Z", file=sys.stderr)
        return 2
    result = preflight(args[0])
    print(result.render(), file=sys.stdout if result.ready else sys.stderr)
    return 0 if result.ready else 1


if __name__ == "__main__":
    sys.exit(main())
