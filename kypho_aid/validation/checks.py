"""Checks of one table: its header, every cell against the schema, rules within a row, keys.

Each ``check_*`` function is pure: it takes rows already read from a file (see
:mod:`kypho_aid.datasets`) and returns a list of :class:`~kypho_aid.model.Problem`, each naming
the file, row and column and saying how to fix it (phase two of validation).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kypho_aid._files import RawTable, Row, display_value
from kypho_aid.model import LIST_SEPARATOR, FieldSpec, FieldType, Problem, TableSchema

Value = str | int | float | bool | dt.date | tuple[str, ...] | None
_INTEGER = re.compile(r"[+-]?\d+")
_MAX_DIGITS = 18  # every whole number of 18 digits fits a 64-bit integer column
_TRUE, _FALSE = frozenset({"true", "yes"}), frozenset({"false", "no"})


class TypedRow(Row[Value]):
    """One record with its values converted to Python types, and its lines in the file."""


@dataclass(frozen=True)
class ParsedTable:
    """A data file read and checked against its schema."""

    schema: TableSchema
    shown: str
    rows: tuple[TypedRow, ...]
    problems: tuple[Problem, ...]


def check_header(schema: TableSchema, raw: RawTable, shown: str) -> list[Problem]:
    """Check that the file has every schema column and no other."""
    problems = []
    for name in schema.field_names:
        if name not in raw.header:
            problems.append(Problem(shown, 1, name, f"column {name!r} is missing from the header"))
    for name in raw.header:
        if name not in schema.field_names:
            message = f"column {name!r} is not in {schema.schema_file.name}; add it to the schema or remove it"
            problems.append(Problem(shown, 1, name or "(blank)", message))
    if len(set(raw.header)) != len(raw.header):
        problems.append(Problem(shown, 1, schema.field_names[0], "the header names a column twice"))
    return problems


#: Characters no cell may hold: NUL, and the bidirectional embeddings, overrides and isolates
#: (U+202A–U+202E, U+2066–U+2069) that make text display in another order than it is stored.
_HIDDEN = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")


def _hidden_character(text: str) -> str | None:
    """Say which forbidden character ``text`` holds first, or None."""
    found = _HIDDEN.search(text)
    if found is None:
        return None
    char = found.group()
    what = "a NUL character" if char == "\x00" else "a bidirectional control character"
    return (
        f"contains {what} (U+{ord(char):04X}) at character {found.start() + 1}; "
        "it hides or reorders what readers see, so remove it"
    )


def _convert(spec: FieldSpec, text: str) -> tuple[Value, str | None]:
    """Convert one cell's text to its type; return (value, error message or None)."""
    kind = spec.type
    if kind in (FieldType.STRING, FieldType.TEXT, FieldType.CATEGORY):
        value: Value = text
    elif kind is FieldType.INTEGER:
        if not _INTEGER.fullmatch(text):
            return None, f"expected a whole number, got {text!r}"
        digits = len(text.lstrip("+-"))
        if digits > _MAX_DIGITS:  # int() refuses past 4300 digits; pandas past 2**63
            return None, f"a whole number of {digits} digits; at most {_MAX_DIGITS} fit"
        value = int(text)
    elif kind is FieldType.NUMBER:
        try:
            number = float(text)
        except ValueError:
            return None, f"expected a number, got {text!r}"
        if not math.isfinite(number):
            return None, f"expected a finite number, got {text!r}"
        value = number
    elif kind is FieldType.BOOLEAN:
        if text.lower() not in _TRUE | _FALSE:
            return None, f"expected true or false, got {text!r}"
        value = text.lower() in _TRUE
    elif kind is FieldType.DATE:
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            return None, f"expected a date as YYYY-MM-DD, got {text!r}"
    else:
        items = tuple(item.strip() for item in text.split(LIST_SEPARATOR))
        if any(not item for item in items):
            return (
                None,
                f"empty item in the list {text!r}; separate items with a single {LIST_SEPARATOR!r}",
            )
        value = items
    return value, None


def _check_value(spec: FieldSpec, value: Value) -> str | None:
    """Check a converted value against the schema's enum, pattern and bounds."""
    items = value if isinstance(value, tuple) else (value,)
    for item in items:
        if spec.enum is not None and item not in spec.enum:
            return f"unknown value {item!r}; allowed: {', '.join(spec.enum)}"
        if spec.pattern is not None and not re.fullmatch(spec.pattern, str(item)):
            return f"{item!r} does not match the pattern {spec.pattern}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            return f"{value:g} is below the minimum {spec.minimum:g}"
        if spec.maximum is not None and value > spec.maximum:
            return f"{value:g} is above the maximum {spec.maximum:g}"
    return None


