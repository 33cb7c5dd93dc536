"""Exercises for students, each with a check that says what is right and what to look at.

Every exercise is grounded in the summary of findings
(:func:`kypho_aid.findings.summary_of_findings`): one row per comparison of two arms, from
one study or one pooled analysis, at one time point, on one measure. Exercises compare like
with like: a difference is taken between the two arms *of one finding*, never between
figures from different rows.

Every exercise comes as a pair: a ``*_question`` function that returns the :class:`Question`
a student reads, and a ``check_*`` function that marks an answer and returns
:class:`Feedback`. The expected answers are worked out from the knowledge base each time, so
they follow the data; nothing here types in a figure. A check never raises on a bad answer
(``None``, text, NaN, the wrong type): it says what kind of answer it expected instead. A
bad *setting* (a ``finding_id`` that is not in the table, a finding of the wrong kind)
raises :class:`~kypho_aid.UnknownTopicError` naming the argument.

Exercises
---------
- :func:`check_difference`: the two arms of one finding, as a difference out of 100.
- :func:`check_source`: the source and the place in it behind one finding or evidence row.
- :func:`check_comparison`: a side-by-side comparison of chosen topics, with every option.
- :func:`check_sham`: why a trial against a sham (fake) procedure matters, with the
  sham-controlled findings.
- :func:`check_certainty`: how sure we can be about one finding (its GRADE certainty) and
  why it was rated down.

Examples
--------
>>> from kypho_aid import exercises
>>> print(exercises.check_sham(None))  # doctest: +ELLIPSIS
Not yet: no answer yet. ...
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from kypho_aid._values import display_value, present, shorten
from kypho_aid.compare import ComparisonTable, bibliography, compare
from kypho_aid.datasets import describe_dataset, load_dataset, option_labels
from kypho_aid.exceptions import UnknownTopicError
from kypho_aid.findings import (
    CANNOT_SHOW_CAUSE,
    CERTAINTY_WORDS,
    DRAWABLE_DESIGNS,
    expected_certainty,
    format_number,
    lead_finding,
    summary_of_findings,
)
from kypho_aid.model import LIST_SEPARATOR
from kypho_aid.outcomes import DESIGN_WORDS
from kypho_aid.texts import sham_answer, sham_choices

__all__ = [
    "DIFFERENCE_TOLERANCE",
    "Feedback",
    "Question",
    "certainty_question",
    "check_certainty",
    "check_comparison",
    "check_difference",
    "check_sham",
    "check_source",
    "comparison_question",
    "difference_question",
    "lead_risk_finding",
    "sham_answer",
    "sham_choices",
    "sham_question",
    "source_question",
]

#: How far a difference may be from the exact one and still count: rounding, not a new figure.
DIFFERENCE_TOLERANCE = 0.5

# The sham exercise's choices live in data/sham_choices.csv: see
# :func:`kypho_aid.texts.sham_choices` and :func:`kypho_aid.texts.sham_answer`. The old
# constants still work with a DeprecationWarning.
_DEPRECATED: Mapping[str, tuple[str, Callable[[], object]]] = {
    "SHAM_CHOICES": ("sham_choices", sham_choices),
    "SHAM_ANSWER": ("sham_answer", sham_answer),
}


def __getattr__(name: str) -> object:
    if name not in _DEPRECATED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    replacement, read = _DEPRECATED[name]
    warnings.warn(
        f"exercises.{name} is deprecated; use {replacement}(), which reads data/sham_choices.csv",
        DeprecationWarning,
        stacklevel=2,
    )
    return read()


# What a sham exercise's explanation quotes: the knowledge-check question on sham trials.
_SHAM_QUIZ_ID = "K02"
_SHOWN_LIMIT = 60
# The arm a sham-controlled finding is compared with (``arms.csv``).
_SHAM_ARM = "sham"
# Answers that mean "it was not rated down".
_NO_REASONS = frozenset({"", "none", "no", "nothing", "-", "nan", "n/a"})


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

    def __str__(self) -> str:
        """The mark as a student reads it: ``Right: ...`` or ``Not yet: ...``."""
        return f"{'Right' if self.correct else 'Not yet'}: {self.message}"


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


def _kind(value: object) -> str:
    """The type of an answer in words: ``a Series``, ``an int``."""
    name = type(value).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


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


def _not_a_number(answer: object) -> str:
    """Why an answer that should be a number is not one, in words."""
    if answer is None:
        return "no answer yet."
    if isinstance(answer, pd.Series | pd.DataFrame | pd.Index):
        return (
            f"got {_kind(answer)}, which holds many values. Take the single number out of it, "
            "for example with .iloc[0] or .item()."
        )
    if isinstance(answer, numbers.Complex) and not isinstance(answer, numbers.Real):
        return f"{_shown(answer)} is a complex number; expected a plain number."
    if isinstance(answer, numbers.Real | Decimal) and not isinstance(answer, bool):
        return (
            f"{_shown(answer)} is not a number that can be the difference: it is missing (NaN), "
            "endless or far too large. Check that both counts went into the sum."
        )
    if answer is pd.NA or answer is pd.NaT:
        return "the answer is missing (NA). Check that both counts went into the sum."
    return f"{_shown(answer)} is not a number."


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


def _about(row: pd.Series) -> str:
    """A finding in a few words: "SF022 (vertebroplasty vs non-surgical care, ...)"."""
    return (
        f"finding {row['finding_id']} ({_lower_first(str(row['comparison_label']))}, "
        f"{row['measure']}, {row['timepoint']}: {row['figure']})"
    )


def _design(row: pd.Series) -> str:
    """Where a finding comes from, in words, with the caveat every non-randomised one has."""
    words = f"This comes from {DESIGN_WORDS[str(row['design'])]}."
    if str(row["design"]) not in DRAWABLE_DESIGNS:
        words += " " + CANNOT_SHOW_CAUSE
    return words


def _sure(row: pd.Series) -> str:
    return f"How sure we can be: {CERTAINTY_WORDS[str(row['certainty'])]}."


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


# --- b: the source and locator behind a finding or evidence row -------------------------


def _cited_row(row_id: object, data_dir: str | Path | None) -> tuple[str, pd.Series]:
    """The table (``findings`` or ``outcomes``) and the row with id ``row_id``."""
    if isinstance(row_id, str):
        findings = summary_of_findings(data_dir=data_dir)
        found = findings[findings["finding_id"] == row_id]
        if len(found):
            return "findings", found.iloc[0]
        evidence = load_dataset("outcomes", data_dir=data_dir)
        found = evidence[evidence["outcome_id"] == row_id]
        if len(found):
            return "outcomes", found.iloc[0]
    raise UnknownTopicError(
        f"row_id {_shown(row_id)} is not a finding id (SF…) of the findings table or an "
        "evidence row id (E…) of the outcomes table"
    )


def _source_row_id(row_id: str | None, data_dir: str | Path | None) -> str:
    """The row of the source exercise: the given one, or the difference exercise's finding."""
    return str(lead_risk_finding(data_dir=data_dir)["finding_id"]) if row_id is None else row_id


