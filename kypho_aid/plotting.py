"""Charts of kypho-aid: icon arrays, outcome comparisons and the procedure-day timeline.

The only module that imports matplotlib. Every function draws on the Axes it is given (or a
new one), returns that Axes, and never shows or saves. Colours, markers and sizes come from
:mod:`kypho_aid.style`. Each artist carries a ``gid`` (``filled-kyphoplasty``, ...) so that
tests can count icons instead of comparing pixels. Alt text and long descriptions come from
:func:`kypho_aid.outcomes.chart_text`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.path import Path as MplPath

from kypho_aid import style
from kypho_aid.exceptions import KyphoAidError

__all__ = [
    "PERSON_MARKER",
    "plot_icon_array",
    "plot_outcome_comparison",
    "plot_timeline",
    "render_png",
    "theme",
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


@contextlib.contextmanager
def theme() -> Iterator[None]:
    """Draw with kypho-aid's settings (fonts, colours, dpi) inside a ``with`` block."""
    with mpl.rc_context(style.RC_PARAMS):
        yield


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    with theme():
        _, new = plt.subplots(figsize=size, dpi=style.FIGURE_DPI)
    return new


def _grid(denominator: int) -> tuple[int, int]:
    return (10, 10) if denominator == 100 else (25, 40)


def _counts(row: pd.Series) -> tuple[int, int]:
    """Filled icons (the point estimate, or the low end of a range) and outlined icons above it."""
    if pd.notna(row["events"]):
        filled = round(float(row["events"]))
        top = round(float(row["events_high"])) if pd.notna(row["events_high"]) else filled
    else:
        filled = round(float(row["events_low"]))
        top = round(float(row["events_high"]))
    return filled, max(top - filled, 0)


