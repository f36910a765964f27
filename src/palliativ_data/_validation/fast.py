"""The fast path of :func:`~palliativ_data.validate`: the tables checked with Arrow.

``validate`` first runs the cheap layers (descriptor, profile, files, hashes, dialect). Then
:class:`FastPath` reads each CSV once with pyarrow (every cell as text) and *judges* it: it
finds, column by column and never with a Python object per row, every problem frictionless
would report in it (types, formats, constraints, ``unique``, the primary key and the
descriptor's foreign keys: :mod:`~palliativ_data._validation.table_problems`), and runs the
cross-table rules of :data:`~palliativ_data._validation.rules.RULES` on the Arrow tables:
each rule's fast form (``Rule.fast``) says whether it is broken anywhere, and only a broken
rule (or one without a fast form) runs its check, on rows made from the Arrow columns.

A table it cannot judge exactly as frictionless would is handed over: a resource the cheap
layers found a problem in, a read error, a header that is not the field names, a row with
too many or too few cells or a blank one, a dialect frictionless would sniff differently, a
resource, schema or field property it does not know, a field type or constraint it does not
emulate, as many problems as frictionless' error limit, or a foreign key to a table handed
over. frictionless then validates those tables alone (the judged ones stay in the package for
the look-ups of foreign keys, but their rows are not read again), and the rules read them
row by row as the full path does. When every table was judged and the cheap layers found
nothing, frictionless is not imported at all.

The report is the full path's either way: the problems are written by the same functions
from the same facts (code, resource, row, field, message), a cell the fast path rejected is
hidden from the rules as a cell frictionless rejected is, and the summary is computed from
the same rows. ``tests/test_validate_parity.py`` compares both paths' reports, byte for
byte, on the whole bad corpus, on targeted mutations of every check and on generated
packages with problems in every table.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .._schema.csv_reader import read_csv_blocks
from .._schema.tableschema import load_table_schema, resource_names
from .._source import integrity_problem
from . import rules as _rules
from .column_checks import (
    EMPTY,
    NotClean,
    blank_cells,
    combined,
    int_array,
    int_scalar,
    row_numbers,
    valid,
)
from .frictionless import CELL_ERROR_CODES, add_frictionless_error
from .resources import Resource, Table
from .rules import Rule
from .summary import gaps_by_edition_of_rows, summarise
from .table_problems import Budget, Finding, foreign_key_findings, table_findings

if TYPE_CHECKING:  # pragma: no cover - the validator runs the fast path
    from .validator import Validator

SMALL_TABLE_ROWS = 100_000
"""A table up to this size keeps every column for the rules; a larger one only the columns
they and the summary read (:data:`_RULE_COLUMNS`)."""

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
    """Which tables the fast path judged, and why it handed the others over."""

    judged: frozenset[str]
    """Resources whose frictionless problems the fast path found itself."""
    reasons: tuple[str, ...] = ()
    """Why a table was handed to frictionless (or why frictionless still runs)."""

    @property
    def reason(self) -> str:
        """The first reason, and how many more there are ("" when there are none)."""
        if not self.reasons:
            return ""
        more = f" (and {len(self.reasons) - 1} more)" if len(self.reasons) > 1 else ""
        return self.reasons[0] + more


_Problem = tuple[str, str, str | None, int | None, str | None]
"""A rule's problem: code, message, resource, row, field."""


