"""Generators of the documentation site (issue 9): the pages made from the data, in Swedish and English.

:func:`generate` writes every generated page (and the CSV files behind its tables) into
``docs/sv/`` and ``docs/en/``: each row of ``_pages.PAGES`` (what the page shows, computed
here) through its templates in ``templates/`` (its wording). The MkDocs hook
(``palliativ_data/_mkdocs_hook.py``, listed under ``hooks:`` in ``mkdocs.yml``) calls it before
each build, so ``mkdocs build --strict`` alone builds the whole site; the generated files are
also committed, and a test regenerates them and compares.

Only the public API is used (``load``, ``Package``, ``compare``, ``build_release``) plus the
package descriptor, so the site cannot show anything the library would not. Nothing here
imports the CLI: the CLI reference page gets the parser from the caller.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import palliativ_data as pdata

from .._errors import BuildError
from .._io import atomic_write_files
from .._source import release_name
from . import _downloads, _pages, _shown, _templates, _workbooks
from ._common import Data
from ._text import LANGS

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

GENERATED_DIRS = ("regions", "functions", "dictionary", "data")
"""Folders (under each language) that hold only generated files: stale files there are removed."""


Files = dict[str, str | bytes]
"""Generated files by path under the docs folder: text (pages, CSV) or bytes (workbooks)."""


def render(
    release_out: Path, cli_parser: argparse.ArgumentParser, package: str | Path | None = None
) -> Files:
    """Every generated file as ``{"sv/index.md": text, …}``: each page of ``_pages.PAGES`` in
    each language, the CSV files behind their tables, and beside each CSV file its Excel
    workbook (``_workbooks``, bytes).

    Args:
        release_out: A folder holding the release built from ``package`` (see
            :func:`built_release`); the downloads page lists its files.
        cli_parser: ``palliativ_data._cli.build_parser()``, for the CLI reference (passed in by
            the caller: the site does not import the CLI).
        package: The data package; default the bundled one.
    """
    env = _templates.environment(_pages.TEMPLATE_DIRS)  # first: it fails without jinja2
    inputs = _shown.Inputs(Data(pdata.load(package)), release_out, cli_parser)
    files: Files = {}
    shared: dict[str, str] = {}  # CSV files: written once, under the default language
    for lang in LANGS:
        for page in _pages.PAGES:
            for path, text, csv_files in _page(env, inputs, page, lang):
                files[f"{lang}/{path}"] = text
                shared.update(csv_files)
    for name, text in shared.items():
        files[f"{LANGS[0]}/{name}"] = text
    for name, workbook in _workbooks.workbooks(shared, inputs.data).items():
        files[f"{LANGS[0]}/{name}"] = workbook
    return files


def render_page(
    path: str,
    lang: str,
    release_out: Path,
    cli_parser: argparse.ArgumentParser,
    package: str | Path | None = None,
) -> str:
    """One generated page (a ``path`` of ``_pages.PAGES``, e.g. ``"downloads.md"``) in ``lang``;
    arguments as :func:`render`, which draws every figure of the site (a few seconds)."""
    pages = {page.path: page for page in _pages.PAGES if not page.repeated}
    if path not in pages:
        raise KeyError(f"{path!r} is not a page of _pages.PAGES; pages: {sorted(pages)}")
    env = _templates.environment(_pages.TEMPLATE_DIRS)
    inputs = _shown.Inputs(Data(pdata.load(package)), release_out, cli_parser)
    ((_, text, _),) = _page(env, inputs, pages[path], lang)
    return text


def _page(
    env: jinja2.Environment, inputs: _shown.Inputs, page: _pages.Page, lang: str
) -> Iterator[tuple[str, str, dict[str, str]]]:
    """``(path, text, CSV files)`` of ``page`` in ``lang``: one, or one per item."""
    items = page.each(inputs.data) if page.each else [(None, None)]
    for slug, item in items:
        args = (inputs, lang) if slug is None else (inputs, lang, item)
        shown = page.show(*args) if page.show else _shown.Shown()
        path = page.path if slug is None else page.path.format(slug=slug)
        text = _templates.render(env, page.template, inputs.data, lang, shown.values, path)
        yield path, _ending(text), shown.files


def _ending(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


RELEASE_ENV = "PALLIATIV_DATA_SITE_RELEASE"
"""An environment variable naming a folder that holds the release already built
(``palliativ-data build --out FOLDER``): the site lists and ships those files instead of
building its own, so the downloads page and the published release are one build (the release
workflow sets it)."""


PACKAGE_ENV = "PALLIATIV_DATA_SITE_PACKAGE"
"""An environment variable naming the data package the MkDocs hook builds the site from
(default: the bundled one): a test builds the site of a package with more editions this way."""


def site_package() -> str | None:
    """The package the MkDocs hook builds the site from: :data:`PACKAGE_ENV`, else None (the
    bundled package)."""
    return os.environ.get(PACKAGE_ENV) or None


def _given_release(folder: str, package: str | Path | None) -> Path:
    """The release folder named by :data:`RELEASE_ENV`, checked to be this package's alone."""
    out = Path(folder).absolute()
    name = release_name(pdata.load(package).descriptor)
    found = sorted(path.name for path in out.iterdir()) if out.is_dir() else []
    if found != [name, f"{name}.zip"] or not (out / name).is_dir():
        raise BuildError(
            f"{RELEASE_ENV}={folder} must be a folder holding exactly {name}/ and {name}.zip "
            f"(`palliativ-data build --out {folder}` into an empty folder); it holds "
            f"{found or 'nothing'}. Unset it to let the site build the release itself."
        )
    return out


