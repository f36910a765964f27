"""Hostile input, round two (issue 18), the release half: hard-linked inputs, downloaded
releases whose every copy is checked, and a build that publishes all or nothing.

Packages are made in ``tmp_path`` from the minimal package by ``tests/fixtures/bad/build.py``;
the bad corpus (``tests/fixtures/bad/cases.py``) holds a case of each kind as well.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import palliativ_data as pdata
from palliativ_data._cli import main
from palliativ_data._errors import BuildError
from palliativ_data._release import publish
from palliativ_data._release import sqlite as release_sqlite
from palliativ_data._release.build import build_release
from palliativ_data._source import UnsafePathError

_spec = importlib.util.spec_from_file_location(
    "bad_build_release_safety", Path(__file__).parent / "fixtures" / "bad" / "build.py"
)
assert _spec is not None and _spec.loader is not None
bad = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bad)

SECRET = "TOP-SECRET-LINE-do-not-leak"


def _package(tmp_path: Path, mutation: Any = None) -> Path:
    return bad.make_package(tmp_path / "package", mutation)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``palliativ-data ARGS`` in this process: exit code and everything printed."""
    code = main(list(args))
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text, text
    return code, text


# --------------------------------------------------------------------------- finding 10


def test_a_hard_linked_csv_is_refused_by_validate_load_and_build(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fingerprint: Callable[[Path], dict[str, str]],
) -> None:
    """A second name of a file outside the package (git and zip carry no hard links): no
    command reads it, each says what it is and what to do."""
    package = _package(tmp_path)
    outside = tmp_path / "outside.csv"
    outside.write_text(f"stance,label_sv\n{SECRET},x\n", encoding="utf-8")
    stances = package / "data" / "stances.csv"
    stances.unlink()
    os.link(outside, stances)
    before = fingerprint(tmp_path)

    assert pdata.validate(package).keys() == [("resource-path", "stances", None, "path")]
    code, text = _run(capsys, "validate", str(package))
    assert code == 1 and "hard link" in text and SECRET not in text
    with pytest.raises(UnsafePathError, match="hard link") as refused:
        pdata.load(package).table("stances")
    assert refused.value.reason == "hardlink" and SECRET not in str(refused.value)
    code, text = _run(capsys, "build", str(package), "--out", str(tmp_path / "dist"))
    assert code == 1 and "hard link" in text and SECRET not in text
    with pytest.raises(UnsafePathError, match="hard link"):  # also when build skips validate
        build_release(tmp_path / "dist", package, validate=False)
    assert fingerprint(tmp_path) == before  # nothing written, nothing changed

    stances.unlink()  # a copy of its own is fine
    stances.write_bytes(outside.read_bytes().replace(SECRET.encode(), b"x"))
    assert "hard link" not in str(pdata.validate(package).problems)


def test_a_hard_linked_descriptor_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = _package(tmp_path)
    os.link(package / "datapackage.json", tmp_path / "second-name.json")
    code, text = _run(capsys, "regions", "--package", str(package))
    assert code == 2 and "hard link" in text
    with pytest.raises(pdata.PackageNotFoundError, match="hard link"):
        pdata.load(package)


