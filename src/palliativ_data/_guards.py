"""Checks that keep ``validate`` and the readers (``load``, ``build``) in agreement.

Whatever ``validate`` accepts, :func:`palliativ_data.load` and ``build`` must read the same
way. frictionless is more lenient than the project's readers in a few places, so ``validate``
adds these checks (called from ``validation``):

* :func:`header_problems`: a header label must be exactly the field name. frictionless
  strips spaces around labels (``"region_code "`` passes), the Arrow reader does not.
* :func:`parsing_mismatches`: every property of a candidate descriptor that changes how a
  cell is parsed must equal the project's: each field's properties other than documentation
  (``bareNumber``, ``trueValues``, ``falseValues``, field-level ``missingValues``,
  ``decimalChar``, ``groupChar``, ``format``, ``constraints``…), the schema's own properties
  (``missingValues``, ``primaryKey``, ``fieldsMatch``…) and the resource's ``dialect``,
  ``encoding``, ``format`` and ``compression``. Otherwise a candidate could, say, add
  ``"trueValues": ["ja"]`` and ship ``ja`` in a boolean column that the readers refuse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._source import UnsafePathError, declared_copies, integrity_problem, resolve_inside

DOCUMENTATION_KEYS = frozenset({"name", "title", "description", "example", "rdfType"})
"""Field and schema properties that do not change how a value is read."""

SCHEMA_DOCUMENTATION_KEYS = frozenset({"$schema", "title", "description", "fields", "foreignKeys"})
"""Table Schema properties compared elsewhere (fields one by one, foreign keys) or not at all."""

DIALECT_DEFAULTS: Mapping[str, Any] = {
    "$schema": None,
    "delimiter": ",",
    "header": True,
    "headerRows": [1],
    "headerJoin": " ",
    "lineTerminator": "\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "skipInitialSpace": False,
}
"""The dialect of this package's CSV files; a dialect may state these values, nothing else."""

RESOURCE_VALUES: Mapping[str, tuple[Any, ...]] = {
    "encoding": ("utf-8", "utf8", "UTF-8"),
    "format": ("csv",),
    "scheme": ("file",),
}
"""Resource properties that change how the file is read, with the values allowed."""


def header_problems(labels: Sequence[str], names: Sequence[str]) -> list[tuple[int, str, str]]:
    """Labels that equal a field name only after stripping spaces: ``(column, label, name)``.

    Other label problems (wrong, missing, extra) are frictionless' to report.

    Examples:
        >>> header_problems(["a", "b ", "c"], ["a", "b", "c"])
        [(2, 'b ', 'b')]
    """
    found = []
    for column, (label, name) in enumerate(zip(labels, names, strict=False), start=1):
        if label != name and label.strip() == name:
            found.append((column, label, name))
    return found


def foreign_key_mismatches(schema: Mapping[str, Any], project: Mapping[str, Any]) -> list[Any]:
    """The foreign keys of ``schema`` that the project's schema does not declare.

    A foreign key the project declares is checked whether or not the candidate repeats it;
    one it does not declare (to a resource that may not exist) would reach ``build``.

    Examples:
        >>> fk = {"fields": "a", "reference": {"resource": "r", "fields": "b"}}
        >>> foreign_key_mismatches({"foreignKeys": [fk, 3]}, {"foreignKeys": [fk]})
        [3]
    """
    ours = project.get("foreignKeys") or []
    given = schema.get("foreignKeys")
    if given is None:
        return []
    if not isinstance(given, list):
        return [given]
    return [key for key in given if key not in ours]


def _is_documentation(key: str) -> bool:
    return key in DOCUMENTATION_KEYS or key.startswith("x-")


