"""Exercise a: the two arms of one finding, as a difference out of 100."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kypho_aid.exercises._common import (
    DIFFERENCE_TOLERANCE,
    Feedback,
    Question,
    _as_number,
    _design,
    _lower_first,
    _not_a_number,
    _number,
    _risk_finding,
    _sources_of,
    _sure,
)
from kypho_aid.findings import (
    format_number,
    summary_of_findings,
)

# --- a: a difference out of 100 between the two arms of one finding ---------------------


@dataclass(frozen=True)
class _Arms:
    """The two arms of the difference exercise: one finding, one denominator."""

    row: pd.Series
    mine: str
    theirs: str
    per: float
    other: float
    denominator: int

    @property
    def expected(self) -> float:
        return self.per - self.other


def _arms(finding_id: str | None, outcome: str, data_dir: str | Path | None) -> _Arms:
    row = _risk_finding(finding_id, outcome, data_dir)
    return _Arms(
        row,
        _lower_first(str(row["intervention_label"])),
        _lower_first(str(row["comparator_label"])),
        float(row["intervention_per"]),
        float(row["comparator_per"]),
        int(row["denominator"]),
    )


def difference_question(
    *,
    finding_id: str | None = None,
    outcome: str = "new_fracture",
    data_dir: str | Path | None = None,
) -> Question:
    """Exercise a: turn the two arms of one finding into a difference out of 100.

    Parameters
    ----------
    finding_id : str, optional
        A ``risk`` finding of the summary of findings (``SF…``). By default the outcome's
        least biased randomised one (:func:`lead_risk_finding`).
    outcome : str
        The outcome whose lead finding is used when ``finding_id`` is not given.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    Question
        ``ids`` holds the finding id.

    Raises
    ------
    UnknownTopicError
        If ``finding_id`` is not a finding, or not one with both arms out of one number.
    """
    arms = _arms(finding_id, outcome, data_dir)
    row, den = arms.row, arms.denominator
    who = "treated bones" if str(row["counted"]) == "treated_bones" else "people"
    text = (
        f"Exercise: a difference out of {den}.\n"
        f"Finding {row['finding_id']} of the summary of findings compares "
        f"{arms.mine} with {arms.theirs} in one study ({', '.join(_sources_of(row))}). "
        f"It counts how many {who} out of {den} had {row['measure']}, {row['timepoint']}, "
        "in each of the two groups: intervention_per for the first and comparator_per for "
        "the second.\n"
        f"What is the difference out of {den}: {arms.mine} minus {arms.theirs}? "
        f"A negative answer means fewer with {arms.mine}. Use only this finding's two figures."
    )
    return Question("check_difference", text, (str(row["finding_id"]),), _sources_of(row))


def _mixed_rows(arms: _Arms, data_dir: str | Path | None) -> list[tuple[float, str]]:
    """Differences a student gets by taking one figure from another finding of the outcome."""
    this = str(arms.row["finding_id"])
    findings = summary_of_findings(str(arms.row["outcome"]), data_dir=data_dir)
    others = findings[
        (findings["finding_id"] != this)
        & findings["denominator"].eq(arms.denominator).fillna(False).astype(bool)
    ]
    mixed: list[tuple[float, str]] = []
    for _, other in others.iterrows():
        for value in (other["intervention_per"], other["comparator_per"]):
            if pd.notna(value):
                mixed.append((arms.per - float(value), str(other["finding_id"])))
                mixed.append((float(value) - arms.other, str(other["finding_id"])))
    return mixed


def check_difference(
    answer: object,
    *,
    finding_id: str | None = None,
    outcome: str = "new_fracture",
    data_dir: str | Path | None = None,
) -> Feedback:
    """Check exercise a: the difference out of 100 between the two arms of one finding.

    Parameters
    ----------
    answer : object
        The student's number: the finding's ``intervention_per`` minus its
        ``comparator_per``, out of its ``denominator``. Within :data:`DIFFERENCE_TOLERANCE`
        of it counts as right. A number written as text (``"-9"``) is read as that number.
    finding_id, outcome, data_dir
        As for :func:`difference_question`.

    Returns
    -------
    Feedback
        Right, with the difference in words, the design and how sure we can be; or what was
        expected, naming a sign turned round, a proportion, a ratio, raw counts, one figure
        alone or a figure from another finding when it sees one.

    Raises
    ------
    UnknownTopicError
        As for :func:`difference_question`: a bad setting, never a bad answer.
    """
    arms = _arms(finding_id, outcome, data_dir)
    row, den, expected = arms.row, arms.denominator, arms.expected
    mine, theirs, this = arms.mine, arms.theirs, str(row["finding_id"])
    where = (
        f"Look at the intervention_per ({mine}) and comparator_per ({theirs}) columns of "
        f"finding {this} in summary_of_findings(), and take the second from the first."
    )
    value = _as_number(answer)
    if value is None:
        return Feedback(False, f"{_not_a_number(answer)} Expected one number out of {den}. {where}")

    def near(target: float, tolerance: float = DIFFERENCE_TOLERANCE) -> bool:
        return abs(value - target) <= tolerance

    if near(expected):
        if expected == 0:
            words = f"the same number out of {den} had {row['measure']}"
        else:
            more = "more" if expected > 0 else "fewer"
            words = (
                f"about {_number(abs(expected))} {more} out of {den} had {row['measure']} "
                f"with {mine} than with {theirs}"
            )
        interval = ""
        if pd.notna(row["low"]) and pd.notna(row["high"]):
            interval = (
                f" The true gap is likely between {format_number(row['low'])} and "
                f"{format_number(row['high'])} out of {den}."
            )
        chance = {
            "could_be_chance": " The gap could be due to chance.",
            "unlikely_chance": " The study's test says the gap is not likely to be chance alone.",
        }.get(str(row["chance"]), "")
        return Feedback(
            True,
            f"{_number(arms.per)} out of {den} ({mine}) minus {_number(arms.other)} out of "
            f"{den} ({theirs}) is {_number(expected)} out of {den}: {words}, "
            f"{row['timepoint']}. Both figures come from one finding, {this}, so like is "
            f"compared with like.{interval}{chance} {_design(row)} {_sure(row)}",
        )
    if expected != 0 and near(-expected):
        return Feedback(
            False,
            f"the size is right but the sign is turned round. The question asks for {mine} "
            f"minus {theirs}, so a negative answer means fewer with {mine}.",
        )
    if expected != 0 and (near(expected / den, 0.005) or near(-expected / den, 0.005)):
        return Feedback(
            False,
            f"{_number(value)} looks like a proportion of one person. Give the difference out "
            f"of {den}: how many in {den}, not a share of one.",
        )
    pers = (arms.per, arms.other)
    ratios = [a / b for a, b in (pers, pers[::-1]) if b]
    if any(near(r, 0.05) for r in ratios):
        return Feedback(
            False,
            f"{_number(value)} looks like one figure divided by the other. That is a ratio, "
            "a relative comparison. The question asks for the difference: take one figure from "
            "the other.",
        )
    events = (row["intervention_events"], row["comparator_events"])
    totals = (row["intervention_total"], row["comparator_total"])
    if all(pd.notna(x) for x in (*events, *totals)):
        raw = float(events[0]) - float(events[1])
        if raw != expected and near(raw):
            return Feedback(
                False,
                f"{_number(value)} is the difference between the raw counts "
                f"({int(events[0])} of {int(totals[0])} and {int(events[1])} of "
                f"{int(totals[1])}). The groups were not the same size, so first put both "
                f"out of {den}. {where}",
            )
    if any(near(p) for p in pers):
        return Feedback(
            False, f"{_number(value)} is one group's figure on its own, not the difference. {where}"
        )
    crossed = [other for gap, other in _mixed_rows(arms, data_dir) if near(gap)]
    if crossed:
        return Feedback(
            False,
            f"{_number(value)} looks like it takes one figure from another finding "
            f"({crossed[0]}). Findings from other studies or times are not like with like: "
            f"use both figures of finding {this}. {where}",
        )
    return Feedback(False, f"{_number(value)} is not the difference out of {den}. {where}")
