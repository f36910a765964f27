"""Assemble ``datapackage/datapackage.json`` from ``schema/``.

``schema/package.json`` holds the package-level metadata and lists the resources; each
resource's Table Schema lives in its own ``schema/<resource>.json``. The published descriptor
inlines those schemas (the Data Package profile forbids ``../`` paths), so it is a generated
file: ``palliativ-data generate`` writes it and a test regenerates and compares it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ._paths import bundled_package_dir, schema_dir

PACKAGE_FILE = "package.json"
_NOT_PUBLISHED = ("resources", "x-descriptor-rules")  # rules that validate checks descriptors by
CSV_DIALECT = {"delimiter": ",", "header": True, "lineTerminator": "\n", "quoteChar": '"'}


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def dump_json(data: Any) -> str:
    """Serialise JSON the one way every generated file in this project uses."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def sha256_digest(data: bytes) -> str:
    """The ``hash`` property of a descriptor for ``data``: ``sha256:<hex>``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def file_facts(path: Path) -> dict[str, Any]:
    """The ``bytes`` and ``hash`` (``sha256:<hex>``) of a file, read in blocks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return {"bytes": size, "hash": "sha256:" + digest.hexdigest()}


def load_table_schema(name: str, directory: Path | None = None) -> dict[str, Any]:
    """Return the Table Schema of resource ``name`` from ``schema/``."""
    return read_json((directory or schema_dir()) / f"{name}.json")


def resource_names(directory: Path | None = None) -> list[str]:
    """Names of the package's resources, in the order ``schema/package.json`` lists them."""
    meta = read_json((directory or schema_dir()) / PACKAGE_FILE)
    return [resource["name"] for resource in meta["resources"]]


def build_descriptor(directory: Path | None = None) -> dict[str, Any]:
    """Build the full ``datapackage.json`` descriptor from the files in ``schema/``."""
    directory = directory or schema_dir()
    meta = read_json(directory / PACKAGE_FILE)
    resources = []
    for entry in meta["resources"]:
        schema = load_table_schema(entry["name"], directory)
        resource = {
            "name": entry["name"],
            "type": "table",
            "path": f"data/{entry['name']}.csv",
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": entry["title"],
            "description": schema["description"],
            "dialect": dict(CSV_DIALECT),
            "schema": schema,
        }
        resources.append(resource)
    descriptor = {key: value for key, value in meta.items() if key not in _NOT_PUBLISHED}
    descriptor["resources"] = resources
    return descriptor


def render_descriptor(directory: Path | None = None) -> str:
    """The text of ``datapackage.json`` as ``generate`` writes it."""
    return dump_json(build_descriptor(directory))


def write_descriptor(target: Path | None = None) -> Path:
    """Write the generated descriptor (default: the bundled package) and return its path."""
    target = target or bundled_package_dir() / "datapackage.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(render_descriptor(), encoding="utf-8")
    tmp.replace(target)
    return target
