"""Loading a data package: the bundled one, or another copy on disk.

Loading reads only ``datapackage.json``; each CSV is read when first used. Nothing here needs
frictionless (validation does; loading does not).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from ._errors import PackageNotFoundError
from ._package import Package
from ._paths import bundled_package_dir
from ._source import DESCRIPTOR, open_package


def load(path: str | os.PathLike[str] | None = None, *, verify: bool = True) -> Package:
    """Load a palliativ-data package.

    Args:
        path: A folder holding ``datapackage.json``, or the path of a ``datapackage.json``
            (e.g. last year's release, or a candidate edition). Default: the package bundled
            with this library.
        verify: Check every file read against the ``bytes`` and ``hash`` its descriptor
            declares (a release declares them) and refuse one that differs with
            :class:`IntegrityError`. Turn off only while editing a package's data on purpose.

    Returns:
        The :class:`Package`; its tables are read lazily.

    Raises:
        PackageNotFoundError: There is no data package at ``path``, or it cannot be read
            (the CLI exits 2).
        DataError: The descriptor is not valid JSON, exceeds the limits of a descriptor
            (size, nesting, number length) or is not a data package descriptor.

    Examples:
        >>> import palliativ_data as pdata
        >>> pkg = pdata.load()
        >>> len(pkg.regions)
        21
        >>> pdata.load(pkg.path).version == pkg.version
        True
    """
    if path is None:
        bundled = bundled_package_dir() / DESCRIPTOR
        if not bundled.is_file():
            raise PackageNotFoundError(
                f"The bundled data package is missing ({bundled}). Reinstall palliativ-data, "
                "or in a source checkout run `palliativ-data generate`.",
                path=str(bundled),
            )
        path = bundled
    source, descriptor = open_package(path)
    return Package(descriptor, source.folder, source.descriptor_path, verify=verify)


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
