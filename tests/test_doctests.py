"""Run the doctests of every module of the library.

``--doctest-modules`` only collects the files under ``testpaths`` (``tests/``), so the examples
in the docstrings of ``src/palliativ_data`` are run here, one test per module.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import palliativ_data

MODULES = sorted(
    ["palliativ_data"]
    + [
        info.name
        for info in pkgutil.walk_packages(palliativ_data.__path__, prefix="palliativ_data.")
        if info.name != "palliativ_data.__main__"
    ]
)


NEEDS = {"palliativ_data._mkdocs_hook": "mkdocs"}
"""Modules that import an extra's package at the top (the docs extra's MkDocs): their examples
run where it is installed (the main CI run), not in the lowest-versions run of the library."""


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name):
    if module_name in NEEDS:
        pytest.importorskip(NEEDS[module_name], reason="the docs extra: pip install -e '.[docs]'")
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, module_name):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, f"{results.failed} doctest example(s) failed in {module_name}"
