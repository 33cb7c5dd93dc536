"""The handout's page: its sections gathered as plain values from the knowledge base and the
person's answers, then written by ``templates/handout.html.j2`` (which escapes them)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from kypho_aid._values import deprecated_names, present
from kypho_aid.candidacy import STATUSES
from kypho_aid.compare import (
    SourceNumbering,
    bibliography,
    compare,
    option_grid,
    short_citation,
)
from kypho_aid.datasets import content_info, load_dataset, one_reading, option_labels
from kypho_aid.decision import rated_rows, rating_labels, sure_result, values_table
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.findings import lead_finding
from kypho_aid.handout.inputs import (
    _DOMAIN,
    MAX_SCREENING_POINTS,
    UNSURE,
    _check_screening,
    _no_web,
    _plain,
    check_answers,
    clean_notes,
)
from kypho_aid.model import LIST_SEPARATOR
from kypho_aid.style import HANDOUT_CSS
from kypho_aid.templating import render
from kypho_aid.texts import handout_items, ui_text, ui_texts

# The handout's title is ui_text("handout.title"); the old constant TITLE still works, with a
# DeprecationWarning (see __getattr__ below).

# What must never be in the document (a safety net behind the scrubbing above).
_FORBIDDEN = re.compile(
    r"(?i)(?<![a-z0-9+.\-])[0-9+.\-]*+[a-z][a-z0-9+.\-]*+://"
    r"|//[^\s<>\"']|\bwww\.|<script|<link|<img"
)


# --- sources --------------------------------------------------------------------------


def _citation(record: Mapping[str, Any], data_dir: str | Path | None = None) -> str:
    """A source as a reader can look it up (:func:`kypho_aid.compare.short_citation`, without
    the journal when the year is known: the aid's own list gives it whole), with any web
    address that a title carries turned into words (``handout.website``)."""
    text = short_citation(record, journal=False) + "."
    website = ui_text("handout.website", data_dir=data_dir)
    return re.sub(r"\s{2,}", " ", _DOMAIN.sub(lambda _: website, _no_web(text))).strip()


#: The handout's fixed words (``ui_text.csv``, ``handout.<key>``): headings, and the sentences
#: a section shows when it has nothing to show.
_WORDS = (
    "options_heading",
    "findings_heading",
    "values_heading",
    "values_none",
    "now_heading",
    "leaning",
    "leaning_none",
    "unsure",
    "sure",
    "sure_none",
    "screening_heading",
    "screening_none",
    "questions_heading",
    "warnings_heading",
    "notes_heading",
)


# --- sections: each gathers plain values; templates/handout.html.j2 writes (and escapes) them


@dataclass(frozen=True)
class _Options:
    columns: list[tuple[str, str]]  # option id, label
    # attribute label, then (value, source mark) per option
    rows: list[tuple[str, list[tuple[str, str]]]]
    caption: str


@dataclass(frozen=True)
class _Values:
    skipped: str  # "1 not rated." ("" when every consideration was rated)
    # rating in words ("Matters a great deal"), then the considerations rated so, most first
    groups: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class _Leaning:
    unsure: bool
    label: str


@dataclass(frozen=True)
class _Sure:
    score_words: str  # "3 out of 4."
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
    missing: str  # the sentence naming options with no warning signs ("" when none)


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
    not_stated = ui_text("compare.not_stated", data_dir=data_dir)
    rows = []
    for attribute in shown:
        if attribute not in table.attribute_labels:
            continue
        cells = []
        for option in options:
            value, source_ids = first.get((attribute, option), (not_stated, None))
            cells.append((_plain(_no_web(value)), sources.mark(source_ids)))
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
                sources.mark(LIST_SEPARATOR.join(by_option[o]["source_ids"])),
            )
            if o in by_option
            else (not_stated, sources.mark(None))
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
                sources.mark(finding["source_ids"]),
            )
        )
    return rows


def _values_section(
    ratings: Mapping[str, object] | None, data_dir: str | Path | None
) -> _Values | None:
    table = values_table(ratings, data_dir=data_dir)  # validates; InputError names the key
    rated = rated_rows(table)
    if rated.empty:
        return None
    # one line per level of rating, the highest first: short enough for the one page
    by_rating: dict[int, list[str]] = {}
    for rating, label in zip(rated["rating"].tolist(), rated["label"].tolist(), strict=True):
        by_rating.setdefault(int(rating), []).append(_plain(label))
    labels = rating_labels(data_dir=data_dir)
    groups = [
        (_plain(labels[rating].capitalize()), by_rating[rating])
        for rating in sorted(by_rating, reverse=True)
    ]
    skipped = int(table["consideration_id"].nunique()) - len(rated)
    words = ui_text("handout.values_skipped", count=skipped, data_dir=data_dir) if skipped else ""
    return _Values(skipped=_plain(words), groups=groups)


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
        score_words=_plain(
            ui_text("handout.sure_score", score=result.score, total=len(items), data_dir=data_dir)
        ),
        message=_plain(result.message),
        answers=shown,
    )


def _notes_section(notes: str, data_dir: str | Path | None) -> _Notes:
    text, remarks = clean_notes(notes, data_dir=data_dir)
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
        # a screening status in the same words as the app's badges (ui_text.csv, status.*);
        # any other status given is shown as written
        status = str(row.status).replace("_", " ") if present(row.status) else ""
        if present(row.status) and str(row.status) in STATUSES:
            status = ui_text(f"status.{row.status}", data_dir=data_dir)
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
            ui_text("handout.warnings_all", data_dir=data_dir)
            if set(options) == set(labels)
            else ui_text("handout.warnings_non_surgical", data_dir=data_dir)
            if options == ["non_surgical"]
            else ui_text("handout.warnings_after", options=names, data_dir=data_dir)
            if names
            else ui_text("handout.warnings_any", data_dir=data_dir)
        )
        # the signs only, their sources marked once for the group: what a sign may mean is in
        # the aid, and the care team can say
        items = [_plain(_no_web(str(sign))) for sign in group["sign"]]
        cited = LIST_SEPARATOR.join(str(ids) for ids in group["source_ids"] if present(ids))
        groups.append((_plain(lead), items, sources.mark(cited)))
    missing = [labels[o] for o in labels if o not in covered]
    names = " or ".join(m[0].lower() + m[1:] for m in missing)
    words = ui_text("handout.warnings_missing", options=names, data_dir=data_dir) if names else ""
    return _Warnings(groups=groups, missing=_plain(words))


def _sources_section(
    sources: SourceNumbering, data_dir: str | Path | None
) -> list[tuple[int, str]]:
    cited = bibliography(
        sources.order, data_dir=data_dir, cite=lambda record: _citation(record, data_dir)
    )
    return [(int(n), _plain(c)) for n, c in zip(cited["number"], cited["citation"], strict=True)]


# --- the document ---------------------------------------------------------------------


@one_reading()  # one version of the data for the whole page, fingerprinted once
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
    checked = check_answers(leaning, ratings, sure_answers, notes, labels)
    checked_screening = _check_screening(screening, labels)
    info = content_info(data_dir=data_dir)
    sources = SourceNumbering()

    document = render(
        "handout.html.j2",
        title=_plain(ui_text("handout.title", data_dir=data_dir)),
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
        values=_values_section(checked.ratings, data_dir),
        leaning=_leaning_section(checked.leaning, labels),
        sure=_sure_section(checked.sure_answers, data_dir),
        notes=_notes_section(checked.notes, data_dir),
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
        words={
            key: _plain(text)
            for key, text in ui_texts("handout", _WORDS, data_dir=data_dir).items()
        },
    )
    document += "\n"
    found = _FORBIDDEN.search(document)
    if found:  # a bug: the scrubbing above should have removed it
        raise KyphoAidError(f"the handout would contain {found.group(0)!r}; please report it")
    return document


# the old constant, now read from data/ui_text.csv, answers with a DeprecationWarning
__getattr__ = deprecated_names(
    __name__,
    {
        "TITLE": (
            "ui_text('handout.title'), which reads data/ui_text.csv",
            lambda: ui_text("handout.title"),
        )
    },
)
