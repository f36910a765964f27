"""The commands of ``palliativ-data``: thin functions over the library, one per sub-command.

Validation and the release build are imported inside their commands (deferred), so that
``palliativ-data --help`` does not import frictionless (``test_help_does_not_import_heavy_libraries``).
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .._errors import BuildError, PackageNotFoundError, PalliativDataError, VersionError
from .._load import compare, load
from .._new_edition import new_edition
from ..release.metadata import write_repo_citation
from ..schema.codegen import write_models
from ..schema.descriptor import write_descriptor
from ..schema.versioning import render_fingerprint_update, write_fingerprint
from .display import (
    editions_overview,
    print_comparison,
    print_rows,
    region_markdown,
    region_report,
    regions_overview,
)


def _cmd_generate(args: argparse.Namespace) -> int:

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

    from ..release.build import build_release  # deferred: imports frictionless

    try:
        result = build_release(args.out, args.path)
    except (BuildError, PackageNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result.to_dict(), indent=2) if args.json else result.render())
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from ..validation import validate  # deferred: imports frictionless

    report = validate(args.path)
    if args.json:
        print(report.to_json())
    else:
        print(report.render())
    return 0 if report.valid else 1


# ------------------------------------------------------------------ query commands

_USAGE_ERRORS = ("NameLookupError", "ArgumentError", "PackageNotFoundError", "OutputExistsError")


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Print library errors as ``error: …`` on stderr: exit 2 for bad input, 1 for bad data."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:

        try:
            return command(args)
        except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        except PalliativDataError as error:
            print(f"error: {error}", file=sys.stderr)
            names = {cls.__name__ for cls in type(error).__mro__}
            return 2 if names.intersection(_USAGE_ERRORS) else 1

    return run


def _format(args: argparse.Namespace) -> str:
    return "json" if args.json else args.format


def _package(path: str | None) -> Any:

    return load(path)


def _print_json(data: Any) -> None:

    print(json.dumps(data, ensure_ascii=False, indent=2))


def _print_csv(rows: Sequence[dict[str, Any]]) -> None:

    flat = [{key: _flat(value) for key, value in row.items()} for row in _flatten(rows)]
    writer = csv.DictWriter(
        sys.stdout, fieldnames=list(flat[0]) if flat else [], lineterminator="\n"
    )
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

    new_pkg = _package(args.package)
    old_pkg = _package(args.old_package) if args.old_package else new_pkg
    result = compare(
        old_pkg, new_pkg, args.old, args.new, region=args.region, function=args.function
    )
    fmt = _format(args)
    if fmt == "json":
        from ..comparison.jsontext import write_json

        write_json(result, sys.stdout)  # streamed: no whole document in memory
    elif fmt == "markdown":
        print(result.to_markdown(), end="")
    elif fmt == "csv":
        _print_csv(result.to_records())
    else:
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
        print_rows(rows, columns, title=title)
    return 0


@_guarded
def _cmd_editions(args: argparse.Namespace) -> int:
    columns = [("edition", "edition"), ("kind", "kind"), ("published", "published"), ("title_en", "title"),
               ("follows_up", "follows up"), ("gaps", "gaps"), ("regions_with_gaps", "regions"),
               ("responses", "responses"), ("classifications", "classified")]  # fmt: skip
    return _print_overview(args, editions_overview(_package(args.package)), columns, "Editions")


@_guarded
def _cmd_regions(args: argparse.Namespace) -> int:
    columns = [("region_code", "code"), ("iso_3166_2", "ISO"), ("name", "name"), ("name_en", "English name"),
               ("healthcare_regions", "healthcare region"), ("gaps", "gaps per edition"),
               ("category", "category")]  # fmt: skip
    return _print_overview(args, regions_overview(_package(args.package)), columns, "Regions")


@_guarded
def _cmd_show(args: argparse.Namespace) -> int:

    pkg = _package(args.package)
    report = region_report(pkg, args.region)
    if _format(args) == "json":
        _print_json(report)
    else:
        print(region_markdown(pkg, report), end="")
    return 0


@_guarded
def _cmd_new_edition(args: argparse.Namespace) -> int:

    result = new_edition(
        args.edition,
        args.from_edition,
        args.out,
        package=args.package,
        kind=args.kind,
        force=args.force,
    )
    if args.json:
        _print_json(result.to_dict())
    else:
        print(
            f"wrote {len(result.files)} files to {result.out} ({result.gaps} gaps of {result.from_edition} carried over):"
        )
        for path in result.files:
            print(f"  {path}")
        print(f"Fill them in as {result.out / 'README.md'} explains, then validate and compare.")
    return 0
