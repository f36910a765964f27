"""One safe way from a user's path to a contained data package.

Everything that reads a package someone gave us (``load``, ``validate``, ``compare``, ``build``
and the query commands) goes through this module, so that a contributed or downloaded package
cannot make the library read or write outside the folder the user named:

* :func:`locate` turns the user's path (a folder, or its ``datapackage.json``) into a
  resolved folder and descriptor path, or raises :class:`PackageNotFoundError` (the CLI exits
  2: a usage error or an unreadable path). The descriptor must stay inside that folder (a
  ``datapackage.json`` that is a symlink to somewhere else is refused).
* :func:`read_descriptor` reads the descriptor with limits on its size, its nesting depth and
  the length of its numbers, so that a hostile file gives a clear :class:`DescriptorError`
  instead of a ``RecursionError``, a ``ValueError`` or a huge allocation.
* :func:`path_problem` says why a ``path`` value of a descriptor is not a safe relative path
  (absolute, ``..``, a URL, a backslash, a drive letter…), and :func:`resolve_inside` resolves
  a path value against the package folder and refuses one that leaves it, also through a
  symlink. Both run *before* anything is opened, so no byte of a file outside the package ever
  reaches a message. A file with more than one name (a hard link) is refused too: it may be a
  file outside the package under a second name, and a package that was copied, cloned or
  unzipped never holds one (git and zip cannot carry hard links).
* :func:`release_name` builds ``<name>-<version>`` from parts checked by
  :func:`name_part_problem`; :func:`check_inside` asserts that a path to be written stays
  inside the output folder.

Exit codes of the CLI, the same for every command: 0 valid (or done), 1 invalid package or
data, 2 usage error or unreadable path.

A remaining race is out of scope: a file replaced by a symlink between the check and the read
(someone who can change the package folder while we read it can also change what we read).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ._errors import DataError, IntegrityError, PackageNotFoundError
from ._io import DESCRIPTOR_FILE, file_digest
from ._paths import bundled_package_dir

DESCRIPTOR = DESCRIPTOR_FILE
MAX_DESCRIPTOR_BYTES = 16 * 1024 * 1024
"""A descriptor larger than this is refused (the bundled one is about 50 kB)."""
MAX_DEPTH = 64
"""Deepest nesting of objects and lists allowed in a descriptor (the bundled one: 8)."""
MAX_NUMBER_CHARS = 64
"""Longest number literal allowed in a descriptor (Python refuses integers over 4,300 digits
with a ``ValueError``; nothing in a descriptor needs more than a few digits)."""

NAME_PATTERN = r"^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$"
"""A package ``name``: lower-case letters, digits, ``.``, ``_`` and ``-``, at most 100
characters, starting and ending with a letter or digit (so never ``..``, ``/`` or empty)."""
VERSION_PATTERN = (
    r"^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})"
    r"(?:-[0-9A-Za-z.-]{1,40})?(?:\+[0-9A-Za-z.-]{1,40})?$"
)
"""A package ``version``: SemVer ``MAJOR.MINOR.PATCH`` (optional ``-pre`` and ``+build``)."""


class DescriptorError(DataError):
    """``datapackage.json`` cannot be read as a descriptor (not UTF-8 JSON, too large, too deep).

    Attributes:
        code: The problem code ``validate`` reports it with (``json-error``, ``package-error``).
    """

    code: str = "json-error"


class UnsafePathError(DataError):
    """A path in a descriptor would leave the package folder (or is a URL); nothing was opened.

    Attributes:
        value: The path as the descriptor gives it.
        reason: Why it is refused, e.g. ``"url"``, ``"absolute"``, ``"parent"``, ``"symlink"``.
    """

    def __init__(
        self,
        message: str,
        *,
        value: object = None,
        reason: str = "",
        resource: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message, resource=resource, path=path)
        self.value = value
        self.reason = reason


@dataclass(frozen=True)
class Source:
    """A located package: its resolved folder and descriptor path."""

    folder: Path
    descriptor_path: Path


# --------------------------------------------------------------------------- locating


def locate(path: str | os.PathLike[str]) -> Source:
    """Resolve the user's path (a package folder or its descriptor) to a :class:`Source`.

    Raises:
        PackageNotFoundError: Nothing readable there, no ``datapackage.json`` in the folder,
            or the descriptor is a symlink that leaves the folder.
    """
    given = Path(os.fspath(path)).expanduser()
    try:
        if given.is_dir():
            folder = given.resolve(strict=True)
            candidate = folder / DESCRIPTOR
            if not (candidate.exists() or candidate.is_symlink()):
                raise PackageNotFoundError(
                    f"{given} holds no {DESCRIPTOR}. Give the folder of a data package (the one "
                    f"with {DESCRIPTOR} and data/) or the path of its {DESCRIPTOR}.",
                    path=str(given),
                )
        elif given.is_file():
            folder = given.parent.resolve(strict=True)
            candidate = folder / given.name
        else:
            raise PackageNotFoundError(
                f"Nothing at {given}. Give the folder of a data package or the path of its "
                f"{DESCRIPTOR}.",
                path=str(given),
            )
        descriptor = candidate.resolve(strict=True)
    except (OSError, RuntimeError) as error:  # permission denied, symlink loop, too long
        if isinstance(error, PackageNotFoundError):
            raise
        raise PackageNotFoundError(
            f"Cannot read {given}: {_os_reason(error)}. Give a readable data package folder.",
            path=str(given),
        ) from None
    if not _is_inside(descriptor, folder):
        raise PackageNotFoundError(
            f"{candidate} is a link to a file outside {folder}; a package is read only from "
            f"inside its folder. Copy the descriptor into the folder instead of linking it.",
            path=str(given),
        )
    if not descriptor.is_file():
        raise PackageNotFoundError(
            f"{candidate} is not a file. Give the folder of a data package or its {DESCRIPTOR}.",
            path=str(given),
        )
    links = hard_links(descriptor, folder)
    if links:
        raise PackageNotFoundError(
            f"{candidate} {_hard_link_text(links)}",
            path=str(given),
        )
    return Source(folder, descriptor)


def hard_links(path: Path, folder: Path) -> int:
    """How many names the regular file ``path`` has when it has more than one (a hard link),
    else 0. Files of the package bundled with this library are trusted (an installer may
    hard-link them from its cache)."""
    try:
        info = path.stat()
    except OSError:
        return 0
    if not stat.S_ISREG(info.st_mode) or info.st_nlink <= 1:
        return 0
    if folder == _bundled_folder():
        return 0
    return int(info.st_nlink)


def _bundled_folder() -> Path | None:
    try:
        return bundled_package_dir().resolve()
    except OSError:  # pragma: no cover - an unreadable installation
        return None


def _hard_link_text(links: int) -> str:
    return (
        f"is a hard link (the file has {links} names on this file system), so it may be a "
        "file outside the package folder under a second name; it was not read. A package "
        "that was copied, cloned or unzipped never holds hard links: replace it by a copy "
        "of its own (e.g. `cp FILE FILE.copy && mv FILE.copy FILE`)."
    )


def _os_reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return type(error).__name__


def _is_inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


# --------------------------------------------------------------------------- the descriptor


def _number(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Limit(f"a number of {len(text):,} characters (at most {MAX_NUMBER_CHARS})")
    if not any(c in text for c in ".eE"):
        return int(text)
    value = float(text)
    if not math.isfinite(value):  # 1e999: Infinity, which JSON cannot write back
        raise _Limit(f"the number {text}, too large to be a finite number")
    return value


def _constant(text: str) -> Any:
    raise _Limit(f"{text}, which is not JSON")


class _Limit(ValueError):
    """A limit of :func:`parse_descriptor_text` was exceeded (internal)."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON, computed without recursion.

    Raises:
        _Limit: A string or key holds a lone surrogate (``"\\ud800"``), which no UTF-8
            text, file name or terminal can carry.
    """
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise _Limit(f"a lone surrogate ({_shown(item)}), which is not a character")
        elif isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((key, depth + 1) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item)
        if deepest > MAX_DEPTH:
            return deepest
    return deepest


def parse_descriptor_text(data: bytes, name: str = DESCRIPTOR) -> Any:
    """Parse descriptor bytes as JSON, within the limits of this module.

    Raises:
        DescriptorError: Not UTF-8, not JSON, nested deeper than :data:`MAX_DEPTH`, a number
            longer than :data:`MAX_NUMBER_CHARS`, ``NaN``/``Infinity`` or a number too large
            to be finite (``1e999``), or a lone surrogate (``"\\ud800"``) in a string.

    Examples:
        >>> parse_descriptor_text(b'{"a": [1, 2.5]}')
        {'a': [1, 2.5]}
        >>> parse_descriptor_text(b"[" * 5000 + b"]" * 5000)
        Traceback (most recent call last):
        ...
        palliativ_data._source.DescriptorError: datapackage.json nests objects or lists ...
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DescriptorError(
            f"{name} is not UTF-8 text ({error.reason} at byte {error.start}). Save it as UTF-8.",
            path=name,
        ) from None
    too_deep = DescriptorError(
        f"{name} nests objects or lists deeper than {MAX_DEPTH} levels; a data package "
        "descriptor needs fewer than 10. Correct the file.",
        path=name,
    )
    try:
        value = json.loads(text, parse_int=_number, parse_float=_number, parse_constant=_constant)
    except RecursionError:
        raise too_deep from None
    except _Limit as error:
        raise DescriptorError(
            f"{name} holds {error}; a descriptor's numbers are short. Correct the file.",
            path=name,
        ) from None
    except json.JSONDecodeError as error:
        raise DescriptorError(
            f"{name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}. "
            "Fix the syntax (a missing comma or quote, a trailing comma); in this repository "
            "the file is generated: run `palliativ-data generate`.",
            path=name,
        ) from None
    except ValueError as error:  # any other limit of the decoder
        raise DescriptorError(f"{name} cannot be read as JSON ({error}).", path=name) from None
    try:
        if _depth(value) > MAX_DEPTH:
            raise too_deep
    except _Limit as error:
        raise DescriptorError(
            f"{name} holds {error}. Correct the file (write the character itself, as UTF-8).",
            path=name,
        ) from None
    return value


