"""``palliativ-data build``: a reproducible release of the data package in several formats.

Release layout (``<out>`` defaults to ``dist/``; ``<name>-<version>`` is e.g.
``palliativ-data-0.1.0``)::

    <out>/
    ├── <name>-<version>/
    │   ├── datapackage.json        release descriptor: every file with bytes and sha256 hash
    │   ├── csv/<resource>.csv      the curated CSV, byte for byte (UTF-8 without BOM, comma)
    │   ├── excel/<resource>.csv    the same rows for spreadsheets: UTF-8 with BOM, semicolon
    │   ├── parquet/<resource>.parquet   zstd, Arrow schema from schema/ (enums as dictionaries)
    │   ├── <name>.xlsx             every resource as a sheet: Swedish headings, codes as text
    │   ├── <name>.sqlite           every resource as a table, keys and constraints
    │   ├── CITATION.cff            how to cite (CFF 1.2.0)
    │   ├── datasette-metadata.json `datasette <name>.sqlite -m datasette-metadata.json`
    │   ├── dcat-ap-se.jsonld       DCAT-AP-SE description (JSON-LD), also as .ttl and .rdf
    │   ├── schema-org.jsonld       schema.org Dataset (JSON-LD)
    │   └── SHA256SUMS              `sha256sum -c SHA256SUMS` checks every other file
    └── <name>-<version>.zip        the folder above, zipped

The build validates first and writes nothing if the package is invalid. Everything is written
to a locked staging folder inside ``<out>`` (``.staging-XXXX/``); then the release folder
replaces ``<out>/<name>-<version>`` in one step and the zip replaces its zip in one rename
(see ``publish.py``). A failure, or a kill, leaves the previous release whole; a later build
removes staging folders of killed builds. Nothing else in ``<out>`` is touched: other files
and other releases stay. The release's name comes from the validated ``name`` and
``version`` (safe file-name parts) and every path written is checked to stay inside
``<out>``.

Builds are reproducible: the same package gives the same bytes. Timestamps (zip entries, file
times) are ``SOURCE_DATE_EPOCH`` when set, else the latest edition's publication date;
Parquet rows keep the CSV's order and SQLite rows are sorted by primary key; writer
settings are fixed.

Catalogue metadata needs the publication facts of ``schema/package.json`` (see
:mod:`palliativ_data._release.metadata`); ``--base-url`` sets where the release is published,
so every IRI is absolute. A fact the data portal needs but nobody has set is reported as a warning
(:attr:`BuildResult.warnings`); ``strict_metadata`` / ``--strict-metadata`` refuses to build.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import os
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .._errors import BuildError
from .._io import dump_json, file_facts, sha256_digest
from .._offline import offline
from .._paths import bundled_package_dir
from .._schema.csv_reader import read_csv_table
from .._source import (
    Source,
    UnsafePathError,
    check_inside,
    open_package,
    regular_file,
)
from .._source import release_name as _safe_release_name
from .._validation import validate
from .formats import (
    COPY,
    DESCRIPTOR,
    RESOURCE,
    Inputs,
    ReleaseFormat,
    Tables,
    formats_listed_in,
    release_format,
)
from .metadata.cff import CITATION_FILE, citation_cff
from .metadata.datasette import DATASETTE_FILE, datasette_metadata
from .metadata.dcat import DCAT_FILE, dcat_ap_se, rdf_serializations
from .metadata.facts import PUBLICATION, DataRows, PublicationFacts
from .metadata.schema_org import SCHEMA_ORG_FILE, schema_org
from .publish import clean_stale_staging, publish_release, staging_folder

ZIP_MODE = 0o100644
_MIN_ZIP_TIME = datetime(1980, 1, 1, tzinfo=UTC)
_MAX_ZIP_TIME = datetime(2107, 12, 31, 23, 59, 58, tzinfo=UTC)


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
        warnings: Publication facts the data portal needs that are not set (see
            :meth:`~palliativ_data._release.metadata.facts.PublicationFacts.missing`).
    """

    out: Path
    release_dir: Path
    zip_path: Path
    version: str
    files: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()

    def render(self) -> str:
        """A short human-readable summary (what ``palliativ-data build`` prints)."""
        total = sum(self.files.values())
        zip_size = self.zip_path.stat().st_size if self.zip_path.exists() else 0
        return (
            f"built data version {self.version} in {self.seconds:.1f} s\n"
            f"  {self.release_dir}/  {len(self.files)} files, {total:,} bytes\n"
            f"  {self.zip_path}  {zip_size:,} bytes\n"
            f"check: cd {self.release_dir} && sha256sum -c SHA256SUMS"
        ) + "".join(f"\nwarning: {warning}" for warning in self.warnings)

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
            "warnings": list(self.warnings),
        }


