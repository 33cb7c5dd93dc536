"""Reading and checking the knowledge base's files into DataFrames: the slow path.

:mod:`kypho_aid.datasets` is the public face and answers from the snapshot when it is
current (:mod:`kypho_aid.snapshot`); it imports this module only when files must be read,
because with YAML, the schemas and every check it costs ~30 ms to import. Each table is
cached until its schema or data file changes. Nothing here writes.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kypho_aid._files import SCHEMA_SUFFIX, display_path, file_stamp, read_csv
from kypho_aid._yaml import read_yaml_table
from kypho_aid.exceptions import DataValidationError
from kypho_aid.model import LIST_SEPARATOR, FieldType, Problem, TableSchema
from kypho_aid.schema import load_schema
from kypho_aid.validation import (
    PACKAGE_CHECKS,
    ParsedTable,
    check_foreign_keys,
    check_skipped_references,
    check_table,
    referable,
)

__all__ = ["check_folder", "load_checked", "load_schema_checked"]

_DATA_SUFFIXES = (".csv", ".yaml")


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
    schema_stamp = file_stamp(schema_path)
    schema, problems = _schema_cached(str(schema_path), schema_stamp)
    if schema is None:
        return None, None, problems
    refused = _outside(folder / schema.path, folder)
    if refused is not None:
        return schema, None, (refused,)
    data_stamp = file_stamp(folder / schema.path)
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


def load_checked(name: str, folder: Path) -> pd.DataFrame:
    """Load one dataset from its files, checking the table and its references."""
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
    stamps = (file_stamp(table.schema.schema_file), file_stamp(folder / table.schema.path))
    return _frame_cached(name, str(folder), stamps).copy()


def load_schema_checked(name: str, folder: Path) -> TableSchema:
    """The schema of dataset ``name``; raises DataValidationError when it is broken."""
    schema, _, problems = _parse(name, folder)
    if schema is None:
        raise DataValidationError(problems)
    return schema


def check_folder(folder: Path, names: Sequence[str]) -> list[Problem]:
    """Every problem in the knowledge base in the folder ``folder``, whose datasets are ``names``."""
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
