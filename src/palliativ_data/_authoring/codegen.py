"""Generate ``_models.py`` (frozen pydantic v2 models) from the Table Schemas in ``schema/``.

``palliativ-data generate`` writes the module; ``tests/test_models.py`` regenerates it and
compares, so the models cannot drift from the schema. The output is deterministic: it depends
only on the files in ``schema/``.

What the generator derives from a Table Schema field:

* the Python type: ``string`` → ``str``, ``integer``/``year`` → ``int``, ``number`` →
  ``float``, ``boolean`` → ``bool``, ``date`` → ``datetime.date``, ``datetime`` →
  ``datetime.datetime``, ``time`` → ``datetime.time``;
* ``constraints.enum`` → ``Literal[...]``; ``pattern``, ``minimum``/``maximum``,
  ``minLength``/``maxLength`` → ``Field`` constraints;
* ``required`` → no default; otherwise ``… | None = None``. A string is never ``""`` (the
  schema's ``missingValues`` make an empty cell null), so string fields get ``min_length=1``;
* identifiers get a named ``Annotated`` type (``RegionCode``, ``EditionId``, ``GapKey``…): a
  field of a resource's primary key that is not a foreign key defines one; a foreign-key field
  uses the type of the field it references (its pattern or enum is implied by the reference)
  unless it states a different pattern or enum of its own;
* the table description becomes the class docstring and each field description the field's
  ``description`` (and a line under ``Attributes:``).
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import PalliativDataError
from .._io import atomic_write_changed, read_json
from .._paths import schema_dir
from .._schema.tableschema import PACKAGE_FILE, key_fields, load_table_schema, resource_names
from .._schema.types import TYPES

MODELS_FILE = Path(__file__).resolve().parent.parent / "_models.py"
MODEL_NAMES_FILE = MODELS_FILE.with_name("_model_names.py")
BASE_CLASS = "Record"
LINE_WIDTH = 100

_PYTHON_TYPES = {name: facts.python for name, facts in TYPES.items()}
_CONSTRAINT_ARGS = {  # Table Schema constraint → pydantic Field argument
    "minimum": "ge",
    "maximum": "le",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
}
_TYPE_NAME_OVERRIDES = {"edition": "EditionId"}
_RESERVED = {"resource_name", "primary_key_fields", "key"}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def model_name(resource: str) -> str:
    """The model class name of a resource: CamelCase, singular.

    Examples:
        >>> model_name("gap_answers"), model_name("categories"), model_name("regions")
        ('GapAnswer', 'Category', 'Region')
    """
    if resource.endswith("ies"):
        singular = resource[:-3] + "y"
    elif resource.endswith("s"):
        singular = resource[:-1]
    else:
        singular = resource
    return _camel(singular)


def enum_type_name(resource: str, field_name: str) -> str:
    """The name of the ``Literal`` type of an enum field that is not an identifier.

    Examples:
        >>> enum_type_name("gaps", "population"), enum_type_name("editions", "kind")
        ('GapPopulation', 'EditionKind')
    """
    return model_name(resource) + _camel(field_name)


def identifier_type_name(field_name: str) -> str:
    """The name of the ``Annotated`` type of an identifier field.

    Examples:
        >>> [identifier_type_name(n) for n in ("region_code", "edition", "gap_key", "function")]
        ['RegionCode', 'EditionId', 'GapKey', 'FunctionCode']
    """
    if field_name in _TYPE_NAME_OVERRIDES:
        return _TYPE_NAME_OVERRIDES[field_name]
    if field_name.endswith(("_code", "_id", "_key")):
        return _camel(field_name)
    return _camel(field_name) + "Code"


def _py(value: Any) -> str:
    """A Python literal for a JSON scalar (strings double-quoted, Unicode kept)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "True" if value else "False"
    return repr(value)


