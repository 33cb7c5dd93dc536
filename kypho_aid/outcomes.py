"""Outcomes in numbers people can use, built on the summary of findings.

Every figure comes from :func:`kypho_aid.findings.summary_of_findings`: two arms of one
comparison (one trial or one pooled analysis), at one time point, on one measure. The risk
explorer's logic (:func:`risk_view`) leads with the least biased finding and draws only the
arms of that one row; the three-option view is a set of pairwise panels, each naming its
comparison. Observational figures are told in words, never drawn. Nothing here makes up a rate.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from kypho_aid._values import choose_ids, deprecated_names, display_value, present
from kypho_aid.compare import bibliography
from kypho_aid.datasets import Stamp, data_key, load_dataset, option_labels
from kypho_aid.exceptions import UnknownOptionError, UnknownTopicError
from kypho_aid.findings import (
    finding_arms,
    format_number,
    lead_finding,
    one_finding,
    pairwise_panels,
    pick_lead,
    summary_of_findings,
)
from kypho_aid.texts import fill, text_table, ui_text, ui_texts

__all__ = [
    "VIEWS",
    "ChartText",
    "RiskView",
    "Tile",
    "chartable_gaps",
    "comparison_text",
    "design_words",
    "icon_array_text",
    "outcome_sentences",
    "outcome_tiles",
    "risk_view",
    "study_table",
    "summarize_outcomes",
    "timeline_text",
]

#: The study designs named to patients (``design.<id>`` in ``ui_text.csv``), in this order.
_DESIGNS = (
    "sham_controlled_rct",
    "pooled_rcts",
    "open_rct",
    "unblinded_rct",
    "pooled_mixed",
    "meta_analysis",
    "systematic_review",
    "review",
    "observational",
    "single_arm",
    "guideline",
    "payer_policy",
    "patient_info",
    "trial_registry",
    "none",
)


def design_words(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """How each study design is named to patients (``design.*`` in ``ui_text.csv``), by
    design: sham-controlled and unblinded trials differ."""
    return ui_texts("design", _DESIGNS, data_dir=data_dir)


# the old constant, now read from data/ui_text.csv (design.*), answers with a DeprecationWarning
__getattr__ = deprecated_names(
    __name__, {"DESIGN_WORDS": ("design_words(), which reads data/ui_text.csv", design_words)}
)


@dataclass(frozen=True)
class ChartText:
    """What a chart shows, in words: a short alt text and a long description with the numbers."""

    alt: str
    long: str
    #: The knowledge-base folder of the labels ``str()`` puts before each text.
    data_dir: str | Path | None = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        """Both texts, labelled, as a notebook prints them beside the chart."""
        return ui_text("alt.chart_text", alt=self.alt, long=self.long, data_dir=self.data_dir)


def icon_array_text(
    finding: pd.Series | pd.DataFrame, *, data_dir: str | Path | None = None
) -> ChartText:
    """Alt text and long description of :func:`kypho_aid.plotting.plot_icon_array`
    (``alt.icon_*`` in ``ui_text.csv``; ``data_dir`` is the folder of those words)."""
    row = one_finding(finding)
    arms = finding_arms(row)
    who = str(arms["counted"].iloc[0])
    per = int(row["denominator"])
    texts = text_table(data_dir=data_dir)  # one look at the data folder for every arm
    parts = "; ".join(
        fill(
            texts,
            "alt.icon_arm",
            arm=label,
            count=format_number(float(value)),
            denominator=per,
            counted=who,
        )
        for label, value in zip(arms["arm_label"], arms["per"], strict=True)
    )
    count = int(arms["denominator"].iloc[0])
    alt = ui_text(
        "alt.icon_array",
        data_dir=data_dir,
        count=count,
        counted=who,
        comparison=str(row["comparison_label"]).lower(),
        timepoint=row["timepoint"],
        measure=row["measure"],
        arms=parts,
    )
    long = ui_text(
        "alt.icon_array_long",
        data_dir=data_dir,
        statement=row["statement"],
        count=count,
        counted=who,
        measure=row["measure"],
        study=row["study"],
    )
    return ChartText(alt, long, data_dir)


def comparison_text(findings: pd.DataFrame, *, data_dir: str | Path | None = None) -> ChartText:
    """Alt text and long description of :func:`kypho_aid.plotting.plot_outcome_comparison`
    (``alt.means_chart``, ``alt.gap_*`` in ``ui_text.csv``; ``data_dir`` is their folder)."""
    first = findings.iloc[0]
    if str(first["kind"]) == "means":
        alt = ui_text(
            "alt.means_chart",
            data_dir=data_dir,
            measure=first["measure"],
            comparison=str(first["comparison_label"]).lower(),
            timepoint=first["timepoint"],
            intervention=first["intervention_label"],
            intervention_value=format_number(first["intervention_value"]),
            comparator=first["comparator_label"],
            comparator_value=format_number(first["comparator_value"]),
            unit=first["unit"],
        )
        return ChartText(alt, str(first["statement"]), data_dir)
    texts = text_table(data_dir=data_dir)  # one look at the data folder for every mark
    marks = "; ".join(
        fill(texts, "alt.gap_mark", study=row.study, timepoint=row.timepoint, figure=row.figure)
        for row in findings.itertuples()
    )
    alt = ui_text(
        "alt.gap_chart",
        data_dir=data_dir,
        measure=first["measure"],
        comparison=str(first["comparison_label"]).lower(),
        marks=marks,
        intervention=str(first["intervention_label"]).lower(),
        comparator=str(first["comparator_label"]).lower(),
    )
    return ChartText(alt, " ".join(str(s) for s in findings["statement"]), data_dir)


def timeline_text(items: pd.DataFrame, *, data_dir: str | Path | None = None) -> ChartText:
    """Alt text and long description of :func:`kypho_aid.plotting.plot_timeline`
    (``alt.timeline*`` in ``ui_text.csv``; ``data_dir`` is their folder)."""
    timed = items[items["time_low"].notna()]
    texts = text_table(data_dir=data_dir)  # one look at the data folder for every step
    steps = []
    for _, row in timed.iterrows():
        span = format_number(float(row["time_low"]))
        if pd.notna(row["time_high"]):
            high = format_number(float(row["time_high"]))
            span = fill(texts, "alt.timeline_range", low=span, high=high)
        when = "before" if row["time_reference"] == "before_procedure" else "after"
        steps.append(
            fill(
                texts,
                f"alt.timeline_{when}",
                span=span,
                unit=row["time_unit"],
                statement=row["statement"],
            )
        )
    alt = ui_text("alt.timeline", data_dir=data_dir, count=len(steps))
    return ChartText(alt, " ".join(f"{s}" for s in steps), data_dir)


#: The three ways the risk explorer can show an outcome.
VIEWS = ("icons", "numbers", "words")


@dataclass(frozen=True, eq=False)
class RiskView:
    """Everything the risk explorer shows for one choice of outcome, options and view.

    ``finding`` is the one finding drawn (or None): the least biased for the outcome among
    the chosen options that a picture can show. ``figures`` holds every finding shown, least
    biased first, so the drawn one is not first where a fairer test cannot be drawn;
    ``panels`` the pairwise comparisons with their lead finding id (empty where no study
    compared them).
    """

    outcome: str
    options: tuple[str, ...]
    view: str
    figures: pd.DataFrame
    chart: str | None  # "icons", "comparison" or None when the view has no chart
    text: ChartText | None
    finding: pd.Series | None = None
    panels: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def finding_is_fairest(self) -> bool:
        """Whether the drawn finding is the least biased one shown (False where a fairer test
        cannot be drawn, so the picture is of the next fairest; True with nothing drawn)."""
        return (
            self.finding is None
            or self.figures.empty
            or self.figures.iloc[0]["finding_id"] == self.finding["finding_id"]
        )

    @property
    def html(self) -> str:
        """Gone: HTML is written by the rendering layer, which this layer may not import."""
        raise AttributeError(
            "RiskView.html moved to the rendering layer: use kypho_aid.export.risk_view_html(view)"
        )


def _choose_options(options: str | Iterable[str] | None, data_dir: str | Path | None) -> list[str]:
    known = list(option_labels(data_dir=data_dir))
    return choose_ids(options, known, "option(s)", UnknownOptionError)


def _within(rows: pd.DataFrame, chosen: list[str]) -> pd.DataFrame:
    """Findings with at least one chosen option as an arm (each shown whole, both arms)."""
    arms = set(chosen) | (
        {"either_procedure"} if {"kyphoplasty", "vertebroplasty"} & set(chosen) else set()
    )
    keep = rows["intervention"].isin(arms) | rows["comparator"].isin(arms)
    return rows[keep].reset_index(drop=True)


def chart_kind(finding: pd.Series) -> str | None:
    """Which picture a finding may have: icons for a randomised risk, a chart for a
    randomised difference or pair of means, none for anything else."""
    if not bool(finding["drawable"]):
        return None
    if str(finding["kind"]) == "risk":
        return "icons"
    if str(finding["kind"]) == "difference" and str(finding["better"]) == "unknown":
        return None
    return "comparison"


def chartable_gaps(
    outcome: str | Iterable[str],
    comparison: str,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """The gaps of one comparison that one chart may show together: randomised differences
    whose direction is known, on the unit of the first, in time order of their finding ids.
    Gaps whose direction our sources do not give are left to words (:func:`outcome_sentences`)."""
    rows = summary_of_findings(outcome, comparison, data_dir=data_dir)
    rows = rows[rows["drawable"] & (rows["kind"] == "difference") & (rows["better"] != "unknown")]
    if len(rows):
        rows = rows[rows["unit"] == rows.iloc[0]["unit"]]
    return rows.sort_values("finding_id").reset_index(drop=True)


def risk_view(
    outcome: str,
    options: str | Iterable[str] | None = None,
    view: str = "icons",
    *,
    comparison: str | None = None,
    data_dir: str | Path | None = None,
) -> RiskView:
    """Decide what the risk explorer shows: the logic behind the widget, without any widget.

    Leads with the least biased finding for the outcome among the chosen options (or in
    ``comparison``). ``icons`` draws that one finding's two arms (an icon array for a
    randomised risk, a chart for a randomised difference or pair of means; nothing for
    observational evidence); ``numbers`` is a table of every finding; ``words`` their
    statements. Every view names each comparison, its time point, design and certainty.
    """
    if not isinstance(view, str) or view not in VIEWS:
        raise UnknownTopicError(
            f"unknown view {display_value(view)}; use one of: {', '.join(VIEWS)}"
        )
    found = summary_of_findings(outcome, data_dir=data_dir)  # an unknown outcome fails first
    chosen = _choose_options(options, data_dir)
    if isinstance(outcome, str) and (comparison is None or isinstance(comparison, str)):
        figures = _cached_figures(outcome, tuple(chosen), comparison, *data_key(data_dir))
    else:
        figures = _figures(found, outcome, chosen, comparison, data_dir)
    icons = view == "icons"
    return RiskView(
        outcome,
        tuple(chosen),
        view,
        figures.rows.copy(),  # copies: the cached figures are shared by every later call
        figures.chart if icons else None,
        figures.text if icons else None,
        None if figures.lead is None else figures.lead.copy(),
        figures.panels.copy(),
    )


class _Figures(NamedTuple):
    """What the views of one outcome share: the findings, least biased first, the lead, the
    panels, and the chart the icons view draws with its words."""

    rows: pd.DataFrame
    lead: pd.Series | None
    panels: pd.DataFrame
    chart: str | None
    text: ChartText | None


def _figures(
    found: pd.DataFrame,
    outcome: str,
    chosen: list[str],
    comparison: str | None,
    data_dir: str | Path | None,
) -> _Figures:
    """What every view of the risk explorer shows (see :class:`_Figures`)."""
    rows = _within(found, chosen)
    if comparison is not None:
        rows = rows[rows["comparison"] == comparison].reset_index(drop=True)
    panels = pairwise_panels(outcome, data_dir=data_dir)
    panels = panels[panels["finding_id"].isin(rows["finding_id"]) | (panels["finding_id"] == "")]
    # the rows stay least biased first (rule 8), even where the one drawn is not the first:
    # a sham-controlled count too small to draw keeps its place above an open trial's risk
    lead = pick_lead(rows)
    chart: str | None = None
    text: ChartText | None = None
    if lead is not None:
        chart = chart_kind(lead)
        if chart == "icons":
            text = icon_array_text(lead, data_dir=data_dir)
        elif chart == "comparison":
            text = comparison_text(lead.to_frame().T, data_dir=data_dir)
    return _Figures(rows, lead, panels.reset_index(drop=True), chart, text)


@functools.lru_cache(maxsize=64)
def _cached_figures(
    outcome: str,
    chosen: tuple[str, ...],
    comparison: str | None,
    data_dir: str | None,
    stamp: Stamp,
) -> _Figures:
    """:func:`_figures`, once per outcome, options, comparison and version of the data: the
    app and the readability report ask for the same outcome in several views."""
    found = summary_of_findings(outcome, data_dir=data_dir)
    return _figures(found, outcome, list(chosen), comparison, data_dir)


def outcome_sentences(
    outcome: str | Iterable[str] | None = None,
    options: str | Iterable[str] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> list[str]:
    """Plain-language statements of every finding for the outcomes, least biased first,
    each led by the comparison it comes from."""
    found = summary_of_findings(outcome, data_dir=data_dir)
    chosen = _choose_options(options, data_dir)
    rows = _within(found, chosen)
    return [f"{r.comparison_label}: {r.statement}" for r in rows.itertuples()]


def summarize_outcomes(
    outcome: str | Iterable[str] | None = None,
    options: str | Iterable[str] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """The findings one arm per row (kept for older notebooks; prefer
    :func:`kypho_aid.summary_of_findings`). Each row names its ``finding_id`` and
    ``comparison``: figures from different rows are never comparable side by side."""
    found = summary_of_findings(outcome, data_dir=data_dir)
    chosen = _choose_options(options, data_dir)
    rows = _within(found, chosen)
    arms = []
    for _, row in rows.iterrows():
        for arm in finding_arms(row).itertuples():
            if arm.arm in chosen:
                arms.append(
                    {
                        "finding_id": row["finding_id"],
                        "outcome": row["outcome"],
                        "comparison": row["comparison"],
                        "option_id": arm.arm,
                        "option_label": arm.arm_label,
                        "per": arm.per,
                        "denominator": arm.denominator,
                        "value": arm.value,
                        "timepoint": row["timepoint"],
                        "design": row["design"],
                        "certainty": row["certainty"],
                        "sentence": row["statement"],
                        "source_ids": row["source_ids"],
                    }
                )
    return pd.DataFrame(arms)


def study_table(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The studies behind the findings: design, size, sham or not, funding and caveats.

    One row per source cited by ``findings``, in order of first citation: ``source_id``,
    ``citation``, ``kind`` (from the bibliography), ``design`` (of its findings),
    ``sham_controlled``, ``patients`` (the largest number of people behind one of its
    findings), ``certainty`` (the lowest level of its findings), ``funding`` (as recorded on
    its findings) and ``notes`` (from the bibliography).
    """

    findings = summary_of_findings(data_dir=data_dir)
    sources = load_dataset("sources", data_dir=data_dir).set_index("source_id")
    cited = bibliography(findings["source_ids"], data_dir=data_dir)
    by_source = findings.assign(source_id=findings["source_ids"].str.split(";")).explode(
        "source_id"
    )
    funding_words = ui_texts(
        "study", ("funding_industry", "funding_not_recorded"), data_dir=data_dir
    )
    rows = []
    for source_id, citation, kind in zip(
        cited["source_id"], cited["citation"], cited["kind"], strict=True
    ):
        own = by_source[by_source["source_id"] == source_id]
        designs = sorted({str(d) for d in own["design"]})
        notes = sources.loc[source_id, "notes"]
        funding = sorted({str(f) for f in own["funding"]})
        rows.append(
            {
                "source_id": source_id,
                "citation": citation,
                "kind": kind,
                "design": ", ".join(d.replace("_", " ") for d in designs),
                "sham_controlled": "sham_controlled_rct" in designs or "pooled_rcts" in designs,
                "patients": own["participants"].max(),
                "certainty": str(own["certainty"].min()).replace("_", " "),
                "funding": funding_words[
                    "funding_industry" if "industry" in funding else "funding_not_recorded"
                ],
                "notes": "" if pd.isna(notes) else str(notes),
            }
        )
    return pd.DataFrame(rows).astype({"patients": "Float64"})


