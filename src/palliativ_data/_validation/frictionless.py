"""Layer 2: frictionless validates the tables; its errors become problems with plain messages.

frictionless' error types are passed through as problem codes when the catalogue marks them so
(:data:`~palliativ_data._validation.codes.FRICTIONLESS_CODES`); any other type (one the project
has never seen frictionless report for its packages) is reported as :data:`OTHER_TYPES_CODE`,
so a report only ever holds catalogued codes. Each code's message is made by one function of
:data:`MESSAGES` (and each violated constraint's by one of :data:`CONSTRAINT_MESSAGES`): what
is wrong, what is allowed and what to do.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._authoring.descriptor import CSV_DIALECT
from .._io import DESCRIPTOR_FILE
from .._schema.tableschema import key_fields
from .._schema.types import TYPES
from .codes import FRICTIONLESS_CODES
from .resources import Resource, column_values
from .text import join, show

if TYPE_CHECKING:  # pragma: no cover - the validator calls run_frictionless
    from .validator import Validator

CELL_ERROR_CODES = frozenset({"type-error", "constraint-error", "missing-cell", "unique-error"})
"""Cell-level frictionless errors: the cell's value cannot be trusted by later rules."""
LABEL_ERROR_CODES = frozenset(
    {"incorrect-label", "missing-label", "extra-label", "duplicate-label", "blank-label"}
)
MAX_ERRORS = 10**7
OTHER_TYPES_CODE = "source-error"
"""The code of a frictionless error type the catalogue does not list (its message stays
frictionless' own, with a hint)."""
_SHOW_VALUES = 15


def run_frictionless(v: Validator, skip: frozenset[str] = frozenset()) -> bool:
    """Layer 2: frictionless validates every checkable resource; its errors become problems.

    ``skip``: resources the fast path judged (:attr:`.fast.Verdict.judged`); they stay in the
    package, for the look-ups of foreign keys, but their rows are not read again.

    Returns whether the rows were checked: false when frictionless could not open the
    package or found its metadata invalid (then it checks no row of any resource).
    """
    # deferred: frictionless takes ~0.3 s to import; a package found clean never needs it
    from frictionless import FrictionlessException, Package

    checkable = [res for res in v.resources.values() if res.checkable]
    if not checkable:
        return True
    names = {res.name for res in checkable}
    descriptor = {"resources": [_resource(res, names) for res in checkable]}
    try:
        package = Package(descriptor, basepath=str(v.folder))
        errors, tasks = _validate(package, names - skip, v.error_limit)
    except FrictionlessException as exc:
        v.add(
            "package-error",
            f"frictionless could not open the package: {exc.error.message}. Fix the "
            "descriptor and validate again; the rows were not checked.",
            path=DESCRIPTOR_FILE,
        )
        for res in checkable:
            res.checkable = False
        return False
    except Exception as exc:
        v.add(
            "package-error",
            f"frictionless failed on the package ({type(exc).__name__}: {exc}). Fix the "
            "descriptor and validate again; the rows were not checked.",
            path=DESCRIPTOR_FILE,
        )
        for res in checkable:
            res.checkable = False
        return False
    for error in errors:
        v.add("package-error", f"{error.message}.", path=DESCRIPTOR_FILE)
    for task in tasks:
        found = v.resources.get(task.name)
        for error in task.errors:
            add_frictionless_error(v, error, found, task.name)
        if any("error limit" in str(warning) for warning in task.warnings):
            v.add(
                "error-limit",
                f"the rows of this file were checked until {v.error_limit:,} problems were "
                "found; there may be more. Fix these and validate again, or pass --all "
                "(all_problems=True) to check every row.",
                resource=task.name,
            )
            if found is not None:  # not read again for the cross-table rules: memory stays small
                found.checkable = False
        if found is not None and any(
            error.type in {"source-error", "scheme-error", "encoding-error", "format-error"}
            for error in task.errors
        ):
            found.checkable = False
    return not errors


def _resource(res: Resource, names: set[str]) -> dict[str, Any]:
    """What frictionless is handed for one resource: built from the keys the project defines,
    never the candidate's own object (frictionless acts on ``profile``, ``extrapaths``,
    ``url``…, some by fetching a URL). The path was checked to stay inside the package, the
    schema is the project's (:meth:`.validator.Validator._check_schemas_match_project`) and
    the dialect the one every file of the package has; ``bytes``, ``hash``, ``rows`` and
    ``fields`` are passed on for frictionless to compare with the file.
    """
    schema = copy.deepcopy(res.schema) or {}
    if isinstance(schema.get("foreignKeys"), list):
        schema["foreignKeys"] = [
            fk
            for fk in schema["foreignKeys"]
            if isinstance(fk, dict)
            and isinstance(fk.get("reference"), dict)
            and (fk["reference"].get("resource") or res.name) in names
        ]
    entry: dict[str, Any] = {
        "name": res.name,
        "type": "table",
        "path": res.path,
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": dict(CSV_DIALECT),
        "schema": schema,
    }
    for key in ("bytes", "hash", "rows", "fields"):
        if key in res.descriptor:
            entry[key] = copy.deepcopy(res.descriptor[key])
    return entry


