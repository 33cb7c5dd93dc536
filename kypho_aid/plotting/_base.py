"""What the charts and drawings share: the house theme, a new Axes, a PNG of one Axes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any, cast

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

from kypho_aid import style

__all__ = ["axes_for", "png_bytes", "theme"]


@contextlib.contextmanager
def theme() -> Iterator[None]:
    """Draw with kypho-aid's settings (fonts, colours, dpi) inside a ``with`` block."""
    # style.RC_PARAMS is a plain str-keyed dict; matplotlib types rc_context's keys as a Literal
    # of every rcParams name, and checks them when the context opens (unknown: KeyError)
    with mpl.rc_context(cast("dict[RcKeyType, Any]", style.RC_PARAMS)):
        yield


def axes_for(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """``ax``, or a new Axes of ``size`` inches in the house theme."""
    if ax is not None:
        return ax
    with theme():
        _, new = plt.subplots(figsize=size, dpi=style.FIGURE_DPI)
    return new


def png_bytes(size: tuple[float, float], draw: Callable[[Axes], object]) -> bytes:
    """Draw on one Axes of a standalone Figure (no pyplot state) and return PNG bytes."""
    with theme():
        figure = Figure(figsize=size, dpi=style.FIGURE_DPI)
        draw(figure.subplots())
        figure.tight_layout()
        buffer = BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
