"""The procedure drawings' engine: a schematic spine and one function per element of a step.

:func:`draw_elements` draws the named elements on an Axes; every artist carries its
element's name as a ``gid``, so tests check what is drawn without comparing pixels. The
words drawn in the pictures (``drawing.*``) come from ``data/ui_text.csv``. Which elements a
step shows, and the figures made of steps, are :mod:`kypho_aid.plotting.drawings`'.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, TypedDict, Unpack

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import (
    Circle,
    Ellipse,
    FancyArrowPatch,
    FancyBboxPatch,
    Patch,
    Polygon,
    Rectangle,
    Wedge,
)
from matplotlib.typing import JoinStyleType

from kypho_aid import style
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.plotting._base import axes_for
from kypho_aid.texts import ui_texts

__all__ = ["draw_elements"]


# --- procedure drawings ---------------------------------------------------------------
# A schematic side view of three spine bones, the front of the body on the left and the
# back (with the skin) on the right, in data units of a 10 x 10 box. Each element named in
# a step's ``elements`` is drawn by one function below, and every artist it makes carries
# that element's name as its gid; the bone around it is "context".

_BODY_LEFT, _BODY_RIGHT = 1.5, 4.5
_BODIES = {"upper": (7.7, 9.8), "middle": (5.0, 7.2), "lower": (2.3, 4.5)}
_DISCS = ((7.2, 7.7), (4.5, 5.0))
_SINK = 0.9  # how far the front of the broken bone has sunk (schematic)
_SKIN_X = 8.3
_TIP = (3.1, 6.05)
_HUB = (9.95, 7.45)
_SPACE_XY, _SPACE_SIZE = (2.95, 6.0), (1.9, 1.05)
_DIAL = (9.2, 9.05)


#: The words drawn in the pictures by id (``drawing.<id>`` in ``ui_text.csv``), looked up once
#: per drawing and handed to each element.
_Words = Mapping[str, str]


def _needle_y(x: float) -> float:
    """Height of the needle's line at ``x``."""
    (x0, y0), (x1, y1) = _TIP, _HUB
    return y0 + (x - x0) * (y1 - y0) / (x1 - x0)


def _needle_angle() -> float:
    (x0, y0), (x1, y1) = _TIP, _HUB
    return float(np.degrees(np.arctan2(y1 - y0, x1 - x0)))


class _LabelOptions(TypedDict, total=False):
    """What a drawing's label may set besides its text and gid."""

    ha: Literal["left", "center", "right"]
    va: Literal["top", "center", "bottom", "baseline", "center_baseline"]
    zorder: float
    rotation: float
    rotation_mode: Literal["default", "anchor", "xtick", "ytick"]


class _Edge(TypedDict):
    """The outline every bone and disc shares."""

    edgecolor: str
    linewidth: float
    joinstyle: JoinStyleType


def _label(
    ax: Axes,
    xy: tuple[float, float],
    text_id: str,
    gid: str,
    words: _Words,
    **kwargs: Unpack[_LabelOptions],
) -> None:
    """Write the text ``drawing.<text_id>`` of ``ui_text.csv`` at ``xy`` (a line break in
    the text is a line break in the drawing)."""
    ax.text(
        *xy,
        words[text_id],
        fontsize=style.DRAWING_LABEL_SIZE,
        color=style.TEXT_COLOR,
        gid=f"label-{gid}",
        **kwargs,
    )


def _add(ax: Axes, patch: Patch) -> None:
    """Add ``patch`` to ``ax`` without matplotlib's per-patch update of the data limits:
    :func:`draw_elements` fixes the limits itself, and that update was a tenth of a strip."""
    ax.add_artist(patch)


def _rounded_box(
    ax: Axes,
    xy: tuple[float, float],
    width: float,
    height: float,
    rounding: float,
    facecolor: str,
    gid: str,
) -> None:
    """A box with rounded corners and the drawing's outline colour."""
    _add(
        ax,
        FancyBboxPatch(
            xy,
            width,
            height,
            boxstyle=f"round,pad=0.05,rounding_size={rounding}",
            facecolor=facecolor,
            edgecolor=style.OUTLINE_COLOR,
            gid=gid,
        ),
    )


