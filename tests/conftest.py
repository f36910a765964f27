"""Fixtures shared by the test modules."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest


def modules_after_code(code: str, *args: str) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code`` (with ``args``)."""
    script = f"{code}\nimport sys as _s, json as _j\nprint(_j.dumps(sorted(_s.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="session")
def modules_after() -> Callable[..., set[str]]:
    """Run code in a fresh interpreter and return every module it imported.

    The checks that something stays light ("does not import pandas") use this one helper:
    ``assert not {"pandas"} & modules_after("import palliativ_data")``.
    """
    return modules_after_code
