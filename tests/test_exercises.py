"""Student exercises: every check marks a right answer right, a wrong one "Not yet" with a
reason, and bad input with a message instead of an exception; a bad setting raises naming
its argument.

Expected answers are read here straight from the CSV files (``findings``, ``comparisons``,
``outcomes``) with the standard library, not through the helpers the checks use, so a check
that reads the wrong column fails. Every exercise works on one finding: a difference is
always between the two arms of one row.
"""

from __future__ import annotations

import ast
import csv
import json
import math
import os
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
from kypho_aid.findings import summary_of_findings

from .conftest import DATA, ROOT


def read_csv(name: str, data: Path = DATA) -> list[dict[str, str]]:
    with (data / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def finding(finding_id: str, data: Path = DATA) -> dict[str, str]:
    return next(r for r in read_csv("findings", data) if r["finding_id"] == finding_id)


def arms(row: dict[str, str]) -> tuple[float, float]:
    """The two arms of one risk finding, out of its denominator."""
    return float(row["intervention_per"]), float(row["comparator_per"])


def risk_findings() -> list[dict[str, str]]:
    """Every finding with both arms out of one denominator."""
    return [
        r
        for r in read_csv("findings")
        if r["kind"] == "risk" and r["intervention_per"] and r["comparator_per"]
    ]


def sham_comparisons() -> set[str]:
    return {r["comparison"] for r in read_csv("comparisons") if r["comparator"] == "sham"}


#: The designs where chance decided who got which care (GRADE starts them at high).
RANDOMISED = {"sham_controlled_rct", "pooled_rcts", "open_rct"}


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
    trees = [
        ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "kypho_aid" / "exercises").glob("*.py"))
    ]
    assert len(trees) > 1  # the package's modules, not an empty folder
    imported = {
        name.split(".")[0]
        for tree in trees
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


# --- a: a difference out of 100 between the two arms of one finding ---------------------


def default_difference() -> dict[str, str]:
    (finding_id,) = exercises.difference_question().ids
    return finding(finding_id)


def test_difference_uses_the_least_biased_randomised_risk_finding() -> None:
    row = default_difference()
    assert row["outcome"] == "new_fracture" and row["kind"] == "risk"
    assert row["design"] in RANDOMISED
    ranked = summary_of_findings("new_fracture")
    candidates = ranked[(ranked["kind"] == "risk") & ranked["design"].isin(RANDOMISED)]
    assert candidates["finding_id"].iloc[0] == row["finding_id"]
    assert exercises.lead_risk_finding()["finding_id"] == row["finding_id"]


def test_difference_right_answer_within_rounding() -> None:
    row = default_difference()
    first, second = arms(row)
    expected = first - second
    for answer in (expected, int(expected), expected + 0.4, str(expected)):
        result = exercises.check_difference(answer)
        assert result.correct, result
    message = exercises.check_difference(expected).message
    assert "out of 100" in message and row["finding_id"] in message
    assert f"How sure we can be: {row['certainty'].replace('_', ' ')}" in message
    assert exercises.check_difference(expected, finding_id=row["finding_id"]).correct


@pytest.mark.parametrize("row", risk_findings(), ids=lambda r: r["finding_id"])
def test_every_risk_finding_is_one_rows_two_arms(row: dict[str, str]) -> None:
    """Like with like: the expected answer is always the two arms of the one row asked about."""
    first, second = arms(row)
    asked = exercises.difference_question(finding_id=row["finding_id"])
    assert asked.ids == (row["finding_id"],)
    assert re.findall(r"SF\d{3}", asked.text) == [row["finding_id"]]
    assert f"out of {row['denominator']}" in asked.text
    assert exercises.check_difference(first - second, finding_id=row["finding_id"]).correct
    if row["design"] not in RANDOMISED:
        message = exercises.check_difference(first - second, finding_id=row["finding_id"]).message
        assert "cannot show" in message


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda e, a, b: -e, "sign"),
        (lambda e, a, b: e / 100, "proportion"),
        (lambda e, a, b: a / b, "ratio"),
        (lambda e, a, b: b, "one group's figure"),
    ],
    ids=["sign", "proportion", "ratio", "one-figure"],
)
def test_difference_wrong_answers_say_what_to_look_at(
    wrong: Callable[[float, float, float], float], says: str
) -> None:
    a, b = arms(default_difference())
    result = exercises.check_difference(wrong(a - b, a, b))
    assert not result.correct and says in result.message, result