class FastPath:
    """One run of the fast path on a :class:`~.validator.Validator` after the cheap layers.

    :meth:`judge` reads and judges the tables, :meth:`commit` adds what it found to the
    validator (once frictionless has run on the rest), :meth:`run_rules` runs the rules on
    the judged tables and the validator's, and :meth:`summary` computes the summary.
    """

    def __init__(self, v: Validator) -> None:
        self.v = v
        self.arrow: dict[str, pa.Table] = {}
        """The judged tables, every cell as text (a large one only with the kept columns)."""
        self.lookups: dict[str, pa.Table] = {}
        """Every table read as frictionless reads it (the judged ones, and those handed over
        for what is in their cells): the referenced side of a foreign key."""
        self.findings: dict[str, list[Finding]] = {}
        self.rule_problems: dict[str, list[_Problem]] = {}
        self.reasons: list[str] = []
        self.cheap_problems = any(problem not in v.about_copies for problem in v.problems)

    # -- judging --------------------------------------------------------------------------

    def judge(self) -> Verdict:
        """Read and judge every resource the cheap layers found no problem in."""
        v = self.v
        if self.cheap_problems:
            self.reasons.append("the cheap layers found problems")
        implicated = {  # a copy that differs from its CSV says nothing about the CSV
            problem.resource
            for problem in v.problems
            if problem.resource and problem not in v.about_copies
        }
        project = set(resource_names())
        references: dict[str, list[_Reference]] = {}
        for name, res in v.resources.items():
            try:
                references[name] = _references(res) if name in project else []
            except Exception as exc:  # a hostile key: the resource is handed over
                self.reasons.append(_why(exc))
        left: dict[str, int] = {}
        for name, res in v.resources.items():  # one file at a time: only the kept columns stay
            try:
                if name in implicated:
                    raise NotClean(f"{name}: the cheap layers found problems in it")
                if name not in references:
                    raise NotClean(f"{name}: its foreign keys cannot be read")
                _check_resource_descriptor(res, name in project)
                table = _read(res)
                self.lookups[name] = _kept(name, table, references)
                budget = Budget(name, v.error_limit)
                found = table_findings(res, table, budget)
                self.rule_problems[name] = self._per_table_rules(name, table, _bad_rows(found))
                self.findings[name] = found
                left[name] = budget.left
                self.arrow[name] = self.lookups[name]
                del table
            except Exception as exc:  # anything unforeseen too: frictionless decides
                self.reasons.append(_why(exc))
            _release()
        self._judge_foreign_keys(left)
        return Verdict(frozenset(self.arrow), tuple(self.reasons))

    def _hand_over(self, name: str, reason: str) -> None:
        self.reasons.append(reason)
        self.arrow.pop(name, None)
        self.findings.pop(name, None)
        self.rule_problems.pop(name, None)

    def _judge_foreign_keys(self, left: Mapping[str, int]) -> None:
        """The foreign keys of the descriptor, as frictionless checks them: those to a
        checkable resource, each against the referenced table, which must be judged too."""
        checkable = {name for name, res in self.v.resources.items() if res.checkable}
        found: dict[str, list[Finding]] = {}
        while True:  # a table handed over here is no longer a look-up: start again
            found.clear()
            for name in list(self.arrow):
                try:
                    found[name] = self._foreign_keys(name, checkable, Budget(name, left[name]))
                except Exception as exc:
                    self._hand_over(name, _why(exc))
                    self.lookups.pop(name, None)  # (its own foreign keys could not be read)
                    break
            else:
                break
        for name, errors in found.items():
            self.findings[name].extend(errors)

    def _foreign_keys(self, name: str, checkable: set[str], budget: Budget) -> list[Finding]:
        res = self.v.resources[name]
        found = []
        for fields, target, ref_fields in res.foreign_keys():
            if target not in checkable:
                continue  # frictionless is not given the reference (run_frictionless)
            if target not in self.lookups:
                raise NotClean(f"{name}: a foreign key to {target}, which was not read")
            other = self.v.resources[target]
            if not fields or len(fields) != len(ref_fields):
                raise NotClean(f"{name}: a foreign key the fast path cannot check")
            for owner, names in ((res, fields), (other, ref_fields)):
                for field_name in names:
                    spec = owner.field(field_name)
                    if spec.get("type", "string") != "string" or spec.get("format", "default") != (
                        "default"
                    ):
                        raise NotClean(f"{owner.name}.{field_name}: a key field that is not text")
            table, referenced = self.arrow[name], self.lookups[target]
            if set(fields) - set(table.column_names) or set(ref_fields) - set(
                referenced.column_names
            ):
                raise NotClean(f"{name}: a foreign key field the fast path did not keep")
            found += foreign_key_findings(table, fields, target, referenced, ref_fields, budget)
        return found

    def _per_table_rules(
        self, name: str, table: pa.Table, bad: Mapping[str, list[int]]
    ) -> list[_Problem]:
        """The per-table rules on one table, while it has every column."""
        context = RuleTables(self.v, {name: table}, {name: bad})
        for rule in _rules.RULES:
            if rule.per_table:
                run_rule(rule, context)
        return context.collected

    # -- after frictionless ---------------------------------------------------------------

    def commit(self, rows_checked: bool) -> None:
        """Add the judged tables' problems to the validator.

        ``rows_checked``: frictionless checked the rows of the tables it was given (it
        reports no row of any table when it cannot open the package or its metadata is
        invalid, and then neither does the fast path). A judged table frictionless made
        unreadable that way is dropped, as the full path would not read it for the rules.
        """
        v = self.v
        for name in list(self.arrow):
            res = v.resources[name]
            if not res.checkable:
                del self.arrow[name]
                continue
            if rows_checked:
                for finding in self.findings.get(name, []):
                    add_frictionless_error(v, finding, res, name)
            for code, message, resource, row, field in self.rule_problems.get(name, []):
                v.add(code, message, resource=resource, row=row, field=field)
        self.findings.clear()
        self.rule_problems.clear()
        self.lookups.clear()

    def run_rules(self) -> None:
        """The rules on every readable table: the judged ones from Arrow, the others as the
        validator read them. A rule's fast form is trusted only when every table is judged;
        the per-table rules ran on the judged tables already (:meth:`judge`)."""
        v = self.v
        bad: dict[str, dict[str, list[int]]] = {}
        for table, number, field in v.bad_cells:
            if table in self.arrow:
                bad.setdefault(table, {}).setdefault(field, []).append(number)
        context = RuleTables(v, self.arrow, bad, collect=False)
        everything_judged = not v.tables
        for rule in _rules.RULES:
            if rule.per_table:
                for name in v.tables:
                    rule.check(_Only(context, name))
                continue
            if not context.have(*rule.tables):
                continue
            if everything_judged:
                run_rule(rule, context)
            else:
                rule.check(context)

    def summary(self) -> dict[str, Any]:
        """The report's summary, as :meth:`Validator._summary` computes it from the rows."""
        return _summary(self.v, self.arrow)


