"""The promises page: the gaps for which a region states an action or a target year, by
year, and (with three or more editions) the target years that have passed and what the latest
edition shows of those gaps. A row of ``_pages.PAGES`` names :func:`promises`."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ._common import ACTION_STANCES, Data, csv_text
from ._region_pages import list_order
from ._shown import Inputs, Shown

PROMISE_STANCES = ACTION_STANCES
"""Stances that state an action; a gap with one of these, or with a target year, is a promise."""


def promises(inputs: Inputs, lang: str) -> Shown:
    """The gaps an answer promises action on, by the year it names.

    One entry per gap, with every answer that promises something on it: a gap two answers speak
    of is listed once (under the earliest year either names), so the count in the text is the
    number of entries.
    """
    data = inputs.data
    responses = {r.response_id: r for r in data.pkg.responses()}
    entries: dict[str, tuple[Any, list[tuple[Any, Any]]]] = {}  # gap key → (gap, promises)
    for gap in data.comparison.gaps:
        for note in gap.answers:
            if note.stance in PROMISE_STANCES or note.target_year is not None:
                entries.setdefault(gap.gap_key, (gap, []))[1].append(
                    (note, responses[note.response_id])
                )
    by_year: dict[int | None, list[tuple[Any, list[tuple[Any, Any]]]]] = defaultdict(list)
    for gap, notes in entries.values():
        stated = [note.target_year for note, _ in notes if note.target_year is not None]
        by_year[min(stated) if stated else None].append((gap, notes))
    years = sorted(y for y in by_year if y is not None) + ([None] if None in by_year else [])
    regions = {r.region_code: r for r in data.regions}
    promises_csv = csv_text(
        [
            "target_year",
            "region_code",
            "region",
            "gap_key",
            "edition",
            "status",
            "response_id",
            "stance",
            "label_sv",
            "label_en",
            "summary_sv",
            "summary_en",
        ],
        [
            (
                note.target_year,
                gap.region_code,
                regions[gap.region_code].name_source,
                gap.gap_key,
                note.edition,
                gap.status,
                note.response_id,
                note.stance,
                gap.label_sv,
                gap.label_en,
                note.summary_sv,
                note.summary_en,
            )
            for year in years
            for gap, notes in by_year[year]
            for note, _ in notes
        ],
    )
    answers_of = Counter(r.region_code for r in responses.values())
    passed = _passed_promises(data)
    files = {"data/promises.csv": promises_csv}
    if passed:
        files["data/promises-passed.csv"] = csv_text(
            [
                "target_year",
                "region_code",
                "gap_key",
                "response_id",
                "edition",
                "stance",
                "latest_edition",
                "listed_in_latest",
            ],
            [
                (
                    year,
                    row.region_code,
                    row.gap_key,
                    answer.response_id,
                    response.edition,
                    answer.stance,
                    data.latest.edition,
                    listed,
                )
                for year, items in passed
                for row, said, listed in items
                for answer, response in said
            ],
        )
    return Shown(
        {
            "passed": passed,
            "gap_count": len(entries),
            "region_count": len({gap.region_code for gap, _ in entries.values()}),
            "promise_stances": [data.stance_label(s, lang) for s in PROMISE_STANCES],
            "years": [(year, by_year[year]) for year in years],
            "regions": regions,
            "several_answers": {code for code, n in answers_of.items() if n > 1},
        },
        files,
    )


def _passed_promises(data: Data) -> list[tuple[int, list[tuple[Any, list[Any], bool]]]]:
    """The target years that had passed by the latest edition (``Data.latest``: a year has
    passed when that edition is dated in a later year; never today's clock), each with the gaps
    an answer of any edition promised for it: ``(year, [(the gap's latest row, [(gap_answers
    row, response)], whether the latest edition lists the gap)])``, the gaps by region and list
    order. None with the bundled editions: their latest is dated 2026 and no answer names a
    year before it."""
    year = int(str(data.latest.published)[:4])
    responses = {r.response_id: r for r in data.pkg.responses()}
    listed = {g.gap_key for g in data.pkg.gaps(edition=data.latest.edition)}
    rows = {g.gap_key: g for e in data.history for g in data.pkg.gaps(edition=e.edition)}
    by_year: dict[int, dict[str, list[tuple[Any, Any]]]] = defaultdict(dict)
    for answer in data.pkg.gap_answers():
        if answer.target_year is not None and answer.target_year < year:
            said = by_year[answer.target_year].setdefault(answer.gap_key, [])
            said.append((answer, responses[answer.response_id]))
    return [
        (
            target,
            [
                (rows[key], said, key in listed)
                for key, said in sorted(
                    by_year[target].items(),
                    key=lambda item: (rows[item[0]].region_code, list_order(rows[item[0]])),
                )
            ],
        )
        for target in sorted(by_year)
    ]
