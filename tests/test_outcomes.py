"""Outcomes in numbers: balance, one denominator, certainty wording, both sides, traceability."""

from __future__ import annotations

import csv
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

import kypho_aid
from kypho_aid import UnknownOptionError, UnknownTopicError
from kypho_aid.model import Option

SUMMARY = kypho_aid.summarize_outcomes()
DEFINITIONS = kypho_aid.load_dataset("outcome_definitions")


def test_every_outcome_has_every_option() -> None:
    pairs = set(zip(SUMMARY["outcome"].astype(str), SUMMARY["option_id"].astype(str), strict=True))
    for outcome in DEFINITIONS["outcome"].astype(str):
        for option in Option:
            assert (outcome, option.value) in pairs, (outcome, option)


def test_frequencies_of_an_outcome_share_one_denominator() -> None:
    frequencies = SUMMARY[SUMMARY["kind"] == "frequency"]
    assert frequencies.groupby("outcome", observed=True)["denominator"].nunique().max() == 1
    assert set(frequencies["denominator"].astype(int)) <= {100, 1000}


def test_rows_come_in_outcome_then_option_order() -> None:
    keys = list(zip(SUMMARY["outcome"].cat.codes, SUMMARY["option_id"].cat.codes, strict=True))
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("certainty", "opening"),
    [
        ("moderate", "Probably "),
        ("low", "It may be that "),
        ("very_low", "We are very uncertain, but "),
    ],
)
def test_sentences_use_grade_wording(certainty: str, opening: str) -> None:
    rows = SUMMARY[(SUMMARY["certainty"] == certainty) & (SUMMARY["kind"] != "not_available")]
    for sentence in rows["sentence"]:
        assert sentence.startswith(opening), sentence
        assert f"How sure we can be: {certainty.replace('_', ' ')}." in sentence


def test_frequency_sentences_state_both_sides() -> None:
    rows = SUMMARY[(SUMMARY["kind"] == "frequency") & SUMMARY["events"].notna()]
    assert len(rows) > 0
    for row in rows.itertuples():
        denominator = int(row.denominator)
        events = round(float(row.events))
        assert f"about {events} out of {denominator}" in row.sentence
        assert f"about {denominator - events} out of {denominator}" in row.sentence


def test_differences_stand_next_to_a_cited_threshold_or_say_there_is_none() -> None:
    rows = SUMMARY[SUMMARY["kind"] == "mean_difference"]
    assert len(rows) > 0
    for row in rows.itertuples():
        if pd.notna(row.mcid):
            assert "smallest difference people notice" in row.sentence
            assert isinstance(row.mcid_source_ids, str) and row.mcid_source_ids
        else:
            assert "no threshold" in row.sentence


def test_sham_controlled_evidence_is_vertebroplasty_only_and_flagged() -> None:
    sham = SUMMARY[SUMMARY["sham_controlled"]]
    assert len(sham) > 0
    assert set(sham["option_id"].astype(str)) == {"vertebroplasty"}
    assert all("sham (fake) procedure" in s for s in sham["sentence"])
    unblinded = SUMMARY[SUMMARY["design"] == "unblinded_rct"]
    assert all("people knew which care they got" in s for s in unblinded["sentence"])


def test_not_available_rows_say_why() -> None:
    gaps = SUMMARY[SUMMARY["kind"] == "not_available"]
    assert gaps["note"].str.len().gt(15).all()
    assert (gaps["sentence"] == gaps["note"]).all()


def test_filters_and_errors() -> None:
    table = kypho_aid.summarize_outcomes("new_fracture", ["non_surgical"])
    assert set(table["outcome"].astype(str)) == {"new_fracture"}
    assert set(table["option_id"].astype(str)) == {"non_surgical"}
    with pytest.raises(UnknownTopicError, match="unknown outcome"):
        kypho_aid.summarize_outcomes("happiness")
    with pytest.raises(UnknownOptionError):
        kypho_aid.summarize_outcomes(options="laser")


