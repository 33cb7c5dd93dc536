"""Student exercises: every check marks a right answer right, a wrong one "Not yet" with a
reason, and bad input with a message instead of an exception.

Expected answers are read here straight from the CSV files with the standard library, not
through the helpers the checks use, so a check that reads the wrong column fails.
"""

from __future__ import annotations

import ast
import csv
import json
import math
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml

import kypho_aid
from kypho_aid import exercises
from kypho_aid.exercises import Feedback

from .conftest import DATA, ROOT


def read_csv(name: str, data: Path = DATA) -> list[dict[str, str]]:
    with (data / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def figure(figure_id: str) -> dict[str, str]:
    return next(r for r in read_csv("outcome_figures") if r["figure_id"] == figure_id)


def counted(outcome: str, option: str, source_id: str, data: Path = DATA) -> float:
    """The count of the one frequency figure for an outcome, option and source."""
    (row,) = [
        r
        for r in read_csv("outcome_figures", data)
        if r["outcome"] == outcome
        and r["option_id"] == option
        and r["kind"] == "frequency"
        and r["events"]
        and source_id in r["source_ids"].split(";")
    ]
    return float(row["events"])


CHECKS: list[Callable[..., Feedback]] = [
    exercises.check_difference,
    exercises.check_source,
    exercises.check_comparison,
    exercises.check_sham,
    exercises.check_certainty,
]
QUESTIONS = [
    exercises.difference_question,
    exercises.source_question,
    exercises.comparison_question,
    exercises.sham_question,
    exercises.certainty_question,
]


class Hostile:
    """An answer whose every dunder fails: repr, str, len, iteration, float."""

    def __repr__(self) -> str:
        raise RuntimeError("repr")

    def __str__(self) -> str:
        raise RuntimeError("str")

    def __len__(self) -> int:
        raise RuntimeError("len")

    def __iter__(self) -> object:
        raise RuntimeError("iter")

    def __float__(self) -> float:
        raise RuntimeError("float")


MALFORMED = [
    None,
    float("nan"),
    pd.NA,
    math.inf,
    True,
    "",
    "   ",
    "<script>alert(1)</script>",
    "x" * 100_000,
    "\x00\n\t",
    10**5000,
    [],
    {},
    (None, None),
    object(),
    Hostile(),
    pd.Series([1.0, 2.0]),
    pd.DataFrame(),
]


# --- the result object -------------------------------------------------------------------


def test_feedback_prints_right_or_not_yet() -> None:
    assert str(Feedback(True, "well done.")) == "Right: well done."
    assert str(Feedback(False, "look again.")) == "Not yet: look again."
    with pytest.raises(AttributeError):
        Feedback(True, "x").correct = False  # type: ignore[misc]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", MALFORMED, ids=lambda a: type(a).__name__)
def test_malformed_answers_get_not_yet_never_an_exception(
    check: Callable[..., Feedback], answer: object
) -> None:
    result = check(answer)
    assert isinstance(result, Feedback) and not result.correct
    text = str(result)
    assert text.startswith("Not yet: ") and "Traceback" not in text
    assert len(text) < 600, "a hostile answer is cut short in the message"
    assert "\x00" not in text and "x" * 100 not in text


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_no_answer_says_so(check: Callable[..., Feedback]) -> None:
    assert str(check(None)).startswith("Not yet: no answer yet. Expected ")


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.__name__)
def test_questions_name_their_check_and_sources(question: Callable[..., object]) -> None:
    asked = question()
    assert isinstance(asked, exercises.Question)
    assert asked.exercise in exercises.__all__ and str(asked) == asked.text
    known = {r["source_id"] for r in read_csv("sources")}
    assert asked.ids and asked.source_ids and set(asked.source_ids) <= known


