"""The fast path of :func:`~palliativ_data.validate`: is the package clean, checked with Arrow?

``validate`` first runs the cheap layers (descriptor, profile, files, hashes, dialect). When
they found nothing, :func:`fast_check` reads every CSV once with pyarrow (all cells as text)
and checks, column by column and never with a Python object per row, everything the full
path checks: header labels, cell counts and blank rows, types, formats and constraints
(applied to each column's *distinct* values, with frictionless' own semantics: ``int()``,
``strptime``, ``re.match("^…$")``), ``unique``, primary and foreign keys (those of the
descriptor and those of the project's ``schema/``) and every rule of
:data:`~palliativ_data._validation.rules.RULES`: its fast form (``Rule.fast``, column by
column), or its check itself on the rows of small tables (:class:`FastContext`).

The fast path answers *clean* or *not clean*. It is conservative: whatever it cannot vouch
for (a read error, a resource or schema feature it does not know, a CSV dialect that
frictionless would sniff differently, a resource descriptor key it does not know) counts as
not clean. A clean package gets a valid report with the same summary the full path computes;
anything else is validated again by the full path (frictionless and the rules), so problems
and messages are always the full path's.

It also runs when the cheap layers found problems, and it checks every resource on its own:
a resource it finds clean (its rows, keys and foreign keys, each foreign key against a table
itself found clean) is *vouched for*, and frictionless skips its rows, because it would report
nothing there. So one bad table in a package of fifteen costs frictionless one table, not
fifteen. The cross-table rules always run on every table in the full path.
``tests/test_validate_parity.py`` checks that no case of the bad-input corpus is ever called
clean, that both paths give the same report and that a resource with a problem is never
vouched for.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .._arrow import string_array
from .._schema.csv_reader import read_csv_blocks
from .._schema.tableschema import load_table_schema, resource_names
from .._schema.types import FALSE_VALUES, TRUE_VALUES
from .._source import integrity_problem
from . import rules as _rules
from .column_checks import (
    EMPTY,
    NotClean,
    all_of,
    any_of,
    combined,
    int_scalar,
    tuple_codes,
    unmatched,
    valid,
)
from .resources import Resource, Table
from .rules import Rule
from .summary import summarise

if TYPE_CHECKING:  # pragma: no cover - the validator calls fast_check
    from .validator import Validator

SMALL_TABLE_ROWS = 100_000
"""A rule without a column-wise check runs row by row on tables up to this size."""

_RESOURCE_KEYS = frozenset(
    {
        "name",
        "type",
        "path",
        "scheme",
        "format",
        "mediatype",
        "encoding",
        "title",
        "description",
        "dialect",
        "schema",
        "bytes",
        "hash",
        "licenses",
        "sources",
        "homepage",
    }
)
"""Resource descriptor keys the fast path knows (and ``x-…``); any other: not clean."""

_CONSTRAINTS = frozenset(
    {"required", "unique", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength"}
)
_FIELD_KEYS = frozenset(
    {"name", "type", "format", "constraints", "title", "description", "example", "rdfType",
     "categories", "categoriesOrdered"}  # labels only: frictionless does not check them
)  # fmt: skip
_SAMPLE_LINES = 100  # frictionless sniffs the dialect from the first 100 lines
_HASH = re.compile(r"^(?:(md5|sha1|sha256|sha512):)?[0-9a-f]+$")


@dataclass(frozen=True)
class Verdict:
    """What :func:`fast_check` found: ``clean`` with the summary, or why not."""

    clean: bool
    reason: str = ""
    summary: Mapping[str, Any] | None = None
    vouched: frozenset[str] = frozenset()
    """Resources found clean as frictionless checks them (header, cells, types, constraints,
    keys and foreign keys) in a package that is not clean; the full path skips their rows."""


def fast_check(v: Validator) -> Verdict:
    """Check every resource the cheap layers found no problem in; see the module docstring."""
    reasons: list[str] = ["the cheap layers found problems"] if v.problems else []
    implicated = {problem.resource for problem in v.problems if problem.resource}
    project = set(resource_names())
    references: dict[str, list[_Reference]] = {}
    for name, res in v.resources.items():
        try:
            references[name] = _references(res) if name in project else []
        except Exception as exc:  # a hostile key: the resource is not vouched for
            reasons.append(_why(exc))
    tables: dict[str, pa.Table] = {}  # the resources whose own rows are clean
    rules_clean = True
    for name, res in v.resources.items():  # one file at a time: only the kept columns stay
        try:
            if name in implicated:
                raise NotClean(f"{name}: the cheap layers found problems in it")
            if name not in references:
                raise NotClean(f"{name}: its foreign keys cannot be read")
            _check_resource_descriptor(res, name in project)
            table = _read(res)
            _check_table(res, table)
            for rule in _rules.RULES:  # those that read every column, before _kept drops some
                if (
                    rule.per_table
                    and rules_clean
                    and broken(rule, FastContext(v.resources, {name: table}))
                ):
                    rules_clean = False  # a rule, not frictionless': the resource stays vouched
                    reasons.append(_broken(rule))
            tables[name] = _kept(name, table, references)
            del table
        except Exception as exc:  # a read error or anything unforeseen: the full path decides
            reasons.append(_why(exc))
        _release()
    vouched = set()
    for name, table in tables.items():
        try:
            _check_foreign_keys(v, v.resources[name], table, tables, references[name])
            vouched.add(name)
        except Exception as exc:
            reasons.append(_why(exc))
    if not reasons:
        try:
            context = FastContext(v.resources, tables)
            for rule in _rules.RULES:
                if not rule.per_table and context.have(*rule.tables) and broken(rule, context):
                    raise NotClean(_broken(rule))
            return Verdict(True, summary=_summary(v, tables))
        except Exception as exc:
            reasons.append(_why(exc))
    more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
    return Verdict(False, reasons[0] + more, vouched=frozenset(vouched))


def _broken(rule: Rule) -> str:
    return f"a rule ({', '.join(rule.code_names)}) is broken"


def _why(exc: Exception) -> str:
    return str(exc) if isinstance(exc, NotClean) else f"{type(exc).__name__}: {exc}"


# --------------------------------------------------------------------------- reading


def _release() -> None:
    """Hand memory the Arrow pool keeps after a step back to the system (peak RSS)."""
    pa.default_memory_pool().release_unused()


_RULE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "gaps": ("edition", "region_code", "gap_key", "function"),
    "gap_answers": ("response_id", "edition", "gap_key"),
    "responses": ("response_id", "edition", "region_code"),
    "editions": ("edition", "follows_up", "kind", "published"),
    "classifications": ("edition", "category"),
    "categories": ("category",),
}
"""Columns of a large table that the column-wise rules and the summary read."""


_Reference = tuple[tuple[str, ...], str, tuple[str, ...]]
"""A foreign key: its fields, the resource it references and the fields there."""


def _references(res: Resource) -> list[_Reference]:
    """The foreign keys of a resource: its descriptor's and those of the project's schema/."""
    project = Resource(-1, res.name, {}, schema=load_table_schema(res.name))
    keys = {(tuple(f), t, tuple(r)) for f, t, r in res.foreign_keys() + project.foreign_keys()}
    return sorted(keys)


def _kept(name: str, table: pa.Table, references: Mapping[str, list[_Reference]]) -> pa.Table:
    """A large table trimmed to the columns later checks read, once its own are done."""
    if table.num_rows <= SMALL_TABLE_ROWS:
        return table  # a rule may read any column, row by row
    keep = set(_RULE_COLUMNS.get(name, ()))
    for owner, keys in references.items():
        for fields, target, ref_fields in keys:
            keep.update(fields if owner == name else ())
            keep.update(ref_fields if target == name else ())
    return table.select([c for c in table.column_names if c in keep])


def _check_resource_descriptor(res: Resource, known: bool) -> None:
    """Refuse a resource the fast path cannot read as the full path would."""
    if not known:
        raise NotClean(f"resource {res.name!r} is not one of the project's")
    if not res.checkable or res.file is None or res.schema is None or res.path is None:
        raise NotClean(f"resource {res.name!r} is not checkable")
    descriptor = res.descriptor
    unknown = [k for k in descriptor if k not in _RESOURCE_KEYS and not str(k).startswith("x-")]
    if unknown:
        raise NotClean(f"{res.name}: unknown resource keys {unknown}")
    if descriptor.get("encoding") not in ("utf-8", "utf8", "UTF-8"):
        raise NotClean(f"{res.name}: no utf-8 encoding declared (frictionless would detect it)")
    if descriptor.get("format", "csv") != "csv" or not str(res.path).endswith(".csv"):
        raise NotClean(f"{res.name}: not a .csv file of format csv")
    if descriptor.get("scheme", "file") != "file" or "compression" in descriptor:
        raise NotClean(f"{res.name}: scheme or compression")
    digest = descriptor.get("hash")
    if digest is not None and not (isinstance(digest, str) and _HASH.match(digest)):
        raise NotClean(f"{res.name}: a hash the fast path does not check")
    assert res.file is not None
    if integrity_problem(res.file, descriptor) is not None:
        raise NotClean(f"{res.name}: bytes or hash differ")
    schema = res.schema or {}
    if _documentation_aside(schema) - {"$schema", "title", "description", "fields", "primaryKey",
                                       "foreignKeys", "missingValues"}:  # fmt: skip
        raise NotClean(f"{res.name}: unknown Table Schema keys")
    if schema.get("missingValues", [""]) != [""]:
        raise NotClean(f"{res.name}: missingValues other than ['']")
    for field in res.fields:
        if (
            _documentation_aside(field) - _FIELD_KEYS
            or set(field.get("constraints") or {}) - _CONSTRAINTS
        ):
            raise NotClean(f"{res.name}: field {field.get('name')!r} has unknown properties")


def _documentation_aside(descriptor: Any) -> set[str]:
    """The keys of a schema or field but ``x-…`` (custom documentation such as ``x-translations``,
    which frictionless ignores)."""
    return {key for key in descriptor if not str(key).startswith("x-")}


def _sniffed(res: Resource) -> None:
    """Refuse a file whose dialect frictionless would sniff as other than plain CSV."""
    assert res.file is not None
    lines = []
    with res.file.open(encoding="utf-8", newline="") as handle:
        for line in handle:
            lines.append(line)
            if len(lines) >= _SAMPLE_LINES:
                break
    dialect = res.descriptor.get("dialect") or {}
    delimiter = dialect.get("delimiter")
    try:
        config: Any = csv.Sniffer().sniff("".join(lines), delimiter or ",\t;|")
    except csv.Error:
        return  # frictionless falls back to the excel dialect: plain CSV
    if delimiter is None and config.delimiter != ",":
        raise NotClean(f"{res.name}: frictionless would sniff the delimiter {config.delimiter!r}")
    if "quoteChar" not in dialect and config.quotechar not in ('"', "'"):
        raise NotClean(f"{res.name}: frictionless would sniff the quote {config.quotechar!r}")
    if config.escapechar is not None:
        raise NotClean(f"{res.name}: frictionless would sniff an escape character")
    if "skipInitialSpace" not in dialect and config.skipinitialspace:
        raise NotClean(f"{res.name}: frictionless would skip initial spaces")


def _read(res: Resource) -> pa.Table:
    """The CSV as text columns named by the schema ("" for an empty cell), header checked."""
    assert res.file is not None
    _sniffed(res)
    names = [str(f.get("name")) for f in res.fields]
    auto = [f"f{i}" for i in range(len(names))]
    size = res.file.stat().st_size
    parse = pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False)
    convert = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in auto},
        null_values=[],
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    table = read_csv_blocks(
        res.file,
        convert,
        parse=parse,
        autogenerate_column_names=True,  # the header is read as a row and checked below
        block_size=min(max(size + 1, 1 << 20), (1 << 31) - 1) if size < (64 << 20) else None,
    )
    if table.column_names != auto or table.num_rows == 0:
        raise NotClean(f"{res.name}: the header does not have one label per field")
    header = [table.column(i)[0].as_py() for i in range(len(names))]
    if header != names:
        raise NotClean(f"{res.name}: header labels {header} are not the field names")
    return table.slice(1).rename_columns(names)


# --------------------------------------------------------------------------- per table


def _reader(field: Mapping[str, Any]) -> Callable[[str], Any]:
    """frictionless' value reader of a field (the value, or None when the cell is invalid)."""
    kind = field.get("type", "string")
    form = field.get("format", "default")
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
    raise NotClean(f"field {field.get('name')!r}: type {kind}/{form} has no fast check")


