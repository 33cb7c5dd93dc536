"""The side-by-side comparison of the options, built from the knowledge base."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from kypho_aid._values import deprecated_names, display_value, present
from kypho_aid.datasets import content_info, load_dataset
from kypho_aid.exceptions import UnknownOptionError, UnknownTopicError
from kypho_aid.model import LIST_SEPARATOR, ContentInfo
from kypho_aid.texts import ui_text

__all__ = [
    "ComparisonTable",
    "SourceNumbering",
    "bibliography",
    "compare",
    "format_citation",
    "option_grid",
    "short_citation",
    "short_title",
]


# the old constant, now read from data/ui_text.csv, answers with a DeprecationWarning
__getattr__ = deprecated_names(
    __name__,
    {
        "NOT_STATED": (
            "ui_text('compare.not_stated'), which reads data/ui_text.csv",
            lambda: ui_text("compare.not_stated"),
        )
    },
)


def format_citation(source: Mapping[str, Any], *, data_dir: str | Path | None = None) -> str:
    """Format one record of the ``sources`` dataset as a reference line."""

    def text(name: str) -> str:
        value = source.get(name)
        return str(value) if present(value) else ""

    if text("kind") == "seed_page":
        if text("journal"):
            return ui_text(
                "sources.seed_page_publisher",
                title=text("title"),
                publisher=text("journal"),
                file=text("file"),
                data_dir=data_dir,
            )
        return ui_text(
            "sources.seed_page", title=text("title"), file=text("file"), data_dir=data_dir
        )
    authors = text("authors") or ui_text("sources.no_authors", data_dir=data_dir)
    year = text("year") or ui_text("sources.no_year", data_dir=data_dir)
    parts = [f"{authors} ({year}). {text('title')}."]
    if text("journal"):
        parts.append(f"{text('journal')}.")
    if text("doi"):
        parts.append(f"doi:{text('doi')}")
    if text("pmid"):
        parts.append(f"PMID {text('pmid')}")
    if not text("doi") and not text("pmid") and text("url"):
        parts.append(text("url"))
    return " ".join(parts)


class SourceNumbering:
    """Numbers sources in order of first mention: the first source cited is [1].

    Every numbered list of sources (the comparison, the overview, the handout) is numbered
    this way, so a mark in the text and its line in the list always agree.

    Parameters
    ----------
    cells : iterable, optional
        Cells to cite first, each one or more source ids joined by semicolons.
    """

    def __init__(self, cells: Iterable[object] = ()) -> None:
        self._numbers: dict[str, int] = {}
        for cell in cells:
            self.cite(cell)

    @property
    def order(self) -> list[str]:
        """The source ids cited so far, in the order of their numbers."""
        return list(self._numbers)

    def cite(self, source_ids: object) -> list[int]:
        """The numbers of one cell's sources, each once, in the cell's order.

        A source not cited before gets the next number; an empty cell cites none.
        """
        cited: list[int] = []
        for raw in str(source_ids).split(LIST_SEPARATOR) if present(source_ids) else []:
            source_id = raw.strip()
            if not source_id:
                continue
            number = self._numbers.setdefault(source_id, len(self._numbers) + 1)
            if number not in cited:
                cited.append(number)
        return cited

    def mark(self, source_ids: object) -> str:
        """One cell's source numbers as a reader sees them, numbering any not cited before:
        in order, runs of three or more as ranges (``"1–3, 5"``); "" for an empty cell.

        The one way the aid writes a mark; the caller adds the brackets where it shows them.
        """
        runs: list[list[int]] = []
        for number in sorted(self.cite(source_ids)):
            if runs and number == runs[-1][-1] + 1:
                runs[-1].append(number)
            else:
                runs.append([number])
        return ", ".join(
            f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs
        )


@dataclass(frozen=True, eq=False)
class ComparisonTable:
    """A side-by-side comparison: one row per attribute, one column per option.

    Attributes
    ----------
    data : pandas.DataFrame
        Index ``attribute_id``, columns ``option_id``; each cell holds the facts for that
        option, one per line, each followed by its source numbers, e.g. ``"Yes. [1]"``.
    sources : pandas.DataFrame
        The sources the table cites, numbered in order of first use: ``number``,
        ``source_id``, ``kind`` and ``citation``.
    facts : pandas.DataFrame
        The facts behind the cells, one per row, with their source ``numbers`` (e.g. ``"1, 4"``).
    attribute_labels, option_labels : dict
        Display labels of the rows and columns.
    content : ContentInfo
        Content version, review date and disclaimer, printed with every export.
    data_dir : str or None
        The knowledge-base folder the table was built from (None: the default), whose
        ``ui_text.csv`` gives the exports their headings.
    """

    data: pd.DataFrame
    sources: pd.DataFrame
    facts: pd.DataFrame
    attribute_labels: dict[str, str]
    option_labels: dict[str, str]
    content: ContentInfo
    data_dir: str | None = None

    def labelled(self) -> pd.DataFrame:
        """Return ``data`` with display labels instead of ids."""
        frame = self.data.rename(index=self.attribute_labels, columns=self.option_labels)
        frame.index.name = ui_text("compare.attribute", data_dir=self.data_dir)
        frame.columns.name = None
        return frame

    def to_markdown(self) -> str:
        """Render as a Markdown table followed by the numbered sources and the disclaimer."""
        from kypho_aid.export import comparison_to_markdown

        return comparison_to_markdown(self)

    def to_html(self, *, standalone: bool = False) -> str:
        """Render as HTML; ``standalone=True`` gives a whole self-contained page."""
        from kypho_aid.export import comparison_to_html

        return comparison_to_html(self, standalone=standalone)

    def to_csv(self) -> str:
        """Render as CSV: one row per attribute, one column per option, then its sources."""
        from kypho_aid.export import comparison_to_csv

        return comparison_to_csv(self)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        rows, cols = self.data.shape
        return f"<ComparisonTable: {rows} attributes × {cols} options, {len(self.sources)} sources>"


def _as_list(value: object, error: type[ValueError], what: str) -> list[str] | None:
    """Accept one id or an iterable of ids; reject anything else with ``error`` naming ``what``."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    items = list(value) if isinstance(value, Iterable) else [value]
    texts = [item for item in items if isinstance(item, str)]
    if len(texts) != len(items):
        raise error(f"expected {what} ids as text, got {display_value(value)}")
    return texts


