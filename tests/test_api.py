"""The public API: load(), Package look-ups and filters, tables, extras, exports, the wheel."""

from __future__ import annotations
import __future__

import dataclasses
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest
from pydantic import BaseModel

import palliativ_data as pdata
from palliativ_data import _errors, _models
from palliativ_data._lookup import normalise
from palliativ_data._paths import bundled_package_dir, repo_root, schema_dir
from palliativ_data._schema import arrow_schemas, csv_reader
from palliativ_data._schema.tableschema import load_table_schema, resource_names

RESOURCES = resource_names()


@pytest.fixture(scope="module")
def pkg():
    return pdata.load()


@pytest.fixture
def package_copy(tmp_path):
    """A writable copy of the bundled package, for tests that alter it."""
    target = tmp_path / "package"
    shutil.copytree(bundled_package_dir(), target)
    return target


# ------------------------------------------------------------------------ load


def test_load_bundled_package(pkg):
    descriptor = json.loads((bundled_package_dir() / "datapackage.json").read_text("utf-8"))
    assert pkg.version == descriptor["version"] == pdata.data_version()
    assert pkg.resource_names == tuple(RESOURCES)
    assert len(pkg.regions) == 21


def test_load_folder_and_descriptor_path_give_the_same_package(package_copy):
    by_folder = pdata.load(package_copy)
    by_file = pdata.load(package_copy / "datapackage.json")
    by_text = pdata.load(str(package_copy))
    assert by_folder.path == by_file.path == by_text.path == package_copy.resolve()
    assert by_folder.regions == by_file.regions == pdata.load().regions


def test_load_reads_the_copy_not_the_bundle(package_copy):
    """A changed copy loads as changed: another year's release is another package."""
    descriptor = json.loads((package_copy / "datapackage.json").read_text("utf-8"))
    descriptor["version"] = "99.0.0"
    (package_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    lines = (package_copy / "data" / "regions.csv").read_text("utf-8").splitlines(keepends=True)
    (package_copy / "data" / "regions.csv").write_text("".join(lines[:-1]), encoding="utf-8")
    copy = pdata.load(package_copy)
    assert copy.version == "99.0.0"
    assert len(copy.regions) == 20
    assert copy.table("regions").schema.metadata[arrow_schemas.DATA_VERSION_KEY] == b"99.0.0"


def test_nothing_there_is_package_not_found(tmp_path):
    with pytest.raises(pdata.PackageNotFoundError, match=r"holds no datapackage\.json"):
        pdata.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="Nothing at"):  # also a FileNotFoundError
        pdata.load(tmp_path / "missing")


