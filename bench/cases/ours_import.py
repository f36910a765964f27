"""ours: ``import palliativ_data``."""

import palliativ_data  # noqa: F401
