"""The version of palliativ-data: one number for the Python package and the data.

It is ``version`` in ``schema/package.json`` (bundled in the wheel as ``_data/schema/``); the
wheel's metadata takes the same number (``hatch_build.py``), so ``palliativ_data.__version__``,
``palliativ_data.data_version()``, the release ``palliativ-data-X.Y.Z.zip`` and the tag
``vX.Y.Z`` are one number (see docs/en/release.md, "Versions").
"""

from __future__ import annotations

import json

from ._paths import schema_dir


def package_version() -> str:
    """``version`` of ``schema/package.json`` (a 3 kB read; no JSON library beyond ``json``)."""
    with (schema_dir() / "package.json").open(encoding="utf-8") as handle:
        return str(json.load(handle)["version"])


__version__ = package_version()