def _middle_body(fractured: bool) -> list[tuple[float, float]]:
    bottom, top = _BODIES["middle"]
    front_top = top - _SINK if fractured else top
    return [
        (_BODY_LEFT, bottom),
        (_BODY_RIGHT, bottom),
        (_BODY_RIGHT, top),
        (_BODY_LEFT, front_top),
    ]


def _draw_vertebra(ax: Axes, elements: frozenset[str], words: _Words) -> None:

    edge: _Edge = {"edgecolor": style.OUTLINE_COLOR, "linewidth": 1.1, "joinstyle": "round"}
    for bottom, top in _DISCS:
        _add(
            ax,
            Rectangle(
                (_BODY_LEFT + 0.1, bottom),
                _BODY_RIGHT - _BODY_LEFT - 0.2,
                top - bottom,
                facecolor=style.DISC_COLOR,
                gid="vertebra",
                **edge,
            ),
        )
    for name, (bottom, top) in _BODIES.items():
        outline = (
            _middle_body("fracture" in elements)
            if name == "middle"
            else [
                (_BODY_LEFT, bottom),
                (_BODY_RIGHT, bottom),
                (_BODY_RIGHT, top),
                (_BODY_LEFT, top),
            ]
        )
        _add(ax, Polygon(outline, facecolor=style.BONE_COLOR, gid="vertebra", **edge))
        middle = (bottom + top) / 2 + 0.15
        back = [
            (_BODY_RIGHT, middle + 0.45),
            (5.7, middle + 0.5),
            (7.5, middle - 0.25),
            (7.6, middle - 0.85),
            (5.7, middle - 0.35),
            (_BODY_RIGHT, middle - 0.45),
        ]
        _add(ax, Polygon(back, facecolor=style.BONE_COLOR, gid="vertebra", **edge))
    _label(ax, (_BODY_LEFT, 10.05), "front", "vertebra", words, ha="left", va="bottom")
    _label(ax, (_SKIN_X, 10.05), "back", "vertebra", words, ha="center", va="bottom")
    # the skin of the back, a gentle curve
    y = np.linspace(1.9, 10.0, 40)
    ax.plot(
        _SKIN_X + 0.12 * np.sin(y / 2.2),
        y,
        color=style.MUTED_TEXT_COLOR,
        linewidth=1.0,
        gid="context-skin",
    )


def _draw_fracture(ax: Axes, elements: frozenset[str], words: _Words) -> None:
    cracks = (
        [(1.6, 5.95), (2.1, 5.7), (2.5, 6.05), (3.0, 5.75), (3.5, 6.0)],
        [(1.6, 5.35), (2.0, 5.5), (2.3, 5.3)],
        [(3.9, 6.9), (4.05, 6.6), (4.35, 6.7)],
    )
    for crack in cracks:
        xs, ys = zip(*crack, strict=True)
        ax.plot(xs, ys, color=style.TEXT_COLOR, linewidth=1.0, gid="fracture")
    _label(ax, (0.1, 7.1), "fracture", "fracture", words, ha="left", va="center")


def _draw_patient_prone(ax: Axes, elements: frozenset[str], words: _Words) -> None:

    ax.plot([0.2, 4.4], [0.55, 0.55], color=style.OUTLINE_COLOR, linewidth=3, gid="patient_prone")
    _rounded_box(ax, (1.0, 0.72), 3.1, 0.5, 0.25, style.UNAFFECTED_COLOR, "patient_prone")
    _add(
        ax,
        Circle(
            (0.65, 0.98),
            0.3,
            facecolor=style.UNAFFECTED_COLOR,
            edgecolor=style.OUTLINE_COLOR,
            gid="patient_prone",
        ),
    )
    _label(ax, (0.2, 0.3), "patient_prone", "patient_prone", words, ha="left", va="top")


def _draw_monitoring(ax: Axes, elements: frozenset[str], words: _Words) -> None:

    _rounded_box(ax, (6.0, 0.45), 3.8, 1.1, 0.15, style.BACKGROUND_COLOR, "monitoring")
    x = [6.2, 7.0, 7.2, 7.4, 7.6, 7.8, 8.6, 8.8, 9.0, 9.2, 9.6]
    y = [1.0, 1.0, 1.4, 0.6, 1.0, 1.0, 1.0, 1.4, 0.6, 1.0, 1.0]
    ax.plot(x, y, color=style.TEXT_COLOR, linewidth=1.0, gid="monitoring")
    _label(ax, (7.9, 0.3), "monitoring", "monitoring", words, ha="center", va="top")


