"""baseline: bare pyarrow reading every file of a package.

Usage: base_load.py parquet FOLDER   ``pyarrow.parquet.ParquetFile(path).read()`` of each
       base_load.py csv DESCRIPTOR   ``pyarrow.csv.read_csv(path)`` of each resource's CSV
                                     (type inference, no checks)
"""

import sys
from pathlib import Path

from _common import descriptor

kind, target = sys.argv[1:3]
if kind == "parquet":
    import pyarrow.parquet as pq

    for path in sorted(Path(target, "parquet").glob("*.parquet")):
        pq.ParquetFile(path).read()
else:
    import pyarrow.csv as pacsv

    base, package = descriptor(target)
    for resource in package["resources"]:
        pacsv.read_csv(base / resource["path"])
