"""Layer 1, beside the profile: only the project's resources and keys, and values ``build`` can
publish.

A candidate package is checked against this project's ``schema/``, so it may hold exactly the
resources ``schema/`` defines and the descriptor keys the project writes (those of
``schema/package.json``, of the generated ``datapackage.json`` and of a release descriptor):

* a resource ``schema/`` does not define is ``unknown-resource`` (also a name that differs
  only in case, or a 300-character one); it is not read at all;
* a key the project does not write is ``unknown-key``: ``profile``, ``profiles``,
  ``extrapaths``, ``url``, ``stats``, ``innerpath``… (keys frictionless would act on, some by
  fetching a URL) and any ``x-`` object the project does not define. Keys of a Table Schema or
  a field other than ``x-`` keys and documentation are compared with the project's by
  :func:`palliativ_data._guards.parsing_mismatches` (``schema-mismatch``);
* a value ``build`` writes into the release's metadata is ``descriptor-value`` when it is not
  what that metadata can carry: a title, description or keyword that is not text or holds a
  control character, a URL that is not an absolute http(s) IRI (RDF cannot serialise
  ``https://x/"a``), a media type that is not ``type/subtype``, an ``x-publication`` that
  :class:`~palliativ_data._release.metadata.facts.PublicationFacts` refuses.

:data:`PACKAGE` is the shape of a descriptor: each key maps to the shape of its value (a dict:
an object with those keys; a one-item list: a list of that; a string: a kind of leaf, see
:data:`LEAVES`). ``tests/test_validate_keys.py`` checks that every key the project writes is
in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._errors import BuildError
from .._io import DESCRIPTOR_FILE
from .._release.metadata.facts import PublicationFacts
from .._schema.tableschema import resource_names
from .._source import PACKAGE_WIDE_FILES
from .._urls import iri_problem
from .codes import LANGUAGES
from .text import join, show

if TYPE_CHECKING:  # pragma: no cover - the validator calls these checks
    from .validator import Validator

Shape = Any
"""A dict (an object with these keys), a one-item list (a list of that) or a leaf kind."""

TEXT = "text"
URL = "url"
MEDIATYPE = "mediatype"
CHECKED = "checked"
"""A value another check owns (the profile, the name rules, the file and copy checks,
:func:`~palliativ_data._guards.parsing_mismatches`)."""
LEAVES = {
    TEXT: "text without control characters",
    URL: "an absolute http(s) URL that RDF can carry",
    MEDIATYPE: "a media type such as text/csv",
    CHECKED: "",
}
OPEN = "*"
"""In an object's shape: keys not listed (and not ``x-``) are checked elsewhere."""

_TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")
"""The languages of ``x-translations`` (English is the descriptor's own text)."""


def _translations(*keys: str) -> dict[str, Shape]:
    texts: dict[str, Shape] = {key: TEXT for key in keys}
    if "keywords" in keys:
        texts["keywords"] = [TEXT]
    return {lang: texts for lang in _TRANSLATED}


_DIALECT: dict[str, Shape] = {OPEN: True}
_COPY: dict[str, Shape] = {
    "format": TEXT,
    "mediatype": MEDIATYPE,
    "encoding": TEXT,
    "path": CHECKED,
    "dialect": {
        "delimiter": CHECKED,
        "lineTerminator": CHECKED,
        "quoteChar": CHECKED,
        "header": CHECKED,
    },  # the spreadsheet copy's, written by build
    "x-label": TEXT,
    "bytes": CHECKED,
    "hash": CHECKED,
}
"""A release's copy of a table (``x-formats``) or a file for the whole package (its database
``x-database``, its workbook ``x-workbook``: ``_source.PACKAGE_WIDE_FILES``)."""

FIELD: dict[str, Shape] = {
    OPEN: True,
    "name": CHECKED,
    "title": TEXT,
    "description": TEXT,
    "example": TEXT,
    "x-translations": _translations("title", "description"),
}
TABLE_SCHEMA: dict[str, Shape] = {
    OPEN: True,
    "$schema": TEXT,
    "title": TEXT,
    "description": TEXT,
    "fields": [FIELD],
    "foreignKeys": CHECKED,
    "x-translations": _translations("title", "description"),
}
RESOURCE: dict[str, Shape] = {
    "name": CHECKED,
    "type": CHECKED,
    "path": CHECKED,
    "scheme": CHECKED,
    "format": CHECKED,
    "mediatype": MEDIATYPE,
    "encoding": CHECKED,
    "title": TEXT,
    "description": TEXT,
    "dialect": _DIALECT,
    "schema": TABLE_SCHEMA,
    "bytes": CHECKED,
    "hash": CHECKED,
    "rows": CHECKED,
    "fields": CHECKED,
    "x-translations": _translations("title", "description"),
    "x-formats": [_COPY],
}
PUBLICATION: dict[str, Shape] = {
    "base_url": URL,
    "repository": URL,
    "publisher": {"name": {"sv": TEXT, "en": TEXT}, "iri": URL, "type": TEXT},
    "contact_point": {"email": TEXT, "url": URL},
    "code_license": {"name": TEXT, "title": TEXT, "path": URL},
}
PACKAGE: dict[str, Shape] = {
    "$schema": CHECKED,
    "name": CHECKED,
    "id": TEXT,
    "title": TEXT,
    "description": TEXT,
    "version": CHECKED,
    "homepage": URL,
    "keywords": [TEXT],
    "licenses": [{"name": TEXT, "title": TEXT, "path": URL}],
    "contributors": [
        {
            "title": TEXT,
            "givenName": TEXT,
            "familyName": TEXT,
            "organization": TEXT,
            "email": TEXT,
            "path": URL,
            "roles": [TEXT],
        }
    ],
    "sources": [{"title": TEXT, "path": URL, "email": TEXT, "version": TEXT}],
    "x-publication": PUBLICATION,
    "x-translations": _translations("title", "description", "keywords"),
    **{key: _COPY for key in PACKAGE_WIDE_FILES},  # a release's database and workbook
    "resources": CHECKED,
}
"""The shape of a descriptor: every key the project writes (see the module docstring)."""

