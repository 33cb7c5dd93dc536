"""Deliberation tools: what matters to me, the SURE test and a knowledge check.

Pure functions over the knowledge base. They show how each option lines up with what a
person rates as important, with the facts and sources behind each line; they never add the
ratings up into a score, rank the options or recommend one.

What matters is asked as trade-offs (``data/tradeoffs.csv``): two things the options offer,
weighed on a five-point scale. :func:`tradeoff_ratings` turns the answers into the ratings of
the two considerations behind each trade-off, so :func:`values_table`, the handout and the
clinician's note read them as before.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kypho_aid._values import deprecated_names, display_value
from kypho_aid.compare import compare
from kypho_aid.datasets import Stamp, data_key, load_dataset
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.findings import summary_of_findings
from kypho_aid.model import LIST_SEPARATOR
from kypho_aid.texts import ui_text, ui_texts

__all__ = [
    "SHORT_WORDS",
    "SKIP",
    "TRADEOFF_SCALE",
    "InputError",
    "QuizResult",
    "SureResult",
    "check_answer",
    "rated_rows",
    "rating_labels",
    "short_line",
    "sure_result",
    "tradeoff_lineup",
    "tradeoff_ratings",
    "values_table",
]

#: The names of the ratings 0 to 4 in ui_text.csv (``importance.<name>``).
_RATINGS = ("none", "little", "somewhat", "lot", "great_deal")


def rating_labels(*, data_dir: str | Path | None = None) -> tuple[str, ...]:
    """The ratings 0 to 4 in words, from "does not matter" to "matters a great deal"
    (``importance.*`` of ui_text.csv), looked up once."""
    return tuple(ui_texts("importance", _RATINGS, data_dir=data_dir).values())


# the old constant, now read from data/ui_text.csv, answers with a DeprecationWarning
__getattr__ = deprecated_names(
    __name__, {"RATING_LABELS": ("rating_labels(), which reads data/ui_text.csv", rating_labels)}
)


#: The five points of a trade-off's scale, left to right, and the ratings (0 to 4) each gives
#: the left and the right consideration: leaning much to one side rates it 4 and the other 0,
#: both the same rates each 2. No answer, or ``"skip"``, rates neither.
TRADEOFF_SCALE: Mapping[str, tuple[int, int]] = {
    "left_much": (4, 0),
    "left": (3, 1),
    "same": (2, 2),
    "right": (1, 3),
    "right_much": (0, 4),
}

#: A trade-off left unanswered on purpose: it rates neither side.
SKIP = "skip"

#: The longest short line of the trade-offs' line-up, in words, unless its first sentence is longer.
SHORT_WORDS = 20


class InputError(KyphoAidError, ValueError):
    """Raised for a bad rating, SURE answer or quiz answer; ``field`` names what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


def _key_name(key: object) -> str:
    """A mapping key as the ``field`` of an error: the text itself, or its short ``repr``."""
    return key if isinstance(key, str) else display_value(key)


def _check_answers(answers: object, field: str, expected: str) -> Mapping[str, object]:
    """``answers`` when it is a mapping, else an InputError naming ``field``."""
    if not isinstance(answers, Mapping):
        raise InputError(field, f"expected a mapping of {expected}, got {type(answers).__name__}")
    return answers


def _check_key(key: object, known: list[str], kind: str) -> None:
    """An InputError naming ``key`` unless it is one of the ``known`` ids."""
    if key not in known:
        raise InputError(_key_name(key), f"is not {kind}; use one of: {', '.join(known)}")


def _check_ratings(ratings: Mapping[str, object], known: list[str]) -> dict[str, int]:
    _check_answers(ratings, "ratings", "consideration to rating")
    checked: dict[str, int] = {}
    for key, value in ratings.items():
        _check_key(key, known, "a consideration")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(_RATINGS):
            raise InputError(
                key,
                f"a rating is a whole number from 0 to {len(_RATINGS) - 1}, "
                f"got {display_value(value)}",
            )
        checked[key] = value
    return checked


