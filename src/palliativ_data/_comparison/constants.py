"""The vocabulary of a comparison: statuses and their wording, the JSON format, the table columns."""

from __future__ import annotations

from typing import Literal, get_args

FORMAT = "palliativ-data-comparison"
FORMAT_VERSION = 1

GapStatus = Literal["persisting", "dropped", "added"]
"""Status of a gap between two editions (see the module docstring)."""
STATUSES: tuple[GapStatus, ...] = get_args(GapStatus)
"""The statuses, in report order."""
STATUS_LABELS: dict[GapStatus, str] = {
    "persisting": "still listed",
    "dropped": "no longer listed",
    "added": "newly listed",
}
"""How reports word each status. A dropped gap is "no longer listed", never "resolved"."""

TABLE_FIELDS: dict[str, str] = {
    "old_edition": "The old edition (YYYY-MM).",
    "new_edition": "The new edition (YYYY-MM).",
    "region_code": "SCB county code of the region (matched across packages by this code).",
    "region_name": "The region's name_source in the new package.",
    "gap_key": "The gap's key, the same in every edition in which the gap appears.",
    "function": "The function of specialised palliative care the gap is about.",
    "status": ", ".join(f"{status} ({label})" for status, label in STATUS_LABELS.items())
    + "; a dropped gap is not 'resolved'.",
    "old_label_en": "The gap's English label in the old edition; null when not listed there.",
    "old_label_sv": "The gap's Swedish label in the old edition; null when not listed there.",
    "new_label_en": "The gap's English label in the new edition; null when not listed there.",
    "new_label_sv": "The gap's Swedish label in the new edition; null when not listed there.",
    "old_category": "The region's category in the old side's classification edition, if any.",
    "new_category": "The region's category in the new side's classification edition, if any.",
    "answer_stances": (
        "Stances of the answers about the gap (gap_answers of answers_edition), in response "
        "order; empty when none."
    ),
}
"""Columns of :meth:`Comparison.to_table`, with their descriptions (also in the field metadata)."""