def _validate(package: Any, names: set[str], limit: int) -> tuple[list[Any], list[Any]]:
    """The errors and tasks of ``package.validate()``, its rows read only for ``names``.

    With every resource named this is frictionless' own ``Package.validate``. Otherwise it
    does what that does (check the package's metadata; if that holds, validate each resource
    in turn) for the named resources only; the parity tests compare the two.
    """
    if names == {resource.name for resource in package.resources}:
        report = package.validate(limit_errors=limit)
        return list(report.errors), list(report.tasks)
    # deferred: as in run_frictionless, only the full path imports frictionless
    from frictionless import FrictionlessException

    try:
        package.to_descriptor(validate=True)
    except FrictionlessException as exc:
        return list(exc.to_errors()), []
    errors: list[Any] = []
    tasks: list[Any] = []
    for resource in package.resources:
        if resource.name in names:
            report = resource.validate(limit_errors=limit)
            errors.extend(report.errors)
            tasks.extend(report.tasks)
    return errors, tasks


def add_frictionless_error(v: Validator, error: Any, res: Resource | None, name: str) -> None:
    """Add one frictionless error (or the fast path's :class:`.table_problems.Finding`, which
    has the same attributes) to the validator as a problem."""
    code = str(error.type) if error.type in FRICTIONLESS_CODES else OTHER_TYPES_CODE
    row = getattr(error, "row_number", None)
    field = getattr(error, "field_name", None) or None
    if code in LABEL_ERROR_CODES:
        numbers = getattr(error, "row_numbers", None) or [1]
        row = numbers[0]
    message = frictionless_message(error, res, reference_values(v, res))
    if code == "primary-key" and res is not None:
        field = ",".join(key_fields((res.schema or {}).get("primaryKey"))) or None
    elif code == "foreign-key":
        field = ",".join(getattr(error, "field_names", []) or []) or None
    if code in CELL_ERROR_CODES and row is not None and field:
        v.bad_cells.add((name, row, field))
    v.add(code, message, resource=name, row=row, field=field)


def reference_values(v: Validator, res: Resource | None) -> Mapping[str, list[str]]:
    """Values of small referenced tables, so a foreign-key message can list them."""
    if res is None:
        return {}
    if res.name in v.hints:
        return v.hints[res.name]
    hints: dict[str, list[str]] = {}
    v.hints[res.name] = hints
    for fields, target, ref_fields in res.foreign_keys():
        other = v.resources.get(target)
        if len(ref_fields) != 1 or other is None or other.file is None:
            continue
        values = column_values(other, ref_fields[0])
        if values is not None and 0 < len(values) <= _SHOW_VALUES:
            hints[",".join(fields)] = values
    return hints


# ------------------------------------------------------------------------------ messages


@dataclass(frozen=True)
class ErrorFacts:
    """What a message needs from one frictionless error."""

    error: Any
    res: Resource | None
    hints: Mapping[str, list[str]]

    @property
    def field_name(self) -> str | None:
        return getattr(self.error, "field_name", None)

    @property
    def spec(self) -> dict[str, Any]:
        """The field's descriptor in the resource's Table Schema ({} when unknown)."""
        return self.res.field(self.field_name) if self.res is not None and self.field_name else {}

    @property
    def cell(self) -> Any:
        return getattr(self.error, "cell", None)

    @property
    def note(self) -> str:
        return str(getattr(self.error, "note", "") or "")


def rows_in(note: str) -> str:
    """frictionless' 'the same as in the row at position 2' as 'the same as in row 2'."""
    return re.sub(r"the row at position (\d+)", r"row \1", note)


def _type_error(e: ErrorFacts) -> str:
    kind = e.spec.get("type", "value")
    facts = TYPES.get(kind)
    hint = facts.hint if facts is not None and facts.hint else f"a valid {kind}"
    return f"{e.field_name} is {show(e.cell)}, not a valid {kind}; write {hint}."


def _required(e: ErrorFacts, rules: Mapping[str, Any], constraint: str) -> str:
    return f"{e.field_name} is empty but required. Fill it in."


def _enum(e: ErrorFacts, rules: Mapping[str, Any], constraint: str) -> str:
    return (
        f"{e.field_name} is {show(e.cell)}, which is not allowed; allowed values: "
        f"{join(rules.get('enum', []))}. Use one of them (spelling and case matter)."
    )


def _pattern(e: ErrorFacts, rules: Mapping[str, Any], constraint: str) -> str:
    example = e.spec.get("example")
    sample = f", e.g. '{example}'" if example else ""
    zeros = (
        " (mind leading zeros, which spreadsheets drop)"
        if "0-9" in str(rules.get("pattern"))
        else ""
    )
    return (
        f"{e.field_name} is {show(e.cell)}, which does not match the pattern "
        f"{rules.get('pattern')}{sample}. Correct the value{zeros}."
    )


def _range(e: ErrorFacts, rules: Mapping[str, Any], constraint: str) -> str:
    return (
        f"{e.field_name} is {show(e.cell)}, outside the allowed range ({constraint} "
        f"{rules.get(constraint)}). Correct the value."
    )


