"""Look-ups that accept what people type: region names, codes, aliases; vocabulary codes.

A region can be named by its SCB code (``"23"``, ``"3"``, ``23``), its ISO 3166-2 code
(``"SE-Z"``), the name the source uses (``"Jämtland Härjedalen"``), its official Swedish name
(``"Region Sörmland"``, with or without ``"Region "``), its English name, its county
(``"Jämtlands län"``) or any alias in ``regions.aliases`` (``"Sörmland"``, ``"Jämtland"``).
Matching ignores case, accents and punctuation (``"jamtland"``, ``"JÄMTLAND/HÄRJEDALEN"``); a
query that names no region exactly may still be the start of exactly one name
(``"Gävle"``). Anything that matches several regions, or none, raises an error that lists the
candidates.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from ._errors import AmbiguousNameError, UnknownNameError

if TYPE_CHECKING:  # pragma: no cover - the models load when first used (see _package.py)
    from ._models import Region

ALIAS_SEPARATOR = "; "
MIN_PREFIX = 3
T = TypeVar("T")


def normalise(text: str) -> str:
    """Fold a name for matching: no accents, no case, punctuation as single spaces.

    Examples:
        >>> normalise("  Jämtland/Härjedalen ")
        'jamtland harjedalen'
        >>> normalise("SE-Z")
        'se z'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^0-9a-z]+", " ", stripped.casefold()).strip()


def region_label(region: Region) -> str:
    """How a region is shown in messages: code and the source's name."""
    return f"{region.region_code} {region.name_source}"


def _region_names(region: Region) -> list[str]:
    names = [
        region.region_code,
        region.iso_3166_2,
        region.name_source,
        region.name_official_sv,
        region.name_en,
        region.county_sv,
    ]
    if region.aliases:
        names.extend(alias.strip() for alias in region.aliases.split(ALIAS_SEPARATOR.strip()))
    for name in list(names):
        folded = normalise(name)
        if folded.startswith("region ") and len(folded) > len("region "):
            names.append(folded.removeprefix("region "))
    return [name for name in names if name]


class RegionIndex:
    """Resolve what people type to one region (see the module docstring)."""

    def __init__(self, regions: Sequence[Region]) -> None:
        self.regions = tuple(regions)
        self._by_key: dict[str, list[Region]] = {}
        for region in self.regions:
            for name in _region_names(region):
                bucket = self._by_key.setdefault(normalise(name), [])
                if region not in bucket:
                    bucket.append(region)

    def _query_key(self, query: object) -> str:
        # deferred: the pydantic models load on first use (see _package._lazy_module)
        from ._models import Region

        if isinstance(query, Region):
            return query.region_code
        if isinstance(query, int) and not isinstance(query, bool):
            return f"{query:02d}"
        text = normalise(str(query))
        if text.isdigit() and len(text) == 1:
            return "0" + text
        return text

    def resolve(self, query: str | int | Region) -> Region:
        """The one region ``query`` names.

        Raises:
            AmbiguousNameError: The query names several regions.
            UnknownNameError: The query names no region.
        """
        key = self._query_key(query)
        exact = self._by_key.get(key, [])
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            self._ambiguous(query, exact)
        if len(key) >= MIN_PREFIX:
            starting = _unique(
                region
                for name, regions in self._by_key.items()
                if name.startswith(key)
                for region in regions
            )
            if len(starting) == 1:
                return starting[0]
            if len(starting) > 1:
                self._ambiguous(query, starting)
        self._unknown(query, key)
        raise AssertionError("unreachable")  # pragma: no cover

    def _ambiguous(self, query: object, regions: Sequence[Region]) -> None:
        labels = [region_label(region) for region in regions]
        raise AmbiguousNameError(
            f"{query!r} matches {len(regions)} regions: {', '.join(labels)}. "
            "Give more of the name, or the region code (e.g. '23') or ISO code (e.g. 'SE-Z').",
            kind="region",
            query=query,
            candidates=labels,
        )

    def _unknown(self, query: object, key: str) -> None:
        close = difflib.get_close_matches(key, list(self._by_key), n=3, cutoff=0.7)
        suggestions = _unique(
            region_label(region) for name in close for region in self._by_key[name]
        )
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        labels = [region_label(region) for region in self.regions]
        message = (
            f"No region matches {query!r}.{hint} Regions: {', '.join(labels)}. "
            "A region can be given by name, alias, SCB code ('23') or ISO code ('SE-Z')"
        )
        raise UnknownNameError(
            f"{message}; Package.regions lists them.",
            cli=f"{message}; `palliativ-data regions` lists them.",
            kind="region",
            query=query,
            candidates=labels,
        )


def _unique(items: Iterable[T]) -> list[T]:
    seen: list[T] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def resolve_code(kind: str, query: object, codes: Sequence[str], *, hint: str) -> str:
    """Resolve a vocabulary code (function, category, stance…), ignoring case and accents.

    Args:
        kind: What is looked up, for the message (``"function"``).
        query: What the caller passed.
        codes: The codes that exist.
        hint: What to run to list them, for the message.

    Raises:
        UnknownNameError: ``query`` is none of ``codes``.

    Examples:
        >>> resolve_code("function", "Home_Care_Team", ["home_care_team"], hint="pkg.functions")
        'home_care_team'
    """
    text = str(query)
    if text in codes:
        return text
    folded = {normalise(code): code for code in codes}
    if normalise(text) in folded:
        return folded[normalise(text)]
    close = difflib.get_close_matches(text, list(codes), n=3, cutoff=0.6)
    suggestion = f" Did you mean: {', '.join(close)}?" if close else ""
    message = f"No {kind} {text!r}.{suggestion} Allowed: {', '.join(codes)}."
    raise UnknownNameError(
        f"{message} {hint} lists them.",
        cli=message,
        kind=kind,
        query=query,
        candidates=list(codes),
    )
