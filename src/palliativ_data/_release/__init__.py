"""Building a release: CSV, Excel CSV, Parquet, SQLite, checksums, citation and catalogue metadata.

* ``build`` runs the build (validate, write into a staging folder, replace the output);
* ``parquet`` writes the Parquet copies; ``sqlite`` the SQLite database;
* ``metadata`` writes ``CITATION.cff``, DCAT-AP-SE and schema.org descriptions.
"""
