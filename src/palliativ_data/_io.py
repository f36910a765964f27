"""One helper each for the file chores: JSON, hashing, atomic writes, the descriptor's name.

Every module that reads or writes a file uses these, so that a generated file is always
serialised the same way and a write never leaves a half-written file behind.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ._errors import ArgumentError, OutputExistsError

DESCRIPTOR_FILE = "datapackage.json"
"""The file name of a data package descriptor (Data Package v2)."""

FILE_MODE = 0o644
"""Mode of the files written: readable by everyone, like files a user saves (not 0600)."""


def read_json(path: Path) -> Any:
    """The JSON document in ``path`` (UTF-8)."""
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def dump_json(data: Any) -> str:
    """Serialise JSON the one way every generated file in this project uses."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def sha256_digest(data: bytes) -> str:
    """The ``hash`` property of a descriptor for ``data``: ``sha256:<hex>``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def file_digest(path: Path, algorithm: str = "sha256") -> tuple[int, str]:
    """Size and hex digest of a file (``hashlib.file_digest``: read in blocks, any algorithm)."""
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, algorithm)
        size = handle.tell()
    return size, digest.hexdigest()


def file_facts(path: Path) -> dict[str, Any]:
    """The ``bytes`` and ``hash`` (``sha256:<hex>``) of a file."""
    size, digest = file_digest(path)
    return {"bytes": size, "hash": "sha256:" + digest}


def cell_text(value: Any) -> str:
    """A value as a CSV cell: empty for null, ``true``/``false``, lists joined with ``; ``.

    Examples:
        >>> [cell_text(v) for v in (None, True, 3, ["a", "b"])]
        ['', 'true', '3', 'a; b']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(item) for item in value)
    return str(value)


def format_csv(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    line_end: str = "\n",
) -> str:
    """CSV text in the curated style: header row, minimal quoting, ``\\n``, cells by :func:`cell_text`.

    ``delimiter`` and ``line_end`` change the dialect (the Excel copy of a release uses ``;``
    and ``\\r\\n``).

    Examples:
        >>> print(format_csv(["name", "n"], [["a, b", 1], [None, False]]), end="")
        name,n
        "a, b",1
        ,false
    """
    out = io.StringIO(newline="")
    writer = csv.writer(
        out, delimiter=delimiter, lineterminator=line_end, quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    writer.writerows([cell_text(value) for value in row] for row in rows)
    return out.getvalue()


def atomic_write_files(contents: Mapping[Path, str | bytes], mode: int = FILE_MODE) -> None:
    """Write files so that no reader ever sees a part of one, and a failure changes nothing.

    Every file is first written in full to a temporary file beside it (``mkstemp``, flushed
    and ``fsync``-ed, mode ``mode``); only when all are written are they renamed over their
    targets, each rename atomic. Text is written as UTF-8 with its line endings as given.
    """
    staged: dict[Path, Path] = {}
    try:
        for path, data in contents.items():
            raw = data.encode("utf-8") if isinstance(data, str) else data
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged[path] = Path(name)
            with os.fdopen(handle, "wb") as file:
                file.write(raw)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(name, mode)
        for path, temporary in staged.items():
            os.replace(temporary, path)
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)


def atomic_write_changed(contents: Mapping[Path, str | bytes], mode: int = FILE_MODE) -> list[Path]:
    """:func:`atomic_write_files` for the files whose bytes differ from ``contents`` (or that
    do not exist yet); return them. A file already up to date is not touched."""
    changed = {}
    for path, data in contents.items():
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if not path.is_file() or path.read_bytes() != raw:
            changed[path] = raw
    atomic_write_files(changed, mode)
    return list(changed)


def atomic_write_bytes(path: Path, data: bytes, mode: int = FILE_MODE) -> Path:
    """Write one file atomically (see :func:`atomic_write_files`); return its path."""
    atomic_write_files({Path(path): data}, mode)
    return Path(path)


def atomic_write_text(path: Path, text: str, mode: int = FILE_MODE) -> Path:
    """:func:`atomic_write_bytes` for UTF-8 text (line endings kept as given)."""
    return atomic_write_bytes(path, text.encode("utf-8"), mode)


def write_new_files(
    contents: Mapping[Path, str | bytes],
    folder: Path,
    *,
    force: bool,
    what: str,
    folders: Iterable[Path] = (),
) -> None:
    """Write the files a command makes for its user into ``folder`` (``out=`` / ``--out``).

    ``folder``, the folders the files are in and any other ``folders`` are created; an existing file is replaced only
    with ``force``; the files are written with :func:`atomic_write_files`. On any error nothing
    is written.

    Raises:
        OutputExistsError: A file exists and ``force`` is false (the message names the files,
            with the Python and the command-line way to choose another folder or force).
        ArgumentError: The folder cannot be made or written to (argument ``out``), e.g. its
            parent is a file.
    """
    try:
        for parent in sorted({folder, *folders, *(path.parent for path in contents)}):
            parent.mkdir(parents=True, exist_ok=True)
        existing = [str(path) for path in contents if path.exists()]
        if existing and not force:
            shown = ", ".join(existing[:3]) + (
                f" and {len(existing) - 3} more" if len(existing) > 3 else ""
            )
            raise OutputExistsError(
                f"Refusing to overwrite {shown}. Choose another folder (out=…), or pass "
                "force=True to replace the files.",
                cli=f"Refusing to overwrite {shown}. Choose another folder with --out, or pass "
                "--force to replace the files.",
                paths=existing,
            )
        atomic_write_files(contents)
    except OSError as error:
        if isinstance(error, OutputExistsError):
            raise
        reason = error.strerror.lower() if error.strerror else type(error).__name__
        raise ArgumentError(
            f"Cannot write {what} to {folder}: {reason}. Give --out a folder you can write to "
            "(its parent must be a folder, not a file); nothing was written.",
            argument="out",
            value=str(folder),
        ) from None
