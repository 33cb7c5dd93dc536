"""The summary of findings and the views built on it: like with like, least biased first.

The tests named ``test_defect_*`` each check one defect of the clinical review
(shared/reference/clinical-review-2026-12.md, issue 10) and fail on the code before it.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

import kypho_aid
from kypho_aid import UnknownOptionError, UnknownTopicError
from kypho_aid.export import risk_view_html
from kypho_aid.findings import (
    DRAWABLE_DESIGNS,
    expected_certainty,
    finding_statement,
    summary_of_findings,
    which_did_better,
)
from kypho_aid.texts import ui_text

SOF = summary_of_findings()
DEFINITIONS = kypho_aid.load_dataset("outcome_definitions")
OUTCOMES = DEFINITIONS["outcome"].astype(str).tolist()
OPTION_IDS = kypho_aid.load_dataset("options")["option_id"].astype(str).tolist()
COMPARISONS = kypho_aid.load_dataset("comparisons")["comparison"].astype(str).tolist()
DESIGN_ORDER = list(SOF["design"].cat.categories)
LEVELS = ["high", "moderate", "low", "very_low"]
PAIN_FUNCTION = ("pain_relief_early", "pain_relief_later", "function")


def _sources(row: pd.Series) -> set[str]:
    return set(str(row["source_ids"]).split(";"))


# --- the table --------------------------------------------------------------------------


def test_the_table_has_the_columns_the_issue_names() -> None:
    wanted = {
        "comparison",
        "intervention",
        "comparator",
        "outcome",
        "design",
        "studies",
        "participants",
        "timepoint",
        "effect",
        "low",
        "high",
        "unit",
        "direction",
        "certainty",
        "downgrades",
        "source_ids",
    }
    assert wanted <= set(SOF.columns)
    assert set(SOF["outcome"].astype(str)) == set(OUTCOMES)


def test_rows_are_ranked_sham_then_randomised_then_the_rest_with_certainty_breaking_ties() -> None:
    for _, rows in SOF.groupby("outcome", observed=True):
        keys = [
            (DESIGN_ORDER.index(str(r.design)), LEVELS.index(str(r.certainty)))
            for r in rows.itertuples()
        ]
        assert keys == sorted(keys), rows["finding_id"].tolist()


def test_certainty_follows_from_the_design_and_its_downgrades() -> None:
    for row in SOF.itertuples():
        downgrades = str(row.downgrades).split(";") if pd.notna(row.downgrades) else []
        assert str(row.certainty) == expected_certainty(str(row.design), len(downgrades)), (
            row.finding_id
        )


def test_events_never_exceed_their_totals_and_rates_match_their_counts() -> None:
    for row in SOF.itertuples():
        for side in ("intervention", "comparator"):
            events, total = getattr(row, f"{side}_events"), getattr(row, f"{side}_total")
            if pd.notna(events):
                assert 0 <= events <= total, (row.finding_id, side)
                per = getattr(row, f"{side}_per")
                if pd.notna(per):
                    exact = events / total * row.denominator
                    assert abs(per - exact) <= 0.5, (row.finding_id, side, per, exact)
            per = getattr(row, f"{side}_per")
            if pd.notna(per):
                assert 0 <= per <= row.denominator, (row.finding_id, side)


def test_intervals_contain_their_estimate() -> None:
    for row in SOF[SOF["low"].notna()].itertuples():
        assert row.low <= row.effect <= row.high, row.finding_id


def _round(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_dossier_figures_are_carried_exactly(shared: Path) -> None:
    """Every figure of a finding built from the dossier is a number of its evidence rows, or
    an 'a of b' count of them scaled to the finding's denominator."""
    with (shared / "evidence" / "evidence.csv").open(encoding="utf-8") as handle:
        evidence = {row["id"]: row for row in csv.DictReader(handle)}
    checked = 0
    for row in SOF[SOF["evidence_ids"].notna()].itertuples():
        text = " ".join(
            evidence[e][c]
            for e in str(row.evidence_ids).split(";")
            for c in ("value", "low", "high", "unit", "comparison", "notes")
        )
        numbers = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", text.replace(",", ""))}
        scaled = set()
        if pd.notna(row.denominator):
            scaled = {_round(n * row.denominator / 100) for n in numbers}
            for a, b in re.findall(r"(\d+(?:\.\d+)?)\s*(?:of|/)\s*(\d+)", text):
                scaled.add(_round(float(a) / float(b) * row.denominator))
            for e in str(row.evidence_ids).split(";"):
                total = re.search(r"of (\d+)", evidence[e]["unit"])
                if total and evidence[e]["value"]:
                    scaled.add(
                        _round(
                            float(evidence[e]["value"]) / float(total.group(1)) * row.denominator
                        )
                    )
        for name in (
            "intervention_per",
            "comparator_per",
            "per_low",
            "per_high",
            "intervention_value",
            "comparator_value",
            "effect",
            "low",
            "high",
        ):
            value = getattr(row, name)
            if pd.isna(value):
                continue
            shown = abs(float(value))
            side = name.split("_")[0]
            events, total = (
                getattr(row, f"{side}_events", None),
                getattr(row, f"{side}_total", None),
            )
            from_counts = (
                name.endswith("_per")
                and pd.notna(events)
                and {float(events), float(total)} <= numbers
                and abs(shown - events / total * row.denominator) <= 0.5
            )
            assert (
                shown in numbers
                or _round(shown) in scaled
                or from_counts
                or (name.endswith("_per") and any(math.isclose(shown, s) for s in scaled))
            ), (row.finding_id, name, value)
            checked += 1
    assert checked >= 60


