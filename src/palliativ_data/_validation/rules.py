"""Layer 3: the rules that the Table Schema language cannot express (across rows and tables).

:data:`RULES` lists them. Each :class:`Rule` has the problem codes it reports (taken from the
catalogue, :mod:`~palliativ_data._validation.codes`), the tables it needs (it is skipped when
one of them could not be read), its check and its column-wise fast form.

A check is written once, against :class:`RuleContext`: the full path runs it on the
:class:`~palliativ_data._validation.validator.Validator` (rows as dicts), and the fast path on
its Arrow tables (:class:`~palliativ_data._validation.fast.FastContext`, where the first
problem hands over to the full path). A rule's fast form (``Rule.fast``) answers the same
question column by column for large tables: is the rule broken anywhere?
``tests/test_validate_codes.py`` checks that each fast form agrees with its check.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .._vocabulary import FOLLOW_UP
from .codes import ProblemCode, codes
from .resources import Resource, Table
from .text import join

if TYPE_CHECKING:  # pragma: no cover - only the fast path imports pyarrow
    import pyarrow as pa


class RuleContext(Protocol):
    """What a rule's check sees: the package's resources and readable tables, and ``add``."""

    @property
    def resources(self) -> Mapping[str, Resource]:
        """Every resource of the descriptor, by name."""
        ...

    def have(self, *names: str) -> bool:
        """Whether every table named could be read."""
        ...

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, str | None]]]:
        """``(row number, {field: text or None})`` of a readable table; a cell frictionless
        rejected is None."""
        ...

    def table(self, name: str) -> Table:
        """A readable table as it is in the file (rejected cells included)."""
        ...

    def region_label(self, code: str) -> str:
        """``code (name)`` of a region, for messages."""
        ...

    def add(
        self,
        code: str,
        message: str,
        *,
        resource: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        """Report a problem (``code`` one of the rule's codes)."""
        ...


class ColumnContext(Protocol):
    """What a rule's fast form sees: the tables as Arrow text columns (``""`` when empty)."""

    @property
    def resources(self) -> Mapping[str, Resource]:
        """Every resource of the descriptor, by name."""
        ...

    @property
    def arrow(self) -> Mapping[str, pa.Table]:
        """The readable tables; a large one holds only the columns the fast forms read."""
        ...


Candidates = bool | Mapping[str, "pa.ChunkedArray | pa.Array"]
"""What a rule's fast form answers: ``False``, the rule is broken nowhere; ``True``, it may be
broken (its check decides, on every row); or ``{table: boolean mask}``, only the masked rows
of those tables can hold its problems (its check then reads only them, and every row of the
other tables). A mask is for a check whose problems in a row depend on that row, the other
tables and the rows masked with it (a key's rows, say), never on a row left out."""


def check_classifications(ctx: RuleContext) -> None:
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


def check_gap_keys(ctx: RuleContext) -> None:
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


def gap_keys_fast(ctx: ColumnContext) -> Candidates:
    """:func:`check_gap_keys` column-wise: a gap_key with two regions (or functions) has more
    distinct (key, value) pairs than distinct keys. Its candidates: every row of such a key
    (the check compares a key's rows with its first)."""
    # deferred: pyarrow.compute (0.2 s) only for the fast path, which has imported it
    import pyarrow as pa
    import pyarrow.compute as pc

    from .column_checks import EMPTY, FALSE, combined, int_scalar

    gaps = ctx.arrow["gaps"]
    key = combined(gaps.column("gap_key"))
    keys = pc.dictionary_encode(key).indices.cast(pa.int64())
    conflicting = []
    for other in ("region_code", "function"):
        value = combined(gaps.column(other))
        encoded = pc.dictionary_encode(value)
        has = pc.and_(pc.not_equal(key, EMPTY), pc.not_equal(value, EMPTY))
        width = int_scalar(len(encoded.dictionary))
        pairs = pc.unique(
            pc.filter(pc.add(pc.multiply(keys, width), encoded.indices.cast(pa.int64())), has)
        )
        counts = pc.value_counts(pc.divide(pairs, width))
        conflicting.append(pc.filter(counts.field("values"), pc.greater(counts.field("counts"),
                                                                        int_scalar(1))))  # fmt: skip
    keys_to_check = pa.concat_arrays(conflicting)
    if not len(keys_to_check):
        return False
    return {"gaps": pc.fill_null(pc.is_in(keys, value_set=keys_to_check), FALSE)}


def check_gap_key_prefix(ctx: RuleContext) -> None:
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


def gap_key_prefix_fast(ctx: ColumnContext) -> Candidates:
    """:func:`check_gap_key_prefix` column-wise: the rows whose key's prefix is not the region."""
    # deferred: pyarrow.compute (0.2 s) only for the fast path, which has imported it
    import pyarrow.compute as pc

    from .column_checks import EMPTY, FALSE, ZERO

    gaps = ctx.arrow["gaps"]
    key, region = gaps.column("gap_key"), gaps.column("region_code")
    has = pc.and_(
        pc.and_(pc.not_equal(key, EMPTY), pc.not_equal(region, EMPTY)),
        pc.match_substring(key, "-"),
    )
    prefix = pc.list_element(pc.split_pattern(key, "-", max_splits=1), ZERO)
    wrong = pc.and_(has, pc.fill_null(pc.not_equal(prefix, region), FALSE))
    return {"gaps": wrong} if pc.any(wrong).as_py() else False


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {
    "\x00": "NUL",
    "\x1b": "ESC (a terminal escape sequence)",
    "\t": "tab",
    "\r": "CR",
}


def check_text_cells(ctx: RuleContext) -> None:
    """Text cells hold no control characters (NUL, terminal escapes, tabs, CR), a required
    text is not only spaces, and a number, date or boolean has no spaces or line breaks
    around it (frictionless strips them; ``load()`` and ``build`` do not). Line breaks inside
    a quoted text cell are allowed."""
    for name, res in ctx.resources.items():
        if not ctx.have(name):
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


def text_cells_fast(ctx: ColumnContext) -> Candidates:
    """:func:`check_text_cells` column-wise, on every column (``Rule.per_table``): the rows
    with a control character in a text, a required text that starts with a space, or a
    number, date or boolean with a space or line break at either end."""
    # deferred: pyarrow.compute (0.2 s) only for the fast path, which has imported it
    import pyarrow.compute as pc

    from .column_checks import CONTROL_RE2, any_of, has_control_bytes, space_at_end, space_first

    found = {}
    for name, table in ctx.arrow.items():
        res = ctx.resources[name]
        controls = has_control_bytes(res)
        masks = []
        for field in res.fields:
            column = table.column(str(field.get("name")))
            if field.get("type", "string") != "string":
                masks.append(space_at_end(column))
                continue
            if controls:
                masks.append(pc.match_substring_regex(column, CONTROL_RE2))
            if (field.get("constraints") or {}).get("required"):
                masks.append(space_first(column))
        if masks:
            rows = any_of(mask for mask in masks if mask is not None)
            if pc.any(rows).as_py():
                found[name] = rows
    return found or False


def check_responses(ctx: RuleContext) -> None:
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


def check_gap_answers(ctx: RuleContext) -> None:
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


def gap_answers_fast(ctx: ColumnContext) -> Candidates:
    """:func:`check_gap_answers` column-wise: the answers whose edition is not the one their
    response's edition follows up, or whose gap is another region's (by the key's first row;
    every answer about a key of two regions too, which the check looks up by edition). With a
    response id or edition listed twice (the check keeps the last, this would find the first)
    it leaves every row to the check."""
    # deferred: pyarrow.compute (0.2 s) only for the fast path, which has imported it
    import pyarrow.compute as pc

    from .column_checks import EMPTY, FALSE, TRUE, combined, repeats, valid

    answers = ctx.arrow["gap_answers"]
    responses, editions = ctx.arrow["responses"], ctx.arrow["editions"]
    if not answers.num_rows:
        return False
    response_ids = responses.column("response_id")
    if repeats(response_ids) or repeats(editions.column("edition")):
        return True
    at = pc.index_in(valid(answers.column("response_id")), value_set=combined(response_ids))
    found = pc.is_valid(at)
    edition = valid(answers.column("edition"))
    gap_key = valid(answers.column("gap_key"))
    response_region = pc.take(valid(responses.column("region_code")), at)
    where = pc.index_in(
        pc.take(valid(responses.column("edition")), at),
        value_set=combined(editions.column("edition")),
    )
    expected = pc.take(valid(editions.column("follows_up")), where)
    wrong = pc.and_(
        pc.and_(pc.and_(found, pc.is_valid(edition)), pc.is_valid(where)),
        pc.fill_null(pc.not_equal(edition, expected), TRUE),
    )
    if "gaps" in ctx.arrow:
        gaps = ctx.arrow["gaps"]
        keys, regions = gaps.column("gap_key"), gaps.column("region_code")
        has = pc.and_(pc.not_equal(keys, EMPTY), pc.not_equal(regions, EMPTY))
        owner = pc.take(
            pc.filter(regions, has), pc.index_in(gap_key, value_set=combined(pc.filter(keys, has)))
        )
        other = pc.and_(found, pc.fill_null(pc.not_equal(owner, response_region), FALSE))
        wrong = pc.or_(wrong, other)
        two_regions = gap_keys_fast(ctx)
        if isinstance(two_regions, Mapping):
            shared = pc.unique(pc.filter(keys, two_regions["gaps"]))
            wrong = pc.or_(wrong, pc.fill_null(pc.is_in(gap_key, value_set=shared), FALSE))
    return {"gap_answers": wrong} if pc.any(wrong).as_py() else False


_STATEMENT_NEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "listed": (("edition", "gap_key", "region_status"), ("function",)),
    "missing": (("function", "statement_text"), ("edition", "gap_key", "region_status")),
    "wrong": (("edition", "gap_key", "statement_text"), ("function", "region_status")),
}
"""Kind of a gap statement → the fields it needs and the fields it leaves empty."""


