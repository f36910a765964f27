"""The resources of the package being validated, and their CSV files read as strings."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._schema.tableschema import key_fields


@dataclass
class Table:
    """A CSV read as strings, for the cross-table rules (empty cell -> None)."""

    name: str
    rows: list[tuple[int, dict[str, str | None]]]


@dataclass
class Resource:
    index: int
    name: str
    descriptor: dict[str, Any]
    schema: dict[str, Any] | None = None
    path: str | None = None
    file: Path | None = None
    checkable: bool = True  # false: not handed to frictionless, not read for the rules

    @property
    def fields(self) -> list[dict[str, Any]]:
        fields = (self.schema or {}).get("fields")
        return [f for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []

    def field(self, name: str) -> dict[str, Any]:
        for item in self.fields:
            if item.get("name") == name:
                return item
        return {}

    def primary_key(self) -> list[str]:
        """The schema's primary key fields ([] when none)."""
        return key_fields((self.schema or {}).get("primaryKey"))

    def foreign_keys(self) -> list[tuple[list[str], str, list[str]]]:
        result = []
        for fk in (self.schema or {}).get("foreignKeys") or []:
            if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
                continue
            ref = fk["reference"]
            target = ref.get("resource") or self.name  # v2: no resource = self-reference
            result.append(
                (key_fields(fk.get("fields")), str(target), key_fields(ref.get("fields")))
            )
        return result


def read_table(res: Resource) -> Table | None:
    """Read a CSV as strings, mapping cells to schema fields by position, as frictionless does."""
    assert res.file is not None
    try:
        text = res.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    names = [str(f.get("name")) for f in res.fields]
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict[str, str | None]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if number == 1 or not any(cell.strip() for cell in cells):
                continue  # header, or a blank row (frictionless reports it)
            values = {
                name: (cells[i] if i < len(cells) and cells[i] != "" else None)
                for i, name in enumerate(names)
            }
            rows.append((number, values))
    except csv.Error:  # the front door (dialect.py) lets no such file through; a backstop
        return None
    return Table(res.name, rows)


def column_values(res: Resource, name: str) -> list[str] | None:
    if res.file is None or res.schema is None:
        return None
    table = read_table(res)
    if table is None:
        return None
    return sorted({value for _, row in table.rows if (value := row.get(name))})