def test_the_module_is_pure_python_and_pandas() -> None:
    tree = ast.parse((ROOT / "kypho_aid" / "exercises.py").read_text(encoding="utf-8"))
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
    }
    assert not imported & {"matplotlib", "ipywidgets", "IPython"}
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, kypho_aid.exercises as e; e.check_comparison(None);"
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


# --- a: a difference out of 100 ----------------------------------------------------------

PAPA = {
    "outcome": "new_fracture",
    "option": "kyphoplasty",
    "reference": "non_surgical",
    "source_id": "PAPA2012",
}


def test_difference_right_answer_within_rounding() -> None:
    expected = counted("new_fracture", "kyphoplasty", "PAPA2012") - counted(
        "new_fracture", "non_surgical", "PAPA2012"
    )
    for answer in (expected, int(expected), expected + 0.4, str(expected)):
        result = exercises.check_difference(answer)
        assert result.correct, result
    message = exercises.check_difference(expected).message
    assert "out of 100" in message and "How sure we can be: low" in message
    assert exercises.check_difference(expected, **PAPA).correct


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda e, a, b: -e, "sign"),
        (lambda e, a, b: e / 100, "proportion"),
        (lambda e, a, b: a / b, "ratio"),
        (lambda e, a, b: b, "one option's figure"),
        (lambda e, a, b: e + 3, "is not the difference"),
    ],
    ids=["sign", "proportion", "ratio", "one-figure", "off"],
)
def test_difference_wrong_answers_say_what_to_look_at(
    wrong: Callable[[float, float, float], float], says: str
) -> None:
    a = counted("new_fracture", "kyphoplasty", "PAPA2012")
    b = counted("new_fracture", "non_surgical", "PAPA2012")
    result = exercises.check_difference(wrong(a - b, a, b))
    assert not result.correct and says in result.message, result


def test_difference_malformed_names_a_number() -> None:
    for answer in (None, "eleven", math.nan, pd.Series([1.0])):
        result = exercises.check_difference(answer)
        assert not result.correct and "Expected one number out of 100" in result.message


def test_difference_works_out_of_1000_and_for_other_pairs() -> None:
    expected = counted("serious_complications", "kyphoplasty", "KAVIAR") - counted(
        "serious_complications", "vertebroplasty", "KAVIAR"
    )
    params = {
        "outcome": "serious_complications",
        "option": "kyphoplasty",
        "reference": "vertebroplasty",
        "source_id": "KAVIAR",
    }
    assert "out of 1000" in exercises.difference_question(**params).text
    assert exercises.check_difference(expected, **params).correct
    assert not exercises.check_difference(expected / 10, **params).correct


def test_difference_follows_the_data(data_copy: Path) -> None:
    path = data_copy / "outcome_figures.csv"
    rows = read_csv("outcome_figures", data_copy)
    fields = list(rows[0])
    old = counted("new_fracture", "kyphoplasty", "PAPA2012", data_copy)
    for row in rows:
        if row["figure_id"] == exercises.difference_question().ids[0]:
            row["events"] = f"{old + 5:g}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    expected = counted("new_fracture", "kyphoplasty", "PAPA2012", data_copy) - counted(
        "new_fracture", "non_surgical", "PAPA2012", data_copy
    )
    assert exercises.check_difference(expected, data_dir=data_copy).correct
    assert not exercises.check_difference(expected - 5, data_dir=data_copy).correct


def test_difference_setup_errors_are_the_authors_and_raise() -> None:
    with pytest.raises(kypho_aid.UnknownTopicError, match="one figure with a count"):
        exercises.check_difference(0, outcome="cost")


# --- b: the source and locator of a figure -----------------------------------------------


def test_source_right_answers() -> None:
    row = figure("O024")
    source, locator = row["source_ids"], row["locators"]
    for answer in (
        (source, locator),
        [source.lower(), f"  {locator.upper()} "],
        {"source_id": source, "locator": locator},
        pd.Series({"source_ids": source, "locators": locator}),
    ):
        result = exercises.check_source(answer, row_id="O024")
        assert result.correct, (answer, result)
    assert source in exercises.check_source((source, locator), row_id="O024").message