# --- defect 1: the headline new-fracture picture ------------------------------------------


def test_defect_1_new_fracture_leads_with_randomised_evidence_not_the_pooled_review() -> None:
    view = kypho_aid.risk_view("new_fracture")
    assert view.finding is not None and view.chart == "icons"
    assert view.finding["design"] in DRAWABLE_DESIGNS
    assert "PAPA2012" not in _sources(view.finding)
    pooled = SOF[(SOF["outcome"] == "new_fracture") & SOF["source_ids"].str.contains("PAPA2012")]
    assert len(pooled) and (pooled["certainty"] == "very_low").all()
    assert not pooled["drawable"].any()
    for row in pooled.itertuples():
        assert ui_text("finding.cannot_show_cause") in row.statement
    # the randomised trials the review names are all there, with their raw counts
    trials = SOF[SOF["outcome"] == "new_fracture"]
    counts = {
        (r.intervention_events, r.intervention_total, r.comparator_events, r.comparator_total)
        for r in trials.itertuples()
    }
    assert {(15, 91, 21, 85), (50, 140, 57, 131), (54, 110, 64, 111), (3, 38, 4, 40)} <= counts


def test_defect_1_the_pooled_review_is_never_an_icon_array_anywhere() -> None:
    drawn = []
    for outcome, comparison in itertools.product(OUTCOMES, [None, *COMPARISONS]):
        view = kypho_aid.risk_view(outcome, comparison=comparison)
        if view.finding is None:
            assert view.chart is None
            continue
        randomised = view.finding["design"] in DRAWABLE_DESIGNS
        assert view.chart is None or randomised, (outcome, comparison)
        if view.chart is not None:
            drawn.append(view.finding["design"])
    assert drawn and set(drawn) <= DRAWABLE_DESIGNS


# --- defect 2 and acceptance 2: like with like --------------------------------------------


