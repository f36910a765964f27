"""Helpers shared by the benchmark case scripts (kept tiny: every import here is timed)."""

from __future__ import annotations

import json
import os
from pathlib import Path


def out_dir() -> Path | None:
    """Where a check run writes its output (``BENCH_OUT``); None in a timed run."""
    value = os.environ.get("BENCH_OUT")
    return Path(value) if value else None


def descriptor(path: str) -> tuple[Path, dict]:
    """(folder, descriptor) of a data package folder or ``datapackage*.json`` path."""
    candidate = Path(path)
    if candidate.is_dir():
        candidate = candidate / "datapackage.json"
    with candidate.open(encoding="utf-8") as handle:
        return candidate.parent, json.load(handle)


def write_ipc(table, name: str) -> None:
    """In a check run, write ``table`` to BENCH_OUT/name.arrow (Arrow IPC)."""
    folder = out_dir()
    if folder is None:
        return
    import pyarrow as pa

    with (
        pa.OSFile(str(folder / f"{name}.arrow"), "wb") as sink,
        pa.ipc.new_file(sink, table.schema) as writer,
    ):
        writer.write_table(table)