@dataclass(frozen=True)
class Tile:
    """One outcome at a glance: its lead finding (the least biased), for the overview's tiles.

    ``arms`` holds, for a randomised risk out of 100, each arm's id, label and the people with
    the outcome (``pictured`` is then True: the tile draws both arms as same-size icon grids).
    Anything else is told in words (``statement``); an observational finding never becomes a
    picture and says it cannot show cause.
    """

    outcome: str
    label: str
    comparison: str
    statement: str
    certainty: str
    design: str
    pictured: bool
    arms: tuple[tuple[str, str, int], ...]
    denominator: int | None


def outcome_tiles(*, data_dir: str | Path | None = None) -> list[Tile]:
    """A tile per outcome with a finding: the least biased designs first (sham-controlled,
    then other randomised trials, then observational studies), each design's outcomes in the
    order of ``outcome_definitions.csv``.

    Each tile leads with the outcome's least biased finding (:func:`lead_finding`), so the
    tile and the detailed view of that outcome show the same comparison, time point and
    measure.
    """
    definitions = load_dataset("outcome_definitions", data_dir=data_dir)
    tiles: list[tuple[int, Tile]] = []
    for definition in definitions.to_dict("records"):
        outcome = str(definition["outcome"])
        finding = lead_finding(outcome, data_dir=data_dir)
        if finding is None:
            continue
        denominator = finding["denominator"]
        pictured = (
            str(finding["kind"]) == "risk"
            and bool(finding["drawable"])
            and present(denominator)
            and int(denominator) == 100
        )
        arms: tuple[tuple[str, str, int], ...] = ()
        if pictured:
            arms = tuple(
                (str(arm["arm"]), str(arm["arm_label"]), round(float(arm["per"])))
                for arm in finding_arms(finding).to_dict("records")
            )
        design_rank = (
            int(finding["rank"]) // 10
        )  # summary_of_findings: design first, then certainty
        tiles.append(
            (
                design_rank,
                Tile(
                    outcome=outcome,
                    label=str(definition["label"]),
                    comparison=str(finding["comparison_label"]),
                    statement=str(finding["glance"]),  # the certainty is the tile's badge
                    certainty=str(finding["certainty"]),
                    design=str(finding["design"]),
                    pictured=pictured,
                    arms=arms,
                    denominator=int(denominator) if present(denominator) else None,
                ),
            )
        )
    return [tile for _, tile in sorted(tiles, key=lambda pair: pair[0])]
