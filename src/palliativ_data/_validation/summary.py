"""The summary of a validation report, computed the same way by both paths."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any


def summarise(
    descriptor: Mapping[str, Any],
    *,
    counts: Mapping[str, int],
    rows: Callable[[str], list[dict[str, str | None]]],
    distinct: Callable[[str, str], int],
    gaps_by_edition: Callable[[], dict[str | None, tuple[int, int]]] | None,
) -> dict[str, Any]:
    """The report's summary, from the tables that could be read (both paths use it).

    Args:
        descriptor: The package descriptor (``name``, ``version``).
        counts: Rows of each readable table (a table not in it counts as ``None``).
        rows: The rows of a small readable table (editions, categories, classifications) as
            dicts, an empty cell as ``None``.
        distinct: How many distinct non-empty values a field of a readable table has.
        gaps_by_edition: ``{edition: (gaps, distinct region codes)}`` of the gaps table, or
            ``None`` when it could not be read.
    """

    def count(name: str) -> int | None:
        return counts.get(name)

    editions = []
    if "editions" in counts:
        by_edition = gaps_by_edition() if gaps_by_edition is not None else None
        for row in rows("editions"):
            edition = row.get("edition")
            found = by_edition.get(edition, (0, 0)) if by_edition is not None else None
            editions.append(
                {
                    "edition": edition,
                    "kind": row.get("kind"),
                    "published": row.get("published"),
                    "gaps": found[0] if found is not None else None,
                    "regions_with_gaps": found[1] if found is not None else None,
                }
            )
    classifications: dict[str, dict[str, int]] = {}
    if "classifications" in counts:
        categories = [
            category
            for row in (rows("categories") if "categories" in counts else [])
            if (category := row.get("category"))
        ]
        for row in rows("classifications"):
            edition, category = row.get("edition"), row.get("category")
            if not edition or not category:
                continue
            per_edition = classifications.setdefault(edition, dict.fromkeys(categories, 0))
            per_edition[category] = per_edition.get(category, 0) + 1
    name = descriptor.get("name")
    version = descriptor.get("version")
    return {
        "name": name if isinstance(name, str) else None,
        "version": version if isinstance(version, str) else None,
        "regions": count("regions"),
        "editions": editions,
        "responses": count("responses"),
        "regions_with_responses": (
            distinct("responses", "region_code") if "responses" in counts else None
        ),
        "gap_answers": count("gap_answers"),
        "classifications": classifications,
    }


def gaps_by_edition_of_rows(
    rows: Iterable[Mapping[str, str | None]],
) -> dict[str | None, tuple[int, int]]:
    """``{edition: (gaps, distinct region codes)}`` of the gaps table's rows."""
    counts: dict[str | None, int] = {}
    regions: dict[str | None, set[str | None]] = {}
    for row in rows:
        edition = row.get("edition")
        counts[edition] = counts.get(edition, 0) + 1
        regions.setdefault(edition, set()).add(row.get("region_code"))
    return {edition: (counts[edition], len(regions[edition])) for edition in counts}
