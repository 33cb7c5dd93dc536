"""Drawings of the procedures: one step, every step in a strip, and chosen steps side by side.

Step labels, order and elements come from ``data/steps.csv``; the titles
(``drawing.step_title`` and others) from ``data/ui_text.csv``; alt text from
:func:`kypho_aid.procedure.drawing_text`. Each panel is drawn by
:func:`kypho_aid.plotting.elements.draw_elements`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import cast

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kypho_aid import style
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.plotting._base import png_bytes, theme
from kypho_aid.plotting.elements import draw_elements
from kypho_aid.procedure import StepView, procedure_steps, step_row, step_view
from kypho_aid.texts import ui_text

__all__ = [
    "draw_elements",
    "plot_procedure_step",
    "plot_procedure_strip",
    "plot_step_comparison",
    "render_step_png",
]


def plot_procedure_step(
    option: str, step: int, *, ax: Axes | None = None, data_dir: str | Path | None = None
) -> Axes:
    """Draw one step of a procedure, as the ``steps`` dataset names it.

    Parameters
    ----------
    option : {"kyphoplasty", "vertebroplasty"}
    step : int
        The step number, from 1.
    ax : matplotlib.axes.Axes, optional
    data_dir : str or Path, optional
        Knowledge-base folder of the step and the drawing's words; defaults to
        :func:`kypho_aid.data_dir`.

    Returns
    -------
    matplotlib.axes.Axes
        Titled "Step n: label"; :func:`kypho_aid.procedure.drawing_text` gives its alt text.
    """

    row = step_row(option, step, data_dir=data_dir)
    title = ui_text("drawing.step_title", data_dir=data_dir, step=step, label=row["label"])
    return draw_elements(row["elements"], ax=ax, title=title, data_dir=data_dir)


def _panels(count: int, columns: int | None) -> tuple[Figure, np.ndarray]:
    """A pyplot figure of ``count`` drawing panels, ``columns`` to a row; spare panels blank."""
    columns = min(columns or style.STRIP_COLUMNS, count)
    if columns < 1:
        raise KyphoAidError(f"columns must be 1 or more, got {columns}")
    rows = -(-count // columns)
    width, height = style.STRIP_PANEL_SIZE
    figure, axes = plt.subplots(
        rows, columns, figsize=(width * columns, height * rows), squeeze=False
    )
    for ax in axes.flat[count:]:
        ax.set_axis_off()
    return figure, axes.flat[:count]


def plot_procedure_strip(
    option: str, *, columns: int | None = None, data_dir: str | Path | None = None
) -> Figure:
    """Draw every step of a procedure side by side, in order, for print and slides.

    Parameters
    ----------
    option : {"kyphoplasty", "vertebroplasty"}
    columns : int, optional
        Panels per row; :data:`kypho_aid.style.STRIP_COLUMNS` unless given (slides suit more).
    data_dir : str or Path, optional
        Knowledge-base folder of the steps and the drawings' words; defaults to
        :func:`kypho_aid.data_dir`.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per step, titled "Step n: label".
    """

    steps = procedure_steps(option, data_dir=data_dir)
    with theme():
        figure, axes = _panels(len(steps), columns)
        for ax, row in zip(axes, steps.itertuples(index=False), strict=True):
            draw_elements(
                cast("tuple[str, ...]", row.elements),
                ax=ax,
                title=ui_text(
                    "drawing.step_title", data_dir=data_dir, step=row.step_number, label=row.label
                ),
                data_dir=data_dir,
            )
        figure.suptitle(
            ui_text("drawing.strip_title", data_dir=data_dir, option=steps.attrs["option_label"]),
            x=0.01,
            ha="left",
            fontsize=style.STEP_TITLE_SIZE + 2,
        )
        figure.tight_layout()
    return figure


def plot_step_comparison(
    steps: Iterable[tuple[str, int]], *, data_dir: str | Path | None = None
) -> Figure:
    """Draw chosen steps of either procedure side by side, e.g. where the two differ.

    Parameters
    ----------
    steps : iterable of (option, step number)
    data_dir : str or Path, optional
        Knowledge-base folder of the steps and the drawings' words; defaults to
        :func:`kypho_aid.data_dir`.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per step, in the order given, titled "Option, step n: label".
    """

    views = [step_view(option, step, data_dir=data_dir) for option, step in steps]
    if not views:
        raise KyphoAidError("give at least one (option, step) pair to draw")
    with theme():
        figure, axes = _panels(len(views), len(views))
        for ax, view in zip(axes, views, strict=True):
            title = ui_text(
                "drawing.compare_title",
                data_dir=data_dir,
                option=view.option_label,
                step=view.step,
                label=view.label,
            )
            draw_elements(view.elements, ax=ax, title=title, data_dir=data_dir)
        figure.tight_layout()
    return figure


def render_step_png(view: object, *, data_dir: str | Path | None = None) -> bytes:
    """The drawing of a :class:`kypho_aid.procedure.StepView` as PNG bytes, for widgets.

    ``data_dir`` is the knowledge-base folder of the drawing's words (the view holds the
    step's own words already); it defaults to :func:`kypho_aid.data_dir`.
    """

    if not isinstance(view, StepView):
        raise KyphoAidError("render_step_png draws a StepView from kypho_aid.procedure.step_view")
    title = ui_text("drawing.step_title", data_dir=data_dir, step=view.step, label=view.label)
    return png_bytes(
        style.STEP_SIZE,
        lambda ax: draw_elements(view.elements, ax=ax, title=title, data_dir=data_dir),
    )
