"""What matters, as trade-offs: answers become ratings, the line-up shows only what was answered."""

from __future__ import annotations

from pathlib import Path

import pytest

import kypho_aid
from kypho_aid import readability
from kypho_aid.decision import (
    TRADEOFF_SCALE,
    InputError,
    short_line,
    tradeoff_lineup,
    tradeoff_ratings,
    values_table,
)

TRADEOFFS = kypho_aid.load_dataset("tradeoffs").sort_values("order")
FIRST = TRADEOFFS.iloc[0]
CONSIDERATIONS = set(kypho_aid.load_dataset("considerations")["consideration_id"].astype(str))


@pytest.mark.parametrize(
    ("answer", "left", "right"),
    [("left_much", 4, 0), ("left", 3, 1), ("same", 2, 2), ("right", 1, 3), ("right_much", 0, 4)],
)
def test_every_point_of_the_scale_rates_both_sides(answer: str, left: int, right: int) -> None:
    ratings = tradeoff_ratings({FIRST["tradeoff_id"]: answer})
    assert ratings == {FIRST["left"]: left, FIRST["right"]: right}
    # the ratings are the old API's: values_table takes them as they are
    table = values_table(ratings)
    assert set(table.loc[table["rating"].notna(), "consideration_id"]) == {
        FIRST["left"],
        FIRST["right"],
    }


@pytest.mark.parametrize(
    "answers", [None, {}, {FIRST["tradeoff_id"]: None}, {FIRST["tradeoff_id"]: "skip"}]
)
def test_a_skipped_trade_off_rates_nothing(answers: dict[str, object] | None) -> None:
    assert tradeoff_ratings(answers) == {}
    assert tradeoff_lineup(answers).empty


def test_the_scale_is_symmetric_and_each_side_is_rated_once() -> None:
    assert all(left + right == 4 for left, right in TRADEOFF_SCALE.values())
    every = {t: "same" for t in TRADEOFFS["tradeoff_id"]}
    assert len(tradeoff_ratings(every)) == 2 * len(TRADEOFFS)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"no_such_tradeoff": "left"}, "no_such_tradeoff"),
        ({FIRST["tradeoff_id"]: "much"}, FIRST["tradeoff_id"]),
        ({FIRST["tradeoff_id"]: 4}, FIRST["tradeoff_id"]),
        ({FIRST["tradeoff_id"]: True}, FIRST["tradeoff_id"]),
        ({3: "left"}, "3"),
        (["left"], "answers"),
    ],
)
def test_bad_answers_name_the_field(answers: object, field: str) -> None:
    with pytest.raises(InputError) as caught:
        tradeoff_ratings(answers)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_the_line_up_shows_only_answered_trade_offs_short_and_cited() -> None:
    answered = TRADEOFFS.iloc[1]
    lineup = tradeoff_lineup({answered["tradeoff_id"]: "right", FIRST["tradeoff_id"]: "skip"})
    assert set(lineup["tradeoff_id"]) == {answered["tradeoff_id"]}
    assert set(lineup["consideration_id"]) == {answered["left"], answered["right"]}
    options = kypho_aid.load_dataset("options")["option_id"].astype(str).tolist()
    assert len(lineup) == 2 * len(options)
    # the side leaned to comes first; both sides show every option in the canonical order
    assert lineup["side"].tolist() == ["right"] * len(options) + ["left"] * len(options)
    assert lineup["leaned"].tolist() == [True] * len(options) + [False] * len(options)
    assert lineup["option_id"].tolist() == options * 2
    assert (lineup["source_ids"].str.len() > 0).all()
    full = values_table().set_index(["consideration_id", "option_id"])["facts"]
    for row in lineup.itertuples():
        facts = full[(row.consideration_id, row.option_id)]
        assert facts.startswith(row.short)  # the facts' own opening words, not new ones
        assert len(row.short.split()) <= 20 or row.short.count(". ") == 0


