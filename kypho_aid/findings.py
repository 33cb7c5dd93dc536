"""The summary of findings: each outcome as comparisons of two arms of one body of evidence.

Reads ``findings``, ``comparisons``, ``arms``, ``options`` and ``outcome_definitions`` and
returns a tidy table in GRADE / Cochrane summary-of-findings style: one row per comparison,
outcome, source and time point, ranked so the least biased evidence comes first
(sham-controlled, then randomised, then pooled non-randomised and observational; certainty
breaks ties). Every row says in words which arm did better, by how much and how sure we can
be. Only randomised rows may be drawn (:data:`DRAWABLE_DESIGNS`); observational figures always
carry :data:`CANNOT_SHOW_CAUSE`. Plain pandas; nothing here draws.

The words come from ``data/ui_text.csv``: ``finding.*`` (the statements, figures and
"which did better" sentences, each a whole template with its fills) and ``certainty.*`` (how
sure we can be), read once per version of the data and filled per finding.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kypho_aid._values import choose_ids, format_number, present, warn_deprecated
from kypho_aid.datasets import Stamp, data_key, load_dataset, option_labels
from kypho_aid.exceptions import UnknownTopicError
from kypho_aid.texts import TextTable, fill, text_table
from kypho_aid.validation import GRADE_LEVELS, GRADE_START

__all__ = [
    "DRAWABLE_DESIGNS",
    "arm_labels",
    "certainty_words",
    "comparison_label",
    "expected_certainty",
    "finding_arms",
    "finding_figure",
    "finding_statement",
    "format_number",
    "lead_finding",
    "one_finding",
    "pairwise_panels",
    "pick_lead",
    "summary_of_findings",
    "which_did_better",
]

#: Designs whose two arms may be drawn side by side (icon arrays, charts): randomised only.
DRAWABLE_DESIGNS = frozenset({"sham_controlled_rct", "pooled_rcts", "open_rct"})

#: The certainty levels that have words (``certainty.<level>``), best first.
_CERTAINTY_LEVELS = ("high", "moderate", "low", "very_low")


def _words(data_dir: str | Path | None) -> TextTable:
    """The texts this module tells findings with (``finding.*`` and ``certainty.*`` of
    ui_text.csv), at one version of the data: one look at the folder per call."""
    return text_table(data_dir=data_dir)


def certainty_words(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """How sure we can be, per GRADE certainty level (high to very low), in plain words:
    the texts ``certainty.<level>`` of ui_text.csv.

    Examples
    --------
    >>> certainty_words()["moderate"]
    'moderate. This is likely close to the truth'
    """
    return _certainty_words(_words(data_dir))


def _certainty_words(words: TextTable) -> dict[str, str]:
    return {level: fill(words, f"certainty.{level}") for level in _CERTAINTY_LEVELS}


def __getattr__(name: str) -> object:
    # the old constants, now read from data/ui_text.csv, answer with a DeprecationWarning
    if name == "CANNOT_SHOW_CAUSE":
        warn_deprecated(
            "findings.CANNOT_SHOW_CAUSE",
            "ui_text('finding.cannot_show_cause'), which reads data/ui_text.csv",
        )
        return fill(_words(None), "finding.cannot_show_cause")
    if name == "CERTAINTY_WORDS":
        warn_deprecated(
            "findings.CERTAINTY_WORDS", "certainty_words(), which reads data/ui_text.csv"
        )
        return _certainty_words(_words(None))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def expected_certainty(design: str, downgrades: int) -> str:
    """The GRADE level a design reaches after ``downgrades`` levels are taken off."""
    return GRADE_LEVELS[max(0, GRADE_START[design] - downgrades)]


def arm_labels(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """Every arm's name: the three options, the sham procedure and both procedures together."""
    return dict(_arm_labels(*data_key(data_dir)))


@functools.lru_cache(maxsize=8)
def _arm_labels(data_dir: str | None, stamp: Stamp) -> tuple[tuple[str, str], ...]:
    """:func:`arm_labels`, read once per version of the data."""
    arms = load_dataset("arms", data_dir=data_dir)
    labels = option_labels(data_dir=data_dir)
    labels.update(zip(arms["arm"].astype(str), arms["label"].astype(str), strict=True))
    return tuple(labels.items())


