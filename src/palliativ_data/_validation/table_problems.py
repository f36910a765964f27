"""What frictionless reports in one table, found column by column (the fast path's layer 2).

:func:`table_findings` finds, in a table the fast path has read (every cell as text, ``""``
when empty, the header already checked), exactly the errors frictionless-py 5 reports for it:

* ``type-error`` and ``constraint-error`` per cell: each field's *distinct* texts are read as
  frictionless reads them (``int(cell.strip())``, ``strptime``, the Table Schema's boolean
  words, ``re.match("^" + pattern + "$")``, ``len()``), then mapped back to the rows that hold
  them; an empty cell is missing (only ``required`` applies to it), a cell with a type error
  is not checked against constraints, and every constraint a value breaks is one error;
* ``unique-error`` per cell and ``primary-key`` per row, on the *typed* values (``01`` and
  ``1`` are the same integer), each duplicate naming the previous row with that value, a
  key of only empty cells an error of its own;

and :func:`foreign_key_findings` the ``foreign-key`` errors of one reference, against the
rows of the referenced table (frictionless' lookup: every row whose key is not all empty).

Each :class:`Finding` carries the attributes of the frictionless error it stands for, so the
problems are written by the same code (:func:`.frictionless.add_frictionless_error`) and
read the same. Anything outside what is emulated here (a field type or constraint it does
not know, more findings than frictionless would collect before its error limit) raises
:class:`~.column_checks.NotClean`, and the table is left to frictionless.
``tests/test_validate_parity.py`` compares the reports of both paths.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import string_array
from .._schema.types import FALSE_VALUES, TRUE_VALUES
from .column_checks import (
    EMPTY,
    FALSE,
    ZERO,
    NotClean,
    all_of,
    combined,
    int_array,
    int_scalar,
    row_numbers,
    tuple_codes,
)
from .resources import Resource

SUPPORTED: Mapping[str, tuple[str, ...]] = {
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "integer": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
    "boolean": ("required", "enum"),
    "date": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
}
"""frictionless' ``supported_constraints`` of each field type the fast path reads, in its
order (a cell breaking two constraints gets two errors)."""

_SIMPLE_PATTERN = re.compile(r"^[\^$\[\]()|*+?{},:;_.A-Za-z0-9 -]*$")
"""Patterns without escapes, negated classes or other syntax where RE2 and Python differ."""


@dataclass
class Finding:
    """One error as frictionless reports it: the attributes its messages read."""

    type: str
    row_number: int
    note: str = ""
    field_name: str | None = None
    cell: str = ""
    cells: list[str] = field(default_factory=list)
    field_names: list[str] = field(default_factory=list)
    field_cells: list[str] = field(default_factory=list)
    reference_name: str = ""
    reference_field_names: list[str] = field(default_factory=list)


class Budget:
    """How many more findings frictionless would collect in this file before it stops."""

    def __init__(self, name: str, limit: int) -> None:
        self.name = name
        self.left = limit

    def take(self, count: int) -> None:
        self.left -= count
        if self.left <= 0:  # frictionless stops at its limit: its order decides what is kept
            raise NotClean(f"{self.name}: as many problems as the error limit")


# --------------------------------------------------------------------------- reading values


def reader(spec: Mapping[str, Any]) -> Callable[[str], Any]:
    """frictionless' value reader of a field: the value, or None when the text is invalid."""
    kind = spec.get("type", "string")
    form = spec.get("format", "default")
    if kind == "string" and form == "default":
        return lambda cell: cell
    if kind == "string" and form == "uri":
        return _uri_reader()
    if kind == "integer" and form == "default":

        def integer(cell: str) -> int | None:
            try:
                return int(cell.strip())
            except ValueError:
                return None

        return integer
    if kind == "boolean" and form == "default":
        # the Table Schema defaults, which frictionless uses (its DEFAULT_TRUE_VALUES, …)
        mapping = dict.fromkeys(TRUE_VALUES, True) | dict.fromkeys(FALSE_VALUES, False)
        return mapping.get
    if kind == "date" and form == "default":

        def date(cell: str) -> Any:
            try:
                return datetime.strptime(cell, "%Y-%m-%d").date()
            except ValueError:
                return None

        return date
    raise NotClean(f"field {spec.get('name')!r}: type {kind}/{form} has no fast check")


