"""No network while a package is read or checked: a socket-level guard.

``validate``, ``load``, ``build``, ``compare`` and ``site`` read packages that someone else
wrote. Nothing in them needs the network, and a descriptor must never make them fetch a URL
(frictionless acts on ``profile``, ``extrapaths``… when it is handed them). The validator hands
frictionless only the keys the project defines; this module is the second line: while
:func:`offline` is active, any attempt to resolve a host name or connect a socket raises
:class:`NetworkRefusedError` (through a Python audit hook, :func:`sys.addaudithook`), so a
fetch that slipped through fails loudly instead of happening.

Audit hooks cannot be removed, so the hook is installed once, on first use, and does nothing
unless the current context is inside :func:`offline` (a :class:`contextvars.ContextVar`):
sockets opened by other code, other threads, or tests outside these operations are left alone.
A thread started inside an operation begins with a fresh context and is not covered; nothing
in these operations starts one.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from ._errors import DataError

EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
        "socket.sendto",
        "socket.sendmsg",
        "urllib.Request",
    }
)
"""The audit events that reach out to the network (``socket.connect`` also covers
``connect_ex``; ``gethostbyname_ex`` raises ``socket.gethostbyname``)."""

_ACTIVE: ContextVar[str | None] = ContextVar("palliativ_data_offline", default=None)
_LOCK = threading.Lock()
_INSTALLED: list[bool] = []
_REFUSED: list[str] = []


class NetworkRefusedError(DataError):
    """Something tried to use the network while a package was read; it was refused.

    Attributes:
        operation: What was running (``validate``, ``load``, ``build``…).
        event: The audit event refused (``socket.connect``, ``socket.getaddrinfo``…).
    """

    operation: str | None = None
    event: str | None = None


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event not in EVENTS:
        return
    operation = _ACTIVE.get()
    if operation is None:
        return
    target = _target(args)
    _REFUSED.append(f"{operation}: {event} {target}")
    raise NetworkRefusedError(
        f"palliativ-data does not use the network while it reads a package, and refused a "
        f"connection ({event}{f' to {target}' if target else ''}) during {operation}. A "
        "descriptor must not name anything to fetch: keep every file inside the package "
        "folder and remove keys such as 'profile' or 'extrapaths'.",
        operation=operation,
        event=event,
    )


def _target(args: tuple[Any, ...]) -> str:
    """The host (and port) an event names, for the message (printable, short)."""
    for arg in args:
        if isinstance(arg, tuple) and arg and isinstance(arg[0], str):
            text = ":".join(str(part) for part in arg[:2])
            return text.encode("ascii", "backslashreplace").decode("ascii")[:200]
        if isinstance(arg, (str, bytes)) and arg:
            text = arg.decode("ascii", "replace") if isinstance(arg, bytes) else arg
            return text.encode("ascii", "backslashreplace").decode("ascii")[:200]
    return ""


def install() -> None:
    """Install the audit hook (once per process; it cannot be removed)."""
    with _LOCK:
        if not _INSTALLED:
            sys.addaudithook(_hook)
            _INSTALLED.append(True)


@contextlib.contextmanager
def offline(operation: str) -> Iterator[None]:
    """Refuse every network attempt of this context while the block runs.

    Also a decorator (``@offline("validate")``). Nested use keeps the outer operation's name
    once the inner block ends.

    Examples:
        >>> import socket
        >>> with offline("validate"):
        ...     socket.getaddrinfo("example.org", 443)
        Traceback (most recent call last):
        ...
        palliativ_data._offline.NetworkRefusedError: palliativ-data does not use the network ...
    """
    install()
    token = _ACTIVE.set(_ACTIVE.get() or operation)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def active() -> str | None:
    """The operation that is refusing the network in this context, or None."""
    return _ACTIVE.get()


def refused() -> tuple[str, ...]:
    """Every attempt refused in this process so far (``operation: event target``), for tests:
    a library that caught the error would otherwise hide the attempt."""
    return tuple(_REFUSED)
