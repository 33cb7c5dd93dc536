"""Screening: red flags are urgent for every option, every rule triggers on its own, unknowns
ask, the most serious status wins, the validator and screen() agree, nothing advises."""

from __future__ import annotations

import dataclasses
import math
import pickle
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import kypho_aid
from kypho_aid import DataValidationError, KyphoAidError
from kypho_aid.candidacy import (
    EXAMPLE_PROFILE,
    PROFILE_FIELDS,
    STATUSES,
    WEEKS_PER_MONTH,
    PatientProfile,
    ProfileError,
    screen,
    screen_details,
    screening_context,
    screening_sentences,
)
from kypho_aid.intake import field_questions
from kypho_aid.model import Option

RULES = kypho_aid.load_dataset("screening_rules")
CANDIDACY = kypho_aid.load_dataset("candidacy").set_index("rule_id")
RULE_ROWS = {str(row["screen_id"]): row for _, row in RULES.iterrows()}
SCREEN_IDS = list(RULE_ROWS)
CONDITIONAL = [sid for sid, row in RULE_ROWS.items() if isinstance(row["when_field"], str)]
TESTED_FIELDS = sorted(set(RULES["field"].astype(str)))

#: A profile that meets no rule: recent, painful, osteoporotic, one level, nothing against;
#: in hospital with a pain score of 9, so that it also clears the hospital's pain rule.
CLEAN: dict[str, Any] = {**EXAMPLE_PROFILE, "pain_score": 9, "hospitalised": True}
ADVICE = re.compile(r"\b(should|recommend\w*|must|advis\w*)\b", re.IGNORECASE)


def _items(value: object) -> list[str]:
    return str(value).split(";") if isinstance(value, str) and value else []


def _as_profile_value(field: str, text: str) -> object:
    if PROFILE_FIELDS[field].kind == "boolean":
        return text == "true"
    return text


def _field_value(row: pd.Series, *, met: bool) -> object:
    """A value of the rule's field that meets its test (met=True) or just fails it."""
    field, test = str(row["field"]), str(row["test"])
    spec = PROFILE_FIELDS[field]
    if test in ("is_true", "is_false"):
        return (test == "is_true") == met
    if test == "equals":
        return row["value"] if met else next(c for c in spec.choices if c != row["value"])
    factor = WEEKS_PER_MONTH if row["unit"] == "months" else 1.0
    limit = float(row["value"]) * factor
    steps = {"lt": (-1, 0), "le": (0, 1), "gt": (1, 0), "ge": (0, -1)}  # (meets, just fails)
    value = limit + steps[test][0 if met else 1]
    if spec.kind == "integer":
        return int(value)
    return value


def _profile_for(screen_id: str, *, met: bool, condition: bool | None = True) -> dict[str, Any]:
    """Only the rule's field (and its condition, if it has one) set; everything else unknown."""
    row = RULE_ROWS[screen_id]
    values = {str(row["field"]): _field_value(row, met=met)}
    when = row["when_field"]
    if isinstance(when, str) and condition is not None:
        allowed = [_as_profile_value(when, v) for v in _items(row["when_values"])]
        if condition:
            values[when] = allowed[0]
        else:
            spec = PROFILE_FIELDS[when]
            others = [True, False] if spec.kind == "boolean" else list(spec.choices)
            values[when] = next(v for v in others if v not in allowed)
    return values


def _by_option(profile: PatientProfile) -> pd.DataFrame:
    return screen(profile).set_index("option_id")


def _outcome(profile: PatientProfile, screen_id: str) -> pd.Series:
    details = screen_details(profile).set_index("screen_id")
    return details.loc[screen_id]


# --- the rules table against the candidacy rules ------------------------------------------


def test_every_screening_rule_implements_a_candidacy_rule_with_its_sources() -> None:
    for row in RULES.itertuples():
        assert row.rule_id in CANDIDACY.index, row.screen_id
        rule = CANDIDACY.loc[row.rule_id]
        assert row.source_ids == rule["source_ids"], row.screen_id
        assert row.locators == rule["locators"], row.screen_id
        assert set(_items(row.applies_to)) <= set(_items(rule["applies_to"])), row.screen_id