def plot_icon_array(figures: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw one icon array per option, side by side, with the same denominator.

    Parameters
    ----------
    figures : pandas.DataFrame
        Rows of :func:`kypho_aid.summarize_outcomes` for one outcome, one row per option.
        Frequency rows become arrays; other rows leave a labelled gap.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made otherwise.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Filled icons are the point estimate (or the low end of a range) and sit together from
    the top left; outlined icons in the option's colour are the rest of the uncertain range;
    grey icons are everyone else. Shape (filled or outlined) as well as colour tells them apart.
    """
    if figures["option_id"].duplicated().any() or figures["outcome"].nunique() != 1:
        raise KyphoAidError(
            "an icon array shows one figure per option for one outcome; filter the rows first"
        )
    frequencies = figures[figures["kind"] == "frequency"]
    if frequencies["denominator"].nunique() > 1:
        raise KyphoAidError("options in one icon array must share a denominator")
    denominator = int(frequencies["denominator"].iloc[0]) if len(frequencies) else 100
    rows, cols = _grid(denominator)
    ax = _axes(ax, style.ICON_ARRAY_SIZE if denominator == 100 else style.RARE_ICON_ARRAY_SIZE)
    size = 95 if denominator == 100 else 20
    gap = 6 if denominator == 100 else 3
    step = 1.8  # a person icon is about twice as tall as it is wide: rows sit further apart
    xs, ys = np.meshgrid(np.arange(cols), np.arange(rows)[::-1] * step)
    xs, ys = xs.ravel(), ys.ravel()
    height = (rows - 1) * step
    for block, (_, row) in enumerate(figures.iterrows()):
        option = str(row["option_id"])
        color = style.PROCEDURE_COLORS[option]
        offset = block * (cols + gap)
        if row["kind"] != "frequency":
            ax.text(
                offset + cols / 2,
                height / 2,
                "No figure\nin our sources",
                ha="center",
                va="center",
                color=style.MUTED_TEXT_COLOR,
                gid=f"gap-{option}",
            )
            label = str(row["option_label"])
        else:
            filled, uncertain = _counts(row)
            parts = {
                "filled": (slice(0, filled), color, color),
                "uncertain": (slice(filled, filled + uncertain), style.UNCERTAIN_FILL, color),
                "unaffected": (
                    slice(filled + uncertain, denominator),
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
                    linewidths=0.6 if denominator == 100 else 0.3,
                    gid=f"{part}-{option}",
                )
            shown = f"{filled}" if pd.notna(row["events"]) else f"{filled}–{filled + uncertain}"
            counted = "treated bones" if row.get("counted") == "treated_bones" else "people"
            label = f"{row['option_label']}\n{shown} out of {denominator} {counted}"
        ax.text(
            offset + (cols - 1) / 2,
            -1.6,
            label,
            ha="center",
            va="top",
            color=style.TEXT_COLOR,
            gid=f"label-{option}",
        )
    first = frequencies.iloc[0] if len(frequencies) else figures.iloc[0]
    ax.set_title(f"{first['label']}, {first['timepoint']}", loc="left")
    ax.set_xlim(-1, len(figures) * (cols + gap) - gap)
    ax.set_ylim(-6.5 if denominator == 100 else -9, height + 1.2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def plot_outcome_comparison(figures: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw each option's estimate with its interval, and the smallest important difference.

    Parameters
    ----------
    figures : pandas.DataFrame
        Rows of :func:`kypho_aid.summarize_outcomes` that share one unit: mean differences,
        means, or frequencies (drawn as people out of the denominator).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    rows = figures[figures["kind"] != "not_available"].reset_index(drop=True)
    if rows.empty:
        raise KyphoAidError("no figures to compare: every row is not_available")
    frequency = bool((rows["kind"] == "frequency").all())
    if not frequency and rows["unit"].nunique() != 1:
        raise KyphoAidError("figures on one chart must share a unit")
    ax = _axes(ax, style.CHART_SIZE)
    for y, row in rows.iterrows():
        option = str(row["option_id"])
        if frequency:
            point = row["events"] if pd.notna(row["events"]) else np.nan
            low, high = row["events_low"], row["events_high"]
        else:
            point, low, high = row["value"], row["low"], row["high"]
        position = len(rows) - 1 - int(y)  # type: ignore[call-overload]
        if pd.notna(low) and pd.notna(high):
            ax.plot(
                [low, high],
                [position, position],
                color=style.PROCEDURE_COLORS[option],
                linewidth=2.2,
                solid_capstyle="butt",
                gid=f"interval-{row['figure_id']}",
            )
        if pd.notna(point):
            ax.plot(
                [point],
                [position],
                marker=style.PROCEDURE_MARKERS[option],
                markersize=8,
                linestyle="none",
                color=style.PROCEDURE_COLORS[option],
                markeredgecolor=style.TEXT_COLOR,
                gid=f"estimate-{row['figure_id']}",
            )
    labels = [
        f"{r.option_label} ({str(r.source_ids).split(';')[0]})\n{r.timepoint}"
        for r in rows.itertuples()
    ]
    ax.set_yticks(range(len(rows)), labels[::-1])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    first = rows.iloc[0]
    if frequency:
        ax.set_xlabel(f"people out of {int(first['denominator'])}")
        ax.set_xlim(0, int(first["denominator"]))
    else:
        ax.set_xlabel(str(first["unit"]))
        if (rows["kind"] == "mean").all() and (rows["value"].dropna() >= 0).all():
            ax.set_xlim(
                left=0
            )  # averages of time or cost start at zero so gaps are not exaggerated
    if (rows["kind"] == "mean_difference").any():
        ax.axvline(0, color=style.MUTED_TEXT_COLOR, linewidth=1, gid="no-difference")
        thresholds = rows["mcid"].dropna().unique()
        for mcid in thresholds:
            ax.axvline(
                mcid,
                color=style.THRESHOLD_COLOR,
                linestyle=style.THRESHOLD_LINESTYLE,
                linewidth=1.2,
                gid="threshold",
            )
            ax.text(
                mcid,
                len(rows) - 0.35,
                " smallest difference\n people notice",
                color=style.TEXT_COLOR,
                va="top",
                ha="left",
                fontsize=style.FONT_SIZE - 1,
            )
    title = " and ".join(dict.fromkeys(str(label) for label in rows["label"]))
    comparators = rows.loc[rows["kind"] == "mean_difference", "comparator"].dropna().unique()
    if len(comparators) == 1:
        title += f": difference against {comparators[0]}"
    ax.set_title(title, loc="left")
    return ax


_HOURS = {"minutes": 1 / 60, "hours": 1.0, "days": 24.0, "weeks": 168.0}


def _short(text: str, limit: int = 52) -> str:
    """The first sentence of ``text``, cut at a word boundary."""
    sentence = text.split(". ")[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + "…"


def plot_timeline(items: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw the stated times before and after the procedure on a shared hour scale.

    Parameters
    ----------
    items : pandas.DataFrame
        Rows of the ``preparation_recovery`` dataset with a ``time_low`` (others are skipped).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Times before the procedure are negative hours; the procedure is at zero.
    """
    timed = items[items["time_low"].notna()].reset_index(drop=True)
    if timed.empty:
        raise KyphoAidError("no item states a time")
    ax = _axes(ax, style.TIMELINE_SIZE)
    color = style.PROCEDURE_COLORS["kyphoplasty"]
    for y, row in timed.iterrows():
        factor = _HOURS[str(row["time_unit"])]
        low = float(row["time_low"]) * factor
        high = float(row["time_high"]) * factor if pd.notna(row["time_high"]) else low
        if row["time_reference"] == "before_procedure":
            low, high = -high, -low
            if low == high:
                high = 0.0  # "at least 8 hours before" runs up to the procedure
        position = len(timed) - 1 - int(y)  # type: ignore[call-overload]
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
    ticks = {
        -8: "8 h\nbefore",
        0: "procedure",
        1: "1 h",
        3: "3 h",
        24: "1 day",
        48: "\n2 days",
        168: "1 week\nafter",
    }
    ax.set_xticks(list(ticks), list(ticks.values()))
    ax.set_xlabel("time before and after the procedure (hours, spaced more closely further out)")
    ax.set_yticks(range(len(timed)), [_short(str(r.statement)) for r in timed.itertuples()][::-1])
    ax.set_title("Before and after the procedure", loc="left")
    return ax


def plot_risk_view(view: object, *, ax: Axes | None = None) -> Axes:
    """Draw the chart a :class:`kypho_aid.outcomes.RiskView` calls for (icon array or comparison)."""
    from kypho_aid.outcomes import RiskView

    if not isinstance(view, RiskView) or view.chart is None:
        raise KyphoAidError(
            "this view has no chart to draw; use view='icons' for an outcome with figures"
        )
    if view.chart == "icons":
        return plot_icon_array(view.figures, ax=ax)
    return plot_outcome_comparison(view.figures, ax=ax)


def render_png(view: object) -> bytes:
    """Draw the chart a :class:`kypho_aid.outcomes.RiskView` asks for and return PNG bytes.

    Uses a standalone Figure (no pyplot state), so widgets can redraw in place.
    """
    from io import BytesIO

    from matplotlib.figure import Figure

    from kypho_aid.outcomes import RiskView

    if not isinstance(view, RiskView) or view.chart is None:
        raise KyphoAidError("this view has no chart to draw")
    with theme():
        rare = view.chart == "icons" and (view.figures["denominator"] == 1000).any()
        size = (
            style.CHART_SIZE
            if view.chart != "icons"
            else style.RARE_ICON_ARRAY_SIZE
            if rare
            else style.ICON_ARRAY_SIZE
        )
        figure = Figure(figsize=size, dpi=style.FIGURE_DPI)
        plot_risk_view(view, ax=figure.subplots())
        figure.tight_layout()
        buffer = BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
