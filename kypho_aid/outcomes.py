"""Outcomes in numbers people can use: natural frequencies, differences and certainty wording.

Reads ``outcome_figures`` and ``outcome_definitions`` from the knowledge base and returns a
tidy table and plain-language sentences. Sentences follow GRADE informative statements
(high: stated plainly; moderate: "probably"; low: "may"; very low: "very uncertain"), state
both sides of a frequency ("about 44 out of 100 … about 56 out of 100 did not") and use one
denominator and the figure's own time point. Nothing here makes up a rate.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kypho_aid._files import display_value
from kypho_aid.datasets import data_stamp, load_dataset, option_labels
from kypho_aid.exceptions import UnknownOptionError, UnknownTopicError

__all__ = [
    "DESIGN_WORDS",
    "VIEWS",
    "ChartText",
    "RiskView",
    "comparison_text",
    "describe_figure",
    "figure_text",
    "icon_array_text",
    "outcome_sentences",
    "risk_view",
    "study_table",
    "summarize_outcomes",
    "timeline_text",
]

#: How each study design is named to patients; sham-controlled and unblinded trials differ.
DESIGN_WORDS = {
    "sham_controlled_rct": "a trial against a sham (fake) procedure, so people did not know which they had",
    "unblinded_rct": "a trial where people knew which care they got",
    "meta_analysis": "a review that pooled many studies",
    "systematic_review": "a review of many studies",
    "observational": "a study of records, where chance did not decide who got which care",
    "single_arm": "a study with no group to compare with",
    "guideline": "a guideline",
    "payer_policy": "an insurer's policy",
    "patient_info": "an information page",
    "trial_registry": "a trial registry",
    "none": "no study",
}

#: Outcomes people rate themselves, where knowing one's treatment can colour the answer.
SELF_RATED = frozenset({"natural_recovery", "pain_relief_early", "pain_relief_later", "function"})

#: The opening words for each certainty level (GRADE informative statements).
CERTAINTY_LEADS = {
    "high": "",
    "moderate": "Probably ",
    "low": "It may be that ",
    "very_low": "We are very uncertain, but ",
    "not_graded": "",
}


def _number(value: float) -> str:
    """Format a figure as the source gave it: whole numbers without decimals."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace("-", "−") if value < 0 else text


def _present(value: object) -> bool:
    """True for a real value: not None, NaN or pandas' NA."""
    if value is None or value is pd.NA:
        return False
    return not (isinstance(value, float) and value != value)


def _counted(row: pd.Series) -> str:
    """What a frequency counts, in words: people, or treated bones where the source counted those."""
    return "treated bones" if row.get("counted") == "treated_bones" else "people"


def _frequency_sentence(row: pd.Series) -> str:
    denominator = int(row["denominator"])
    who = _counted(row)
    event, no_event = row["event"], row["no_event"]
    lead = CERTAINTY_LEADS[str(row["certainty"])]
    if _present(row["events"]):
        events = round(float(row["events"]))
        body = (
            f"about {events} out of {denominator} {who} {event} {row['timepoint']}; "
            f"about {denominator - events} out of {denominator} {no_event}"
        )
        if _present(row["events_low"]) and _present(row["events_high"]):
            body += (
                f" (the true number is likely between {_number(row['events_low'])} and "
                f"{_number(row['events_high'])} out of {denominator})"
            )
    else:
        low, high = float(row["events_low"]), float(row["events_high"])
        body = (
            f"between {_number(low)} and {_number(high)} out of {denominator} {who} {event} {row['timepoint']}; "
            f"between {_number(denominator - high)} and {_number(denominator - low)} out of {denominator} {no_event}"
        )
    text = lead + body
    return text[0].upper() + text[1:] + "."


def _difference_sentence(row: pd.Series) -> str:
    lead = CERTAINTY_LEADS[str(row["certainty"])]
    unit = row["unit"]
    body = f"the difference against {row['comparator']} was {_number(row['value'])} {unit} {row['timepoint']}"
    if _present(row["low"]) and _present(row["high"]):
        body += f" (likely between {_number(row['low'])} and {_number(row['high'])})"
    text = lead + body
    text = text[0].upper() + text[1:] + "."
    if _present(row["mcid"]):
        text += f" The smallest difference people notice on this scale is about {_number(row['mcid'])} {unit}."
    else:
        text += " Our sources give no threshold for the smallest difference people notice on this scale."
    return text


def _mean_sentence(row: pd.Series) -> str:
    lead = CERTAINTY_LEADS[str(row["certainty"])]
    body = f"on average it was {_number(row['value'])} {row['unit']} {row['timepoint']}"
    if _present(row["low"]) and _present(row["high"]):
        body += f" (likely between {_number(row['low'])} and {_number(row['high'])})"
    text = lead + body
    return text[0].upper() + text[1:] + "."