def rated_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The considerations of a :func:`values_table` that were rated, one row each."""
    return table[table["rating"].notna()].drop_duplicates("consideration_id")


def values_table(
    ratings: Mapping[str, object] | None = None, *, data_dir: str | Path | None = None
) -> pd.DataFrame:
    """Line up each option with what the person rated, showing the facts behind each line.

    Parameters
    ----------
    ratings : mapping of consideration id to int, optional
        0 (does not matter) to 4 (matters a great deal). Unrated considerations are shown
        with rating NA, after the rated ones.

    Returns
    -------
    pandas.DataFrame
        One row per consideration and option: ``consideration_id``, ``label``, ``rating``,
        ``rating_label``, ``option_id``, ``option_label``, ``facts`` (what the sources say
        about this option) and ``source_ids``. Sorted by rating (highest first), then the
        considerations' own order; options in the canonical order. There is no total and no
        ranking of options.

    Raises
    ------
    InputError
        If a key is not a consideration or a rating is not a whole number from 0 to 4.
    """
    lineup = _lineup(*data_key(data_dir))
    checked = _check_ratings(
        {} if ratings is None else ratings, list(dict.fromkeys(lineup["consideration_id"]))
    )
    ratings_column = lineup["consideration_id"].map(checked)
    labels = rating_labels(data_dir=data_dir)
    not_rated = ui_text("importance.not_rated", data_dir=data_dir)
    frame = lineup.assign(
        rating=ratings_column.astype("Int64"),
        rating_label=[labels[int(r)] if pd.notna(r) else not_rated for r in ratings_column],
    )
    frame = frame.sort_values(
        ["rating", "_order"], ascending=[False, True], na_position="last", kind="stable"
    )
    columns = [
        "consideration_id",
        "label",
        "rating",
        "rating_label",
        "option_id",
        "option_label",
        "facts",
        "source_ids",
    ]
    return frame[columns].reset_index(drop=True).astype({"rating_label": "str"})


def tradeoff_ratings(
    answers: Mapping[str, object] | None, *, data_dir: str | Path | None = None
) -> dict[str, int]:
    """Turn trade-off answers into ratings of the considerations on their two sides.

    Parameters
    ----------
    answers : mapping of tradeoff id to a point of :data:`TRADEOFF_SCALE`, optional
        ``"left_much"``, ``"left"``, ``"same"``, ``"right"`` or ``"right_much"``; ``None`` or
        ``"skip"`` (or leaving the trade-off out) means skipped.

    Returns
    -------
    dict of consideration id to int
        The ratings :func:`values_table` takes: each answered trade-off rates its left and
        right consideration (``"left_much"``: 4 and 0, ``"left"``: 3 and 1, ``"same"``: 2 and 2,
        and so on); a skipped one rates neither. In the trade-offs' order, left side first.

    Raises
    ------
    InputError
        If ``answers`` is not a mapping, a key is not a trade-off or an answer is not a
        point of the scale; ``field`` names the trade-off.
    """
    tradeoffs = load_dataset("tradeoffs", data_dir=data_dir).sort_values("order")
    known = tradeoffs["tradeoff_id"].astype(str).tolist()
    if answers is None:
        return {}
    _check_answers(answers, "answers", "trade-off to answer")
    for key, answer in answers.items():
        _check_key(key, known, "a trade-off")
        if answer is not None and answer != SKIP and answer not in TRADEOFF_SCALE:
            raise InputError(
                key,
                f"answer one of {', '.join(TRADEOFF_SCALE)} or {SKIP}, got {display_value(answer)}",
            )
    ratings: dict[str, int] = {}
    for row in tradeoffs.itertuples(index=False):
        answer = answers.get(str(row.tradeoff_id))
        if isinstance(answer, str) and answer in TRADEOFF_SCALE:
            ratings[str(row.left)], ratings[str(row.right)] = TRADEOFF_SCALE[answer]
    return ratings


# A sentence ends at . ! or ? followed by a space and a capital letter or an opening bracket,
# so "3.1 degrees" and "vs." inside a sentence do not end it.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def short_line(facts: str, *, words: int = SHORT_WORDS) -> str:
    """The first whole sentences of ``facts`` that fit in ``words`` words (at least one).

    Whole sentences only, so a caveat is never cut in half: a line says less, never
    something else. Nothing is reworded.
    """
    sentences = _SENTENCE_END.split(facts.strip())
    kept = [sentences[0]]
    for sentence in sentences[1:]:
        if len(" ".join([*kept, sentence]).split()) > words:
            break
        kept.append(sentence)
    return " ".join(kept)


def tradeoff_lineup(
    answers: Mapping[str, object] | None, *, data_dir: str | Path | None = None
) -> pd.DataFrame:
    """For each answered trade-off, a short line per option on each side, sources kept.

    Parameters
    ----------
    answers : mapping of tradeoff id to a point of :data:`TRADEOFF_SCALE`, optional
        As :func:`tradeoff_ratings` takes them; skipped trade-offs are left out.

    Returns
    -------
    pandas.DataFrame
        One row per answered trade-off, side and option: ``tradeoff_id``, ``answer``,
        ``side`` (``left`` or ``right``), ``side_label`` (the side in a few words),
        ``leaned`` (whether the person leans to this side; both sides for ``"same"``),
        ``consideration_id``, ``label``, ``rating``, ``option_id``, ``option_label``,
        ``short`` (the first sentences of the facts :func:`values_table` shows, see
        :func:`short_line`) and ``source_ids`` (the sources of those facts). In the
        trade-offs' order, the side leaned to first (the left side first when both are the
        same), options in the canonical order. No total, no ranking of options.

    Raises
    ------
    InputError
        As :func:`tradeoff_ratings`.
    """
    ratings = tradeoff_ratings(answers, data_dir=data_dir)
    table = values_table(ratings, data_dir=data_dir).set_index("consideration_id")
    tradeoffs = load_dataset("tradeoffs", data_dir=data_dir).sort_values("order")
    rows = []
    for row in tradeoffs.itertuples(index=False):
        answer = (answers or {}).get(str(row.tradeoff_id))
        if not isinstance(answer, str) or answer not in TRADEOFF_SCALE:
            continue
        left, right = TRADEOFF_SCALE[answer]
        sides = [
            ("left", row.left, row.left_label, left),
            ("right", row.right, row.right_label, right),
        ]
        if right > left:
            sides.reverse()
        for side, consideration, side_label, rating in sides:
            facts = table.loc[[str(consideration)]]
            for fact in facts.itertuples():
                rows.append(
                    {
                        "tradeoff_id": str(row.tradeoff_id),
                        "answer": answer,
                        "side": side,
                        "side_label": str(side_label),
                        "leaned": rating >= 2,
                        "consideration_id": str(consideration),
                        "label": str(fact.label),
                        "rating": rating,
                        "option_id": str(fact.option_id),
                        "option_label": str(fact.option_label),
                        "short": short_line(str(fact.facts)),
                        "source_ids": str(fact.source_ids),
                    }
                )
    columns = [
        "tradeoff_id",
        "answer",
        "side",
        "side_label",
        "leaned",
        "consideration_id",
        "label",
        "rating",
        "option_id",
        "option_label",
        "short",
        "source_ids",
    ]
    return pd.DataFrame(rows, columns=columns).astype(
        {"leaned": "bool", "rating": "Int64"}
        | {c: "str" for c in columns if c not in ("leaned", "rating")}
    )


@functools.lru_cache(maxsize=8)
def _lineup(data_dir: str | None, stamp: Stamp) -> pd.DataFrame:
    """What the sources say for every consideration and option; cached per version of the data."""
    considerations = load_dataset("considerations", data_dir=data_dir).sort_values("order")
    options = load_dataset("options", data_dir=data_dir)
    facts = compare(data_dir=data_dir).facts
    findings = summary_of_findings(data_dir=data_dir)
    gaps = load_dataset("outcome_gaps", data_dir=data_dir)
    no_facts = ui_text("values.no_facts", data_dir=data_dir)
    rows = []
    for item in considerations.itertuples(index=False):
        for option, option_label in zip(
            options["option_id"].astype(str), options["label"], strict=True
        ):
            if isinstance(item.attribute_id, str):
                own = facts[
                    (facts["attribute_id"] == item.attribute_id) & (facts["option_id"] == option)
                ]
                text = " ".join(str(v) for v in own["value"])
            else:
                # the least biased finding this option is an arm of: one comparison, told whole
                own = findings[
                    (findings["outcome"] == item.outcome)
                    & ((findings["intervention"] == option) | (findings["comparator"] == option))
                ].head(1)
                if own.empty:
                    own = gaps[(gaps["outcome"] == item.outcome) & (gaps["option_id"] == option)]
                    text = " ".join(str(note) for note in own["note"])
                else:
                    text = " ".join(
                        f"{row.comparison_label}: {row.statement}" for row in own.itertuples()
                    )
            sources = LIST_SEPARATOR.join(
                dict.fromkeys(LIST_SEPARATOR.join(own["source_ids"]).split(LIST_SEPARATOR))
            )
            rows.append(
                {
                    "consideration_id": str(item.consideration_id),
                    "label": str(item.label),
                    "option_id": option,
                    "option_label": str(option_label),
                    "facts": text or no_facts,
                    "source_ids": sources,
                    "_order": item.order,
                }
            )
    return pd.DataFrame(rows).astype(
        {
            c: "str"
            for c in (
                "consideration_id",
                "label",
                "option_id",
                "option_label",
                "facts",
                "source_ids",
            )
        }
    )


@dataclass(frozen=True)
class SureResult:
    """The SURE test: ``score`` (yes answers), whether all four were answered, and the flag."""

    score: int
    answered: int
    conflict: bool
    message: str


def sure_result(answers: Mapping[str, object], *, data_dir: str | Path | None = None) -> SureResult:
    """Score the SURE test: yes = 1, no = 0; 3 or less out of 4 flags decisional conflict.

    Parameters
    ----------
    answers : mapping of item letter (S, U, R, E) to bool
        Missing items count as unanswered; the flag is only raised once all four are answered.

    Raises
    ------
    InputError
        If a key is not S, U, R or E, or an answer is not True or False.
    """
    items = load_dataset("sure_items", data_dir=data_dir)["item_id"].astype(str).tolist()
    _check_answers(answers, "answers", "S, U, R, E to yes or no")
    for key, value in answers.items():
        _check_key(key, items, "a SURE item")
        if not isinstance(value, bool):
            raise InputError(key, f"answer yes (True) or no (False), got {display_value(value)}")
    score = sum(1 for key in items if answers.get(key) is True)
    answered = sum(1 for key in items if key in answers)
    if answered < len(items):
        message = ui_text("sure.answered", answered=answered, total=len(items), data_dir=data_dir)
        return SureResult(score, answered, False, message)
    conflict = score <= len(items) - 1
    message = ui_text("sure.not_ready" if conflict else "sure.all_yes", data_dir=data_dir)
    return SureResult(score, answered, conflict, message)


@dataclass(frozen=True)
class QuizResult:
    """The outcome of one knowledge-check answer, with the explanation and its sources."""

    question_id: str
    correct: bool
    answer: str
    explanation: str
    source_ids: tuple[str, ...]


def check_answer(
    question_id: str, choice: str, *, data_dir: str | Path | None = None
) -> QuizResult:
    """Check one quiz answer and explain it (teach-back: the explanation comes either way)."""
    quiz = load_dataset("quiz", data_dir=data_dir).set_index("question_id")
    if not isinstance(question_id, str) or question_id not in quiz.index:
        raise InputError(
            "question_id",
            f"{display_value(question_id)} is not a quiz question; use one of: {', '.join(quiz.index)}",
        )
    row = quiz.loc[question_id]
    choices = str(row["choices"]).split(LIST_SEPARATOR)
    if not isinstance(choice, str) or choice not in choices:
        raise InputError(
            "choice", f"{display_value(choice)} is not one of the choices: {', '.join(choices)}"
        )
    return QuizResult(
        question_id=question_id,
        correct=choice == row["answer"],
        answer=str(row["answer"]),
        explanation=str(row["explanation"]),
        source_ids=tuple(str(row["source_ids"]).split(LIST_SEPARATOR)),
    )