def _round(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_frequencies_are_reproduced_from_the_evidence_file(shared: Path) -> None:
    """Each 'N out of 100' is a percentage or an 'a of b' count of a named evidence row, scaled."""
    with (shared / "evidence" / "evidence.csv").open(encoding="utf-8") as handle:
        evidence = {row["id"]: row for row in csv.DictReader(handle)}
    rows = SUMMARY[(SUMMARY["kind"] == "frequency")]
    checked = 0
    for row in rows.itertuples():
        denominator = int(row.denominator)
        candidates: set[int] = set()
        for outcome_id in str(row.outcome_ids).split(";"):
            source = evidence[outcome_id]
            text = " ".join(
                source[c] for c in ("value", "low", "high", "unit", "comparison", "notes")
            )
            numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]
            candidates |= {_round(n * denominator / 100) for n in numbers}
            for a, b in re.findall(r"(\d+(?:\.\d+)?)\s*(?:of|/)\s*(\d+)", text):
                candidates.add(_round(float(a) / float(b) * denominator))
            # a number out of a count stated in the unit ("157 ... (of 214 KP levels)")
            total = re.search(r"of (\d+)", source["unit"])
            if total and source["value"]:
                candidates.add(_round(float(source["value"]) / float(total.group(1)) * denominator))
        for name in ("events", "events_low", "events_high"):
            value = getattr(row, name)
            if pd.notna(value):
                difference = any(math.isclose(float(value), c) for c in candidates)
                derived = (
                    "−" in str(row.derivation)
                    or " - " in str(row.derivation)
                    or "minus" in str(row.derivation)
                )
                assert difference or derived, (row.figure_id, name, value, sorted(candidates)[:20])
                checked += 1
    assert checked >= 10


def test_risk_view_picks_a_chart_and_escapes_its_html() -> None:
    icons = kypho_aid.risk_view("new_fracture", view="icons")
    assert icons.chart in {"icons", "comparison"} and icons.text is not None
    assert icons.text.alt and icons.text.long
    words = kypho_aid.risk_view("new_fracture", view="words")
    assert words.chart is None and words.html.count("<p>") == len(words.figures)
    numbers = kypho_aid.risk_view("new_fracture", ["kyphoplasty"], view="numbers")
    assert numbers.options == ("kyphoplasty",) and "<table>" in numbers.html
    with pytest.raises(UnknownTopicError, match="unknown view"):
        kypho_aid.risk_view("new_fracture", view="video")


def test_chart_text_carries_the_numbers() -> None:
    for outcome in DEFINITIONS["outcome"].astype(str):
        view = kypho_aid.risk_view(outcome, view="icons")
        if view.text is None:
            continue
        for row in view.figures.itertuples():
            if row.kind == "frequency":
                assert str(row.figure) in view.text.alt


def test_study_table_takes_each_studys_own_design_size_and_funding() -> None:
    studies = kypho_aid.study_table().set_index("source_id")
    assert (
        studies.loc["INVEST", "design"] == "sham_controlled_rct"
        and studies.loc["INVEST", "sham_controlled"]
    )
    assert (
        studies.loc["FREE", "design"] == "unblinded_rct"
        and not studies.loc["FREE", "sham_controlled"]
    )
    sizes = kypho_aid.load_dataset("outcomes")
    kaviar = sizes[(sizes["source_ids"] == "KAVIAR") & (sizes["topic"] == "trial_design")][
        "value"
    ].max()
    assert studies.loc["KAVIAR", "patients"] == kaviar
    assert studies.loc["FREE", "funding"].startswith("industry")
    cited = set(SUMMARY["source_ids"].str.split(";").explode())
    assert set(studies.index) == cited


def test_chart_text_prints_both_labelled_texts() -> None:
    text = kypho_aid.risk_view("new_fracture").text
    assert text is not None
    assert str(text) == f"Alt text: {text.alt}\nIn words: {text.long}"