def test_source_of_an_evidence_row_and_of_a_row_with_two_sources() -> None:
    evidence = next(r for r in read_csv("outcomes") if r["outcome_id"] == "E023")
    assert exercises.check_source((evidence["source_ids"], evidence["locators"]), row_id="E023")
    two = next(r for r in read_csv("outcome_figures") if ";" in r["source_ids"])
    ids, places = two["source_ids"].split(";"), two["locators"].split(";")
    row_id = two["figure_id"]
    assert exercises.check_source((ids[1], places[1]), row_id=row_id).correct
    assert exercises.check_source((two["source_ids"], two["locators"]), row_id=row_id).correct
    crossed = exercises.check_source((ids[0], places[1]), row_id=row_id)
    assert not crossed.correct


def test_source_wrong_answers_say_which_half_is_wrong() -> None:
    row = figure("O024")
    other = next(r["source_id"] for r in read_csv("sources") if r["source_id"] != row["source_ids"])
    title = next(r["title"] for r in read_csv("sources") if r["source_id"] == row["source_ids"])
    cases = [
        ((row["source_ids"], "Chapter nine"), "is right, but"),
        ((other, row["locators"]), "the locator is right"),
        ((title, row["locators"]), "the locator is right"),
        ((title, "somewhere"), "title"),
        ((other, "somewhere"), "not the one this row cites"),
        (("NO_SUCH_SOURCE", "somewhere"), "not a source id"),
        (row["source_ids"], "now give the locator"),
    ]
    for answer, says in cases:
        result = exercises.check_source(answer, row_id="O024")
        assert not result.correct and says in result.message, (answer, result)


def test_source_malformed_names_a_pair() -> None:
    for answer in (None, 42, (1, 2), ("a", "b", "c"), {"source": "x"}):
        result = exercises.check_source(answer)
        assert not result.correct
        assert "(source id, locator)" in result.message or "should be text" in result.message


# --- c: a comparison for chosen topics ---------------------------------------------------

TOPICS = ["procedure_day", "afterwards"]


def attribute_ids(topics: list[str]) -> list[str]:
    return [r["attribute_id"] for r in read_csv("attributes") if r["topic"] in topics]


def option_ids() -> list[str]:
    return [r["option_id"] for r in read_csv("options")]


def test_comparison_right_answers() -> None:
    table = kypho_aid.compare(topics=TOPICS)
    by_hand = pd.DataFrame("x", index=attribute_ids(TOPICS), columns=option_ids())
    for answer in (table, table.data, table.labelled(), by_hand):
        result = exercises.check_comparison(answer, topics=TOPICS)
        assert result.correct, result
    assert f"{len(attribute_ids(TOPICS))} rows" in exercises.check_comparison(table).message
    one = kypho_aid.compare(topics="how_it_works")
    assert exercises.check_comparison(one, topics="how_it_works").correct


def test_comparison_without_non_surgical_care_is_not_yet() -> None:
    procedures = [o for o in option_ids() if o != "non_surgical"]
    result = exercises.check_comparison(kypho_aid.compare(procedures, topics=TOPICS))
    assert not result.correct and "non-surgical care" in result.message
    assert "care without a procedure" in result.message


def test_comparison_with_other_topics_is_not_yet() -> None:
    too_many = exercises.check_comparison(kypho_aid.compare())
    assert not too_many.correct and "rows from other topics" in too_many.message
    too_few = exercises.check_comparison(kypho_aid.compare(topics=TOPICS[:1]))
    assert not too_few.correct and "rows are missing" in too_few.message
    extra = kypho_aid.compare(topics=TOPICS).data.assign(score="x")
    assert "not options" in exercises.check_comparison(extra).message


