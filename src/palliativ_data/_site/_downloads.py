"""The downloads page: the release built by ``build_release`` is part of the site.

The release build is reproducible (timestamps from the data, not the clock), so the sizes and
SHA-256 sums on the committed page equal those of the files the site build copies into
``downloads/files/``. ``SOURCE_DATE_EPOCH`` is ignored here for that reason. The release
workflow builds the release once instead (with its ``SOURCE_DATE_EPOCH``) and hands it to the
site build (``PALLIATIV_DATA_SITE_RELEASE``, see :func:`palliativ_data._site.built_release`):
the page then lists, and the site ships, the very files of the GitHub release.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import palliativ_data as pdata

from .._io import file_digest
from .._release import formats
from . import _snippets
from ._common import Data, code_block, trusted

FILES_DIR = "downloads/files"
"""Where the release files sit in the built site (relative to the site root)."""


@contextmanager
def _without_source_date_epoch() -> Iterator[None]:
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def build(out: Path, package: Path) -> Any:
    """Build the release of ``package`` into ``out`` (replaced as a whole)."""
    with _without_source_date_epoch():
        return pdata.build_release(out, package)


def file_facts(root: Path) -> list[tuple[str, int, str]]:
    """(path relative to ``root``, size, SHA-256) of every file under ``root``, sorted."""
    result = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        size, digest = file_digest(path)
        result.append((path.relative_to(root).as_posix(), size, digest))
    return result


def _size(size: int, lang: str) -> str:
    if size >= 1024 * 1024:
        text = f"{size / 1024 / 1024:.1f} MB"
    elif size >= 1024:
        text = f"{size / 1024:.0f} kB"
    else:
        text = f"{size} B"
    return text.replace(".", ",") if lang == "sv" else text


def which_file(lang: str, package: str = "") -> list[tuple[str, list[str]]]:
    """The "Which file?" list: per reader of the table of release formats (its label in
    ``lang``), the advice of each format that suits them (``package``: the package's name)."""
    lines = []
    for reader, label in formats.READERS.items():
        # the table's own Markdown (its placeholders are the format's folder and path)
        advice = [
            trusted(fmt.advice_text(lang, package))
            for fmt in formats.FORMATS
            if fmt.reader == reader
        ]
        if advice:
            lines.append((label[lang], advice))
    return lines


def downloads(data: Data, release_out: Path, lang: str) -> dict[str, Any]:
    """What the downloads page shows: the release's zip file, its folder, which file suits whom
    (from the table of release formats), the files the examples open, and every file."""
    facts = file_facts(release_out)
    zip_name = next(name for name, _, _ in facts if name.endswith(".zip") and "/" not in name)
    folder = zip_name[: -len(".zip")]
    workbook = formats.release_format("xlsx").file(package=data.pkg.descriptor["name"])
    return {
        "zip": zip_name,
        "zip_size": next(size for name, size, _ in facts if name == zip_name),
        "folder": folder,
        "which_file": which_file(lang, data.pkg.descriptor["name"]),
        # the code of the Python, R and DuckDB tabs, typed from the Table Schemas
        "examples": {
            tab: code_block(text)
            for tab, text in _snippets.snippets(data.pkg.descriptor, folder, lang).items()
        },
        # the spreadsheet tab: the workbook, else the CSV file it imports and the code columns
        # to import as text
        "workbook_file": workbook,
        "workbook_size": next(size for name, size, _ in facts if name == f"{folder}/{workbook}"),
        "spreadsheet_file": formats.release_format("excel").file(table="gaps"),
        "spreadsheet_codes": _snippets.spreadsheet_codes(
            _snippets.table_fields(data.pkg.descriptor, "gaps")
        ),
        # (path, the path shown: inside the release folder, size, SHA-256)
        "files": [(name, name.split("/", 1)[-1], size, digest) for name, size, digest in facts],
        "size": functools.partial(_size, lang=lang),
    }
