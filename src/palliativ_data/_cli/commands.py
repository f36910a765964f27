"""The commands of ``palliativ-data``: thin functions over the library, one per sub-command.

:data:`HANDLERS` maps each command's name (``args.command``, from ``parser.py``) to its function.

Validation and the release build are imported inside their commands (deferred), so that
``palliativ-data --help`` does not import frictionless (``test_help_does_not_import_heavy_libraries``).
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .._authoring.citation import write_repo_citation
from .._authoring.codegen import write_models
from .._authoring.descriptor import write_descriptor
from .._authoring.versioning import render_fingerprint_update, write_fingerprint
from .._errors import (
    ArgumentError,
    NameLookupError,
    OutputExistsError,
    PackageNotFoundError,
    PalliativDataError,
)
from .._guards import SHOWN_PER_CODE
from .._io import format_csv
from .._new_edition import new_edition
from .._offline import offline
from .._paths import repo_root
from .._printable import JsonWriter, json_text, printable
from .._queries import (
    EditionOverview,
    RegionOverview,
    editions_overview,
    region_report,
    regions_overview,
)
from .._source import locate
from .display import print_comparison, print_markdown, print_rows, region_markdown
from .parser import build_parser

NOT_A_CHECKOUT = (
    "generate rewrites files of a source checkout of palliativ-data (datapackage/, "
    "src/palliativ_data/_models.py, CITATION.cff) from its schema/; this palliativ-data is "
    "installed as a package, and its files are not yours to rewrite. To change the schema, "
    "clone the repository, install it with `pip install -e .` and run `palliativ-data "
    "generate` there."
)


_USAGE_ERRORS = (NameLookupError, ArgumentError, PackageNotFoundError, OutputExistsError)
"""The errors that mean bad input (exit 2); every other library error means bad data (exit 1)."""


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Print library errors as ``error: …`` on stderr: exit 2 for bad input, 1 for bad data."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:

        try:
            return command(args)
        except PalliativDataError as error:
            print(f"error: {printable(error.cli_message)}", file=sys.stderr)
            return 2 if isinstance(error, _USAGE_ERRORS) else 1

    return run


@_guarded
def _cmd_generate(args: argparse.Namespace) -> int:
    if repo_root() is None:
        print(f"error: {NOT_A_CHECKOUT}", file=sys.stderr)
        return 2
    # checked first (it builds the schemas from schema/src/ too): nothing is written when the
    # data version must be bumped or a source is broken
    fingerprint_path, fingerprint_text = render_fingerprint_update()
    written = [
        *write_descriptor(),  # the Table Schemas from schema/src/ first, then datapackage.json
        *write_models(),
        *write_repo_citation(),
        *write_fingerprint(fingerprint_path, fingerprint_text),
    ]
    _print_paths(args, "written", [str(path) for path in written], "wrote")
    if not written and not args.json:
        print("nothing to write: every generated file is up to date")
    return 0


@_guarded
def _cmd_build(args: argparse.Namespace) -> int:

    from .._release.build import build_release  # deferred: imports frictionless

    result = build_release(
        args.out, args.path, base_url=args.base_url, strict_metadata=args.strict_metadata
    )
    if args.json:
        print(json_text(result.to_dict()))
        for warning in result.warnings:
            print(f"warning: {printable(warning, one_line=True)}", file=sys.stderr)
    else:
        print(printable(result.render()))
    return 0


@_guarded
def _cmd_site(args: argparse.Namespace) -> int:
    from .. import (
        _site as site,  # deferred: the generators import pyarrow (via comparison); --help must not
    )

    docs = args.docs
    if not os.path.isdir(docs):
        print(
            f"error: no folder {docs!r}; pass the site's docs folder with --docs", file=sys.stderr
        )
        return 2
    site.check_folders(docs)  # a symlinked generated folder is refused before the render
    with offline("site"), site.built_release() as release:
        files = site.render(release, build_parser())  # the parser for the CLI reference page
    if args.check:
        stale = site.changed(docs, files)
        stale += [str(path) for path in site.stale(docs, files)]
        _print_paths(args, "stale", stale, "stale:")
        if stale:
            print("run `palliativ-data site` and commit the pages", file=sys.stderr)
        return 1 if stale else 0
    _print_paths(args, "written", [str(path) for path in site.write(docs, files)], "wrote")
    return 0


def _print_paths(args: argparse.Namespace, key: str, paths: list[str], label: str) -> None:
    """Print files a command names: ``{key: [...]}`` with ``--json``, else ``label path`` lines."""
    if args.json:
        _print_json({key: paths})
    else:
        for path in paths:
            print(printable(f"{label} {path}", one_line=True))


@_guarded
def _cmd_validate(args: argparse.Namespace) -> int:
    from .._validation import validate  # deferred: imports pyarrow.compute, maybe frictionless

    if args.path is not None:
        locate(args.path)  # an unreadable path is a usage error (exit 2), not an invalid package
    report = validate(args.path, all_problems=args.all, engine=args.engine)
    limit = None if args.all else SHOWN_PER_CODE
    if args.json:
        print(report.to_json(limit=limit))
    else:
        print(report.render(limit=limit))
    return 0 if report.valid else 1


# ------------------------------------------------------------------ query commands


def _format(args: argparse.Namespace) -> str | None:
    """The format asked for: ``json`` with ``--json``, else ``--format`` (None when it was not
    given and the command chooses, as ``show`` does)."""
    return "json" if args.json else args.format


def _package(path: str | None, args: argparse.Namespace | None = None) -> Any:
    # deferred: the loader (~0.04 s with what it imports) is not needed by validate or build
    from .._load import load

    return load(path, verify=not getattr(args, "no_verify", False))


def _print_json(data: Any) -> None:
    print(json_text(data))


def _print_csv(rows: Sequence[dict[str, Any]]) -> None:
    flat = _flatten(rows)
    header = list(flat[0]) if flat else []
    text = format_csv(header, [[row.get(key) for key in header] for row in flat])
    sys.stdout.write(printable(text))


def _flatten(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nested dicts become ``key_subkey`` columns (e.g. ``gaps_2026-02``)."""
    result = []
    for row in rows:
        flat: dict[str, Any] = {}
        for key, value in row.items():
            if isinstance(value, dict):
                flat.update({f"{key}_{sub}": item for sub, item in value.items()})
            else:
                flat[key] = value
        result.append(flat)
    return result


