"""Loading the knowledge base: the dataset registry, validated DataFrames and ``validate()``.

The registry is the set of ``<name>.schema.yaml`` files in :func:`data_dir`. Each dataset is
read by one private reader that takes dtypes, categories and their order from its schema,
so no loader has per-name special cases. Reading never writes to ``data/``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kypho_aid._files import SCHEMA_SUFFIX, data_dir, display_path, read_csv, read_yaml_table
from kypho_aid.exceptions import DataValidationError, UnknownDatasetError
from kypho_aid.model import LIST_SEPARATOR, ContentInfo, FieldType, Problem, TableSchema
from kypho_aid.schema import load_schema
from kypho_aid.validation import (
    PACKAGE_CHECKS,
    ParsedTable,
    check_foreign_keys,
    check_skipped_references,
    check_table,
    referable,
)

__all__ = [
    "content_info",
    "data_dir",
    "describe_dataset",
    "list_datasets",
    "load_dataset",
    "option_labels",
    "validate",
]

_DATA_SUFFIXES = (".csv", ".yaml")


def _directory(directory: str | Path | None) -> Path:
    return data_dir() if directory is None else Path(directory)


def data_stamp(data_dir: str | Path | None = None) -> tuple[tuple[str, int, int], ...]:
    """A cheap fingerprint of the knowledge base (names, mtimes, sizes), for caches built on it."""
    folder = _directory(data_dir)
    return tuple(
        (p.name, *_stamp(p)) for p in sorted(folder.iterdir()) if p.suffix in _DATA_SUFFIXES
    )


def list_datasets(data_dir: str | Path | None = None) -> list[str]:
    """Return the names of the datasets in the knowledge base, sorted.

    Parameters
    ----------
    data_dir : str or Path, optional
        Folder to look in; defaults to :func:`kypho_aid.data_dir`.

    Examples
    --------
    >>> "risks" in list_datasets()
    True
    """
    folder = _directory(data_dir)
    return sorted(
        path.name.removesuffix(SCHEMA_SUFFIX) for path in folder.glob(f"*{SCHEMA_SUFFIX}")
    )


def _stamp(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except OSError:
        return (0, -1)
    return (status.st_mtime_ns, status.st_size)


def _outside(path: Path, folder: Path) -> Problem | None:
    """A problem when ``path`` resolves outside ``folder`` (a link to elsewhere), else None.

    Such a file is never read, and where it points is never shown: validation must not
    echo a file that is not part of the knowledge base.
    """
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a link loop, or a name the file system refuses
        inside = False
    if inside:
        return None
    message = "links outside the data folder; the knowledge base reads only its own files"
    return Problem(display_path(path), 1, "-", message)


def _parse(
    name: str, folder: Path
) -> tuple[TableSchema | None, ParsedTable | None, tuple[Problem, ...]]:
    """Read and check one dataset; cached until its schema or data file changes."""
    schema_path = folder / f"{name}{SCHEMA_SUFFIX}"
    refused = _outside(schema_path, folder)
    if refused is not None:
        return None, None, (refused,)
    schema_stamp = _stamp(schema_path)
    schema, problems = _schema_cached(str(schema_path), schema_stamp)
    if schema is None:
        return None, None, problems
    refused = _outside(folder / schema.path, folder)
    if refused is not None:
        return schema, None, (refused,)
    data_stamp = _stamp(folder / schema.path)
    table, table_problems = _table_cached(str(schema_path), schema_stamp, str(folder), data_stamp)
    return schema, table, table_problems


@functools.lru_cache(maxsize=128)
def _schema_cached(
    path_name: str, stamp: tuple[int, int]
) -> tuple[TableSchema | None, tuple[Problem, ...]]:
    path = Path(path_name)
    schema, problems = load_schema(path, display_path(path))
    return schema, tuple(problems)


@functools.lru_cache(maxsize=128)
def _table_cached(
    schema_path: str, schema_stamp: tuple[int, int], folder_name: str, data_stamp: tuple[int, int]
) -> tuple[ParsedTable | None, tuple[Problem, ...]]:
    schema, problems = _schema_cached(schema_path, schema_stamp)
    if schema is None:
        return None, problems
    data_path = Path(folder_name) / schema.path
    shown = display_path(data_path)
    reader = read_csv if data_path.suffix == ".csv" else read_yaml_table
    raw, read_problems = reader(data_path, shown, schema.field_names)
    if raw is None:
        return None, tuple(read_problems)
    table = check_table(schema, raw, shown)
    all_problems = (*read_problems, *table.problems)
    return ParsedTable(schema, shown, table.rows, all_problems), all_problems


@functools.lru_cache(maxsize=128)
def _frame_cached(name: str, folder_name: str, stamps: tuple[tuple[int, int], ...]) -> pd.DataFrame:
    _, table, problems = _parse(name, Path(folder_name))
    if table is None:  # the files changed between the check and this call
        raise DataValidationError(problems)
    return _frame(table)


def _require_name(name: object, folder: Path) -> str:
    names = list_datasets(folder)
    if not isinstance(name, str):
        raise UnknownDatasetError(
            f"a dataset name is a string such as 'risks', not {type(name).__name__}"
        )
    if name not in names:
        raise UnknownDatasetError(
            f"{name!r} is not a kypho-aid dataset; use one of: {', '.join(names)}"
        )
    return name


def _tables(folder: Path, names: Sequence[str]) -> dict[str, ParsedTable]:
    tables = {}
    for name in names:
        _, table, _ = _parse(name, folder)
        if table is not None:
            tables[name] = table
    return tables


def _frame(table: ParsedTable) -> pd.DataFrame:
    """Build a DataFrame whose dtypes and category order come from the schema."""
    columns: dict[str, pd.Series] = {}
    for spec in table.schema.fields:
        values = [row.values.get(spec.name) for row in table.rows]
        if spec.type is FieldType.LIST:
            joined = [LIST_SEPARATOR.join(v) if isinstance(v, tuple) else None for v in values]
            columns[spec.name] = pd.Series(joined, dtype="str")
        elif spec.type is FieldType.CATEGORY:
            dtype = pd.CategoricalDtype(list(spec.enum or ()), ordered=spec.ordered)
            columns[spec.name] = pd.Series(values, dtype=dtype)
        elif spec.type is FieldType.INTEGER:
            columns[spec.name] = pd.Series(values, dtype="Int64")
        elif spec.type is FieldType.NUMBER:
            columns[spec.name] = pd.Series(
                [float("nan") if v is None else v for v in values], dtype="float64"
            )
        elif spec.type is FieldType.BOOLEAN:
            columns[spec.name] = pd.Series(values, dtype="boolean")
        elif spec.type is FieldType.DATE:
            columns[spec.name] = pd.Series(
                pd.to_datetime(pd.Series(values, dtype="object")), dtype="datetime64[s]"
            )
        else:
            columns[spec.name] = pd.Series(values, dtype="str")
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(table.rows)))
    frame.attrs["dataset"] = table.schema.name
    return frame


def load_dataset(name: str, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load one dataset as a DataFrame checked against its schema.

    Types, categories and their order come from ``data/<name>.schema.yaml``. List columns
    (such as ``source_ids``) hold their items separated by semicolons. Each call returns a
    fresh copy, so changing it never changes what the next caller gets.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets`, e.g. ``"risks"``.
    data_dir : str or Path, optional
        Folder to read from; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    UnknownDatasetError
        If ``name`` is not a dataset.
    DataValidationError
        If the file or its schema is broken, or a reference (a source id, an option) does not
        resolve; its ``problems`` name the file, row and column of each.

    See Also
    --------
    describe_dataset : the codebook of a dataset.
    validate : check the whole knowledge base at once.

    Examples
    --------
    >>> risks = load_dataset("risks")
    >>> list(risks["option_id"].cat.categories)
    ['kyphoplasty', 'vertebroplasty', 'non_surgical']
    """
    folder = _directory(data_dir)
    name = _require_name(name, folder)
    _, table, problems = _parse(name, folder)
    if table is None or problems:
        raise DataValidationError(problems)
    referenced = _tables(folder, sorted({key.table for key in table.schema.foreign_keys}))
    fk_problems = check_foreign_keys(table, referenced)
    skipped = check_skipped_references(referenced, referring=[table])
    if skipped:  # references into a broken table cannot be checked: say why
        broken = {
            key.table
            for key in table.schema.foreign_keys
            if key.table in referenced and not referable(referenced[key.table], key.column)
        }
        fk_problems += [p for n in sorted(broken) for p in referenced[n].problems] + skipped
    if fk_problems:
        raise DataValidationError(fk_problems)
    stamps = (_stamp(table.schema.schema_file), _stamp(folder / table.schema.path))
    return _frame_cached(name, str(folder), stamps).copy()


