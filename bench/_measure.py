"""Run one benchmark process and record its peak memory from the OS (used by ``run.py``).

Usage: ``python bench/_measure.py PEAK_FILE TARGET [ARG ...]`` where TARGET is a script path
(run as ``__main__``) or ``module:function`` (a console entry point, called with ``sys.argv``
set to ``[TARGET, ARG, ...]``, its return value the exit status).

When the target finishes (normally, by ``sys.exit`` or with an exception) this writes the
process's resident high-water mark, ``VmHWM`` from ``/proc/self/status``, in MiB to PEAK_FILE.
Not ``ru_maxrss``: Linux carries the parent's high-water mark over ``fork``/``exec`` into the
child's ``ru_maxrss``, and ``RUSAGE_CHILDREN`` is the maximum over every child so far. The
wrapper itself costs the same few milliseconds on both sides of a pair.
"""

from __future__ import annotations

import importlib
import runpy
import sys


def peak_mib() -> float | None:
    """VmHWM of this process in MiB, or None where /proc is missing (then run.py uses wait4)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def main() -> None:
    peak_file, target, *args = sys.argv[1:]
    sys.argv = [target, *args]
    code: object = 0
    try:
        if ":" in target and not target.endswith(".py"):
            module, function = target.split(":")
            code = getattr(importlib.import_module(module), function)()
        else:
            sys.path.insert(0, str(__import__("pathlib").Path(target).resolve().parent))
            runpy.run_path(target, run_name="__main__")
    except SystemExit as exit_:
        code = exit_.code
    finally:
        sys.stdout.flush()
        with open(peak_file, "w", encoding="ascii") as out:
            out.write(repr(peak_mib()))
    sys.exit(code)


if __name__ == "__main__":
    main()
