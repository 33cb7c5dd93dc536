"""Exercises for students, each with a check that says what is right and what to look at.

Every exercise comes as a pair: a ``*_question`` function that returns the :class:`Question`
a student reads, and a ``check_*`` function that marks an answer and returns
:class:`Feedback`. The expected answers are worked out from the knowledge base each time, so
they follow the data; nothing here types in a figure. A check never raises on a bad answer
(``None``, text, NaN, the wrong type): it says what kind of answer it expected instead.

Exercises
---------
- :func:`check_difference`: two options' figures for one outcome, as a difference out of 100.
- :func:`check_source`: the source and the place in it behind one figure or evidence row.
- :func:`check_comparison`: a side-by-side comparison of chosen topics, with every option.
- :func:`check_sham`: why a trial against a sham (fake) procedure matters.
- :func:`check_certainty`: how sure we can be about one figure.

Examples
--------
>>> from kypho_aid import exercises
>>> print(exercises.check_sham(None))  # doctest: +ELLIPSIS
Not yet: no answer yet. ...
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from kypho_aid.compare import ComparisonTable, bibliography, compare
from kypho_aid.datasets import load_dataset, option_labels
from kypho_aid.exceptions import UnknownTopicError
from kypho_aid.model import LIST_SEPARATOR
from kypho_aid.outcomes import DESIGN_WORDS, summarize_outcomes

__all__ = [
    "DIFFERENCE_TOLERANCE",
    "SHAM_ANSWER",
    "SHAM_CHOICES",
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
    "sham_question",
    "source_question",
]

#: How far a difference may be from the exact one and still count: rounding, not a new figure.
DIFFERENCE_TOLERANCE = 0.5

#: The choices of the sham exercise, by letter, each with why it is or is not the reason.
SHAM_CHOICES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "a": (
            "It makes the trial bigger, so the result is more precise.",
            "a sham does not add people to a trial. More people make a result more precise, "
            "but that is true of any trial. Think about what the people in the trial know.",
        ),
        "b": (
            "People do not know whether they had the real procedure, so what they expect "
            "cannot colour how they rate their own pain.",
            "",
        ),
        "c": (
            "The fake procedure is a safer treatment that people can choose instead.",
            "a sham is not a treatment anyone is offered; it is the comparison group inside a "
            "trial. Think about what the people in each group know.",
        ),
        "d": (
            "Pain is measured with a scan, so it does not matter what people know.",
            "pain is not read from a scan: each person rates their own pain on a scale. "
            "That is why what they know about their care matters.",
        ),
    }
)

#: The letter of the right choice in :data:`SHAM_CHOICES`.
SHAM_ANSWER = "b"

# What a sham exercise's explanation quotes: the knowledge-check question on sham trials.
_SHAM_QUIZ_ID = "K02"
_SHOWN_LIMIT = 60


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
        What the question is about: figure ids, an evidence row id, topics or choice letters.
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
    """Show an answer in a message as ``repr`` does, cut short; never raises."""
    try:
        text = repr(value)
    except Exception:  # a broken __repr__, or an int too long to print
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())  # no line breaks or tabs from hostile text
    return text if len(text) <= _SHOWN_LIMIT else f"{text[: _SHOWN_LIMIT - 1]}…"


def _str(value: object) -> str:
    """``str(value)``, or the type's name when a hostile ``__str__`` fails."""
    try:
        return str(value)
    except Exception:
        return f"<{type(value).__name__}>"


def _listed(names: Sequence[str], most: int = 5) -> str:
    """A few names, each cut short, for a message."""
    shown = [n if len(n) <= _SHOWN_LIMIT else f"{n[: _SHOWN_LIMIT - 1]}…" for n in names[:most]]
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
    """A figure as people write it: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _items(value: object) -> list[str]:
    """The items of a semicolon-separated list cell; none for an empty cell."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return []
    return str(value).split(LIST_SEPARATOR)


def _lower_first(label: str) -> str:
    """An option label inside a sentence: "Non-surgical care" → "non-surgical care"."""
    return label[:1].lower() + label[1:]


# --- a: a difference out of 100 ----------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    """The two figures of the difference exercise, from one source."""

    option: pd.Series
    reference: pd.Series
    option_label: str
    reference_label: str
    denominator: int

    @property
    def expected(self) -> float:
        return float(self.option["events"]) - float(self.reference["events"])