URI_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
"""What frictionless asks of a 'uri' cell: rfc3986 parses it (its ``URI_MATCHER`` matches any
text) and requires a scheme, which is there exactly when the text starts with one and a colon.
Checked here without importing rfc3986 (about 30 ms, every validate of a package with a 'uri'
field); ``tests/test_validate_parity.py`` holds the two to the same verdict."""


def _uri_reader() -> Callable[[str], Any]:
    def uri(cell: str) -> str | None:
        return cell if URI_SCHEME.match(cell) else None

    return uri


_BOUNDS = {"minimum": pc.greater_equal, "maximum": pc.less_equal,
           "exclusiveMinimum": pc.greater, "exclusiveMaximum": pc.less}  # fmt: skip
"""The range constraints, with the comparison a value must pass."""


def _bounds(spec: Mapping[str, Any], read: Callable[[str], Any]) -> dict[str, Any]:
    """The field's range constraints as values of its type (frictionless reads a text bound)."""
    rules = spec.get("constraints") or {}
    result = {}
    for name in _BOUNDS:
        if name in rules:
            bound = read(rules[name]) if isinstance(rules[name], str) else rules[name]
            if bound is None or isinstance(bound, bool):
                raise NotClean(f"field {spec.get('name')!r}: {name} is not a value")
            result[name] = bound
    return result


def _checks(
    spec: Mapping[str, Any], read: Callable[[str], Any]
) -> dict[str, Callable[[Any], bool]]:
    """frictionless' constraint checks of a field (but ``required``), by constraint, in order."""
    kind = str(spec.get("type", "string"))
    rules = spec.get("constraints") or {}
    supported = SUPPORTED.get(kind)
    if supported is None or set(rules) - {*supported, "unique"}:
        raise NotClean(f"field {spec.get('name')!r}: a constraint the fast path does not check")
    bounds = _bounds(spec, read)
    checks: dict[str, Callable[[Any], bool]] = {}
    for name in supported:
        if name == "required" or name not in rules:
            continue
        checks[name] = _check(name, bounds.get(name, rules[name]), read)
    return checks


_COMPARE: Mapping[str, Callable[[Any, Any], Any]] = {
    "minimum": operator.ge,
    "maximum": operator.le,
    "exclusiveMinimum": operator.gt,
    "exclusiveMaximum": operator.lt,
    "minLength": lambda value, bound: len(value) >= bound,
    "maxLength": lambda value, bound: len(value) <= bound,
}


def _check(name: str, bound: Any, read: Callable[[str], Any]) -> Callable[[Any], bool]:
    """frictionless' check of one constraint on a (valid) typed value."""
    if name in _COMPARE:
        compare = _COMPARE[name]

        def within(value: Any) -> bool:
            return bool(compare(value, bound))

        return within
    if name == "pattern":
        compiled = re.compile(f"^{bound}$")

        def matches(value: Any) -> bool:
            return bool(compiled.match(value))

        return matches
    allowed = [read(item) if isinstance(item, str) else item for item in bound]  # enum

    def listed(value: Any) -> bool:
        return value in allowed

    return listed


def _constraint_note(spec: Mapping[str, Any], name: str) -> str:
    return f'constraint "{name}" is "{(spec.get("constraints") or {})[name]}"'


# --------------------------------------------------------------------------- distinct values


@dataclass
class Column:
    """One field's verdicts on its distinct non-empty texts, and a code per row for keys."""

    invalid: list[str]
    """Texts that are not a valid value of the field's type (type-error)."""
    broken: dict[str, list[str]]
    """Constraint (but ``required``) → the texts whose value breaks it (constraint-error)."""
    codes: Any
    """Per row: an integer that is equal for equal typed values, null for an empty cell or a
    type error (frictionless' None), as an Arrow int64 array (None when not asked for)."""
    typed_text: Callable[[str], str]
    """``str()`` of a text's typed value (what frictionless prints in a unique-error)."""