def source_question(*, row_id: str | None = None, data_dir: str | Path | None = None) -> Question:
    """Exercise b: find the source of one finding (or evidence row) and where in it.

    Parameters
    ----------
    row_id : str, optional
        A ``finding_id`` of the summary of findings (``SF…``) or an ``outcome_id`` of the
        evidence rows in ``outcomes`` (``E…``). By default the finding of the difference
        exercise, so the student traces the figures they have just used.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    Question
        ``ids`` holds the row id.

    Raises
    ------
    UnknownTopicError
        If ``row_id`` is in neither table.
    """
    row_id = _source_row_id(row_id, data_dir)
    table, row = _cited_row(row_id, data_dir)
    if table == "findings":
        about = _about(row)
        where = "in the summary of findings (the findings table)"
    else:
        about = f"evidence row {row_id} ({row['measure']})"
        where = "in the outcomes table, which holds the evidence rows"
    text = (
        "Exercise: find the source.\n"
        f"Every fact in the aid names its source and where in it. Look up {about} {where}. "
        "Which source is it from, and where in that source?\n"
        "Answer with a pair: (source id, locator), for example as a tuple of two texts."
    )
    return Question("check_source", text, (row_id,), tuple(_items(row["source_ids"])))


def _source_pair(answer: object) -> tuple[object, object] | None:
    """The (source id, locator) a student gave, from a pair, a mapping or a Series."""
    try:
        return _unpack_pair(answer, ("source_id", "source_ids", "source"), ("locator", "locators"))
    except Exception:  # a hostile container that breaks on len() or indexing is not a pair
        return None


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


