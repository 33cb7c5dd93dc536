"""What happens during each procedure, step by step, and what a drawing of each step shows.

Reads the ``steps`` dataset: its order, plain-language labels, sources and the ``elements``
a schematic drawing of the step shows (a balloon only in kyphoplasty, cement only from the
injection step on). :mod:`kypho_aid.plotting` draws the elements named here and nothing
else; :func:`drawing_text` says in words what each drawing shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pandas as pd

from kypho_aid._values import deprecated_names
from kypho_aid.compare import bibliography
from kypho_aid.datasets import load_dataset
from kypho_aid.exceptions import KyphoAidError, UnknownOptionError
from kypho_aid.outcomes import ChartText
from kypho_aid.texts import fill, text_table, ui_text, ui_texts

__all__ = [
    "DRAWN_OPTIONS",
    "StepView",
    "drawing_text",
    "element_words",
    "first_step_with",
    "procedure_steps",
    "step_comparison_text",
    "step_row",
    "step_view",
]

#: The options that are procedures with steps to draw; non-surgical care has none.
DRAWN_OPTIONS: Final = ("kyphoplasty", "vertebroplasty")

#: The drawing elements described in words (``element.<name>`` in ``ui_text.csv``), in the
#: order a description names them (the bone first).
_ELEMENTS: Final = (
    "vertebra",
    "fracture",
    "patient_prone",
    "monitoring",
    "skin_numbing",
    "incision",
    "xray",
    "contrast",
    "needle",
    "balloon",
    "balloon_deflated",
    "cavity",
    "cement",
    "low_pressure",
    "high_pressure",
    "cement_hardening",
    "xray_check",
)


def element_words(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """What each drawing element shows, in plain words (``element.*`` in ``ui_text.csv``),
    in the order a description names them: the alt texts of the drawings are built from them."""
    return ui_texts("element", _ELEMENTS, data_dir=data_dir)


# the old constant, now read from data/ui_text.csv (element.*), answers with a DeprecationWarning
__getattr__ = deprecated_names(
    __name__, {"ELEMENT_WORDS": ("element_words(), which reads data/ui_text.csv", element_words)}
)


def procedure_steps(option: str, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The steps of one procedure in order, each with the drawing elements it names.

    Parameters
    ----------
    option : {"kyphoplasty", "vertebroplasty"}
    data_dir : str or Path, optional
        Another copy of the knowledge base.

    Returns
    -------
    pandas.DataFrame
        ``step_id``, ``step_number``, ``label``, ``description``, ``elements`` (a tuple of
        element names), ``source_ids`` and ``locators``, ordered by ``step_number``;
        ``.attrs["option_label"]`` holds the option's name as patients see it.

    Raises
    ------
    UnknownOptionError
        If ``option`` is not an option of the knowledge base.
    KyphoAidError
        If the option has no steps to draw (non-surgical care).
    """
    steps = load_dataset("steps", data_dir=data_dir)
    options = load_dataset("options", data_dir=data_dir)
    known = options["option_id"].astype(str).tolist()
    if option not in known:
        raise UnknownOptionError(f"unknown option {option!r}; choose one of {', '.join(known)}")
    if option not in DRAWN_OPTIONS:
        raise KyphoAidError(
            f"{option!r} is not a procedure, so it has no steps to draw; "
            f"choose one of {', '.join(DRAWN_OPTIONS)}"
        )
    rows = steps[steps["option_id"].astype(str) == option].sort_values("step_number")
    table = rows[
        ["step_id", "step_number", "label", "description", "elements", "source_ids", "locators"]
    ].reset_index(drop=True)
    table["step_number"] = table["step_number"].astype(int)
    table.attrs["option_label"] = str(options["label"].iloc[known.index(option)])
    table["elements"] = [
        tuple(str(value).split(";")) if pd.notna(value) and value else ()
        for value in table["elements"]
    ]
    return table


def step_row(option: str, step: int, *, data_dir: str | Path | None = None) -> pd.Series:
    """One step of a procedure by its number (1 is the first), as a row of :func:`procedure_steps`.

    Raises
    ------
    KyphoAidError
        If the procedure has no step with that number; the message gives the valid range.
    """
    return _pick(procedure_steps(option, data_dir=data_dir), step)


def _pick(steps: pd.DataFrame, step: int) -> pd.Series:
    """The row of ``steps`` (one procedure's) with number ``step``, or a KyphoAidError."""
    match = steps[steps["step_number"] == step]
    if isinstance(step, bool) or not isinstance(step, int) or match.empty:
        name = steps.attrs["option_label"].lower()
        raise KyphoAidError(
            f"step must be a whole number from 1 to {len(steps)} for {name}, got {step!r}"
        )
    return match.iloc[0]


def first_step_with(option: str, element: str, *, data_dir: str | Path | None = None) -> int:
    """The number of the first step of ``option`` whose drawing shows ``element``.

    Raises
    ------
    KyphoAidError
        If no step of that procedure shows the element (e.g. a balloon in vertebroplasty).
    """
    steps = procedure_steps(option, data_dir=data_dir)
    found = steps[[element in elements for elements in steps["elements"]]]
    if found.empty:
        raise KyphoAidError(f"no step of {option} shows {element!r}")
    return int(found["step_number"].iloc[0])