def _open(path: str | Path | None) -> tuple[Source, dict[str, Any]]:
    """The package to build, located and read by the one safe loader (``_source``)."""
    return open_package(bundled_package_dir() if path is None else path)


def _problem_text(problem: Any) -> str:
    """One validation problem as a line: ``file:row field [code] message``."""
    location = problem.location() if hasattr(problem, "location") else ""
    field_name = getattr(problem, "field", None) or "-"
    code = getattr(problem, "code", "problem")
    message = getattr(problem, "message", str(problem))
    return f"{location} {field_name} [{code}] {message}".strip()


_SHOWN_PROBLEMS = 50


def validate_package(package_dir: Path) -> None:
    """Run the package validator; raise :class:`BuildError` listing the problems.

    The message shows the first 50 problems and counts the rest; ``BuildError.problems`` has
    them all (``palliativ-data validate`` prints a full report).
    """
    report = validate(package_dir)
    if not report.valid:
        problems = [_problem_text(problem) for problem in report.problems]
        shown = "\n".join(f"  - {problem}" for problem in problems[:_SHOWN_PROBLEMS])
        if len(problems) > _SHOWN_PROBLEMS:
            shown += (
                f"\n  … and {len(problems) - _SHOWN_PROBLEMS} more "
                "(`palliativ-data validate` lists them)"
            )
        raise BuildError(
            f"The data package at {package_dir} is invalid ({len(problems)} problem(s)); "
            f"nothing was written:\n{shown}\nFix these and run `palliativ-data build` again.",
            problems=problems,
        )


def release_timestamp(rows: DataRows) -> datetime:
    """The fixed timestamp of a release: ``SOURCE_DATE_EPOCH``, else the latest edition date.

    The latest ``published`` date of the ``editions`` resource is used (``YYYY-MM`` counts as
    the first of the month; :attr:`DataRows.data_date`), at midnight UTC.

    Raises:
        BuildError: ``SOURCE_DATE_EPOCH`` is not an integer, or there is no edition date.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            stamp = datetime.fromtimestamp(int(epoch.strip()), tz=UTC)
            if stamp > _MAX_ZIP_TIME:
                raise OverflowError
        except ValueError:
            raise BuildError(
                f"SOURCE_DATE_EPOCH={epoch[:40]!r} is not a number of seconds since 1970-01-01. "
                "Unset it or set an integer, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)."
            ) from None
        except (OverflowError, OSError):
            raise BuildError(
                f"SOURCE_DATE_EPOCH={epoch[:40]!r} is out of range: a zip file stores dates "
                "from 1980 to 2107. Set seconds since 1970-01-01 in that range, e.g. "
                "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it."
            ) from None
        return max(stamp, _MIN_ZIP_TIME)
    if rows.data_date is None:
        raise BuildError(
            "The package has no edition with a publication date to stamp the release with. "
            "Set SOURCE_DATE_EPOCH (seconds since 1970-01-01) for the build."
        )
    latest = datetime.fromisoformat(rows.data_date).replace(tzinfo=UTC)
    return min(max(latest, _MIN_ZIP_TIME), _MAX_ZIP_TIME)


def read_tables(package_dir: Path, descriptor: Mapping[str, Any]) -> Tables:
    """Parse every resource's CSV once, typed by its Table Schema (Parquet, SQLite, metadata)."""
    tables: Tables = {}
    for resource in descriptor["resources"]:
        name, table_schema = resource["name"], resource["schema"]
        source = regular_file(package_dir, resource.get("path"), resource=name)
        table = read_csv_table(
            source, name, table_schema=table_schema, version=descriptor["version"]
        )
        tables[name] = (table_schema, table)
    return tables


