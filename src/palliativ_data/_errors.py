"""The one exception tree of palliativ-data.

Every error the library raises on purpose derives from :class:`PalliativDataError`, so
``except palliativ_data.PalliativDataError`` catches them all. Context is passed as keyword
arguments and kept as attributes, and each message says what was wrong, what is allowed and
what to do next::

    PalliativDataError
    ├── PackageNotFoundError     (also FileNotFoundError) no data package at the given path
    ├── DataError                (also ValueError)        a CSV does not fit its Table Schema
    │   └── IntegrityError                                … a file's bytes/hash differ from its descriptor
    ├── NameLookupError          (also LookupError)       a name (edition, region, table…) did not resolve
    │   ├── UnknownNameError                              … it matches nothing
    │   └── AmbiguousNameError                            … it matches several things
    ├── MissingExtraError        (also ImportError)       an optional dependency is not installed
    ├── VersionError             (also ValueError)        data or schema changed, the data version did not
    ├── BuildError                                        a release build failed (invalid package, unsafe --out)
    ├── ArgumentError            (also ValueError)        an argument is not allowed (e.g. a malformed edition id)
    └── OutputExistsError        (also FileExistsError)   an output file exists and overwriting was not asked for
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _context_fields(cls: type) -> dict[str, Any]:
    """The context fields of an error class and their defaults: its annotated attributes and
    those of its bases (``cli_message`` aside)."""
    fields: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        for name in vars(klass).get("__annotations__", {}):
            if name != "cli_message":
                fields[name] = getattr(klass, name)
    return fields


class PalliativDataError(Exception):
    """Base class of every error raised by palliativ-data.

    A subclass declares its context as annotated class attributes with a default; the
    constructor takes them as keywords (a sequence given for a tuple field is kept as a tuple)
    and refuses any other keyword.

    Attributes:
        cli_message: The message as the command line shows it: where the advice differs for
            the two (a command or a flag instead of a Python call), the error carries both.
    """

    cli_message: str

    def __init__(self, message: str, *, cli: str | None = None, **context: Any) -> None:
        super().__init__(message)
        self.cli_message = cli or message
        fields = _context_fields(type(self))
        unknown = sorted(set(context) - set(fields))
        if unknown:
            raise TypeError(
                f"{type(self).__name__} has no context field {', '.join(unknown)}; "
                f"it has: {', '.join(fields) or 'none'}"
            )
        for name, default in fields.items():
            value = context.get(name, default)
            if isinstance(default, tuple) and isinstance(value, Iterable):
                value = tuple(value)
            setattr(self, name, value)

    def __str__(self) -> str:  # the message alone: OSError and LookupError bases format more
        return str(self.args[0]) if self.args else ""


class PackageNotFoundError(PalliativDataError, FileNotFoundError):
    """No data package (``datapackage.json``) where one was expected.

    Attributes:
        path: The path that was looked at.
    """

    path: str | None = None


class DataError(PalliativDataError, ValueError):
    """A CSV file does not fit its Table Schema (header, types, required values, enums).

    Attributes:
        resource: Name of the resource whose file was read.
        path: The file that was read.
        problems: Every problem found, as readable strings.
    """

    resource: str | None = None
    path: str | None = None
    problems: tuple[str, ...] = ()


class IntegrityError(DataError):
    """A file's size or hash differs from what the descriptor declares (tampered or truncated).

    ``load()`` verifies every file it reads whose resource declares ``bytes`` or ``hash``;
    ``load(path, verify=False)`` (``--no-verify``) skips that, e.g. while editing data.

    Attributes:
        expected: What the descriptor declares (``bytes`` or ``hash``).
        actual: What the file has.
    """

    expected: object = None
    actual: object = None


class NameLookupError(PalliativDataError, LookupError):
    """A name given to a look-up (edition, region, resource, function…) did not resolve.

    Attributes:
        kind: What was looked up, e.g. ``"edition"`` or ``"region"``.
        query: What the caller passed.
        candidates: The names that exist (unknown) or that matched (ambiguous).
    """

    kind: str | None = None
    query: object = None
    candidates: tuple[str, ...] = ()


class UnknownNameError(NameLookupError):
    """The name matches nothing; ``candidates`` lists what exists."""


class AmbiguousNameError(NameLookupError):
    """The name matches several things; ``candidates`` lists them."""


class MissingExtraError(PalliativDataError, ImportError):
    """An optional dependency (pandas, polars…) is needed but not installed.

    Attributes:
        extra: The ``pip install 'palliativ-data[extra]'`` extra that provides it.
    """

    extra: str | None = None


class VersionError(PalliativDataError, ValueError):
    """The data version does not fit what changed (see ``datapackage/fingerprint.json``).

    Attributes:
        recorded: The data version recorded with the last fingerprint.
        current: The data version in ``schema/package.json``.
        changed_files: Schema and data files that changed since the fingerprint was recorded.
    """

    recorded: str | None = None
    current: str | None = None
    changed_files: tuple[str, ...] = ()


class BuildError(PalliativDataError):
    """A release could not be built; nothing was written to the output folder.

    Attributes:
        problems: Every problem found (e.g. validation problems), as readable strings.
    """

    problems: tuple[str, ...] = ()


class ArgumentError(PalliativDataError, ValueError):
    """An argument is not allowed, e.g. an edition id that is not ``YYYY-MM`` or already exists.

    Attributes:
        argument: The name of the argument.
        value: What the caller passed.
    """

    argument: str | None = None
    value: object = None


class OutputExistsError(PalliativDataError, FileExistsError):
    """A file to be written exists already and overwriting was not asked for (``force``/``--force``).

    Attributes:
        paths: The files that exist.
    """

    paths: tuple[str, ...] = ()
