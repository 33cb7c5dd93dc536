"""Sourcing: every citation resolves, every source is cited, every figure and locator traces back.

The traceability tests read ../shared (the seed pages and the evidence dossier the project
was specified from) and check the knowledge base against them, figure by figure.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pandas as pd
import pytest

import kypho_aid
from kypho_aid import validation
from kypho_aid.model import Option

FACT_TABLES = [
    name
    for name in kypho_aid.list_datasets()
    if "source_ids" in kypho_aid.describe_dataset(name)["column"].tolist() and name != "content"
]


def _citations() -> pd.DataFrame:
    rows = []
    for name in FACT_TABLES:
        frame = kypho_aid.load_dataset(name)
        key = kypho_aid.describe_dataset(name)["column"].iloc[0]
        for _, row in frame.iterrows():
            ids = str(row["source_ids"]).split(";")
            locators = str(row["locators"]).split(";")
            for source_id, locator in zip(ids, locators, strict=True):
                rows.append(
                    {"table": name, "key": row[key], "source_id": source_id, "locator": locator}
                )
    return pd.DataFrame(rows)


CITATIONS = _citations()
SOURCES = kypho_aid.load_dataset("sources")


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def test_every_fact_table_cites_on_every_row() -> None:
    for name in FACT_TABLES:
        frame = kypho_aid.load_dataset(name)
        assert frame["source_ids"].notna().all(), name
    assert {"comparison", "risks", "candidacy", "faq", "glossary", "outcomes", "steps"} <= set(
        FACT_TABLES
    )


def test_every_citation_resolves() -> None:
    unknown = set(CITATIONS["source_id"]) - set(SOURCES["source_id"])
    assert unknown == set()


def test_every_source_is_cited_at_least_once() -> None:
    uncited = set(SOURCES["source_id"]) - set(CITATIONS["source_id"])
    assert uncited == set()


def test_every_option_answers_every_core_attribute() -> None:
    attributes = kypho_aid.load_dataset("attributes")
    facts = kypho_aid.load_dataset("comparison")
    core = attributes.loc[attributes["core"], "attribute_id"]
    for attribute in core:
        for option in Option:
            rows = facts[(facts["attribute_id"] == attribute) & (facts["option_id"] == option)]
            assert len(rows), f"{attribute} has nothing for {option}"
            not_applicable = rows[rows["status"] == "not_applicable"]
            assert not_applicable["value"].str.len().gt(20).all(), (
                "a not-applicable row must give its reason"
            )


def test_the_completeness_checks_catch_a_gap() -> None:
    """The package checks the tests above rely on really fail when something is missing."""
    tables = {name: _parsed(name) for name in ("attributes", "comparison", "options", "sources")}
    trimmed = tables["comparison"]
    kept = tuple(r for r in trimmed.rows if r.values["attribute_id"] != "balloon_use")
    tables["comparison"] = validation.ParsedTable(trimmed.schema, trimmed.shown, kept, ())
    missing = validation.check_core_attributes(tables)
    assert len(missing) == len(Option)
    assert all("balloon_use" in p.message for p in missing)
    assert (
        len(validation.check_every_source_cited(tables)) > 0
    )  # other tables' citations are absent here


def _parsed(name: str) -> validation.ParsedTable:
    from kypho_aid.loading import _parse

    _, table, _ = _parse(name, kypho_aid.data_dir())
    assert table is not None
    return table


def test_non_surgical_care_is_present_everywhere_it_should_be() -> None:
    for name in ("options", "comparison", "risks", "faq", "steps"):
        frame = kypho_aid.load_dataset(name)
        assert (frame["option_id"] == "non_surgical").any(), name
    outcomes = kypho_aid.load_dataset("outcomes")
    assert outcomes["options"].str.contains("non_surgical").sum() >= 5


def test_sham_controlled_and_unblinded_evidence_are_told_apart() -> None:
    outcomes = kypho_aid.load_dataset("outcomes").set_index("outcome_id")
    assert outcomes.loc["E056", "design"] == "sham_controlled_rct"  # INVEST
    assert outcomes.loc["E077", "design"] == "unblinded_rct"  # FREE
    assert (
        outcomes.loc[outcomes["design"] == "sham_controlled_rct", "options"] == "vertebroplasty"
    ).all()
    assert outcomes["certainty_basis"].str.len().gt(20).all()


# --- traceability against ../shared -------------------------------------------------------


def _evidence(shared: Path) -> dict[str, dict[str, str]]:
    with (shared / "evidence" / "evidence.csv").open(encoding="utf-8") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def _same_number(ours: object, theirs: str) -> bool:
    if theirs.strip() == "":
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    return isinstance(ours, float) and math.isclose(ours, float(theirs))


def _zero_width(source: dict[str, str]) -> bool:
    """The dossier's low and high both equal its estimate ("19 to 19"): not a real interval."""
    values = {source[c].strip() for c in ("value", "low", "high")}
    return len(values) == 1 and values != {""}


