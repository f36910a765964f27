"""The pages people read: home, regions, comparison and promises, in Swedish and English.

Each function returns ``{relative path: text}`` for one language; CSV files (the exact rows
behind a table) are written next to the Swedish pages only — the i18n plugin serves the
default language's files under ``/en/`` too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .._comparison.constants import STATUSES
from ._common import Data, capital, csv_text, table
from ._figures import chart_svg, figure, map_svg
from ._text import status_word, status_words, t

PROMISE_STANCES = ("action_taken", "action_decided", "planned")
"""Stances that state an action; a gap with one of these, or with a target year, is a promise."""


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# ====================================================================== home


def home(data: Data, lang: str) -> dict[str, str]:
    comp = data.comparison
    s = comp.summary
    inv, fu = data.inventory, data.follow_up
    inv_m, fu_m = data.edition_short(inv, lang), data.edition_short(fu, lang)
    regions = data.regions
    answered = {r.region_code for r in data.pkg.responses()}
    by_category = Counter(c.category for c in data.classification.values())
    first_category = next(iter(data.categories))
    publishers = data.sources[fu.published_in].publisher.split("; ")
    files: dict[str, str] = {}

    if lang == "sv":
        who = " och ".join(publishers)
        intro = (
            f"I {inv_m} listade {who} {s.old} brister i den specialiserade palliativa vården "
            f"i Sveriges {len(regions)} regioner. "
            f"I {fu_m} följde de upp listorna: {s.persisting} brister kvarstod, "
            f"{s.dropped} fanns inte längre med och {s.added} var nya. "
            f"{len(answered)} av {len(regions)} regioner svarade på frågan om konkreta planer, "
            f"och {by_category[first_category]} av dem bedömdes ha konkreta planer."
        )
        title = "Brister i den specialiserade palliativa vården i Sveriges regioner"
    else:
        who = " and ".join(publishers)
        still, gone, added = status_words(lang)
        intro = (
            f"In {inv_m}, {who} listed {s.old} gaps in specialised palliative care in Sweden's "
            f"{len(regions)} regions. "
            f"In {fu_m} they followed the lists up: {s.persisting} gaps were {still}, "
            f"{s.dropped} were {gone} and {s.added} were {added}. "
            f"{len(answered)} of {len(regions)} regions answered the request for concrete plans, "
            f"and {by_category[first_category]} of them were judged to have concrete plans."
        )
        title = "Gaps in specialised palliative care in Sweden's regions"

    out = [f"# {title}", "", intro, ""]
    warn = {
        "sv": (
            '!!! note "Inte längre listad är inte detsamma som åtgärdad"\n'
            "    Att en brist inte finns med i uppföljningen säger inte varför. "
            "Läs regionens sida och [metodbeskrivningen](methodology.md)."
        ),
        "en": (
            f'!!! note "{capital(status_word(lang, "dropped"))} is not the same as resolved"\n'
            "    A gap missing from the follow-up does not say why. "
            "Read the region's page and the [methodology](methodology.md)."
        ),
    }[lang]
    out += [warn, ""]

    # --- regions per category + map
    head = {"sv": "Regionerna efter svar", "en": "The regions by their answers"}[lang]
    out += [f"## {head}", ""]
    rows = []
    for code in data.categories:
        rows.append((data.category_label(code, lang), by_category[code]))
    cat_csv = csv_text(
        ["edition", "category", "heading_sv", "label_en", "regions"],
        [
            (fu.edition, code, c.heading_sv, c.label_en, by_category[code])
            for code, c in data.categories.items()
        ],
    )
    files["data/regions-per-category.csv"] = cat_csv
    lead = {
        "sv": f"Så delade uppföljningen i {fu_m} in regionerna efter deras svar.",
        "en": f"How the {fu_m} follow-up grouped the regions by their answers.",
    }[lang]
    out += [lead, "", table([t(lang, "category"), t(lang, "regions_count")], rows, "lr"), ""]
    out += [data.figure_footer(lang, "data/regions-per-category.csv"), ""]

    map_rows = []
    for region in regions:
        code = data.classification[region.region_code].category
        map_rows.append(
            {
                "iso": region.iso_3166_2,
                "region_code": region.region_code,
                "name": region.name_source,
                "category": code,
                "category_label": data.category_label(code, lang),
                "href": f"regions/{data.region_slugs[region.region_code]}/",
            }
        )
    caption = {
        "sv": f"Karta: regionerna färgade efter kategori i {fu_m}. Klicka på en region för dess sida. "
        "Samma uppgifter finns i listan under kartan.",
        "en": f"Map: the regions coloured by category in {fu_m}. Select a region for its page. "
        "The list below the map holds the same information.",
    }[lang]
    label = {
        "sv": "Karta över Sveriges regioner efter kategori",
        "en": "Map of Sweden's regions by category",
    }[lang]
    out += [figure(map_svg(map_rows, lang), caption, lang, label), ""]
    for code in data.categories:
        members = [r for r in regions if data.classification[r.region_code].category == code]
        out.append(
            f"**{data.category_label(code, lang)}** ({len(members)}): "
            + ", ".join(
                f"[{r.name_source}](regions/{data.region_slugs[r.region_code]}.md)" for r in members
            )
        )
        out.append("")
    files["data/map.csv"] = csv_text(
        ["region_code", "iso_3166_2", "name", "edition", "category"],
        [(r["region_code"], r["iso"], r["name"], fu.edition, r["category"]) for r in map_rows],
    )
    out += [data.figure_footer(lang, "data/map.csv"), ""]

    # --- gaps per function and edition
    head = {"sv": "Brister per funktion", "en": "Gaps by function"}[lang]
    lead = {
        "sv": f"Antal listade brister per funktion i {inv_m} och {fu_m}, och vad som hände med dem.",
        "en": f"Gaps listed per function in {inv_m} and {fu_m}, and what became of them.",
    }[lang]
    out += [f"## {head}", "", lead, ""]
    out += [_function_table(data, lang), ""]
    files["data/gaps-per-function.csv"] = _function_csv(data)
    out += [data.figure_footer(lang, "data/gaps-per-function.csv"), ""]

    # --- matrix
    head = {"sv": "Region och funktion", "en": "Region by function"}[lang]
    lead = {
        "sv": f"Antal brister per region och funktion: {inv_m} → {fu_m}. Ett streck betyder ingen brist "
        "i någon av listorna. Kolumnerna är numrerade:",
        "en": f"Gaps per region and function: {inv_m} → {fu_m}. A dash means no gap in either list. "
        "The columns are numbered:",
    }[lang]
    out += [f"## {head}", "", lead, ""]
    functions = list(data.functions)
    for number, code in enumerate(functions, start=1):
        out.append(f"{number}. {data.function_label(code, lang)}")
    out.append("")
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for gap in comp.gaps:
        if gap.old is not None:
            counts[(gap.region_code, gap.function)][0] += 1
        if gap.new is not None:
            counts[(gap.region_code, gap.function)][1] += 1
    matrix_rows = []
    csv_rows = []
    for region in regions:
        cells = []
        for code in functions:
            old, new = counts.get((region.region_code, code), [0, 0])
            cells.append("–" if old == new == 0 else f"{old}→{new}")
            csv_rows.append(
                (region.region_code, region.name_source, code, inv.edition, old, fu.edition, new)
            )
        link = f"[{region.name_source}](regions/{data.region_slugs[region.region_code]}.md)"
        matrix_rows.append([link, *cells])
    header = [t(lang, "region"), *[str(i) for i in range(1, len(functions) + 1)]]
    out += [
        "<div data-search-exclude markdown>",
        "",
        table(header, matrix_rows, "l" + "r" * len(functions)),
        "",
        "</div>",
        "",
    ]
    files["data/region-function-matrix.csv"] = csv_text(
        ["region_code", "region", "function", "old_edition", "old_gaps", "new_edition", "new_gaps"],
        csv_rows,
    )
    out += [data.figure_footer(lang, "data/region-function-matrix.csv"), ""]

    # --- links
    head = {"sv": "Mer", "en": "More"}[lang]
    more = {
        "sv": [
            "- [Regionerna en och en](regions/index.md): brister, svar och källor för varje region.",
            "- [Jämförelse](comparison.md) mellan februari och juni, per region och funktion.",
            "- [Utlovade åtgärder](promises.md): vad regionerna sagt att de ska göra, och när.",
            "- [Ladda ner data](downloads.md): CSV, Excel, Parquet, SQLite.",
            "- [Metod](methodology.md) och [datakatalog](dictionary.md).",
        ],
        "en": [
            "- [The regions one by one](regions/index.md): gaps, answers and sources for each region.",
            "- [Comparison](comparison.md) of February and June, by region and function.",
            "- [Promises](promises.md): what the regions said they would do, and when.",
            "- [Downloads](downloads.md): CSV, Excel, Parquet, SQLite.",
            "- [Methodology](methodology.md) and [data dictionary](dictionary.md).",
        ],
    }[lang]
    out += [f"## {head}", "", *more, ""]
    head = {"sv": "Citera", "en": "Cite this"}[lang]
    out += [f"## {head}", "", data.citation(lang), ""]
    out += [{"sv": "Källdokumenten:", "en": "The source documents:"}[lang], ""]
    for edition in (inv, fu):
        out.append(f"- {data.sources[edition.published_in].citation}")
    out.append("")
    files["index.md"] = "\n".join(out)
    return files


def _function_rows(data: Data) -> list[tuple[str, Any]]:
    by_code = {f.function: f for f in data.comparison.functions}
    return [(code, by_code[code].counts) for code in data.functions if code in by_code]


COUNT_COLUMNS = ("old", "new", *STATUSES)
"""The counts of a comparison row (a function or a region): gaps then and now, by status."""


def _counts(counts: Any) -> tuple[int, ...]:
    return tuple(getattr(counts, column) for column in COUNT_COLUMNS)


def _counts_table(data: Data, lang: str, axis: str, rows: list[tuple[Any, ...]]) -> str:
    """A table of ``(label, *counts)`` rows by ``axis`` (``"function"`` or ``"region"``)."""
    inv_m, fu_m = data.edition_short(data.inventory, lang), data.edition_short(data.follow_up, lang)
    header = [t(lang, axis), inv_m, fu_m, *(capital(word) for word in status_words(lang))]
    return table(header, rows, "l" + "r" * len(COUNT_COLUMNS))


def _function_table(data: Data, lang: str) -> str:
    rows = [(data.function_label(code, lang), *_counts(c)) for code, c in _function_rows(data)]
    return _counts_table(data, lang, "function", rows)


def _function_csv(data: Data) -> str:
    comp = data.comparison
    return csv_text(
        ["function", "label_sv", "label_en", "old_edition", "new_edition", *COUNT_COLUMNS],
        [
            (
                code,
                data.functions[code].label_sv,
                data.functions[code].label_en,
                comp.old_edition,
                comp.new_edition,
                *_counts(c),
            )
            for code, c in _function_rows(data)
        ],
    )


# ====================================================================== regions


def regions_index(data: Data, lang: str) -> dict[str, str]:
    comp = data.comparison
    inv_m, fu_m = data.edition_short(data.inventory, lang), data.edition_short(data.follow_up, lang)
    title = t(lang, "regions")
    lead = {
        "sv": f"Varje region har en sida med bristerna i {inv_m} och {fu_m}, regionens svar och källorna.",
        "en": f"Each region has a page with its gaps in {inv_m} and {fu_m}, its answers and the sources.",
    }[lang]
    rows = []
    for region in data.regions:
        rc = comp.region(region.region_code)
        link = f"[{region.name_source}](../regions/{data.region_slugs[region.region_code]}.md)"
        rows.append(
            (
                link,
                rc.counts.old,
                rc.counts.new,
                data.category_label(rc.new_category, lang) if rc.new_category else "–",
            )
        )
    header = [t(lang, "region"), inv_m, fu_m, t(lang, "category")]
    text = "\n".join(
        [
            f"# {title}",
            "",
            lead,
            "",
            table(header, rows, "lrrl"),
            "",
            data.figure_footer(lang, "../data/regions.csv"),
            "",
        ]
    )
    files = {"regions/index.md": text}
    files["data/regions.csv"] = csv_text(
        ["region_code", "name", "old_edition", "old_gaps", "new_edition", "new_gaps", "category"],
        [
            (
                r.region_code,
                r.name_source,
                comp.old_edition,
                comp.region(r.region_code).counts.old,
                comp.new_edition,
                comp.region(r.region_code).counts.new,
                comp.region(r.region_code).new_category,
            )
            for r in data.regions
        ],
    )
    return files


def _action_and_cue(data: Data, response_id: str, gap_key: str, lang: str) -> str:
    """``Åtgärd: … Svaret: ”…”.`` from the ``gap_answers`` row (empty parts left out)."""
    row = data.gap_answer(response_id, gap_key)
    if row is None:
        return ""
    text = ""
    action = getattr(row, "action_sv" if lang == "sv" else "action_en", None)
    if action:
        text += f" **{'Åtgärd' if lang == 'sv' else 'Action'}:** {action}"
    cue = getattr(row, "cue", None)
    if cue:
        quoted = f"”{cue}”" if lang == "sv" else f"“{cue}”"
        text += f" {'Svaret' if lang == 'sv' else 'The answer'}: {quoted}."
    return text


def _with_answer(line: str, data: Data, note: Any, gap_key: str, lang: str) -> str:
    """``line`` followed by what an answer says about a gap: action, cue and summary."""
    line += _action_and_cue(data, note.response_id, gap_key, lang)
    summary = note.summary_sv if lang == "sv" else note.summary_en
    return f"{line} {summary}" if summary else line


def _list_order(row: Any) -> tuple[int, int]:
    """Where a gap row stands in its edition's list: list position, then part."""
    return (int(row.list_position), int(row.part))