def test_numbers_are_carried_exactly_from_the_rule() -> None:
    numeric = RULES[RULES["test"].isin(["lt", "le", "gt", "ge"])]
    assert len(numeric) > 0
    for row in numeric.itertuples():
        rule = CANDIDACY.loc[row.rule_id]
        number = float(row.value)
        in_text = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", str(rule["criterion"]))}
        assert number == rule["threshold"] or number in in_text, row.screen_id
        if number == rule["threshold"]:  # then the unit is the rule's own
            word = {"points": "(0-10)"}.get(str(row.unit), str(row.unit))
            assert word in str(rule["unit"]), (row.screen_id, row.unit, rule["unit"])


def test_named_thresholds_are_the_ones_in_the_brief() -> None:
    def rule(rule_id: str, field: str) -> tuple[str, str, str]:
        rows = RULES[(RULES["rule_id"] == rule_id) & (RULES["field"] == field)]
        assert len(rows) == 1, (rule_id, field)
        row = rows.iloc[0]
        return str(row["test"]), str(row["value"]), str(row["unit"])

    assert rule("Q018", "pain_score") == ("lt", "8", "points")
    assert rule("Q011", "fracture_age_weeks") == ("gt", "6", "weeks")
    assert rule("Q040", "fracture_age_weeks") == ("gt", "6", "weeks")
    assert rule("Q041", "pain_score") == ("lt", "5", "points")
    assert rule("Q030", "levels") == ("gt", "3", "fractures")
    assert rule("Q045", "fracture_age_weeks") == ("gt", "12", "months")
    assert rule("Q046", "fracture_age_weeks") == ("gt", "4", "months")


def test_status_follows_the_kind_of_rule() -> None:
    for row in RULES.itertuples():
        kind = CANDIDACY.loc[row.rule_id, "kind"]
        if kind == "red_flag":
            assert row.status == "urgent_assessment", row.screen_id
            assert set(_items(row.applies_to)) == {o.value for o in Option}, row.screen_id
        elif kind == "absolute_contraindication":
            assert row.status == "not_suitable", row.screen_id
        elif kind in ("relative_contraindication", "indication", "referral"):
            assert row.status == "caution", row.screen_id
        assert kind != "guideline_position", row.screen_id  # context, never screened
    payer_or_trial = {"EVICORE", "RAD601", "VERTOS2", "COCH2018_TBL", "BUCH2009", "EVOLVE_REG"}
    for row in RULES.itertuples():
        if set(_items(row.source_ids)) & (payer_or_trial | {"CAFE_ELIG"}):
            assert row.status == "caution", row.screen_id


def test_trial_rules_say_the_trial_only_took_such_people() -> None:
    trials = {"VERTOS2", "COCH2018_TBL", "BUCH2009", "EVOLVE_REG", "CAFE_ELIG"}
    rows = RULES[RULES["source_ids"].isin(trials)]
    assert len(rows) >= 10
    for row in rows.itertuples():
        assert re.search(r"\b(trial|study)\b", row.reason), row.screen_id
        assert re.search(r"only took|did not take", row.reason), row.screen_id


def test_every_checkable_absolute_contraindication_is_covered() -> None:
    absolute = set(CANDIDACY.index[CANDIDACY["kind"] == "absolute_contraindication"])
    assert absolute <= set(RULES["rule_id"])


def test_rule_fields_are_the_profile_fields() -> None:
    codebook = kypho_aid.describe_dataset("screening_rules").set_index("column")
    profile_fields = [f.name for f in dataclasses.fields(PatientProfile)]
    assert list(PROFILE_FIELDS) == profile_fields
    for column in ("field", "when_field"):
        assert codebook.loc[column, "allowed"] == ", ".join(profile_fields)


