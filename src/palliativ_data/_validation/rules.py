"""Layer 3: the cross-table rules that the Table Schema language cannot express.

:data:`RULES` lists them: each rule has the problem codes it reports (with what each means),
the tables it needs (it is skipped when one of them could not be read) and its check. The
documentation lists the codes from here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._schema.tableschema import load_table_schema, resource_names
from .._vocabulary import FOLLOW_UP
from .resources import Resource
from .text import join

if TYPE_CHECKING:  # pragma: no cover - the validator runs the rules
    from .validator import Validator


def check_declared_references(ctx: Validator) -> None:
    """Check the foreign keys of the project's schema/ that the descriptor has dropped."""
    for name in resource_names():
        res = ctx.resources.get(name)
        if res is None or name not in ctx.tables:
            continue
        declared = {(tuple(f), t, tuple(r)) for f, t, r in res.foreign_keys()}
        project = Resource(index=-1, name=name, descriptor={}, schema=load_table_schema(name))
        for fields, target, ref_fields in project.foreign_keys():
            if (tuple(fields), target, tuple(ref_fields)) in declared:
                continue
            if target not in ctx.tables:
                continue
            existing = {tuple(row.get(f) for f in ref_fields) for _, row in ctx.tables[target].rows}
            for number, row in ctx.rows(name):
                values = tuple(row.get(f) for f in fields)
                if any(v is None for v in values) or values in existing:
                    continue
                ctx.add(
                    "foreign-key",
                    f"({join(fields)}) = ({join(values)}) has no match in "
                    f"{target} ({join(ref_fields)}) (this descriptor does not declare the "
                    f"reference, but the project's schema does). Use a value that exists in "
                    f"{target}, or add the missing row there.",
                    resource=name,
                    row=number,
                    field=",".join(fields),
                )


def check_classifications(ctx: Validator) -> None:
    editions = {row["edition"]: row for _, row in ctx.rows("editions") if row.get("edition")}
    follow_ups = [e for e, row in editions.items() if row.get("kind") == FOLLOW_UP]
    responders: dict[tuple[str, str], list[str]] = defaultdict(list)
    if ctx.have("responses"):
        for _, row in ctx.rows("responses"):
            edition, region = row.get("edition"), row.get("region_code")
            if edition and region:
                responders[(edition, region)].append(row.get("response_id") or "?")
    seen: dict[tuple[str, str], int] = {}
    for number, row in ctx.rows("classifications"):
        edition, region, category = (
            row.get("edition"),
            row.get("region_code"),
            row.get("category"),
        )
        if edition in editions and editions[edition].get("kind") not in (None, FOLLOW_UP):
            ctx.add(
                "classification-edition-kind",
                f"edition {edition} is of kind '{editions[edition].get('kind')}'; only "
                f"follow-up editions classify regions ({join(follow_ups) or 'none here'}). "
                "Correct the edition or delete the row.",
                resource="classifications",
                row=number,
                field="edition",
            )
        if edition is None or region is None:
            continue
        key = (edition, region)
        if key in seen:
            ctx.add(
                "classification-duplicate",
                f"region {ctx.region_label(region)} is already classified in edition "
                f"{edition} at row {seen[key]}; a region has exactly one classification "
                "per follow-up edition. Delete one of the rows.",
                resource="classifications",
                row=number,
                field="region_code",
            )
            continue
        seen[key] = number
        if category is None or not ctx.have("responses"):
            continue
        if edition in editions and editions[edition].get("kind") != FOLLOW_UP:
            continue
        answered = responders.get(key, [])
        if category == "no_response" and answered:
            ctx.add(
                "no-response-mismatch",
                f"region {ctx.region_label(region)} is classified 'no_response' in "
                f"{edition}, but responses has {len(answered)} response(s) from it in that "
                f"edition ({join(sorted(answered))}). Choose the category the edition "
                "gives it, or remove the responses if it did not answer.",
                resource="classifications",
                row=number,
                field="category",
            )
        elif category != "no_response" and not answered:
            ctx.add(
                "no-response-mismatch",
                f"region {ctx.region_label(region)} is classified '{category}' in "
                f"{edition}, but responses has no response from it in that edition. Use "
                "'no_response' for a region that did not answer, or add its response(s).",
                resource="classifications",
                row=number,
                field="category",
            )
    if not ctx.have("regions"):
        return
    regions = [code for _, row in ctx.rows("regions") if (code := row.get("region_code"))]
    for edition in follow_ups:
        for region in regions:
            if (edition, region) not in seen:
                ctx.add(
                    "classification-missing",
                    f"region {ctx.region_label(region)} has no classification in "
                    f"follow-up edition {edition}; every region has exactly one per "
                    "follow-up edition. Add a row (category 'no_response' if it did not "
                    "answer).",
                    resource="classifications",
                )


