"""Content defects from the December 2026 clinical review (issue 10), one test per defect.

Each test reads what it checks from the knowledge base, and each failed on the content
before the fix (commit a4a54bd): see the defect numbers of
shared/reference/clinical-review-2026-12.md in the test names.
"""

from __future__ import annotations

import re

import pandas as pd

import kypho_aid
from kypho_aid.model import LIST_SEPARATOR

OUTCOMES = kypho_aid.load_dataset("outcomes")


def _cites(frame: pd.DataFrame, source_id: str) -> pd.Series:
    return frame["source_ids"].astype(str).str.split(LIST_SEPARATOR).apply(lambda s: source_id in s)


# --- defect 12: design and certainty labels ------------------------------------------------


def test_12_improving_while_screened_is_an_observational_count_not_a_trial_result() -> None:
    """VERTOS II's 229 of 431 got better before anyone was randomised."""
    natural = OUTCOMES[(OUTCOMES["topic"] == "natural_history") & _cites(OUTCOMES, "VERTOS2")]
    assert len(natural) >= 1
    assert (natural["design"] == "observational").all()
    assert not natural["certainty_basis"].str.contains("RCT").any()


def test_12_kaviar_is_graded_low_and_says_why() -> None:
    """Stopped early (404 of 1234 planned), much follow-up missing, industry funded."""
    kaviar = OUTCOMES[_cites(OUTCOMES, "KAVIAR") & (OUTCOMES["certainty"] != "not_graded")]
    assert len(kaviar) >= 5
    assert kaviar["certainty"].astype(str).isin(["low", "very_low"]).all()
    assert kaviar["certainty_basis"].str.contains("stopped early").all()
    enrolled = OUTCOMES.loc[OUTCOMES["outcome_id"] == "E022", "notes"].item()
    planned = re.search(r"(\d+) of (\d+) planned", enrolled)
    assert planned is not None
    assert kaviar["certainty_basis"].str.contains(planned.group(0)).all()


def test_12_cancer_trial_figures_are_very_low_for_indirectness() -> None:
    """CAFE was in people with cancer: indirect evidence for fractures from thin bones."""
    cafe = OUTCOMES[
        (_cites(OUTCOMES, "CAFE") | _cites(OUTCOMES, "CAFE_REG"))
        & (OUTCOMES["certainty"] != "not_graded")
    ]
    assert len(cafe) >= 1
    assert (cafe["certainty"] == "very_low").all()
    assert cafe["certainty_basis"].str.contains("indirect").all()


def test_12_a_pool_of_observational_studies_is_not_described_as_mixing_trials() -> None:
    pooled = OUTCOMES[
        (OUTCOMES["design"] == "meta_analysis")
        & OUTCOMES["population"].str.contains("observational studies", na=False)
    ]
    assert len(pooled) >= 1
    assert not pooled["certainty_basis"].str.contains("mix RCTs").any()
    assert pooled["certainty_basis"].str.contains("observational studies only").all()


def test_12_mortality_claims_are_very_low_certainty() -> None:
    """Observational claims data with selection bias shown by McCullough 2013."""
    mortality = OUTCOMES[OUTCOMES["topic"] == "mortality"]
    assert len(mortality) >= 5
    assert (mortality["certainty"] == "very_low").all()
    assert mortality["certainty_basis"].str.contains("selection bias").all()


# --- defect 13: minor wording -----------------------------------------------------------------


def test_13_nerve_symptoms_of_a_spine_break_are_in_the_legs_as_the_sources_say() -> None:
    condition = kypho_aid.load_dataset("condition")
    nerves = condition[condition["statement"].str.contains("nerve", case=False)]
    assert len(nerves) >= 2
    assert not nerves["statement"].str.contains(r"\barms\b").any()
    legs = nerves[nerves["statement"].str.contains(r"\blegs\b")]
    assert len(legs) >= 1
    # a page that names the legs is cited for every sentence that does
    seeds = kypho_aid.load_dataset("sources")
    seed_ids = set(seeds.loc[seeds["kind"] == "seed_page", "source_id"])
    for row in legs.itertuples():
        locators = str(row.locators).split(LIST_SEPARATOR)
        cited = str(row.source_ids).split(LIST_SEPARATOR)
        assert any("legs" in loc for loc, s in zip(locators, cited, strict=True) if s in seed_ids)


def test_13_cement_in_the_lungs_is_not_called_a_blood_clot() -> None:
    risks = kypho_aid.load_dataset("risks")
    cement = risks[risks["description"].str.contains("cement", case=False)]
    for row in cement.itertuples():
        for sentence in re.split(r"(?<=\.)\s+", str(row.description)):
            if "clot" in sentence and "lung" in sentence.lower():
                assert "not a blood clot" in sentence or "treated like" in sentence, (
                    row.risk_id,
                    sentence,
                )


def test_13_ipdas_ratings_the_review_found_overstated_are_not_met() -> None:
    ipdas = kypho_aid.load_dataset("ipdas").set_index("criterion_id")
    for criterion in ("QL2", "QL9"):
        assert ipdas.loc[criterion, "status"] != "met", criterion
        assert len(str(ipdas.loc[criterion, "note"])) > 80, criterion


# --- defect 8: mortality is one neutral entry for every option ------------------------------


def _mortality_sources() -> set[str]:
    mortality = OUTCOMES[OUTCOMES["topic"] == "mortality"]
    return set(mortality["source_ids"].str.split(LIST_SEPARATOR).explode())