def test_no_outcome_carries_an_interval_equal_to_its_estimate() -> None:
    """Defect 12: E113 read "19 to 19"; an interval that equals its estimate says nothing."""
    outcomes = kypho_aid.load_dataset("outcomes")
    both = outcomes[outcomes["low"].notna() & outcomes["high"].notna()]
    degenerate = both[(both["low"] == both["high"]) & (both["low"] == both["value"])]
    assert degenerate["outcome_id"].tolist() == []


def test_outcome_figures_equal_the_evidence_file(shared: Path) -> None:
    evidence = _evidence(shared)
    outcomes = kypho_aid.load_dataset("outcomes")
    assert len(outcomes) == len(evidence)
    for row in outcomes.itertuples(index=False):
        source = evidence[row.outcome_id]
        number = source["value"].strip()
        if re.fullmatch(r"-?\d+(\.\d+)?", number):
            assert _same_number(row.value, number), row.outcome_id
        elif number:
            assert row.value_text == number, row.outcome_id
        else:  # the source gave only an interval
            assert pd.isna(row.value) and pd.isna(row.value_text), row.outcome_id
        if _zero_width(source):  # an interval equal to its estimate is none: carried with a note
            assert pd.isna(row.low) and pd.isna(row.high), row.outcome_id
            said = f"{source['low']} to {source['high']}"
            assert str(row.interval) == "none" and said in str(row.notes), row.outcome_id
        else:
            assert _same_number(row.low, source["low"]), row.outcome_id
            assert _same_number(row.high, source["high"]), row.outcome_id
        assert (row.unit, row.source_ids, str(row.topic), str(row.arm)) == (
            source["unit"],
            source["source_id"],
            source["topic"],
            source["procedure"],
        ), row.outcome_id
        for ours, theirs in (
            (row.timepoint, "timepoint"),
            (row.population, "population"),
            (row.comparison, "comparison"),
        ):
            assert (ours if isinstance(ours, str) else "") == source[theirs], (
                row.outcome_id,
                theirs,
            )


@pytest.mark.parametrize("table", ["comparison", "risks", "candidacy", "condition"])
def test_numbers_carried_from_evidence_rows_match(table: str, shared: Path) -> None:
    evidence = _evidence(shared)
    frame = kypho_aid.load_dataset(table)
    linked = frame[frame["evidence_id"].notna()]
    number_columns = [c for c in ("low", "high", "threshold") if c in frame.columns]
    for _, row in linked.iterrows():
        source = evidence[row["evidence_id"]]
        # a carried number may sit in the value, interval, unit or notes ("24 h analgesia", "age <18")
        text = " ".join(source[c] for c in ("value", "low", "high", "unit", "measure", "notes"))
        figures = {float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)}
        for column in number_columns:
            value = row[column]
            if not pd.isna(value):
                assert float(value) in figures, (table, row.iloc[0], column, value, figures)
        assert source["source_id"] in str(row["source_ids"]).split(";"), (table, row.iloc[0])


def test_seed_locators_are_found_in_their_pages(shared: Path) -> None:
    seeds = SOURCES[SOURCES["kind"] == "seed_page"]
    assert len(seeds) == 5
    texts = {
        sid: _squash((shared / "seeds" / str(sid)).read_text(encoding="utf-8"))
        for sid in seeds["source_id"]
    }
    cited = CITATIONS[CITATIONS["source_id"].isin(texts)]
    missing = [
        (r.table, r.key, r.source_id, r.locator)
        for r in cited.itertuples()
        if _squash(r.locator) not in texts[r.source_id]
    ]
    assert missing == []


def test_every_seed_page_is_a_source_of_many_facts(shared: Path) -> None:
    counts = CITATIONS[CITATIONS["source_id"].str.endswith(".txt")].groupby("source_id").size()
    files = sorted(p.name for p in (shared / "seeds").glob("*.txt"))
    assert sorted(counts.index) == files
    assert counts.min() >= 10, counts.to_dict()


