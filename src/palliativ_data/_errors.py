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

from collections.abc import Sequence


class PalliativDataError(Exception):
    """Base class of every error raised by palliativ-data.

    Attributes:
        cli_message: The message as the command line shows it: where the advice differs for
            the two (a command or a flag instead of a Python call), the error carries both.
    """

    def __init__(self, message: str, *, cli: str | None = None) -> None:
        super().__init__(message)
        self.cli_message = cli or message


class PackageNotFoundError(PalliativDataError, FileNotFoundError):
    """No data package (``datapackage.json``) where one was expected.

    Attributes:
        path: The path that was looked at.
    """

    def __init__(self, message: str, *, cli: str | None = None, path: str | None = None) -> None:
        super().__init__(message, cli=cli)
        self.path = path

    def __str__(self) -> str:  # FileNotFoundError would otherwise format errno/filename
        return str(self.args[0]) if self.args else ""


class DataError(PalliativDataError, ValueError):
    """A CSV file does not fit its Table Schema (header, types, required values, enums).

    Attributes:
        resource: Name of the resource whose file was read.
        path: The file that was read.
        problems: Every problem found, as readable strings.
    """

    def __init__(
        self,
        message: str,
        *,
        cli: str | None = None,
        resource: str | None = None,
        path: str | None = None,
        problems: Sequence[str] = (),
    ) -> None:
        super().__init__(message, cli=cli)
        self.resource = resource
        self.path = path
        self.problems = tuple(problems)


class IntegrityError(DataError):
    """A file's size or hash differs from what the descriptor declares (tampered or truncated).

    ``load()`` verifies every file it reads whose resource declares ``bytes`` or ``hash``;
    ``load(path, verify=False)`` (``--no-verify``) skips that, e.g. while editing data.

    Attributes:
        expected: What the descriptor declares (``bytes`` or ``hash``).
        actual: What the file has.
    """

    def __init__(
        self,
        message: str,
        *,
        resource: str | None = None,
        path: str | None = None,
        expected: object = None,
        actual: object = None,
    ) -> None:
        super().__init__(message, resource=resource, path=path)
        self.expected = expected
        self.actual = actual


class NameLookupError(PalliativDataError, LookupError):
    """A name given to a look-up (edition, region, resource, function…) did not resolve.

    Attributes:
        kind: What was looked up, e.g. ``"edition"`` or ``"region"``.
        query: What the caller passed.
        candidates: The names that exist (unknown) or that matched (ambiguous).
    """

    def __init__(
        self,
        message: str,
        *,
        cli: str | None = None,
        kind: str | None = None,
        query: object = None,
        candidates: Sequence[str] = (),
    ) -> None:
        super().__init__(message, cli=cli)
        self.kind = kind
        self.query = query
        self.candidates = tuple(candidates)

    def __str__(self) -> str:  # LookupError subclasses such as KeyError would quote it
        return str(self.args[0]) if self.args else ""


class UnknownNameError(NameLookupError):
    """The name matches nothing; ``candidates`` lists what exists."""


class AmbiguousNameError(NameLookupError):
    """The name matches several things; ``candidates`` lists them."""


class MissingExtraError(PalliativDataError, ImportError):
    """An optional dependency (pandas, polars…) is needed but not installed.

    Attributes:
        extra: The ``pip install 'palliativ-data[extra]'`` extra that provides it.
    """

    def __init__(self, message: str, *, cli: str | None = None, extra: str | None = None) -> None:
        super().__init__(message, cli=cli)
        self.extra = extra


class VersionError(PalliativDataError, ValueError):
    """The data version does not fit what changed (see ``datapackage/fingerprint.json``).

    Attributes:
        recorded: The data version recorded with the last fingerprint.
        current: The data version in ``schema/package.json``.
        changed_files: Schema and data files that changed since the fingerprint was recorded.
    """

    def __init__(
        self,
        message: str,
        *,
        cli: str | None = None,
        recorded: str | None = None,
        current: str | None = None,
        changed_files: Sequence[str] = (),
    ) -> None:
        super().__init__(message, cli=cli)
        self.recorded = recorded
        self.current = current
        self.changed_files = tuple(changed_files)


class BuildError(PalliativDataError):
    """A release could not be built; nothing was written to the output folder.

    Attributes:
        problems: Every problem found (e.g. validation problems), as readable strings.
    """

    def __init__(
        self, message: str, *, cli: str | None = None, problems: Sequence[str] = ()
    ) -> None:
        super().__init__(message, cli=cli)
        self.problems = tuple(problems)


class ArgumentError(PalliativDataError, ValueError):
    """An argument is not allowed, e.g. an edition id that is not ``YYYY-MM`` or already exists.

    Attributes:
        argument: The name of the argument.
        value: What the caller passed.
    """

    def __init__(
        self,
        message: str,
        *,
        cli: str | None = None,
        argument: str | None = None,
        value: object = None,
    ) -> None:
        super().__init__(message, cli=cli)
        self.argument = argument
        self.value = value


class OutputExistsError(PalliativDataError, FileExistsError):
    """A file to be written exists already and overwriting was not asked for (``force``/``--force``).

    Attributes:
        paths: The files that exist.
    """

    def __init__(self, message: str, *, cli: str | None = None, paths: Sequence[str] = ()) -> None:
        super().__init__(message, cli=cli)
        self.paths = tuple(paths)

    def __str__(self) -> str:  # FileExistsError would otherwise format errno/filename
        return str(self.args[0]) if self.args else ""
