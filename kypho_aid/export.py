"""Rendering a comparison as Markdown, HTML or CSV, each with its sources and version footer."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from kypho_aid.compare import ComparisonTable, SourceNumbering, bibliography, short_citation
from kypho_aid.datasets import content_info, load_dataset
from kypho_aid.model import LIST_SEPARATOR
from kypho_aid.outcomes import RiskView, Tile, design_words
from kypho_aid.procedure import StepView
from kypho_aid.style import (
    ARM_COLORS,
    HTML_CSS,
    ICON_EDGE_COLOR,
    TILE_ICON_GRID_PX,
    UNAFFECTED_COLOR,
)
from kypho_aid.templating import render
from kypho_aid.texts import ui_text, ui_texts
from kypho_aid.validation import GRADE_LEVELS
from kypho_aid.wording import better_words

__all__ = [
    "about_html",
    "comparison_to_csv",
    "comparison_to_html",
    "comparison_to_markdown",
    "footer_text",
    "option_grid_html",
    "outcome_tile_html",
    "overview_html",
    "risk_view_html",
    "step_view_html",
]


def _sources_heading(data_dir: str | Path | None) -> str:
    return ui_text("sources.heading", data_dir=data_dir)


def footer_text(table: ComparisonTable) -> str:
    """The line every export ends with: content version, review date and disclaimer."""
    return table.content.footer


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def comparison_to_markdown(table: ComparisonTable) -> str:
    """Render a comparison as a GitHub-flavoured Markdown table with numbered sources."""
    frame = table.labelled()
    lines = [
        "| " + " | ".join([str(frame.index.name), *map(_markdown_cell, frame.columns)]) + " |",
        "|" + "---|" * (len(frame.columns) + 1),
    ]
    for label, row in frame.iterrows():
        cells = [f"**{_markdown_cell(str(label))}**", *(_markdown_cell(str(v)) for v in row)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"**{_sources_heading(table.data_dir)}**", ""]
    lines += [f"{s.number}. {s.citation}" for s in table.sources.itertuples(index=False)]
    lines += ["", f"_{footer_text(table)}_", ""]
    return "\n".join(lines)


def comparison_to_html(table: ComparisonTable, *, standalone: bool = False) -> str:
    """Render a comparison as an accessible HTML table (headers with scope) plus sources."""
    frame = table.labelled()
    return render(
        "comparison.html.j2",
        standalone=standalone,
        css=Markup(HTML_CSS),
        words=ui_texts("compare", ("title", "caption"), data_dir=table.data_dir)
        | {"attribute": str(frame.index.name), "sources": _sources_heading(table.data_dir)},
        columns=[str(c) for c in frame.columns],
        rows=[(str(label), [str(v) for v in row]) for label, row in frame.iterrows()],
        sources=list(zip(table.sources["number"], table.sources["citation"], strict=True)),
        footer=footer_text(table),
    )


#: What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading ``'`` before a formula start."""
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def comparison_to_csv(table: ComparisonTable) -> str:
    """Render a comparison as CSV; the last column maps each source number to its id.

    Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return) get a leading single quote, as OWASP advises against
    CSV injection.
    """
    frame = table.labelled()
    by_number = dict(zip(table.sources["number"], table.sources["source_id"], strict=True))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(map(csv_safe, ["attribute_id", "attribute", *frame.columns, "sources"]))
    attributes = table.facts["attribute_id"].tolist()
    marks = table.facts["numbers"].tolist()
    for (attribute_id, row), label in zip(table.data.iterrows(), frame.index, strict=True):
        cited = {
            int(n)
            for attribute, mark in zip(attributes, marks, strict=True)
            if attribute == attribute_id
            for n in str(mark).split(", ")
        }
        listed = "; ".join(f"[{n}] {by_number[n]}" for n in sorted(cited))
        writer.writerow(map(csv_safe, [attribute_id, label, *row, listed]))
    return buffer.getvalue()


def overview_html(*, data_dir: str | Path | None = None) -> str:
    """The first screen of a session: the decision, the condition and the three options.

    Built from the ``condition`` and ``options`` datasets, each statement with its sources'
    numbers, then the numbered sources. Balanced: every option gets the same layout.
    """

    decision = load_dataset("content", data_dir=data_dir).loc[0, "decision"]
    condition = load_dataset("condition", data_dir=data_dir)
    options = load_dataset("options", data_dir=data_dir)
    first_per_topic = condition.drop_duplicates("topic")
    numbering = SourceNumbering([*first_per_topic["source_ids"], *options["source_ids"]])
    cited = bibliography(numbering.order, data_dir=data_dir)

    def marks(ids: str) -> str:
        return "[" + numbering.mark(ids) + "]"

    return render(
        "overview.html.j2",
        words=ui_texts("overview", ("decision", "condition", "options"), data_dir=data_dir)
        | {"sources": _sources_heading(data_dir)},
        decision=decision,
        facts=[(r.statement, marks(str(r.source_ids))) for r in first_per_topic.itertuples()],
        cards=[(r.label, r.summary, marks(str(r.source_ids))) for r in options.itertuples()],
        sources=list(zip(cited["number"], cited["citation"], strict=True)),
    )