def test_no_picture_or_sentence_compares_arms_from_different_rows() -> None:
    """Over every outcome, comparison, option subset and view: a chart draws one finding, its
    text names that finding's figures, and every sentence speaks of its own row's arms."""
    from kypho_aid.findings import arm_labels

    labels = arm_labels()
    subsets = [
        list(c)
        for n in range(1, len(OPTION_IDS) + 1)
        for c in itertools.combinations(OPTION_IDS, n)
    ]
    seen_charts = 0
    for outcome, options, view_name in itertools.product(OUTCOMES, subsets, ("icons", "words")):
        view = kypho_aid.risk_view(outcome, options, view_name)
        shown = view.figures
        assert shown["outcome"].nunique() <= 1
        if view.chart is not None:
            seen_charts += 1
            finding = view.finding
            assert finding is not None and view.text is not None
            assert finding["finding_id"] in set(shown["finding_id"])
            arms = {finding["intervention"], finding["comparator"]} - {"none"}
            others = set(labels) - arms - {"either_procedure"}
            for other in others:
                assert labels[other] not in view.text.alt, (outcome, options, other)
    assert seen_charts > 20
    for row in SOF[SOF["intervention"] != "either_procedure"].itertuples():
        own = {row.intervention_label.lower(), str(row.comparator_label).lower()}
        for arm, label in labels.items():
            if label.lower() not in own and arm not in ("either_procedure",):
                assert label.lower() not in row.statement.lower(), (row.finding_id, label)


def test_defect_2_early_pain_leads_with_a_sham_trial_and_charts_one_finding() -> None:
    view = kypho_aid.risk_view("pain_relief_early")
    assert view.finding is not None and view.finding["design"] == "sham_controlled_rct"
    assert view.chart == "comparison"
    cancer = SOF[SOF["source_ids"].str.contains("CAFE")]
    assert len(cancer) and (cancer["certainty"] == "very_low").all()
    assert "indirectness" in str(cancer.iloc[0]["downgrades"])


def test_defect_2_later_pain_shows_vertos_iv_at_12_months_and_the_sham_trials_first() -> None:
    later = summary_of_findings("pain_relief_later")
    assert later.iloc[0]["design"] == "sham_controlled_rct"
    vertos = later[later["source_ids"] == "VERTOS4"]
    assert "12 months" in vertos.iloc[0]["timepoint"]
    assert float(vertos.iloc[0]["effect"]) == 0.45


def test_defect_2_height_and_function_never_mix_measures_in_one_chart() -> None:
    charted: list[tuple[str, str]] = []
    for outcome in ("height_correction", "function"):
        for comparison in COMPARISONS:
            view = kypho_aid.risk_view(outcome, comparison=comparison)
            if view.chart == "comparison":
                assert view.finding is not None
                assert view.finding["comparison"] == comparison
                assert view.figures["comparison"].eq(comparison).all()
                charted.append((outcome, comparison))
    assert {outcome for outcome, _ in charted} == {"height_correction", "function"}


# --- defect 3: serious problems -----------------------------------------------------------


def test_defect_3_kaviar_30_day_new_fractures_are_not_serious_problems() -> None:
    serious = SOF[SOF["outcome"] == "serious_complications"]
    assert not serious["evidence_ids"].fillna("").str.contains("E026").any()
    early = SOF[SOF["evidence_ids"].fillna("").str.contains("E026")]
    assert len(early) == 1 and early.iloc[0]["outcome"] == "new_fracture"
    assert "30 days" in early.iloc[0]["timepoint"]
    invest = serious[serious["source_ids"] == "INVEST"].iloc[0]
    assert (invest["intervention_events"], invest["comparator_events"]) == (1, 1)


# --- defect 4 and acceptance 3: which did better ------------------------------------------


def test_defect_4_every_pain_and_function_difference_says_which_arm_did_better() -> None:
    rows = SOF[SOF["outcome"].isin(PAIN_FUNCTION) & (SOF["kind"] != "single_group")]
    for row in rows.itertuples():
        if row.better == "unknown":
            assert "does not say which group did better" in row.statement, row.finding_id
            continue
        winner = row.intervention_label if row.better == "intervention" else row.comparator_label
        assert f"{winner.lower()} did better" in row.statement.lower(), row.finding_id
        if row.kind == "difference":
            assert f"{abs(row.effect):g}".replace("-", "") in row.statement.replace("−", "")
            assert "The true gap is likely between" in row.statement, row.finding_id


