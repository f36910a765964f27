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


def join(values: Iterable[Any]) -> str:
    return ", ".join(str(value) for value in values)


def relative_posix_safe(value: str) -> bool:
    """A plain relative path inside the package (see :func:`palliativ_data._source.path_problem`)."""

    return path_problem(value) is None
