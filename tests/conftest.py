"""Fixtures shared by the test modules."""

from __future__ import annotations

import collections
import dataclasses
import fcntl
import functools
import hashlib
import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib import namespace as ns

from palliativ_data._io import read_json


def modules_after_code(code: str, *args: str) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code`` (with ``args``)."""
    script = f"{code}\nimport sys as _s, json as _j\nprint(_j.dumps(sorted(_s.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="session")
def modules_after() -> Callable[..., set[str]]:
    """Run code in a fresh interpreter and return every module it imported.

    The checks that something stays light ("does not import pandas") use this one helper:
    ``assert not {"pandas"} & modules_after("import palliativ_data")``.
    """
    return modules_after_code


def arrow_csv_text(table: Any) -> str:
    """A pyarrow table as CSV text in the curated style: comma, header row, ``\\n``, minimal
    quoting, an empty cell for null, each cell in its Table Schema form (``_arrow.cell_texts``).

    The writer of the round-trip tests (CSV → Arrow → CSV gives back the curated bytes); the
    library itself never writes a table as CSV this way (a build copies the curated files).
    """
    from palliativ_data._arrow import cell_texts  # (pyarrow: only the tests that use it)
    from palliativ_data._io import format_csv

    columns = [cell_texts(table.column(i), table.schema.field(i)) for i in range(table.num_columns)]
    return format_csv(table.column_names, zip(*columns, strict=True))


@pytest.fixture(scope="session")
def csv_text() -> Callable[[Any], str]:
    """:func:`arrow_csv_text`, for the tests that write a table back as CSV."""
    return arrow_csv_text


REPO = Path(__file__).resolve().parent.parent
# what `mkdocs build` reads besides docs/ and mkdocs.yml: the hook and mkdocstrings (src/), the
# snippets included from the repository root
_SITE_INPUTS = ("src", "CHANGELOG.md", "README.md", "schema", "datapackage")


def _build_site(
    workdir: Path, out: Path, package: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` on a copy of ``docs/`` and ``mkdocs.yml`` in ``workdir``, of
    the bundled data package or of ``package`` (``_site.PACKAGE_ENV``).

    The build's hook writes the generated pages into its docs folder; building a copy keeps a
    test run from rewriting the checkout. ``workdir/docs`` is left as the build left it, so a
    caller can compare it with the committed pages.
    """
    shutil.copytree(REPO / "docs", workdir / "docs")
    shutil.copy2(REPO / "mkdocs.yml", workdir / "mkdocs.yml")
    for name in _SITE_INPUTS:
        (workdir / name).symlink_to(REPO / name)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=workdir,
        env={
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            **({"PALLIATIV_DATA_SITE_PACKAGE": str(package)} if package else {}),
        },
        capture_output=True,
        text=True,
        check=False,
    )


