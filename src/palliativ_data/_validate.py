"""Validate a copy of the data package and report every problem at once.

:func:`validate` checks a folder holding ``datapackage.json`` (or the descriptor file itself;
default: the bundled package) in three layers and collects every problem, never stopping at
the first:

1. **Descriptor.** ``datapackage.json`` is checked against the official Data Package v2 JSON
   Schema profile shipped in ``dplib-py`` (offline, with ``jsonschema``). Every resource the
   project's ``schema/package.json`` names must be declared, and its file must be a local,
   readable, UTF-8, comma-separated CSV with ``\\n`` line endings and no byte-order mark.
2. **Tables.** frictionless-py validates every readable resource: types, ``required``,
   ``unique``, ``enum``, ``pattern``, primary and foreign keys, header labels.
3. **Cross-table rules** the Table Schema language cannot express (one classification per
   region per follow-up edition, ``no_response`` exactly when a region did not answer, stable
   ``gap_key``\\ s, answers that refer to the right edition and region, …).

Each :class:`Problem` has a stable ``code``, the ``resource`` name, the ``row`` and the
``field``, and a message that says what is wrong, what is allowed and what to do.

Row numbers count as frictionless counts them: the header is row 1, so the first data row is
row 2, and a row is a CSV record (a quoted cell with a line break does not start a new row;
a blank line does). Problems about a whole file or about the descriptor have no row; header
problems have row 1.

Stable codes (``Problem.code``):

========================== ===============================================================
code                       meaning
========================== ===============================================================
``package-error``          no package at the path, descriptor not a JSON object, or
                           frictionless could not open the package
``json-error``             ``datapackage.json`` is not valid JSON (or not UTF-8)
``profile-error``          the descriptor violates the Data Package v2 profile
``resource-missing``       a resource the project requires is not declared
``resource-path``          a resource's ``path`` is not one local file (URL, list, inline)
``file-missing``           a resource's CSV file does not exist
``encoding-error``         a CSV file is not UTF-8 (e.g. saved as Windows-1252 by Excel)
``csv-dialect``            a CSV file is not comma-separated, has a BOM or CRLF endings
frictionless' own types    ``type-error``, ``constraint-error``, ``unique-error``,
                           ``primary-key``, ``foreign-key``, ``missing-cell``,
                           ``extra-cell``, ``blank-row``, ``incorrect-label``,
                           ``missing-label``, ``extra-label``, ``duplicate-label``,
                           ``blank-label``, ``source-error`` … (passed through unchanged)
``classification-missing`` a region has no classification in a follow-up edition
``classification-duplicate`` a region has more than one classification in an edition
``classification-edition-kind`` a classification points to an edition that is not a
                           follow-up
``no-response-mismatch``   category ``no_response`` but the region answered, or another
                           category but it did not
``gap-key-region``         a ``gap_key`` is used for more than one region
``gap-key-function``       a ``gap_key`` is used for more than one function
``gap-answer-mismatch``    a gap answer names the wrong edition, or a gap of another region
``party-kind``             ``party`` set on a response that is not political or joint
``supplements-region``     a response supplements a response of another region (or itself)
``schema-mismatch``        a resource's fields, a field's type, format, constraints or any
                           other property that changes parsing (``trueValues``,
                           ``bareNumber``, ``missingValues``…), its primary key, its dialect
                           or encoding differ from the project's ``schema/``
``byte-count``, ``hash-count`` a file differs from the ``bytes``/``hash`` declared for it
                           (also the Parquet and SQLite copies of a release)
``error-limit``            frictionless stopped after 10,000 problems in one file (``--all``
                           checks on)
========================== ===============================================================

``foreign-key`` is also raised by this module (not only by frictionless) for a reference
that the project's ``schema/`` declares but the validated descriptor has dropped.

To keep reports readable, a few consequences of one mistake are not reported twice: a
frictionless ``foreign-key`` error is dropped when every referencing cell already has a cell
error in that row; a ``primary-key`` error is dropped on a ``blank-row`` and where
``classification-duplicate`` says the same; a file with a ``csv-dialect`` separator problem
or an ``encoding-error`` is not checked row by row (fix it first, then validate again).

ISO 3166-2 codes are not compared with ``pycountry`` here, so that the result never depends
on an optional package; the test suite does that for the bundled regions.

Example:
    >>> from palliativ_data import validate
    >>> report = validate()  # the bundled package
    >>> sorted(report.to_dict())
    ['omitted', 'package', 'problems', 'summary', 'valid']
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from ._descriptor import PACKAGE_FILE, load_table_schema, read_json, resource_names
from ._paths import bundled_package_dir, schema_dir

DESCRIPTOR_NAME = "datapackage.json"
PACKAGE_PROFILE_URL = "https://datapackage.org/profiles/2.0/datapackage.json"

# Cell-level frictionless errors: the cell's value cannot be trusted by later rules.
_CELL_ERROR_CODES = frozenset({"type-error", "constraint-error", "missing-cell", "unique-error"})
_LABEL_ERROR_CODES = frozenset(
    {"incorrect-label", "missing-label", "extra-label", "duplicate-label", "blank-label"}
)
_MAX_ERRORS = 10**7
_SHOW_VALUES = 15


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem found by :func:`validate`.

    Attributes:
        code: Stable, machine-readable code (see the module docstring for the list).
        resource: Name of the resource the problem is in, or ``None`` for the package.
        row: Row number as frictionless counts it (header = 1, first data row = 2), or
            ``None`` for problems about a whole file, a resource or the descriptor.
        field: Field name (several, comma-separated, for a key), a location inside the
            descriptor such as ``schema.fields[0].type`` for ``profile-error``, or ``None``.
        message: What is wrong, what is allowed and what to do.
        path: The file the problem is in, relative to the package folder
            (``data/gaps.csv``, ``datapackage.json``), where known.
    """

    code: str
    resource: str | None
    row: int | None
    field: str | None
    message: str
    path: str | None = None

    @property
    def key(self) -> tuple[str, str | None, int | None, str | None]:
        """``(code, resource, row, field)``, the part of a problem tests assert on."""
        return (self.code, self.resource, self.row, self.field)

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """Order of problems in a report: package first, then by resource, row, field, code."""
        return (
            self.resource or "",
            self.row if self.row is not None else 0,
            self.field or "",
            self.code,
            self.message,
        )

    def location(self, default: str = DESCRIPTOR_NAME) -> str:
        """``file:row`` (or just the file) for human output; ``default`` when no file is known."""
        where = self.path or self.resource or default
        return f"{where}:{self.row}" if self.row is not None else where

    def to_dict(self) -> dict[str, Any]:
        """The problem as a JSON-ready dict (keys: code, resource, path, row, field, message)."""
        return {
            "code": self.code,
            "resource": self.resource,
            "path": self.path,
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass(frozen=True)
class ValidationReport:
    """Every problem found in one package, and a summary of what it holds.

    Attributes:
        package: The descriptor that was validated (or the path given, when none was found).
        problems: Every problem, sorted by :meth:`Problem.sort_key`.
        summary: Counts computed from the CSV files (see :meth:`to_dict`); a count is
            ``None`` when its file could not be read.
    """

    package: str
    problems: tuple[Problem, ...]
    summary: Mapping[str, Any] = dataclass_field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def keys(self) -> list[tuple[str, str | None, int | None, str | None]]:
        """``(code, resource, row, field)`` of every problem, in report order."""
        return [problem.key for problem in self.problems]

    def to_dict(self, limit: int | None = None) -> dict[str, Any]:
        """The report as JSON-ready data; this is the shape ``validate --json`` prints.

        With ``limit`` (``validate --json`` uses 20 unless ``--all``), at most ``limit``
        problems of each code are listed and ``"omitted": {code: count}`` says how many
        more there are (``{}`` when none were left out).

        ``{"valid": bool, "package": str, "problems": [...], "summary": {...}}`` where each
        problem has ``code``, ``resource``, ``path``, ``row``, ``field``, ``message`` and the
        summary has ``name``, ``version``, ``regions``, ``editions`` (a list of ``edition``,
        ``kind``, ``published``, ``gaps``, ``regions_with_gaps``), ``responses``,
        ``regions_with_responses``, ``gap_answers`` and ``classifications``
        (``{edition: {category: count}}``, every category listed, zeros included).
        """
        from ._guards import cap_per_code

        shown, omitted = cap_per_code(self.problems, limit)
        data = {
            "valid": self.valid,
            "package": self.package,
            "problems": [problem.to_dict() for problem in shown],
            "summary": dict(self.summary),
            "omitted": omitted,
        }
        return data

    def to_json(self, indent: int | None = 2, limit: int | None = None) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 characters kept as they are)."""
        return json.dumps(self.to_dict(limit), ensure_ascii=False, indent=indent)

    def render(self, limit: int | None = 20) -> str:
        """Human-readable text: a summary when valid, one line per problem when not.

        At most ``limit`` problems of each code are printed (``None``: all), then a line
        counting the rest.
        """
        if self.valid:
            return "\n".join([f"{self.package}: valid", *render_summary(self.summary)])
        from ._guards import cap_per_code

        shown, omitted = cap_per_code(self.problems, limit)
        lines = [
            f"{problem.location(self.package)} {problem.field or '-'} [{problem.code}] "
            f"{problem.message}"
            for problem in shown
        ]
        for code, more in omitted.items():
            lines.append(f"… and {more:,} more [{code}] problem(s) (--all lists every problem)")
        count = len(self.problems)
        lines.append(f"{count:,} problem{'s' if count != 1 else ''} in {self.package}: not valid")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


def render_summary(summary: Mapping[str, Any]) -> list[str]:
    """Lines describing a package summary as :meth:`ValidationReport.to_dict` gives it."""

    def count(value: Any) -> str:
        return "?" if value is None else str(value)

    lines = [
        f"package {summary.get('name') or '?'} version {summary.get('version') or '?'}: "
        f"{count(summary.get('regions'))} regions"
    ]
    for edition in summary.get("editions") or []:
        lines.append(
            f"edition {edition['edition']} ({edition['kind']}, published {edition['published']}): "
            f"{count(edition['gaps'])} gaps in {count(edition['regions_with_gaps'])} regions"
        )
    lines.append(
        f"responses: {count(summary.get('responses'))} from "
        f"{count(summary.get('regions_with_responses'))} regions; "
        f"gap answers: {count(summary.get('gap_answers'))}"
    )
    for edition, counts in (summary.get("classifications") or {}).items():
        parts = ", ".join(f"{category} {n}" for category, n in counts.items())
        lines.append(f"classifications {edition}: {parts}")
    return lines


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------



def _project_data_version() -> str:
    return str(read_json(schema_dir() / PACKAGE_FILE).get("version"))


def validate(path: str | Path | None = None, *, all_problems: bool = False) -> ValidationReport:
    """Validate a data package and return a report of every problem.

    Args:
        path: A folder holding ``datapackage.json``, or the descriptor file itself. Default:
            the package bundled with this library.
        all_problems: Collect every problem; by default frictionless stops after 10,000
            problems in one file (an ``error-limit`` problem says so), which keeps memory small.

    Returns:
        The report; ``report.valid`` is true when nothing was found. A package that cannot be
        read at all (no such path, broken JSON) comes back as problems too, never as an
        exception.

    Example:
        >>> report = validate("no/such/folder")
        >>> report.valid, report.keys()
        (False, [('package-error', None, None, None)])
    """
    from ._guards import ERROR_LIMIT

    return _Validator(path, error_limit=_MAX_ERRORS if all_problems else ERROR_LIMIT).run()


@functools.cache
def _profile_validator() -> Any:
    """A JSON Schema validator for the official Data Package v2 profile (from dplib-py)."""
    import importlib.resources

    import jsonschema

    profile_text = (
        importlib.resources.files("dplib") / "profiles" / "2.0" / "datapackage.json"
    ).read_text(encoding="utf-8")
    profile = json.loads(profile_text)
    return jsonschema.validators.validator_for(profile)(profile)


def _relative_posix_safe(value: str) -> bool:
    from ._source import path_problem

    return path_problem(value) is None


def _descriptor_rule(key: str) -> str | None:
    """The pattern ``schema/package.json`` sets for the descriptor's ``key`` (name, version)."""
    rules = read_json(schema_dir() / PACKAGE_FILE).get("x-descriptor-rules") or {}
    rule = rules.get(key) if isinstance(rules, dict) else None
    return rule.get("pattern") if isinstance(rule, dict) else None


