"""The table of release formats: every data file of a release is one entry of :data:`FORMATS`.

A release holds the data in several formats: each table as the curated CSV (byte for byte), as
Parquet and as CSV for spreadsheets; all tables in one SQLite database; and the descriptor,
``datapackage.json``, that lists them. One :class:`ReleaseFormat` says all the code needs to
know about one of them, and every place reads it from here:

- where its files go (:attr:`~ReleaseFormat.path`) and how they are written
  (:attr:`~ReleaseFormat.write`): ``build.write_release``;
- where the release descriptor lists them (:attr:`~ReleaseFormat.listed_in`, with
  ``x-label``, ``encoding`` and ``dialect``): ``build.write_release`` again, and ``validate``
  and ``load`` check every file listed against its size and checksum;
- its Data Package ``format``, media type, EU file type, title and description in English and
  Swedish: the DCAT-AP-SE distributions and schema.org ``DataDownload`` entries
  (:func:`release_files`);
- whom it suits (:attr:`~ReleaseFormat.reader`, one of :data:`READERS`) and the advice given to
  them: the "Which file?" list of the site's downloads page.

The order of :data:`FORMATS` is the order of the files in the descriptor, in DCAT and in
schema.org. Adding a format is one entry here plus its test ("How to add a release format" in
``docs/en/contributing.md``). The files *about* the release (``CITATION.cff``, DCAT-AP-SE,
schema.org, Datasette's metadata) are not formats of the data: they are ``build.DOCUMENTS``,
written after the descriptor, and ``SHA256SUMS`` sums everything last.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._io import DESCRIPTOR_FILE, dump_json, file_facts
from .excel import EXCEL_DIALECT, EXCEL_ENCODING, write_excel_csv

Text = Mapping[str, str]
"""A text per language (``en``, ``sv``)."""

Tables = dict[str, tuple[Mapping[str, Any], Any]]
"""Resource name → (Table Schema, Arrow table): every CSV of a build, parsed once."""

RESOURCE, COPY, DESCRIPTOR = "resource", "x-formats", "descriptor"
"""Values of :attr:`ReleaseFormat.listed_in` besides a package-wide file's own property."""


@dataclass(frozen=True)
class Inputs:
    """What a format's writer is given.

    Attributes:
        descriptor: The package's descriptor; for the descriptor format, the release's own
            (listing every file written before it).
        tables: Every table of the package, parsed once (:data:`Tables`).
        table: The table to write, for a format with one file per table; else ``""``.
        csv: That table's curated CSV, byte for byte; else empty.
    """

    descriptor: Mapping[str, Any]
    tables: Tables
    table: str = ""
    csv: bytes = b""


Writer = Callable[[Inputs, Path], None]
"""Writes one file of a format at the path given (its folder exists)."""