def test_every_rule_parses_against_the_profile_fields() -> None:
    details = screen_details(PatientProfile())
    assert details["screen_id"].tolist() == SCREEN_IDS
    assert set(details["outcome"]) == {"unknown"}


# --- each rule on its own -------------------------------------------------------------------


@pytest.mark.parametrize("screen_id", SCREEN_IDS)
def test_rule_triggers_on_its_own_profile(screen_id: str) -> None:
    row = RULE_ROWS[screen_id]
    profile = PatientProfile.from_mapping(_profile_for(screen_id, met=True))
    assert _outcome(profile, screen_id)["outcome"] == "met"
    result = _by_option(profile)
    applies_to = _items(row["applies_to"])
    rank = STATUSES.index
    for option in Option:
        found = result.loc[option.value]
        if option.value in applies_to:
            assert screen_id in found["screen_ids"]
            assert row["rule_id"] in found["rule_ids"]
            assert set(_items(row["source_ids"])) <= set(found["source_ids"])
            assert row["reason"] in found["reasons"]
            assert rank(str(found["status"])) >= rank(str(row["status"]))
        else:
            assert screen_id not in found["screen_ids"]


@pytest.mark.parametrize("screen_id", SCREEN_IDS)
def test_rule_does_not_trigger_on_a_value_just_past_it(screen_id: str) -> None:
    profile = PatientProfile.from_mapping(_profile_for(screen_id, met=False))
    assert _outcome(profile, screen_id)["outcome"] == "not_met"
    result = screen(profile)
    assert all(screen_id not in ids for ids in result["screen_ids"])
    assert all(screen_id not in ids for ids in result["pending_screen_ids"])


@pytest.mark.parametrize("screen_id", CONDITIONAL)
def test_conditional_rule_is_not_applied_when_its_condition_fails(screen_id: str) -> None:
    profile = PatientProfile.from_mapping(_profile_for(screen_id, met=True, condition=False))
    assert _outcome(profile, screen_id)["outcome"] == "not_applicable"
    assert all(screen_id not in ids for ids in screen(profile)["pending_screen_ids"])


@pytest.mark.parametrize("screen_id", CONDITIONAL)
def test_conditional_rule_asks_for_its_condition_when_unknown(screen_id: str) -> None:
    row = RULE_ROWS[screen_id]
    profile = PatientProfile.from_mapping(_profile_for(screen_id, met=True, condition=None))
    detail = _outcome(profile, screen_id)
    assert (detail["outcome"], detail["missing"]) == ("unknown", (row["when_field"],))
    for option in _items(row["applies_to"]):
        found = _by_option(profile).loc[option]
        assert screen_id in found["pending_screen_ids"]
        assert row["when_field"] in found["to_find_out"]


def test_medicare_pain_threshold_depends_on_being_in_hospital() -> None:
    base = {**CLEAN, "pain_score": 7}
    in_hospital = screen_details(PatientProfile(**base)).set_index("rule_id")
    at_home = screen_details(PatientProfile(**{**base, "hospitalised": False})).set_index("rule_id")
    assert (in_hospital.loc["Q018", "outcome"], in_hospital.loc["Q019", "outcome"]) == (
        "met",
        "not_applicable",
    )
    assert (at_home.loc["Q018", "outcome"], at_home.loc["Q019", "outcome"]) == (
        "not_applicable",
        "not_met",
    )


def test_fracture_age_in_months_is_compared_in_weeks() -> None:
    evolve = RULES[(RULES["rule_id"] == "Q046") & (RULES["field"] == "fracture_age_weeks")]
    screen_id = str(evolve["screen_id"].iloc[0])
    assert 17 < 4 * WEEKS_PER_MONTH < 18
    for weeks, outcome in ((17.0, "not_met"), (18.0, "met")):
        profile = PatientProfile(**{**CLEAN, "fracture_age_weeks": weeks})
        assert _outcome(profile, screen_id)["outcome"] == outcome


# --- statuses -------------------------------------------------------------------------------


