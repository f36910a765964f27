"""The problem-code catalogue: every code :func:`~palliativ_data.validate` can report.

Each :class:`ProblemCode` has the code (``Problem.code``), the layer of validation that finds
it, a short title and what to do, in English and Swedish. :data:`CODES` is the one list: the
rules in :data:`~palliativ_data._validation.rules.RULES` take their codes from it
(:func:`codes`), the frictionless layer passes through exactly the codes marked
``frictionless`` here, and the site's "Problem codes" / "Problemkoder" page lists it, one
anchor per code (:func:`anchor`).

To add a code: one entry in :data:`CODES`, then a case of the bad corpus that reports it
(``tests/test_validate_codes.py`` checks both ways: every code the validator can emit is here,
and every code here is reported by a case).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Layer = Literal["descriptor", "files", "tables", "cross-table"]

LANGUAGES = ("en", "sv")
"""The languages of the catalogue's texts."""


@dataclass(frozen=True)
class ProblemCode:
    """One problem code: where it is found, what it means and what to do, in both languages."""

    code: str
    layer: Layer
    title_en: str
    todo_en: str
    title_sv: str
    todo_sv: str
    frictionless: bool = False
    """frictionless reports it too (its error type, passed through under the same code; an
    error type not marked so is reported as ``source-error``)."""

    def title(self, lang: str) -> str:
        """The short title in ``lang`` (``"en"`` or ``"sv"``)."""
        return self.title_sv if _language(lang) == "sv" else self.title_en

    def todo(self, lang: str) -> str:
        """What to do, in ``lang`` (``"en"`` or ``"sv"``)."""
        return self.todo_sv if _language(lang) == "sv" else self.todo_en


def _language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


LAYERS: Mapping[Layer, tuple[str, str]] = {
    "descriptor": ("The descriptor", "Deskriptorn"),
    "files": ("The files", "Filerna"),
    "tables": (
        "Tables: header, cells, rows and keys",
        "Tabellerna: rubrikrad, celler, rader och nycklar",
    ),
    "cross-table": ("Rules across rows and tables", "Regler mellan rader och tabeller"),
}
"""Each layer's heading on the page, English and Swedish, in the order validation runs."""

_SCHEMA = "in this repository: in schema/, then `palliativ-data generate`"
_SCHEMA_SV = "i det här repot: i schema/, sedan `palliativ-data generate`"