def parsing_mismatches(
    resource: Mapping[str, Any], schema: Mapping[str, Any], project: Mapping[str, Any]
) -> list[tuple[str | None, str, Any, Any]]:
    """Properties that change parsing and differ from the project's schema.

    Args:
        resource: The candidate's resource descriptor (for ``dialect``, ``encoding``…).
        schema: The candidate's Table Schema of that resource.
        project: The project's Table Schema of that resource (``schema/<name>.json``).

    Returns:
        ``(field or None, property, given, expected)`` for every difference; ``property`` is
        e.g. ``"trueValues"``, ``"missingValues"`` or ``"dialect.commentRows"``. Fields the
        project does not have are not listed (a field-list mismatch is reported elsewhere).

    Examples:
        >>> project = {"fields": [{"name": "b", "type": "boolean"}], "missingValues": [""]}
        >>> given = {"fields": [{"name": "b", "type": "boolean", "trueValues": ["ja"]}],
        ...          "missingValues": [""]}
        >>> parsing_mismatches({"dialect": {"commentRows": [3]}}, given, project)
        [('b', 'trueValues', ['ja'], None), (None, 'dialect.commentRows', [3], None)]
    """
    found: list[tuple[str | None, str, Any, Any]] = []
    theirs = {f.get("name"): f for f in schema.get("fields") or [] if isinstance(f, Mapping)}
    for ours in project.get("fields") or []:
        given = theirs.get(ours["name"])
        if not isinstance(given, Mapping):
            continue
        for key in sorted(set(given) | set(ours), key=_key_order):
            if _is_documentation(key):
                continue
            if given.get(key) != ours.get(key):
                found.append((ours["name"], key, given.get(key), ours.get(key)))
    for key in sorted(set(schema) | set(project), key=_key_order):
        if key in SCHEMA_DOCUMENTATION_KEYS or _is_documentation(key):
            continue
        if schema.get(key) != project.get(key):
            found.append((None, key, schema.get(key), project.get(key)))
    dialect = resource.get("dialect")
    if dialect is not None and not isinstance(dialect, Mapping):
        found.append((None, "dialect", dialect, dict(DIALECT_DEFAULTS)))
    for key, value in (dialect or {}).items():
        if key == "$schema" or _is_documentation(str(key)):
            continue
        allowed = DIALECT_DEFAULTS.get(key, _NOT_ALLOWED)
        if value != allowed:
            found.append(
                (None, f"dialect.{key}", value, None if allowed is _NOT_ALLOWED else allowed)
            )
    for key, values in RESOURCE_VALUES.items():
        if key in resource and resource[key] not in values:
            found.append((None, key, resource[key], values[0]))
    if resource.get("compression") is not None:
        found.append((None, "compression", resource["compression"], None))
    return found


_NOT_ALLOWED = object()

_FIRST = ("type", "format", "constraints")


def _key_order(key: str) -> tuple[int, str]:
    """Keys compared in a stable order: type, format, constraints first (as reported before)."""
    return (_FIRST.index(key) if key in _FIRST else len(_FIRST), key)


def copy_problems(
    folder: Any, descriptor: Mapping[str, Any]
) -> list[tuple[str, str | None, str, str]]:
    """Check the other files a descriptor declares (``x-formats``, ``x-database``, ``x-workbook``).

    Each must be a safe relative path inside ``folder`` (checked before anything is opened),
    exist, and match its declared ``bytes`` and ``hash``; then it must hold what its CSV holds
    (``_release/verify.py``: the hashes may have been rewritten with the file). Returns
    ``(code, resource, field, message)`` with codes ``resource-path``, ``file-missing``,
    ``byte-count``, ``hash-count``, and those of ``verify.copy_differences``.
    """
    found: list[tuple[str, str | None, str, str]] = []
    tables = None  # the CSV tables, read when a copy is checked against them
    for resource, where, entry in declared_copies(descriptor):
        raw = entry.get("path")
        try:
            file = resolve_inside(folder, raw, resource=resource, what=f"{where}.path")
        except UnsafePathError as error:
            found.append(("resource-path", resource, f"{where}.path", str(error)))
            continue
        if not file.is_file():
            found.append((
                "file-missing", resource, f"{where}.path",
                f"{where}.path {raw!r} names a file that does not exist in the package. Rebuild "
                "the release, or remove the entry from the descriptor.",
            ))  # fmt: skip
            continue
        problem = integrity_problem(file, entry)
        if problem is not None:
            code, expected, actual = problem
            what = "bytes" if code == "byte-count" else "hash"
            found.append((
                code, resource, f"{where}.{what}",
                f"{raw} has {what} {actual} but the descriptor declares {expected}: the file was "
                "changed or truncated after the release was built. Download or build the release "
                "again.",
            ))  # fmt: skip
            continue
        # deferred: pyarrow and the release formats; only a release declares copies
        from ._release.verify import Tables, copy_differences

        tables = tables or Tables(folder, descriptor)
        for owner, (code, message) in copy_differences(tables, resource, where, entry, file):
            found.append((code, owner, where, message))
    return found


