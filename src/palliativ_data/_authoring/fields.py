"""Generate each ``schema/<resource>.json`` from shared field definitions (PUDL's pattern).

A field that several resources have (``edition``, ``region_code``, ``source_ref``…) is defined
once, in ``schema/src/fields.json``; each resource's source, ``schema/src/resources/<name>.json``,
is its Table Schema in which such a field gives its ``name`` and only what differs in this
resource (usually the description, ``required`` or ``unique``). Fields of one resource only are
written out in full there. ``palliativ-data generate`` writes the Table Schemas the rest of the
library reads (``schema/<name>.json``); ``tests/test_schema_fields.py`` regenerates and compares.

How a field of a resource source is resolved:

* its name has a shared definition → the shared definition, then the resource's keys over it;
  ``constraints`` are merged key by key; ``null`` removes a shared key (e.g. ``"example": null``);
* it has ``"like": "<shared field>"`` (a foreign key under another name, e.g. ``follows_up``
  like ``edition``) → what defines the shared field's values (its ``type``, ``format`` and
  constraints other than ``required`` and ``unique``), then the resource's keys over it as
  above; the field keeps its own name, description, ``required``…;
* otherwise → the entry as written (it must have a ``type``).

The rules that keep each fact once (``generate`` refuses with every problem listed):

* an override may not change the shared ``type`` (a column of one name has one type, a field
  like another has its type), nor repeat a value of the shared definition (or of what ``like``
  gives); ``like`` names a shared field, on a field that has no shared definition of its own;
* a name that several resources define in full is listed under ``homonyms`` in
  ``fields.json``, with the reason, and only if the definitions differ in type, ``pattern`` or
  ``enum`` (else it belongs among the shared fields); a shared field is used by two resources
  or more (a field ``like`` it counts as a use);
* every resolved field has its title and description in English and in Swedish (below).

Every field has an English ``title`` (a short column heading) and ``description``, and the
Swedish ones beside them under the custom property ``x-translations`` (the package's own
convention, as in ``schema/package.json``)::

    {"name": "gap_key", "title": "Gap key", "description": "…",
     "x-translations": {"sv": {"title": "Bristnyckel", "description": "…"}}}

``x-translations`` is merged language by language and key by key, like ``constraints``. A text
is defined where its English counterpart is: a resource that overrides a shared field's English
``title`` or ``description`` overrides the Swedish one beside it, and the other way round, so a
shared Swedish text never describes another English one. ``generate`` refuses, naming the file
and the field, a field without an English or a Swedish title or description, and a resource
source or a ``schema/package.json`` resource without its Swedish description or title. The Data
Package v2 profile and frictionless (5.20 and 5.21) accept ``x-`` properties and ignore them.

The output keeps the key order of the published schemas (``name``, ``type``, ``title``,
``description``, ``x-translations``, ``constraints``, ``example``; ``required``, ``unique``,
then the value constraints), so the
generated files, and with them the data fingerprint, do not depend on how a fact is stored.

The sources live in a subfolder so that neither :func:`~.tableschema.resource_names` (which
reads ``schema/package.json``) nor the data fingerprint (``schema/*.json``) counts them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from .._errors import PalliativDataError
from .._io import atomic_write_changed, dump_json
from .._paths import schema_dir
from .._schema.tableschema import PACKAGE_FILE, package_metadata, resource_names

SOURCE_DIR = "src"
"""The folder of the sources inside ``schema/``."""
FIELDS_FILE = "fields.json"
"""The shared field definitions, in ``schema/src/``."""
RESOURCES_DIR = "resources"
"""The folder of the resource sources, in ``schema/src/``."""
FIELDS_FILE_KEYS = ("$comment", "fields", "homonyms")
"""The keys of ``fields.json``."""

TRANSLATIONS = "x-translations"
"""The custom property that holds a field's (or a table's) texts in other languages."""
LANGUAGES = ("sv",)
"""The languages every field and table has texts in, besides English."""
LANGUAGE_NAMES = {"sv": "Swedish"}
"""How messages name each of :data:`LANGUAGES`."""
TRANSLATED = ("title", "description")
"""The texts a field has in English and in each of :data:`LANGUAGES`."""

FIELD_KEY_ORDER = (
    "name",
    "type",
    "title",
    "description",
    TRANSLATIONS,
    "format",
    "constraints",
    "example",
)
"""Key order of a resolved shared field; other keys follow in the order given."""
CONSTRAINT_ORDER = (
    "required",
    "unique",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "pattern",
    "enum",
)
"""Key order of a resolved shared field's constraints; others follow in the order given."""
VALUE_CONSTRAINTS = ("pattern", "enum")
"""Constraints that set what a field means; homonyms must differ in one of these or in type."""
LIKE = "like"
"""The key of a resource source's field that names the shared field it is like."""
LIKE_KEYS = ("type", "format", "constraints")
"""The keys of a shared definition that ``like`` gives (the values the field takes)."""
LIKE_OMITS = ("required", "unique")
"""Constraints ``like`` does not give: they are about the column that has them."""