def _show(value: Any, limit: int = 60) -> str:
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def _join(values: Iterable[Any]) -> str:
    return ", ".join(str(value) for value in values)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value]
    return []


@dataclass
class _Table:
    """A CSV read as strings, for the cross-table rules (empty cell -> None)."""

    name: str
    rows: list[tuple[int, dict[str, str | None]]]


@dataclass
class _Resource:
    index: int
    name: str
    descriptor: dict[str, Any]
    schema: dict[str, Any] | None = None
    path: str | None = None
    file: Path | None = None
    checkable: bool = True  # false: not handed to frictionless, not read for the rules

    @property
    def fields(self) -> list[dict[str, Any]]:
        fields = (self.schema or {}).get("fields")
        return [f for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []

    def field(self, name: str) -> dict[str, Any]:
        for item in self.fields:
            if item.get("name") == name:
                return item
        return {}

    def foreign_keys(self) -> list[tuple[list[str], str, list[str]]]:
        result = []
        for fk in (self.schema or {}).get("foreignKeys") or []:
            if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
                continue
            ref = fk["reference"]
            target = ref.get("resource") or self.name  # v2: no resource = self-reference
            result.append((_as_list(fk.get("fields")), str(target), _as_list(ref.get("fields"))))
        return result


class _Validator:
    def __init__(self, path: str | Path | None, error_limit: int = _MAX_ERRORS) -> None:
        self.error_limit = error_limit
        self.given = Path(path) if path is not None else bundled_package_dir()
        self.descriptor_path: Path | None = None
        self.folder: Path | None = None
        self.descriptor: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.resources: dict[str, _Resource] = {}
        self.tables: dict[str, _Table] = {}
        self.bad_cells: set[tuple[str, int, str]] = set()
        self._hints: dict[str, dict[str, list[str]]] = {}

    # -- helpers ---------------------------------------------------------------------------

    def add(
        self,
        code: str,
        message: str,
        *,
        resource: str | None = None,
        row: int | None = None,
        field: str | None = None,
        path: str | None = None,
    ) -> None:
        if path is None and resource is not None and resource in self.resources:
            path = self.resources[resource].path
        self.problems.append(Problem(code, resource, row, field, message, path))

    def report(self) -> ValidationReport:
        shown = str(self.descriptor_path or self.given)
        problems = tuple(sorted(set(self.problems), key=Problem.sort_key))
        return ValidationReport(shown, problems, self._summary())

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> ValidationReport:
        if not self._load_descriptor():
            return self.report()
        profile_bad = self._check_profile()
        self._collect_resources(profile_bad)
        self._check_schemas_match_project()
        self._check_files()
        self._run_frictionless()
        self._read_tables()
        self._cross_table_rules()
        self._simplify()
        return self.report()

    def _load_descriptor(self) -> bool:
        from ._errors import PackageNotFoundError
        from ._source import DescriptorError, locate, read_descriptor

        try:  # the one safe loader: resolved folder, descriptor inside it, read within limits
            source = locate(self.given)
            self.descriptor_path = source.descriptor_path
            self.folder = source.folder
            self.descriptor = read_descriptor(source.descriptor_path)
        except PackageNotFoundError as exc:
            self.add("package-error", f"{exc} (default: the bundled package).")
            return False
        except DescriptorError as exc:
            self.add(exc.code, str(exc), path=source.descriptor_path.name)
            return False
        return True

    # -- layer 1: the descriptor -----------------------------------------------------------

    def _check_profile(self) -> set[int]:
        """Check the descriptor against the v2 profile; return indexes of bad resources."""
        validator = _profile_validator()
        bad_resources: set[int] = set()
        name = self.descriptor_path.name if self.descriptor_path else DESCRIPTOR_NAME
        declared = self.descriptor.get("$schema")
        if declared != PACKAGE_PROFILE_URL:
            self.add(
                "profile-error",
                f"$schema is {_show(declared)}; this package follows Data Package v2, so it "
                f"must be '{PACKAGE_PROFILE_URL}'.",
                field="$schema",
                path=name,
            )
        from ._source import name_part_problem

        for key in ("name", "version"):  # they become file names in a release
            problem = name_part_problem(key, self.descriptor.get(key), _descriptor_rule(key))
            if problem is not None:
                self.add("profile-error", problem, field=key, path=name)
        for error in validator.iter_errors(self.descriptor):
            location = list(error.absolute_path)
            detail = _best_error(error)
            location = list(detail.absolute_path) or location
            resource, where, index = self._locate(location)
            if index is not None:
                bad_resources.add(index)
            message = _profile_message(detail, location, error)
            if index is not None:
                message += (
                    f" The rows of {resource or f'resources[{index}]'} are not checked until "
                    "the descriptor is fixed."
                )
            self.add("profile-error", message, resource=resource, field=where, path=name)
        return bad_resources

    def _locate(self, location: list[Any]) -> tuple[str | None, str | None, int | None]:
        """Split a descriptor location into (resource name, location in it, resource index)."""
        resources = self.descriptor.get("resources")
        if (
            len(location) >= 2
            and location[0] == "resources"
            and isinstance(location[1], int)
            and isinstance(resources, list)
            and location[1] < len(resources)
        ):
            index = location[1]
            entry = resources[index]
            name = entry.get("name") if isinstance(entry, dict) else None
            if isinstance(name, str) and name:
                return name, _format_location(location[2:]) or None, index
            return None, _format_location(location), index
        return None, _format_location(location) or None, None

    def _collect_resources(self, profile_bad: set[int]) -> None:
        entries = self.descriptor.get("resources")
        if not isinstance(entries, list):
            return  # the profile reports it
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue  # the profile reports it
            name = entry["name"]
            if name in self.resources:
                self.add(
                    "profile-error",
                    f"resource name '{name}' is used twice (resources"
                    f"[{self.resources[name].index}] and resources[{index}]); resource names "
                    "must be unique. Rename or remove one of them.",
                    resource=name,
                    field=None,
                    path=DESCRIPTOR_NAME,
                )
                continue
            res = _Resource(index=index, name=name, descriptor=entry)
            res.checkable = index not in profile_bad
            schema = entry.get("schema")
            if isinstance(schema, dict):
                res.schema = schema
            elif isinstance(schema, str) and _relative_posix_safe(schema) and self.folder:
                from ._source import read_descriptor, resolve_inside

                try:
                    file = resolve_inside(self.folder, schema, resource=name, what="schema")
                    res.schema = read_descriptor(file)
                except (OSError, ValueError) as exc:
                    self.add(
                        "package-error",
                        f"cannot read the Table Schema {schema} of resource '{name}': {exc}. "
                        "Inline the schema in the descriptor or fix the file.",
                        resource=name,
                        field="schema",
                    )
                    res.checkable = False
            else:
                if res.checkable:
                    self.add(
                        "profile-error",
                        f"resource '{name}' has no Table Schema. Every resource of this package "
                        "is a table with an inline 'schema'.",
                        resource=name,
                        field="schema",
                        path=DESCRIPTOR_NAME,
                    )
                res.checkable = False
            self.resources[name] = res
        for required in resource_names():
            if required not in self.resources:
                self.add(
                    "resource-missing",
                    f"the package declares no resource '{required}'. This project's packages "
                    f"have the resources {_join(resource_names())}; add '{required}' to "
                    f"{DESCRIPTOR_NAME} (in this repository: `palliativ-data generate`) with its "
                    f"file data/{required}.csv.",
                    resource=required,
                    path=DESCRIPTOR_NAME,
                )

    def _check_schemas_match_project(self) -> None:
        """Compare each resource's Table Schema with the project's ``schema/``.

        A candidate edition must keep the published schema: a descriptor that loosens a
        constraint (or changes a type or key) would otherwise validate data the project's
        schema rejects. Foreign keys are checked separately (``_check_declared_references``).
        """
        version = _project_data_version()
        todo = (
            "A package of this data version keeps the schema of palliativ-data's schema/: copy "
            "datapackage.json from the release you started from (in this repository: "
            "`palliativ-data generate`); changing the schema needs a new major data version."
        )
        for name in resource_names():
            res = self.resources.get(name)
            if res is None or res.schema is None or not res.checkable:
                continue
            project = load_table_schema(name)
            ours = [f.get("name") for f in project["fields"]]
            theirs = [f.get("name") for f in res.fields]
            if ours != theirs:
                self.add(
                    "schema-mismatch",
                    f"the fields of '{name}' are {_join(theirs)}; the schema of data version "
                    f"{version} has {_join(ours)}. {todo}",
                    resource=name,
                    path=DESCRIPTOR_NAME,
                )
            from ._guards import parsing_mismatches

            for field, key, given, expected in parsing_mismatches(res.descriptor, res.schema, project):
                what = f"'{key}' of field {field}" if field else f"'{key}' of '{name}'"
                self.add(
                    "schema-mismatch",
                    f"{what} is {_show(given)} in this descriptor but {_show(expected)} in the "
                    f"schema of data version {version}; it changes how the file is read. {todo}",
                    resource=name,
                    field=field if field else (key if key.startswith("dialect") else None),
                    path=DESCRIPTOR_NAME,
                )

    def _dependents(self, name: str) -> list[str]:
        result = []
        for other in self.resources.values():
            for fields, target, _ in other.foreign_keys():
                if target == name and other.name != name:
                    result.append(f"{other.name}.{','.join(fields)}")
        return sorted(set(result))

    def _check_files(self) -> None:
        for res in self.resources.values():
            raw = res.descriptor.get("path")
            if not isinstance(raw, str):
                what = "a list of files" if isinstance(raw, list) else "no file"
                if "data" in res.descriptor:
                    what = "inline data"
                self.add(
                    "resource-path",
                    f"resource '{res.name}' has {what}; every resource of this package is one "
                    f'local CSV file, e.g. "path": "data/{res.name}.csv".',
                    resource=res.name,
                    field="path",
                    path=DESCRIPTOR_NAME,
                )
                res.checkable = False
                continue
            res.path = raw
            if not _relative_posix_safe(raw):
                if "://" in raw:
                    self.add(
                        "resource-path",
                        f"resource '{res.name}' points to a URL ({raw}); validation reads only "
                        f"local files. Put the file in the package folder, e.g. "
                        f"data/{res.name}.csv, and point 'path' to it.",
                        resource=res.name,
                        field="path",
                        path=DESCRIPTOR_NAME,
                    )
                elif res.checkable:  # the profile did not already say so
                    self.add(
                        "resource-path",
                        f"path {_show(raw)} of resource '{res.name}' leaves the package folder; "
                        f"use a relative path inside it, e.g. data/{res.name}.csv.",
                        resource=res.name,
                        field="path",
                        path=DESCRIPTOR_NAME,
                    )
                res.checkable = False
                continue
            assert self.folder is not None
            from ._source import UnsafePathError, resolve_inside

            try:  # before anything is opened: a symlink out of the package is never read
                res.file = resolve_inside(self.folder, raw, resource=res.name)
            except UnsafePathError as exc:
                self.add("resource-path", str(exc), resource=res.name, field="path",
                         path=DESCRIPTOR_NAME)  # fmt: skip
                res.checkable = False
                continue
            if not res.file.is_file():
                dependents = self._dependents(res.name)
                tail = (
                    f" References to it from {_join(dependents)} could not be checked."
                    if dependents
                    else ""
                )
                self.add(
                    "file-missing",
                    f"file {raw} of resource '{res.name}' does not exist in {self.folder}. "
                    f"Add it (UTF-8, comma-separated, header row) or fix 'path'.{tail}",
                    resource=res.name,
                )
                res.checkable = False
                continue
            if res.checkable and res.schema is not None:
                self._check_dialect(res)
        from ._guards import copy_problems

        assert self.folder is not None
        for code, resource, field, message in copy_problems(self.folder, self.descriptor):
            self.add(code, message, resource=resource, field=field, path=DESCRIPTOR_NAME)

    def _check_dialect(self, res: _Resource) -> None:
        assert res.file is not None
        data = res.file.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self.add(
                "encoding-error",
                f"{res.path} is not UTF-8 (byte {data[exc.start]:#04x} on line {line}); it was "
                "probably saved as Windows-1252/Latin-1 (e.g. plain 'CSV' from Excel). Save it "
                "as UTF-8 (Excel: 'CSV UTF-8'; LibreOffice: character set 'Unicode (UTF-8)'), "
                "then validate again. Its rows were not checked.",
                resource=res.name,
            )
            res.checkable = False
            return
        issues = []
        skip_rows = False
        if text.startswith("\ufeff"):
            issues.append("it starts with a byte-order mark (BOM)")
            text = text[1:]
        if "\r" in text:
            issues.append("it has CRLF (Windows) line endings instead of \\n")
        header_line = text.split("\n", 1)[0].rstrip("\r")
        from ._guards import header_problems

        names = [str(f.get("name")) for f in res.fields]
        for column, label, name in header_problems(next(csv.reader([header_line]), []), names):
            self.add(
                "incorrect-label",
                f"header label {_show(label)} in column {column} should be '{name}' (no spaces "
                "around it; frictionless would strip them, load() and build do not). Delete "
                "the spaces.",
                resource=res.name,
                row=1,
                field=name,
            )
        expected = len(res.fields)
        by_comma = len(next(csv.reader([header_line]), []))
        if expected > 1 and by_comma < expected:
            for delimiter, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|'")):
                by_other = len(next(csv.reader([header_line], delimiter=delimiter), []))
                if by_other > by_comma:
                    issues.insert(0, f"it is separated by {label}, not commas")
                    skip_rows = True
                    break
        if not issues:
            return
        message = (
            f"{res.path} is not in this package's CSV dialect: {'; '.join(issues)}. That is "
            "how spreadsheet programs often save CSV (a Swedish-locale Excel writes ';'). "
            "Save or convert it as UTF-8 without BOM, comma-separated, with \\n line endings "
            "(LibreOffice: Save As › Text CSV, field delimiter ',', character set UTF-8), "
            "then validate again."
        )
        if skip_rows:
            message += " Its rows were not checked."
        self.add("csv-dialect", message, resource=res.name)
        if skip_rows:
            res.checkable = False

    # -- layer 2: frictionless -------------------------------------------------------------

    def _run_frictionless(self) -> None:
        checkable = [res for res in self.resources.values() if res.checkable]
        if not checkable:
            return
        from frictionless import FrictionlessException, Package

        names = {res.name for res in checkable}
        descriptor = {k: copy.deepcopy(v) for k, v in self.descriptor.items() if k != "resources"}
        resources = []
        for res in checkable:
            entry = copy.deepcopy(res.descriptor)
            entry["schema"] = copy.deepcopy(res.schema)
            schema = entry["schema"]
            if isinstance(schema.get("foreignKeys"), list):
                schema["foreignKeys"] = [
                    fk
                    for fk in schema["foreignKeys"]
                    if isinstance(fk, dict)
                    and isinstance(fk.get("reference"), dict)
                    and (fk["reference"].get("resource") or res.name) in names
                ]
            resources.append(entry)
        descriptor["resources"] = resources
        try:
            package = Package(descriptor, basepath=str(self.folder))
            report = package.validate(limit_errors=self.error_limit)
        except FrictionlessException as exc:
            self.add(
                "package-error",
                f"frictionless could not open the package: {exc.error.message}. Fix the "
                "descriptor and validate again; the rows were not checked.",
                path=DESCRIPTOR_NAME,
            )
            for res in checkable:
                res.checkable = False
            return
        except Exception as exc:  # noqa: BLE001 - a report, never a traceback
            self.add(
                "package-error",
                f"frictionless failed on the package ({type(exc).__name__}: {exc}). Fix the "
                "descriptor and validate again; the rows were not checked.",
                path=DESCRIPTOR_NAME,
            )
            for res in checkable:
                res.checkable = False
            return
        for error in report.errors:
            self.add("package-error", f"{error.message}.", path=DESCRIPTOR_NAME)
        for task in report.tasks:
            res = self.resources.get(task.name)
            for error in task.errors:
                self._add_frictionless(error, res, task.name)
            if any("error limit" in str(warning) for warning in task.warnings):
                self.add(
                    "error-limit",
                    f"the rows of this file were checked until {self.error_limit:,} problems "
                    "were found; there may be more. Fix these and validate again, or pass "
                    "--all (all_problems=True) to check every row.",
                    resource=task.name,
                )
            if res is not None and any(
                error.type in {"source-error", "scheme-error", "encoding-error", "format-error"}
                for error in task.errors
            ):
                res.checkable = False

    def _add_frictionless(self, error: Any, res: _Resource | None, name: str) -> None:
        code = str(error.type)
        row = getattr(error, "row_number", None)
        field = getattr(error, "field_name", None) or None
        if code in _LABEL_ERROR_CODES:
            numbers = getattr(error, "row_numbers", None) or [1]
            row = numbers[0]
        message = _frictionless_message(error, res, self.reference_values(res))
        if code == "primary-key" and res is not None:
            field = ",".join(_as_list((res.schema or {}).get("primaryKey"))) or None
        elif code == "foreign-key":
            field = ",".join(getattr(error, "field_names", []) or []) or None
        if code in _CELL_ERROR_CODES and row is not None and field:
            self.bad_cells.add((name, row, field))
        self.add(code, message, resource=name, row=row, field=field)

    def reference_values(self, res: _Resource | None) -> Mapping[str, list[str]]:
        """Values of small referenced tables, so a foreign-key message can list them."""
        if res is None:
            return {}
        if res.name in self._hints:
            return self._hints[res.name]
        hints: dict[str, list[str]] = {}
        self._hints[res.name] = hints
        for fields, target, ref_fields in res.foreign_keys():
            other = self.resources.get(target)
            if len(ref_fields) != 1 or other is None or other.file is None:
                continue
            values = _column(other, ref_fields[0])
            if values is not None and 0 < len(values) <= _SHOW_VALUES:
                hints[",".join(fields)] = values
        return hints

    # -- layer 3: cross-table rules --------------------------------------------------------

    def _read_tables(self) -> None:
        for res in self.resources.values():
            if not res.checkable or res.file is None or res.schema is None:
                continue
            table = _read_table(res)
            if table is not None:
                self.tables[res.name] = table

    def rows(self, table: str) -> Iterator[tuple[int, dict[str, str | None]]]:
        """Rows of a readable table, with cells frictionless rejected set to None."""
        for number, values in self.tables[table].rows:
            yield (
                number,
                {
                    key: (None if (table, number, key) in self.bad_cells else value)
                    for key, value in values.items()
                },
            )

    def _have(self, *names: str) -> bool:
        return all(name in self.tables for name in names)

    def _cross_table_rules(self) -> None:
        self._check_declared_references()
        if self._have("editions", "classifications"):
            self._check_classifications()
        if self._have("gaps"):
            self._check_gap_keys()
        if self._have("responses"):
            self._check_responses()
        if self._have("gap_answers", "responses", "editions"):
            self._check_gap_answers()

    def _region_label(self, code: str) -> str:
        if self._have("regions"):
            for _, row in self.tables["regions"].rows:
                if row.get("region_code") == code and row.get("name_source"):
                    return f"{code} ({row['name_source']})"
        return code

    def _check_declared_references(self) -> None:
        """Check the foreign keys of the project's schema/ that the descriptor has dropped."""
        for name in resource_names():
            res = self.resources.get(name)
            if res is None or name not in self.tables:
                continue
            declared = {(tuple(f), t, tuple(r)) for f, t, r in res.foreign_keys()}
            project = _Resource(index=-1, name=name, descriptor={}, schema=load_table_schema(name))
            for fields, target, ref_fields in project.foreign_keys():
                if (tuple(fields), target, tuple(ref_fields)) in declared:
                    continue
                if target not in self.tables:
                    continue
                existing = {
                    tuple(row.get(f) for f in ref_fields) for _, row in self.tables[target].rows
                }
                for number, row in self.rows(name):
                    values = tuple(row.get(f) for f in fields)
                    if any(v is None for v in values) or values in existing:
                        continue
                    self.add(
                        "foreign-key",
                        f"({_join(fields)}) = ({_join(values)}) has no match in "
                        f"{target} ({_join(ref_fields)}) (this descriptor does not declare the "
                        f"reference, but the project's schema does). Use a value that exists in "
                        f"{target}, or add the missing row there.",
                        resource=name,
                        row=number,
                        field=",".join(fields),
                    )

    def _check_classifications(self) -> None:
        editions = {row["edition"]: row for _, row in self.rows("editions") if row.get("edition")}
        follow_ups = [e for e, row in editions.items() if row.get("kind") == "follow_up"]
        responders: dict[tuple[str, str], list[str]] = defaultdict(list)
        if self._have("responses"):
            for _, row in self.rows("responses"):
                if row.get("edition") and row.get("region_code"):
                    responders[(row["edition"], row["region_code"])].append(
                        row.get("response_id") or "?"
                    )
        seen: dict[tuple[str, str], int] = {}
        for number, row in self.rows("classifications"):
            edition, region, category = (
                row.get("edition"),
                row.get("region_code"),
                row.get("category"),
            )
            if edition in editions and editions[edition].get("kind") not in (None, "follow_up"):
                self.add(
                    "classification-edition-kind",
                    f"edition {edition} is of kind '{editions[edition].get('kind')}'; only "
                    f"follow-up editions classify regions ({_join(follow_ups) or 'none here'}). "
                    "Correct the edition or delete the row.",
                    resource="classifications",
                    row=number,
                    field="edition",
                )
            if edition is None or region is None:
                continue
            key = (edition, region)
            if key in seen:
                self.add(
                    "classification-duplicate",
                    f"region {self._region_label(region)} is already classified in edition "
                    f"{edition} at row {seen[key]}; a region has exactly one classification "
                    "per follow-up edition. Delete one of the rows.",
                    resource="classifications",
                    row=number,
                    field="region_code",
                )
                continue
            seen[key] = number
            if category is None or not self._have("responses"):
                continue
            if edition in editions and editions[edition].get("kind") != "follow_up":
                continue
            answered = responders.get(key, [])
            if category == "no_response" and answered:
                self.add(
                    "no-response-mismatch",
                    f"region {self._region_label(region)} is classified 'no_response' in "
                    f"{edition}, but responses has {len(answered)} response(s) from it in that "
                    f"edition ({_join(sorted(answered))}). Choose the category the edition "
                    "gives it, or remove the responses if it did not answer.",
                    resource="classifications",
                    row=number,
                    field="category",
                )
            elif category != "no_response" and not answered:
                self.add(
                    "no-response-mismatch",
                    f"region {self._region_label(region)} is classified '{category}' in "
                    f"{edition}, but responses has no response from it in that edition. Use "
                    "'no_response' for a region that did not answer, or add its response(s).",
                    resource="classifications",
                    row=number,
                    field="category",
                )
        if not self._have("regions"):
            return
        regions = [row["region_code"] for _, row in self.rows("regions") if row.get("region_code")]
        for edition in follow_ups:
            for region in regions:
                if (edition, region) not in seen:
                    self.add(
                        "classification-missing",
                        f"region {self._region_label(region)} has no classification in "
                        f"follow-up edition {edition}; every region has exactly one per "
                        "follow-up edition. Add a row (category 'no_response' if it did not "
                        "answer).",
                        resource="classifications",
                    )

    def _check_gap_keys(self) -> None:
        first: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
        for number, row in self.rows("gaps"):
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
                    self.add(
                        code,
                        f"gap_key '{key}' belongs to {what} {known} at row {at} but to {what} "
                        f"{value} here; a gap_key names one gap of one region and one function "
                        f"in every edition. Give this gap its own key or correct {field}.",
                        resource="gaps",
                        row=number,
                        field=field,
                    )

    def _check_responses(self) -> None:
        by_id = {
            row["response_id"]: row for _, row in self.rows("responses") if row.get("response_id")
        }
        for number, row in self.rows("responses"):
            party, kind = row.get("party"), row.get("kind")
            if party is not None and kind is not None and kind not in ("political", "joint"):
                self.add(
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
                self.add(
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
                self.add(
                    "supplements-region",
                    f"response {own} of region {row.get('region_code')} supplements {target}, "
                    f"a response of region {by_id[target].get('region_code')}; a response can "
                    "only supplement one of its own region. Correct 'supplements'.",
                    resource="responses",
                    row=number,
                    field="supplements",
                )

    def _check_gap_answers(self) -> None:
        editions = {row["edition"]: row for _, row in self.rows("editions") if row.get("edition")}
        responses = {
            row["response_id"]: row for _, row in self.rows("responses") if row.get("response_id")
        }
        gap_region: dict[tuple[str, str], str] = {}
        key_region: dict[str, str] = {}
        if self._have("gaps"):
            for _, row in self.rows("gaps"):
                if row.get("gap_key") and row.get("region_code"):
                    key_region.setdefault(row["gap_key"], row["region_code"])
                    if row.get("edition"):
                        gap_region[(row["edition"], row["gap_key"])] = row["region_code"]
        for number, row in self.rows("gap_answers"):
            response = responses.get(row.get("response_id") or "")
            if response is None:
                continue  # a foreign-key problem already says so
            edition = row.get("edition")
            response_edition = response.get("edition")
            if edition is not None and response_edition in editions:
                expected = editions[response_edition].get("follows_up")
                if expected is None:
                    self.add(
                        "gap-answer-mismatch",
                        f"response {row['response_id']} belongs to edition {response_edition}, "
                        "which follows up no edition, so it cannot answer about gaps. Correct "
                        "the response's edition or the editions' follows_up.",
                        resource="gap_answers",
                        row=number,
                        field="edition",
                    )
                elif edition != expected:
                    self.add(
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
                self.add(
                    "gap-answer-mismatch",
                    f"gap {key} is a gap of region {gap_owner}, but response "
                    f"{row['response_id']} comes from region {region}; a response answers only "
                    "about its own region's gaps. Correct gap_key or response_id.",
                    resource="gap_answers",
                    row=number,
                    field="gap_key",
                )

    # -- tidy up ---------------------------------------------------------------------------

    def _simplify(self) -> None:
        """Drop problems that only repeat another problem of the same row (see module doc)."""
        blank = {(p.resource, p.row) for p in self.problems if p.code == "blank-row"}
        duplicate = {
            (p.resource, p.row) for p in self.problems if p.code == "classification-duplicate"
        }
        kept = []
        for problem in self.problems:
            where = (problem.resource, problem.row)
            if problem.code == "primary-key" and (where in blank or where in duplicate):
                continue
            if (
                problem.code == "foreign-key"
                and problem.field
                and problem.row is not None
                and all(
                    (problem.resource, problem.row, name) in self.bad_cells
                    for name in problem.field.split(",")
                )
            ):
                continue
            kept.append(problem)
        self.problems = kept

    # -- summary ---------------------------------------------------------------------------

    def _summary(self) -> dict[str, Any]:
        def count(name: str) -> int | None:
            return len(self.tables[name].rows) if name in self.tables else None

        def distinct(name: str, field: str) -> int | None:
            if name not in self.tables:
                return None
            return len({row.get(field) for _, row in self.tables[name].rows if row.get(field)})

        editions = []
        if "editions" in self.tables:
            gaps = self.tables.get("gaps")
            for _, row in self.tables["editions"].rows:
                edition = row.get("edition")
                in_edition = (
                    [g for _, g in gaps.rows if g.get("edition") == edition] if gaps else None
                )
                editions.append(
                    {
                        "edition": edition,
                        "kind": row.get("kind"),
                        "published": row.get("published"),
                        "gaps": len(in_edition) if in_edition is not None else None,
                        "regions_with_gaps": (
                            len({g.get("region_code") for g in in_edition})
                            if in_edition is not None
                            else None
                        ),
                    }
                )
        classifications: dict[str, dict[str, int]] = {}
        if "classifications" in self.tables:
            categories = [
                row["category"]
                for _, row in (
                    self.tables["categories"].rows if "categories" in self.tables else []
                )
                if row.get("category")
            ]
            for _, row in self.tables["classifications"].rows:
                edition, category = row.get("edition"), row.get("category")
                if not edition or not category:
                    continue
                counts = classifications.setdefault(edition, dict.fromkeys(categories, 0))
                counts[category] = counts.get(category, 0) + 1
        name = self.descriptor.get("name")
        version = self.descriptor.get("version")
        return {
            "name": name if isinstance(name, str) else None,
            "version": version if isinstance(version, str) else None,
            "regions": count("regions"),
            "editions": editions,
            "responses": count("responses"),
            "regions_with_responses": distinct("responses", "region_code"),
            "gap_answers": count("gap_answers"),
            "classifications": classifications,
        }


# --------------------------------------------------------------------------------------------
# Helpers: CSV reading, messages
# --------------------------------------------------------------------------------------------


def _read_table(res: _Resource) -> _Table | None:
    """Read a CSV as strings, mapping cells to schema fields by position, as frictionless does."""
    assert res.file is not None
    try:
        text = res.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    names = [str(f.get("name")) for f in res.fields]
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict[str, str | None]]] = []
    for number, cells in enumerate(reader, start=1):
        if number == 1 or not any(cell.strip() for cell in cells):
            continue  # header, or a blank row (frictionless reports it)
        values = {
            name: (cells[i] if i < len(cells) and cells[i] != "" else None)
            for i, name in enumerate(names)
        }
        rows.append((number, values))
    return _Table(res.name, rows)


def _rows_in(note: str) -> str:
    """frictionless' 'the same as in the row at position 2' as 'the same as in row 2'."""
    return re.sub(r"the row at position (\d+)", r"row \1", note)


def _column(res: _Resource, name: str) -> list[str] | None:
    if res.file is None or res.schema is None:
        return None
    table = _read_table(res)
    if table is None:
        return None
    return sorted({row[name] for _, row in table.rows if row.get(name)})


def _format_location(parts: Sequence[Any]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _best_error(error: Any) -> Any:
    """The most specific sub-error of a oneOf/anyOf failure."""
    import jsonschema

    if not error.context:
        return error
    # Prefer the alternatives whose type fitted: "'../x' does not match <pattern>" says more
    # than "'../x' is not of type 'array'".
    fitting = [sub for sub in error.context if sub.validator != "type"] or list(error.context)
    return jsonschema.exceptions.best_match(fitting) or error


def _profile_message(detail: Any, location: list[Any], top: Any) -> str:
    where = _format_location(list(detail.absolute_path) or location) or "the descriptor"
    last = (list(detail.absolute_path) or [None])[-1]
    if detail.validator == "pattern" and last == "path":
        return (
            f"{where} is {_show(detail.instance)}, which the Data Package v2 profile does not "
            "allow: a path must be relative and stay inside the package folder (no leading "
            "'/' or '.', no '../', no backslashes) or be an http(s) URL. Move the file into the "
            "package folder and point to it, e.g. 'data/<resource>.csv'."
        )
    if detail.validator == "enum" and top.context:
        allowed: list[Any] = []
        for sub in top.context:
            if sub.validator == "enum" and list(sub.absolute_path) == list(detail.absolute_path):
                allowed.extend(sub.validator_value)
        allowed = list(dict.fromkeys(allowed)) or list(detail.validator_value)
        return (
            f"{where} is {_show(detail.instance)}, which the Data Package v2 profile does not "
            f"allow; allowed: {_join(allowed)}. Correct it in the descriptor (in this "
            "repository: in schema/, then `palliativ-data generate`)."
        )
    text = detail.message
    if len(text) > 200:
        text = text[:199] + "…"
    return (
        f"{where}: {text} (Data Package v2 profile). Correct the descriptor (in this "
        "repository: in schema/, then `palliativ-data generate`)."
    )


_TYPE_HINTS = {
    "integer": "a whole number such as 3",
    "number": "a number with '.' as the decimal separator, such as 2.5",
    "boolean": "true or false",
    "date": "an ISO date YYYY-MM-DD, such as 2026-06-11",
    "datetime": "an ISO date and time such as 2026-06-11T09:30:00",
    "year": "a four-digit year",
}


def _frictionless_message(error: Any, res: _Resource | None, hints: Mapping[str, list[str]]) -> str:
    code = str(error.type)
    field_name = getattr(error, "field_name", None)
    spec = res.field(field_name) if res is not None and field_name else {}
    cell = getattr(error, "cell", None)
    note = str(getattr(error, "note", "") or "")
    if code == "type-error":
        kind = spec.get("type", "value")
        hint = _TYPE_HINTS.get(kind, f"a valid {kind}")
        return f"{field_name} is {_show(cell)}, not a valid {kind}; write {hint}."
    if code == "constraint-error":
        match = re.match(r'constraint "(\w+)"', note)
        constraint = match.group(1) if match else ""
        rules = spec.get("constraints") or {}
        if constraint == "required":
            return f"{field_name} is empty but required. Fill it in."
        if constraint == "enum":
            return (
                f"{field_name} is {_show(cell)}, which is not allowed; allowed values: "
                f"{_join(rules.get('enum', []))}. Use one of them (spelling and case matter)."
            )
        if constraint == "pattern":
            example = spec.get("example")
            sample = f", e.g. '{example}'" if example else ""
            zeros = (
                " (mind leading zeros, which spreadsheets drop)"
                if "0-9" in str(rules.get("pattern"))
                else ""
            )
            return (
                f"{field_name} is {_show(cell)}, which does not match the pattern "
                f"{rules.get('pattern')}{sample}. Correct the value{zeros}."
            )
        if constraint in (
            "minimum",
            "maximum",
            "minLength",
            "maxLength",
            "exclusiveMinimum",
            "exclusiveMaximum",
        ):
            return (
                f"{field_name} is {_show(cell)}, outside the allowed range ({constraint} "
                f"{rules.get(constraint)}). Correct the value."
            )
        return f"{field_name} is {_show(cell)}, which breaks the constraint {note}. Correct it."
    if code == "unique-error":
        return (
            f"{field_name} is {_show(cell)}, {_rows_in(note)}; values in this field must be "
            "unique. Correct one of them."
        )
    if code == "primary-key":
        key = _as_list((res.schema or {}).get("primaryKey")) if res else []
        cells = list(getattr(error, "cells", []) or [])
        values = []
        if res is not None:
            names = [f.get("name") for f in res.fields]
            values = [
                cells[names.index(k)] if k in names and names.index(k) < len(cells) else ""
                for k in key
            ]
        where = _rows_in(note)
        return (
            f"primary key ({_join(key)}) = ({_join(values)}) is {where}; each row needs its "
            "own key. Delete the duplicate or correct the key."
        )
    if code == "foreign-key":
        fields = list(getattr(error, "field_names", []) or [])
        values = list(getattr(error, "field_cells", []) or [])
        target = getattr(error, "reference_name", "") or (res.name if res else "")
        ref_fields = list(getattr(error, "reference_field_names", []) or [])
        known = hints.get(",".join(fields))
        listing = f" Existing values: {_join(known)}." if known else ""
        if len(fields) == 1:
            what = f"{fields[0]} = {_show(values[0] if values else '')}"
            there = f"{target}.{_join(ref_fields)}"
        else:
            what = f"({_join(fields)}) = ({_join(values)})"
            there = f"{target} ({_join(ref_fields)})"
        return (
            f"{what} has no match in {there}. Use a value that exists there, or add the "
            f"missing row to {target}.{listing}"
        )
    if code == "missing-cell":
        return (
            f"the row has fewer cells than the header: {field_name} is missing. Check for a "
            "missing comma, or a line break inside a cell that is not quoted."
        )
    if code == "extra-cell":
        return (
            f"the row has more cells than the header (extra value {_show(cell)}). Quote cells "
            "that contain commas, or remove the extra value."
        )
    if code == "blank-row":
        return "the row is completely blank. Delete it."
    if code in _LABEL_ERROR_CODES:
        names = [f.get("name") for f in res.fields] if res else []
        label = getattr(error, "label", None)
        number = getattr(error, "field_number", None)
        what = {
            "incorrect-label": f"header label {_show(label)} in column {number} should be "
            f"'{field_name}'",
            "missing-label": f"the header has no label for field '{field_name}'",
            "extra-label": f"the header has an extra label {_show(label)} in column {number}",
            "duplicate-label": f"header label {_show(label)} appears more than once",
            "blank-label": f"the header label in column {number} is blank",
        }[code]
        return f"{what}. The header must name the fields in schema order: {_join(names)}."
    return (
        f"{getattr(error, 'message', note)}. Check that the file is a UTF-8, comma-separated "
        "CSV with a header row."
    )
