"""Hatchling metadata hook: the version and the project URLs come from ``schema/package.json``.

One number names a release (see docs/en/release.md, "Versions"): the Python package's version
is the data's ``version``, so the wheel, the data release and the tag ``vX.Y.Z`` cannot
disagree. The ``Project-URL``s are the publication facts that are set (``homepage``, and
``repository`` and ``base_url`` in ``x-publication``); a fact still ``null`` gives no URL, so
nothing is invented.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hatchling.metadata.plugin.interface import MetadataHookInterface


def project_urls(package: dict[str, Any]) -> dict[str, str]:
    """``Project-URL`` label → URL, from the publication facts that are set."""
    facts = package.get("x-publication") or {}
    repository = facts.get("repository")
    urls = {
        "Documentation": package.get("homepage"),
        "Source": repository,
        "Issues": f"{repository.rstrip('/')}/issues"
        if isinstance(repository, str) and repository.startswith("https://github.com/")
        else None,
        "Download": facts.get("base_url"),
    }
    return {label: url for label, url in urls.items() if isinstance(url, str) and url}


class CustomMetadataHook(MetadataHookInterface):
    def update(self, metadata: dict[str, Any]) -> None:
        path = Path(self.root) / "schema" / "package.json"
        package = json.loads(path.read_text(encoding="utf-8"))
        metadata["version"] = package["version"]
        metadata["urls"] = project_urls(package)
