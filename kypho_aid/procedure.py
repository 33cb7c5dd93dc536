"""What happens during each procedure, step by step, and what a drawing of each step shows.

Reads the ``steps`` dataset: its order, plain-language labels, sources and the ``elements``
a schematic drawing of the step shows (a balloon only in kyphoplasty, cement only from the
injection step on). :mod:`kypho_aid.plotting` draws the elements named here and nothing
else; :func:`drawing_text` says in words what each drawing shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from kypho_aid.compare import bibliography
from kypho_aid.datasets import load_dataset
from kypho_aid.exceptions import KyphoAidError, UnknownOptionError
from kypho_aid.outcomes import ChartText

__all__ = [
    "DRAWN_OPTIONS",
    "ELEMENT_WORDS",
    "StepView",
    "drawing_text",
    "first_step_with",
    "procedure_steps",
    "step_comparison_text",
    "step_row",
    "step_view",
]

#: The options that are procedures with steps to draw; non-surgical care has none.
DRAWN_OPTIONS: Final = ("kyphoplasty", "vertebroplasty")

#: What each drawing element shows, in plain words (used for alt text).
ELEMENT_WORDS: Final = {
    "vertebra": "three spine bones seen from the side, the front of the body on the left",
    "fracture": "the middle bone squashed lower at the front, with cracks",
    "patient_prone": "the person lying face down on a table",
    "monitoring": "a screen that tracks the heart and blood pressure",
    "skin_numbing": "a small shot that numbs the skin",
    "incision": "a tiny cut in the skin of the back",
    "xray": "the X-ray machine that guides the doctor",
    "contrast": "dye near the tip of the needle that shows on X-ray",
    "needle": "a hollow needle from the back into the broken bone",
    "balloon": "a balloon blown up inside the bone, making a space",
    "balloon_deflated": "the balloon let down and pulled back out through the needle",
    "cavity": "the space the balloon made inside the bone (filled once the cement is in)",
    "cement": "bone cement inside the bone",
    "low_pressure": "a gauge on low: the cement goes into the space with a gentle push",
    "high_pressure": "a gauge on high: the cement is pushed hard and spreads through the bone",
    "cement_hardening": "a clock: the cement is setting hard",
    "xray_check": "an X-ray check of where the cement went",
}


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


def _shows(elements: tuple[str, ...] | set[str]) -> str:
    """The elements in words, in the order of :data:`ELEMENT_WORDS` (the bone first)."""
    return "; ".join(words for element, words in ELEMENT_WORDS.items() if element in elements)


def _shared_then_own(panels: list[tuple[str, tuple[str, ...]]]) -> str:
    """Describe side-by-side drawings: what every panel shows once, then what each adds."""
    shared = set.intersection(*(set(elements) for _, elements in panels))
    parts = [f"Every drawing shows {_shows(shared)}."] if shared else []
    parts += [
        f"{heading}: {_shows(set(elements) - shared) or 'nothing more'}."
        for heading, elements in panels
    ]
    return " ".join(parts)


def _step_text(steps: pd.DataFrame, row: pd.Series) -> ChartText:
    """Alt text and long description of the drawing of one row of ``steps``."""
    name = steps.attrs["option_label"].lower()
    alt = f"Drawing of step {row['step_number']} of {len(steps)} of {name}: {row['label'].lower()}."
    return ChartText(alt, f"The drawing shows {_shows(row['elements'])}. {row['description']}")


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
        return _step_text(steps, _pick(steps, step))
    alt = (
        f"Drawings of the {len(steps)} steps of {steps.attrs['option_label'].lower()}, side "
        "by side, each a side view of the spine with the front of the body on the left."
    )
    panels = [
        (f"Step {number}, {str(label).lower()}", elements)
        for number, label, elements in zip(
            steps["step_number"], steps["label"], steps["elements"], strict=True
        )
    ]
    return ChartText(alt, _shared_then_own(panels))


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

    @property
    def shows(self) -> str:
        """What the drawing shows, in words."""
        return _shows(self.elements)

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
        text=_step_text(steps, row),
        sources=bibliography(str(row["source_ids"]).split(";"), data_dir=data_dir),
    )


def step_comparison_text(
    steps: Iterable[tuple[str, int]], *, data_dir: str | Path | None = None
) -> ChartText:
    """Alt text and long description of :func:`kypho_aid.plotting.plot_step_comparison`."""
    views = [step_view(option, step, data_dir=data_dir) for option, step in steps]
    if not views:
        raise KyphoAidError("give at least one (option, step) pair to describe")
    names = "; ".join(f"{v.option_label.lower()}, step {v.step} ({v.label.lower()})" for v in views)
    alt = f"Drawings of {len(views)} steps side by side: {names}."
    panels = [(f"{v.option_label}, step {v.step}", v.elements) for v in views]
    return ChartText(alt, _shared_then_own(panels))