def test_difference_far_from_every_figure_is_not_the_difference() -> None:
    row = default_difference()
    a, b = arms(row)
    near = {a - b, b - a, a, b}
    for other in risk_findings():
        if other["outcome"] == row["outcome"]:
            near |= {a - x for x in arms(other)} | {x - b for x in arms(other)}
    if row["intervention_events"]:
        near.add(float(row["intervention_events"]) - float(row["comparator_events"]))
    off = next(a - b + k for k in range(3, 100) if all(abs(a - b + k - t) > 1 for t in near))
    result = exercises.check_difference(off)
    assert not result.correct and "is not the difference" in result.message, result


def test_difference_of_raw_counts_asks_for_the_figures_out_of_100() -> None:
    row = default_difference()
    raw = float(row["intervention_events"]) - float(row["comparator_events"])
    result = exercises.check_difference(raw)
    assert not result.correct and "raw counts" in result.message, result


def test_difference_with_a_figure_from_another_finding_is_not_like_with_like() -> None:
    row = default_difference()
    a, b = arms(row)
    taken = {a - b, b - a, a, b, a / b, b / a}
    if row["intervention_events"]:
        taken.add(float(row["intervention_events"]) - float(row["comparator_events"]))
    others = [
        r
        for r in risk_findings()
        if r["outcome"] == row["outcome"]
        and r["finding_id"] != row["finding_id"]
        and r["denominator"] == row["denominator"]
    ]
    mixed = [
        (a - other, r["finding_id"])
        for r in others
        for other in arms(r)
        if all(abs(a - other - t) > 1 for t in taken)
    ]
    assert mixed, "the outcome needs another finding with a figure out of the same number"
    value, _ = mixed[0]
    result = exercises.check_difference(value)
    assert not result.correct and "another finding" in result.message, result
    assert row["finding_id"] in result.message


def test_difference_malformed_names_a_number() -> None:
    for answer in (None, "eleven", math.nan, pd.Series([1.0])):
        result = exercises.check_difference(answer)
        assert not result.correct and "Expected one number out of 100" in result.message


def test_difference_works_out_of_1000() -> None:
    row = next(
        r for r in risk_findings() if r["denominator"] == "1000" and arms(r)[0] != arms(r)[1]
    )
    a, b = arms(row)
    assert "out of 1000" in exercises.difference_question(finding_id=row["finding_id"]).text
    assert exercises.check_difference(a - b, finding_id=row["finding_id"]).correct
    assert not exercises.check_difference((a - b) + 10, finding_id=row["finding_id"]).correct


def test_difference_follows_the_data(data_copy: Path) -> None:
    path = data_copy / "findings.csv"
    rows = read_csv("findings", data_copy)
    fields = list(rows[0])
    target = default_difference()["finding_id"]
    for row in rows:
        if row["finding_id"] == target:
            row["intervention_per"] = f"{float(row['intervention_per']) + 5:g}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    a, b = arms(finding(target, data_copy))
    assert exercises.check_difference(a - b, data_dir=data_copy).correct
    assert not exercises.check_difference(a - b - 5, data_dir=data_copy).correct


def test_a_mark_prints_its_words_from_its_data_folder(data_copy: Path) -> None:
    path = data_copy / "ui_text.csv"
    text = path.read_text(encoding="utf-8")
    assert "Right: {message}" in text
    path.write_text(text.replace("Right: {message}", "Yes! {message}"), encoding="utf-8")
    a, b = arms(finding(default_difference()["finding_id"]))
    assert str(exercises.check_difference(a - b, data_dir=data_copy)).startswith("Yes! ")
    assert str(exercises.check_difference(a - b)).startswith("Right: ")


