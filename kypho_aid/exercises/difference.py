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
    _say,
    _sources_of,
    _sure,
)
from kypho_aid.findings import (
    format_number,
    summary_of_findings,
)
from kypho_aid.texts import ui_text
from kypho_aid.wording import chance_words, counted_label

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
    text = _say(
        "difference_question",
        data_dir,
        denominator=den,
        finding=row["finding_id"],
        mine=arms.mine,
        theirs=arms.theirs,
        sources=", ".join(_sources_of(row)),
        who=counted_label(row, data_dir=data_dir),
        measure=row["measure"],
        timepoint=row["timepoint"],
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
    where = _say("difference_where", data_dir, mine=mine, theirs=theirs, finding=this)
    value = _as_number(answer)
    if value is None:
        problem = _not_a_number(answer, data_dir)
        return Feedback(
            False,
            _say("difference_not_number", data_dir, problem=problem, denominator=den, where=where),
            data_dir=data_dir,
        )

    def near(target: float, tolerance: float = DIFFERENCE_TOLERANCE) -> bool:
        return abs(value - target) <= tolerance

    if near(expected):
        if expected == 0:
            words = _say("difference_same", data_dir, denominator=den, measure=row["measure"])
        else:
            words = _say(
                "difference_more" if expected > 0 else "difference_fewer",
                data_dir,
                gap=_number(abs(expected)),
                denominator=den,
                measure=row["measure"],
                mine=mine,
                theirs=theirs,
            )
        notes = []
        if pd.notna(row["low"]) and pd.notna(row["high"]):
            notes.append(
                ui_text(
                    "finding.risk_interval",
                    data_dir=data_dir,
                    low=format_number(row["low"]),
                    high=format_number(row["high"]),
                    denominator=den,
                )
            )
        if str(row["chance"]) in ("could_be_chance", "unlikely_chance"):  # not "not tested"
            notes += chance_words(row, data_dir=data_dir)
        notes += [_design(row, data_dir), _sure(row, data_dir)]
        return Feedback(
            True,
            _say(
                "difference_right",
                data_dir,
                mine_per=_number(arms.per),
                denominator=den,
                mine=mine,
                theirs_per=_number(arms.other),
                theirs=theirs,
                difference=_number(expected),
                words=words,
                timepoint=row["timepoint"],
                finding=this,
                notes=" ".join(notes),
            ),
            data_dir=data_dir,
        )
    if expected != 0 and near(-expected):
        return Feedback(
            False, _say("difference_sign", data_dir, mine=mine, theirs=theirs), data_dir=data_dir
        )
    shown = _number(value)
    if expected != 0 and (near(expected / den, 0.005) or near(-expected / den, 0.005)):
        return Feedback(
            False,
            _say("difference_proportion", data_dir, answer=shown, denominator=den),
            data_dir=data_dir,
        )
    pers = (arms.per, arms.other)
    ratios = [a / b for a, b in (pers, pers[::-1]) if b]
    if any(near(r, 0.05) for r in ratios):
        return Feedback(False, _say("difference_ratio", data_dir, answer=shown), data_dir=data_dir)
    events = (row["intervention_events"], row["comparator_events"])
    totals = (row["intervention_total"], row["comparator_total"])
    if all(pd.notna(x) for x in (*events, *totals)):
        raw = float(events[0]) - float(events[1])
        if raw != expected and near(raw):
            return Feedback(
                False,
                _say(
                    "difference_raw_counts",
                    data_dir,
                    answer=shown,
                    mine_events=int(events[0]),
                    mine_total=int(totals[0]),
                    theirs_events=int(events[1]),
                    theirs_total=int(totals[1]),
                    denominator=den,
                    where=where,
                ),
                data_dir=data_dir,
            )
    if any(near(p) for p in pers):
        return Feedback(
            False,
            _say("difference_one_figure", data_dir, answer=shown, where=where),
            data_dir=data_dir,
        )
    crossed = [other for gap, other in _mixed_rows(arms, data_dir) if near(gap)]
    if crossed:
        return Feedback(
            False,
            _say(
                "difference_other_finding",
                data_dir,
                answer=shown,
                other=crossed[0],
                finding=this,
                where=where,
            ),
            data_dir=data_dir,
        )
    return Feedback(
        False,
        _say("difference_wrong", data_dir, answer=shown, denominator=den, where=where),
        data_dir=data_dir,
    )
