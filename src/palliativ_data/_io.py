"""One helper each for the file chores: JSON, hashing, atomic writes, the descriptor's name.

Every module that reads or writes a file uses these, so that a generated file is always
serialised the same way and a write never leaves a half-written file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DESCRIPTOR_FILE = "datapackage.json"
"""The file name of a data package descriptor (Data Package v2)."""

_FILE_MODE = 0o644


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


def file_facts(path: Path) -> dict[str, Any]:
    """The ``bytes`` and ``hash`` (``sha256:<hex>``) of a file."""
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    return {"bytes": path.stat().st_size, "hash": "sha256:" + digest.hexdigest()}


def atomic_write_bytes(path: Path, data: bytes, mode: int = _FILE_MODE) -> Path:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, flushed to
    disk, then renamed over ``path``. Readers see the old file or the new one, never a part.
    """
    path = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(name, mode)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str, mode: int = _FILE_MODE) -> Path:
    """:func:`atomic_write_bytes` for UTF-8 text (``\\n`` line endings kept as given)."""
    return atomic_write_bytes(path, text.encode("utf-8"), mode)


def atomic_write_files(contents: Mapping[Path, str | bytes], mode: int = _FILE_MODE) -> None:
    """Write several files, each atomically; on failure, remove what this call already wrote."""
    written: list[Path] = []
    try:
        for path, data in contents.items():
            existed = path.exists()
            raw = data.encode("utf-8") if isinstance(data, str) else data
            atomic_write_bytes(path, raw, mode)
            if not existed:
                written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
