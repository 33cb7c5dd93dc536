"""The summary of findings: each outcome as comparisons of two arms of one body of evidence.

Reads ``findings``, ``comparisons``, ``arms``, ``options`` and ``outcome_definitions`` and
returns a tidy table in GRADE / Cochrane summary-of-findings style: one row per comparison,
outcome, source and time point, ranked so the least biased evidence comes first
(sham-controlled, then randomised, then pooled non-randomised and observational; certainty
breaks ties). Every row says in words which arm did better, by how much and how sure we can
be (:mod:`kypho_aid.wording` words each finding from ``data/ui_text.csv``). Only randomised
rows may be drawn (:data:`DRAWABLE_DESIGNS`); observational figures always carry the caveat
that they cannot show cause. Plain pandas; nothing here draws.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kypho_aid._values import choose_ids, deprecated_names, format_number
from kypho_aid.datasets import Stamp, data_key, load_dataset, option_labels
from kypho_aid.exceptions import UnknownTopicError
from kypho_aid.texts import text_table, ui_text
from kypho_aid.validation import GRADE_LEVELS, GRADE_START
from kypho_aid.wording import (  # the words of a finding, still importable from here
    DRAWABLE_DESIGNS,
    better_words,
    certainty_words,
    comparison_label,
    counted_label,
    finding_figure,
    finding_statement,
    which_did_better,
    with_unit,
)

__all__ = [
    "DRAWABLE_DESIGNS",
    "arm_labels",
    "better_words",
    "certainty_words",
    "comparison_label",
    "expected_certainty",
    "finding_arms",
    "finding_figure",
    "finding_statement",
    "format_number",
    "lead_finding",
    "one_finding",
    "pairwise_panels",
    "pick_lead",
    "summary_of_findings",
    "which_did_better",
    "with_unit",
]


# the old constants, now read from data/ui_text.csv, answer with a DeprecationWarning
__getattr__ = deprecated_names(
    __name__,
    {
        "CANNOT_SHOW_CAUSE": (
            "ui_text('finding.cannot_show_cause'), which reads data/ui_text.csv",
            lambda: ui_text("finding.cannot_show_cause"),
        ),
        "CERTAINTY_WORDS": ("certainty_words(), which reads data/ui_text.csv", certainty_words),
    },
)


def expected_certainty(design: str, downgrades: int) -> str:
    """The GRADE level a design reaches after ``downgrades`` levels are taken off."""
    return GRADE_LEVELS[max(0, GRADE_START[design] - downgrades)]


def arm_labels(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """Every arm's name: the three options, the sham procedure and both procedures together."""
    return dict(_arm_labels(*data_key(data_dir)))


@functools.lru_cache(maxsize=8)
def _arm_labels(data_dir: str | None, stamp: Stamp) -> tuple[tuple[str, str], ...]:
    """:func:`arm_labels`, read once per version of the data."""
    arms = load_dataset("arms", data_dir=data_dir)
    labels = option_labels(data_dir=data_dir)
    labels.update(zip(arms["arm"].astype(str), arms["label"].astype(str), strict=True))
    return tuple(labels.items())


