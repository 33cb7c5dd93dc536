"""Interactive views for notebooks and the app: thin ipywidgets shells over pure functions.

The only module that imports ipywidgets. A widget builds its controls, wires them with
``observe`` and on every change calls one pure function (here :func:`kypho_aid.outcomes.risk_view`)
and one drawing function; it computes nothing itself and never calls ``display``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

try:
    import ipywidgets as w
except ImportError as err:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "kypho_aid.widgets needs ipywidgets: pip install 'kypho-aid[widgets]'"
    ) from err

from kypho_aid.datasets import load_dataset
from kypho_aid.outcomes import VIEWS, RiskView, risk_view
from kypho_aid.plotting import render_png

__all__ = ["RiskExplorer"]


class RiskExplorer(w.VBox):  # type: ignore[misc]
    """Choose an outcome, options and a view (icons, numbers, words); the output redraws in place.

    Attributes
    ----------
    outcome, options, view : ipywidgets controls
    chart : ipywidgets.Image
        The icon array or comparison chart (PNG), hidden in views without a chart.
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
            description="Outcome",
        )
        self.options = w.SelectMultiple(
            options=list(zip(option_rows["label"], option_ids, strict=True)),
            value=options or option_ids,
            description="Options",
            rows=len(option_ids),
        )
        self.view = w.ToggleButtons(
            options=[(v.capitalize(), v) for v in VIEWS], value=view, description="Show"
        )
        self.chart = w.Image(format="png")
        self.description = w.HTML()
        self.summary = w.HTML()
        for control, name in (
            (self.outcome, "outcome"),
            (self.options, "options"),
            (self.view, "view"),
        ):
            control.add_class(f"kypho-risk-{name}")
        self.summary.add_class("kypho-risk-summary")
        super().__init__(
            [
                w.HBox([self.outcome, self.options]),
                self.view,
                self.chart,
                self.description,
                self.summary,
            ]
        )
        self.value: RiskView = self._render()
        for control in (self.outcome, self.options, self.view):
            control.observe(self._render, names="value")

    def _render(self, change: dict[str, Any] | None = None) -> RiskView:
        chosen = self.options.value or (self.options.options[0][1],)
        view = risk_view(self.outcome.value, chosen, self.view.value, data_dir=self._data_dir)
        self.value = view
        if view.chart is not None and view.text is not None:
            self.chart.value = render_png(view)
            self.chart.layout.display = None
            self.description.value = (
                f'<p class="kypho-risk-alt"><strong>What the chart shows:</strong> {html.escape(view.text.alt)}</p>'
                f'<p class="kypho-risk-long">{html.escape(view.text.long)}</p>'
            )
        else:
            self.chart.layout.display = "none"
            self.description.value = ""
        self.summary.value = view.html
        return view
