"""Each fact once: vocabularies, patterns and column lists come from schema/, written nowhere else."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

import palliativ_data
from palliativ_data import _vocabulary
from palliativ_data._new_edition import (
    CARRIED_GAP_FIELDS,
    FILL_IN_EDITION_FIELDS,
    FILL_IN_GAP_FIELDS,
)
from palliativ_data.comparison.constants import STATUS_LABELS, STATUSES, GapStatus
from palliativ_data.schema.tableschema import load_table_schema, resource_names

PACKAGE_DIR = Path(palliativ_data.__file__).resolve().parent
SCHEMAS = {name: load_table_schema(name) for name in resource_names()}


def _field(resource: str, name: str) -> dict:
    return next(f for f in SCHEMAS[resource]["fields"] if f["name"] == name)


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


FOREIGN_KEYS = [
    (resource, field, fk["reference"].get("resource") or resource, target)
    for resource, schema in SCHEMAS.items()
    for fk in schema.get("foreignKeys", [])
    for field, target in zip(
        _as_list(fk["fields"]), _as_list(fk["reference"]["fields"]), strict=True
    )
]


@pytest.mark.parametrize(
    ("resource", "field", "target_resource", "target"),
    FOREIGN_KEYS,
    ids=[f"{resource}.{field}" for resource, field, _, _ in FOREIGN_KEYS],
)
def test_a_foreign_key_field_is_defined_like_the_field_it_references(
    resource, field, target_resource, target
):
    ours, theirs = _field(resource, field), _field(target_resource, target)
    assert ours["type"] == theirs["type"]
    for key in ("pattern", "enum"):
        mine = (ours.get("constraints") or {}).get(key)
        referenced = (theirs.get("constraints") or {}).get(key)
        if key == "enum" and mine is not None and referenced is not None:
            assert set(mine) <= set(referenced), (key, mine, referenced)
        else:
            assert mine == referenced, (key, mine, referenced)


def test_there_are_foreign_keys_to_check():
    assert len(FOREIGN_KEYS) >= 5


def _names(resource: str) -> list[str]:
    return [field["name"] for field in SCHEMAS[resource]["fields"]]


def test_new_edition_column_lists_cover_the_gaps_schema():
    assert sorted(CARRIED_GAP_FIELDS + FILL_IN_GAP_FIELDS) == sorted(_names("gaps"))


def test_new_edition_column_lists_cover_the_editions_schema():
    filled_by_the_command = {"edition", "kind", "title_en", "title_sv", "follows_up"}
    assert set(FILL_IN_EDITION_FIELDS) | filled_by_the_command == set(_names("editions"))
    assert not set(FILL_IN_EDITION_FIELDS) & filled_by_the_command


def test_edition_vocabulary_comes_from_the_schema():
    kind = _field("editions", "kind")["constraints"]["enum"]
    assert list(_vocabulary.EDITION_KINDS) == kind
    assert {_vocabulary.INVENTORY, _vocabulary.FOLLOW_UP} == set(kind)
    pattern = _field("editions", "edition")["constraints"]["pattern"]
    assert _vocabulary.EDITION_PATTERN.pattern == pattern


def test_statuses_are_written_once():
    assert STATUSES == get_args(GapStatus) == tuple(STATUS_LABELS)


def _string_constants(path: Path) -> list[tuple[int, str]]:
    """String literals of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        is_string = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_string and id(node) not in docstrings:
            found.append((node.lineno, node.value))
    return found


# fact -> the modules allowed to spell it
SPELLED_ONCE = {
    "follow_up": {"_vocabulary.py", "_models.py"},
    "inventory": {"_vocabulary.py", "_models.py"},
    # profile.py: the name of dplib's profile file; metadata.py: until issue 10's rewrite lands
    "datapackage.json": {"_io.py", "validation/profile.py", "release/metadata.py"},
    **{label: {"comparison/constants.py"} for label in STATUS_LABELS.values()},
}


@pytest.mark.parametrize("fact", sorted(SPELLED_ONCE))
def test_a_fact_is_spelled_in_one_module(fact):
    where = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        module = path.relative_to(PACKAGE_DIR).as_posix()
        if module in SPELLED_ONCE[fact]:
            continue
        where += [f"{module}:{line}" for line, text in _string_constants(path) if text == fact]
    assert not where, f"{fact!r} is written again in {where}"
