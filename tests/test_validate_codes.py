"""The problem-code catalogue (``_validation/codes.py``) and the rules' two forms.

* Every code the validator can emit is catalogued: the codes are read from the source (each
  ``.add("code", …)`` and ``Problem("code", …)``, each ``code="…"``, the tuples that the
  file checks return), from ``RULES`` and from frictionless' message table; a call site whose
  code the scan cannot read fails the test until the scan is taught where its codes come from.
* Every catalogued code is reported by a case that asserts it: the bad corpus, the cases of
  ``test_validate.py``, the targeted mutations of ``test_validate_parity.py`` or a named test.
* Each rule declares exactly the codes its check can report, and each rule's fast form agrees
  with its check on every case the fast path judges: it finds it broken exactly when the
  check reports a problem, and the check on the rows it names reports what it reports on
  every row.
* The recipes of ``docs/en/contributing.md`` ("How to add a validation rule", "How to add a
  problem code") work as written: a made-up rule is run by both paths and reports its code,
  and an uncatalogued or unreported code fails the checks above.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

import palliativ_data
from palliativ_data._validation import codes as codes_module
from palliativ_data._validation import fast
from palliativ_data._validation import rules as rules_module
from palliativ_data._validation.codes import (
    CODES,
    FRICTIONLESS_CODES,
    LAYERS,
    ProblemCode,
    UnknownCodeError,
    anchor,
    codes,
)
from palliativ_data._validation.frictionless import (
    MESSAGES,
    OTHER_TYPES_CODE,
    add_frictionless_error,
)
from palliativ_data._validation.rules import RULES, Rule
from palliativ_data._validation.validator import Validator, validate

TESTS = Path(__file__).resolve().parent
PACKAGE = Path(palliativ_data.__file__).resolve().parent
CODE = re.compile(r"^[a-z]+(?:-[a-z0-9]+)+$")


_spec = importlib.util.spec_from_file_location(
    "validate_parity_for_codes", TESTS / "test_validate_parity.py"
)
assert _spec is not None and _spec.loader is not None
parity = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = parity
_spec.loader.exec_module(parity)
cases = parity.cases
validate_cases = parity._load("validate_cases_for_codes", TESTS / "test_validate.py")


# --------------------------------------------------------------------------- emitted codes

SOURCES = [*sorted((PACKAGE / "_validation").glob("*.py")), PACKAGE / "_source.py"]
SOURCES += [PACKAGE / "_guards.py", PACKAGE / "_release" / "verify.py"]
"""The modules whose code can put a problem code into a report."""

# call sites whose code is a variable, and where the scan finds the codes it can hold
INDIRECT = {
    ("_validation/validator.py", "exc.code"): "DescriptorError: code= and its default",
    ("_validation/validator.py", "code"): "copy_problems: the tuples of the file checks",
    ("_validation/frictionless.py", "code"): "frictionless: FRICTIONLESS_CODES or OTHER_TYPES_CODE",
    ("_validation/rules.py", "code"): "a rule's check: its own codes (test below)",
    ("_validation/fast.py", "code"): "RuleTables.add and FastPath.commit: a rule's own codes",
}
SINKS = {"ctx", "v", "self"}
"""Names of what a problem is added to: a rule's context, the validator (``v``, ``self``)."""
# functions that return (code, …) tuples that become problems
TUPLE_SOURCES = {("_guards.py", "copy_problems"), ("_source.py", "integrity_problem")}
TUPLE_SOURCES |= {  # copy_problems passes on the (code, message) of the release's copies
    ("_release/verify.py", function)
    for function in (
        "_unknown",
        "_parquet_differences",
        "_sqlite_differences",
        "_sqlite_table",
        "_written_differences",
    )
}


