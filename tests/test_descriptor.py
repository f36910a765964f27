"""The published descriptor is generated from schema/ and must not drift from it."""

from palliativ_data._authoring.descriptor import render_descriptor
from palliativ_data._paths import bundled_package_dir


def test_datapackage_json_is_generated_from_schema():
    on_disk = (bundled_package_dir() / "datapackage.json").read_text(encoding="utf-8")
    assert on_disk == render_descriptor(), "run `palliativ-data generate` and commit the result"
