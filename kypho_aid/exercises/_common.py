"""What every exercise shares: the question and feedback types, reading answers without
ever raising, and the findings an exercise is about.

The words a student reads (questions, hints, feedback) are the ``exercise.*`` texts of
``data/ui_text.csv``, looked up with :func:`_say`."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from kypho_aid._values import display_value, present, shorten
from kypho_aid.exceptions import UnknownTopicError
from kypho_aid.findings import format_number, summary_of_findings
from kypho_aid.model import LIST_SEPARATOR
from kypho_aid.outcomes import design_words
from kypho_aid.texts import ui_text
from kypho_aid.wording import DRAWABLE_DESIGNS, certainty_words

#: How far a difference may be from the exact one and still count: rounding, not a new figure.
DIFFERENCE_TOLERANCE = 0.5

# What a sham exercise's explanation quotes: the knowledge-check question on sham trials.
_SHAM_QUIZ_ID = "K02"
_SHOWN_LIMIT = 60
# The arm a sham-controlled finding is compared with (``arms.csv``).
_SHAM_ARM = "sham"
# Answers that mean "it was not rated down".
_NO_REASONS = frozenset({"", "none", "no", "nothing", "-", "nan", "n/a"})


def _say(name: str, data_dir: str | Path | None, /, **fills: object) -> str:
    """The text ``exercise.<name>`` of ``ui_text.csv``, with its fills put in."""
    return ui_text(f"exercise.{name}", data_dir=data_dir, **fills)


@dataclass(frozen=True)
class Feedback:
    """The mark for one answer: right or not yet, and a message saying why.

    Attributes
    ----------
    correct : bool
        True when the answer is right.
    message : str
        What was right, or what was expected and where to look.
    """

    correct: bool
    message: str
    #: The knowledge-base folder of the ``Right:`` or ``Not yet:`` that ``str()`` puts first.
    data_dir: str | Path | None = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        """The mark as a student reads it: ``Right: ...`` or ``Not yet: ...`` (the texts
        ``exercise.right`` and ``exercise.not_yet``)."""
        return _say("right" if self.correct else "not_yet", self.data_dir, message=self.message)


@dataclass(frozen=True)
class Question:
    """One exercise as a student reads it, with the rows it is about.

    Attributes
    ----------
    exercise : str
        The name of the check that marks it, e.g. ``"check_difference"``.
    text : str
        The question, in words.
    ids : tuple of str
        What the question is about: finding ids (``SF…``), an evidence row id (``E…``) or
        topics.
    source_ids : tuple of str
        The sources behind the question, for a numbered source list.
    """

    exercise: str
    text: str
    ids: tuple[str, ...]
    source_ids: tuple[str, ...]

    def __str__(self) -> str:
        """The question text."""
        return self.text


# --- reading answers without ever raising -----------------------------------------------


def _shown(value: object) -> str:
    """Show an answer in a message as ``repr`` does, on one line, cut short; never raises."""
    return display_value(value, _SHOWN_LIMIT, one_line=True)


def _str(value: object) -> str:
    """``str(value)``, or the type's name when a hostile ``__str__`` fails."""
    try:
        return str(value)
    except Exception:
        return f"<{type(value).__name__}>"


def _listed(names: Sequence[str], most: int = 5) -> str:
    """A few names, each cut short, for a message."""
    shown = [shorten(n, _SHOWN_LIMIT) for n in names[:most]]
    return ", ".join(shown) + (", …" if len(names) > most else "")


def _kind(value: object, data_dir: str | Path | None) -> str:
    """The type of an answer in words: ``a Series``, ``an int``."""
    name = type(value).__name__
    return _say("kind_an" if name[:1].lower() in "aeiou" else "kind_a", data_dir, name=name)


def _as_number(answer: object) -> float | None:
    """A finite number from a number or a number written as text; None for anything else."""
    try:
        if isinstance(answer, bool):
            return None
        if isinstance(answer, numbers.Real | Decimal):
            value = float(answer)
        elif isinstance(answer, str) and len(answer) <= _SHOWN_LIMIT:
            value = float(answer.strip().replace("−", "-"))
        else:
            return None
    except (ValueError, TypeError, OverflowError, ArithmeticError):
        return None
    return value if math.isfinite(value) else None


def _not_a_number(answer: object, data_dir: str | Path | None) -> str:
    """Why an answer that should be a number is not one, in words."""
    if answer is None:
        return _say("no_answer", data_dir)
    if isinstance(answer, pd.Series | pd.DataFrame | pd.Index):
        return _say("number_many", data_dir, kind=_kind(answer, data_dir))
    if isinstance(answer, numbers.Complex) and not isinstance(answer, numbers.Real):
        return _say("number_complex", data_dir, answer=_shown(answer))
    if isinstance(answer, numbers.Real | Decimal) and not isinstance(answer, bool):
        return _say("number_not_finite", data_dir, answer=_shown(answer))
    if answer is pd.NA or answer is pd.NaT:
        return _say("number_na", data_dir)
    return _say("not_a_number", data_dir, answer=_shown(answer))


