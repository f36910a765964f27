"""Assemble ``datapackage/datapackage.json`` from ``schema/``.

``schema/package.json`` holds the package-level metadata and lists the resources; each
resource's Table Schema lives in its own ``schema/<resource>.json``. The published descriptor
inlines those schemas (the Data Package profile forbids ``../`` paths), so it is a generated
file: ``palliativ-data generate`` writes it and a test regenerates and compares it. The Table
Schemas are generated themselves (from ``schema/src/``, see :mod:`.fields`): writing the
descriptor writes them first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._io import DESCRIPTOR_FILE, atomic_write_changed, dump_json, read_json
from .._paths import bundled_package_dir, schema_dir
from .._schema.tableschema import PACKAGE_FILE, load_table_schema
from .fields import TRANSLATIONS, write_table_schemas

_NOT_PUBLISHED = ("resources", "x-descriptor-rules")  # rules that validate checks descriptors by
CSV_DIALECT = {"delimiter": ",", "header": True, "lineTerminator": "\n", "quoteChar": '"'}


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
        translations = _table_translations(entry, schema)
        if translations:
            resource["x-translations"] = translations
        resources.append(resource)
    descriptor = {key: value for key, value in meta.items() if key not in _NOT_PUBLISHED}
    descriptor["resources"] = resources
    return descriptor


def _table_translations(entry: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A resource's title (from ``package.json``) and description (from its Table Schema) in
    other languages, as ``x-translations`` beside the English ``title`` and ``description``."""
    translations: dict[str, dict[str, Any]] = {}
    for key, item in (("title", entry), ("description", schema)):
        for language, texts in (item.get(TRANSLATIONS) or {}).items():
            if texts.get(key):
                translations.setdefault(language, {})[key] = texts[key]
    return translations


def render_descriptor(directory: Path | None = None) -> str:
    """The text of ``datapackage.json`` as ``generate`` writes it."""
    return dump_json(build_descriptor(directory))


def write_descriptor(target: Path | None = None) -> list[Path]:
    """Write the generated descriptor (default: the bundled package); return what changed.

    The Table Schemas it inlines are regenerated from ``schema/src/`` first
    (:func:`.fields.write_table_schemas`), so the descriptor, and the models ``generate``
    writes next, follow the shared field definitions. A file already up to date is not
    touched; the list holds the schema files and the descriptor that were written.
    """
    schemas = write_table_schemas()
    target = target or bundled_package_dir() / DESCRIPTOR_FILE
    return [*schemas, *atomic_write_changed({target: render_descriptor()})]