def _lean_allocator() -> None:
    """Let Arrow allocate with the C library's allocator in this (the CLI's own) process.

    pyarrow's default allocator, mimalloc, hands freed memory back to the operating system
    eagerly; on the machines this was measured on, the page faults of taking it back cost a
    third of ``compare --json``'s time at 10^6 gap rows (``docs/en/performance.md``). Library
    calls never change the caller's allocator; ``ARROW_DEFAULT_MEMORY_POOL``, when set, wins.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    # deferred: pyarrow only for a command that builds Arrow tables
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


@_guarded
def _cmd_compare(args: argparse.Namespace) -> int:

    _lean_allocator()
    new_pkg = _package(args.package, args)
    old_pkg = _package(args.old_package, args) if args.old_package else new_pkg
    if args.old > args.new:  # edition ids are YYYY-MM: text order is time order
        print(
            f"note: OLD ({args.old}) is later than NEW ({args.new}), so 'added' and 'dropped' "
            f"are reversed; did you mean `palliativ-data compare {args.new} {args.old}`?",
            file=sys.stderr,
        )
    # deferred: as in _package
    from .._load import compare

    result = compare(
        old_pkg, new_pkg, args.old, args.new, region=args.region, function=args.function
    )
    fmt = _format(args)
    if fmt == "json":
        # deferred: the JSON writer imports pyarrow
        from .._comparison.result import write_json

        write_json(result, JsonWriter(sys.stdout))  # streamed: no whole document in memory
    elif fmt == "markdown":
        print(printable(result.to_markdown()), end="")
    elif fmt == "csv":
        _print_csv(result.to_records())
    else:
        print_comparison(result)
    return 0


_Overview = Callable[[Any], Sequence[EditionOverview | RegionOverview]]

_OVERVIEWS: dict[str, tuple[_Overview, str, list[tuple[str, str]]]] = {
    "editions": (
        editions_overview,
        "Editions",
        [
            ("edition", "edition"),
            ("kind", "kind"),
            ("published", "published"),
            ("title_en", "title"),
            ("follows_up", "follows up"),
            ("gaps", "gaps"),
            ("regions_with_gaps", "regions"),
            ("responses", "responses"),
            ("classifications", "classified"),
        ],
    ),
    "regions": (
        regions_overview,
        "Regions",
        [
            ("region_code", "code"),
            ("iso_3166_2", "ISO"),
            ("name", "name"),
            ("name_en", "English name"),
            ("healthcare_regions", "healthcare region"),
            ("gaps", "gaps per edition"),
            ("category", "category"),
        ],
    ),
}
"""Overview command → the query that builds its rows, its table title and its table columns
(key of the row's ``to_dict()``, heading); JSON and CSV print every key of the rows."""


@_guarded
def _cmd_overview(args: argparse.Namespace) -> int:
    """``editions`` or ``regions`` (``args.command``): its rows as JSON, CSV or a table."""
    overview, title, columns = _OVERVIEWS[args.command]
    rows = [row.to_dict() for row in overview(_package(args.package, args))]
    fmt = _format(args)
    if fmt == "json":
        _print_json(rows)
    elif fmt == "csv":
        _print_csv(rows)
    else:
        print_rows(rows, columns, title=title)
    return 0


@_guarded
def _cmd_show(args: argparse.Namespace) -> int:

    pkg = _package(args.package, args)
    report = region_report(pkg, args.region)
    fmt = _format(args) or ("text" if sys.stdout.isatty() else "markdown")
    if fmt == "json":
        _print_json(report.to_dict())
        return 0
    text = printable(region_markdown(pkg, report))
    if fmt == "text":
        print_markdown(text)
    else:
        print(text, end="")
    return 0


@_guarded
def _cmd_new_edition(args: argparse.Namespace) -> int:

    result = new_edition(
        args.edition,
        args.from_edition,
        args.out,
        package=args.package,
        kind=args.kind,
        force=args.force,
    )
    if args.json:
        _print_json(result.to_dict())
    else:
        print(
            printable(
                f"wrote {len(result.files)} files to {result.out} ({result.gaps} gaps of "
                f"{result.from_edition} carried over):"
            )
        )
        for path in result.files:
            print(printable(f"  {path}", one_line=True))
        print(
            printable(
                f"Fill them in as {result.out / 'README.md'} explains, then validate and compare."
            )
        )
    return 0


@_guarded
def _cmd_round(args: argparse.Namespace) -> int:
    # deferred: the round's workbook code (~0.04 s to import) serves this command only
    from .._round import cli as round_cli

    return round_cli.run(args)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "generate": _cmd_generate,
    "validate": _cmd_validate,
    "build": _cmd_build,
    "compare": _cmd_compare,
    "editions": _cmd_overview,
    "regions": _cmd_overview,
    "show": _cmd_show,
    "new-edition": _cmd_new_edition,
    "site": _cmd_site,
    "round": _cmd_round,
}
"""Command name (``args.command``, as ``parser.build_parser`` names it) → the function that runs
it and returns the exit status."""