def _constant(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def scan(paths: Iterable[Path], root: Path = PACKAGE) -> tuple[set[str], set[tuple[str, str]]]:
    """The codes the source of ``paths`` can emit, and the call sites it cannot read.

    A call site it cannot read is ``(file, argument)`` for an ``add(…)`` whose code is not a
    string literal; ``INDIRECT`` names those whose codes are found another way.
    """
    found: set[str] = set()
    unread: set[tuple[str, str]] = set()
    for path in paths:
        where = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                is_add = (
                    isinstance(func, ast.Attribute)
                    and func.attr == "add"
                    and isinstance(func.value, ast.Name)
                    and func.value.id in SINKS
                )
                is_problem = isinstance(func, ast.Name) and func.id == "Problem"
                if (is_add or is_problem) and node.args:
                    code = _constant(node.args[0])
                    if code is not None:
                        found.add(code)
                    elif is_add and not isinstance(node.args[0], (ast.Tuple, ast.Constant)):
                        unread.add((where, ast.unparse(node.args[0])))
                for keyword in node.keywords:
                    if keyword.arg == "code" and _constant(keyword.value) is not None:
                        found.add(str(_constant(keyword.value)))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                if node.target.id == "code" and _constant(node.value) is not None:
                    found.add(str(_constant(node.value)))  # a class's default code
            elif isinstance(node, ast.FunctionDef) and (where, node.name) in TUPLE_SOURCES:
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Tuple) and inner.elts:
                        first = _constant(inner.elts[0])
                        if first is not None and CODE.match(first):
                            found.add(first)
    return found, unread


def emittable() -> set[str]:
    """Every code the validator can emit: the scan, RULES and the frictionless layer."""
    found, unread = scan(SOURCES)
    unknown = unread - set(INDIRECT)
    assert not unknown, (
        f"add(...) with a code the scan cannot read: {sorted(unknown)}; teach INDIRECT in "
        "tests/test_validate_codes.py where its codes come from"
    )
    from_rules = {code for rule in RULES for code in rule.code_names}
    return found | from_rules | set(MESSAGES) | FRICTIONLESS_CODES | {OTHER_TYPES_CODE}


def uncatalogued(emitted: set[str]) -> set[str]:
    return emitted - {entry.code for entry in codes_module.CODES}


def test_every_code_the_validator_can_emit_is_catalogued() -> None:
    emitted = emittable()
    assert not uncatalogued(emitted), (
        f"add {sorted(uncatalogued(emitted))} to CODES in _validation/codes.py"
    )
    # the scan reads every kind of site: a rule's literal, a file check's tuple, the
    # descriptor's default code, a code= keyword, a frictionless message
    found, unread = scan(SOURCES)
    assert unread == set(INDIRECT), "INDIRECT names only call sites that exist"
    for file, function in TUPLE_SOURCES:
        assert f"def {function}(" in (PACKAGE / file).read_text(encoding="utf-8")
    assert {"gap-key-prefix", "file-missing", "hash-count", "json-error", "package-error"} <= found
    assert {"csv-dialect", "encoding-error", "profile-error", "schema-mismatch"} <= found


def test_the_scan_catches_an_uncatalogued_code(tmp_path: Path) -> None:
    """The recipe's failure: a check that reports a code the catalogue lacks."""
    module = tmp_path / "_validation" / "extra.py"
    module.parent.mkdir()
    module.write_text(
        "def check_x(ctx):\n"
        "    ctx.add('made-up-code', 'message', resource='gaps')\n"
        "    ctx.add(some_code, 'message')\n",
        encoding="utf-8",
    )
    found, unread = scan([module], root=tmp_path)
    assert found == {"made-up-code"}
    assert uncatalogued(found) == {"made-up-code"}
    assert unread == {("_validation/extra.py", "some_code")} and not unread <= set(INDIRECT)


def test_the_catalogue_has_each_code_once_with_both_languages() -> None:
    names = [entry.code for entry in CODES]
    assert len(names) == len(set(names))
    assert [entry.layer for entry in CODES] == sorted(
        (entry.layer for entry in CODES), key=list(LAYERS).index
    ), "CODES is grouped by layer, in the order of LAYERS"
    for entry in CODES:
        assert CODE.match(entry.code), entry.code
        texts = (entry.title_en, entry.todo_en, entry.title_sv, entry.todo_sv)
        assert all(text.strip().endswith((".", ")")) for text in texts), entry.code
        assert entry.title_en != entry.title_sv and entry.todo_en != entry.todo_sv, entry.code


def test_frictionless_messages_are_for_catalogued_frictionless_codes() -> None:
    assert set(MESSAGES) <= FRICTIONLESS_CODES
    assert OTHER_TYPES_CODE in FRICTIONLESS_CODES