def check_gap_keys(ctx: Validator) -> None:
    first: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for number, row in ctx.rows("gaps"):
        key = row.get("gap_key")
        if key is None:
            continue
        for field, code, what in (
            ("region_code", "gap-key-region", "region"),
            ("function", "gap-key-function", "function"),
        ):
            value = row.get(field)
            if value is None:
                continue
            if field not in first[key]:
                first[key][field] = (value, number)
                continue
            known, at = first[key][field]
            if value != known:
                ctx.add(
                    code,
                    f"gap_key '{key}' belongs to {what} {known} at row {at} but to {what} "
                    f"{value} here; a gap_key names one gap of one region and one function "
                    f"in every edition. Give this gap its own key or correct {field}.",
                    resource="gaps",
                    row=number,
                    field=field,
                )


def check_gap_key_prefix(ctx: Validator) -> None:
    """A gap_key starts with the code of the region whose gap it names ('01-inpatient_beds')."""
    for number, row in ctx.rows("gaps"):
        key, region = row.get("gap_key"), row.get("region_code")
        if key is None or region is None or "-" not in key:
            continue
        prefix = key.split("-", 1)[0]
        if prefix != region:
            ctx.add(
                "gap-key-prefix",
                f"gap_key '{key}' starts with region code {prefix}, but the gap is region "
                f"{region}'s; a gap_key is '<region_code>-<function>…' of its own region. "
                f"Correct gap_key (e.g. '{region}-{key.split('-', 1)[1]}') or region_code.",
                resource="gaps",
                row=number,
                field="gap_key",
            )


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {
    "\x00": "NUL",
    "\x1b": "ESC (a terminal escape sequence)",
    "\t": "tab",
    "\r": "CR",
}


def check_text_cells(ctx: Validator) -> None:
    """Text cells hold no control characters (NUL, terminal escapes, tabs, CR), a required
    text is not only spaces, and a number, date or boolean has no spaces or line breaks
    around it (frictionless strips them; ``load()`` and ``build`` do not). Line breaks inside
    a quoted text cell are allowed."""
    for name in ctx.tables:
        res = ctx.resources.get(name)
        if res is None:
            continue
        kinds = {str(f.get("name")): str(f.get("type", "string")) for f in res.fields}
        required = {
            str(f.get("name"))
            for f in res.fields
            if isinstance(f.get("constraints"), dict) and f["constraints"].get("required")
        }
        for number, row in ctx.rows(name):
            for key, value in row.items():
                if value is None or key not in kinds:
                    continue
                if kinds[key] != "string":
                    if value != value.strip():
                        ctx.add(
                            "type-error",
                            f"{key} is {value!r}, with spaces or a line break around the "
                            f"value; a {kinds[key]} is written without them. Delete them.",
                            resource=name,
                            row=number,
                            field=key,
                        )
                    continue
                bad = _CONTROL.search(value)
                if bad:
                    char = bad.group()
                    what = _CONTROL_NAMES.get(char, f"control character U+{ord(char):04X}")
                    ctx.add(
                        "control-character",
                        f"{key} holds a {what} at character {bad.start() + 1}; text cells hold "
                        "printable text only (line breaks inside a quoted cell are fine). "
                        "Delete it; it is often pasted in from another program.",
                        resource=name,
                        row=number,
                        field=key,
                    )
                elif key in required and not value.strip():
                    ctx.add(
                        "blank-text",
                        f"{key} holds only spaces but is required. Write the value, or leave "
                        "the row out.",
                        resource=name,
                        row=number,
                        field=key,
                    )


