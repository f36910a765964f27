"""The argument parser of ``palliativ-data``: commands, options, help texts and examples.

It describes the commands and nothing else: ``args.command`` names the command, and
``commands.HANDLERS`` maps that name to the function that runs it.
"""

from __future__ import annotations

import argparse
from typing import Any

from .._comparison.constants import STATUS_LABELS
from .._guards import SHOWN_PER_CODE
from .._round.cli import add_parser as add_round_parser
from .._urls import docs_page
from .._version import __version__
from .._vocabulary import EDITION_KINDS, INVENTORY

_PACKAGE_HELP = "folder holding datapackage.json, or the descriptor file (default: bundled package)"
_EXIT_HELP = (
    "Exit status: 0 done, 1 a table could not be read, 2 usage error (unknown name, bad path)."
)


def _command(
    sub: Any, name: str, help_text: str, description: str, examples: list[str]
) -> argparse.ArgumentParser:
    """A subcommand: its help, description and examples (arguments after its name)."""
    lines = [f"  palliativ-data {name} {example}".rstrip() for example in examples]
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=help_text,
        description=description,
        epilog="\n".join(["Examples:", *lines]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _add_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=None, metavar="PATH", help=_PACKAGE_HELP)


def _add_json(parser: argparse.ArgumentParser, help_text: str = "same as --format json") -> None:
    parser.add_argument("--json", action="store_true", help=help_text)


def _add_no_verify(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="do not check files against the bytes/hash their descriptor declares",
    )


def _add_output_options(
    parser: argparse.ArgumentParser, formats: tuple[str, ...], auto: str | None = None
) -> None:
    """Add the ``--package``, ``--format`` and ``--json`` options.

    The first format is the default; with ``auto`` (how the command chooses), there is none,
    and the command chooses when it runs (``args.format`` is None).
    """
    parser.add_argument("--package", metavar="PATH", help=_PACKAGE_HELP)
    parser.add_argument("--format", choices=formats, default=None if auto else formats[0],
                        help=f"output format (default: {auto or formats[0]})")  # fmt: skip
    _add_json(parser)
    _add_no_verify(parser)


