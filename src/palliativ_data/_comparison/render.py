"""Renderers of a :class:`Comparison`: the documented JSON shape and the Markdown report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .constants import FORMAT, FORMAT_VERSION, STATUS_LABELS, STATUSES

if TYPE_CHECKING:  # pragma: no cover - the models call these renderers
    from .result import Comparison, GapChange, Labels, RegionComparison


def comparison_head(c: Comparison) -> dict[str, Any]:
    """Everything of the documented JSON shape but the ``gaps`` list."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "old_edition": c.old_edition,
        "new_edition": c.new_edition,
        "old_package": c.old_package.model_dump(),
        "new_package": c.new_package.model_dump(),
        "answers_edition": c.answers_edition,
        "filters": {
            "region_codes": None if c.region_codes is None else list(c.region_codes),
            "functions": None if c.function_codes is None else list(c.function_codes),
        },
        "summary": c.summary.model_dump(),
        "regions": [region.model_dump(mode="json") for region in c.regions],
        "functions": [function.model_dump(mode="json") for function in c.functions],
        "classification_changes": [
            change.model_dump(mode="json") for change in c.classification_changes
        ],
    }


def classification_note(c: Comparison) -> str | None:
    """Why category changes cannot be counted, or None when they can.

    Only follow-up editions classify the regions; an inventory takes the categories of the
    follow-up of it, if there is one. Changes can be counted only between two different
    classifications; otherwise "0 category changes" would read like a finding.
    """
    old = {e for r in c.regions if (e := r.old_classification_edition)}
    new = {e for r in c.regions if (e := r.new_classification_edition)}
    missing = [
        edition for edition, found in ((c.old_edition, old), (c.new_edition, new)) if not found
    ]
    if missing:
        which = " and ".join(f"edition {edition}" for edition in missing)
        verb = "has" if len(missing) == 1 else "have"
        return (
            f"Category changes cannot be counted: {which} {verb} no classification (the "
            "regions are classified in follow-up editions)."
        )
    if old == new:
        (source,) = old if len(old) == 1 else (", ".join(sorted(old)),)
        own = [e for e in (c.old_edition, c.new_edition) if e not in old]
        return (
            f"Category changes cannot be counted: edition {' and '.join(own)} has no "
            f"classification of its own, so both sides show the categories of follow-up "
            f"edition {source}."
        )
    return None


