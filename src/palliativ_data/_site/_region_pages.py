"""The region pages: what each region's page shows (its gaps in each edition, its answers read
gap by gap, and, with three or more editions, each gap's history), and the CSV files behind
them. A row of ``_pages.PAGES`` names :func:`region_page`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any, Literal

from .._comparison.constants import GapStatus
from ._common import Data, csv_text, lower_first
from ._shown import Inputs, Shown
from ._templates import HistoryCell
from ._text import PARTIES, UNSTATED_ROLE


def list_order(row: Any) -> tuple[int, int]:
    """Where a gap row stands in its edition's list: list position, then part."""
    return (int(row.list_position), int(row.part))


def county(region: Any) -> str | None:
    """The region's county (``county_sv``) where its name does not already say it: "Region
    Sörmland" is in Södermanlands län, "Region Stockholm" says Stockholm."""
    stem = region.county_sv.removesuffix(" län")
    stem = stem.removesuffix("s") if stem.endswith("s") else stem
    official = region.name_official_sv
    return None if region.county_sv in official or stem in official else str(region.county_sv)


def responder(response: Any, lang: str) -> dict[str, Any]:
    """Who sent ``response``, as the pages name them: the roles (none where the source does not
    state them), whether they are one person (or one politician and one official), and the
    parties the organisation does not already name."""
    role = response.responder_role_sv if lang == "sv" else response.responder_role_en
    stated = response.responder_role_sv != UNSTATED_ROLE
    parties = [PARTIES[code] for code in (response.party or "").split(";") if code]
    roles = role.split("; ") if stated else []
    people = len(roles) or 1
    return {
        "roles": [r if i == 0 else lower_first(r) for i, r in enumerate(roles)],
        # one person, or (a joint answer) one politician and one official
        "one": people == 1 or (response.kind == "joint" and people == 2),
        "parties": [name for name in parties if name not in response.organisation],
    }


def _readings(
    data: Data, response: Any, gaps: dict[str, Any]
) -> list[tuple[list[tuple[str, list[Any]]], Any]]:
    """What ``response`` says about the gaps, one entry per reading: ``(gaps, gap_answers
    row)``, the gaps as ``(function, gap changes)`` in the order the answer takes them. Gaps
    the response reads alike (same stance, action, quote and summary) share one entry, so a
    summary written for several gaps is shown once."""
    readings: dict[tuple[Any, ...], tuple[dict[str, list[Any]], Any]] = {}
    for row in data.pkg.gap_answers(response=response.response_id):
        key = (row.stance, row.action_sv, row.action_en, row.cue, row.summary_sv, row.summary_en)
        gap = gaps[row.gap_key]
        readings.setdefault(key, ({}, row))[0].setdefault(gap.function, []).append(gap)
    return [(list(by_function.items()), row) for by_function, row in readings.values()]


def _items(pairs: list[tuple[Any, Any]]) -> list[list[tuple[Any, Any]]]:
    """An edition's list of a region's gaps as the source lists them: one entry per list item
    that was split into a gap per function under one label (Örebro's "mottagnings- och
    konsultverksamhet"), holding those gaps (``(gap change, row)``); one per gap otherwise."""
    items: dict[tuple[int, str], list[tuple[Any, Any]]] = {}
    for gap, row in pairs:
        items.setdefault((int(row.list_position), row.label_sv), []).append((gap, row))
    return list(items.values())


def _gap_names(data: Data, gaps: Sequence[Any]) -> dict[str, bool]:
    """For each gap key: whether its function alone names it among the region's gaps (False
    where the region lists several gaps of one function, so the label must say which)."""
    per_function = Counter(gap.function for gap in gaps)
    return {gap.gap_key: per_function[gap.function] == 1 for gap in gaps}


