"""Data version bookkeeping: a fingerprint of ``schema/`` and the data, and the changelog.

The SemVer ``version`` of ``schema/package.json`` names a release of the data and the Python
package alike (``__version__`` is the same number). To make "the data changed but the version
did not" a test failure rather than a silent re-release, ``datapackage/fingerprint.json``
records the data version together with a SHA-256 fingerprint over every Table Schema and every
data CSV:

.. code-block:: json

    {"version": "0.1.0", "fingerprint": "sha256:…", "files": {"schema/gaps.json": "sha256:…"}}

The fingerprint covers ``schema/*.json`` (as canonical JSON, so whitespace does not count;
``package.json`` without its ``version``) and ``datapackage/data/*.csv`` (raw bytes). The
generated ``datapackage/datapackage.json`` is not covered: it follows from ``schema/``. Nor are
the sources in ``schema/src/``: the Table Schemas generated from them are (``generate``
fingerprints them as it is about to write them, see :mod:`.fields`).

``palliativ-data generate`` refreshes the file, but only when that is allowed:

- the fingerprint is unchanged → the file is rewritten as is (nothing to do);
- the version was bumped above the recorded one → the new version and fingerprint are recorded;
- the data or schema changed, the version did not, and ``CHANGELOG.md`` marks that version
  ``unreleased`` → recorded (a version that was never released may still change);
- the data or schema changed, the version did not, and the version is released → error:
  bump the version (breaking schema change → major, new edition or rows → minor,
  corrections → patch) and add a ``CHANGELOG.md`` entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from .._errors import VersionError
from .._io import atomic_write_changed, dump_json, read_json, sha256_digest
from .._paths import bundled_package_dir, repo_root, schema_dir
from .._schema.tableschema import PACKAGE_FILE
from .fields import render_table_schemas

FINGERPRINT_FILE = "fingerprint.json"
CHANGELOG_FILE = "CHANGELOG.md"

PART_OF = "part of"
"""The changelog status of a version never released on its own: ``— part of X.Y.Z``."""

_DATA_HEADING = re.compile(
    r"^##\s+Data\s+(?P<version>\d+\.\d+\.\d+)\s*(?:[—–-]+\s*(?P<status>.+?))?\s*$", re.MULTILINE
)
SEMVER_RULES = (
    "breaking schema change → major (X.0.0); new edition or new rows → minor (0.X.0); "
    "corrections → patch (0.0.X)"
)


def parse_version(version: str) -> Version:
    """The data version as a ``packaging.version.Version``: plain ``MAJOR.MINOR.PATCH`` only.

    ``packaging`` parses and compares; the data version is further held to three release
    numbers written as ``packaging`` writes them (no ``v``, leading zeros, epoch, pre-, post-,
    dev- or local part), so that every version has one spelling.

    Raises:
        VersionError: ``version`` is not plain SemVer.

    Examples:
        >>> parse_version("1.10.2") > parse_version("1.9.12")
        True
    """
    try:
        parsed: Version | None = Version(str(version))
    except InvalidVersion:
        parsed = None
    plain = parsed is not None and parsed.base_version == str(version) and not parsed.epoch
    if parsed is None or not plain or len(parsed.release) != 3:
        raise VersionError(
            f"Data version {version!r} is not MAJOR.MINOR.PATCH (e.g. '0.2.0'). "
            "Fix `version` in schema/package.json."
        )
    return parsed


def parse_semver(version: str) -> tuple[int, int, int]:
    """Split a ``MAJOR.MINOR.PATCH`` version into integers (see :func:`parse_version`).

    Raises:
        VersionError: ``version`` is not plain SemVer.

    Examples:
        >>> parse_semver("1.10.2")
        (1, 10, 2)
    """
    parsed = parse_version(version)
    return parsed.major, parsed.minor, parsed.micro


def _canonical_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Fingerprint:
    """The data version and a hash over the schema and data files.

    Attributes:
        version: The data version in ``schema/package.json``.
        fingerprint: ``sha256:`` over the sorted ``path  hash`` lines of ``files``.
        files: Each covered file (``schema/x.json``, ``datapackage/data/x.csv``) and its hash.
    """

    version: str
    fingerprint: str
    files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        """The text of ``fingerprint.json``."""
        return dump_json(
            {"version": self.version, "fingerprint": self.fingerprint, "files": self.files}
        )

    def changed_files(self, other: Fingerprint) -> list[str]:
        """Files added, removed or changed between ``other`` and this fingerprint."""
        names = set(self.files) | set(other.files)
        return sorted(name for name in names if self.files.get(name) != other.files.get(name))


def compute_fingerprint(
    schema_directory: Path | None = None,
    package_directory: Path | None = None,
    generated: Mapping[str, str] | None = None,
) -> Fingerprint:
    """Fingerprint the current Table Schemas and data CSV files.

    Args:
        schema_directory: Folder of the Table Schemas; default ``schema/``.
        package_directory: Folder of ``datapackage.json`` and ``data/``; default the bundled
            package.
        generated: Table Schemas about to be written (file name → text), fingerprinted in
            place of the files of those names.

    Returns:
        The version in ``package.json`` and the fingerprint of the files.

    Examples:
        >>> fp = compute_fingerprint()
        >>> fp.fingerprint.startswith("sha256:") and "schema/package.json" in fp.files
        True
    """
    schema_directory = schema_directory or schema_dir()
    package_directory = package_directory or bundled_package_dir()
    generated = generated or {}
    files: dict[str, str] = {}
    version = ""
    names = {path.name for path in schema_directory.glob("*.json")} | set(generated)
    for path in sorted(schema_directory / name for name in names):
        data = json.loads(generated[path.name]) if path.name in generated else read_json(path)
        if path.name == PACKAGE_FILE:
            version = str(data.get("version", ""))
            data = {key: value for key, value in data.items() if key != "version"}
        files[f"schema/{path.name}"] = sha256_digest(_canonical_json(data))
    for path in sorted((package_directory / "data").glob("*.csv")):
        files[f"datapackage/data/{path.name}"] = sha256_digest(path.read_bytes())
    listing = "".join(f"{name}  {digest}\n" for name, digest in sorted(files.items()))
    return Fingerprint(version=version, fingerprint=sha256_digest(listing.encode()), files=files)


def fingerprint_path(package_directory: Path | None = None) -> Path:
    """Where the recorded fingerprint lives: ``datapackage/fingerprint.json``."""
    return (package_directory or bundled_package_dir()) / FINGERPRINT_FILE


def read_fingerprint(path: Path | None = None) -> Fingerprint | None:
    """The recorded fingerprint, or ``None`` when none has been recorded yet."""
    path = path or fingerprint_path()
    if not path.exists():
        return None
    data = read_json(path)
    return Fingerprint(
        version=str(data["version"]), fingerprint=data["fingerprint"], files=data.get("files", {})
    )


def changelog_entries(text: str) -> dict[str, str]:
    """The ``## Data X.Y.Z — status`` headings of a changelog: version → status.

    The status is what follows the dash: ``unreleased``, a release date, or ``part of X.Y.Z``
    for a version never released on its own (its changes went out in X.Y.Z).

    Examples:
        >>> changelog_entries("## Data 0.2.0 — unreleased\\n\\n## Data 0.1.0 — 2026-07-01\\n")
        {'0.2.0': 'unreleased', '0.1.0': '2026-07-01'}
    """
    return {m["version"]: (m["status"] or "").strip() for m in _DATA_HEADING.finditer(text)}


def read_changelog(root: Path | None = None) -> dict[str, str] | None:
    """Data entries of the repository's ``CHANGELOG.md``, or ``None`` outside a checkout."""
    root = root or repo_root()
    if root is None or not (root / CHANGELOG_FILE).exists():
        return None
    return changelog_entries((root / CHANGELOG_FILE).read_text(encoding="utf-8"))


