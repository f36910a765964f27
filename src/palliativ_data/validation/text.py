"""Small text helpers shared by the validation messages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any


def show(value: Any, limit: int = 60) -> str:
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def join(values: Iterable[Any]) -> str:
    return ", ".join(str(value) for value in values)


def as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value]
    return []


def relative_posix_safe(value: str) -> bool:
    if not value or "\\" in value or value.startswith(("/", "~")) or "://" in value:
        return False
    parts = PurePosixPath(value).parts
    return ".." not in parts and not re.match(r"^[A-Za-z]:", value)
