"""The validation run: read the descriptor, check it, then the files, tables and rules.

See :mod:`palliativ_data._validation` for the layers and the problem codes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from .. import _guards
from .._errors import PackageNotFoundError
from .._guards import copy_problems, foreign_key_mismatches, parsing_mismatches
from .._io import DESCRIPTOR_FILE, read_json
from .._offline import offline
from .._paths import bundled_package_dir, schema_dir
from .._schema.tableschema import PACKAGE_FILE, load_table_schema, resource_names
from .._source import (
    DescriptorError,
    UnsafePathError,
    locate,
    read_descriptor,
    regular_file,
    resolve_inside,
)
from . import rules as _rules
from .dialect import check_dialect
from .frictionless import MAX_ERRORS, run_frictionless
from .keys import check_keys
from .profile import check_profile
from .report import Problem, ValidationReport
from .resources import Resource, Table, read_table
from .summary import gaps_by_edition_of_rows, summarise
from .text import join, relative_posix_safe, show

_ROWS_STILL_CHECKED = frozenset({"type", "format", "constraints", "primaryKey", "missingValues"})
"""Differences after which the rows are still checked (with the descriptor's schema)."""


def _project_data_version() -> str:
    return str(read_json(schema_dir() / PACKAGE_FILE).get("version"))


ENGINES = ("auto", "frictionless")
"""The values of ``validate(engine=…)`` and ``palliativ-data validate --engine``."""

Engine = Literal["auto", "frictionless"]


@offline("validate")
def validate(
    path: str | Path | None = None, *, all_problems: bool = False, engine: Engine = "auto"
) -> ValidationReport:
    """Validate a data package and return a report of every problem.

    Args:
        path: A folder holding ``datapackage.json``, or the descriptor file itself. Default:
            the package bundled with this library.
        all_problems: Collect every problem; by default frictionless stops after 10,000
            problems in one file (an ``error-limit`` problem says so), which keeps memory small.
        engine: ``"auto"`` (default): each table is judged with Arrow
            (:mod:`~palliativ_data._validation.fast`), which finds what frictionless would
            report there, and the rules run on the Arrow columns; frictionless reads only the
            tables the fast path cannot judge, so the problems and messages are the same
            either way. ``"frictionless"``: always run frictionless cell by cell and the rules
            row by row (slower on large tables; the same report).

    Returns:
        The report; ``report.valid`` is true when nothing was found. A package that cannot be
        read at all (no such path, broken JSON) comes back as problems too, never as an
        exception.

    Example:
        >>> report = validate("no/such/folder")
        >>> report.valid, report.keys()
        (False, [('package-error', None, None, None)])
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    limit = MAX_ERRORS if all_problems else _guards.ERROR_LIMIT
    return Validator(path, error_limit=limit, engine=engine).run()


class Validator:
    """One validation run: the descriptor, its resources, the problems found so far.

    It is the :class:`~palliativ_data._validation.rules.RuleContext` of the full path: the
    rules' checks read its tables and report with :meth:`add`.
    """

    def __init__(
        self, path: str | Path | None, error_limit: int | None = None, engine: Engine = "auto"
    ) -> None:
        self.error_limit = MAX_ERRORS if error_limit is None else error_limit
        self.engine = engine
        self.given = Path(path) if path is not None else bundled_package_dir()
        self.descriptor_path: Path | None = None
        self.folder: Path | None = None
        self.descriptor: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.resources: dict[str, Resource] = {}
        self.tables: dict[str, Table] = {}
        self.bad_cells: set[tuple[str, int, str]] = set()
        self.hints: dict[str, dict[str, list[str]]] = {}
        self.about_copies: set[Problem] = set()
        """Problems of the other files a release declares (``x-formats``, ``x-database``,
        ``x-workbook``): about those copies, not about the CSV files, so the fast path still
        judges the tables."""

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

    def report(self, summary: dict[str, Any] | None = None) -> ValidationReport:
        shown = str(self.descriptor_path or self.given)
        problems = tuple(sorted(set(self.problems), key=Problem.sort_key))
        return ValidationReport(shown, problems, self._summary() if summary is None else summary)

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> ValidationReport:
        if not self._load_descriptor():
            return self.report()
        self._check_descriptor()
        self._check_schemas_match_project()
        self._check_files()
        if self.engine == "auto":
            return self._run_fast()
        run_frictionless(self)
        self._read_tables()
        self._cross_table_rules()
        self._simplify()
        return self.report()

    def _run_fast(self) -> ValidationReport:
        """Layers 2 and 3 with the fast path (:mod:`~palliativ_data._validation.fast`):
        the tables it judged are not read by frictionless, nor row by row here."""
        # deferred: pyarrow.compute and the Arrow checks are needed only from here on
        from .fast import FastPath

        fast = FastPath(self)
        verdict = fast.judge()
        checkable = {name for name, res in self.resources.items() if res.checkable}
        rows_checked = True
        if fast.cheap_problems or checkable - verdict.judged:
            rows_checked = run_frictionless(self, skip=verdict.judged)
        fast.commit(rows_checked)
        self._read_tables(skip=frozenset(fast.arrow))
        fast.run_rules()
        self._simplify()
        return self.report(fast.summary())

    def _load_descriptor(self) -> bool:
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

    def _check_descriptor(self) -> None:
        """Only the project's keys and resources, the profile, then the resources to check."""
        foreign = check_keys(self)
        profile_bad = check_profile(self, skip=foreign)
        self._collect_resources(profile_bad | foreign)

    def _collect_resources(self, profile_bad: set[int]) -> None:
        entries = self.descriptor.get("resources")
        if not isinstance(entries, list):
            return  # the profile reports it
        project = set(resource_names())
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue  # the profile reports it
            if entry["name"] not in project:
                continue  # unknown-resource (keys.py): never read
            name = entry["name"]
            if name in self.resources:
                self.add(
                    "profile-error",
                    f"resource name '{name}' is used twice (resources"
                    f"[{self.resources[name].index}] and resources[{index}]); resource names "
                    "must be unique. Rename or remove one of them.",
                    resource=name,
                    field=None,
                    path=DESCRIPTOR_FILE,
                )
                continue
            res = Resource(index=index, name=name, descriptor=entry)
            res.checkable = index not in profile_bad
            schema = entry.get("schema")
            if isinstance(schema, dict):
                res.schema = schema
            elif isinstance(schema, str) and relative_posix_safe(schema) and self.folder:
                try:
                    file = regular_file(self.folder, schema, resource=name, what="schema")
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
                        path=DESCRIPTOR_FILE,
                    )
                res.checkable = False
            self.resources[name] = res
        for required in resource_names():
            if required not in self.resources:
                self.add(
                    "resource-missing",
                    f"the package declares no resource '{required}'. This project's packages "
                    f"have the resources {join(resource_names())}; add '{required}' to "
                    f"{DESCRIPTOR_FILE} (in this repository: `palliativ-data generate`) with its "
                    f"file data/{required}.csv.",
                    resource=required,
                    path=DESCRIPTOR_FILE,
                )

    def _check_schemas_match_project(self) -> None:
        """Compare each resource's Table Schema with the project's ``schema/``.

        A candidate edition must keep the published schema: a descriptor that loosens a
        constraint (or changes a type or key) would otherwise validate data the project's
        schema rejects. Whatever the descriptor says, the rows are then checked with the
        project's schema (its patterns and constraints, never the candidate's: a pattern
        such as ``^(a+)+$`` is never applied), or not at all when the descriptor's fields or
        a property that changes how the file is read differ.
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
            fields_differ = ours != theirs
            if fields_differ:
                self.add(
                    "schema-mismatch",
                    f"the fields of '{name}' are {join(theirs, quote=True)} ({len(theirs):,}); "
                    f"the schema of data version {version} has {join(ours)}. {todo} Its rows "
                    "were not checked.",
                    resource=name,
                    path=DESCRIPTOR_FILE,
                )
            for extra in foreign_key_mismatches(res.schema, project):
                self.add(
                    "schema-mismatch",
                    f"'{name}' declares the foreign key {show(extra, 120)}, which the schema of "
                    f"data version {version} does not have. {todo}",
                    resource=name,
                    field="foreignKeys",
                    path=DESCRIPTOR_FILE,
                )
            mismatches = parsing_mismatches(res.descriptor, res.schema, project)
            unreadable = fields_differ or any(
                key not in _ROWS_STILL_CHECKED for _, key, _, _ in mismatches
            )
            if unreadable:  # the rows would be read otherwise than load() and build read them
                res.checkable = False
            for field, key, given, expected in mismatches:
                what = f"'{key}' of field {field}" if field else f"'{key}' of '{name}'"
                tail = " Its rows were not checked." if unreadable else ""
                self.add(
                    "schema-mismatch",
                    f"{what} is {show(given)} in this descriptor but {show(expected)} in the "
                    f"schema of data version {version}; it changes how the file is read. "
                    f"{todo}{tail}",
                    resource=name,
                    field=field if field else (key if key.startswith("dialect") else None),
                    path=DESCRIPTOR_FILE,
                )
            res.schema = project  # the rows are checked with the project's schema only

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
            problem = None
            if not isinstance(raw, str):
                what = "a list of files" if isinstance(raw, list) else "no file"
                if "data" in res.descriptor:
                    what = "inline data"
                problem = (
                    f"resource '{res.name}' has {what}; every resource of this package is one "
                    f'local CSV file, e.g. "path": "data/{res.name}.csv".'
                )
            elif "://" in raw:
                problem = (
                    f"resource '{res.name}' points to a URL ({raw}); validation reads only "
                    f"local files. Put the file in the package folder, e.g. "
                    f"data/{res.name}.csv, and point 'path' to it."
                )
            elif not relative_posix_safe(raw) and res.checkable:  # else the profile said so
                problem = (
                    f"path {show(raw)} of resource '{res.name}' leaves the package folder; "
                    f"use a relative path inside it, e.g. data/{res.name}.csv."
                )
            if problem is not None:
                self.add(
                    "resource-path", problem, resource=res.name, field="path", path=DESCRIPTOR_FILE
                )
            if isinstance(raw, str):
                res.path = raw
            if not isinstance(raw, str) or not relative_posix_safe(raw):
                res.checkable = False
                continue
            assert self.folder is not None
            try:  # before anything is opened: a symlink out of the package is never read
                res.file = resolve_inside(self.folder, raw, resource=res.name)
            except UnsafePathError as exc:
                self.add("resource-path", str(exc), resource=res.name, field="path",
                         path=DESCRIPTOR_FILE)  # fmt: skip
                res.checkable = False
                continue
            if not res.file.is_file():
                dependents = self._dependents(res.name)
                tail = (
                    f" References to it from {join(dependents)} could not be checked."
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
                check_dialect(self, res)
        assert self.folder is not None
        for code, resource, field, message in copy_problems(self.folder, self.descriptor):
            self.add(code, message, resource=resource, field=field, path=DESCRIPTOR_FILE)
            self.about_copies.add(self.problems[-1])

    # -- layer 3: cross-table rules --------------------------------------------------------

    def _read_tables(self, skip: frozenset[str] = frozenset()) -> None:
        for res in self.resources.values():
            if not res.checkable or res.file is None or res.schema is None or res.name in skip:
                continue
            table = read_table(res)
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

    def table(self, name: str) -> Table:
        """A readable table as read from its file (cells frictionless rejected included)."""
        return self.tables[name]

    def have(self, *names: str) -> bool:
        return all(name in self.tables for name in names)

    def _cross_table_rules(self) -> None:
        for rule in _rules.RULES:
            if self.have(*rule.tables):
                rule.check(self)

    def region_label(self, code: str) -> str:
        """``code (name)`` of a region, for messages (the code alone if regions is unreadable)."""
        if self.have("regions"):
            for _, row in self.tables["regions"].rows:
                if row.get("region_code") == code and row.get("name_source"):
                    return f"{code} ({row['name_source']})"
        return code

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
        def rows(name: str) -> list[dict[str, str | None]]:
            return [row for _, row in self.tables[name].rows]

        def distinct(name: str, field: str) -> int:
            return len({row.get(field) for _, row in self.tables[name].rows if row.get(field)})

        def gaps_by_edition() -> dict[str | None, tuple[int, int]]:
            return gaps_by_edition_of_rows(row for _, row in self.tables["gaps"].rows)

        return summarise(
            self.descriptor,
            counts={name: len(table.rows) for name, table in self.tables.items()},
            rows=rows,
            distinct=distinct,
            gaps_by_edition=gaps_by_edition if "gaps" in self.tables else None,
        )
