"""Each fact once: vocabularies, patterns and column lists come from schema/, written nowhere else."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from typing import get_args

import pytest

import palliativ_data
from palliativ_data import _vocabulary
from palliativ_data._comparison.constants import STATUS_LABELS, STATUSES, GapStatus
from palliativ_data._new_edition import (
    CARRIED_GAP_FIELDS,
    FILL_IN_EDITION_FIELDS,
    FILL_IN_GAP_FIELDS,
)
from palliativ_data._schema.tableschema import load_table_schema, resource_names
from palliativ_data._site._text import LANGS, STATUS_WORDS

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


def test_the_site_words_statuses_as_the_reports_do():
    assert STATUS_WORDS["en"] == STATUS_LABELS
    for lang in LANGS:
        assert tuple(STATUS_WORDS[lang]) == STATUSES
        assert len(set(STATUS_WORDS[lang].values())) == len(STATUSES)


def test_the_site_pages_spell_no_status_of_their_own():
    """No string of the site's generators, and no text of its templates, holds a status word
    but the translation table."""
    words = {"persisting", "persisted", *(w for ws in STATUS_WORDS.values() for w in ws.values())}
    where = []
    generators = sorted((PACKAGE_DIR / "_site").rglob("*.py"))
    assert len(generators) > 3, "the site's generators moved: point this test at them"
    for path in generators:
        if path.name == "_text.py":
            continue
        for line, text in _string_constants(path):
            if text in STATUSES:  # the code of a status, not its wording
                continue
            where += [f"{path.name}:{line}: {w!r}" for w in words if w in text.lower()]
    # the templates' own text (outside {{ }}, {% %} and {# #}) takes status words from
    # status_word()/status_words(), never spells them
    templates = sorted(p for p in (PACKAGE_DIR / "_site" / "templates").rglob("*") if p.is_file())
    assert len(templates) > 10, "the site's templates moved: point this test at them"
    for path in templates:
        text = _literal_text(path.read_text("utf-8"))
        name = path.relative_to(PACKAGE_DIR).as_posix()
        where += [f"{name}: {w!r}" for w in words if w in text.lower()]
    assert not where, "status wording outside _site/_text.py: " + "; ".join(where)


def _literal_text(template: str) -> str:
    """A Jinja template's own text: its ``{{ }}``, ``{% %}`` and ``{# #}`` tags blanked out."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", template, flags=re.S)


def test_the_template_check_finds_a_status_word():
    """The check above can fail: a status word typed into a template's text is found, one
    inside a Jinja expression is not."""
    literal = _literal_text('{{ status_word("persisting") }} and 3 still listed{# kvarstår #}')
    assert "still listed" in literal and "persisting" not in literal and "kvarstår" not in literal


@functools.cache  # one parse per module for every check below (the sources do not change)
def _module_tree(path: Path) -> ast.Module:
    """The parsed module; read it, never change it."""
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache
def _string_constants(path: Path) -> tuple[tuple[int, str], ...]:
    """String literals of a module, docstrings left out."""
    tree = _module_tree(path)
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
    return tuple(found)


# fact -> the modules allowed to spell it
SPELLED_ONCE = {
    "follow_up": {"_vocabulary.py", "_models.py"},
    "inventory": {"_vocabulary.py", "_models.py"},
    # profile.py: the name of dplib's profile file
    "datapackage.json": {"_io.py", "_validation/profile.py"},
    "CITATION.cff": {"_release/metadata/cff.py"},
    **{label: {"_comparison/constants.py"} for label in STATUS_LABELS.values()},
    # the Swedish wording of the statuses: the site's translation table
    **{label: {"_site/_text.py"} for label in STATUS_WORDS["sv"].values()},
    # Table Schema's boolean spellings and type names: schema/types.py
    "TRUE": {"_schema/types.py"},
    "FALSE": {"_schema/types.py"},
    "INTEGER": {"_schema/types.py"},
    "datetime.date": {"_schema/types.py"},
}


def test_one_type_map_covers_every_type_in_the_schema():
    from palliativ_data._schema.types import TYPES

    used = {field.get("type", "string") for s in SCHEMAS.values() for field in s["fields"]}
    assert used <= set(TYPES)
    for facts in TYPES.values():
        assert facts.python and facts.arrow[0] and facts.sqlite


