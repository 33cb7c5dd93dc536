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