def test_a_clean_profile_finds_nothing() -> None:
    result = screen(PatientProfile(**CLEAN))
    assert result["status"].tolist() == ["no_contraindication_found"] * 3
    assert all(len(column) == 0 for column in result["reasons"])
    assert all(len(column) == 0 for column in result["to_find_out"])


def test_an_empty_profile_asks_for_everything_the_rules_use() -> None:
    result = _by_option(PatientProfile())
    for option in (o.value for o in Option):
        found = result.loc[option]
        assert found["status"] == "more_information_needed"
        assert found["reasons"] and all(r.startswith("Not known yet: ") for r in found["reasons"])
        mine = RULES[RULES["applies_to"].str.split(";").map(lambda o, x=option: x in o)]
        used = set(mine["field"].astype(str)) | set(mine["when_field"].dropna().astype(str))
        assert set(found["to_find_out"]) == used
        assert found["screen_ids"] == ()


@pytest.mark.parametrize("field", TESTED_FIELDS)
def test_one_unknown_field_gives_more_information_needed(field: str) -> None:
    profile = PatientProfile(**{**CLEAN, field: None})
    question = field_questions()[field]
    result = _by_option(profile)
    users = RULES[RULES["field"] == field]
    options = {o for value in users["applies_to"] for o in _items(value)}
    assert options
    for option in Option:
        found = result.loc[option.value]
        if option.value in options:
            assert found["status"] == "more_information_needed"
            assert found["to_find_out"] == (field,)
            assert f"Not known yet: {question}." in found["reasons"]
        else:
            assert found["status"] == "no_contraindication_found"


def test_the_worst_status_wins() -> None:
    caution = _by_option(PatientProfile(**{**CLEAN, "cement_or_contrast_allergy": True}))
    assert caution.loc["kyphoplasty", "status"] == "caution"
    assert caution.loc["vertebroplasty", "status"] == "not_suitable"
    both = _by_option(
        PatientProfile(**{**CLEAN, "cement_or_contrast_allergy": True, "infection": True})
    )
    assert both.loc["vertebroplasty", "status"] == "urgent_assessment"
    statuses = both.loc["vertebroplasty", "reason_statuses"]
    assert statuses[0] == "urgent_assessment" and {"not_suitable", "caution"} <= set(statuses)
    assert list(statuses) == sorted(statuses, key=STATUSES.index, reverse=True)
    unknown_too = _by_option(
        PatientProfile(**{**CLEAN, "cement_or_contrast_allergy": True, "levels": None})
    )
    found = unknown_too.loc["kyphoplasty"]
    assert found["status"] == "caution"
    assert found["to_find_out"] == ("levels",)
    assert found["reason_statuses"][-1] == "more_information_needed"


def test_status_is_an_ordered_category_and_options_come_in_order() -> None:
    result = screen(PatientProfile(infection=True))
    assert result["option_id"].tolist() == [o.value for o in Option]
    assert list(result["status"].cat.categories) == list(STATUSES)
    assert result["status"].cat.ordered
    assert result["status"].max() == "urgent_assessment"
    assert STATUSES[-2:] == ("not_suitable", "urgent_assessment")


def test_non_surgical_care_is_flagged_only_by_red_flags_and_referrals() -> None:
    for screen_id in SCREEN_IDS:
        row = RULE_ROWS[screen_id]
        kind = CANDIDACY.loc[row["rule_id"], "kind"]
        profile = PatientProfile.from_mapping(_profile_for(screen_id, met=True))
        found = _by_option(profile).loc["non_surgical"]
        if "non_surgical" in _items(row["applies_to"]):
            assert kind in ("red_flag", "referral"), screen_id
            assert found["status"] == row["status"], screen_id
        else:
            assert screen_id not in found["screen_ids"], screen_id


def test_screen_takes_only_a_profile() -> None:
    with pytest.raises(TypeError, match=r"PatientProfile\.from_mapping"):
        screen({"pain_score": 5})  # type: ignore[arg-type]