class _Error:
    """A frictionless error of a type the catalogue does not know."""

    type = "made-up-type"
    message = "The data source could not be read"
    note = ""


def test_an_uncatalogued_frictionless_type_is_reported_as_the_catch_all_code() -> None:
    v = Validator(None)
    add_frictionless_error(v, _Error(), None, "stances")
    assert [p.key for p in v.problems] == [(OTHER_TYPES_CODE, "stances", None, None)]
    assert v.problems[0].message.startswith("The data source could not be read.")


def test_a_rule_takes_its_codes_from_the_catalogue() -> None:
    assert codes("blank-text")[0].layer == "tables"
    with pytest.raises(UnknownCodeError, match=r"made-up-code.*codes\.py"):
        codes("gap-key-prefix", "made-up-code")


# --------------------------------------------------------------------------- reported codes

# codes whose case is not a table of cases, with the test that asserts them
ELSEWHERE = {
    "error-limit": ("test_safety.py", "test_frictionless_stops_at_the_error_limit_and_says_so"),
}


def reported_by_cases() -> dict[str, str]:
    """Each code a case asserts, with the first such case."""
    found: dict[str, str] = {}
    for case in cases.CASES:
        for key in case.expected:
            found.setdefault(key[0], f"bad corpus {case.id}")
    for name, _, expected in validate_cases.CASES:
        for key in expected:
            found.setdefault(key[0], f"test_validate {name}")
    for name, (_, code) in parity.TARGETED.items():
        found.setdefault(code, f"test_validate_parity {name}")
    for code, (file, test) in ELSEWHERE.items():
        tree = ast.parse((TESTS / file).read_text(encoding="utf-8"))
        (function,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == test]
        assert code in {_constant(n) for n in ast.walk(function)}, (file, test, code)
        found.setdefault(code, f"{file}::{test}")
    return found


def unreported(catalogued: Iterable[ProblemCode]) -> set[str]:
    return {entry.code for entry in catalogued} - set(reported_by_cases())


def test_every_catalogued_code_is_reported_by_a_case() -> None:
    missing = unreported(CODES)
    assert not missing, f"add a case of the bad corpus that reports {sorted(missing)}"


# --------------------------------------------------------------------------- rules


def _codes_in(function: Any) -> set[str]:
    tree = ast.parse(inspect.getsource(function))
    return {c for n in ast.walk(tree) if (c := _constant(n)) is not None and CODE.match(c)}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.check.__name__)
def test_each_rule_declares_exactly_the_codes_its_check_reports(rule: Rule) -> None:
    assert _codes_in(rule.check) == set(rule.code_names)
    assert all(entry in CODES for entry in rule.codes)


def test_a_per_table_rule_reads_every_table_with_a_fast_form() -> None:
    with pytest.raises(ValueError, match="per_table"):
        Rule(codes("blank-text"), ("gaps",), rules_module.check_text_cells, per_table=True)


def _reached(package: Path) -> tuple[Validator, fast.RuleTables] | None:
    """The validator with its tables read (the full path's rows, the cells frictionless
    rejects known) and the fast path's rule context, when the fast path judges every table
    of ``package`` (None otherwise)."""
    v = parity.cheap_layers(package)
    if v is None or v.problems:
        return None
    path = fast.FastPath(v)
    if set(v.resources) - path.judge().judged:
        return None
    path.commit(rows_checked=True)
    v._read_tables()
    bad: dict[str, dict[str, list[int]]] = {}
    for table, number, field in v.bad_cells:
        bad.setdefault(table, {}).setdefault(field, []).append(number)
    return v, fast.RuleTables(v, path.arrow, bad)


def compare_rules(package: Path) -> Iterator[tuple[Rule, bool, bool]]:
    """``(rule, its check found a problem, the fast path says it is broken)`` for each rule,
    in the order the fast path consults them (per-table rules first). Where the fast form
    names the rows a problem can be in, its check on those rows alone finds exactly what it
    finds on every row."""
    reached = _reached(package)
    if reached is None:
        return
    v, context = reached
    for rule in _order():
        if not v.have(*rule.tables):
            continue
        v.problems = []
        rule.check(v)
        full = sorted((p.code, p.message, p.resource, p.row, p.field) for p in v.problems)
        assert {code for code, *_ in full} <= set(rule.code_names)
        context.collected.clear()
        fast.run_rule(rule, context)
        assert sorted(context.collected) == full, rule.code_names
        said = bool(fast.candidates(rule, context)) if rule.fast else bool(context.collected)
        yield rule, bool(full), said