def judge_column(spec: Mapping[str, Any], column: Any, need_codes: bool) -> Column:
    """The verdicts of one field on one column (see :class:`Column`; ``codes`` is None unless
    ``need_codes``: only a unique or key field needs them)."""
    kind = spec.get("type", "string")
    form = spec.get("format", "default")
    read = reader(spec)
    checks = _checks(spec, read)
    text = kind == "string" and form == "default"
    if text and not checks and not need_codes:  # every text is a valid value: nothing to read
        return Column([], {}, None, _same)
    distinct = pc.unique(column)
    distinct = pc.filter(distinct, pc.not_equal(distinct, EMPTY))
    if text:
        broken = _string_verdicts(spec, distinct, checks) if checks else {}
        codes = None
        if need_codes:  # the position among the distinct texts; "" is not one: null
            codes = pc.index_in(combined(column), value_set=distinct).cast(pa.int64())
        return Column([], broken, codes, _same)
    plain = None
    if kind == "integer" and form == "default" and "enum" not in checks:
        # plain ASCII digits: int() and Arrow's cast read them alike, no spaces around
        plain = pc.match_substring_regex(distinct, r"^-?[0-9]{1,18}$")
    invalid: list[str] = []
    broken = {name: [] for name in checks}
    mapping: dict[str, Any] = {}  # text → typed value, for the texts read in Python
    if plain is not None:
        numbers = pc.cast(pc.filter(distinct, plain), pa.int64())
        texts = pc.filter(distinct, plain)
        for name, bound in _bounds(spec, read).items():  # all of checks: no enum here
            if not isinstance(bound, int) or not -(2**62) < bound < 2**62:
                raise NotClean(f"field {spec.get('name')!r}: {name} is not a small integer")
            ok = _BOUNDS[name](numbers, int_scalar(bound))
            broken[name].extend(pc.filter(texts, pc.invert(ok)).to_pylist())
        rest = pc.filter(distinct, pc.invert(plain)).to_pylist()
    else:
        rest = distinct.to_pylist()
    for text in rest:
        value = read(text)
        if value is None:
            invalid.append(text)
            continue
        mapping[text] = value
        for name, check in checks.items():
            if not check(value):
                broken[name].append(text)
    broken = {name: texts for name, texts in broken.items() if texts}
    codes = None
    if need_codes:
        codes = _typed_codes(kind, combined(column), plain is not None, mapping)
    return Column(invalid, broken, codes, lambda text: str(read(text)))


def _same(text: str) -> str:
    return text


def _string_verdicts(
    spec: Mapping[str, Any], distinct: Any, checks: Mapping[str, Callable[[Any], bool]]
) -> dict[str, list[str]]:
    """Constraint → the distinct texts that break it, for a plain string field."""
    rules = spec.get("constraints") or {}
    broken: dict[str, list[str]] = {}
    for name in checks:
        if name == "enum":
            allowed = string_array([v for v in rules["enum"] if isinstance(v, str)])
            bad = pc.filter(distinct, pc.invert(pc.is_in(distinct, value_set=allowed)))
            texts = bad.to_pylist()
        elif name == "pattern":
            texts = _not_matching(str(rules["pattern"]), distinct)
        elif name in ("minLength", "maxLength"):
            bound = rules[name]
            if not isinstance(bound, int) or isinstance(bound, bool):
                raise NotClean(f"field {spec.get('name')!r}: {name} is not an integer")
            lengths = pc.utf8_length(distinct)
            ok = (pc.greater_equal if name == "minLength" else pc.less_equal)(
                lengths.cast(pa.int64()), int_scalar(bound)
            )
            texts = pc.filter(distinct, pc.invert(ok)).to_pylist()
        else:  # minimum/maximum on a string: frictionless does not support them (SUPPORTED)
            raise NotClean(f"field {spec.get('name')!r}: {name} on text")
        if texts:
            broken[name] = texts
    return broken


def _not_matching(pattern: str, distinct: Any) -> list[str]:
    """The texts that do not match as frictionless matches: ``re.match("^" + p + "$")``.

    A simple pattern is tried with RE2 on the whole column first; RE2's full match implies
    Python's (Python's ``$`` also matches before a final line break), so only the texts RE2
    rejects are tried again with Python's ``re``.
    """
    candidates = distinct
    if _SIMPLE_PATTERN.match(pattern) and "[^" not in pattern:
        try:
            ok = pc.match_substring_regex(distinct, f"^(?:{pattern})$")
            candidates = pc.filter(distinct, pc.invert(ok))
        except pa.ArrowInvalid:
            pass
    compiled = re.compile(f"^{pattern}$")
    return [text for text in candidates.to_pylist() if not compiled.match(text)]