def _source_found(
    row_id: str, row: pd.Series, pairs: list[tuple[str, str]], data_dir: str | Path | None
) -> Feedback:
    citations = bibliography([s for s, _ in pairs], data_dir=data_dir)["citation"]
    found = "; ".join(f"{s}, at {p!r}" for s, p in pairs)
    evidence = _items(row.get("evidence_ids"))
    rows = (
        f" It was worked out from evidence row {', '.join(evidence)} of the outcomes table."
        if evidence
        else ""
    )
    return Feedback(True, f"{row_id} comes from {found}. The source: {' '.join(citations)}{rows}")


def check_source(
    answer: object, *, row_id: str | None = None, data_dir: str | Path | None = None
) -> Feedback:
    """Check exercise b: the source id and locator behind one finding or evidence row.

    Parameters
    ----------
    answer : object
        A pair ``(source_id, locator)`` (tuple or list), or a mapping or Series with the keys
        ``source_id`` (or ``source_ids``) and ``locator`` (or ``locators``). Case and spacing
        are not marked. Where a row cites several sources, any one with its own locator is
        right, and so are the two whole lists as the row gives them.
    row_id, data_dir
        As for :func:`source_question`.

    Returns
    -------
    Feedback
    """
    row_id = _source_row_id(row_id, data_dir)
    table, row = _cited_row(row_id, data_dir)
    pairs = list(zip(_items(row["source_ids"]), _items(row["locators"]), strict=True))
    where = f"Look at the source_ids and locators columns of {row_id} in the {table} table."
    given = _source_pair(answer)
    if given is None:
        start = "no answer yet." if answer is None else f"{_shown(answer)} is not a pair."
        if isinstance(answer, str) and _as_text(answer) in {_as_text(s) for s, _ in pairs}:
            start = "that source id is right; now give the locator with it, as a pair."
        return Feedback(
            False, f"{start} Expected two texts: (source id, locator), e.g. a tuple. {where}"
        )
    source, locator = _as_text(given[0]), _as_text(given[1])
    if source is None or locator is None:
        return Feedback(
            False,
            f"both parts of the pair should be text; got {_shown(given[0])} and "
            f"{_shown(given[1])}. {where}",
        )
    whole = [(_as_text(s), _as_text(p)) for s, p in pairs]
    if LIST_SEPARATOR in source or LIST_SEPARATOR in locator:
        # the two whole lists, paired in order, are right too
        listed = list(
            zip(
                [_as_text(s) for s in source.split(LIST_SEPARATOR)],
                [_as_text(p) for p in locator.split(LIST_SEPARATOR)],
                strict=False,
            )
        )
        if source.count(LIST_SEPARATOR) == locator.count(LIST_SEPARATOR) and listed == whole:
            return _source_found(row_id, row, pairs, data_dir)
        return Feedback(
            False,
            "give one source id and its own locator. The two lists are paired in order, "
            f"one locator per source. {where}",
        )
    for pair, key in zip(pairs, whole, strict=True):
        if key == (source, locator):
            return _source_found(row_id, row, [pair], data_dir)
    ids = {_as_text(s): s for s, _ in pairs}
    places = {_as_text(p) for _, p in pairs}
    if source in ids:
        return Feedback(
            False,
            f"the source {ids[source]} is right, but {_shown(given[1])} is not where this "
            "row's fact is in it. The locator is the entry of locators in the same place as "
            "the source id.",
        )
    if locator in places:
        return Feedback(
            False, f"the locator is right, but {_shown(given[0])} is not its source id. {where}"
        )
    sources = load_dataset("sources", data_dir=data_dir)
    titles = {_as_text(t): s for s, t in zip(sources["source_id"], sources["title"], strict=True)}
    known = {_as_text(s) for s in sources["source_id"]}
    if source in titles and _as_text(titles[source]) in ids:
        hint = "that is the title of the source; give its id (the source_id column) instead."
    elif source in known:
        hint = f"{_shown(given[0])} is a source in the aid, but not the one this row cites."
    else:
        hint = f"{_shown(given[0])} is not a source id of the aid."
    return Feedback(False, f"{hint} {where}")


