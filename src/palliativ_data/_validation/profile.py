"""Layer 1: the descriptor against the official Data Package v2 profile (offline, dplib-py).

A descriptor is first screened with ``jsonschema-rs`` (a compiled validator: about 2 ms for
the bundled descriptor, and 10 ms to import); only a descriptor it finds invalid is checked
again with ``jsonschema``, whose errors (paths, messages, ``best_match``) the problems are
written from. Importing ``jsonschema`` and checking the bundled descriptor with it took about
0.25 s, a third of validating the bundled package; ``tests/test_validate_codes.py`` checks
that the two validators agree on every descriptor of the bad corpus.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._io import DESCRIPTOR_FILE, read_json
from .._paths import schema_dir
from .._schema.tableschema import PACKAGE_FILE
from .._source import name_part_problem
from .text import join, show

if TYPE_CHECKING:  # pragma: no cover - the validator calls these checks
    from .validator import Validator

PACKAGE_PROFILE_URL = "https://datapackage.org/profiles/2.0/datapackage.json"


def descriptor_rule(key: str) -> str | None:
    """The pattern ``schema/package.json`` sets for the descriptor's ``key`` (name, version)."""
    rules = read_json(schema_dir() / PACKAGE_FILE).get("x-descriptor-rules") or {}
    rule = rules.get(key) if isinstance(rules, dict) else None
    return rule.get("pattern") if isinstance(rule, dict) else None


@functools.cache
def _profile() -> Any:
    """The official Data Package v2 profile (from dplib-py), as JSON data."""
    profile_text = (
        importlib.resources.files("dplib") / "profiles" / "2.0" / "datapackage.json"
    ).read_text(encoding="utf-8")
    return json.loads(profile_text)


@functools.cache
def profile_validator() -> Any:
    """A JSON Schema validator (``jsonschema``) for the official Data Package v2 profile."""
    # deferred: jsonschema takes ~0.05 s to import; a valid descriptor never needs it
    import jsonschema

    profile = _profile()
    return jsonschema.validators.validator_for(profile)(profile)


@functools.cache
def profile_screen() -> Any:
    """The same profile compiled by ``jsonschema-rs``, for a quick yes/no (formats are not
    asserted, as ``jsonschema`` without a format checker does not)."""
    # deferred: only validation needs it (``import palliativ_data`` stays light)
    import jsonschema_rs

    return jsonschema_rs.validator_for(_profile(), validate_formats=False)


_CACHED_DESCRIPTOR_CHARS = 1 << 20
"""Descriptors up to this size (as JSON text) have their profile errors cached."""


def _profile_errors(descriptor: Any) -> tuple[Any, ...]:
    """The profile's errors for a descriptor.

    A descriptor ``jsonschema-rs`` finds valid has none. Otherwise ``jsonschema`` lists them:
    that takes about 0.1 s for a descriptor the size of the bundled one (each field is tried
    against every field type the profile knows), and the same descriptor is often validated
    again: in a session fixing a package's data, or in a test suite. The result depends on the
    JSON text alone, so it is cached by that text: at most eight descriptors of at most 1 MB
    (the bundled one is 48 KB), so a process validating many large hostile descriptors keeps
    none of them.
    """
    try:
        if profile_screen().is_valid(descriptor):
            return ()
    except (ValueError, OverflowError):  # a value it cannot take (jsonschema decides)
        pass
    text = json.dumps(descriptor, ensure_ascii=False)
    if len(text) > _CACHED_DESCRIPTOR_CHARS:
        return tuple(profile_validator().iter_errors(descriptor))
    return _cached_profile_errors(text)


@functools.lru_cache(maxsize=8)
def _cached_profile_errors(descriptor_json: str) -> tuple[Any, ...]:
    return tuple(profile_validator().iter_errors(json.loads(descriptor_json)))


MAX_PROFILE_FIELDS = 200
"""At most this many fields of a Table Schema are checked against the profile (the project's
widest table has about 20; a list longer than the project's is a ``schema-mismatch`` anyway,
and each field costs the profile a try of every field type: 15,000 took 50 s)."""


