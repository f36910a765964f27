"""Command-line interface: ``palliativ-data COMMAND``.

``parser`` builds the argument parser, ``commands`` holds one function per command and
``display`` the tables and Markdown printed for people.
"""

from __future__ import annotations

from collections.abc import Sequence

from .parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args))