def test_comparison_malformed_names_the_table() -> None:
    for answer in (None, "compare", [1, 2], {"a": 1}):
        result = exercises.check_comparison(answer)
        assert not result.correct and "kypho_aid.compare" in result.message


# --- d: why a sham-controlled trial matters ----------------------------------------------


def test_sham_right_answer_explains_from_the_data() -> None:
    labels = {r["option_id"]: r["label"] for r in read_csv("options")}
    tested = {
        labels[r["option_id"]]
        for r in read_csv("outcome_figures")
        if r["design"] == "sham_controlled_rct"
    }
    quiz = next(r for r in read_csv("quiz") if r["question_id"] == "K02")
    right = [letter for letter in exercises.SHAM_CHOICES if exercises.check_sham(letter).correct]
    assert right == [exercises.SHAM_ANSWER]
    text = exercises.SHAM_CHOICES[exercises.SHAM_ANSWER][0]
    for answer in (exercises.SHAM_ANSWER, exercises.SHAM_ANSWER.upper() + ")", text):
        result = exercises.check_sham(answer)
        assert result.correct and quiz["explanation"] in result.message
        assert all(label in result.message for label in tested)


def test_sham_wrong_answers_each_say_why() -> None:
    messages = {
        exercises.check_sham(letter).message
        for letter in exercises.SHAM_CHOICES
        if letter != exercises.SHAM_ANSWER
    }
    assert len(messages) == len(exercises.SHAM_CHOICES) - 1
    assert all("is not the reason" in m for m in messages)


def test_sham_malformed_names_the_letters() -> None:
    for answer in (None, "z", "all of them", 2):
        result = exercises.check_sham(answer)
        assert not result.correct and "Expected one letter" in result.message


# --- e: how sure we can be ---------------------------------------------------------------


def certainty_levels() -> list[str]:
    schema = yaml.safe_load((DATA / "outcome_figures.schema.yaml").read_text(encoding="utf-8"))
    return next(f["enum"] for f in schema["fields"] if f["name"] == "certainty")


def test_certainty_right_answer() -> None:
    level = figure("O007")["certainty"]
    for answer in (level, level.upper(), level.replace("_", " ")):
        result = exercises.check_certainty(answer, figure_id="O007")
        assert result.correct, result
    assert "How sure we can be" in exercises.check_certainty(level).message


def test_certainty_wrong_level_points_to_the_column() -> None:
    level = figure("O007")["certainty"]
    for other in (x for x in certainty_levels() if x != level):
        result = exercises.check_certainty(other.replace("_", " "), figure_id="O007")
        assert not result.correct and "certainty column" in result.message


def test_certainty_malformed_lists_the_levels() -> None:
    for answer in (None, "sure", 3):
        result = exercises.check_certainty(answer)
        assert not result.correct and "Expected one of: high" in result.message


# --- the notebooks -----------------------------------------------------------------------


def notebook(name: str) -> tuple[str, str]:
    """A stored notebook's code, and everything its outputs print."""
    cells = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    printed = "".join("".join(o.get("text", "")) for c in cells for o in c.get("outputs", []))
    return code, printed


def printed_marks(name: str) -> tuple[int, list[str]]:
    """How many checks a notebook calls, and every mark its stored outputs print."""
    code, printed = notebook(name)
    calls = len(re.findall(r"exercises\.check_\w+\(", code))
    return calls, re.findall(r"^(Right|Not yet):", printed, flags=re.M)


def test_the_solutions_notebook_gets_every_check_right() -> None:
    calls, marks = printed_marks("08-exercise-solutions")
    assert calls >= len(CHECKS) and marks == ["Right"] * calls


def test_the_exercises_notebook_leaves_every_answer_to_the_student() -> None:
    calls, marks = printed_marks("07-exercises")
    assert calls >= len(CHECKS) and marks == ["Not yet"] * calls
    code, _ = notebook("07-exercises")
    assert code.count("answer = None  # your turn") == calls