@dataclass(frozen=True)
class ReleaseFormat:
    """One format of the data in a release (an entry of :data:`FORMATS`).

    Attributes:
        key: A short name (``csv``, ``parquet``…), unique in the table.
        path: Where its files go in the release folder: with ``{table}`` for one file per
            table, else with ``{package}`` (the package's ``name``) or a fixed name.
        listed_in: Where ``datapackage.json`` lists it: :data:`RESOURCE` (the table's own
            ``path``: the curated CSV), :data:`COPY` (a resource's ``x-formats``: one more
            copy of each table), :data:`DESCRIPTOR` (the descriptor itself, written after
            the others), or the descriptor property of one file for the whole package
            (``x-database``).
        format: The Data Package ``format`` (the file's type, e.g. ``csv``).
        mediatype: Its IANA media type.
        file_type: Its code in the EU's file-type table
            (http://publications.europa.eu/resource/authority/file-type), for DCAT-AP-SE.
        title: Its title in DCAT and schema.org per language; ``{title}``, ``{name}`` and
            ``{label}`` stand for the table's title and name and this format's label.
        description: Its description there, likewise (``{about}``: the table's description).
        reader: Whom it suits, a key of :data:`READERS` (the downloads page groups by it).
        advice: What the downloads page tells them, per language (Markdown; ``{folder}`` and
            ``{path}`` stand for the folder of its files and :attr:`path`, the package's name
            filled in).
        write: How a file is written (:data:`Writer`).
        label: Its name in titles, and ``x-label`` in ``x-formats``.
        encoding: The ``encoding`` its descriptor entry declares, if not UTF-8.
        dialect: The CSV ``dialect`` its descriptor entry declares, for a CSV that is not
            comma-separated.
    """

    key: str
    path: str
    listed_in: str
    format: str
    mediatype: str
    file_type: str
    title: Text
    description: Text
    reader: str
    advice: Text
    write: Writer
    label: str | None = None
    encoding: str | None = None
    dialect: Mapping[str, Any] | None = None

    def file(self, *, table: str = "", package: str = "") -> str:
        """The path of one of its files in the release folder.

        Examples:
            >>> release_format("parquet").file(table="gaps")
            'parquet/gaps.parquet'
        """
        return self.path.format(table=table, package=package)

    def entry(self, path: str, facts: Mapping[str, Any]) -> dict[str, Any]:
        """Its entry in the release descriptor (``x-formats`` or a package-wide property),
        with the file's ``bytes`` and ``hash`` (``facts``)."""
        entry: dict[str, Any] = {"format": self.format, "mediatype": self.mediatype}
        if self.encoding:
            entry["encoding"] = self.encoding
        entry["path"] = path
        if self.dialect:
            entry["dialect"] = dict(self.dialect)
        if self.label and self.listed_in == COPY:
            entry["x-label"] = self.label
        return {**entry, **facts}

    def describe(self, path: str, facts: Mapping[str, Any]) -> dict[str, Any]:
        """One of its files as the catalogue documents describe it (see :func:`release_files`),
        for a file no descriptor lists (the descriptor itself)."""
        entry = {"path": path, "format": self.format, "mediatype": self.mediatype, **facts}
        return describe(entry, self.title, self.description, label=self.label)

    def advice_text(self, language: str, package: str = "") -> str:
        """:attr:`advice` in ``language``, its placeholders filled (``package``: the package's
        ``name``, in the path of a file for the whole package).

        Examples:
            >>> release_format("csv").advice_text("en")[:18]
            'the `csv/` folder '
            >>> release_format("xlsx").advice_text("en", "palliativ-data")[:35]
            'the workbook `palliativ-data.xlsx` '
        """
        folder = self.path.split("/", 1)[0] + "/" if "/" in self.path else ""
        return self.advice[language].format(folder=folder, path=self.file(package=package))


def _curated_csv(given: Inputs, path: Path) -> None:
    path.write_bytes(given.csv)


def _excel_csv(given: Inputs, path: Path) -> None:
    write_excel_csv(given.csv, path)


def _parquet(given: Inputs, path: Path) -> None:
    from .parquet import write_parquet  # deferred: pyarrow; reading this table writes nothing

    table_schema, table = given.tables[given.table]
    write_parquet(table, table_schema, path)


def _sqlite(given: Inputs, path: Path) -> None:
    from .sqlite import semver_as_int, write_sqlite  # deferred: pyarrow, as _parquet

    listed = [(name, table_schema, table) for name, (table_schema, table) in given.tables.items()]
    write_sqlite(path, listed, user_version=semver_as_int(given.descriptor["version"]))


def _workbook(given: Inputs, path: Path) -> None:
    from .workbook import release_workbook  # deferred: XlsxWriter, as _parquet's pyarrow

    path.write_bytes(release_workbook(given.descriptor, given.tables, scratch=path.parent))


def _descriptor(given: Inputs, path: Path) -> None:
    path.write_bytes(dump_json(given.descriptor).encode("utf-8"))


_TABLE_TITLE: Text = {"en": "{title} ({name}), {label}", "sv": "Tabellen {name}, {label}"}

READERS: dict[str, Text] = {
    "spreadsheets": {
        "en": "Spreadsheets (Excel, LibreOffice)",
        "sv": "Kalkylprogram (Excel, LibreOffice)",
    },
    "everyone": {"en": "Everyone else", "sv": "Alla andra"},
    "programs": {"en": "R, Python, DuckDB", "sv": "R, Python, DuckDB"},
    "description": {"en": "What the files hold", "sv": "Beskrivning av filerna"},
}
"""Whom a format suits, in the order the downloads page's "Which file?" list names them."""