def comparison_label(first: str, second: str, *, data_dir: str | Path | None = None) -> str:
    """A comparison named by its arms: "Vertebroplasty vs a sham (fake) procedure"."""
    return _comparison_label(_words(data_dir), first, second)


def _comparison_label(words: TextTable, first: str, second: str) -> str:
    if not second:
        return fill(words, "finding.one_group", first=first)
    return fill(words, "finding.versus", first=first, second=second[:1].lower() + second[1:])


def which_did_better(row: pd.Series) -> str:
    """``intervention``, ``comparator``, ``neither`` (equal) or ``unknown`` for one finding."""
    kind = str(row["kind"])
    if kind == "single_group" or str(row.get("sign_reported")) == "no":
        return "unknown"
    if kind == "difference":
        gap = float(row["effect"])
    elif kind == "risk":
        gap = float(row["intervention_per"]) - float(row["comparator_per"])
    elif kind == "means":
        gap = float(row["intervention_value"]) - float(row["comparator_value"])
    else:  # counts
        gap = float(row["intervention_events"]) / float(row["intervention_total"]) - float(
            row["comparator_events"]
        ) / float(row["comparator_total"])
    if gap == 0:
        return "neither"
    lower_better = str(row["direction"]) == "lower_is_better"
    return "intervention" if (gap < 0) == lower_better else "comparator"


def _who(row: pd.Series, words: TextTable) -> str:
    """Who or what a rate counts: treated bones or people."""
    counted = "treated_bones" if row.get("counted") == "treated_bones" else "people"
    return fill(words, f"finding.{counted}")


def finding_figure(row: pd.Series, *, data_dir: str | Path | None = None) -> str:
    """The figures in a few words: "16 vs 25 out of 100 people", "−0.7 points (−1.7 to 0.3)"."""
    return _figure(row, _words(data_dir))


def _figure(row: pd.Series, words: TextTable) -> str:
    kind = str(row["kind"])
    if kind == "risk":
        return fill(
            words,
            "finding.figure_risk",
            first=format_number(row["intervention_per"]),
            second=format_number(row["comparator_per"]),
            denominator=int(row["denominator"]),
            counted=_who(row, words),
        )
    if kind == "counts":
        return fill(
            words,
            "finding.figure_counts",
            first_events=int(row["intervention_events"]),
            first_total=int(row["intervention_total"]),
            second_events=int(row["comparator_events"]),
            second_total=int(row["comparator_total"]),
        )
    if kind == "means":
        return fill(
            words,
            "finding.figure_means",
            first=format_number(row["intervention_value"]),
            second=with_unit(float(row["comparator_value"]), str(row["unit"])),
        )
    if kind == "difference":
        if present(row["low"]):
            return fill(
                words,
                "finding.figure_gap_interval",
                gap=format_number(row["effect"]),
                unit=row["unit"],
                low=format_number(row["low"]),
                high=format_number(row["high"]),
            )
        return fill(words, "finding.figure_gap", gap=format_number(row["effect"]), unit=row["unit"])
    if present(row["intervention_per"]):
        return fill(
            words,
            "finding.figure_one",
            count=format_number(row["intervention_per"]),
            denominator=int(row["denominator"]),
            counted=_who(row, words),
        )
    return fill(
        words,
        "finding.figure_range",
        low=format_number(row["per_low"]),
        high=format_number(row["per_high"]),
        denominator=int(row["denominator"]),
        counted=_who(row, words),
    )


def with_unit(value: float, unit: str) -> str:
    """A value with its unit: "27%" for a percentage, "40 minutes" otherwise."""
    return f"{format_number(value)}%" if unit == "%" else f"{format_number(value)} {unit}"


def _gap_unit(unit: str, words: TextTable) -> str:
    """The unit of a gap between two values: percentages differ by percentage points."""
    return fill(words, "finding.percentage_points") if unit == "%" else unit