def _typed_codes(kind: str, column: Any, plain: bool, mapping: Mapping[str, Any]) -> Any:
    """Per row, an int64 equal for equal typed values; null for missing or invalid."""
    if kind == "integer":  # the typed value itself
        codes = pa.nulls(len(column), pa.int64())
        if plain:
            digits = pc.match_substring_regex(column, r"^-?[0-9]{1,18}$")
            safe = pc.if_else(digits, column, string_array(["0"])[0])
            codes = pc.if_else(digits, pc.cast(safe, pa.int64()), codes)
        texts = [text for text, value in mapping.items() if -(2**62) < value < 2**62]
        if len(texts) != len(mapping):
            raise NotClean("an integer too large for the fast path's keys")
        if texts:
            values = int_array([mapping[t] for t in texts])
            where = pc.index_in(column, value_set=string_array(texts))
            codes = pc.coalesce(pc.take(values, where), codes)
        return codes
    # boolean, date, uri: few distinct values, each typed value an id
    ids: dict[Any, int] = {}
    texts, numbers = [], []
    for text, value in mapping.items():
        texts.append(text)
        numbers.append(ids.setdefault(value, len(ids)))
    if not texts:
        return pa.nulls(len(column), pa.int64())
    where = pc.index_in(column, value_set=string_array(texts))
    return pc.take(int_array(numbers), where)


# --------------------------------------------------------------------------- one table


def table_findings(res: Resource, table: pa.Table, budget: Budget) -> list[Finding]:
    """The type, constraint, unique and primary-key errors frictionless reports in ``table``.

    ``table`` holds the resource's fields in schema order, every cell as text; a table with
    a row of only empty cells (a blank row) is refused here (:class:`NotClean`).
    """
    found: list[Finding] = []
    codes: dict[str, Any] = {}
    names = [str(spec.get("name")) for spec in res.fields]
    key = res.primary_key()
    if table.num_rows and pc.any(all_of(pc.equal(table.column(n), EMPTY) for n in names)).as_py():
        raise NotClean(f"{res.name}: a blank row")
    for spec in res.fields:
        name = str(spec.get("name"))
        column = table.column(name)
        rules = spec.get("constraints") or {}
        verdict = judge_column(spec, column, bool(rules.get("unique")) or name in key)
        codes[name] = verdict.codes
        kind, form = spec.get("type", "string"), spec.get("format", "default")
        if rules.get("required"):
            empty = pc.equal(column, EMPTY)
            for number in _rows(empty, budget):
                found.append(Finding("constraint-error", number, _constraint_note(spec, "required"),
                                     name, "", names))  # fmt: skip
        if verdict.invalid:
            note = f'type is "{kind}/{form}"'
            for number, text in _rows_with(column, verdict.invalid, budget):
                found.append(Finding("type-error", number, note, name, text, names))
        for constraint, texts in verdict.broken.items():
            note = _constraint_note(spec, constraint)
            for number, text in _rows_with(column, texts, budget):
                found.append(Finding("constraint-error", number, note, name, text, names))
        if rules.get("unique"):
            for number, previous, text in _duplicates(verdict.codes, column, budget):
                found.append(Finding("unique-error", number,
                                     f"the same as in the row at position {previous}", name,
                                     verdict.typed_text(text), names))  # fmt: skip
    if key:
        found.extend(_primary_key_findings(res, table, key, codes, budget))
    return found


def _rows(mask: Any, budget: Budget) -> list[int]:
    """Row numbers (header = 1) where ``mask`` is true."""
    count = int(pc.sum(mask).as_py() or 0)
    if not count:
        return []
    budget.take(count)
    return row_numbers(mask)


def _rows_with(column: Any, texts: Sequence[str], budget: Budget) -> Iterable[tuple[int, str]]:
    """(row number, text) of each row whose cell is one of ``texts``."""
    mask = pc.is_in(column, value_set=string_array(list(texts)))
    numbers = _rows(mask, budget)
    if not numbers:
        return []
    cells = pc.filter(column, mask).to_pylist()
    return zip(numbers, cells, strict=True)


def _duplicates(codes: Any, column: Any, budget: Budget) -> list[tuple[int, int, str]]:
    """(row number, previous row number with that value, text) of each repeated value."""
    counts = pc.value_counts(pc.drop_null(codes))
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), int_scalar(1)))
    if not len(repeated):
        return []
    mask = pc.fill_null(pc.is_in(codes, value_set=repeated), FALSE)
    budget.take(int(pc.sum(mask).as_py() or 0) - len(repeated))
    numbers = row_numbers(mask)
    values = pc.filter(codes, mask).to_pylist()
    texts = pc.filter(column, mask).to_pylist() if column is not None else [""] * len(values)
    last: dict[Any, int] = {}
    result = []
    for number, value, text in zip(numbers, values, texts, strict=True):
        if value in last:
            result.append((number, last[value], text))
        last[value] = number
    return result


