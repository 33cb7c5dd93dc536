"""The shared decision-making note for the medical record: plain text, and FHIR R4 to import.

Clinicians stay in the record system; they paste the note or import the resource instead of
retyping (issue 13). Both come from the answers a session gathered, the inputs
:func:`kypho_aid.handout.build_handout` takes, and from the knowledge base:

- :func:`build_note`: plain text in lines of at most 80 columns, to paste into a record: the
  options discussed, the key figures shown with their GRADE certainty (the handout's outcomes,
  read from the summary of findings), the priorities the patient rated, the SURE score, the
  leaning, the patient's questions and notes, the date and the content version;
- :func:`build_note_fhir`: the same as a FHIR R4 ``QuestionnaireResponse`` (a dict, ready for
  :func:`json.dumps`);
- :func:`read_note_fhir`: that resource back to the session's inputs, checked, so that
  ``read_note_fhir(build_note_fhir(**inputs)) == session_inputs(**inputs)``.

Every fixed word is in ``data/ui_text.csv`` (ids ``note.*``); the notes are cleaned as the
handout cleans them (:func:`kypho_aid.handout.clean_notes`). Like the rest of the aid, the note
never adds the ratings up, ranks the options or says which one to choose.

Examples
--------
>>> import datetime as dt
>>> when = dt.datetime(2026, 5, 4, 10, 30, tzinfo=dt.UTC)
>>> note = build_note(ratings={"avoid_new_break": 4}, leaning="unsure", authored=when)
>>> print(note.splitlines()[0])
Shared decision-making note
>>> read_note_fhir(build_note_fhir(leaning="unsure", authored=when))["leaning"]
'unsure'
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypedDict

import pandas as pd

from kypho_aid.datasets import content_info, load_dataset, option_labels
from kypho_aid.decision import InputError, sure_result, values_table
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.findings import DRAWABLE_DESIGNS, lead_finding
from kypho_aid.handout.inputs import (
    UNSURE,
    _check_leaning,
    _check_mapping,
    _check_notes,
    clean_notes,
)
from kypho_aid.templating import TEXT_WIDTH, render_text
from kypho_aid.texts import handout_items, ui_text

__all__ = [
    "CERTAINTY_SYSTEM",
    "FHIR_VALUE_TYPES",
    "LEANING_SYSTEM",
    "OPTION_SYSTEM",
    "QUESTIONNAIRE",
    "SessionInputs",
    "build_note",
    "build_note_fhir",
    "read_note_fhir",
    "session_inputs",
]

#: The canonical URL of the questionnaire; a resource names it with ``|<content version>``.
QUESTIONNAIRE = "urn:kypho-aid:questionnaire:shared-decision"
#: Code system of the options (codes: ``option_id`` of ``options.csv``).
OPTION_SYSTEM = "urn:kypho-aid:option"
#: Code system of the leaning: an option id, or ``unsure``.
LEANING_SYSTEM = "urn:kypho-aid:leaning"
#: Code system of GRADE certainty (codes: ``high``, ``moderate``, ``low``, ``very_low``).
CERTAINTY_SYSTEM = "urn:kypho-aid:grade-certainty"
#: The ``value[x]`` types an answer of this resource may use (all allowed in FHIR R4).
FHIR_VALUE_TYPES = frozenset(
    {"valueString", "valueInteger", "valueBoolean", "valueCoding", "valueDate"}
)


class SessionInputs(TypedDict):
    """A session's answers, checked and in one form: what :func:`read_note_fhir` returns.

    Pass them back with ``**``: ``build_note(**inputs)``.
    """

    options: tuple[str, ...]  # option ids discussed, in the knowledge base's order
    ratings: dict[str, int]  # consideration id -> 0 to 4, only those rated
    leaning: str | None  # an option id, "unsure", or None when not asked
    sure_answers: dict[str, bool]  # SURE item (S, U, R, E) -> yes, only those answered
    notes: str  # the patient's questions and notes, cleaned
    authored: dt.datetime  # when, with its time zone


# --- inputs ---------------------------------------------------------------------------


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
    checked_leaning = _check_leaning(leaning, {o: labels[o] for o in chosen})
    checked_ratings = _check_mapping(ratings, "ratings", "consideration to rating (0 to 4)")
    checked_sure = _check_mapping(sure_answers, "sure_answers", "S, U, R, E to True or False")
    checked_notes = _check_notes(notes)
    when = _check_authored(authored)
    table = values_table(checked_ratings, data_dir=data_dir)  # InputError names the key
    rated = table[table["rating"].notna()].drop_duplicates("consideration_id")
    answers = dict(checked_sure or {})
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
        leaning=checked_leaning,
        sure_answers={str(k): bool(v) for k, v in answers.items()},
        notes=clean_notes(checked_notes)[0],
        authored=when,
    )


# --- what the note says, in words from ui_text.csv ---------------------------------------


def _figures(data_dir: str | Path | None) -> list[pd.Series]:
    """The key figures: per outcome the handout shows, the finding it leads with."""
    found = (
        lead_finding(o, data_dir=data_dir) for o in handout_items("outcome", data_dir=data_dir)
    )
    return [f for f in found if f is not None]


def _certainty(finding: pd.Series) -> str:
    return str(finding["certainty"]).replace("_", " ")


def _figure_line(finding: pd.Series, data_dir: str | Path | None) -> str:
    line = ui_text(
        "note.figure",
        data_dir=data_dir,
        outcome=finding["outcome_label"],
        comparison=finding["comparison_label"],
        study=finding["study"],
        when=finding["timepoint"],
        figure=finding["figure"],
        certainty=_certainty(finding),
    )
    if str(finding["design"]) not in DRAWABLE_DESIGNS:
        line += " " + ui_text("note.not_randomised", data_dir=data_dir)
    return line


def _leaning_words(
    leaning: str | None, labels: Mapping[str, str], data_dir: str | Path | None
) -> str:
    if leaning is None:
        return ui_text("note.not_recorded", data_dir=data_dir)
    if leaning == UNSURE:
        return ui_text("note.not_decided", data_dir=data_dir)
    return labels[leaning]


def _sure_line(answers: Mapping[str, bool], data_dir: str | Path | None) -> str:
    if not answers:
        return ui_text("note.sure_not_done", data_dir=data_dir)
    result = sure_result(answers, data_dir=data_dir)
    items = load_dataset("sure_items", data_dir=data_dir)
    words = [
        f"{r.dimension} "
        + ui_text(
            "note.yes"
            if answers.get(str(r.item_id)) is True
            else "note.no"
            if str(r.item_id) in answers
            else "note.not_answered",
            data_dir=data_dir,
        )
        for r in items.itertuples(index=False)
    ]
    parts = [ui_text("sure.score", data_dir=data_dir, score=result.score)]
    if result.conflict:
        parts.append(ui_text("sure.conflict", data_dir=data_dir))
    parts.append(ui_text("note.sure_answers", data_dir=data_dir, answers="; ".join(words)))
    return " ".join(parts)


def _rated(ratings: Mapping[str, int], data_dir: str | Path | None) -> pd.DataFrame:
    table = values_table(ratings, data_dir=data_dir)
    return table[table["rating"].notna()].drop_duplicates("consideration_id")


# --- the note -----------------------------------------------------------------------------


def build_note(
    *,
    options: Iterable[str] | None = None,
    ratings: Mapping[str, object] | None = None,
    leaning: str | None = None,
    sure_answers: Mapping[str, object] | None = None,
    notes: str = "",
    authored: dt.datetime | None = None,
    data_dir: str | Path | None = None,
) -> str:
    """Build the shared decision-making note as plain text, to paste into a medical record.

    The parameters are those of :func:`session_inputs`.

    Returns
    -------
    str
        Plain text (nothing escaped, no markup), every line at most 80 characters, ending in
        a line break. The figures come from the summary of findings, with their certainty.

    Raises
    ------
    kypho_aid.decision.InputError
        If an input is wrong; its ``field`` (and the message) names the input or the key.
    """
    inputs = session_inputs(
        options=options,
        ratings=ratings,
        leaning=leaning,
        sure_answers=sure_answers,
        notes=notes,
        authored=authored,
        data_dir=data_dir,
    )
    labels = option_labels(data_dir=data_dir)
    info = content_info(data_dir=data_dir)
    rated = _rated(inputs["ratings"], data_dir)
    remarks = clean_notes(notes)[1] if isinstance(notes, str) else []

    def text(text_id: str, **fills: object) -> str:
        return ui_text(text_id, data_dir=data_dir, **fills)

    note = render_text(
        "note.txt.j2",
        title=text("note.title"),
        date=text("note.date", date=inputs["authored"].date().isoformat()),
        decision=text("note.decision"),
        options=text("note.options", options="; ".join(labels[o] for o in inputs["options"])),
        figures_heading=text("note.figures"),
        figures=[_figure_line(f, data_dir) for f in _figures(data_dir)],
        priorities_heading=text("note.priorities"),
        priorities=[
            text("note.priority", consideration=label, rating=int(rating), words=words)
            for label, rating, words in zip(
                rated["label"], rated["rating"], rated["rating_label"], strict=True
            )
        ],
        none_rated=text("note.none_rated"),
        sure=_sure_line(inputs["sure_answers"], data_dir),
        leaning=text("note.leaning", leaning=_leaning_words(inputs["leaning"], labels, data_dir)),
        questions_heading=text("note.questions"),
        questions=inputs["notes"],
        remarks=[text("note.notes_changed")] if remarks else [],
        no_questions=text("note.no_questions"),
        no_recommendation=text("note.no_recommendation"),
        version=text(
            "note.version",
            version=info.version,
            reviewed_on=info.reviewed_on.isoformat(),
            next_review_due=info.next_review_due.isoformat(),
        ),
    )
    too_long = [line for line in note.split("\n") if len(line) > TEXT_WIDTH]
    if too_long:  # a bug: the template wraps every line
        raise KyphoAidError(f"a line of the note is over {TEXT_WIDTH} characters: {too_long[0]!r}")
    return note


# --- FHIR R4 QuestionnaireResponse ----------------------------------------------------------


def _item(link_id: str, text: str, *answers: dict[str, Any]) -> dict[str, Any]:
    return {"linkId": link_id, "text": text, "answer": list(answers)}


def _group(link_id: str, text: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"linkId": link_id, "text": text, "item": items}


def _coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"valueCoding": {"system": system, "code": code, "display": display}}


def build_note_fhir(
    *,
    options: Iterable[str] | None = None,
    ratings: Mapping[str, object] | None = None,
    leaning: str | None = None,
    sure_answers: Mapping[str, object] | None = None,
    notes: str = "",
    authored: dt.datetime | None = None,
    data_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Build the note as a FHIR R4 ``QuestionnaireResponse`` (a dict for :func:`json.dumps`).

    The parameters are those of :func:`session_inputs`. The resource is ``completed``, names
    :data:`QUESTIONNAIRE` with the content version (``...|0.3.0``) and holds one item per part
    of the note, each ``linkId`` unique: ``options`` (codings), ``figures`` (per finding its
    figure and a GRADE certainty coding), ``priorities`` (the rated considerations, integers),
    ``sure`` (the answers, booleans, and the score), ``leaning`` (a coding), ``notes`` and the
    content's version and review date. Parts with nothing to say are left out. Each answer
    holds one value of :data:`FHIR_VALUE_TYPES`.

    Raises
    ------
    kypho_aid.decision.InputError
        If an input is wrong; its ``field`` (and the message) names the input or the key.
    """
    inputs = session_inputs(
        options=options,
        ratings=ratings,
        leaning=leaning,
        sure_answers=sure_answers,
        notes=notes,
        authored=authored,
        data_dir=data_dir,
    )
    labels = option_labels(data_dir=data_dir)
    info = content_info(data_dir=data_dir)

    def text(text_id: str, **fills: object) -> str:
        return ui_text(text_id, data_dir=data_dir, **fills)

    items = [
        _item(
            "options",
            text("note.item_options"),
            *(_coding(OPTION_SYSTEM, o, labels[o]) for o in inputs["options"]),
        ),
        _group(
            "figures",
            text("note.figures"),
            [
                _group(
                    f"figures.{f['finding_id']}",
                    str(f["outcome_label"]),
                    [
                        _item(
                            f"figures.{f['finding_id']}.figure",
                            text("note.item_figure"),
                            {"valueString": _figure_line(f, data_dir)},
                        ),
                        _item(
                            f"figures.{f['finding_id']}.certainty",
                            text("note.item_certainty"),
                            _coding(CERTAINTY_SYSTEM, str(f["certainty"]), _certainty(f)),
                        ),
                    ],
                )
                for f in _figures(data_dir)
            ],
        ),
    ]
    rated = _rated(inputs["ratings"], data_dir)
    if not rated.empty:
        items.append(
            _group(
                "priorities",
                text("note.priorities"),
                [
                    _item(f"priorities.{c}", str(label), {"valueInteger": int(rating)})
                    for c, label, rating in zip(
                        rated["consideration_id"], rated["label"], rated["rating"], strict=True
                    )
                ],
            )
        )
    if inputs["sure_answers"]:
        sure = load_dataset("sure_items", data_dir=data_dir)
        answered = [
            _item(f"sure.{r.item_id}", str(r.question), {"valueBoolean": answer})
            for r in sure.itertuples(index=False)
            if (answer := inputs["sure_answers"].get(str(r.item_id))) is not None
        ]
        score = sure_result(inputs["sure_answers"], data_dir=data_dir).score
        answered.append(_item("sure.score", text("note.item_sure_score"), {"valueInteger": score}))
        items.append(_group("sure", text("note.item_sure"), answered))
    if inputs["leaning"] is not None:
        code = inputs["leaning"]
        items.append(
            _item(
                "leaning",
                text("note.item_leaning"),
                _coding(LEANING_SYSTEM, code, _leaning_words(code, labels, data_dir)),
            )
        )
    if inputs["notes"]:
        items.append(_item("notes", text("note.questions"), {"valueString": inputs["notes"]}))
    items += [
        _item("content_version", text("note.item_version"), {"valueString": info.version}),
        _item(
            "content_reviewed_on",
            text("note.item_reviewed_on"),
            {"valueDate": info.reviewed_on.isoformat()},
        ),
    ]
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{QUESTIONNAIRE}|{info.version}",
        "status": "completed",
        "authored": inputs["authored"].isoformat(),
        "item": items,
    }