def _docstring(text: str, indent: str) -> str:
    """A triple-quoted docstring, wrapped; paragraphs separated by blank lines."""
    safe = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = safe.split("\n")
    body = "\n".join(f"{indent}{line}" if line else "" for line in lines)
    return (
        f'{indent}"""{body.lstrip()}\n{indent}"""\n'
        if len(lines) > 1
        else f'{indent}"""{safe}"""\n'
    )


def _wrap(text: str, indent: str, width: int = LINE_WIDTH) -> list[str]:
    return textwrap.wrap(text, width=width - len(indent), break_on_hyphens=False) or [""]


def _string_chunks(text: str, width: int) -> list[str]:
    """Split ``text`` at spaces into pieces whose literals fit ``width``; they join back exactly."""
    pieces: list[str] = []
    current = ""
    for word in re.split(r"(?<= )", text):
        if current and len(_py(current + word)) > width:
            pieces.append(current)
            current = word
        else:
            current += word
    pieces.append(current)
    assert "".join(pieces) == text
    return pieces


def _keyword(name: str, value: str, indent: str) -> list[str]:
    """``name=value,`` lines; a long string literal becomes a parenthesised concatenation."""
    line = f"{indent}{name}={_py(value)},"
    if len(line) <= LINE_WIDTH or not isinstance(value, str):
        return [line]
    inner = indent + "    "
    chunks = _string_chunks(value, LINE_WIDTH - len(inner))
    return [f"{indent}{name}=(", *(f"{inner}{_py(chunk)}" for chunk in chunks), f"{indent}),"]


def _literal(values: list[Any], prefix: str) -> str:
    """``Literal[...]``, on one line after ``prefix`` if it fits, else one value per line."""
    one_line = f"Literal[{', '.join(_py(value) for value in values)}]"
    if len(prefix) + len(one_line) <= LINE_WIDTH:
        return one_line
    return "Literal[\n" + "".join(f"    {_py(value)},\n" for value in values) + "]"


@dataclass(frozen=True)
class _Identifier:
    name: str  # type name, e.g. "RegionCode"
    resource: str  # where it is defined
    field: Mapping[str, Any]  # the defining field

    def constraint_signature(self) -> tuple[Any, Any]:
        constraints = self.field.get("constraints") or {}
        return constraints.get("pattern"), tuple(constraints.get("enum") or ())