def read_descriptor(path: Path) -> dict[str, Any]:
    """Read a descriptor file: at most :data:`MAX_DESCRIPTOR_BYTES`, parsed within limits.

    Raises:
        DescriptorError: Too large, not UTF-8 JSON, too deep, or not a JSON object.
        PackageNotFoundError: The file cannot be read.
    """
    name = path.name
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_DESCRIPTOR_BYTES + 1)
    except OSError as error:
        raise PackageNotFoundError(
            f"Cannot read {path}: {_os_reason(error)}.", path=str(path)
        ) from None
    if len(data) > MAX_DESCRIPTOR_BYTES:
        raise DescriptorError(
            f"{name} is larger than {MAX_DESCRIPTOR_BYTES // (1024 * 1024)} MB; a data package "
            "descriptor describes the files, it does not hold the data. Put the data in CSV "
            "files and point to them.",
            code="package-error",
            path=name,
        )
    value = parse_descriptor_text(data, name)
    if not isinstance(value, dict):
        raise DescriptorError(
            f"{name} holds a JSON {type(value).__name__}, not an object. A data package "
            "descriptor is a JSON object with 'resources'.",
            code="package-error",
            path=name,
        )
    return value


def open_package(path: str | os.PathLike[str]) -> tuple[Source, dict[str, Any]]:
    """:func:`locate` then :func:`read_descriptor`; the descriptor must list ``resources``.

    Raises:
        PackageNotFoundError: See :func:`locate`.
        DescriptorError: See :func:`read_descriptor`, or no ``resources`` list.
    """
    source = locate(path)
    descriptor = read_descriptor(source.descriptor_path)
    if not isinstance(descriptor.get("resources"), list):
        raise DescriptorError(
            f"{source.descriptor_path} is not a data package descriptor: it needs a JSON object "
            "with a 'resources' list.",
            code="package-error",
            path=str(source.descriptor_path),
        )
    for index, entry in enumerate(descriptor["resources"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise DescriptorError(
                f"resources[{index}] of {source.descriptor_path} is not a resource (a JSON object "
                "with a 'name'). Run `palliativ-data validate` on the package.",
                code="package-error",
                path=str(source.descriptor_path),
            )
    return source, descriptor


# --------------------------------------------------------------------------- paths in it


def path_problem(value: object) -> tuple[str, str] | None:
    """Why ``value`` is not a safe relative path inside a package, as ``(reason, text)``.

    ``None`` when it is a plain relative POSIX path with no ``..``. Symlinks are checked by
    :func:`resolve_inside`, which needs the folder.

    Examples:
        >>> path_problem("data/gaps.csv") is None
        True
        >>> [path_problem(v)[0] for v in ("/etc/passwd", "../x.csv", "https://a/b.csv", "a\\\\b")]
        ['absolute', 'parent', 'url', 'backslash']
    """
    if not isinstance(value, str):
        return ("not-a-string", "it is not one path (a string)")
    if not value:
        return ("empty", "it is empty")
    if "\x00" in value:
        return ("nul", "it holds a NUL character")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value) or value.startswith("//"):
        return ("url", "it is a URL; only files inside the package folder are read")
    if value.startswith(("/", "~")) or re.match(r"^[A-Za-z]:", value):
        return ("absolute", "it is an absolute path; give a path relative to the package folder")
    if "\\" in value:
        return ("backslash", "it has a backslash; use '/' between folder names")
    if ".." in PurePosixPath(value).parts:
        return ("parent", "it has '..', which leaves the package folder")
    return None


def resolve_inside(
    folder: Path, value: object, *, resource: str | None = None, what: str = "path"
) -> Path:
    """The file ``value`` names inside ``folder`` (resolved), checked before it is opened.

    Args:
        folder: The resolved package folder.
        value: The path as the descriptor gives it (e.g. ``data/gaps.csv``).
        resource: The resource it belongs to (for the error).
        what: What the value is, for the message (``path``, ``schema``…).

    Raises:
        UnsafePathError: ``value`` is not a safe relative path (:func:`path_problem`), it
            resolves, through a symlink, to a place outside ``folder``, or it names a file
            with more than one name (a hard link, :func:`hard_links`).

    Examples:
        >>> from pathlib import Path
        >>> resolve_inside(Path("/pkg"), "data/gaps.csv")
        PosixPath('/pkg/data/gaps.csv')
    """
    owner = f" of resource '{resource}'" if resource else ""
    problem = path_problem(value)
    if problem is not None:
        reason, text = problem
        raise UnsafePathError(
            f"{what} {_shown(value)}{owner} is refused: {text}. Put the file inside the package "
            f"folder and give its relative path, e.g. 'data/{resource or 'table'}.csv'.",
            value=value,
            reason=reason,
            resource=resource,
        )
    assert isinstance(value, str)
    candidate = folder.joinpath(*PurePosixPath(value).parts)
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise UnsafePathError(
            f"{what} {_shown(value)}{owner} is a symlink loop. Replace it by the file itself.",
            value=value,
            reason="symlink",
            resource=resource,
        ) from None
    if not _is_inside(resolved, folder):
        raise UnsafePathError(
            f"{what} {_shown(value)}{owner} is a symlink (or passes through one) to a place "
            f"outside the package folder; it was not read. Copy the file into the package "
            "instead of linking it.",
            value=value,
            reason="symlink",
            resource=resource,
        )
    links = hard_links(resolved, folder)
    if links:
        raise UnsafePathError(
            f"{what} {_shown(value)}{owner} {_hard_link_text(links)}",
            value=value,
            reason="hardlink",
            resource=resource,
        )
    return resolved


def _shown(value: object, limit: int = 80) -> str:
    text = str(value).encode("unicode_escape").decode("ascii")
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --------------------------------------------------------------------------- names and writes


def name_part_problem(key: str, value: object, pattern: str | None = None) -> str | None:
    """Why the descriptor's ``name`` or ``version`` is not a safe file-name part, or None.

    Examples:
        >>> name_part_problem("name", "palliativ-data") is None
        True
        >>> name_part_problem("name", "../../escape") is not None
        True
        >>> name_part_problem("version", "1.0.0/../x") is not None
        True
    """
    if pattern is None:
        pattern = NAME_PATTERN if key == "name" else VERSION_PATTERN
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        allowed = (
            "lower-case letters, digits, '.', '_' and '-', starting and ending with a letter "
            "or digit (at most 100 characters)"
            if key == "name"
            else "a SemVer version MAJOR.MINOR.PATCH such as 1.2.0"
        )
        return (
            f"'{key}' is {_shown(value)}, which is not allowed: it becomes part of the release's "
            f"file names, so it must be {allowed}. Correct it in the descriptor."
        )
    return None


def release_name(descriptor: Mapping[str, Any]) -> str:
    """``<name>-<version>``, the release folder and zip name, from checked parts.

    Raises:
        UnsafePathError: ``name`` or ``version`` is not a safe file-name part.

    Examples:
        >>> release_name({"name": "palliativ-data", "version": "0.1.0"})
        'palliativ-data-0.1.0'
    """
    for key in ("name", "version"):
        problem = name_part_problem(key, descriptor.get(key))
        if problem is not None:
            raise UnsafePathError(problem, value=descriptor.get(key), reason="name")
    return f"{descriptor['name']}-{descriptor['version']}"


def check_inside(path: Path, folder: Path) -> Path:
    """Return ``path`` if it resolves to a place inside ``folder``; else raise.

    Raises:
        UnsafePathError: ``path`` would be written outside ``folder``.
    """
    resolved_folder = folder.resolve()
    resolved = path.resolve()
    if resolved == resolved_folder or not resolved.is_relative_to(resolved_folder):
        raise UnsafePathError(
            f"Refusing to write {path}: it is not inside {folder}.", value=str(path), reason="out"
        )
    return path


# --------------------------------------------------------------------------- integrity

_ALGORITHMS = ("md5", "sha1", "sha256", "sha512")


def integrity_problem(path: Path, declared: Mapping[str, Any]) -> tuple[str, Any, Any] | None:
    """How ``path`` differs from the ``bytes``/``hash`` that ``declared`` states, or None.

    Returns ``("byte-count" | "hash-count", expected, actual)``. A ``hash`` is
    ``<algorithm>:<hex>`` (md5, sha1, sha256, sha512) or, as Data Package v1 wrote it, a bare
    MD5 hex digest; another algorithm is not checked.
    """
    expected_bytes = declared.get("bytes")
    size = path.stat().st_size
    is_count = isinstance(expected_bytes, int) and not isinstance(expected_bytes, bool)
    if is_count and size != expected_bytes:
        return ("byte-count", expected_bytes, size)
    expected_hash = declared.get("hash")
    if not isinstance(expected_hash, str) or not expected_hash:
        return None
    algorithm, _, value = expected_hash.rpartition(":")
    algorithm = algorithm.lower() or "md5"
    if algorithm not in _ALGORITHMS:
        return None
    _, actual = file_digest(path, algorithm)
    if actual != value.lower():
        return ("hash-count", expected_hash, f"{algorithm}:{actual}")
    return None


def verify_file(path: Path, declared: Mapping[str, Any], *, resource: str | None = None) -> None:
    """Raise :class:`IntegrityError` when ``path`` differs from its declared bytes/hash."""

    problem = integrity_problem(path, declared)
    if problem is None:
        return
    kind, expected, actual = problem
    what = f"{expected:,} bytes" if kind == "byte-count" else f"hash {expected}"
    got = f"{actual:,} bytes" if kind == "byte-count" else f"{actual}"
    raise IntegrityError(
        f"{path.name}{f' (resource {resource!r})' if resource else ''} does not match its "
        f"descriptor: it should have {what} but has {got}, so it was changed or truncated "
        "after the descriptor was written. Download the release again (or check it with "
        "`sha256sum -c SHA256SUMS`); if you are editing the data on purpose, load it with "
        "load(path, verify=False) or remove 'bytes'/'hash' from the descriptor.",
        resource=resource,
        path=str(path),
        expected=expected,
        actual=actual,
    )


PACKAGE_WIDE_FILES = ("x-database", "x-workbook")
"""The descriptor properties that each list one file of a release for the whole package: the
``listed_in`` of the package-wide formats in ``_release/formats.py`` (a test keeps the two
together). ``validate`` and ``load`` check each file's size and checksum."""


def declared_copies(
    descriptor: Mapping[str, Any],
) -> list[tuple[str | None, str, Mapping[str, Any]]]:
    """Every other file a descriptor declares: ``(resource, location, entry)``.

    The ``x-formats`` entries of each resource (a release's Parquet and spreadsheet copies)
    and the package-wide files of :data:`PACKAGE_WIDE_FILES` (its SQLite file, its workbook).
    """
    found: list[tuple[str | None, str, Mapping[str, Any]]] = []
    for resource in descriptor.get("resources") or []:
        if not isinstance(resource, Mapping):
            continue
        name = resource.get("name") if isinstance(resource.get("name"), str) else None
        formats = resource.get("x-formats")
        for index, entry in enumerate(formats if isinstance(formats, list) else []):
            if isinstance(entry, Mapping) and "path" in entry:
                found.append((name, f"x-formats[{index}]", entry))
    for key in PACKAGE_WIDE_FILES:
        entry = descriptor.get(key)
        if isinstance(entry, Mapping) and "path" in entry:
            found.append((None, key, entry))
    return found


def regular_file(
    folder: Path, value: object, *, resource: str | None = None, what: str = "path"
) -> Path:
    """:func:`resolve_inside`, and the result must be an existing regular file.

    A folder, a FIFO or a device in place of a CSV is refused before it is opened (opening a
    FIFO would wait forever).

    Raises:
        UnsafePathError: See :func:`resolve_inside`.
        DataError: Nothing there, or not a regular file.
    """
    path = resolve_inside(folder, value, resource=resource, what=what)
    owner = f" of resource '{resource}'" if resource else ""
    try:
        mode = path.stat().st_mode
    except OSError:
        raise DataError(
            f"{what} {_shown(value)}{owner} names a file that does not exist in {folder}. Add "
            "it or correct the descriptor.",
            resource=resource,
            path=str(path),
        ) from None
    if not stat.S_ISREG(mode):
        raise DataError(
            f"{what} {_shown(value)}{owner} is not a regular file (a folder, pipe or device); "
            "it was not opened. Put the CSV file there.",
            resource=resource,
            path=str(path),
        )
    return path