def test_broken_descriptor_is_a_data_error(tmp_path):
    (tmp_path / "datapackage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(pdata.DataError, match="not valid JSON"):
        pdata.load(tmp_path)
    (tmp_path / "datapackage.json").write_text('{"name": "x"}', encoding="utf-8")
    with pytest.raises(pdata.DataError, match="'resources' list"):
        pdata.load(tmp_path)


def test_bad_row_in_a_copy_is_a_data_error_naming_the_row(package_copy):
    path = package_copy / "data" / "editions.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",inventory,", ",census,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(pdata.DataError) as info:
        _ = pdata.load(package_copy).editions
    assert info.value.resource == "editions"
    assert "census" in str(info.value) and "rows [2]" in str(info.value)


def test_list_editions_matches_the_editions_table(pkg):
    ids = [row["edition"] for row in pkg.table("editions").to_pylist()]
    assert pdata.list_editions() == tuple(sorted(ids))
    assert [edition.edition for edition in pkg.editions] == ids


def test_each_csv_is_read_once(package_copy, monkeypatch):
    calls = []
    original = csv_reader.read_csv_table

    def counting(path, name, **kwargs):
        calls.append(name)
        return original(path, name, **kwargs)

    monkeypatch.setattr(csv_reader, "read_csv_table", counting)
    fresh = pdata.load(package_copy)
    assert calls == []  # loading reads only the descriptor
    fresh.gaps()
    fresh.gaps(edition=fresh.editions[0].edition)
    fresh.table("gaps")
    fresh.to_pandas("gaps")
    assert fresh.table("gaps") is fresh.table("gaps")
    assert fresh.gaps() is fresh.gaps()
    assert sorted(calls) == ["editions", "gaps"]


# ------------------------------------------------------------------------ look-ups

REGION_QUERIES = [
    ("Jämtland Härjedalen", "23"),
    ("Jämtland", "23"),
    ("jamtland", "23"),
    ("JÄMTLAND/HÄRJEDALEN", "23"),
    ("Härjedalen", "23"),
    ("23", "23"),
    (23, "23"),
    ("SE-Z", "23"),
    ("se-z", "23"),
    ("Region Jämtland Härjedalen", "23"),
    ("Region Sörmland", "04"),
    ("Sörmland", "04"),
    ("sormland", "04"),
    ("Södermanland", "04"),
    ("  södermanland ", "04"),
    ("3", "03"),
    ("Stockholm", "01"),
    ("Västra Götaland", "14"),
    ("Västra Götalandsregionen", "14"),
    ("Gävle", "21"),  # the start of exactly one name
]


@pytest.mark.parametrize(("query", "code"), REGION_QUERIES, ids=[str(q) for q, _ in REGION_QUERIES])
def test_region_lookup_tolerates_what_people_type(pkg, query, code):
    assert pkg.region(query).region_code == code


def test_region_lookup_accepts_a_region(pkg):
    region = pkg.regions[5]
    assert pkg.region(region) is region


def _pycountry_subdivisions():
    pycountry = pytest.importorskip("pycountry")
    for sub in pycountry.subdivisions.get(country_code="SE"):
        match = re.match(r"^(.*?)\s*\[SE-(\d{2})\]$", sub.name)
        yield sub.code, (match.group(1) if match else sub.name), (match.group(2) if match else None)


def test_every_iso_code_and_county_name_resolves_as_pycountry_says(pkg):
    """Independent check: pycountry's ISO codes and county names find the right regions."""
    subdivisions = list(_pycountry_subdivisions())
    assert len(subdivisions) == 21
    for iso, county, scb in subdivisions:
        region = pkg.region(iso)
        assert region.iso_3166_2 == iso
        if scb is not None:
            assert region.region_code == scb
        assert pkg.region(county) == region, county


def test_ambiguous_region_lists_the_candidates(pkg):
    expected = {r.region_code for r in pkg.regions if normalise(r.name_source).startswith("vast")}
    assert len(expected) > 1
    with pytest.raises(pdata.AmbiguousNameError) as info:
        pkg.region("Väst")
    assert {label.split()[0] for label in info.value.candidates} == expected
    assert info.value.kind == "region"
    for code in expected:
        assert code in str(info.value)


def test_unknown_region_lists_regions_and_suggests(pkg):
    with pytest.raises(pdata.UnknownNameError) as info:
        pkg.region("Atlantis")
    assert len(info.value.candidates) == 21
    assert "SE-Z" in str(info.value) and "Stockholm" in str(info.value)
    with pytest.raises(pdata.UnknownNameError, match="Did you mean: 23 Jämtland Härjedalen"):
        pkg.region("Jamtlnd")
    with pytest.raises(LookupError):  # the error tree also fits the standard one
        pkg.region("99")


def test_wrong_edition_says_what_exists_and_what_to_do(pkg):
    with pytest.raises(pdata.UnknownNameError) as info:
        pkg.edition("2025-02")
    message = str(info.value)
    assert "use list_editions()" in message.lower()
    for edition in pdata.list_editions():
        assert edition in message
    assert info.value.candidates == pdata.list_editions()


def test_vocabulary_lookups(pkg):
    for function in pkg.functions:
        assert pkg.function(function.function.upper()) == function
    with pytest.raises(pdata.UnknownNameError) as info:
        pkg.function("beds")
    assert set(info.value.candidates) == {f.function for f in pkg.functions}
    for category in pkg.categories:
        assert pkg.category(category.category) == category
    for stance in pkg.stances:
        assert pkg.stance(stance) == stance


# ------------------------------------------------------------------------ filters


def test_gap_filters_partition_the_gaps(pkg):
    gaps = pkg.gaps()
    assert gaps == pkg.records("gaps")
    by_edition = [pkg.gaps(edition=e.edition) for e in pkg.editions]
    assert sum(len(part) for part in by_edition) == len(gaps)
    by_region = [pkg.gaps(region=r) for r in pkg.regions]
    assert sum(len(part) for part in by_region) == len(gaps)
    by_function = [pkg.gaps(function=f.function) for f in pkg.functions]
    assert sum(len(part) for part in by_function) == len(gaps)


def test_gap_filters_combine(pkg):
    for gap in pkg.gaps()[:50]:
        chosen = pkg.gaps(edition=gap.edition, region=gap.region_code, function=gap.function)
        assert gap in chosen
        assert all(
            (g.edition, g.region_code, g.function) == (gap.edition, gap.region_code, gap.function)
            for g in chosen
        )
    jamtland = pkg.gaps(region="Jämtland")
    assert jamtland == pkg.gaps(region="SE-Z") == pkg.gaps(region=23)
    assert all(gap.region_code == "23" for gap in jamtland)


def test_filters_reject_unknown_names(pkg):
    with pytest.raises(pdata.UnknownNameError, match="list_editions"):
        pkg.gaps(edition="1999-01")
    with pytest.raises(pdata.UnknownNameError, match="No function"):
        pkg.gaps(function="beds")
    with pytest.raises(pdata.AmbiguousNameError):
        pkg.gaps(region="Väst")
    with pytest.raises(pdata.UnknownNameError, match="No category"):
        pkg.classifications(category="good")


def test_classification_response_and_answer_filters(pkg):
    for category in pkg.categories:
        rows = pkg.classifications(category=category.category)
        assert all(row.category == category.category for row in rows)
    assert sum(len(pkg.classifications(region=r)) for r in pkg.regions) == len(
        pkg.classifications()
    )
    for region in pkg.regions:
        ids = {response.response_id for response in pkg.responses(region=region)}
        answers = pkg.gap_answers(region=region)
        assert {answer.response_id for answer in answers} <= ids
    assert sum(len(pkg.gap_answers(region=r)) for r in pkg.regions) == len(pkg.gap_answers())
    for answer in pkg.gap_answers()[:20]:
        assert answer in pkg.gap_answers(gap_key=answer.gap_key, stance=answer.stance)
        assert answer in pkg.gap_answers(response=answer.response_id, edition=answer.edition)


# ------------------------------------------------------------------------ tables


@pytest.mark.parametrize("name", RESOURCES)
def test_table_has_the_schema_from_schema_dir(pkg, name):
    table = pkg.table(name)
    expected = arrow_schemas.arrow_schema(name)
    assert table.schema.equals(expected, check_metadata=False)
    table_schema = load_table_schema(name)
    for field in table_schema["fields"]:
        arrow_field = table.schema.field(field["name"])
        assert arrow_field.metadata[b"description"].decode() == field["description"]
        if "enum" in field.get("constraints", {}):
            assert pa.types.is_dictionary(arrow_field.type), field["name"]
            dictionary = table.column(field["name"]).chunk(0).dictionary if table.num_rows else None
            if dictionary is not None:
                assert dictionary.to_pylist() == field["constraints"]["enum"]
    assert table.schema.metadata[b"description"].decode() == table_schema["description"]
    assert table.schema.metadata[arrow_schemas.DATA_VERSION_KEY].decode() == pkg.version


def test_unknown_table_lists_names(pkg):
    with pytest.raises(pdata.UnknownNameError) as info:
        pkg.table("gapz")
    assert list(info.value.candidates) == RESOURCES
    assert "gaps" in str(info.value)


def test_to_pandas_and_to_polars(pkg):
    pytest.importorskip("pandas")
    polars = pytest.importorskip("polars")
    frame = pkg.to_pandas("gaps")
    assert len(frame) == pkg.table("gaps").num_rows
    assert str(frame["sub_area"].dtype) == "category"
    pl_frame = pkg.to_polars("regions")
    assert pl_frame.height == 21 and pl_frame["name_source"].to_list() == [
        r.name_source for r in pkg.regions
    ]
    assert isinstance(pl_frame, polars.DataFrame)


@pytest.mark.parametrize(("method", "extra"), [("to_pandas", "pandas"), ("to_polars", "polars")])
def test_missing_extra_says_what_to_install(pkg, monkeypatch, method, extra):
    monkeypatch.setitem(sys.modules, extra, None)  # makes `import extra` raise ImportError
    with pytest.raises(pdata.MissingExtraError) as info:
        getattr(pkg, method)("regions")
    assert f"pip install 'palliativ-data[{extra}]'" in str(info.value)
    assert info.value.extra == extra
    assert isinstance(info.value, ImportError)


# ------------------------------------------------------------------------ public surface


def test_all_matches_the_namespace():
    namespace = {name: getattr(pdata, name) for name in dir(pdata)}
    public = {name for name in namespace if not name.startswith("_")}
    public -= {
        name
        for name, value in namespace.items()
        if isinstance(value, (type(sys), __future__._Feature))
    }
    assert set(pdata.__all__) == public | {"__version__"}
    assert len(pdata.__all__) == len(set(pdata.__all__))
    for name in pdata.__all__:
        assert getattr(pdata, name) is not None


def test_every_error_and_model_is_exported():
    errors = {
        name
        for name, value in vars(_errors).items()
        if isinstance(value, type) and issubclass(value, _errors.PalliativDataError)
    }
    assert errors <= set(pdata.__all__)
    models = {model.__name__ for model in _models.MODELS.values()} | {"Record"}
    assert models <= set(pdata.__all__)
    for name in errors | models:
        defined = getattr(_errors, name, None) or getattr(_models, name)
        assert getattr(pdata, name) is defined


def test_public_classes_show_their_public_name():
    classes = [getattr(pdata, name) for name in pdata.__all__]
    classes = [value for value in classes if isinstance(value, type)]
    assert len(classes) > 20
    for cls in classes:
        assert cls.__module__ == "palliativ_data", cls
    assert repr(pdata.UnknownNameError) == "<class 'palliativ_data.UnknownNameError'>"


def _classes_met(value: object, found: set[type], seen: set[int]) -> None:
    """The classes of palliativ_data met walking ``value``: its fields, public properties, items."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            _classes_met(item, found, seen)
        return
    if isinstance(value, dict):
        for item in value.values():
            _classes_met(item, found, seen)
        return
    cls = type(value)
    if not cls.__module__.startswith("palliativ_data"):
        return
    found.add(cls)
    if isinstance(value, BaseModel):
        names = list(cls.model_fields)
    elif dataclasses.is_dataclass(value):
        names = [field.name for field in dataclasses.fields(value)]
    else:
        names = []
    names += [
        name
        for name, member in inspect.getmembers(cls)
        if isinstance(member, property) and not name.startswith("_")
    ]
    for name in names:
        _classes_met(getattr(value, name), found, seen)


def test_every_class_a_user_meets_is_public(pkg, package_copy, tmp_path):
    """What compare, validate and new_edition return, all the way down, is in ``__all__``."""
    gaps = package_copy / "data" / "gaps.csv"
    gaps.write_text(gaps.read_text(encoding="utf-8") + "not,a,gap\n", encoding="utf-8")
    report = pdata.validate(package_copy)
    assert not report.valid
    found: set[type] = set()
    for value in (
        pkg.compare("2026-02", "2026-06"),
        report,
        pdata.new_edition("2027-02", "2026-06", out=tmp_path / "worksheet"),
    ):
        _classes_met(value, found, set())
    names = {cls.__name__ for cls in found}
    expected = {"Comparison", "RegionComparison", "GapChange", "GapAnswerNote", "NewEdition"}
    assert expected | {"Problem", "ValidationReport"} <= names  # the walk reaches them
    for cls in found:
        assert cls.__name__ in pdata.__all__, cls
        assert getattr(pdata, cls.__name__) is cls
        assert cls.__module__ == "palliativ_data", cls


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_public_class_and_function_is_on_the_api_page(lang):
    text = (Path(__file__).resolve().parent.parent / "docs" / lang / "api.md").read_text("utf-8")
    documented = set(re.findall(r"^::: palliativ_data\.(\w+)$", text, flags=re.MULTILINE))
    documented |= set(re.findall(r"^ +- (\w+)$", text, flags=re.MULTILINE))  # members lists
    assert "::: palliativ_data._errors\n" in text  # the whole exception tree
    documented |= {
        name
        for name, value in vars(_errors).items()
        if isinstance(value, type) and issubclass(value, _errors.PalliativDataError)
    }
    public = {
        name
        for name in pdata.__all__
        if inspect.isclass(getattr(pdata, name)) or inspect.isfunction(getattr(pdata, name))
    }
    assert {"Comparison", "GapChange", "load", "compare"} <= public
    assert sorted(public - documented) == []


def test_the_import_check_sees_what_code_imports(modules_after):
    """The helper behind every "does not import" check can fail: it sees an import."""
    assert "csv" in modules_after("import csv")
    assert "palliativ_data" in modules_after("import palliativ_data")


def test_import_is_light(modules_after):
    heavy = {"frictionless", "pandas", "polars", "rich", "jsonschema", "pyarrow"}
    assert not heavy & modules_after("import palliativ_data")


def test_reading_every_table_and_record_does_not_import_pandas(modules_after):
    """pyarrow imports pandas behind some calls when it is installed; loading must avoid them."""
    pytest.importorskip("pandas")  # the check means something only where pandas is installed
    code = (
        "import palliativ_data as p\npkg = p.load()\n[pkg.records(n) for n in pkg.resource_names]"
    )
    assert not {"pandas", "polars", "frictionless"} & modules_after(code)


# ------------------------------------------------------------------------ the wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    if repo_root() is None:
        pytest.skip("needs a source checkout")
    builders = pytest.importorskip(
        "hatchling.builders.wheel", reason="hatchling is in the test extra"
    )
    out = tmp_path_factory.mktemp("wheel")
    (path,) = builders.WheelBuilder(str(repo_root())).build(
        directory=str(out), versions=["standard"]
    )
    return Path(path)


def test_wheel_carries_the_package_and_schema_byte_identical(wheel):
    expected = {}
    for folder, prefix in ((bundled_package_dir(), "datapackage"), (schema_dir(), "schema")):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                expected[f"palliativ_data/_data/{prefix}/{path.relative_to(folder).as_posix()}"] = (
                    path
                )
    assert any(name.endswith(".csv") for name in expected)
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if name.startswith("palliativ_data/_data/")}
        assert shipped == set(expected)
        for name, path in expected.items():
            assert archive.read(name) == path.read_bytes(), name
        assert "palliativ_data/_models.py" in archive.namelist()


def test_wheel_loads_its_own_data_from_another_directory(wheel, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    code = (
        "import json, palliativ_data as p\n"
        "pkg = p.load()\n"
        "print(json.dumps([p.__file__, str(pkg.path), len(pkg.regions), pkg.regions[0].region_code]))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    module_file, package_path, count, first = json.loads(out.stdout)
    assert Path(module_file).is_relative_to(site)
    assert Path(package_path) == site / "palliativ_data" / "_data" / "datapackage"
    assert (count, first) == (21, pdata.load().regions[0].region_code)


def test_errors_keep_their_context_as_attributes():
    error = pdata.DataError("bad", resource="gaps", problems=["row 2", "row 3"])
    assert (error.resource, error.path, error.problems) == ("gaps", None, ("row 2", "row 3"))
    assert error.cli_message == "bad" and str(error) == "bad"
    lookup = pdata.UnknownNameError("no", cli="none", kind="region", candidates=iter(["01"]))
    assert (lookup.kind, lookup.query, lookup.candidates, lookup.cli_message) == (
        "region",
        None,
        ("01",),
        "none",
    )
    assert str(pdata.OutputExistsError("exists", paths=["a"])) == "exists"
    with pytest.raises(TypeError, match="problems"):  # a keyword the class does not have
        pdata.ArgumentError("x", problems=["y"])


def test_compare_calls_the_package_method_with_the_old_package(package_copy):
    old, new = pdata.load(), pdata.load(package_copy)
    by_function = pdata.compare(old, new, "2026-02", "2026-06", region="Jämtland")
    by_method = new.compare("2026-02", "2026-06", region="Jämtland", old_package=old)
    assert by_function == by_method
    assert by_method.gaps and by_method.regions[0].region_code == "23"