def test_defect_4_invest_favours_vertebroplasty_and_buchbinder_3_months_is_there() -> None:
    invest = SOF[(SOF["source_ids"] == "INVEST") & (SOF["outcome"] == "pain_relief_early")]
    assert invest.iloc[0]["better"] == "intervention"
    assert "0.7 points less with vertebroplasty" in invest.iloc[0]["statement"]
    buchbinder = SOF[(SOF["source_ids"] == "BUCH2009") & (SOF["kind"] == "difference")]
    assert (
        buchbinder.iloc[0]["effect"],
        buchbinder.iloc[0]["low"],
        buchbinder.iloc[0]["high"],
    ) == (
        0.6,
        -0.7,
        1.8,
    )
    assert "3 months" in buchbinder.iloc[0]["timepoint"]
    assert len(SOF[SOF["source_ids"] == "STAPLES2011"]) == 2


def test_defect_4_the_vertos_threshold_is_called_a_within_patient_one() -> None:
    rows = SOF[SOF["threshold"].notna()]
    assert len(rows) and (rows["threshold_kind"] == "within_patient").all()
    for row in rows.itertuples():
        assert "For one person" in row.statement and "judged another way" in row.statement


def test_which_did_better_follows_the_direction_of_the_measure() -> None:
    base = SOF[SOF["kind"] == "difference"].iloc[0].copy()
    base["sign_reported"] = "yes"
    for effect, direction, expected in (
        (-1.0, "lower_is_better", "intervention"),
        (1.0, "lower_is_better", "comparator"),
        (1.0, "higher_is_better", "intervention"),
        (0.0, "higher_is_better", "neither"),
    ):
        base["effect"], base["direction"] = effect, direction
        assert which_did_better(base) == expected


# --- defect 7: majors ---------------------------------------------------------------------


def test_defect_7_cement_in_the_lungs_shows_the_ct_rate_and_is_not_moderate() -> None:
    embolism = SOF[SOF["outcome"] == "cement_embolism"]
    kaviar = embolism[embolism["source_ids"] == "KAVIAR"].iloc[0]
    assert kaviar["certainty"] == "very_low" and "imprecision" in kaviar["downgrades"]
    ct = embolism[embolism["source_ids"] == "PCE2021"].iloc[0]
    assert (ct["intervention_events"], ct["intervention_total"], ct["intervention_per"]) == (
        34,
        1782,
        19,
    )
    assert embolism["source_ids"].str.contains("WANG2012PCE").any()


def test_defect_12_kaviar_is_low_and_the_screening_cohort_is_observational() -> None:
    kaviar = SOF[SOF["source_ids"] == "KAVIAR"]
    assert set(kaviar["certainty"].astype(str)) <= {"low", "very_low", "moderate"}
    assert (kaviar[kaviar["outcome"].isin(["new_fracture"])]["certainty"] == "low").all()
    cohort = SOF[SOF["evidence_ids"].fillna("").str.contains("E148")].iloc[0]
    assert cohort["design"] == "observational" and not cohort["drawable"]


def test_defect_13_leakage_counts_treated_bones_in_the_picture_and_its_alt_text() -> None:
    view = kypho_aid.risk_view("leakage_any")
    assert view.finding is not None and view.finding["counted"] == "treated_bones"
    assert view.text is not None and "treated bones" in view.text.alt
    assert "people" not in view.text.alt


# --- the views ----------------------------------------------------------------------------


def test_risk_view_leads_with_one_finding_and_escapes_its_html() -> None:
    icons = kypho_aid.risk_view("new_fracture", view="icons")
    assert icons.chart == "icons" and icons.text is not None
    assert icons.text.alt and icons.text.long
    words = kypho_aid.risk_view("new_fracture", view="words")
    assert words.chart is None and risk_view_html(words).count("<p>") == len(words.figures)
    numbers = kypho_aid.risk_view("new_fracture", ["kyphoplasty"], view="numbers")
    assert numbers.options == ("kyphoplasty",) and "<table " in risk_view_html(numbers)
    assert (
        (numbers.figures["intervention"] == "kyphoplasty")
        | (numbers.figures["comparator"] == "kyphoplasty")
    ).all()
    with pytest.raises(UnknownTopicError, match="unknown view"):
        kypho_aid.risk_view("new_fracture", view="video")
    with pytest.raises(UnknownOptionError, match="option"):
        kypho_aid.risk_view("new_fracture", ["surgery"])


