"""Validation: the real data is clean; every broken copy in tests/broken_data fails precisely."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kypho_aid
from kypho_aid._files import CsvSyntaxError, KeyLines, LineDict, RawRow, csv_records
from kypho_aid.exceptions import DataValidationError
from kypho_aid.model import Problem
from kypho_aid.validation import TypedRow

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
    if ": " in expected:  # the case gives the whole line, message and all
        assert f"data/{expected}" in lines, f"expected data/{expected}, got:\n{result.stdout}"
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


def _located(problems: list[Problem]) -> list[tuple[str, int, str]]:
    return [(Path(p.file).name, p.row, p.column) for p in problems]


def test_csv_records_count_cells_as_the_parser_does() -> None:
    text = 'a,b\n"x, y",z\n"two\nlines",w\n\nlast,one\n'
    assert list(csv_records(text)) == [
        (1, ["a", "b"]),
        (2, ["x, y", "z"]),
        (3, ["two\nlines", "w"]),
        (5, []),
        (6, ["last", "one"]),
    ]
    with pytest.raises(CsvSyntaxError) as caught:
        list(csv_records('a,b\n1,2\n3,"4\n'))
    assert caught.value.line == 3


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("signs of infection.", "signs of infection (caf\xe9).", "meaning"),
        ("or higher, swelling", "or higher, caf\xe9 swelling", "sign"),
        ("could mean you have", "could mean caf\xe9 you have", "locators"),
        ("W001,", "W\xe901,", "sign_id"),
    ],
)
def test_a_bad_byte_is_located_in_the_cell_the_parser_reads(
    data_copy: Path, old: str, new: str, column: str
) -> None:
    """Commas inside a quoted cell do not shift the column of a byte that is not UTF-8."""
    path = data_copy / "warning_signs.csv"
    lines = path.read_bytes().split(b"\n")
    assert lines[1].startswith(b'W001,kyphoplasty;vertebroplasty,"A fever of')
    lines[1] = lines[1].replace(old.encode("utf-8"), new.encode("latin-1"), 1)
    path.write_bytes(b"\n".join(lines))
    problems = kypho_aid.validate(data_copy)
    assert _located(problems) == [("warning_signs.csv", 2, column)]
    assert problems[0].message == "not valid UTF-8 (byte 0xe9); save the file with UTF-8 encoding"


def test_a_bad_byte_in_a_cell_over_two_lines_names_its_line_and_column(data_copy: Path) -> None:
    path = data_copy / "warning_signs.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "These may be signs of infection.", '"These may be\nsigns of infection."', 1
    )
    path.write_bytes(
        text.encode("utf-8").replace(b"signs of infection.", b"signs of inf\xe9ction.", 1)
    )
    problems = kypho_aid.validate(data_copy)
    assert _located(problems) == [("warning_signs.csv", 3, "meaning")]


def test_every_row_kind_shares_one_line_of() -> None:
    for kind in (LineDict, RawRow, TypedRow):
        assert issubclass(kind, KeyLines) and kind.line_of is KeyLines.line_of
    row = RawRow(7, {"a": "1", "b": "2"}, key_lines={"b": 9})
    assert (row.line_of("a"), row.line_of("b")) == (7, 9)


def test_a_yaml_row_check_points_at_the_key_line(data_copy: Path) -> None:
    path = data_copy / "content.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("reviewed_on:"))
    assert not lines[index - 1].startswith(("#", "reviewed_on"))  # the record starts above
    lines[index] = "reviewed_on: 2099-01-01\n"
    path.write_text("".join(lines), encoding="utf-8")
    problems = kypho_aid.validate(data_copy)
    assert _located(problems) == [("content.yaml", index + 1, "reviewed_on")]


def test_a_yaml_duplicate_points_at_the_key_line(data_copy: Path) -> None:
    path = data_copy / "glossary.yaml"
    text = path.read_text(encoding="utf-8")
    record = (
        "- also_called: again\n  term: spine\n  definition: Twice.\n"
        "  source_ids: 003_1a4094df61c33b9c.txt\n  locators: stacked together\n"
    )
    path.write_text(text + record, encoding="utf-8")
    problems = kypho_aid.validate(data_copy)
    last = len(text.splitlines())
    assert _located(problems) == [("glossary.yaml", 1, "-"), ("glossary.yaml", last + 2, "term")]
    assert problems[0].message.endswith(
        "(references from jargon.csv); they run once this file is fixed"
    )
    assert problems[1].message == "duplicate key 'spine' (first used on row 7)"


def test_a_header_only_table_is_one_error_in_itself(data_copy: Path) -> None:
    path = data_copy / "options.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    problems = kypho_aid.validate(data_copy)
    assert _located(problems) == [("options.csv", 1, "-"), ("options.csv", 1, "option_id")]
    assert problems[1].message == "the table has a header but no rows; add its rows"
    note = re.fullmatch(
        r"(\d+) checks that depend on options were skipped \(references from comparison.csv, "
        r"faq.csv, outcome_gaps.csv, risks.csv, screening_rules.csv, steps.csv\); "
        r"they run once this file is fixed",
        problems[0].message,
    )
    assert note is not None and int(note.group(1)) > 100, problems[0].message
    for name in ("options", "risks"):
        with pytest.raises(DataValidationError) as caught:
            kypho_aid.load_dataset(name, data_dir=data_copy)
        assert str(problems[1]).split(": ")[1:] == str(caught.value.problems[0]).split(": ")[1:]


def test_an_empty_yaml_list_is_one_error_and_one_note(data_copy: Path) -> None:
    (data_copy / "glossary.yaml").write_text("[]\n", encoding="utf-8")
    problems = kypho_aid.validate(data_copy)
    assert [str(p).split(":", 1)[1] for p in problems] == [
        "1:-: 40 checks that depend on glossary were skipped (references from jargon.csv); "
        "they run once this file is fixed",
        "1:term: the table holds no records; add its rows",
    ]


@pytest.mark.parametrize(
    ("option", "row"), [("kyphoplasty", 3), ("vertebroplasty", 3), ("non_surgical", 4)]
)
def test_a_reworded_question_points_at_the_first_row_that_differs(
    data_copy: Path, option: str, row: int
) -> None:
    path = data_copy / "faq.csv"
    text = path.read_text(encoding="utf-8")
    line = f"F01,Will it hurt? Will I be awake?,{option},"
    assert line in text
    path.write_text(text.replace(line, line.replace("awake", "asleep"), 1), encoding="utf-8")
    problems = kypho_aid.validate(data_copy)
    assert _located(problems) == [("faq.csv", row, "question")]
    assert problems[0].message == (
        "question F01 is worded differently here than on row 2; use one wording"
    )


def test_a_stray_quote_after_a_quoted_comma_names_its_cell(data_copy: Path) -> None:
    path = data_copy / "warning_signs.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            ",These may be signs of infection.,", ',"These may be signs of infection.,', 1
        ),
        encoding="utf-8",
    )
    problems = kypho_aid.validate(data_copy)
    assert _located(problems) == [("warning_signs.csv", 2, "meaning")]
    assert problems[0].message.startswith("malformed CSV (")