def _primary_key_findings(
    res: Resource, table: pa.Table, key: list[str], codes: Mapping[str, Any], budget: Budget
) -> list[Finding]:
    """frictionless' primary-key errors: a key of only empty (or invalid) cells, a key seen
    before (on typed values; partly empty keys compare too)."""
    if any(codes.get(k) is None for k in key):
        raise NotClean(f"{res.name}: a primary key field that is not a field")
    names = [str(spec.get("name")) for spec in res.fields]
    dense = []
    size = 1
    for k in key:  # each field's codes as 1, 2, … with 0 for None
        encoded = pc.dictionary_encode(codes[k])
        width = len(encoded.dictionary) + 1
        size *= width
        if size >= 1 << 62:
            raise NotClean(f"{res.name}: a composite key with too many distinct values")
        dense.append(
            (pc.fill_null(pc.add(encoded.indices.cast(pa.int64()), int_scalar(1)), ZERO), width)
        )
    combined_codes: Any = None
    for codes_k, width in dense:
        combined_codes = (
            codes_k
            if combined_codes is None
            else pc.add(pc.multiply(combined_codes, int_scalar(width)), codes_k)
        )
    empty = all_of(pc.equal(codes_k, ZERO) for codes_k, _ in dense)
    found = []

    def cells(numbers: list[int]) -> list[list[str]]:
        rows = table.select(key).take(int_array([n - 2 for n in numbers]))
        texts = [rows.column(k).to_pylist() for k in key]
        result = []
        for i in range(len(numbers)):
            row = [""] * len(names)
            for j, k in enumerate(key):
                row[names.index(k)] = texts[j][i]
            result.append(row)
        return result

    numbers = _rows(empty, budget)
    for number, row in zip(numbers, cells(numbers), strict=True):
        found.append(Finding("primary-key", number,
                             'cells composing the primary keys are all "None"', cells=row))  # fmt: skip
    keyed = pc.if_else(empty, pa.nulls(len(empty), pa.int64()), combined_codes)
    repeats = _duplicates(keyed, None, budget)
    for (number, previous, _), row in zip(repeats, cells([n for n, _, _ in repeats]), strict=True):
        found.append(Finding("primary-key", number,
                             f"the same as in the row at position {previous}", cells=row))  # fmt: skip
    return found


# --------------------------------------------------------------------------- foreign keys


def foreign_key_findings(
    table: pa.Table,
    fields: Sequence[str],
    target: str,
    referenced: pa.Table,
    ref_fields: Sequence[str],
    budget: Budget,
) -> list[Finding]:
    """frictionless' foreign-key errors of one reference (text fields on both sides).

    Its lookup holds each referenced row's key unless every cell of it is empty; a row whose
    key cells are all empty is not checked; any other key (partly empty ones too) must be in
    the lookup.
    """
    source = table.select(list(fields))
    wanted = referenced.select(list(ref_fields))
    sets = []
    for mine, theirs in zip(source.columns, wanted.columns, strict=True):
        both = pa.chunked_array([*_chunks(mine), *_chunks(theirs)], pa.string())
        sets.append(pc.unique(both))
    mine_codes = tuple_codes([combined(c) for c in source.columns], list(sets))
    wanted_empty = all_of(pc.equal(c, EMPTY) for c in wanted.columns)
    their_codes = pc.filter(
        tuple_codes([combined(c) for c in wanted.columns], list(sets)), pc.invert(wanted_empty)
    )
    checked = pc.invert(all_of(pc.equal(c, EMPTY) for c in source.columns))
    missing = pc.and_(checked, pc.invert(pc.is_in(mine_codes, value_set=their_codes)))
    numbers = _rows(missing, budget)
    if not numbers:
        return []
    values = [pc.filter(column, missing).to_pylist() for column in source.columns]
    return [
        Finding(
            "foreign-key",
            number,
            field_names=list(fields),
            field_cells=[column[i] for column in values],
            reference_name=target,
            reference_field_names=list(ref_fields),
        )
        for i, number in enumerate(numbers)
    ]


def _chunks(values: Any) -> list[Any]:
    return list(values.chunks) if isinstance(values, pa.ChunkedArray) else [values]
