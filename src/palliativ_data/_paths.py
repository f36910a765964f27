"""Where the bundled data package and schemas live.

In a wheel, ``datapackage/`` and ``schema/`` are copied into ``palliativ_data/_data/`` at build
time (see ``pyproject.toml``). In a source checkout (editable install, tests) they are read from
the repository root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[-1]


def bundled_package_dir() -> Path:
    """Folder holding the bundled ``datapackage.json`` and its ``data/`` CSV files."""
    return _first_existing(_PACKAGE_DIR / "_data" / "datapackage", _REPO_ROOT / "datapackage")


def schema_dir() -> Path:
    """Folder holding the Table Schemas (``schema/*.json``), the single source of truth."""
    return _first_existing(_PACKAGE_DIR / "_data" / "schema", _REPO_ROOT / "schema")


def repo_root() -> Path | None:
    """The source checkout this module runs from, or ``None`` when installed from a wheel."""
    return _REPO_ROOT if (_REPO_ROOT / "pyproject.toml").exists() else None