def _uri_reader() -> Callable[[str], Any]:
    # deferred: rfc3986 is needed only for a 'uri' field, as frictionless uses it
    import rfc3986  # type: ignore[import-untyped]
    import rfc3986.exceptions  # type: ignore[import-untyped]
    import rfc3986.validators  # type: ignore[import-untyped]

    validator = rfc3986.validators.Validator().require_presence_of("scheme")

    def uri(cell: str) -> str | None:
        try:
            validator.validate(rfc3986.uri_reference(cell))
        except rfc3986.exceptions.ValidationError:
            return None
        return cell

    return uri


def _checked_values(res: Resource, field: Mapping[str, Any], distinct: pa.Array) -> bool:
    """Check a field's distinct non-empty texts as frictionless would read each of them.

    Returns whether distinct texts have distinct values (then keys compare as text).
    """
    name = f"{res.name}.{field.get('name')}"
    kind = field.get("type", "string")
    form = field.get("format", "default")
    rules = field.get("constraints") or {}
    if not len(distinct):
        return True
    if kind == "string" and form == "default":  # the value is the text itself
        if "enum" in rules:
            allowed = string_array([v for v in rules["enum"] if isinstance(v, str)])
            if not pc.all(pc.is_in(distinct, value_set=allowed)).as_py():
                raise NotClean(f"{name}: a value outside the enum")
        if "pattern" in rules and not _all_match(str(rules["pattern"]), distinct):
            raise NotClean(f"{name}: a value that does not match the pattern")
        _lengths(name, rules, distinct)
        if {"minimum", "maximum"} & set(rules):
            raise NotClean(f"{name}: minimum/maximum on text")
        return True
    plain = kind == "integer" and form == "default" and "enum" not in rules
    # plain ASCII digits: int() and Arrow's cast read them alike, no spaces around
    if plain and pc.all(pc.match_substring_regex(distinct, r"^-?[0-9]{1,18}$")).as_py():
        numbers = pc.cast(distinct, pa.int64())
        low, high = pc.min_max(numbers).values()
        _bounds(name, rules, low.as_py(), high.as_py(), lambda v: int(v.strip()))
        return int(pc.count_distinct(numbers).as_py()) == len(distinct)
    read = _reader(field)
    cells = distinct.to_pylist()
    values = [read(cell) for cell in cells]
    if any(value is None for value in values):
        raise NotClean(f"{name}: a value that is not a valid {kind}")
    if any(cell != cell.strip() for cell in cells) and kind != "string":
        raise NotClean(f"{name}: spaces around a value")
    if "enum" in rules:
        allowed = [read(v) if isinstance(v, str) else v for v in rules["enum"]]
        if not all(value in allowed for value in values):
            raise NotClean(f"{name}: a value outside the enum")
    if "pattern" in rules:
        raise NotClean(f"{name}: a pattern on a {kind}/{form} field")
    if kind == "string":
        _lengths(name, rules, distinct)
    elif {"minLength", "maxLength"} & set(rules):
        raise NotClean(f"{name}: a length constraint on a {kind}")
    if {"minimum", "maximum"} & set(rules):
        if kind != "integer":
            raise NotClean(f"{name}: minimum/maximum on a {kind}")
        _bounds(name, rules, min(values), max(values), read)
    return len(set(values)) == len(values)


