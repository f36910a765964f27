"""ours: ``import palliativ_data``; ``load(DESCRIPTOR)``; ``pkg.table(name)`` for every resource.

Usage: ours_load.py DESCRIPTOR (a release-style datapackage.json takes the Parquet fast path;
datapackage-csv.json parses the CSV files).
"""

import sys

from _common import write_ipc

import palliativ_data as pdata

pkg = pdata.load(sys.argv[1])
for name in pkg.resource_names:
    write_ipc(pkg.table(name), name)