def test_a_rule_that_does_not_fit_its_field_is_reported(data_copy: Path) -> None:
    path = data_copy / "screening_rules.csv"
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if ",levels,gt,3,fractures," in line)
    path.write_text(
        text.replace(first, first.replace(",levels,gt,3,fractures,", ",levels,gt,3,weeks,"))
    )
    with pytest.raises(DataValidationError, match=r"screening_rules\.csv:\d+:unit: .*levels"):
        screen(PatientProfile(), data_dir=data_copy)


# --- red flags, absolute contraindications, bleeding, trauma (issue 10, item 6) ---------


def _rules_of_kind(kind: str) -> pd.DataFrame:
    return RULES[RULES["rule_id"].map(CANDIDACY["kind"]) == kind]


def _met_by(result: pd.DataFrame, row: pd.Series) -> None:
    """Every option the rule applies to shows its rule, its sources and its reason."""
    for option in _items(row["applies_to"]):
        found = result.loc[option]
        assert row["rule_id"] in found["rule_ids"], (option, row["screen_id"])
        assert set(_items(row["source_ids"])) <= set(found["source_ids"]), option
        status_of = dict(zip(found["reasons"], found["reason_statuses"], strict=True))
        assert status_of[str(row["reason"])] == row["status"], option


@pytest.mark.parametrize(
    ("field", "sign"), [("neurological_deficit", "nerve"), ("infection", "infection")]
)
def test_a_red_flag_is_urgent_for_every_option(field: str, sign: str) -> None:
    red = _rules_of_kind("red_flag")
    red = red[red["field"] == field]
    assert len(red) == 1, field  # the red flag is wired to the field
    row = red.iloc[0]
    assert set(_items(row["source_ids"])) == set(
        _items(CANDIDACY.loc[row["rule_id"], "source_ids"])
    )
    result = _by_option(PatientProfile(**{**CLEAN, field: True}))
    assert result["status"].astype(str).tolist() == ["urgent_assessment"] * 3
    _met_by(result, row)
    for sentence in screening_sentences(result.reset_index()):
        assert sentence.startswith("These rules found a warning sign to have checked the same day")
        assert str(row["reason"]) in sentence
    assert sign in str(row["reason"]).lower()


def test_a_nerve_warning_is_never_softened() -> None:
    nerves = RULES[RULES["field"].isin(["neurological_deficit", "retropulsion_or_posterior_wall"])]
    cited = {s for ids in nerves["source_ids"] for s in _items(ids)}
    assert "PEREZ2021" not in cited  # a look back at records, not a reason to worry less
    result = _by_option(
        PatientProfile(
            **{**CLEAN, "neurological_deficit": True, "retropulsion_or_posterior_wall": True}
        )
    )
    for option in result.index:
        assert not any("no harm" in reason for reason in result.loc[option, "reasons"]), option


ABSOLUTE = [str(s) for s in _rules_of_kind("absolute_contraindication")["screen_id"]]


@pytest.mark.parametrize("screen_id", ABSOLUTE)
def test_each_absolute_contraindication_is_not_suitable_with_its_rule(screen_id: str) -> None:
    row = RULE_ROWS[screen_id]
    assert row["status"] == "not_suitable"
    field = str(row["field"])
    result = _by_option(PatientProfile(**{**CLEAN, field: _field_value(row, met=True)}))
    for option in _items(row["applies_to"]):
        red_flag_too = field in set(_rules_of_kind("red_flag")["field"])
        expected = "urgent_assessment" if red_flag_too else "not_suitable"
        assert result.loc[option, "status"] == expected, (screen_id, option)
    _met_by(result, row)


def test_the_expected_absolute_contraindications_are_encoded() -> None:
    absolute = _rules_of_kind("absolute_contraindication")
    fields = set(absolute["field"].astype(str))
    assert {"uncorrectable_bleeding", "cement_or_contrast_allergy", "infection"} <= fields
    assert {"pain_matches_fracture", "pregnant"} <= fields
    cited = {s for ids in absolute["source_ids"] for s in _items(ids)}
    assert {"RADIOPAEDIA_VP", "LCD_L38737"} <= cited


