"""A session's answers, checked and put in one form: what the note and its FHIR resource say.

:func:`session_inputs` checks the answers a session gathered (the inputs
:func:`kypho_aid.handout.build_handout` takes) and returns them as :class:`SessionInputs`;
:class:`SessionAnswers` names the same keyword arguments once, for
:func:`kypho_aid.note.build_note` and :func:`kypho_aid.note.build_note_fhir`, which take them
as they are and pass them on here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple, TypedDict

from kypho_aid.datasets import content_info, option_labels
from kypho_aid.decision import InputError, rated_rows, sure_result, values_table
from kypho_aid.handout.inputs import check_answers, clean_notes
from kypho_aid.model import ContentInfo

__all__ = ["SessionAnswers", "SessionInputs", "session_inputs"]


class SessionInputs(TypedDict):
    """A session's answers, checked and in one form: what :func:`session_inputs` and
    :func:`kypho_aid.note.read_note_fhir` return.

    Pass them back with ``**``: ``build_note(**inputs)``.
    """

    options: tuple[str, ...]  # option ids discussed, in the knowledge base's order
    ratings: dict[str, int]  # consideration id -> 0 to 4, only those rated
    leaning: str | None  # an option id, "unsure", or None when not asked
    sure_answers: dict[str, bool]  # SURE item (S, U, R, E) -> yes, only those answered
    notes: str  # the patient's questions and notes, cleaned
    authored: dt.datetime  # when, with its time zone


class SessionAnswers(TypedDict, total=False):
    """The keyword arguments of :func:`session_inputs`, as given (every one optional).

    :func:`kypho_aid.note.build_note` and :func:`kypho_aid.note.build_note_fhir` take them
    as ``**answers: Unpack[SessionAnswers]``: keyword-only, with these names and types, and
    the defaults and meanings of :func:`session_inputs`.
    """

    options: Iterable[str] | None
    ratings: Mapping[str, object] | None
    leaning: str | None
    sure_answers: Mapping[str, object] | None
    notes: str
    authored: dt.datetime | None
    data_dir: str | Path | None


def _check_options(options: object, labels: Mapping[str, str]) -> tuple[str, ...]:
    if options is None:
        return tuple(labels)
    if isinstance(options, str) or not isinstance(options, Iterable):
        raise InputError("options", f"expected a list of option ids, got {type(options).__name__}")
    given = list(options)
    for option in given:
        if not isinstance(option, str) or option not in labels:
            raise InputError(
                "options", f"{option!r} is not an option; use any of: {', '.join(labels)}"
            )
    if len(set(given)) != len(given):
        raise InputError("options", "an option is named twice")
    if not given:
        raise InputError("options", "name at least one option discussed")
    return tuple(o for o in labels if o in given)


def _check_authored(authored: object) -> dt.datetime:
    if authored is None:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    if not isinstance(authored, dt.datetime):
        raise InputError(
            "authored", f"expected a datetime with a time zone, got {type(authored).__name__}"
        )
    if authored.utcoffset() is None:
        raise InputError("authored", "the date and time needs a time zone (tzinfo)")
    return authored


def session_inputs(
    *,
    options: Iterable[str] | None = None,
    ratings: Mapping[str, object] | None = None,
    leaning: str | None = None,
    sure_answers: Mapping[str, object] | None = None,
    notes: str = "",
    authored: dt.datetime | None = None,
    data_dir: str | Path | None = None,
) -> SessionInputs:
    """Check a session's answers and put them in one form (see :class:`SessionInputs`).

    Parameters
    ----------
    options : list of str, optional
        The option ids discussed; all of them by default.
    ratings : mapping of consideration id to int, optional
        How much each consideration matters, 0 to 4 (see :func:`kypho_aid.decision.values_table`).
    leaning : str, optional
        One of the options discussed, ``"unsure"``, or None when not asked.
    sure_answers : mapping of S, U, R, E to bool, optional
        The SURE test answers (see :func:`kypho_aid.decision.sure_result`).
    notes : str
        The patient's questions and notes; cleaned as the handout cleans them
        (:func:`kypho_aid.handout.clean_notes`).
    authored : datetime, optional
        When the note was written, with a time zone; now (UTC, whole seconds) by default.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Raises
    ------
    kypho_aid.decision.InputError
        If an input is wrong; its ``field`` (and the message) names the input or the key.
    """
    labels = option_labels(data_dir=data_dir)
    chosen = _check_options(options, labels)
    checked = check_answers(leaning, ratings, sure_answers, notes, {o: labels[o] for o in chosen})
    when = _check_authored(authored)
    rated = rated_rows(values_table(checked.ratings, data_dir=data_dir))  # InputError names the key
    answers = dict(checked.sure_answers or {})
    sure_result(answers, data_dir=data_dir)  # InputError names the item
    return SessionInputs(
        options=chosen,
        ratings=dict(
            zip(
                rated["consideration_id"].astype(str),
                (int(r) for r in rated["rating"]),
                strict=True,
            )
        ),
        leaning=checked.leaning,
        sure_answers={str(k): bool(v) for k, v in answers.items()},
        notes=clean_notes(checked.notes, data_dir=data_dir)[0],
        authored=when,
    )


class SessionContext(NamedTuple):
    """A session's checked inputs with what both of its records need beside them."""

    inputs: SessionInputs
    data_dir: str | Path | None
    labels: Mapping[str, str]  # option id -> label
    info: ContentInfo  # the content's version and review dates


def session_context(answers: SessionAnswers) -> SessionContext:
    """Check a session's answers (:func:`session_inputs`) and gather what the note and the
    FHIR resource both start from: the data folder, the options' labels, the content info."""
    data_dir = answers.get("data_dir")
    return SessionContext(
        inputs=session_inputs(**answers),
        data_dir=data_dir,
        labels=option_labels(data_dir=data_dir),
        info=content_info(data_dir=data_dir),
    )
