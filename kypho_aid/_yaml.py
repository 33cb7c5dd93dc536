"""YAML data files: a safe loader that keeps line numbers, hazard bounds, and YAML tables.

Kept apart from :mod:`kypho_aid._files` because PyYAML costs ~10 ms to import, which a
kernel that loads the knowledge base from its snapshot (:mod:`kypho_aid.snapshot`) never pays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kypho_aid._files import LineDict, RawRow, RawTable, read_text
from kypho_aid.model import LIST_SEPARATOR, Problem

# libyaml's C parser when PyYAML has it (about ten times faster), else the pure-Python one.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe YAML loader that remembers where each mapping and key starts."""

    duplicate_keys: list[tuple[int, str]]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key)
        if key in result:
            loader.duplicate_keys.append((key_node.start_mark.line + 1, key))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text here: the schema's date type checks them, so that an impossible date
# (2026-13-45) becomes a located problem instead of a ValueError from PyYAML.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


#: Bounds on what a data file may ask of the YAML parser: knowledge-base files nest a few
#: levels and hold short numbers, and none needs an alias (``*name``), which is how a few
#: hundred bytes expand into billions of values ("billion laughs").
MAX_YAML_DEPTH = 50
MAX_NUMBER_CHARACTERS = 100
_INT_TAG = "tag:yaml.org,2002:int"


def _yaml_hazard(text: str) -> tuple[int, str, str] | None:
    """Find the first alias, over-deep nesting or over-long number in ``text``.

    Reads the event stream only (libyaml, without building anything), so that a hostile
    file is refused in milliseconds. Returns (line, column, message), where the column is
    the key the value belongs to, or ``character N``; None when the text is safe to load
    (a syntax error is left for the loader to report).
    """
    loader = _LineLoader(text)
    # one entry per open collection: [is a mapping, expecting a key, the current key]
    stack: list[list[Any]] = []
    try:
        while (event := loader.get_event()) is not None:
            mark = event.start_mark
            key = next((entry[2] for entry in reversed(stack) if entry[0] and entry[2]), None)
            where = (mark.line + 1, key or f"character {mark.column + 1}")
            in_key = bool(stack) and stack[-1][0] and stack[-1][1]
            if isinstance(event, yaml.AliasEvent):
                return (
                    *where,
                    f"YAML alias *{event.anchor} is not allowed in data files; write the value out",
                )
            if isinstance(event, yaml.ScalarEvent):
                if (
                    not event.style  # plain: libyaml gives '', PyYAML None
                    and len(event.value) > MAX_NUMBER_CHARACTERS
                    and loader.resolve(yaml.ScalarNode, event.value, (True, False)) == _INT_TAG
                ):
                    return (
                        *where,
                        f"a number {len(event.value)} characters long; numbers in data files "
                        f"have at most {MAX_NUMBER_CHARACTERS}",
                    )
                if in_key:
                    stack[-1][2] = event.value
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_YAML_DEPTH:
                    return (
                        *where,
                        f"nested more than {MAX_YAML_DEPTH} levels deep; "
                        "data files need only a few levels",
                    )
                stack.append([isinstance(event, yaml.MappingStartEvent), True, None])
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
            if stack and stack[-1][0]:
                stack[-1][1] = not stack[-1][1]
                if stack[-1][1]:
                    stack[-1][2] = None
    except yaml.YAMLError:
        return None  # a syntax error: the loader reports it with its own location
    finally:
        loader.dispose()
    return None


def load_yaml(path: Path, shown: str, first_key: str) -> tuple[Any, list[Problem]]:
    """Parse a YAML file; mappings come back as :class:`LineDict` with line numbers."""
    text, problems = read_text(path, shown, first_key)
    if text is None:
        return None, problems
    hazard = _yaml_hazard(text)
    if hazard is not None:
        return None, [Problem(shown, *hazard)]
    loader = _LineLoader(text)
    loader.duplicate_keys = []
    try:
        document = loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        # Point at the construct left open (context) when there is one: that is where the
        # mistake usually is; the parser only notices it further down.
        opened = err.context_mark is not None and any(
            w in (err.context or "") for w in ("flow", "quoted")
        )
        mark = err.context_mark if opened else err.problem_mark
        line = mark.line + 1 if mark else 1
        column = f"character {mark.column + 1}" if mark else "character 1"
        reason = err.problem or err.context or "syntax error"
        if opened and err.problem_mark and mark and err.problem_mark.line != mark.line:
            reason += f" (noticed at line {err.problem_mark.line + 1}; {err.context} starts here)"
        return None, [Problem(shown, line, column, f"malformed YAML: {reason}")]
    except (yaml.YAMLError, ValueError, TypeError) as err:
        return None, [Problem(shown, 1, first_key, f"malformed YAML: {err}")]
    finally:
        loader.dispose()
    for line, key in loader.duplicate_keys:
        problems.append(Problem(shown, line, key, f"key {key!r} appears twice in one record"))
    return document, problems


def _cell_text(value: Any) -> str:
    """Turn a YAML scalar (or a list of them) into the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell_text(item) for item in value)
    return str(value).strip() if isinstance(value, str) else str(value)


def read_yaml_table(
    path: Path, shown: str, expected: tuple[str, ...]
) -> tuple[RawTable | None, list[Problem]]:
    """Read a YAML file holding one record (a mapping) or a list of records."""
    first = expected[0] if expected else "-"
    document, problems = load_yaml(path, shown, first)
    if document is None:
        return None, problems or [Problem(shown, 1, first, "file holds no records")]
    records = [document] if isinstance(document, dict) else document
    if not isinstance(records, list):
        return None, [
            Problem(shown, 1, first, "expected a list of records or one record (a mapping)")
        ]
    header = list(expected)
    rows: list[RawRow] = []
    for index, record in enumerate(records, start=1):
        if not isinstance(record, LineDict):
            problems.append(
                Problem(shown, 1, first, f"record {index} is not a mapping of column: value")
            )
            continue
        values: dict[str, str] = {}
        for key, value in record.items():
            if isinstance(value, dict):
                problems.append(
                    Problem(
                        shown, record.line_of(key), key, "expected a single value, found a mapping"
                    )
                )
                continue
            values[key] = _cell_text(value)
            if key not in header:
                header.append(key)
        rows.append(RawRow(record.line, values, key_lines=dict(record.key_lines)))
    return RawTable(tuple(header), tuple(rows)), problems
