"""The :class:`Package`: one copy of the data package, read lazily, queried with typed records.

Each CSV is read at most once, when first needed, into an Arrow table typed by its Table
Schema (see ``_schema/``); records are built from that table, also once. Look-ups accept what
people type and answer a wrong name with what exists (see ``_lookup.py``).

To extend :class:`Package`, put the logic in its own private module and add a thin method
here that calls it with what it needs: :meth:`Package.compare` reads the two editions' rows
and records and hands them to ``_comparison.match``, which never sees a package.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Never, NoReturn, Self, TypeVar, overload

from ._errors import DataError, MissingExtraError, UnknownNameError
from ._guards import table_schema_problem
from ._lookup import RegionIndex, resolve_code
from ._offline import offline
from ._source import read_descriptor, regular_file, verify_file

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars
    import pyarrow

    from . import _models as m
    from ._comparison.match import Side
    from ._comparison.result import Comparison

    Query = str | int | m.Region
else:
    m = None  # replaced below by the models module, imported when first used


def _lazy_module(name: str) -> Any:
    """Module ``name``, executed on first attribute access (``importlib.util.LazyLoader``).

    Building the pydantic models takes about a quarter of a second, and ``load()`` with
    ``table()`` never needs them: records, look-ups and ``compare`` load them when used.
    """
    # deferred: only the lazy loader needs these
    import importlib.util
    import sys

    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:  # pragma: no cover - the package is broken
        raise ImportError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


if not TYPE_CHECKING:
    m = _lazy_module(__name__.rpartition(".")[0] + "._models")

R = TypeVar("R", bound="m.Record")


_LOOKUPS = {
    "edition": "edition",
    "region_code": "region",
    "function": "function",
    "category": "category",
    "stance": "stance",
}
"""Filter field → the :class:`Package` method that looks a query for it up."""


class _Records(Generic[R]):
    """A read-only typed record attribute of :class:`Package`: ``pkg.regions`` and the like.

    ``pkg.regions`` is ``pkg.records("regions")``, the same cached tuple.

    Declared as ``regions: _Records[m.Region] = _Records()``, so type checkers see
    ``pkg.regions`` as ``tuple[Region, ...]`` while the models module is still loaded only when
    used (the annotation is never evaluated). The string under each declaration is its
    docstring for the API reference and editors. Like a property, it cannot be set or deleted.
    """

    def __set_name__(self, owner: type[Package], name: str) -> None:
        self._name = name
        self.__doc__ = f"The records of resource {name!r} (``pkg.records({name!r})``), typed."

    @overload
    def __get__(self, package: None, owner: type[Package]) -> Self: ...

    @overload
    def __get__(self, package: Package, owner: type[Package] | None = None) -> tuple[R, ...]: ...

    def __get__(
        self, package: Package | None, owner: type[Package] | None = None
    ) -> Self | tuple[R, ...]:
        if package is None:
            return self
        return package.records(self._name)  # type: ignore[return-value]

    def __set__(self, package: Package, value: Never) -> NoReturn:
        raise AttributeError(f"property {self._name!r} of 'Package' object has no setter")

    def __delete__(self, package: Package) -> NoReturn:
        raise AttributeError(f"property {self._name!r} of 'Package' object has no deleter")


class Package:
    """One copy of the palliativ-data package: the bundled one or another on disk.

    Create it with :func:`palliativ_data.load`. Every accessor returns immutable values
    (tuples of frozen records, Arrow tables).

    Examples:
        >>> import palliativ_data as pdata
        >>> pkg = pdata.load()
        >>> len(pkg.regions)
        21
        >>> pkg.region("jamtland").name_source
        'Jämtland Härjedalen'
        >>> pkg.table("regions").num_rows
        21
    """

    def __init__(
        self, descriptor: dict[str, Any], base: Path, descriptor_path: Path, *, verify: bool = True
    ) -> None:
        self._descriptor = descriptor
        self._verify = verify
        self._base = base
        self._descriptor_path = descriptor_path
        self._resources: dict[str, dict[str, Any]] = {
            resource["name"]: resource for resource in descriptor.get("resources", [])
        }
        self._tables: dict[str, pyarrow.Table] = {}
        self._records: dict[str, tuple[m.Record, ...]] = {}

    def __repr__(self) -> str:
        return (
            f"<Package {self._descriptor.get('name', '?')} {self.version} "
            f"({len(self._resources)} resources) at {self._base}>"
        )

    # ------------------------------------------------------------------ metadata

    @property
    def version(self) -> str:
        """The data package version (``version`` in its ``datapackage.json``)."""
        return str(self._descriptor.get("version", ""))

    @property
    def path(self) -> Path:
        """The folder holding this package's ``datapackage.json``."""
        return self._base

    @property
    def descriptor(self) -> dict[str, Any]:
        """A copy of the package descriptor (``datapackage.json``)."""
        descriptor: dict[str, Any] = json.loads(json.dumps(self._descriptor))
        return descriptor

    @property
    def resource_names(self) -> tuple[str, ...]:
        """Names of the package's resources, in descriptor order.

        Examples:
            >>> import palliativ_data as pdata
            >>> "gaps" in pdata.load().resource_names
            True
        """
        return tuple(self._resources)

    # ------------------------------------------------------------------ tables

    def _resource(self, name: str) -> dict[str, Any]:
        try:
            return self._resources[name]
        except KeyError:
            names = list(self._resources)
            raise UnknownNameError(
                f"No resource {name!r} in this package. Resources: {', '.join(names)}. "
                "pkg.resource_names lists them.",
                kind="resource",
                query=name,
                candidates=names,
            ) from None

    def _table_schema(self, resource: dict[str, Any]) -> dict[str, Any]:
        schema = resource.get("schema")
        if isinstance(schema, str):  # a path, relative to the descriptor, inside the package
            file = regular_file(self._base, schema, resource=resource["name"], what="schema")
            loaded: dict[str, Any] = read_descriptor(file)
            return loaded
        if not isinstance(schema, dict):
            raise DataError(
                f"Resource {resource['name']!r} in {self._descriptor_path} has no Table Schema. "
                "Add one (inline, or a path to a JSON file) and validate the package.",
                resource=resource["name"],
                path=str(self._descriptor_path),
            )
        problem = table_schema_problem(schema)
        if problem is not None:
            raise DataError(
                f"The Table Schema of resource {resource['name']!r} in {self._descriptor_path} "
                f"cannot be used: {problem}. Run `palliativ-data validate` on the package.",
                resource=resource["name"],
                path=str(self._descriptor_path),
            )
        return schema

    def table(self, name: str) -> pyarrow.Table:
        """The resource ``name`` as an Arrow table, typed by its Table Schema.

        Enum fields are dictionary columns; field descriptions, the table description and the
        data version are in the schema metadata. Read once, then cached.

        Args:
            name: Resource name, e.g. ``"gaps"``.

        Raises:
            UnknownNameError: No such resource; the message lists the names.
            DataError: The CSV does not fit its Table Schema.
        IntegrityError: The file read differs from the ``bytes``/``hash`` its descriptor
            declares (a tampered or truncated release); see ``load(verify=...)``.

        Examples:
            >>> import palliativ_data as pdata
            >>> table = pdata.load().table("classifications")
            >>> table.schema.field("category").type
            DictionaryType(dictionary<values=string, indices=int32, ordered=0>)
        """
        if name not in self._tables:
            self._tables[name], _ = self._read(name)
        return self._tables[name]

    def _rows_where(self, name: str, column: str, values: Sequence[str]) -> pyarrow.Table:
        """The rows of resource ``name`` whose ``column`` is one of ``values``.

        From the cached table when it was read; else, from a release's Parquet copy, filtered
        while reading and not cached (so comparing two editions of fifty reads two); else the
        whole table, read and cached as :meth:`table` does, then filtered.
        """
        # deferred: pyarrow.compute alone takes ~0.2 s to import
        import pyarrow.compute as pc

        from ._arrow import is_in_mask

        if name not in self._tables:
            table, filtered = self._read(name, where=(column, values))
            if filtered:
                return table
            self._tables[name] = table
        table = self._tables[name]
        mask = is_in_mask(table.column(column), values)
        if pc.all(mask).as_py() is not False:  # every row (or none at all): no copy
            return table
        return table.filter(mask)

    @offline("load")
    def _read(
        self, name: str, where: tuple[str, Sequence[str]] | None = None
    ) -> tuple[pyarrow.Table, bool]:
        """Read resource ``name``; True with it when ``where`` was applied (Parquet only)."""
        # deferred: the readers import pyarrow, which `import palliativ_data` must not
        from ._schema.csv_reader import read_csv_table
        from ._schema.parquet_reader import Budget, parquet_copy, read_parquet_table

        resource = self._resource(name)
        path = resource.get("path")
        if not isinstance(path, str):
            raise DataError(
                f"Resource {name!r} has path {path!r}; palliativ-data reads one CSV file per "
                "resource. Give a single relative path such as 'data/gaps.csv'.",
                resource=name,
                path=str(self._descriptor_path),
            )
        file = regular_file(self._base, path, resource=name)  # checked before opening
        # a release's Parquet copy is much faster; with verify, a file that differs from
        # its declared bytes/hash is refused (IntegrityError), never silently read
        copy = parquet_copy(resource, self._base, verify=self._verify)
        if copy is None and self._verify:
            verify_file(file, resource, resource=name)
        table_schema = self._table_schema(resource)
        try:
            if copy is not None:  # no more rows or bytes than a copy of the CSV holds
                budget = Budget.of_csv(file.stat().st_size, len(table_schema["fields"]))
                table = read_parquet_table(
                    copy,
                    name,
                    table_schema=table_schema,
                    version=self.version,
                    where=where,
                    budget=budget,
                )
                return table, where is not None
            table = read_csv_table(file, name, table_schema=table_schema, version=self.version)
            return table, False
        except (KeyError, TypeError, AttributeError, IndexError) as error:
            raise DataError(  # a schema shape the checks above did not foresee
                f"Resource {name!r} cannot be read with its Table Schema ({type(error).__name__}: "
                f"{str(error)[:200]}). Run `palliativ-data validate` on the package.",
                resource=name,
                path=str(file),
            ) from None

    def to_pandas(self, name: str) -> pandas.DataFrame:
        """The resource ``name`` as a pandas DataFrame (enum columns as categoricals).

        Needs the ``pandas`` extra: ``pip install 'palliativ-data[pandas]'``.

        Raises:
            MissingExtraError: pandas is not installed.
        """
        _require("pandas", "to_pandas()")
        return self.table(name).to_pandas()

    def to_polars(self, name: str) -> polars.DataFrame:
        """The resource ``name`` as a polars DataFrame (enum columns as categoricals).

        Needs the ``polars`` extra: ``pip install 'palliativ-data[polars]'``.

        Raises:
            MissingExtraError: polars is not installed.
        """
        module = _require("polars", "to_polars()")
        frame: polars.DataFrame = module.from_arrow(self.table(name))
        return frame

    # ------------------------------------------------------------------ records

    def records(self, name: str) -> tuple[m.Record, ...]:
        """Every row of resource ``name`` as a frozen model instance, in file order.

        Raises:
            UnknownNameError: No such resource, or no model for it.
            DataError: A row does not fit the model.

        Examples:
            >>> import palliativ_data as pdata
            >>> type(pdata.load().records("editions")[0]).__name__
            'Edition'
        """
        if name not in self._records:
            table = self.table(name)
            model = m.MODELS.get(name)
            if model is None:
                raise UnknownNameError(
                    f"Resource {name!r} has no model in this version of palliativ-data. "
                    f"Models exist for: {', '.join(m.MODELS)}. Use pkg.table({name!r}) instead.",
                    kind="resource",
                    query=name,
                    candidates=list(m.MODELS),
                )
            self._records[name] = _validate_rows(model, table.to_pylist(), name)
        return self._records[name]

    def _typed(self, name: str, model: type[R]) -> tuple[R, ...]:
        return self.records(name)  # type: ignore[return-value]

    editions: _Records[m.Edition] = _Records()
    """The editions (published states of the inventory), in file order."""
    regions: _Records[m.Region] = _Records()
    """The 21 regions, in file order (by SCB code)."""
    healthcare_regions: _Records[m.HealthcareRegion] = _Records()
    """The six healthcare regions (sjukvårdsregioner)."""
    region_healthcare_regions: _Records[m.RegionHealthcareRegion] = _Records()
    """Which healthcare region each region (or part of one) belongs to."""
    sources: _Records[m.Source] = _Records()
    """The source documents."""
    functions: _Records[m.Function] = _Records()
    """The vocabulary of functions of specialised palliative care."""
    categories: _Records[m.Category] = _Records()
    """The vocabulary of classification categories."""
    stances: _Records[m.Stance] = _Records()
    """The vocabulary of what an answer says about a gap."""

    # ------------------------------------------------------------------ look-ups

    def edition(self, edition_id: str | m.Edition) -> m.Edition:
        """The edition with id ``edition_id`` (``"2026-02"``).

        Raises:
            UnknownNameError: No such edition; the message lists those that exist.

        Examples:
            >>> import palliativ_data as pdata
            >>> pdata.load().edition("2026-06").kind
            'follow_up'
        """
        if isinstance(edition_id, m.Edition):
            edition_id = edition_id.edition
        for edition in self.editions:
            if edition.edition == edition_id:
                return edition
        ids = [edition.edition for edition in self.editions]
        message = f"No edition {edition_id!r} in this package. Editions: {', '.join(ids)}."
        raise UnknownNameError(
            f"{message} Use list_editions() (or Package.editions) to see what exists.",
            cli=f"{message} `palliativ-data editions` lists them.",
            kind="edition",
            query=edition_id,
            candidates=ids,
        )

    @cached_property
    def _region_index(self) -> RegionIndex:
        return RegionIndex(self.regions)

    def region(self, query: Query) -> m.Region:
        """The region ``query`` names: code, ISO code, name or alias; case and accents ignored.

        Raises:
            AmbiguousNameError: ``query`` matches several regions (they are listed).
            UnknownNameError: ``query`` matches none (the regions are listed).

        Examples:
            >>> import palliativ_data as pdata
            >>> pkg = pdata.load()
            >>> [pkg.region(q).region_code for q in ("Jämtland", "SE-Z", "23", "Sörmland")]
            ['23', '23', '23', '04']
        """
        return self._region_index.resolve(query)

    def function(self, code: str | m.Function) -> m.Function:
        """The function with code ``code`` (case-insensitive).

        Raises:
            UnknownNameError: No such function; the message lists the codes.
        """
        return self._vocabulary(self.functions, "function", code, "pkg.functions")

    def category(self, code: str | m.Category) -> m.Category:
        """The classification category with code ``code`` (case-insensitive)."""
        return self._vocabulary(self.categories, "category", code, "pkg.categories")

    def stance(self, code: str | m.Stance) -> m.Stance:
        """The stance with code ``code`` (case-insensitive)."""
        return self._vocabulary(self.stances, "stance", code, "pkg.stances")

    def _vocabulary(self, records: tuple[R, ...], field: str, query: object, hint: str) -> R:
        if isinstance(query, m.Record):
            query = getattr(query, field)
        codes = [getattr(record, field) for record in records]
        code = resolve_code(field, query, codes, hint=hint)
        return records[codes.index(code)]

    # ------------------------------------------------------------------ filtered records

    def _where(self, name: str, model: type[R], **queries: Any) -> tuple[R, ...]:
        """The records of ``name`` whose field equals each query that is not None.

        A query is looked up as people type it: ``edition`` with :meth:`edition`,
        ``region_code`` with :meth:`region`, a vocabulary code with the method of its name;
        a record (a :class:`Gap` for ``gap_key``…) stands for its own field.
        """
        wanted = {
            field: self._resolve(field, query)
            for field, query in queries.items()
            if query is not None
        }
        records = self._typed(name, model)
        if not wanted:
            return records
        return tuple(
            record
            for record in records
            if all(getattr(record, field) == value for field, value in wanted.items())
        )

    def _resolve(self, field: str, query: Any) -> Any:
        """The value of ``field`` that ``query`` names (see :meth:`_where`)."""
        lookup = _LOOKUPS.get(field)
        if lookup is not None:
            return getattr(getattr(self, lookup)(query), field)
        return getattr(query, field) if isinstance(query, m.Record) else query

    def gaps(
        self,
        edition: str | m.Edition | None = None,
        region: Query | None = None,
        function: str | m.Function | None = None,
    ) -> tuple[m.Gap, ...]:
        """Gaps, optionally only those of one edition, region and/or function.

        Args:
            edition: Edition id (``"2026-02"``) or :class:`Edition`.
            region: Anything :meth:`region` accepts.
            function: Function code (``"inpatient_beds"``) or :class:`Function`.

        Raises:
            UnknownNameError: An edition, region or function that does not exist.
            AmbiguousNameError: A region query that matches several regions.

        Examples:
            >>> import palliativ_data as pdata
            >>> pkg = pdata.load()
            >>> gaps = pkg.gaps(edition="2026-02", region="Jämtland")
            >>> {(gap.edition, gap.region_code) for gap in gaps} <= {("2026-02", "23")}
            True
        """
        return self._where("gaps", m.Gap, edition=edition, region_code=region, function=function)

    def responses(
        self,
        region: Query | None = None,
        edition: str | m.Edition | None = None,
    ) -> tuple[m.Response, ...]:
        """The regions' responses, optionally only one region's and/or one edition's."""
        return self._where("responses", m.Response, region_code=region, edition=edition)

    def classifications(
        self,
        edition: str | m.Edition | None = None,
        category: str | m.Category | None = None,
        region: Query | None = None,
    ) -> tuple[m.Classification, ...]:
        """How follow-up editions classified the regions, optionally filtered.

        Examples:
            >>> import palliativ_data as pdata
            >>> pkg = pdata.load()
            >>> all(c.category == "no_response" for c in pkg.classifications(category="no_response"))
            True
        """
        return self._where(
            "classifications",
            m.Classification,
            edition=edition,
            category=category,
            region_code=region,
        )

    def gap_answers(
        self,
        edition: str | m.Edition | None = None,
        region: Query | None = None,
        gap_key: str | m.Gap | None = None,
        stance: str | m.Stance | None = None,
        response: str | m.Response | None = None,
    ) -> tuple[m.GapAnswer, ...]:
        """What each response says about each gap, optionally filtered.

        Args:
            edition: The edition of the gaps answered about.
            region: The region that answered (anything :meth:`region` accepts).
            gap_key: A gap key, or a :class:`Gap`.
            stance: A stance code or :class:`Stance`.
            response: A response id or :class:`Response`.
        """
        rows = self._where(
            "gap_answers",
            m.GapAnswer,
            edition=edition,
            gap_key=gap_key,
            stance=stance,
            response_id=response,
        )
        if region is None:
            return rows
        ids = {row.response_id for row in self.responses(region=region)}  # a region's answers
        return tuple(row for row in rows if row.response_id in ids)

    # ------------------------------------------------------------------ comparisons

    def compare(
        self,
        old_edition: str,
        new_edition: str,
        *,
        region: Query | Iterable[Query] | None = None,
        function: str | Iterable[str] | None = None,
        old_package: Package | None = None,
    ) -> Comparison:
        """Compare two editions gap by gap; see :func:`palliativ_data.compare`.

        Args:
            old_edition: The old edition id, e.g. ``"2026-02"``.
            new_edition: The new edition id (of this package), e.g. ``"2026-06"``.
            region: Limit to one or more regions.
            function: Limit to one or more function codes.
            old_package: The package holding the old edition when it is another copy (e.g.
                last year's release); default this one.

        Examples:
            >>> import palliativ_data as pdata
            >>> result = pdata.load().compare("2026-02", "2026-06")
            >>> result.summary.persisting + result.summary.added == result.summary.new
            True
        """
        # deferred: the comparison engine imports pyarrow, which `import palliativ_data` must not
        from ._comparison.match import answer_editions, compare_editions, edition_named

        old_pkg = self if old_package is None else old_package
        cross = old_pkg is not self
        old_ed = edition_named(
            old_pkg.editions,
            old_edition,
            f"the old package ({old_pkg.path})" if cross else "this package",
        )
        new_ed = edition_named(
            self.editions,
            new_edition,
            f"the new package ({self.path})" if cross else "this package",
        )
        region_codes = _codes(old_pkg, self, region, "region", "region_code")
        function_codes = _codes(old_pkg, self, function, "function", "function")
        if cross:
            old_gaps = old_pkg._rows_where("gaps", "edition", [old_edition])
            new_gaps = self._rows_where("gaps", "edition", [new_edition])
        else:  # one read for both editions
            old_gaps = new_gaps = self._rows_where("gaps", "edition", [old_edition, new_edition])
        return compare_editions(
            old_pkg._side(old_ed, old_gaps),
            self._side(new_ed, new_gaps),
            old_pkg._rows_where("gap_answers", "edition", answer_editions(old_ed)),
            region_codes=region_codes,
            function_codes=function_codes,
        )

    def _side(self, edition: m.Edition, gaps: pyarrow.Table) -> Side:
        """One side of a comparison: ``edition`` of this package, with its ``gaps`` rows."""
        # deferred: the comparison engine imports pyarrow, which `import palliativ_data` must not
        from ._comparison.match import Side, classification_edition
        from ._comparison.result import PackageInfo

        classified_in = classification_edition(self.editions, edition)
        return Side(
            package=PackageInfo(name=str(self._descriptor.get("name", "")), version=self.version),
            edition=edition,
            gaps=gaps,
            regions=self.regions,
            functions=self.functions,
            categories=self.categories,
            stances=self.stances,
            classification_edition=classified_in,
            classifications=()
            if classified_in is None
            else self.classifications(edition=classified_in),
        )


