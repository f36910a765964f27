"""Datasette's metadata: ``datasette <name>.sqlite -m datasette-metadata.json``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .facts import PublicationFacts, licence

DATASETTE_FILE = "datasette-metadata.json"

# Columns Datasette shows instead of a code where another table points to a row, by preference.
LABEL_COLUMNS = (
    "name_sv",
    "name_official_sv",
    "label_sv",
    "heading_sv",
    "title_sv",
    "organisation",
)


def label_column(table_schema: Mapping[str, Any]) -> str | None:
    """The column Datasette shows for a row another table points to (see :data:`LABEL_COLUMNS`).

    Examples:
        >>> label_column({"fields": [{"name": "code"}, {"name": "label_sv"}]})
        'label_sv'
    """
    names = [field["name"] for field in table_schema.get("fields") or []]
    return next((column for column in LABEL_COLUMNS if column in names), None)


def datasette_metadata(descriptor: Mapping[str, Any], database: str) -> dict[str, Any]:
    """Datasette's metadata (``datasette FILE.sqlite -m datasette-metadata.json``).

    Title, description, licence and source for the instance; per table its description, its
    columns' descriptions (from ``schema/``) and a label column.

    Args:
        descriptor: The (release) descriptor.
        database: The database name Datasette uses: the SQLite file name without ``.sqlite``.
    """
    facts = PublicationFacts.from_descriptor(descriptor)
    sources = "; ".join(
        source["title"] for source in descriptor.get("sources") or [] if source.get("title")
    )
    tables: dict[str, Any] = {}
    for resource in descriptor.get("resources") or []:
        table_schema = resource.get("schema") or {}
        table: dict[str, Any] = {
            "title": resource.get("title") or resource["name"],
            "description": table_schema.get("description") or resource.get("description", ""),
            "columns": {
                field["name"]: field.get("description", "")
                for field in table_schema.get("fields") or []
            },
        }
        label = label_column(table_schema)
        if label:
            table["label_column"] = label
        tables[resource["name"]] = table
    metadata: dict[str, Any] = {
        "title": descriptor.get("title"),
        "description": descriptor.get("description"),
        "license": licence(descriptor).get("name"),
        "license_url": licence(descriptor).get("path"),
        "source": sources,
        "source_url": facts.homepage or facts.repository,
        "databases": {database: {"tables": tables}},
    }
    return {key: value for key, value in metadata.items() if value not in (None, "")}
