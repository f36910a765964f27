"""ours: the site generator (``palliativ-data site``) on a package: its release built, every
generated page rendered and written into a docs folder.

Usage: ours_site.py DESCRIPTOR DOCS
"""

import sys
from pathlib import Path

from palliativ_data import _site
from palliativ_data._cli import build_parser

package, docs = sys.argv[1], Path(sys.argv[2])
docs.mkdir(parents=True, exist_ok=True)
with _site.built_release(package) as release:
    files = _site.render(release, build_parser(), package)
_site.write(docs, files)
