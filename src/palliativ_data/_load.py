"""The entry points that take paths: :func:`load` a data package, :func:`compare` two editions.

Loading reads only ``datapackage.json``; each CSV is read when first used. Nothing here needs
frictionless (validation does; loading does not).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from ._errors import PackageNotFoundError
from ._io import DESCRIPTOR_FILE as DESCRIPTOR
from ._io import read_json
from ._offline import offline
from ._package import Package
from ._paths import bundled_package_dir
from ._source import open_package

if TYPE_CHECKING:  # pragma: no cover
    from ._comparison.result import Comparison
    from ._package import Query  # (a type alias over the models, which load lazily)


@offline("load")
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
        IntegrityError: (when a table is read) a file differs from its declared bytes/hash.

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

    It is also the Python package's version, ``palliativ_data.__version__`` (one number names
    a release; see docs/en/release.md).

    Examples:
        >>> import palliativ_data as pdata
        >>> pdata.data_version() == pdata.load().version
        True
    """
    return str(read_json(bundled_package_dir() / DESCRIPTOR)["version"])


def as_package(pkg: Package | str | os.PathLike[str]) -> Package:
    """``pkg`` itself when it is a :class:`Package`, else the package loaded from that path."""
    return pkg if isinstance(pkg, Package) else load(pkg)


@offline("compare")
def compare(
    old_pkg: Package | str | os.PathLike[str],
    new_pkg: Package | str | os.PathLike[str],
    old_edition: str,
    new_edition: str,
    *,
    region: Query | Iterable[Query] | None = None,
    function: str | Iterable[str] | None = None,
) -> Comparison:
    """Compare edition ``old_edition`` of ``old_pkg`` with ``new_edition`` of ``new_pkg``.

    Args:
        old_pkg: The package holding the old edition: a :class:`Package` or a path to load.
        new_pkg: The package holding the new edition (may be the same package).
        old_edition: The old edition id, e.g. ``"2026-02"``.
        new_edition: The new edition id, e.g. ``"2026-06"``.
        region: Limit to one or more regions (anything ``Package.region`` accepts, looked up
            in the new package, then the old one).
        function: Limit to one or more function codes.

    Returns:
        The :class:`Comparison`.

    Raises:
        UnknownNameError: An edition, region or function that does not exist; the message
            lists those that do.
        DataError: An edition lists a gap_key twice, or a table does not fit its schema.

    Examples:
        >>> import palliativ_data as pdata
        >>> pkg = pdata.load()
        >>> result = pdata.compare(pkg, pkg, "2026-02", "2026-06", region="Jämtland")
        >>> [region.region_code for region in result.regions]
        ['23']
        >>> pdata.compare(pkg, pkg, "2025-02", "2026-06")
        Traceback (most recent call last):
        ...
        palliativ_data.UnknownNameError: No edition '2025-02' in this package. ...
    """
    return as_package(new_pkg).compare(
        old_edition, new_edition, region=region, function=function, old_package=as_package(old_pkg)
    )
