"""Charts, checked on their artists: icon counts, intervals, thresholds and labels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.transforms import Affine2D

import kypho_aid
from kypho_aid import KyphoAidError, style
from kypho_aid.plotting import (
    plot_icon_array,
    plot_outcome_comparison,
    plot_risk_view,
    plot_timeline,
    render_png,
)
from kypho_aid.plotting.charts import _risk_figure
from kypho_aid.texts import ui_text

OUTCOMES = kypho_aid.load_dataset("outcome_definitions")["outcome"].astype(str).tolist()


pytestmark = pytest.mark.usefixtures("charts")


def _icons(ax: plt.Axes, gid: str) -> int:
    found = [c for c in ax.collections if c.get_gid() == gid]
    return sum(len(c.get_offsets()) for c in found)


ICON_OUTCOMES = [o for o in OUTCOMES if kypho_aid.risk_view(o).chart == "icons"]
RARE_OUTCOMES = [
    o for o in ICON_OUTCOMES if int(kypho_aid.risk_view(o).finding["denominator"]) == 1000
]
CHART_OUTCOMES = [o for o in OUTCOMES if kypho_aid.risk_view(o).chart is not None]
SOF = kypho_aid.summary_of_findings()


@pytest.mark.parametrize("outcome", ICON_OUTCOMES)
def test_icon_counts_equal_the_two_arms_of_one_finding(outcome: str) -> None:
    finding = kypho_aid.risk_view(outcome).finding
    assert finding is not None
    ax = plot_icon_array(finding)
    denominator = int(finding["denominator"])
    drawn = {str(c.get_gid()).split("-", 1)[1] for c in ax.collections}
    assert drawn == {finding["intervention"], finding["comparator"]}
    for side in ("intervention", "comparator"):
        arm = str(finding[side])
        assert _icons(ax, f"filled-{arm}") == round(float(finding[f"{side}_per"]))
        assert _icons(ax, f"filled-{arm}") + _icons(ax, f"unaffected-{arm}") == denominator
        label = next(t for t in ax.texts if t.get_gid() == f"label-{arm}")
        assert f"out of {denominator}" in label.get_text()
    assert str(finding["timepoint"]) in " ".join(ax.get_title(loc="left").split())


def test_affected_icons_form_one_block_from_the_top_left() -> None:
    finding = kypho_aid.risk_view("new_fracture").finding
    assert finding is not None
    ax = plot_icon_array(finding)
    arm = str(finding["intervention"])
    filled = next(c for c in ax.collections if c.get_gid() == f"filled-{arm}").get_offsets()
    unaffected = next(c for c in ax.collections if c.get_gid() == f"unaffected-{arm}").get_offsets()
    assert len(filled) and len(unaffected)
    # row-major from the top: every filled icon comes before every grey one
    assert max((-y, x) for x, y in filled) <= min((-y, x) for x, y in unaffected)


def test_there_is_a_rare_outcome_to_draw() -> None:
    assert RARE_OUTCOMES  # else the tests of 1000-icon pictures below test nothing


@pytest.mark.parametrize("outcome", RARE_OUTCOMES)
def test_rare_outcomes_use_a_thousand_icons_per_arm_in_ten_blocks_of_a_hundred(
    outcome: str,
) -> None:
    finding = kypho_aid.risk_view(outcome).finding
    assert finding is not None and int(finding["denominator"]) == 1000
    ax = plot_icon_array(finding)
    # one scatter per class of icon per arm (vector markers), no patch per person
    assert all(isinstance(c, PathCollection) for c in ax.collections)
    assert len(ax.collections) == 4 and not ax.patches
    for side in ("intervention", "comparator"):
        arm = str(finding[side])
        filled, unaffected = _icons(ax, f"filled-{arm}"), _icons(ax, f"unaffected-{arm}")
        assert filled == round(float(finding[f"{side}_per"])) >= 1
        assert filled + unaffected == 1000
        label = next(t for t in ax.texts if t.get_gid() == f"label-{arm}")
        assert "out of 1000" in label.get_text()
        points = np.concatenate(
            [c.get_offsets() for c in ax.collections if str(c.get_gid()).endswith(f"-{arm}")]
        )
        # ten blocks of 10 by 10: icon columns and rows fall into runs of ten split by gaps
        for axis in (0, 1):
            places = np.unique(np.round(points[:, axis], 6))
            steps = np.diff(places)
            runs = np.split(places, np.flatnonzero(steps > steps.min() * 1.2) + 1)
            assert {len(run) for run in runs} == {10}
        assert len(np.unique(np.round(points, 6), axis=0)) == 1000


@pytest.mark.parametrize("where", ["app", "notebook"])
@pytest.mark.parametrize("outcome", ICON_OUTCOMES)
def test_icons_are_far_enough_apart_to_pick_out_one_person_and_never_overlap(
    outcome: str, where: str
) -> None:
    view = kypho_aid.risk_view(outcome)
    if where == "app":  # render_png's figure
        figure = _risk_figure(view)
    else:  # a new pyplot figure, as show_risk_view draws in a notebook
        assert view.finding is not None
        figure = plot_icon_array(view.finding).get_figure(root=True)
    figure.canvas.draw()
    ax = figure.axes[0]
    scatter = next(c for c in ax.collections if str(c.get_gid()).startswith("unaffected-"))
    centres = ax.transData.transform(scatter.get_offsets())
    pitch = [np.diff(np.unique(np.round(centres[:, i], 3))).min() for i in (0, 1)]
    assert min(pitch) >= style.MIN_ICON_PITCH_PX
    # the marker as drawn: its path scaled by the collection's transform (already in pixels)
    scale = Affine2D(scatter.get_transforms()[0])
    extent = scatter.get_paths()[0].transformed(scale).get_extents()
    assert extent.width < pitch[0] and extent.height < pitch[1]
    assert extent.width >= 5  # pixels: a person, not a dot


@pytest.mark.parametrize("outcome", CHART_OUTCOMES)
def test_every_risk_chart_title_lies_inside_its_figure_in_full(outcome: str) -> None:
    view = kypho_aid.risk_view(outcome)
    figure = _risk_figure(view)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    title = ax.get_title(loc="left")
    assert title
    box = next(t for t in (ax.title, ax._left_title) if t.get_text() == title)
    extent = box.get_window_extent(renderer)
    assert figure.bbox.x0 <= extent.x0 and extent.x1 <= figure.bbox.x1
    assert figure.bbox.y0 <= extent.y0 and extent.y1 <= figure.bbox.y1
    if view.chart == "icons":  # wrapped into lines, never cut: every word is still there
        assert view.finding is not None
        assert str(view.finding["timepoint"]) in " ".join(title.split())


def test_a_picture_refuses_rows_from_more_than_one_finding_and_non_randomised_rows() -> None:
    fractures = SOF[(SOF["outcome"] == "new_fracture") & SOF["drawable"] & (SOF["kind"] == "risk")]
    with pytest.raises(KyphoAidError, match="one finding"):
        plot_icon_array(fractures.head(2))
    pooled = SOF[SOF["source_ids"].str.contains("PAPA2012") & (SOF["kind"] == "risk")].iloc[0]
    with pytest.raises(KyphoAidError, match="told in words"):
        plot_icon_array(pooled)
    observational = SOF[SOF["design"] == "observational"]
    with pytest.raises(KyphoAidError, match="randomised"):
        plot_outcome_comparison(observational.head(1))


def test_gap_chart_turns_each_gap_so_that_right_favours_the_first_arm_and_labels_both_sides() -> (
    None
):
    rows = SOF[
        (SOF["comparison"] == "vp_vs_sham")
        & (SOF["kind"] == "difference")
        & (SOF["better"] != "unknown")
        & (SOF["unit"] == "points")
    ]
    assert len(rows) >= 3
    ax = plot_outcome_comparison(rows)
    for row in rows.itertuples():
        estimate = next(line for line in ax.lines if line.get_gid() == f"estimate-{row.finding_id}")
        benefit = -row.effect if row.direction == "lower_is_better" else row.effect
        assert estimate.get_xdata()[0] == pytest.approx(benefit)
        assert (benefit > 0) == (row.better == "intervention")
        interval = next(line for line in ax.lines if line.get_gid() == f"interval-{row.finding_id}")
        ends = sorted(-v if row.direction == "lower_is_better" else v for v in (row.low, row.high))
        assert list(interval.get_xdata()) == pytest.approx(ends)
    favours = {t.get_gid(): t.get_text() for t in ax.texts}
    assert "Vertebroplasty did better" in favours["favours-right"]
    assert "sham" in favours["favours-left"] and "did better" in favours["favours-left"]
    with pytest.raises(KyphoAidError, match="direction"):
        plot_outcome_comparison(
            SOF[(SOF["better"] == "unknown") & (SOF["kind"] == "difference")].head(1)
        )


def test_a_pair_of_means_draws_the_two_arms_of_one_finding() -> None:
    finding = SOF[(SOF["outcome"] == "procedure_time")].iloc[0]
    ax = plot_outcome_comparison(finding.to_frame().T)
    bars = {p.get_gid(): p.get_width() for p in ax.patches if p.get_gid()}
    assert bars == {
        f"bar-{finding['intervention']}": pytest.approx(finding["intervention_value"]),
        f"bar-{finding['comparator']}": pytest.approx(finding["comparator_value"]),
    }


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


def test_show_risk_view_draws_the_lead_finding_then_prints_its_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kypho_aid.plotting import show_risk_view

    shown: list[int] = []
    monkeypatch.setattr(plt, "show", lambda: shown.append(len(plt.gcf().axes[0].collections)))
    show_risk_view("new_fracture")
    view = kypho_aid.risk_view("new_fracture")
    assert shown and shown[0] > 0  # the icon arrays were drawn when the figure was shown
    # rule 8: the sham-controlled counts, too few to draw, are told first, in words
    fairest = view.figures.iloc[0]
    assert not view.finding_is_fairest and fairest["design"] == "sham_controlled_rct"
    told = ui_text(
        "risk.fairest_in_words",
        comparison=fairest["comparison_label"],
        statement=fairest["statement"],
    )
    assert capsys.readouterr().out == f"{told}\n{view.text}\n"
    # where the picture is of the fairest test, only its words follow
    show_risk_view("cement_embolism")
    view = kypho_aid.risk_view("cement_embolism")
    assert view.finding_is_fairest
    assert capsys.readouterr().out == f"{view.text}\n"


def test_a_png_laid_out_once_is_the_png_matplotlib_saves() -> None:
    from io import BytesIO

    from kypho_aid.plotting._base import figure_png, theme

    view = kypho_aid.risk_view("new_fracture", view="icons")
    ours = _risk_figure(view)
    engine = ours.get_layout_engine()
    png = figure_png(ours)
    assert ours.get_layout_engine() is engine  # the figure keeps laying out at each draw
    plain = BytesIO()
    with theme():
        _risk_figure(view).savefig(plain, format="png", metadata={"Software": None})
    assert png == plain.getvalue()