def _gap_item(gap: Any, row: Any, data: Data, lang: str) -> str:
    label = row.label_sv if lang == "sv" else row.label_en
    status = status_word(lang, gap.status)
    function = data.function_label(row.function, lang)
    return f'*{function}*: {label} <span class="pd-status pd-{gap.status}">{status}</span>'


def region_page(data: Data, region: Any, lang: str) -> dict[str, str]:
    comp = data.comparison
    code = region.region_code
    slug_ = data.region_slugs[code]
    inv, fu = data.inventory, data.follow_up
    inv_m, fu_m = data.edition_short(inv, lang), data.edition_short(fu, lang)
    classification = data.classification[code]
    category = data.categories[classification.category]
    gaps = comp.gaps_of(code)
    counts = comp.region(code).counts
    responses = sorted(data.pkg.responses(region=code), key=lambda r: r.position)
    position_of = {r.response_id: r.position for r in responses}
    name_line = region.name_official_sv if lang == "sv" else region.name_en
    still, gone, added = status_words(lang)

    out = [f"# {region.name_source}", ""]
    if lang == "sv":
        out += [
            f"{name_line}, {region.county_sv}. I {inv_m} listades {_plural(counts.old, 'brist', 'brister')}, "
            f"i {fu_m} {counts.new}: {counts.persisting} {still}, {counts.dropped} {gone} "
            f"och {counts.added} {added}.",
            "",
            f"## Kategori i {data.edition_title(fu, lang).lower()}",
            "",
            f'<p class="pd-category pd-cat-{category.category}"><strong>{category.heading_sv}</strong></p>',
            "",
            category.definition_sv,
        ]
    else:
        out += [
            f"{name_line} ({region.county_sv}). {_plural(counts.old, 'gap was', 'gaps were')} listed in "
            f"{inv_m} and {counts.new} in {fu_m}: {counts.persisting} {still}, {counts.dropped} {gone} "
            f"and {counts.added} {added}.",
            "",
            f"## Category in the {data.edition_title(fu, lang)}",
            "",
            f'<p class="pd-category pd-cat-{category.category}"><strong>{category.heading_sv}</strong>'
            f"<br>({category.label_en})</p>",
            "",
            category.definition_en,
        ]
    out.append("")
    source_word = t(lang, "source")
    out.append(
        f"{source_word}: {classification.source_ref}"
        + (
            f" ({t(lang, 'line')} {classification.source_line})"
            if classification.source_line
            else ""
        )
    )
    out.append("")

    # --- both lists side by side
    head = {"sv": f"Bristerna i {inv_m} och {fu_m}", "en": f"The gaps in {inv_m} and {fu_m}"}[lang]
    out += [f"## {head}", ""]
    old_gaps = sorted((g for g in gaps if g.old is not None), key=lambda g: _list_order(g.old))
    new_gaps = sorted((g for g in gaps if g.new is not None), key=lambda g: _list_order(g.new))
    out.append('<div class="grid cards pd-lists" markdown>')
    out.append("")
    for edition, items, side in ((inv, old_gaps, "old"), (fu, new_gaps, "new")):
        out.append(f"-   **{data.edition_title(edition, lang)}** ({len(items)})")
        out.append("")
        out.append("    ---")
        out.append("")
        if not items:
            out.append(f"    {t(lang, 'no_gaps')}")
        for number, gap in enumerate(items, start=1):
            out.append(f"    {number}. {_gap_item(gap, getattr(gap, side), data, lang)}")
        out.append("")
    out += ["</div>", ""]
    only = {"sv": "bara i", "en": "only in"}[lang]
    explained = {
        "persisting": {"sv": "listad i båda", "en": "listed in both"}[lang],
        "dropped": f"{only} {inv_m}",
        "added": f"{only} {fu_m}",
    }
    legend = " ".join(f"*{capital(status_word(lang, s))}*: {explained[s]}." for s in STATUSES)
    out += [legend, ""]
    out += [data.figure_footer(lang, f"{slug_}-gaps.csv"), ""]

    # --- what the answers say about each gap
    head = {"sv": "Vad svaren säger om varje brist", "en": "What the answers say about each gap"}[
        lang
    ]
    out += [f"## {head}", ""]
    if not responses:
        out += [t(lang, "no_answer"), ""]
    else:
        answered = [g for g in old_gaps if g.answers]
        for gap in answered:
            if gap.old is None:  # only gaps of the inventory are answered about
                continue
            label = gap.old.label_sv if lang == "sv" else gap.old.label_en
            out.append(f"**{data.function_label(gap.function, lang)}**: {label}")
            out.append("")
            for note in gap.answers:
                stance = data.stance_label(note.stance, lang)
                year = f", {t(lang, 'target_year')} {note.target_year}" if note.target_year else ""
                answer_no = position_of.get(note.response_id) or note.response_id
                word = "Svar" if lang == "sv" else "Answer"
                line = f"- {word} {answer_no}: *{stance}*{year}."
                out.append(_with_answer(line, data, note, gap.gap_key, lang))
            out.append("")
        out += [data.figure_footer(lang, f"{slug_}-gap-answers.csv"), ""]

    # --- the answers
    head = {"sv": "Regionens svar", "en": "The region's answers"}[lang]
    out += [f"## {head}", ""]
    if not responses:
        out += [t(lang, "no_answer"), ""]
    for response in responses:
        role = response.responder_role_sv if lang == "sv" else response.responder_role_en
        word = "Svar" if lang == "sv" else "Answer"
        out += [f"### {word} {response.position}: {role}", ""]
        facts = [f"{t(lang, 'kind.' + response.kind)}", response.organisation]
        if response.party:
            facts.append(f"{t(lang, 'party')} {response.party.replace(';', ', ')}")
        facts.append(response.date.isoformat() if response.date else t(lang, "date_unknown"))
        if response.supplements:
            sup = position_of.get(response.supplements, response.supplements)
            facts.append(
                {"sv": f"kompletterar svar {sup}", "en": f"supplements answer {sup}"}[lang]
            )
        out += [" · ".join(facts), ""]
        out += [response.summary_sv if lang == "sv" else response.summary_en, ""]
        out.append(
            f"{source_word}: {response.source_ref}"
            + (f" ({t(lang, 'line')} {response.source_line})" if response.source_line else "")
        )
        out.append("")
    if responses:
        out += [data.figure_footer(lang, f"{slug_}-responses.csv"), ""]

    # --- sources of the gap rows
    head = {"sv": "Källor för bristerna", "en": "Sources of the gaps"}[lang]
    out += [f"## {head}", ""]
    rows = []
    for edition, items, side in ((inv, old_gaps, "old"), (fu, new_gaps, "new")):
        for gap in items:
            row = getattr(gap, side)
            rows.append(
                (
                    edition.edition,
                    row.gap_key,
                    row.source_ref + (f" ({row.source_line})" if row.source_line else ""),
                )
            )
    header = {
        "sv": ["Utgåva", "Nyckel", "Plats i källan (rad)"],
        "en": ["Edition", "Key", "Place in the source (line)"],
    }[lang]
    out += ["<div data-search-exclude markdown>", "", table(header, rows), "", "</div>", ""]
    out += [data.figure_footer(lang, f"{slug_}-gaps.csv"), ""]

    files = {f"regions/{slug_}.md": "\n".join(out)}
    files.update(_region_csvs(data, region, slug_))
    return files