def describe_figure(row: pd.Series) -> str:
    """One plain-language sentence for one row of :func:`summarize_outcomes`."""
    kind = str(row["kind"])
    if kind == "not_available":
        return str(row["note"])
    if kind == "frequency":
        sentence = _frequency_sentence(row)
    elif kind == "mean_difference":
        sentence = _difference_sentence(row)
    else:
        sentence = _mean_sentence(row)
    design = str(row["design"])
    self_rated = str(row["outcome"]) in SELF_RATED
    caveat = (
        ", which can colour how they rate it" if design == "unblinded_rct" and self_rated else ""
    )
    sentence += f" This comes from {DESIGN_WORDS[design]}{caveat}. How sure we can be: {row['certainty_label']}."
    if _present(row["note"]):
        sentence += f" {row['note']}"
    return sentence


def _choose(
    value: str | Iterable[str] | None, known: list[str], error: type[ValueError], what: str
) -> list[str]:
    if value is None:
        return known
    if isinstance(value, str) or not isinstance(value, Iterable):
        chosen: list[object] = [value]
    else:
        chosen = list(value)
    unknown = [v for v in chosen if not isinstance(v, str) or v not in known]
    if unknown or not chosen:
        raise error(
            f"unknown {what} {display_value(unknown or chosen)}; use any of: {', '.join(known)}"
        )
    return [k for k in known if k in chosen]