def _source_of(outcome_id: str) -> str:
    return str(OUTCOMES.loc[OUTCOMES["outcome_id"] == outcome_id, "source_ids"].item())


def test_8_mortality_is_not_a_risk_of_one_option() -> None:
    risks = kypho_aid.load_dataset("risks")
    cited = risks["source_ids"].str.split(LIST_SEPARATOR).explode()
    assert set(cited) & _mortality_sources() == set()


def test_8_mortality_is_one_neutral_faq_for_all_options_with_absolute_numbers() -> None:
    faq = kypho_aid.load_dataset("faq")
    cites = faq["source_ids"].str.split(LIST_SEPARATOR).apply(set)
    entry = faq[cites.apply(lambda s: len(s & _mortality_sources()) >= 2)]
    assert len(entry) == len(kypho_aid.load_dataset("options"))
    assert entry["question_id"].nunique() == 1 and entry["answer"].nunique() == 1
    answer = str(entry["answer"].iloc[0])
    # the selection-bias study (E115) and the no-survival-advantage cohort (E116) are both cited
    selection_bias = OUTCOMES[OUTCOMES["notes"].str.contains("selection bias", na=False)]
    no_advantage = OUTCOMES[OUTCOMES["notes"].str.contains("No survival advantage", na=False)]
    for rows in (selection_bias, no_advantage):
        assert set(rows["source_ids"]) & set(entry["source_ids"].iloc[0].split(LIST_SEPARATOR))
    assert "in 100" in answer  # absolute numbers, not only a relative figure
    assert "% higher" not in answer
    assert "very low" in answer and "cannot show cause" in answer


# --- defect 9: non-surgical care is a full option --------------------------------------------


def test_9_non_surgical_care_is_described_in_full_with_the_harms_of_pain_medicine() -> None:
    options = kypho_aid.load_dataset("options").set_index("option_id")
    summary = str(options.loc["non_surgical", "summary"])
    for part in ("pain medicine", "exercise", "brace", "bones stronger", "constipation", "falls"):
        assert part in summary, part
    assert "bed rest" not in summary  # not the standard: the guidelines advise keeping moving
    risks = kypho_aid.load_dataset("risks")
    own = risks[risks["option_id"] == "non_surgical"]
    assert own["description"].str.contains("constipation").any()
    # its natural course is described as what happens, with the evidence row's figures
    comparison = kypho_aid.load_dataset("comparison")
    what = comparison[
        (comparison["option_id"] == "non_surgical") & (comparison["attribute_id"] == "what_it_is")
    ]
    natural = OUTCOMES[OUTCOMES["topic"] == "natural_history"]["outcome_id"]
    assert what["evidence_id"].isin(natural).any()
    asbmr = _source_of("E093")  # the ASBMR task force: exercise may reduce pain
    assert what["source_ids"].str.split(LIST_SEPARATOR).apply(lambda s: asbmr in s).any()


def test_9_bone_medicine_and_warning_signs_apply_to_every_option() -> None:
    everyone = set(kypho_aid.load_dataset("options")["option_id"].astype(str))
    steps = kypho_aid.load_dataset("preparation_recovery")
    bone = steps[steps["category"] == "bone_health"]
    assert len(bone) >= 1
    for applies in bone["applies_to"]:
        assert set(str(applies).split(LIST_SEPARATOR)) == everyone
    signs = kypho_aid.load_dataset("warning_signs")
    covered = set(signs["applies_to"].astype(str).str.split(LIST_SEPARATOR).explode())
    assert covered == everyone


# --- defect 10: benefits are not worded as fact while harms are hedged -----------------------


def test_10_both_procedures_state_an_aim_not_a_result() -> None:
    options = kypho_aid.load_dataset("options").set_index("option_id")
    for option in ("kyphoplasty", "vertebroplasty"):
        assert "The aim is to steady the bone" in str(options.loc[option, "summary"]), option


def test_10_uncontrolled_pain_relief_claims_stand_next_to_the_sham_and_natural_course() -> None:
    invest = _source_of("E056")  # "both groups improved immediately"
    natural = _source_of("E147")  # 60 to 90 in 100 improve within 4 to 8 weeks
    assert "both groups improved immediately" in str(
        OUTCOMES.loc[OUTCOMES["outcome_id"] == "E056", "notes"].item()
    )
    faq = kypho_aid.load_dataset("faq")
    claim = faq[faq["answer"].str.contains("92%")]
    assert len(claim) >= 1
    for row in claim.itertuples():
        cited = str(row.source_ids).split(LIST_SEPARATOR)
        assert invest in cited and natural in cited, row.question_id
    comparison = kypho_aid.load_dataset("comparison")
    for option in ("kyphoplasty", "vertebroplasty"):
        cell = comparison[
            (comparison["attribute_id"] == "pain_relief_onset")
            & (comparison["option_id"] == option)
        ]
        cited = set(cell["source_ids"].str.split(LIST_SEPARATOR).explode())
        assert invest in cited, option
        first = cell.sort_values("fact_id").iloc[0]
        assert invest in str(first["source_ids"]).split(LIST_SEPARATOR), option  # in the handout
    kp = comparison[
        (comparison["attribute_id"] == "pain_relief_onset")
        & (comparison["option_id"] == "kyphoplasty")
    ]
    assert natural in set(kp["source_ids"].str.split(LIST_SEPARATOR).explode())
    steps = kypho_aid.load_dataset("preparation_recovery")
    easy = steps[steps["statement"].str.contains("quick and easy")]
    assert len(easy) >= 1 and easy["statement"].str.startswith("One health page says").all()
