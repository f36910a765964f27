"""palliativ-data: gaps in specialised palliative care in Sweden's 21 regions, as open data.

The bundled Frictionless Data Package holds the February 2026 inventory of gaps, the June 2026
follow-up, the regions' answers and their classification. Heavy libraries (frictionless,
pandas, rich) are imported lazily, so ``import palliativ_data`` stays light.
"""

from __future__ import annotations

from ._version import __version__

__all__ = ["__version__"]