def _write(path: Path, data: bytes) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"bytes": len(data), "hash": sha256_digest(data)}


def _write_format(
    fmt: ReleaseFormat, given: Inputs, release_dir: Path, path: str
) -> tuple[str, dict[str, Any]]:
    """Write one file of a format; return its path and its ``bytes`` and ``hash``."""
    target = check_inside(release_dir / path, release_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fmt.write(given, target)
    return path, file_facts(target)


Written = dict[str, tuple[str, dict[str, Any]]]
"""Format key → (path, ``bytes`` and ``hash``) of the files written for one table."""


def _release_resource(resource: Mapping[str, Any], written: Written) -> dict[str, Any]:
    (own,) = formats_listed_in(RESOURCE)
    path, facts = written[own.key]
    ordered: dict[str, Any] = {}
    for key in ("name", "type"):
        if key in resource:
            ordered[key] = resource[key]
    ordered["path"] = path
    for key in ("scheme", "format", "mediatype", "encoding"):
        if key in resource:
            ordered[key] = resource[key]
    ordered.update(facts)
    for key, value in resource.items():
        if key not in ordered and key not in ("bytes", "hash", "path", "x-formats"):
            ordered[key] = copy.deepcopy(value)
    ordered["x-formats"] = [fmt.entry(*written[fmt.key]) for fmt in formats_listed_in(COPY)]
    return ordered


def release_name(descriptor: Mapping[str, Any]) -> str:
    """``<name>-<version>``, the name of the release folder and zip.

    Raises:
        BuildError: ``name`` or ``version`` is not a safe file-name part (it would put files
            outside ``--out``).
    """
    try:
        return _safe_release_name(descriptor)
    except UnsafePathError as error:
        raise BuildError(f"{error} Nothing was written.", problems=[str(error)]) from None


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


_DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG)


def _out_error(out: Path, error: OSError) -> BuildError:
    where = f" ({error.filename})" if error.filename else ""
    if error.errno in _DISK_FULL or "No space left" in str(error):
        reason = (
            "a file is larger than this system allows"
            if error.errno == errno.EFBIG
            else "no space is left on the disk"
        )
        writing = f" (writing {Path(error.filename).name})" if error.filename else ""
        return BuildError(
            f"Cannot write the release to {out}: {reason}{writing}. Nothing was published and "
            "the previous release, if any, is as it was. Free some space (a release needs a "
            "few MB) or give --out a folder on another disk, and build again.",
        )
    reason = error.strerror.lower() if error.strerror else type(error).__name__
    if isinstance(error, FileExistsError) and error.filename:
        return BuildError(
            f"Cannot publish the release in {out}: {error.filename} {reason}. Move it out of "
            "the way (a build replaces only a release folder and a zip file it made). Nothing "
            "was published.",
        )
    return BuildError(
        f"Cannot write the release to {out}: {reason}{where}. Give --out a folder you can "
        "write to (its parent must be a folder, not a file). Nothing was published.",
    )