_SIMPLE_PATTERN = re.compile(r"^[\^$\[\]()|*+?{},:;_.A-Za-z0-9 -]*$")
"""Patterns without escapes, negated classes or other syntax where RE2 and Python differ."""


def _all_match(pattern: str, distinct: pa.Array) -> bool:
    """Whether every value matches as frictionless matches: ``re.match("^" + pattern + "$")``.

    A simple pattern is tried with RE2 on the whole column first; RE2's full match implies
    Python's (Python's ``$`` also matches before a final line break). Otherwise, or if RE2
    rejects a value, Python's ``re`` decides on every distinct value.
    """
    if _SIMPLE_PATTERN.match(pattern) and "[^" not in pattern:
        try:
            if pc.all(pc.match_substring_regex(distinct, f"^(?:{pattern})$")).as_py():
                return True
        except pa.ArrowInvalid:
            pass
    compiled = re.compile(f"^{pattern}$")
    return all(map(compiled.match, distinct.to_pylist()))


def _lengths(name: str, rules: Mapping[str, Any], distinct: pa.Array) -> None:
    if not {"minLength", "maxLength"} & set(rules):
        return
    low, high = (x.as_py() for x in pc.min_max(pc.utf8_length(distinct)).values())
    for key, value in (("minLength", low), ("maxLength", high)):
        bound = rules.get(key)
        if bound is None:
            continue
        if not isinstance(bound, int) or (value < bound if key == "minLength" else value > bound):
            raise NotClean(f"{name}: {key}")