def _gap_words(value: float, row: pd.Series, words: TextTable) -> str:
    """A signed gap on the measure's scale as "0.7 points less" or "5.2 points more"."""
    text_id = "finding.gap_less" if value < 0 else "finding.gap_more"
    return fill(words, text_id, gap=format_number(abs(value)), unit=row["unit"])


def better_words(row: pd.Series, *, data_dir: str | Path | None = None) -> str:
    """Which arm did better, in words, with whether chance could explain the gap: the cell a
    table of figures shows beside the numbers (``better`` as :func:`which_did_better` says)."""
    words = _words(data_dir)
    better = str(row["better"])
    if str(row["kind"]) == "counts":
        # as its statement says: counts too small for a rate name no winner (e.g. SF021)
        return fill(words, "finding.too_few")
    if better == "unknown":
        return fill(words, "finding.not_said")
    if better == "neither":
        return fill(words, "finding.neither")
    winner = str(row["intervention_label" if better == "intervention" else "comparator_label"])
    return " ".join([fill(words, "finding.did_better", option=winner), *_chance_words(row, words)])


#: The text that says whether chance could explain a gap, per value of ``chance``.
_CHANCE_TEXTS = {
    "could_be_chance": "finding.chance_could",
    "unlikely_chance": "finding.chance_unlikely",
    "not_tested": "finding.chance_not_tested",
}


def _chance_words(row: pd.Series, words: TextTable) -> list[str]:
    """Whether chance could explain the gap, as a sentence (none where the data does not say)."""
    text_id = _CHANCE_TEXTS.get(str(row.get("chance")))
    return [] if text_id is None else [fill(words, text_id)]


def finding_statement(
    row: pd.Series,
    *,
    brief: bool = False,
    certainty: bool = True,
    data_dir: str | Path | None = None,
) -> str:
    """One finding in plain words: both arms, which did better and by how much, certainty.

    ``brief`` leaves out the interval, the threshold and the caveat note (for print), never
    the arms, the winner, the chance wording or the no-cause warning. ``certainty=False``
    leaves out the closing "How sure we can be" sentence, for a view that shows the certainty
    beside the words (an outcome tile's badge).
    """
    return _statement(row, _words(data_dir), brief=brief, certainty=certainty)


