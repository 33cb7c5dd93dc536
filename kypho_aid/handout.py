"""The summary handout: one printed page, A4 or US Letter, to take to the care team.

:func:`build_handout` gathers what a person did in the aid (how much each consideration
matters to them, which way they lean, the SURE check, their own notes) and the key facts
from the knowledge base (the options side by side, a few outcomes in numbers out of the same
denominator, questions to ask, warning signs, sources) into one self-contained HTML page:
inline CSS only, no image, no link and no web address anywhere in it, so it opens and prints
the same offline. Its one piece of script is the Print button's ``onclick`` (hidden when
printed), so the app can open the page in a new tab and print it straight away.

The page fits one sheet of A4 and of Letter with body text at 12 pt and nothing under 11 pt
(``style.HANDOUT_CSS``): it holds the options side by side in a few short rows, the outcomes
in numbers with how sure the evidence is, the person's own answers, questions to ask, warning
signs and short source titles. The rest stays in the aid; the page says to ask the care team
for more, never to look something up where the reader cannot. :func:`write_handout` saves it without ever replacing a file by
accident, and :func:`handout_pdf` prints it to PDF with headless chromium.

Like the rest of the aid, the handout never adds the ratings up, ranks the options or says
which one to choose.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from kypho_aid._values import present
from kypho_aid.compare import (
    NOT_STATED,
    SourceNumbering,
    bibliography,
    compare,
    option_grid,
    short_citation,
)
from kypho_aid.datasets import content_info, load_dataset, option_labels
from kypho_aid.decision import RATING_LABELS, InputError, sure_result, values_table
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.findings import lead_finding
from kypho_aid.model import LIST_SEPARATOR
from kypho_aid.style import HANDOUT_CSS
from kypho_aid.templating import render
from kypho_aid.texts import handout_items, ui_text

__all__ = [
    "CHROMIUM_ARGS",
    "MAX_NOTES_CHARS",
    "TITLE",
    "UNSURE",
    "build_handout",
    "clean_notes",
    "count_pdf_pages",
    "find_chromium",
    "handout_items",
    "handout_pdf",
    "write_handout",
]

#: Screening statuses in plain words (the ids are for code; "contraindication" is jargon).
_STATUS_WORDS = {
    "no_contraindication_found": "no point found in these rules",
    "caution": "some points need care",
    "not_suitable": "not usually done",
    "more_information_needed": "more to find out",
    "urgent_assessment": "a warning sign: get checked the same day, whatever you choose",
}

#: The handout's title.
TITLE = "Your decision: treating a painful spine fracture"
# What the handout shows (attributes side by side, outcomes in numbers, questions to ask)
# lives in data/handout_items.csv: see :func:`kypho_aid.texts.handout_items`. The old
# constants, by name and section, still work with a DeprecationWarning.
_DEPRECATED_ITEMS = {
    "HANDOUT_ATTRIBUTES": "attribute",
    "HANDOUT_OUTCOMES": "outcome",
    "HANDOUT_QUESTIONS": "question",
}


def __getattr__(name: str) -> tuple[str, ...]:
    section = _DEPRECATED_ITEMS.get(name)
    if section is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"handout.{name} is deprecated; use handout_items({section!r}), which reads "
        "data/handout_items.csv",
        DeprecationWarning,
        stacklevel=2,
    )
    return handout_items(section)


#: Value of ``leaning`` for a person who is not sure yet.
UNSURE = "unsure"
#: Notes longer than this are cut, with a visible remark.
MAX_NOTES_CHARS = 1200
#: Notes with more lines than this have their last lines joined, so the page still fits.
MAX_NOTES_LINES = 10
#: Screening reasons listed at most, so the page still fits.
MAX_SCREENING_POINTS = 6
#: How long chromium may take to print the handout, in seconds.
CHROMIUM_TIMEOUT = 120
#: Every chromium the project starts (handout PDF, slides, browser tests, benchmarks) gets
#: these: headless-friendly as root, and silent on the network. Background networking off
#: is not enough (it still looked up accounts.google.com and others); the resolver rule
#: answers every name lookup with "not found" without asking DNS; 127.0.0.1 (the app and
#: lab under test) is excepted, as the rule would otherwise map that address too.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
)

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
# What must never be in the document (a safety net behind the scrubbing above).
_FORBIDDEN = re.compile(
    r"(?i)(?<![a-z0-9+.\-])[0-9+.\-]*+[a-z][a-z0-9+.\-]*+://"
    r"|//[^\s<>\"']|\bwww\.|<script|<link|<img"
)


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


def clean_notes(notes: str) -> tuple[str, list[str]]:
    """Make the notes printable: no web addresses, capped in length and lines; say what changed.

    Control characters and bidirectional overrides are removed, line and paragraph separators
    become line breaks. The handout and the note for the medical record both clean notes here.
    """
    text = notes.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    for separator in ("\r\n", "\r", "\u2028", "\u2029"):
        text = text.replace(separator, "\n")
    text = _CONTROL.sub("", text).replace("\t", " ")
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    remarks = []
    scrubbed = _WEB_ADDRESS.sub("[web address left out]", text)
    if scrubbed != text:
        remarks.append("Web addresses are left out of this handout.")
    # measured without a cut mark from an earlier cleaning, so cleaning twice changes nothing
    if len(scrubbed.removesuffix(" …")) > MAX_NOTES_CHARS:
        cut = scrubbed[:MAX_NOTES_CHARS]
        space = max(cut.rfind(" "), cut.rfind("\n"))
        if space > MAX_NOTES_CHARS - 40:  # end on a whole word when one ends close by
            cut = cut[:space]
        scrubbed = cut.rstrip() + " …"
        remarks.append(
            f"Your notes were cut at {MAX_NOTES_CHARS:,} characters to fit the page. "
            "Keep the full text with you."
        )
    lines = scrubbed.split("\n")
    if len(lines) > MAX_NOTES_LINES:
        lines = [
            *lines[: MAX_NOTES_LINES - 1],
            " ".join(x for x in lines[MAX_NOTES_LINES - 1 :] if x),
        ]
        remarks.append("Some line breaks were joined to fit the page.")
    return "\n".join(lines), remarks


# --- sources --------------------------------------------------------------------------


def _mark(sources: SourceNumbering, source_ids: object) -> str:
    """The numbers of one cell's sources, numbering any not cited before: ``1–3, 5`` ("" if none)."""
    numbers = sources.cite(source_ids)
    return _ranges(sorted(numbers)) if numbers else ""


