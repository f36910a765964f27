"""Small text helpers shared by the validation messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .._source import path_problem


def show(value: Any, limit: int = 60) -> str:
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


MAX_LISTED = 30
"""At most this many names or values are listed in one message (a hostile descriptor can
have 15,000 fields; its report stays small)."""


def join(values: Iterable[Any], *, limit: int = MAX_LISTED, quote: bool = False) -> str:
    """``values`` separated by commas, at most ``limit`` of them, each shortened by
    :func:`show` when ``quote``.

    Examples:
        >>> join(["a", "b", "c"], limit=2)
        'a, b … and 1 more'
    """
    items = list(values)
    shown = [show(value) if quote else str(value) for value in items[:limit]]
    more = f" … and {len(items) - limit:,} more" if len(items) > limit else ""
    return ", ".join(shown) + more


def relative_posix_safe(value: str) -> bool:
    """A plain relative path inside the package (see :func:`palliativ_data._source.path_problem`)."""

    return path_problem(value) is None
