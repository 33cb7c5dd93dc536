"""Validation: the real data is clean; every broken copy in tests/broken_data fails precisely."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kypho_aid
from kypho_aid.model import Problem

from .conftest import DATA, ROOT, snapshot

CORPUS = ROOT / "tests" / "broken_data"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def test_the_knowledge_base_is_valid() -> None:
    problems = kypho_aid.validate()
    assert problems == [], "\n".join(map(str, problems))


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 15


def _assemble(case: str, tmp_path: Path) -> Path:
    """data/ with the case's files laid over it, in a scratch folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    for path in (CORPUS / case).iterdir():
        if path.name != "expected.txt":
            shutil.copyfile(path, target / path.name)
    return target


@pytest.mark.parametrize("case", CASES)
def test_broken_copy_fails_with_file_row_and_column(case: str, tmp_path: Path) -> None:
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()[0]
    folder = _assemble(case, tmp_path)
    corpus_before, copy_before = snapshot(CORPUS / case), snapshot(folder)
    result = subprocess.run(
        [sys.executable, "-m", "kypho_aid", "validate", "data"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"data/{expected}") for line in lines), (
        f"expected data/{expected}…, got:\n{result.stdout}"
    )
    assert snapshot(folder) == copy_before, "validation changed a file"
    assert snapshot(CORPUS / case) == corpus_before


def test_problems_print_as_file_row_column_message() -> None:
    assert (
        str(Problem("data/risks.csv", 4, "source_ids", "unknown"))
        == "data/risks.csv:4:source_ids: unknown"
    )


def test_validate_reports_every_problem_sorted(data_copy: Path) -> None:
    path = data_copy / "attributes.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(",true,4", ",perhaps,4").replace(",false,6", ",false,six"), encoding="utf-8"
    )
    problems = kypho_aid.validate(data_copy)
    located = [(p.row, p.column) for p in problems if p.file.endswith("attributes.csv")]
    assert located == [(5, "core"), (7, "order")]


def test_a_file_without_schema_is_reported(data_copy: Path) -> None:
    (data_copy / "stray.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    problems = kypho_aid.validate(data_copy)
    assert [str(p) for p in problems] == [
        f"{data_copy / 'stray.csv'}:1:-: no schema describes this file; add stray.schema.yaml"
    ]


def test_only_kyphoplasty_steps_may_show_a_balloon(data_copy: Path) -> None:
    path = data_copy / "steps.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    elements = rows[0].index("elements")
    index = next(
        i for i, row in enumerate(rows) if row[1] == "vertebroplasty" and "needle" in row[elements]
    )
    rows[index][elements] += ";balloon"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    problems = kypho_aid.validate(data_copy)
    assert [(p.row, p.column) for p in problems] == [(index + 1, "elements")]
    assert problems[0].message == "balloon belong only to kyphoplasty steps"


def test_faq_must_answer_every_option(data_copy: Path) -> None:
    path = data_copy / "faq.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if ",non_surgical," in line)
    del lines[index]
    path.write_text("".join(lines), encoding="utf-8")
    messages = [p.message for p in kypho_aid.validate(data_copy)]
    assert any("has no answer for 'non_surgical'" in m for m in messages)


def test_every_outcome_must_be_told_for_every_option(data_copy: Path) -> None:
    path = data_copy / "outcome_gaps.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("cost,non_surgical,")]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")
    problems = kypho_aid.validate(data_copy)
    assert [(Path(p.file).name, p.column) for p in problems] == [
        ("outcome_definitions.csv", "outcome")
    ]
    assert "outcome 'cost' has no finding for option 'non_surgical'" in problems[0].message


def test_a_gap_beside_a_finding_is_refused(data_copy: Path) -> None:
    path = data_copy / "outcome_gaps.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            'new_fracture,kyphoplasty,no_figure,No figure.,None.,KAVIAR,"Abstract, Results"\n'
        )
    problems = kypho_aid.validate(data_copy)
    assert [(p.row, p.column) for p in problems] == [
        (len(path.read_text().splitlines()), "option_id")
    ]
    assert "remove this gap" in problems[0].message


def test_a_rate_must_match_its_counts(data_copy: Path) -> None:
    path = data_copy / "findings.csv"
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("SF022,"))
    path.write_text(
        text.replace(line, line.replace(",100,16,25,", ",100,18,25,", 1)), encoding="utf-8"
    )
    problems = kypho_aid.validate(data_copy)
    assert [(p.row, p.column) for p in problems] == [(23, "intervention_per")]
    assert "does not match 15/91 = 16.5 out of 100" in problems[0].message


def test_links_out_of_the_data_folder_are_refused_unread(data_copy: Path) -> None:
    """A data or schema file that links outside data/ is an error; nothing it holds is shown."""
    outside = data_copy.parent / "outside.csv"
    outside.write_text("SECRET-MARKER,x\nSECRET-MARKER,y\n", encoding="utf-8")
    for name in ("options.csv", "faq.schema.yaml"):
        (data_copy / name).unlink()
        (data_copy / name).symlink_to(outside)
    (data_copy / "quiz.csv").unlink()
    (data_copy / "quiz.csv").symlink_to("/etc/passwd")
    before = snapshot(data_copy.parent)
    result = subprocess.run(
        [sys.executable, "-m", "kypho_aid", "validate", "data"],
        cwd=data_copy.parent,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    message = "links outside the data folder; the knowledge base reads only its own files"
    for name in ("faq.schema.yaml", "options.csv", "quiz.csv"):
        assert f"data/{name}:1:-: {message}" in result.stdout.splitlines()
    said = result.stdout + result.stderr
    assert "SECRET-MARKER" not in said and "root:" not in said and "outside.csv" not in said
    assert snapshot(data_copy.parent) == before


def test_a_link_inside_the_data_folder_is_read(data_copy: Path) -> None:
    (data_copy / "options-real.csv").write_bytes((data_copy / "options.csv").read_bytes())
    (data_copy / "options.csv").unlink()
    (data_copy / "options.csv").symlink_to("options-real.csv")
    problems = kypho_aid.validate(data_copy)
    assert [p.message for p in problems] == [
        "no schema describes this file; add options-real.schema.yaml"
    ]
