"""Putting a finished release into ``--out``: atomically, tidily, safe under concurrency.

A build writes everything into a staging folder inside ``--out`` (``.staging-<token>/``, on the
same file system, so moves are renames), then publishes the release folder and its zip
together with :func:`publish_release`, or neither:

* the release folder with :func:`publish_dir`: if ``<out>/<release>`` does not exist, one
  rename; if it does, one *exchange* of the two folders (Linux ``renameat2`` with
  ``RENAME_EXCHANGE``), so at every instant ``<out>/<release>`` is either the old release,
  whole, or the new one, whole; the old one waits in the staging folder. Where the exchange
  is not available (another OS, a file system without it) it falls back to two renames, with a
  short window in which ``<out>/<release>`` is missing (the old release is whole at
  ``.staging-<token>/`` meanwhile);
* then the zip with ``os.replace`` (one rename). If that fails (say ``<release>.zip`` is a
  folder), the folder is put back as it was: the old release, or none. Only a kill between the
  two renames (microseconds) can leave a new folder beside the old zip.

Nothing else in ``--out`` is touched: other files and other releases stay. A build marks its
staging folder as its own: the name carries a random token, and the lock file in it,
``.lock``, holds a line naming palliativ-data and the same token. Staging folders of builds
that were killed are removed by the next build, and only those: a folder is removed when its
name and its lock file's line match, the lock file is a plain file, and its ``flock`` can be
taken (each live build holds an exclusive ``flock`` on its own). A folder of yours named
``.staging-…`` is never touched. Two builds into the same ``--out`` at once each publish a
complete release (the last one wins; builds are reproducible, so both are the same bytes).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

STAGING_PREFIX = ".staging-"
LOCK_FILE = ".lock"
MARK = "palliativ-data build staging folder {token}\n"
"""The line a build writes into its staging folder's lock file (``token``: the folder's)."""
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _renameat2_exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux); False when the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # deferred: Linux only (renameat2)

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def publish_dir(new: Path, target: Path, *, keep_old: Path | None = None) -> bool:
    """Put folder ``new`` at ``target``, replacing a folder there in one step where possible.

    ``new`` and ``target`` must be on the same file system. Afterwards ``new`` no longer
    exists (it is ``target``). A replaced old folder is deleted, or, with ``keep_old``, moved
    there (so that :func:`unpublish_dir` can put it back).

    Returns:
        True when a folder was replaced, False when ``target`` did not exist.

    Raises:
        FileExistsError: ``target`` exists but is not a folder (not something a build made).
    """
    for _ in range(10):
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise FileExistsError(errno.EEXIST, "exists and is not a release folder", str(target))
        if not target.exists():
            try:
                os.rename(new, target)  # also fails if another build created it meanwhile
                return False
            except OSError as error:
                if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
                continue
        if _renameat2_exchange(new, target):  # ``new`` now holds the old release
            _set_aside(new, keep_old)
            return True
        aside = keep_old or new.with_name(new.name + ".old")
        try:
            os.rename(target, aside)
        except FileNotFoundError:
            continue  # another build moved it; try again
        try:
            os.rename(new, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.rename(aside, target)
            raise
        if keep_old is None:
            shutil.rmtree(aside, ignore_errors=True)
        return True
    raise OSError(errno.EBUSY, "another build keeps replacing it", str(target))


def _set_aside(old: Path, keep: Path | None) -> None:
    if keep is None:
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(old, keep)


def unpublish_dir(target: Path, new: Path, old: Path | None) -> None:
    """Undo :func:`publish_dir`: the folder at ``target`` goes back to ``new``, and the old
    one kept at ``old`` (None: there was none) back to ``target``."""
    if old is None:
        os.rename(target, new)
    elif not _renameat2_exchange(old, target):
        os.rename(target, new)
        os.rename(old, target)
    else:
        os.rename(old, new)  # the exchange left the new folder at ``old``


def publish_release(new_dir: Path, new_zip: Path, target_dir: Path, target_zip: Path) -> None:
    """Publish a release folder and its zip together, or neither (see the module docstring).

    Raises:
        FileExistsError: ``target_dir`` is not a folder, or ``target_zip`` is a folder or a
            symlink; nothing was published.
        OSError: A rename failed; what was published is put back as it was.
    """
    if target_zip.is_symlink() or target_zip.is_dir():
        raise FileExistsError(errno.EEXIST, "exists and is not a release zip", str(target_zip))
    kept = new_dir.with_name(new_dir.name + ".old")
    replaced = publish_dir(new_dir, target_dir, keep_old=kept)
    try:
        os.replace(new_zip, target_zip)
    except BaseException:
        unpublish_dir(target_dir, new_dir, kept if replaced else None)
        raise
    if replaced:
        shutil.rmtree(kept, ignore_errors=True)


def _try_lock(handle: int) -> bool:
    try:
        import fcntl  # deferred: POSIX only
    except ImportError:  # pragma: no cover - not POSIX
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _is_ours(entry: Path, handle: int) -> bool:
    """Whether the staging folder ``entry``, its lock file open as ``handle``, was made by a
    build: the token in its name and the line in its lock file match."""
    token = entry.name.removeprefix(STAGING_PREFIX)
    if not _TOKEN.fullmatch(token) or not stat.S_ISREG(os.fstat(handle).st_mode):
        return False
    expected = MARK.format(token=token).encode("ascii")
    return os.read(handle, len(expected) + 1) == expected


def clean_stale_staging(out: Path) -> list[Path]:
    """Remove the staging folders in ``out`` that a build marked as its own and no running
    build holds (see the module docstring); return what was removed."""
    removed = []
    for entry in sorted(out.glob(STAGING_PREFIX + "*")):
        if entry.is_symlink() or not entry.is_dir():
            continue
        try:
            handle = os.open(entry / LOCK_FILE, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:  # no lock file, or a symlink: not a build's
            continue
        try:
            if _is_ours(entry, handle) and _try_lock(handle):  # its build is gone
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
        finally:
            os.close(handle)
    return removed


@contextlib.contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A locked staging folder inside ``out`` marked as a build's, removed when the block ends
    (also on errors)."""
    token = secrets.token_hex(16)
    staging = out / f"{STAGING_PREFIX}{token}"
    staging.mkdir(mode=0o700)
    # locked and marked before it gets its name, so a cleaner never sees it unlocked
    handle = os.open(staging / (LOCK_FILE + ".new"), os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        _try_lock(handle)
        os.write(handle, MARK.format(token=token).encode("ascii"))
        os.rename(staging / (LOCK_FILE + ".new"), staging / LOCK_FILE)
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(handle)
