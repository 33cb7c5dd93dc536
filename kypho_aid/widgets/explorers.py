"""Explorers: the views a reader steers to look at the evidence (outcome tiles, the risk
explorer, the procedure step by step), each a thin shell over a pure function."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import traitlets

from kypho_aid.datasets import load_dataset, option_labels
from kypho_aid.export import (
    outcome_tile_html,
    risk_view_html,
    step_view_html,
)
from kypho_aid.findings import pairwise_panels
from kypho_aid.outcomes import VIEWS, RiskView, outcome_tiles, risk_view
from kypho_aid.procedure import DRAWN_OPTIONS, procedure_steps, step_view
from kypho_aid.style import STEP_IMAGE_WIDTH_PX, TILE_COLUMNS
from kypho_aid.texts import ui_text
from kypho_aid.widgets._common import _html, _trusted, w


class OptionChecks(w.HBox):  # type: ignore[misc]
    """A tick box per option: each is picked or not on its own (a multiple-select list drops
    the others on a plain click). ``value`` is the tuple of ticked option ids, in order;
    ``options`` the (label, id) pairs, as on an ipywidgets selection."""

    value = traitlets.Tuple()

    def __init__(
        self, options: list[tuple[str, str]], *, value: tuple[str, ...], description: str
    ) -> None:
        self.options = options
        self.boxes = {
            option_id: w.Checkbox(value=option_id in value, description=label, indent=False)
            for label, option_id in options
        }
        legend = w.HTML(_html("bold", words=description))
        super().__init__([legend, *self.boxes.values()])
        self.value = tuple(option_id for _, option_id in options if option_id in value)
        for box in self.boxes.values():
            box.observe(self._ticked, names="value")
        self.observe(self._set, names="value")

    def _ticked(self, change: dict[str, Any]) -> None:
        self.value = tuple(option_id for option_id, box in self.boxes.items() if box.value)

    def _set(self, change: dict[str, Any]) -> None:
        for option_id, box in self.boxes.items():
            box.value = option_id in change["new"]


class OutcomeTiles(w.GridBox):  # type: ignore[misc]
    """The outcomes at a glance (MAGIC-style tiles): one tile per outcome from its fairest
    test, each with a button to talk about it first.

    ``chosen`` is the outcome last chosen (None until one is); ``on_choose`` callbacks get it.
    """

    def __init__(self, *, data_dir: str | Path | None = None) -> None:
        self.tiles = outcome_tiles(data_dir=data_dir)
        self.chosen: str | None = None
        self._callbacks: list[Callable[[str], None]] = []
        self.buttons: dict[str, w.Button] = {}
        children = []
        for tile in self.tiles:
            button = w.Button(
                description=ui_text("tile.talk", data_dir=data_dir),
                tooltip=tile.label,
            )
            button.add_class(f"kypho-tile-{tile.outcome}")
            button.on_click(lambda _, outcome=tile.outcome: self._choose(outcome))
            self.buttons[tile.outcome] = button
            box = w.VBox([w.HTML(outcome_tile_html(tile, data_dir=data_dir)), button])
            box.add_class("kypho-tile-box")
            children.append(box)
        super().__init__(
            children, layout=w.Layout(grid_template_columns=TILE_COLUMNS, grid_gap="0.8rem")
        )
        self.add_class("kypho-tiles")

    def on_choose(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(outcome)`` whenever a tile's button is pressed."""
        self._callbacks.append(callback)

    def _choose(self, outcome: str) -> None:
        self.chosen = outcome
        for callback in self._callbacks:
            callback(outcome)


