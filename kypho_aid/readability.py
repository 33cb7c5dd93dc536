"""Readability of the words patients read: every text gathered, graded and held to grade 8.

The project rule (decision-aid standards, §4) is that patient-facing text scores SMOG grade 8
or lower; clinician and educator layers are exempt but labelled. This module gathers every
text a patient may read, one row per source:

- each dataset column whose schema marks it ``audience: patient`` (``faq.answer``, ...);
- the app's own patient-facing sentences, from ``ui_text.csv`` (``ui_text.patient``);
- the sentences the code builds from the data (``generated.outcome_sentences``,
  ``generated.screening_sentences``);
- what the app shows, built with the same library functions the app calls, so no widget is
  needed (``app.overview``, ``app.compare``, ``app.risk_explorer``, ``app.values``,
  ``app.ready``, ``app.handout``).

:mod:`kypho_aid.grading` scores each joined text (SMOG and Flesch–Kincaid, with textstat or
its stored syllable table); this module holds the scores to :data:`GRADE_LIMIT` and prints
the table: run ``python -m kypho_aid.readability``. :func:`write_syllable_table` stores the
syllable counts of the words these texts use.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from kypho_aid._values import format_number
from kypho_aid.candidacy import EXAMPLE_PROFILE, PatientProfile, screen, screening_sentences
from kypho_aid.compare import compare
from kypho_aid.datasets import describe_dataset, list_datasets, load_dataset, one_reading
from kypho_aid.decision import rating_labels, sure_result, values_table
from kypho_aid.export import overview_html, risk_view_html
from kypho_aid.findings import summary_of_findings
from kypho_aid.grading import (
    MIN_SENTENCES,
    score_texts,
    sentences_and_words,
    syllable_table_path,
    write_syllables,
)
from kypho_aid.handout import build_handout
from kypho_aid.model import LIST_SEPARATOR
from kypho_aid.outcomes import risk_view, study_table

__all__ = [
    "AUDIENCES",
    "GRADE_LIMIT",
    "MIN_SENTENCES",
    "exempt_texts",
    "jargon_uses",
    "main",
    "patient_texts",
    "readability_report",
    "score_texts",
    "syllable_table_path",
    "write_syllable_table",
]

#: The highest SMOG grade allowed for patient-facing text.
GRADE_LIMIT = 8.0

#: Who a text is written for, in report order. Only ``patient`` text is held to the limit.
AUDIENCES = ("patient", "clinician", "educator")

_COLUMNS = ["source", "audience", "text", "sentences", "words"]

# --- turning data and HTML into plain text -------------------------------------------

_TERMINAL = re.compile(r"[.!?][\"')\]]*$")
_SPACE = re.compile(r"\s+")
_LIST_NUMBER = re.compile(r"^\s*\d+[.)]\s+")


def _sentence_group(cell: str) -> str:
    """One cell as a group of whole sentences: spaces tidied, list number dropped, full stop added."""
    text = _LIST_NUMBER.sub("", _SPACE.sub(" ", cell).strip())
    if text and not _TERMINAL.search(text):
        text = text.rstrip(":;,") + "."
    return text


def _join(cells: Iterable[object]) -> str:
    """Join cells into one text, one sentence group per distinct cell, in first-seen order."""
    groups = (_sentence_group(str(c)) for c in cells if isinstance(c, str) and c.strip())
    return " ".join(dict.fromkeys(g for g in groups if g))


class _TextExtractor(HTMLParser):
    """Collect the visible prose of an HTML fragment, one chunk per block element.

    Like a cell of a dataset, each table cell is one group of sentences. Headings, source
    lists, citation marks, styles and hidden elements are left out: headings are labels
    rather than prose, and sources are references, not reading matter.
    """

    _BLOCKS = frozenset(
        {
            "p",
            "li",
            "td",
            "th",
            "caption",
            "div",
            "section",
            "header",
            "footer",
            "main",
            "tr",
            "ul",
            "ol",
            "table",
            "br",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
        }
    )
    _VOID = frozenset({"br", "col", "meta", "img", "hr", "input", "link", "wbr"})
    _SKIP_TAGS = frozenset({"style", "script", "title", "h1", "h2", "h3", "h4", "h5", "h6"})
    _SKIP_CLASSES = frozenset({"kypho-aid-cite", "kypho-aid-sources", "cite", "sources", "dots"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._current: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    @property
    def _skipping(self) -> bool:
        return any(skip for _, skip in self._stack)

    def _flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self._current)).strip()
        if text:
            self.chunks.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self._flush()
        if tag in self._VOID:
            return
        found = dict(attrs)
        classes = set((found.get("class") or "").split())
        skip = (
            tag in self._SKIP_TAGS
            or bool(classes & self._SKIP_CLASSES)
            or found.get("id") == "sources"
            or found.get("aria-hidden") == "true"
        )
        self._stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self._flush()
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _html_chunks(markup: str) -> list[str]:
    """The visible prose of ``markup``, one string per block (paragraph, list item, cell)."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return parser.chunks