def _difference_pair(
    outcome: str, option: str, reference: str, source_id: str, data_dir: str | Path | None
) -> _Pair:
    figures = summarize_outcomes(outcome, [option, reference], kind="frequency", data_dir=data_dir)
    figures = figures[
        figures["events"].notna()
        & figures["source_ids"].map(lambda ids: source_id in _items(ids)).astype(bool)
    ]
    rows: dict[str, pd.Series] = {}
    for wanted in (option, reference):
        found = figures[figures["option_id"].astype(str) == wanted]
        if len(found) != 1:
            raise UnknownTopicError(
                f"the difference exercise needs one figure with a count for {wanted!r}, "
                f"{outcome!r} and source {source_id!r}; found {len(found)}"
            )
        rows[wanted] = found.iloc[0]
    denominators = {int(rows[option]["denominator"]), int(rows[reference]["denominator"])}
    if len(denominators) != 1:
        raise UnknownTopicError(
            f"the two figures for {outcome!r} from {source_id!r} have different denominators"
        )
    return _Pair(
        rows[option],
        rows[reference],
        str(rows[option]["option_label"]),
        str(rows[reference]["option_label"]),
        denominators.pop(),
    )


def difference_question(
    *,
    outcome: str = "new_fracture",
    option: str = "kyphoplasty",
    reference: str = "non_surgical",
    source_id: str = "PAPA2012",
    data_dir: str | Path | None = None,
) -> Question:
    """Exercise a: turn two options' figures for one outcome into a difference out of 100.

    Parameters
    ----------
    outcome : str
        An outcome of ``outcome_definitions`` with a count for both options.
    option, reference : str
        The two option ids; the difference asked for is ``option`` minus ``reference``.
    source_id : str
        The source both figures come from, so that like is compared with like.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    Question
        ``ids`` holds the two figure ids, ``option``'s first.

    Raises
    ------
    UnknownTopicError, UnknownOptionError
        If the knowledge base has no single counted figure for each option from that source.
    """
    pair = _difference_pair(outcome, option, reference, source_id, data_dir)
    den = pair.denominator
    first, second = str(pair.option["figure_id"]), str(pair.reference["figure_id"])
    text = (
        f"Exercise: a difference out of {den}.\n"
        f"Figures {first} and {second} of the outcome_figures table both come from source "
        f"{source_id}. They count how many people out of {den} {pair.option['event']}, "
        f"{pair.option['timepoint']}: {first} for {_lower_first(pair.option_label)} and "
        f"{second} for {_lower_first(pair.reference_label)}.\n"
        f"What is the difference out of {den}: {_lower_first(pair.option_label)} minus "
        f"{_lower_first(pair.reference_label)}? A negative answer means fewer people with "
        f"{_lower_first(pair.option_label)}."
    )
    return Question("check_difference", text, (first, second), (source_id,))


