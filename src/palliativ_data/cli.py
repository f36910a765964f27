"""Command-line interface: ``palliativ-data COMMAND``. Thin commands over the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ._version import __version__


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


def _cmd_build(args: argparse.Namespace) -> int:
    import json

    from ._build import build_release
    from ._errors import BuildError, PackageNotFoundError

    try:
        result = build_release(args.out, args.path)
    except (BuildError, PackageNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result.to_dict(), indent=2) if args.json else result.render())
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from ._validate import validate

    report = validate(args.path)
    if args.json:
        print(report.to_json())
    else:
        print(report.render())
    return 0 if report.valid else 1


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
        help='print {"valid": bool, "package": str, "problems": [...], "summary": {...}} as JSON',
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