# --- gathering the texts -------------------------------------------------------------


def _row(source: str, audience: str, text: str) -> dict[str, object]:
    sentences, words = sentences_and_words(text)
    return {
        "source": source,
        "audience": audience,
        "text": text,
        "sentences": sentences,
        "words": words,
    }


def _frame(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=_COLUMNS)
    return frame.astype(
        {"source": "str", "audience": "str", "text": "str", "sentences": "int64", "words": "int64"}
    )


def _dataset_rows(data_dir: str | Path | None, audiences: set[str]) -> list[dict[str, object]]:
    """One row per dataset column whose schema gives it one of ``audiences``."""
    rows = []
    for name in list_datasets(data_dir):
        codebook = describe_dataset(name, data_dir=data_dir)
        marked = codebook[codebook["audience"].isin(audiences)]
        if marked.empty:
            continue
        frame = load_dataset(name, data_dir=data_dir)
        for column, audience, kind in zip(
            marked["column"], marked["audience"], marked["type"], strict=True
        ):
            cells: list[object] = []
            for value in frame[column]:
                if kind == "list" and isinstance(value, str):
                    cells += value.split(LIST_SEPARATOR)
                else:
                    cells.append(value)
            rows.append(_row(f"{name}.{column}", str(audience), _join(cells)))
    return rows


def _profiles() -> list[PatientProfile]:
    """A few representative people for the screening sentences: unknown, clear, and flagged."""

    return [
        PatientProfile(),
        PatientProfile.from_mapping(EXAMPLE_PROFILE),
        PatientProfile(cause="cancer", pain_score=3, infection=True, blood_thinners=True),
        PatientProfile(neurological_deficit=True, cause="trauma", uncorrectable_bleeding=True),
        PatientProfile(
            fracture_age_weeks=20.0,
            conservative_care="improving",
            levels=4,
            pain_matches_fracture=False,
            upper_spine_level=True,
            vertebra_plana=True,
        ),
    ]


def _screening_text(data_dir: str | Path | None) -> str:

    sentences: list[str] = []
    for profile in _profiles():
        sentences += screening_sentences(screen(profile, data_dir=data_dir), data_dir=data_dir)
    return _join(sentences)


def _outcome_text(data_dir: str | Path | None) -> str:

    return _join(summary_of_findings(data_dir=data_dir)["statement"])


def _overview_text(data_dir: str | Path | None) -> str:

    return _join(_html_chunks(overview_html(data_dir=data_dir)))


def _compare_text(data_dir: str | Path | None) -> str:

    return _join(_html_chunks(compare(data_dir=data_dir).to_html()))


def _risk_text(data_dir: str | Path | None) -> str:

    chunks: list[str] = []
    outcomes = load_dataset("outcome_definitions", data_dir=data_dir)["outcome"].astype(str)
    for outcome in outcomes:
        chart = risk_view(outcome, view="icons", data_dir=data_dir)
        if chart.text is not None:
            chunks += [chart.text.alt, chart.text.long]
        chunks += _html_chunks(
            risk_view_html(risk_view(outcome, view="numbers", data_dir=data_dir), data_dir=data_dir)
        )
    return _join(chunks)


def _values_text(data_dir: str | Path | None) -> str:

    return _join([*rating_labels(data_dir=data_dir), *values_table(data_dir=data_dir)["facts"]])


def _ready_text(data_dir: str | Path | None) -> str:

    items = load_dataset("sure_items", data_dir=data_dir)["item_id"].astype(str)
    messages = [
        sure_result(dict.fromkeys(items, answer), data_dir=data_dir).message
        for answer in (True, False)
    ]
    quiz = load_dataset("quiz", data_dir=data_dir)
    return _join([*messages, *quiz["question"], *quiz["explanation"]])


