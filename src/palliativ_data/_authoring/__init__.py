"""Authoring: what only ``palliativ-data generate`` uses, in a source checkout.

The shared field definitions in ``schema/src/`` become the Table Schemas (:mod:`.fields`), the
Table Schemas become the pydantic models (:mod:`.codegen`) and the descriptor
(:mod:`.descriptor`), :mod:`.citation` writes the repository's ``CITATION.cff``, and
:mod:`.versioning` guards the data version. The runtime readers of
``schema/`` are in ``_schema``.
"""
