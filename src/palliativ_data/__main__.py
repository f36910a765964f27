"""``python -m palliativ_data``: the ``palliativ-data`` command."""

from __future__ import annotations

import sys

from ._cli import main

if __name__ == "__main__":  # pragma: no cover - run as a program
    sys.exit(main())
