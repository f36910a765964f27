"""The repository's own ``CITATION.cff``, written by ``palliativ-data generate``.

It is the release's ``CITATION.cff`` (:mod:`palliativ_data._release.metadata.cff`) for the
bundled package, so that GitHub's "Cite this repository" and a release cite the same way.
"""

from __future__ import annotations

from pathlib import Path

from .._io import DESCRIPTOR_FILE, atomic_write_changed, read_json
from .._paths import bundled_package_dir, repo_root
from .._release.metadata.cff import CITATION_FILE, citation_cff


def render_repo_citation() -> str:
    """The repository's ``CITATION.cff``, generated from the bundled ``datapackage.json``."""
    base = bundled_package_dir()
    return citation_cff(read_json(base / DESCRIPTOR_FILE), base)


def write_repo_citation() -> list[Path]:
    """Write ``CITATION.cff`` at the repository root if it changed; return it if written
    (nothing outside a source checkout)."""
    root = repo_root()
    if root is None:
        return []
    return atomic_write_changed({root / CITATION_FILE: render_repo_citation()})
