"""Vocabulary the code needs by name, read from ``schema/`` and typed by the generated models.

The code compares values with a few codes by name (an edition is a follow-up, …). The codes
are typed with the generated ``Literal`` types, so a schema change that drops one makes mypy
fail here, and a test checks that these cover the schema's vocabularies. The lists are read
from ``schema/`` itself, not from the models: importing them imports pydantic, which
``validate`` and ``--help`` do not need.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from ._schema.tableschema import load_table_schema

if TYPE_CHECKING:  # the Literal types only: importing the models imports pydantic (~0.06 s)
    from . import _models as m


def _edition_field(name: str) -> dict[str, Any]:
    """A field of ``schema/editions.json`` (the generated models are made from it)."""
    fields = load_table_schema("editions")["fields"]
    field: dict[str, Any] = next(f for f in fields if f["name"] == name)
    return field


EDITION_KINDS = cast(
    "tuple[m.EditionKind, ...]", tuple(_edition_field("kind")["constraints"]["enum"])
)
"""The kinds of edition (``kind`` of ``schema/editions.json``)."""
INVENTORY: m.EditionKind = "inventory"
"""An edition that lists the gaps."""
FOLLOW_UP: m.EditionKind = "follow_up"
"""An edition that follows an inventory up and classifies the regions."""

EDITION_PATTERN = re.compile(_edition_field("edition")["constraints"]["pattern"])
"""What an edition id looks like (``edition`` of ``schema/editions.json``): ``YYYY-MM``."""