def test_the_bundled_package_may_be_hard_linked_by_an_installer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uv and conda install files as hard links to their cache: the package shipped with the
    library is trusted, any other is not."""
    package = _package(tmp_path)
    os.link(package / "data" / "stances.csv", tmp_path / "cache-copy.csv")
    with pytest.raises(UnsafePathError, match="hard link"):
        pdata.load(package).table("stances")
    monkeypatch.setattr("palliativ_data._source.bundled_package_dir", lambda: package)
    assert pdata.load(package).table("stances").num_rows > 0


# --------------------------------------------------------------------------- finding 11


def _release_name(package: Path) -> str:
    pkg = pdata.load(package)
    return f"{pkg.descriptor['name']}-{pkg.version}"


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Path, Path, str]:
    """A package and ``dist/`` holding its release (the previous release of each test)."""
    package = _package(tmp_path)
    out = tmp_path / "dist"
    build_release(out, package)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    return package, out, _release_name(package)


def test_build_removes_only_staging_folders_it_marked_as_its_own(
    built: tuple[Path, Path, str],
    fingerprint: Callable[[Path], dict[str, str]],
) -> None:
    package, out, _ = built
    token = "0123456789abcdef" * 2
    yours = {
        ".staging-notes": None,  # a name only
        f".staging-{token}": "not what a build writes\n",  # a lock file of another kind
        f".staging-{'f' * 32}": publish.MARK.format(token=token),  # another folder's mark
        ".staging-123": publish.MARK.format(token="123"),  # not a build's token
    }
    for name, lock in yours.items():
        (out / name).mkdir()
        (out / name / "draft.md").write_text("keep me", encoding="utf-8")
        if lock is not None:
            (out / name / publish.LOCK_FILE).write_text(lock, encoding="ascii")
        os.utime(out / name, (0, 0))  # old: age is no proof of ownership
    linked = out / f".staging-{'e' * 32}"  # the mark reached through a symlink
    linked.mkdir()
    (out / "mark.txt").write_text(publish.MARK.format(token="e" * 32), encoding="ascii")
    os.symlink(out / "mark.txt", linked / publish.LOCK_FILE)
    killed = out / f".staging-{'a' * 32}"  # what a killed build leaves: marked, unlocked
    killed.mkdir()
    (killed / publish.LOCK_FILE).write_text(publish.MARK.format(token="a" * 32), "ascii")
    (killed / "half-written.csv").write_text("x", encoding="utf-8")
    before = fingerprint(out)

    build_release(out, package)
    after = fingerprint(out)
    assert not killed.exists()
    kept = {k: v for k, v in before.items() if not k.startswith(killed.name)}
    assert after == kept


def test_a_running_build_s_staging_folder_is_not_removed(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    with publish.staging_folder(out) as staging:
        assert publish.clean_stale_staging(out) == []  # locked by this build
        lock = (staging / publish.LOCK_FILE).read_text(encoding="ascii")
        assert lock == publish.MARK.format(token=staging.name.removeprefix(".staging-"))
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_release_folder_is_published_with_its_zip_or_not_at_all(
    built: tuple[Path, Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    exchange: bool,
    fingerprint: Callable[[Path], dict[str, str]],
) -> None:
    """The zip's rename fails after the folder's: the folder goes back to the old release."""
    package, out, name = built
    assert "Beslutad" in (package / "data" / "stances.csv").read_text(encoding="utf-8")
    if not exchange:
        monkeypatch.setattr(publish, "_renameat2_exchange", lambda a, b: False)
    (package / "data" / "stances.csv").write_text(  # a new release differs from the old
        (package / "data" / "stances.csv")
        .read_text(encoding="utf-8")
        .replace("Beslutad", "Fattad"),
        encoding="utf-8",
    )
    before = fingerprint(out)
    real_replace = os.replace

    def replace(source: Any, target: Any) -> None:
        if str(target).endswith(".zip"):
            raise OSError(errno.EIO, "input/output error", str(target))
        real_replace(source, target)

    monkeypatch.setattr(publish.os, "replace", replace)
    code, text = _run(capsys, "build", str(package), "--out", str(out))
    assert code == 1 and "Nothing was published" in text
    assert fingerprint(out) == before  # the old folder and the old zip, as they were
    assert "Beslutad" in (out / name / "csv" / "stances.csv").read_text(encoding="utf-8")


def test_a_folder_where_the_zip_goes_is_refused_before_anything_is_published(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fingerprint: Callable[[Path], dict[str, str]],
) -> None:
    package = _package(tmp_path)
    out = tmp_path / "dist"
    name = _release_name(package)
    (out / f"{name}.zip").mkdir(parents=True)
    (out / f"{name}.zip" / "mine.txt").write_text("mine", encoding="utf-8")
    before = fingerprint(out)
    code, text = _run(capsys, "build", str(package), "--out", str(out))
    assert code == 1 and f"{name}.zip" in text and "Move it out of the way" in text
    assert fingerprint(out) == before  # no release folder without its zip


def _sqlite_fills_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite as on a full disk: its own error (SQLITE_FULL), raised by its own code."""
    connect = sqlite3.connect

    def small(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)
        connection.execute("PRAGMA max_page_count = 8")
        return connection

    monkeypatch.setattr(release_sqlite.sqlite3, "connect", small)