def is_unreleased(version: str, entries: dict[str, str] | None) -> bool:
    """Whether the changelog marks ``version`` as not yet released."""
    return entries is not None and entries.get(version, "").lower() == "unreleased"


@dataclass(frozen=True)
class FingerprintCheck:
    """The recorded fingerprint compared with the current files.

    Attributes:
        recorded: What ``fingerprint.json`` holds (``None`` if it does not exist).
        current: What the files give now.
        changed_files: Files that differ between the two.
    """

    recorded: Fingerprint | None
    current: Fingerprint
    changed_files: list[str]

    @property
    def up_to_date(self) -> bool:
        """The recorded file matches the current version and files exactly."""
        return self.recorded is not None and self.recorded == self.current

    @property
    def data_changed(self) -> bool:
        """The schema or data changed since the fingerprint was recorded."""
        return self.recorded is None or self.recorded.fingerprint != self.current.fingerprint

    @property
    def version_bumped(self) -> bool:
        """The current version is above the recorded one."""
        if self.recorded is None:
            return True
        return parse_version(self.current.version) > parse_version(self.recorded.version)


def check_fingerprint(
    schema_directory: Path | None = None,
    package_directory: Path | None = None,
    generated: Mapping[str, str] | None = None,
) -> FingerprintCheck:
    """Compare ``datapackage/fingerprint.json`` with the current schema and data.

    ``generated``: Table Schemas about to be written (see :func:`compute_fingerprint`).
    """
    current = compute_fingerprint(schema_directory, package_directory, generated)
    recorded = read_fingerprint(fingerprint_path(package_directory))
    changed = current.changed_files(recorded) if recorded else sorted(current.files)
    return FingerprintCheck(recorded=recorded, current=current, changed_files=changed)


