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
    _say,
    _shown,
    _sources_of,
    _unpack_pair,
)
from kypho_aid.findings import expected_certainty, lead_finding
from kypho_aid.model import LIST_SEPARATOR
from kypho_aid.outcomes import design_words
from kypho_aid.wording import certainty_words

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
    text = _say(
        "certainty_question",
        data_dir,
        finding=_about(row, data_dir),
        levels=", ".join(_words(x) for x in levels),
        reasons=", ".join(_words(x) for x in reasons),
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
    where = _say("certainty_where", data_dir, finding=this)
    pair = None if isinstance(answer, str) else _certainty_pair(answer)
    given_level, given_reasons = (answer, None) if pair is None else pair
    text = _as_text(given_level)
    level = None if text is None else _key(text)
    if level not in levels:
        if answer is None:
            start = _say("no_answer", data_dir)
        elif pair is None and not isinstance(answer, str):
            start = _say("not_a_pair", data_dir, answer=_shown(answer))
        else:
            start = _say("certainty_not_level", data_dir, answer=_shown(given_level))
        named = ", ".join(_words(x) for x in levels)
        expected = _say("certainty_expected", data_dir, levels=named)
        return Feedback(False, f"{start} {expected} {where}", data_dir=data_dir)
    truth = str(row["certainty"])
    rated = _items(row["downgrades"])
    start_level = expected_certainty(str(row["design"]), 0)
    design = design_words(data_dir=data_dir)[str(row["design"])]
    if level != truth:
        return Feedback(
            False,
            _say(
                "certainty_wrong_level",
                data_dir,
                level=_words(level),
                design=design,
                start=_words(start_level),
                where=where,
            ),
            data_dir=data_dir,
        )
    if pair is None:
        return Feedback(
            False,
            _say(
                "certainty_level_only",
                data_dir,
                level=_words(level),
                quoted=repr(_words(level)),
                where=where,
            ),
            data_dir=data_dir,
        )
    reasons = _reasons(given_reasons)
    if reasons is None:
        return Feedback(
            False,
            _say(
                "certainty_reasons_not_texts", data_dir, answer=_shown(given_reasons), where=where
            ),
            data_dir=data_dir,
        )
    unknown = [r for r in reasons if r not in known_reasons]
    if unknown:
        return Feedback(
            False,
            _say(
                "certainty_unknown_reason",
                data_dir,
                reason=_shown(_words(unknown[0])),
                reasons=", ".join(_words(x) for x in known_reasons),
                where=where,
            ),
            data_dir=data_dir,
        )
    missing = [r for r in dict.fromkeys(rated) if r not in reasons]
    extra = [r for r in dict.fromkeys(reasons) if r not in rated]
    if missing or extra:
        parts = []
        if missing:
            parts.append(
                _say("certainty_one_missing", data_dir)
                if len(missing) == 1
                else _say("certainty_some_missing", data_dir, count=len(missing))
            )
        if extra:
            named = ", ".join(_words(x) for x in extra)
            parts.append(_say("certainty_not_a_reason", data_dir, reasons=named))
        if len(parts) > 1:
            message = _say(
                "certainty_wrong_reasons_both",
                data_dir,
                missing=parts[0],
                extra=parts[1],
                where=where,
            )
        else:
            message = _say("certainty_wrong_reasons", data_dir, problem=parts[0], where=where)
        return Feedback(False, message, data_dir=data_dir)
    if rated:
        counted = ", ".join(
            _say("certainty_reason_levels", data_dir, reason=_words(r), count=rated.count(r))
            if rated.count(r) > 1
            else _words(r)
            for r in dict.fromkeys(rated)
        )
        steps = _say(
            "certainty_steps_many" if len(rated) > 1 else "certainty_steps_one",
            data_dir,
            start=_words(start_level),
            count=len(rated),
            reasons=counted,
            level=_words(truth),
        )
    else:
        steps = _say("certainty_steps_none", data_dir, start=_words(start_level))
    return Feedback(
        True,
        _say(
            "certainty_right",
            data_dir,
            certainty=certainty_words(data_dir=data_dir)[truth],
            finding=this,
            design=design,
            steps=steps,
            statement=row["statement"],
        ),
        data_dir=data_dir,
    )
