"""Start the data entry of a new edition from the gaps of an existing one.

:func:`new_edition` writes a worksheet folder that a maintainer fills in and then appends to the
package's CSV files, so that next year's inventory starts from this year's and
:func:`palliativ_data.compare` lines the two up by ``gap_key``: ``gaps.csv`` (every gap of the
``--from`` edition carried over), ``editions.csv`` (the new edition's row),
``classifications.csv`` (follow-up editions only) and a ``README.md`` with the instructions
(:func:`instructions`, plain Markdown).

Example:
    >>> import tempfile, palliativ_data as pdata
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     result = pdata.new_edition("2027-02", "2026-06", out=folder)
    ...     sorted(path.name for path in result.files)
    ['README.md', 'editions.csv', 'gaps.csv']
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._comparison.constants import STATUS_LABELS, STATUSES
from ._errors import ArgumentError, UnknownNameError
from ._io import format_csv, write_new_files
from ._load import as_package, load
from ._vocabulary import EDITION_KINDS, EDITION_PATTERN, FOLLOW_UP, INVENTORY

if TYPE_CHECKING:  # pragma: no cover
    from ._models import Edition
    from ._package import Package

CARRIED_GAP_FIELDS = (
    "edition",
    "region_code",
    "gap_key",
    "function",
    "sub_area",
    "label_sv",
    "label_en",
    "population",
    "places",
    "places_excepted",
    "region_wide",
)
"""Columns of ``gaps.csv`` carried over from ``--from`` (``edition`` set to the new one)."""
FILL_IN_GAP_FIELDS = ("list_position", "part", "source_ref", "source_line", "notes")
"""Columns of ``gaps.csv`` left blank for the maintainer to fill in."""
FILL_IN_EDITION_FIELDS = ("published", "published_in", "transcribed_from", "source_part", "notes")

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_SV = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


@dataclass(frozen=True)
class NewEdition:
    """What :func:`new_edition` wrote.

    Attributes:
        edition: The new edition id.
        from_edition: The edition whose gaps were carried over.
        kind: ``inventory`` or ``follow_up``.
        out: The folder written to.
        files: The files written.
        gaps: How many gap rows were carried over.
    """

    edition: str
    from_edition: str
    kind: str
    out: Path
    files: tuple[Path, ...]
    gaps: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (paths as strings)."""
        return {
            "edition": self.edition,
            "from_edition": self.from_edition,
            "kind": self.kind,
            "out": str(self.out),
            "files": [str(path) for path in self.files],
            "gaps": self.gaps,
        }


def _csv(header: list[str], rows: list[dict[str, Any]]) -> str:
    return format_csv(header, [[row.get(name) for name in header] for row in rows])


def edition_titles(edition: str, kind: str) -> tuple[str, str]:
    """The suggested English and Swedish titles of an edition.

    Examples:
        >>> edition_titles("2027-02", "follow_up")
        ('February 2027 follow-up', 'Uppföljningen februari 2027')
    """
    year, month = edition.split("-")
    en, sv = MONTHS_EN[int(month) - 1], MONTHS_SV[int(month) - 1]
    if kind == INVENTORY:
        return f"{en} {year} inventory", f"Inventeringen {sv} {year}"
    return f"{en} {year} follow-up", f"Uppföljningen {sv} {year}"