# --- c: a comparison of chosen topics ----------------------------------------------------


def _topics(
    topics: str | Iterable[str], data_dir: str | Path | None
) -> tuple[list[str], pd.DataFrame]:
    """The chosen topics, checked, and the attributes they cover, in display order."""
    chosen = [topics] if isinstance(topics, str) else list(topics)
    attributes = load_dataset("attributes", data_dir=data_dir).sort_values("order")
    known = [str(t) for t in attributes["topic"].cat.categories]
    unknown = [t for t in chosen if t not in known]
    if unknown or not chosen:
        raise UnknownTopicError(
            f"unknown topic(s) {_shown(unknown)}; use any of: {', '.join(known)}"
        )
    return chosen, attributes[attributes["topic"].astype(str).isin(chosen)]


def comparison_question(
    *,
    topics: str | Iterable[str] = ("how_well_it_works", "afterwards"),
    data_dir: str | Path | None = None,
) -> Question:
    """Exercise c: build a side-by-side comparison of some topics, with every option.

    Parameters
    ----------
    topics : str or iterable of str
        Topics of the ``attributes`` table (``how_it_works``, ``how_well_it_works``,
        ``procedure_day``, ``afterwards``). By default how well each works against a sham
        (fake) procedure, which sums up the sham-controlled findings, and what comes after.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    Question
        ``ids`` holds the topics.

    Raises
    ------
    UnknownTopicError
        If a topic is not in the ``attributes`` table.
    """
    chosen, attributes = _topics(topics, data_dir)
    labels = option_labels(data_dir=data_dir)
    rows = "; ".join(
        f"{topic}: {', '.join(attributes.loc[attributes['topic'] == topic, 'label'])}"
        for topic in chosen
    )
    text = (
        "Exercise: build a comparison.\n"
        f"Use kypho_aid.compare to lay the options side by side for the topics "
        f"{' and '.join(chosen)} only ({rows}). "
        f"Keep every option: {', '.join(labels.values())}."
    )
    sources = compare(topics=chosen, data_dir=data_dir).sources["source_id"]
    return Question("check_comparison", text, tuple(chosen), tuple(sources))