def test_pairwise_panels_name_each_comparison_or_say_there_is_none() -> None:
    panels = kypho_aid.pairwise_panels("natural_recovery")
    assert list(panels["comparison"]) == [
        "vp_vs_sham",
        "vp_vs_usual_care",
        "kp_vs_usual_care",
        "kp_vs_vp",
    ]
    assert (panels["finding_id"] == "").all()
    fracture = kypho_aid.pairwise_panels("new_fracture").set_index("comparison")
    assert fracture.loc["vp_vs_usual_care", "randomised"]
    assert not fracture.loc["kp_vs_usual_care", "randomised"]  # only the pooled review


def test_chart_text_carries_both_arms_figures() -> None:
    for outcome in OUTCOMES:
        view = kypho_aid.risk_view(outcome)
        if view.chart != "icons":
            continue
        assert view.finding is not None and view.text is not None
        for column in ("intervention_per", "comparator_per"):
            assert f"{view.finding[column]:g} out of" in view.text.alt


def test_outcome_sentences_name_their_comparison_and_lead_with_the_fairest() -> None:
    sentences = kypho_aid.outcome_sentences("pain_relief_early")
    assert sentences[0].startswith("Vertebroplasty vs a sham (fake) procedure:")
    assert len(sentences) == len(summary_of_findings("pain_relief_early"))


def test_statements_never_recommend_and_say_how_sure() -> None:
    for row in SOF.itertuples():
        assert "How sure we can be:" in row.statement
        assert not re.search(r"\b(should|recommend|best choice)\b", row.statement, re.I)
        assert finding_statement(SOF.iloc[SOF.index[SOF["finding_id"] == row.finding_id][0]]) == (
            row.statement
        )


def test_every_outcome_is_told_for_every_option() -> None:
    gaps = kypho_aid.load_dataset("outcome_gaps")
    explained = set(zip(gaps["outcome"].astype(str), gaps["option_id"].astype(str), strict=True))
    for outcome in OUTCOMES:
        rows = SOF[SOF["outcome"] == outcome]
        arms = set(rows["intervention"]) | set(rows["comparator"])
        if "either_procedure" in arms:
            arms |= {"kyphoplasty", "vertebroplasty"}
        for option in OPTION_IDS:
            assert option in arms or (outcome, option) in explained, (outcome, option)


def test_summarize_outcomes_keeps_each_arm_with_its_finding() -> None:
    arms = kypho_aid.summarize_outcomes("new_fracture")
    assert set(arms["finding_id"]) <= set(SOF["finding_id"])
    for finding_id, own in arms.groupby("finding_id"):
        assert own["comparison"].nunique() == 1 and own["timepoint"].nunique() == 1, finding_id


def test_study_table_takes_each_studys_own_design_size_and_funding() -> None:
    studies = kypho_aid.study_table().set_index("source_id")
    assert studies.loc["INVEST", "sham_controlled"]
    assert "sham controlled rct" in studies.loc["INVEST", "design"]
    assert not studies.loc["FREE", "sham_controlled"]
    assert (
        studies.loc["KAVIAR", "patients"]
        == SOF[SOF["source_ids"] == "KAVIAR"]["participants"].max()
    )
    assert studies.loc["FREE", "funding"] == "industry"
    cited = set(SOF["source_ids"].str.split(";").explode())
    assert set(studies.index) == cited


def test_filters_and_errors() -> None:
    assert set(summary_of_findings("cost")["outcome"].astype(str)) == {"cost"}
    assert set(summary_of_findings(comparison="kp_vs_vp")["comparison"].astype(str)) == {"kp_vs_vp"}
    with pytest.raises(UnknownTopicError, match="outcome"):
        summary_of_findings("happiness")
    with pytest.raises(UnknownTopicError, match="comparison"):
        summary_of_findings(comparison="kp_vs_magic")


def test_chart_text_prints_both_labelled_texts() -> None:
    text = kypho_aid.risk_view("new_fracture").text
    assert text is not None
    assert str(text) == f"Alt text: {text.alt}\nIn words: {text.long}"