SHOWN_PER_CODE = 20
"""How many problems of one code ``validate`` prints (text and JSON) unless ``--all``."""

ERROR_LIMIT = 10_000
"""How many frictionless errors per file are collected unless ``--all`` (memory stays small:
each costs a few kB; 476,000 of them took 4.7 GB)."""


def cap_per_code(problems: Sequence[Any], limit: int | None) -> tuple[list[Any], dict[str, int]]:
    """The first ``limit`` problems of each ``code`` (order kept) and how many were left out.

    Examples:
        >>> from types import SimpleNamespace as P
        >>> shown, omitted = cap_per_code([P(code="a"), P(code="a"), P(code="b")], 1)
        >>> [p.code for p in shown], omitted
        (['a', 'b'], {'a': 1})
    """
    if limit is None:
        return list(problems), {}
    seen: dict[str, int] = {}
    shown = []
    for problem in problems:
        count = seen.get(problem.code, 0)
        seen[problem.code] = count + 1
        if count < limit:
            shown.append(problem)
    omitted = {code: count - limit for code, count in seen.items() if count > limit}
    return shown, omitted


def table_schema_problem(schema: Any) -> str | None:
    """Why ``schema`` is not a Table Schema the readers can use, or None.

    ``load()`` does not validate; this shape check keeps a malformed schema in a downloaded
    descriptor from surfacing as a ``KeyError`` deep in the reader.

    Examples:
        >>> table_schema_problem({"fields": [{"name": "a", "type": "string"}]}) is None
        True
        >>> table_schema_problem({})
        "it has no 'fields' list"
    """
    if not isinstance(schema, Mapping):
        return "it is not a JSON object"
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return "it has no 'fields' list"
    names = set()
    for index, field in enumerate(fields):
        if not isinstance(field, Mapping) or not isinstance(field.get("name"), str):
            return f"fields[{index}] is not an object with a 'name'"
        if field["name"] in names:
            return f"field '{field['name']}' is listed twice"
        names.add(field["name"])
        if not isinstance(field.get("type", "string"), str):
            return f"the type of field '{field['name']}' is not a string"
        constraints = field.get("constraints", {})
        if not isinstance(constraints, Mapping):
            return f"the constraints of field '{field['name']}' are not an object"
        enum = constraints.get("enum", [])
        if not isinstance(enum, list) or not all(
            isinstance(v, (str, int, float, bool)) for v in enum
        ):
            return f"the enum of field '{field['name']}' is not a list of values"
        for key in ("trueValues", "falseValues", "missingValues"):
            values = field.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                return f"'{key}' of field '{field['name']}' is not a list of strings"
    missing = schema.get("missingValues", [""])
    if not isinstance(missing, list) or not all(isinstance(v, str) for v in missing):
        return "'missingValues' is not a list of strings"
    key = schema.get("primaryKey", [])
    if not isinstance(key, (str, list)) or (
        isinstance(key, list) and not all(isinstance(k, str) for k in key)
    ):
        return "'primaryKey' is not a field name or a list of them"
    return None
