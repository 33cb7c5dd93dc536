"""What the charts and drawings share: the house theme, a new Axes, a PNG of one Axes."""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any, cast
from weakref import WeakKeyDictionary

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import TightLayoutEngine
from matplotlib.text import Text
from matplotlib.textpath import text_to_path
from matplotlib.typing import RcKeyType

from kypho_aid import style

__all__ = ["axes_for", "draw_figure", "figure_png", "fit_title", "png_bytes", "theme"]


@contextlib.contextmanager
def theme() -> Iterator[None]:
    """Draw with kypho-aid's settings (fonts, colours, dpi) inside a ``with`` block."""
    # style.RC_PARAMS is a plain str-keyed dict; matplotlib types rc_context's keys as a Literal
    # of every rcParams name, and checks them when the context opens (unknown: KeyError)
    with mpl.rc_context(cast("dict[RcKeyType, Any]", style.RC_PARAMS)):
        yield


class _FittedLayout(TightLayoutEngine):
    """matplotlib's tight layout, then every title :func:`fit_title` set fitted to the room
    the layout left it, and laid out again if that changed its lines. Runs at each draw."""

    def execute(self, fig: Figure) -> None:
        super().execute(fig)
        if _refit_titles(fig):
            super().execute(fig)


def axes_for(ax: Axes | None, size: tuple[float, float], *, laid_out: bool = False) -> Axes:
    """``ax``, or a new Axes of ``size`` inches in the house theme.

    With ``laid_out``, a new figure is laid out as :func:`draw_figure` lays out its figures,
    tight at each draw with titles fitted again, so that a notebook shows what the app shows
    (icon arrays, whose icon sizes are chosen for that layout).
    """
    if ax is not None:
        return ax
    with theme():
        _, new = plt.subplots(
            figsize=size, dpi=style.FIGURE_DPI, layout=_FittedLayout() if laid_out else None
        )
    return new


#: Every fitted title and its text before wrapping, so a layout can fit it again.
_FITTED: WeakKeyDictionary[Text, str] = WeakKeyDictionary()


def _wrap(title: Text, text: str) -> str:
    """``text`` broken into lines that fit between ``title``'s Axes and the figure's edge."""
    ax, figure = title.axes, title.get_figure(root=True)
    if ax is None or figure is None:  # pragma: no cover - a title always has both
        return text
    ax.apply_aspect()
    full = figure.bbox.width
    room = full * (1 - style.TITLE_MARGIN) - ax.get_position().x0 * full
    props = title.get_fontproperties()
    scale = figure.dpi / 72  # text_to_path measures in points

    def width(line: str) -> float:
        return (
            float(text_to_path.get_text_width_height_descent(line, props, ismath=False)[0]) * scale
        )

    lines = text.split("\n")
    longest = max(width(line) for line in lines)
    if longest <= room:
        return text
    chars = max(12, int(max(map(len, lines)) * room / longest))
    while True:
        wrapped = [
            part
            for line in lines
            for part in textwrap.wrap(line, chars, break_on_hyphens=False) or [""]
        ]
        if chars <= 12 or max(width(part) for part in wrapped) <= room:
            return "\n".join(wrapped)
        chars -= max(1, chars // 15)


def fit_title(ax: Axes, text: str) -> Text:
    """Set ``text`` as ``ax``'s left title, broken into lines that fit the figure's width.

    The room is from the Axes' left edge to the figure's right edge, less
    ``style.TITLE_MARGIN``, as the Axes stands when this is called (draw the chart first,
    then fit its title); the figures of :func:`draw_figure` (and of :func:`axes_for`, laid
    out) fit it again each time they are laid out.
    Lines are measured with the title's font a few times per title, not once per word as
    matplotlib's own ``wrap=True`` does: that alone cost a risk chart about 25 ms a redraw.
    """
    # y=1.0 fixes the title's place, which spares matplotlib a search for top tick labels
    # at every draw (the charts that call this have none above the Axes)
    title = ax.set_title(text, loc="left", y=1.0)
    _FITTED[title] = text
    title.set_text(_wrap(title, text))
    return title


def _refit_titles(figure: Figure) -> bool:
    """Fit the figure's fitted titles again to where their Axes now stand; True if any changed."""
    changed = False
    for title, text in list(_FITTED.items()):
        if title.get_figure(root=True) is figure:
            wrapped = _wrap(title, text)
            changed |= wrapped != title.get_text()
            title.set_text(wrapped)
    return changed


def draw_figure(size: tuple[float, float], draw: Callable[[Axes], object]) -> Figure:
    """Draw on one Axes of a standalone Figure (no pyplot state), laid out tight at each draw
    (titles fitted again to the room the layout leaves them)."""
    with theme():
        figure = Figure(figsize=size, dpi=style.FIGURE_DPI, layout=_FittedLayout())
        FigureCanvasAgg(figure)  # a canvas that can measure text, for layout and tests
        draw(figure.subplots())
    return figure


def figure_png(figure: Figure) -> bytes:
    """PNG bytes of a drawn figure, in the house theme, with no software stamp.

    A figure with a layout engine is laid out here once and then saved as it stands:
    matplotlib's ``savefig`` would otherwise draw it twice (a silent pass to lay it out, then
    the real one), which cost a risk chart about a third of its redraw time.
    """
    with theme():
        engine = figure.get_layout_engine()
        if engine is not None:
            engine.execute(figure)
            figure.set_layout_engine(None)  # None, not "none": "none" leaves a placeholder
        buffer = BytesIO()
        try:
            figure.savefig(buffer, format="png", metadata={"Software": None})
        finally:
            if engine is not None:
                figure.set_layout_engine(engine)
    return buffer.getvalue()


def png_bytes(size: tuple[float, float], draw: Callable[[Axes], object]) -> bytes:
    """Draw on one Axes of a standalone Figure (no pyplot state) and return PNG bytes."""
    return figure_png(draw_figure(size, draw))