# A fill in a text of ui_text.csv ("{score}"), read as one short word when scored: the
# values put in (a number, an answer, a message) are scored where they come from.
_FILL = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def _ui_text_rows(data_dir: str | Path | None, audiences: set[str]) -> list[dict[str, object]]:
    """The app's own sentences (``ui_text.csv``, kind ``sentence``), one row per audience.

    Labels, headings and buttons are left out, as the headings of the app's screens are.
    """
    texts = load_dataset("ui_text", data_dir=data_dir)
    rows = []
    for audience in sorted(audiences):
        chosen = texts[(texts["audience"] == audience) & (texts["kind"] == "sentence")]
        if not chosen.empty:
            cells = [_FILL.sub("it", str(text)) for text in chosen["text"]]
            rows.append(_row(f"ui_text.{audience}", audience, _join(cells)))
    return rows


def _handout_text(data_dir: str | Path | None) -> str:

    considerations = load_dataset("considerations", data_dir=data_dir)["consideration_id"]
    ratings = {str(c): i % 5 for i, c in enumerate(considerations)}
    items = load_dataset("sure_items", data_dir=data_dir)["item_id"].astype(str)
    document = build_handout(
        ratings=ratings,
        leaning="unsure",
        sure_answers={item: i % 2 == 0 for i, item in enumerate(items)},
        screening=screen(_profiles()[0], data_dir=data_dir),
        data_dir=data_dir,
    )
    return _join(_html_chunks(document))


#: Generated patient-facing text: source name and the function that builds it.
_GENERATED: tuple[tuple[str, Callable[[str | Path | None], str]], ...] = (
    ("generated.outcome_sentences", _outcome_text),
    ("generated.screening_sentences", _screening_text),
    ("app.overview", _overview_text),
    ("app.compare", _compare_text),
    ("app.risk_explorer", _risk_text),
    ("app.values", _values_text),
    ("app.ready", _ready_text),
    ("app.handout", _handout_text),
)