def test_every_row_of_the_table_of_figures_says_which_did_better() -> None:
    """Rule 8: beside the numbers, in words, which option did better (and whether chance could
    explain it), row by row, for every outcome."""
    outcomes = kypho_aid.load_dataset("outcome_definitions")["outcome"].astype(str)
    for outcome in outcomes:
        view = kypho_aid.risk_view(outcome, view="numbers")
        cells = re.findall(r'data-label="Which did better">([^<]*)<', risk_view_html(view))
        assert len(cells) == len(view.figures), outcome
        for cell, (_, row) in zip(cells, view.figures.iterrows(), strict=True):
            winner = {
                "intervention": row["intervention_label"],
                "comparator": row["comparator_label"],
            }
            if row["kind"] == "counts":  # too few for a rate: no winner, as the statement says
                assert cell == "Too few events to tell which did better.", cell
                continue
            expected = winner.get(str(row["better"]))
            assert (expected is None) or cell.startswith(f"{expected} did better."), cell


def test_the_figures_stay_least_biased_first_and_a_less_fair_picture_says_so() -> None:
    """Rule 8: the table and the words lead with the least biased finding even where the
    picture cannot (a sham-controlled count too small to draw); the view then says that the
    picture shows the next fairest test, before that test's statement."""
    from markupsafe import escape

    from kypho_aid.texts import ui_text

    note = str(escape(ui_text("risk.not_fairest")))
    told = 0
    for outcome in OUTCOMES:
        view = kypho_aid.risk_view(outcome)
        ranked = kypho_aid.summary_of_findings(outcome)["finding_id"].tolist()
        shown = view.figures["finding_id"].tolist()
        assert shown == [f for f in ranked if f in set(shown)], outcome
        html = risk_view_html(view)
        if view.finding is not None and shown[0] != view.finding["finding_id"]:
            told += 1
            statement = str(escape(view.finding["statement"]))
            assert note in html and html.index(note) < html.index(statement), outcome
        else:
            assert note not in html, outcome
    assert told >= 1
    view = kypho_aid.risk_view("new_fracture")
    assert view.figures.iloc[0]["design"] == "sham_controlled_rct"
    assert view.finding is not None and view.finding["design"] == "open_rct"
    assert note not in risk_view_html(kypho_aid.risk_view("new_fracture", view="numbers"))


# --- the words come from data/ui_text.csv ------------------------------------------------------


def test_design_words_name_every_design_and_the_old_constant_still_answers() -> None:
    from kypho_aid.outcomes import design_words

    words = design_words()
    assert set(DESIGN_ORDER) <= set(words)
    assert words["none"] == "no study"
    with pytest.raises(AttributeError, match="DESIGN_NAMES"):
        _ = kypho_aid.outcomes.DESIGN_NAMES


def test_chart_words_follow_a_data_copy(data_copy: Path) -> None:
    path = data_copy / "ui_text.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "design.none,patient,sentence,no study,", "design.none,patient,sentence,nothing,"
    )
    text = text.replace("Timeline of {count} steps", "Timeline of all {count} steps")
    text = text.replace("Two pictures of {count}", "Two grids of {count}")
    path.write_text(text, encoding="utf-8")
    assert kypho_aid.outcomes.design_words(data_dir=data_copy)["none"] == "nothing"
    items = kypho_aid.load_dataset("preparation_recovery")
    alt = kypho_aid.timeline_text(items, data_dir=data_copy).alt
    assert alt.startswith("Timeline of all ")
    view = kypho_aid.risk_view("new_fracture", data_dir=data_copy)
    assert view.text is not None and view.text.alt.startswith("Two grids of ")


def test_a_chart_text_prints_its_labels_from_its_data_folder(data_copy: Path) -> None:
    path = data_copy / "ui_text.csv"
    text = path.read_text(encoding="utf-8")
    assert "Alt text: {alt}" in text
    path.write_text(text.replace("Alt text: {alt}", "Short text: {alt}"), encoding="utf-8")
    items = kypho_aid.load_dataset("preparation_recovery")
    assert str(kypho_aid.timeline_text(items, data_dir=data_copy)).startswith("Short text: ")
    assert str(kypho_aid.timeline_text(items)).startswith("Alt text: ")