def check_comparison(
    answer: object,
    *,
    topics: str | Iterable[str] = ("how_well_it_works", "afterwards"),
    data_dir: str | Path | None = None,
) -> Feedback:
    """Check exercise c: a comparison with exactly the asked topics and all three options.

    Parameters
    ----------
    answer : object
        A :class:`~kypho_aid.ComparisonTable`, or a DataFrame with one row per attribute and
        one column per option (ids, as in ``.data``, or display labels, as from ``.labelled()``).
    topics, data_dir
        As for :func:`comparison_question`.

    Returns
    -------
    Feedback
        Right, or which options or rows are missing or extra.
    """
    chosen, attributes = _topics(topics, data_dir)
    labels = option_labels(data_dir=data_dir)
    asked = " and ".join(chosen)
    expected = (
        f"Expected what kypho_aid.compare returns (or its .data table) for the topics {asked}, "
        "with every option."
    )
    frame = answer.data if isinstance(answer, ComparisonTable) else answer
    if not isinstance(frame, pd.DataFrame):
        start = "no answer yet." if answer is None else f"got {_kind(answer)}, not a table."
        return Feedback(False, f"{start} {expected}")
    option_ids = {**{v: k for k, v in labels.items()}, **{k: k for k in labels}}
    all_attributes = load_dataset("attributes", data_dir=data_dir)
    attribute_ids = {
        **dict(zip(all_attributes["label"], all_attributes["attribute_id"], strict=True)),
        **{a: a for a in all_attributes["attribute_id"]},
    }
    columns = [option_ids.get(_str(c), _str(c)) for c in frame.columns]
    rows = [attribute_ids.get(_str(r), _str(r)) for r in frame.index]
    missing_options = [o for o in labels if o not in columns]
    if missing_options:
        names = ", ".join(_lower_first(labels[o]) for o in missing_options)
        why = (
            " A fair comparison shows care without a procedure too: leave options out of "
            "compare (or list all three)."
            if "non_surgical" in missing_options
            else " Leave options out of compare to get all three."
        )
        return Feedback(False, f"the table has no column for {names}.{why}")
    extra_columns = [c for c in columns if c not in labels]
    if extra_columns:
        return Feedback(
            False,
            f"the table has columns that are not options: {_listed(extra_columns)}. {expected}",
        )
    wanted = attributes["attribute_id"].tolist()
    label_of = dict(zip(all_attributes["attribute_id"], all_attributes["label"], strict=True))
    missing = [label_of[a] for a in wanted if a not in rows]
    extra = [label_of.get(r, r) for r in dict.fromkeys(rows) if r not in wanted]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"rows are missing: {', '.join(missing)}")
        if extra:
            parts.append(f"it has rows from other topics: {_listed(extra)}")
        return Feedback(
            False, f"{'; '.join(parts)}. Pass topics={list(chosen)!r} to compare. {expected}"
        )
    return Feedback(
        True,
        f"{len(wanted)} rows, the topics {asked}, for all {len(labels)} options "
        f"({', '.join(labels.values())}). Each cell gives the facts with their source numbers.",
    )


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
    lines = "\n".join(f"  - {_about(row)}: {DESIGN_WORDS[str(row['design'])]}." for row in shown)
    offered = sham_choices(data_dir=data_dir)
    choices = "\n".join(f"  {letter}) {text}" for letter, (text, _) in offered.items())
    text = (
        "Exercise: why a sham matters.\n"
        f"{'Two findings' if len(shown) > 1 else 'A finding'} on "
        f"{str(lead['outcome_label']).lower()} from the summary of findings:\n"
        f"{lines}\n"
        + (
            "They come from different trials, times and people, so do not set their numbers "
            "against each other. "
            if len(shown) > 1
            else ""
        )
        + "Look at what the people in each trial knew. "
        "Why does a sham (fake) procedure matter when the outcome is pain?\n"
        f"{choices}\n"
        f"Answer with one letter, {', '.join(offered)}."
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
            "no answer yet." if answer is None else f"{_shown(answer)} is not one of the choices."
        )
        return Feedback(False, f"{start} Expected one letter: {letters}.")
    if letter != sham_answer(data_dir=data_dir):
        return Feedback(False, f"({letter}) is not the reason: {offered[letter][1]}")
    tested = ", ".join(dict.fromkeys(found.tested["intervention_label"].astype(str)))
    studies = ", ".join(dict.fromkeys(found.tested["source_ids"].map(_items).explode()))
    sham = found.sham
    chance = int((sham["chance"] == "could_be_chance").sum())
    lead = sham.iloc[0]
    quiz = load_dataset("quiz", data_dir=data_dir).set_index("question_id")
    return Feedback(
        True,
        f"that is the point of {DESIGN_WORDS['sham_controlled_rct']}. Pain is something each "
        f"person rates, so in {DESIGN_WORDS['open_rct']}, what they expect can colour the "
        f"answer. In the summary of findings, trials against a sham tested: {tested} "
        f"({studies}). For {str(lead['outcome_label']).lower()} there are {len(sham)} "
        f"findings against a sham; in {chance} of them the gap could be due to chance. "
        f"The least biased, {lead['finding_id']}: {lead['statement']} "
        f"{quiz.loc[_SHAM_QUIZ_ID, 'explanation']!s}",
    )


