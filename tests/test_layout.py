"""The module layout: no import circles, and the module map in the docs matches the tree."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import palliativ_data

PACKAGE_DIR = Path(palliativ_data.__file__).resolve().parent
ROOT = "palliativ_data"
CONTRIBUTING = Path(__file__).resolve().parent.parent / "docs" / "en" / "contributing.md"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([ROOT, *parts])


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """The package's own modules that ``name`` imports at run time (anywhere in the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom):
            if node.level:
                target = base[: len(base) - node.level + 1]
                target = [*target, *node.module.split(".")] if node.module else target
            else:
                target = (node.module or "").split(".")
            dotted = ".".join(target)
            for alias in node.names:
                if f"{dotted}.{alias.name}" in modules:
                    found.add(f"{dotted}.{alias.name}")
                elif dotted in modules:
                    found.add(dotted)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    # importing a.b.c runs the __init__ of a.b first (the root package is everyone's parent)
    for target in list(found):
        parts = target.split(".")
        for cut in range(2, len(parts)):
            parent = ".".join(parts[:cut])
            if parent in modules and not name.startswith(parent + ".") and name != parent:
                found.add(parent)
    found.discard(name)
    found.discard(ROOT)
    return found


def test_no_import_circles():
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                circles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                walk(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    assert not circles, "import circles:\n" + "\n".join(" -> ".join(c) for c in circles)


def test_the_circle_check_finds_a_circle(tmp_path):
    """The check above can fail: two modules importing each other form a circle."""
    one = tmp_path / "one.py"
    one.write_text("from . import two\n")
    assert _imports(f"{ROOT}.one", one, {f"{ROOT}.one", f"{ROOT}.two"}) == {f"{ROOT}.two"}
    guarded = tmp_path / "guarded.py"
    guarded.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import two\n"
    )
    assert _imports(f"{ROOT}.guarded", guarded, {f"{ROOT}.guarded", f"{ROOT}.two"}) == set()


def test_module_map_in_the_docs_matches_the_tree():
    text = CONTRIBUTING.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([\w/]+\.py)` \|", text, flags=re.MULTILINE))
    on_disk = {
        path.relative_to(PACKAGE_DIR).as_posix()
        for path in PACKAGE_DIR.rglob("*.py")
        if path.name != "__init__.py"
        or path.parent in (PACKAGE_DIR, PACKAGE_DIR / "_cli", PACKAGE_DIR / "_site")
    }
    assert listed == on_disk, (
        f"missing from docs/en/contributing.md: {sorted(on_disk - listed)}; "
        f"listed but gone: {sorted(listed - on_disk)}"
    )


def _deferred_imports(path: Path) -> list[tuple[int, bool]]:
    """Imports inside functions, outside ``if TYPE_CHECKING``: (line, says why)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        previous_import_line = -10
        for node in ast.walk(function):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            line, end = node.lineno, getattr(node, "end_lineno", None) or node.lineno
            said = any("deferred" in text for text in lines[line - 2 : end])
            # a block of imports right below a commented one shares its comment
            said = said or line - previous_import_line <= 2  # a blank line between groups
            found.append((line, said))
            previous_import_line = getattr(node, "end_lineno", line) or line
    return found


def test_imports_inside_functions_say_why():
    silent = [
        f"{path.relative_to(PACKAGE_DIR)}:{line}"
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        for line, said in _deferred_imports(path)
        if not said
    ]
    assert not silent, "imports inside functions without a '# deferred: why' comment: " + ", ".join(
        silent
    )


def test_the_deferred_import_check_can_fail(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    import json\n\n\ndef g():\n    import csv  # deferred: because\n",
        encoding="utf-8",
    )
    assert _deferred_imports(module) == [(2, False), (6, True)]


def test_the_site_does_not_import_the_cli():
    """The CLI's ``site`` command imports ``_site``; the CLI reference page gets the parser from
    its caller (that command, or ``_mkdocs_hook.py``), so nothing in ``_site`` imports ``_cli``,
    not even deferred."""
    modules = _modules()
    site = f"{ROOT}._site"
    climbing = {
        name: sorted(t for t in _imports(name, path, set(modules)) if t.startswith(f"{ROOT}._cli"))
        for name, path in modules.items()
        if name == site or name.startswith(site + ".")
    }
    assert len(climbing) > 5, "the site's modules moved: point this test at them"
    assert not any(climbing.values()), climbing
