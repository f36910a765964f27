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


def _imports(name: str, path: Path, modules: set[str], *, typing: bool = False) -> set[str]:
    """The package's own modules that ``name`` imports at run time (anywhere in the file).

    With ``typing``, also those it imports only for type checkers (``if TYPE_CHECKING``).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node) and not typing:
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


def test_the_comparison_engine_is_given_tables_not_packages():
    """``_comparison`` imports neither ``_package`` nor ``_load``, not even for type checkers:
    ``Package.compare`` hands it the editions' rows and records (``match.Side``)."""
    modules = _modules()
    leaks = {
        name: sorted(found & {f"{ROOT}._package", f"{ROOT}._load"})
        for name, path in modules.items()
        if name.startswith(f"{ROOT}._comparison")
        for found in [_imports(name, path, set(modules), typing=True)]
    }
    assert len(leaks) >= 6  # the check sees the package's modules
    assert not {name: found for name, found in leaks.items() if found}


def test_the_typing_import_check_sees_type_checking_blocks(tmp_path):
    guarded = tmp_path / "guarded.py"
    guarded.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import two\n"
    )
    modules = {f"{ROOT}.guarded", f"{ROOT}.two"}
    assert _imports(f"{ROOT}.guarded", guarded, modules, typing=True) == {f"{ROOT}.two"}


# argparse has no public way to list a parser's subcommands (the CLI reference page needs them)
STDLIB_PRIVATE = {"_actions", "_SubParsersAction"}


def _private_reads(path: Path) -> list[str]:
    """``x._name`` where ``x`` is not ``self``/``cls`` and the module defines no ``_name``.

    A private attribute belongs to the module that defines it: another module asking for it
    is a seam that leaks (what ``_comparison`` did with ``pkg._rows_where`` and
    ``comparison._pairs``).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            own.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            own.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            own.add(node.id)
    return [
        f"{path.name}:{node.lineno} {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        and node.attr not in own | STDLIB_PRIVATE
    ]


def test_no_module_reads_private_attributes_it_does_not_define():
    found = [read for path in sorted(PACKAGE_DIR.rglob("*.py")) for read in _private_reads(path)]
    assert not found, "private attributes read from outside their module: " + ", ".join(found)


def test_the_private_read_check_can_fail(tmp_path):
    module = tmp_path / "reader.py"
    module.write_text(
        "class A:\n    def f(self, other):\n        self._mine = other._mine\n"
        "        return other._theirs, self._x\n",
        encoding="utf-8",
    )
    assert _private_reads(module) == ["reader.py:4 other._theirs"]


# generated with the models (``palliativ-data generate``); their lists feed ``palliativ_data``
GENERATED_ALL = ("_models.py", "_model_names.py")


def test_all_is_declared_only_where_it_means_something():
    """``palliativ_data.__all__`` is the public API; a private package's ``__init__`` may list
    what it re-exports for the rest of the library; a module has none (docs/en/contributing.md).
    """
    declared = [
        path.relative_to(PACKAGE_DIR).as_posix()
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if re.search(r"^__all__\b", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    ]
    assert "__init__.py" in declared
    modules = [
        path for path in declared if not path.endswith("__init__.py") and path not in GENERATED_ALL
    ]
    assert not modules, f"modules with an __all__ (only package __init__ files have one): {modules}"
