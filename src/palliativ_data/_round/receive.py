"""Receive: read the returned workbooks, report every problem by file › sheet › cell, and read
each clean workbook into what it states (:class:`Returned`).

Each file is first checked as an archive (:mod:`.safety`), then parsed with openpyxl (read-only,
cached values only, links not kept; its XML parsed with defusedxml), then checked cell by cell
against the package: the workbook's round and region, the pre-filled gaps, and every answer.
A file with a problem is never half read: :func:`read_folder` returns the problems of every file,
and the import writes nothing unless there are none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import form
from .answers import AnswerReader, known_words, same, short
from .content import Choice, Choices, RegionList, label_of
from .problems import RoundProblem
from .safety import ArchiveProblem, check_file

if TYPE_CHECKING:  # pragma: no cover
    from .. import _models as m
    from .._package import Package

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".ods")
"""Files of the returned folder that are read as workbooks (all but .xlsx are refused)."""


@dataclass(frozen=True)
class Statement:
    """One row of the region's statements, as read from the workbook (a ``gap_statements`` row
    without the ids the import gives it)."""

    kind: str
    row: int
    sheet: str
    gap: m.Gap | None = None
    function: str | None = None
    region_status: str | None = None
    decision_date: dt.date | None = None
    decision_body: str | None = None
    decision_ref: str | None = None
    action_text: str | None = None
    target_year: int | None = None
    target_quarter: int | None = None
    statement_text: str | None = None


@dataclass(frozen=True)
class Returned:
    """What one clean workbook states.

    Attributes:
        file: The file name.
        region: The region the workbook is for.
        organisation: The organisation that answers.
        role: The responder's role (no name).
        kind: ``responses.kind``.
        date: The date of the answer, where given.
        statements: The listed gaps (in list order), then the other rows.
    """

    file: str
    region: m.Region
    organisation: str
    role: str
    kind: str
    date: dt.date | None
    statements: tuple[Statement, ...]


@dataclass
class Folder:
    """The outcome of reading a folder: the round it is, the clean workbooks, the problems."""

    round: str | None = None
    from_edition: str | None = None
    returned: list[Returned] = field(default_factory=list)
    problems: list[RoundProblem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


class _Sheet:
    """The values of one sheet: ``(row, column letter) → value``, empty cells left out."""

    def __init__(self, values: dict[tuple[int, str], Any]) -> None:
        self.values = values

    def get(self, row: int, letter: str) -> Any:
        return self.values.get((row, letter))

    def rows(self) -> list[int]:
        return sorted({row for row, _ in self.values})


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _load(path: Path) -> tuple[dict[str, _Sheet], dict[str, str]]:
    """Every sheet's non-empty values and each sheet's state (visible, hidden, veryHidden)."""
    # deferred: openpyxl only for the import
    import openpyxl

    book = openpyxl.load_workbook(
        path, read_only=True, data_only=True, keep_links=False, keep_vba=False
    )
    try:
        sheets: dict[str, _Sheet] = {}
        states: dict[str, str] = {}
        for sheet in book.worksheets:
            values: dict[tuple[int, str], Any] = {}
            for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                for index, value in enumerate(row):
                    if value is not None and value != "":
                        values[(row_number, _letter(index))] = value
            sheets[sheet.title] = _Sheet(values)
            states[sheet.title] = sheet.sheet_state
        return sheets, states
    finally:
        book.close()


# --------------------------------------------------------------------------- one workbook


def _meta(sheets: dict[str, _Sheet]) -> dict[str, str] | None:
    sheet = sheets.get(form.META)
    if sheet is None:
        return None
    meta = {
        str(sheet.get(row, "A")): str(sheet.get(row, "B") or "")
        for row in range(1, len(form.META_KEYS) + 1)
    }
    return meta if meta.get("format") == form.FORMAT else None


def _read_responder(
    reader: AnswerReader, sheet: _Sheet, region: m.Region
) -> tuple[str | None, str | None, str | None, dt.date | None]:
    name = form.RESPONDER
    fields = {f.key: f for f in form.RESPONDER_FIELDS}
    region_cell = fields["region"].cell
    if not same(sheet.get(fields["region"].row, "B"), region.name_official_sv):
        reader.add(
            name,
            region_cell,
            "locked-cell-changed",
            f"Cellen ska vara ”{region.name_official_sv}” och får inte ändras. Använd den fil "
            "som skickades till regionen.",
            f"The locked cell should read '{region.name_official_sv}'. Ask for the workbook "
            "that was sent to the region.",
        )
    values = {key: sheet.get(f.row, "B") for key, f in fields.items()}
    organisation = reader.text(
        name, fields["organisation"].cell, values["organisation"], people=True
    )
    role = reader.text(name, fields["role"].cell, values["role"], people=True)
    kind = reader.choice(
        name, fields["kind"].cell, values["kind"], reader.choices.response_kinds, "vem som svarar"
    )
    date = reader.date(name, fields["date"].cell, values["date"])
    for key, sv, en in (
        ("organisation", "Organisationen som svarar", "The organisation that answers"),
        ("role", "Rollen för den som svarar", "The responder's role"),
        ("kind", "Vem svaret kommer från", "Who the answer comes from"),
    ):
        if values[key] is None or str(values[key]).strip() == "":
            reader.required(name, fields[key].cell, sv, en)
    return organisation, role, kind, date


def _read_gaps(reader: AnswerReader, sheet: _Sheet, item: RegionList) -> list[Statement]:
    name = form.GAPS
    col = {c.key: c for c in form.GAP_COLUMNS}
    functions = {c.code: c.label for c in reader.choices.functions}
    by_key: dict[str, int] = {}
    for row in sheet.rows():
        if row < form.FIRST_ROW:
            continue
        key = sheet.get(row, col["gap_key"].letter)
        known = {gap.gap_key for gap in item.gaps}
        if isinstance(key, str) and key in known and key not in by_key:
            by_key[key] = row
            continue
        reader.add(
            name,
            form.cell(col["number"], row),
            "gap-row-added",
            f"Rad {row} är inte en av de listade bristerna. Ta bort raden; en brist som saknas i "
            f"listan skrivs på bladet {form.OTHER}.",
            f"Row {row} is not one of the listed gaps. Ask for the row to be removed; a gap "
            f"missing from the list goes on the sheet {form.OTHER}.",
        )
    statements = []
    decided, planned = (label_of(reader.choices.statuses, c) for c in ("action_decided", "planned"))
    for number, gap in enumerate(item.gaps, start=1):
        expected_row = form.FIRST_ROW + number - 1
        found = by_key.get(gap.gap_key)
        if found is None:
            reader.add(
                name,
                form.cell(col["number"], expected_row),
                "gap-row-missing",
                f"Raden för brist nr {number} (”{short(gap.label_sv)}”) saknas. Lägg tillbaka "
                "den: använd den fil som skickades till regionen.",
                f"The row of gap {number} ('{short(gap.label_sv)}') was deleted. Ask for the "
                "workbook that was sent to the region, filled in again.",
            )
            continue
        row = found
        facts: dict[str, str | int] = {
            "number": number,
            "label": gap.label_sv,
            "function": functions.get(gap.function, gap.function),
            "sub_area": gap.sub_area or "",
        }
        for key, expected in facts.items():
            value = sheet.get(row, col[key].letter)
            if not same(value, expected):
                shown = f"”{expected}”" if expected != "" else "tom"
                reader.add(
                    name,
                    form.cell(col[key], row),
                    "locked-cell-changed",
                    f"Den låsta cellen ska vara {shown}. Ändra inte det förifyllda; skriv "
                    f"synpunkter på bristen i kolumn {col['statement_text'].letter}.",
                    f"The locked cell should read {repr(expected) if expected != '' else 'empty'}. "
                    f"Ask for it restored; comments on the gap go in column "
                    f"{col['statement_text'].letter}.",
                )
        values = {c.key: sheet.get(row, c.letter) for c in form.GAP_COLUMNS}

        def at(key: str, row: int = row) -> str:
            return form.cell(col[key], row)

        status = reader.choice(
            name, at("region_status"), values["region_status"], reader.choices.statuses, "läget"
        )
        if values["region_status"] is None:
            reader.required(
                name,
                at("region_status"),
                f"Läget för brist nr {number}",
                f"The status of gap {number}",
            )
        quarter = reader.choice(
            name,
            at("target_quarter"),
            values["target_quarter"],
            [Choice(q, q) for q in form.QUARTERS],
            "kvartal",
        )
        statement = Statement(
            kind="listed",
            row=row,
            sheet=name,
            gap=gap,
            region_status=status,
            decision_date=reader.date(name, at("decision_date"), values["decision_date"]),
            decision_body=reader.text(name, at("decision_body"), values["decision_body"]),
            decision_ref=reader.text(name, at("decision_ref"), values["decision_ref"]),
            action_text=reader.text(name, at("action_text"), values["action_text"]),
            target_year=reader.year(name, at("target_year"), values["target_year"]),
            target_quarter=int(quarter) if quarter else None,
            statement_text=reader.text(name, at("statement_text"), values["statement_text"]),
        )
        if values["target_quarter"] is not None and values["target_year"] is None:
            reader.required(
                name, at("target_year"), "Året för kvartalet", "The year of the quarter"
            )
        if status == "action_decided":
            for key, sv, en in (
                ("decision_date", "Beslutets datum", "The decision's date"),
                ("decision_body", "Organet som fattade beslutet", "The deciding body"),
            ):
                if values[key] is None:
                    reader.required(
                        name, at(key), f"{sv} (läget är ”{decided}”)", f"{en} (status '{decided}')"
                    )
        if status == "planned" and values["action_text"] is None:
            reader.required(
                name,
                at("action_text"),
                f"En beskrivning av åtgärden (läget är ”{planned}”)",
                f"A description of the action (status '{planned}')",
            )
        statements.append(statement)
    return statements


def _read_other(reader: AnswerReader, sheet: _Sheet, item: RegionList) -> list[Statement]:
    name = form.OTHER
    col = {c.key: c for c in form.OTHER_COLUMNS}
    numbers = [Choice(str(n), str(n)) for n in range(1, len(item.gaps) + 1)]
    statements = []
    for row in sheet.rows():
        if row < form.FIRST_ROW:
            continue
        values = {c.key: sheet.get(row, c.letter) for c in form.OTHER_COLUMNS}
        kind = reader.choice(
            name, form.cell(col["kind"], row), values["kind"], reader.choices.statement_kinds, "typ"
        )
        if values["kind"] is None:
            reader.required(
                name, form.cell(col["kind"], row), "Vad raden gäller", "What the row is about"
            )
        text = reader.text(name, form.cell(col["statement_text"], row), values["statement_text"])
        if text is None:
            reader.required(
                name, form.cell(col["statement_text"], row), "Beskrivningen", "The description"
            )
        gap = function = None
        if kind == "wrong":
            number = reader.choice(
                name, form.cell(col["number"], row), values["number"], numbers, "bristens nummer"
            )
            if values["number"] is None:
                reader.required(
                    name,
                    form.cell(col["number"], row),
                    "Numret på bristen som är fel",
                    "The number of the wrong gap",
                )
            gap = item.gaps[int(number) - 1] if number else None
        if kind == "missing":
            function = reader.choice(
                name,
                form.cell(col["function"], row),
                values["function"],
                reader.choices.functions,
                "funktion",
            )
            if values["function"] is None:
                reader.required(
                    name,
                    form.cell(col["function"], row),
                    "Funktionen som saknas",
                    "The missing function",
                )
        if kind is not None:
            statements.append(
                Statement(
                    kind=kind, row=row, sheet=name, gap=gap, function=function, statement_text=text
                )
            )
    return statements


def read_workbook(
    path: Path,
    pkg: Package,
    choices: Choices,
    lists_for: Callable[[str], dict[str, RegionList] | None],
    known_words: frozenset[str],
) -> tuple[dict[str, str] | None, Returned | None, list[RoundProblem]]:
    """Read one returned workbook: its file info, what it states, and its problems.

    ``lists_for(edition)`` gives the regions' gap lists of the edition the workbook asks
    about, or ``None`` when the package has no such edition.
    """
    reader = AnswerReader(path.name, choices, known_words)
    try:
        check_file(path)
        sheets, _states = _load(path)
    except ArchiveProblem as problem:
        reader.add("", "", problem.code, problem.detail_sv, problem.detail_en)
        return None, None, reader.problems
    except Exception as error:  # anything openpyxl or its XML parser raises: never a traceback
        code = "xml-entities" if _from_defusedxml(error) else "unreadable"
        reader.add(
            "",
            "",
            code,
            "Filen kan inte läsas som en Excel-arbetsbok. Spara den som Excel-arbetsbok (.xlsx) "
            "och skicka den igen.",
            f"The workbook cannot be read ({type(error).__name__}). Ask for it saved again as "
            "an Excel workbook (.xlsx).",
        )
        return None, None, reader.problems
    meta = _meta(sheets)
    if meta is None:
        reader.add(
            "",
            "",
            "not-our-workbook",
            "Filen är inte en av svarsfilerna vi skickade (filinformationen saknas). Använd den "
            "fil som kom med e-postmeddelandet.",
            "The file is not a response workbook of `palliativ-data round` (its file info is "
            "missing). Ask for the workbook that came with the e-mail.",
        )
        return None, None, reader.problems
    lists = lists_for(meta.get("from_edition", ""))
    if lists is None:
        reader.add(
            "",
            "",
            "wrong-round",
            f"Filen gäller brister från {meta.get('from_edition')}, som inte finns i uppgifterna. "
            "Använd den fil som skickades ut i år.",
            f"The workbook asks about the gaps of edition {meta.get('from_edition')!r}, which "
            "the package does not have. Import it with the package it was sent from.",
        )
        return meta, None, reader.problems
    item = lists.get(meta.get("region_code", ""))
    if item is None:
        reader.add(
            form.META,
            "B4",
            "unknown-region",
            "Filen gäller en region som inte finns i uppgifterna. Använd den fil som skickades "
            "till regionen.",
            f"The workbook is for region {meta.get('region_code')!r}, which the package does not "
            "have.",
        )
        return meta, None, reader.problems
    other = _named_region(path.name, item.region, pkg)
    if other is not None:
        reader.add(
            "",
            "",
            "wrong-region",
            f"Filnamnet anger {other}, men filen är {item.region.name_official_sv}s svarsfil. "
            "Kontrollera att rätt fil sparades under rätt namn.",
            f"The file name names {other}, but the workbook is {item.region.name_official_sv}'s. "
            "Check that the right workbook was saved under this name.",
        )
    missing = [name for name in (form.RESPONDER, form.GAPS, form.OTHER) if name not in sheets]
    for name in missing:
        reader.add(
            name,
            "",
            "sheet-missing",
            f"Bladet ”{name}” saknas (borttaget eller omdöpt). Använd den fil som skickades ut.",
            f"The sheet '{name}' is missing (deleted or renamed). Ask for the workbook that was "
            "sent out.",
        )
    if missing:
        return meta, None, reader.problems
    organisation, role, kind, date = _read_responder(reader, sheets[form.RESPONDER], item.region)
    statements = _read_gaps(reader, sheets[form.GAPS], item)
    statements += _read_other(reader, sheets[form.OTHER], item)
    if reader.problems or organisation is None or role is None or kind is None:
        return meta, None, reader.problems
    returned = Returned(
        file=path.name,
        region=item.region,
        organisation=organisation,
        role=role,
        kind=kind,
        date=date,
        statements=tuple(statements),
    )
    return meta, returned, reader.problems


def _from_defusedxml(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (openpyxl wraps its error in a ``ValueError``)."""
    seen = 0
    while error is not None and seen < 10:
        if type(error).__module__.startswith("defusedxml"):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _named_region(file_name: str, region: m.Region, pkg: Package) -> str | None:
    """Another region the file name names (and not the workbook's own), if any."""

    def names(item: m.Region) -> set[str]:
        found = {item.name_official_sv, item.name_source}
        found |= {alias.strip() for alias in (item.aliases or "").split(";") if alias.strip()}
        return {name.casefold() for name in found}

    stem = Path(file_name).stem.casefold()
    if any(name in stem for name in names(region)):
        return None
    for other in pkg.regions:
        if other.region_code != region.region_code and any(n in stem for n in names(other)):
            return str(other.name_official_sv)
    return None


