"""One escape for everything printed: data never sends a control character to a terminal.

A cell, a header label, a field name or a path can hold an escape sequence (``\\x1b[2J``
clears the screen), a NUL, a bidirectional override or a lone surrogate (a file name that is
not UTF-8, which ``print`` cannot even encode). Every message, table and page the library or
the CLI prints passes through :func:`printable`, and JSON through :func:`json_text`, so these
characters are shown as visible escapes (``\\x1b``, ``\\u202e``, ``\\udcff``) instead.
"""

from __future__ import annotations

import json
import re
from typing import Any

_INVISIBLE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
"""C0 and C1 controls (tab and newline aside), the bidirectional marks and overrides, and
lone surrogates."""
_KEEP_LINES = re.compile(f"[{_INVISIBLE}]")
_ONE_LINE = re.compile(f"[\t\n{_INVISIBLE}]")
_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, one_line: bool = False) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``, ``\\u202e``…).

    Line breaks and tabs are kept unless ``one_line`` (a problem message, a table cell). The
    result holds no control character and encodes as UTF-8; escaping twice changes nothing.

    Examples:
        >>> printable("ok\\x1b[31mred\\x00\\n")
        'ok\\\\x1b[31mred\\\\x00\\n'
        >>> printable("a\\tb\\nc", one_line=True)
        'a\\\\x09b\\\\x0ac'
        >>> printable("\\udcff")
        '\\\\udcff'
    """
    pattern = _ONE_LINE if one_line else _KEEP_LINES
    return pattern.sub(_escape, str(text))


def json_text(data: Any, indent: int | None = 2) -> str:
    """``data`` as JSON text with no raw control character (UTF-8 letters kept as they are).

    ``json.dumps`` escapes C0 controls itself; C1 controls, bidirectional overrides and lone
    surrogates it writes raw, so they are written as ``\\uXXXX`` escapes here (the same JSON
    value).

    Examples:
        >>> json_text({"a": "ö\\x9b\\x1b"}, indent=None)
        '{"a": "ö\\\\u009b\\\\u001b"}'
    """
    return json_escaped(json.dumps(data, ensure_ascii=False, indent=indent))


def json_escaped(text: str) -> str:
    """JSON text (or a piece of it) with the characters :func:`json_text` escapes escaped."""
    return _IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class JsonWriter:
    """A text stream for JSON written piece by piece (``compare --json`` streams its
    document): each piece goes to ``stream`` through :func:`json_escaped`."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return int(self.stream.write(json_escaped(text)))

    def flush(self) -> None:
        self.stream.flush()
