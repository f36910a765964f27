"""Generators for the documentation site (issue 9)."""