def test_nothing_is_ranked_or_totalled() -> None:
    lineup = tradeoff_lineup(dict.fromkeys(TRADEOFFS["tradeoff_id"], "left_much"))
    for word in ("total", "score", "rank", "best"):
        assert not any(word in column for column in lineup.columns)
    # every option is shown for every side, in the same order: none is put first
    options = kypho_aid.load_dataset("options")["option_id"].astype(str).tolist()
    for _, side in lineup.groupby(["tradeoff_id", "side"]):
        assert side["option_id"].tolist() == options


def test_short_lines_keep_whole_sentences() -> None:
    facts = "One. Two words here. A third sentence that is rather long indeed."
    assert short_line(facts, words=4) == "One. Two words here."
    assert short_line(facts, words=1) == "One."
    assert (
        short_line("It went down by 3.1 degrees. Then more.", words=6)
        == "It went down by 3.1 degrees."
    )


def test_every_side_is_a_consideration_and_sides_are_balanced() -> None:
    sides = [*TRADEOFFS["left"], *TRADEOFFS["right"]]
    assert set(sides) <= CONSIDERATIONS
    assert len(sides) == len(set(sides))
    assert 4 <= len(TRADEOFFS) <= 5
    # what care without a procedure offers is a side as often as what a procedure offers
    without = {"avoid_procedure", "avoid_leakage", "anaesthesia"}
    procedure = {"quick_relief", "restore_height", "recovery"}
    assert len(without & set(sides)) == len(procedure & set(sides))
    assert set(TRADEOFFS["left"]) & without and set(TRADEOFFS["left"]) & procedure


def test_a_side_that_is_not_a_consideration_is_refused(data_copy: Path) -> None:
    path = data_copy / "tradeoffs.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",cost,", ",price,"), encoding="utf-8")
    problems = kypho_aid.validate(data_copy)
    assert [(Path(p.file).name, p.row, p.column) for p in problems] == [
        ("tradeoffs.csv", 5, "left")
    ]


def test_a_consideration_on_two_trade_offs_is_refused(data_copy: Path) -> None:
    path = data_copy / "tradeoffs.csv"
    text = path.read_text(encoding="utf-8").replace(",cost,avoid_new_break,", ",cost,quick_relief,")
    path.write_text(text, encoding="utf-8")
    problems = kypho_aid.validate(data_copy)
    assert [(Path(p.file).name, p.row, p.column) for p in problems] == [
        ("tradeoffs.csv", 5, "right")
    ]
    assert "already the left side of the trade-off on row 2" in problems[0].message
    path.write_text(text.replace(",cost,quick_relief,", ",cost,cost,"), encoding="utf-8")
    problems = kypho_aid.validate(data_copy)
    assert [p.column for p in problems] == ["right"] and "both sides" in problems[0].message


def test_the_new_sentences_pass_the_readability_gate() -> None:
    report = readability.readability_report().set_index("source")
    for column in ("question", "left_label", "right_label"):
        source = f"tradeoffs.{column}"
        assert source in report.index
        assert report.loc[source, "verdict"] != "fail"
        smog = report.loc[source, "smog"]
        assert smog != smog or smog <= readability.GRADE_LIMIT  # NaN: too short to score
    assert report.loc["ui_text.patient", "smog"] <= readability.GRADE_LIMIT


def test_the_handout_and_the_note_read_the_ratings_the_answers_give() -> None:
    import datetime as dt

    from kypho_aid.handout import build_handout
    from kypho_aid.note import build_note

    ratings = tradeoff_ratings({FIRST["tradeoff_id"]: "left_much"})
    labels = kypho_aid.load_dataset("considerations").set_index("consideration_id")["label"]
    handout = build_handout(ratings=ratings, leaning="unsure")
    assert labels[FIRST["left"]] in handout
    note = build_note(
        ratings=ratings, leaning="unsure", authored=dt.datetime(2025, 1, 2, tzinfo=dt.UTC)
    )
    assert labels[FIRST["left"]] in str(note)
