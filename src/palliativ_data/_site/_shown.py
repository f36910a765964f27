"""What a page is made from and what it shows: the two values every show function of
``_pages.PAGES`` takes and returns (a module of their own, so that the page modules and the
table of pages share them without importing each other)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import argparse

    from ._common import Data


@dataclass(frozen=True)
class Inputs:
    """What the pages are made from: the data, the release built from it, the CLI's parser."""

    data: Data
    release: Path
    """The release folder (``built_release``); the downloads page lists its files."""
    cli_parser: argparse.ArgumentParser
    """The parser of ``palliativ-data``, for the CLI reference (passed in by the caller, so
    that the site does not import the CLI)."""


@dataclass
class Shown:
    """What one page shows in one language: the template's values and the CSV files behind it."""

    values: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """CSV files by path relative to the language's root (``data/map.csv``)."""