def _ranges(numbers: list[int]) -> str:
    """Write runs of source numbers as ranges: 1, 2, 3, 5 becomes "1–3, 5"."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(
        f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(str(n) for n in run) for run in runs
    )


def _citation(record: Mapping[str, Any]) -> str:
    """A source as a reader can look it up (:func:`kypho_aid.compare.short_citation`), with
    any web address that a title carries turned into words."""
    text = short_citation(record) + "."
    return re.sub(r"\s{2,}", " ", _DOMAIN.sub("a website", _no_web(text))).strip()


# --- sections: each gathers plain values; templates/handout.html.j2 writes (and escapes) them


@dataclass(frozen=True)
class _Options:
    columns: list[tuple[str, str]]  # option id, label
    # attribute label, then (value, source mark) per option
    rows: list[tuple[str, list[tuple[str, str]]]]
    caption: str


@dataclass(frozen=True)
class _Values:
    skipped: int
    # rating in words ("Matters a great deal"), then the considerations rated so, most first
    groups: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class _Leaning:
    unsure: bool
    label: str


@dataclass(frozen=True)
class _Sure:
    score: int
    total: int
    message: str
    answers: list[tuple[str, str]]  # dimension, "yes", "no" or "not answered"


@dataclass(frozen=True)
class _Notes:
    lines: list[str]  # empty when there are no notes
    remarks: list[str]
    empty_hint: str


@dataclass(frozen=True)
class _Screening:
    items: list[tuple[str, str, str]]  # option label, status in words, reasons
    hidden: int
    more: str  # where to ask about the points left out ("" when none are)


@dataclass(frozen=True)
class _Warnings:
    groups: list[tuple[str, list[str], str]]  # lead, signs, source mark of them all
    missing: str


def _options_section(
    labels: Mapping[str, str], sources: SourceNumbering, data_dir: str | Path | None
) -> _Options:
    shown = handout_items("attribute", data_dir=data_dir)
    table = compare(topics=list(shown), data_dir=data_dir)
    facts = table.facts.drop_duplicates(["attribute_id", "option_id"], keep="first")
    first = {
        (str(r.attribute_id), str(r.option_id)): (str(r.value), r.source_ids)
        for r in facts.itertuples(index=False)
    }
    options = list(labels)
    rows = []
    for attribute in shown:
        if attribute not in table.attribute_labels:
            continue
        cells = []
        for option in options:
            value, source_ids = first.get((attribute, option), (NOT_STATED, None))
            cells.append((_plain(_no_web(value)), _mark(sources, source_ids)))
        rows.append((_plain(table.attribute_labels[attribute]), cells))
    # harms beside benefits: option-grid rows (such as the main risks), each option's short answer
    grid = option_grid(data_dir=data_dir)
    for question_id in handout_items("grid", data_dir=data_dir):
        rows_of = grid[grid["question_id"] == question_id].to_dict("records")
        if not rows_of:
            continue
        by_option = {str(r["option_id"]): r for r in rows_of}
        cells = [
            (
                _plain(_no_web(str(by_option[o]["short_answer"]))),
                _mark(sources, LIST_SEPARATOR.join(by_option[o]["source_ids"])),
            )
            if o in by_option
            else (NOT_STATED, _mark(sources, None))
            for o in options
        ]
        rows.append((_plain(str(rows_of[0]["question"])), cells))
    return _Options(
        columns=[(_plain(o), _plain(labels[o])) for o in options],
        rows=rows,
        caption=ui_text("handout.options_caption", data_dir=data_dir),
    )


def _findings_section(
    sources: SourceNumbering, data_dir: str | Path | None
) -> list[tuple[str, str, str, str]]:
    """What the studies found: per outcome, its least biased finding, both arms told whole."""
    rows = []
    for outcome in handout_items("outcome", data_dir=data_dir):
        finding = lead_finding(outcome, data_dir=data_dir)
        if finding is None:
            continue
        rows.append(
            (
                _plain(finding["outcome_label"]),
                _plain(finding["comparison_label"]),
                _plain(_no_web(str(finding["brief"]))),
                _mark(sources, finding["source_ids"]),
            )
        )
    return rows


def _values_section(
    ratings: Mapping[str, object] | None, data_dir: str | Path | None
) -> _Values | None:
    table = values_table(ratings, data_dir=data_dir)  # validates; InputError names the key
    rated = table[table["rating"].notna()].drop_duplicates("consideration_id")
    if rated.empty:
        return None
    # one line per level of rating, the highest first: short enough for the one page
    by_rating: dict[int, list[str]] = {}
    for rating, label in zip(rated["rating"].tolist(), rated["label"].tolist(), strict=True):
        by_rating.setdefault(int(rating), []).append(_plain(label))
    groups = [
        (_plain(RATING_LABELS[rating].capitalize()), by_rating[rating])
        for rating in sorted(by_rating, reverse=True)
    ]
    skipped = int(table["consideration_id"].nunique()) - len(rated)
    return _Values(skipped=skipped, groups=groups)


def _leaning_section(leaning: str | None, labels: Mapping[str, str]) -> _Leaning | None:
    if leaning is None:
        return None
    if leaning == UNSURE:
        return _Leaning(unsure=True, label="")
    return _Leaning(unsure=False, label=_plain(labels[leaning]))


def _sure_section(
    answers: Mapping[str, object] | None, data_dir: str | Path | None
) -> _Sure | None:
    if not answers:
        return None
    result = sure_result(answers, data_dir=data_dir)  # validates; InputError names the item
    items = load_dataset("sure_items", data_dir=data_dir)
    shown = [
        (
            _plain(r.dimension),
            "yes"
            if answers.get(str(r.item_id)) is True
            else "no"
            if str(r.item_id) in answers
            else "not answered",
        )
        for r in items.itertuples(index=False)
    ]
    return _Sure(
        score=result.score, total=len(items), message=_plain(result.message), answers=shown
    )


def _notes_section(notes: str, data_dir: str | Path | None) -> _Notes:
    text, remarks = clean_notes(notes)
    hint = _plain(ui_text("handout.notes_hint", data_dir=data_dir))
    if not text:
        return _Notes(lines=[], remarks=[], empty_hint=hint)
    lines = [_plain(line) for line in text.split("\n")]
    return _Notes(lines=lines, remarks=remarks, empty_hint=hint)


def _reasons(value: object) -> list[str]:
    if isinstance(value, str):
        return [r.strip() for r in value.split(LIST_SEPARATOR) if r.strip()]
    if isinstance(value, Iterable):
        return [str(r).strip() for r in value if present(r) and str(r).strip()]
    return [] if not present(value) else [str(value)]


def _screening_section(
    screening: pd.DataFrame, labels: Mapping[str, str], data_dir: str | Path | None
) -> _Screening:
    items = []
    left = MAX_SCREENING_POINTS
    hidden = 0
    for row in screening.itertuples(index=False):
        reasons = _reasons(row.reasons)
        status = (
            _STATUS_WORDS.get(str(row.status), str(row.status).replace("_", " "))
            if present(row.status)
            else ""
        )
        kept, hidden = reasons[: max(left, 0)], hidden + max(len(reasons) - max(left, 0), 0)
        left -= len(kept)
        if not kept and not status:
            continue
        why = _plain(_no_web("; ".join(kept))) if kept else ""
        items.append((_plain(labels[str(row.option_id)]), _plain(status), why))
    more = ui_text("handout.more_points", count=hidden, data_dir=data_dir) if hidden else ""
    return _Screening(items=items, hidden=hidden, more=_plain(more))


def _questions_section(data_dir: str | Path | None) -> list[str]:
    """Questions to ask your care team: the FAQ questions data/handout_items.csv names."""
    faq = load_dataset("faq", data_dir=data_dir).drop_duplicates("question_id")
    by_id = dict(zip(faq["question_id"].astype(str), faq["question"].astype(str), strict=True))
    chosen = [by_id[q] for q in handout_items("question", data_dir=data_dir) if q in by_id]
    return [_plain(_no_web(q)) for q in chosen]


def _warning_section(
    labels: Mapping[str, str], sources: SourceNumbering, data_dir: str | Path | None
) -> _Warnings:
    signs = load_dataset("warning_signs", data_dir=data_dir)
    groups = []
    covered: set[str] = set()
    for applies, group in signs.groupby("applies_to", sort=False):
        options = [o for o in str(applies).split(LIST_SEPARATOR) if o in labels]
        covered.update(options)
        names = " or ".join(labels[o][0].lower() + labels[o][1:] for o in options)
        lead = (
            "Whichever option you choose"
            if set(options) == set(labels)
            else "During non-surgical care"
            if options == ["non_surgical"]
            else f"After {names}"
            if names
            else "At any time"
        )
        # the signs only, their sources marked once for the group: what a sign may mean is in
        # the aid, and the care team can say
        items = [_plain(_no_web(str(sign))) for sign in group["sign"]]
        cited = LIST_SEPARATOR.join(str(ids) for ids in group["source_ids"] if present(ids))
        groups.append((_plain(lead), items, _mark(sources, cited)))
    missing = [labels[o] for o in labels if o not in covered]
    names = " or ".join(m[0].lower() + m[1:] for m in missing)
    return _Warnings(groups=groups, missing=_plain(names))


def _sources_section(
    sources: SourceNumbering, data_dir: str | Path | None
) -> list[tuple[int, str]]:
    cited = bibliography(sources.order, data_dir=data_dir, cite=_citation)
    return [(int(n), _plain(c)) for n, c in zip(cited["number"], cited["citation"], strict=True)]


# --- the document ---------------------------------------------------------------------


def build_handout(
    *,
    ratings: Mapping[str, object] | None = None,
    leaning: str | None = None,
    sure_answers: Mapping[str, object] | None = None,
    notes: str = "",
    screening: pd.DataFrame | None = None,
    print_button: bool = True,
    data_dir: str | Path | None = None,
) -> str:
    """Build the summary handout as one self-contained HTML document.

    Parameters
    ----------
    ratings : mapping of consideration id to int, optional
        How much each consideration matters, 0 to 4 (see :func:`kypho_aid.decision.values_table`).
    leaning : str, optional
        An option id, ``"unsure"``, or None when not given.
    sure_answers : mapping of S, U, R, E to bool, optional
        The SURE test answers (see :func:`kypho_aid.decision.sure_result`).
    notes : str
        The person's own notes; shown as plain text (never markup), line breaks kept, cut at
        :data:`MAX_NOTES_CHARS` characters with a visible remark. Web addresses are left out.
    screening : pandas.DataFrame, optional
        Columns ``option_id``, ``status`` and ``reasons`` (text separated by semicolons, or a
        list); listed as points the doctor may check.
    print_button : bool
        Put a "Print" button at the top that calls ``window.print()`` (hidden when printed),
        so a page opened in a browser tab prints straight away. False leaves the page with no
        script at all.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    str
        A whole HTML page (UTF-8, ``lang="en"``, CSS inline) with no image, link or web
        address and no script but the Print button's, that prints on one A4 or Letter page.

    Raises
    ------
    kypho_aid.decision.InputError
        If an input is wrong; its ``field`` (and the message) names the input or the key.
    """
    labels = option_labels(data_dir=data_dir)
    checked_leaning = _check_leaning(leaning, labels)
    checked_ratings = _check_mapping(ratings, "ratings", "consideration to rating (0 to 4)")
    checked_sure = _check_mapping(sure_answers, "sure_answers", "S, U, R, E to True or False")
    checked_notes = _check_notes(notes)
    checked_screening = _check_screening(screening, labels)
    info = content_info(data_dir=data_dir)
    sources = SourceNumbering()

    document = render(
        "handout.html.j2",
        title=TITLE,
        # Trusted markup, the one value not escaped: the handout's own stylesheet (a constant).
        css=Markup(HANDOUT_CSS),
        print_label=ui_text("handout.print", data_dir=data_dir) if print_button else "",
        disclaimer=_plain(info.disclaimer),
        version=_plain(
            ui_text(
                "handout.version",
                version=info.version,
                reviewed_on=info.reviewed_on.isoformat(),
                next_review_due=info.next_review_due.isoformat(),
                data_dir=data_dir,
            )
        ),
        options=_options_section(labels, sources, data_dir),
        findings=_findings_section(sources, data_dir),
        values=_values_section(checked_ratings, data_dir),
        leaning=_leaning_section(checked_leaning, labels),
        sure=_sure_section(checked_sure, data_dir),
        notes=_notes_section(checked_notes, data_dir),
        screening=(
            None
            if checked_screening is None
            else _screening_section(checked_screening, labels, data_dir)
        ),
        questions=_questions_section(data_dir),
        # the warning signs number their sources after the tables, before the list is made
        warnings=_warning_section(labels, sources, data_dir),
        sources=_sources_section(sources, data_dir),
        ask=_plain(ui_text("handout.ask", data_dir=data_dir)),
        sources_heading=_plain(ui_text("handout.sources", data_dir=data_dir)),
    )
    document += "\n"
    found = _FORBIDDEN.search(document)
    if found:  # a bug: the scrubbing above should have removed it
        raise KyphoAidError(f"the handout would contain {found.group(0)!r}; please report it")
    return document


# --- files ----------------------------------------------------------------------------


def _check_target(path: Path, *, overwrite: bool) -> None:
    """Raise KyphoAidError unless ``path`` can be written: its folder exists, it is no folder."""
    try:
        folder_exists, is_folder, exists = path.parent.is_dir(), path.is_dir(), path.exists()
    except OSError as err:  # such as a name too long for the file system
        raise KyphoAidError(f"cannot write {path}: {err.strerror or err}") from err
    if not folder_exists:
        raise KyphoAidError(f"cannot write {path}: the folder {path.parent} does not exist")
    if is_folder:
        raise KyphoAidError(f"cannot write {path}: it is a folder")
    if exists and not overwrite:
        raise KyphoAidError(f"{path} already exists; use overwrite=True (--force) to replace it")


def _write_atomic(path: Path, data: bytes, *, overwrite: bool) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then move it into place."""
    _check_target(path, overwrite=overwrite)
    folder = path.parent
    # a short stem keeps the temporary name within the file system's limit when path's is near it
    temporary = folder / f".{path.name[:32]}.{secrets.token_hex(6)}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            temporary.replace(path)
        else:
            try:
                os.link(temporary, path)  # fails, rather than replaces, if path appeared meanwhile
            except FileExistsError:
                raise KyphoAidError(
                    f"{path} already exists; use overwrite=True (--force) to replace it"
                ) from None
            except OSError:  # no hard links on this file system
                if path.exists():
                    raise KyphoAidError(
                        f"{path} already exists; use overwrite=True (--force) to replace it"
                    ) from None
                temporary.replace(path)
    except (OSError, ValueError) as err:  # ValueError: a NUL character in the name
        raise KyphoAidError(
            f"cannot write {path}: {getattr(err, 'strerror', None) or err}"
        ) from err
    finally:
        with contextlib.suppress(OSError, ValueError):
            temporary.unlink(missing_ok=True)
    return path


