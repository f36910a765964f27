"""Reading ``schema/``: the package metadata and each resource's Table Schema.

``schema/package.json`` holds the package-level metadata and lists the resources in order; each
resource's Table Schema lives in ``schema/<resource>.json`` (generated from ``schema/src/`` by
:mod:`.fields`). Everything else in the library (models, descriptor, Arrow schemas, SQLite
tables, validation) is derived from these files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._io import read_json
from .._paths import schema_dir

PACKAGE_FILE = "package.json"
"""The package-level metadata in ``schema/`` (not the published descriptor)."""


def key_fields(value: Any) -> list[str]:
    """The field names of a key (``primaryKey``, ``foreignKeys[].fields``): one name or a list.

    Anything else (a hostile or broken descriptor) gives no names.

    Examples:
        >>> key_fields("gap_key"), key_fields(["edition", "gap_key"]), key_fields(None)
        (['gap_key'], ['edition', 'gap_key'], [])
    """
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value]
    return []


def load_table_schema(name: str, directory: Path | None = None) -> dict[str, Any]:
    """Return the Table Schema of resource ``name`` from ``schema/``."""
    schema: dict[str, Any] = read_json((directory or schema_dir()) / f"{name}.json")
    return schema


def package_metadata(directory: Path | None = None) -> dict[str, Any]:
    """``schema/package.json``: the package-level metadata and the list of resources."""
    meta: dict[str, Any] = read_json((directory or schema_dir()) / PACKAGE_FILE)
    return meta


def resource_names(directory: Path | None = None) -> list[str]:
    """Names of the package's resources, in the order ``schema/package.json`` lists them."""
    return [resource["name"] for resource in package_metadata(directory)["resources"]]