def _codes(
    old: Package, new: Package, queries: Any, lookup: str, field: str
) -> tuple[str, ...] | None:
    """The sorted codes ``queries`` name (one query or several; None: no limit).

    Each query is looked up with the method ``lookup`` of the new package, then of the old one.
    """
    # deferred: pydantic loads with the models, on first use
    from pydantic import BaseModel

    if queries is None:
        return None
    if isinstance(queries, (str, int, BaseModel)):  # one query
        queries = [queries]
    codes: list[str] = []
    for query in queries:
        try:
            code = getattr(getattr(new, lookup)(query), field)
        except UnknownNameError:
            if old is new:
                raise
            code = getattr(getattr(old, lookup)(query), field)
        if code not in codes:
            codes.append(code)
    return tuple(sorted(codes))


def _validate_rows(
    model: type[m.Record], rows: list[dict[str, Any]], name: str
) -> tuple[m.Record, ...]:
    # deferred: pydantic loads with the models, on first use
    from pydantic import ValidationError  # (pydantic loads with the models, on first use)

    records = []
    problems = []
    for number, row in enumerate(rows, start=2):  # header = row 1, as frictionless counts
        try:
            records.append(model.model_validate(row))
        except ValidationError as error:
            for item in error.errors():
                field = ".".join(str(part) for part in item["loc"])
                problems.append(f"row {number}, {field}: {item['msg']}")
    if problems:
        shown = "; ".join(problems[:10]) + (
            f"; … {len(problems) - 10} more" if len(problems) > 10 else ""
        )
        raise DataError(
            f"Resource {name!r} has rows that do not fit the {model.__name__} model: {shown}. "
            "Run `palliativ-data validate` on the package for a full report.",
            resource=name,
            problems=problems,
        )
    return tuple(records)


def _require(module: str, feature: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{feature} needs {module}, which is not installed. "
            f"Install it with: pip install 'palliativ-data[{module}]'",
            extra=module,
        ) from None
