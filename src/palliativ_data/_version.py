"""Version of the palliativ-data Python package (the data has its own version)."""

__version__ = "0.1.0"
