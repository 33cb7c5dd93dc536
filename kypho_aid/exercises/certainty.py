"""Exercise e: how sure we can be about one finding (GRADE certainty), and why."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from kypho_aid._values import present
from kypho_aid.datasets import describe_dataset
from kypho_aid.exceptions import UnknownTopicError
from kypho_aid.exercises._common import (
    _NO_REASONS,
    _SHOWN_LIMIT,
    Feedback,
    Question,
    _about,
    _as_text,
    _finding,
    _items,
    _shown,
    _sources_of,
    _unpack_pair,
)
from kypho_aid.findings import (
    CERTAINTY_WORDS,
    expected_certainty,
    lead_finding,
)
from kypho_aid.model import LIST_SEPARATOR
from kypho_aid.outcomes import DESIGN_WORDS

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
