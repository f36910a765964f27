"""Compare two editions: which gaps persist, which are no longer listed, which are new.

:func:`compare` puts one edition of one package beside one edition of another (or the same)
package and matches the gaps by ``gap_key``, the key the curators keep the same for the same
underlying gap in every edition. Each gap gets a status:

============== ====================== ============================================================
status         label in reports       meaning
============== ====================== ============================================================
``persisting`` still listed           listed in the old edition and in the new one
``dropped``    no longer listed       listed in the old edition, not in the new one
``added``      newly listed           listed in the new edition, not in the old one
============== ====================== ============================================================

"No longer listed" is what the data says; it is **not** "resolved". An edition does not say why
a gap is missing from its lists (it may have been remedied, reworded into another gap, or simply
left out), so reports never call a dropped gap resolved.

The comparison also gives, per region, the category its answers were classified in on each side
and the counts of each status; per function the same counts; and, for each gap, what the regions'
answers said about it where the data has it (``gap_answers`` rows whose ``edition`` is the old
edition, or, when the old edition is a follow-up, the inventory it follows up).

Classifications belong to follow-up editions. The *classification edition* of a side is the
edition itself when it is a follow-up, otherwise the latest follow-up that follows it up (none
if there is no such follow-up yet). A *classification change* is a region classified on both
sides, in different categories.

Regions are matched across packages by ``region_code``; a region renamed between the packages
(a different ``name_source``) is shown under its new name, with the old one in ``old_name``.

JSON shape (:meth:`Comparison.to_json`, ``format_version`` 1). Keys are never removed or renamed
within a format version; new keys may be added::

    {
      "format": "palliativ-data-comparison",
      "format_version": 1,
      "old_edition": "2026-02",            # edition ids, YYYY-MM
      "new_edition": "2026-06",
      "old_package": {"name": str, "version": str},
      "new_package": {"name": str, "version": str},
      "answers_edition": "2026-02" | null, # edition of the gap_answers attached to the gaps
      "filters": {"region_codes": [str] | null, "functions": [str] | null},
      "summary": {"old": int, "new": int, "persisting": int, "dropped": int, "added": int,
                  "regions": int, "classification_changes": int},
      "regions": [{"region_code": str, "name": str, "old_name": str | null, "name_en": str,
                   "old_category": str | null, "new_category": str | null,
                   "old_classification_edition": str | null,
                   "new_classification_edition": str | null,
                   "counts": {"old": int, "new": int, "persisting": int, "dropped": int,
                              "added": int}}],
      "functions": [{"function": str, "label_en": str, "label_sv": str, "counts": {...}}],
      "classification_changes": [{"region_code": str, "name": str, "old_edition": str,
                                  "new_edition": str, "old_category": str,
                                  "new_category": str}],
      "gaps": [{"region_code": str, "gap_key": str, "function": str,
                "status": "persisting" | "dropped" | "added",
                "old": {gap row} | null,   # every field of the gaps resource
                "new": {gap row} | null,
                "answers": [{"response_id": str, "edition": str, "stance": str,
                             "target_year": int | null, "summary_en": str | null,
                             "summary_sv": str | null}]}]
    }

``summary.old`` / ``summary.new`` count the gaps listed in the old / new edition; for every
region and in the summary, ``persisting + dropped == old`` and ``persisting + added == new``.
Gaps are ordered by region code, then as the new edition lists them, then the dropped ones as the
old edition listed them.

Example:
    >>> import palliativ_data as pdata
    >>> result = pdata.load().compare("2026-02", "2026-06")
    >>> counts = result.summary
    >>> counts.persisting + counts.dropped == counts.old
    True
    >>> sorted({gap.status for gap in result.gaps}) <= ["added", "dropped", "persisting"]
    True
    >>> result.to_dict()["format"]
    'palliativ-data-comparison'

Modules: ``constants`` (statuses, their wording, the JSON format, the table columns),
``result`` (the result models and the tables behind them), ``match`` (pairing the editions
with Arrow compute, given one ``Side`` per edition by :meth:`Package.compare`), ``columns``
(the answers per gap and :meth:`Comparison.to_table`), ``jsontext`` (the JSON text, built from
Arrow columns) and ``render`` (the head of the JSON shape and the Markdown report). Importing
the package imports no pyarrow; ``match``, ``columns`` and ``jsontext`` do. The result
classes are public as ``palliativ_data.Comparison`` and so on (``GapStatus`` too).
"""