def _rows_of(data: Data, resource: str, keep: Any) -> tuple[list[str], list[list[Any]]]:
    tbl = data.pkg.table(resource)
    header = list(tbl.column_names)
    rows = [[row[c] for c in header] for row in tbl.to_pylist() if keep(row)]
    return header, rows


def _region_csvs(data: Data, region: Any, slug_: str) -> dict[str, str]:
    code = region.region_code
    files = {}
    header, rows = _rows_of(data, "gaps", lambda row: row["region_code"] == code)
    files[f"regions/{slug_}-gaps.csv"] = csv_text(header, rows)
    header, rows = _rows_of(data, "responses", lambda row: row["region_code"] == code)
    if rows:
        files[f"regions/{slug_}-responses.csv"] = csv_text(header, rows)
        ids = {row[header.index("response_id")] for row in rows}
        header, rows = _rows_of(data, "gap_answers", lambda row: row["response_id"] in ids)
        files[f"regions/{slug_}-gap-answers.csv"] = csv_text(header, rows)
    return files


# ====================================================================== comparison


def _status_bars(label: str, counts: Any, lang: str) -> list[dict[str, Any]]:
    """One bar segment per status for ``label`` (a function or a region) in the status chart."""
    return [
        {
            "label": label,
            "status": status_word(lang, status),
            "gaps": getattr(counts, status),
            "rank": rank,
        }
        for rank, status in enumerate(STATUSES)
    ]


