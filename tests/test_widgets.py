"""The risk explorer: a thin view whose output follows its controls."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from kypho_aid.widgets import RiskExplorer


def test_explorer_shows_the_pure_functions_result() -> None:
    explorer = RiskExplorer(outcome="new_fracture")
    assert explorer.value.outcome == "new_fracture"
    assert explorer.summary.value == explorer.value.html
    if explorer.value.chart:
        assert bytes(explorer.chart.value).startswith(b"\x89PNG")
        assert "What the chart shows" in explorer.description.value


def test_changing_controls_redraws_in_place() -> None:
    explorer = RiskExplorer(outcome="new_fracture")
    explorer.view.value = "words"
    assert explorer.value.view == "words" and explorer.chart.layout.display == "none"
    assert explorer.summary.value.count("<p>") == len(explorer.value.figures)
    explorer.options.value = ("non_surgical",)
    assert explorer.value.options == ("non_surgical",)
    explorer.outcome.value = "cement_embolism"
    assert explorer.value.outcome == "cement_embolism"


def test_an_empty_selection_falls_back_to_one_option() -> None:
    explorer = RiskExplorer()
    explorer.options.value = ()
    assert len(explorer.value.options) == 1