def test_difference_setup_errors_name_the_argument_and_raise() -> None:
    not_risk = next(r["finding_id"] for r in read_csv("findings") if r["kind"] == "difference")
    cases: list[tuple[dict[str, object], str]] = [
        ({"finding_id": "SF999"}, "finding_id 'SF999' is not a finding"),
        ({"finding_id": 42}, "finding_id 42 is not a finding"),
        ({"finding_id": not_risk}, f"finding_id '{not_risk}' is a difference finding"),
        ({"outcome": "cost"}, "outcome 'cost' has no randomised finding"),
        ({"outcome": "no_such_outcome"}, "unknown outcome"),
    ]
    for params, says in cases:
        with pytest.raises(kypho_aid.UnknownTopicError, match=re.escape(says)):
            exercises.check_difference(0, **params)  # type: ignore[arg-type]
        with pytest.raises(kypho_aid.UnknownTopicError, match=re.escape(says)):
            exercises.difference_question(**params)  # type: ignore[arg-type]


# --- b: the source and locator of a finding or evidence row -----------------------------


def test_source_of_the_difference_finding_by_default() -> None:
    row = default_difference()
    assert exercises.source_question().ids == (row["finding_id"],)
    source, locator = row["source_ids"], row["locators"]
    for answer in (
        (source, locator),
        [source.lower(), f"  {locator.upper()} "],
        {"source_id": source, "locator": locator},
        pd.Series({"source_ids": source, "locators": locator}),
    ):
        result = exercises.check_source(answer)
        assert result.correct, (answer, result)
    message = exercises.check_source((source, locator)).message
    assert source in message
    assert all(e in message for e in row["evidence_ids"].split(";"))


def test_source_of_an_evidence_row_and_of_a_finding_with_two_sources() -> None:
    evidence = next(r for r in read_csv("outcomes") if r["outcome_id"] == "E023")
    assert exercises.check_source(
        (evidence["source_ids"], evidence["locators"]), row_id="E023"
    ).correct
    assert "outcomes table" in exercises.source_question(row_id="E023").text
    two = next(r for r in read_csv("findings") if ";" in r["source_ids"])
    ids, places = two["source_ids"].split(";"), two["locators"].split(";")
    row_id = two["finding_id"]
    assert exercises.check_source((ids[1], places[1]), row_id=row_id).correct
    assert exercises.check_source((two["source_ids"], two["locators"]), row_id=row_id).correct
    crossed = exercises.check_source((ids[0], places[1]), row_id=row_id)
    assert not crossed.correct


def test_source_wrong_answers_say_which_half_is_wrong() -> None:
    row = default_difference()
    sources = read_csv("sources")
    other = next(r["source_id"] for r in sources if r["source_id"] != row["source_ids"])
    title = next(r["title"] for r in sources if r["source_id"] == row["source_ids"])
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
        result = exercises.check_source(answer)
        assert not result.correct and says in result.message, (answer, result)


def test_source_malformed_names_a_pair() -> None:
    for answer in (None, 42, (1, 2), ("a", "b", "c"), {"source": "x"}):
        result = exercises.check_source(answer)
        assert not result.correct
        assert "(source id, locator)" in result.message or "should be text" in result.message


def test_source_of_an_unknown_row_raises_naming_row_id() -> None:
    for row_id in ("O024", "SF999", 7):
        with pytest.raises(kypho_aid.UnknownTopicError, match=r"row_id .* is not a finding id"):
            exercises.check_source(("a", "b"), row_id=row_id)  # type: ignore[arg-type]


# --- c: a comparison for chosen topics ---------------------------------------------------

TOPICS = ["how_well_it_works", "afterwards"]


def attribute_ids(topics: list[str]) -> list[str]:
    return [r["attribute_id"] for r in read_csv("attributes") if r["topic"] in topics]