def _listing(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def plan_fingerprint_update(
    check: FingerprintCheck, changelog: dict[str, str] | None
) -> Fingerprint:
    """Decide whether ``generate`` may record the current fingerprint; return it if so.

    Args:
        check: The comparison from :func:`check_fingerprint`.
        changelog: Data entries of ``CHANGELOG.md`` (see :func:`changelog_entries`).

    Returns:
        The fingerprint to write.

    Raises:
        VersionError: The version went backwards, or the data or schema changed while the
            released version stayed the same. The message says which files changed and how
            to choose the new version.
    """
    current, recorded = check.current, check.recorded
    parse_version(current.version)
    if recorded is None or check.up_to_date:
        return current
    if parse_version(current.version) < parse_version(recorded.version):
        raise VersionError(
            f"The data version in schema/package.json ({current.version}) is lower than the "
            f"recorded one ({recorded.version}) in datapackage/{FINGERPRINT_FILE}. Versions "
            "only go up: set a version above the recorded one.",
            recorded=recorded.version,
            current=current.version,
        )
    if not check.data_changed or check.version_bumped:
        return current
    if is_unreleased(current.version, changelog):
        return current
    raise VersionError(
        f"The schema or data changed ({_listing(check.changed_files)}) but the data version "
        f"is still {current.version}, which CHANGELOG.md does not mark 'unreleased'. Bump "
        f"`version` in schema/package.json following SemVer ({SEMVER_RULES}), add a "
        f"'## Data <new version> — unreleased' entry to CHANGELOG.md saying what changed, "
        "then run `palliativ-data generate` again.",
        recorded=recorded.version,
        current=current.version,
        changed_files=check.changed_files,
    )


def render_fingerprint_update(
    schema_directory: Path | None = None,
    package_directory: Path | None = None,
    changelog: dict[str, str] | None = None,
) -> tuple[Path, str]:
    """Check what ``generate`` would write to ``fingerprint.json`` without writing it.

    The Table Schemas are fingerprinted as ``generate`` will write them from ``schema/src/``
    (:func:`.fields.render_table_schemas`), so a changed shared field counts before it is
    written, and nothing is written when the version must be bumped.

    Returns:
        The path of ``fingerprint.json`` and its new text.

    Raises:
        VersionError: See :func:`plan_fingerprint_update`.
        PalliativDataError: The schema sources have problems (see :mod:`.fields`).
    """
    schema_directory = schema_directory or schema_dir()
    generated = {path.name: text for path, text in render_table_schemas(schema_directory).items()}
    check = check_fingerprint(schema_directory, package_directory, generated)
    if changelog is None:
        changelog = read_changelog()
    return fingerprint_path(package_directory), plan_fingerprint_update(check, changelog).to_json()


def changelog_problem(version: str, entries: dict[str, str] | None) -> str | None:
    """Why the changelog does not cover ``version``, or ``None`` when it does."""
    if entries is None:
        return f"{CHANGELOG_FILE} was not found in the source checkout."
    if version not in entries:
        return (
            f"{CHANGELOG_FILE} has no entry for data version {version}. Add a heading "
            f"'## Data {version} — unreleased' (or — YYYY-MM-DD once released) and list "
            "what changed in the data and the schema."
        )
    return None


def write_fingerprint(path: Path, text: str) -> list[Path]:
    """Write ``fingerprint.json`` (text from :func:`render_fingerprint_update`), atomically,
    if it changed; return it if written."""
    return atomic_write_changed({path: text})