def _bounds(
    name: str, rules: Mapping[str, Any], low: Any, high: Any, read: Callable[[Any], Any]
) -> None:
    for key in ("minimum", "maximum"):
        if key not in rules:
            continue
        bound = read(rules[key]) if isinstance(rules[key], str) else rules[key]
        if not isinstance(bound, int) or isinstance(bound, bool):
            raise NotClean(f"{name}: {key} is not an integer")
        if (key == "minimum" and low < bound) or (key == "maximum" and high > bound):
            raise NotClean(f"{name}: a value outside {key} {bound}")


def _distinct_rows(table: pa.Table) -> int:
    """How many distinct rows ``table`` (text columns) has (each row as one integer code)."""
    if table.num_columns == 1:
        return int(pc.count_distinct(table.column(0)).as_py())
    sets = [pc.unique(combined(column)) for column in table.columns]
    return int(pc.count_distinct(tuple_codes(table.columns, sets)).as_py())


def _check_table(res: Resource, table: pa.Table) -> None:
    """Types, formats, constraints, unique and the primary key of one table."""
    injective: dict[str, bool] = {}
    any_required = False
    for field in res.fields:
        name = str(field.get("name"))
        kind = field.get("type", "string")
        rules = field.get("constraints") or {}
        column = table.column(name)
        empty = pc.equal(column, EMPTY)
        empties = int(pc.sum(empty).as_py() or 0)
        if rules.get("required"):
            any_required = True
            if empties:
                raise NotClean(f"{res.name}.{name}: an empty required cell")
        needs_values = kind != "string" or field.get("format", "default") != "default"
        if needs_values or {"enum", "pattern", "minLength", "maxLength"} & set(rules):
            distinct = pc.unique(column)
            if empties:
                distinct = pc.filter(distinct, pc.not_equal(distinct, EMPTY))
            injective[name] = _checked_values(res, field, distinct)
        else:
            injective[name] = True
        if rules.get("unique"):
            count = int(pc.count_distinct(column).as_py()) - (1 if empties else 0)
            if not injective[name] or count != len(column) - empties:
                raise NotClean(f"{res.name}.{name}: values are not unique")
    if table.num_rows and not any_required:
        blank = all_of(pc.equal(table.column(name), EMPTY) for name in table.column_names)
        if pc.any(blank).as_py():
            raise NotClean(f"{res.name}: a blank row")
    key = res.primary_key()
    if key:
        if any(k not in table.column_names for k in key) or not all(injective[k] for k in key):
            raise NotClean(f"{res.name}: a primary key the fast path cannot compare")
        keys = table.select(key)
        if keys.num_rows:
            if pc.any(all_of(pc.equal(keys.column(k), EMPTY) for k in key)).as_py():
                raise NotClean(f"{res.name}: a primary key of empty cells")
            if _distinct_rows(keys) != keys.num_rows:
                raise NotClean(f"{res.name}: a duplicate primary key")


