"""Shared field definitions: schema/<resource>.json is generated from schema/src/ and each
field that several resources have is defined once (_authoring/fields.py)."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from palliativ_data import PalliativDataError, VersionError
from palliativ_data._authoring import descriptor, versioning
from palliativ_data._authoring.fields import (
    FIELDS_FILE,
    RESOURCES_DIR,
    SharedFields,
    build_table_schemas,
    load_shared_fields,
    render_table_schemas,
    resolve_field,
    source_dir,
    write_table_schemas,
)
from palliativ_data._io import dump_json, read_json
from palliativ_data._paths import schema_dir
from palliativ_data._schema.tableschema import load_table_schema, resource_names

RESOURCES = resource_names()
SHARED = load_shared_fields()
SOURCES = {name: read_json(source_dir() / RESOURCES_DIR / f"{name}.json") for name in RESOURCES}
RELEASED = {read_json(schema_dir() / "package.json")["version"]: "2026-07-01"}
LIKES = {
    (resource, entry["name"]): entry["like"]
    for resource in RESOURCES
    for entry in SOURCES[resource]["fields"]
    if "like" in entry
}
"""(resource, field) → the shared field it is like."""


@pytest.fixture
def schemas(tmp_path: Path) -> Path:
    """A copy of schema/ (sources included) to break."""
    copy = tmp_path / "schema"
    shutil.copytree(schema_dir(), copy)
    return copy


def _edit(path: Path, change) -> None:
    data = read_json(path)
    change(data)
    path.write_text(dump_json(data), encoding="utf-8")


def _edit_fields(copy: Path, change) -> None:
    _edit(copy / "src" / FIELDS_FILE, change)


def _edit_resource(copy: Path, name: str, change) -> None:
    _edit(copy / "src" / RESOURCES_DIR / f"{name}.json", change)


def _entry(data: dict, name: str) -> dict:
    return next(field for field in data["fields"] if field["name"] == name)


def _shared(data: dict, name: str) -> dict:
    return _entry(data, name)


def _problems(copy: Path) -> str:
    with pytest.raises(PalliativDataError) as caught:
        build_table_schemas(copy)
    return str(caught.value)


# --------------------------------------------------------------------------- no drift


@pytest.mark.parametrize("name", RESOURCES)
def test_the_committed_table_schema_is_generated_from_the_sources(name: str) -> None:
    path = schema_dir() / f"{name}.json"
    assert render_table_schemas()[path] == path.read_text(encoding="utf-8"), (
        f"schema/{name}.json differs from what schema/src/ generates: edit schema/src/ "
        "(fields.json or resources/), not the generated file, and run `palliativ-data generate`"
    )


def test_every_resource_and_only_the_resources_are_generated() -> None:
    assert list(render_table_schemas()) == [schema_dir() / f"{name}.json" for name in RESOURCES]


def test_one_edit_of_a_shared_field_reaches_every_resource_that_has_it(schemas: Path) -> None:
    users = [
        name
        for name in RESOURCES
        if any(f["name"] == "source_ref" for f in SOURCES[name]["fields"])
    ]
    assert len(users) >= 2

    def reword(data: dict) -> None:
        _shared(data, "source_ref")["description"] = "Where the record comes from."

    _edit_fields(schemas, reword)
    rendered = render_table_schemas(schemas)
    changed = [
        path.stem for path, text in rendered.items() if text != path.read_text(encoding="utf-8")
    ]
    assert changed == users
    for name in users:
        field = _entry(json.loads(rendered[schemas / f"{name}.json"]), "source_ref")
        assert field["description"] == "Where the record comes from."


def test_without_sources_nothing_is_generated(schemas: Path) -> None:
    shutil.rmtree(schemas / "src")
    assert render_table_schemas(schemas) == {}
    assert write_table_schemas(schemas) == []


def test_only_the_files_that_change_are_written(schemas: Path) -> None:
    before = {path.name: path.stat().st_mtime_ns for path in schemas.glob("*.json")}
    assert write_table_schemas(schemas) == []

    def reword(data: dict) -> None:
        _entry(data, "gap_key")["description"] = "The gap, as `gaps` names it."

    _edit_resource(schemas, "gap_answers", reword)
    assert write_table_schemas(schemas) == [schemas / "gap_answers.json"]
    assert _entry(load_table_schema("gap_answers", schemas), "gap_key") == {
        **_entry(load_table_schema("gap_answers"), "gap_key"),
        "description": "The gap, as `gaps` names it.",
    }
    after = {path.name: path.stat().st_mtime_ns for path in schemas.glob("*.json")}
    assert {name for name in before if before[name] != after[name]} == {"gap_answers.json"}


def test_writing_the_descriptor_generates_the_table_schemas_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(descriptor, "write_table_schemas", lambda: calls.append("schemas") or [])
    monkeypatch.setattr(descriptor, "render_descriptor", lambda: calls.append("descriptor") or "{}")
    descriptor.write_descriptor(tmp_path / "datapackage.json")
    assert calls == ["schemas", "descriptor"]


# --------------------------------------------------------------------------- each fact once


def test_a_name_used_by_several_resources_is_shared_or_a_declared_homonym() -> None:
    users: dict[str, list[str]] = defaultdict(list)
    for name in RESOURCES:  # the published schemas, not the sources
        for field in load_table_schema(name)["fields"]:
            users[field["name"]].append(name)
    repeated = {field for field, found in users.items() if len(found) > 1}
    assert repeated - set(SHARED.fields) - set(SHARED.homonyms) == set()
    # source_id has one column of its name; published_in, transcribed_from… are like it
    assert set(SHARED.fields) <= repeated | set(LIKES.values())
    assert set(SHARED.homonyms) <= repeated
    assert len(SHARED.fields) >= 20  # edition, region_code, gap_key, source_ref, notes…


@pytest.mark.parametrize("name", sorted(SHARED.homonyms))
def test_a_homonym_differs_in_type_pattern_or_enum(name: str) -> None:
    meanings = set()
    for resource in RESOURCES:
        for field in load_table_schema(resource)["fields"]:
            if field["name"] == name:
                constraints = field.get("constraints") or {}
                meanings.add(
                    json.dumps([field["type"], constraints.get("pattern"), constraints.get("enum")])
                )
    assert len(meanings) > 1, f"{name!r} means the same everywhere: share it"
    assert SHARED.homonyms[name].strip(), "a homonym says why"


@pytest.mark.parametrize("resource", RESOURCES)
def test_no_resource_source_repeats_a_shared_definition(resource: str) -> None:
    for entry in SOURCES[resource]["fields"]:
        definition = SHARED.fields.get(entry["name"])
        if "like" in entry:  # gives the type and the constraints other than required, unique
            like = SHARED.fields[entry["like"]]
            assert "type" not in entry and "format" not in entry, (resource, entry["name"])
            for constraint, limit in (entry.get("constraints") or {}).items():
                if constraint not in ("required", "unique"):
                    shared = (like.get("constraints") or {}).get(constraint)
                    assert limit != shared, (resource, entry["name"], constraint)
            continue
        if definition is None:
            assert "type" in entry, entry["name"]  # a field of its own, written out in full
            continue
        assert "type" not in entry, (resource, entry["name"])
        for key, value in entry.items():
            if key == "constraints":
                for constraint, limit in value.items():
                    shared = (definition.get("constraints") or {}).get(constraint)
                    assert limit != shared, (resource, entry["name"], constraint)
            elif key != "name":
                assert value != definition.get(key), (resource, entry["name"], key)


def test_the_identifier_facts_are_stored_once() -> None:
    """The edition pattern (eight `edition` columns) and the `source_ref` description (seven
    resources) are stored once; the published schemas still carry them everywhere."""
    shared = (source_dir() / FIELDS_FILE).read_text(encoding="utf-8")
    resources = "".join(
        (source_dir() / RESOURCES_DIR / f"{name}.json").read_text(encoding="utf-8")
        for name in RESOURCES
    )
    published = "".join(
        (schema_dir() / f"{name}.json").read_text(encoding="utf-8") for name in RESOURCES
    )
    edition_pattern = json.dumps("^[0-9]{4}-[0-9]{2}$")
    assert shared.count(edition_pattern) == 1
    # editions.follows_up references `editions` under another name: it is like `edition`
    assert resources.count(edition_pattern) == 0
    assert published.count(edition_pattern) == 9
    # supplements, example_response_id and example_gap_key are like response_id and gap_key
    # (source_id's pattern is also that of `function`, `event_id`…: not counted as text)
    for like, columns in (("response_id", 6), ("gap_key", 5)):
        pattern = json.dumps(SHARED.fields[like]["constraints"]["pattern"])
        assert shared.count(pattern) == 1 and resources.count(pattern) == 0, like
        assert published.count(pattern) == columns, like
    source_ref = json.dumps(SHARED.fields["source_ref"]["description"], ensure_ascii=False)
    assert shared.count(source_ref) == 1 and source_ref not in resources
    assert published.count(source_ref) == 7


# --------------------------------------------------------------------------- overrides


def test_an_override_merges_constraints_and_keeps_the_published_key_order() -> None:
    shared = SharedFields(
        {"code": {"type": "string", "constraints": {"pattern": "^[a-z]+$"}, "example": "ab"}}, {}
    )
    entry = {
        "name": "code",
        "example": None,
        "constraints": {"unique": True, "required": True},
        "description": "The code.",
    }
    field = resolve_field(entry, shared)
    assert json.dumps(field) == json.dumps(
        {
            "name": "code",
            "type": "string",
            "description": "The code.",
            "constraints": {"required": True, "unique": True, "pattern": "^[a-z]+$"},
        }
    )


def test_an_override_that_changes_the_type_fails_clearly(schemas: Path) -> None:
    _edit_resource(schemas, "events", lambda data: _entry(data, "edition").update(type="date"))
    message = _problems(schemas)
    assert "the field 'edition' of schema/src/resources/events.json has type 'date'" in message
    assert "shared definition in schema/src/fields.json has 'string'" in message
    assert "homonyms" in message  # what to do when the columns really differ


def test_an_override_that_repeats_the_shared_definition_fails(schemas: Path) -> None:
    pattern = SHARED.fields["edition"]["constraints"]["pattern"]
    _edit_resource(
        schemas, "gaps", lambda data: _entry(data, "edition")["constraints"].update(pattern=pattern)
    )
    _edit_resource(schemas, "gaps", lambda data: _entry(data, "notes").update(type="string"))
    message = _problems(schemas)
    assert "'edition' of schema/src/resources/gaps.json repeats `constraints.pattern`" in message
    assert "'notes' of schema/src/resources/gaps.json repeats `type`" in message


def test_removing_what_the_shared_definition_does_not_have_fails(schemas: Path) -> None:
    _edit_resource(schemas, "gaps", lambda data: _entry(data, "notes").update(example=None))
    assert "removes `example` (null), which its shared definition does not have" in _problems(
        schemas
    )


def test_a_misspelt_shared_field_is_not_taken_for_a_field_of_its_own(schemas: Path) -> None:
    _edit_resource(schemas, "gaps", lambda data: _entry(data, "gap_key").update(name="gapkey"))
    assert "'gapkey' of schema/src/resources/gaps.json has no type and no shared" in _problems(
        schemas
    )


def test_a_field_without_a_description_fails(schemas: Path) -> None:
    def strip(data: dict) -> None:
        del _entry(data, "edition")["description"]

    _edit_resource(schemas, "gaps", strip)
    assert "'edition' of schema/src/resources/gaps.json has no description" in _problems(schemas)


def test_a_field_written_out_in_two_resources_must_be_shared(schemas: Path) -> None:
    place = _entry(SOURCES["stated_quantities"], "place")
    _edit_resource(schemas, "key_figures", lambda data: data["fields"].append(dict(place)))
    assert "stated_quantities, key_figures each define the field 'place' in full" in _problems(
        schemas
    )


def test_a_homonym_that_means_the_same_must_be_shared(schemas: Path) -> None:
    def same_unit(data: dict) -> None:
        _entry(data, "unit")["constraints"] = dict(
            _entry(SOURCES["stated_quantities"], "unit")["constraints"]
        )

    _edit_resource(schemas, "key_figures", same_unit)
    assert "'unit' is listed under `homonyms`, but" in _problems(schemas)


def test_a_shared_field_of_one_resource_is_stale(schemas: Path) -> None:
    _edit_fields(
        schemas,
        lambda data: data["fields"].append({"name": "lonely", "type": "string"}),
    )
    _edit_resource(
        schemas, "gaps", lambda data: data["fields"].append({"name": "lonely", "description": "x"})
    )
    assert "the shared field 'lonely' is used by gaps only" in _problems(schemas)


def test_every_problem_is_listed_at_once(schemas: Path) -> None:
    _edit_resource(schemas, "events", lambda data: _entry(data, "edition").update(type="date"))
    _edit_resource(schemas, "gaps", lambda data: _entry(data, "notes").update(example=None))
    message = _problems(schemas)
    assert "nothing was generated" in message
    assert "events.json has type 'date'" in message and "removes `example`" in message


def test_a_key_written_twice_in_a_source_fails(schemas: Path) -> None:
    path = schemas / "src" / RESOURCES_DIR / "gaps.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"name": "notes",', '"name": "notes",\n"name": "notes",', 1))
    assert "the key 'name' appears twice" in _problems(schemas)


def test_a_source_without_a_resource_and_a_resource_without_a_source_fail(schemas: Path) -> None:
    folder = schemas / "src" / RESOURCES_DIR
    (folder / "gaps.json").rename(folder / "gapz.json")
    message = _problems(schemas)
    assert "schema/src/resources/gapz.json is not a resource of schema/package.json" in message
    assert "the resource 'gaps' has no source" in message


def test_the_shared_definitions_refuse_unknown_keys_and_double_definitions(schemas: Path) -> None:
    def break_file(data: dict) -> None:
        data["field"] = []
        data["fields"].append(dict(data["fields"][0]))
        data["homonyms"]["notes"] = "also shared"

    _edit_fields(schemas, break_file)
    with pytest.raises(PalliativDataError) as caught:
        load_shared_fields(schemas)
    message = str(caught.value)
    assert "unknown key 'field'" in message
    assert "the field 'region_code' is defined twice" in message
    assert "'notes' is both a shared field and a homonym" in message


# --------------------------------------------------------------------------- like


def _key_pairs(sources: dict, resource: str) -> list[tuple[str, str, str]]:
    """(field, referenced resource, referenced field) for each column of each foreign key."""
    pairs = []
    for key in sources[resource].get("foreignKeys", []):
        reference = key["reference"]
        fields, references = key["fields"], reference["fields"]
        fields = [fields] if isinstance(fields, str) else fields
        references = [references] if isinstance(references, str) else references
        target = reference.get("resource") or resource  # none: the resource itself
        pairs += [(f, target, r) for f, r in zip(fields, references, strict=True)]
    return pairs


def _like_drift(sources: dict) -> list[str]:
    """Where `like` and the foreign keys disagree: a field like a shared field references
    that very column (the shared field's own, in the referenced resource), and a foreign key
    under another name to a shared field is like it."""
    problems = []
    for resource, source in sources.items():
        likes = {entry["name"]: entry["like"] for entry in source["fields"] if "like" in entry}
        pairs = _key_pairs(sources, resource)
        for name, like in likes.items():
            targets = [(target, ref) for field, target, ref in pairs if field == name]
            if not targets or any(ref != like for _, ref in targets):
                problems.append(f"{resource}.{name} is like {like!r} but references {targets}")
            for target, ref in targets:
                columns = [e for e in sources[target]["fields"] if e["name"] == ref]
                if not columns or "like" in columns[0]:
                    problems.append(f"{target} has no column {ref!r} of its own")
        problems += [
            f"{resource}.{field} references the shared {ref!r} but is not like it"
            for field, _, ref in pairs
            if field != ref and ref in SHARED.fields and likes.get(field) != ref
        ]
    return problems


def test_like_and_the_foreign_keys_agree() -> None:
    assert _like_drift(SOURCES) == []
    assert LIKES == {
        ("editions", "published_in"): "source_id",
        ("editions", "transcribed_from"): "source_id",
        ("editions", "follows_up"): "edition",
        ("gap_statements", "region_status"): "stance",
        ("key_figures", "attributed_to"): "source_id",
        ("responses", "supplements"): "response_id",
        ("stances", "example_response_id"): "response_id",
        ("stances", "example_gap_key"): "gap_key",
    }


def test_a_like_that_drifts_from_the_foreign_keys_is_found() -> None:
    sources = json.loads(json.dumps(SOURCES))
    _entry(sources["stances"], "example_gap_key")["like"] = "response_id"
    assert _like_drift(sources) == [
        "stances.example_gap_key is like 'response_id' but references [('gap_answers', 'gap_key')]",
        "stances.example_gap_key references the shared 'gap_key' but is not like it",
    ]
    _entry(sources["stances"], "example_gap_key")["like"] = "gap_key"
    _entry(sources["events"], "event_id")["like"] = "edition"  # no foreign key
    _entry(sources["editions"], "follows_up")["like"] = "follows_up"  # a column like itself
    assert _like_drift(sources) == [
        "editions.follows_up is like 'follows_up' but references [('editions', 'edition')]",
        "editions.follows_up references the shared 'edition' but is not like it",
        "events.event_id is like 'edition' but references []",
    ]


def test_like_gives_the_values_not_what_belongs_to_the_column() -> None:
    shared = SharedFields(
        {
            "code": {
                "type": "string",
                "description": "The code.",
                "format": "email",
                "constraints": {"required": True, "unique": True, "maxLength": 9, "pattern": "x"},
                "example": "ab",
            }
        },
        {},
    )
    field = resolve_field({"name": "ref", "like": "code", "description": "A ref."}, shared)
    assert json.dumps(field) == json.dumps(
        {
            "name": "ref",
            "type": "string",
            "description": "A ref.",
            "format": "email",
            "constraints": {"maxLength": 9, "pattern": "x"},
        }
    )


def test_like_must_name_a_shared_field(schemas: Path) -> None:
    def misspell(data: dict) -> None:
        _entry(data, "follows_up")["like"] = "editon"
        _entry(data, "published_in")["like"] = ["source_id"]

    _edit_resource(schemas, "editions", misspell)
    message = _problems(schemas)
    assert (
        "the field 'follows_up' of schema/src/resources/editions.json is `like` \"editon\", "
        "which is not a shared field in schema/src/fields.json"
    ) in message
    assert "'published_in' of schema/src/resources/editions.json is `like` [\"source_id\"]" in (
        message
    )


def test_like_on_a_field_with_a_shared_definition_fails(schemas: Path) -> None:
    _edit_resource(schemas, "gaps", lambda data: _entry(data, "gap_key").update(like="gap_key"))
    assert "'gap_key' of schema/src/resources/gaps.json has `like`, but the field has a shared" in (
        _problems(schemas)
    )


def test_a_like_whose_type_changes_fails(schemas: Path) -> None:
    _edit_resource(
        schemas, "responses", lambda data: _entry(data, "supplements").update(type="integer")
    )
    message = _problems(schemas)
    assert (
        "the field 'supplements' of schema/src/resources/responses.json has type 'integer', but "
        "it is `like` 'response_id', whose type in schema/src/fields.json is 'string'"
    ) in message
    assert "drop `like`" in message


def test_an_override_that_repeats_what_like_gives_fails(schemas: Path) -> None:
    pattern = SHARED.fields["edition"]["constraints"]["pattern"]

    def repeat(data: dict) -> None:
        _entry(data, "follows_up")["constraints"] = {"pattern": pattern}
        _entry(data, "published_in")["type"] = "string"

    _edit_resource(schemas, "editions", repeat)
    message = _problems(schemas)
    assert (
        "'follows_up' of schema/src/resources/editions.json repeats `constraints.pattern`, "
        "which `like` 'edition' gives"
    ) in message
    assert "'published_in' of schema/src/resources/editions.json repeats `type`, which" in message


def test_like_does_not_give_what_it_could_remove(schemas: Path) -> None:
    _edit_resource(
        schemas,
        "responses",
        lambda data: _entry(data, "supplements").update(constraints={"required": None}),
    )
    assert (
        "'supplements' of schema/src/resources/responses.json removes `constraints.required` "
        "(null), which `like` 'response_id' does not give"
    ) in _problems(schemas)


def test_a_field_like_a_shared_field_counts_as_a_use(schemas: Path) -> None:
    """source_id has one column of its name (sources); the fields like it make it shared."""

    def write_out(data: dict) -> None:
        for entry in data["fields"]:
            if entry.get("like") == "source_id":
                del entry["like"]
                entry["type"] = "string"
                entry["constraints"]["pattern"] = "^[a-z0-9_]+$"

    _edit_resource(schemas, "editions", write_out)
    build_table_schemas(schemas)  # key_figures.attributed_to is still like source_id
    _edit_resource(schemas, "key_figures", write_out)
    assert "the shared field 'source_id' is used by sources only" in _problems(schemas)


def test_a_homonym_like_a_shared_field_means_what_it_is_like(schemas: Path) -> None:
    def declare(data: dict) -> None:
        data["homonyms"]["example_gap_key"] = "a test"

    def write_out(data: dict) -> None:
        data["fields"].append(
            {
                "name": "example_gap_key",
                "type": "string",
                "description": "A gap.",
                "constraints": {"pattern": SHARED.fields["gap_key"]["constraints"]["pattern"]},
            }
        )

    _edit_fields(schemas, declare)
    _edit_resource(schemas, "gaps", write_out)
    assert "'example_gap_key' is listed under `homonyms`, but stances, gaps give it the same" in (
        _problems(schemas)
    )


# --------------------------------------------------------------------------- data version


def test_a_changed_shared_field_needs_a_version_bump_and_nothing_is_written(
    schemas: Path,
) -> None:
    package = schemas.parent / "datapackage"
    package.mkdir()
    for name in ("fingerprint.json",):
        shutil.copy(versioning.fingerprint_path(), package / name)
    shutil.copytree(versioning.bundled_package_dir() / "data", package / "data")
    assert versioning.render_fingerprint_update(schemas, package, RELEASED)[1] == (
        versioning.fingerprint_path().read_text(encoding="utf-8")
    )

    def reword(data: dict) -> None:
        _shared(data, "source_ref")["description"] = "Where the record comes from."

    _edit_fields(schemas, reword)
    before = {path.name: path.read_bytes() for path in schemas.glob("*.json")}
    with pytest.raises(VersionError) as caught:
        versioning.render_fingerprint_update(schemas, package, RELEASED)
    assert "schema/gaps.json" in caught.value.changed_files
    assert "schema/src/fields.json" not in caught.value.changed_files
    assert {path.name: path.read_bytes() for path in schemas.glob("*.json")} == before


# --------------------------------------------------------------------------- texts in two languages

SV = "x-translations"


def _sv(item: dict) -> dict:
    return item.setdefault(SV, {}).setdefault("sv", {})


def test_every_field_and_table_has_its_title_and_description_in_english_and_swedish() -> None:
    """What the Swedish data dictionary is generated from exists for every column and table."""
    package = read_json(schema_dir() / "package.json")
    for entry in package["resources"]:
        assert entry["title"] and entry[SV]["sv"]["title"], entry["name"]
    for name in RESOURCES:
        schema = load_table_schema(name)
        assert schema["description"] and schema[SV]["sv"]["description"], name
        for field in schema["fields"]:
            where = (name, field["name"])
            assert field["title"] and field["description"], where
            assert field[SV]["sv"]["title"] and field[SV]["sv"]["description"], where
            assert field[SV]["sv"]["description"] != field["description"], where


def test_the_descriptor_gives_each_table_its_swedish_title_and_description() -> None:
    built = descriptor.build_descriptor()
    package = read_json(schema_dir() / "package.json")
    for entry, resource in zip(package["resources"], built["resources"], strict=True):
        assert resource[SV] == {
            "sv": {
                "title": entry[SV]["sv"]["title"],
                "description": resource["schema"][SV]["sv"]["description"],
            }
        }


def test_translations_merge_key_by_key_in_the_published_order() -> None:
    shared = SharedFields(
        {
            "code": {
                "type": "string",
                "title": "Code",
                SV: {"sv": {"title": "Kod"}},
                "constraints": {"required": True},
            }
        },
        {},
    )
    entry = {
        "name": "code",
        "constraints": {"unique": True},
        SV: {"sv": {"description": "Koden."}},
        "description": "The code.",
    }
    assert json.dumps(resolve_field(entry, shared), ensure_ascii=False) == json.dumps(
        {
            "name": "code",
            "type": "string",
            "title": "Code",
            "description": "The code.",
            SV: {"sv": {"title": "Kod", "description": "Koden."}},
            "constraints": {"required": True, "unique": True},
        },
        ensure_ascii=False,
    )


def test_a_field_without_a_swedish_text_is_refused_with_file_and_field(schemas: Path) -> None:
    _edit_resource(schemas, "gaps", lambda data: _sv(_entry(data, "edition")).pop("description"))
    _edit_resource(schemas, "gaps", lambda data: _sv(_entry(data, "sub_area")).pop("title"))
    message = _problems(schemas)
    assert (
        "the field 'edition' of schema/src/resources/gaps.json has no Swedish description "
        "(`x-translations.sv.description`)" in message
    )
    assert (
        "the field 'sub_area' of schema/src/resources/gaps.json has no Swedish title "
        "(`x-translations.sv.title`)" in message
    )
    assert "nothing was generated" in message


def test_a_shared_field_without_a_title_fails_in_every_resource_that_has_it(schemas: Path) -> None:
    _edit_fields(schemas, lambda data: _shared(data, "edition").pop("title"))
    message = _problems(schemas)
    users = [
        name for name in RESOURCES if any(e["name"] == "edition" for e in SOURCES[name]["fields"])
    ]
    assert len(users) >= 4
    for name in users:
        assert f"the field 'edition' of schema/src/resources/{name}.json has no title" in message


def test_an_english_override_needs_its_swedish_beside_it(schemas: Path) -> None:
    """regions.region_code overrides the shared English description: the Swedish one too."""
    _edit_resource(
        schemas, "regions", lambda data: _sv(_entry(data, "region_code")).pop("description")
    )
    message = _problems(schemas)
    assert (
        "the field 'region_code' of schema/src/resources/regions.json overrides `description` "
        "but not `x-translations.sv.description`" in message
    )


def test_a_swedish_override_needs_its_english_beside_it(schemas: Path) -> None:
    _edit_resource(schemas, "gaps", lambda data: _sv(_entry(data, "edition")).update(title="Lista"))
    message = _problems(schemas)
    assert (
        "the field 'edition' of schema/src/resources/gaps.json overrides "
        "`x-translations.sv.title` but not `title`" in message
    )


def test_a_swedish_text_that_repeats_the_shared_one_fails(schemas: Path) -> None:
    shared_title = SHARED.fields["edition"][SV]["sv"]["title"]
    _edit_resource(
        schemas,
        "gaps",
        lambda data: (
            _entry(data, "edition").update(title="Edition"),
            _sv(_entry(data, "edition")).update(title=shared_title),
        ),
    )
    message = _problems(schemas)
    assert "'edition' of schema/src/resources/gaps.json repeats `title`" in message


def test_translations_hold_only_known_languages_and_texts(schemas: Path) -> None:
    _edit_resource(
        schemas, "gaps", lambda data: _entry(data, "part")[SV].update(fi={"title": "Osa"})
    )
    _edit_resource(
        schemas, "regions", lambda data: _sv(_entry(data, "aliases")).update(example="Sörmland")
    )
    message = _problems(schemas)
    assert "the field 'part' of schema/src/resources/gaps.json has `x-translations.fi`" in message
    assert (
        "the field 'aliases' of schema/src/resources/regions.json has `x-translations.sv` other "
        "than texts for title and description" in message
    )


def test_a_table_without_its_swedish_title_or_description_fails(schemas: Path) -> None:
    _edit_resource(schemas, "events", lambda data: data.pop(SV))

    def drop_title(data: dict) -> None:
        next(r for r in data["resources"] if r["name"] == "gaps").pop(SV)

    _edit(schemas / "package.json", drop_title)
    message = _problems(schemas)
    assert "schema/src/resources/events.json has no `x-translations.sv.description`" in message
    assert "the resource 'gaps' of schema/package.json has no `x-translations.sv.title`" in message


def test_the_generated_schemas_pass_the_data_package_v2_profile() -> None:
    """``x-translations`` and ``title`` on fields and tables are allowed by the v2 profile."""
    jsonschema = pytest.importorskip("jsonschema")
    profile = pytest.importorskip("dplib").__path__[0] + "/profiles/2.0/tableschema.json"
    schema = read_json(Path(profile))
    validator = jsonschema.validators.validator_for(schema)(schema)
    for name in RESOURCES:
        errors = [error.message for error in validator.iter_errors(load_table_schema(name))]
        assert errors == [], (name, errors)
