"""``palliativ-data build``: a reproducible release of the data package in several formats.

Release layout (``<out>`` defaults to ``dist/``; ``<name>-<version>`` is e.g.
``palliativ-data-0.1.0``)::

    <out>/
    ├── <name>-<version>/
    │   ├── datapackage.json        release descriptor: every file with bytes and sha256 hash
    │   ├── csv/<resource>.csv      the curated CSV, byte for byte (UTF-8 without BOM, comma)
    │   ├── excel/<resource>.csv    the same rows for spreadsheets: UTF-8 with BOM, semicolon
    │   ├── parquet/<resource>.parquet   zstd, Arrow schema from schema/ (enums as dictionaries)
    │   ├── <name>.sqlite           every resource as a table, keys and constraints
    │   ├── CITATION.cff            how to cite (CFF 1.2.0)
    │   ├── dcat-ap-se.jsonld       DCAT-AP-SE description (JSON-LD)
    │   ├── schema-org.jsonld       schema.org Dataset (JSON-LD)
    │   └── SHA256SUMS              `sha256sum -c SHA256SUMS` checks every other file
    └── <name>-<version>.zip        the folder above, zipped

The build validates first and writes nothing if the package is invalid. Everything is written
to a temporary folder next to ``<out>``, which then replaces ``<out>`` as a whole; a failure
leaves the previous ``<out>`` as it was. ``<out>`` belongs to the build: it refuses to replace
a folder holding anything but earlier releases.

Builds are reproducible: the same package gives the same bytes. Timestamps (zip entries, file
times) are ``SOURCE_DATE_EPOCH`` when set, else the latest edition's publication date;
Parquet and SQLite rows are sorted by primary key; writer settings are fixed.
"""

from __future__ import annotations

import copy
import csv
import io
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .._errors import BuildError, PackageNotFoundError
from .._io import DESCRIPTOR_FILE, dump_json, file_facts, read_json, sha256_digest
from .._paths import bundled_package_dir
from ..validation import validate
from .metadata import FORMATS, citation_cff, dcat_ap_se, schema_org_dataset
from .parquet import write_parquet
from .sqlite import semver_as_int, write_sqlite