# --- reading it back ------------------------------------------------------------------------

#: linkId (or its part before the first dot) -> the one value type its answers hold; None for
#: a group, which holds items and no answer.
_ITEM_TYPES: dict[str, str | None] = {
    "options": "valueCoding",
    "figures": None,
    "priorities": None,
    "sure": None,
    "leaning": "valueCoding",
    "notes": "valueString",
    "content_version": "valueString",
    "content_reviewed_on": "valueDate",
}


def _expected_type(link_id: str) -> str | None:
    """The value type an item's answers hold (None: a group), from its linkId."""
    head, _, rest = link_id.partition(".")
    if not rest:
        if head not in _ITEM_TYPES:
            raise InputError(f"item {link_id}", "is not an item of this questionnaire")
        return _ITEM_TYPES[head]
    if head == "priorities" and "." not in rest:
        return "valueInteger"
    if head == "sure" and "." not in rest:
        return "valueInteger" if rest == "score" else "valueBoolean"
    if head == "figures":
        if "." not in rest:
            return None
        kind = rest.rpartition(".")[2]
        if kind in {"figure", "certainty"}:
            return "valueString" if kind == "figure" else "valueCoding"
    raise InputError(f"item {link_id}", "is not an item of this questionnaire")


def _value(answer: object, where: str, expected: str) -> Any:
    """The one value of an answer, checked to be of the ``expected`` type."""
    if not isinstance(answer, Mapping):
        raise InputError(where, f"an answer is an object, got {type(answer).__name__}")
    values = [key for key in answer if str(key).startswith("value")]
    if len(values) != 1:
        raise InputError(where, f"an answer holds exactly one value[x], got {len(values)}")
    (key,) = values
    if key not in FHIR_VALUE_TYPES:
        raise InputError(where, f"{key} is not a value type of this questionnaire")
    if key != expected:
        raise InputError(where, f"expected {expected}, got {key}")
    value = answer[key]
    ok = {
        "valueString": isinstance(value, str),
        "valueInteger": isinstance(value, int) and not isinstance(value, bool),
        "valueBoolean": isinstance(value, bool),
        "valueCoding": isinstance(value, Mapping) and isinstance(value.get("code"), str),
        "valueDate": isinstance(value, str),
    }[key]
    if not ok:
        raise InputError(where, f"{key} has the wrong kind of value: {value!r:.60}")
    if key == "valueDate":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise InputError(where, f"valueDate {value!r:.40} is not a date (YYYY-MM-DD)") from None
    return value