def _order() -> list[Rule]:
    """The rules in the order the fast path consults them (``rules.RULES`` at call time)."""
    rules = rules_module.RULES
    return [r for r in rules if r.per_table] + [r for r in rules if not r.per_table]


def _rule_of(code: str) -> Rule:
    (rule,) = [rule for rule in RULES if code in rule.code_names]
    return rule


# a code frictionless reports too, in a case where a rule reports it (none since the rows are
# checked with the project's schema: frictionless checks the foreign keys the descriptor drops)
RULE_ONLY: dict[str, str] = {}


def _rule_cases() -> list[Any]:
    """Cases whose report holds a rule's code: ``(mutation, code)``; the first case of each
    code runs in the fast tier. (The text rule's ``type-error``, spaces around a number, is
    refused by the fast path's type checks before any rule runs: no case reaches a rule.)"""
    rule_codes = {code for rule in RULES for code in rule.code_names} - set(MESSAGES)
    found = [(f"corpus {c.id}", c.mutation, c.expected) for c in cases.CASES if not c.slow]
    found += [(f"validate {name}", m, expected) for name, m, expected in validate_cases.CASES]
    found += [(f"parity {name}", m, [(c,)]) for name, (m, c) in parity.TARGETED.items()]
    params, seen = [], set()
    for name, mutation, expected in found:
        wanted = {key[0] for key in expected} & (rule_codes | {RULE_ONLY.get(name)})
        for code in sorted(wanted):
            marks = [pytest.mark.slow] if code in seen else []
            seen.add(code)
            params.append(pytest.param(mutation, code, id=f"{name}: {code}", marks=marks))
    return params


def _agree(package: Path) -> list[tuple[Rule, bool, bool]]:
    """The fast path never misses a broken rule. (A fast form may name rows where the check
    then finds nothing, as ``gap_answers_fast`` does for a gap key of two regions; on a valid
    package every fast form says "not broken": ``test_no_rule_is_broken_in_a_valid_package``.)"""
    compared = list(compare_rules(package))
    for rule, full, quick in compared:
        assert quick or not full, (rule.code_names, "the check is broken, the fast form not")
    return compared


@pytest.mark.parametrize(("mutation", "code"), _rule_cases())
def test_each_rules_fast_form_agrees_with_its_check(mutation: Any, code: str, tmp_path) -> None:
    package = cases.make_package(tmp_path / "package", mutation)
    compared = _agree(package)
    if not compared:  # a table handed over to frictionless: the rules run their checks
        verdict = parity.fast_verdict(package)
        assert verdict is None or parity.handed_over(package)
        return
    assert (_rule_of(code), True, True) in compared, "its rule is broken, and says so"


def test_each_rule_is_compared_on_a_case_that_breaks_it(tmp_path: Path) -> None:
    """Not vacuous: for every rule a case reaches it, and its check and fast form both say
    it is broken (the first such case of each code, as the fast tier runs them)."""
    shown = set()
    for param in _rule_cases():
        mutation, code = param.values
        if param.marks or _rule_of(code) in shown:
            continue
        package = cases.make_package(tmp_path / param.id.replace(" ", "_"), mutation)
        shown.update(rule for rule, full, quick in _agree(package) if full and quick)
    assert shown == set(RULES), [r.check.__name__ for r in set(RULES) - shown]


@pytest.mark.parametrize("gaps", [0, pytest.param(42, marks=pytest.mark.slow)])
def test_no_rule_is_broken_in_a_valid_package(gaps: int, tmp_path: Path) -> None:
    if gaps:
        folder = parity.generate.generate(tmp_path / "package", gaps, 2)
        package = folder / "datapackage.json"
    else:
        package = cases.make_package(tmp_path / "package")
    compared = list(compare_rules(package))
    assert [rule for rule, _, _ in compared] == _order()
    assert not any(full or quick for _, full, quick in compared)