def _parquet_fills_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq

    class Full(pq.ParquetWriter):  # type: ignore[misc]
        def write_table(self, table: Any, *args: Any, **kwargs: Any) -> None:
            super().write_table(table.slice(0, 1), *args, **kwargs)  # a part, then no space
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.where))

    monkeypatch.setattr(pq, "ParquetWriter", Full)


def _zip_fills_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    writestr = zipfile.ZipFile.writestr
    calls = []

    def full(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> None:
        # the release's zip only: the workbook is a zip too, written in memory (no disk to fill)
        if self.filename is None:
            writestr(self, *args, **kwargs)
            return
        calls.append(1)
        if len(calls) > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        writestr(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)


@pytest.mark.parametrize(
    "fill", [_sqlite_fills_the_disk, _parquet_fills_the_disk, _zip_fills_the_disk],
    ids=["sqlite", "parquet", "zip"],
)  # fmt: skip
def test_a_full_disk_is_a_clear_error_and_nothing_is_published(
    built: tuple[Path, Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fill: Any,
    fingerprint: Callable[[Path], dict[str, str]],
) -> None:
    package, out, name = built
    before = fingerprint(out)
    fill(monkeypatch)
    code, text = _run(capsys, "build", str(package), "--out", str(out))
    assert code == 1
    assert "no space is left on the disk" in text and "Nothing was published" in text
    assert "OperationalError" not in text
    assert fingerprint(out) == before  # the previous release whole, no staging folder left
    assert pdata.validate(out / name).valid
    with pytest.raises(BuildError, match="no space is left"):
        build_release(out, package)


# --------------------------------------------------------------------------- finding 8


def _release(tmp_path: Path, change: Any = None) -> Path:
    """A release of the minimal package, ``change`` applied with every checksum rewritten."""
    return _package(tmp_path, bad.as_release(change or (lambda folder: None)))


def _bomb(rows: int) -> Any:
    return bad.change_parquet("gaps", lambda table: bad.repeat_rows(table, rows))


def _long_text(rows: int, width: int) -> Any:
    """``rows`` rows whose English label is one value of ``width`` characters (a dictionary
    of one entry: a few kB on disk, ``rows × width`` bytes decoded)."""

    def change(table: Any) -> Any:
        import pyarrow as pa

        table = bad.repeat_rows(table, rows)
        label = pa.DictionaryArray.from_arrays(
            pa.array([0] * rows, pa.int32()), pa.array(["x" * width])
        )
        return table.set_column(table.column_names.index("label_en"), "label_en", label)

    return bad.change_parquet("gaps", change)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_bomb(200_000), "holds 200,000 rows, more than its CSV could hold"),
        (_long_text(50, 1_000_000), "would decode to 50,0"),
        (bad.change_parquet("gaps", lambda t: t.drop_columns(["notes"])), "lacks the column"),
        (bad.change_parquet("gaps", lambda t: bad.set_column(t, "part", "x")), "part is string"),
    ],
    ids=["rows", "text", "columns", "types"],
)
def test_load_refuses_a_parquet_copy_that_does_not_fit_before_decoding_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    change: Any,
    message: str,
) -> None:
    """The attacker rewrote the hashes too: the footer (and, for text in a dictionary, the
    indices alone) are enough to refuse, so nothing is decoded, with the whole table or the
    rows of two editions (compare)."""
    from palliativ_data._schema.parquet_reader import ParquetCopy

    release = _release(tmp_path, change)
    decoded = []
    read = ParquetCopy.read

    def recorded(self: ParquetCopy, where: Any) -> Any:
        decoded.append(self.name)
        return read(self, where)

    monkeypatch.setattr(ParquetCopy, "read", recorded)
    with pytest.raises(pdata.IntegrityError, match=message) as refused:
        pdata.load(release).table("gaps")
    assert "gaps.parquet" in str(refused.value) and "download it again" in str(refused.value)
    with pytest.raises(pdata.IntegrityError, match=message):
        pdata.load(release).compare("2026-02", "2026-06")
    assert "gaps" not in decoded
    code, text = _run(capsys, "compare", "2026-02", "2026-06", "--package", str(release))
    assert code == 1 and message in text


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-8] + b"\0" * 8,  # the footer's length and magic
        lambda data: data[:4] + bytes(len(data) - 8) + data[-8:],  # pages and footer zeroed
        lambda data: b"PAR1" + b"not parquet at all" + b"PAR1",
    ],
    ids=["footer", "zeroed", "not-parquet"],
)
def test_a_corrupt_parquet_with_a_matching_hash_is_an_integrity_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: Any
) -> None:
    def change(folder: Path) -> None:
        path = folder / "parquet" / "gaps.parquet"
        path.write_bytes(damage(path.read_bytes()))

    release = _release(tmp_path, change)
    with pytest.raises(pdata.IntegrityError, match="cannot be read as Parquet"):
        pdata.load(release).table("gaps")
    code, text = _run(capsys, "compare", "2026-02", "2026-06", "--package", str(release))
    assert code == 1 and "ArrowInvalid" not in text and "cannot be read as Parquet" in text
    assert pdata.validate(release).keys() == [("copy-unreadable", "gaps", None, "x-formats[0]")]


