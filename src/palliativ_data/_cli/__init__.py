"""Command-line interface: ``palliativ-data COMMAND``.

``parser`` builds the argument parser (it describes the commands), ``commands`` holds one
function per command and the table ``HANDLERS`` of them by name, and ``display`` lays out
the tables and pages printed for people.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from .commands import HANDLERS
from .parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return HANDLERS[args.command](args)
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the flush at exit does not raise again."""

    # ValueError/OSError: stdout is not a real file (e.g. captured in tests)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
