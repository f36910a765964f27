"""Putting a finished release into ``--out``: atomically, tidily, safe under concurrency.

A build writes everything into a staging folder inside ``--out`` (``.staging-XXXX/``, on the
same file system, so moves are renames), then publishes:

* the release folder with :func:`publish_dir`: if ``<out>/<release>`` does not exist, one
  rename; if it does, one *exchange* of the two folders (Linux ``renameat2`` with
  ``RENAME_EXCHANGE``), so at every instant ``<out>/<release>`` is either the old release,
  whole, or the new one, whole; the old one is then deleted from the staging folder. Where the
  exchange is not available (another OS, a file system without it) it falls back to two
  renames, with a short window in which ``<out>/<release>`` is missing (the old release is
  whole at ``.staging-XXXX/`` meanwhile);
* the zip with ``os.replace`` (one rename).

Nothing else in ``--out`` is touched: other files and other releases stay. Staging folders of
builds that were killed are removed by the next build: each live build holds an exclusive
``flock`` on its ``.staging-XXXX/.lock``, so a staging folder whose lock can be taken belongs to
no running build. Two builds into the same ``--out`` at once each publish a complete release
(the last one wins; builds are reproducible, so both are the same bytes).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

STAGING_PREFIX = ".staging-"
LOCK_FILE = ".lock"
_UNLOCKED_STALE_SECONDS = 600  # a staging folder without a lock file (killed at birth)


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


def publish_dir(new: Path, target: Path) -> None:
    """Put folder ``new`` at ``target``, replacing a folder there in one step where possible.

    ``new`` and ``target`` must be on the same file system. Afterwards ``new`` no longer
    exists (it is ``target``; a replaced old folder was deleted).

    Raises:
        FileExistsError: ``target`` exists but is not a folder (not something a build made).
    """
    for _ in range(10):
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise FileExistsError(errno.EEXIST, "exists and is not a release folder", str(target))
        if not target.exists():
            try:
                os.rename(new, target)  # also fails if another build created it meanwhile
                return
            except OSError as error:
                if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
                continue
        if _renameat2_exchange(new, target):
            shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the old release
            return
        aside = new.with_name(new.name + ".old")
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
        shutil.rmtree(aside, ignore_errors=True)
        return
    raise OSError(errno.EBUSY, "another build keeps replacing it", str(target))


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


def clean_stale_staging(out: Path) -> list[Path]:
    """Remove staging folders in ``out`` that no running build holds; return what was removed."""
    removed = []
    for entry in sorted(out.glob(STAGING_PREFIX + "*")):
        if entry.is_symlink() or not entry.is_dir():
            continue
        lock = entry / LOCK_FILE
        try:
            handle = os.open(lock, os.O_RDWR)
        except FileNotFoundError:
            try:
                age = time.time() - entry.stat().st_mtime
            except OSError:
                continue
            if age > _UNLOCKED_STALE_SECONDS:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
            continue
        except OSError:
            continue
        try:
            if _try_lock(handle):  # its build is gone
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
        finally:
            os.close(handle)
    return removed


@contextlib.contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A locked staging folder inside ``out``, removed when the block ends (also on errors)."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    # locked before it gets its name, so a cleaner never sees it unlocked
    handle = os.open(staging / (LOCK_FILE + ".new"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _try_lock(handle)
        os.rename(staging / (LOCK_FILE + ".new"), staging / LOCK_FILE)
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(handle)