def _check_foreign_keys(
    v: Validator,
    res: Resource,
    table: pa.Table,
    tables: Mapping[str, pa.Table],
    references: list[_Reference],
) -> None:
    """The resource's foreign keys (:func:`_references`: the descriptor's and the project's)."""
    for fields, target, ref_fields in references:
        if target not in tables or len(fields) != len(ref_fields) or not fields:
            raise NotClean(f"{res.name}: a foreign key to {target!r} the fast path cannot check")
        other = v.resources[target]
        for owner, names in ((res, fields), (other, ref_fields)):
            for name in names:
                spec = owner.field(name)
                if not spec or spec.get("type", "string") != "string":
                    raise NotClean(f"{owner.name}.{name}: a foreign key field that is not text")
        source = table.select(list(fields))
        empty = [pc.equal(source.column(f), EMPTY) for f in fields]
        none = all_of(empty)
        if pc.any(pc.and_(pc.invert(none), any_of(empty))).as_py():
            raise NotClean(f"{res.name}: a foreign key ({', '.join(fields)}) partly empty")
        if unmatched(source, tables[target].select(list(ref_fields))):
            raise NotClean(f"{res.name}: ({', '.join(fields)}) without a match in {target}")


# --------------------------------------------------------------------------- rules


class FastContext:
    """What a rule sees on the fast path: the Arrow tables, as :class:`.rules.ColumnContext`
    for a rule's fast form and as :class:`.rules.RuleContext` for a check without one.

    A check runs unchanged on small tables (rows as dicts, built only for it); ``add``
    raises :class:`NotClean`: one problem is enough to hand over to the full path.
    """

    def __init__(self, resources: Mapping[str, Resource], arrow: Mapping[str, pa.Table]) -> None:
        self.resources = resources
        self.arrow = arrow
        self._tables: dict[str, Table] = {}

    def table(self, name: str) -> Table:
        if name not in self._tables:
            arrow = self.arrow[name]
            if arrow.num_rows > SMALL_TABLE_ROWS:
                raise NotClean(f"{name}: too large for a row-by-row rule")
            rows = [
                (number, {k: (value if value != "" else None) for k, value in row.items()})
                for number, row in enumerate(arrow.to_pylist(), start=2)
            ]
            self._tables[name] = Table(name, rows)
        return self._tables[name]

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, str | None]]]:
        return iter(self.table(name).rows)

    def have(self, *names: str) -> bool:
        return all(name in self.arrow for name in names)

    def region_label(self, code: str) -> str:
        return code

    def add(self, code: str, message: str, **where: Any) -> None:
        raise NotClean(f"rule {code}: {message}")