def check_responses(ctx: Validator) -> None:
    by_id = {row["response_id"]: row for _, row in ctx.rows("responses") if row.get("response_id")}
    for number, row in ctx.rows("responses"):
        party, kind = row.get("party"), row.get("kind")
        if party is not None and kind is not None and kind not in ("political", "joint"):
            ctx.add(
                "party-kind",
                f"party is '{party}' but kind is '{kind}'; a party is recorded only for "
                "kind 'political' or 'joint'. Empty the party or correct the kind.",
                resource="responses",
                row=number,
                field="party",
            )
        target, own = row.get("supplements"), row.get("response_id")
        if target is None:
            continue
        if target == own:
            ctx.add(
                "supplements-region",
                f"response {own} supplements itself; 'supplements' names another response "
                "of the same region. Empty it or name the response this one adds to.",
                resource="responses",
                row=number,
                field="supplements",
            )
        elif target in by_id and by_id[target].get("region_code") not in (
            None,
            row.get("region_code"),
        ):
            ctx.add(
                "supplements-region",
                f"response {own} of region {row.get('region_code')} supplements {target}, "
                f"a response of region {by_id[target].get('region_code')}; a response can "
                "only supplement one of its own region. Correct 'supplements'.",
                resource="responses",
                row=number,
                field="supplements",
            )


def check_gap_answers(ctx: Validator) -> None:
    editions = {row["edition"]: row for _, row in ctx.rows("editions") if row.get("edition")}
    responses = {
        row["response_id"]: row for _, row in ctx.rows("responses") if row.get("response_id")
    }
    gap_region: dict[tuple[str, str], str] = {}
    key_region: dict[str, str] = {}
    if ctx.have("gaps"):
        for _, row in ctx.rows("gaps"):
            key, region, edition = row.get("gap_key"), row.get("region_code"), row.get("edition")
            if key and region:
                key_region.setdefault(key, region)
                if edition:
                    gap_region[(edition, key)] = region
    for number, row in ctx.rows("gap_answers"):
        response = responses.get(row.get("response_id") or "")
        if response is None:
            continue  # a foreign-key problem already says so
        edition = row.get("edition")
        response_edition = response.get("edition")
        if edition is not None and response_edition in editions:
            expected = editions[response_edition].get("follows_up")
            if expected is None:
                ctx.add(
                    "gap-answer-mismatch",
                    f"response {row['response_id']} belongs to edition {response_edition}, "
                    "which follows up no edition, so it cannot answer about gaps. Correct "
                    "the response's edition or the editions' follows_up.",
                    resource="gap_answers",
                    row=number,
                    field="edition",
                )
            elif edition != expected:
                ctx.add(
                    "gap-answer-mismatch",
                    f"response {row['response_id']} belongs to edition {response_edition}, "
                    f"which follows up {expected}; the gaps it answers about are those of "
                    f"{expected}, not {edition}. Set edition to {expected}.",
                    resource="gap_answers",
                    row=number,
                    field="edition",
                )
        key = row.get("gap_key")
        region = response.get("region_code")
        if key is None or region is None:
            continue
        gap_owner = gap_region.get((edition or "", key)) or key_region.get(key)
        if gap_owner is not None and gap_owner != region:
            ctx.add(
                "gap-answer-mismatch",
                f"gap {key} is a gap of region {gap_owner}, but response "
                f"{row['response_id']} comes from region {region}; a response answers only "
                "about its own region's gaps. Correct gap_key or response_id.",
                resource="gap_answers",
                row=number,
                field="gap_key",
            )


