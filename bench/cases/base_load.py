"""baseline: bare pyarrow reading every file of a package.

Usage: base_load.py parquet DESCRIPTOR   ``pyarrow.parquet.ParquetFile(path).read()`` of each
                                         resource's Parquet copy (``x-formats``)
       base_load.py csv DESCRIPTOR       ``pyarrow.csv.read_csv(path)`` of each resource's CSV
                                         (type inference, no checks)

Files are read in the descriptor's order, as ``load()`` + ``table()`` of every resource reads
them: with pyarrow's default allocator (mimalloc) the order alone moved the ratio at 10^6 gap
rows by up to 2× (a table read after a large one was freed reuses its memory; one read first
page-faults fresh memory).
"""

import sys

from _common import descriptor

kind, target = sys.argv[1:3]
base, package = descriptor(target)
if kind == "parquet":
    import pyarrow.parquet as pq

    for resource in package["resources"]:
        (path,) = [f["path"] for f in resource["x-formats"] if f["format"] == "parquet"]
        pq.ParquetFile(base / path).read()
else:
    import pyarrow.csv as pacsv

    for resource in package["resources"]:
        pacsv.read_csv(base / resource["path"])
