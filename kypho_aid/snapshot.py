"""A snapshot of the checked knowledge base, so a fresh kernel loads it in milliseconds.

Every notebook and every app visitor starts a new Python process that needs all of
``data/``. Reading and checking 30 tables (YAML and CSV parsing, cell checks, references
across tables) costs about a tenth of a second each time; the result never changes until a
file does. So ``python -m kypho_aid snapshot`` (run by ``make setup`` and by every make
target that runs notebooks) validates the whole knowledge base and, only if it has no
problem, stores the loaded tables and their codebooks in ``kypho_aid/_snapshot/``.

A snapshot is used only while it is exactly current, like Python's own bytecode cache: its
key hashes the content of every data file and schema, the code that reads and checks them,
and the Python and pandas versions. Edit one cell and the key no longer matches, so the
tables are read and checked from the files again (and the snapshot is not rewritten until
the command runs again). Reading a snapshot never writes anything; a missing, stale or
damaged snapshot is ignored, never an error.
"""

from __future__ import annotations

import hashlib
import pickle
import platform
import sys
from pathlib import Path
from typing import NamedTuple

import pandas as pd

__all__ = [
    "SNAPSHOT_DIR",
    "Snapshot",
    "read_snapshot",
    "snapshot_key",
    "snapshot_path",
    "store_snapshot",
]

_PACKAGE = Path(__file__).resolve().parent
#: Where snapshots are kept (ignored by git): one file per data folder.
SNAPSHOT_DIR = _PACKAGE / "_snapshot"
#: The modules whose code decides what a table loads as: a change to one makes snapshots stale.
_READERS = (
    "_files.py",
    "_values.py",
    "_yaml.py",
    "datasets.py",
    "exceptions.py",
    "loading.py",
    "model.py",
    "profile.py",
    "schema.py",
    "snapshot.py",
    "validation/__init__.py",
    "validation/checks.py",
    "validation/rules.py",
)
_MAGIC = b"kypho-aid snapshot 2\n"


class Snapshot(NamedTuple):
    """What a snapshot holds: each dataset's table and its codebook, both by dataset name."""

    tables: dict[str, pd.DataFrame]
    codebooks: dict[str, pd.DataFrame]


def snapshot_path(folder: Path) -> Path:
    """The snapshot file for the data folder ``folder`` (one per folder, by its real path)."""
    name = hashlib.blake2b(str(folder.resolve()).encode(), digest_size=8).hexdigest()
    return SNAPSHOT_DIR / f"{name}.pickle"


def snapshot_key(folder: Path) -> bytes:
    """A hash of everything a loaded table depends on: the files' bytes, the readers, versions."""
    digest = hashlib.blake2b(digest_size=32)
    for part in (sys.version, platform.machine(), pd.__version__):
        digest.update(part.encode() + b"\0")
    for name in _READERS:
        digest.update(name.encode() + b"\0" + (_PACKAGE / name).read_bytes() + b"\0")
    for path in sorted(folder.iterdir()):
        if path.suffix in (".csv", ".yaml"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest().encode()


def _frames(found: object) -> bool:
    return isinstance(found, dict) and all(
        isinstance(frame, pd.DataFrame) for frame in found.values()
    )


def read_snapshot(folder: Path) -> Snapshot | None:
    """The tables and codebooks of ``folder`` from its snapshot, or None when none is current."""
    try:
        with snapshot_path(folder).open("rb") as stream:
            if stream.readline() != _MAGIC or stream.readline().rstrip() != snapshot_key(folder):
                return None
            found = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    if not (isinstance(found, tuple) and len(found) == 2 and all(_frames(f) for f in found)):
        return None
    return Snapshot(*found)


def store_snapshot(
    folder: Path, tables: dict[str, pd.DataFrame], codebooks: dict[str, pd.DataFrame]
) -> Path:
    """Store ``tables`` and ``codebooks``, loaded and checked from ``folder``, as its snapshot.

    Returns the file written.

    Only :func:`kypho_aid.datasets.write_snapshot` calls this, after a clean validation. The
    file is replaced atomically: a reader sees the old snapshot or the new one, never half.
    """
    key = snapshot_key(folder)
    target = snapshot_path(folder)
    target.parent.mkdir(exist_ok=True)
    partial = target.with_suffix(".partial")
    payload = pickle.dumps((tables, codebooks), protocol=pickle.HIGHEST_PROTOCOL)
    partial.write_bytes(_MAGIC + key + b"\n" + payload)
    partial.replace(target)
    return target