def _add_query_commands(sub: Any) -> None:
    cmp = _command(
        sub,
        "compare",
        "compare two editions gap by gap (" + " / ".join(STATUS_LABELS.values()) + ")",
        "Compare edition OLD with edition NEW, matching gaps by gap_key:\n"
        + "".join(f"  {status:<11} {label}\n" for status, label in STATUS_LABELS.items())
        + "('dropped' is not 'resolved': the data does not say why a gap is no longer\n"
        "listed); classification changes; counts per region and function; what the answers\n"
        "said about each gap. --format json prints the documented stable shape\n"
        f"({docs_page('compare')}). " + _EXIT_HELP,
        [
            "2026-02 2026-06",
            "2026-02 2026-06 --region Jämtland --format markdown",
            "2026-06 2027-02 --old-package old/ --package new/ --json",
        ],
    )
    cmp.add_argument("old", metavar="OLD", help="the old edition, e.g. 2026-02")
    cmp.add_argument("new", metavar="NEW", help="the new edition, e.g. 2026-06")
    cmp.add_argument("--region", action="append", metavar="REGION",
                     help="limit to a region (code, ISO code, name or alias); repeatable")  # fmt: skip
    cmp.add_argument("--function", action="append", metavar="CODE",
                     help="limit to a function code, e.g. on_call_24_7; repeatable")  # fmt: skip
    cmp.add_argument(
        "--package",
        metavar="PATH",
        help=f"package of NEW (and of OLD unless --old-package); {_PACKAGE_HELP}",
    )
    cmp.add_argument(
        "--old-package",
        metavar="PATH",
        help="package of OLD when it is another copy (e.g. last year's release)",
    )
    cmp.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table",
                     help="table (for people, default), markdown (a report), csv (one row per gap), json")  # fmt: skip
    _add_json(cmp)
    _add_no_verify(cmp)

    overviews = {  # command: help, description, examples (one handler runs both)
        "editions": (
            "list the editions with their counts of gaps, responses and classifications",
            "List the editions of a package, oldest first. ",
            ["", "--json"],
        ),
        "regions": (
            "list the regions: codes, names, healthcare regions, gaps per edition, category",
            "List the 21 regions with their gaps per edition and latest category. ",
            ["", "--format csv > regions.csv"],
        ),
    }
    for name, (help_text, description, examples) in overviews.items():
        parser = _command(sub, name, help_text, description + _EXIT_HELP, examples)
        _add_output_options(parser, ("table", "csv", "json"))

    show = _command(
        sub,
        "show",
        "everything about one region across the editions",
        "Show one region: its names, healthcare region, the gaps of every edition with their\n"
        "status against the edition before, the answers about each gap, the responses with\n"
        "their summaries, and its classification. REGION is a code, ISO code, name or alias;\n"
        "case and accents do not matter. On a terminal the page is laid out and wrapped to\n"
        "its width (--format text); piped or redirected it is Markdown (--format markdown).\n"
        + _EXIT_HELP,
        ["Jämtland", "Jämtland --format text | less", "SE-Z --json"],
    )
    show.add_argument(
        "region", metavar="REGION", help="e.g. 23, SE-Z, 'Jämtland Härjedalen', jamtland"
    )
    _add_output_options(show, ("text", "markdown", "json"), "text on a terminal, else markdown")

    new = _command(
        sub,
        "new-edition",
        "write the CSV rows to fill in for a new edition, carried over from an existing one",
        "Start the data entry of a new edition: write into --out\n"
        "  gaps.csv      every gap of the --from edition, with its gap_key, region, function,\n"
        "                labels and scope carried over and edition set to EDITION;\n"
        "                list_position, part, source_ref, source_line, notes left BLANK\n"
        "  editions.csv  the new edition's row: fill published, published_in,\n"
        "                transcribed_from, source_part (and notes)\n"
        "  classifications.csv  (with --kind follow_up) one row per region: fill category\n"
        "  README.md     these instructions\n"
        "For each gap row: still listed -> fill list_position, part, source_ref (update the\n"
        "labels to the new wording, keep gap_key); no longer listed -> delete the row; a new\n"
        "gap -> add a row with a new gap_key. Then append the rows (without header) to\n"
        "datapackage/data/*.csv and run `palliativ-data validate` and `palliativ-data compare\n"
        "FROM EDITION`. Rows left blank fail validation. Files are written atomically and\n"
        f"never overwritten without --force. See {docs_page('new-edition')}. " + _EXIT_HELP,
        ["2027-02 --from 2026-06", "2027-02 --from 2026-06 --out worksheets/2027-02 --force"],
    )
    new.add_argument("edition", metavar="EDITION", help="the new edition, YYYY-MM (e.g. 2027-02)")
    new.add_argument("--from", dest="from_edition", required=True, metavar="EDITION",
                     help="the edition whose gaps are carried over (e.g. 2026-06)")  # fmt: skip
    new.add_argument("--out", metavar="DIR", help="output folder (default: ./new-edition-EDITION)")
    new.add_argument(
        "--kind",
        choices=EDITION_KINDS,
        default=INVENTORY,
        help="kind of the new edition (default: inventory)",
    )
    new.add_argument("--package", metavar="PATH", help=_PACKAGE_HELP)
    new.add_argument("--force", action="store_true", help="replace files that exist in --out")
    _add_json(new, "print what was written as JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="palliativ-data",
        description="Open data on gaps in specialised palliative care in Sweden's regions.",
        epilog="Example: palliativ-data validate",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gen = _command(
        sub,
        "generate",
        "(source checkout only) regenerate the files generated from schema/",
        "In a source checkout of palliativ-data: regenerate the files generated from\n"
        "schema/src/ and schema/ (the Table Schemas schema/<resource>.json,\n"
        "datapackage/datapackage.json, src/palliativ_data/_models.py and\n"
        "_model_names.py, CITATION.cff) and record the fingerprint of schema and data.\n"
        "Only files whose content changes are written. Refuses when the data changed\n"
        "but its version did not, when a file in schema/src/ is broken, and outside a\n"
        "source checkout.\n"
        "Exit status: 0 done, 1 the data version must be bumped first or a source is\n"
        "broken, 2 not a source checkout.",
        ["", "--json"],
    )
    _add_json(gen, 'print {"written": [paths]} as JSON')
    val = _command(
        sub,
        "validate",
        "validate a data package (default: the bundled one)",
        "Validate a data package: the descriptor against the Data Package v2 profile,\n"
        "every table (types, constraints, primary and foreign keys) and the cross-table\n"
        "rules (one classification per region per follow-up edition, no_response exactly\n"
        "when a region did not answer, stable gap keys, ...). The tables are checked\n"
        "with Arrow first; unless that finds them clean, frictionless checks every cell.\n"
        "Every problem is reported with its code, file, row (header = row 1) and field.\n"
        "Exit status: 0 valid, 1 invalid, 2 usage error.",
        ["", "path/to/candidate/ --json", "path/to/candidate/datapackage.json"],
    )
    _add_path(val)
    _add_json(
        val,
        'print {"valid": bool, "package": str, "problems": [...], "summary": {...}, '
        '"omitted": {code: count}} as JSON',
    )
    val.add_argument(
        "--all",
        action="store_true",
        help=f"list every problem (default: {SHOWN_PER_CODE} per code, then a count of the rest; frictionless "
        "stops after 10,000 problems in one file)",
    )
    val.add_argument(
        "--engine",
        choices=("auto", "frictionless"),
        default="auto",
        help="auto (default): check the tables with Arrow first and report a clean package "
        "valid at once; anything else is checked again with frictionless, so the report is "
        "the same. frictionless: always check every cell with frictionless (slower on large "
        "tables)",
    )
    bld = _command(
        sub,
        "build",
        "build a release: CSV, Parquet, Excel, SQLite, checksums, citation and catalogue metadata, zip",
        "Validate the data package, then build a release into --out (the release folder\n"
        "and zip are replaced in one step each; a failed or killed build leaves the previous\n"
        "release whole; other files in --out are kept): <name>-<version>/ with csv/, excel/ (UTF-8\n"
        "with BOM, semicolon), parquet/, one Excel workbook (a sheet per table), one SQLite\n"
        "file, datapackage.json, SHA256SUMS,\n"
        "CITATION.cff, DCAT-AP-SE (.jsonld, .ttl, .rdf), schema-org.jsonld and Datasette\n"
        "metadata, and a zip of that folder. Publication facts (publisher, contact, site)\n"
        "come from x-publication in schema/package.json; each one the data portal needs\n"
        "but nobody has set is a warning (--strict-metadata: an error).\n"
        "Reproducible: timestamps come from SOURCE_DATE_EPOCH, else the latest edition date.\n"
        "Exit status: 0 built, 1 invalid package or failed build, 2 usage error.",
        [
            "",
            "--out release/ --json",
            "--base-url https://example.org/palliativ-data/",
            "path/to/candidate/ --out /tmp/candidate-release",
        ],
    )
    _add_path(bld)
    bld.add_argument("--out", default="dist", metavar="DIR", help="output folder (default: dist)")
    _add_json(bld, "print what was built (files, sizes, time) as JSON")
    bld.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="where the release folder's files will be published; makes every IRI of the "
        "catalogue metadata absolute (default: base_url in schema/package.json)",
    )
    bld.add_argument(
        "--strict-metadata",
        action="store_true",
        help="refuse to build while a publication fact the data portal needs is not set",
    )
    _add_query_commands(sub)
    add_round_parser(sub)  # `round` (issue 19): its parser block and handler are in _round/cli
    site = _command(
        sub,
        "site",
        "regenerate the documentation site's pages from the data (Swedish and English)",
        "Write the site's generated pages (home, regions, comparison, promises, downloads,\n"
        "data dictionary, CLI reference) and the CSV files behind their tables into --docs.\n"
        "`mkdocs build` does the same through its hook; this command is for committing the\n"
        "pages, and --check for CI. Exit status: 0 written or current, 1 stale (--check).",
        ["", "--check"],
    )
    site.add_argument(
        "--docs", default="docs", metavar="DIR", help="the docs folder (default: docs)"
    )
    site.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a page is stale"
    )
    _add_json(site, 'print {"written": [...]} or {"stale": [...]} as JSON')
    return parser
