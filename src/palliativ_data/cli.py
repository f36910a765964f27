"""Command-line interface: ``palliativ-data COMMAND``. Thin commands over the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ._version import __version__


def _cmd_generate(args: argparse.Namespace) -> int:
    from ._codegen import write_models
    from ._descriptor import write_descriptor

    for path in (write_descriptor(), write_models()):
        print(f"wrote {path}")
    return 0


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