def _statement(row: pd.Series, words: TextTable, *, brief: bool, certainty: bool) -> str:
    kind = str(row["kind"])
    first, second = str(row["intervention_label"]), str(row["comparator_label"])
    measure, when = str(row["measure"]), str(row["timepoint"])
    opening = measure[0].upper() + measure[1:]
    better = str(row["better"])
    winner = {"intervention": first, "comparator": second}.get(better)
    parts: list[str]
    if kind == "single_group":
        figure = _figure(row, words)
        parts = [
            fill(
                words,
                "finding.single_group",
                option=first,
                figure=figure,
                measure=measure,
                when=when,
            )
        ]
    elif kind == "risk":
        per = int(row["denominator"])
        a, b = float(row["intervention_per"]), float(row["comparator_per"])
        parts = [
            fill(
                words,
                "finding.risk",
                measure=opening,
                when=when,
                first_count=format_number(a),
                denominator=per,
                counted=_who(row, words),
                first=first.lower(),
                second_count=format_number(b),
                second=second.lower(),
            )
        ]
        if winner:
            by = format_number(abs(a - b))
            parts.append(fill(words, "finding.risk_better", option=winner, gap=by, denominator=per))
        else:
            parts.append(fill(words, "finding.same"))
        if present(row["effect"]) and present(row["low"]) and not brief:
            parts.append(
                fill(
                    words,
                    "finding.risk_interval",
                    low=format_number(row["low"]),
                    high=format_number(row["high"]),
                    denominator=per,
                )
            )
    elif kind == "counts":
        parts = [
            fill(
                words,
                "finding.counts",
                measure=opening,
                when=when,
                first_events=int(row["intervention_events"]),
                first_total=int(row["intervention_total"]),
                first=first.lower(),
                second_events=int(row["comparator_events"]),
                second_total=int(row["comparator_total"]),
                second=second.lower(),
            )
        ]
    elif kind == "means":
        unit = str(row["unit"])
        parts = [
            fill(
                words,
                "finding.means",
                measure=opening,
                when=when,
                first_value=with_unit(float(row["intervention_value"]), unit),
                first=first.lower(),
                second_value=with_unit(float(row["comparator_value"]), unit),
                second=second.lower(),
            )
        ]
        gap = float(row["intervention_value"]) - float(row["comparator_value"])
        parts.append(
            fill(
                words,
                "finding.means_better",
                option=winner,
                gap=format_number(abs(gap)),
                unit=_gap_unit(unit, words),
            )
            if winner
            else fill(words, "finding.same")
        )
    else:  # difference
        effect = float(row["effect"])
        if better == "unknown":
            parts = [
                fill(
                    words,
                    "finding.gap_unknown",
                    measure=opening,
                    when=when,
                    gap=format_number(abs(effect)),
                    unit=row["unit"],
                )
            ]
        else:
            arms = {
                "measure": opening,
                "when": when,
                "gap": _gap_words(effect, row, words),
                "first": first.lower(),
                "second": second.lower(),
            }
            parts = [
                fill(words, "finding.gap", option=winner.lower(), **arms)
                if winner
                else fill(words, "finding.gap_neither", **arms)
            ]
        if present(row["low"]) and not brief:
            parts.append(
                fill(
                    words,
                    "finding.gap_interval",
                    low=_gap_words(float(row["low"]), row, words),
                    high=_gap_words(float(row["high"]), row, words),
                )
            )
    if kind != "single_group" and kind != "counts":
        parts += _chance_words(row, words)
    if present(row["threshold"]) and not brief:
        within = row["threshold_kind"] == "within_patient"
        parts.append(
            fill(
                words,
                "finding.threshold_within" if within else "finding.threshold_between",
                threshold=format_number(row["threshold"]),
                unit=row["unit"],
            )
        )
    if str(row["design"]) not in DRAWABLE_DESIGNS:
        parts.append(fill(words, "finding.cannot_show_cause"))
    # counts too small for a rate name no winner; their note says what they show, so a brief
    # telling keeps it (a tile or the handout would otherwise end on the counts alone)
    if present(row["note"]) and str(row["note"]) and (not brief or kind == "counts"):
        parts.append(str(row["note"]))
    if certainty:
        level = str(row["certainty"])
        sure = level.replace("_", " ") if brief else fill(words, f"certainty.{level}")
        parts.append(fill(words, "certainty.how_sure", certainty=sure))
    return " ".join(parts)


@functools.lru_cache(maxsize=8)
def _full_table(data_dir: str | None, stamp: Stamp) -> pd.DataFrame:
    """Every finding, labelled, ranked and worded; built once per version of the data."""
    findings = load_dataset("findings", data_dir=data_dir)
    comparisons = load_dataset("comparisons", data_dir=data_dir)
    definitions = load_dataset("outcome_definitions", data_dir=data_dir)
    labels = arm_labels(data_dir=data_dir)
    words = text_table(data_dir=data_dir)
    table = findings.merge(
        comparisons,
        on="comparison",
        how="left",
        validate="many_to_one",
    ).merge(
        definitions[["outcome", "label", "group"]].rename(columns={"label": "outcome_label"}),
        on="outcome",
        how="left",
        validate="many_to_one",
    )
    table["intervention"] = table["intervention"].astype(str)
    table["comparator"] = table["comparator"].astype(str)
    table["intervention_label"] = table["intervention"].map(labels).astype("str")
    table["comparator_label"] = table["comparator"].map(labels).fillna("").astype("str")
    table["comparison_label"] = [
        _comparison_label(words, first, second)
        for first, second in zip(
            table["intervention_label"], table["comparator_label"], strict=True
        )
    ]
    table["drawable"] = (
        table["design"].astype(str).isin(DRAWABLE_DESIGNS)
        & table["kind"].astype(str).isin(["risk", "difference", "means"])
    ).astype(bool)
    design_rank = table["design"].cat.codes
    certainty_rank = (
        table["certainty"]
        .astype(str)
        .map(lambda level: len(GRADE_LEVELS) - 1 - GRADE_LEVELS.index(level))
    )
    table["rank"] = (design_rank * 10 + certainty_rank).astype(int)
    table = table.sort_values(["outcome", "rank", "finding_id"], kind="stable").reset_index(
        drop=True
    )
    table["better"] = pd.Series([which_did_better(r) for _, r in table.iterrows()], dtype="str")
    rows = [r for _, r in table.iterrows()]
    table["figure"] = pd.Series([_figure(r, words) for r in rows], dtype="str")
    table["statement"] = pd.Series(
        [_statement(r, words, brief=False, certainty=True) for r in rows], dtype="str"
    )
    table["brief"] = pd.Series(
        [_statement(r, words, brief=True, certainty=True) for r in rows], dtype="str"
    )
    table["glance"] = pd.Series(  # brief, its certainty told by a badge beside it
        [_statement(r, words, brief=True, certainty=False) for r in rows], dtype="str"
    )
    return table