@functools.lru_cache(maxsize=8)
def _full_table(data_dir: str | None, stamp: Stamp) -> pd.DataFrame:
    """Every finding, labelled, ranked and worded; built once per version of the data."""
    findings = load_dataset("findings", data_dir=data_dir)
    comparisons = load_dataset("comparisons", data_dir=data_dir)
    definitions = load_dataset("outcome_definitions", data_dir=data_dir)
    labels = arm_labels(data_dir=data_dir)
    words = text_table(data_dir=data_dir)
    table = findings.merge(
        comparisons,
        on="comparison",
        how="left",
        validate="many_to_one",
    ).merge(
        definitions[["outcome", "label", "group"]].rename(columns={"label": "outcome_label"}),
        on="outcome",
        how="left",
        validate="many_to_one",
    )
    table["intervention"] = table["intervention"].astype(str)
    table["comparator"] = table["comparator"].astype(str)
    table["intervention_label"] = table["intervention"].map(labels).astype("str")
    table["comparator_label"] = table["comparator"].map(labels).fillna("").astype("str")
    table["comparison_label"] = [
        comparison_label(first, second, texts=words)
        for first, second in zip(
            table["intervention_label"], table["comparator_label"], strict=True
        )
    ]
    table["drawable"] = (
        table["design"].astype(str).isin(DRAWABLE_DESIGNS)
        & table["kind"].astype(str).isin(["risk", "difference", "means"])
    ).astype(bool)
    design_rank = table["design"].cat.codes
    certainty_rank = (
        table["certainty"]
        .astype(str)
        .map(lambda level: len(GRADE_LEVELS) - 1 - GRADE_LEVELS.index(level))
    )
    table["rank"] = (design_rank * 10 + certainty_rank).astype(int)
    table = table.sort_values(["outcome", "rank", "finding_id"], kind="stable").reset_index(
        drop=True
    )
    table["better"] = pd.Series([which_did_better(r) for _, r in table.iterrows()], dtype="str")
    rows = [r for _, r in table.iterrows()]
    table["figure"] = pd.Series([finding_figure(r, texts=words) for r in rows], dtype="str")
    table["statement"] = pd.Series([finding_statement(r, texts=words) for r in rows], dtype="str")
    table["brief"] = pd.Series(
        [finding_statement(r, brief=True, texts=words) for r in rows], dtype="str"
    )
    table["glance"] = pd.Series(  # brief, its certainty told by a badge beside it
        [finding_statement(r, brief=True, certainty=False, texts=words) for r in rows], dtype="str"
    )
    return table


def summary_of_findings(
    outcome: str | Iterable[str] | None = None,
    comparison: str | Iterable[str] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Return the summary of findings as a tidy table, least biased evidence first.

    Parameters
    ----------
    outcome : str or list of str, optional
        Outcome keys of ``outcome_definitions`` (``new_fracture``, ...); all by default.
    comparison : str or list of str, optional
        Comparison keys of ``comparisons`` (``vp_vs_sham``, ``kp_vs_vp``, ...); all by default.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.DataFrame
        One row per finding, ranked within each outcome (``rank``: lower is less biased).
        Columns include ``comparison``, ``intervention``, ``comparator``, ``outcome``,
        ``design``, ``studies``, ``participants``, ``timepoint``, ``effect``, ``low``,
        ``high``, ``unit``, ``direction``, ``certainty``, ``downgrades``, ``source_ids``, the
        arms' figures (``intervention_per``, ``comparator_per``, ``denominator``,
        ``intervention_value``, ``comparator_value``), ``better`` (which arm did better),
        ``drawable`` (randomised, so it may be drawn), ``figure`` and ``statement`` (words).

    Raises
    ------
    UnknownTopicError
        If an outcome or comparison is not in the knowledge base.
    """
    folder, stamp = data_key(data_dir)
    known_outcomes, known_comparisons = _known_ids(folder, stamp)
    outcomes = choose_ids(outcome, list(known_outcomes), "outcome(s)", UnknownTopicError)
    chosen = choose_ids(comparison, list(known_comparisons), "comparison(s)", UnknownTopicError)
    return _selected(folder, stamp, tuple(outcomes), tuple(chosen)).copy()


@functools.lru_cache(maxsize=8)
def _known_ids(data_dir: str | None, stamp: Stamp) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every outcome and every comparison, in the order of their files; once per data version."""
    definitions = load_dataset("outcome_definitions", data_dir=data_dir)
    comparisons = load_dataset("comparisons", data_dir=data_dir)
    return (
        tuple(definitions["outcome"].astype(str)),
        tuple(comparisons["comparison"].astype(str)),
    )


@functools.lru_cache(maxsize=256)
def _selected(
    data_dir: str | None,
    stamp: Stamp,
    outcomes: tuple[str, ...],
    comparisons: tuple[str, ...],
) -> pd.DataFrame:
    """The rows of the full table for these outcomes and comparisons; callers get a copy.

    The views ask for the same few selections over and over (the risk explorer, its panels,
    the readability report), so each is filtered once per version of the data.
    """
    full = _full_table(data_dir, stamp)
    keep = full["outcome"].astype(str).isin(outcomes) & full["comparison"].astype(str).isin(
        comparisons
    )
    return full[keep].reset_index(drop=True)


def pick_lead(rows: pd.DataFrame) -> pd.Series | None:
    """The finding to lead with among ranked rows: the least biased one that can be shown as
    a picture (a randomised risk, difference or pair of means whose direction is known), else
    the least biased of all, else None."""
    shown = (rows["drawable"] & (rows["better"] != "unknown")).to_numpy(dtype=bool)
    if shown.any():  # the first such row itself: filtering the whole table first costs more
        return rows.iloc[int(shown.argmax())]
    return None if rows.empty else rows.iloc[0]


