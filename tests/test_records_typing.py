"""The typed record attributes of :class:`Package` (``pkg.regions``, ``pkg.editions``…).

They are one descriptor (``_package._Records``), not eight properties; these tests hold it to
what the properties promised: the same records, read-only, typed for mypy as
``tuple[Model, ...]``, and each with its own docstring in the API reference.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import palliativ_data
from palliativ_data import _models
from palliativ_data._package import Package

REPO = Path(palliativ_data.__file__).resolve().parent.parent.parent

RECORD_ATTRIBUTES = {  # attribute (= resource) of Package: the model of its records
    "editions": "Edition",
    "regions": "Region",
    "healthcare_regions": "HealthcareRegion",
    "region_healthcare_regions": "RegionHealthcareRegion",
    "sources": "Source",
    "functions": "Function",
    "categories": "Category",
    "stances": "Stance",
}


@pytest.mark.parametrize("name", RECORD_ATTRIBUTES)
def test_a_record_attribute_is_the_cached_records_of_its_resource(name: str) -> None:
    pkg = palliativ_data.load()
    records = getattr(pkg, name)
    assert isinstance(records, tuple) and records
    assert records is pkg.records(name)  # read once, the same tuple
    assert {type(record).__name__ for record in records} == {RECORD_ATTRIBUTES[name]}
    assert _models.MODELS[name].__name__ == RECORD_ATTRIBUTES[name]


def test_record_attributes_are_read_only() -> None:
    pkg = palliativ_data.load()
    with pytest.raises(AttributeError, match="'regions' of 'Package' object has no setter"):
        pkg.regions = ()  # type: ignore[assignment]
    with pytest.raises(AttributeError, match="'regions' of 'Package' object has no deleter"):
        del pkg.regions
    assert len(pkg.regions) == 21


def test_mypy_sees_each_record_attribute_as_a_tuple_of_its_model(tmp_path: Path) -> None:
    """With the project's mypy settings (strict), ``load().regions`` is
    ``tuple[Region, ...]``, not ``Any`` nor the descriptor, and assigning to it is an error."""
    mypy = Path(sys.executable).parent / "mypy"
    if not mypy.exists():
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    probe = tmp_path / "probe.py"
    lines = ["import palliativ_data", "pkg = palliativ_data.load()"]
    lines += [f"reveal_type(pkg.{name})" for name in RECORD_ATTRIBUTES]
    lines += ["reveal_type(pkg.regions[0].region_code)", "pkg.regions = ()"]
    probe.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [str(mypy), str(probe)], cwd=REPO, capture_output=True, text=True, check=False
    )
    revealed = [  # older mypy versions spell builtins.tuple / builtins.str
        line.split("Revealed type is ", 1)[1].replace("builtins.", "")
        for line in done.stdout.splitlines()
        if "Revealed type is" in line
    ]
    expected = [
        f'"tuple[palliativ_data._models.{model}, ...]"' for model in RECORD_ATTRIBUTES.values()
    ]
    assert revealed[:-1] == expected, done.stdout + done.stderr
    assert revealed[-1] == '"str"', done.stdout
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and f"probe.py:{len(lines)}:" in errors[0], done.stdout


def test_each_record_attribute_has_its_docstring_in_the_api_reference() -> None:
    """mkdocstrings reads the package with griffe: each attribute keeps its own docstring."""
    griffe = pytest.importorskip("griffe", reason="griffe comes with the docs extra")
    package = griffe.load("palliativ_data", search_paths=[str(REPO / "src")])
    members = package["Package"].members
    docstrings = {name: members[name].docstring for name in RECORD_ATTRIBUTES}
    missing = [name for name, docstring in docstrings.items() if docstring is None]
    assert not missing, f"no docstring for {missing}"
    texts = [docstring.value for docstring in docstrings.values()]
    assert len(set(texts)) == len(texts), "two record attributes share a docstring"
    assert docstrings["regions"].value == "The 21 regions, in file order (by SCB code)."


def test_every_record_attribute_is_listed_here() -> None:
    """A new record attribute of Package is tested above as soon as it exists."""
    declared = [
        name
        for name, value in vars(Package).items()
        if type(value).__name__ == "_Records" or isinstance(value, property)
        if name not in {"version", "path", "descriptor", "resource_names"}
    ]
    assert declared == list(RECORD_ATTRIBUTES)