# --- e: how sure we can be about a finding, and why -------------------------------------


def _certainty_finding(
    finding_id: str | None, outcome: str, data_dir: str | Path | None
) -> pd.Series:
    """The finding of the certainty exercise: the given one, or the outcome's lead finding."""
    if finding_id is not None:
        return _finding(finding_id, data_dir)
    lead = lead_finding(outcome, data_dir=data_dir)
    if lead is None:
        raise UnknownTopicError(f"outcome {_shown(outcome)} has no finding; choose another outcome")
    return lead


def _vocabulary(data_dir: str | Path | None) -> tuple[list[str], list[str]]:
    """The certainty levels, best first, and the reasons for rating down, from the schema."""
    fields = describe_dataset("findings", data_dir=data_dir).set_index("column")["allowed"]
    return (
        [str(x) for x in str(fields["certainty"]).split(", ")],
        [str(x) for x in str(fields["downgrades"]).split(", ")],
    )


def _words(key: str) -> str:
    return key.replace("_", " ")


def _key(text: str) -> str:
    return text.strip().strip("'\"`.").replace(" ", "_").replace("-", "_")


def _reasons(value: object) -> list[str] | None:
    """The reasons a student gave, as keys; [] for none; None if it is not text or texts."""
    if not present(value):
        return []
    if isinstance(value, str):
        if len(value) > 10 * _SHOWN_LIMIT:
            return None
        parts = value.replace(" and ", LIST_SEPARATOR).replace(",", LIST_SEPARATOR)
        items: list[object] = list(parts.split(LIST_SEPARATOR))
    elif isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        items = list(value)
    else:
        return None
    if len(items) > 10 or not all(isinstance(item, str) for item in items):
        return None
    keys = [_key(" ".join(str(item).split()).casefold()) for item in items]
    return [k for k in keys if k not in _NO_REASONS]


def _certainty_pair(answer: object) -> tuple[object, object] | None:
    try:
        return _unpack_pair(answer, ("certainty", "level"), ("downgrades", "reasons"))
    except Exception:  # a hostile container is not a pair
        return None


def certainty_question(
    *,
    finding_id: str | None = None,
    outcome: str = "pain_relief_early",
    data_dir: str | Path | None = None,
) -> Question:
    """Exercise e: how sure can we be about one finding, and why was it rated down?

    Parameters
    ----------
    finding_id : str, optional
        A finding of the summary of findings (``SF…``). By default the least biased finding
        for ``outcome``.
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
        If ``finding_id`` is not a finding, or ``outcome`` has none.
    """
    row = _certainty_finding(finding_id, outcome, data_dir)
    levels, reasons = _vocabulary(data_dir)
    text = (
        "Exercise: how sure can we be?\n"
        f"Look at {_about(row)} in the summary of findings. How sure can we be about it, "
        "and why was it rated down? GRADE starts trials where chance decided the care at "
        "high and other studies at low, then takes off one level per problem.\n"
        "Answer with a pair: (certainty level, reasons). The level is one of: "
        f"{', '.join(_words(x) for x in levels)}. The reasons are a list drawn from: "
        f"{', '.join(_words(x) for x in reasons)}; give an empty list if there are none."
    )
    return Question("check_certainty", text, (str(row["finding_id"]),), _sources_of(row))