@dataclass(frozen=True)
class Described:
    """What the documents about a release are written from (see :data:`DOCUMENTS`).

    Attributes:
        descriptor: The release descriptor (every data file with its size and checksum).
        folder: The release folder.
        base_url: Where the release is published (absolute IRIs), if known.
        rows: The editions' dates and the ``sources`` rows, read once by the build.
        extra_files: Files the descriptor does not list that the catalogue documents
            describe: the descriptor itself.
    """

    descriptor: Mapping[str, Any]
    folder: Path
    base_url: str | None
    rows: DataRows
    extra_files: tuple[Mapping[str, Any], ...]

    def where(self) -> dict[str, Any]:
        """The keyword arguments of the catalogue documents (DCAT, schema.org)."""
        return {
            "base": self.folder,
            "base_url": self.base_url,
            "extra_files": list(self.extra_files),
            "rows": self.rows,
        }


def _citation(release: Described) -> dict[str, bytes]:
    return {CITATION_FILE: citation_cff(release.descriptor, rows=release.rows).encode("utf-8")}


def _schema_org(release: Described) -> dict[str, bytes]:
    return {SCHEMA_ORG_FILE: dump_json(schema_org(release.descriptor, **release.where())).encode()}


def _dcat(release: Described) -> dict[str, bytes]:
    document = dcat_ap_se(release.descriptor, **release.where())
    return {
        DCAT_FILE: dump_json(document).encode("utf-8"),
        **rdf_serializations(document, release.base_url),
    }


def _datasette(release: Described) -> dict[str, bytes]:
    sqlite = release_format("sqlite").file(package=release.descriptor["name"])
    metadata = datasette_metadata(release.descriptor, Path(sqlite).stem)
    return {DATASETTE_FILE: dump_json(metadata).encode("utf-8")}


DOCUMENTS: tuple[Callable[[Described], dict[str, bytes]], ...] = (
    _citation,
    _schema_org,
    _dcat,
    _datasette,
)
"""The files about a release, written after its descriptor: file name → bytes. They describe
the files the descriptor lists and the descriptor; ``SHA256SUMS``, written last, sums them all.
The formats of the data are the table :data:`~palliativ_data._release.formats.FORMATS`."""


def write_release(
    package_dir: Path,
    descriptor: Mapping[str, Any],
    release_dir: Path,
    tables: Tables,
    rows: DataRows,
    *,
    base_url: str | None = None,
) -> dict[str, Any]:
    """Write the release folder's files (everything but the zip); return the release descriptor.

    ``tables`` (from :func:`read_tables`) are the parsed CSV files and ``rows`` the metadata's
    part of them: Parquet, SQLite and the metadata come from them; the CSV copies are the
    files' own bytes. The data's files are those of the table of release formats
    (:data:`~palliativ_data._release.formats.FORMATS`): one file per table and format, then
    the package-wide files, then the descriptor listing them; then the :data:`DOCUMENTS`
    about them, and ``SHA256SUMS``.
    """
    resources = []
    for resource in descriptor["resources"]:
        name = resource["name"]
        data = regular_file(package_dir, resource.get("path"), resource=name).read_bytes()
        given = Inputs(descriptor, tables, table=name, csv=data)
        written = {
            fmt.key: _write_format(fmt, given, release_dir, fmt.file(table=name))
            for fmt in formats_listed_in(RESOURCE, COPY)
        }
        resources.append(_release_resource(resource, written))
    publication = PublicationFacts.from_descriptor(descriptor).with_base_url(base_url)
    release = {key: copy.deepcopy(value) for key, value in descriptor.items() if key != "resources"}
    if publication.base_url:  # --base-url reaches the descriptor and what is written from it
        release[PUBLICATION] = {
            **(release.get(PUBLICATION) or {}),
            "base_url": publication.base_url,
        }
    release["resources"] = resources
    for fmt in formats_listed_in():  # the package-wide files (x-database, x-workbook)
        path = fmt.file(package=descriptor["name"])
        release[fmt.listed_in] = fmt.entry(
            *_write_format(fmt, Inputs(descriptor, tables), release_dir, path)
        )
    extra_files = tuple(
        fmt.describe(*_write_format(fmt, Inputs(release, tables), release_dir, fmt.file()))
        for fmt in formats_listed_in(DESCRIPTOR)
    )
    described = Described(release, release_dir, publication.base_url, rows, extra_files)
    for document in DOCUMENTS:
        for name, data in document(described).items():
            _write(check_inside(release_dir / name, release_dir), data)
    _write(release_dir / "SHA256SUMS", _sha256sums(release_dir))
    return release