def _status_spec(rows: list[dict[str, Any]], lang: str, axis: str) -> dict[str, Any]:
    """A horizontal stacked bar chart of gaps by status (Vega-Lite)."""
    order = status_words(lang)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 320,
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": None,
                "title": axis,
                "axis": {"labelLimit": 280, "labelFontSize": 12},
            },
            "x": {
                "field": "gaps",
                "type": "quantitative",
                "title": {"sv": "Antal brister", "en": "Gaps"}[lang],
            },
            "color": {
                "field": "status",
                "type": "nominal",
                "sort": order,
                "title": None,
                "scale": {"domain": order, "range": ["#0072B2", "#E69F00", "#009E73"]},
                "legend": {"orient": "top"},
            },
            "order": {"field": "rank", "type": "quantitative"},
        },
        "config": {"font": "sans-serif"},
    }


def _status_figure(data: Data, rows: list[dict[str, Any]], lang: str, axis: str) -> str:
    """The status chart of gaps by ``axis`` (``"function"`` or ``"region"``), with its caption."""
    inv_m, fu_m = data.edition_short(data.inventory, lang), data.edition_short(data.follow_up, lang)
    by, words = t(lang, axis).lower(), ", ".join(status_words(lang))
    caption = {
        "sv": f"Brister per {by} efter status ({words}), {inv_m} → {fu_m}. "
        "Samma tal i tabellen nedan.",
        "en": f"Gaps by {by} and status ({words}), {inv_m} → {fu_m}. "
        "The table below holds the same figures.",
    }[lang]
    return figure(chart_svg(_status_spec(rows, lang, t(lang, axis))), caption, lang, caption)