def _draw_skin_numbing(ax: Axes, elements: frozenset[str], words: _Words) -> None:

    y = _needle_y(_SKIN_X) + 0.9
    _add(
        ax,
        Rectangle(
            (9.0, y - 0.17),
            1.0,
            0.34,
            facecolor=style.BACKGROUND_COLOR,
            edgecolor=style.OUTLINE_COLOR,
            gid="skin_numbing",
        ),
    )
    ax.plot([_SKIN_X + 0.05, 9.0], [y - 0.25, y], color=style.NEEDLE_COLOR, gid="skin_numbing")
    _label(ax, (9.5, y + 0.3), "skin_numbing", "skin_numbing", words, ha="center", va="bottom")


def _draw_incision(ax: Axes, elements: frozenset[str], words: _Words) -> None:
    y = _needle_y(_SKIN_X)
    ax.plot(
        [_SKIN_X + 0.05, _SKIN_X + 0.05],
        [y - 0.25, y + 0.25],
        color=style.TEXT_COLOR,
        linewidth=2.2,
        gid="incision",
    )
    _label(ax, (_SKIN_X + 0.3, y), "incision", "incision", words, ha="left", va="center")


def _draw_xray(ax: Axes, elements: frozenset[str], words: _Words, *, check: bool = False) -> None:

    gid = "xray_check" if check else "xray"
    bottom, top = _BODIES["middle"]
    _add(
        ax,
        Polygon(
            [(1.0, 5.95), (1.0, 5.35), (_BODY_RIGHT, bottom - 0.1), (_BODY_RIGHT, top + 0.1)],
            facecolor=style.XRAY_COLOR,
            alpha=style.XRAY_ALPHA,
            edgecolor="none",
            gid=gid,
        ),
    )
    _rounded_box(ax, (0.05, 5.15), 0.95, 1.0, 0.12, style.XRAY_COLOR, gid)
    if check:
        ax.plot(
            [0.25, 0.45, 0.85], [5.65, 5.4, 5.95], color=style.TEXT_COLOR, linewidth=1.8, gid=gid
        )
    _label(ax, (0.52, 5.05), gid, gid, words, ha="center", va="top")


def _draw_contrast(ax: Axes, elements: frozenset[str], words: _Words) -> None:
    rng = np.random.default_rng(7)  # fixed: the same dots every time
    points = rng.normal(loc=_TIP, scale=(0.3, 0.18), size=(14, 2))
    ax.scatter(points[:, 0], points[:, 1], s=5, color=style.DYE_COLOR, gid="contrast", zorder=4)
    _label(ax, (_TIP[0], 6.95), "contrast", "contrast", words, ha="center", va="bottom")


def _draw_needle(ax: Axes, elements: frozenset[str], words: _Words) -> None:

    ax.plot(
        [_TIP[0], _HUB[0] - 0.35],
        [_TIP[1], _needle_y(_HUB[0] - 0.35)],
        color=style.NEEDLE_COLOR,
        linewidth=2.4,
        solid_capstyle="butt",
        gid="needle",
        zorder=5,
    )
    _add(
        ax,
        Rectangle(
            (_HUB[0] - 0.45, _HUB[1] - 0.3),
            0.4,
            0.6,
            angle=_needle_angle(),
            rotation_point="center",
            facecolor=style.NEEDLE_COLOR,
            gid="needle",
            zorder=5,
        ),
    )
    _label(
        ax,
        (6.6, _needle_y(6.6) + 0.12),
        "needle",
        "needle",
        words,
        ha="center",
        va="bottom",
        rotation=_needle_angle(),
        rotation_mode="anchor",
        zorder=6,
    )


def _space(**kwargs: Any) -> Ellipse:
    """The space the balloon makes (and the cement fills) in the broken bone."""
    return Ellipse(_SPACE_XY, *_SPACE_SIZE, angle=_needle_angle(), **kwargs)