@dataclass(frozen=True)
class SharedFields:
    """The contents of ``schema/src/fields.json``.

    Attributes:
        fields: Each shared field's definition by name (without ``name``), in file order.
        homonyms: Names that several resources define each in their own way, with the reason.
    """

    fields: dict[str, dict[str, Any]]
    homonyms: dict[str, str]


def source_dir(directory: Path | None = None) -> Path:
    """The folder of the sources: ``schema/src/`` (``directory`` is the ``schema/`` folder)."""
    return (directory or schema_dir()) / SOURCE_DIR


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r} appears twice in one object")
        seen[key] = value
    return seen


def read_source(path: Path) -> Any:
    """A source file as JSON, refusing a key written twice (``json`` would keep the last).

    Raises:
        PalliativDataError: The file is not JSON or repeats a key.
    """
    try:
        return json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates)
    except ValueError as error:
        raise PalliativDataError(f"{_shown(path)} is not valid: {error}.") from None


def _shown(path: Path) -> str:
    """``path`` from ``schema/`` on, as messages name it."""
    parts = path.parts
    if "schema" not in parts:
        return str(path)
    return "/".join(parts[len(parts) - 1 - parts[::-1].index("schema") :])


def load_shared_fields(directory: Path | None = None) -> SharedFields:
    """Read ``schema/src/fields.json``.

    Raises:
        PalliativDataError: A field is defined twice, has no name or type, or is also listed
            as a homonym.
    """
    path = source_dir(directory) / FIELDS_FILE
    data = read_source(path)
    if not isinstance(data, dict):
        raise PalliativDataError(f"{_shown(path)} is not a JSON object.")
    problems = [
        f"unknown key {key!r} (the file has `fields`, `homonyms` and a `$comment`)"
        for key in data
        if key not in FIELDS_FILE_KEYS
    ]
    fields: dict[str, dict[str, Any]] = {}
    for entry in data.get("fields", []):
        name = entry.get("name")
        if not isinstance(name, str) or "type" not in entry:
            problems.append(f"a shared field needs a name and a type: {json.dumps(entry)[:80]}")
        elif name in fields:
            problems.append(f"the field {name!r} is defined twice")
        else:
            try:
                _check_translations(f"the shared field {name!r}", entry)
            except PalliativDataError as error:
                problems.append(str(error).rstrip("."))
            fields[name] = {key: value for key, value in entry.items() if key != "name"}
    homonyms = dict(data.get("homonyms", {}))
    problems += [
        f"{name!r} is both a shared field and a homonym; it is one or the other"
        for name in homonyms
        if name in fields
    ]
    if problems:
        raise PalliativDataError(f"{_shown(path)}: " + "; ".join(problems) + ".")
    return SharedFields(fields=fields, homonyms=homonyms)


