"""baseline: ``import pyarrow`` (the library palliativ_data's tables are made of)."""

import pyarrow  # noqa: F401
