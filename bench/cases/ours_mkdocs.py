"""ours: ``mkdocs build`` of the documentation site made from a package (the MkDocs hook
generates every page from it and ships its release: ``PALLIATIV_DATA_SITE_PACKAGE``).

Usage: ours_mkdocs.py DESCRIPTOR OUT

The repository's ``docs/`` is copied to ``OUT/docs`` first (the hook writes the generated
pages there), with ``mkdocs.yml`` pointing at that copy; the site is built into ``OUT/site``.
Nothing is written into the repository.
"""

import os
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
package, out = sys.argv[1], Path(sys.argv[2]).absolute()
shutil.rmtree(out / "docs", ignore_errors=True)
shutil.copytree(ROOT / "docs", out / "docs")
config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
config["docs_dir"] = str(out / "docs")
config["hooks"] = [str(ROOT / hook) for hook in config["hooks"]]
for plugin in config["plugins"]:
    if isinstance(plugin, dict) and "mkdocstrings" in plugin:
        handler = plugin["mkdocstrings"]["handlers"]["python"]
        handler["paths"] = [str(ROOT / path) for path in handler["paths"]]
(out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
os.environ["PALLIATIV_DATA_SITE_PACKAGE"] = str(Path(package).absolute())
os.chdir(ROOT)  # what the config names relatively (snippets' base path) is the repository's
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
sys.argv = ["mkdocs", "build", "--quiet", "-f", str(out / "mkdocs.yml"), "-d", str(out / "site")]
# deferred: imported last, as the command line would
from mkdocs.__main__ import cli  # noqa: E402

cli()