def _fields(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def instructions() -> str:
    """How to fill in a worksheet, as Markdown (the body of the worksheet's ``README.md``)."""
    still, gone, _ = (STATUS_LABELS[status] for status in STATUSES)
    return f"""## The files

- `gaps.csv` has exactly the header of `data/gaps.csv` and one row per gap of the edition the
  gaps were carried over from, in its file order, with `edition` set to the new edition.
  Carried over as they were: {_fields(CARRIED_GAP_FIELDS[1:])}.
  **Blank, to fill in:** {_fields(FILL_IN_GAP_FIELDS)}.
- `editions.csv` has exactly the header of `data/editions.csv` and one row: `edition`, `kind`,
  suggested `title_en` / `title_sv` (and, for a follow-up, `follows_up`) filled in.
  **Blank, to fill in:** {_fields(FILL_IN_EDITION_FIELDS)}.
- `classifications.csv` (follow-up editions only) has one row per region with `category` and
  `position` blank, to fill in.

## Filling in `gaps.csv`, gap by gap, reading the new edition's lists

- **{still}**: fill `list_position`, `part`, `source_ref` (and `source_line`); update
  `label_sv` / `label_en` to the new wording, and the scope columns if they changed. Keep
  `gap_key`: that is what makes compare see the same gap.
- **{gone}**: delete the row. Compare will report it as "{gone}" (never "resolved": the data
  does not say why).
- **a new gap**: add a row with a new `gap_key` (`<region_code>-<function>` plus a qualifier if
  the region has several gaps of that function); a gap that was listed in an earlier edition
  and comes back keeps its old key.

Rows left with `list_position` blank fail `palliativ-data validate` (a required value), so a
gap cannot be carried over by mistake.

## When every row is decided

1. Append the rows (without the header) to `datapackage/data/gaps.csv` and `editions.csv`
   (and `classifications.csv`), and add the new source document to `sources.csv` if it is new.
2. Run `palliativ-data validate`.
3. Run `palliativ-data compare OLD NEW` to see what changed.
"""


def _readme(edition: str, from_edition: str, kind: str, count: int, files: list[str]) -> str:
    return (
        f"# Worksheet for edition {edition} ({kind.replace('_', '-')})\n\n"
        f"Written by `palliativ-data new-edition {edition} --from {from_edition}`: {count} gaps of "
        f"{from_edition} carried over. Files: {', '.join(f'`{name}`' for name in files)}.\n\n"
        + instructions()
    )


_PURPOSES = {
    "new-edition": "new-edition starts an edition that does not exist yet",
    "round": "a round collects the answers for a follow-up edition that does not exist yet",
}


def check_new_edition(pkg: Package, edition: str, from_edition: str, *, command: str) -> Edition:
    """The ``from_edition`` record, once ``edition`` is known to be a new edition after it.

    The checks ``new-edition`` and ``round`` (``command``, named in the messages) make before
    they write anything.

    Raises:
        ArgumentError: ``edition`` is not ``YYYY-MM``, exists already or is not later than
            ``from_edition``.
        UnknownNameError: ``from_edition`` is not an edition of ``pkg``; the message lists them.
    """
    if not EDITION_PATTERN.match(edition) or not 1 <= int(edition[-2:]) <= 12:
        raise ArgumentError(
            f"Edition {edition!r} is not a year and month YYYY-MM (e.g. 2027-02).",
            argument="edition",
            value=edition,
        )
    existing = {item.edition: item for item in pkg.editions}
    if from_edition not in existing:
        names = sorted(existing)
        raise UnknownNameError(
            f"No edition {from_edition!r} to take the gaps from. Editions: {', '.join(names)}. "
            "Take them from one of these (the latest, for the next edition).",
            kind="edition",
            query=from_edition,
            candidates=names,
        )
    if edition in existing:
        raise ArgumentError(
            f"Edition {edition} already exists in {pkg.path}; {_PURPOSES[command]}. Pick a "
            "later YYYY-MM.",
            argument="edition",
            value=edition,
        )
    if edition <= from_edition:
        raise ArgumentError(
            f"The new edition {edition} is not later than {from_edition}, whose gaps it takes; "
            "carry gaps forward in time (e.g. 2027-02 from 2026-06).",
            argument="edition",
            value=edition,
        )
    return existing[from_edition]


def carried_gaps(
    pkg: Package, from_edition: str, edition: str, *, keep: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Every gap of ``from_edition``, in file order, as a row of ``edition``: the columns of
    :data:`CARRIED_GAP_FIELDS` and ``keep``, ``edition`` set to the new one."""
    # deferred: pyarrow is heavy and `palliativ-data --help` imports this module
    import pyarrow.compute as pc

    from ._arrow import string_array  # pa.array / pa.scalar would import pandas

    gaps = pkg.table("gaps")
    carried = gaps.filter(
        pc.equal(gaps.column("edition"), string_array([from_edition])[0])
    ).to_pylist()
    return [
        {**{name: gap.get(name) for name in (*CARRIED_GAP_FIELDS, *keep)}, "edition": edition}
        for gap in carried
    ]


def new_edition(
    edition: str,
    from_edition: str,
    out: str | os.PathLike[str] | None = None,
    *,
    package: Package | str | os.PathLike[str] | None = None,
    kind: str = INVENTORY,
    force: bool = False,
) -> NewEdition:
    """Write the worksheet for a new edition, carrying over every gap of ``from_edition``.

    See the module docstring for the files and exactly what to fill in.

    Args:
        edition: The new edition id, ``YYYY-MM`` (e.g. ``"2027-02"``); must not exist yet.
        from_edition: The edition whose gaps are carried over (e.g. ``"2026-06"``).
        out: Folder to write into (created if missing). Default: ``new-edition-<edition>`` in
            the current directory.
        package: The package (or its path) holding ``from_edition``. Default: the bundled one.
        kind: ``"inventory"`` (default) or ``"follow_up"``.
        force: Replace files that already exist in ``out``.

    Returns:
        A :class:`NewEdition` naming the files written.

    Raises:
        ArgumentError: ``edition`` is not ``YYYY-MM``, already exists, is not later than
            ``from_edition``, or ``kind`` is not allowed.
        UnknownNameError: ``from_edition`` does not exist; the message lists the editions.
        OutputExistsError: A file exists in ``out`` and ``force`` is false. Nothing is written.
    """
    pkg = load() if package is None else as_package(package)
    if kind not in EDITION_KINDS:
        allowed = " or ".join(repr(item) for item in EDITION_KINDS)
        raise ArgumentError(
            f"kind {kind!r} is not allowed; use {allowed}.",
            argument="kind",
            value=kind,
        )
    from_record = check_new_edition(pkg, edition, from_edition, command="new-edition")

    gaps = pkg.table("gaps")
    rows = carried_gaps(pkg, from_edition, edition)
    title_en, title_sv = edition_titles(edition, kind)
    follows_up = from_edition if kind == FOLLOW_UP and from_record.kind == INVENTORY else None
    edition_row = {
        "edition": edition,
        "kind": kind,
        "title_en": title_en,
        "title_sv": title_sv,
        "follows_up": follows_up,
    }

    target = Path(out) if out is not None else Path.cwd() / f"new-edition-{edition}"
    contents: dict[Path, str] = {
        target / "gaps.csv": _csv(gaps.column_names, rows),
        target / "editions.csv": _csv(pkg.table("editions").column_names, [edition_row]),
    }
    if kind == FOLLOW_UP:
        header = pkg.table("classifications").column_names
        contents[target / "classifications.csv"] = _csv(
            header,
            [{"edition": edition, "region_code": region.region_code} for region in pkg.regions],
        )
    names = [path.name for path in contents] + ["README.md"]
    contents[target / "README.md"] = _readme(edition, from_edition, kind, len(rows), names)
    write_new_files(contents, target, force=force, what="the worksheet")
    return NewEdition(
        edition=edition,
        from_edition=from_edition,
        kind=kind,
        out=target,
        files=tuple(sorted(contents)),
        gaps=len(rows),
    )


# shown under its public name, palliativ_data.NewEdition
NewEdition.__module__ = "palliativ_data"