def test_blood_thinners_are_caution_and_uncorrectable_bleeding_is_not_suitable() -> None:
    assert "bleeding_risk" not in PROFILE_FIELDS
    thinners = _by_option(PatientProfile(**{**CLEAN, "blood_thinners": True}))
    assert set(thinners["status"].astype(str)) <= {"caution", "no_contraindication_found"}
    assert thinners.loc["kyphoplasty", "status"] == "caution"
    for row in RULES[RULES["field"] == "blood_thinners"].to_dict("records"):
        assert row["status"] == "caution"
        _met_by(thinners, pd.Series(row))
    bleeding = _by_option(PatientProfile(**{**CLEAN, "uncorrectable_bleeding": True}))
    rules = RULES[
        (RULES["field"] == "uncorrectable_bleeding") & (RULES["status"] == "not_suitable")
    ]
    covered = {o for value in rules["applies_to"] for o in _items(value)}
    assert covered == {"kyphoplasty", "vertebroplasty"}
    for row in rules.to_dict("records"):
        _met_by(bleeding, pd.Series(row))
    for option in covered:
        assert bleeding.loc[option, "status"] == "not_suitable", option
    assert bleeding.loc["non_surgical", "status"] == "no_contraindication_found"


def test_a_fracture_from_an_injury_does_not_pass_silently() -> None:
    trauma = RULES[(RULES["field"] == "cause") & (RULES["value"] == "trauma")]
    assert "Q017" in set(trauma["rule_id"])  # the Hirsch pathway excludes high-velocity trauma
    result = _by_option(PatientProfile(**{**CLEAN, "cause": "trauma"}))
    for option in (o.value for o in Option):
        assert result.loc[option, "status"] != "no_contraindication_found", option
    for row in trauma.to_dict("records"):
        _met_by(result, pd.Series(row))


def test_guideline_positions_are_shown_beside_the_screening() -> None:
    context = screening_context()
    cited = {
        (o, s)
        for o, ids in zip(context["option_id"], context["source_ids"], strict=True)
        for s in ids
    }
    assert {("vertebroplasty", "AAOS_VP"), ("kyphoplasty", "AAOS_KP")} <= cited
    assert {("vertebroplasty", "ASBMR2019"), ("kyphoplasty", "ASBMR2019")} <= cited
    # both sides: the societies whose members do the procedures and NICE are shown too
    for option in ("kyphoplasty", "vertebroplasty"):
        assert {(option, "BARR2014"), (option, "NICE279")} <= cited
    positions = CANDIDACY[CANDIDACY["kind"] == "guideline_position"]
    assert set(context["text"]) == {" ".join(str(p).split()) for p in positions["plain"]}
    assert [t for t in context["text"] if ADVICE.search(t)] == []


def test_industry_funding_is_flagged_where_recorded() -> None:
    hirsch = CANDIDACY[CANDIDACY["source_ids"].str.contains("HIRSCH")]
    assert len(hirsch) >= 3
    assert all("Medtronic" in str(f) for f in hirsch["funding"])
    screened = RULES[RULES["source_ids"].str.contains("HIRSCH")]
    assert all("device maker paid" in str(reason) for reason in screened["reason"])


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        (",cause,equals,cancer,,,,", ",cause,equals,sunburn,,,,", "value"),
        (",cause,equals,other,,,,", ",cause,lt,5,weeks,,,", "test"),
        (",hospitalised,true,", ",hospitalised,maybe,", "when_values"),
        (",levels,gt,3,fractures,", ",levels,gt,3,weeks,", "unit"),
    ],
)
def test_the_validator_and_screen_reject_the_same_rules(
    data_copy: Path, old: str, new: str, column: str
) -> None:
    path = data_copy / "screening_rules.csv"
    line = _line_of(path, old)
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    text[line - 1] = text[line - 1].replace(old, new, 1)
    path.write_text("".join(text), encoding="utf-8")
    where = f"screening_rules.csv:{line}:{column}"
    assert [str(p) for p in kypho_aid.validate(data_copy) if where in str(p)], where
    with pytest.raises(DataValidationError, match=where.replace(".", r"\.")):
        screen(PatientProfile(), data_dir=data_copy)


