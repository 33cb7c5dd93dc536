"""The comparison: shape, order, citations, filters and every export."""

from __future__ import annotations

import csv
import io
import re

import pytest

import kypho_aid
from kypho_aid import UnknownOptionError, UnknownTopicError
from kypho_aid.model import Option

TABLE = kypho_aid.compare()
LABELS = kypho_aid.load_dataset("options")["label"].astype(str).tolist()


def test_one_row_per_attribute_one_column_per_option() -> None:
    attributes = kypho_aid.load_dataset("attributes").sort_values("order")
    assert TABLE.data.index.tolist() == attributes["attribute_id"].tolist()
    assert TABLE.data.columns.tolist() == [o.value for o in Option]
    assert TABLE.data.notna().all().all()


def test_every_cell_line_ends_with_source_numbers_that_resolve() -> None:
    numbers = set(TABLE.sources["number"])
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    for cell in TABLE.data.to_numpy().ravel():
        for line in str(cell).split("\n"):
            if line == "Not stated in our sources.":
                continue
            match = re.search(r"\[([\d, ]+)\]$", line)
            assert match, line
            assert {int(n) for n in match.group(1).split(",")} <= numbers


def test_sources_are_exactly_those_the_facts_cite() -> None:
    cited = set(TABLE.facts["source_ids"].str.split(";").explode())
    assert set(TABLE.sources["source_id"]) == cited
    seed = TABLE.sources[TABLE.sources["kind"] == "seed_page"].iloc[0]
    assert str(seed["source_id"]) in seed["citation"]


def test_disagreeing_sources_are_both_shown() -> None:
    facts = TABLE.facts[
        (TABLE.facts["attribute_id"] == "duration") & (TABLE.facts["option_id"] == "kyphoplasty")
    ]
    assert facts["source_ids"].nunique() >= 2
    cell = TABLE.data.loc["duration", "kyphoplasty"]
    assert cell.count("\n") == len(facts) - 1


def test_options_and_topics_filter_and_keep_canonical_order() -> None:
    table = kypho_aid.compare(
        options=["vertebroplasty", "kyphoplasty"], topics=["afterwards", "balloon_use"]
    )
    assert table.data.columns.tolist() == ["kyphoplasty", "vertebroplasty"]
    attributes = kypho_aid.load_dataset("attributes").set_index("attribute_id")
    assert set(attributes.loc[table.data.index, "topic"].astype(str)) == {
        "afterwards",
        "how_it_works",
    }
    assert "balloon_use" in table.data.index
    assert kypho_aid.compare(options="non_surgical").data.columns.tolist() == ["non_surgical"]


KNOWN_OPTIONS = "use any of: kyphoplasty, vertebroplasty, non_surgical"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("surgery", rf"^unknown option\(s\) \['surgery'\]; {KNOWN_OPTIONS}$"),
        (["kyphoplasty", "laser"], rf"^unknown option\(s\) \['laser'\]; {KNOWN_OPTIONS}$"),
        ([], rf"^unknown option\(s\) \[\]; {KNOWN_OPTIONS}$"),
        ([3], r"^expected option ids as text, got \[3\]$"),
    ],
)
def test_unknown_options_are_named(bad: object, message: str) -> None:
    with pytest.raises(UnknownOptionError, match=message):
        kypho_aid.compare(options=bad)  # type: ignore[arg-type]


def test_unknown_topic_lists_valid_ones() -> None:
    with pytest.raises(
        UnknownTopicError, match=r"unknown topic\(s\) \['cost'\]; use a topic \(how_it_works"
    ):
        kypho_aid.compare(topics="cost")


def test_markdown_has_table_sources_and_footer() -> None:
    text = TABLE.to_markdown()
    lines = text.splitlines()
    assert lines[0] == f"| Attribute | {' | '.join(LABELS)} |"
    assert sum(line.startswith("| **") for line in lines) == len(TABLE.data)
    assert f"{len(TABLE.sources)}. " in text
    info = kypho_aid.content_info()
    assert info.version in lines[-1] and info.disclaimer in lines[-1]
    assert str(TABLE) == text
    assert repr(TABLE).startswith("<ComparisonTable: ") and repr(TABLE) != str(TABLE)


def test_html_is_escaped_accessible_and_loads_nothing_external() -> None:
    page = TABLE.to_html(standalone=True)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert page.count('<th scope="row">') == len(TABLE.data)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "<script" not in page
    assert TABLE._repr_html_() == TABLE.to_html()


def test_html_escapes_markup_in_the_data(data_copy) -> None:  # type: ignore[no-untyped-def]
    path = data_copy / "options.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Non-surgical care", "Non-surgical <script>x</script>"
        ),
        encoding="utf-8",
    )
    html = kypho_aid.compare(data_dir=data_copy).to_html()
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_csv_round_trips_and_names_its_sources() -> None:
    rows = list(csv.reader(io.StringIO(TABLE.to_csv())))
    assert rows[0] == ["attribute_id", "attribute", *LABELS, "sources"]
    assert [r[0] for r in rows[1:]] == TABLE.data.index.tolist()
    balloon = next(r for r in rows if r[0] == "balloon_use")
    assert re.search(r"\[\d+\] \S+", balloon[-1])


# --- issue 10: how well each option works against a sham, with certainty --------------------


def _sham_attribute() -> str:
    attributes = kypho_aid.load_dataset("attributes")
    evidence = attributes[attributes["topic"].astype(str) == "how_well_it_works"]
    assert len(evidence) == 1, "one row on the benefit against a sham (fake) procedure"
    return str(evidence["attribute_id"].item())


def test_benefit_against_a_sham_procedure_is_a_high_row_for_every_option() -> None:
    sham = _sham_attribute()
    order = TABLE.data.index.tolist()
    assert order.index(sham) <= 2, "what matters to patients comes near the top"
    assert "sham" in TABLE.attribute_labels[sham].lower()
    for option in Option:
        cell = TABLE.data.loc[sham, option.value]
        assert cell != "Not stated in our sources.", option
        assert "How sure we can be" in cell, option  # certainty is shown in every cell
    assert kypho_aid.compare(topics="how_well_it_works").data.index.tolist() == [sham]


def test_the_sham_row_cites_every_sham_controlled_trial_for_vertebroplasty() -> None:
    sham = _sham_attribute()
    outcomes = kypho_aid.load_dataset("outcomes")
    trials = outcomes[
        (outcomes["design"] == "sham_controlled_rct") & (outcomes["topic"] == "trial_design")
    ]
    facts = TABLE.facts[(TABLE.facts["attribute_id"] == sham)]
    cited = set(
        facts.loc[facts["option_id"] == "vertebroplasty", "source_ids"].str.split(";").explode()
    )
    assert set(trials["source_ids"]) <= cited
    # no sham-controlled trial covers kyphoplasty, and its cell cites none
    kp = set(facts.loc[facts["option_id"] == "kyphoplasty", "source_ids"].str.split(";").explode())
    assert not kp & set(trials["source_ids"])
    assert (
        not outcomes.loc[outcomes["design"] == "sham_controlled_rct", "options"]
        .str.contains("kyphoplasty")
        .any()
    )