def check_difference(
    answer: object,
    *,
    outcome: str = "new_fracture",
    option: str = "kyphoplasty",
    reference: str = "non_surgical",
    source_id: str = "PAPA2012",
    data_dir: str | Path | None = None,
) -> Feedback:
    """Check exercise a: the difference out of 100 between two options' figures.

    Parameters
    ----------
    answer : object
        The student's number: ``option``'s count minus ``reference``'s, out of the figures'
        common denominator. Within :data:`DIFFERENCE_TOLERANCE` of it counts as right. A
        number written as text (``"-11"``) is read as that number.
    outcome, option, reference, source_id, data_dir
        As for :func:`difference_question`.

    Returns
    -------
    Feedback
        Right, with the difference in words and how sure we can be; or what was expected,
        naming a sign turned round, a proportion, a ratio or one figure alone when it sees one.
    """
    pair = _difference_pair(outcome, option, reference, source_id, data_dir)
    den, expected = pair.denominator, pair.expected
    mine, theirs = _lower_first(pair.option_label), _lower_first(pair.reference_label)
    first, second = str(pair.option["figure_id"]), str(pair.reference["figure_id"])
    where = (
        f"Look at the events column of figures {first} ({mine}) and {second} ({theirs}) in "
        f"outcome_figures, and take the second from the first."
    )
    value = _as_number(answer)
    if value is None:
        return Feedback(False, f"{_not_a_number(answer)} Expected one number out of {den}. {where}")

    def near(target: float, tolerance: float = DIFFERENCE_TOLERANCE) -> bool:
        return abs(value - target) <= tolerance

    events = (float(pair.option["events"]), float(pair.reference["events"]))
    if near(expected):
        if expected == 0:
            words = f"the same number of people out of {den} {pair.option['event']}"
        else:
            more = "more" if expected > 0 else "fewer"
            words = (
                f"about {_number(abs(expected))} {more} people out of {den} "
                f"{pair.option['event']} with {mine} than with {theirs}"
            )
        levels = dict.fromkeys(
            (str(pair.option["certainty_label"]), str(pair.reference["certainty_label"]))
        )
        return Feedback(
            True,
            f"{_number(events[0])} out of {den} ({mine}) minus {_number(events[1])} out of "
            f"{den} ({theirs}) is {_number(expected)} out of {den}: {words}, "
            f"{pair.option['timepoint']}. This comes from {DESIGN_WORDS[str(pair.option['design'])]}. "
            f"How sure we can be: {' and '.join(levels)}.",
        )
    if expected != 0 and near(-expected):
        return Feedback(
            False,
            f"the size is right but the sign is turned round. The question asks for {mine} "
            f"minus {theirs}, so a negative answer means fewer people with {mine}.",
        )
    if expected != 0 and (near(expected / den, 0.005) or near(-expected / den, 0.005)):
        return Feedback(
            False,
            f"{_number(value)} looks like a proportion of one person. Give the difference out "
            f"of {den}: how many people in {den}, not a share of one.",
        )
    ratios = [a / b for a, b in (events, events[::-1]) if b]
    if any(near(r, 0.05) for r in ratios):
        return Feedback(
            False,
            f"{_number(value)} looks like one figure divided by the other. That is a ratio, "
            f"a relative comparison. The question asks for the difference: take one count from "
            f"the other.",
        )
    if any(near(e) for e in events):
        return Feedback(
            False,
            f"{_number(value)} is one option's figure on its own, not the difference. {where}",
        )
    return Feedback(False, f"{_number(value)} is not the difference out of {den}. {where}")


# --- b: the source and locator behind a figure ------------------------------------------


def _cited_row(row_id: str, data_dir: str | Path | None) -> tuple[str, pd.Series]:
    """The table (``outcome_figures`` or ``outcomes``) and row with id ``row_id``."""
    for table, key in (("outcome_figures", "figure_id"), ("outcomes", "outcome_id")):
        frame = load_dataset(table, data_dir=data_dir)
        found = frame[frame[key] == row_id]
        if len(found):
            return table, found.iloc[0]
    raise UnknownTopicError(
        f"{_shown(row_id)} is not a figure id of outcome_figures or an evidence row id of outcomes"
    )


def source_question(*, row_id: str = "O024", data_dir: str | Path | None = None) -> Question:
    """Exercise b: find the source of one figure (or evidence row) and where in it.

    Parameters
    ----------
    row_id : str
        A ``figure_id`` of ``outcome_figures`` or an ``outcome_id`` of ``outcomes``.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    Question
        ``ids`` holds ``row_id``.

    Raises
    ------
    UnknownTopicError
        If ``row_id`` is in neither table.
    """
    table, row = _cited_row(row_id, data_dir)
    if table == "outcome_figures":
        what = summarize_outcomes(data_dir=data_dir).set_index("figure_id").loc[row_id]
        about = f"figure {row_id} ({what['label']}, {what['option_label']}: {what['figure']})"
    else:
        about = f"evidence row {row_id} ({row['measure']})"
    text = (
        "Exercise: find the source.\n"
        f"Every fact in the aid names its source and where in it. Look up {about} in the "
        f"{table} table. Which source is it from, and where in that source?\n"
        "Answer with a pair: (source id, locator), for example as a tuple of two texts."
    )
    return Question("check_source", text, (row_id,), tuple(_items(row["source_ids"])))


def _source_pair(answer: object) -> tuple[object, object] | None:
    """The (source id, locator) a student gave, from a pair, a mapping or a Series."""
    try:
        return _unpack_pair(answer)
    except Exception:  # a hostile container that breaks on len() or indexing is not a pair
        return None


