"""Shared fixtures: the repository paths, a scratch copy of data/, and file snapshots."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Hash and mtime of every file below ``folder``, to prove nothing was written."""
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(autouse=True)
def _no_data_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KYPHO_AID_DATA", raising=False)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def shared() -> Path:
    """The project's shared/ folder (seeds and evidence); required in CI."""
    if not (SHARED / "seeds").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shared/ is missing beside the checkout ({SHARED}); CI must have it")
        pytest.skip("shared/ (seeds and evidence) is not beside this checkout")
    return SHARED