class RiskExplorer(w.VBox):  # type: ignore[misc]
    """Choose an outcome, options and a view (icons, numbers, words); the output redraws in place.

    Attributes
    ----------
    outcome, options, comparison, view : ipywidgets controls
        ``comparison`` is the fairest test first (the default) or one named comparison.
    chart : ipywidgets.HTML
        The icon array or comparison chart, an ``<img>`` whose alt text is the chart's short
        description (ipywidgets' Image has no alt text); hidden in views without a chart.
    png : bytes
        That chart as PNG (empty in views without a chart).
    description : ipywidgets.HTML
        The alt text and the long description of the chart, in words.
    summary : ipywidgets.HTML
        The numbers (a table) or the words (sentences), with certainty and design.
    value : RiskView
        What is shown now.
    """

    def __init__(
        self,
        *,
        outcome: str = "new_fracture",
        options: tuple[str, ...] | None = None,
        view: str = "icons",
        comparison: str | None = None,
        data_dir: str | Path | None = None,
    ) -> None:
        self._data_dir = data_dir
        definitions = load_dataset("outcome_definitions", data_dir=data_dir)
        option_rows = load_dataset("options", data_dir=data_dir)
        option_ids = tuple(option_rows["option_id"].astype(str))
        self.outcome = w.Dropdown(
            options=list(
                zip(definitions["label"], definitions["outcome"].astype(str), strict=True)
            ),
            value=outcome,
            description=ui_text("risk.outcome", data_dir=data_dir),
        )
        self.options = OptionChecks(
            list(zip(option_rows["label"].astype(str), option_ids, strict=True)),
            value=options or option_ids,
            description=ui_text("risk.options", data_dir=data_dir),
        )
        panels = pairwise_panels(outcome, data_dir=data_dir)
        self.comparison = w.Dropdown(
            options=[
                (ui_text("risk.fairest_first", data_dir=data_dir), ""),
                *zip(panels["comparison_label"], panels["comparison"].astype(str), strict=True),
            ],
            value=comparison or "",
            description=ui_text("risk.compare", data_dir=data_dir),
        )
        self.view = w.ToggleButtons(
            options=[(ui_text(f"risk.view_{v}", data_dir=data_dir), v) for v in VIEWS],
            value=view,
            description=ui_text("risk.show", data_dir=data_dir),
        )
        self.chart = w.HTML(layout=w.Layout(max_width="100%"))
        self.png = b""
        self.description = w.HTML()
        self.summary = w.HTML()
        for control, name in (
            (self.outcome, "outcome"),
            (self.options, "options"),
            (self.comparison, "comparison"),
            (self.view, "view"),
        ):
            control.add_class(f"kypho-risk-{name}")
        self.summary.add_class("kypho-risk-summary")
        self.chart.add_class("kypho-risk-chart")
        super().__init__(
            [
                w.HBox([self.outcome, self.options]),
                self.comparison,
                self.view,
                self.chart,
                self.description,
                self.summary,
            ]
        )
        self.value: RiskView = self._render()
        for control in (self.outcome, self.options, self.comparison, self.view):
            control.observe(self._render, names="value")

    def _render(self, change: dict[str, Any] | None = None) -> RiskView:
        chosen = self.options.value or (self.options.options[0][1],)
        view = risk_view(
            self.outcome.value,
            chosen,
            self.view.value,
            comparison=self.comparison.value or None,
            data_dir=self._data_dir,
        )
        self.value = view
        if view.chart is not None and view.text is not None:
            from kypho_aid.plotting import render_png  # matplotlib only once a chart is shown

            self.png = render_png(view, data_dir=self._data_dir)
            encoded = base64.b64encode(self.png).decode("ascii")
            self.chart.value = _html(
                "chart_image",
                src=_trusted(f"data:image/png;base64,{encoded}"),
                alt=view.text.alt,
            )
            self.chart.layout.display = None
            self.description.value = _html(
                "chart_text",
                shows=ui_text("risk.chart_shows", data_dir=self._data_dir),
                alt=view.text.alt,
                long=view.text.long,
            )
        else:
            self.png = b""
            self.chart.value = ""
            self.chart.layout.display = "none"
            self.description.value = ""
        self.summary.value = risk_view_html(view, data_dir=self._data_dir)
        return view


class StepExplorer(w.VBox):  # type: ignore[misc]
    """Walk through a procedure step by step: pick the procedure, move the slider, see the drawing.

    A thin view over :func:`kypho_aid.procedure.step_view` and
    :func:`kypho_aid.plotting.render_step_png`. ``.value`` is the :class:`StepView` shown,
    ``.png`` the drawing; the drawing is an ``<img>`` with the step's alt text, so screen
    readers announce it.
    """

    def __init__(
        self,
        *,
        option: str = "kyphoplasty",
        step: int = 1,
        data_dir: str | Path | None = None,
    ) -> None:

        self._data_dir = data_dir
        labels = option_labels(data_dir=data_dir)
        first = step_view(option, step, data_dir=data_dir)  # checks option and step
        self.option = w.ToggleButtons(
            options=[(labels[o], o) for o in DRAWN_OPTIONS],
            value=option,
            description=ui_text("steps.procedure", data_dir=data_dir),
        )
        self.step = w.IntSlider(
            value=step,
            min=1,
            max=len(procedure_steps(option, data_dir=data_dir)),
            description=ui_text("steps.step", data_dir=data_dir),
            continuous_update=False,
        )
        self.drawing = w.HTML(layout=w.Layout(flex="0 0 auto"))  # never wider: style.APP_CSS
        self.png = b""
        self.words = w.HTML()
        for control, name in (
            (self.option, "option"),
            (self.step, "step"),
            (self.drawing, "drawing"),
            (self.words, "words"),
        ):
            control.add_class(f"kypho-steps-{name}")
        super().__init__([self.option, self.step, w.HBox([self.drawing, self.words])])
        self.value = first
        self._render()
        self.option.observe(self._switch, names="value")
        self.step.observe(self._render, names="value")

    def _switch(self, change: dict[str, Any] | None = None) -> None:

        total = len(procedure_steps(self.option.value, data_dir=self._data_dir))
        with self.step.hold_trait_notifications():
            self.step.value = min(self.step.value, total)
            self.step.max = total
        self._render()

    def _render(self, change: dict[str, Any] | None = None) -> None:
        from kypho_aid.plotting import render_step_png  # matplotlib only once a drawing is shown

        self.value = step_view(self.option.value, self.step.value, data_dir=self._data_dir)
        self.png = render_step_png(self.value, data_dir=self._data_dir)
        encoded = base64.b64encode(self.png).decode("ascii")
        self.drawing.value = _html(
            "step_drawing",
            src=_trusted(f"data:image/png;base64,{encoded}"),
            alt=self.value.text.alt,
            width=STEP_IMAGE_WIDTH_PX,
        )
        self.words.value = step_view_html(self.value, data_dir=self._data_dir)