def broken(rule: Rule, context: FastContext) -> bool:
    """Whether ``rule`` is broken anywhere in ``context``'s tables: its fast form, or else
    its check (which raises :class:`NotClean` at the first problem)."""
    if rule.fast is not None:
        return rule.fast(context)
    rule.check(context)
    return False


# --------------------------------------------------------------------------- summary


def _summary(v: Validator, arrow: Mapping[str, pa.Table]) -> dict[str, Any]:
    """The report's summary, as :meth:`Validator._summary` computes it from the rows."""

    def gaps_by_edition() -> dict[str | None, tuple[int, int]]:
        # dictionary codes, not group_by: Acero imports pyarrow.dataset and with it pandas
        gaps = arrow["gaps"]
        options = pc.DictionaryEncodeOptions(null_encoding="encode")
        edition = pc.dictionary_encode(combined(valid(gaps.column("edition"))), options=options)
        region = pc.dictionary_encode(combined(valid(gaps.column("region_code"))), options=options)
        width = int_scalar(max(len(region.dictionary), 1))
        rows = edition.indices.cast(pa.int64())
        pairs = pc.unique(pc.add(pc.multiply(rows, width), region.indices.cast(pa.int64())))
        names = edition.dictionary.to_pylist()
        counts = pc.value_counts(rows).to_pylist()
        regions = {
            item["values"]: item["counts"]
            for item in pc.value_counts(pc.divide(pairs, width)).to_pylist()
        }
        return {names[item["values"]]: (item["counts"], regions[item["values"]]) for item in counts}

    def distinct(name: str, field: str) -> int:
        column = arrow[name].column(field)
        return int(pc.count_distinct(pc.filter(column, pc.not_equal(column, EMPTY))).as_py())

    def rows(name: str) -> list[dict[str, str | None]]:
        return [
            {k: (value if value != "" else None) for k, value in row.items()}
            for row in arrow[name].to_pylist()
        ]

    return summarise(
        v.descriptor,
        counts={name: table.num_rows for name, table in arrow.items()},
        rows=rows,
        distinct=distinct,
        gaps_by_edition=gaps_by_edition if "gaps" in arrow else None,
    )
