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
    _say,
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
    text = _say(
        "comparison_question",
        data_dir,
        topics=" and ".join(chosen),
        rows=rows,
        options=", ".join(labels.values()),
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
    expected = _say("comparison_expected", data_dir, topics=asked)
    frame = answer.data if isinstance(answer, ComparisonTable) else answer
    if not isinstance(frame, pd.DataFrame):
        start = (
            _say("no_answer", data_dir)
            if answer is None
            else _say("comparison_not_table", data_dir, kind=_kind(answer, data_dir))
        )
        return Feedback(False, f"{start} {expected}", data_dir=data_dir)
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
        fair = "non_surgical" in missing_options
        return Feedback(
            False,
            _say(
                "comparison_no_column_fair" if fair else "comparison_no_column",
                data_dir,
                options=names,
            ),
            data_dir=data_dir,
        )
    extra_columns = [c for c in columns if c not in labels]
    if extra_columns:
        return Feedback(
            False,
            _say(
                "comparison_extra_columns",
                data_dir,
                columns=_listed(extra_columns),
                expected=expected,
            ),
            data_dir=data_dir,
        )
    wanted = attributes["attribute_id"].tolist()
    label_of = dict(zip(all_attributes["attribute_id"], all_attributes["label"], strict=True))
    missing = [label_of[a] for a in wanted if a not in rows]
    extra = [label_of.get(r, r) for r in dict.fromkeys(rows) if r not in wanted]
    if missing or extra:
        parts = []
        if missing:
            parts.append(_say("comparison_rows_missing", data_dir, rows=", ".join(missing)))
        if extra:
            parts.append(_say("comparison_rows_extra", data_dir, rows=_listed(extra)))
        return Feedback(
            False,
            _say(
                "comparison_wrong_rows",
                data_dir,
                problems="; ".join(parts),
                topics=repr(list(chosen)),
                expected=expected,
            ),
            data_dir=data_dir,
        )
    return Feedback(
        True,
        _say(
            "comparison_right",
            data_dir,
            rows=len(wanted),
            topics=asked,
            count=len(labels),
            options=", ".join(labels.values()),
        ),
        data_dir=data_dir,
    )