def summary_of_findings(
    outcome: str | Iterable[str] | None = None,
    comparison: str | Iterable[str] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Return the summary of findings as a tidy table, least biased evidence first.

    Parameters
    ----------
    outcome : str or list of str, optional
        Outcome keys of ``outcome_definitions`` (``new_fracture``, ...); all by default.
    comparison : str or list of str, optional
        Comparison keys of ``comparisons`` (``vp_vs_sham``, ``kp_vs_vp``, ...); all by default.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.DataFrame
        One row per finding, ranked within each outcome (``rank``: lower is less biased).
        Columns include ``comparison``, ``intervention``, ``comparator``, ``outcome``,
        ``design``, ``studies``, ``participants``, ``timepoint``, ``effect``, ``low``,
        ``high``, ``unit``, ``direction``, ``certainty``, ``downgrades``, ``source_ids``, the
        arms' figures (``intervention_per``, ``comparator_per``, ``denominator``,
        ``intervention_value``, ``comparator_value``), ``better`` (which arm did better),
        ``drawable`` (randomised, so it may be drawn), ``figure`` and ``statement`` (words).

    Raises
    ------
    UnknownTopicError
        If an outcome or comparison is not in the knowledge base.
    """
    folder, stamp = data_key(data_dir)
    known_outcomes, known_comparisons = _known_ids(folder, stamp)
    outcomes = choose_ids(outcome, list(known_outcomes), "outcome(s)", UnknownTopicError)
    chosen = choose_ids(comparison, list(known_comparisons), "comparison(s)", UnknownTopicError)
    return _selected(folder, stamp, tuple(outcomes), tuple(chosen)).copy()


@functools.lru_cache(maxsize=8)
def _known_ids(data_dir: str | None, stamp: Stamp) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every outcome and every comparison, in the order of their files; once per data version."""
    definitions = load_dataset("outcome_definitions", data_dir=data_dir)
    comparisons = load_dataset("comparisons", data_dir=data_dir)
    return (
        tuple(definitions["outcome"].astype(str)),
        tuple(comparisons["comparison"].astype(str)),
    )


@functools.lru_cache(maxsize=256)
def _selected(
    data_dir: str | None,
    stamp: Stamp,
    outcomes: tuple[str, ...],
    comparisons: tuple[str, ...],
) -> pd.DataFrame:
    """The rows of the full table for these outcomes and comparisons; callers get a copy.

    The views ask for the same few selections over and over (the risk explorer, its panels,
    the readability report), so each is filtered once per version of the data.
    """
    full = _full_table(data_dir, stamp)
    keep = full["outcome"].astype(str).isin(outcomes) & full["comparison"].astype(str).isin(
        comparisons
    )
    return full[keep].reset_index(drop=True)


def pick_lead(rows: pd.DataFrame) -> pd.Series | None:
    """The finding to lead with among ranked rows: the least biased one that can be shown as
    a picture (a randomised risk, difference or pair of means whose direction is known), else
    the least biased of all, else None."""
    shown = (rows["drawable"] & (rows["better"] != "unknown")).to_numpy(dtype=bool)
    if shown.any():  # the first such row itself: filtering the whole table first costs more
        return rows.iloc[int(shown.argmax())]
    return None if rows.empty else rows.iloc[0]


