"""Deliberation tools: values line-up without ranking, the SURE test, the knowledge check."""

from __future__ import annotations

import pytest

import kypho_aid
from kypho_aid.decision import InputError, check_answer, rating_labels, sure_result, values_table
from kypho_aid.model import Option

CONSIDERATIONS = kypho_aid.load_dataset("considerations")["consideration_id"].tolist()


def test_values_table_lines_up_every_option_for_every_consideration() -> None:
    table = values_table({"avoid_leakage": 4, "cost": 1})
    assert len(table) == len(CONSIDERATIONS) * len(Option)
    assert (
        table.iloc[0]["consideration_id"] == "avoid_leakage"
        and table.iloc[0]["rating_label"] == rating_labels()[4]
    )
    assert list(table["option_id"][:3]) == [o.value for o in Option]
    assert (table["facts"].str.len() > 10).all()
    assert not {"score", "rank", "total"} & set(table.columns), "the aid never adds ratings up"


def test_values_facts_cite_their_sources() -> None:
    table = values_table({"short_procedure": 3})
    rows = table[table["consideration_id"] == "short_procedure"]
    assert rows["source_ids"].str.len().gt(0).all()
    assert "minutes" in " ".join(rows["facts"])


@pytest.mark.parametrize(
    ("ratings", "field"),
    [
        ({"wellbeing": 2}, "wellbeing"),
        ({"cost": 5}, "cost"),
        ({"cost": -1}, "cost"),
        ({"cost": True}, "cost"),
        ({"cost": "3"}, "cost"),
        ({"cost": 2.5}, "cost"),
    ],
)
def test_bad_ratings_name_the_field(ratings: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        values_table(ratings)
    assert caught.value.field == field and field in str(caught.value)


def test_sure_scores_and_flags_three_or_less() -> None:
    assert sure_result({"S": True, "U": True, "R": True, "E": True}).conflict is False
    flagged = sure_result({"S": True, "U": True, "R": True, "E": False})
    assert flagged.score == 3 and flagged.conflict
    partial = sure_result({"S": False})
    assert partial.answered == 1 and not partial.conflict
    with pytest.raises(InputError, match="X: is not a SURE item"):
        sure_result({"X": True})
    with pytest.raises(InputError, match="S: answer yes"):
        sure_result({"S": "yes"})


def test_quiz_explains_right_and_wrong_answers() -> None:
    question = kypho_aid.load_dataset("quiz").iloc[0]
    qid, answer = str(question["question_id"]), str(question["answer"])
    other = next(c for c in str(question["choices"]).split(";") if c != answer)
    right = check_answer(qid, answer)
    wrong = check_answer(qid, other)
    assert right.correct and not wrong.correct
    assert right.explanation == wrong.explanation and right.source_ids
    with pytest.raises(InputError, match="choice"):
        check_answer(qid, "Surgery")
    with pytest.raises(InputError, match="question_id"):
        check_answer("K99", other)


def test_every_quiz_answer_is_one_of_its_choices() -> None:
    quiz = kypho_aid.load_dataset("quiz")
    for row in quiz.itertuples():
        assert row.answer in row.choices.split(";")
        assert check_answer(row.question_id, row.answer).correct