def check_cells(
    schema: TableSchema, raw: RawTable, shown: str
) -> tuple[list[TypedRow], list[Problem]]:
    """Convert every cell to its type and check it; return the typed rows and the problems."""
    rows: list[TypedRow] = []
    problems: list[Problem] = []
    for raw_row in raw.rows:
        values: dict[str, Value] = {}
        for spec in schema.fields:
            text = raw_row.values.get(spec.name, "")
            line = raw_row.line_of(spec.name)
            hidden = _hidden_character(text)
            if hidden:
                problems.append(Problem(shown, line, spec.name, hidden))
                values[spec.name] = None
                continue
            if text != text.strip():
                problems.append(
                    Problem(shown, line, spec.name, "value has spaces at its start or end")
                )
                text = text.strip()
            if not text:
                values[spec.name] = None
                if spec.required:
                    problems.append(Problem(shown, line, spec.name, "required value is missing"))
                continue
            value, error = _convert(spec, text)
            error = error or _check_value(spec, value)
            if error:
                problems.append(Problem(shown, line, spec.name, error))
            values[spec.name] = None if error else value
        rows.append(TypedRow(raw_row.line, values, key_lines=raw_row.key_lines))
    return rows, problems


def _present(row: TypedRow, name: str) -> bool:
    return row.values.get(name) is not None


def check_row_rules(schema: TableSchema, rows: Iterable[TypedRow], shown: str) -> list[Problem]:
    """Apply the schema's row checks (order of low/high, paired lists, ...) to every row."""
    problems: list[Problem] = []
    for row in rows:
        for rule in schema.row_checks:
            params = rule.params
            fields = list(params.get("fields", []))
            if rule.check == "ordered":
                present = [(name, row.values[name]) for name in fields if _present(row, name)]
                for (first, a), (second, b) in itertools.pairwise(present):
                    if a > b:  # type: ignore[operator]
                        message = (
                            f"{first} ({a}) is above {second} ({b}); the lower end must come first"
                        )
                        problems.append(Problem(shown, row.line_of(first), first, message))
                        break
            elif rule.check == "paired_lists":
                first, second = fields
                a, b = row.values.get(first), row.values.get(second)
                if isinstance(a, tuple) and isinstance(b, tuple) and len(a) != len(b):
                    message = f"{second} has {len(b)} entries but {first} has {len(a)}; give one per entry"
                    problems.append(Problem(shown, row.line_of(second), second, message))
            elif rule.check == "one_of_required":
                if not any(_present(row, name) for name in fields):
                    message = f"one of {', '.join(fields)} is required"
                    problems.append(Problem(shown, row.line_of(fields[0]), fields[0], message))
            elif rule.check == "percent_bounds":
                unit = str(row.values.get(params["unit_field"]) or "")
                if unit.startswith("%"):
                    for name in fields:
                        value = row.values.get(name)
                        if isinstance(value, float) and not 0 <= value <= 100:
                            message = (
                                f"{value:g} is not a percentage between 0 and 100 (unit {unit!r})"
                            )
                            problems.append(Problem(shown, row.line_of(name), name, message))
            elif rule.check == "one_of_list":
                value, items = row.values.get(params["field"]), row.values.get(params["list_field"])
                if value is not None and isinstance(items, tuple) and value not in items:
                    message = (
                        f"{display_value(value)} is not one of the {params['list_field']}: "
                        f"{LIST_SEPARATOR.join(items)}"
                    )
                    problems.append(
                        Problem(shown, row.line_of(params["field"]), params["field"], message)
                    )
            elif rule.check == "required_when" and not _present(row, params["field"]):
                when: Mapping[str, Any] = params.get("when") or {}
                trigger = params.get("when_present")
                if when and all(row.values.get(k) == v for k, v in when.items()):
                    reason = ", ".join(f"{k} is {v}" for k, v in when.items())
                elif trigger and _present(row, trigger):
                    reason = f"{trigger} is given"
                else:
                    continue
                column = params["field"]
                problems.append(
                    Problem(shown, row.line_of(column), column, f"required when {reason}")
                )
    return problems


def check_unique(schema: TableSchema, rows: Iterable[TypedRow], shown: str) -> list[Problem]:
    """Check the primary key and every unique column set for duplicates."""
    problems: list[Problem] = []
    for group in (schema.primary_key, *schema.unique):
        seen: dict[tuple[Value, ...], int] = {}
        for row in rows:
            key = tuple(row.values.get(name) for name in group)
            if any(part is None for part in key):
                continue
            if key in seen:
                shown_key = ", ".join(str(part) for part in key)
                message = f"duplicate key {shown_key!r} (first used on row {seen[key]})"
                problems.append(Problem(shown, row.line_of(group[0]), "+".join(group), message))
            else:
                seen[key] = row.line_of(group[0])
    return problems


def check_not_empty(schema: TableSchema, raw: RawTable, shown: str) -> list[Problem]:
    """Check that the table holds at least one row: every table of the knowledge base does."""
    if raw.rows:
        return []
    what = "has a header but no rows" if schema.path.endswith(".csv") else "holds no records"
    return [Problem(shown, 1, schema.field_names[0], f"the table {what}; add its rows")]


def check_table(schema: TableSchema, raw: RawTable, shown: str) -> ParsedTable:
    """Run every single-table check and return the table with its problems."""
    problems = check_header(schema, raw, shown)
    if problems and any(name not in raw.header for name in schema.field_names):
        return ParsedTable(schema, shown, (), tuple(problems))
    problems += check_not_empty(schema, raw, shown)
    rows, cell_problems = check_cells(schema, raw, shown)
    problems += cell_problems
    problems += check_row_rules(schema, rows, shown)
    problems += check_unique(schema, rows, shown)
    return ParsedTable(schema, shown, tuple(rows), tuple(problems))