def _ordered(mapping: Mapping[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    first = [key for key in order if key in mapping]
    return {key: mapping[key] for key in [*first, *(k for k in mapping if k not in order)]}


def resolve_field(
    entry: Mapping[str, Any], shared: SharedFields, where: str = "a resource"
) -> dict[str, Any]:
    """One field of a resource source as the published Table Schema writes it.

    Args:
        entry: The field as the resource source gives it.
        shared: The shared definitions.
        where: The resource source, for messages.

    Returns:
        The field: the entry itself, or the shared definition (or what ``like`` gives) with
        the entry's keys over it.

    Raises:
        PalliativDataError: The override changes the type, repeats the shared definition (or
            what ``like`` gives), removes a key the definition does not have, ``like`` does not
            name a shared field or is on a shared field, the field has no type, or it
            overrides a text in one language and not the other (see :func:`_same_place`).
            Missing texts are :func:`documented`'s to report.

    Examples:
        >>> shared = SharedFields({"notes": {"type": "string"}}, {})
        >>> resolve_field({"name": "notes", "description": "Curator's notes."}, shared)
        {'name': 'notes', 'type': 'string', 'description': "Curator's notes."}
        >>> resolve_field({"name": "notes", "type": "integer"}, shared)
        Traceback (most recent call last):
        ...
        palliativ_data.PalliativDataError: the field 'notes' of a resource has type ...
        >>> resolve_field({"name": "remark", "like": "notes", "description": "A remark."}, shared)
        {'name': 'remark', 'type': 'string', 'description': 'A remark.'}
    """
    name = entry.get("name")
    field = f"the field {name!r} of {where}"
    definition = shared.fields.get(str(name))
    _check_translations(field, entry)
    if LIKE in entry:
        like = _like(field, entry[LIKE], definition is not None, shared)
        overrides = {key: value for key, value in entry.items() if key != LIKE}
        resolved = {"name": name, **_merge(field, like, overrides, entry[LIKE])}
        return _ordered(resolved, FIELD_KEY_ORDER)
    if definition is None:
        if "type" not in entry:
            raise PalliativDataError(
                f"{field} has no type and no shared definition in schema/src/{FIELDS_FILE}: "
                "write the field out in full, or check its name against the shared fields."
            )
        resolved = dict(entry)
    else:
        _same_place(field, definition, entry)
        resolved = {"name": name, **_merge(field, definition, entry)}
    return resolved if definition is None else _ordered(resolved, FIELD_KEY_ORDER)


def translation(item: Mapping[str, Any], language: str, key: str) -> Any:
    """``item``'s ``key`` in ``language`` (``x-translations``), or ``None``.

    Examples:
        >>> translation({"x-translations": {"sv": {"title": "Regionkod"}}}, "sv", "title")
        'Regionkod'
        >>> translation({"title": "Region code"}, "sv", "title") is None
        True
    """
    translations = item.get(TRANSLATIONS)
    texts = translations.get(language) if isinstance(translations, Mapping) else None
    return texts.get(key) if isinstance(texts, Mapping) else None


def documented(field: str, resolved: dict[str, Any]) -> dict[str, Any]:
    """``resolved`` if it has its title and description in English and in every language.

    Args:
        field: The field and its resource source, for the message.
        resolved: The field as :func:`resolve_field` gives it.

    Raises:
        PalliativDataError: A text is missing; the message names each one and its key.

    Examples:
        >>> documented("the field 'x'", {"name": "x", "title": "X", "description": "An x."})
        Traceback (most recent call last):
        ...
        palliativ_data.PalliativDataError: the field 'x' has no Swedish title ...
    """
    missing = [f"{key} (English, `{key}`)" for key in TRANSLATED if not resolved.get(key)]
    missing += [
        f"{LANGUAGE_NAMES[language]} {key} (`{TRANSLATIONS}.{language}.{key}`)"
        for language in LANGUAGES
        for key in TRANSLATED
        if not translation(resolved, language, key)
    ]
    if missing:
        raise PalliativDataError(
            f"{field} has no "
            + ", no ".join(missing)
            + ": give each there or in the shared definition, beside its text in the other "
            "language."
        )
    return resolved


def _check_translations(field: str, entry: Mapping[str, Any]) -> None:
    """``x-translations`` is ``{language: {"title": text, "description": text}}``."""
    if TRANSLATIONS not in entry:
        return
    translations = entry[TRANSLATIONS]
    if not isinstance(translations, Mapping):
        raise PalliativDataError(f"{field} has `{TRANSLATIONS}` that is not an object.")
    for language, texts in translations.items():
        if language not in LANGUAGES:
            raise PalliativDataError(
                f"{field} has `{TRANSLATIONS}.{language}`: the languages are "
                f"{', '.join(LANGUAGES)}."
            )
        if not isinstance(texts, Mapping) or not all(
            key in TRANSLATED and (isinstance(text, str) or text is None)
            for key, text in texts.items()
        ):
            raise PalliativDataError(
                f"{field} has `{TRANSLATIONS}.{language}` other than texts for "
                f"{' and '.join(TRANSLATED)}."
            )


def _same_place(field: str, definition: Mapping[str, Any], entry: Mapping[str, Any]) -> None:
    """A resource overrides a shared text in English and in Swedish together, or in neither.

    Otherwise the shared text of one language would describe the resource's text of the
    other. (A text missing in both places is reported by :func:`documented`.)
    """
    for language in LANGUAGES:
        for key in TRANSLATED:
            english = key in entry
            other = translation(entry, language, key) is not None
            if english and not other and translation(definition, language, key) is not None:
                given, kept = f"`{key}`", f"`{TRANSLATIONS}.{language}.{key}`"
            elif other and not english and key in definition:
                given, kept = f"`{TRANSLATIONS}.{language}.{key}`", f"`{key}`"
            else:
                continue
            raise PalliativDataError(
                f"{field} overrides {given} but not {kept}, so the shared {kept} in "
                f"schema/src/{FIELDS_FILE} would describe another text: give {kept} beside "
                f"{given} in the resource source."
            )


def _like(field: str, like: Any, is_shared: bool, shared: SharedFields) -> dict[str, Any]:
    """What ``"like": like`` gives: the shared field's type, format and value constraints."""
    if is_shared:
        raise PalliativDataError(
            f"{field} has `like`, but the field has a shared definition of its own in "
            f"schema/src/{FIELDS_FILE}: drop `like` (a field is like another only under "
            "another name)."
        )
    definition = shared.fields.get(like) if isinstance(like, str) else None
    if definition is None:
        raise PalliativDataError(
            f"{field} is `like` {json.dumps(like)}, which is not a shared field in "
            f"schema/src/{FIELDS_FILE}: name the shared field whose values this field takes "
            "(for a foreign key, the field it references)."
        )
    given = {key: definition[key] for key in LIKE_KEYS if key in definition}
    constraints = {
        key: value
        for key, value in (definition.get("constraints") or {}).items()
        if key not in LIKE_OMITS
    }
    given.pop("constraints", None)
    if constraints:
        given["constraints"] = constraints
    return given


def _merge(
    field: str, definition: Mapping[str, Any], entry: Mapping[str, Any], like: str | None = None
) -> dict[str, Any]:
    """The shared ``definition`` with the keys of ``entry`` (a resource's override) over it.

    With ``like``, ``definition`` is what the field ``like`` names gives.
    """
    if "type" in entry:
        if entry["type"] != definition["type"] and like is not None:
            raise PalliativDataError(
                f"{field} has type {entry['type']!r}, but it is `like` {like!r}, whose type in "
                f"schema/src/{FIELDS_FILE} is {definition['type']!r}. A field like another "
                "takes its values, type included: if the columns differ in type, drop `like` "
                "and write the field out in full."
            )
        if entry["type"] != definition["type"]:
            raise PalliativDataError(
                f"{field} has type {entry['type']!r}, but its shared definition in "
                f"schema/src/{FIELDS_FILE} has {definition['type']!r}. A shared field has one "
                "type in every resource: if the columns of this name mean different things, "
                "remove the shared definition, write the field out in full in each resource "
                "and list its name under `homonyms` with the reason."
            )
        _repeats(field, "type", like)
    overrides = {key: value for key, value in entry.items() if key not in ("name", "type")}
    constraints = overrides.pop("constraints", {})
    if not isinstance(constraints, Mapping):
        raise PalliativDataError(f"{field} has `constraints` that are not an object.")
    translations = overrides.pop(TRANSLATIONS, {})
    merged = _merge_keys(field, definition, overrides, "", like)
    merged_constraints = _merge_keys(
        field, definition.get("constraints") or {}, constraints, "constraints.", like
    )
    merged.pop("constraints", None)
    if merged_constraints:
        merged["constraints"] = _ordered(merged_constraints, CONSTRAINT_ORDER)
    merged_translations = {}
    shared_translations = definition.get(TRANSLATIONS) or {}
    for language in dict.fromkeys([*LANGUAGES, *translations]):
        texts = _merge_keys(
            field,
            shared_translations.get(language) or {},
            translations.get(language) or {},
            f"{TRANSLATIONS}.{language}.",
            like,
        )
        if texts:
            merged_translations[language] = _ordered(texts, TRANSLATED)
    merged.pop(TRANSLATIONS, None)
    if merged_translations:
        merged[TRANSLATIONS] = merged_translations
    return merged


def _merge_keys(
    field: str,
    base: Mapping[str, Any],
    override: Mapping[str, Any],
    prefix: str,
    like: str | None,
) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if value is None:
            if key not in base:
                raise PalliativDataError(
                    f"{field} removes `{prefix}{key}` (null), which "
                    + (
                        "its shared definition does not have"
                        if like is None
                        else f"`like` {like!r} does not give"
                    )
                    + ": drop the null."
                )
            del merged[key]
        elif key in base and base[key] == value:
            _repeats(field, prefix + key, like)
        else:
            merged[key] = value
    return merged


def _repeats(field: str, key: str, like: str | None = None) -> NoReturn:
    if like is not None:
        raise PalliativDataError(
            f"{field} repeats `{key}`, which `like` {like!r} gives from schema/src/"
            f"{FIELDS_FILE}: remove it from the resource source (a field like a shared one "
            "gives only what differs)."
        )
    raise PalliativDataError(
        f"{field} repeats `{key}` of its shared definition in schema/src/{FIELDS_FILE}: a "
        "shared field is defined once, so remove it from the resource source (a resource "
        "gives only what differs)."
    )


def _resource_sources(directory: Path) -> dict[str, Path]:
    folder = source_dir(directory) / RESOURCES_DIR
    names = resource_names(directory)
    problems = [
        f"{_shown(path)} is not a resource of schema/package.json: remove it, or list the "
        "resource there"
        for path in sorted(folder.glob("*.json"))
        if path.stem not in names
    ]
    problems += [
        f"the resource {name!r} has no source: add schema/src/{RESOURCES_DIR}/{name}.json"
        for name in names
        if not (folder / f"{name}.json").is_file()
    ]
    if problems:
        raise PalliativDataError("; ".join(problems) + ".")
    return {name: folder / f"{name}.json" for name in names}


def _check_sharing(sources: Mapping[str, Mapping[str, Any]], shared: SharedFields) -> list[str]:
    """Problems with what is shared: a name defined in full twice, a stale entry."""
    full: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    users: dict[str, list[str]] = {name: [] for name in shared.fields}
    for resource, source in sources.items():
        for entry in source.get("fields", []):
            name = entry.get("name")
            like = entry.get(LIKE)
            if isinstance(like, str) and like in users and resource not in users[like]:
                users[like].append(resource)
            if name in shared.fields:
                if resource not in users[name]:
                    users[name].append(resource)
            else:
                full.setdefault(str(name), []).append((resource, entry))
    problems = []
    for name, found in full.items():
        if len(found) < 2 and name not in shared.homonyms:
            continue
        resources = ", ".join(resource for resource, _ in found)
        if name not in shared.homonyms:
            problems.append(
                f"{resources} each define the field {name!r} in full: define it once in "
                f"schema/src/{FIELDS_FILE} (each resource then gives only what differs), or, "
                "if the columns differ in type, pattern or enum, list it under `homonyms`"
            )
        elif len(found) < 2:
            problems.append(
                f"{name!r} is listed under `homonyms` but only {resources or 'no resource'} "
                "defines it: remove it from `homonyms`"
            )
        elif len({_meaning(entry, shared) for _, entry in found}) < 2:
            problems.append(
                f"{name!r} is listed under `homonyms`, but {resources} give it the same type, "
                "pattern and enum: define it once among the shared fields instead"
            )
    problems += [
        f"the shared field {name!r} is used by {', '.join(used) or 'no resource'} only: "
        "write it out in that resource and remove the shared definition"
        for name, used in users.items()
        if len(used) < 2
    ]
    return problems


def _meaning(entry: Mapping[str, Any], shared: SharedFields) -> str:
    like = entry.get(LIKE)
    base = shared.fields.get(like, {}) if isinstance(like, str) else {}
    constraints = {**(base.get("constraints") or {}), **(entry.get("constraints") or {})}
    meaning = [
        entry.get("type", base.get("type")),
        *(constraints.get(key) for key in VALUE_CONSTRAINTS),
    ]
    return json.dumps(meaning, sort_keys=True)


def _table_texts(directory: Path, sources: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Problems with the tables' own texts: each has a title and a description in every language.

    The title of a table is in ``schema/package.json`` (its resource entry), the description in
    its source (the Table Schema's ``description``).
    """
    problems = []
    for name, source in sources.items():
        where = f"schema/src/{RESOURCES_DIR}/{name}.json"
        try:
            _check_translations(f"the table schema {where}", source)
        except PalliativDataError as error:
            problems.append(str(error).rstrip("."))
            continue
        if not source.get("description"):
            problems.append(f"{where} has no `description` (the table's English description)")
        problems += [
            f"{where} has no `{TRANSLATIONS}.{language}.description` (the table's description "
            "in that language): give it beside `description`"
            for language in LANGUAGES
            if not translation(source, language, "description")
        ]
    for entry in package_metadata(directory).get("resources", []):
        where = f"the resource {entry.get('name')!r} of schema/{PACKAGE_FILE}"
        problems += [
            f"{where} has no `{TRANSLATIONS}.{language}.title` (the table's title in that "
            "language): give it beside `title`"
            for language in LANGUAGES
            if entry.get("title") and not translation(entry, language, "title")
        ]
    return problems


def build_table_schemas(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """Every resource's Table Schema resolved from the sources in ``schema/src/``.

    Args:
        directory: The ``schema/`` folder; default: the project's.

    Returns:
        Resource name → Table Schema, in the order of ``schema/package.json``.

    Raises:
        PalliativDataError: Every problem found in the sources, in one message.
    """
    directory = directory or schema_dir()
    shared = load_shared_fields(directory)
    paths = _resource_sources(directory)
    sources = {name: read_source(path) for name, path in paths.items()}
    problems = _check_sharing(sources, shared)
    problems += _table_texts(directory, sources)
    schemas: dict[str, dict[str, Any]] = {}
    for name, source in sources.items():
        where = f"schema/src/{RESOURCES_DIR}/{name}.json"
        fields = []
        for entry in source.get("fields", []):
            try:
                label = f"the field {entry.get('name')!r} of {where}"
                fields.append(documented(label, resolve_field(entry, shared, where)))
            except PalliativDataError as error:
                problems.append(str(error).rstrip("."))
        schemas[name] = {key: fields if key == "fields" else value for key, value in source.items()}
    if problems:
        raise PalliativDataError(
            "The schema sources in schema/src/ have problems; nothing was generated:\n- "
            + "\n- ".join(problems)
        )
    return schemas


def render_table_schemas(directory: Path | None = None) -> dict[Path, str]:
    """The text of each generated ``schema/<resource>.json``, as ``generate`` writes it.

    Without a ``schema/src/`` folder (e.g. a copy holding only the Table Schemas) there is
    nothing to generate: the result is empty.
    """
    directory = directory or schema_dir()
    if not (source_dir(directory) / FIELDS_FILE).is_file():
        return {}
    schemas = build_table_schemas(directory)
    return {directory / f"{name}.json": dump_json(schema) for name, schema in schemas.items()}


def write_table_schemas(directory: Path | None = None) -> list[Path]:
    """Write the generated Table Schemas that differ from the files on disk.

    Returns:
        The paths written (none when every file is up to date).
    """
    return atomic_write_changed(render_table_schemas(directory))