def _draw_cavity(ax: Axes, elements: frozenset[str], words: _Words) -> None:
    _add(
        ax,
        _space(
            facecolor=style.CAVITY_COLOR,
            edgecolor=style.OUTLINE_COLOR,
            linestyle=(0, (2, 1.5)),
            linewidth=1.0,
            gid="cavity",
            zorder=3,
        ),
    )
    if not elements & {"balloon", "cement"}:
        _label(ax, (2.95, 5.3), "cavity", "cavity", words, ha="center", va="top", zorder=6)


def _draw_balloon(ax: Axes, elements: frozenset[str], words: _Words) -> None:

    _add(
        ax,
        _space(
            facecolor=style.BALLOON_COLOR,
            edgecolor=style.BALLOON_EDGE_COLOR,
            linewidth=1.4,
            gid="balloon",
            zorder=4,
        ),
    )
    x, y = _SPACE_XY
    for dx, dy in ((0, 0.45), (0, -0.5), (-0.85, 0.05)):
        _add(
            ax,
            FancyArrowPatch(
                (x + dx * 0.55, y + dy * 0.55),
                (x + dx * 1.15, y + dy * 1.15),
                arrowstyle="-|>",
                mutation_scale=7,
                color=style.BALLOON_EDGE_COLOR,
                gid="balloon",
                zorder=6,
            ),
        )
    _label(ax, (2.95, 4.85), "balloon", "balloon", words, ha="center", va="top", zorder=6)


def _draw_balloon_deflated(ax: Axes, elements: frozenset[str], words: _Words) -> None:

    _add(
        ax,
        Ellipse(
            (3.6, _needle_y(3.6)),
            1.1,
            0.22,
            angle=_needle_angle(),
            facecolor=style.BALLOON_COLOR,
            edgecolor=style.BALLOON_EDGE_COLOR,
            gid="balloon_deflated",
            zorder=6,
        ),
    )
    _add(
        ax,
        FancyArrowPatch(
            (5.0, _needle_y(5.0) - 0.4),
            (6.4, _needle_y(6.4) - 0.4),
            arrowstyle="-|>",
            mutation_scale=8,
            color=style.BALLOON_EDGE_COLOR,
            gid="balloon_deflated",
            zorder=6,
        ),
    )
    _label(
        ax,
        (6.5, _needle_y(6.5) - 0.55),
        "balloon_deflated",
        "balloon_deflated",
        words,
        ha="left",
        va="top",
    )


def _blob(center: tuple[float, float], rx: float, ry: float, wobble: float) -> np.ndarray:
    """An irregular closed outline: cement spreading through the spongy bone."""
    theta = np.linspace(0, 2 * np.pi, 90, endpoint=False)
    radius = 1 + wobble * (np.sin(5 * theta) + 0.6 * np.cos(9 * theta + 1.0))
    return np.column_stack(
        [center[0] + rx * radius * np.cos(theta), center[1] + ry * radius * np.sin(theta)]
    )


def _cement_shape(elements: frozenset[str], **kwargs: Any) -> Patch:

    if "cavity" in elements:  # kyphoplasty: the cement fills the space the balloon made
        return _space(**kwargs)
    else:  # vertebroplasty: pushed straight into the bone, it spreads wider
        outline = _blob((2.95, 6.0), 1.3, 0.78, 0.12)
    return Polygon(outline, closed=True, **kwargs)


def _draw_cement(ax: Axes, elements: frozenset[str], words: _Words) -> None:

    shape = _cement_shape(
        elements,
        facecolor=style.CEMENT_COLOR,
        edgecolor=style.OUTLINE_COLOR,
        hatch=style.CEMENT_HATCH,
        linewidth=0.8,
        gid="cement",
        zorder=4,
    )
    _add(ax, shape)
    body = Polygon(_middle_body("fracture" in elements), transform=ax.transData)
    shape.set_clip_path(body)
    _label(ax, (2.95, 4.85), "cement", "cement", words, ha="center", va="top")


