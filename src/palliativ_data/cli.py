"""Command-line interface: ``palliativ-data COMMAND``. Thin commands over the library."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ._version import __version__


_USAGE_ERRORS = ("NameLookupError", "ArgumentError", "PackageNotFoundError", "OutputExistsError")


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Print library errors as ``error: …`` on stderr: exit 2 for bad input, 1 for bad data."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        from ._errors import PalliativDataError

        try:
            return command(args)
        except PalliativDataError as error:
            print(f"error: {error}", file=sys.stderr)
            names = {cls.__name__ for cls in type(error).__mro__}
            return 2 if names.intersection(_USAGE_ERRORS) else 1

    return run


def _cmd_generate(args: argparse.Namespace) -> int:
    from ._codegen import write_models
    from ._descriptor import write_descriptor
    from ._errors import VersionError
    from ._metadata import write_repo_citation
    from ._versioning import render_fingerprint_update, write_fingerprint

    try:  # checked first: nothing is written when the data version must be bumped
        fingerprint_path, fingerprint_text = render_fingerprint_update()
    except VersionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in (write_descriptor(), write_models(), write_repo_citation()):
        if path is not None:
            print(f"wrote {path}")
    print(f"wrote {write_fingerprint(fingerprint_path, fingerprint_text)}")
    return 0


@_guarded
def _cmd_build(args: argparse.Namespace) -> int:
    import json

    from ._build import build_release

    result = build_release(args.out, args.path)
    print(json.dumps(result.to_dict(), indent=2) if args.json else result.render())
    return 0


@_guarded
def _cmd_validate(args: argparse.Namespace) -> int:
    from ._validate import validate

    if args.path is not None:
        from ._source import locate

        locate(args.path)  # an unreadable path is a usage error (exit 2), not an invalid package
    report = validate(args.path, all_problems=args.all)
    limit = None if args.all else 20
    if args.json:
        print(report.to_json(limit=limit))
    else:
        print(report.render(limit=limit))
    return 0 if report.valid else 1


# ------------------------------------------------------------------ query commands


def _format(args: argparse.Namespace) -> str:
    return "json" if args.json else args.format


def _package(path: str | None, args: argparse.Namespace | None = None) -> Any:
    from ._load import load

    return load(path, verify=not getattr(args, "no_verify", False))


def _print_json(data: Any) -> None:
    import json

    print(json.dumps(data, ensure_ascii=False, indent=2))


def _print_csv(rows: Sequence[dict[str, Any]]) -> None:
    import csv

    flat = [{key: _flat(value) for key, value in row.items()} for row in _flatten(rows)]
    writer = csv.DictWriter(sys.stdout, fieldnames=list(flat[0]) if flat else [], lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)


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


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(_flat(item) for item in value)
    return str(value)


@_guarded
def _cmd_compare(args: argparse.Namespace) -> int:
    from ._compare import compare

    new_pkg = _package(args.package, args)
    old_pkg = _package(args.old_package, args) if args.old_package else new_pkg
    result = compare(old_pkg, new_pkg, args.old, args.new, region=args.region, function=args.function)
    fmt = _format(args)
    if fmt == "json":
        print(result.to_json())
    elif fmt == "markdown":
        print(result.to_markdown(), end="")
    elif fmt == "csv":
        _print_csv(result.to_records())
    else:
        from ._query import print_comparison

        print_comparison(result)
    return 0


def _print_overview(
    args: argparse.Namespace, rows: list[dict[str, Any]], columns: list[tuple[str, str]], title: str
) -> int:
    """Print overview rows as JSON, CSV or a table for people, as ``--format`` asks."""
    fmt = _format(args)
    if fmt == "json":
        _print_json(rows)
    elif fmt == "csv":
        _print_csv(rows)
    else:
        from ._query import print_rows

        print_rows(rows, columns, title=title)
    return 0


@_guarded
def _cmd_editions(args: argparse.Namespace) -> int:
    from ._query import editions_overview

    columns = [("edition", "edition"), ("kind", "kind"), ("published", "published"), ("title_en", "title"),
               ("follows_up", "follows up"), ("gaps", "gaps"), ("regions_with_gaps", "regions"),
               ("responses", "responses"), ("classifications", "classified")]  # fmt: skip
    return _print_overview(args, editions_overview(_package(args.package, args)), columns, "Editions")


@_guarded
def _cmd_regions(args: argparse.Namespace) -> int:
    from ._query import regions_overview

    columns = [("region_code", "code"), ("iso_3166_2", "ISO"), ("name", "name"), ("name_en", "English name"),
               ("healthcare_regions", "healthcare region"), ("gaps", "gaps per edition"),
               ("category", "category")]  # fmt: skip
    return _print_overview(args, regions_overview(_package(args.package, args)), columns, "Regions")


@_guarded
def _cmd_show(args: argparse.Namespace) -> int:
    from ._query import region_markdown, region_report

    pkg = _package(args.package, args)
    report = region_report(pkg, args.region)
    if _format(args) == "json":
        _print_json(report)
    else:
        print(region_markdown(pkg, report), end="")
    return 0


@_guarded
def _cmd_new_edition(args: argparse.Namespace) -> int:
    from ._new_edition import new_edition

    result = new_edition(
        args.edition, args.from_edition, args.out, package=args.package, kind=args.kind, force=args.force
    )
    if args.json:
        _print_json(result.to_dict())
    else:
        print(f"wrote {len(result.files)} files to {result.out} ({result.gaps} gaps of {result.from_edition} carried over):")
        for path in result.files:
            print(f"  {path}")
        print(f"Fill them in as {result.out / 'README.md'} explains, then validate and compare.")
    return 0


_PACKAGE_HELP = "folder holding datapackage.json, or the descriptor file (default: bundled package)"


def _add_output_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """Add the ``--package``, ``--format`` (first format is the default) and ``--json`` options."""
    parser.add_argument("--package", metavar="PATH", help=_PACKAGE_HELP)
    parser.add_argument("--format", choices=formats, default=formats[0],
                        help=f"output format (default: {formats[0]})")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="same as --format json")
    _add_no_verify(parser)


def _add_no_verify(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-verify", action="store_true",
                        help="do not check files against the bytes/hash their descriptor declares")  # fmt: skip


_EXIT_HELP = "Exit status: 0 done, 1 a table could not be read, 2 usage error (unknown name, bad path)."


def _add_query_commands(sub: Any) -> None:
    raw = argparse.RawDescriptionHelpFormatter
    cmp = sub.add_parser(
        "compare",
        help="compare two editions gap by gap (still listed / no longer listed / newly listed)",
        description=(
            "Compare edition OLD with edition NEW, matching gaps by gap_key: 'persisting' (still\n"
            "listed), 'dropped' (no longer listed; that is not 'resolved', the data does not say\n"
            "why) and 'added' (newly listed); classification changes; counts per region and\n"
            "function; what the answers said about each gap. --format json prints the documented\n"
            "stable shape (docs/compare.md). " + _EXIT_HELP
        ),
        epilog=(
            "Examples:\n"
            "  palliativ-data compare 2026-02 2026-06\n"
            "  palliativ-data compare 2026-02 2026-06 --region Jämtland --format markdown\n"
            "  palliativ-data compare 2026-06 2027-02 --old-package old/ --package new/ --json"
        ),
        formatter_class=raw,
    )
    cmp.add_argument("old", metavar="OLD", help="the old edition, e.g. 2026-02")
    cmp.add_argument("new", metavar="NEW", help="the new edition, e.g. 2026-06")
    cmp.add_argument("--region", action="append", metavar="REGION",
                     help="limit to a region (code, ISO code, name or alias); repeatable")  # fmt: skip
    cmp.add_argument("--function", action="append", metavar="CODE",
                     help="limit to a function code, e.g. on_call_24_7; repeatable")  # fmt: skip
    cmp.add_argument("--package", metavar="PATH", help=f"package of NEW (and of OLD unless --old-package); {_PACKAGE_HELP}")
    cmp.add_argument("--old-package", metavar="PATH", help="package of OLD when it is another copy (e.g. last year's release)")
    cmp.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table",
                     help="table (for people, default), markdown (a report), csv (one row per gap), json")  # fmt: skip
    cmp.add_argument("--json", action="store_true", help="same as --format json")
    _add_no_verify(cmp)
    cmp.set_defaults(func=_cmd_compare)

    eds = sub.add_parser(
        "editions",
        help="list the editions with their counts of gaps, responses and classifications",
        description="List the editions of a package, oldest first. " + _EXIT_HELP,
        epilog="Examples:\n  palliativ-data editions\n  palliativ-data editions --json",
        formatter_class=raw,
    )
    _add_output_options(eds, ("table", "csv", "json"))
    eds.set_defaults(func=_cmd_editions)

    reg = sub.add_parser(
        "regions",
        help="list the regions: codes, names, healthcare regions, gaps per edition, category",
        description="List the 21 regions with their gaps per edition and latest category. " + _EXIT_HELP,
        epilog="Examples:\n  palliativ-data regions\n  palliativ-data regions --format csv > regions.csv",
        formatter_class=raw,
    )
    _add_output_options(reg, ("table", "csv", "json"))
    reg.set_defaults(func=_cmd_regions)

    show = sub.add_parser(
        "show",
        help="everything about one region across the editions",
        description=(
            "Show one region: its names, healthcare region, the gaps of every edition with their\n"
            "status against the edition before, the answers about each gap, the responses with\n"
            "their summaries, and its classification. REGION is a code, ISO code, name or alias;\n"
            "case and accents do not matter. " + _EXIT_HELP
        ),
        epilog="Examples:\n  palliativ-data show Jämtland\n  palliativ-data show SE-Z --json",
        formatter_class=raw,
    )
    show.add_argument("region", metavar="REGION", help="e.g. 23, SE-Z, 'Jämtland Härjedalen', jamtland")
    _add_output_options(show, ("markdown", "json"))
    show.set_defaults(func=_cmd_show)

    new = sub.add_parser(
        "new-edition",
        help="write the CSV rows to fill in for a new edition, carried over from an existing one",
        description=(
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
            "never overwritten without --force. See docs/new-edition.md. " + _EXIT_HELP
        ),
        epilog=(
            "Examples:\n"
            "  palliativ-data new-edition 2027-02 --from 2026-06\n"
            "  palliativ-data new-edition 2027-02 --from 2026-06 --out worksheets/2027-02 --force"
        ),
        formatter_class=raw,
    )
    new.add_argument("edition", metavar="EDITION", help="the new edition, YYYY-MM (e.g. 2027-02)")
    new.add_argument("--from", dest="from_edition", required=True, metavar="EDITION",
                     help="the edition whose gaps are carried over (e.g. 2026-06)")  # fmt: skip
    new.add_argument("--out", metavar="DIR", help="output folder (default: ./new-edition-EDITION)")
    new.add_argument("--kind", choices=("inventory", "follow_up"), default="inventory", help="kind of the new edition (default: inventory)")
    new.add_argument("--package", metavar="PATH", help=_PACKAGE_HELP)
    new.add_argument("--force", action="store_true", help="replace files that exist in --out")
    new.add_argument("--json", action="store_true", help="print what was written as JSON")
    new.set_defaults(func=_cmd_new_edition)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="palliativ-data",
        description="Open data on gaps in specialised palliative care in Sweden's regions.",
        epilog="Example: palliativ-data validate",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gen = sub.add_parser(
        "generate",
        help="regenerate datapackage/datapackage.json and the models from schema/",
        description=(
            "Regenerate the files generated from schema/: datapackage/datapackage.json and "
            "src/palliativ_data/_models.py."
        ),
        epilog="Example: palliativ-data generate",
    )
    gen.set_defaults(func=_cmd_generate)
    val = sub.add_parser(
        "validate",
        help="validate a data package (default: the bundled one)",
        description=(
            "Validate a data package: the descriptor against the Data Package v2 profile,\n"
            "every table with frictionless (types, constraints, primary and foreign keys) and\n"
            "the cross-table rules (one classification per region per follow-up edition,\n"
            "no_response exactly when a region did not answer, stable gap keys, ...).\n"
            "Every problem is reported with its code, file, row (header = row 1) and field.\n"
            "Exit status: 0 valid, 1 invalid, 2 usage error."
        ),
        epilog=(
            "Examples:\n"
            "  palliativ-data validate\n"
            "  palliativ-data validate path/to/candidate/ --json\n"
            "  palliativ-data validate path/to/candidate/datapackage.json"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    val.add_argument(
        "path",
        nargs="?",
        default=None,
        metavar="PATH",
        help="folder holding datapackage.json, or the descriptor file (default: bundled package)",
    )
    val.add_argument(
        "--json",
        action="store_true",
        help='print {"valid": bool, "package": str, "problems": [...], "summary": {...}, '
        '"omitted": {code: count}} as JSON',
    )
    val.add_argument(
        "--all",
        action="store_true",
        help="list every problem (default: 20 per code, then a count of the rest; frictionless "
        "stops after 10,000 problems in one file)",
    )
    val.set_defaults(func=_cmd_validate)
    bld = sub.add_parser(
        "build",
        help="build a release: CSV, Parquet, SQLite, checksums, citation and catalogue metadata, zip",
        description=(
            "Validate the data package, then build a release into --out (replaced as a whole;\n"
            "a failed build leaves it untouched): <name>-<version>/ with csv/, excel/ (UTF-8\n"
            "with BOM, semicolon), parquet/, one SQLite file, datapackage.json, SHA256SUMS,\n"
            "CITATION.cff, dcat-ap-se.jsonld and schema-org.jsonld, and a zip of that folder.\n"
            "Reproducible: timestamps come from SOURCE_DATE_EPOCH, else the latest edition date.\n"
            "Exit status: 0 built, 1 invalid package or failed build, 2 usage error."
        ),
        epilog=(
            "Examples:\n"
            "  palliativ-data build\n"
            "  palliativ-data build --out release/ --json\n"
            "  palliativ-data build path/to/candidate/ --out /tmp/candidate-release"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bld.add_argument(
        "path",
        nargs="?",
        default=None,
        metavar="PATH",
        help="folder holding datapackage.json, or the descriptor file (default: bundled package)",
    )
    bld.add_argument(
        "--out", default="dist", metavar="DIR", help="output folder (default: dist)"
    )
    bld.add_argument(
        "--json", action="store_true", help="print what was built (files, sizes, time) as JSON"
    )
    bld.set_defaults(func=_cmd_build)
    _add_query_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the flush at exit does not raise again."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (e.g. captured in tests)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