@contextmanager
def built_release(package: str | Path | None = None) -> Iterator[Path]:
    """A temporary folder holding the release of ``package``, removed afterwards; or the
    release named by :data:`RELEASE_ENV` when it is set (left as it is)."""
    given = os.environ.get(RELEASE_ENV)
    if given:
        yield _given_release(given, package)
        return
    tmp = Path(tempfile.mkdtemp(prefix="palliativ-data-site-"))
    try:
        out = tmp / "release"
        _downloads.build(out, pdata.load(package).path)
        yield out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _symlinks(docs: Path, names: list[str]) -> list[Path]:
    """The symbolic links on the way from ``docs`` to each of ``names`` (them included)."""
    found = set()
    for name in names:
        current = docs
        for part in PurePosixPath(name).parts:
            current = current / part
            if current.is_symlink():
                found.add(current)
                break
    return sorted(found)


def check_folders(docs_dir: str | Path, files: Files | None = None) -> None:
    """Refuse (before anything is rendered, written or removed) when a generated folder under
    ``docs_dir``, or one of ``files``, or a folder on the way to one, is a symbolic link: the
    site follows no link, which could lead anywhere.

    Raises:
        BuildError: What is a symbolic link, and what to do.
    """
    _refuse_symlinks(Path(docs_dir), files or {})


def _refuse_symlinks(docs: Path, files: Files) -> None:
    folders = [f"{lang}/{folder}" for lang in LANGS for folder in GENERATED_DIRS]
    links = _symlinks(docs, [*files, *folders])
    if links:
        shown = ", ".join(str(link) for link in links[:5])
        raise BuildError(
            f"{shown} {'is a symbolic link' if len(links) == 1 else 'are symbolic links'}; the "
            f"site writes and removes only real files and folders under {docs} and follows no "
            "link. Replace the link by a folder (or remove it) and run again. Nothing was "
            "written or removed."
        )


def write(docs_dir: str | Path, files: Files) -> list[Path]:
    """Write ``files`` under ``docs_dir`` (only those that changed) and remove stale generated files.

    The changed files are written atomically and together (``_io.atomic_write_files``).
    Nothing is written or removed when a path under ``docs_dir`` on the way is a symbolic link.

    Raises:
        BuildError: A generated file, or a folder on the way to one, is a symbolic link.

    Returns:
        The paths written or removed.
    """
    docs = Path(docs_dir)
    contents = {docs / name: files[name] for name in changed(docs, files)}  # refuses symlinks
    for path in contents:
        path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_files(contents)
    removed = stale(docs, files)
    for path in removed:
        path.unlink()
    return [*contents, *removed]


def changed(docs_dir: str | Path, files: Files) -> list[str]:
    """The names of ``files`` whose file under ``docs_dir`` is missing or reads otherwise.

    Raises:
        BuildError: A generated file, or a folder on the way to one, is a symbolic link.
    """
    docs = Path(docs_dir)
    _refuse_symlinks(docs, files)
    return [name for name, data in files.items() if not _same(docs / name, data)]


def _same(path: Path, data: str | bytes) -> bool:
    if not path.is_file():
        return False
    if isinstance(data, bytes):
        return path.read_bytes() == data
    return path.read_text(encoding="utf-8") == data


def stale(docs_dir: str | Path, files: Files) -> list[Path]:
    """Files in the generated folders that the generator no longer writes (a symbolic link
    in them is one: removing it removes the link, not what it points to).

    Raises:
        BuildError: A generated folder, or one on the way to it, is a symbolic link.
    """
    docs = Path(docs_dir)
    _refuse_symlinks(docs, {})
    result = []
    for lang in LANGS:
        for folder in GENERATED_DIRS:
            root = docs / lang / folder
            if root.is_dir():
                for path in sorted(root.rglob("*")):  # (rglob does not enter linked folders)
                    is_file = path.is_symlink() or path.is_file()
                    if is_file and path.relative_to(docs).as_posix() not in files:
                        result.append(path)
    return result


def generate(
    cli_parser: argparse.ArgumentParser,
    docs_dir: str | Path = "docs",
    package: str | Path | None = None,
) -> list[Path]:
    """Regenerate the site's generated pages under ``docs_dir``; returns the paths changed.

    Builds the release of ``package`` (default: the bundled package) into a temporary folder to
    list its files on the downloads page. ``cli_parser``: see :func:`render`. The command
    ``palliativ-data site`` does this.
    """
    check_folders(docs_dir)  # before the render: a link under docs_dir is refused at once
    with built_release(package) as release_out:
        return write(docs_dir, render(release_out, cli_parser, package))


__all__ = [
    "GENERATED_DIRS",
    "PACKAGE_ENV",
    "RELEASE_ENV",
    "Files",
    "built_release",
    "check_folders",
    "generate",
    "render",
    "render_page",
    "site_package",
    "stale",
    "write",
]