def patient_texts(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Gather every text a patient may read, one row per source.

    A source is a dataset column marked ``audience: patient`` in its schema (its distinct
    cells joined, each cell a group of whole sentences), a set of generated sentences, or
    one screen of the app with its tags, headings, citation marks and source lists taken
    out (references are not reading matter).

    Parameters
    ----------
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.DataFrame
        Columns ``source`` (``faq.answer``, ``generated.outcome_sentences``,
        ``app.overview``, ...), ``audience`` (always ``patient`` here), ``text``,
        ``sentences`` and ``words`` (as textstat counts them on the scored text).

    Raises
    ------
    ImportError
        If textstat is not installed.

    See Also
    --------
    exempt_texts : the clinician and educator texts.
    readability_report : both, scored.

    Examples
    --------
    >>> "faq.answer" in patient_texts()["source"].tolist()
    True
    """
    rows = _dataset_rows(data_dir, {"patient"})
    rows += _ui_text_rows(data_dir, {"patient"})
    rows += [_row(source, "patient", build(data_dir)) for source, build in _GENERATED]
    return _frame(rows)


def _study_notes(data_dir: str | Path | None) -> str:

    studies = study_table(data_dir=data_dir)
    return _join([*studies["notes"], *studies["funding"]])


def exempt_texts(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Gather the texts written for clinicians and educators, which the grade limit exempts.

    These are the dataset columns marked ``audience: clinician`` or ``audience: educator``
    and the notes of the study table that the evidence notebook shows (``generated.study_notes``,
    for clinicians, educators and students).

    Parameters
    ----------
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`patient_texts`; ``audience`` is ``clinician`` or ``educator``.
    """
    rows = _dataset_rows(data_dir, {"clinician", "educator"})
    rows += _ui_text_rows(data_dir, {"clinician", "educator"})
    rows.append(_row("generated.study_notes", "educator", _study_notes(data_dir)))
    return _frame(rows)


def _all_texts(data_dir: str | Path | None) -> pd.DataFrame:
    """The texts the report scores: the patient texts, then the exempt ones, all from one
    version of the data (each screen it rebuilds looks up dozens of texts)."""
    with one_reading():
        return pd.concat([patient_texts(data_dir), exempt_texts(data_dir)])


def write_syllable_table(data_dir: str | Path | None = None) -> Path:
    """Store textstat's syllable count of every word of the report's texts; return the file.

    The counts are ``textstat.syllable_count(word)`` (:func:`kypho_aid.grading.write_syllables`).
    Counts already in a current table are kept, so textstat's dictionary is loaded only when a
    word is new. ``python -m kypho_aid snapshot`` calls this after storing the knowledge-base
    snapshot. The file is replaced atomically.

    Parameters
    ----------
    data_dir : str or Path, optional
        Knowledge-base folder whose texts to take the words from; defaults to
        :func:`kypho_aid.data_dir`.

    Raises
    ------
    ImportError
        If textstat is not installed.
    """
    return write_syllables(str(text) for text in _all_texts(data_dir)["text"])


# --- the report ----------------------------------------------------------------------


def _verdict(audience: str, smog: float) -> str:
    if audience != "patient":
        return "exempt"
    if math.isnan(smog):
        return "not scored"
    return "ok" if smog <= GRADE_LIMIT else "above grade 8"


def readability_report(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Score every patient text and every labelled clinician or educator text.

    Parameters
    ----------
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`score_texts` plus ``verdict``: ``ok`` (SMOG at most
        :data:`GRADE_LIMIT`), ``above grade 8``, ``not scored`` (fewer than
        :data:`MIN_SENTENCES` sentences) or ``exempt`` (not written for patients). Sorted by
        audience (patient, clinician, educator), then SMOG from highest to lowest.

    Raises
    ------
    ImportError
        If textstat is not installed.
    """
    report = score_texts(_all_texts(data_dir))
    report["verdict"] = pd.Series(
        [_verdict(a, s) for a, s in zip(report["audience"], report["smog"], strict=True)],
        index=report.index,
        dtype="str",
    )
    order = pd.Categorical(report["audience"], categories=list(AUDIENCES), ordered=True)
    report = report.assign(_order=order).sort_values(
        ["_order", "smog", "source"], ascending=[True, False, True], na_position="last"
    )
    return report.drop(columns="_order").reset_index(drop=True)


def jargon_uses(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Find where each word of ``data/jargon.csv`` appears in patient-facing text.

    Parameters
    ----------
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.DataFrame
        One row per term: ``term``, ``glossary_term`` (empty when the glossary has no
        entry), ``uses`` (how many times it appears in all patient texts) and ``sources``
        (where, separated by semicolons).
    """
    jargon = load_dataset("jargon", data_dir=data_dir)
    texts = patient_texts(data_dir)
    rows = []
    for term, pattern, gloss in zip(
        jargon["term"], jargon["pattern"], jargon["glossary_term"], strict=True
    ):
        found = re.compile(str(pattern), re.IGNORECASE)
        counts = {
            source: len(found.findall(text))
            for source, text in zip(texts["source"], texts["text"], strict=True)
        }
        used = [source for source, n in counts.items() if n]
        rows.append(
            {
                "term": str(term),
                "glossary_term": str(gloss) if isinstance(gloss, str) else "",
                "uses": sum(counts.values()),
                "sources": LIST_SEPARATOR.join(used),
            }
        )
    return pd.DataFrame(rows).astype(
        {"term": "str", "glossary_term": "str", "uses": "int64", "sources": "str"}
    )


def _format(value: float) -> str:
    return format_number(value, decimals=1, trim=False, thousands=False, minus="-", missing="–")


def main(argv: Sequence[str] | None = None) -> int:
    """Print the readability table: ``python -m kypho_aid.readability``.

    One line per source: source, audience, sentences, SMOG, Flesch–Kincaid grade and the
    verdict. Reporting only: the exit status is 0 whatever the grades; ``tests/test_readability.py``
    is the gate.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments; an optional data folder.

    Returns
    -------
    int
        The exit status, 0.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    report = readability_report(args[0] if args else None)
    header = ("source", "audience", "sentences", "SMOG", "FK grade", "verdict")
    lines = [
        (source, audience, str(sentences), _format(smog), _format(grade), verdict)
        for source, audience, sentences, smog, grade, verdict in zip(
            report["source"].astype(str).tolist(),
            report["audience"].astype(str).tolist(),
            report["sentences"].astype(int).tolist(),
            report["smog"].astype(float).tolist(),
            report["fk_grade"].astype(float).tolist(),
            report["verdict"].astype(str).tolist(),
            strict=True,
        )
    ]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]
    right = {2, 3, 4}
    for cells in [header, tuple("-" * w for w in widths), *lines]:
        print(
            "  ".join(
                cell.rjust(width) if i in right else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()
        )
    patient = report[report["audience"] == "patient"]
    above = patient[patient["verdict"] == "above grade 8"]
    print(
        f"\n{len(patient)} patient sources, {len(above)} above SMOG grade {GRADE_LIMIT:g}; "
        f"{len(report) - len(patient)} clinician/educator sources exempt. "
        "SMOG = textstat.smog_index, FK = textstat.flesch_kincaid_grade."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