def region_page(inputs: Inputs, lang: str, region: Any) -> Shown:
    data = inputs.data
    code = region.region_code
    slug = data.region_slugs[code]
    classification = data.classification[code]
    gaps = data.comparison.gaps_of(code)
    # the answers to the lists shown: those of the latest follow-up
    responses = sorted(
        data.pkg.responses(region=code, edition=data.follow_up.edition), key=lambda r: r.position
    )
    # each edition's list of the region's gaps, in the list's order: (gap change, gap row)
    old_list = sorted(
        ((g, g.old) for g in gaps if g.old is not None), key=lambda p: list_order(p[1])
    )
    new_list = sorted(
        ((g, g.new) for g in gaps if g.new is not None), key=lambda p: list_order(p[1])
    )
    lists = [(data.inventory, old_list), (data.follow_up, new_list)]
    by_key = {gap.gap_key: gap for gap in gaps}
    sources = [
        (edition, row, *data.source_place(row.source_ref))
        for edition, items in lists
        for _gap, row in items
    ]
    files = _region_csvs(data, region, slug)
    history = _history(data, code) if data.has_history else []
    if history:
        files[f"regions/{slug}-history.csv"] = _history_csv(data, history)
    return Shown(
        {
            "region": region,
            "county": county(region),
            "slug": slug,
            "counts": data.comparison.region(code).counts,
            "classification": classification,
            "category": data.categories[classification.category],
            "lists": lists,
            "items": [(edition, _items(pairs)) for edition, pairs in lists],
            "alone": _gap_names(data, gaps),
            "responses": [
                (response, responder(response, lang), _readings(data, response, by_key))
                for response in responses
            ],
            "position_of": {r.response_id: r.position for r in responses},
            "sources": sources,
            "history": history,
        },
        files,
    )


def _history(data: Data, code: str) -> list[tuple[Any, list[HistoryCell]]]:
    """Each gap the region has listed in any edition (``Data.history``), in the order the lists
    first name them, with what each edition shows of it: ``(latest row, [(status, stances)])``.

    The status is ``"listed"`` in the first edition, then the status of the step from the
    edition before (``Data.steps``: still listed, no longer listed, newly listed), None where
    neither edition lists it; the stances are the codes of what the region's answers in that
    edition say about the gap (none where they say nothing).
    """
    rows: dict[str, Any] = {}  # gap key → its latest row, in order of first listing
    for edition in data.history:
        for row in sorted(data.pkg.gaps(edition=edition.edition, region=code), key=list_order):
            rows[row.gap_key] = row
    said: dict[tuple[str, str], list[str]] = defaultdict(list)  # (edition, gap key) → stances
    for response in sorted(data.pkg.responses(region=code), key=lambda r: r.position):
        for answer in data.pkg.gap_answers(response=response.response_id):
            stances = said[(response.edition, answer.gap_key)]
            stances += [] if answer.stance in stances else [answer.stance]
    first = {row.gap_key for row in data.pkg.gaps(edition=data.history[0].edition, region=code)}
    steps = [{g.gap_key: g.status for g in step.gaps_of(code)} for step in data.steps]
    result = []
    for key, row in rows.items():
        statuses: list[GapStatus | Literal["listed"] | None] = [
            "listed" if key in first else None,
            *(step.get(key) for step in steps),
        ]
        cells = zip(data.history, statuses, strict=True)
        result.append((row, [(status, said[(e.edition, key)]) for e, status in cells]))
    return result


def _history_csv(data: Data, history: list[tuple[Any, list[HistoryCell]]]) -> str:
    """The rows behind a region's history table: one per gap and edition that names it."""
    return csv_text(
        ["region_code", "gap_key", "edition", "status", "stances"],
        [
            (row.region_code, row.gap_key, edition.edition, status, ";".join(stances))
            for row, cells in history
            for edition, (status, stances) in zip(data.history, cells, strict=True)
            if status is not None or stances
        ],
    )


def rows_of(data: Data, resource: str, keep: Any) -> tuple[list[str], list[list[Any]]]:
    tbl = data.pkg.table(resource)
    header = list(tbl.column_names)
    rows = [[row[c] for c in header] for row in tbl.to_pylist() if keep(row)]
    return header, rows


def _region_csvs(data: Data, region: Any, slug: str) -> dict[str, str]:
    code = region.region_code
    files = {}
    header, rows = rows_of(data, "gaps", lambda row: row["region_code"] == code)
    files[f"regions/{slug}-gaps.csv"] = csv_text(header, rows)
    header, rows = rows_of(data, "responses", lambda row: row["region_code"] == code)
    if rows:
        files[f"regions/{slug}-responses.csv"] = csv_text(header, rows)
        ids = {row[header.index("response_id")] for row in rows}
        header, rows = rows_of(data, "gap_answers", lambda row: row["response_id"] in ids)
        files[f"regions/{slug}-gap-answers.csv"] = csv_text(header, rows)
    return files