def _as_text(value: object) -> str | None:
    """Text with its spacing tidied and its case folded, for lenient matching; None if not text."""
    if not isinstance(value, str):
        return None
    return " ".join(value.strip().strip("'\"`").split()).casefold()


def _number(value: float) -> str:
    """A figure as a student types it back: at most two decimals, no trailing zeros, no
    thousands commas and an ASCII minus (see :func:`kypho_aid.findings.format_number`)."""
    return format_number(value, thousands=False, minus="-")


def _items(value: object) -> list[str]:
    """The items of a semicolon-separated list cell; none for an empty cell."""
    if not present(value):
        return []
    return str(value).split(LIST_SEPARATOR)


def _lower_first(label: str) -> str:
    """An option label inside a sentence: "Non-surgical care" → "non-surgical care"."""
    return label[:1].lower() + label[1:]


# --- findings: one row, both arms -------------------------------------------------------


def _finding(finding_id: object, data_dir: str | Path | None) -> pd.Series:
    """The finding with id ``finding_id``; raises naming the argument when there is none."""
    findings = summary_of_findings(data_dir=data_dir)
    found = (
        findings[findings["finding_id"] == finding_id]
        if isinstance(finding_id, str)
        else findings.iloc[:0]
    )
    if not len(found):
        ids = findings["finding_id"].astype(str)
        raise UnknownTopicError(
            f"finding_id {_shown(finding_id)} is not a finding of the summary of findings; "
            f"use one of {ids.min()} to {ids.max()} (the finding_id column)"
        )
    return found.iloc[0]


def lead_risk_finding(
    outcome: str = "new_fracture", *, data_dir: str | Path | None = None
) -> pd.Series:
    """The least biased randomised finding for ``outcome`` that gives both arms out of 100.

    The difference exercise uses it by default: a ``risk`` row whose design may be drawn
    (:data:`kypho_aid.findings.DRAWABLE_DESIGNS`), first in the summary of findings' ranking.

    Parameters
    ----------
    outcome : str
        An outcome of ``outcome_definitions``.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.Series
        One row of :func:`kypho_aid.findings.summary_of_findings`.

    Raises
    ------
    UnknownTopicError
        If ``outcome`` is unknown or has no randomised finding with both arms as risks.
    """
    findings = summary_of_findings(outcome, data_dir=data_dir)
    risks = findings[
        (findings["kind"] == "risk")
        & findings["drawable"]
        & findings["intervention_per"].notna()
        & findings["comparator_per"].notna()
    ]
    if not len(risks):
        raise UnknownTopicError(
            f"outcome {_shown(outcome)} has no randomised finding that gives both arms out of "
            "the same number; choose another outcome"
        )
    return risks.iloc[0]


def _risk_finding(finding_id: str | None, outcome: str, data_dir: str | Path | None) -> pd.Series:
    """The finding of the difference exercise: the given one, or the outcome's lead risk."""
    if finding_id is None:
        return lead_risk_finding(outcome, data_dir=data_dir)
    row = _finding(finding_id, data_dir)
    if (
        str(row["kind"]) != "risk"
        or pd.isna(row["intervention_per"])
        or pd.isna(row["comparator_per"])
    ):
        raise UnknownTopicError(
            f"finding_id {_shown(finding_id)} is a {row['kind']!s} finding; the difference "
            "exercise needs a 'risk' finding, with both arms out of the same number"
        )
    return row


def _sources_of(row: pd.Series) -> tuple[str, ...]:
    return tuple(_items(row["source_ids"]))


def _about(row: pd.Series, data_dir: str | Path | None) -> str:
    """A finding in a few words: "SF022 (vertebroplasty vs non-surgical care, ...)"."""
    return _say(
        "about_finding",
        data_dir,
        finding=row["finding_id"],
        comparison=_lower_first(str(row["comparison_label"])),
        measure=row["measure"],
        timepoint=row["timepoint"],
        figure=row["figure"],
    )


def _design(row: pd.Series, data_dir: str | Path | None) -> str:
    """Where a finding comes from, in words, with the caveat every non-randomised one has."""
    design = design_words(data_dir=data_dir)[str(row["design"])]
    if str(row["design"]) in DRAWABLE_DESIGNS:
        return _say("design", data_dir, design=design)
    caveat = ui_text("finding.cannot_show_cause", data_dir=data_dir)
    return _say("design_not_cause", data_dir, design=design, caveat=caveat)


def _sure(row: pd.Series, data_dir: str | Path | None) -> str:
    certainty = certainty_words(data_dir=data_dir)[str(row["certainty"])]
    return ui_text("certainty.how_sure", data_dir=data_dir, certainty=certainty)


def _unpack_pair(
    answer: object, first: Sequence[str], second: Sequence[str]
) -> tuple[object, object] | None:
    """Two values from a pair (tuple or list), or from a mapping or Series by key."""
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if isinstance(answer, Mapping):
        keys = {_as_text(k): k for k in answer}
        one = next((keys[k] for k in first if k in keys), None)
        two = next((keys[k] for k in second if k in keys), None)
        if one is None or two is None:
            return None
        return answer[one], answer[two]
    if isinstance(answer, Sequence) and not isinstance(answer, str | bytes) and len(answer) == 2:
        return answer[0], answer[1]
    return None
