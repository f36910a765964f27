"""The entry points that take paths: :func:`load` a data package, :func:`compare` two editions.

Loading reads only ``datapackage.json``; each CSV is read when first used. Nothing here needs
frictionless (validation does; loading does not).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import DataError, PackageNotFoundError
from ._io import DESCRIPTOR_FILE as DESCRIPTOR
from ._io import read_json
from ._package import Package
from ._paths import bundled_package_dir

if TYPE_CHECKING:  # pragma: no cover
    from .comparison import Comparison


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
    descriptor_path = (
        (bundled_package_dir() / DESCRIPTOR) if path is None else _descriptor_path(path)
    )
    if path is None and not descriptor_path.is_file():
        raise PackageNotFoundError(
            f"The bundled data package is missing ({descriptor_path}). Reinstall palliativ-data, "
            "or in a source checkout run `palliativ-data generate`.",
            path=str(descriptor_path),
        )
    try:
        descriptor = read_json(descriptor_path)
    except (ValueError, UnicodeDecodeError) as error:
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
    return str(read_json(bundled_package_dir() / DESCRIPTOR)["version"])


def as_package(pkg: Package | str | os.PathLike[str]) -> Package:
    """``pkg`` itself when it is a :class:`Package`, else the package loaded from that path."""
    return pkg if isinstance(pkg, Package) else load(pkg)


def compare(
    old_pkg: Package | str | os.PathLike[str],
    new_pkg: Package | str | os.PathLike[str],
    old_edition: str,
    new_edition: str,
    *,
    region: str | Iterable[str] | None = None,
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
        palliativ_data._errors.UnknownNameError: No edition '2025-02' in this package. ...
    """
    # deferred: the comparison engine imports pyarrow, which `import palliativ_data` must not
    from .comparison.match import compare_packages

    return compare_packages(
        as_package(old_pkg),
        as_package(new_pkg),
        old_edition,
        new_edition,
        region=region,
        function=function,
    )