@offline("build")
def build_release(
    out: str | Path = "dist",
    package: str | Path | None = None,
    *,
    validate: bool = True,
    base_url: str | None = None,
    strict_metadata: bool = False,
) -> BuildResult:
    """Build a release of a data package into ``out`` (see the module docstring for the layout).

    Args:
        out: The output folder, replaced as a whole (default ``dist``).
        package: A data package folder or ``datapackage.json``; default the bundled package.
        validate: Validate first (turn off only in tests that validated already).
        base_url: Where the release folder's files will be published (e.g.
            ``https://example.org/palliativ-data/``): every IRI of the catalogue metadata is
            made absolute with it. Default: ``base_url`` of the publication facts.
        strict_metadata: Refuse to build while a publication fact the data portal needs is
            not set (default: build, and list them in :attr:`BuildResult.warnings`).

    Returns:
        What was written.

    Raises:
        BuildError: The package is invalid (nothing written), ``out`` holds foreign files,
            the data breaks a key in SQLite, a publication fact is malformed, or (with
            ``strict_metadata``) one is missing.
        PackageNotFoundError: No ``datapackage.json`` at ``package``.
    """
    started = time.perf_counter()
    source, descriptor = _open(package)
    package_dir = source.folder
    if validate:
        validate_package(source.descriptor_path)
    missing = PublicationFacts.from_descriptor(descriptor).with_base_url(base_url).missing()
    if strict_metadata and missing:
        raise BuildError(
            "Refusing to build with --strict-metadata: the data portal needs publication facts "
            "that are not set; nothing was written. Set them in `x-publication` of "
            "schema/package.json (then `palliativ-data generate`), or pass --base-url:\n"
            + "\n".join(f"  - {fact}" for fact in missing),
            problems=missing,
        )
    name = release_name(descriptor)
    zip_name = f"{name}.zip"
    out = Path(out).absolute()
    if out.exists() and not out.is_dir():
        raise BuildError(f"--out {out} is a file; give a folder (default: dist/).")
    tables = read_tables(package_dir, descriptor)  # every input read and checked before writing
    rows = DataRows.from_tables({name: table for name, (_, table) in tables.items()})
    stamp = release_timestamp(rows)
    created = [folder for folder in (out, *out.parents) if not folder.exists()]
    try:
        out.mkdir(parents=True, exist_ok=True)
        clean_stale_staging(out)
        with staging_folder(out) as staging:
            release_dir = check_inside(staging / name, staging)
            release_dir.mkdir()
            write_release(package_dir, descriptor, release_dir, tables, rows, base_url=base_url)
            _set_times(release_dir, stamp)
            zip_file = staging / zip_name
            _zip(release_dir, zip_file, stamp)
            os.utime(zip_file, (stamp.timestamp(), stamp.timestamp()))
            files = {
                path.relative_to(release_dir).as_posix(): path.stat().st_size
                for path in sorted(release_dir.rglob("*"))
                if path.is_file()
            }
            publish_release(  # the folder and its zip together, or neither
                release_dir,
                zip_file,
                check_inside(out / name, out),
                check_inside(out / zip_name, out),
            )
    except BaseException as error:
        for folder in created:  # a failed build leaves no new empty folders behind
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(error, OSError):
            raise _out_error(out, error) from None
        raise
    return BuildResult(
        out=out,
        release_dir=out / name,
        zip_path=out / zip_name,
        version=str(descriptor["version"]),
        files=files,
        seconds=time.perf_counter() - started,
        warnings=tuple(f"publication fact not set: {fact}" for fact in missing),
    )


# shown under its public name, palliativ_data.BuildResult
BuildResult.__module__ = "palliativ_data"
