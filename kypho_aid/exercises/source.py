"""Exercise b: the source and the place in it behind one finding or evidence row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kypho_aid.compare import bibliography
from kypho_aid.datasets import load_dataset
from kypho_aid.exceptions import UnknownTopicError
from kypho_aid.exercises._common import (
    Feedback,
    Question,
    _about,
    _as_text,
    _items,
    _say,
    _shown,
    _unpack_pair,
    lead_risk_finding,
)
from kypho_aid.findings import (
    summary_of_findings,
)
from kypho_aid.model import LIST_SEPARATOR

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
        about = _about(row, data_dir)
        place = _say("source_in_findings", data_dir)
    else:
        about = _say("source_evidence_row", data_dir, row=row_id, measure=row["measure"])
        place = _say("source_in_outcomes", data_dir)
    text = _say("source_question", data_dir, about=about, place=place)
    return Question("check_source", text, (row_id,), tuple(_items(row["source_ids"])))


def _source_pair(answer: object) -> tuple[object, object] | None:
    """The (source id, locator) a student gave, from a pair, a mapping or a Series."""
    try:
        return _unpack_pair(answer, ("source_id", "source_ids", "source"), ("locator", "locators"))
    except Exception:  # a hostile container that breaks on len() or indexing is not a pair
        return None


def _source_found(
    row_id: str, row: pd.Series, pairs: list[tuple[str, str]], data_dir: str | Path | None
) -> Feedback:
    citations = bibliography([s for s, _ in pairs], data_dir=data_dir)["citation"]
    found = "; ".join(_say("source_at", data_dir, source=s, locator=repr(p)) for s, p in pairs)
    evidence = _items(row.get("evidence_ids"))
    fills = {"row": row_id, "found": found, "citations": " ".join(citations)}
    if evidence:
        fills["evidence"] = ", ".join(evidence)
    name = "source_right_worked" if evidence else "source_right"
    return Feedback(True, _say(name, data_dir, **fills), data_dir=data_dir)


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
    where = _say("source_where", data_dir, row=row_id, table=table)
    given = _source_pair(answer)
    if given is None:
        if isinstance(answer, str) and _as_text(answer) in {_as_text(s) for s, _ in pairs}:
            start = _say("source_id_only", data_dir)
        elif answer is None:
            start = _say("no_answer", data_dir)
        else:
            start = _say("not_a_pair", data_dir, answer=_shown(answer))
        return Feedback(
            False, _say("source_not_pair", data_dir, problem=start, where=where), data_dir=data_dir
        )
    source, locator = _as_text(given[0]), _as_text(given[1])
    if source is None or locator is None:
        return Feedback(
            False,
            _say(
                "source_not_text",
                data_dir,
                source=_shown(given[0]),
                locator=_shown(given[1]),
                where=where,
            ),
            data_dir=data_dir,
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
        return Feedback(False, _say("source_lists", data_dir, where=where), data_dir=data_dir)
    for pair, key in zip(pairs, whole, strict=True):
        if key == (source, locator):
            return _source_found(row_id, row, [pair], data_dir)
    ids = {_as_text(s): s for s, _ in pairs}
    places = {_as_text(p) for _, p in pairs}
    if source in ids:
        return Feedback(
            False,
            _say("source_wrong_locator", data_dir, source=ids[source], locator=_shown(given[1])),
            data_dir=data_dir,
        )
    if locator in places:
        return Feedback(
            False,
            _say("source_wrong_source", data_dir, source=_shown(given[0]), where=where),
            data_dir=data_dir,
        )
    sources = load_dataset("sources", data_dir=data_dir)
    titles = {_as_text(t): s for s, t in zip(sources["source_id"], sources["title"], strict=True)}
    known = {_as_text(s) for s in sources["source_id"]}
    if source in titles and _as_text(titles[source]) in ids:
        hint = _say("source_title", data_dir)
    elif source in known:
        hint = _say("source_other", data_dir, source=_shown(given[0]))
    else:
        hint = _say("source_unknown", data_dir, source=_shown(given[0]))
    return Feedback(False, f"{hint} {where}", data_dir=data_dir)