def comparison(data: Data, lang: str) -> dict[str, str]:
    comp = data.comparison
    s = comp.summary
    inv_m, fu_m = data.edition_short(data.inventory, lang), data.edition_short(data.follow_up, lang)
    files: dict[str, str] = {}
    if lang == "sv":
        out = [
            f"# Jämförelse {inv_m} → {fu_m}",
            "",
            f"Av de {s.old} bristerna i {inv_m} fanns {s.persisting} kvar i {fu_m} och {s.dropped} "
            f"fanns inte längre med; {s.added} {'brist var ny' if s.added == 1 else 'brister var nya'}. "
            "Att en brist inte längre listas betyder inte att den är åtgärdad: uppföljningen säger inte varför.",
            "",
            "Jämförelsen är gjord brist för brist med samma funktion som Python-biblioteket erbjuder "
            f'(`palliativ_data.load().compare("{comp.old_edition}", "{comp.new_edition}")`).',
        ]
    else:
        still, gone, added = status_words(lang)
        out = [
            f"# Comparison {inv_m} → {fu_m}",
            "",
            f"Of the {s.old} gaps in {inv_m}, {s.persisting} were {still} in {fu_m} and {s.dropped} "
            f"were {gone}; {s.added} {'gap was' if s.added == 1 else 'gaps were'} {added}. "
            f"A gap {gone} is not necessarily resolved: the follow-up does not say why.",
            "",
            "The comparison is made gap by gap with the same function the Python library offers "
            f'(`palliativ_data.load().compare("{comp.old_edition}", "{comp.new_edition}")`).',
        ]
    out.append("")

    # by function
    head = {"sv": "Per funktion", "en": "By function"}[lang]
    out += [f"## {head}", ""]
    chart_rows = []
    for code, c in _function_rows(data):
        chart_rows += _status_bars(data.function_label(code, lang), c, lang)
    out += [_status_figure(data, chart_rows, lang, "function"), ""]
    out += [_function_table(data, lang), ""]
    files["data/comparison-by-function.csv"] = _function_csv(data)
    out += [data.figure_footer(lang, "data/comparison-by-function.csv"), ""]

    # by region
    head = {"sv": "Per region", "en": "By region"}[lang]
    out += [f"## {head}", ""]
    chart_rows = []
    rows = []
    csv_rows = []
    for region in data.regions:
        rc = comp.region(region.region_code)
        c = rc.counts
        chart_rows += _status_bars(region.name_source, c, lang)
        link = f"[{region.name_source}](regions/{data.region_slugs[region.region_code]}.md)"
        rows.append((link, *_counts(c)))
        csv_rows.append(
            (
                region.region_code,
                region.name_source,
                comp.old_edition,
                comp.new_edition,
                *_counts(c),
                rc.new_category,
            )
        )
    out += [_status_figure(data, chart_rows, lang, "region"), ""]
    out += [_counts_table(data, lang, "region", rows), ""]
    files["data/comparison-by-region.csv"] = csv_text(
        ["region_code", "region", "old_edition", "new_edition", *COUNT_COLUMNS, "category"],
        csv_rows,
    )
    out += [data.figure_footer(lang, "data/comparison-by-region.csv"), ""]

    # every gap
    files["data/comparison-gaps.csv"] = csv_text(
        ["region_code", "gap_key", "function", "status", "label_sv", "label_en"],
        [
            (g.region_code, g.gap_key, g.function, g.status, g.label_sv, g.label_en)
            for g in comp.gaps
        ],
    )
    more = {
        "sv": "Varje brist med sin status finns i [en CSV-fil](data/comparison-gaps.csv); "
        "regionernas sidor visar listorna sida vid sida.",
        "en": "Every gap with its status is in [a CSV file](data/comparison-gaps.csv); "
        "the region pages show the lists side by side.",
    }[lang]
    out += [more, ""]
    files["comparison.md"] = "\n".join(out)
    return files


