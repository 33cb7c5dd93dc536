"""Loading the knowledge base: the dataset registry, validated DataFrames and ``validate()``.

The registry is the set of ``<name>.schema.yaml`` files in :func:`data_dir`. A dataset comes
from the folder's snapshot when it is current (:mod:`kypho_aid.snapshot`), else it is read and
checked from its files by :mod:`kypho_aid.loading`, which takes dtypes, categories and their
order from the schema, so no loader has per-name special cases. Reading never writes.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from kypho_aid._files import SCHEMA_SUFFIX, data_dir
from kypho_aid.exceptions import DataValidationError, UnknownDatasetError
from kypho_aid.model import ContentInfo, Problem
from kypho_aid.snapshot import Snapshot, read_snapshot, store_snapshot

__all__ = [
    "content_info",
    "data_dir",
    "describe_dataset",
    "list_datasets",
    "load_dataset",
    "one_reading",
    "option_labels",
    "validate",
    "write_snapshot",
]

_DATA_SUFFIXES = (".csv", ".yaml")


def _directory(directory: str | Path | None) -> Path:
    return data_dir() if directory is None else Path(directory)


#: A knowledge base's fingerprint: each data file's name, modification time and size.
Stamp = tuple[tuple[str, int, int], ...]


def data_key(data_dir: str | Path | None = None) -> tuple[str | None, Stamp]:
    """What a cache built on the knowledge base is keyed on: the folder as given (None for
    the default one) and its :func:`data_stamp`, so an edited file is read again."""
    return (None if data_dir is None else str(data_dir)), data_stamp(data_dir)


def data_stamp(data_dir: str | Path | None = None) -> Stamp:
    """A cheap fingerprint of the knowledge base (names, mtimes, sizes), for caches built on it.

    Inside :func:`one_reading`, each folder is fingerprinted once."""
    folder = _directory(data_dir)
    pinned = _PINNED.get()
    if pinned is None:
        return _scan(folder)
    key = str(folder)
    if key not in pinned:
        pinned[key] = _scan(folder)
    return pinned[key]


def _scan(folder: Path) -> Stamp:
    found = []
    with os.scandir(folder) as entries:  # one pass, no Path per file: asked on every load
        for entry in entries:
            if entry.name.endswith(_DATA_SUFFIXES):
                try:
                    status = entry.stat()
                except OSError:
                    found.append((entry.name, 0, -1))
                else:
                    found.append((entry.name, status.st_mtime_ns, status.st_size))
    return tuple(sorted(found))


#: The folders fingerprinted in the current :func:`one_reading`, or None outside one.
_PINNED: contextvars.ContextVar[dict[str, Stamp] | None] = contextvars.ContextVar(
    "kypho_aid_one_reading", default=None
)


@contextlib.contextmanager
def one_reading() -> Iterator[None]:
    """Within the block, every lookup reads one version of each data folder.

    Each text, table and cached result is keyed on the folder's fingerprint
    (:func:`data_stamp`), which scans the folder: a report or handout that looks up hundreds
    of texts takes the fingerprint once, and a file edited halfway through cannot mix two
    versions into one document. Blocks nest; the outermost one decides.

    Examples
    --------
    >>> with one_reading():
    ...     data_stamp() is data_stamp()
    True
    """
    if _PINNED.get() is not None:
        yield
        return
    token = _PINNED.set({})
    try:
        yield
    finally:
        _PINNED.reset(token)


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
    if isinstance(name, str):
        snapshot = _snapshot(str(folder), data_stamp(folder))
        if snapshot is not None and name in snapshot.tables:
            return snapshot.tables[name].copy()
    from kypho_aid import loading  # the reader and its checks: imported only on a snapshot miss

    return loading.load_checked(_require_name(name, folder), folder)


@functools.lru_cache(maxsize=8)
def _snapshot(folder_name: str, stamp: tuple[tuple[str, int, int], ...]) -> Snapshot | None:
    """The folder's current snapshot; asked again whenever a file's time or size changes."""
    return read_snapshot(Path(folder_name))


def describe_dataset(name: str, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Return the codebook of a dataset: one row per column, from its schema.

    Columns: ``column``, ``type``, ``required``, ``allowed`` (values or pattern or bounds),
    ``audience`` and ``description``. The table's own title and description are in
    ``.attrs["title"]`` and ``.attrs["description"]``. Comes from the folder's snapshot when it
    is current, like :func:`load_dataset`; each call returns a fresh copy.
    """
    folder = _directory(data_dir)
    if isinstance(name, str):
        snapshot = _snapshot(str(folder), data_stamp(folder))
        if snapshot is not None and name in snapshot.codebooks:
            return snapshot.codebooks[name].copy()
    return _codebook(_require_name(name, folder), folder)


def _codebook(name: str, folder: Path) -> pd.DataFrame:
    """The codebook of dataset ``name``, built from its schema file (the slow path)."""
    from kypho_aid import loading  # the reader and its checks: imported only when files are read

    schema = loading.load_schema_checked(name, folder)
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
    from kypho_aid import loading  # the reader and its checks: imported only when files are read

    return loading.check_folder(folder, list_datasets(folder))


def option_labels(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """Each option's id and its name as patients see it, in the order of ``options.csv``."""
    folder = _directory(data_dir)
    return dict(_option_labels(str(folder), data_stamp(folder)))


@functools.lru_cache(maxsize=8)
def _option_labels(
    folder_name: str, stamp: tuple[tuple[str, int, int], ...]
) -> tuple[tuple[str, str], ...]:
    """:func:`option_labels`, read once per version of the data: nearly every view asks."""
    options = load_dataset("options", data_dir=folder_name)
    return tuple(zip(options["option_id"].astype(str), options["label"].astype(str), strict=True))


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


def write_snapshot(data_dir: str | Path | None = None) -> Path:
    """Validate the knowledge base and store its tables as a snapshot (see :mod:`kypho_aid.snapshot`).

    Returns
    -------
    Path
        The snapshot file.

    Raises
    ------
    DataValidationError
        If :func:`validate` finds any problem; then nothing is written.
    """
    folder = _directory(data_dir)
    problems = validate(folder)
    if problems:
        raise DataValidationError(problems)
    from kypho_aid import loading  # the reader and its checks: imported only when files are read

    names = list_datasets(folder)
    tables = {name: loading.load_checked(name, folder) for name in names}
    return store_snapshot(folder, tables, {name: _codebook(name, folder) for name in names})
