"""Exercise c: a side-by-side comparison of chosen topics, with every option."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kypho_aid.compare import ComparisonTable, compare
from kypho_aid.datasets import load_dataset, option_labels
from kypho_aid.exceptions import UnknownTopicError
from kypho_aid.exercises._common import (
    Feedback,
    Question,
    _kind,
    _listed,
    _lower_first,
    _shown,
    _str,
)

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