# --------------------------------------------------------------------------- the recipes


def _labels_equal_check(ctx: rules_module.RuleContext) -> None:
    for number, row in ctx.rows("functions"):
        if row.get("label_en") is not None and row.get("label_en") == row.get("label_sv"):
            ctx.add(
                "made-up-label-twin",
                f"label_en is '{row['label_en']}', the same as label_sv. Translate it.",
                resource="functions",
                row=number,
                field="label_en",
            )


MADE_UP = ProblemCode(
    "made-up-label-twin",
    "cross-table",
    "A function's English label is its Swedish one.",
    "Translate it.",
    "En funktions engelska benämning är den svenska.",
    "Översätt den.",
)


def test_recipe_add_a_validation_rule(monkeypatch, tmp_path: Path) -> None:
    """docs/en/contributing.md, "How to add a validation rule": its code in the catalogue,
    one entry in RULES with its fast form, a case; both paths run it and report its code."""
    import pyarrow.compute as pc

    fast_calls = []

    def labels_equal_fast(ctx: rules_module.ColumnContext) -> bool:
        fast_calls.append(sorted(ctx.arrow))
        table = ctx.arrow["functions"]
        same = pc.equal(table.column("label_en"), table.column("label_sv"))
        return bool(pc.any(same).as_py())

    with pytest.raises(UnknownCodeError):  # step 1 first: the code must be catalogued
        codes(MADE_UP.code)
    monkeypatch.setattr(codes_module, "CODES", (*CODES, MADE_UP))
    rule = Rule(codes(MADE_UP.code), ("functions",), _labels_equal_check, labels_equal_fast)
    monkeypatch.setattr(rules_module, "RULES", (*RULES, rule))

    clean = cases.make_package(tmp_path / "clean")
    assert validate(clean).valid and fast_calls, "the fast path ran the fast form"

    twin = cases.make_package(
        tmp_path / "twin", cases.set_cell("functions", 2, "label_en", "Jourlinje")
    )  # label_sv of that row
    fast_calls.clear()
    auto = validate(twin)
    full = validate(twin, engine="frictionless")
    assert fast_calls, "the fast form ran and handed over"
    assert auto.keys() == full.keys() == [("made-up-label-twin", "functions", 2, "label_en")]
    assert auto.to_dict() == full.to_dict()
    assert [(r.code_names, f, q) for r, f, q in compare_rules(twin)][-1] == (
        (MADE_UP.code,),
        True,
        True,
    )
    assert _codes_in(rule.check) == {MADE_UP.code}  # the declared-codes test holds for it
    assert MADE_UP.code not in uncatalogued(emittable())
    assert unreported([MADE_UP]) == {MADE_UP.code}, "until a case reports it"


def test_recipe_add_a_problem_code(monkeypatch) -> None:
    """docs/en/contributing.md, "How to add a problem code": an emitted code fails the
    catalogue test until it has an entry; the entry is then in the catalogue (the site's
    "Problem codes" page shows it: tests/test_site_problems.py); the code then needs a case
    that reports it."""
    emitted = emittable() | {MADE_UP.code}
    assert uncatalogued(emitted) == {MADE_UP.code}
    monkeypatch.setattr(codes_module, "CODES", (*CODES, MADE_UP))
    assert not uncatalogued(emitted)
    assert anchor(MADE_UP.code) == MADE_UP.code
    assert unreported(codes_module.CODES) == {MADE_UP.code}


def test_the_contributing_pages_show_both_recipes() -> None:
    docs = TESTS.parent / "docs"
    en = (docs / "en" / "contributing.md").read_text(encoding="utf-8")
    sv = (docs / "sv" / "contributing.md").read_text(encoding="utf-8")
    for heading, test in (
        ("### How to add a validation rule", test_recipe_add_a_validation_rule),
        ("### How to add a problem code", test_recipe_add_a_problem_code),
    ):
        assert heading in en and test.__name__ in en
        assert test.__name__ in sv
    assert "## Så lägger du till en valideringsregel" in sv
    assert "## Så lägger du till en problemkod" in sv