# ====================================================================== promises


def promises(data: Data, lang: str) -> dict[str, str]:
    comp = data.comparison
    inv_m = data.edition_short(data.inventory, lang)
    responses = {r.response_id: r for r in data.pkg.responses()}
    items: list[tuple[Any, Any, Any]] = []  # (gap change, note, response)
    for gap in comp.gaps:
        for note in gap.answers:
            if note.stance in PROMISE_STANCES or note.target_year is not None:
                items.append((gap, note, responses[note.response_id]))
    by_year: dict[int | None, list[tuple[Any, Any, Any]]] = defaultdict(list)
    for item in items:
        by_year[item[1].target_year].append(item)
    years = sorted(y for y in by_year if y is not None) + ([None] if None in by_year else [])
    regions = {r.region_code: r for r in data.regions}
    gap_count = len({gap.gap_key for gap, _, _ in items})
    region_count = len({gap.region_code for gap, _, _ in items})
    stance_names = ", ".join(data.stance_label(s, lang).lower() for s in PROMISE_STANCES)

    if lang == "sv":
        out = [
            "# Utlovade åtgärder",
            "",
            f"{gap_count} av bristerna från {inv_m} i {region_count} regioner har ett svar som anger en åtgärd "
            f"({stance_names}) eller ett år då den ska vara på plats. Det är den här listan nästa "
            "inventering kan prövas mot.",
        ]
    else:
        out = [
            "# Promises",
            "",
            f"{gap_count} of the {inv_m} gaps, in {region_count} regions, have an answer that states an action "
            f"({stance_names}) or a year by which it is to be in place. This is the list the next inventory "
            "can be checked against.",
        ]
    out.append("")
    for year in years:
        head = str(year) if year is not None else t(lang, "no_year")
        out += [f"## {head}", ""]
        for gap, note, _response in by_year[year]:
            region = regions[gap.region_code]
            label = gap.label_sv if lang == "sv" else gap.label_en
            link = f"[{region.name_source}](regions/{data.region_slugs[region.region_code]}.md)"
            status = status_word(lang, gap.status)
            line = f"- **{link}**: {label} — *{data.stance_label(note.stance, lang)}* ({status} {'i' if lang == 'sv' else 'in'} {data.edition_short(data.follow_up, lang)})."
            out.append(_with_answer(line, data, note, gap.gap_key, lang))
        out.append("")
    files = {
        "data/promises.csv": csv_text(
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
                for gap, note, _ in by_year[year]
            ],
        )
    }
    out += [data.figure_footer(lang, "data/promises.csv"), ""]
    files["promises.md"] = "\n".join(out)
    return files