def _bad_rows(found: list[Finding]) -> dict[str, list[int]]:
    """Field → the rows of the cells frictionless rejects (the rules see them empty)."""
    bad: dict[str, list[int]] = {}
    for finding in found:
        if finding.type in CELL_ERROR_CODES and finding.field_name:
            bad.setdefault(finding.field_name, []).append(finding.row_number)
    return bad


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
    "gap_answers": ("response_id", "edition", "gap_key", "stance"),
    "responses": ("response_id", "edition", "region_code", "party", "kind", "supplements"),
    "editions": ("edition", "follows_up", "kind", "published"),
    "classifications": ("edition", "region_code", "category"),
    "categories": ("category",),
    "regions": ("region_code", "name_source"),
    "gap_statements": ("kind", "response_id", "gap_key", "edition", "function", "region_status",
                       "statement_text", "target_quarter", "target_year", "curation"),
}  # fmt: skip
"""Columns of a large table that the rules (all but the per-table ones, which run before a
table is cut down) and the summary read (``tests/test_validate_codes.py`` checks it)."""


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


# --------------------------------------------------------------------------- rules


class RuleTables:
    """What a rule sees on the fast path: :class:`.rules.RuleContext` (rows as dicts) and
    :class:`.rules.ColumnContext` (Arrow columns) over the judged tables, and the tables the
    validator read itself (those handed to frictionless).

    A cell frictionless (or the fast path, as frictionless) rejected is empty in ``arrow``
    and None in :meth:`rows`, and as written in :meth:`table`, as on the full path. Rows of
    a judged table are made from its Arrow columns as they are read, a batch at a time.
    With ``collect`` the problems are kept in :attr:`collected`, else added to the validator.
    """

    def __init__(
        self,
        v: Validator,
        raw: Mapping[str, pa.Table],
        bad: Mapping[str, Mapping[str, list[int]]],
        *,
        collect: bool = True,
    ) -> None:
        self.v = v
        self.resources = v.resources
        self._raw = raw
        self._bad = bad
        self._blanked: dict[str, pa.Table] = {}
        self._tables: dict[str, Table] = {}
        self._collect = collect
        self.collected: list[_Problem] = []
        self._only: dict[str, list[int]] = {}

    def limited(self, masks: Mapping[str, Any]) -> RuleTables:
        """The same tables, with :meth:`rows` of each table in ``masks`` limited to the rows
        masked (:data:`.rules.Candidates`)."""
        view = RuleTables(self.v, self._raw, self._bad, collect=self._collect)
        view._blanked, view._tables, view.collected = self._blanked, self._tables, self.collected
        view._only = {name: row_numbers(mask) for name, mask in masks.items()}
        return view

    @property
    def arrow(self) -> Mapping[str, pa.Table]:
        """The judged tables, rejected cells empty."""
        for name, table in self._raw.items():
            if name not in self._blanked:
                self._blanked[name] = blank_cells(table, self._bad.get(name, {}))
        return self._blanked

    def have(self, *names: str) -> bool:
        return all(name in self._raw or name in self.v.tables for name in names)

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, str | None]]]:
        if name not in self._raw:
            yield from self.v.rows(name)
            return
        bad: dict[int, list[str]] = {}
        for field, numbers in self._bad.get(name, {}).items():
            for number in numbers:
                bad.setdefault(number, []).append(field)
        for number, row in _arrow_rows(self._raw[name], self._only.get(name)):
            for field in bad.get(number, ()):
                if field in row:
                    row[field] = None
            yield number, row

    def table(self, name: str) -> Table:
        if name not in self._raw:
            return self.v.tables[name]
        if name not in self._tables:
            self._tables[name] = Table(name, list(_arrow_rows(self._raw[name])))
        return self._tables[name]

    def region_label(self, code: str) -> str:
        """``code (name)`` of a region, as :meth:`Validator.region_label` writes it."""
        if self.have("regions"):
            for _, row in self.table("regions").rows:
                if row.get("region_code") == code and row.get("name_source"):
                    return f"{code} ({row['name_source']})"
        return code

    def add(
        self,
        code: str,
        message: str,
        *,
        resource: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        if self._collect:
            self.collected.append((code, message, resource, row, field))
        else:
            self.v.add(code, message, resource=resource, row=row, field=field)


class _Only:
    """A :class:`RuleTables` that shows one table (a per-table rule on it alone)."""

    def __init__(self, context: RuleTables, name: str) -> None:
        self._context = context
        self._name = name
        self.resources = context.resources

    def have(self, *names: str) -> bool:
        return all(name == self._name for name in names) and self._context.have(*names)

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, str | None]]]:
        return self._context.rows(name)

    def table(self, name: str) -> Table:
        return self._context.table(name)

    def region_label(self, code: str) -> str:
        return self._context.region_label(code)

    def add(self, code: str, message: str, **where: Any) -> None:
        self._context.add(code, message, **where)


