"""Charts: icon arrays, outcome comparisons, the procedure-day timeline and risk views.

Every function draws on the Axes it is given (or a new one), returns that Axes, and never
shows or saves (but :func:`show_risk_view`, for notebooks). Colours, markers and sizes come
from :mod:`kypho_aid.style`. Each artist carries a ``gid`` (``filled-kyphoplasty``, ...) so
that tests can count icons instead of comparing pixels. Alt text and long descriptions come
from :func:`kypho_aid.outcomes.chart_text`. The words drawn on the charts come from
``data/ui_text.csv`` (``chart.*`` and ``timeline.*``), looked up in the knowledge base each
function is given (``data_dir``, by default :func:`kypho_aid.data_dir`).
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath

from kypho_aid import style
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.findings import finding_arms, format_number, one_finding
from kypho_aid.outcomes import RiskView, risk_view
from kypho_aid.plotting._base import axes_for, draw_figure, figure_png, fit_title, theme
from kypho_aid.texts import ui_text

__all__ = [
    "PERSON_MARKER",
    "plot_icon_array",
    "plot_outcome_comparison",
    "plot_risk_view",
    "plot_timeline",
    "render_png",
    "show_risk_view",
]


def _person_marker() -> MplPath:
    """A person icon: a round head over a rounded body, as one filled path."""
    head = MplPath.circle(center=(0.0, 0.62), radius=0.2)
    body = MplPath(
        [
            (-0.32, -0.75),
            (-0.32, 0.1),
            (-0.2, 0.34),
            (0.2, 0.34),
            (0.32, 0.1),
            (0.32, -0.75),
            (-0.32, -0.75),
        ],
        [MplPath.MOVETO, *[MplPath.LINETO] * 5, MplPath.CLOSEPOLY],
    )
    return MplPath.make_compound_path(head, body)


PERSON_MARKER = _person_marker()


def _icon_positions(denominator: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Centres of one arm's icons in fill order (x right, y down from 0) and the arm's width.

    Icons come in square blocks of 100 (``style.ICON_BLOCK_SIDE`` a side), filled row by row
    from the top left; a denominator of 1000 is ten blocks, ``style.RARE_BLOCKS_PER_ROW`` to
    a row, filled block after block. Gaps of ``style.ICON_BLOCK_GAP`` separate the blocks.
    """
    side = style.ICON_BLOCK_SIDE
    per_block = side * side
    blocks = max(1, denominator // per_block)
    across = min(blocks, style.RARE_BLOCKS_PER_ROW)
    index = np.arange(denominator)
    block, within = np.divmod(index, per_block)
    block_row, block_col = np.divmod(block, across)
    row, col = np.divmod(within, side)
    gap = style.ICON_BLOCK_GAP
    xs = block_col * (side + gap) + col
    ys = -(block_row * ((side - 1) * style.ICON_ROW_STEP + style.ICON_ROW_STEP + gap))
    ys = ys - row * style.ICON_ROW_STEP
    return xs.astype(float), ys.astype(float), across * side + (across - 1) * gap


def _arm_color(arm: str) -> str:
    return style.ARM_COLORS[arm]


def plot_icon_array(
    finding: pd.Series | pd.DataFrame,
    *,
    ax: Axes | None = None,
    data_dir: str | Path | None = None,
) -> Axes:
    """Draw the two arms of one randomised finding as icon arrays with one denominator.

    Parameters
    ----------
    finding : pandas.Series or one-row pandas.DataFrame
        A ``risk`` row of :func:`kypho_aid.summary_of_findings` from a randomised design.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made otherwise.
    data_dir : str or Path, optional
        Knowledge-base folder of the chart's words (``chart.*`` in ``ui_text.csv``);
        defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Filled icons in the arm's colour are the people with the outcome and sit together from
    the top left; grey icons are everyone else. Each arm is labelled under its picture with
    "N out of <denominator>", and both arms share one denominator.

    People are drawn in square blocks of 100 (10 by 10). A rare outcome, told per 1000, is
    ten such blocks per arm, in two rows of five with a gap between blocks, the two arms side
    by side: so the picture still shows all 1000 people (the whole is what makes a rare risk
    look rare), while the blocks give the eye a unit to count in, and the icons are as large as
    the figure's width allows (about 9 pixels apart at ``style.RARE_ICON_ARRAY_SIZE``, against
    7 for one undivided 25-by-40 grid), so that one person with the outcome can be picked out.
    A zoomed panel of the first 100 was not used: it would put a second denominator on the
    chart. Each class of icon (filled, grey) of each arm is one scatter of vector markers,
    not one patch per person, which keeps a redraw fast. The title wraps to the figure's
    width. Observational or pooled non-randomised findings are refused: they are told in words.
    """

    row = one_finding(finding)
    if str(row["kind"]) != "risk" or not bool(row["drawable"]):
        raise KyphoAidError(
            f"finding {row['finding_id']} is not a randomised risk, so it is told in words, "
            "not drawn as icons"
        )
    arms = finding_arms(row)
    denominator = int(row["denominator"])
    rare = denominator > style.ICON_BLOCK_SIDE**2
    ax = axes_for(ax, style.RARE_ICON_ARRAY_SIZE if rare else style.ICON_ARRAY_SIZE, laid_out=True)
    key = 1000 if rare else 100
    size, width = style.ICON_MARKER_SIZE[key], style.ICON_LINE_WIDTH[key]
    xs, ys, arm_width = _icon_positions(denominator)
    step = arm_width + style.ICON_ARM_GAP[key]
    bottom = float(ys.min())
    for block, arm in enumerate(arms.itertuples()):
        color = _arm_color(str(arm.arm))
        offset = block * step
        per = float(cast("float", arm.per))
        filled = round(per)
        parts = {
            "filled": (slice(0, filled), color, color),
            "unaffected": (
                slice(filled, denominator),
                style.UNAFFECTED_COLOR,
                style.ICON_EDGE_COLOR,
            ),
        }
        for part, (where, face, edge) in parts.items():
            ax.scatter(
                xs[where] + offset,
                ys[where],
                s=size,
                marker=PERSON_MARKER,
                facecolors=face,
                edgecolors=edge,
                linewidths=width,
                gid=f"{part}-{arm.arm}",
            )
        ax.annotate(
            ui_text(
                "chart.icon_arm",
                data_dir=data_dir,
                arm=arm.arm_label,
                count=format_number(per),
                denominator=denominator,
                counted=arm.counted,
            ),
            (offset + (arm_width - 1) / 2, bottom - style.ICON_ROW_STEP / 2),
            xytext=(0, -4),
            textcoords="offset points",
            ha="center",
            va="top",
            color=style.TEXT_COLOR,
            gid=f"label-{arm.arm}",
        )
    ax.set_xlim(-1, len(arms) * step - style.ICON_ARM_GAP[key])
    ax.set_ylim(bottom - style.ICON_ROW_STEP / 2, style.ICON_ROW_STEP / 2 + 0.2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fit_title(
        ax,
        ui_text(
            "chart.icon_title",
            data_dir=data_dir,
            measure=str(row["measure"]).capitalize(),
            comparison=str(row["comparison_label"]).lower(),
            timepoint=row["timepoint"],
            study=row["study"],
        ),
    )
    return ax


def _benefit(value: float, row: pd.Series) -> float:
    """A difference turned so that above zero means the first arm did better."""
    return -value if str(row["direction"]) == "lower_is_better" else value


def plot_outcome_comparison(
    findings: pd.DataFrame, *, ax: Axes | None = None, data_dir: str | Path | None = None
) -> Axes:
    """Draw randomised findings of one comparison: gaps with intervals, or one pair of means.

    Parameters
    ----------
    findings : pandas.DataFrame
        Rows of :func:`kypho_aid.summary_of_findings`: either ``difference`` rows of one
        comparison on one unit (one line per study and time point, turned so that marks to the
        right favour the first arm, with both sides labelled), or a single ``means`` row
        (its two arms as bars).
    ax : matplotlib.axes.Axes, optional
    data_dir : str or Path, optional
        Knowledge-base folder of the chart's words (``chart.*`` in ``ui_text.csv``);
        defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    rows = findings.reset_index(drop=True)
    if rows.empty or not rows["drawable"].all():
        raise KyphoAidError("only randomised findings are drawn; tell the others in words")
    if rows["comparison"].nunique() != 1 or rows["unit"].nunique() != 1:
        raise KyphoAidError("one chart shows one comparison on one unit")
    first = rows.iloc[0]
    ax = axes_for(ax, style.CHART_SIZE)
    if (rows["kind"] == "means").any():
        row = one_finding(rows)
        arms = [
            (
                str(row["intervention"]),
                str(row["intervention_label"]),
                float(row["intervention_value"]),
            ),
            (str(row["comparator"]), str(row["comparator_label"]), float(row["comparator_value"])),
        ]
        for y, (arm, _label, value) in enumerate(arms[::-1]):
            ax.barh(y, value, color=_arm_color(arm), edgecolor=style.TEXT_COLOR, gid=f"bar-{arm}")
            ax.text(
                value,
                y,
                f" {format_number(value)}",
                va="center",
                ha="left" if value >= 0 else "right",
            )
        ax.set_yticks(range(2), [a[1] for a in arms[::-1]])
        ax.axvline(0, color=style.MUTED_TEXT_COLOR, linewidth=1)
        lower = str(row["direction"]) == "lower_is_better"
        axis = "chart.means_axis_lower" if lower else "chart.means_axis_higher"
        ax.set_xlabel(ui_text(axis, data_dir=data_dir, unit=row["unit"]))
        fit_title(
            ax,
            ui_text(
                "chart.means_title",
                data_dir=data_dir,
                measure=row["measure"],
                comparison=str(row["comparison_label"]).lower(),
                timepoint=row["timepoint"],
            ),
        )
        return ax
    if (rows["better"] == "unknown").any():
        raise KyphoAidError(
            "a gap whose direction our source does not give cannot be drawn; tell it in words"
        )
    for index, row in rows.iterrows():
        position = len(rows) - 1 - int(str(index))
        point = _benefit(float(row["effect"]), row)
        color = _arm_color(str(row["intervention"]))
        if pd.notna(row["low"]):
            ends = sorted((_benefit(float(row["low"]), row), _benefit(float(row["high"]), row)))
            ax.plot(
                ends,
                [position] * 2,
                color=color,
                linewidth=2.2,
                solid_capstyle="butt",
                gid=f"interval-{row['finding_id']}",
            )
        ax.plot(
            [point],
            [position],
            marker="s",
            markersize=8,
            linestyle="none",
            color=color,
            markeredgecolor=style.TEXT_COLOR,
            gid=f"estimate-{row['finding_id']}",
        )
    labels = [
        ui_text(
            "chart.gap_row",
            data_dir=data_dir,
            study=r.study,
            timepoint=r.timepoint,
            measure=r.measure,
        )
        for r in rows.itertuples()
    ]
    ax.set_yticks(range(len(rows)), labels[::-1])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.axvline(0, color=style.MUTED_TEXT_COLOR, linewidth=1, gid="no-difference")
    reach = (
        max(
            1.0,
            *(
                abs(_benefit(float(v), r))
                for _, r in rows.iterrows()
                for v in (r["low"], r["high"], r["effect"])
                if pd.notna(v)
            ),
        )
        * 1.15
    )
    ax.set_xlim(-reach, reach)
    ax.set_xlabel(ui_text("chart.gap_axis", data_dir=data_dir, unit=first["unit"]))
    for x, align, words in (
        (
            0.0,
            "left",
            ui_text("chart.left_better", data_dir=data_dir, option=first["comparator_label"]),
        ),
        (
            1.0,
            "right",
            ui_text("chart.right_better", data_dir=data_dir, option=first["intervention_label"]),
        ),
    ):
        ax.text(
            x,
            1.01,
            words,
            transform=ax.transAxes,
            ha=align,
            va="bottom",
            color=style.TEXT_COLOR,
            gid=f"favours-{align}",
        )
    ax.set_title(f"{first['comparison_label']}\n", loc="left")
    return ax


_HOURS = {"minutes": 1 / 60, "hours": 1.0, "days": 24.0, "weeks": 168.0}


def _short(text: str, limit: int = 52) -> str:
    """The first sentence of ``text``, cut at a word boundary."""
    sentence = text.split(". ")[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + "…"


def plot_timeline(
    items: pd.DataFrame, *, ax: Axes | None = None, data_dir: str | Path | None = None
) -> Axes:
    """Draw the stated times before and after the procedure on a shared hour scale.

    Parameters
    ----------
    items : pandas.DataFrame
        Rows of the ``preparation_recovery`` dataset with a ``time_low`` (others are skipped).
    ax : matplotlib.axes.Axes, optional
    data_dir : str or Path, optional
        Knowledge-base folder of the chart's words (``timeline.*`` in ``ui_text.csv``);
        defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    matplotlib.axes.Axes
        Times before the procedure are negative hours; the procedure is at zero.
    """
    timed = items[items["time_low"].notna()].reset_index(drop=True)
    if timed.empty:
        raise KyphoAidError("no item states a time")
    ax = axes_for(ax, style.TIMELINE_SIZE)
    color = style.PROCEDURE_COLORS["kyphoplasty"]
    for y, row in timed.iterrows():
        factor = _HOURS[str(row["time_unit"])]
        low = float(row["time_low"]) * factor
        high = float(row["time_high"]) * factor if pd.notna(row["time_high"]) else low
        if row["time_reference"] == "before_procedure":
            low, high = -high, -low
            if low == high:
                high = 0.0  # "at least 8 hours before" runs up to the procedure
        position = len(timed) - 1 - int(cast("int", y))  # a RangeIndex label
        ax.plot(
            [low, high],
            [position, position],
            color=color,
            linewidth=6,
            solid_capstyle="butt",
            gid=f"span-{row['item_id']}",
        )
        ax.plot(
            [low, high],
            [position, position],
            marker=style.PROCEDURE_MARKERS["kyphoplasty"],
            markersize=5,
            linestyle="none",
            color=style.TEXT_COLOR,
        )
    ax.axvline(0, color=style.TEXT_COLOR, linewidth=1.2, gid="procedure")
    ax.set_xscale("symlog", linthresh=1)
    ticks = {  # hours -> the tick's words in ui_text.csv
        -8: "timeline.tick_before_8h",
        0: "timeline.tick_procedure",
        1: "timeline.tick_after_1h",
        3: "timeline.tick_after_3h",
        24: "timeline.tick_after_1d",
        48: "timeline.tick_after_2d",
        168: "timeline.tick_after_1w",
    }
    words = {hours: ui_text(text_id, data_dir=data_dir) for hours, text_id in ticks.items()}
    words[48] = "\n" + words[48]  # layout, not words: "2 days" drops a line to clear "1 day"
    ax.set_xticks(list(words), list(words.values()))
    ax.set_xlabel(ui_text("timeline.axis", data_dir=data_dir))
    ax.set_yticks(range(len(timed)), [_short(str(r.statement)) for r in timed.itertuples()][::-1])
    ax.set_title(ui_text("timeline.title", data_dir=data_dir), loc="left")
    return ax


def show_risk_view(outcome: str, *, data_dir: str | Path | None = None) -> None:
    """In a notebook: draw the least biased finding of an outcome that a picture can show, in
    the house theme, then print the picture's alt text and long description. Where a fairer
    test cannot be drawn (rule 8), that test is printed first, in words."""
    view = risk_view(outcome, data_dir=data_dir)
    with theme():
        plot_risk_view(view, data_dir=data_dir)
        plt.show()
    if not view.finding_is_fairest:
        fairest = view.figures.iloc[0]
        print(
            ui_text(
                "risk.fairest_in_words",
                comparison=fairest["comparison_label"],
                statement=fairest["statement"],
                data_dir=data_dir,
            )
        )
    print(view.text)


def plot_risk_view(
    view: object, *, ax: Axes | None = None, data_dir: str | Path | None = None
) -> Axes:
    """Draw the chart a :class:`kypho_aid.outcomes.RiskView` calls for (icon array or comparison).

    ``data_dir`` is the knowledge-base folder of the chart's words (the view holds its
    findings already); it defaults to :func:`kypho_aid.data_dir`.
    """

    if not isinstance(view, RiskView) or view.chart is None:
        raise KyphoAidError(
            "this view has no chart to draw; use view='icons' for an outcome with figures"
        )
    if view.finding is None:
        raise KyphoAidError("this view has no finding to draw")
    if view.chart == "icons":
        return plot_icon_array(view.finding, ax=ax, data_dir=data_dir)
    return plot_outcome_comparison(view.finding.to_frame().T, ax=ax, data_dir=data_dir)


def _risk_figure(view: object, *, data_dir: str | Path | None = None) -> Figure:
    """The standalone figure :func:`render_png` draws, laid out (tests measure it)."""
    if not isinstance(view, RiskView) or view.chart is None:
        raise KyphoAidError("this view has no chart to draw")
    rare = (
        view.chart == "icons"
        and view.finding is not None
        and view.finding["denominator"] > style.ICON_BLOCK_SIDE**2
    )
    size = (
        style.CHART_SIZE
        if view.chart != "icons"
        else style.RARE_ICON_ARRAY_SIZE
        if rare
        else style.ICON_ARRAY_SIZE
    )
    return draw_figure(size, lambda ax: plot_risk_view(view, ax=ax, data_dir=data_dir))


def render_png(view: object, *, data_dir: str | Path | None = None) -> bytes:
    """Draw the chart a :class:`kypho_aid.outcomes.RiskView` asks for and return PNG bytes.

    Uses a standalone Figure (no pyplot state), so widgets can redraw in place. ``data_dir``
    is the knowledge-base folder of the chart's words; it defaults to :func:`kypho_aid.data_dir`.
    """
    return figure_png(_risk_figure(view, data_dir=data_dir))
