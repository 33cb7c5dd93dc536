"""The note as a FHIR R4 ``QuestionnaireResponse``, to import into a record, and the way back.

:func:`build_note_fhir` holds what the plain-text note says (:mod:`kypho_aid.note.text`) as
one item per part, each ``linkId`` unique; :func:`read_note_fhir` checks such a resource,
naming the part at fault, and returns the session's inputs, so that
``read_note_fhir(build_note_fhir(**inputs)) == session_inputs(**inputs)``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Unpack

from kypho_aid.datasets import load_dataset
from kypho_aid.decision import InputError, rated_rows, sure_result, values_table
from kypho_aid.note.inputs import SessionAnswers, SessionInputs, session_context, session_inputs
from kypho_aid.note.text import _certainty, _figure_line, _figures, _leaning_words
from kypho_aid.texts import ui_text

__all__ = [
    "CERTAINTY_SYSTEM",
    "FHIR_VALUE_TYPES",
    "LEANING_SYSTEM",
    "OPTION_SYSTEM",
    "QUESTIONNAIRE",
    "build_note_fhir",
    "read_note_fhir",
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


# --- building it ----------------------------------------------------------------------------


def _item(link_id: str, text: str, *answers: dict[str, Any]) -> dict[str, Any]:
    return {"linkId": link_id, "text": text, "answer": list(answers)}


def _group(link_id: str, text: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"linkId": link_id, "text": text, "item": items}


def _coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"valueCoding": {"system": system, "code": code, "display": display}}


def build_note_fhir(**answers: Unpack[SessionAnswers]) -> dict[str, Any]:
    """Build the note as a FHIR R4 ``QuestionnaireResponse`` (a dict for :func:`json.dumps`).

    The resource is ``completed``, names :data:`QUESTIONNAIRE` with the content version
    (``...|0.3.0``) and holds one item per part of the note, each ``linkId`` unique:
    ``options`` (codings), ``figures`` (per finding its figure and a GRADE certainty coding),
    ``priorities`` (the rated considerations, integers), ``sure`` (the answers, booleans, and
    the score), ``leaning`` (a coding), ``notes`` and the content's version and review date.
    Parts with nothing to say are left out. Each answer holds one value of
    :data:`FHIR_VALUE_TYPES`.

    Parameters
    ----------
    **answers
        Keyword-only: ``options``, ``ratings``, ``leaning``, ``sure_answers``, ``notes``,
        ``authored`` and ``data_dir``, those of :func:`~kypho_aid.note.session_inputs`, with
        its defaults (see :class:`~kypho_aid.note.SessionAnswers`).

    Raises
    ------
    kypho_aid.decision.InputError
        If an input is wrong; its ``field`` (and the message) names the input or the key.
    """
    inputs, data_dir, labels, info = session_context(answers)

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
    rated = rated_rows(values_table(inputs["ratings"], data_dir=data_dir))
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
