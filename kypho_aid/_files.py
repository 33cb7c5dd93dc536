"""Finding the knowledge-base folder and reading its files into raw rows with line numbers.

This module only reads. Integrity problems (no file, empty file, bad encoding, malformed
CSV or YAML, rows of the wrong width) come back as :class:`~kypho_aid.model.Problem`
records that name the file, row and column; nothing here raises on bad content.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from kypho_aid._values import display_value as display_value  # re-exported: kept importable here
from kypho_aid.exceptions import DataDirError
from kypho_aid.model import LIST_SEPARATOR, Problem

ENV_VAR = "KYPHO_AID_DATA"
SCHEMA_SUFFIX = ".schema.yaml"
_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """Return the folder that holds the knowledge base.

    Resolution order: the ``KYPHO_AID_DATA`` environment variable; the ``data/`` folder of
    a source checkout; the copy a wheel carries inside the package.

    Raises
    ------
    DataDirError
        If ``KYPHO_AID_DATA`` names something that is not a folder, or no copy is found.
    """
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override).expanduser()
        if not path.is_dir():
            raise DataDirError(
                f"{ENV_VAR}={override!r} is not a folder; unset it or point it at data/"
            )
        return path
    for candidate in (_PACKAGE.parent / "data", _PACKAGE / "_data"):
        if any(candidate.glob(f"*{SCHEMA_SUFFIX}")):
            return candidate
    raise DataDirError(f"no knowledge base found; set {ENV_VAR} to the data/ folder of kypho-aid")


def display_path(path: Path) -> str:
    """Name ``path`` as a person would type it: relative to the working folder when inside it.

    Only the folder is resolved, so that a link is named as itself, never by where it points.
    """
    try:
        full = path.resolve() if path.name in ("", ".", "..") else path.parent.resolve() / path.name
        return str(full.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class KeyLines:
    """Where a record sits in its file: the line it starts on and, for YAML, each key's line.

    Shared by the rows of every stage (a YAML mapping, a raw row, a typed row), so that a
    problem with one value points at the line that holds it, never at the record's first line.
    """

    line: int
    key_lines: Mapping[str, int]

    def line_of(self, key: str) -> int:
        """The line that holds ``key`` (for a CSV row, the row's own line)."""
        return self.key_lines.get(key, self.line)


V = TypeVar("V")


@dataclass(frozen=True)
class Row(KeyLines, Generic[V]):
    """One record, with the line it starts on (and, for YAML, each key's line): as text in
    :class:`RawRow`, as Python values in :class:`kypho_aid.validation.TypedRow`."""

    line: int
    values: dict[str, V]
    key_lines: Mapping[str, int] = field(default_factory=dict)


class RawRow(Row[str]):
    """One record as text, with the line it starts on (and, for YAML, each key's line)."""


@dataclass(frozen=True)
class RawTable:
    """A data file read into text cells; ``header`` is in file order."""

    header: tuple[str, ...]
    rows: tuple[RawRow, ...]


# libyaml's C parser when PyYAML has it (about ten times faster), else the pure-Python one.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe YAML loader that remembers where each mapping and key starts."""

    duplicate_keys: list[tuple[int, str]]


class LineDict(dict[str, Any], KeyLines):
    """A mapping from YAML that knows its start line and each key's line."""

    line: int = 0
    key_lines: dict[str, int]


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


class CsvSyntaxError(ValueError):
    """A CSV record the parser refuses, with the line the record starts on."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Parse CSV text into records, each with the line it starts on.

    The one place the data files' CSV dialect is set (strict quotes, any line ending), so
    that every check that names a column counts cells exactly as the reader does; a comma
    inside a quoted cell never shifts a column.

    Parameters
    ----------
    text : str
        The whole file, decoded.

    Yields
    ------
    line : int
        The line the record starts on (the header is line 1).
    record : list of str
        The record's cells; empty for a blank line.

    Raises
    ------
    CsvSyntaxError
        At the first record the parser refuses (such as an unclosed quote).
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise CsvSyntaxError(start, str(err)) from None
        yield start, record


#: A byte that is not UTF-8, as ``errors="surrogateescape"`` decodes it.
_UNDECODED = re.compile("[\udc80-\udcff]")


def _printable(text: str) -> str:
    """``text`` with each undecoded byte shown as U+FFFD, so that it can be printed."""
    return _UNDECODED.sub("\ufffd", text)


def _undecoded_column(data: bytes) -> str | None:
    """Name the CSV column that holds the first byte that is not UTF-8.

    Cells are counted by :func:`csv_records`, as the reader counts them. None when the
    parser stops before reaching that byte.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    header: list[str] = []
    try:
        for _, record in csv_records(text):
            if not header:
                header = [_printable(cell.strip()) for cell in record]
            for index, cell in enumerate(record):
                if _UNDECODED.search(cell):
                    return header[index] if index < len(header) else f"field {index + 1}"
    except CsvSyntaxError:
        return None
    return None


def read_text(path: Path, shown: str, first_column: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file; report a missing, empty or wrongly encoded file."""
    if not path.is_file():
        return None, [Problem(shown, 1, first_column, "file is missing")]
    data = path.read_bytes()
    if not data.strip():
        return None, [
            Problem(shown, 1, first_column, "file is empty; it needs at least a header row")
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as err:
        line_start = data.rfind(b"\n", 0, err.start) + 1
        line = data.count(b"\n", 0, err.start) + 1
        prefix = data[line_start : err.start].decode("utf-8", errors="replace")
        column = _undecoded_column(data) if path.suffix == ".csv" else None
        byte = data[err.start : err.start + 1].hex()
        message = f"not valid UTF-8 (byte 0x{byte}); save the file with UTF-8 encoding"
        return None, [Problem(shown, line, column or f"character {len(prefix) + 1}", message)]


def _quote_problem_column(record: str, header: tuple[str, ...]) -> str:
    """Name the column of a malformed CSV record where the parser goes wrong.

    The record is cut at each of its commas in turn; the longest cut that
    :func:`csv_records` still reads holds every cell before the faulty one, counted as the
    reader counts them (a comma inside a quoted cell is no boundary).
    """
    line = record.rstrip("\r\n")
    before = 0
    for cut in (index for index, char in enumerate(line) if char == ","):
        try:
            cells = [len(cells) for _, cells in csv_records(line[:cut])]
        except CsvSyntaxError:
            continue  # the cut falls inside a quoted cell, or after the fault
        before = max(cells, default=1)  # an empty cut is one empty cell
    return header[before] if before < len(header) else f"field {before + 1}"


def read_csv(
    path: Path, shown: str, expected: tuple[str, ...]
) -> tuple[RawTable | None, list[Problem]]:
    """Read a CSV file into text cells keyed by column name."""
    text, problems = read_text(path, shown, expected[0] if expected else "-")
    if text is None:
        return None, problems
    header: tuple[str, ...] = ()
    rows: list[RawRow] = []
    try:
        for start, record in csv_records(text):
            if not header:
                header = tuple(cell.strip() for cell in record)
                continue
            if not record:
                problems.append(Problem(shown, start, header[0], "blank line; remove it"))
                continue
            if len(record) != len(header):
                if len(record) < len(header):
                    column = header[len(record)]
                else:
                    column = f"field {len(header) + 1}"
                message = f"row has {len(record)} fields but the header has {len(header)}; check commas and quotes"
                problems.append(Problem(shown, start, column, message))
                continue
            rows.append(RawRow(start, dict(zip(header, record, strict=True))))
    except CsvSyntaxError as err:
        raw = "".join(text.splitlines(keepends=True)[err.line - 1 : err.line])
        column = _quote_problem_column(raw, header or expected)
        message = f"malformed CSV ({err.reason}); check the quotes on this row"
        return None, [Problem(shown, err.line, column, message)]
    return RawTable(header, tuple(rows)), problems


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