def _unpack_pair(answer: object) -> tuple[object, object] | None:
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if isinstance(answer, Mapping):
        keys = {_as_text(k): k for k in answer}
        source = next((keys[k] for k in ("source_id", "source_ids", "source") if k in keys), None)
        locator = next((keys[k] for k in ("locator", "locators") if k in keys), None)
        if source is None or locator is None:
            return None
        return answer[source], answer[locator]
    if isinstance(answer, Sequence) and not isinstance(answer, str | bytes) and len(answer) == 2:
        return answer[0], answer[1]
    return None


def _source_found(
    row_id: str, pairs: list[tuple[str, str]], data_dir: str | Path | None
) -> Feedback:
    citations = bibliography([s for s, _ in pairs], data_dir=data_dir)["citation"]
    found = "; ".join(f"{s}, at {p!r}" for s, p in pairs)
    return Feedback(True, f"{row_id} comes from {found}. The source: {' '.join(citations)}")


def check_source(
    answer: object, *, row_id: str = "O024", data_dir: str | Path | None = None
) -> Feedback:
    """Check exercise b: the source id and locator behind one row.

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
            return _source_found(row_id, pairs, data_dir)
        return Feedback(
            False,
            "give one source id and its own locator. The two lists are paired in order, "
            f"one locator per source. {where}",
        )
    for pair, key in zip(pairs, whole, strict=True):
        if key == (source, locator):
            return _source_found(row_id, [pair], data_dir)
    ids = {_as_text(s): s for s, _ in pairs}
    places = {_as_text(p) for _, p in pairs}
    if source in ids:
        return Feedback(
            False,
            f"the source {ids[source]} is right, but {_shown(given[1])} is not where this "
            "row's fact is in it. The locator is the entry of locators in the same place as the source id.",
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
    topics: str | Iterable[str] = ("procedure_day", "afterwards"),
    data_dir: str | Path | None = None,
) -> Question:
    """Exercise c: build a side-by-side comparison of some topics, with every option.

    Parameters
    ----------
    topics : str or iterable of str
        Topics of the ``attributes`` table (``how_it_works``, ``procedure_day``, ``afterwards``).
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
    topics: str | Iterable[str] = ("procedure_day", "afterwards"),
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


def _sham_trials(data_dir: str | Path | None) -> pd.DataFrame:
    """The figures that come from trials against a sham procedure."""
    figures = summarize_outcomes(data_dir=data_dir)
    return figures[figures["design"] == "sham_controlled_rct"]


def sham_question(*, data_dir: str | Path | None = None) -> Question:
    """Exercise d: why a trial against a sham (fake) procedure matters; a multiple choice.

    Returns
    -------
    Question
        ``ids`` holds the choice letters of :data:`SHAM_CHOICES`.
    """
    choices = "\n".join(f"  {letter}) {text}" for letter, (text, _) in SHAM_CHOICES.items())
    text = (
        "Exercise: why a sham matters.\n"
        f"Some figures in the aid come from {DESIGN_WORDS['sham_controlled_rct']}. "
        f"Others come from {DESIGN_WORDS['unblinded_rct']}. "
        "Why does a sham (fake) procedure matter when the outcome is pain?\n"
        f"{choices}\n"
        f"Answer with one letter, {', '.join(SHAM_CHOICES)}."
    )
    sources = _sham_trials(data_dir)["source_ids"].map(_items).explode()
    quiz = load_dataset("quiz", data_dir=data_dir).set_index("question_id")
    cited = dict.fromkeys([*sources, *_items(quiz.loc[_SHAM_QUIZ_ID, "source_ids"])])
    return Question("check_sham", text, tuple(SHAM_CHOICES), tuple(cited))