def write_handout(path: str | Path, html: str, *, overwrite: bool = False) -> Path:
    """Save a handout as UTF-8, atomically (a temporary file beside it, then moved into place).

    Raises
    ------
    KyphoAidError
        If the file exists and ``overwrite`` is False, its folder does not exist, or it cannot
        be written; the message names the path. Nothing else is left behind.
    """
    if not isinstance(html, str):
        raise InputError("html", f"expected the handout as text (str), got {type(html).__name__}")
    if not isinstance(path, str | os.PathLike):
        raise InputError("path", f"expected a file path (str or Path), got {type(path).__name__}")
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate, which build_handout never leaves
        raise InputError("html", f"cannot be saved as UTF-8: {err.reason}") from None
    return _write_atomic(Path(path), data, overwrite=overwrite)


def find_chromium(chromium: str | Path | None = None) -> str:
    """Find the chromium to print with: the argument, ``KYPHO_AID_CHROMIUM``, or on the PATH.

    Raises
    ------
    KyphoAidError
        If none is found; the message says how to install it.
    """
    install = "install it with `apt-get install chromium` (Debian) or set KYPHO_AID_CHROMIUM"
    for given, where in (
        (chromium, "the chromium argument"),
        (os.environ.get("KYPHO_AID_CHROMIUM"), "KYPHO_AID_CHROMIUM"),
    ):
        if given:
            found = shutil.which(str(given))
            if found is None:
                raise KyphoAidError(f"chromium not found at {given} ({where}); {install}")
            return found
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise KyphoAidError(f"chromium is needed to print a PDF and was not found; {install}")


