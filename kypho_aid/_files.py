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

from kypho_aid._values import display_value as display_value  # re-exported: kept importable here
from kypho_aid.exceptions import DataDirError
from kypho_aid.model import Problem

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


def file_stamp(path: Path) -> tuple[int, int]:
    """(modification time in ns, size) of ``path``; (0, -1) when it cannot be read."""
    try:
        status = path.stat()
    except OSError:
        return (0, -1)
    return (status.st_mtime_ns, status.st_size)


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


class LineDict(dict[str, Any], KeyLines):
    """A mapping from YAML that knows its start line and each key's line."""

    line: int = 0
    key_lines: dict[str, int]


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
