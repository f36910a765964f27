"""The downloads page: the release built by ``build_release`` is part of the site.

The release build is reproducible (timestamps from the data, not the clock), so the sizes and
SHA-256 sums on the committed page equal those of the files the site build copies into
``downloads/files/``. ``SOURCE_DATE_EPOCH`` is ignored here for that reason. The release
workflow builds the release once instead (with its ``SOURCE_DATE_EPOCH``) and hands it to the
site build (``PALLIATIV_DATA_SITE_RELEASE``, see :func:`palliativ_data._site.built_release`):
the page then lists, and the site ships, the very files of the GitHub release.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .._io import file_digest
from .._release import formats
from . import _snippets
from ._common import Data, table

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
    import palliativ_data as pdata

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


_OR = {"en": "or", "sv": "eller"}


def which_file(lang: str) -> list[str]:
    """The "Which file?" list: per reader of the table of release formats, the advice of each
    format that suits them (``A, B or C``)."""
    lines = []
    for reader, label in formats.READERS.items():
        advice = [fmt.advice_text(lang) for fmt in formats.FORMATS if fmt.reader == reader]
        if advice:
            *first, last = advice
            joined = f"{', '.join(first)} {_OR[lang]} {last}" if first else last
            lines.append(f"- **{label[lang]}**: {joined}.")
    return lines


def downloads(data: Data, release_out: Path, lang: str) -> dict[str, str]:
    facts = file_facts(release_out)
    base = "files/" if lang == "sv" else "../../downloads/files/"
    zip_name = next(name for name, _, _ in facts if name.endswith(".zip") and "/" not in name)
    folder = zip_name[: -len(".zip")]

    def link(name: str) -> str:
        return f'<a href="{base}{name}">{name.split("/")[-1]}</a>'

    zip_size = next(size for name, size, _ in facts if name == zip_name)
    sv = lang == "sv"
    out = [
        "# Ladda ner data" if sv else "# Downloads",
        "",
        (
            f"Hela datapaketet, version {data.pkg.version}, som en zip-fil ({_size(zip_size, lang)}): "
            if sv
            else f"The whole data package, version {data.pkg.version}, as one zip file ({_size(zip_size, lang)}): "
        )
        + link(zip_name)
        + ".",
        "",
        (
            "Samma filer finns också en och en nedan, var och en med storlek och SHA-256-kontrollsumma. "
            "Filerna byggs av `palliativ-data build` när webbplatsen byggs."
            if sv
            else "The same files are listed one by one below, each with its size and SHA-256 checksum. "
            "They are built by `palliativ-data build` when the site is built."
        ),
        "",
        "## Vilken fil?" if sv else "## Which file?",
        "",
    ]
    out += which_file(lang)
    out += ["", "## Så öppnar du filerna" if sv else "## How to open them", ""]
    examples = _snippets.snippets(data.pkg.descriptor, folder, lang)

    def tab(title: str, fence: str, key: str) -> list[str]:
        code = textwrap.indent(examples[key], "    ", lambda line: bool(line.strip()))
        return [f'=== "{title}"', "", f"    ```{fence}", code, "    ```", ""]

    out += tab("Python", "python", "python") + tab("R", "r", "r") + tab("DuckDB", "sql", "duckdb")
    out += [
        ('=== "Kalkylprogram"' if sv else '=== "Spreadsheet"'),
        "",
        textwrap.indent(examples["spreadsheet"], "    "),
        "",
        "## Kontrollera filerna" if sv else "## Check the files",
        "",
        f"```console\ncd {folder} && sha256sum -c SHA256SUMS\n```",
        "",
        "## Alla filer" if sv else "## Every file",
        "",
    ]
    header = ["Fil", "Storlek", "SHA-256"] if sv else ["File", "Size", "SHA-256"]
    rows = [
        (
            link(name)
            if "/" not in name
            else link(name).replace(f">{name.split('/')[-1]}<", f">{name.split('/', 1)[1]}<"),
            f'<span data-bytes="{size}">{_size(size, lang)}</span>',
            f'<code class="pd-hash">{digest}</code>',
        )
        for name, size, digest in facts
    ]
    out += [table(header, rows, "lrl"), ""]
    out += [
        (
            f"Exakta storlekar i byte och kontrollsummor finns i `{folder}/SHA256SUMS` och `{folder}/datapackage.json`."
            if sv
            else f"Exact sizes in bytes and checksums are in `{folder}/SHA256SUMS` and `{folder}/datapackage.json`."
        ),
        "",
        data.citation(lang),
        "",
    ]
    return {"downloads.md": "\n".join(out)}


def manifest(release_out: Path) -> str:
    """``size sha256 path`` per file: what the site tests compare the built files against."""
    return "".join(f"{size} {digest} {name}\n" for name, size, digest in file_facts(release_out))
