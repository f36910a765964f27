"""The formats of a release's data files, and the list of those files a descriptor gives."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._io import file_facts

# Format facts per file format: EU file-type code and IANA media type. The EU vocabulary has
# no SQLite entry; BIN ("binary data") is the honest generic one, the media type is exact.
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("CSV", "text/csv"),
    "parquet": ("PARQUET", "application/vnd.apache.parquet"),
    "sqlite": ("BIN", "application/vnd.sqlite3"),
    "json": ("JSON", "application/json"),
    "jsonld": ("JSON_LD", "application/ld+json"),
    "ttl": ("RDF_TURTLE", "text/turtle"),
    "rdf": ("RDF_XML", "application/rdf+xml"),
    "cff": ("YAML", "application/yaml"),
    "zip": ("ZIP", "application/zip"),
    "txt": ("TXT", "text/plain"),
}


def release_files(descriptor: Mapping[str, Any], base: Path | None = None) -> list[dict[str, Any]]:
    """Every data file a descriptor lists: main CSV resources, ``x-formats``, ``x-database``.

    Each entry has ``path``, ``format``, ``mediatype``, ``title`` (per language), ``description``
    (per language), ``bytes`` and ``hash``. Where the descriptor has no ``bytes``/``hash`` (the
    repository's descriptor) and ``base`` holds the file, they are computed from it.

    Args:
        descriptor: A data package descriptor (a release's or the repository's).
        base: Folder the paths are relative to.

    Returns:
        The files, in descriptor order.
    """
    files: list[dict[str, Any]] = []

    def add(entry: Mapping[str, Any], title: dict[str, str], description: dict[str, str]) -> None:
        item = {
            "path": entry["path"],
            "format": entry.get("format", Path(entry["path"]).suffix.lstrip(".")),
            "mediatype": entry.get("mediatype"),
            "title": title,
            "description": description,
            "bytes": entry.get("bytes"),
            "hash": entry.get("hash"),
        }
        if item["mediatype"] is None:
            item["mediatype"] = FORMATS.get(item["format"], (None, None))[1]
        missing_facts = item["bytes"] is None or item["hash"] is None
        if missing_facts and base is not None and (base / entry["path"]).is_file():
            item.update(file_facts(base / entry["path"]))
        files.append(item)

    for resource in descriptor.get("resources") or []:
        name = resource["name"]
        title = resource.get("title") or name
        about = resource.get("description") or (resource.get("schema") or {}).get("description")
        add(
            resource,
            {"en": f"{title} ({name}), CSV", "sv": f"Tabellen {name}, CSV"},
            {
                "en": f"{about} CSV (UTF-8, comma-separated).".strip(),
                "sv": f"Tabellen {name} som CSV (UTF-8, kommaseparerad). Kolumnerna beskrivs "
                "i datapackage.json.",
            },
        )
        for extra in resource.get("x-formats") or []:
            label = extra.get("x-label", extra["format"])
            if extra["format"] == "parquet":
                sv = f"Tabellen {name} som Parquet (kolumnformat med typer)"
            else:
                sv = f"Tabellen {name} som CSV för kalkylprogram (UTF-8 med BOM, semikolon)"
            add(
                extra,
                {"en": f"{title} ({name}), {label}", "sv": f"Tabellen {name}, {label}"},
                {"en": f"{about} {label}.".strip(), "sv": sv + "."},
            )
    database = descriptor.get("x-database")
    if database:
        add(
            database,
            {"en": "All tables in one SQLite database", "sv": "Alla tabeller i en SQLite-databas"},
            {
                "en": "Every table of the package in one SQLite file, with keys, constraints, "
                "indexes on foreign keys and column descriptions.",
                "sv": "Alla tabeller i en SQLite-fil, med nycklar, villkor, index på "
                "främmande nycklar och kolumnbeskrivningar.",
            },
        )
    return files
