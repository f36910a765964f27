"""palliativ-data: gaps in specialised palliative care in Sweden's 21 regions, as open data.

The bundled Frictionless Data Package holds the February 2026 inventory of gaps, the June 2026
follow-up, the regions' answers and their classification. Heavy libraries (frictionless,
pandas, rich) are imported lazily, so ``import palliativ_data`` stays light.
"""

from __future__ import annotations

from ._compare import Comparison, compare
from ._errors import (
    AmbiguousNameError,
    ArgumentError,
    BuildError,
    DataError,
    MissingExtraError,
    NameLookupError,
    OutputExistsError,
    PackageNotFoundError,
    PalliativDataError,
    UnknownNameError,
    VersionError,
)
from ._build import BuildResult, build_release
from ._load import data_version, list_editions, load
from ._metadata import schema_org_dataset
from ._models import (
    Category,
    Classification,
    Edition,
    Function,
    Gap,
    GapAnswer,
    HealthcareRegion,
    Record,
    Region,
    RegionHealthcareRegion,
    Response,
    Source,
    Stance,
)
from ._new_edition import new_edition
from ._package import Package
from ._validate import Problem, ValidationReport, validate
from ._version import __version__

__all__ = [
    "AmbiguousNameError",
    "ArgumentError",
    "BuildError",
    "BuildResult",
    "Category",
    "Classification",
    "Comparison",
    "DataError",
    "Edition",
    "Function",
    "Gap",
    "GapAnswer",
    "HealthcareRegion",
    "MissingExtraError",
    "NameLookupError",
    "OutputExistsError",
    "Package",
    "PackageNotFoundError",
    "PalliativDataError",
    "Problem",
    "Record",
    "Region",
    "RegionHealthcareRegion",
    "Response",
    "Source",
    "Stance",
    "UnknownNameError",
    "ValidationReport",
    "VersionError",
    "__version__",
    "build_release",
    "compare",
    "data_version",
    "list_editions",
    "load",
    "new_edition",
    "schema_org_dataset",
    "validate",
]