def handout_pdf(
    html_path: str | Path,
    pdf_path: str | Path,
    *,
    overwrite: bool = False,
    chromium: str | Path | None = None,
) -> Path:
    """Print a saved handout to PDF with headless chromium.

    Chromium runs with a throw-away profile in a temporary folder (deleted afterwards) and
    prints there; the PDF is then moved into place atomically. Nothing else is written.

    Raises
    ------
    KyphoAidError
        If the HTML file is missing, the PDF exists and ``overwrite`` is False, its folder
        does not exist, chromium is missing (the message says how to install it) or fails.
    """
    source, target = Path(html_path), Path(pdf_path)
    if not source.is_file():
        raise KyphoAidError(f"{source} is not a file; write the handout first")
    _check_target(target, overwrite=overwrite)
    binary = find_chromium(chromium)
    with tempfile.TemporaryDirectory(prefix="kypho-aid-pdf-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        printed = work / "handout.pdf"
        environment = {
            **os.environ,
            "HOME": str(work),
            "XDG_CONFIG_HOME": str(work / "config"),
            "XDG_CACHE_HOME": str(work / "cache"),
        }
        command = [
            binary,
            "--headless",
            *CHROMIUM_ARGS,
            "--no-pdf-header-footer",
            f"--user-data-dir={work / 'profile'}",
            f"--print-to-pdf={printed}",
            source.resolve().as_uri(),
        ]
        try:
            result = subprocess.run(
                command,
                cwd=work,
                env=environment,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=CHROMIUM_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as err:
            raise KyphoAidError(
                f"chromium took longer than {CHROMIUM_TIMEOUT} s to print {source}"
            ) from err
        except OSError as err:
            raise KyphoAidError(f"cannot run chromium ({binary}): {err}") from err
        data = printed.read_bytes() if printed.is_file() else b""
        if not data.startswith(b"%PDF"):
            detail = (result.stderr or "").strip().splitlines()[-3:]
            raise KyphoAidError(
                f"chromium did not print {source} (exit code {result.returncode})"
                + (f": {' '.join(detail)}" if detail else "")
            )
    return _write_atomic(target, data, overwrite=overwrite)


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def count_pdf_pages(path: str | Path) -> int:
    """Count the pages of a PDF: its ``/Type /Page`` objects (not ``/Pages``)."""
    return len(_PAGE_OBJECT.findall(Path(path).read_bytes()))