def read_folder(folder: Path, pkg: Package) -> Folder:
    """Read every workbook in ``folder`` (not its subfolders); problems for all of them.

    Files whose names start with ``.`` or ``~$`` (hidden files, Excel's lock files) are left
    out; files that are not workbooks are left out too and named in :attr:`Folder.files`.
    """
    # deferred: the content helpers load the models
    from .content import region_lists

    result = Folder()
    choices = Choices.of(pkg)
    words = known_words(pkg)
    entries = sorted(folder.iterdir(), key=lambda path: path.name)
    workbooks = [
        path
        for path in entries
        if not path.name.startswith((".", "~$")) and path.suffix.lower() in WORKBOOK_SUFFIXES
    ]
    result.files = [path.name for path in workbooks]
    metas: dict[str, dict[str, str]] = {}
    read: list[tuple[Path, Returned | None]] = []
    editions = {edition.edition for edition in pkg.editions}
    cache: dict[str, dict[str, RegionList]] = {}

    def lists_for(edition: str) -> dict[str, RegionList] | None:
        if edition not in editions:
            return None
        if edition not in cache:
            cache[edition] = {item.region.region_code: item for item in region_lists(pkg, edition)}
        return cache[edition]

    for path in workbooks:
        if path.suffix.lower() != ".xlsx" and not path.is_symlink():
            macro = path.suffix.lower() in (".xlsm", ".xltm")
            result.problems.append(
                RoundProblem(
                    path.name,
                    "",
                    "",
                    "macro" if macro else "not-a-workbook",
                    "Filen är inte sparad som Excel-arbetsbok (.xlsx)"
                    + (" utan makron" if macro else "")
                    + ". Spara den som .xlsx och skicka den igen.",
                    f"The file is a {path.suffix} file, not an Excel workbook (.xlsx). Ask for it "
                    "saved as .xlsx.",
                )
            )
            continue
        meta, returned, problems = read_workbook(path, pkg, choices, lists_for, words)
        if meta is not None and result.round is None:
            result.round, result.from_edition = meta.get("round"), meta.get("from_edition")
        if meta is not None and (meta.get("round"), meta.get("from_edition")) != (
            result.round,
            result.from_edition,
        ):
            problems.append(
                RoundProblem(
                    path.name,
                    "",
                    "",
                    "wrong-round",
                    f"Filen hör till uppföljningen {meta.get('round')} (brister från "
                    f"{meta.get('from_edition')}), inte {result.round}. Använd den fil som "
                    "skickades ut i år.",
                    f"The workbook belongs to round {meta.get('round')} (gaps of "
                    f"{meta.get('from_edition')}), not {result.round} like the first one read. "
                    "Ask for this year's workbook.",
                )
            )
            returned = None
        if meta is not None:
            metas[path.name] = meta
        result.problems += problems
        read.append((path, returned))
    regions = Counter(meta.get("region_code") for meta in metas.values())
    for name, meta in metas.items():
        if regions[meta.get("region_code")] > 1:
            others = sorted(
                other
                for other, data in metas.items()
                if data.get("region_code") == meta.get("region_code") and other != name
            )
            result.problems.append(
                RoundProblem(
                    name,
                    "",
                    "",
                    "duplicate-region",
                    f"Samma regions svarsfil finns också som {', '.join(others)}. Behåll den "
                    "senaste och ta bort de andra ur mappen.",
                    f"The same region's workbook is also in {', '.join(others)}. Keep the latest "
                    "and remove the others from the folder.",
                )
            )
    result.returned = [returned for _, returned in read if returned is not None]
    result.problems.sort(key=_problem_order)
    return result


def _problem_order(problem: RoundProblem) -> tuple[Any, ...]:
    sheet = form.SHEETS.index(problem.sheet) if problem.sheet in form.SHEETS else -1
    match = re.fullmatch(r"([A-Z]+)(\d+)", problem.cell)
    row, letter = (int(match.group(2)), match.group(1)) if match else (0, "")
    return (problem.file, sheet, row, len(letter), letter, problem.code)