def _arrow_rows(
    table: pa.Table, numbers: list[int] | None = None
) -> Iterator[tuple[int, dict[str, str | None]]]:
    """``(row number, {field: text or None})`` of an Arrow table of text columns: every row,
    or those ``numbers`` (header = 1)."""
    names = table.column_names
    if numbers is not None:
        table = table.take(int_array([number - 2 for number in numbers]))
    order = iter(numbers) if numbers is not None else None
    number = 2
    for batch in table.to_batches(max_chunksize=1 << 16):
        columns = [column.to_pylist() for column in batch.columns]
        for values in zip(*columns, strict=True):
            if order is not None:
                number = next(order)
            yield (
                number,
                {
                    k: (value if value != "" else None)
                    for k, value in zip(names, values, strict=True)
                },
            )
            number += 1


def candidates(rule: Rule, context: RuleTables) -> _rules.Candidates:
    """Where ``rule`` may be broken in ``context``'s tables: its fast form's answer, or True
    for a rule without one (its check then decides)."""
    return rule.fast(context) if rule.fast is not None else True


def run_rule(rule: Rule, context: RuleTables) -> None:
    """The rule's check, on the rows its fast form names (none when it finds it unbroken)."""
    where = candidates(rule, context)
    if where is True:
        rule.check(context)
    elif where:
        rule.check(context.limited(where))


# --------------------------------------------------------------------------- summary


def _summary(v: Validator, arrow: Mapping[str, pa.Table]) -> dict[str, Any]:
    """The report's summary, as :meth:`Validator._summary` computes it: from the judged
    tables' Arrow columns and the rows of the others."""

    def gaps_by_edition() -> dict[str | None, tuple[int, int]]:
        if "gaps" not in arrow:
            return gaps_by_edition_of_rows(row for _, row in v.tables["gaps"].rows)
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
        if name not in arrow:
            return len({row.get(field) for _, row in v.tables[name].rows if row.get(field)})
        column = arrow[name].column(field)
        return int(pc.count_distinct(pc.filter(column, pc.not_equal(column, EMPTY))).as_py())

    def rows(name: str) -> list[dict[str, str | None]]:
        if name not in arrow:
            return [row for _, row in v.tables[name].rows]
        return [row for _, row in _arrow_rows(arrow[name])]

    counts = {name: table.num_rows for name, table in arrow.items()}
    counts.update({name: len(table.rows) for name, table in v.tables.items()})
    readable = {name for name in v.resources if name in counts}
    return summarise(
        v.descriptor,
        counts={name: counts[name] for name in v.resources if name in readable},
        rows=rows,
        distinct=distinct,
        gaps_by_edition=gaps_by_edition if "gaps" in counts else None,
    )
