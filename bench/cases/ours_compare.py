"""ours: ``import palliativ_data``; ``load(DESCRIPTOR).compare(OLD, NEW).to_table()``.

Usage: ours_compare.py DESCRIPTOR OLD NEW
"""

import sys

from _common import write_ipc

import palliativ_data as pdata

path, old, new = sys.argv[1:4]
write_ipc(pdata.load(path).compare(old, new).to_table(), "compare")
