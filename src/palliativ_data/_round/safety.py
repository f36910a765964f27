"""Checks on a returned workbook before anything parses it: an ``.xlsx`` is a zip of XML from
outside, so its size, its parts, their unpacked size and cell count are capped, and macros,
external links, unsafe part names and DTDs are refused, all from the zip's directory and a
streamed look at each part (at most :data:`MAX_UNCOMPRESSED` bytes in all).

``zipfile`` stops reading a part at the size its directory declares, so the declared sizes,
summed and capped here, bound what any later reader unpacks.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

MAX_FILE_BYTES = 10 * 1024 * 1024
"""A returned workbook larger than this is refused (one written by ``round`` is about 15 kB)."""
MAX_UNCOMPRESSED = 50 * 1024 * 1024
"""The most its parts may unpack to, in all."""
MAX_PARTS = 500
"""The most parts its zip may hold (one written by ``round`` has about 20)."""
MAX_CELLS = 50_000
"""The most cells its sheets may hold, in all (one written by ``round`` has about 1,000)."""

_CHUNK = 64 * 1024
_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_EXTERNAL = re.compile(rb"""TargetMode\s*=\s*["']External["']""")
_REL_TYPE = re.compile(rb"""<Relationship\b[^>]*>""")
_HYPERLINK = re.compile(rb"""Type\s*=\s*["'][^"']*/hyperlink["']""")
_CELL = re.compile(rb"<(?:[A-Za-z0-9_]+:)?c[\s>/]")


class ArchiveProblem(Exception):
    """Why a file is refused: a problem code (see :data:`.problems.CODES`) and the detail."""

    def __init__(self, code: str, detail_sv: str, detail_en: str) -> None:
        super().__init__(detail_en)
        self.code = code
        self.detail_sv = detail_sv
        self.detail_en = detail_en


def check_file(path: Path) -> None:
    """Refuse a workbook that must not be parsed.

    Raises:
        ArchiveProblem: The first reason to refuse it.
    """
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        raise ArchiveProblem(
            "symlink",
            "Filen är en länk till en annan fil; länkar följs inte. Spara själva filen i mappen.",
            "The file is a symbolic link; links are not followed. Save the file itself in the "
            "folder.",
        )
    if not stat.S_ISREG(info.st_mode):
        raise ArchiveProblem(
            "not-a-file",
            "Detta är ingen vanlig fil. Spara arbetsboken som en fil i mappen.",
            "This is not a regular file. Save the workbook as a file in the folder.",
        )
    if info.st_size > MAX_FILE_BYTES:
        raise ArchiveProblem(
            "file-too-large",
            f"Filen är {info.st_size:,} byte; en svarsfil är högst {MAX_FILE_BYTES:,} byte. "
            "Ta bort inklistrade bilder eller bilagor och spara igen.",
            f"The file has {info.st_size:,} bytes; a response workbook has at most "
            f"{MAX_FILE_BYTES:,}. Remove pasted pictures or attachments and save again.",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise ArchiveProblem(
            "not-a-workbook",
            "Filen är ingen Excel-arbetsbok (.xlsx). Spara den som Excel-arbetsbok (.xlsx) och "
            "skicka den igen.",
            f"The file is not an Excel workbook (.xlsx): {error}. Ask for it saved as an Excel "
            "workbook (.xlsx).",
        ) from None


def _unsafe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in parts
        or bool(re.match(r"^[A-Za-z]:", name))
        or "\x00" in name
    )


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_PARTS:
        raise ArchiveProblem(
            "too-many-files",
            f"Arbetsboken har {len(members):,} delar; en svarsfil har högst {MAX_PARTS}. Använd "
            "den fil som skickades ut.",
            f"The workbook's zip has {len(members):,} parts; a response workbook has at most "
            f"{MAX_PARTS}. Ask for the workbook that was sent out.",
        )
    names = {member.filename for member in members}
    for member in members:
        mode = member.external_attr >> 16
        if _unsafe_name(member.filename) or stat.S_ISLNK(mode):
            raise ArchiveProblem(
                "unsafe-zip-path",
                "Filen innehåller en del med en otillåten sökväg. Använd den fil som skickades ut.",
                f"A part of the zip, {member.filename[:80]!r}, has an absolute or '..' path or is "
                "a symbolic link; nothing was unpacked. Ask for the workbook that was sent out.",
            )
        if member.flag_bits & 0x1:
            raise ArchiveProblem(
                "not-a-workbook",
                "Filen är krypterad eller lösenordsskyddad. Spara den utan lösenord.",
                "The workbook is encrypted or password-protected. Ask for it saved without a "
                "password.",
            )
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        raise ArchiveProblem(
            "too-large-uncompressed",
            f"Filens delar packas upp till {total:,} byte; högst {MAX_UNCOMPRESSED:,} tillåts. "
            "Använd den fil som skickades ut.",
            f"The workbook's parts unpack to {total:,} bytes; at most {MAX_UNCOMPRESSED:,} are "
            "allowed (a zip bomb?). Nothing was unpacked.",
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ArchiveProblem(
            "not-a-workbook",
            "Filen är ingen Excel-arbetsbok (.xlsx). Spara den som Excel-arbetsbok och skicka "
            "den igen.",
            "The zip holds no workbook ([Content_Types].xml, xl/workbook.xml). Ask for it saved "
            "as an Excel workbook (.xlsx).",
        )
    lowered = {name.lower() for name in names}
    content_types = archive.read("[Content_Types].xml")
    if any(name.endswith("vbaproject.bin") for name in lowered) or b"macroEnabled" in (
        content_types
    ):
        raise ArchiveProblem(
            "macro",
            "Filen innehåller makron. Spara den som vanlig Excel-arbetsbok (.xlsx) utan makron.",
            "The workbook holds macros (VBA); it is not read. Ask for it saved as a plain Excel "
            "workbook (.xlsx).",
        )
    if any(name.startswith("xl/externallinks/") for name in lowered):
        raise ArchiveProblem(
            "external-link",
            "Filen länkar till andra arbetsböcker. Ta bort länkarna (Data › Redigera länkar › "
            "Bryt länk) och spara igen.",
            "The workbook links to other workbooks; links are not followed. Ask for the links "
            "to be broken (Data › Edit Links › Break Link).",
        )
    cells = 0
    for member in members:
        name = member.filename
        if not name.lower().endswith((".xml", ".rels", ".vml")):
            continue
        if name.endswith(".rels"):
            _check_relationships(archive, member)
        sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
        cells += _scan(archive, member, count_cells=sheet)
        if cells > MAX_CELLS:
            raise ArchiveProblem(
                "too-many-cells",
                f"Arbetsboken har fler än {MAX_CELLS:,} celler. Använd den fil som skickades ut.",
                f"The workbook's sheets hold more than {MAX_CELLS:,} cells; a response workbook "
                "has about 1,000. It is not parsed.",
            )


def _chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    with archive.open(member) as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def _check_relationships(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Refuse a relationship to an outside target, hyperlinks aside (never followed)."""
    text = archive.read(member)
    for relation in _REL_TYPE.findall(text):
        if _EXTERNAL.search(relation) and not _HYPERLINK.search(relation):
            raise ArchiveProblem(
                "external-link",
                "Filen länkar till andra filer. Ta bort länkarna och spara igen.",
                f"{member.filename[:80]!r} links to an outside file or workbook; links are not "
                "followed. Ask for the links to be removed.",
            )


def _scan(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, count_cells: bool) -> int:
    """Stream a part once: refuse a DTD or entity declaration anywhere in it (raw ``<!DOCTYPE``
    or ``<!ENTITY`` never occurs in a workbook's XML: text is escaped), and count its cells."""
    count = 0
    tail = b""
    for chunk in _chunks(archive, member):
        data = tail + chunk
        if _DOCTYPE.search(data):
            raise ArchiveProblem(
                "xml-entities",
                "Filen innehåller otillåtna XML-deklarationer. Använd den fil som skickades ut.",
                f"The part {member.filename[:80]!r} declares a DTD or entities (e.g. 'billion "
                "laughs'); it is not parsed.",
            )
        if count_cells:
            count += len(_CELL.findall(data)) - len(_CELL.findall(tail))
            if count > MAX_CELLS:
                break
        tail = data[-16:]  # a tag cut at the chunk's end is found with the next chunk
    return count
