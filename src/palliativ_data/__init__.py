"""palliativ-data: gaps in specialised palliative care in Sweden's 21 regions, as open data.

The bundled Frictionless Data Package holds the February 2026 inventory of gaps, the June 2026
follow-up, the regions' answers and their classification. Heavy libraries (frictionless,
pandas, rich) are imported lazily, so ``import palliativ_data`` stays light.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from . import _model_names
from ._errors import (
    AmbiguousNameError,
    ArgumentError,
    BuildError,
    DataError,
    IntegrityError,
    MissingExtraError,
    NameLookupError,
    OutputExistsError,
    PackageNotFoundError,
    PalliativDataError,
    UnknownNameError,
    VersionError,
)
from ._load import compare, data_version, list_editions, load
from ._package import Package
from ._version import __version__

# Imported on first use, so that ``import palliativ_data`` does not pay for comparing,
# validating and building (see ``__getattr__``).
_LAZY = {
    "BuildResult": "._release.build",
    "build_release": "._release.build",
    # what a comparison is made of (see ``_comparison``)
    **dict.fromkeys(
        (
            "Comparison",
            "RegionComparison",
            "FunctionComparison",
            "ClassificationChange",
            "GapChange",
            "GapAnswerNote",
            "Summary",
            "StatusCounts",
            "PackageInfo",
        ),
        "._comparison.result",
    ),
    "GapStatus": "._comparison.constants",
    "schema_org_dataset": "._release.metadata.schema_org",
    "NewEdition": "._new_edition",
    "new_edition": "._new_edition",
    "send_round": "._round",
    "import_round": "._round",
    "RoundSent": "._round",
    "RoundImport": "._round",
    "ListStatement": "._round",
    "RoundProblem": "._round",
    "Problem": "._validation",
    "ValidationReport": "._validation",
    "validate": "._validation",
    # the pydantic models (their names are generated from schema/): building them is most of
    # the import time, and tables need none
    **dict.fromkeys(_model_names.__all__, "._models"),
}

if _typing.TYPE_CHECKING:  # pragma: no cover - for type checkers and documentation tools
    from ._comparison.constants import GapStatus
    from ._comparison.result import (
        ClassificationChange,
        Comparison,
        FunctionComparison,
        GapAnswerNote,
        GapChange,
        PackageInfo,
        RegionComparison,
        StatusCounts,
        Summary,
    )
    from ._model_names import *  # noqa: F403  (the model classes)
    from ._new_edition import NewEdition, new_edition
    from ._release.build import BuildResult, build_release
    from ._release.metadata.schema_org import schema_org_dataset
    from ._round import (
        ListStatement,
        RoundImport,
        RoundProblem,
        RoundSent,
        import_round,
        send_round,
    )
    from ._validation import Problem, ValidationReport, validate


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), name)
    if module == "._models":  # the public name, as for the classes imported above
        value.__module__ = __name__
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AmbiguousNameError",
    "ArgumentError",
    "BuildError",
    "BuildResult",
    "ClassificationChange",
    "Comparison",
    "DataError",
    "FunctionComparison",
    "GapAnswerNote",
    "GapChange",
    "GapStatus",
    "IntegrityError",
    "ListStatement",
    "MissingExtraError",
    "NameLookupError",
    "NewEdition",
    "OutputExistsError",
    "Package",
    "PackageInfo",
    "PackageNotFoundError",
    "PalliativDataError",
    "Problem",
    "RegionComparison",
    "RoundImport",
    "RoundProblem",
    "RoundSent",
    "StatusCounts",
    "Summary",
    "UnknownNameError",
    "ValidationReport",
    "VersionError",
    "__version__",
    "build_release",
    "compare",
    "data_version",
    "import_round",
    "list_editions",
    "load",
    "new_edition",
    "schema_org_dataset",
    "send_round",
    "validate",
]
__all__ += _model_names.__all__

# Public classes show under their public name (``palliativ_data.DataError``, not
# ``palliativ_data._errors.DataError``) in reprs and tracebacks; the lazily imported ones
# are renamed where they are defined.
for _value in list(globals().values()):
    if isinstance(_value, type) and _value.__name__ in __all__:
        _value.__module__ = __name__
