"""The guarantees page is a tested contract: every promise names the tests that prove it.

A promise is a top-level bullet of ``docs/en/guarantees.md`` (outside code blocks and outside
the section "Out of scope"); it ends in ``Test:`` and one or more test names,
``tests/<file>.py::<test>`` in backticks, separated by ``;``. Each name must be a test function
of that file (top level, or ``Class::test``). The Swedish page shows the English one (a
snippet), or names the same tests.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = {lang: REPO / "docs" / lang / "guarantees.md" for lang in ("en", "sv")}
EXEMPT = frozenset({"Out of scope"})
"""Sections whose bullets promise nothing (the page says so)."""
TEST = re.compile(r"`(tests/[\w/]+\.py)::([\w:]+)`")
INCLUDES_ENGLISH = '--8<-- "docs/en/guarantees.md'


@dataclass(frozen=True)
class Promise:
    section: str
    line: int
    text: str

    @property
    def tests(self) -> list[tuple[str, str]]:
        """The tests the promise names, after its ``Test:``."""
        _, marker, names = self.text.partition("Test:")
        return TEST.findall(names) if marker else []


def promises(text: str) -> list[Promise]:
    """The promises of a page: its top-level bullets, outside code and the exempt sections."""
    found: list[Promise] = []
    section, fenced, current = "", False, None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            fenced = not fenced
        if fenced or line.startswith("```"):
            current = None
            continue
        if line.startswith("#"):
            section, current = line.lstrip("#").strip(), None
        elif line.startswith("- ") and section not in EXEMPT:
            current = Promise(section, number, line[2:])
            found.append(current)
        elif current is not None and line.startswith("  ") and line.strip():
            found[-1] = current = Promise(
                current.section, current.line, f"{current.text} {line.strip()}"
            )
        else:
            current = None
    return found


def defined_tests(path: Path) -> set[str]:
    """The test functions of a test file: ``test_x`` and ``Class::test_x``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef) and item.name.startswith("test")
            }
    return names


def problems(text: str, root: Path = REPO) -> list[str]:
    """Every promise without a test, and every test named that does not exist."""
    found = []
    for promise in promises(text):
        where = f"line {promise.line} ({promise.section}: {promise.text[:60]}…)"
        if not promise.tests:
            found.append(f"{where} names no test: end it in `Test: tests/…py::test_…`")
        for file, name in promise.tests:
            path = root / file
            if not path.is_file() or name not in defined_tests(path):
                found.append(f"{where} names {file}::{name}, which does not exist")
    return found


def test_every_promise_names_tests_that_exist() -> None:
    text = PAGES["en"].read_text(encoding="utf-8")
    assert len(promises(text)) >= 30
    assert problems(text) == []


def test_the_swedish_page_shows_the_same_promises() -> None:
    swedish = PAGES["sv"].read_text(encoding="utf-8")
    if INCLUDES_ENGLISH in swedish:  # the English page, included whole
        return
    english = PAGES["en"].read_text(encoding="utf-8")
    assert problems(swedish) == []
    tests = {test for promise in promises(english) for test in promise.tests}
    assert {test for promise in promises(swedish) for test in promise.tests} == tests


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("## A\n\n- A promise with no test.\n", "names no test"),
        (
            "## A\n\n- A promise.\n  Test: `tests/test_guarantees.py::test_nothing`\n",
            "does not exist",
        ),
        ("## A\n\n- A promise.\n  Test: `tests/test_nowhere.py::test_x`\n", "does not exist"),
    ],
)
def test_the_contract_check_finds_a_promise_without_a_real_test(page: str, expected: str) -> None:
    (problem,) = problems(page)
    assert expected in problem and "line 3 (A: A promise" in problem


def test_the_contract_check_reads_bullets_as_the_page_writes_them() -> None:
    page = (
        "## Kept\n\n- First,\n  continued. Test: `tests/test_guarantees.py::"
        "test_every_promise_names_tests_that_exist`\n\n```text\n- not a promise\n```\n\n"
        "## Out of scope\n\n- Not a promise.\n"
    )
    (promise,) = promises(page)
    assert promise.text.startswith("First, continued.")
    assert promise.tests == [
        ("tests/test_guarantees.py", "test_every_promise_names_tests_that_exist")
    ]
    assert problems(page) == []