def test_bibliography_agrees_with_the_evidence_sources(shared: Path) -> None:
    with (shared / "evidence" / "sources.csv").open(encoding="utf-8") as handle:
        theirs = {row["source_id"]: row for row in csv.DictReader(handle)}
    for row in SOURCES[SOURCES["kind"] != "seed_page"].itertuples(index=False):
        if row.source_id not in theirs:  # read by the developers themselves: must be findable
            # a paper by its PMID or DOI; a guideline or reference page without one by its address
            web_page = row.kind in ("guideline", "patient_info") and isinstance(row.url, str)
            assert isinstance(row.pmid, str) or isinstance(row.doi, str) or web_page, row.source_id
            assert "read by the kypho-aid developers" in str(row.notes), row.source_id
            continue
        source = theirs[row.source_id]
        assert (row.doi if isinstance(row.doi, str) else "") == source["doi"].strip(), row.source_id
        assert (row.pmid if isinstance(row.pmid, str) else "") == source["pmid"].strip(), (
            row.source_id
        )
        assert row.kind == source["kind"].replace("-", "_"), row.source_id


def test_no_unverified_figure_is_used(shared: Path) -> None:
    """The evidence README's 'from memory' figures must not appear as data."""
    unverified = [
        "2.6 (95% CI 1.74",
        "64% vs 48%",
        "41% with VP",
        "-8.4 points",
        "1.74",
        "3.37",
        "43% vs 12%",
    ]
    blob = "\n".join(p.read_text(encoding="utf-8") for p in kypho_aid.data_dir().glob("*.*"))
    assert [figure for figure in unverified if figure in blob] == []


# --- numbers inside sentences ----------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.])(?:(?<!\d)-)?\d+(?:,\d{3})*(?:\.\d+)?")  # "0-10" is 0 and 10
_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "half": 2,
    "third": 3,
    "quarter": 4,
}
_PROSE = {
    "value",
    "description",
    "answer",
    "statement",
    "plain",
    "criterion",
    "sign",
    "meaning",
    "definition",
    "summary",
    "label",
    "risk",
}


def _numbers(text: str, *, words: bool = False) -> set[float]:
    found = {abs(float(n.replace(",", ""))) for n in _NUMBER.findall(text)}
    if words:
        found |= {float(v) for w, v in _WORDS.items() if re.search(rf"\b{w}\b", text, re.I)}
    return found


def test_numbers_in_sentences_trace_to_the_sources_they_cite(shared: Path) -> None:
    """A number written into a fact's text must appear in a source the row cites: the seed
    page's text, or an evidence row of a cited source (its value, interval, unit, comparison
    or notes). Rounding to a whole number, the complement of a percentage (60–90% settle, so
    10–40% do not) and the 0, 1 and 100 of "N out of 100" are allowed."""
    seeds = {
        p.name: _numbers(p.read_text(encoding="utf-8"), words=True) | _numbers(p.name)
        for p in (shared / "seeds").glob("*.txt")
    }
    evidence: dict[str, set[float]] = {}
    for row in _evidence(shared).values():
        text = " ".join(
            row[c]
            for c in (
                "value",
                "low",
                "high",
                "unit",
                "measure",
                "comparison",
                "notes",
                "population",
                "timepoint",
            )
        )
        evidence.setdefault(row["source_id"], set()).update(_numbers(text, words=True))
    untraced = []
    for name in FACT_TABLES:
        if name == "outcomes":  # checked figure by figure above
            continue
        frame = kypho_aid.load_dataset(name)
        for _, row in frame.iterrows():
            cited = str(row["source_ids"]).split(";")
            allowed = set().union(
                *(seeds.get(s, set()) | evidence.get(s, set()) | _numbers(s) for s in cited)
            )
            allowed |= (
                {round(a) for a in allowed}
                | {100 - a for a in allowed if 0 < a < 100}
                | {0, 1, 100}
            )
            for column in _PROSE & set(frame.columns):
                text = row[column]
                if isinstance(text, str):
                    scale = (
                        {10.0} if re.search(r"pain score", text, re.I) else set()
                    )  # "5 out of 10"
                    untraced += [
                        (name, row.iloc[0], column, n)
                        for n in _numbers(text)
                        if n not in allowed | scale
                    ]
    assert untraced == []