CODES: tuple[ProblemCode, ...] = (
    # -- the descriptor
    ProblemCode(
        "package-error",
        "descriptor",
        "No package at the path, a descriptor that is not a JSON object with resources, an "
        "unreadable schema file, or a descriptor frictionless cannot open.",
        "Point `validate` at the folder that holds `datapackage.json` (or at the file itself), "
        "and fix the descriptor the message names; its rows are checked once it opens.",
        "Inget paket på sökvägen, en deskriptor som inte är ett JSON-objekt med resurser, en "
        "schemafil som inte går att läsa eller en deskriptor som frictionless inte kan öppna.",
        "Peka `validate` på mappen med `datapackage.json` (eller på filen) och rätta det i "
        "deskriptorn som meddelandet nämner; raderna kontrolleras när den går att öppna.",
    ),
    ProblemCode(
        "json-error",
        "descriptor",
        "`datapackage.json` is not valid JSON: a syntax error, not UTF-8, nested too deep, a "
        "number too long or `NaN`.",
        "Correct the JSON at the line the message gives and save it as UTF-8 (in this "
        "repository: `palliativ-data generate` writes it).",
        "`datapackage.json` är inte giltig JSON: ett syntaxfel, inte UTF-8, för djupt nästlad, "
        "ett för långt tal eller `NaN`.",
        "Rätta JSON-texten på raden som meddelandet anger och spara som UTF-8 (i det här "
        "repot skriver `palliativ-data generate` filen).",
    ),
    ProblemCode(
        "profile-error",
        "descriptor",
        "The descriptor breaks the Data Package v2 profile, or the package's own rules for "
        "`$schema`, `name`, `version`, resource names and inline Table Schemas.",
        f"Correct the property the message names (the field gives its place; {_SCHEMA}).",
        "Deskriptorn bryter mot profilen för Data Package v2 eller mot paketets egna regler för "
        "`$schema`, `name`, `version`, resursnamn och inbäddade tabellscheman.",
        f"Rätta egenskapen som meddelandet nämner (fältet anger var; {_SCHEMA_SV}).",
    ),
    ProblemCode(
        "resource-missing",
        "descriptor",
        "A resource the project's packages always have is not declared.",
        "Add the resource with its file `data/<resource>.csv`: copy `datapackage.json` from the "
        "release you started from (in this repository: `palliativ-data generate`).",
        "En resurs som projektets paket alltid har saknas i deskriptorn.",
        "Lägg till resursen med filen `data/<resurs>.csv`: kopiera `datapackage.json` från den "
        "utgåva du utgick från (i det här repot: `palliativ-data generate`).",
    ),
    ProblemCode(
        "resource-path",
        "descriptor",
        "A path is not one local file inside the package: a URL, a list, inline data, an "
        "absolute path, `..`, or a link that leads out of the folder.",
        "Put the file in the package folder and point to it with a relative path, e.g. "
        "`data/<resource>.csv`.",
        "En sökväg är inte en lokal fil i paketet: en URL, en lista, inbäddade data, en absolut "
        "sökväg, `..` eller en länk som leder ut ur mappen.",
        "Lägg filen i paketmappen och peka på den med en relativ sökväg, t.ex. "
        "`data/<resurs>.csv`.",
    ),
    ProblemCode(
        "schema-mismatch",
        "descriptor",
        "A resource's fields, a field's type, format, constraints or another property that "
        "changes how a cell is read, its primary key, dialect or encoding differ from the "
        "project's `schema/`.",
        "Keep the schema of the data version: copy `datapackage.json` from the release you "
        "started from. Changing the schema needs a new major data version.",
        "En resurs fält, ett fälts typ, format, villkor eller annan egenskap som ändrar hur en "
        "cell läses, dess primärnyckel, dialekt eller teckenkodning skiljer sig från projektets "
        "`schema/`.",
        "Behåll dataversionens schema: kopiera `datapackage.json` från den utgåva du utgick "
        "från. Att ändra schemat kräver en ny huvudversion av data.",
    ),
    ProblemCode(
        "unknown-resource",
        "descriptor",
        "The package declares a resource this project's `schema/` does not define (names are "
        "case-sensitive); it is not read.",
        "Remove it: a package of this project holds exactly the resources of its `schema/`.",
        "Paketet deklarerar en resurs som projektets `schema/` inte definierar (stora och små "
        "bokstäver räknas); den läses inte.",
        "Ta bort den: ett paket i det här projektet har exakt resurserna i dess `schema/`.",
    ),
    ProblemCode(
        "unknown-key",
        "descriptor",
        "The descriptor has a key the project does not write, such as `profile`, `extrapaths` "
        "or an `x-` object of its own; it is not read, fetched or published.",
        "Remove it (copy `datapackage.json` from the release you started from; in this "
        "repository: `palliativ-data generate`).",
        "Deskriptorn har en nyckel som projektet inte skriver, till exempel `profile`, "
        "`extrapaths` eller ett eget `x-`-objekt; den läses, hämtas och publiceras inte.",
        "Ta bort den (kopiera `datapackage.json` från den utgåva du utgick från; i det här "
        "repot: `palliativ-data generate`).",
    ),
    ProblemCode(
        "descriptor-value",
        "descriptor",
        "A value the release's metadata publishes is not what it can carry: a title, "
        "description or keyword with a control character, a URL that is not an absolute "
        "http(s) address, or an `x-publication` that is malformed.",
        f"Correct the value the message names ({_SCHEMA}).",
        "Ett värde som utgåvans metadata publicerar går inte att bära där: en titel, "
        "beskrivning eller ett nyckelord med ett styrtecken, en URL som inte är en absolut "
        "http(s)-adress, eller ett felaktigt `x-publication`.",
        f"Rätta värdet som meddelandet nämner ({_SCHEMA_SV}).",
    ),
    # -- the files
    ProblemCode(
        "file-missing",
        "files",
        "A file the descriptor names does not exist, or is not a regular file.",
        "Add the file (UTF-8, comma-separated, a header row) or correct its path.",
        "En fil som deskriptorn nämner finns inte, eller är inte en vanlig fil.",
        "Lägg till filen (UTF-8, kommaseparerad, en rubrikrad) eller rätta sökvägen.",
    ),
    ProblemCode(
        "encoding-error",
        "files",
        "A CSV file is not UTF-8 (often Windows-1252, as plain 'CSV' from Excel saves it); its "
        "rows are not checked.",
        "Save it as UTF-8 (Excel: 'CSV UTF-8'; LibreOffice: character set 'Unicode (UTF-8)') "
        "and validate again.",
        "En CSV-fil är inte UTF-8 (ofta Windows-1252, som Excel sparar vanlig 'CSV'); dess rader "
        "kontrolleras inte.",
        "Spara den som UTF-8 (Excel: 'CSV UTF-8'; LibreOffice: teckenuppsättning 'Unicode "
        "(UTF-8)') och validera igen.",
        frictionless=True,
    ),
    ProblemCode(
        "csv-dialect",
        "files",
        "A CSV file is separated by semicolons or tabs, starts with a byte-order mark or has "
        "CRLF (Windows) line endings.",
        "Save it as UTF-8 without BOM, comma-separated, with `\\n` line endings (LibreOffice: "
        "Save As › Text CSV, field delimiter ',').",
        "En CSV-fil är separerad med semikolon eller tabb, börjar med ett BOM-tecken eller har "
        "CRLF-radslut (Windows).",
        "Spara den som UTF-8 utan BOM, kommaseparerad, med `\\n` som radslut (LibreOffice: "
        "Spara som › Text CSV, fältavgränsare ',').",
    ),
    ProblemCode(
        "line-too-long",
        "files",
        "A line of a CSV file (or its header row) is longer than the limit, or the file has no "
        "line breaks; it is not read further.",
        "Check that it is a CSV file with one row per line and `\\n` line breaks.",
        "En rad i en CSV-fil (eller dess rubrikrad) är längre än gränsen, eller så saknar "
        "filen radbrytningar; den läses inte vidare.",
        "Kontrollera att det är en CSV-fil med en rad per post och `\\n` som radbrytning.",
    ),
    ProblemCode(
        "byte-count",
        "files",
        "A file's size differs from the `bytes` declared for it (also a release's Parquet and "
        "SQLite copies).",
        "Fetch the file again if it came with a release (it is damaged or incomplete); if you "
        "changed it on purpose, declare its new size (in this repository: `palliativ-data "
        "build` writes it).",
        "En fils storlek skiljer sig från `bytes` som deklareras för den (även en utgåvas "
        "Parquet- och SQLite-kopior).",
        "Hämta filen igen om den kom med en utgåva (den är skadad eller ofullständig); om du "
        "ändrade den med avsikt, ange den nya storleken (i det här repot skriver "
        "`palliativ-data build` den).",
        frictionless=True,
    ),
    ProblemCode(
        "hash-count",
        "files",
        "A file's checksum differs from the `hash` declared for it (also a release's Parquet "
        "and SQLite copies).",
        "Fetch the file again if it came with a release (it is damaged or was changed); if you "
        "changed it on purpose, declare its new hash (in this repository: `palliativ-data "
        "build` writes it).",
        "En fils kontrollsumma skiljer sig från `hash` som deklareras för den (även en utgåvas "
        "Parquet- och SQLite-kopior).",
        "Hämta filen igen om den kom med en utgåva (den är skadad eller ändrad); om du ändrade "
        "den med avsikt, ange den nya kontrollsumman (i det här repot skriver "
        "`palliativ-data build` den).",
        frictionless=True,
    ),
    ProblemCode(
        "copy-unreadable",
        "files",
        "A copy a release declares (Parquet, SQLite) cannot be read as its format, although its "
        "size and hash match the descriptor: the release was changed or damaged.",
        "Download the release again, or build it from the package with `palliativ-data build`.",
        "En kopia som en utgåva deklarerar (Parquet, SQLite) går inte att läsa i sitt format, "
        "fast storlek och kontrollsumma stämmer med deskriptorn: utgåvan är ändrad eller skadad.",
        "Hämta utgåvan igen, eller bygg den från paketet med `palliativ-data build`.",
    ),
    ProblemCode(
        "copy-schema",
        "files",
        "A copy a release declares has other columns, or columns of other types, than its "
        "table's schema (Parquet: read from the file's footer, before any row).",
        "Download the release again, or build it with `palliativ-data build`; a copy is "
        "written from the CSV and the schema, never edited.",
        "En kopia som en utgåva deklarerar har andra kolumner, eller kolumner av andra typer, än "
        "tabellens schema (Parquet: läst ur filens sidfot, före första raden).",
        "Hämta utgåvan igen, eller bygg den med `palliativ-data build`; en kopia skrivs från "
        "CSV-filen och schemat och redigeras aldrig.",
    ),
    ProblemCode(
        "copy-rows",
        "files",
        "A copy a release declares holds another number of rows than its CSV, or more rows or "
        "bytes than a copy of that CSV can hold (a decompression bomb is refused undecoded).",
        "Download the release again, or build it with `palliativ-data build`.",
        "En kopia som en utgåva deklarerar har ett annat antal rader än sin CSV-fil, eller fler "
        "rader eller byte än en kopia av den CSV-filen kan ha (en dekomprimeringsbomb avvisas "
        "utan att packas upp).",
        "Hämta utgåvan igen, eller bygg den med `palliativ-data build`.",
    ),
    ProblemCode(
        "copy-differs",
        "files",
        "A copy a release declares holds other values than its CSV (the message names the "
        "column, the first row and its primary key), although every hash matches.",
        "Download the release again, or build it with `palliativ-data build`; `load()` reads "
        "the Parquet copy, so it must hold exactly the rows `validate` checked in the CSV.",
        "En kopia som en utgåva deklarerar har andra värden än sin CSV-fil (meddelandet anger "
        "kolumnen, första raden och dess primärnyckel), fast alla kontrollsummor stämmer.",
        "Hämta utgåvan igen, eller bygg den med `palliativ-data build`; `load()` läser "
        "Parquet-kopian, så den måste ha exakt de rader som `validate` kontrollerade i CSV-filen.",
    ),
    ProblemCode(
        "copy-unknown",
        "files",
        "A release declares a copy in a format palliativ-data does not write, so it cannot be "
        "checked against its CSV.",
        "Remove the entry from `x-formats` (and the file), or build the release with "
        "`palliativ-data build`.",
        "En utgåva deklarerar en kopia i ett format som palliativ-data inte skriver, så den går "
        "inte att kontrollera mot sin CSV-fil.",
        "Ta bort posten ur `x-formats` (och filen), eller bygg utgåvan med `palliativ-data build`.",
    ),
    ProblemCode(
        "row-count",
        "files",
        "A file has another number of rows than the `rows` declared for its resource.",
        "Restore the missing rows, or correct or remove `rows` in the descriptor.",
        "En fil har ett annat antal rader än `rows` som deklareras för resursen.",
        "Återställ de rader som saknas, eller rätta eller ta bort `rows` i deskriptorn.",
        frictionless=True,
    ),
    ProblemCode(
        "field-count",
        "files",
        "A file has another number of columns than the `fields` declared for its resource.",
        "Correct or remove `fields` in the descriptor, or restore the file's columns.",
        "En fil har ett annat antal kolumner än `fields` som deklareras för resursen.",
        "Rätta eller ta bort `fields` i deskriptorn, eller återställ filens kolumner.",
        frictionless=True,
    ),
    ProblemCode(
        "compression-error",
        "files",
        "frictionless took a file for a compressed one (its path ends in `.zip` or `.gz`) and "
        "could not unpack it.",
        "Keep each table as a plain, uncompressed `.csv` file and point its path to it (unpack "
        "a release's zip first).",
        "frictionless tog en fil för en komprimerad fil (sökvägen slutar på `.zip` eller `.gz`) "
        "och kunde inte packa upp den.",
        "Ha varje tabell som en vanlig, okomprimerad `.csv`-fil och peka på den (packa upp en "
        "utgåvas zip-fil först).",
        frictionless=True,
    ),
    ProblemCode(
        "source-error",
        "files",
        "frictionless could not read a file as a table: it is empty, or of a format it reads "
        "otherwise than CSV.",
        "Make it a UTF-8, comma-separated CSV file with a header row, named `.csv`.",
        "frictionless kunde inte läsa en fil som en tabell: den är tom, eller i ett format som "
        "läses på annat sätt än CSV.",
        "Gör den till en kommaseparerad CSV-fil i UTF-8 med en rubrikrad, med namnet `.csv`.",
        frictionless=True,
    ),
    # -- the tables
    ProblemCode(
        "incorrect-label",
        "tables",
        "A header label is not the name of the field in its column (spaces around it count).",
        "Write the header as the field names, in schema order, without spaces around them.",
        "En rubrik är inte namnet på fältet i sin kolumn (mellanslag runt den räknas).",
        "Skriv rubrikraden som fältnamnen, i schemats ordning, utan mellanslag runt dem.",
        frictionless=True,
    ),
    ProblemCode(
        "missing-label",
        "tables",
        "The header has no label for a field of the schema.",
        "Add the missing column: its label in the header and a cell in every row.",
        "Rubrikraden saknar en rubrik för ett fält i schemat.",
        "Lägg till kolumnen som saknas: rubriken och en cell på varje rad.",
        frictionless=True,
    ),
    ProblemCode(
        "extra-label",
        "tables",
        "The header has a label the schema does not have.",
        "Remove the extra column, or check that the descriptor belongs to this data version.",
        "Rubrikraden har en rubrik som schemat inte har.",
        "Ta bort den extra kolumnen, eller kontrollera att deskriptorn hör till den här "
        "dataversionen.",
        frictionless=True,
    ),
    ProblemCode(
        "duplicate-label",
        "tables",
        "A header label appears more than once.",
        "Rename the column to the field the schema has there, or remove it.",
        "En rubrik förekommer mer än en gång.",
        "Byt namn på kolumnen till det fält som schemat har där, eller ta bort den.",
        frictionless=True,
    ),
    ProblemCode(
        "blank-label",
        "tables",
        "A header label is empty.",
        "Write the field's name in the header.",
        "En rubrik är tom.",
        "Skriv fältets namn i rubrikraden.",
        frictionless=True,
    ),
    ProblemCode(
        "missing-cell",
        "tables",
        "A row has fewer cells than the header.",
        "Look for a missing comma, or a line break inside a cell that is not quoted.",
        "En rad har färre celler än rubrikraden.",
        "Leta efter ett komma som saknas, eller en radbrytning i en cell utan citattecken.",
        frictionless=True,
    ),
    ProblemCode(
        "extra-cell",
        "tables",
        "A row has more cells than the header.",
        "Quote cells that contain commas, or remove the extra value.",
        "En rad har fler celler än rubrikraden.",
        "Sätt citattecken runt celler som innehåller kommatecken, eller ta bort det extra värdet.",
        frictionless=True,
    ),
    ProblemCode(
        "blank-row",
        "tables",
        "A row is completely blank.",
        "Delete the row.",
        "En rad är helt tom.",
        "Ta bort raden.",
        frictionless=True,
    ),
    ProblemCode(
        "type-error",
        "tables",
        "A value is not of its field's type (an integer, an ISO date, true or false…), or has "
        "spaces or a line break around it.",
        "Write the value as the type asks; the message gives an example.",
        "Ett värde har inte fältets typ (ett heltal, ett ISO-datum, true eller false …), eller "
        "har mellanslag eller en radbrytning runt sig.",
        "Skriv värdet som typen kräver; meddelandet ger ett exempel.",
        frictionless=True,
    ),
    ProblemCode(
        "constraint-error",
        "tables",
        "A value breaks a rule of its field: required but empty, not one of the allowed "
        "values, not matching the pattern, or outside the allowed range.",
        "Use an allowed value; the message lists them or shows the pattern (mind leading "
        "zeros, which spreadsheets drop).",
        "Ett värde bryter mot en regel för fältet: obligatoriskt men tomt, inte ett av de "
        "tillåtna värdena, följer inte mönstret eller ligger utanför det tillåtna intervallet.",
        "Använd ett tillåtet värde; meddelandet listar dem eller visar mönstret (tänk på "
        "inledande nollor, som kalkylprogram tar bort).",
        frictionless=True,
    ),
    ProblemCode(
        "unique-error",
        "tables",
        "A value that must be unique in its column appears in more than one row.",
        "Correct one of the rows the message names.",
        "Ett värde som ska vara unikt i sin kolumn finns på mer än en rad.",
        "Rätta en av raderna som meddelandet nämner.",
        frictionless=True,
    ),
    ProblemCode(
        "primary-key",
        "tables",
        "Two rows have the same key (the fields that identify a row).",
        "Delete the duplicate row or correct its key.",
        "Två rader har samma nyckel (de fält som identifierar en rad).",
        "Ta bort dubbletten eller rätta dess nyckel.",
        frictionless=True,
    ),
    ProblemCode(
        "foreign-key",
        "tables",
        "A value refers to a row that does not exist in the table it points to (also a "
        "reference the project's schema declares but the descriptor has dropped).",
        "Use a value that exists there (the message lists them when there are few), or add "
        "the missing row to that table.",
        "Ett värde hänvisar till en rad som inte finns i tabellen det pekar på (även en "
        "hänvisning som projektets schema har men deskriptorn har tagit bort).",
        "Använd ett värde som finns där (meddelandet listar dem när de är få), eller lägg till "
        "raden som saknas i den tabellen.",
        frictionless=True,
    ),
    ProblemCode(
        "control-character",
        "tables",
        "A text cell holds a control character: NUL, a terminal escape sequence, a tab or CR "
        "(a line break inside a quoted cell is fine).",
        "Delete the character; it is often pasted in from another program.",
        "En textcell innehåller ett styrtecken: NUL, en terminalsekvens, en tabb eller CR (en "
        "radbrytning i en cell med citattecken går bra).",
        "Ta bort tecknet; det kommer ofta med när text klistras in från ett annat program.",
    ),
    ProblemCode(
        "blank-text",
        "tables",
        "A required text cell holds only spaces.",
        "Write the value, or leave the row out.",
        "En obligatorisk textcell innehåller bara mellanslag.",
        "Skriv värdet, eller ta bort raden.",
    ),
    ProblemCode(
        "error-limit",
        "tables",
        "frictionless stopped checking a file's rows after 10,000 problems; there may be more.",
        "Fix the problems listed and validate again, or pass `--all` (`all_problems=True`) to "
        "check every row.",
        "frictionless slutade kontrollera en fils rader efter 10 000 problem; det kan finnas fler.",
        "Rätta problemen i listan och validera igen, eller använd `--all` "
        "(`all_problems=True`) för att kontrollera alla rader.",
    ),
    # -- across rows and tables
    ProblemCode(
        "classification-missing",
        "cross-table",
        "A region has no classification in a follow-up edition.",
        "Add a row for it (category `no_response` if it did not answer).",
        "En region saknar klassificering i en uppföljande utgåva.",
        "Lägg till en rad för regionen (kategorin `no_response` om den inte svarade).",
    ),
    ProblemCode(
        "classification-duplicate",
        "cross-table",
        "A region has more than one classification in an edition.",
        "Delete one of the rows: a region has exactly one classification per follow-up edition.",
        "En region har mer än en klassificering i en utgåva.",
        "Ta bort en av raderna: en region har exakt en klassificering per uppföljande utgåva.",
    ),
    ProblemCode(
        "classification-edition-kind",
        "cross-table",
        "A classification names an edition that is not a follow-up.",
        "Correct the edition, or delete the row.",
        "En klassificering anger en utgåva som inte är en uppföljning.",
        "Rätta utgåvan, eller ta bort raden.",
    ),
    ProblemCode(
        "no-response-mismatch",
        "cross-table",
        "A region is classified `no_response` although it answered in that edition, or "
        "otherwise although it did not.",
        "Choose the category the edition gives the region, or add or remove its responses.",
        "En region är klassificerad som `no_response` fast den svarade i utgåvan, eller som "
        "något annat fast den inte svarade.",
        "Välj den kategori som utgåvan ger regionen, eller lägg till eller ta bort dess svar.",
    ),
    ProblemCode(
        "gap-key-region",
        "cross-table",
        "A `gap_key` is used for more than one region.",
        "Give the gap its own key, or correct `region_code`: a `gap_key` names one gap of one "
        "region in every edition.",
        "En `gap_key` används för mer än en region.",
        "Ge bristen en egen nyckel, eller rätta `region_code`: en `gap_key` betecknar en brist "
        "i en region i alla utgåvor.",
    ),
    ProblemCode(
        "gap-key-function",
        "cross-table",
        "A `gap_key` is used for more than one function.",
        "Give the gap its own key, or correct `function`.",
        "En `gap_key` används för mer än en funktion.",
        "Ge bristen en egen nyckel, eller rätta `function`.",
    ),
    ProblemCode(
        "gap-key-prefix",
        "cross-table",
        "A `gap_key` starts with the code of another region than the gap's.",
        "Correct `gap_key` (`<region_code>-<function>…` of its own region) or `region_code`.",
        "En `gap_key` börjar med koden för en annan region än bristens.",
        "Rätta `gap_key` (`<region_code>-<function>…` för den egna regionen) eller `region_code`.",
    ),
    ProblemCode(
        "gap-answer-mismatch",
        "cross-table",
        "A gap answer names another edition than the one its response follows up, or a gap "
        "of another region.",
        "Set `edition` to the edition the response's edition follows up, and answer only "
        "about the region's own gaps.",
        "Ett svar om en brist anger en annan utgåva än den som svarets utgåva följer upp, eller "
        "en brist i en annan region.",
        "Sätt `edition` till den utgåva som svarets utgåva följer upp, och svara bara om "
        "regionens egna brister.",
    ),
    ProblemCode(
        "gap-statement-shape",
        "cross-table",
        "A region's statement lacks a field its kind needs, has one its kind leaves empty, or "
        "has a target quarter without a year.",
        "Fill in or empty the field the message names, as the workbook has it, or correct `kind`.",
        "En uppgift från en region saknar ett fält som dess typ kräver, har ett fält som typen "
        "lämnar tomt, eller har ett målkvartal utan år.",
        "Fyll i eller töm fältet som meddelandet nämner, så som arbetsboken har det, eller rätta "
        "`kind`.",
    ),
    ProblemCode(
        "gap-statement-mismatch",
        "cross-table",
        "A region's statement names another edition than the one its response follows up, or "
        "a gap of another region.",
        "Correct `edition` or `gap_key` (or the response's edition): a region states things "
        "about its own gaps of the edition it follows up.",
        "En uppgift från en region anger en annan utgåva än den som svaret följer upp, eller en "
        "brist i en annan region.",
        "Rätta `edition` eller `gap_key` (eller svarets utgåva): en region uppger saker om sina "
        "egna brister i den utgåva som följs upp.",
    ),
    ProblemCode(
        "gap-statement-duplicate",
        "cross-table",
        "A response has two statements about the same listed gap.",
        "Delete one of the rows: a workbook has one row per listed gap.",
        "Ett svar har två uppgifter om samma listade brist.",
        "Ta bort en av raderna: en arbetsbok har en rad per listad brist.",
    ),
    ProblemCode(
        "gap-statement-reading",
        "cross-table",
        "A listed gap's statement has no reading in `gap_answers`, or is still marked "
        "'suggested' although a curator has changed the reading.",
        "Add the `gap_answers` row (`palliativ-data round import` writes it as a suggestion), "
        "or set `curation` to 'curated'.",
        "En uppgift om en listad brist saknar läsning i `gap_answers`, eller är fortfarande "
        "markerad 'suggested' fast en granskare har ändrat läsningen.",
        "Lägg till raden i `gap_answers` (`palliativ-data round import` skriver den som "
        "förslag), eller sätt `curation` till 'curated'.",
    ),
    ProblemCode(
        "party-kind",
        "cross-table",
        "`party` is set on a response that is neither political nor joint.",
        "Empty `party`, or correct `kind`.",
        "`party` är ifyllt för ett svar som varken är politiskt eller gemensamt.",
        "Töm `party`, eller rätta `kind`.",
    ),
    ProblemCode(
        "supplements-region",
        "cross-table",
        "A response supplements itself, or a response of another region.",
        "Name a response of the same region in `supplements`, or empty it.",
        "Ett svar kompletterar sig självt, eller ett svar från en annan region.",
        "Ange ett svar från samma region i `supplements`, eller töm fältet.",
    ),
)
"""Every problem code, grouped by layer in the order validation runs."""

FRICTIONLESS_CODES = frozenset(entry.code for entry in CODES if entry.frictionless)
"""frictionless' error types the frictionless layer reports under their own code."""


class UnknownCodeError(LookupError):
    """A rule names a code that is not in the catalogue (a developer's mistake)."""


def codes(*names: str) -> tuple[ProblemCode, ...]:
    """The catalogue's entries for ``names``, for a rule's ``codes``.

    Raises:
        UnknownCodeError: A name is not catalogued (add it to :data:`CODES` first).

    Example:
        >>> [entry.layer for entry in codes("gap-key-prefix", "blank-text")]
        ['cross-table', 'tables']
    """
    catalogue = {entry.code: entry for entry in CODES}
    missing = [name for name in names if name not in catalogue]
    if missing:
        raise UnknownCodeError(
            f"problem code(s) {', '.join(missing)} are not in the catalogue; add an entry to "
            "CODES in palliativ_data/_validation/codes.py."
        )
    return tuple(catalogue[name] for name in names)


def anchor(code: str) -> str:
    """The id of ``code``'s heading on the problem-code page (link ``<page>#<anchor>``).

    Example:
        >>> anchor("gap-key-prefix")
        'gap-key-prefix'
    """
    (entry,) = codes(code)
    return entry.code