ConstraintMessage = Callable[[ErrorFacts, Mapping[str, Any], str], str]

CONSTRAINT_MESSAGES: dict[str, ConstraintMessage] = {
    "required": _required,
    "enum": _enum,
    "pattern": _pattern,
    "minimum": _range,
    "maximum": _range,
    "minLength": _range,
    "maxLength": _range,
    "exclusiveMinimum": _range,
    "exclusiveMaximum": _range,
}
"""The message of a ``constraint-error``, by the Table Schema constraint that was broken."""


def _constraint_error(e: ErrorFacts) -> str:
    match = re.match(r'constraint "(\w+)"', e.note)
    constraint = match.group(1) if match else ""
    message = CONSTRAINT_MESSAGES.get(constraint)
    if message is None:
        return (
            f"{e.field_name} is {show(e.cell)}, which breaks the constraint {e.note}. Correct it."
        )
    return message(e, e.spec.get("constraints") or {}, constraint)


def _unique_error(e: ErrorFacts) -> str:
    return (
        f"{e.field_name} is {show(e.cell)}, {rows_in(e.note)}; values in this field must be "
        "unique. Correct one of them."
    )


def _primary_key(e: ErrorFacts) -> str:
    res = e.res
    key = key_fields((res.schema or {}).get("primaryKey")) if res else []
    cells = list(getattr(e.error, "cells", []) or [])
    values = []
    if res is not None:
        names = [f.get("name") for f in res.fields]
        values = [
            cells[names.index(k)] if k in names and names.index(k) < len(cells) else "" for k in key
        ]
    return (
        f"primary key ({join(key)}) = ({join(values)}) is {rows_in(e.note)}; each row needs its "
        "own key. Delete the duplicate or correct the key."
    )


def _foreign_key(e: ErrorFacts) -> str:
    fields = list(getattr(e.error, "field_names", []) or [])
    values = list(getattr(e.error, "field_cells", []) or [])
    target = getattr(e.error, "reference_name", "") or (e.res.name if e.res else "")
    ref_fields = list(getattr(e.error, "reference_field_names", []) or [])
    known = e.hints.get(",".join(fields))
    listing = f" Existing values: {join(known)}." if known else ""
    if len(fields) == 1:
        what = f"{fields[0]} = {show(values[0] if values else '')}"
        there = f"{target}.{join(ref_fields)}"
    else:
        what = f"({join(fields)}) = ({join(values)})"
        there = f"{target} ({join(ref_fields)})"
    return (
        f"{what} has no match in {there}. Use a value that exists there, or add the "
        f"missing row to {target}.{listing}"
    )


def _missing_cell(e: ErrorFacts) -> str:
    return (
        f"the row has fewer cells than the header: {e.field_name} is missing. Check for a "
        "missing comma, or a line break inside a cell that is not quoted."
    )


def _extra_cell(e: ErrorFacts) -> str:
    return (
        f"the row has more cells than the header (extra value {show(e.cell)}). Quote cells "
        "that contain commas, or remove the extra value."
    )


def _blank_row(e: ErrorFacts) -> str:
    return "the row is completely blank. Delete it."


def _label(what: Callable[[ErrorFacts, Any, Any], str]) -> Callable[[ErrorFacts], str]:
    def message(e: ErrorFacts) -> str:
        names = [f.get("name") for f in e.res.fields] if e.res else []
        label = getattr(e.error, "label", None)
        number = getattr(e.error, "field_number", None)
        return (
            f"{what(e, label, number)}. The header must name the fields in schema order: "
            f"{join(names)}."
        )

    return message


MESSAGES: dict[str, Callable[[ErrorFacts], str]] = {
    "type-error": _type_error,
    "constraint-error": _constraint_error,
    "unique-error": _unique_error,
    "primary-key": _primary_key,
    "foreign-key": _foreign_key,
    "missing-cell": _missing_cell,
    "extra-cell": _extra_cell,
    "blank-row": _blank_row,
    "incorrect-label": _label(
        lambda e, label, number: (
            f"header label {show(label)} in column {number} should be '{e.field_name}'"
        )
    ),
    "missing-label": _label(
        lambda e, label, number: f"the header has no label for field '{e.field_name}'"
    ),
    "extra-label": _label(
        lambda e, label, number: f"the header has an extra label {show(label)} in column {number}"
    ),
    "duplicate-label": _label(
        lambda e, label, number: f"header label {show(label)} appears more than once"
    ),
    "blank-label": _label(lambda e, label, number: f"the header label in column {number} is blank"),
}
"""The message of each frictionless error type; other types get a generic message."""


def frictionless_message(error: Any, res: Resource | None, hints: Mapping[str, list[str]]) -> str:
    """A plain message for one frictionless error: what is wrong, allowed, and to do."""
    message = MESSAGES.get(str(error.type))
    if message is not None:
        return message(ErrorFacts(error, res, hints))
    note = str(getattr(error, "note", "") or "")
    return (
        f"{getattr(error, 'message', note)}. Check that the file is a UTF-8, comma-separated "
        "CSV with a header row."
    )
