"""Loading a data package: the bundled one, or another copy on disk.

Loading reads only ``datapackage.json``; each CSV is read when first used. Nothing here needs
frictionless (validation does; loading does not).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from ._errors import DataError, PackageNotFoundError
from ._package import Package
from ._paths import bundled_package_dir

DESCRIPTOR = "datapackage.json"


def _descriptor_path(path: str | os.PathLike[str]) -> Path:
    candidate = Path(path).expanduser()
    if candidate.is_dir():
        descriptor = candidate / DESCRIPTOR
        if descriptor.is_file():
            return descriptor
        raise PackageNotFoundError(
            f"{candidate} holds no {DESCRIPTOR}. Give the folder of a data package (the one "
            f"with {DESCRIPTOR} and data/) or the path of its {DESCRIPTOR}.",
            path=str(candidate),
        )
    if candidate.is_file():
        return candidate
    raise PackageNotFoundError(
        f"Nothing at {candidate}. Give the folder of a data package or the path of its "
        f"{DESCRIPTOR}; load() without an argument loads the bundled package.",
        path=str(candidate),
    )


def load(path: str | os.PathLike[str] | None = None) -> Package:
    """Load a palliativ-data package.

    Args:
        path: A folder holding ``datapackage.json``, or the path of a ``datapackage.json``
            (e.g. last year's release, or a candidate edition). Default: the package bundled
            with this library.

    Returns:
        The :class:`Package`; its tables are read lazily.

    Raises:
        PackageNotFoundError: There is no data package at ``path``.
        DataError: The descriptor is not valid JSON or not a data package descriptor.

    Examples:
        >>> import palliativ_data as pdata
        >>> pkg = pdata.load()
        >>> len(pkg.regions)
        21
        >>> pdata.load(pkg.path).version == pkg.version
        True
    """
    descriptor_path = (bundled_package_dir() / DESCRIPTOR) if path is None else _descriptor_path(path)
    if path is None and not descriptor_path.is_file():
        raise PackageNotFoundError(
            f"The bundled data package is missing ({descriptor_path}). Reinstall palliativ-data, "
            "or in a source checkout run `palliativ-data generate`.",
            path=str(descriptor_path),
        )
    try:
        with descriptor_path.open(encoding="utf-8") as handle:
            descriptor = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DataError(
            f"{descriptor_path} is not valid UTF-8 JSON ({error}). A data package descriptor is a "
            "JSON object with a 'resources' list.",
            path=str(descriptor_path),
        ) from error
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DataError(
            f"{descriptor_path} is not a data package descriptor: it needs a JSON object with a "
            "'resources' list.",
            path=str(descriptor_path),
        )
    return Package(descriptor, descriptor_path.parent.resolve(), descriptor_path.resolve())


@lru_cache(maxsize=1)
def _bundled() -> Package:
    return load()


def list_editions() -> tuple[str, ...]:
    """The ids of the editions in the bundled package, oldest first.

    Examples:
        >>> import palliativ_data as pdata
        >>> "2026-02" in pdata.list_editions()
        True
    """
    return tuple(sorted(edition.edition for edition in _bundled().editions))


def data_version() -> str:
    """The version of the bundled data (``version`` in its ``datapackage.json``).

    The Python package has its own version, ``palliativ_data.__version__``.

    Examples:
        >>> import palliativ_data as pdata
        >>> pdata.data_version() == pdata.load().version
        True
    """
    with (bundled_package_dir() / DESCRIPTOR).open(encoding="utf-8") as handle:
        return str(json.load(handle)["version"])