def _draw_cement_hardening(ax: Axes, elements: frozenset[str], words: _Words) -> None:

    _add(
        ax,
        _cement_shape(
            elements,
            fill=False,
            edgecolor=style.TEXT_COLOR,
            hatch=style.CEMENT_SET_HATCH,
            linewidth=0,
            gid="cement_hardening",
            zorder=5,
        ),
    )
    x, y = _DIAL
    _add(
        ax,
        Circle(
            (x, y),
            0.5,
            facecolor=style.BACKGROUND_COLOR,
            edgecolor=style.OUTLINE_COLOR,
            linewidth=1.2,
            gid="cement_hardening",
        ),
    )
    ax.plot([x, x], [y, y + 0.38], color=style.TEXT_COLOR, gid="cement_hardening")
    ax.plot([x, x + 0.28], [y, y - 0.1], color=style.TEXT_COLOR, gid="cement_hardening")
    _label(ax, (x, y - 0.6), "cement_hardening", "cement_hardening", words, ha="center", va="top")


def _draw_pressure(ax: Axes, elements: frozenset[str], words: _Words, *, high: bool) -> None:

    gid = "high_pressure" if high else "low_pressure"
    x, y = _DIAL
    _add(
        ax,
        Wedge(
            (x, y - 0.25),
            0.65,
            0,
            180,
            facecolor=style.BACKGROUND_COLOR,
            edgecolor=style.OUTLINE_COLOR,
            linewidth=1.2,
            gid=gid,
        ),
    )
    angle = np.radians(35 if high else 145)
    ax.plot(
        [x, x + 0.55 * np.cos(angle)],
        [y - 0.25, y - 0.25 + 0.55 * np.sin(angle)],
        color=style.TEXT_COLOR,
        linewidth=1.8,
        gid=gid,
    )
    _label(
        ax,
        (x, y - 0.4),
        gid,
        gid,
        words,
        ha="center",
        va="top",
    )


#: One drawing function per element, in drawing order (later ones on top).
_DRAW_ELEMENT: dict[str, Callable[[Axes, frozenset[str], _Words], None]] = {
    "vertebra": _draw_vertebra,
    "fracture": _draw_fracture,
    "patient_prone": _draw_patient_prone,
    "monitoring": _draw_monitoring,
    "skin_numbing": _draw_skin_numbing,
    "incision": _draw_incision,
    "xray": _draw_xray,
    "xray_check": functools.partial(_draw_xray, check=True),
    "cavity": _draw_cavity,
    "balloon": _draw_balloon,
    "cement": _draw_cement,
    "cement_hardening": _draw_cement_hardening,
    "needle": _draw_needle,
    "balloon_deflated": _draw_balloon_deflated,
    "contrast": _draw_contrast,
    "low_pressure": functools.partial(_draw_pressure, high=False),
    "high_pressure": functools.partial(_draw_pressure, high=True),
}


def draw_elements(
    elements: Iterable[str],
    *,
    ax: Axes | None = None,
    title: str = "",
    data_dir: str | Path | None = None,
) -> Axes:
    """Draw a schematic side view of the spine showing exactly the named elements.

    Parameters
    ----------
    elements : iterable of str
        Names from the ``elements`` column of the ``steps`` dataset.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    data_dir : str or Path, optional
        Knowledge-base folder of the labels (``drawing.*`` in ``ui_text.csv``); defaults to
        :func:`kypho_aid.data_dir`.

    Returns
    -------
    matplotlib.axes.Axes
        Every artist of an element has that element's name as its gid.
    """
    chosen = frozenset(elements)
    unknown = chosen - set(_DRAW_ELEMENT)
    if unknown:
        raise KyphoAidError(
            f"no drawing for {', '.join(sorted(unknown))}; known: {', '.join(_DRAW_ELEMENT)}"
        )
    ax = axes_for(ax, style.STEP_SIZE)
    words = ui_texts("drawing", data_dir=data_dir)
    for name, draw in _DRAW_ELEMENT.items():
        if name in chosen:
            draw(ax, chosen, words)
    ax.set_xlim(-0.1, 10.3)
    ax.set_ylim(-0.35, 10.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        # y=1.0 fixes the title's place: matplotlib would otherwise measure every Axes of the
        # figure at each draw to keep titles clear of top tick labels, which drawings lack
        ax.set_title(title, loc="left", fontsize=style.STEP_TITLE_SIZE, wrap=True, y=1.0)
    return ax