_STATEMENT_NEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "listed": (("edition", "gap_key", "region_status"), ("function",)),
    "missing": (("function", "statement_text"), ("edition", "gap_key", "region_status")),
    "wrong": (("edition", "gap_key", "statement_text"), ("function", "region_status")),
}
"""Kind of a gap statement → the fields it needs and the fields it leaves empty."""


def check_gap_statements(ctx: Validator) -> None:
    """The regions' own statements: shaped by their kind, about their own region's gaps of the
    edition their response follows up, and each listed gap's reading in ``gap_answers``."""
    editions = {row["edition"]: row for _, row in ctx.rows("editions") if row.get("edition")}
    responses = {
        row["response_id"]: row for _, row in ctx.rows("responses") if row.get("response_id")
    }
    key_region: dict[str, str] = {}
    if ctx.have("gaps"):
        for _, row in ctx.rows("gaps"):
            key, region = row.get("gap_key"), row.get("region_code")
            if key and region:
                key_region.setdefault(key, region)
    readings: dict[tuple[str, str], str | None] = {}
    if ctx.have("gap_answers"):
        for _, row in ctx.rows("gap_answers"):
            if (answer := row.get("response_id")) and (gap := row.get("gap_key")):
                readings[(answer, gap)] = row.get("stance")
    listed: dict[tuple[str, str], int] = {}
    for number, row in ctx.rows("gap_statements"):
        kind, response_id, key = row.get("kind"), row.get("response_id"), row.get("gap_key")
        needs, empty = _STATEMENT_NEEDS.get(kind or "", ((), ()))
        for field in needs:
            if row.get(field) is None:
                ctx.add(
                    "gap-statement-shape",
                    f"a statement of kind '{kind}' needs {field}, which is empty. Fill it in "
                    "from the workbook, or correct kind.",
                    resource="gap_statements",
                    row=number,
                    field=field,
                )
        for field in empty:
            if row.get(field) is not None:
                ctx.add(
                    "gap-statement-shape",
                    f"a statement of kind '{kind}' leaves {field} empty, but it is "
                    f"{row[field]!r}. Empty it, or correct kind.",
                    resource="gap_statements",
                    row=number,
                    field=field,
                )
        if row.get("target_quarter") is not None and row.get("target_year") is None:
            ctx.add(
                "gap-statement-shape",
                "target_quarter is set but target_year is empty; a quarter is of a year. Fill "
                "in target_year or empty target_quarter.",
                resource="gap_statements",
                row=number,
                field="target_quarter",
            )
        response = responses.get(response_id or "")
        if response is None:
            continue  # a foreign-key problem already says so
        edition = row.get("edition")
        response_edition = response.get("edition")
        expected = editions.get(response_edition or "", {}).get("follows_up")
        if edition is not None and response_edition in editions and edition != expected:
            ctx.add(
                "gap-statement-mismatch",
                f"response {response_id} belongs to edition {response_edition}, which follows "
                f"up {expected or 'no edition'}; its statements are about the gaps of "
                f"{expected or 'that edition'}, not {edition}. Correct edition (or the "
                "response's edition).",
                resource="gap_statements",
                row=number,
                field="edition",
            )
        region = response.get("region_code")
        owner = key_region.get(key or "")
        if key is not None and owner is not None and region is not None and owner != region:
            ctx.add(
                "gap-statement-mismatch",
                f"gap {key} is a gap of region {owner}, but response {response_id} comes from "
                f"region {region}; a region states things about its own gaps only. Correct "
                "gap_key or response_id.",
                resource="gap_statements",
                row=number,
                field="gap_key",
            )
        if kind != "listed" or key is None or response_id is None:
            continue
        if (response_id, key) in listed:
            ctx.add(
                "gap-statement-duplicate",
                f"response {response_id} already has a statement about gap {key} at row "
                f"{listed[(response_id, key)]}; a workbook has one row per listed gap. Delete "
                "one of the rows.",
                resource="gap_statements",
                row=number,
                field="gap_key",
            )
            continue
        listed[(response_id, key)] = number
        if not ctx.have("gap_answers"):
            continue
        if (response_id, key) not in readings:
            ctx.add(
                "gap-statement-reading",
                f"gap_answers has no row for response {response_id} and gap {key}; every listed "
                "gap a region states something about is read there. Add the row (`palliativ-data "
                "round import` writes it as a suggestion).",
                resource="gap_statements",
                row=number,
                field="gap_key",
            )
        elif row.get("curation") == "suggested" and readings[(response_id, key)] not in (
            None,
            row.get("region_status"),
        ):
            ctx.add(
                "gap-statement-reading",
                f"the gap_answers row for response {response_id} and gap {key} has stance "
                f"'{readings[(response_id, key)]}', not the suggested "
                f"'{row.get('region_status')}', so a curator has read it, but curation is still "
                "'suggested'. Set curation to 'curated' (or restore the suggestion).",
                resource="gap_statements",
                row=number,
                field="curation",
            )


