"""Reading the ``<name>.schema.yaml`` files that describe every table in ``data/``.

A schema lists each column (type, unit, allowed values, required or not, description),
the primary key, unique column sets, foreign keys and checks across a row. Loaders take
dtypes, categories and their order from it; the validator checks files against it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kypho_aid._files import LineDict, display_value
from kypho_aid._yaml import load_yaml
from kypho_aid.model import FieldSpec, FieldType, ForeignKey, Problem, RowCheck, TableSchema

#: Row checks a schema may name, with the parameters each one takes.
ROW_CHECKS: Mapping[str, frozenset[str]] = {
    "ordered": frozenset({"fields"}),
    "paired_lists": frozenset({"fields"}),
    "one_of_required": frozenset({"fields"}),
    "percent_bounds": frozenset({"unit_field", "fields"}),
    "required_when": frozenset({"field", "when", "when_present"}),
    "one_of_list": frozenset({"field", "list_field"}),
}
_FIELD_KEYS = frozenset(
    {
        "name",
        "type",
        "required",
        "description",
        "enum",
        "ordered",
        "minimum",
        "maximum",
        "pattern",
        "unit",
        "audience",
    }
)
_TOP_KEYS = frozenset(
    {
        "name",
        "path",
        "title",
        "description",
        "primary_key",
        "fields",
        "unique",
        "foreign_keys",
        "row_checks",
    }
)


def _line(node: Any, key: str | None = None) -> int:
    if isinstance(node, LineDict):
        return node.line_of(key) if key else node.line
    return 1


def _parse_field(raw: Any, shown: str, problems: list[Problem]) -> FieldSpec | None:
    if not isinstance(raw, LineDict) or not isinstance(raw.get("name"), str):
        problems.append(Problem(shown, _line(raw), "fields", "each field needs a name"))
        return None
    name = raw["name"]
    for key in raw:
        if key not in _FIELD_KEYS:
            problems.append(Problem(shown, _line(raw, key), name, f"unknown field setting {key!r}"))
    try:
        kind = FieldType(str(raw.get("type")))
    except ValueError:
        allowed = ", ".join(t.value for t in FieldType)
        problems.append(
            Problem(
                shown,
                _line(raw, "type"),
                name,
                f"unknown type {raw.get('type')!r}; use one of {allowed}",
            )
        )
        return None
    enum = raw.get("enum")
    if enum is not None and not (isinstance(enum, list) and all(isinstance(v, str) for v in enum)):
        problems.append(
            Problem(shown, _line(raw, "enum"), name, "enum must be a list of text values")
        )
        return None
    if kind is FieldType.CATEGORY and not enum:
        problems.append(
            Problem(shown, _line(raw), name, "a category field needs an enum of allowed values")
        )
        return None
    pattern = raw.get("pattern")
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error as err:
            problems.append(
                Problem(shown, _line(raw, "pattern"), name, f"pattern is not a valid regex: {err}")
            )
            return None
    bounds: dict[str, float | None] = {}
    for key in ("minimum", "maximum"):
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append(Problem(shown, _line(raw, key), name, f"{key} must be a number"))
            return None
        bounds[key] = float(value) if value is not None else None
    return FieldSpec(
        name=name,
        type=kind,
        required=raw.get("required") is True,
        description=str(raw.get("description") or ""),
        enum=tuple(enum) if enum else None,
        ordered=raw.get("ordered") is True,
        minimum=bounds["minimum"],
        maximum=bounds["maximum"],
        pattern=str(pattern) if pattern is not None else None,
        audience=str(raw["audience"]) if raw.get("audience") else None,
    )


def _names_exist(
    names: Any, known: set[str], shown: str, line: int, what: str, problems: list[Problem]
) -> bool:
    if not isinstance(names, list) or not names:
        problems.append(
            Problem(shown, line, what, f"{what} must be a non-empty list of column names")
        )
        return False
    ok = True
    for name in names:
        if name not in known:
            problems.append(
                Problem(shown, line, what, f"{what} names {name!r}, which is not a field")
            )
            ok = False
    return ok


def load_schema(path: Path, shown: str) -> tuple[TableSchema | None, list[Problem]]:
    """Read and check one schema file.

    Returns
    -------
    schema : TableSchema or None
        None when the file is too broken to use.
    problems : list of Problem
        Everything wrong with the schema file itself.
    """
    document, problems = load_yaml(path, shown, "name")
    if document is None:
        return None, problems
    if not isinstance(document, LineDict):
        return None, [*problems, Problem(shown, 1, "name", "a schema file must be a mapping")]
    for key in document:
        if key not in _TOP_KEYS:
            problems.append(
                Problem(shown, _line(document, key), key, f"unknown schema setting {key!r}")
            )
    for key in ("name", "path", "fields", "primary_key"):
        if key not in document:
            problems.append(Problem(shown, 1, key, f"schema needs {key!r}"))
    if problems:
        return None, problems
    data_file = document["path"]
    if (
        not isinstance(data_file, str)
        or Path(data_file).name != data_file
        or data_file in ("", ".", "..")
    ):
        message = (
            f"path must name a file in the data folder itself, such as {path.name.removesuffix('.schema.yaml')}.csv; "
            f"got {display_value(data_file, 60)}"
        )
        return None, [*problems, Problem(shown, _line(document, "path"), "path", message)]
    expected_name = path.name.removesuffix(".schema.yaml")
    if document["name"] != expected_name:
        message = (
            f"name {document['name']!r} does not match the file name (expected {expected_name!r})"
        )
        problems.append(Problem(shown, _line(document, "name"), "name", message))
    raw_fields = document["fields"]
    if not isinstance(raw_fields, list) or not raw_fields:
        return None, [
            *problems,
            Problem(shown, _line(document, "fields"), "fields", "fields must be a non-empty list"),
        ]
    fields = [spec for raw in raw_fields if (spec := _parse_field(raw, shown, problems))]
    names = {spec.name for spec in fields}
    if len(names) != len(fields):
        problems.append(
            Problem(shown, _line(document, "fields"), "fields", "two fields share a name")
        )
    primary_key = document["primary_key"]
    _names_exist(primary_key, names, shown, _line(document, "primary_key"), "primary_key", problems)
    unique = document.get("unique") or []
    for group in unique:
        _names_exist(group, names, shown, _line(document, "unique"), "unique", problems)
    foreign_keys: list[ForeignKey] = []
    for raw in document.get("foreign_keys") or []:
        reference = str(raw.get("reference", "")) if isinstance(raw, dict) else ""
        column = raw.get("field") if isinstance(raw, dict) else None
        if column not in names or reference.count(".") != 1:
            message = "a foreign key needs field: <column> and reference: <table>.<column>"
            problems.append(Problem(shown, _line(raw), "foreign_keys", message))
            continue
        table, target = reference.split(".")
        foreign_keys.append(ForeignKey(str(column), table, target))
    row_checks: list[RowCheck] = []
    for raw in document.get("row_checks") or []:
        kind = str(raw.get("check")) if isinstance(raw, dict) else ""
        if kind not in ROW_CHECKS:
            message = f"unknown row check {kind!r}; use one of {', '.join(ROW_CHECKS)}"
            problems.append(Problem(shown, _line(raw), "row_checks", message))
            continue
        params = {k: v for k, v in raw.items() if k != "check"}
        unknown = set(params) - ROW_CHECKS[kind]
        mentioned = [
            v
            for k, v in params.items()
            if k in ("field", "unit_field", "when_present", "list_field")
        ]
        mentioned += params.get("fields", []) + list((params.get("when") or {}).keys())
        if unknown or any(name not in names for name in mentioned):
            message = (
                f"row check {kind!r} has unknown settings or names a column that is not a field"
            )
            problems.append(Problem(shown, _line(raw), "row_checks", message))
            continue
        row_checks.append(RowCheck(kind, params))
    if problems:
        return None, problems
    schema = TableSchema(
        name=str(document["name"]),
        path=str(document["path"]),
        title=str(document.get("title") or document["name"]),
        description=" ".join(str(document.get("description") or "").split()),
        primary_key=tuple(primary_key),
        fields=tuple(fields),
        unique=tuple(tuple(group) for group in unique),
        foreign_keys=tuple(foreign_keys),
        row_checks=tuple(row_checks),
        schema_file=path,
    )
    return schema, problems
