"""Everything derived from ``schema/``, the single source of truth.

* ``fields`` generates each resource's Table Schema from the shared field definitions and
  the resource sources in ``schema/src/``;
* ``tableschema`` reads ``schema/package.json`` and each resource's Table Schema;
* ``codegen`` generates the pydantic models (``palliativ_data/_models.py``);
* ``descriptor`` assembles the published ``datapackage/datapackage.json``;
* ``versioning`` keeps the data version honest (the fingerprint of schema and data);
* ``arrow`` turns a Table Schema into an Arrow schema and reads/writes typed CSV;
* ``parquet`` reads a release's Parquet copy of a resource (the fast path of ``Package.table``).

Submodules are imported on use: ``arrow`` and ``parquet`` import pyarrow.
"""
