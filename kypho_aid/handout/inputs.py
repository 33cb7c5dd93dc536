"""The handout's inputs: each answer checked (naming the field at fault) and every text made
safe to print: no web address, no control or bidirectional character, notes cut to fit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from kypho_aid.decision import InputError
from kypho_aid.texts import ui_text

#: Value of ``leaning`` for a person who is not sure yet.
UNSURE = "unsure"
#: Notes longer than this are cut, with a visible remark.
MAX_NOTES_CHARS = 1200
#: Notes with more lines than this have their last lines joined, so the page still fits.
MAX_NOTES_LINES = 10
#: Screening reasons listed at most, so the page still fits.
MAX_SCREENING_POINTS = 6

# A web address with a scheme ("https://…", "ftp://…"), a protocol-relative one ("//…") or
# one starting with "www.". A scheme is only looked for where a run of scheme characters
# starts (taking in any digits or signs before its first letter): trying every letter of a
# long run would take time growing with the square of its length.
_WEB_ADDRESS = re.compile(
    r"(?i)(?<![a-z0-9+.\-])[0-9+.\-]*+[a-z][a-z0-9+.\-]*+://[^\s<>\"']*"
    r"|//[^\s<>\"']+|\bwww\.[^\s<>\"']*"
)
# A bare domain name such as "example.org" (only removed from citations).
_DOMAIN = re.compile(
    r"(?i)\b(?:[a-z0-9-]+\.)+(?:com|org|net|gov|edu|info|app|io|co|uk|ca|au|de|nl|tg)\b"
)
# Control characters other than tab and newline, and bidirectional overrides (which can make
# printed text read differently from what was typed).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain(value: object) -> str:
    """Text for the handout, leaving out any web address (none may appear in it).

    Plain text, not markup: the template escapes it.
    """
    return _WEB_ADDRESS.sub("", str(value))


def _no_web(text: str) -> str:
    """Remove web addresses from a piece of knowledge-base text."""
    cleaned = _WEB_ADDRESS.sub("", text)
    return re.sub(r"\s{2,}", " ", cleaned).replace(" .", ".").strip()


# --- inputs ---------------------------------------------------------------------------


def _check_leaning(leaning: object, labels: Mapping[str, str]) -> str | None:
    if leaning is None:
        return None
    allowed = [*labels, UNSURE]
    if not isinstance(leaning, str):
        raise InputError(
            "leaning",
            f"expected an option id or {UNSURE!r}, got {type(leaning).__name__}; "
            f"use one of: {', '.join(allowed)}",
        )
    if leaning not in allowed:
        raise InputError(
            "leaning", f"{leaning!r} is not an option; use one of: {', '.join(allowed)}"
        )
    return leaning


def _check_mapping(value: object, field: str, what: str) -> Mapping[str, object] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InputError(field, f"expected a mapping of {what}, got {type(value).__name__}")
    return value


def _check_notes(notes: object) -> str:
    if not isinstance(notes, str):
        raise InputError("notes", f"notes are text (str), got {type(notes).__name__}")
    return notes


class CheckedAnswers(NamedTuple):
    """A session's answers, each checked for its type (the values are checked where used)."""

    leaning: str | None
    ratings: Mapping[str, object] | None
    sure_answers: Mapping[str, object] | None
    notes: str


def check_answers(
    leaning: object, ratings: object, sure_answers: object, notes: object, labels: Mapping[str, str]
) -> CheckedAnswers:
    """Check the answers both the handout and the note take, in one order; the first wrong
    one raises an :class:`InputError` naming it (``leaning`` may be any of ``labels``)."""
    return CheckedAnswers(
        leaning=_check_leaning(leaning, labels),
        ratings=_check_mapping(ratings, "ratings", "consideration to rating (0 to 4)"),
        sure_answers=_check_mapping(sure_answers, "sure_answers", "S, U, R, E to True or False"),
        notes=_check_notes(notes),
    )


def _check_screening(screening: object, labels: Mapping[str, str]) -> pd.DataFrame | None:
    if screening is None:
        return None
    if not isinstance(screening, pd.DataFrame):
        raise InputError(
            "screening",
            f"expected a pandas DataFrame with columns option_id, status and reasons, "
            f"got {type(screening).__name__}",
        )
    missing = [c for c in ("option_id", "status", "reasons") if c not in screening.columns]
    if missing:
        raise InputError("screening", f"missing column(s): {', '.join(missing)}")
    unknown = sorted({str(o) for o in screening["option_id"] if str(o) not in labels})
    if unknown:
        raise InputError(
            "screening",
            f"unknown option id(s) {unknown!r}; use any of: {', '.join(labels)}",
        )
    return screening


def clean_notes(notes: str, *, data_dir: str | Path | None = None) -> tuple[str, list[str]]:
    """Make the notes printable: no web addresses, capped in length and lines; say what changed.

    Control characters and bidirectional overrides are removed, line and paragraph separators
    become line breaks. The handout and the note for the medical record both clean notes here.
    The mark put where a web address was and the remarks are ``handout.notes_*`` texts of
    ``ui_text.csv`` (``data_dir``: knowledge-base folder, :func:`kypho_aid.data_dir` by default).
    """
    text = notes.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    for separator in ("\r\n", "\r", "\u2028", "\u2029"):
        text = text.replace(separator, "\n")
    text = _CONTROL.sub("", text).replace("\t", " ")
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    remarks = []
    mark = ui_text("handout.notes_web_mark", data_dir=data_dir)
    scrubbed = _WEB_ADDRESS.sub(lambda _: mark, text)  # the mark as written, no escapes
    if scrubbed != text:
        remarks.append(ui_text("handout.notes_web_left_out", data_dir=data_dir))
    # measured without a cut mark from an earlier cleaning, so cleaning twice changes nothing
    if len(scrubbed.removesuffix(" …")) > MAX_NOTES_CHARS:
        cut = scrubbed[:MAX_NOTES_CHARS]
        space = max(cut.rfind(" "), cut.rfind("\n"))
        if space > MAX_NOTES_CHARS - 40:  # end on a whole word when one ends close by
            cut = cut[:space]
        scrubbed = cut.rstrip() + " …"
        remarks.append(
            ui_text("handout.notes_cut", count=f"{MAX_NOTES_CHARS:,}", data_dir=data_dir)
        )
    lines = scrubbed.split("\n")
    if len(lines) > MAX_NOTES_LINES:
        lines = [
            *lines[: MAX_NOTES_LINES - 1],
            " ".join(x for x in lines[MAX_NOTES_LINES - 1 :] if x),
        ]
        remarks.append(ui_text("handout.notes_joined", data_dir=data_dir))
    return "\n".join(lines), remarks