# --- wording --------------------------------------------------------------------------------


def _all_wording() -> list[str]:
    profiles = [PatientProfile(), PatientProfile(**CLEAN)]
    profiles += [PatientProfile.from_mapping(_profile_for(s, met=True)) for s in SCREEN_IDS]
    texts: list[str] = []
    for profile in profiles:
        result = screen(profile)
        texts += [reason for reasons in result["reasons"] for reason in reasons]
        texts += screening_sentences(result)
    return texts


def test_nothing_says_should_or_recommend() -> None:
    texts = _all_wording() + RULES["reason"].tolist()
    assert [t for t in texts if ADVICE.search(t)] == []


def test_sentences_are_neutral_and_one_per_option() -> None:
    result = screen(PatientProfile(**CLEAN))
    sentences = screening_sentences(result)
    assert sentences == [
        "No reason found in these rules not to consider balloon kyphoplasty. Your doctor will check more.",
        "No reason found in these rules not to consider vertebroplasty. Your doctor will check more.",
        "No reason found in these rules not to consider non-surgical care. Your doctor will check more.",
    ]
    mixed = screen(
        PatientProfile(
            **{**CLEAN, "infection": True, "cement_or_contrast_allergy": True, "levels": None}
        )
    )
    first = screening_sentences(mixed)[0]
    assert first.startswith(
        "These rules found a warning sign to have checked the same day, whatever "
    )
    assert "They also found a reason that balloon kyphoplasty is not usually done: " in first
    assert "Some points also need care: " in first
    assert "Still to find out. How many broken bones would be treated at once." in first
    assert first.endswith("Your doctor will check more.")
    caution = screening_sentences(screen(PatientProfile(**{**CLEAN, "levels": 5})))
    assert caution[1].startswith("Some points need care with vertebroplasty: ")
    unknown = screening_sentences(screen(PatientProfile()))
    assert unknown[0].startswith("More needs to be known to check balloon kyphoplasty. ")


def _syllables(word: str) -> int:
    word = word.lower()
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def _smog(texts: list[str]) -> float:
    sentences = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if s.strip()]
    polysyllables = sum(
        1 for s in sentences for w in re.findall(r"[A-Za-z]+", s) if _syllables(w) >= 3
    )
    return 1.0430 * math.sqrt(polysyllables * 30 / len(sentences)) + 3.1291


def test_reasons_are_plain_language() -> None:
    reasons = RULES["reason"].tolist()
    asked = field_questions()
    assert set(asked) == set(PROFILE_FIELDS)
    questions = [f"Not known yet: {asked[name]}." for name in PROFILE_FIELDS]
    assert _smog(reasons) <= 8, _smog(reasons)
    assert _smog(questions) <= 8, _smog(questions)
    sentences = [s for r in reasons for s in re.split(r"(?<=[.!?])\s+", r)]
    assert max(len(s.split()) for s in sentences) <= 30


# --- the profile ----------------------------------------------------------------------------


def _bad_values(kind: str) -> list[object]:
    wrong_type: list[object] = [[], {}, object()]
    if kind == "number":
        return [*wrong_type, "5", True, False, math.nan, math.inf, -math.inf, -1, 520.5, 10**400]
    if kind == "integer":
        return [*wrong_type, "5", True, False, 5.0, math.nan, math.inf, -1, 11, 99]
    if kind == "boolean":
        return [*wrong_type, 1, 0, "true", "yes", math.nan, np.float64(1.0)]
    return [*wrong_type, "Cancer", "", "unknown", 1, True, math.nan]


BAD = [(name, value) for name, spec in PROFILE_FIELDS.items() for value in _bad_values(spec.kind)]