def _shows(elements: tuple[str, ...] | set[str], words: Mapping[str, str]) -> str:
    """The elements in words (``words``: :func:`element_words`), in their order (the bone first)."""
    return "; ".join(text for element, text in words.items() if element in elements)


def _shared_then_own(panels: list[tuple[str, tuple[str, ...]]], data_dir: str | Path | None) -> str:
    """Describe side-by-side drawings: what every panel shows once, then what each adds."""
    words = element_words(data_dir=data_dir)
    shared = set.intersection(*(set(elements) for _, elements in panels))
    parts = (
        [ui_text("alt.every_drawing", data_dir=data_dir, shows=_shows(shared, words))]
        if shared
        else []
    )
    texts = text_table(data_dir=data_dir)  # one look at the data folder for every panel
    nothing = fill(texts, "alt.nothing_more")
    parts += [
        fill(
            texts,
            "alt.panel_shows",
            heading=heading,
            shows=_shows(set(elements) - shared, words) or nothing,
        )
        for heading, elements in panels
    ]
    return " ".join(parts)


def _step_text(steps: pd.DataFrame, row: pd.Series, data_dir: str | Path | None) -> ChartText:
    """Alt text and long description of the drawing of one row of ``steps``."""
    alt = ui_text(
        "alt.step_drawing",
        data_dir=data_dir,
        step=row["step_number"],
        total=len(steps),
        option=steps.attrs["option_label"].lower(),
        label=row["label"].lower(),
    )
    shows = _shows(row["elements"], element_words(data_dir=data_dir))
    long = ui_text(
        "alt.step_drawing_long", data_dir=data_dir, shows=shows, description=row["description"]
    )
    return ChartText(alt, long, data_dir)


def drawing_text(
    option: str, step: int | None = None, *, data_dir: str | Path | None = None
) -> ChartText:
    """Alt text and long description of a step drawing, or of the strip of all steps.

    Parameters
    ----------
    option : {"kyphoplasty", "vertebroplasty"}
    step : int, optional
        The step number; without it, the text describes the whole strip.
    """
    steps = procedure_steps(option, data_dir=data_dir)
    if step is not None:
        return _step_text(steps, _pick(steps, step), data_dir)
    alt = ui_text(
        "alt.strip",
        data_dir=data_dir,
        count=len(steps),
        option=steps.attrs["option_label"].lower(),
    )
    texts = text_table(data_dir=data_dir)
    panels = [
        (fill(texts, "alt.strip_panel", step=number, label=str(label).lower()), elements)
        for number, label, elements in zip(
            steps["step_number"], steps["label"], steps["elements"], strict=True
        )
    ]
    return ChartText(alt, _shared_then_own(panels, data_dir), data_dir)


@dataclass(frozen=True)
class StepView:
    """One step as the step explorer shows it: the words, the drawing's text and the sources."""

    option: str
    option_label: str
    step: int
    total: int
    label: str
    description: str
    elements: tuple[str, ...]
    text: ChartText
    sources: pd.DataFrame
    #: The knowledge-base folder of the words (``element.*`` in ``ui_text.csv``).
    data_dir: str | Path | None = field(default=None, repr=False, compare=False)

    @property
    def shows(self) -> str:
        """What the drawing shows, in words."""
        return _shows(self.elements, element_words(data_dir=self.data_dir))

    @property
    def html(self) -> str:
        """Gone: HTML is written by the rendering layer, which this layer may not import."""
        raise AttributeError(
            "StepView.html moved to the rendering layer: use kypho_aid.export.step_view_html(view)"
        )


def step_view(option: str, step: int, *, data_dir: str | Path | None = None) -> StepView:
    """Everything the step explorer shows for one step of one procedure."""

    steps = procedure_steps(option, data_dir=data_dir)
    row = _pick(steps, step)
    return StepView(
        option=option,
        option_label=steps.attrs["option_label"],
        step=step,
        total=len(steps),
        label=str(row["label"]),
        description=str(row["description"]),
        elements=tuple(row["elements"]),
        text=_step_text(steps, row, data_dir),
        sources=bibliography(str(row["source_ids"]).split(";"), data_dir=data_dir),
        data_dir=data_dir,
    )


def step_comparison_text(
    steps: Iterable[tuple[str, int]], *, data_dir: str | Path | None = None
) -> ChartText:
    """Alt text and long description of :func:`kypho_aid.plotting.plot_step_comparison`."""
    views = [step_view(option, step, data_dir=data_dir) for option, step in steps]
    if not views:
        raise KyphoAidError("give at least one (option, step) pair to describe")
    texts = text_table(data_dir=data_dir)
    names = "; ".join(
        fill(
            texts,
            "alt.compare_step",
            option=v.option_label.lower(),
            step=v.step,
            label=v.label.lower(),
        )
        for v in views
    )
    alt = ui_text("alt.compare_steps", data_dir=data_dir, count=len(views), steps=names)
    panels = [
        (fill(texts, "alt.compare_panel", option=v.option_label, step=v.step), v.elements)
        for v in views
    ]
    return ChartText(alt, _shared_then_own(panels, data_dir), data_dir)
