"""The note as plain text, to paste into a medical record, and the words it shares with FHIR.

:func:`build_note` fills ``templates/note.txt.j2`` in lines of at most 80 columns: the options
discussed, the key figures shown with their GRADE certainty (the handout's outcomes, read from
the summary of findings), the priorities the patient rated, the SURE score, the leaning, the
patient's questions and notes, the date and the content version. The helpers that put a
figure, a leaning or the rated priorities into words serve :mod:`kypho_aid.note.fhir` too, so
the resource says what the note says.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Unpack

import pandas as pd

from kypho_aid.datasets import load_dataset
from kypho_aid.decision import rated_rows, sure_result, values_table
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.findings import lead_finding
from kypho_aid.handout.inputs import UNSURE, clean_notes
from kypho_aid.note.inputs import SessionAnswers, session_context
from kypho_aid.templating import TEXT_WIDTH, render_text
from kypho_aid.texts import handout_items, ui_text
from kypho_aid.wording import DRAWABLE_DESIGNS

__all__ = ["build_note"]


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


# --- the note -----------------------------------------------------------------------------


def build_note(**answers: Unpack[SessionAnswers]) -> str:
    """Build the shared decision-making note as plain text, to paste into a medical record.

    Parameters
    ----------
    **answers
        Keyword-only: ``options``, ``ratings``, ``leaning``, ``sure_answers``, ``notes``,
        ``authored`` and ``data_dir``, those of :func:`~kypho_aid.note.session_inputs`, with
        its defaults (see :class:`~kypho_aid.note.SessionAnswers`).

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
    inputs, data_dir, labels, info = session_context(answers)
    rated = rated_rows(values_table(inputs["ratings"], data_dir=data_dir))
    notes = answers.get("notes", "")
    remarks = clean_notes(notes, data_dir=data_dir)[1] if isinstance(notes, str) else []

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
