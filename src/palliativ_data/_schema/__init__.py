"""The runtime side of ``schema/``, the single source of truth: schemas and typed readers.

* ``tableschema`` reads ``schema/package.json`` and each resource's Table Schema;
* ``types`` is the one map from Table Schema types to model, Arrow and SQLite types;
* ``arrow_schemas`` turns a Table Schema into an Arrow schema;
* ``csv_reader`` reads a resource CSV into an Arrow table typed by its Table Schema;
* ``parquet_reader`` reads a release's Parquet copy of a resource (the fast path of
  ``Package.table``).

What only ``palliativ-data generate`` uses (generating the schemas, models and descriptor) is
in ``_authoring``. Submodules are imported on use: ``arrow_schemas`` and the readers import
pyarrow.
"""
