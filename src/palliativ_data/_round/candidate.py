"""Import: the returned workbooks become a candidate package, or nothing is written.

:func:`import_round` reads the folder (:mod:`.receive`). With any problem it returns them and
writes nothing. Without, it writes ``--into`` a copy of the package with the round added:

* ``sources``: one row for the round's workbooks (kind ``response_workbooks``);
* ``editions``: the round, a follow-up of the edition whose gaps it asked about;
* ``responses``: one per workbook (role and organisation as written; the summaries and the
  English role are drafts for the curators, and its ``notes`` say so);
* ``gap_statements``: what each region states, ``curation`` = ``suggested``;
* ``gap_answers``: per listed gap, the suggestion: the region's own status as the stance, the
  label it chose as the cue (marked by ``gap_statements.curation``);
* ``classifications``: ``no_response`` for a region that returned no workbook, else the
  category its own statuses suggest (all listed gaps with an action taken, decided or planned:
  ``concrete_plans``; some: ``partial_plans``; none: ``no_concrete_plans``), noted as a
  suggestion.

* ``gaps``: the round edition's own list, as a **draft**: every gap of the edition asked about,
  carried over as it was listed (``notes`` say it is a draft and what the region's workbook says
  about the gap). A listed gap stays listed until the organisers judge it closed and delete its
  row, as the June 2026 compilation restated the February lists; so ``compare`` shows every gap
  still listed until then, never a gap "no longer listed" that nobody decided. Gaps the regions
  say are missing or wrong, and listed gaps they say are in place or dispute, are not acted on:
  they are returned (:class:`ListStatement`) and printed for the organisers.

The candidate is staged beside ``--into``, validated, and only then moved into place, so a
failed import leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import ArgumentError, BuildError, OutputExistsError
from .._io import DESCRIPTOR_FILE, atomic_write_files, dump_json, format_csv
from .._new_edition import carried_gaps, check_new_edition, edition_titles
from .._source import PACKAGE_WIDE_FILES, open_package, regular_file
from .._vocabulary import FOLLOW_UP
from .content import Choices, label_of
from .problems import RoundProblem
from .receive import Returned, read_folder

if TYPE_CHECKING:  # pragma: no cover
    from .._package import Package

CONCRETE = ("action_taken", "action_decided", "planned")
"""The statuses that count as a concrete plan for the suggested category."""
LIST_STATUSES = ("action_taken", "disputed")
"""The region's own statuses that bear on whether a gap is still listed (surfaced, not acted on)."""
DRAFT = "Draft written by `palliativ-data round import`"


@dataclass(frozen=True)
class ListStatement:
    """What a region's workbook says about its list of gaps: for the organisers, who decide the
    round edition's own list (the import keeps every gap listed and adds none).

    Attributes:
        region_code: The region's code.
        region: The region's official name.
        kind: ``missing`` (a gap the region says is missing from its list), ``wrong`` (a listed
            gap it says is wrongly described), ``action_taken`` (a listed gap it says is
            addressed: something is done or running) or ``disputed`` (a listed gap it says does
            not exist as listed).
        gap_key: The listed gap (``None`` for ``missing``).
        function: The gap's function (for ``missing``, as the region chose it).
        text: The region's own words: its description, or for a listed gap its comment and the
            action it names (``None`` when it wrote none).
        source_ref: Where: ``Region Skåne.xlsx › Brister › rad 3``.
    """

    region_code: str
    region: str
    kind: str
    gap_key: str | None
    function: str | None
    text: str | None
    source_ref: str

    def render(self) -> str:
        """One line: where, the kind, the gap and the region's words."""
        what = self.gap_key or f"new gap of {self.function}"
        words = f": {self.text}" if self.text else ""
        return f"{self.source_ref}: [{self.kind}] {what}{words}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (every field, by name)."""
        return asdict(self)