def test_a_release_whose_copies_are_all_intact_validates_and_loads_from_parquet(
    tmp_path: Path,
) -> None:
    release = _release(tmp_path)
    assert pdata.validate(release).valid
    csv = pdata.load(release, verify=False)
    assert pdata.load(release).table("gaps").to_pylist() == csv.table("gaps").to_pylist()


def test_validate_on_a_release_compares_every_copy_with_its_csv(tmp_path: Path) -> None:
    """The issue's reproduction: region_code 'ZZ' on every Parquet row, every hash and
    SHA256SUMS rewritten; and a label swapped for another gap's."""
    zz = _release(
        tmp_path / "zz",
        bad.change_parquet("gaps", lambda t: bad.set_column(t, "region_code", "ZZ")),
    )
    (problem,) = pdata.validate(zz).problems
    assert problem.key == ("copy-differs", "gaps", None, "x-formats[0]")
    assert "region_code" in problem.message and "ZZ" in problem.message
    # load() checks a copy's columns, types and size, not its values: validate does
    assert set(pdata.load(zz).table("gaps").column("region_code").to_pylist()) == {"ZZ"}
    swapped = _release(
        tmp_path / "swapped",
        bad.change_parquet("gaps", lambda t: bad.set_column(t, "label_sv", "Syntetisk brist A")),
    )
    (problem,) = pdata.validate(swapped).problems
    assert problem.key == ("copy-differs", "gaps", None, "x-formats[0]")
    assert "'label_sv' differs from the CSV in" in problem.message
    assert "gap_key='01-inpatient_beds'" in problem.message  # the first row that differs, by key


def test_a_hard_linked_parquet_copy_is_refused(tmp_path: Path) -> None:
    release = _release(tmp_path)
    os.link(release / "parquet" / "gaps.parquet", tmp_path / "elsewhere.parquet")
    with pytest.raises(UnsafePathError, match="hard link"):
        pdata.load(release).table("gaps")
    assert ("resource-path", "gaps", None, "x-formats[0].path") in pdata.validate(release).keys()