FORMATS: tuple[ReleaseFormat, ...] = (
    ReleaseFormat(
        key="csv",
        path="csv/{table}.csv",
        listed_in=RESOURCE,
        format="csv",
        mediatype="text/csv",
        file_type="CSV",
        label="CSV",
        title=_TABLE_TITLE,
        description={
            "en": "{about} CSV (UTF-8, comma-separated).",
            "sv": "Tabellen {name} som CSV (UTF-8, kommaseparerad). Kolumnerna beskrivs i "
            "datapackage.json.",
        },
        reader="everyone",
        advice={
            "en": "the `{folder}` folder — plain CSV (comma, UTF-8), as in the source repository",
            "sv": "mappen `{folder}` — vanlig CSV (komma, UTF-8), samma som i källkoden",
        },
        write=_curated_csv,
    ),
    ReleaseFormat(
        key="parquet",
        path="parquet/{table}.parquet",
        listed_in=COPY,
        format="parquet",
        mediatype="application/vnd.apache.parquet",
        file_type="PARQUET",
        label="Parquet",
        title=_TABLE_TITLE,
        description={
            "en": "{about} {label}.",
            "sv": "Tabellen {name} som Parquet (kolumnformat med typer).",
        },
        reader="programs",
        advice={
            "en": "the `{folder}` folder (typed columns)",
            "sv": "mappen `{folder}` (typade kolumner)",
        },
        write=_parquet,
    ),
    ReleaseFormat(
        key="xlsx",
        path="{package}.xlsx",
        listed_in="x-workbook",
        format="xlsx",
        mediatype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_type="XLSX",
        label="Excel workbook",
        title={
            "en": "All tables in one Excel workbook",
            "sv": "Alla tabeller i en Excel-arbetsbok",
        },
        description={
            "en": "Every table of the package as a sheet, with Swedish column headings above "
            "the field names, each region's name beside its code, and codes and editions "
            "stored as text.",
            "sv": "Alla tabeller som blad i en arbetsbok, med svenska kolumnrubriker ovanför "
            "fältnamnen, regionens namn bredvid varje regionkod och koder och utgåvor "
            "lagrade som text.",
        },
        reader="spreadsheets",
        advice={
            "en": "the workbook `{path}` (one sheet per table, Swedish headings, region names "
            "beside the codes, codes such as `01` kept as text)",
            "sv": "arbetsboken `{path}` (ett blad per tabell, svenska rubriker, regionernas namn "
            "bredvid koderna och koder som `01` sparade som text)",
        },
        write=_workbook,
    ),
    ReleaseFormat(
        key="excel",
        path="excel/{table}.csv",
        listed_in=COPY,
        format="csv",
        mediatype="text/csv",
        file_type="CSV",
        label="CSV for spreadsheets (UTF-8 with BOM, semicolon)",
        title=_TABLE_TITLE,
        description={
            "en": "{about} {label}.",
            "sv": "Tabellen {name} som CSV för kalkylprogram (UTF-8 med BOM, semikolon).",
        },
        reader="spreadsheets",
        advice={
            "en": "the `{folder}` folder — CSV with semicolons, UTF-8 with a BOM, so Swedish "
            "letters come out right on a double click",
            "sv": "mappen `{folder}` — CSV med semikolon och UTF-8 med BOM, så att å, ä och ö "
            "blir rätt när filen öppnas med dubbelklick",
        },
        write=_excel_csv,
        encoding=EXCEL_ENCODING,
        dialect=EXCEL_DIALECT,
    ),
    ReleaseFormat(
        key="sqlite",
        path="{package}.sqlite",
        listed_in="x-database",
        format="sqlite",
        mediatype="application/vnd.sqlite3",
        # the EU table has no SQLite entry: BIN ("binary data") is the honest generic one
        file_type="BIN",
        title={
            "en": "All tables in one SQLite database",
            "sv": "Alla tabeller i en SQLite-databas",
        },
        description={
            "en": "Every table of the package in one SQLite file, with keys, constraints, "
            "indexes on foreign keys and column descriptions.",
            "sv": "Alla tabeller i en SQLite-fil, med nycklar, villkor, index på "
            "främmande nycklar och kolumnbeskrivningar.",
        },
        reader="programs",
        advice={"en": "the SQLite file", "sv": "SQLite-filen"},
        write=_sqlite,
    ),
    ReleaseFormat(
        key="descriptor",
        path=DESCRIPTOR_FILE,
        listed_in=DESCRIPTOR,
        format="json",
        mediatype="application/json",
        file_type="JSON",
        title={
            "en": "Data package descriptor (Frictionless Data Package v2)",
            "sv": "Beskrivning av datapaketet (Frictionless Data Package v2)",
        },
        description={
            "en": "Every table with its columns, types, keys and constraints, and every file "
            "with its size and SHA-256 checksum.",
            "sv": "Alla tabeller med kolumner, typer, nycklar och villkor, och alla filer med "
            "storlek och SHA-256-kontrollsumma.",
        },
        reader="description",
        advice={
            "en": "`{path}` (Frictionless Data Package v2); see also the "
            "[data dictionary](dictionary.md)",
            "sv": "`{path}` (Frictionless Data Package v2); se också "
            "[datakatalogen](dictionary.md)",
        },
        write=_descriptor,
    ),
)
"""The formats of a release's data, in the order the descriptor lists them."""


