"""Release metadata from ``datapackage.json``: CFF, DCAT-AP-SE, schema.org, Datasette.

Nothing here is written twice: title, description, version, keywords, licence and sources
come from the data package descriptor (``schema/package.json`` in the end), the list of files
with their sizes and checksums from a release descriptor (read through the table of release
formats, :mod:`palliativ_data._release.formats`), and the **publication facts** — who
publishes, where, how to reach them — from ``schema/package.json`` (read with
:func:`~palliativ_data._release.metadata.facts.publication_facts`): its Data Package property
``homepage`` (the documentation site, GitHub Pages: the landing page everywhere;
``palliativ_data._urls`` reads the same key for help texts) and its ``x-publication`` object:

==================  ==========================================================================
``base_url``        where the files of a release are published (``build --base-url`` overrides)
``repository``      the source repository (``repository-code`` in ``CITATION.cff``)
``publisher``       ``name`` (``sv``, ``en``), ``iri``, ``type`` (an ADMS publisher type)
``contact_point``   ``email`` (a function mailbox, never a person's) and/or ``url`` (a web form)
``code_license``    the licence of the code (the data's is the descriptor's ``licenses``)
==================  ==========================================================================

A fact nobody has decided yet is ``null`` (``homepage``: absent): nothing is invented.
``PublicationFacts.missing`` names the facts Sweden's data portal needs to harvest the
release; ``palliativ-data build`` warns about each (``--strict-metadata`` refuses to build
instead).

One module per job:

- ``facts`` — the publication facts, the descriptor's texts per language, keywords, agents,
  licence, and :class:`~palliativ_data._release.metadata.facts.DataRows` (the editions' dates
  and the ``sources`` rows the documents cite);
- ``cff`` — ``CITATION.cff`` (Citation File Format 1.2.0, ``type: dataset``);
- ``dcat`` — DCAT-AP-SE (JSON-LD): a ``dcat:Catalog``, the ``dcat:Dataset`` and one
  ``dcat:Distribution`` per file, every node with an IRI; also as Turtle and RDF/XML
  (rdflib, imported only there);
- ``schema_org`` — a schema.org ``Dataset`` (JSON-LD) with one ``DataDownload`` per file
  (``palliativ_data.schema_org_dataset``);
- ``datasette`` — the metadata file Datasette reads with ``-m`` (title, licence, source, table
  and column descriptions from ``schema/``, label columns).

Swedish titles, descriptions and keywords come from the descriptor's ``x-translations``
(``{"sv": {"title": …, "description": …, "keywords": […]}}``).
"""