def lead_finding(
    outcome: str, comparison: str | None = None, *, data_dir: str | Path | None = None
) -> pd.Series | None:
    """The finding an outcome leads with (in one comparison if given): its least biased one
    (rule 8), whether or not a picture can show it, as a tile, the handout and the note tell
    it in words. A picture takes the least biased one it can show (:func:`pick_lead`)."""
    rows = summary_of_findings(outcome, comparison, data_dir=data_dir)
    return None if rows.empty else rows.iloc[0]


def pairwise_panels(outcome: str, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The three-option view: per pairwise comparison, the finding it leads with or none.

    Each panel leads by the rule every view of one finding follows (:func:`pick_lead`), so a
    panel and the risk explorer for that comparison show the same finding.

    One row per pairwise comparison in ``comparisons`` order with ``comparison``,
    ``comparison_label``, ``finding_id`` (empty where no study compared the two) and
    ``randomised`` (whether that finding comes from a randomised design).
    """
    if not isinstance(outcome, str):  # several outcomes: a list is no cache key, so built anew
        return _pairwise_panels(outcome, data_key(data_dir)[0])
    return _cached_panels(outcome, *data_key(data_dir)).copy()


@functools.lru_cache(maxsize=64)
def _cached_panels(outcome: str, data_dir: str | None, stamp: Stamp) -> pd.DataFrame:
    """:func:`pairwise_panels`, built once per outcome and version of the data."""
    return _pairwise_panels(outcome, data_dir)


def _pairwise_panels(outcome: str, data_dir: str | None) -> pd.DataFrame:
    comparisons = load_dataset("comparisons", data_dir=data_dir)
    labels = arm_labels(data_dir=data_dir)
    words = _words(data_dir)
    wide = summary_of_findings(outcome, data_dir=data_dir)
    # only the columns the rule and the panel read: filtering the wide table is the cost here
    rows = wide[["comparison", "finding_id", "design", "drawable", "better"]]
    panels = []
    for _, comparison in comparisons[comparisons["pairwise"] == "yes"].iterrows():
        first = pick_lead(rows[rows["comparison"] == comparison["comparison"]])
        panels.append(
            {
                "comparison": str(comparison["comparison"]),
                "comparison_label": _comparison_label(
                    words,
                    labels[str(comparison["intervention"])],
                    labels[str(comparison["comparator"])],
                ),
                "finding_id": "" if first is None else str(first["finding_id"]),
                "randomised": bool(first is not None and first["design"] in DRAWABLE_DESIGNS),
            }
        )
    return pd.DataFrame(panels)


def one_finding(finding: pd.Series | pd.DataFrame) -> pd.Series:
    """The one finding a picture shows: a picture never sets side by side the arms of
    different rows.

    Raises
    ------
    UnknownTopicError
        If ``finding`` is a table of other than one row.
    """
    if isinstance(finding, pd.DataFrame):
        if len(finding) != 1:
            raise UnknownTopicError(
                "a picture shows the arms of one finding (one comparison, time and measure); "
                f"got {len(finding)} rows"
            )
        return finding.iloc[0]
    return finding


def finding_arms(finding: pd.Series, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The arms of one finding as rows (``arm``, ``arm_label``, ``per``, ``per_low``,
    ``per_high``, ``denominator``, ``counted``, ``value``): what one picture of it shows."""
    counted = _who(finding, _words(data_dir))
    arms = [("intervention", str(finding["intervention"]), str(finding["intervention_label"]))]
    if str(finding["comparator"]) != "none":
        arms.append(("comparator", str(finding["comparator"]), str(finding["comparator_label"])))
    rows = []
    for side, arm, label in arms:
        single = side == "intervention" and str(finding["kind"]) == "single_group"
        rows.append(
            {
                "finding_id": str(finding["finding_id"]),
                "arm": arm,
                "arm_label": label,
                "per": finding[f"{side}_per"],
                "per_low": finding["per_low"] if single else float("nan"),
                "per_high": finding["per_high"] if single else float("nan"),
                "denominator": finding["denominator"],
                "counted": counted,
                "value": finding[f"{side}_value"],
            }
        )
    return pd.DataFrame(rows)