def _checked_part(descriptor: dict[str, Any], skip: set[int] | frozenset[int]) -> Any:
    """The descriptor as the profile checks it: a resource the project does not define is a
    placeholder (the indexes of the others are kept), and each Table Schema's fields are cut
    at :data:`MAX_PROFILE_FIELDS`."""
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return descriptor
    kept = []
    for index, entry in enumerate(resources):
        if index in skip:
            entry = {"name": "x", "path": "x.csv"}
        elif isinstance(entry, dict) and isinstance(entry.get("schema"), dict):
            fields = entry["schema"].get("fields")
            if isinstance(fields, list) and len(fields) > MAX_PROFILE_FIELDS:
                schema = {**entry["schema"], "fields": fields[:MAX_PROFILE_FIELDS]}
                entry = {**entry, "schema": schema}
        kept.append(entry)
    return {**descriptor, "resources": kept}


def check_profile(v: Validator, skip: set[int] | frozenset[int] = frozenset()) -> set[int]:
    """Check the descriptor against the v2 profile; return indexes of bad resources.

    ``skip``: indexes of resources the project does not define (``unknown-resource``): they
    are not checked (nor reported twice).
    """
    bad_resources: set[int] = set()
    name = v.descriptor_path.name if v.descriptor_path else DESCRIPTOR_FILE
    declared = v.descriptor.get("$schema")
    if declared != PACKAGE_PROFILE_URL:
        v.add(
            "profile-error",
            f"$schema is {show(declared)}; this package follows Data Package v2, so it "
            f"must be '{PACKAGE_PROFILE_URL}'.",
            field="$schema",
            path=name,
        )
    for key in ("name", "version"):  # they become file names in a release
        problem = name_part_problem(key, v.descriptor.get(key), descriptor_rule(key))
        if problem is not None:
            v.add("profile-error", problem, field=key, path=name)
    for error in _profile_errors(_checked_part(v.descriptor, skip)):
        location = list(error.absolute_path)
        detail = best_error(error)
        location = list(detail.absolute_path) or location
        resource, where, index = locate(v, location)
        if index is not None:
            bad_resources.add(index)
        message = profile_message(detail, location, error)
        if index is not None:
            message += (
                f" The rows of {resource or f'resources[{index}]'} are not checked until "
                "the descriptor is fixed."
            )
        v.add("profile-error", message, resource=resource, field=where, path=name)
    return bad_resources


def locate(v: Validator, location: list[Any]) -> tuple[str | None, str | None, int | None]:
    """Split a descriptor location into (resource name, location in it, resource index)."""
    resources = v.descriptor.get("resources")
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
            return name, format_location(location[2:]) or None, index
        return None, format_location(location), index
    return None, format_location(location) or None, None


def format_location(parts: Sequence[Any]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def best_error(error: Any) -> Any:
    """The most specific sub-error of a oneOf/anyOf failure."""
    if not error.context:
        return error
    # Prefer the alternatives whose type fitted: "'../x' does not match <pattern>" says more
    # than "'../x' is not of type 'array'".
    # deferred: jsonschema is imported only for a descriptor the profile rejects
    import jsonschema.exceptions

    fitting = [sub for sub in error.context if sub.validator != "type"] or list(error.context)
    return jsonschema.exceptions.best_match(fitting) or error


def profile_message(detail: Any, location: list[Any], top: Any) -> str:
    where = format_location(list(detail.absolute_path) or location) or "the descriptor"
    last = (list(detail.absolute_path) or [None])[-1]
    if detail.validator == "pattern" and last == "path":
        return (
            f"{where} is {show(detail.instance)}, which the Data Package v2 profile does not "
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
            f"{where} is {show(detail.instance)}, which the Data Package v2 profile does not "
            f"allow; allowed: {join(allowed)}. Correct it in the descriptor (in this "
            "repository: in schema/, then `palliativ-data generate`)."
        )
    text = detail.message
    if len(text) > 200:
        text = text[:199] + "…"
    return (
        f"{where}: {text} (Data Package v2 profile). Correct the descriptor (in this "
        "repository: in schema/, then `palliativ-data generate`)."
    )
