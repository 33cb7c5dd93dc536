"""Charts, checked on their artists: icon counts, intervals, thresholds and labels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import kypho_aid
from kypho_aid import KyphoAidError
from kypho_aid.plotting import (
    plot_icon_array,
    plot_outcome_comparison,
    plot_risk_view,
    plot_timeline,
    render_png,
)

OUTCOMES = kypho_aid.load_dataset("outcome_definitions")["outcome"].astype(str).tolist()


pytestmark = pytest.mark.usefixtures("charts")


def _icons(ax: plt.Axes, gid: str) -> int:
    found = [c for c in ax.collections if c.get_gid() == gid]
    return sum(len(c.get_offsets()) for c in found)


ICON_OUTCOMES = [o for o in OUTCOMES if kypho_aid.risk_view(o).chart == "icons"]


@pytest.mark.parametrize("outcome", ICON_OUTCOMES)
def test_icon_counts_equal_the_figures(outcome: str) -> None:
    view = kypho_aid.risk_view(outcome)
    ax = plot_icon_array(view.figures)
    for row in view.figures.itertuples():
        option = str(row.option_id)
        if row.kind != "frequency":
            assert _icons(ax, f"filled-{option}") == 0
            continue
        denominator = int(row.denominator)
        low_or_point = row.events if pd.notna(row.events) else row.events_low
        top = row.events_high if pd.notna(row.events_high) else low_or_point
        assert _icons(ax, f"filled-{option}") == round(float(low_or_point))
        assert _icons(ax, f"uncertain-{option}") == round(float(top)) - round(float(low_or_point))
        total = sum(
            _icons(ax, f"{part}-{option}") for part in ("filled", "uncertain", "unaffected")
        )
        assert total == denominator
        label = next(t for t in ax.texts if t.get_gid() == f"label-{option}")
        assert f"out of {denominator}" in label.get_text()


def test_affected_icons_form_one_block_from_the_top_left() -> None:
    view = kypho_aid.risk_view("new_fracture")
    ax = plot_icon_array(view.figures)
    option = str(view.figures[view.figures["kind"] == "frequency"].iloc[0]["option_id"])
    filled = next(c for c in ax.collections if c.get_gid() == f"filled-{option}").get_offsets()
    unaffected = next(
        c for c in ax.collections if c.get_gid() == f"unaffected-{option}"
    ).get_offsets()
    assert len(filled) and len(unaffected)
    # row-major from the top: every filled icon comes before every grey one
    assert max((-y, x) for x, y in filled) <= min((-y, x) for x, y in unaffected)


def test_rare_outcomes_use_a_thousand_icons_for_every_option() -> None:
    view = kypho_aid.risk_view("cement_embolism")
    frequencies = view.figures[view.figures["kind"] == "frequency"]
    assert len(frequencies) and set(frequencies["denominator"].astype(int)) == {1000}


def test_comparison_chart_draws_intervals_estimates_threshold_and_unit() -> None:
    table = kypho_aid.summarize_outcomes()
    differences = table[(table["kind"] == "mean_difference") & table["mcid"].notna()]
    outcome = str(differences.iloc[0]["outcome"])
    rows = table[(table["outcome"] == outcome) & (table["kind"] == "mean_difference")]
    rows = rows[rows["unit"] == rows.iloc[0]["unit"]]
    ax = plot_outcome_comparison(rows)
    for row in rows.itertuples():
        estimate = next(line for line in ax.lines if line.get_gid() == f"estimate-{row.figure_id}")
        assert estimate.get_xdata()[0] == pytest.approx(row.value)
        if pd.notna(row.low):
            interval = next(
                line for line in ax.lines if line.get_gid() == f"interval-{row.figure_id}"
            )
            assert list(interval.get_xdata()) == pytest.approx([row.low, row.high])
    threshold = next(line for line in ax.lines if line.get_gid() == "threshold")
    assert threshold.get_xdata()[0] == pytest.approx(rows["mcid"].dropna().iloc[0])
    assert ax.get_xlabel() == rows.iloc[0]["unit"]


def test_every_outcome_can_be_drawn_or_says_it_cannot() -> None:
    for outcome in OUTCOMES:
        view = kypho_aid.risk_view(outcome)
        if view.chart is None:
            with pytest.raises(KyphoAidError):
                plot_risk_view(view)
        else:
            assert render_png(view).startswith(b"\x89PNG")


def test_timeline_spans_match_the_stated_times() -> None:
    items = kypho_aid.load_dataset("preparation_recovery")
    ax = plot_timeline(items)
    timed = items[items["time_low"].notna()]
    spans = [line for line in ax.lines if str(line.get_gid()).startswith("span-")]
    assert len(spans) == len(timed)
    fasting = timed[timed["time_reference"] == "before_procedure"].iloc[0]
    span = next(line for line in spans if line.get_gid() == f"span-{fasting['item_id']}")
    assert max(span.get_xdata()) <= 0
    assert "hours" in ax.get_xlabel()


def test_functions_draw_on_the_axes_they_are_given() -> None:
    figure, ax = plt.subplots()
    view = kypho_aid.risk_view(ICON_OUTCOMES[0])
    assert plot_risk_view(view, ax=ax) is ax
    assert len(figure.axes) == 1