def _walk(items: object, where: str, found: dict[str, list[Any]], parent: str = "") -> None:
    """Collect each item's answer values by linkId, checking the structure on the way.

    An item sits in the group its linkId names: ``priorities.cost`` in ``priorities``.
    """
    if not isinstance(items, list):
        raise InputError(where, f"expected a list of items, got {type(items).__name__}")
    for number, item in enumerate(items):
        here = f"{where}[{number}]"
        if not isinstance(item, Mapping):
            raise InputError(here, f"an item is an object, got {type(item).__name__}")
        link_id = item.get("linkId")
        if not isinstance(link_id, str) or not link_id:
            raise InputError(f"{here}.linkId", "every item needs a linkId (text)")
        if link_id in found:
            raise InputError(f"item {link_id}", "this linkId is used twice; each is unique")
        expected = _expected_type(link_id)
        group = link_id.rpartition(".")[0]
        if group != parent:
            place = f"in the group {group}" if group else "at the top level"
            raise InputError(f"item {link_id}", f"belongs {place}")
        if "answer" in item and "item" in item:
            raise InputError(f"item {link_id}", "an item holds answers or items, not both")
        if expected is None:
            if "answer" in item:
                raise InputError(f"item {link_id}", "a group holds items, not answers")
            found[link_id] = []
            _walk(item.get("item", []), f"item {link_id}", found, link_id)
            continue
        answers = item.get("answer")
        if not isinstance(answers, list) or not answers:
            raise InputError(f"item {link_id}", "expected a list of one or more answers")
        found[link_id] = [_value(a, f"item {link_id}", expected) for a in answers]