def option_ids() -> list[str]:
    return [r["option_id"] for r in read_csv("options")]


def test_comparison_right_answers() -> None:
    assert exercises.comparison_question().ids == tuple(TOPICS)
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


def test_comparison_of_an_unknown_topic_raises() -> None:
    with pytest.raises(kypho_aid.UnknownTopicError, match="unknown topic"):
        exercises.check_comparison(None, topics="no_such_topic")


# --- d: why a sham-controlled trial matters ----------------------------------------------


def test_sham_question_shows_the_sham_finding_and_an_open_one() -> None:
    sham_id, open_id = exercises.sham_question().ids
    sham, known = finding(sham_id), finding(open_id)
    assert sham["comparison"] in sham_comparisons() and sham["outcome"] == "pain_relief_early"
    assert known["design"] == "open_rct" and known["comparison"] not in sham_comparisons()
    assert known["outcome"] == sham["outcome"]
    by_comparison = {r["comparison"]: r for r in read_csv("comparisons")}
    assert (
        by_comparison[known["comparison"]]["intervention"]
        == by_comparison[sham["comparison"]]["intervention"]
    )


def test_sham_right_answer_explains_from_the_findings() -> None:
    labels = {r["option_id"]: r["label"] for r in read_csv("options")}
    labels.update({r["arm"]: r["label"] for r in read_csv("arms")})
    by_comparison = {r["comparison"]: r["intervention"] for r in read_csv("comparisons")}
    against_sham = [r for r in read_csv("findings") if r["comparison"] in sham_comparisons()]
    tested = {labels[by_comparison[r["comparison"]]] for r in against_sham}
    on_pain = [r for r in against_sham if r["outcome"] == "pain_relief_early"]
    quiz = next(r for r in read_csv("quiz") if r["question_id"] == "K02")
    choices, answer_letter = exercises.sham_choices(), exercises.sham_answer()
    right = [letter for letter in choices if exercises.check_sham(letter).correct]
    assert right == [answer_letter]
    text = choices[answer_letter][0]
    for answer in (answer_letter, answer_letter.upper() + ")", text):
        result = exercises.check_sham(answer)
        assert result.correct and quiz["explanation"] in result.message
        assert all(label in result.message for label in tested)
        assert f"there are {len(on_pain)} findings against a sham" in result.message
        assert exercises.sham_question().ids[0] in result.message


def test_sham_wrong_answers_each_say_why() -> None:
    choices = exercises.sham_choices()
    messages = {
        exercises.check_sham(letter).message
        for letter in choices
        if letter != exercises.sham_answer()
    }
    assert len(messages) == len(choices) - 1
    assert all("is not the reason" in m for m in messages)


def test_sham_malformed_names_the_letters() -> None:
    for answer in (None, "z", "all of them", 2):
        result = exercises.check_sham(answer)
        assert not result.correct and "Expected one letter" in result.message


def test_sham_for_an_outcome_without_a_sham_finding_raises_naming_outcome() -> None:
    without = next(
        r["outcome"]
        for r in read_csv("outcome_definitions")
        if not any(
            f["outcome"] == r["outcome"] and f["comparison"] in sham_comparisons()
            for f in read_csv("findings")
        )
    )
    with pytest.raises(kypho_aid.UnknownTopicError, match=f"outcome '{without}' has no finding"):
        exercises.check_sham("b", outcome=without)


# --- e: how sure we can be, and why ------------------------------------------------------


def certainty_levels() -> list[str]:
    schema = yaml.safe_load((DATA / "findings.schema.yaml").read_text(encoding="utf-8"))
    return next(f["enum"] for f in schema["fields"] if f["name"] == "certainty")


def default_certainty() -> dict[str, str]:
    (finding_id,) = exercises.certainty_question().ids
    return finding(finding_id)


def reasons(row: dict[str, str]) -> list[str]:
    return row["downgrades"].split(";") if row["downgrades"] else []