def gap_statements_fast(ctx: ColumnContext) -> Candidates:
    """:func:`check_gap_statements` reports only about statement rows: none, nothing to say."""
    return bool(ctx.arrow["gap_statements"].num_rows)


def check_gap_statements(ctx: RuleContext) -> None:
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
    """One rule: the codes it reports, the tables it reads, its check and its fast form."""

    codes: tuple[ProblemCode, ...]
    """Each problem code the check reports, from the catalogue
    (:func:`~palliativ_data._validation.codes.codes`)."""
    tables: tuple[str, ...]
    """Resources that must be readable for the rule to run."""
    check: Callable[[RuleContext], None]
    """The check: reports each problem with ``ctx.add``."""
    fast: Callable[[ColumnContext], Candidates] | None = None
    """Whether (and in which rows) the rule may be broken, column by column
    (:data:`Candidates`); on the fast path only a rule it finds broken runs its check, on the
    rows it names. None: the fast path runs the check on every row."""
    per_table: bool = False
    """The fast form reads every column of one table: the fast path runs it on each table as
    it reads it, before a large table is cut down to the columns the other checks read (such
    a rule reads every table: its ``tables`` is empty)."""

    def __post_init__(self) -> None:
        if self.per_table and (self.tables or self.fast is None):
            raise ValueError("a per_table rule has a fast form and reads every table")

    @property
    def code_names(self) -> tuple[str, ...]:
        """The codes as ``Problem.code`` has them."""
        return tuple(entry.code for entry in self.codes)


RULES: tuple[Rule, ...] = (
    Rule(
        codes(
            "classification-edition-kind",
            "classification-duplicate",
            "no-response-mismatch",
            "classification-missing",
        ),
        ("editions", "classifications"),
        check_classifications,
    ),
    Rule(codes("gap-key-region", "gap-key-function"), ("gaps",), check_gap_keys, gap_keys_fast),
    Rule(codes("gap-key-prefix"), ("gaps",), check_gap_key_prefix, gap_key_prefix_fast),
    Rule(
        codes("control-character", "blank-text", "type-error"),
        (),
        check_text_cells,
        text_cells_fast,
        per_table=True,
    ),
    Rule(codes("party-kind", "supplements-region"), ("responses",), check_responses),
    Rule(
        codes("gap-answer-mismatch"),
        ("gap_answers", "responses", "editions"),
        check_gap_answers,
        gap_answers_fast,
    ),
    Rule(
        codes(
            "gap-statement-shape",
            "gap-statement-mismatch",
            "gap-statement-duplicate",
            "gap-statement-reading",
        ),
        ("gap_statements", "responses", "editions"),
        check_gap_statements,
        gap_statements_fast,
    ),
)
"""The rules, in the order they run."""