def _single(found: Mapping[str, list[Any]], link_id: str) -> Any:
    values = found.get(link_id, [None])
    if len(values) != 1:
        raise InputError(f"item {link_id}", f"expected one answer, got {len(values)}")
    return values[0]


def _code(coding: Mapping[str, Any], system: str, link_id: str) -> str:
    if coding.get("system") != system:
        raise InputError(
            f"item {link_id}", f"expected a coding of {system}, got {coding.get('system')!r}"
        )
    return str(coding["code"])


def read_note_fhir(
    resource: Mapping[str, Any] | str | bytes, *, data_dir: str | Path | None = None
) -> SessionInputs:
    """Read a resource of :func:`build_note_fhir` back to the session's inputs.

    Parameters
    ----------
    resource : mapping, or str or bytes of JSON
        A FHIR R4 ``QuestionnaireResponse`` of :data:`QUESTIONNAIRE`.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    SessionInputs
        The answers, checked as :func:`session_inputs` checks them; the figures, the SURE
        score and the content version are the knowledge base's and are not read back.

    Raises
    ------
    kypho_aid.decision.InputError
        If the resource is malformed: its ``field`` names the part (``resourceType``,
        ``authored``, ``item priorities.cost``, ...) and the message says what is wrong.
    """
    if isinstance(resource, str | bytes):
        try:
            resource = json.loads(resource)
        except (ValueError, UnicodeDecodeError) as err:
            raise InputError("resource", f"is not JSON: {err}") from None
    if not isinstance(resource, Mapping):
        raise InputError("resource", f"expected a JSON object, got {type(resource).__name__}")
    if resource.get("resourceType") != "QuestionnaireResponse":
        raise InputError(
            "resourceType",
            f"expected 'QuestionnaireResponse', got {resource.get('resourceType')!r:.40}",
        )
    if resource.get("status") != "completed":
        raise InputError("status", f"expected 'completed', got {resource.get('status')!r:.40}")
    canonical = resource.get("questionnaire")
    if not isinstance(canonical, str) or canonical.partition("|")[0] != QUESTIONNAIRE:
        raise InputError("questionnaire", f"expected {QUESTIONNAIRE}|VERSION, the content version")
    authored = resource.get("authored")
    try:
        when = dt.datetime.fromisoformat(authored) if isinstance(authored, str) else None
    except ValueError:
        when = None
    if when is None or "T" not in str(authored) or when.utcoffset() is None:
        raise InputError("authored", "expected a date and time with a time zone (ISO 8601)")
    found: dict[str, list[Any]] = {}
    _walk(resource.get("item", []), "item", found)
    if "options" not in found:
        raise InputError("item options", "missing: the resource names the options discussed")
    options = [_code(c, OPTION_SYSTEM, "options") for c in found["options"]]
    leaning = _single(found, "leaning")
    notes = _single(found, "notes")
    return session_inputs(
        options=options,
        ratings={
            link_id.partition(".")[2]: _single(found, link_id)
            for link_id in found
            if link_id.startswith("priorities.")
        },
        leaning=None if leaning is None else _code(leaning, LEANING_SYSTEM, "leaning"),
        sure_answers={
            link_id.partition(".")[2]: _single(found, link_id)
            for link_id in found
            if link_id.startswith("sure.") and link_id != "sure.score"
        },
        notes="" if notes is None else notes,
        authored=when,
        data_dir=data_dir,
    )
