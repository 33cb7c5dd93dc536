"""The knowledge-base snapshot: the same tables as reading the files, used only while current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kypho_aid
from kypho_aid import DataValidationError, datasets
from kypho_aid import snapshot as snapshots

from .conftest import DATA, ROOT


@pytest.fixture
def own_snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Snapshots go to a scratch folder, so a test never touches the package's own."""
    folder = tmp_path / "snapshots"
    monkeypatch.setattr(snapshots, "SNAPSHOT_DIR", folder)
    return folder


def _from_files(name: str, folder: Path) -> pd.DataFrame:
    from kypho_aid import loading

    return loading.load_checked(name, folder)


def test_a_snapshot_holds_exactly_what_reading_the_files_gives(
    data_copy: Path, own_snapshots: Path
) -> None:
    written = kypho_aid.write_snapshot(data_copy)
    assert written.parent == own_snapshots
    stored = snapshots.read_snapshot(data_copy)
    assert stored is not None
    assert sorted(stored.tables) == kypho_aid.list_datasets(data_copy)
    assert sorted(stored.codebooks) == kypho_aid.list_datasets(data_copy)
    for name in kypho_aid.list_datasets(data_copy):
        loaded = kypho_aid.load_dataset(name, data_dir=data_copy)
        pd.testing.assert_frame_equal(loaded, _from_files(name, data_copy))
        assert loaded.attrs == {"dataset": name}
        assert loaded is not stored.tables[name]  # a copy: changing it never changes the snapshot
        codebook = kypho_aid.describe_dataset(name, data_dir=data_copy)
        pd.testing.assert_frame_equal(codebook, datasets._codebook(name, data_copy))
        assert codebook.attrs == datasets._codebook(name, data_copy).attrs
        codebook.attrs["title"] = "changed"
        assert kypho_aid.describe_dataset(name, data_dir=data_copy).attrs["title"] != "changed"


def test_editing_one_cell_makes_the_snapshot_stale(data_copy: Path, own_snapshots: Path) -> None:
    kypho_aid.write_snapshot(data_copy)
    options = data_copy / "options.csv"
    text = options.read_text(encoding="utf-8")
    first_label = str(kypho_aid.load_dataset("options", data_dir=data_copy)["label"].iloc[0])
    options.write_text(text.replace(first_label, "Balloon repair", 1), encoding="utf-8")
    assert snapshots.read_snapshot(data_copy) is None
    assert kypho_aid.load_dataset("options", data_dir=data_copy)["label"].iloc[0] == (
        "Balloon repair"
    )


def test_a_change_to_the_reading_code_makes_the_snapshot_stale(
    data_copy: Path, own_snapshots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kypho_aid.write_snapshot(data_copy)
    before = snapshots.snapshot_key(data_copy)
    monkeypatch.setattr(snapshots, "_READERS", (*snapshots._READERS, "cli.py"))
    assert snapshots.snapshot_key(data_copy) != before
    assert snapshots.read_snapshot(data_copy) is None


def test_broken_data_gets_no_snapshot_and_the_old_one_stays(
    data_copy: Path, own_snapshots: Path
) -> None:
    written = kypho_aid.write_snapshot(data_copy)
    before = written.read_bytes()
    risks = data_copy / "risks.csv"
    header, _, rest = risks.read_text(encoding="utf-8").partition("\n")
    risks.write_text(header + "\n" + "not,a,valid,row\n" + rest, encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"risks\.csv:2:"):
        kypho_aid.write_snapshot(data_copy)
    assert written.read_bytes() == before
    assert snapshots.read_snapshot(data_copy) is None  # stale: the folder changed
    with pytest.raises(DataValidationError, match=r"risks\.csv:2:"):
        kypho_aid.load_dataset("risks", data_dir=data_copy)


@pytest.mark.parametrize(
    "damage",
    [b"", b"kypho-aid snapshot 2\n", b"not a snapshot\n", b"kypho-aid snapshot 2\nKEY\n\x80\x05"],
    ids=["empty", "no key", "wrong header", "wrong key"],
)
def test_a_damaged_snapshot_is_ignored(data_copy: Path, own_snapshots: Path, damage: bytes) -> None:
    written = kypho_aid.write_snapshot(data_copy)
    written.write_bytes(damage)
    assert snapshots.read_snapshot(data_copy) is None
    pd.testing.assert_frame_equal(
        kypho_aid.load_dataset("risks", data_dir=data_copy), _from_files("risks", data_copy)
    )


def test_a_truncated_snapshot_with_the_right_key_is_ignored(
    data_copy: Path, own_snapshots: Path
) -> None:
    written = kypho_aid.write_snapshot(data_copy)
    data = written.read_bytes()
    written.write_bytes(data[: len(data) // 2])
    assert snapshots.read_snapshot(data_copy) is None


def test_each_folder_has_its_own_snapshot(data_copy: Path, own_snapshots: Path) -> None:
    assert snapshots.snapshot_path(data_copy) != snapshots.snapshot_path(DATA)
    assert snapshots.snapshot_path(data_copy) == snapshots.snapshot_path(data_copy / ".")


def test_the_command_writes_a_snapshot_only_for_valid_data(
    data_copy: Path, own_snapshots: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kypho_aid.cli import main

    assert main(["snapshot", str(data_copy)]) == 0
    count = len(kypho_aid.list_datasets(data_copy))
    out = capsys.readouterr().out
    assert f"({count} datasets)" in out and "syllable counts" in out
    assert (own_snapshots / "syllables.pickle").exists()
    (data_copy / "options.csv").write_text("option_id\n", encoding="utf-8")
    assert main(["snapshot", str(data_copy)]) == 1
    assert "options.csv" in capsys.readouterr().err


def test_a_kernel_loading_from_the_snapshot_never_imports_the_reader() -> None:
    """What makes a new kernel fast: no YAML parser, no checks, when the snapshot is current."""
    datasets.write_snapshot()  # what make does before anything runs notebooks
    code = (
        "import sys, kypho_aid\n"
        "[kypho_aid.load_dataset(n) for n in kypho_aid.list_datasets()]\n"
        "print(sorted(m for m in ('yaml', 'kypho_aid.loading', 'kypho_aid.validation', "
        "'importlib.metadata') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
