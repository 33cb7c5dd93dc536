"""The shared decision-making note for the medical record: plain text, and FHIR R4 to import.

Clinicians stay in the record system; they paste the note or import the resource instead of
retyping (issue 13). Both come from the answers a session gathered, the inputs
:func:`kypho_aid.handout.build_handout` takes, and from the knowledge base. Three modules:
``inputs`` (:func:`session_inputs`: the answers checked and in one form), ``text``
(:func:`build_note`: plain text in lines of at most 80 columns) and ``fhir``
(:func:`build_note_fhir`: a FHIR R4 ``QuestionnaireResponse``, and :func:`read_note_fhir`: that
resource back to the session's inputs). Every name still imports from here.

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

from kypho_aid.note.fhir import (
    CERTAINTY_SYSTEM,
    FHIR_VALUE_TYPES,
    LEANING_SYSTEM,
    OPTION_SYSTEM,
    QUESTIONNAIRE,
    build_note_fhir,
    read_note_fhir,
)
from kypho_aid.note.inputs import SessionAnswers, SessionInputs, session_inputs
from kypho_aid.note.text import build_note

__all__ = [
    "CERTAINTY_SYSTEM",
    "FHIR_VALUE_TYPES",
    "LEANING_SYSTEM",
    "OPTION_SYSTEM",
    "QUESTIONNAIRE",
    "SessionAnswers",
    "SessionInputs",
    "build_note",
    "build_note_fhir",
    "read_note_fhir",
    "session_inputs",
]