def summarize_outcomes(
    outcome: str | Iterable[str] | None = None,
    options: str | Iterable[str] | None = None,
    *,
    kind: str | Iterable[str] | None = None,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Return the outcome figures as a tidy table, one row per figure, with a sentence each.

    Parameters
    ----------
    outcome : str or list of str, optional
        Outcome keys from ``outcome_definitions`` (``new_fracture``, ...); all by default.
    options : str or list of str, optional
        Option ids; all three by default.
    kind : str or list of str, optional
        Keep only these kinds (``frequency``, ``mean_difference``, ``mean``, ``not_available``).
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.DataFrame
        The columns of ``outcome_figures`` plus ``label``, ``group``, ``event``,
        ``no_event`` (from the definitions), ``option_label``, ``not_affected``
        (denominator minus events), ``sham_controlled`` (bool), ``certainty_label``,
        ``figure`` (the figure in a few words) and ``sentence``. Rows are in outcome order, then option order.

    Raises
    ------
    UnknownTopicError, UnknownOptionError
        If an outcome or option is not in the knowledge base.
    """
    definitions = load_dataset("outcome_definitions", data_dir=data_dir)
    option_rows = load_dataset("options", data_dir=data_dir)
    outcomes = _choose(
        outcome, definitions["outcome"].astype(str).tolist(), UnknownTopicError, "outcome(s)"
    )
    chosen = _choose(
        options, option_rows["option_id"].astype(str).tolist(), UnknownOptionError, "option(s)"
    )
    full = _full_table(str(data_dir) if data_dir is not None else None, data_stamp(data_dir))
    kinds = _choose(
        kind, [str(k) for k in full["kind"].cat.categories], UnknownTopicError, "kind(s)"
    )
    keep = (
        full["outcome"].astype(str).isin(outcomes)
        & full["option_id"].astype(str).isin(chosen)
        & full["kind"].astype(str).isin(kinds)
    )
    return full[keep].reset_index(drop=True).copy()


@functools.lru_cache(maxsize=8)
def _full_table(data_dir: str | None, stamp: tuple[tuple[str, int, int], ...]) -> pd.DataFrame:
    """Every figure with its labels and sentence; built once per version of the data."""
    definitions = load_dataset("outcome_definitions", data_dir=data_dir)
    figures = load_dataset("outcome_figures", data_dir=data_dir)
    table = figures.merge(
        definitions.drop(columns=["question"]), on="outcome", how="left", validate="many_to_one"
    )
    labels = option_labels(data_dir=data_dir)
    table["option_label"] = table["option_id"].astype(str).map(labels).astype("str")
    table["not_affected"] = (table["denominator"] - table["events"]).astype("Float64")
    table["sham_controlled"] = (table["design"] == "sham_controlled_rct").astype(bool)
    table["certainty_label"] = table["certainty"].astype(str).str.replace("_", " ").astype("str")
    table = table.sort_values(["outcome", "option_id", "figure_id"]).reset_index(drop=True)
    table["figure"] = pd.Series([figure_text(row) for _, row in table.iterrows()], dtype="str")
    table["sentence"] = pd.Series(
        [describe_figure(row) for _, row in table.iterrows()], dtype="str"
    )
    return table


def outcome_sentences(
    outcome: str | Iterable[str] | None = None,
    options: str | Iterable[str] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> list[str]:
    """Plain-language sentences for the chosen outcomes and options, each led by its option."""
    table = summarize_outcomes(outcome, options, data_dir=data_dir)
    return [f"{row.option_label}: {row.sentence}" for row in table.itertuples(index=False)]


@dataclass(frozen=True)
class ChartText:
    """What a chart shows, in words: a short alt text and a long description with the numbers."""

    alt: str
    long: str

    def __str__(self) -> str:
        """Both texts, labelled, as a notebook prints them beside the chart."""
        return f"Alt text: {self.alt}\nIn words: {self.long}"


def figure_text(row: pd.Series) -> str:
    """The figure in a few words: "44 out of 100", "0.7 points on a 0-10 scale (−0.3 to 1.7)"."""
    kind = str(row["kind"])
    if kind == "not_available":
        return "no figure in our sources"
    if kind == "frequency":
        denominator = int(row["denominator"])
        if _present(row["events"]):
            return f"{round(float(row['events']))} out of {denominator} {_counted(row)}"
        return (
            f"between {_number(row['events_low'])} and {_number(row['events_high'])} "
            f"out of {denominator} {_counted(row)}"
        )
    text = f"{_number(row['value'])} {row['unit']}"
    if _present(row["low"]) and _present(row["high"]):
        text += f" ({_number(row['low'])} to {_number(row['high'])})"
    return text


def icon_array_text(figures: pd.DataFrame) -> ChartText:
    """Alt text and long description of :func:`kypho_aid.plotting.plot_icon_array` for ``figures``."""
    first = figures.iloc[0]
    parts = "; ".join(f"{row.option_label}: {figure_text(row)}" for _, row in figures.iterrows())
    alt = f"Pictures of people, one for each option, for {str(first['label']).lower()}. {parts}."
    long = " ".join(f"{row.option_label}: {row.sentence}" for _, row in figures.iterrows())
    long += (
        " In each picture, filled figures show the best guess. They are grouped at the top left."
        " Outlined figures show the rest of the likely range. Grey figures are all the rest."
    )
    return ChartText(alt, long)


def comparison_text(figures: pd.DataFrame) -> ChartText:
    """Alt text and long description of :func:`kypho_aid.plotting.plot_outcome_comparison`."""
    rows = figures[figures["kind"] != "not_available"]
    first = rows.iloc[0]
    unit = (
        f"people out of {int(first['denominator'])}"
        if first["kind"] == "frequency"
        else str(first["unit"])
    )
    marks = []
    for _, row in rows.iterrows():
        if row["kind"] == "frequency":
            marks.append(f"{row.option_label} {figure_text(row)}")
        else:
            interval = (
                f" (from {_number(row['low'])} to {_number(row['high'])})"
                if _present(row["low"])
                else ""
            )
            marks.append(f"{row.option_label} {_number(row['value'])}{interval}")
    alt = f"Chart of {str(first['label']).lower()} in {unit}: " + "; ".join(marks) + "."
    long = " ".join(f"{row.option_label}: {row.sentence}" for _, row in rows.iterrows())
    mcids = rows["mcid"].dropna().unique()
    if len(mcids):
        long += f" A dashed line marks the smallest difference people notice, {_number(mcids[0])} {unit}."
    return ChartText(alt, long)


def timeline_text(items: pd.DataFrame) -> ChartText:
    """Alt text and long description of :func:`kypho_aid.plotting.plot_timeline`."""
    timed = items[items["time_low"].notna()]
    steps = []
    for _, row in timed.iterrows():
        span = _number(row["time_low"])
        if _present(row["time_high"]):
            span += f" to {_number(row['time_high'])}"
        when = "before" if row["time_reference"] == "before_procedure" else "after"
        steps.append(f"{span} {row['time_unit']} {when}: {row['statement']}")
    alt = f"Timeline of {len(steps)} steps before and after the procedure, on an hour scale."
    return ChartText(alt, " ".join(f"{s}" for s in steps))


#: The three ways the risk explorer can show an outcome.
VIEWS = ("icons", "numbers", "words")


@dataclass(frozen=True, eq=False)
class RiskView:
    """Everything the risk explorer shows for one choice of outcome, options and view."""

    outcome: str
    options: tuple[str, ...]
    view: str
    figures: pd.DataFrame
    chart: str | None  # "icons", "comparison" or None when the view has no chart
    html: str
    text: ChartText | None


def _one_per_option(figures: pd.DataFrame) -> pd.DataFrame:
    """One figure per option, preferring the source that covers the most options (like with like)."""
    usable = figures[figures["kind"] != "not_available"]
    reach = usable.groupby("source_ids")["option_id"].nunique()
    rank = figures["source_ids"].map(reach).fillna(0)
    ordered = figures.assign(_reach=-rank).sort_values(["_reach", "figure_id"], kind="stable")
    chosen = ordered.drop_duplicates("option_id").drop(columns="_reach")
    return chosen.sort_values(["option_id", "figure_id"]).reset_index(drop=True)


def risk_view(
    outcome: str,
    options: str | Iterable[str] | None = None,
    view: str = "icons",
    *,
    data_dir: str | Path | None = None,
) -> RiskView:
    """Decide what the risk explorer shows: the logic behind the widget, without any widget.

    ``icons`` draws an icon array when every chosen option has one frequency with one
    denominator, else the point-and-interval chart; ``numbers`` is a table; ``words`` the
    sentences. Every view carries the certainty and design of each figure.
    """
    if not isinstance(view, str) or view not in VIEWS:
        raise UnknownTopicError(
            f"unknown view {display_value(view)}; use one of: {', '.join(VIEWS)}"
        )
    figures = summarize_outcomes(outcome, options, data_dir=data_dir)
    figures = _one_per_option(figures)
    chosen = tuple(figures["option_id"].astype(str))
    rows = []
    for _, row in figures.iterrows():
        if view == "words":
            rows.append(
                f"<p><strong>{html.escape(row.option_label)}:</strong> {html.escape(row.sentence)}</p>"
            )
        else:
            figure = str(row["figure"])
            rows.append(
                f"<tr><th scope='row'>{html.escape(row.option_label)}</th><td>{html.escape(figure)}</td>"
                f"<td>{html.escape(str(row['timepoint']))}</td><td>{html.escape(row.certainty_label)}</td>"
                f"<td>{html.escape(DESIGN_WORDS[str(row['design'])])}</td></tr>"
            )
    if view == "words":
        body = "".join(rows)
    else:
        body = (
            "<table><thead><tr><th scope='col'>Option</th><th scope='col'>Figure</th><th scope='col'>When</th>"
            "<th scope='col'>How sure</th><th scope='col'>Evidence</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
    chart: str | None = None
    text: ChartText | None = None
    if view == "icons":
        frequencies = figures[figures["kind"] == "frequency"]
        if len(frequencies) and frequencies["denominator"].nunique() == 1:
            chart, text = "icons", icon_array_text(figures)
        elif (figures["kind"] != "not_available").any() and figures.loc[
            figures["kind"] != "not_available", "unit"
        ].nunique() <= 1:
            chart, text = "comparison", comparison_text(figures)
    return RiskView(
        outcome, chosen, view, figures, chart, f'<div class="kypho-aid-risk">{body}</div>', text
    )


def study_table(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The studies behind the outcome figures: design, size, sham or not, funding and caveats.

    One row per source cited by ``outcome_figures``, in order of first citation:
    ``source_id``, ``citation``, ``kind`` (from the bibliography), ``design`` (of the source's
    own rows in ``outcomes``), ``sham_controlled``, ``patients`` (randomised or enrolled, where
    the evidence gives a number), ``certainty`` (the lowest graded level of its rows),
    ``funding`` (what the bibliography records, or that it records nothing) and ``notes``.
    """
    from kypho_aid.compare import bibliography

    figures = load_dataset("outcome_figures", data_dir=data_dir)
    outcomes = load_dataset("outcomes", data_dir=data_dir)
    sources = load_dataset("sources", data_dir=data_dir).set_index("source_id")
    cited = bibliography(figures["source_ids"], data_dir=data_dir)
    by_source = outcomes.assign(source_id=outcomes["source_ids"].str.split(";")).explode(
        "source_id"
    )
    rows = []
    for source_id, citation, kind in zip(
        cited["source_id"], cited["citation"], cited["kind"], strict=True
    ):
        own = by_source[by_source["source_id"] == source_id]
        designs = sorted({str(d) for d in own["design"]})
        graded = own.loc[own["certainty"] != "not_graded", "certainty"]
        sizes = own.loc[(own["topic"] == "trial_design") & own["value"].notna(), "value"]
        notes = sources.loc[source_id, "notes"]
        notes = "" if pd.isna(notes) else str(notes)
        industry = any(
            word in notes.lower() for word in ("industry", "medtronic", "kyphon", "device maker")
        )
        rows.append(
            {
                "source_id": source_id,
                "citation": citation,
                "kind": kind,
                "design": ", ".join(designs) or kind.replace("_", " "),
                "sham_controlled": "sham_controlled_rct" in designs,
                "patients": float(sizes.max()) if len(sizes) else float("nan"),
                "certainty": str(graded.min()) if len(graded) else "not graded",
                "funding": "industry (as recorded)" if industry else "not recorded in our sources",
                "notes": notes,
            }
        )
    return pd.DataFrame(rows).astype({"patients": "Float64"})