def comparison_markdown(c: Comparison, labels: Labels) -> str:
    """A readable report: summary, functions, category changes, then every region.

    Per region: its category on each side, the counts, and each gap with its status, its
    English label with the Swedish one (``labels`` words the codes), and what the answers said
    about it.
    """
    old, new = c.old_edition, c.new_edition
    s = c.summary
    note = classification_note(c)
    still, gone, added = (STATUS_LABELS[status] for status in STATUSES)
    changes = "not comparable (see below)" if note else str(s.classification_changes)
    lines = [
        f"# Gaps in specialised palliative care: {old} compared with {new}",
        "",
        f"Old: edition {old} ({_title(labels, 'old')}) of {c.old_package.name} "
        f"{c.old_package.version}. New: edition {new} ({_title(labels, 'new')}) of "
        f"{c.new_package.name} {c.new_package.version}.",
    ]
    if c.region_codes is not None or c.function_codes is not None:
        limits = []
        if c.region_codes is not None:
            limits.append("regions " + ", ".join(c.region_codes))
        if c.function_codes is not None:
            limits.append("functions " + ", ".join(c.function_codes))
        lines += ["", f"Limited to {'; '.join(limits)}."]
    lines += [
        "",
        f"Gaps are matched by `gap_key`. *{still.capitalize()}*: listed in both editions. "
        f"*{gone.capitalize()}*: listed in {old}, not in {new}; this is not the same as "
        f"resolved, because an edition does not say why a gap is {gone}. "
        f"*{added.capitalize()}*: listed in {new}, not in {old}.",
        "",
        "## Summary",
        "",
        "| | gaps |",
        "|---|---:|",
        f"| listed in {old} | {s.old} |",
        f"| listed in {new} | {s.new} |",
        f"| {still} | {s.persisting} |",
        f"| {gone} | {s.dropped} |",
        f"| {added} | {s.added} |",
        f"| regions | {s.regions} |",
        f"| regions whose category changed | {changes} |",
        "",
        "## By function",
        "",
        f"| function | {old} | {new} | {still} | {gone} | {added} |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for function in c.functions:
        n = function.counts
        lines.append(
            f"| {_cell(function.label_en)} ({_cell(function.label_sv)}) | {n.old} | {n.new} | "
            f"{n.persisting} | {n.dropped} | {n.added} |"
        )
    lines += ["", "## Category changes", ""]
    if c.classification_changes:
        lines += ["| region | before | after |", "|---|---|---|"]
        for change in c.classification_changes:
            lines.append(
                f"| {change.region_code} {_cell(change.name)} | "
                f"{_category(labels, change.old_category)} ({change.old_edition}) | "
                f"{_category(labels, change.new_category)} ({change.new_edition}) |"
            )
    elif note:
        lines.append(note)
    else:
        lines.append("No region is classified in different categories on the two sides.")
    lines += ["", "## Regions"]
    by_region: dict[str, list[GapChange]] = {}
    for gap in c.gaps:
        by_region.setdefault(gap.region_code, []).append(gap)
    for region in c.regions:
        lines += ["", _region_heading(c, region), ""]
        lines.append(_region_category(labels, region))
        n = region.counts
        lines += [
            "",
            f"Gaps: {n.old} listed in {old}, {n.new} in {new}; {n.persisting} {still}, "
            f"{n.dropped} {gone}, {n.added} {added}.",
        ]
        gaps = by_region.get(region.region_code, [])
        if not gaps:
            continue
        lines += ["", "| status | function | gap | answers |", "|---|---|---|---|"]
        for gap in gaps:
            lines.append(
                f"| {STATUS_LABELS[gap.status]} | {_function(labels, gap.function)} | "
                f"{_gap_text(c, gap)} | {_answer_text(labels, gap)} |"
            )
    return "\n".join(lines) + "\n"


def _title(labels: Labels, side: str) -> str:
    return labels.get("editions", {}).get(side, ("", ""))[0] or "no title"


def _category(labels: Labels, code: str | None) -> str:
    if code is None:
        return "not classified"
    en, sv = labels.get("categories", {}).get(code, (code, ""))
    return f"{en} ({sv})" if sv else en


def _function(labels: Labels, code: str) -> str:
    en, sv = labels.get("functions", {}).get(code, (code, ""))
    return f"{_cell(en)} ({_cell(sv)})" if sv else _cell(en)


def _region_heading(c: Comparison, region: RegionComparison) -> str:
    heading = f"### {region.region_code} {region.name}"
    if region.name_en and region.name_en != region.name:
        heading += f" ({region.name_en})"
    if region.old_name:
        heading += f" — listed as {region.old_name} in {c.old_edition}"
    return heading


def _region_category(labels: Labels, region: RegionComparison) -> str:
    old_ed, new_ed = region.old_classification_edition, region.new_classification_edition
    if old_ed is None and new_ed is None:
        return "Category: not classified on either side (no follow-up edition)."
    if old_ed == new_ed:
        return f"Category in {new_ed}: {_category(labels, region.new_category)}."
    change = " (changed)" if region.category_changed else ""
    old_text = (
        f"{_category(labels, region.old_category)} in {old_ed}"
        if old_ed
        else "no follow-up on the old side"
    )
    new_text = (
        f"{_category(labels, region.new_category)} in {new_ed}"
        if new_ed
        else "no follow-up on the new side yet"
    )
    return f"Category{change}: {old_text} → {new_text}."


def _gap_text(c: Comparison, gap: GapChange) -> str:
    text = f"{_cell(gap.label_en)}<br>*{_cell(gap.label_sv)}*"
    if gap.old is not None and gap.new is not None and gap.old.label_sv != gap.new.label_sv:
        text += f"<br>{c.old_edition}: *{_cell(gap.old.label_sv)}*"
    return text + f"<br>`{gap.gap_key}`"


def _answer_text(labels: Labels, gap: GapChange) -> str:
    if not gap.answers:
        return "—"
    stances = labels.get("stances", {})
    parts = []
    for answer in gap.answers:
        label = stances.get(answer.stance, (answer.stance, ""))[0]
        text = f"{answer.response_id}: {label}"
        if answer.target_year is not None:
            text += f" (by {answer.target_year})"
        if answer.summary_en:
            text += f" — {answer.summary_en}"
        parts.append(_cell(text))
    return "<br>".join(parts)


def _cell(text: str | None) -> str:
    """Text made safe for one Markdown table cell."""
    return (
        (text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    )