def _select_options(options: Sequence[str] | None, known: list[str]) -> list[str]:
    if options is None:
        return known
    unknown = [option for option in options if option not in known]
    if unknown or not options:
        raise UnknownOptionError(
            f"unknown option(s) {display_value(unknown or options)}; use any of: {', '.join(known)}"
        )
    return [option for option in known if option in options]  # keep the canonical order


def _select_attributes(topics: Sequence[str] | None, attributes: pd.DataFrame) -> pd.DataFrame:
    if topics is None:
        return attributes
    topic_names = [str(t) for t in attributes["topic"].cat.categories]
    ids = attributes["attribute_id"].tolist()
    unknown = [t for t in topics if t not in topic_names and t not in ids]
    if unknown or not topics:
        raise UnknownTopicError(
            f"unknown topic(s) {display_value(unknown or topics)}; use a topic ({', '.join(topic_names)}) "
            f"or an attribute id ({', '.join(ids)})"
        )
    chosen = attributes["topic"].astype(str).isin(topics) | attributes["attribute_id"].isin(topics)
    return attributes[chosen]


def compare(
    options: str | Iterable[str] | None = None,
    topics: str | Iterable[str] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> ComparisonTable:
    """Compare the options side by side, with numbered sources.

    Parameters
    ----------
    options : str or list of str, optional
        Option ids to show (``kyphoplasty``, ``vertebroplasty``, ``non_surgical``); all by
        default. They always appear in the canonical order.
    topics : str or list of str, optional
        Topics (``how_it_works``, ``procedure_day``, ``afterwards``, ``how_well_it_works``)
        or attribute ids to show; all by default.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    ComparisonTable

    Raises
    ------
    UnknownOptionError, UnknownTopicError
        If an option or topic is not in the knowledge base; the message lists valid ones.

    Examples
    --------
    >>> table = compare(topics="how_it_works")
    >>> list(table.data.columns)
    ['kyphoplasty', 'vertebroplasty', 'non_surgical']
    """
    option_rows = load_dataset("options", data_dir=data_dir)
    known = option_rows["option_id"].astype(str).tolist()
    chosen_options = _select_options(_as_list(options, UnknownOptionError, "option"), known)
    attributes = load_dataset("attributes", data_dir=data_dir).sort_values("order")
    attributes = _select_attributes(_as_list(topics, UnknownTopicError, "topic"), attributes)
    facts = load_dataset("comparison", data_dir=data_dir)
    facts = facts[
        facts["option_id"].astype(str).isin(chosen_options)
        & facts["attribute_id"].isin(attributes["attribute_id"])
    ]
    attribute_rank = {a: i for i, a in enumerate(attributes["attribute_id"])}
    option_rank = {o: i for i, o in enumerate(chosen_options)}
    facts = facts.assign(
        _a=facts["attribute_id"].map(attribute_rank),
        _o=facts["option_id"].astype(str).map(option_rank),
    ).sort_values(["_a", "_o", "fact_id"])

    numbering = SourceNumbering()
    # a data column (the CSV export): every number, comma-separated, in the facts' order
    marks = [", ".join(map(str, numbering.cite(ids))) for ids in facts["source_ids"].tolist()]
    facts = facts.drop(columns=["_a", "_o"]).reset_index(drop=True)
    facts["numbers"] = pd.Series(marks, dtype="str")

    cells: dict[str, dict[str, str]] = {option: {} for option in chosen_options}
    for option, attribute, value, mark in zip(
        facts["option_id"].astype(str).tolist(),
        facts["attribute_id"].tolist(),
        facts["value"].tolist(),
        marks,
        strict=True,
    ):
        line = f"{value} [{mark}]"
        column = cells[option]
        column[attribute] = f"{column[attribute]}\n{line}" if attribute in column else line
    not_stated = ui_text("compare.not_stated", data_dir=data_dir)
    data = pd.DataFrame(
        {
            option: [cells[option].get(a, not_stated) for a in attributes["attribute_id"]]
            for option in chosen_options
        },
        index=pd.Index(attributes["attribute_id"].tolist(), name="attribute_id"),
        dtype="str",
    )
    data.columns.name = "option_id"

    sources = bibliography(numbering.order, data_dir=data_dir)
    return ComparisonTable(
        data=data,
        sources=sources,
        facts=facts,
        attribute_labels=dict(zip(attributes["attribute_id"], attributes["label"], strict=True)),
        option_labels=dict(
            zip(option_rows["option_id"].astype(str), option_rows["label"], strict=True)
        ),
        content=content_info(data_dir=data_dir),
        data_dir=None if data_dir is None else str(data_dir),
    )


def bibliography(
    source_ids: Iterable[str],
    *,
    data_dir: str | Path | None = None,
    cite: Callable[[Mapping[str, Any]], str] | None = None,
) -> pd.DataFrame:
    """Number the given sources in order of first mention (:class:`SourceNumbering`) and
    format their citations.

    Parameters
    ----------
    source_ids : iterable of str
        Source ids, possibly repeated or semicolon-joined (as in a ``source_ids`` column).
    cite : callable, optional
        Formats one record of the ``sources`` dataset; defaults to :func:`format_citation`
        with the words of ``data_dir``.

    Returns
    -------
    pandas.DataFrame
        ``number``, ``source_id``, ``kind`` and ``citation``, one row per distinct source.

    Raises
    ------
    UnknownTopicError
        If an id is not in the bibliography.
    """
    ordered = SourceNumbering(source_ids).order
    table = load_dataset("sources", data_dir=data_dir)
    records: dict[str, dict[str, Any]] = {
        str(r["source_id"]): {str(k): v for k, v in r.items()} for r in table.to_dict("records")
    }
    unknown = [s for s in ordered if s not in records]
    if unknown:
        raise UnknownTopicError(f"unknown source id(s) {unknown!r}; see the sources dataset")
    if cite is None:
        cite = functools.partial(format_citation, data_dir=data_dir)
    return pd.DataFrame(
        {
            "number": range(1, len(ordered) + 1),
            "source_id": ordered,
            "kind": [str(records[s]["kind"]) for s in ordered],
            "citation": [cite(records[s]) for s in ordered],
        }
    ).astype({"source_id": "str", "kind": "str", "citation": "str"})


def short_citation(source: Mapping[str, Any], *, journal: bool = True) -> str:
    """A source as a reader recognises it in one line: who, when and where; or the page's title.

    Literature: the first author's surname with "et al." when there are more, or the group
    that wrote it, else a short title; then the year and the journal without its volume and
    pages ("Kallmes et al., 2009, N Engl J Med"). A patient page: its title and the kind of
    site ("Kyphoplasty (Spine clinic page)"). Never a file name, a web address or a doi.
    With ``journal=False`` (the printed page, short of room) the journal is left out whenever
    the year is known ("Kallmes et al., 2009").
    """

    def text(name: str) -> str:
        value = source.get(name)
        return " ".join(str(value).split()) if present(value) else ""

    title = short_title(text("title"))
    if text("kind") == "seed_page":
        return f"{title} ({text('journal')})" if text("journal") else title
    authors = _PARENTHESES.sub("", text("authors")).strip()
    first = authors.split(",")[0].strip()
    personal = _PERSON.match(first)
    if _NO_AUTHOR.search(authors) or not authors:
        who = title
    elif personal:
        more = "," in authors or "et al" in authors
        who = personal[1] + (" et al." if more else "")
    else:  # a group: "National Institute for Health and Care Excellence"
        who = first
    journal_name = _VOLUME.split(_PARENTHESES.sub("", text("journal")), maxsplit=1)[0].strip()
    if _NO_AUTHOR.search(journal_name) or (not journal and text("year")):
        journal_name = ""
    return ", ".join(part for part in (who, text("year"), journal_name.rstrip(" .")) if part)


def short_title(title: str) -> str:
    """A title up to its first colon or bracket, cut at a word near SHORT_TITLE_CHARS."""
    short = re.split(r":\s|\s\(", title, maxsplit=1)[0].strip().rstrip(".")
    if len(short) > SHORT_TITLE_CHARS:
        cut = short[:SHORT_TITLE_CHARS]
        short = (cut[: cut.rfind(" ")].rstrip(" ,;") if " " in cut else cut) + "…"
    return short


#: Longest short title shown for a source, in characters (cut at a word, with "…").
SHORT_TITLE_CHARS = 60
#: "Kallmes DF", "de Vries J", "Klazen CAH": a surname (group 1) and capital initials.
_PERSON = re.compile(r"^([A-Za-z][\w'’ -]*?) [A-Z]{1,3}(?: et al\.?)?$")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
#: Where a journal's volume and pages start: "N Engl J Med 361:569-79".
_VOLUME = re.compile(r"\s\d")
#: What says no one is named ("Not shown in excerpt", "Publisher not named in the text").
_NO_AUTHOR = re.compile(r"(?i)\b(?:not (?:shown|named|stated)|unidentified)\b")


def option_grid(
    options: str | Iterable[str] | None = None, *, data_dir: str | Path | None = None
) -> pd.DataFrame:
    """The option grid: the questions patients ask first, answered briefly for each option.

    Rows of ``faq.csv`` that have a ``grid_order``, in that order and in the options' order.
    Each short answer (at most 35 words) comes with the full answer it was shortened from
    and that answer's sources, to show on request.

    Returns
    -------
    pandas.DataFrame
        ``grid_order``, ``question_id``, ``question``, ``option_id``, ``option_label``,
        ``short_answer``, ``answer`` and ``source_ids`` (a tuple).

    Raises
    ------
    UnknownOptionError
        If an option id is not in the knowledge base.
    """
    option_rows = load_dataset("options", data_dir=data_dir)
    known = option_rows["option_id"].astype(str).tolist()
    chosen = _select_options(_as_list(options, UnknownOptionError, "option"), known)
    labels = dict(zip(known, option_rows["label"].astype(str), strict=True))
    faq = load_dataset("faq", data_dir=data_dir)
    grid = faq[faq["grid_order"].notna() & faq["option_id"].astype(str).isin(chosen)].copy()
    grid["option_id"] = grid["option_id"].astype(str)
    grid["option_rank"] = grid["option_id"].map({o: i for i, o in enumerate(chosen)})
    grid = grid.sort_values(["grid_order", "option_rank"], kind="stable")
    grid["option_label"] = grid["option_id"].map(labels)
    grid["source_ids"] = [tuple(str(s).split(LIST_SEPARATOR)) for s in grid["source_ids"]]
    columns = [
        "grid_order",
        "question_id",
        "question",
        "option_id",
        "option_label",
        "short_answer",
        "answer",
        "source_ids",
    ]
    return grid[columns].reset_index(drop=True)
