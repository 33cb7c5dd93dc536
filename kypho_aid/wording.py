"""A finding told in words: the GRADE-style statement, the figures, which arm did better, and
how sure we can be.

Every sentence is a whole template of ``data/ui_text.csv`` (``finding.*`` for statements,
figures and "which did better", ``certainty.*`` for how sure we can be), filled per finding
from one version of the data (:func:`kypho_aid.texts.text_table`). A figure from a design
where chance did not decide who got which care always carries the caveat that it cannot show
cause. :mod:`kypho_aid.findings` builds the summary of findings with these; plain pandas.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kypho_aid._values import format_number, present
from kypho_aid.texts import TextTable, fill, text_table

__all__ = [
    "DRAWABLE_DESIGNS",
    "better_words",
    "certainty_words",
    "chance_words",
    "comparison_label",
    "counted_label",
    "finding_figure",
    "finding_statement",
    "which_did_better",
    "with_unit",
]

#: Designs whose two arms may be drawn side by side (icon arrays, charts): randomised only.
DRAWABLE_DESIGNS = frozenset({"sham_controlled_rct", "pooled_rcts", "open_rct"})

#: The certainty levels that have words (``certainty.<level>``), best first.
_CERTAINTY_LEVELS = ("high", "moderate", "low", "very_low")


def _words(data_dir: str | Path | None, texts: TextTable | None = None) -> TextTable:
    """The texts to word findings with: ``texts`` as a caller read them once for many
    findings (:func:`kypho_aid.texts.text_table`), else the data folder's, read now."""
    return texts if texts is not None else text_table(data_dir=data_dir)


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


def comparison_label(
    first: str,
    second: str,
    *,
    data_dir: str | Path | None = None,
    texts: TextTable | None = None,
) -> str:
    """A comparison named by its arms: "Vertebroplasty vs a sham (fake) procedure".

    Here and below, ``texts`` are the texts a caller that words many findings read once
    (:func:`kypho_aid.texts.text_table`); by default those of ``data_dir``, read now."""
    return _comparison_label(_words(data_dir, texts), first, second)


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


def counted_label(
    row: pd.Series, *, data_dir: str | Path | None = None, texts: TextTable | None = None
) -> str:
    """Who or what a finding's rate counts, in words: treated bones or people."""
    return _who(row, _words(data_dir, texts))


def _who(row: pd.Series, words: TextTable) -> str:
    counted = "treated_bones" if row.get("counted") == "treated_bones" else "people"
    return fill(words, f"finding.{counted}")


def finding_figure(
    row: pd.Series, *, data_dir: str | Path | None = None, texts: TextTable | None = None
) -> str:
    """The figures in a few words: "16 vs 25 out of 100 people", "−0.7 points (−1.7 to 0.3)"."""
    return _figure(row, _words(data_dir, texts))


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


def chance_words(
    row: pd.Series, *, data_dir: str | Path | None = None, texts: TextTable | None = None
) -> list[str]:
    """Whether chance could explain a finding's gap, as a sentence (none where the data does
    not say); ``texts``: as :func:`comparison_label`."""
    return _chance_words(row, _words(data_dir, texts))


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
    texts: TextTable | None = None,
) -> str:
    """One finding in plain words: both arms, which did better and by how much, certainty.

    ``brief`` leaves out the interval, the threshold and the caveat note (for print), never
    the arms, the winner, the chance wording or the no-cause warning. ``certainty=False``
    leaves out the closing "How sure we can be" sentence, for a view that shows the certainty
    beside the words (an outcome tile's badge). ``texts``: as :func:`comparison_label`.
    """
    return _statement(row, _words(data_dir, texts), brief=brief, certainty=certainty)


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