@pytest.mark.parametrize(("field", "value"), BAD, ids=[f"{f}-{v!r}"[:60] for f, v in BAD])
def test_every_field_rejects_bad_values(field: str, value: object) -> None:
    with pytest.raises(ProfileError, match=rf"^{field} must be ") as info:
        PatientProfile(**{field: value})
    assert info.value.field == field
    assert isinstance(info.value, ValueError) and isinstance(info.value, KyphoAidError)
    with pytest.raises(ProfileError, match=rf"^{field} must be "):
        PatientProfile.from_mapping({**CLEAN, field: value})


def test_the_message_names_the_field_and_the_allowed_values() -> None:
    with pytest.raises(ProfileError) as info:
        PatientProfile(pain_score=11)
    assert str(info.value) == "pain_score must be a whole number from 0 to 10, got 11"
    with pytest.raises(ProfileError) as info:
        PatientProfile(cause="fall")
    assert str(info.value) == "cause must be one of osteoporosis, cancer, trauma, other, got 'fall'"
    with pytest.raises(ProfileError) as info:
        PatientProfile(conservative_care="better")
    assert "improving, not_improving, not_tried" in str(info.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("fracture_age_weeks", 0),
        ("fracture_age_weeks", 520),
        ("fracture_age_weeks", 2.5),
        ("pain_score", 0),
        ("pain_score", 10),
        ("levels", 1),
        ("levels", 10),
        ("cause", "trauma"),
        ("conservative_care", "not_tried"),
        ("pregnant", False),
    ],
)
def test_edge_values_are_accepted(field: str, value: object) -> None:
    assert getattr(PatientProfile(**{field: value}), field) == value


def test_numpy_numbers_are_kept_as_plain_numbers() -> None:
    profile = PatientProfile(pain_score=np.int64(6), fracture_age_weeks=np.float64(3.5), levels=2)
    assert type(profile.pain_score) is int and profile.pain_score == 6
    assert type(profile.fracture_age_weeks) is float
    assert type(PatientProfile(fracture_age_weeks=4).fracture_age_weeks) is float


def test_from_mapping_rejects_unknown_keys_and_non_mappings() -> None:
    with pytest.raises(
        ProfileError, match=r"'pain' is not a profile field; use any of: .*pain_score"
    ) as info:
        PatientProfile.from_mapping({"pain": 5})
    assert info.value.field == "pain"
    with pytest.raises(TypeError, match="mapping"):
        PatientProfile.from_mapping([("pain_score", 5)])  # type: ignore[arg-type]
    assert PatientProfile.from_mapping(CLEAN) == PatientProfile(**CLEAN)
    assert PatientProfile.from_mapping({}) == PatientProfile()


def test_profile_is_frozen_and_knows_what_is_unknown() -> None:
    profile = PatientProfile(pain_score=5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.pain_score = 6  # type: ignore[misc]
    assert "pain_score" not in profile.unknown_fields
    assert len(profile.unknown_fields) == len(PROFILE_FIELDS) - 1
    assert PatientProfile(**CLEAN).unknown_fields == ()


def test_profile_error_survives_pickling() -> None:
    with pytest.raises(ProfileError) as info:
        PatientProfile(levels=0)
    copy = pickle.loads(pickle.dumps(info.value))
    assert (str(copy), copy.field) == (str(info.value), "levels")


def test_the_profile_fields_are_written_once_and_the_example_meets_no_rule() -> None:
    names = [f.name for f in dataclasses.fields(PatientProfile)]
    assert list(PROFILE_FIELDS) == names == list(EXAMPLE_PROFILE)
    assert all(spec.name == name for name, spec in PROFILE_FIELDS.items())
    example = PatientProfile.from_mapping(EXAMPLE_PROFILE)
    assert example.unknown_fields == ()
    details = screen_details(example)
    assert not details["outcome"].eq("met").any()
    assert set(screen(example)["status"].astype(str)) == {"no_contraindication_found"}