def test_the_type_map_drives_models_arrow_sqlite_and_messages():
    import pyarrow as pa

    from palliativ_data._release import sqlite
    from palliativ_data._schema import arrow_schemas
    from palliativ_data._schema.types import TYPES

    for name, facts in TYPES.items():
        field = {"name": "x", "type": name}
        assert arrow_schemas.arrow_type(field) == getattr(pa, facts.arrow[0])(*facts.arrow[1])
        assert f'"x" {facts.sqlite}' in sqlite.create_table_sql("t", {"fields": [field]})


@pytest.mark.parametrize("fact", sorted(SPELLED_ONCE))
def test_a_fact_is_spelled_in_one_module(fact):
    where = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        module = path.relative_to(PACKAGE_DIR).as_posix()
        if module in SPELLED_ONCE[fact]:
            continue
        where += [f"{module}:{line}" for line, text in _string_constants(path) if text == fact]
    assert not where, f"{fact!r} is written again in {where}"


def _imported_modules(path: Path) -> set[str]:
    tree = _module_tree(path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


# library -> the modules allowed to import it (the one helper that wraps it)
IMPORTED_ONCE = {
    "hashlib": {"_io.py"},
}


@pytest.mark.parametrize("library", sorted(IMPORTED_ONCE))
def test_a_file_chore_has_one_helper(library):
    where = [
        path.relative_to(PACKAGE_DIR).as_posix()
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if library in _imported_modules(path)
    ]
    assert set(where) <= IMPORTED_ONCE[library], f"{library} is imported in {where}"
    assert where, f"nothing imports {library}: update IMPORTED_ONCE"


def test_the_model_names_are_generated_once_and_exported():
    """``__init__`` takes the models' names from the generated ``_model_names`` (no list of its
    own): the lazy map, ``__all__`` and what type checkers see."""
    from palliativ_data import _model_names, _models

    assert _model_names.__all__ == sorted(
        [model.__name__ for model in _models.MODELS.values()] + ["Record"]
    )
    assert set(_model_names.__all__) <= set(palliativ_data.__all__)
    init = (PACKAGE_DIR / "__init__.py").read_text(encoding="utf-8")
    listed = [name for name in _model_names.__all__ if f'"{name}"' in init or f" {name}," in init]
    assert not listed, f"__init__.py lists model names again: {listed}"


def test_type_checkers_see_every_public_name(mypy_run):
    """mypy (with the project's settings) resolves every name of ``__all__`` to its real type;
    a name it could not see would be ``Any`` (the module has a ``__getattr__``). The probe
    module of ``mypy_run`` (conftest.py) reveals each name's type, ``not_a_public_name`` last."""
    done, names = mypy_run.done, mypy_run.names
    assert names == [*palliativ_data.__all__, "not_a_public_name"]
    # by file name: mypy repeats a cached module's notes with the path it had then
    revealed = [
        line
        for line in done.stdout.splitlines()
        if Path(line.split(":", 1)[0]).name == mypy_run.probe.name and "Revealed type is" in line
    ]
    assert len(revealed) == len(names), done.stdout + done.stderr
    unseen = [name for name, line in zip(names, revealed, strict=True) if line.endswith('"Any"')]
    assert unseen == ["not_a_public_name"], f"type checkers do not see {unseen}"


def test_a_build_parses_each_csv_once(tmp_path, monkeypatch):
    """The release's Parquet, SQLite and metadata come from one Arrow read of each CSV."""
    from palliativ_data._release import build
    from palliativ_data._release.metadata import facts

    parsed: list[str] = []
    read_csv_table = build.read_csv_table

    def counting(path, name, **kwargs):
        parsed.append(name)
        return read_csv_table(path, name, **kwargs)

    def must_not_read(*args, **kwargs):
        raise AssertionError("the metadata read a CSV file of its own during a build")

    monkeypatch.setattr(build, "read_csv_table", counting)
    monkeypatch.setattr(facts, "_resource_rows", must_not_read)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = build.build_release(tmp_path / "out", validate=False)
    assert sorted(parsed) == sorted(palliativ_data.load().resource_names)
    cff = (result.release_dir / "CITATION.cff").read_text(encoding="utf-8")
    assert "date-released: '2026-" in cff and "references:" in cff