def lead_finding(
    outcome: str, comparison: str | None = None, *, data_dir: str | Path | None = None
) -> pd.Series | None:
    """The finding an outcome leads with (in one comparison if given): its least biased one
    (rule 8), whether or not a picture can show it, as a tile, the handout and the note tell
    it in words. A picture takes the least biased one it can show (:func:`pick_lead`)."""
    rows = summary_of_findings(outcome, comparison, data_dir=data_dir)
    return None if rows.empty else rows.iloc[0]


def pairwise_panels(outcome: str, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The three-option view: per pairwise comparison, the finding it leads with or none.

    Each panel leads by the rule every view of one finding follows (:func:`pick_lead`), so a
    panel and the risk explorer for that comparison show the same finding.

    One row per pairwise comparison in ``comparisons`` order with ``comparison``,
    ``comparison_label``, ``finding_id`` (empty where no study compared the two) and
    ``randomised`` (whether that finding comes from a randomised design).
    """
    if not isinstance(outcome, str):  # several outcomes: a list is no cache key, so built anew
        return _pairwise_panels(outcome, data_key(data_dir)[0])
    return _cached_panels(outcome, *data_key(data_dir)).copy()


@functools.lru_cache(maxsize=64)
def _cached_panels(outcome: str, data_dir: str | None, stamp: Stamp) -> pd.DataFrame:
    """:func:`pairwise_panels`, built once per outcome and version of the data."""
    return _pairwise_panels(outcome, data_dir)


def _pairwise_panels(outcome: str, data_dir: str | None) -> pd.DataFrame:
    comparisons = load_dataset("comparisons", data_dir=data_dir)
    labels = arm_labels(data_dir=data_dir)
    words = text_table(data_dir=data_dir)
    wide = summary_of_findings(outcome, data_dir=data_dir)
    # only the columns the rule and the panel read: filtering the wide table is the cost here
    rows = wide[["comparison", "finding_id", "design", "drawable", "better"]]
    panels = []
    for _, comparison in comparisons[comparisons["pairwise"] == "yes"].iterrows():
        first = pick_lead(rows[rows["comparison"] == comparison["comparison"]])
        panels.append(
            {
                "comparison": str(comparison["comparison"]),
                "comparison_label": comparison_label(
                    labels[str(comparison["intervention"])],
                    labels[str(comparison["comparator"])],
                    texts=words,
                ),
                "finding_id": "" if first is None else str(first["finding_id"]),
                "randomised": bool(first is not None and first["design"] in DRAWABLE_DESIGNS),
            }
        )
    return pd.DataFrame(panels)


def one_finding(finding: pd.Series | pd.DataFrame) -> pd.Series:
    """The one finding a picture shows: a picture never sets side by side the arms of
    different rows.

    Raises
    ------
    UnknownTopicError
        If ``finding`` is a table of other than one row.
    """
    if isinstance(finding, pd.DataFrame):
        if len(finding) != 1:
            raise UnknownTopicError(
                "a picture shows the arms of one finding (one comparison, time and measure); "
                f"got {len(finding)} rows"
            )
        return finding.iloc[0]
    return finding


def finding_arms(finding: pd.Series, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The arms of one finding as rows (``arm``, ``arm_label``, ``per``, ``per_low``,
    ``per_high``, ``denominator``, ``counted``, ``value``): what one picture of it shows."""
    counted = counted_label(finding, data_dir=data_dir)
    arms = [("intervention", str(finding["intervention"]), str(finding["intervention_label"]))]
    if str(finding["comparator"]) != "none":
        arms.append(("comparator", str(finding["comparator"]), str(finding["comparator_label"])))
    rows = []
    for side, arm, label in arms:
        single = side == "intervention" and str(finding["kind"]) == "single_group"
        rows.append(
            {
                "finding_id": str(finding["finding_id"]),
                "arm": arm,
                "arm_label": label,
                "per": finding[f"{side}_per"],
                "per_low": finding["per_low"] if single else float("nan"),
                "per_high": finding["per_high"] if single else float("nan"),
                "denominator": finding["denominator"],
                "counted": counted,
                "value": finding[f"{side}_value"],
            }
        )
    return pd.DataFrame(rows)