EXCEL_DIALECT = {"delimiter": ";", "lineTerminator": "\r\n", "quoteChar": '"', "header": True}
EXCEL_ENCODING = "utf-8-sig"
ZIP_MODE = 0o100644
_MIN_ZIP_TIME = datetime(1980, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote.

    Attributes:
        out: The output folder.
        release_dir: The release folder inside it.
        zip_path: The zip of the release folder.
        version: The data version released.
        files: Every file of the release folder (relative path) with its size in bytes.
        seconds: Wall-clock time of the build.
    """

    out: Path
    release_dir: Path
    zip_path: Path
    version: str
    files: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def render(self) -> str:
        """A short human-readable summary (what ``palliativ-data build`` prints)."""
        total = sum(self.files.values())
        zip_size = self.zip_path.stat().st_size if self.zip_path.exists() else 0
        return (
            f"built data version {self.version} in {self.seconds:.1f} s\n"
            f"  {self.release_dir}/  {len(self.files)} files, {total:,} bytes\n"
            f"  {self.zip_path}  {zip_size:,} bytes\n"
            f"check: cd {self.release_dir} && sha256sum -c SHA256SUMS"
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (for ``build --json``)."""
        return {
            "out": str(self.out),
            "release_dir": str(self.release_dir),
            "zip": str(self.zip_path),
            "zip_bytes": self.zip_path.stat().st_size if self.zip_path.exists() else None,
            "version": self.version,
            "files": self.files,
            "seconds": round(self.seconds, 3),
        }


def _package_dir(path: str | Path | None) -> Path:
    if path is None:
        return bundled_package_dir()
    path = Path(path)
    if path.is_file() and path.name.endswith(".json"):
        return path.parent
    if (path / DESCRIPTOR_FILE).is_file():
        return path
    raise PackageNotFoundError(
        f"No datapackage.json at {path}. Pass a data package folder or its datapackage.json "
        "(or nothing, for the bundled package).",
        path=str(path),
    )


def _problem_text(problem: Any) -> str:
    """One validation problem as a line: ``file:row field [code] message``."""
    location = problem.location() if hasattr(problem, "location") else ""
    field_name = getattr(problem, "field", None) or "-"
    code = getattr(problem, "code", "problem")
    message = getattr(problem, "message", str(problem))
    return f"{location} {field_name} [{code}] {message}".strip()


def validate_package(package_dir: Path) -> None:
    """Run the package validator; raise :class:`BuildError` listing every problem."""
    report = validate(package_dir)
    if not report.valid:
        problems = [_problem_text(problem) for problem in report.problems]
        shown = "\n".join(f"  - {problem}" for problem in problems)
        raise BuildError(
            f"The data package at {package_dir} is invalid ({len(problems)} problem(s)); "
            f"nothing was written:\n{shown}\nFix these and run `palliativ-data build` again.",
            problems=problems,
        )


def release_timestamp(package_dir: Path, descriptor: Mapping[str, Any]) -> datetime:
    """The fixed timestamp of a release: ``SOURCE_DATE_EPOCH``, else the latest edition date.

    The latest ``published`` date of the ``editions`` resource is used (``YYYY-MM`` counts as
    the first of the month), at midnight UTC.

    Raises:
        BuildError: ``SOURCE_DATE_EPOCH`` is not an integer, or there is no edition date.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            stamp = datetime.fromtimestamp(int(epoch), tz=UTC)
        except ValueError:
            raise BuildError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970-01-01. "
                "Unset it or set an integer, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)."
            ) from None
        return max(stamp, _MIN_ZIP_TIME)
    dates: list[str] = []
    for resource in descriptor.get("resources") or []:
        if resource.get("name") == "editions":
            with (package_dir / resource["path"]).open(encoding="utf-8", newline="") as handle:
                dates = [row.get("published") or "" for row in csv.DictReader(handle)]
    dates = [date for date in dates if len(date) >= 7]
    if not dates:
        raise BuildError(
            "The package has no edition with a publication date to stamp the release with. "
            "Set SOURCE_DATE_EPOCH (seconds since 1970-01-01) for the build."
        )
    latest = max(date if len(date) == 10 else date[:7] + "-01" for date in dates)
    return max(datetime.fromisoformat(latest).replace(tzinfo=UTC), _MIN_ZIP_TIME)


def excel_csv(data: bytes) -> bytes:
    """The spreadsheet copy of a curated CSV: UTF-8 with BOM, ``;``-separated, CRLF.

    A spreadsheet in a Swedish locale opens such a file by double-click with the columns split
    (the list separator there is ``;``) and the letters å, ä, ö intact (the BOM says UTF-8).

    Examples:
        >>> excel_csv("namn,län\\nSkåne,\\"a; b\\"\\n".encode())
        b'\\xef\\xbb\\xbfnamn;l\\xc3\\xa4n\\r\\nSk\\xc3\\xa5ne;"a; b"\\r\\n'
    """
    rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(
        out, delimiter=";", lineterminator="\r\n", quotechar='"', quoting=csv.QUOTE_MINIMAL
    )
    writer.writerows(rows)
    return out.getvalue().encode(EXCEL_ENCODING)


def _write(path: Path, data: bytes) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"bytes": len(data), "hash": sha256_digest(data)}


def _release_resource(resource: Mapping[str, Any], facts: Mapping[str, Any]) -> dict[str, Any]:
    name = resource["name"]
    ordered: dict[str, Any] = {}
    for key in ("name", "type"):
        if key in resource:
            ordered[key] = resource[key]
    ordered["path"] = f"csv/{name}.csv"
    for key in ("scheme", "format", "mediatype", "encoding"):
        if key in resource:
            ordered[key] = resource[key]
    ordered.update(facts["csv"])
    for key, value in resource.items():
        if key not in ordered and key not in ("bytes", "hash", "path", "x-formats"):
            ordered[key] = copy.deepcopy(value)
    ordered["x-formats"] = [
        {
            "format": "parquet",
            "mediatype": FORMATS["parquet"][1],
            "path": f"parquet/{name}.parquet",
            "x-label": "Parquet",
            **facts["parquet"],
        },
        {
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": EXCEL_ENCODING,
            "path": f"excel/{name}.csv",
            "dialect": dict(EXCEL_DIALECT),
            "x-label": "CSV for spreadsheets (UTF-8 with BOM, semicolon)",
            **facts["excel"],
        },
    ]
    return ordered


def release_name(descriptor: Mapping[str, Any]) -> str:
    """``<name>-<version>``, the name of the release folder and zip."""
    return f"{descriptor['name']}-{descriptor['version']}"


def _sha256sums(release_dir: Path) -> bytes:
    lines = []
    for path in sorted(p for p in release_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(release_dir).as_posix()
        hex_digest = file_facts(path)["hash"].removeprefix("sha256:")
        lines.append(f"{hex_digest}  {relative}\n")
    return "".join(lines).encode("utf-8")


def _zip(release_dir: Path, target: Path, stamp: datetime) -> None:
    date_time = stamp.timetuple()[:6]
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(p for p in release_dir.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(
                f"{release_dir.name}/{path.relative_to(release_dir).as_posix()}", date_time
            )
            info.external_attr = ZIP_MODE << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)


def _set_times(root: Path, stamp: datetime) -> None:
    seconds = stamp.timestamp()
    for path in sorted(root.rglob("*"), reverse=True):
        os.utime(path, (seconds, seconds))
    os.utime(root, (seconds, seconds))


def _check_out_dir(out: Path, prefix: str) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise BuildError(f"--out {out} is a file; give a folder (default: dist/).")
    foreign = sorted(entry.name for entry in out.iterdir() if not entry.name.startswith(prefix))
    if foreign:
        raise BuildError(
            f"Refusing to replace {out}: the build replaces its --out folder as a whole, and "
            f"{out} holds files a build did not write ({', '.join(foreign[:5])}). "
            "Choose an empty or new folder, e.g. --out dist/."
        )


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _replace_dir(staging: Path, out: Path) -> None:
    """Move ``staging`` to ``out``, replacing an existing ``out`` (restored on failure)."""
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    os.replace(out, old)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_release(
    package_dir: Path, descriptor: Mapping[str, Any], release_dir: Path, stamp: datetime
) -> dict[str, Any]:
    """Write the release folder's files (everything but the zip); return the release descriptor."""
    version = descriptor["version"]
    resources = []
    for resource in descriptor["resources"]:
        name = resource["name"]
        source = package_dir / resource["path"]
        data = source.read_bytes()
        facts = {
            "csv": _write(release_dir / "csv" / f"{name}.csv", data),
            "excel": _write(release_dir / "excel" / f"{name}.csv", excel_csv(data)),
        }
        write_parquet(resource, source, release_dir / "parquet" / f"{name}.parquet", version)
        facts["parquet"] = file_facts(release_dir / "parquet" / f"{name}.parquet")
        resources.append(_release_resource(resource, facts))

    sqlite_name = f"{descriptor['name']}.sqlite"
    write_sqlite(
        release_dir / sqlite_name,
        [(r["name"], r["schema"], release_dir / r["path"]) for r in resources],
        user_version=semver_as_int(version),
    )
    release = {key: copy.deepcopy(value) for key, value in descriptor.items() if key != "resources"}
    release["resources"] = resources
    release["x-database"] = {
        "format": "sqlite",
        "mediatype": FORMATS["sqlite"][1],
        "path": sqlite_name,
        **file_facts(release_dir / sqlite_name),
    }
    descriptor_bytes = dump_json(release).encode("utf-8")
    descriptor_facts = _write(release_dir / DESCRIPTOR_FILE, descriptor_bytes)
    descriptor_file = {
        "path": DESCRIPTOR_FILE,
        "format": "json",
        "mediatype": "application/json",
        "title": "Data package descriptor (Frictionless Data Package v2)",
        **descriptor_facts,
    }
    _write(release_dir / "CITATION.cff", citation_cff(release, release_dir).encode("utf-8"))
    _write(
        release_dir / "schema-org.jsonld",
        dump_json(
            schema_org_dataset(release, base=release_dir, extra_files=[descriptor_file])
        ).encode("utf-8"),
    )
    _write(
        release_dir / "dcat-ap-se.jsonld",
        dump_json(dcat_ap_se(release, base=release_dir, extra_files=[descriptor_file])).encode(
            "utf-8"
        ),
    )
    _write(release_dir / "SHA256SUMS", _sha256sums(release_dir))
    return release


def build_release(
    out: str | Path = "dist",
    package: str | Path | None = None,
    *,
    validate: bool = True,
    _after_write: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Build a release of a data package into ``out`` (see the module docstring for the layout).

    Args:
        out: The output folder, replaced as a whole (default ``dist``).
        package: A data package folder or ``datapackage.json``; default the bundled package.
        validate: Validate first (turn off only in tests that validated already).
        _after_write: Test hook called with the staging folder before it replaces ``out``.

    Returns:
        What was written.

    Raises:
        BuildError: The package is invalid (nothing written), ``out`` holds foreign files, or
            the data breaks a key in SQLite.
        PackageNotFoundError: No ``datapackage.json`` at ``package``.
    """
    started = time.perf_counter()
    package_dir = _package_dir(package)
    if validate:
        validate_package(package_dir)
    descriptor = read_json(package_dir / DESCRIPTOR_FILE)
    name = release_name(descriptor)
    out = Path(out).absolute()
    _check_out_dir(out, str(descriptor["name"]) + "-")
    stamp = release_timestamp(package_dir, descriptor)

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        os.chmod(staging, 0o777 & ~_current_umask())
        release_dir = staging / name
        release_dir.mkdir()
        write_release(package_dir, descriptor, release_dir, stamp)
        _set_times(release_dir, stamp)
        _zip(release_dir, staging / f"{name}.zip", stamp)
        _set_times(staging, stamp)
        files = {
            path.relative_to(release_dir).as_posix(): path.stat().st_size
            for path in sorted(release_dir.rglob("*"))
            if path.is_file()
        }
        if _after_write is not None:
            _after_write(staging)
        _replace_dir(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(
        out=out,
        release_dir=out / name,
        zip_path=out / f"{name}.zip",
        version=str(descriptor["version"]),
        files=files,
        seconds=time.perf_counter() - started,
    )