def check_certainty(
    answer: object,
    *,
    finding_id: str | None = None,
    outcome: str = "pain_relief_early",
    data_dir: str | Path | None = None,
) -> Feedback:
    """Check exercise e: the GRADE certainty of one finding and the reasons it was rated down.

    Parameters
    ----------
    answer : object
        A pair ``(level, reasons)``, or a mapping or Series with the keys ``certainty`` and
        ``downgrades`` (as ``row[["certainty", "downgrades"]]`` gives). The level is text
        (``"moderate"``, ``"very low"`` or ``"very_low"``); the reasons are a list of texts,
        or one text as the table gives it (``"risk_of_bias;imprecision"``), or an empty list
        or ``"none"``. A reason that took off two levels may be named once or twice. A level
        on its own is marked, and asked for its reasons.
    finding_id, outcome, data_dir
        As for :func:`certainty_question`.

    Returns
    -------
    Feedback
        Right, with the GRADE steps from the design's starting level and the finding's
        statement; or what to look at.
    """
    row = _certainty_finding(finding_id, outcome, data_dir)
    levels, known_reasons = _vocabulary(data_dir)
    this = str(row["finding_id"])
    where = f"Look at the certainty and downgrades columns of finding {this}."
    named = ", ".join(_words(x) for x in levels)
    expected = (
        f"Expected a pair: (certainty level, reasons), the level one of: {named}; the reasons "
        "a list, empty if there are none."
    )
    pair = None if isinstance(answer, str) else _certainty_pair(answer)
    given_level, given_reasons = (answer, None) if pair is None else pair
    text = _as_text(given_level)
    level = None if text is None else _key(text)
    if level not in levels:
        if answer is None:
            start = "no answer yet."
        elif pair is None and not isinstance(answer, str):
            start = f"{_shown(answer)} is not a pair."
        else:
            start = f"{_shown(given_level)} is not a certainty level."
        return Feedback(False, f"{start} {expected} {where}")
    truth = str(row["certainty"])
    rated = _items(row["downgrades"])
    start_level = expected_certainty(str(row["design"]), 0)
    if level != truth:
        return Feedback(
            False,
            f"{_words(level)} is a certainty level, but not this finding's. It comes from "
            f"{DESIGN_WORDS[str(row['design'])]}, which starts at {_words(start_level)}; "
            f"count the levels taken off. {where}",
        )
    if pair is None:
        return Feedback(
            False,
            f"{_words(level)} is right; now give the reasons it was rated down with it, as a "
            f"pair: ({_words(level)!r}, [reasons]). {where}",
        )
    reasons = _reasons(given_reasons)
    if reasons is None:
        return Feedback(
            False,
            f"the level is right, but the reasons should be a list of texts; got "
            f"{_shown(given_reasons)}. {where}",
        )
    unknown = [r for r in reasons if r not in known_reasons]
    if unknown:
        return Feedback(
            False,
            f"the level is right, but {_shown(_words(unknown[0]))} is not one of GRADE's "
            f"reasons: {', '.join(_words(x) for x in known_reasons)}. {where}",
        )
    missing = [r for r in dict.fromkeys(rated) if r not in reasons]
    extra = [r for r in dict.fromkeys(reasons) if r not in rated]
    if missing or extra:
        parts = []
        if missing:
            parts.append(
                "one reason is missing"
                if len(missing) == 1
                else f"{len(missing)} reasons are missing"
            )
        if extra:
            parts.append(f"{', '.join(_words(x) for x in extra)} was not a reason here")
        return Feedback(False, f"the level is right, but {' and '.join(parts)}. {where}")
    if rated:
        counted = ", ".join(
            _words(r) + (f" ({rated.count(r)} levels)" if rated.count(r) > 1 else "")
            for r in dict.fromkeys(rated)
        )
        steps = (
            f"it starts at {_words(start_level)} and was rated down {len(rated)} "
            f"level{'s' if len(rated) > 1 else ''} for {counted}, to {_words(truth)}"
        )
    else:
        steps = f"it starts at {_words(start_level)} and was not rated down"
    return Feedback(
        True,
        f"{CERTAINTY_WORDS[truth]}. Finding {this} comes from "
        f"{DESIGN_WORDS[str(row['design'])]}: {steps}. The aid's statement for it: "
        f"{row['statement']}",
    )