@dataclass(frozen=True)
class RoundImport:
    """What :func:`import_round` found and wrote.

    Attributes:
        folder: The folder of returned workbooks.
        into: The candidate package folder (written only when there are no problems).
        edition: The round read from the workbooks (``None`` if none could be read).
        from_edition: The edition whose gaps they answer about.
        workbooks: The workbook files read.
        problems: Every problem, by file › sheet › cell (empty when the import was written).
        written: The files of the candidate package (empty when nothing was written).
        responses: How many responses were added.
        statements: How many ``gap_statements`` rows were added.
        not_returned: The regions that returned no workbook (classified ``no_response``).
        gaps: How many gaps the round edition's draft list carries over.
        for_the_list: What the regions say about their lists (missing, wrong, addressed or
            disputed gaps), for the organisers to decide on.
    """

    folder: Path
    into: Path
    edition: str | None
    from_edition: str | None
    workbooks: tuple[str, ...]
    problems: tuple[RoundProblem, ...]
    written: tuple[Path, ...] = ()
    responses: int = 0
    statements: int = 0
    not_returned: tuple[str, ...] = ()
    gaps: int = 0
    for_the_list: tuple[ListStatement, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the workbooks imported and the candidate was written."""
        return not self.problems and bool(self.written)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "ok": self.ok,
            "folder": str(self.folder),
            "into": str(self.into),
            "edition": self.edition,
            "from_edition": self.from_edition,
            "workbooks": list(self.workbooks),
            "problems": [problem.to_dict() for problem in self.problems],
            "written": [str(path) for path in self.written],
            "responses": self.responses,
            "statements": self.statements,
            "not_returned": list(self.not_returned),
            "gaps": self.gaps,
            "for_the_list": [item.to_dict() for item in self.for_the_list],
        }

    def render(self) -> str:
        """The report for people: every problem (Swedish, then English), or what was written."""
        if self.problems:
            files = len({problem.file for problem in self.problems})
            lines = [problem.render() for problem in self.problems]
            lines.append(
                f"{len(self.problems)} problem(s) in {files} of {len(self.workbooks)} "
                f"workbook(s); nothing was written to {self.into}. Send each region its "
                "problems (the Swedish lines), import again when the workbooks come back."
            )
            return "\n".join(lines)
        lines = [
            f"imported {len(self.workbooks)} workbook(s) of round {self.edition} (gaps of "
            f"{self.from_edition}) into {self.into}: {self.responses} responses, "
            f"{self.statements} statements; no workbook from: "
            f"{', '.join(self.not_returned) or 'none'} (classified no_response).",
            f"The list of {self.edition} is a draft: its {self.gaps} gaps are those of "
            f"{self.from_edition}, still listed until you delete the ones you judge closed.",
        ]
        if self.for_the_list:
            lines.append(
                f"For the list of {self.edition}: {len(self.for_the_list)} statement(s) of the "
                "regions to decide on (nothing was added or removed for them):"
            )
            lines += [f"  {item.render()}" for item in self.for_the_list]
        lines.append(
            f"Next: `palliativ-data validate {self.into}`, then `palliativ-data compare "
            f"{self.from_edition} {self.edition} --package {self.into}`; curate the drafts "
            "and suggestions as docs/en/round.md says (step 7)."
        )
        return "\n".join(lines)


def import_round(
    folder: str | os.PathLike[str],
    into: str | os.PathLike[str],
    *,
    package: Package | str | os.PathLike[str] | None = None,
    force: bool = False,
) -> RoundImport:
    """Import the returned workbooks in ``folder`` into a candidate package ``into``.

    Args:
        folder: The folder the returned workbooks were saved in (its subfolders are not read).
        into: The candidate package folder to write; must not exist or be empty, unless
            ``force``.
        package: The package the round was sent from. Default: the bundled one.
        force: Replace ``into`` if it holds files.

    Returns:
        A :class:`RoundImport`: its ``problems`` (then nothing was written) or its ``written``
        files.

    Raises:
        ArgumentError: ``folder`` is not a folder or holds no workbook, ``into`` is the
            package itself, or the round already exists in the package.
        OutputExistsError: ``into`` holds files and ``force`` is false.
    """
    # deferred: loading the package imports pyarrow
    from .._load import as_package, load

    pkg = load() if package is None else as_package(package)
    source = Path(folder)
    target = Path(into)
    if not source.is_dir():
        raise ArgumentError(
            f"{source} is not a folder. Give the folder the returned workbooks were saved in "
            "(e.g. round/returned/).",
            argument="folder",
            value=str(source),
        )
    if target.resolve() == pkg.path.resolve():
        raise ArgumentError(
            f"--into {target} is the package itself; the import writes a candidate copy. Give "
            "a new folder (e.g. candidate/).",
            argument="into",
            value=str(target),
        )
    _refuse_to_overwrite(target, force)
    read = read_folder(source, pkg)
    if not read.files:
        raise ArgumentError(
            f"{source} holds no workbook (.xlsx). Save the returned workbooks there first.",
            argument="folder",
            value=str(source),
        )
    result = RoundImport(
        folder=source,
        into=target,
        edition=read.round,
        from_edition=read.from_edition,
        workbooks=tuple(read.files),
        problems=tuple(read.problems),
    )
    if read.problems or read.round is None or read.from_edition is None:
        return result
    check_new_edition(pkg, read.round, read.from_edition, command="round")
    for_the_list = _for_the_list(pkg, read.returned)
    rows = _rows(pkg, read.round, read.from_edition, read.returned)
    rows["gaps"] = _draft_gaps(pkg, read.round, read.from_edition, for_the_list)
    written = _write_candidate(pkg, target, rows, force)
    codes = {item.region.region_code for item in read.returned}
    return RoundImport(
        folder=source,
        into=target,
        edition=read.round,
        from_edition=read.from_edition,
        workbooks=tuple(read.files),
        problems=(),
        written=tuple(written),
        responses=len(rows["responses"]),
        statements=len(rows["gap_statements"]),
        not_returned=tuple(
            region.name_official_sv
            for region in sorted(pkg.regions, key=lambda r: r.region_code)
            if region.region_code not in codes
        ),
        gaps=len(rows["gaps"]),
        for_the_list=for_the_list,
    )


def _refuse_to_overwrite(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise ArgumentError(
            f"--into {target} is a file; give a folder for the candidate package.",
            argument="into",
            value=str(target),
        )
    if target.is_dir() and any(target.iterdir()) and not force:
        raise OutputExistsError(
            f"{target} holds files. Choose a new folder (into=…), or pass force=True to replace "
            "it.",
            cli=f"{target} holds files. Choose a new folder with --into, or pass --force to "
            "replace it.",
            paths=[str(target)],
        )


def _for_the_list(pkg: Package, returned: list[Returned]) -> tuple[ListStatement, ...]:
    """What the workbooks say about the lists: missing and wrong gaps, listed gaps addressed
    or disputed; by region code, then in workbook order."""
    choices = Choices.of(pkg)
    found = []
    for item in sorted(returned, key=lambda r: r.region.region_code):
        for statement in item.statements:
            if statement.kind == "listed" and statement.region_status in LIST_STATUSES:
                kind = str(statement.region_status)
                label = label_of(choices.statuses, kind)
                words = [statement.action_text, statement.statement_text]
                text = " ".join([f"({label})", *(w for w in words if w)])
            elif statement.kind in ("missing", "wrong"):
                kind, text = statement.kind, statement.statement_text or ""
            else:
                continue
            gap = statement.gap
            found.append(
                ListStatement(
                    region_code=item.region.region_code,
                    region=item.region.name_official_sv,
                    kind=kind,
                    gap_key=gap.gap_key if gap else None,
                    function=gap.function if gap else statement.function,
                    text=text or None,
                    source_ref=f"{item.file} › {statement.sheet} › rad {statement.row}",
                )
            )
    return tuple(found)


def _draft_gaps(
    pkg: Package, edition: str, from_edition: str, for_the_list: tuple[ListStatement, ...]
) -> list[dict[str, Any]]:
    """The round edition's draft list: every gap of ``from_edition`` carried over as listed."""
    _, title_sv = edition_titles(edition, FOLLOW_UP)
    names = {region.region_code: region.name_source for region in pkg.regions}
    said: dict[str, list[str]] = {}
    for item in for_the_list:
        if item.gap_key is not None:
            said.setdefault(item.gap_key, []).append(f"{item.kind} ({item.source_ref})")
    rows = carried_gaps(pkg, from_edition, edition, keep=("list_position", "part"))
    for row in rows:
        row["source_ref"] = (
            f"{title_sv} (utkast) › {names[row['region_code']]} › Saknas › {row['list_position']}"
        )
        regions_say = said.get(row["gap_key"])
        row["notes"] = (
            f"{DRAFT}: carried over from {from_edition} as it was listed there, until the "
            "organisers restate the list (they delete a gap they judge closed, reword one that "
            "changed, add a new one)."
            + (f" The region's workbook says: {'; '.join(regions_say)}." if regions_say else "")
        )
    return rows


# --------------------------------------------------------------------------- the rows


def _rows(
    pkg: Package, edition: str, from_edition: str, returned: list[Returned]
) -> dict[str, list[dict[str, Any]]]:
    """The rows the round adds, by resource (every value a CSV cell's text or None)."""
    choices = Choices.of(pkg)
    stances: dict[str, Any] = {stance.stance: stance for stance in pkg.stances}
    from_record = pkg.edition(from_edition)
    publisher = next(s for s in pkg.sources if s.source_id == from_record.published_in).publisher
    source_id = f"response_workbooks_{edition.replace('-', '_')}"
    title_en, title_sv = edition_titles(edition, FOLLOW_UP)
    known_roles: dict[str, str] = {}
    for response in pkg.responses():
        known_roles.setdefault(response.responder_role_sv.casefold(), response.responder_role_en)
    counts: Counter[str] = Counter()
    for response in pkg.responses():
        region, number = response.response_id.split("-")
        counts[region] = max(counts[region], int(number))
    files = ", ".join(item.file for item in returned)
    rows: dict[str, list[dict[str, Any]]] = {
        "sources": [
            {
                "source_id": source_id,
                "kind": "response_workbooks",
                "title_sv": f"Regionernas svarsfiler, uppföljningen {edition}",
                "title_en": f"The regions' response workbooks, {edition} round",
                "publisher": publisher,
                "published": edition,
                "language": "sv",
                "citation": f"{publisher}: the response workbooks of the {edition} round "
                f"(palliativ-data round), returned by {len(returned)} regions; not published as "
                "such.",
                "notes": f"{DRAFT} from: {files}.",
            }
        ],
        "editions": [
            {
                "edition": edition,
                "kind": FOLLOW_UP,
                "published": edition,
                "title_en": title_en,
                "title_sv": title_sv,
                "published_in": source_id,
                "transcribed_from": source_id,
                "source_part": "the returned response workbooks: sheets Svarande, Brister and "
                "Andra brister",
                "follows_up": from_edition,
                "notes": f"{DRAFT}: the regions' answers are in. This edition's own list of gaps "
                f"is a draft, carried over from {from_edition} (the gaps' notes say so), and its "
                "publication date and the categories are suggestions: the organisers decide them.",
            }
        ],
        "responses": [],
        "gap_statements": [],
        "gap_answers": [],
        "classifications": [],
    }
    suggested: dict[str, str] = {}
    why: dict[str, str] = {}
    for item in returned:
        code = item.region.region_code
        counts[code] += 1
        response_id = f"{code}-{counts[code]}"
        listed = [s for s in item.statements if s.kind == "listed"]
        tally = Counter(s.region_status for s in listed)
        role_en = known_roles.get(item.role.casefold())
        notes = f"{DRAFT} from {item.file}: the summaries are drafts for the curators"
        notes += "." if role_en else "; responder_role_en is the Swedish role, to be translated."
        rows["responses"].append(
            {
                "response_id": response_id,
                "edition": edition,
                "region_code": code,
                "position": 1,
                "kind": item.kind,
                "responder_role_sv": item.role,
                "responder_role_en": role_en or item.role,
                "organisation": item.organisation,
                "date": item.date.isoformat() if item.date else None,
                "summary_en": _summary(listed, item, tally, stances, "en"),
                "summary_sv": _summary(listed, item, tally, stances, "sv"),
                "source_ref": f"{item.file} › Svarande",
                "notes": notes,
            }
        )
        for position, statement in enumerate(item.statements, start=1):
            gap = statement.gap
            rows["gap_statements"].append(
                {
                    "response_id": response_id,
                    "position": position,
                    "kind": statement.kind,
                    "edition": from_edition if gap else None,
                    "gap_key": gap.gap_key if gap else None,
                    "function": statement.function,
                    "region_status": statement.region_status,
                    "decision_date": (
                        statement.decision_date.isoformat() if statement.decision_date else None
                    ),
                    "decision_body": statement.decision_body,
                    "decision_ref": statement.decision_ref,
                    "action_text": statement.action_text,
                    "target_year": statement.target_year,
                    "target_quarter": statement.target_quarter,
                    "statement_text": statement.statement_text,
                    "curation": "suggested",
                    "source_ref": f"{item.file} › {statement.sheet} › rad {statement.row}",
                }
            )
            if statement.kind != "listed" or gap is None or statement.region_status is None:
                continue
            year = statement.target_year
            target_text = None
            if year is not None:
                target_text = str(year) + (
                    f", kvartal {statement.target_quarter}" if statement.target_quarter else ""
                )
            rows["gap_answers"].append(
                {
                    "response_id": response_id,
                    "edition": from_edition,
                    "gap_key": gap.gap_key,
                    "stance": statement.region_status,
                    "cue": label_of(choices.statuses, statement.region_status),
                    "target_year": year,
                    "target_text": target_text,
                    "notes": "Suggestion: the region's own status in its response workbook, "
                    "not yet read by the coding guide (gap_statements.curation 'suggested').",
                }
            )
        concrete = sum(tally[status] for status in CONCRETE)
        if listed and concrete == len(listed):
            suggested[code] = "concrete_plans"
        elif concrete:
            suggested[code] = "partial_plans"
        else:
            suggested[code] = "no_concrete_plans"
        why[code] = f"{concrete} of {len(listed)}"
    names = {region.region_code: region.name_source for region in pkg.regions}
    categories = {code: suggested.get(code, "no_response") for code in names}
    for category in sorted(set(categories.values())):
        members = sorted(
            (c for c in categories if categories[c] == category), key=names.__getitem__
        )
        for position, code in enumerate(members, start=1):
            note = (
                f"Suggested by `palliativ-data round import` from the region's own statuses "
                f"({why[code]} listed gaps with an action taken, decided or "
                "planned); the organisers decide the category."
                if code in suggested
                else "No response workbook was returned by the import."
            )
            rows["classifications"].append(
                {
                    "edition": edition,
                    "region_code": code,
                    "category": category,
                    "position": position,
                    "source_ref": f"{title_sv} (utkast) › {names[code]}",
                    "notes": note,
                }
            )
    return rows


def _summary(
    listed: list[Any],
    item: Returned,
    tally: Counter[str | None],
    stances: dict[str, Any],
    lang: str,
) -> str:
    label = "label_sv" if lang == "sv" else "label_en"
    parts = ", ".join(
        f"{tally[code]} {getattr(stances[code], label)}"
        for code in stances
        if code is not None and tally[code]
    )
    other = Counter(s.kind for s in item.statements if s.kind != "listed")
    if lang == "sv":
        return (
            f"Svar i svarsfilen: {len(listed)} listade brister besvarade ({parts or 'inga'}); "
            f"{other['missing']} brister som regionen anser saknas i listan och {other['wrong']} "
            "som den anser är fel beskrivna. Utkast från importen, ersätts med kuratorernas "
            "sammanfattning."
        )
    return (
        f"Answer in the response workbook: {len(listed)} listed gaps answered ({parts or 'none'}); "
        f"{other['missing']} gaps the region says are missing from the list and {other['wrong']} "
        "it says are wrongly described. Draft written by the import, to be replaced by the "
        "curators' summary."
    )


# --------------------------------------------------------------------------- the files


def _write_candidate(
    pkg: Package, target: Path, rows: dict[str, list[dict[str, Any]]], force: bool
) -> list[Path]:
    """Stage the candidate beside ``target``, validate it, then move it into place."""
    # deferred: validation imports frictionless when the fast path hands over
    from .._validation import validate

    source, descriptor = open_package(pkg.path)
    for resource in descriptor["resources"]:
        for key in ("bytes", "hash", "x-formats"):
            resource.pop(key, None)  # the appended files differ; a release's copies are left
    for key in PACKAGE_WIDE_FILES:
        descriptor.pop(key, None)
    contents: dict[str, str | bytes] = {DESCRIPTOR_FILE: dump_json(descriptor)}
    for resource in descriptor["resources"]:
        name = resource["name"]
        path = regular_file(source.folder, resource.get("path"), resource=name)
        text = path.read_text(encoding="utf-8")
        header = [field["name"] for field in resource["schema"]["fields"]]
        added = rows.get(name, [])
        if added:
            if text and not text.endswith("\n"):
                text += "\n"
            body = format_csv(header, [[row.get(f) for f in header] for row in added])
            text += body.split("\n", 1)[1]
        contents[str(resource["path"])] = text
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        files = {stage / relative: data for relative, data in contents.items()}
        for path in files:
            path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_files(files)
        report = validate(stage)
        if not report.valid:
            raise BuildError(
                f"The candidate the import built does not validate; nothing was written to "
                f"{target}. This is a bug or a broken package; the problems:\n{report.render()}",
                problems=[str(p) for p in report.problems],
            )
        if target.exists():
            if any(target.iterdir()) and not force:  # pragma: no cover - checked before
                raise OutputExistsError(f"{target} holds files.", paths=[str(target)])
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=parent))
            os.replace(target, old / "candidate")
            os.replace(stage, target)
            shutil.rmtree(old)
        else:
            os.replace(stage, target)
    finally:
        if stage.exists():
            shutil.rmtree(stage)
    return sorted(target / relative for relative in contents)


RoundImport.__module__ = "palliativ_data"  # its public name (see palliativ_data.__init__)
ListStatement.__module__ = "palliativ_data"
