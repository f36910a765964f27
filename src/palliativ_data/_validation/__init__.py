"""Validate a copy of the data package and report every problem at once.

:func:`validate` checks a folder holding ``datapackage.json`` (or the descriptor file itself;
default: the bundled package) in three layers and collects every problem, never stopping at
the first:

1. **Descriptor.** ``datapackage.json`` may hold only the project's resources and keys, and
   the values the release's metadata publishes must be publishable
   (:mod:`~palliativ_data._validation.keys`); it is checked against the official Data
   Package v2 JSON Schema profile shipped in ``dplib-py`` (offline, with ``jsonschema``) and
   each Table Schema against the project's ``schema/``. Every resource the project's
   ``schema/package.json`` names must be declared, and its file must pass the CSV front door
   (:mod:`~palliativ_data._validation.dialect`): a local, readable, UTF-8, comma-separated
   CSV with ``\\n`` line endings, no byte-order mark, no line over 32 MB and a header no
   wider than the schema.
2. **Tables.** frictionless-py validates every readable resource with the project's Table
   Schema (never the candidate's: its patterns and constraints are not applied), handed a
   descriptor built from the project's keys: types, ``required``, ``unique``, ``enum``,
   ``pattern``, primary and foreign keys, header labels.

   Fast path first (``engine="auto"``, the default): :mod:`~palliativ_data._validation.fast`
   judges each table with Arrow, column by column, finding the problems frictionless would
   report (:mod:`~palliativ_data._validation.table_problems`), and runs the rules of layer 3
   on the Arrow columns; only the tables it cannot judge go through frictionless, so the
   report is the same either way (``tests/test_validate_parity.py``).
   ``engine="frictionless"`` always takes the full path.
3. **Cross-table rules** the Table Schema language cannot express (one classification per
   region per follow-up edition, ``no_response`` exactly when a region did not answer, stable
   ``gap_key``\\ s, answers that refer to the right edition and region, …).

Each :class:`Problem` has a stable ``code``, the ``resource`` name, the ``row`` and the
``field``, and a message that says what is wrong, what is allowed and what to do.

Row numbers count as frictionless counts them: the header is row 1, so the first data row is
row 2, and a row is a CSV record (a quoted cell with a line break does not start a new row;
a blank line does). Problems about a whole file or about the descriptor have no row; header
problems have row 1.

Problem codes: :data:`~palliativ_data._validation.codes.CODES` lists every code a report can
hold, with its layer, what it means and what to do, in English and Swedish
(the site's "Problem codes" page lists it). frictionless'
error types pass through under their own code when the catalogue marks them so; any other
type becomes ``source-error``.

Nothing is fetched: no key of the descriptor reaches frictionless unchecked, and the whole run
is inside :func:`palliativ_data._offline.offline`, which refuses any socket.

To keep reports readable, a few consequences of one mistake are not reported twice: a
frictionless ``foreign-key`` error is dropped when every referencing cell already has a cell
error in that row; a ``primary-key`` error is dropped on a ``blank-row`` and where
``classification-duplicate`` says the same; a file with a ``csv-dialect`` separator problem
or an ``encoding-error`` is not checked row by row (fix it first, then validate again).

ISO 3166-2 codes are not compared with ``pycountry`` here, so that the result never depends
on an optional package; the test suite does that for the bundled regions.

Example:
    >>> from palliativ_data import validate
    >>> report = validate()  # the bundled package
    >>> sorted(report.to_dict())
    ['omitted', 'package', 'problems', 'summary', 'valid']

Modules: ``report`` (:class:`Problem`, :class:`ValidationReport`), ``validator`` (the run),
``codes`` (the problem-code catalogue), ``keys`` (layer 1, the project's keys and
resources), ``profile`` (layer 1, the v2 profile), ``dialect`` (the CSV front door), ``fast``,
``table_problems`` and ``column_checks`` (the Arrow fast path), ``frictionless`` (layer 2 and
its messages), ``rules`` (layer 3, :data:`~palliativ_data._validation.rules.RULES`),
``resources``, ``summary`` and ``text`` (helpers).
"""

from __future__ import annotations

from .report import Problem, ValidationReport, render_summary
from .rules import RULES, Rule
from .validator import validate

__all__ = [
    "RULES",
    "Problem",
    "Rule",
    "ValidationReport",
    "render_summary",
    "validate",
]
