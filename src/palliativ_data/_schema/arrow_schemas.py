"""Arrow schemas derived from ``schema/``: the Arrow type of each Table Schema field.

The Table Schemas in ``schema/`` are the single source of truth; this module turns one into a
:class:`pyarrow.Schema`:

========================  =====================================================
Table Schema              Arrow
========================  =====================================================
``string``                ``string``; with ``constraints.enum``:
                          ``dictionary(int32, string)`` whose dictionary is the
                          enum, in schema order
``integer`` / ``year``    ``int64``
``number``                ``float64``
``boolean``               ``bool``
``date``                  ``date32``
``datetime``              ``timestamp("s")`` (``timestamp("s", "UTC")`` if the
                          value ends in ``Z``, see :func:`arrow_type`)
``time``                  ``time32("s")``
``yearmonth``, ``any``    ``string``
========================  =====================================================

``constraints.required`` makes a field non-nullable; each field carries its description in
its metadata (``b"description"``), and the schema carries the table description, the resource
name, the primary key (JSON) and the data version (``schema/package.json`` ``version``).

The readers (``csv_reader``, ``parquet_reader``) type what they read with these schemas.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from .._errors import PalliativDataError, UnknownNameError
from .._io import read_json
from .._paths import schema_dir
from .tableschema import PACKAGE_FILE, load_table_schema, resource_names
from .types import TYPES

DESCRIPTION_KEY = b"description"
"""Metadata key of a field's description (field metadata) and the table's (schema metadata)."""
DATA_VERSION_KEY = b"data_version"
"""Schema metadata key of the data package version."""
RESOURCE_KEY = b"resource"
"""Schema metadata key of the resource name."""
PRIMARY_KEY_KEY = b"primary_key"
"""Schema metadata key of the primary key, a JSON list of field names."""

_SIMPLE_TYPES: dict[str, pa.DataType] = {
    name: getattr(pa, factory)(*args)
    for name, (factory, args) in ((n, t.arrow) for n, t in TYPES.items())
}
ENUM_TYPE = pa.dictionary(pa.int32(), pa.string())
"""Arrow type of a string field with ``constraints.enum``."""


def enum_values(field: Mapping[str, Any]) -> list[Any] | None:
    """The field's ``constraints.enum``, or None when it has none."""
    return (field.get("constraints") or {}).get("enum")


def _is_dictionary_field(field: Mapping[str, Any]) -> bool:
    return field.get("type", "string") == "string" and enum_values(field) is not None


def arrow_type(field: Mapping[str, Any]) -> pa.DataType:
    """The Arrow type of one Table Schema field.

    Args:
        field: A Table Schema field descriptor.

    Returns:
        The Arrow data type (see the module docstring for the mapping).

    Raises:
        PalliativDataError: The field's type has no Arrow mapping here.

    Examples:
        >>> arrow_type({"name": "n", "type": "integer"})
        DataType(int64)
        >>> arrow_type({"name": "k", "type": "string", "constraints": {"enum": ["a", "b"]}})
        DictionaryType(dictionary<values=string, indices=int32, ordered=0>)
    """
    kind = field.get("type", "string")
    if _is_dictionary_field(field):
        return ENUM_TYPE
    try:
        return _SIMPLE_TYPES[kind]
    except KeyError:
        allowed = ", ".join(sorted(_SIMPLE_TYPES))
        raise PalliativDataError(
            f"Field {field.get('name')!r} has Table Schema type {kind!r}, which has no Arrow "
            f"mapping in palliativ-data. Allowed types: {allowed}. Change the field's type in "
            "schema/ or extend TYPES in palliativ_data/_schema/types.py."
        ) from None


def arrow_field(field: Mapping[str, Any]) -> pa.Field:
    """The Arrow field of one Table Schema field: type, nullability, description metadata.

    Examples:
        >>> f = arrow_field({"name": "code", "type": "string", "description": "A code.",
        ...                  "constraints": {"required": True}})
        >>> f.nullable, f.metadata[b"description"]
        (False, b'A code.')
    """
    required = bool((field.get("constraints") or {}).get("required", False))
    metadata = {}
    if field.get("description"):
        metadata[DESCRIPTION_KEY] = field["description"].encode("utf-8")
    return pa.field(field["name"], arrow_type(field), nullable=not required, metadata=metadata)


def schema_from_table_schema(
    table_schema: Mapping[str, Any],
    *,
    resource: str | None = None,
    version: str | None = None,
) -> pa.Schema:
    """Build the Arrow schema of a Table Schema given as a mapping.

    Use this for a Table Schema that is not in ``schema/`` (e.g. inlined in the descriptor of
    another copy of the package); :func:`arrow_schema` is the usual entry point.

    Args:
        table_schema: The Table Schema (``fields``, optional ``description``, ``primaryKey``).
        resource: The resource name, stored in the schema metadata.
        version: The data package version, stored in the schema metadata.

    Returns:
        The Arrow schema.
    """
    metadata: dict[bytes, bytes] = {}
    if table_schema.get("description"):
        metadata[DESCRIPTION_KEY] = table_schema["description"].encode("utf-8")
    if resource is not None:
        metadata[RESOURCE_KEY] = resource.encode("utf-8")
    if version is not None:
        metadata[DATA_VERSION_KEY] = str(version).encode("utf-8")
    primary_key = table_schema.get("primaryKey")
    if primary_key:
        keys = [primary_key] if isinstance(primary_key, str) else list(primary_key)
        metadata[PRIMARY_KEY_KEY] = json.dumps(keys).encode("utf-8")
    fields = [arrow_field(field) for field in table_schema["fields"]]
    return pa.schema(fields, metadata=metadata)


def _schema_version(directory: Path) -> str | None:
    package = directory / PACKAGE_FILE
    if not package.exists():
        return None
    version = read_json(package).get("version")
    return None if version is None else str(version)


def arrow_schema(name: str, directory: Path | None = None) -> pa.Schema:
    """The Arrow schema of resource ``name``, derived from ``schema/<name>.json``.

    Args:
        name: Resource name, e.g. ``"gaps"``.
        directory: Folder of the Table Schemas; default: the project's ``schema/``.

    Returns:
        The Arrow schema, with descriptions and the data version in its metadata.

    Raises:
        UnknownNameError: There is no ``schema/<name>.json``.

    Examples:
        >>> schema = arrow_schema("regions")
        >>> schema.field("region_code").type, schema.field("region_code").nullable
        (DataType(string), False)
        >>> schema.metadata[b"resource"]
        b'regions'
    """
    directory = directory or schema_dir()
    path = directory / f"{name}.json"
    if not path.exists() or name == PACKAGE_FILE.removesuffix(".json"):
        names = resource_names(directory)
        raise UnknownNameError(
            f"No Table Schema for resource {name!r} in {directory}. Resources: {', '.join(names)}.",
            kind="resource",
            query=name,
            candidates=names,
        )
    return schema_from_table_schema(
        load_table_schema(name, directory), resource=name, version=_schema_version(directory)
    )
