"""Hostile input, round two (#18): no network, no raw control byte, whatever validate accepts
builds.

* The socket guard (``palliativ_data._offline``): refuses inside the operations only.
* Zero requests: every URL-bearing key of a descriptor is served on 127.0.0.1 by a local
  ``http.server`` thread; ``validate`` (both engines), ``build``, ``load``, ``compare`` and the
  query commands make no request, with the guard and without it (the descriptor frictionless is
  handed is built from the project's keys, so there is nothing to fetch in the first place).
* Every CLI command, on a package whose cells, labels and names hold escape sequences, prints
  no control character but newline and tab; a package folder whose name is not UTF-8 is
  printed too (text and ``--json``).
* A property (hypothesis) over random descriptor keys and values (URLs, paths, control
  characters, huge numbers): no socket, no bytes from outside the package in the output, no
  traceback, bounded time, and when ``validate`` says valid, ``build`` succeeds.

Packages are made in ``tmp_path`` from the minimal package (``tests/fixtures/bad/build.py``).
"""

from __future__ import annotations

import contextlib
import http.server
import importlib.util
import io
import json
import os
import re
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import palliativ_data as pdata
from palliativ_data import _offline
from palliativ_data._cli import main
from palliativ_data._release.build import build_release

_spec = importlib.util.spec_from_file_location(
    "bad_build_offline", Path(__file__).parent / "fixtures" / "bad" / "build.py"
)
bad = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bad)

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
SECRET = "TOP-SECRET-OFFLINE-LINE"


