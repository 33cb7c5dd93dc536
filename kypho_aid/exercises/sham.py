"""Exercise d: why a trial against a sham (fake) procedure matters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kypho_aid.datasets import load_dataset
from kypho_aid.exceptions import UnknownTopicError
from kypho_aid.exercises._common import (
    _SHAM_ARM,
    _SHAM_QUIZ_ID,
    Feedback,
    Question,
    _about,
    _as_text,
    _items,
    _say,
    _shown,
    _sources_of,
)
from kypho_aid.findings import (
    summary_of_findings,
)
from kypho_aid.outcomes import design_words
from kypho_aid.texts import sham_answer, sham_choices

# --- d: why a sham-controlled trial matters ----------------------------------------------


@dataclass(frozen=True)
class _ShamFindings:
    """The findings behind the sham exercise for one outcome."""

    sham: pd.DataFrame  # every finding against a sham, for the outcome, least biased first
    open: pd.Series | None  # the lead finding of the same procedure where people knew their care
    tested: pd.DataFrame  # every finding against a sham, for any outcome


def _sham_findings(outcome: str, data_dir: str | Path | None) -> _ShamFindings:
    everything = summary_of_findings(data_dir=data_dir)
    tested = everything[everything["comparator"] == _SHAM_ARM]
    sham = tested[tested["outcome"] == outcome].reset_index(drop=True)
    if not len(sham):
        with_sham = ", ".join(dict.fromkeys(tested["outcome"].astype(str)))
        raise UnknownTopicError(
            f"outcome {_shown(outcome)} has no finding against a sham procedure; use one of: "
            f"{with_sham}"
        )
    lead = sham.iloc[0]
    rows = summary_of_findings(outcome, data_dir=data_dir)
    known = rows[
        (rows["design"] == "open_rct")
        & (rows["intervention"] == lead["intervention"])
        & (rows["comparator"] != _SHAM_ARM)
    ]
    return _ShamFindings(sham, known.iloc[0] if len(known) else None, tested)


def sham_question(
    *, outcome: str = "pain_relief_early", data_dir: str | Path | None = None
) -> Question:
    """Exercise d: why a trial against a sham (fake) procedure matters; a multiple choice.

    Parameters
    ----------
    outcome : str
        An outcome with findings against a sham; by default pain in the first weeks.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    Question
        ``ids`` holds the outcome's least biased finding against a sham and, where there is
        one, the lead finding for the same procedure from a trial where people knew their care.

    Raises
    ------
    UnknownTopicError
        If ``outcome`` has no finding against a sham.
    """
    found = _sham_findings(outcome, data_dir)
    lead = found.sham.iloc[0]
    shown = [lead] if found.open is None else [lead, found.open]
    designs = design_words(data_dir=data_dir)
    lines = "\n".join(
        f"  - {_about(row, data_dir)}: {designs[str(row['design'])]}." for row in shown
    )
    offered = sham_choices(data_dir=data_dir)
    choices = "\n".join(f"  {letter}) {text}" for letter, (text, _) in offered.items())
    text = _say(
        "sham_question_two" if len(shown) > 1 else "sham_question_one",
        data_dir,
        outcome=str(lead["outcome_label"]).lower(),
        findings=lines,
        choices=choices,
        letters=", ".join(offered),
    )
    quiz = load_dataset("quiz", data_dir=data_dir).set_index("question_id")
    cited = dict.fromkeys(
        [s for row in shown for s in _sources_of(row)]
        + _items(quiz.loc[_SHAM_QUIZ_ID, "source_ids"])
    )
    return Question(
        "check_sham", text, tuple(str(row["finding_id"]) for row in shown), tuple(cited)
    )


def check_sham(
    answer: object, *, outcome: str = "pain_relief_early", data_dir: str | Path | None = None
) -> Feedback:
    """Check exercise d: why a trial against a sham procedure matters.

    Parameters
    ----------
    answer : object
        One letter of :func:`sham_choices` (``"b"``, ``"B"``, ``"b)"``), or a choice's text.
    outcome, data_dir
        As for :func:`sham_question`.

    Returns
    -------
    Feedback
        Right, with what the findings against a sham for the outcome say, which options were
        tested against a sham and the knowledge check's explanation; or why the chosen
        reason is not it.
    """
    found = _sham_findings(outcome, data_dir)
    offered = sham_choices(data_dir=data_dir)
    letters = ", ".join(offered)
    text = _as_text(answer)
    letter = None
    if text is not None:
        bare = text.strip("().: ")
        texts = {str(_as_text(choice)).rstrip("."): key for key, (choice, _) in offered.items()}
        letter = bare if bare in offered else texts.get(text.rstrip("."))
    if letter is None:
        start = (
            _say("no_answer", data_dir)
            if answer is None
            else _say("sham_not_choice", data_dir, answer=_shown(answer))
        )
        return Feedback(
            False,
            _say("sham_expected", data_dir, problem=start, letters=letters),
            data_dir=data_dir,
        )
    if letter != sham_answer(data_dir=data_dir):
        return Feedback(
            False,
            _say("sham_wrong", data_dir, letter=letter, why=offered[letter][1]),
            data_dir=data_dir,
        )
    tested = ", ".join(dict.fromkeys(found.tested["intervention_label"].astype(str)))
    studies = ", ".join(dict.fromkeys(found.tested["source_ids"].map(_items).explode()))
    sham = found.sham
    chance = int((sham["chance"] == "could_be_chance").sum())
    lead = sham.iloc[0]
    quiz = load_dataset("quiz", data_dir=data_dir).set_index("question_id")
    designs = design_words(data_dir=data_dir)
    return Feedback(
        True,
        _say(
            "sham_right",
            data_dir,
            sham_design=designs["sham_controlled_rct"],
            open_design=designs["open_rct"],
            tested=tested,
            studies=studies,
            outcome=str(lead["outcome_label"]).lower(),
            count=len(sham),
            chance=chance,
            finding=lead["finding_id"],
            statement=lead["statement"],
            explanation=quiz.loc[_SHAM_QUIZ_ID, "explanation"],
        ),
        data_dir=data_dir,
    )
