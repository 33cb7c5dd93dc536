"""Records and closed vocabularies shared by every kypho-aid module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class Option(StrEnum):
    """The three options the aid compares, in display order."""

    KYPHOPLASTY = "kyphoplasty"
    VERTEBROPLASTY = "vertebroplasty"
    NON_SURGICAL = "non_surgical"


class FieldType(StrEnum):
    """Column types a schema file may declare."""

    STRING = "string"
    TEXT = "text"  # longer prose; may be patient-facing
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    CATEGORY = "category"
    LIST = "list"  # items separated by semicolons


LIST_SEPARATOR = ";"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the knowledge base, located by file, row and column.

    ``row`` is the line number in the file (the CSV header is line 1); ``column`` is the
    column name (for YAML syntax errors, the character position).
    """

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


@dataclass(frozen=True)
class FieldSpec:
    """One column of a table, as its schema file declares it."""

    name: str
    type: FieldType
    required: bool
    description: str
    enum: tuple[str, ...] | None = None
    ordered: bool = False
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    audience: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    """Values of ``field`` (each item, for a list column) must exist in ``table.column``."""

    field: str
    table: str
    column: str


@dataclass(frozen=True)
class RowCheck:
    """A check across the columns of one row (``ordered``, ``paired_lists``, ...)."""

    check: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class TableSchema:
    """The machine-checked description of one data file."""

    name: str
    path: str
    title: str
    description: str
    primary_key: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    row_checks: tuple[RowCheck, ...] = ()
    schema_file: Path = field(default=Path(), compare=False)

    @property
    def field_names(self) -> tuple[str, ...]:
        """Column names in schema order."""
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> FieldSpec:
        """Return the spec of column ``name``."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


@dataclass(frozen=True)
class ContentInfo:
    """Version, review dates, update policy and disclaimer of the knowledge base."""

    version: str
    reviewed_on: dt.date
    next_review_due: dt.date
    update_policy: str
    disclaimer: str

    @property
    def footer(self) -> str:
        """The line every page ends with: version, review dates and the disclaimer."""
        return (
            f"kypho-aid content version {self.version}, reviewed {self.reviewed_on.isoformat()} "
            f"(next review due by {self.next_review_due.isoformat()}). {self.disclaimer}"
        )