def _values_of(field: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a field's values are (type, format, constraints but ``required``/``unique``)."""
    constraints = {
        key: value
        for key, value in (field.get("constraints") or {}).items()
        if key not in ("required", "unique")
    }
    return field.get("type"), field.get("format"), json.dumps(constraints, sort_keys=True)


class _Generator:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.names = resource_names(directory)
        self.schemas = {name: load_table_schema(name, directory) for name in self.names}
        self.identifiers: dict[tuple[str, str], _Identifier] = {}
        self.identifier_order: list[_Identifier] = []
        self._collect_identifiers()

    # -- identifiers --------------------------------------------------------------

    def _field(self, resource: str, name: str) -> Mapping[str, Any]:
        fields: list[Mapping[str, Any]] = self.schemas[resource]["fields"]
        for field in fields:
            if field["name"] == name:
                return field
        raise PalliativDataError(
            f"schema/{resource}.json has no field {name!r}, but a foreign key points to it. "
            "Fix the foreign key or add the field."
        )

    def _references(self, resource: str) -> dict[str, tuple[str, str]]:
        """Field → (referenced resource, referenced field) for every foreign-key field."""
        result: dict[str, tuple[str, str]] = {}
        for key in self.schemas[resource].get("foreignKeys", []):
            target = key["reference"].get("resource") or resource
            pairs = zip(
                key_fields(key["fields"]), key_fields(key["reference"]["fields"]), strict=True
            )
            for local, remote in pairs:
                result.setdefault(local, (target, remote))
        return result

    def _origin(
        self, resource: str, field: str, seen: frozenset[tuple[str, str]] = frozenset()
    ) -> tuple[str, str] | None:
        """The (resource, field) that defines the identifier ``field`` refers to, if any."""
        references = self._references(resource)
        if field in references and (resource, field) not in seen:
            target = references[field]
            if target == (resource, field):
                return None
            return self._origin(*target, seen=seen | {(resource, field)}) or target
        primary_key = key_fields(self.schemas[resource].get("primaryKey", []))
        return (resource, field) if field in primary_key else None

    def _collect_identifiers(self) -> None:
        taken: dict[str, tuple[str, str]] = {}
        for resource in self.names:
            for field in self.schemas[resource]["fields"]:
                origin = self._origin(resource, field["name"])
                if origin is None or origin in self.identifiers:
                    continue
                if origin != (resource, field["name"]) and origin[0] not in self.schemas:
                    continue
                name = identifier_type_name(origin[1])
                if name in taken and taken[name] != origin:
                    first = self.identifiers[taken[name]]
                    if _values_of(first.field) == _values_of(self._field(*origin)):
                        # the same shared field keys two tables (e.g. `position`): one type
                        self.identifiers[origin] = first
                        continue
                    raise PalliativDataError(
                        f"Two identifiers would both be called {name}: {taken[name]} and {origin}. "
                        "Add an entry to _TYPE_NAME_OVERRIDES in palliativ_data/_authoring/codegen.py."
                    )
                taken[name] = origin
                identifier = _Identifier(name, origin[0], self._field(*origin))
                self.identifiers[origin] = identifier
                self.identifier_order.append(identifier)

    def identifier_for(self, resource: str, field: Mapping[str, Any]) -> _Identifier | None:
        origin = self._origin(resource, field["name"])
        if origin is None:
            return None
        identifier = self.identifiers[origin]
        own = field.get("constraints") or {}
        own_signature = (own.get("pattern"), tuple(own.get("enum") or ()))
        if own_signature != (None, ()) and own_signature != identifier.constraint_signature():
            return None  # the field states constraints of its own: keep them
        if field.get("type", "string") != identifier.field.get("type", "string"):
            return None
        return identifier

    # -- rendering ----------------------------------------------------------------

    def _missing_values(self, resource: str) -> list[str]:
        return list(self.schemas[resource].get("missingValues", [""]))

    def _base_type(self, field: Mapping[str, Any], prefix: str = "") -> str:
        enum = (field.get("constraints") or {}).get("enum")
        if enum is not None:
            return _literal(enum, prefix)
        kind = field.get("type", "string")
        try:
            return _PYTHON_TYPES[kind]
        except KeyError:
            raise PalliativDataError(
                f"Field {field['name']!r} has Table Schema type {kind!r}, which the model "
                f"generator does not map. Allowed: {', '.join(sorted(_PYTHON_TYPES))}."
            ) from None

    def _constraint_args(self, field: Mapping[str, Any], empty_is_missing: bool) -> list[str]:
        constraints = field.get("constraints") or {}
        args = []
        is_string = field.get("type", "string") == "string" and "enum" not in constraints
        if is_string and empty_is_missing and "minLength" not in constraints:
            args.append("min_length=1")
        for key, arg in _CONSTRAINT_ARGS.items():
            if key in constraints:
                args.append(f"{arg}={_py(constraints[key])}")
        return args

    def render_identifier(self, identifier: _Identifier) -> str:
        field = identifier.field
        description = f"Identifier defined by `{identifier.resource}.{field['name']}`: "
        description += field.get("description", "")
        base = self._base_type(field, prefix=f"{identifier.name} = ")
        args = self._constraint_args(field, "" in self._missing_values(identifier.resource))
        if base.startswith("Literal["):
            lines = [f"{identifier.name} = {base}"]
        else:
            args_text = ", ".join(args)
            lines = [f"{identifier.name} = Annotated[{base}, Field({args_text})]"]
        wrapped = _wrap(description, "   ")
        doc = "\n".join(f'"""{line}' if i == 0 else line for i, line in enumerate(wrapped))
        return "\n".join(lines) + "\n" + doc + '"""\n'

    def enum_fields(self, resource: str) -> dict[str, Mapping[str, Any]]:
        """Type name → field, for the enum fields of ``resource`` that are not identifiers."""
        return {
            enum_type_name(resource, field["name"]): field
            for field in self.schemas[resource]["fields"]
            if (field.get("constraints") or {}).get("enum") is not None
            and self.identifier_for(resource, field) is None
        }

    def render_enums(self, resource: str) -> list[str]:
        out = []
        for name, field in self.enum_fields(resource).items():
            description = f"Allowed values of `{resource}.{field['name']}`."
            literal = self._base_type(field, prefix=f"{name} = ")
            out.append(f'{name} = {literal}\n"""{description}"""\n\n')
        return out

    def render_model(self, resource: str) -> str:
        schema = self.schemas[resource]
        cls = model_name(resource)
        empty_is_missing = "" in self._missing_values(resource)
        primary_key = key_fields(schema.get("primaryKey", []))

        doc_lines = _wrap(schema.get("description", f"A row of `{resource}`."), "       ")
        doc_lines += [
            "",
            f"Resource ``{resource}``; primary key ``({', '.join(primary_key)})``.",
            "",
        ]
        doc_lines.append("Attributes:")
        for field in schema["fields"]:
            text = f"{field['name']}: {field.get('description', '')}"
            wrapped = _wrap(text, "        ", LINE_WIDTH - 4)
            doc_lines.append("    " + wrapped[0])
            doc_lines.extend("        " + line for line in wrapped[1:])
        out = [f"class {cls}({BASE_CLASS}):\n", _docstring("\n".join(doc_lines), "    "), "\n"]
        out.append(f"    resource_name: ClassVar[str] = {_py(resource)}\n")
        key_text = ", ".join(_py(name) for name in primary_key) + (
            "," if len(primary_key) == 1 else ""
        )
        out.append(f"    primary_key_fields: ClassVar[tuple[str, ...]] = ({key_text})\n\n")

        for field in schema["fields"]:
            name = field["name"]
            if name in _RESERVED or name.startswith(("_", "model_")) or not name.isidentifier():
                raise PalliativDataError(
                    f"Field {resource}.{name} cannot be a model attribute (reserved or not a Python "
                    "identifier). Rename it in schema/ or teach palliativ_data/_authoring/codegen.py an alias."
                )
            required = bool((field.get("constraints") or {}).get("required"))
            identifier = self.identifier_for(resource, field)
            args: list[str] = []
            if identifier is not None:
                annotation = identifier.name
            elif (field.get("constraints") or {}).get("enum") is not None:
                annotation = enum_type_name(resource, name)
            else:
                annotation = self._base_type(field)
                args = self._constraint_args(field, empty_is_missing)
            if not required:
                annotation += " | None"
                args.insert(0, "default=None")
            if "example" in field:
                args.append(f"examples=[{_py(field['example'])}]")
            out.append(f"    {name}: {annotation} = Field(\n")
            out.extend(f"        {arg},\n" for arg in args)
            out.extend(
                line + "\n"
                for line in _keyword("description", field.get("description", ""), " " * 8)
            )
            out.append("    )\n")
        return "".join(out)

    def render(self) -> str:
        package = read_json(self.directory / PACKAGE_FILE)
        classes = [model_name(name) for name in self.names]
        identifier_names = [identifier.name for identifier in self.identifier_order]
        enum_names = [name for resource in self.names for name in self.enum_fields(resource)]
        exported = sorted([BASE_CLASS, "MODELS", *classes, *identifier_names, *enum_names])
        parts = [
            f'"""Frozen pydantic models of the {package.get("name", "data package")} resources, '
            "one per resource.\n\n"
            "GENERATED by ``palliativ-data generate`` from ``schema/`` (see\n"
            "``palliativ_data/_authoring/codegen.py``). Do not edit by hand: edit the schema, regenerate,\n"
            "commit both. ``tests/test_models.py`` fails when this file is stale.\n"
            '"""\n\n',
            "import datetime  # noqa: F401  (used by date fields, if any)\n",
            "from typing import Annotated, Any, ClassVar, Literal  # noqa: F401\n\n",
            "from pydantic import BaseModel, ConfigDict, Field\n\n",
            "__all__ = [\n",
            *(f"    {_py(name)},\n" for name in exported),
            "]\n\n\n",
            f"class {BASE_CLASS}(BaseModel):\n",
            '    """Base of every record model: unknown fields are rejected and records are frozen.\n\n'
            "    Records compare equal by value and are hashable, so they can be put in sets and used\n"
            "    as dictionary keys. Validators are built on first use (``defer_build``), which keeps\n"
            "    ``import palliativ_data`` fast.\n"
            '    """\n\n',
            '    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)\n\n',
            '    resource_name: ClassVar[str] = ""\n',
            '    """Name of the resource (CSV file) the model describes."""\n',
            "    primary_key_fields: ClassVar[tuple[str, ...]] = ()\n",
            '    """Fields of the resource\'s primary key."""\n\n',
            "    def key(self) -> tuple[Any, ...]:\n",
            '        """The values of the primary key of this record."""\n',
            "        return tuple(getattr(self, name) for name in self.primary_key_fields)\n\n\n",
            "# Identifiers: one named type per primary key, used wherever a field refers to it.\n\n",
        ]
        for identifier in self.identifier_order:
            parts.append(self.render_identifier(identifier) + "\n")
        for resource in self.names:
            parts.append("\n" + "".join(self.render_enums(resource)))
            parts.append("\n" + self.render_model(resource) + "\n")
        parts.append("\nMODELS: dict[str, type[Record]] = {\n")
        parts.extend(f"    {_py(name)}: {model_name(name)},\n" for name in self.names)
        parts.append("}\n")
        parts.append(
            '"""Model class of each resource, in the order of ``schema/package.json``."""\n'
        )
        text = "".join(parts)
        return re.sub(r"\n{4,}", "\n\n\n", text)


def render_model_names(directory: Path | None = None) -> str:
    """The text of ``_model_names.py``: the model classes ``palliativ_data`` exports.

    An import-light module (no pydantic at run time): ``palliativ_data/__init__.py`` builds its
    lazy attributes and ``__all__`` from its ``__all__``, and type checkers see the classes
    through its ``TYPE_CHECKING`` import.

    Args:
        directory: Folder of the Table Schemas; default: the project's ``schema/``.

    Returns:
        Python source code.
    """
    names = sorted([BASE_CLASS, *(model_name(name) for name in resource_names(directory))])
    return "".join(
        [
            '"""The model classes ``palliativ_data`` exports: the base and one per resource.\n\n'
            "GENERATED by ``palliativ-data generate`` from ``schema/`` (see\n"
            "``palliativ_data/_authoring/codegen.py``), with ``_models.py``. Do not edit by hand.\n"
            "Import-light: ``palliativ_data`` imports the models themselves on first use.\n"
            '"""\n\n',
            "from typing import TYPE_CHECKING\n\n",
            "if TYPE_CHECKING:  # for type checkers: the classes behind the names\n",
            "    from ._models import (\n",
            *(f"        {name},\n" for name in names),
            "    )\n\n",
            "__all__ = [\n",
            *(f"    {_py(name)},\n" for name in names),
            "]\n",
        ]
    )


def render_models(directory: Path | None = None) -> str:
    """The text of ``_models.py`` generated from the Table Schemas in ``directory``.

    Args:
        directory: Folder of the Table Schemas; default: the project's ``schema/``.

    Returns:
        Python source code.
    """
    return _Generator(directory or schema_dir()).render()


def write_models(directory: Path | None = None) -> list[Path]:
    """Write the generated models and their public names (``_models.py``, ``_model_names.py``).

    Returns:
        The paths written.
    """
    contents = {
        MODELS_FILE: render_models(directory),
        MODEL_NAMES_FILE: render_model_names(directory),
    }
    return atomic_write_changed(contents)