def describe_dataset(name: str, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Return the codebook of a dataset: one row per column, from its schema.

    Columns: ``column``, ``type``, ``required``, ``allowed`` (values or pattern or bounds),
    ``audience`` and ``description``. The table's own title and description are in
    ``.attrs["title"]`` and ``.attrs["description"]``.
    """
    folder = _directory(data_dir)
    name = _require_name(name, folder)
    schema, _, problems = _parse(name, folder)
    if schema is None:
        raise DataValidationError(problems)
    rows = []
    for spec in schema.fields:
        if spec.enum:
            allowed = ", ".join(spec.enum)
        elif spec.pattern:
            allowed = f"pattern {spec.pattern}"
        elif spec.minimum is not None or spec.maximum is not None:
            allowed = f"{spec.minimum if spec.minimum is not None else ''}–{spec.maximum if spec.maximum is not None else ''}"
        else:
            allowed = ""
        rows.append(
            {
                "column": spec.name,
                "type": spec.type.value,
                "required": spec.required,
                "allowed": allowed,
                "audience": spec.audience or "",
                "description": " ".join(spec.description.split()),
            }
        )
    frame = pd.DataFrame(rows).astype({"required": "bool"})
    frame.attrs.update(title=schema.title, description=schema.description)
    return frame


def validate(data_dir: str | Path | None = None) -> list[Problem]:
    """Check the whole knowledge base and return every problem found (empty when valid).

    Three phases, like a data-package validator: each file's integrity (present, UTF-8,
    well-formed CSV or YAML), each table against its schema (columns, types, allowed values,
    keys, checks across a row), then the tables together (every reference resolves, every
    source is cited, every option answers every core attribute, every FAQ question is
    answered for every option). Nothing is written.

    Parameters
    ----------
    data_dir : str or Path, optional
        Folder to check; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    list of Problem
        Sorted by file, row and column; ``str(problem)`` reads ``file:row:column: message``.
    """
    folder = _directory(data_dir)
    try:
        is_folder = folder.is_dir()
    except OSError:  # such as a name too long for the file system
        is_folder = False
    if not is_folder:
        return [Problem(str(folder), 1, "-", "not a folder")]
    names = list_datasets(folder)
    problems: list[Problem] = []
    described: set[str] = set()
    for name in names:
        schema, _, table_problems = _parse(name, folder)
        problems += table_problems
        if schema is not None:
            described.add(schema.path)
    tables = _tables(folder, names)
    for table in tables.values():
        problems += check_foreign_keys(table, tables)
    problems += check_skipped_references(tables)
    if not problems:  # cross-table completeness is only meaningful on sound tables
        for check in PACKAGE_CHECKS:
            problems += check(tables)
    for path in sorted(folder.iterdir()):
        if (
            path.suffix in _DATA_SUFFIXES
            and not path.name.endswith(SCHEMA_SUFFIX)
            and path.name not in described
        ):
            problems.append(
                Problem(
                    display_path(path),
                    1,
                    "-",
                    f"no schema describes this file; add {path.stem}{SCHEMA_SUFFIX}",
                )
            )
    return sorted(set(problems), key=lambda p: (p.file, p.row, p.column, p.message))


def option_labels(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """Each option's id and its name as patients see it, in the order of ``options.csv``."""
    options = load_dataset("options", data_dir=data_dir)
    return dict(zip(options["option_id"].astype(str), options["label"].astype(str), strict=True))


def content_info(*, data_dir: str | Path | None = None) -> ContentInfo:
    """Return the content version, review dates, update policy and disclaimer."""
    record = load_dataset("content", data_dir=data_dir).iloc[0]

    def _date(value: object) -> dt.date:
        return pd.Timestamp(str(value)).date()

    return ContentInfo(
        version=str(record["content_version"]),
        reviewed_on=_date(record["reviewed_on"]),
        next_review_due=_date(record["next_review_due"]),
        update_policy=" ".join(str(record["update_policy"]).split()),
        disclaimer=" ".join(str(record["disclaimer"]).split()),
    )
