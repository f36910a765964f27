"""Vocabulary the code needs by name, taken from the generated models (that is, from ``schema/``).

The code compares values with a few codes by name (an edition is a follow-up, …). The codes
are typed with the generated ``Literal`` types, so a schema change that drops one makes mypy
fail here, and a test checks that these cover the schema's vocabularies.
"""

from __future__ import annotations

import re
from typing import Any, get_args

from . import _models as m

EDITION_KINDS: tuple[m.EditionKind, ...] = get_args(m.EditionKind)
"""The kinds of edition (``kind`` of ``schema/editions.json``)."""
INVENTORY: m.EditionKind = "inventory"
"""An edition that lists the gaps."""
FOLLOW_UP: m.EditionKind = "follow_up"
"""An edition that follows an inventory up and classifies the regions."""


def field_pattern(model: type[m.Record], field: str) -> str:
    """The ``pattern`` constraint of a field, as the generated model carries it."""
    metadata: list[Any] = model.model_fields[field].metadata
    for item in metadata:
        pattern = getattr(item, "pattern", None)
        if isinstance(pattern, str):
            return pattern
    raise LookupError(f"{model.__name__}.{field} has no pattern")


EDITION_PATTERN = re.compile(field_pattern(m.Edition, "edition"))
"""What an edition id looks like (``edition`` of ``schema/editions.json``): ``YYYY-MM``."""