MAX_NAMES = 10
"""How many unknown keys or resources one message lists."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MEDIATYPE = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9.+-]{0,100}$")


def _location(parts: Sequence[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _leaf_problem(kind: str, value: Any) -> str | None:
    """Why ``value`` is not a leaf of ``kind``, or None (``null`` is always allowed)."""
    if value is None or kind == CHECKED:
        return None
    if not isinstance(value, str):
        return f"is {show(value)}, not {LEAVES[kind]}"
    if kind == URL:
        problem = iri_problem(value)
        return None if problem is None else f"is {show(value)}: {problem}"
    if _CONTROL.search(value):
        return f"is {show(value)}, which holds a control character"
    if kind == MEDIATYPE and not _MEDIATYPE.match(value):
        return f"is {show(value)}, not {LEAVES[kind]}"
    return None


class _Walk:
    """One walk of a descriptor against a shape, collecting problems."""

    def __init__(self, v: Validator, resource: str | None, base: list[str | int]) -> None:
        self.v = v
        self.resource = resource
        self.base = base

    def add(self, code: str, where: list[str | int], message: str) -> None:
        inside = where[len(self.base) :] if self.resource else where
        self.v.add(
            code,
            message,
            resource=self.resource,
            field=_location(inside) or None,
            path=DESCRIPTOR_FILE,
        )

    def walk(self, value: Any, shape: Shape, where: list[str | int]) -> None:
        if isinstance(shape, str):
            problem = _leaf_problem(shape, value)
            if problem is not None:
                self.add(
                    "descriptor-value",
                    where,
                    f"{_location(where)} {problem}. It is published in the release's metadata; "
                    "correct it in the descriptor.",
                )
            return
        if isinstance(shape, list):
            if value is None:
                return
            if not isinstance(value, list):
                self._wrong_type(value, "a list", where)
                return
            for index, item in enumerate(value):
                self.walk(item, shape[0], [*where, index])
            return
        if value is None:
            return
        if not isinstance(value, Mapping):
            if OPEN not in shape:  # else the profile or the schema comparison says so
                self._wrong_type(value, "an object", where)
            return
        unknown = [
            key
            for key in value
            if key not in shape and key != OPEN and (OPEN not in shape or str(key).startswith("x-"))
        ]
        if unknown:
            self.add(
                "unknown-key",
                where,
                f"{_location(where) or 'the descriptor'} has "
                f"{'a key' if len(unknown) == 1 else f'{len(unknown):,} keys'} this project does "
                f"not define: {join(unknown, limit=MAX_NAMES, quote=True)}. It is not read, "
                "checked or published; remove it (a package of this project holds the keys "
                "`palliativ-data generate` and `build` write, nothing that names a URL or file "
                "to fetch).",
            )
        for key, item in value.items():
            if key in shape and key != OPEN:
                self.walk(item, shape[key], [*where, key])

    def _wrong_type(self, value: Any, wanted: str, where: list[str | int]) -> None:
        self.add(
            "descriptor-value",
            where,
            f"{_location(where)} is {show(value)}, not {wanted}. Correct it in the descriptor.",
        )


def check_keys(v: Validator) -> set[int]:
    """Check the descriptor's keys, resources and published values; return the indexes of the
    resources that are not the project's (never read)."""
    _Walk(v, None, []).walk(v.descriptor, PACKAGE, [])
    _publication(v)
    foreign: set[int] = set()
    entries = v.descriptor.get("resources")
    if not isinstance(entries, list):
        return foreign  # the profile reports it
    project = resource_names()
    unknown: list[tuple[int, str]] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            continue  # the profile reports it
        name = entry.get("name")
        if not isinstance(name, str) or name not in project:
            unknown.append((index, str(name)))
            foreign.add(index)
            continue
        _Walk(v, name, ["resources", index]).walk(entry, RESOURCE, ["resources", index])
    if unknown:
        names = [name for _, name in unknown]
        v.add(
            "unknown-resource",
            f"the package declares {len(unknown):,} resource(s) this project does not define: "
            f"{join(names, limit=MAX_NAMES, quote=True)}. A package of this project holds "
            f"exactly the resources of its schema/ ({len(project)}: {join(project)}; names are "
            "case-sensitive); remove the others. They were not read.",
            field=_location(["resources", unknown[0][0]]),
            path=DESCRIPTOR_FILE,
        )
    return foreign


def _publication(v: Validator) -> None:
    """``x-publication`` and ``homepage`` as ``build`` reads them (one check, the same one)."""
    if any(p.code == "descriptor-value" and p.resource is None for p in v.problems):
        return  # already reported, value by value
    try:
        PublicationFacts.from_descriptor(v.descriptor)
    except BuildError as error:
        v.add(
            "descriptor-value",
            f"{error} It is published in the release's metadata.",
            field="x-publication",
            path=DESCRIPTOR_FILE,
        )