# --------------------------------------------------------------------------- a local server


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        body = b'{"fields": []}\n' if self.path.endswith(".json") else b"a,b\n1,2\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 (a free port) that records every request it gets."""
    handler = type("Handler", (_Counting,), {"requests": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler.requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def _served(url: str) -> str:
    """GET ``url`` (the server works: a zero count below means nothing asked)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"GET /probe HTTP/1.0\r\n\r\n")
        return b"".join(iter(lambda: connection.recv(4096), b"")).decode("ascii", "replace")


# --------------------------------------------------------------------------- the guard


def test_the_guard_refuses_inside_an_operation_only(server):
    url, requests = server
    host, port = url.removeprefix("http://").split(":")
    before = len(_offline.refused())
    with _offline.offline("validate"):
        with pytest.raises(_offline.NetworkRefusedError, match="during validate"):
            socket.create_connection((host, int(port)), timeout=5)
        with pytest.raises(pdata.PalliativDataError):
            socket.getaddrinfo("example.org", 443)
        with _offline.offline("build"):  # nested: the outer operation is named
            assert _offline.active() == "validate"
    assert _offline.active() is None
    assert len(_offline.refused()) == before + 2
    assert requests == []
    assert _served(url).startswith("HTTP/1.0 200")  # outside: sockets work as before
    assert requests == ["/probe"]


def test_the_guard_does_not_reach_other_threads_outside_an_operation(server):
    url, requests = server
    results: list[str] = []
    with _offline.offline("validate"):
        thread = threading.Thread(target=lambda: results.append(_served(url)))
        thread.start()
        thread.join(timeout=30)
    assert results and results[0].startswith("HTTP/1.0 200") and requests == ["/probe"]


# --------------------------------------------------------------------------- zero requests


def _every_url_key(url: str) -> Any:
    """Every descriptor key that frictionless (or a careless reader) could fetch, at ``url``."""

    def func(descriptor: dict) -> None:
        descriptor["profile"] = f"{url}/package-profile.json"
        descriptor["profiles"] = [f"{url}/profiles.json"]
        descriptor["homepage"] = f"{url}/homepage"
        descriptor["licenses"][0]["path"] = f"{url}/licence"
        descriptor["x-database"] = {"format": "sqlite", "path": f"{url}/db.sqlite"}
        stances = bad.resource(descriptor, "stances")
        stances["profile"] = f"{url}/resource-profile.json"
        stances["extrapaths"] = [f"{url}/meta.csv"]
        stances["url"] = f"{url}/url.csv"
        stances["schema"]["$schema"] = f"{url}/tableschema.json"
        stances["x-formats"] = [{"format": "parquet", "path": f"{url}/s.parquet"}]
        bad.resource(descriptor, "events")["path"] = f"{url}/events.csv"
        bad.resource(descriptor, "sources")["schema"] = f"{url}/sources-schema.json"
        bad.resource(descriptor, "functions")["dialect"] = f"{url}/dialect.json"

    return bad.edit_descriptor(func)


def _run_everything(package: Path, out: Path) -> None:
    """validate (both engines), build, load and every table, and the query commands."""
    for engine in ("auto", "frictionless"):
        assert not pdata.validate(package, engine=engine).valid
    with pytest.raises(pdata.BuildError):
        build_release(out, package)
    with contextlib.suppress(pdata.PalliativDataError):
        pkg = pdata.load(package)
        for name in pkg.resource_names:
            with contextlib.suppress(pdata.PalliativDataError):
                pkg.table(name)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for command in (
            ["validate", str(package), "--json"],
            ["regions", "--package", str(package)],
            ["compare", "2026-02", "2026-06", "--package", str(package), "--json"],
        ):
            assert main(command) in (0, 1, 2)


def test_no_url_of_a_descriptor_is_fetched(server, tmp_path):
    url, requests = server
    package = bad.make_package(tmp_path / "package", _every_url_key(url))
    refused = len(_offline.refused())
    _run_everything(package, tmp_path / "out")
    assert requests == [], requests
    assert len(_offline.refused()) == refused, "the guard had to stop a fetch"
    assert not (tmp_path / "out").exists()


def test_no_url_is_fetched_even_without_the_guard(server, tmp_path, monkeypatch):
    """The first line alone: the descriptor frictionless is handed has nothing to fetch."""
    url, requests = server
    package = bad.make_package(tmp_path / "package", _every_url_key(url))
    monkeypatch.setattr(_offline, "EVENTS", frozenset())  # the hook lets everything through
    _run_everything(package, tmp_path / "out")
    assert requests == [], requests


# --------------------------------------------------------------------------- printed bytes

ESC = "\x1b[2J\x1b]0;pwned\x07\x9b31m\u202e"


def _hostile_cells(folder: Path) -> None:
    bad.set_cell("regions", 2, "name_source", "Stock" + ESC + "holm")(folder)
    bad.set_cell("regions", 3, "name_en", ESC)(folder)
    bad.set_cell("gaps", 2, "label_en", "gap" + ESC)(folder)
    bad.set_cell("editions", 2, "title_en", "title" + ESC)(folder)
    bad.set_cell("responses", 2, "summary_en", "summary" + ESC)(folder)


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def test_no_command_prints_a_control_character(tmp_path):
    package = bad.make_package(tmp_path / "package", _hostile_cells)
    where = ["--package", str(package)]
    commands = [
        ["validate", str(package)],
        ["validate", str(package), "--json"],
        ["build", str(package), "--out", str(tmp_path / "out")],
        ["regions", *where],
        ["regions", *where, "--json"],
        ["regions", *where, "--format", "csv"],
        ["editions", *where],
        ["editions", *where, "--format", "csv"],
        ["show", "01", *where],
        ["show", "01", *where, "--format", "text"],
        ["show", "01", *where, "--json"],
        ["show", "Stock" + ESC, *where],  # an unknown name, quoted in the error
        ["compare", "2026-02", "2026-06", *where],
        ["compare", "2026-02", "2026-06", *where, "--json"],
        ["compare", "2026-02", "2026-06", *where, "--format", "csv"],
        ["compare", "2026-02", "2026-06", *where, "--format", "markdown"],
        ["new-edition", "2027-02", "--from", "2026-06", *where, "--out", str(tmp_path / "ws")],
    ]
    for command in commands:
        _, out, err = _cli(*command)
        assert "Traceback" not in out + err, command
        found = CONTROL.findall(out + err.replace("\t", ""))
        assert not found, (command, found)
    # the data did reach the output, escaped
    assert "\\x1b[2J" in _cli("regions", *where, "--format", "csv")[1]
    assert "\\u001b[2J" in _cli("regions", *where, "--json")[1]


def test_a_package_folder_that_is_not_utf8_is_printed_escaped(tmp_path):
    folder = Path(os.fsdecode(os.fsencode(tmp_path) + b"/pkg-\xff"))
    package = bad.make_package(folder, bad.delete_file("stances"))
    for args in ([str(package)], [str(package), "--json"]):
        code, out, err = _cli("validate", *args)
        assert code == 1 and "Traceback" not in err
        assert not CONTROL.search(out + err) and "pkg-\\udcff" in out
        out.encode("utf-8")  # no lone surrogate left to print


# --------------------------------------------------------------------------- the property

EXAMPLES = int(os.environ.get("PALLIATIV_FUZZ_EXAMPLES", "5"))
PROPERTY = settings(
    max_examples=max(EXAMPLES * 2, 10),
    deadline=timedelta(seconds=60),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=EXAMPLES <= 5,
    database=None,
)

_URLS = st.sampled_from(
    [
        "http://127.0.0.1:9/x.json",
        'https://example.org/a"b',
        "file:///etc/passwd",
        "../outside/secret.csv",
        "/etc/passwd",
        "data/../../secret.csv",
        "data/link.csv",
        "tabular-data-resource",
        "https://example.org/\x1b[2J",
        "javascript:alert(1)",
    ]
)
_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([1e308, -1e308, 10**60])
    | st.text(max_size=20)
    | st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=8)
    | _URLS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=8) | _URLS, children, max_size=3)
    ),
    max_leaves=12,
)
_KEYS = st.sampled_from(
    [
        "profile", "profiles", "extrapaths", "url", "path", "schema", "dialect", "title",
        "description", "homepage", "x-publication", "x-formats", "x-database", "x-translations",
        "stats", "innerpath", "compression", "licenses", "sources", "keywords", "x-evil",
        "mediatype", "bytes", "hash", "rows", "$schema",
    ]
) | st.text(max_size=10)  # fmt: skip
_PLACES = st.sampled_from(
    ["package", "stances", "stances.schema", "stances.field", "x-publication"]
)


def _place(descriptor: dict, place: str) -> dict:
    if place == "package":
        return descriptor
    if place == "x-publication":
        return descriptor["x-publication"]
    stances = bad.resource(descriptor, "stances")
    if place == "stances":
        return stances
    if place == "stances.schema":
        return stances["schema"]
    return stances["schema"]["fields"][2]


def _fresh(root: Path) -> Path:
    package = bad.make_package(root / "package")
    secret = root / "outside" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET},x\n", encoding="utf-8")
    os.symlink(secret, package / "data" / "link.csv")
    return package


@PROPERTY
@given(changes=st.lists(st.tuples(_PLACES, _KEYS, _VALUES), min_size=1, max_size=3))
def test_whatever_validate_accepts_builds_and_nothing_leaks(changes):
    root = Path(tempfile.mkdtemp(prefix="palliativ-offline-"))
    try:
        package = _fresh(root)
        path = package / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        for place, key, value in changes:
            _place(descriptor, place)[key] = value
        path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
        refused = len(_offline.refused())
        code, out, err = _cli("validate", str(package))
        json_code, json_out, json_err = _cli("validate", str(package), "--json")
        printed = out + err + json_out + json_err
        assert code == json_code and code in (0, 1, 2), printed
        assert "Traceback" not in printed and SECRET not in printed
        assert not CONTROL.search(printed)
        if code == 0:  # whatever validate accepts, build builds and load reads
            result = build_release(root / "out", package)
            release = pdata.load(result.release_dir)
            for name in release.resource_names:
                release.table(name)
        else:
            with pytest.raises(pdata.PalliativDataError) as refused_build:
                build_release(root / "out", package)
            assert SECRET not in str(refused_build.value)
        assert len(_offline.refused()) == refused, "a socket was tried"
    finally:
        shutil.rmtree(root, ignore_errors=True)