def _tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``, following no link and opening no special file: files by
    their SHA-256, links by their target, anything else by its type (so a test sees anything
    written, changed or removed)."""
    result = {}
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(root) / name
            info = path.lstat()
            key = path.relative_to(folder).as_posix()
            if stat.S_ISLNK(info.st_mode):
                result[key] = "link:" + os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256()
                with path.open("rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
                result[key] = digest.hexdigest()
            else:
                result[key] = f"mode:{stat.S_IFMT(info.st_mode)}"
    return result


@pytest.fixture(scope="session")
def fingerprint() -> Callable[[Path], dict[str, str]]:
    """``fingerprint(folder)``: every entry under it, following no link (see ``_fingerprint``)."""
    return _fingerprint


@pytest.fixture(scope="session")
def build_site() -> Callable[[Path, Path], subprocess.CompletedProcess[str]]:
    """``build_site(workdir, out)``: the site built from a copy of the docs (see ``_build_site``)."""
    return _build_site


@pytest.fixture(scope="session")
def tree_bytes() -> Callable[[Path], dict[str, bytes]]:
    """``tree_bytes(folder)``: every file under ``folder`` with its bytes."""
    return _tree_bytes


@dataclass(frozen=True)
class SiteBuild:
    """One ``mkdocs build --strict`` of the docs (``_build_site``): its result, the copy of the
    project it built (``project/docs`` as the build's hook left it) and the built site."""

    done: subprocess.CompletedProcess[str]
    project: Path
    site: Path


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reads the built site (``site_build``) is in the slow tier."""
    for item in items:
        if "site_build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def _once_per_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], dict[str, Any]]
) -> tuple[Path, dict[str, Any]]:
    """``make(folder)`` run once per test run, its folder and its (JSON) result shared by all.

    Under pytest-xdist each worker has its own session, so the work goes to the run's shared
    temporary folder under a file lock: the first worker to ask does it, another waits and
    reads the same result. (``--dist loadgroup`` would keep the tests on one worker instead,
    but with pytest 9.2 pytest-xdist 3.8 silently ignores the groups: its issue #1386.)
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    work = shared / name
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            done_file = shared / f"{name}.json"
            if not done_file.exists():
                shutil.rmtree(work, ignore_errors=True)  # work that broke off, if any
                work.mkdir()
                done_file.write_text(json.dumps(make(work)), "utf-8")
            result = json.loads(done_file.read_text("utf-8"))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return work, result


def _completed(argv: list[str], result: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(
        argv, result["returncode"], result["stdout"], result["stderr"]
    )


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    """The site built once per test run (about 12 s of CPU), shared by test_docs.py and
    test_browser.py; read it, never change it."""
    if shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]')")

    def build(work: Path) -> dict[str, Any]:
        done = _build_site(work / "project", work / "site")
        return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}

    work, result = _once_per_run(tmp_path_factory, "site-build", build)
    return SiteBuild(_completed(["mkdocs", "build"], result), work / "project", work / "site")


def _synthetic_builder() -> Any:
    """``tests/fixtures/synthetic_2027/build.py`` (the SYNTHETIC four-edition package) as a module."""
    spec = importlib.util.spec_from_file_location(
        "synthetic_2027_conftest", REPO / "tests" / "fixtures" / "synthetic_2027" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class EditionsSite:
    """The SYNTHETIC four-edition package (2026-02, 2026-06, 2027-02, 2027-06), its plan (which
    gap closes, which reappears…, as a dict) and its site built like ``site_build``."""

    package: Path
    plan: dict[str, Any]
    build: SiteBuild


@pytest.fixture(scope="session")
def editions_site(tmp_path_factory: pytest.TempPathFactory) -> EditionsSite:
    """The site of a package with more than two editions, built once per test run (the site
    half of issue 19: region history, every pair of editions, target years that passed)."""
    if shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]')")

    def build(work: Path) -> dict[str, Any]:
        plan = _synthetic_builder().build(work / "package")
        done = _build_site(work / "project", work / "site", work / "package")
        return {
            "returncode": done.returncode,
            "stdout": done.stdout,
            "stderr": done.stderr,
            "plan": dataclasses.asdict(plan),
        }

    work, result = _once_per_run(tmp_path_factory, "editions-site-build", build)
    done = _completed(["mkdocs", "build"], result)
    return EditionsSite(
        work / "package", result["plan"], SiteBuild(done, work / "project", work / "site")
    )


@pytest.fixture(scope="session")
def synthetic_2027(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The SYNTHETIC four-edition package, built once per worker, and its plan (a dict)."""
    out = tmp_path_factory.mktemp("synthetic_2027") / "package"
    plan = _synthetic_builder().build(out)
    return out, dataclasses.asdict(plan)


def _tool(name: str) -> str:
    """The executable ``name`` of this environment (beside the interpreter, else on PATH);
    skip the test if it is not installed."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


@dataclass(frozen=True)
class MypyRun:
    """One ``mypy`` run over the files ``pyproject.toml`` names (with its settings, --strict)
    and a probe module that reveals the type of each of ``names``, one ``reveal_type`` a line
    in that order."""

    done: subprocess.CompletedProcess[str]
    probe: Path
    names: list[str]


@pytest.fixture(scope="session")
def mypy_run(tmp_path_factory: pytest.TempPathFactory) -> MypyRun:
    """mypy once per test run for test_lint.py (src/ passes --strict) and test_facts.py (type
    checkers see every public name): one process, one pass over the cache, not two."""
    import tomllib

    import palliativ_data

    mypy = _tool("mypy")
    files = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["mypy"]["files"]
    names = [*palliativ_data.__all__, "not_a_public_name"]

    def run(work: Path) -> dict[str, Any]:
        probe = work / "probe.py"
        probe.write_text(
            "import palliativ_data as p\n" + "".join(f"reveal_type(p.{n})\n" for n in names),
            encoding="utf-8",
        )
        done = subprocess.run(
            [mypy, *files, str(probe)], cwd=REPO, capture_output=True, text=True, check=False
        )
        return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}

    work, result = _once_per_run(tmp_path_factory, "mypy", run)
    probe = work / "probe.py"
    return MypyRun(_completed([mypy, *files, str(probe)], result), probe, names)


def _cffconvert_executable() -> str:
    """cffconvert 2.0.0 (the newest on PyPI) pins ``jsonschema<4``, which frictionless cannot
    live with, so it has a venv of its own: ``.ci/run`` makes one and names its executable in
    ``PALLIATIV_CFFCONVERT``. Without it the tests skip, except under CI, where they fail."""
    found = os.environ.get("PALLIATIV_CFFCONVERT", "")
    if found and Path(found).is_file():
        return found
    message = (
        "cffconvert is not available: python3 -m venv /tmp/cffconvert && "
        "/tmp/cffconvert/bin/pip install 'cffconvert>=2' and set "
        "PALLIATIV_CFFCONVERT=/tmp/cffconvert/bin/cffconvert"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def cffconvert() -> Callable[[Path, str], str]:
    """``cffconvert(path, format)``: ``CITATION.cff`` at ``path`` validated by cffconvert, then
    converted to ``format`` (``bibtex``, ``apalike``, ``zenodo``…); the converted text."""
    executable = _cffconvert_executable()

    def convert(path: Path, fmt: str) -> str:
        checked = subprocess.run(
            [executable, "-i", str(path), "--validate"], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stdout[-1500:] + checked.stderr[-1500:]
        done = subprocess.run(
            [executable, "-i", str(path), "-f", fmt], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout[-1500:] + done.stderr[-1500:]
        return done.stdout

    return convert


# --------------------------------------------------------------------------- DCAT-AP-SE shapes

SHAPES = Path(__file__).parent / "fixtures" / "dcat-ap-se"
EU = "http://publications.europa.eu/resource/authority/"
SPDX = Namespace("http://spdx.org/rdf/terms#")


@pytest.fixture(scope="session")
def vocabularies() -> Graph:
    """The EU vocabularies, typed the way the portal's validator types them."""
    from rdflib.namespace import DCTERMS as DCT
    from rdflib.namespace import SKOS

    bridges = {
        "language": DCT.LinguisticSystem,
        "access-right": DCT.RightsStatement,
        "frequency": DCT.Frequency,
        "licence": DCT.LicenseDocument,
        "file-type": DCT.MediaTypeOrExtent,
        "data-theme": SKOS.Concept,
        "distribution-status": SKOS.Concept,
    }
    graph = Graph()
    for path in sorted((SHAPES / "vocabularies").glob("*.rdf")):
        graph.parse(path, format="xml")
    for key, cls in bridges.items():
        scheme = URIRef(EU + key)
        for concept in list(graph.subjects(SKOS.inScheme, scheme)):
            if isinstance(concept, URIRef):
                graph.add((concept, ns.RDF.type, cls))
        for label in list(graph.objects(scheme, SKOS.prefLabel)):
            graph.add((scheme, DCT.title, label))
    for algorithm in ("sha1", "sha224", "sha256", "sha384", "sha512", "md5"):
        graph.add((SPDX["checksumAlgorithm_" + algorithm], ns.RDF.type, SPDX.ChecksumAlgorithm))
    return graph


@functools.cache
def _digg_shapes() -> Graph:
    """DIGG's shapes (parsed once; read them, never change them)."""
    shapes = Graph()
    for name in ("dcat-ap-SHACL.ttl", "dcat-ap-se-additions.ttl"):
        shapes.parse(SHAPES / name, format="turtle")
    return shapes


def _shape_violations(data: Graph, vocabularies: Graph) -> collections.Counter[tuple[str, str]]:
    """Violations left after DIGG's override list: ``(path, constraint) → count``.

    The data and the typing of its values join the vocabularies' graph for the check and leave
    it afterwards (pyshacl, without inference, reads the graph in place): copying the 35,000
    triples of the vocabularies for each graph checked took longer than the check.
    """
    import pyshacl
    from rdflib.namespace import DCTERMS as DCT
    from rdflib.namespace import SH

    graph = vocabularies
    added = [triple for triple in data if triple not in graph]
    try:
        for triple in added:
            graph.add(triple)
        for prop, cls in {
            DCT.conformsTo: DCT.Standard,
            DCT.spatial: DCT.Location,
            DCT.license: DCT.LicenseDocument,
        }.items():
            for value in list(graph.objects(None, prop)):
                typed = (value, ns.RDF.type, cls)
                if isinstance(value, URIRef) and typed not in graph:
                    graph.add(typed)
                    added.append(typed)
        _, report, _ = pyshacl.validate(
            graph, shacl_graph=_digg_shapes(), inference="none", allow_warnings=True
        )
    finally:
        for triple in added:
            graph.remove(triple)
    overrides = read_json(SHAPES / "dcat-ap-se-overrides.json")["overrides"]
    ignored = {(o["path"], c) for o in overrides for c in o["ignoreConstraints"]}
    found: collections.Counter[tuple[str, str]] = collections.Counter()
    for result in report.subjects(ns.RDF.type, SH.ValidationResult):
        path = str(report.value(result, SH.resultPath))
        constraint = str(report.value(result, SH.sourceConstraintComponent)).split("#")[-1]
        severity = str(report.value(result, SH.resultSeverity)).split("#")[-1]
        if (path, constraint) not in ignored and severity == "Violation":
            found[(path, constraint)] += 1
    return found


@pytest.fixture(scope="session")
def digg_violations(vocabularies: Graph) -> Callable[[Graph], collections.Counter[tuple[str, str]]]:
    """``digg_violations(graph)``: DIGG's DCAT-AP-SE violations of ``graph`` (see
    ``_shape_violations``); ``{}`` when it passes."""
    return lambda graph: _shape_violations(graph, vocabularies)


@pytest.fixture(scope="session")
def once_per_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str, Callable[[Path], dict[str, Any]]], tuple[Path, dict[str, Any]]]:
    """``once_per_run(name, make)``: ``make(folder)`` run once per test run, shared by every
    xdist worker (see ``_once_per_run``); its folder and JSON result."""
    return lambda name, make: _once_per_run(tmp_path_factory, name, make)