def about_html(*, data_dir: str | Path | None = None) -> str:
    """ "About this aid": makers, funding, interests, methods, limitations, version and how to report."""

    about = load_dataset("about", data_dir=data_dir).iloc[0]
    info = content_info(data_dir=data_dir)
    updates = ui_text(
        "about.version",
        version=info.version,
        reviewed_on=info.reviewed_on.isoformat(),
        policy=info.update_policy,
        data_dir=data_dir,
    )
    parts = [
        (ui_text(f"about.{name}", data_dir=data_dir), text)
        for name, text in (
            ("who_made", about["developers"]),
            ("who_paid", about["funding"]),
            ("interests", about["competing_interests"]),
            ("methods", about["evidence_methods"]),
            ("limits", about["limitations"]),
            ("updates", updates),
            ("report", about["report_an_error"]),
        )
    ]
    return render("about.html.j2", parts=parts)


#: The columns of the risk explorer's table of figures, as ``ui_text.csv`` names them.
_RISK_COLUMNS = tuple(
    f"column_{name}" for name in ("comparison", "figures", "better", "when", "sure", "evidence")
)


def risk_view_html(view: RiskView, *, data_dir: str | Path | None = None) -> str:
    """What the risk explorer shows beside its chart, as escaped HTML.

    The ``words`` view is each finding's statement led by its comparison; the others a table
    of every finding (comparison, figures, which did better, time point, certainty, design),
    which the ``icons`` view leads with the drawn finding's statement.
    """
    figures = [row for _, row in view.figures.iterrows()]
    words = view.view == "words"
    designs = design_words(data_dir=data_dir)
    rows: list[tuple[str, ...]] = (
        [(str(r["comparison_label"]), str(r["statement"])) for r in figures]
        if words
        else [
            (
                str(r["comparison_label"]),
                str(r["figure"]),
                better_words(r),
                str(r["timepoint"]),
                str(r["certainty"]).replace("_", " "),
                designs[str(r["design"])],
            )
            for r in figures
        ]
    )
    lead = (
        str(view.finding["statement"])
        if view.view == "icons" and view.finding is not None
        else None
    )
    # the rows stay least biased first (rule 8); where that first one cannot be drawn, the
    # picture is of a less fair test, and the reader is told so before its statement
    not_fairest = lead is not None and not view.finding_is_fairest
    return render(
        "risk_view.html.j2",
        words=words,
        none=ui_text("risk.none", data_dir=data_dir),
        headers=list(ui_texts("risk", _RISK_COLUMNS, data_dir=data_dir).values()),
        rows=rows,
        lead=lead,
        not_fairest=ui_text("risk.not_fairest", data_dir=data_dir) if not_fairest else "",
    )


def step_view_html(view: StepView, *, data_dir: str | Path | None = None) -> str:
    """One step's title, description, drawing text and sources, as escaped HTML."""
    citations = [str(c) for c in view.sources["citation"]]
    heading = ui_text(
        "step.heading",
        option=view.option_label,
        step=view.step,
        total=view.total,
        label=view.label,
        data_dir=data_dir,
    )
    words = {
        "heading": heading,
        "shows": ui_text("step.shows", data_dir=data_dir),
        "sources": _sources_heading(data_dir),
    }
    return render("step_view.html.j2", step=view, words=words, citations=citations)


def option_grid_html(
    grid: pd.DataFrame,
    *,
    detail: ComparisonTable | None = None,
    data_dir: str | Path | None = None,
) -> str:
    """Render :func:`kypho_aid.compare.option_grid` as a table of short answers.

    Each cell holds the short answer and, in a closed ``<details>``, the full answer with
    its source numbers; the sources, as short readable citations, sit in one closed list
    below, so that references never interrupt the patient's text. ``detail``, a full
    comparison, follows in a closed ``<details>`` of its own, for those who want every fact.
    """
    joined = [LIST_SEPARATOR.join(ids) for ids in grid["source_ids"]]
    numbering = SourceNumbering(joined)
    sources = bibliography(numbering.order, data_dir=data_dir, cite=short_citation)
    options = list(dict.fromkeys(zip(grid["option_id"], grid["option_label"], strict=True)))
    rows = []
    for _, block in grid.groupby("grid_order", sort=True):
        cells = [
            (
                str(r["option_label"]),
                str(r["short_answer"]),
                " ".join(str(r["answer"]).split()),
                numbering.mark(LIST_SEPARATOR.join(r["source_ids"])),
            )
            for r in block.to_dict("records")
        ]
        rows.append((str(block["question"].iloc[0]), cells))
    return render(
        "option_grid.html.j2",
        caption=ui_text("grid.caption", data_dir=data_dir),
        question_heading=ui_text("grid.question", data_dir=data_dir),
        more=ui_text("grid.more", data_dir=data_dir),
        sources_heading=ui_text("grid.sources", data_dir=data_dir),
        options=options,
        rows=rows,
        sources=list(zip(sources["number"], sources["citation"], strict=True)),
        detail_heading=ui_text("grid.detail", data_dir=data_dir),
        detail=None if detail is None else Markup(comparison_to_html(detail)),
    )


def outcome_tile_html(tile: Tile, *, data_dir: str | Path | None = None) -> str:
    """Render one :class:`kypho_aid.outcomes.Tile`: both arms in same-size icon grids when
    pictured, the finding in words and a certainty badge (words and GRADE symbols)."""
    level = GRADE_LEVELS.index(tile.certainty) + 1
    return render(
        "outcome_tile.html.j2",
        tile=tile,
        size=TILE_ICON_GRID_PX,
        colors=ARM_COLORS,
        unaffected=UNAFFECTED_COLOR,
        edge=ICON_EDGE_COLOR,
        out_of=ui_text("tile.out_of", data_dir=data_dir),
        symbols="\u2295" * level + "\u25ef" * (len(GRADE_LEVELS) - level),
        certainty_words=ui_text(
            "tile.certainty", level=tile.certainty.replace("_", " "), data_dir=data_dir
        ),
    )