@dataclass(frozen=True)
class Rule:
    """One cross-table rule: the codes it reports, the tables it reads, its check."""

    codes: Mapping[str, str]
    """Each problem code the rule reports, with what it means."""
    tables: tuple[str, ...]
    """Resources that must be readable for the rule to run."""
    check: Callable[[Validator], None]


RULES: tuple[Rule, ...] = (
    Rule(
        {
            "foreign-key": "a reference the project's schema/ declares, but the validated "
            "descriptor has dropped, has no match",
        },
        (),
        check_declared_references,
    ),
    Rule(
        {
            "classification-edition-kind": "a classification points to an edition that is not "
            "a follow-up",
            "classification-duplicate": "a region has more than one classification in an edition",
            "no-response-mismatch": "category no_response but the region answered, or another "
            "category but it did not",
            "classification-missing": "a region has no classification in a follow-up edition",
        },
        ("editions", "classifications"),
        check_classifications,
    ),
    Rule(
        {
            "gap-key-region": "a gap_key is used for more than one region",
            "gap-key-function": "a gap_key is used for more than one function",
        },
        ("gaps",),
        check_gap_keys,
    ),
    Rule(
        {"gap-key-prefix": "a gap_key starts with the code of another region"},
        ("gaps",),
        check_gap_key_prefix,
    ),
    Rule(
        {
            "control-character": "a text cell holds a control character (NUL, a terminal "
            "escape, a tab, CR)",
            "blank-text": "a required text cell holds only spaces",
        },
        (),
        check_text_cells,
    ),
    Rule(
        {
            "party-kind": "party set on a response that is not political or joint",
            "supplements-region": "a response supplements a response of another region (or itself)",
        },
        ("responses",),
        check_responses,
    ),
    Rule(
        {
            "gap-answer-mismatch": "a gap answer names the wrong edition, or a gap of another "
            "region",
        },
        ("gap_answers", "responses", "editions"),
        check_gap_answers,
    ),
    Rule(
        {
            "gap-statement-shape": "a region's statement lacks a field its kind needs, or has "
            "one its kind leaves empty",
            "gap-statement-mismatch": "a region's statement names the wrong edition, or a gap of "
            "another region",
            "gap-statement-duplicate": "a response has two statements about the same listed gap",
            "gap-statement-reading": "a listed gap's statement has no reading in gap_answers, or "
            "is marked 'suggested' after the reading changed",
        },
        ("gap_statements", "responses", "editions"),
        check_gap_statements,
    ),
)
"""The cross-table rules, in the order they run."""

RULE_CODES: dict[str, str] = {code: text for rule in RULES for code, text in rule.codes.items()}
"""Every code the cross-table rules report, with what it means."""