def check_sham(answer: object, *, data_dir: str | Path | None = None) -> Feedback:
    """Check exercise d: why a trial against a sham procedure matters.

    Parameters
    ----------
    answer : object
        One letter of :data:`SHAM_CHOICES` (``"b"``, ``"B"``, ``"b)"``), or a choice's text.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    Feedback
        Right, with which options were tested against a sham in the aid's sources and the
        knowledge check's explanation; or why the chosen reason is not it.
    """
    letters = ", ".join(SHAM_CHOICES)
    text = _as_text(answer)
    letter = None
    if text is not None:
        bare = text.strip("().: ")
        texts = {
            str(_as_text(choice)).rstrip("."): key for key, (choice, _) in SHAM_CHOICES.items()
        }
        letter = bare if bare in SHAM_CHOICES else texts.get(text.rstrip("."))
    if letter is None:
        start = (
            "no answer yet." if answer is None else f"{_shown(answer)} is not one of the choices."
        )
        return Feedback(False, f"{start} Expected one letter: {letters}.")
    if letter != SHAM_ANSWER:
        return Feedback(False, f"({letter}) is not the reason: {SHAM_CHOICES[letter][1]}")
    trials = _sham_trials(data_dir)
    labels = option_labels(data_dir=data_dir)
    tested = [labels[o] for o in labels if o in set(trials["option_id"].astype(str))]
    studies = ", ".join(dict.fromkeys(trials["source_ids"].map(_items).explode()))
    quiz = load_dataset("quiz", data_dir=data_dir).set_index("question_id")
    return Feedback(
        True,
        f"that is the point of {DESIGN_WORDS['sham_controlled_rct']}. Pain is something each "
        f"person rates, so in {DESIGN_WORDS['unblinded_rct']}, what they expect can colour "
        "the answer. "
        f"In the aid's figures, trials against a sham tested: {', '.join(tested)} ({studies}). "
        f"{quiz.loc[_SHAM_QUIZ_ID, 'explanation']!s}",
    )


# --- e: how sure we can be about a figure ------------------------------------------------


def _figure(figure_id: str, data_dir: str | Path | None) -> pd.Series:
    figures = summarize_outcomes(data_dir=data_dir)
    found = figures[figures["figure_id"] == figure_id]
    if not len(found):
        raise UnknownTopicError(f"{_shown(figure_id)} is not a figure id of outcome_figures")
    return found.iloc[0]


def _levels(data_dir: str | Path | None) -> list[str]:
    figures = load_dataset("outcome_figures", data_dir=data_dir)
    return [str(c) for c in figures["certainty"].cat.categories]


def certainty_question(*, figure_id: str = "O007", data_dir: str | Path | None = None) -> Question:
    """Exercise e (optional): read how sure we can be about one figure.

    Parameters
    ----------
    figure_id : str
        A ``figure_id`` of ``outcome_figures``.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    Question
        ``ids`` holds ``figure_id``.
    """
    row = _figure(figure_id, data_dir)
    levels = ", ".join(level.replace("_", " ") for level in _levels(data_dir))
    text = (
        "Exercise: how sure can we be?\n"
        f"Figure {figure_id} is about {str(row['label']).lower()} with "
        f"{_lower_first(str(row['option_label']))}: {row['figure']}, {row['timepoint']}. "
        f"How sure can we be about it? Answer with its certainty level, one of: {levels}."
    )
    return Question("check_certainty", text, (figure_id,), tuple(_items(row["source_ids"])))


def check_certainty(
    answer: object, *, figure_id: str = "O007", data_dir: str | Path | None = None
) -> Feedback:
    """Check exercise e: the certainty level of one figure.

    Parameters
    ----------
    answer : object
        A certainty level as text: ``"moderate"``, ``"very low"`` or ``"very_low"``.
    figure_id, data_dir
        As for :func:`certainty_question`.

    Returns
    -------
    Feedback
        Right, with the figure's sentence, whose wording follows its certainty; or what to
        look at.
    """
    row = _figure(figure_id, data_dir)
    levels = _levels(data_dir)
    where = f"Look at the certainty column of figure {figure_id} in outcome_figures."
    text = _as_text(answer)
    level = None if text is None else text.replace(" ", "_").replace("-", "_")
    if level not in levels:
        start = (
            "no answer yet." if answer is None else f"{_shown(answer)} is not a certainty level."
        )
        named = ", ".join(x.replace("_", " ") for x in levels)
        return Feedback(False, f"{start} Expected one of: {named}. {where}")
    if level != str(row["certainty"]):
        return Feedback(
            False, f"{level.replace('_', ' ')} is a certainty level, but not this figure's. {where}"
        )
    return Feedback(
        True,
        f"{row['certainty_label']}. The aid's sentence for this figure is worded to match: "
        f"{row['sentence']}",
    )