def test_certainty_uses_the_lead_pain_finding() -> None:
    row = default_certainty()
    assert row["outcome"] == "pain_relief_early"
    assert row["finding_id"] == summary_of_findings("pain_relief_early")["finding_id"].iloc[0]


def test_certainty_right_answers() -> None:
    row = default_certainty()
    level, why = row["certainty"], reasons(row)
    assert why, "the default finding should have been rated down, to have reasons to name"
    for answer in (
        (level, why),
        [level.upper().replace("_", " "), [r.replace("_", " ") for r in why]],
        (level, row["downgrades"]),
        (level, " and ".join(r.replace("_", " ") for r in dict.fromkeys(why))),
        {"certainty": level, "downgrades": row["downgrades"]},
        pd.Series({"certainty": level, "downgrades": row["downgrades"]}),
    ):
        result = exercises.check_certainty(answer)
        assert result.correct, (answer, result)
    message = exercises.check_certainty((level, why)).message
    assert f"rated down {len(why)} level" in message and row["finding_id"] in message


@pytest.mark.parametrize("row", read_csv("findings"), ids=lambda r: r["finding_id"])
def test_every_finding_has_a_markable_certainty(row: dict[str, str]) -> None:
    result = exercises.check_certainty(
        (row["certainty"], reasons(row)), finding_id=row["finding_id"]
    )
    assert result.correct, result
    if not reasons(row):
        assert "was not rated down" in result.message


def test_certainty_wrong_level_points_to_the_columns() -> None:
    row = default_certainty()
    for other in (x for x in certainty_levels() if x != row["certainty"]):
        result = exercises.check_certainty((other.replace("_", " "), reasons(row)))
        assert not result.correct and "not this finding's" in result.message
        assert "certainty and downgrades columns" in result.message


def test_certainty_level_alone_asks_for_the_reasons() -> None:
    row = default_certainty()
    result = exercises.check_certainty(row["certainty"])
    assert not result.correct and "now give the reasons" in result.message


def test_certainty_wrong_reasons_say_what_is_missing_or_extra() -> None:
    row = default_certainty()
    level, why = row["certainty"], reasons(row)
    schema = yaml.safe_load((DATA / "findings.schema.yaml").read_text(encoding="utf-8"))
    known = next(f["enum"] for f in schema["fields"] if f["name"] == "downgrades")
    unused = next(r for r in known if r not in why)
    cases = [
        ((level, []), "reason is missing"),
        ((level, [*why, unused]), f"{unused.replace('_', ' ')} was not a reason here"),
        ((level, ["speed"]), "is not one of GRADE's reasons"),
        ((level, 42), "should be a list of texts"),
    ]
    for answer, says in cases:
        result = exercises.check_certainty(answer)
        assert not result.correct and says in result.message, (answer, result)


def test_certainty_malformed_lists_the_levels() -> None:
    answers: list[object] = [None, "sure", 3, ("sure", []), (None, None)]
    for answer in answers:
        result = exercises.check_certainty(answer)
        assert not result.correct and "one of: high, moderate, low, very low" in result.message


def test_certainty_of_an_unknown_finding_raises_naming_finding_id() -> None:
    with pytest.raises(kypho_aid.UnknownTopicError, match="finding_id 'O007' is not a finding"):
        exercises.check_certainty("low", finding_id="O007")


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


@pytest.mark.parametrize(
    ("name", "mark"), [("07-exercises", "Not yet"), ("08-exercise-solutions", "Right")]
)
def test_the_notebook_sources_run_and_mark_every_answer(name: str, mark: str) -> None:
    """The jupytext sources, run as plain Python, before `make notebooks` stores outputs."""
    path = ROOT / "notebooks" / "src" / f"{name}.py"
    code = path.read_text(encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(path)],
        cwd=ROOT / "notebooks",
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    calls = len(re.findall(r"exercises\.check_\w+\(", code))
    assert calls >= len(CHECKS)
    assert re.findall(r"^(Right|Not yet):", run.stdout, flags=re.M) == [mark] * calls