# The functions below read FORMATS when called (not when imported), so that a test can put a
# made-up format into the table (tests/test_formats.py follows the recipe that way).


def release_format(key: str) -> ReleaseFormat:
    """The format called ``key``.

    Raises:
        KeyError: No such format in :data:`FORMATS`.
    """
    for fmt in FORMATS:
        if fmt.key == key:
            return fmt
    raise KeyError(f"no release format {key!r}; the table has {[f.key for f in FORMATS]}")


def formats_listed_in(*places: str) -> list[ReleaseFormat]:
    """The formats listed in any of ``places`` (see :attr:`ReleaseFormat.listed_in`), in order;
    with no place, the package-wide files (each with a descriptor property of its own)."""
    if places:
        return [fmt for fmt in FORMATS if fmt.listed_in in places]
    return [fmt for fmt in FORMATS if fmt.listed_in not in (RESOURCE, COPY, DESCRIPTOR)]


def file_type(data_format: str) -> str | None:
    """The EU file-type code of a Data Package ``format``, if a release format has it."""
    return next((f.file_type for f in FORMATS if f.format == data_format), None)


def _media_type(data_format: str) -> str | None:
    return next((f.mediatype for f in FORMATS if f.format == data_format), None)


def describe(
    entry: Mapping[str, Any], title: Text, description: Text, /, **values: Any
) -> dict[str, Any]:
    """One file as the catalogue documents describe it (see :func:`release_files`).

    ``entry`` is the file's entry in a descriptor (``path``, and maybe ``format``,
    ``mediatype``, ``bytes``, ``hash``); ``title`` and ``description`` are filled with
    ``values``.
    """
    data_format = entry.get("format", Path(entry["path"]).suffix.lstrip("."))
    mediatype = entry.get("mediatype")
    return {
        "path": entry["path"],
        "format": data_format,
        "mediatype": _media_type(data_format) if mediatype is None else mediatype,
        "title": {language: text.format(**values) for language, text in title.items()},
        "description": {
            language: text.format(**values).strip() for language, text in description.items()
        },
        "bytes": entry.get("bytes"),
        "hash": entry.get("hash"),
    }


def _copy_format(entry: Mapping[str, Any], table: str) -> tuple[Text, Text]:
    """Title and description of an ``x-formats`` entry: its format's, else generic ones."""
    for fmt in formats_listed_in(COPY):
        if fmt.file(table=table) == entry["path"]:
            return fmt.title, fmt.description
    return _TABLE_TITLE, {"en": "{about} {label}.", "sv": "Tabellen {name} som {label}."}


def release_files(descriptor: Mapping[str, Any], base: Path | None = None) -> list[dict[str, Any]]:
    """Every data file a descriptor lists: the tables' own files, their ``x-formats`` copies and
    the package-wide files (``x-database``), described through :data:`FORMATS`.

    Each entry has ``path``, ``format``, ``mediatype``, ``title`` (per language), ``description``
    (per language), ``bytes`` and ``hash``. Where the descriptor has no ``bytes``/``hash`` (the
    repository's descriptor) and ``base`` holds the file, they are computed from it.

    Args:
        descriptor: A data package descriptor (a release's or the repository's).
        base: Folder the paths are relative to.

    Returns:
        The files, in descriptor order.
    """
    files: list[dict[str, Any]] = []

    def add(entry: Mapping[str, Any], title: Text, description: Text, /, **values: Any) -> None:
        item = describe(entry, title, description, **values)
        missing_facts = item["bytes"] is None or item["hash"] is None
        if missing_facts and base is not None and (base / entry["path"]).is_file():
            item.update(file_facts(base / entry["path"]))
        files.append(item)

    (own,) = formats_listed_in(RESOURCE)
    for resource in descriptor.get("resources") or []:
        name = resource["name"]
        values = {
            "name": name,
            "title": resource.get("title") or name,
            "about": resource.get("description")
            or (resource.get("schema") or {}).get("description"),
        }
        add(resource, own.title, own.description, **values, label=own.label)
        for extra in resource.get("x-formats") or []:
            label = extra.get("x-label", extra["format"])
            add(extra, *_copy_format(extra, name), **values, label=label)
    for package_wide in formats_listed_in():
        entry = descriptor.get(package_wide.listed_in)
        if entry:
            add(entry, package_wide.title, package_wide.description, label=package_wide.label)
    return files
