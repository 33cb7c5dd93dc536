"""Drawings of both procedures, step by step: each draws what its data row names, and no more."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes

from kypho_aid import KyphoAidError, UnknownOptionError
from kypho_aid.export import step_view_html
from kypho_aid.plotting import (
    draw_elements,
    plot_procedure_step,
    plot_procedure_strip,
    plot_step_comparison,
)
from kypho_aid.procedure import (
    DRAWN_OPTIONS,
    drawing_text,
    element_words,
    first_step_with,
    procedure_steps,
    step_comparison_text,
    step_view,
)

from .conftest import DATA


def _rows() -> list[dict[str, str]]:
    """The steps as written in data/steps.csv, read with the csv module (not the library)."""
    with (DATA / "steps.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = [r for r in _rows() if r["option_id"] in DRAWN_OPTIONS]
ELEMENT_TEXT = element_words()
ELEMENTS = set(ELEMENT_TEXT)


pytestmark = pytest.mark.usefixtures("charts")


def _drawn(ax: Axes) -> set[str]:
    """The element names carried as gids by the artists of ``ax``."""
    return {a.get_gid() for a in ax.findobj() if a.get_gid() in ELEMENTS}


def _step(row: dict[str, str]) -> Axes:
    return plot_procedure_step(row["option_id"], int(row["step_number"]))


def _drawn_step(row: dict[str, str]) -> set[str]:
    """Draw one step, collect what it shows and close the figure."""
    ax = _step(row)
    drawn = _drawn(ax)
    plt.close(ax.figure)
    return drawn


def _id(row: dict[str, str]) -> str:
    return f"{row['option_id']}-{row['step_number']}"


def test_the_schema_names_every_element_the_drawing_knows() -> None:
    schema = (DATA / "steps.schema.yaml").read_text(encoding="utf-8")
    line = next(ln for ln in schema.splitlines() if "enum: [patient_prone" in ln)
    assert set(line.split("[", 1)[1].rstrip("]").split(", ")) == ELEMENTS


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_each_step_draws_exactly_the_elements_its_row_names(row: dict[str, str]) -> None:
    ax = _step(row)
    assert _drawn(ax) == set(row["elements"].split(";"))
    assert ax.get_title(loc="left") == f"Step {row['step_number']}: {row['label']}"


def test_a_balloon_only_in_kyphoplasty() -> None:
    balloon = {"balloon", "balloon_deflated", "cavity"}
    for row in ROWS:
        drawn = _drawn_step(row) & balloon
        if row["option_id"] == "vertebroplasty":
            assert not drawn, _id(row)
    kyphoplasty = [_drawn_step(r) for r in ROWS if r["option_id"] == "kyphoplasty"]
    assert any("balloon" in d for d in kyphoplasty)
    assert any("balloon_deflated" in d for d in kyphoplasty)


@pytest.mark.parametrize("option", DRAWN_OPTIONS)
def test_cement_only_from_the_injection_step_on(option: str) -> None:
    rows = sorted(
        (r for r in ROWS if r["option_id"] == option), key=lambda r: int(r["step_number"])
    )
    # the injection step is the first whose name speaks of cement ("Fill the space with cement")
    injection = next(int(r["step_number"]) for r in rows if "cement" in r["label"].lower())
    assert 1 < injection < len(rows)
    for row in rows:
        has_cement = "cement" in _drawn_step(row)
        assert has_cement == (int(row["step_number"]) >= injection), _id(row)


def test_the_cement_goes_in_at_low_pressure_in_kyphoplasty_and_high_in_vertebroplasty() -> None:
    for row in ROWS:
        drawn = _drawn_step(row)
        if "cement" in drawn and "needle" in drawn:  # the injection itself
            expected = "low_pressure" if row["option_id"] == "kyphoplasty" else "high_pressure"
            assert expected in drawn and (
                {"low_pressure", "high_pressure"} - {expected}
            ).isdisjoint(drawn)


def test_kyphoplasty_cement_fills_the_space_and_vertebroplasty_cement_spreads_wider() -> None:
    def cement_width(option: str, step: int) -> float:
        ax = plot_procedure_step(option, step)
        ax.figure.canvas.draw()
        patches = [p for p in ax.patches if p.get_gid() == "cement"]
        return max(p.get_window_extent().width for p in patches)

    def first_cement(option: str) -> int:
        return next(
            int(r["step_number"])
            for r in ROWS
            if r["option_id"] == option and "cement" in r["elements"].split(";")
        )

    assert cement_width("vertebroplasty", first_cement("vertebroplasty")) > cement_width(
        "kyphoplasty", first_cement("kyphoplasty")
    )


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_nothing_is_cut_off_and_no_two_labels_overlap(row: dict[str, str]) -> None:
    ax = _step(row)
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer).expanded(1.02, 1.02)
    labels = [t for t in ax.texts if str(t.get_gid()).startswith("label-")]
    for artist in [*labels, *[p for p in ax.patches if p.get_gid() in ELEMENTS]]:
        box = artist.get_window_extent(renderer)
        assert frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1), artist
    for first, second in itertools.combinations(labels, 2):
        assert not first.get_window_extent(renderer).overlaps(second.get_window_extent(renderer)), (
            first.get_text(),
            second.get_text(),
        )


@pytest.mark.parametrize("option", DRAWN_OPTIONS)
def test_the_strip_shows_every_step_in_order(option: str) -> None:
    figure = plot_procedure_strip(option)
    rows = [r for r in ROWS if r["option_id"] == option]
    titles = [ax.get_title(loc="left") for ax in figure.axes if ax.get_title(loc="left")]
    assert titles == [f"Step {r['step_number']}: {r['label']}" for r in rows]
    panels = [ax for ax in figure.axes if ax.get_title(loc="left")]
    assert [_drawn(ax) for ax in panels] == [set(r["elements"].split(";")) for r in rows]
    assert "step by step" in figure.get_suptitle()


def test_procedure_steps_come_in_order_with_their_sources() -> None:
    steps = procedure_steps("kyphoplasty")
    rows = [r for r in ROWS if r["option_id"] == "kyphoplasty"]
    assert steps["step_number"].tolist() == list(range(1, len(rows) + 1))
    assert steps["label"].tolist() == [r["label"] for r in rows]
    assert steps["source_ids"].tolist() == [r["source_ids"] for r in rows]
    assert all(isinstance(e, tuple) for e in steps["elements"])


def test_the_drawing_text_names_every_element_shown() -> None:
    for row in ROWS:
        text = drawing_text(row["option_id"], int(row["step_number"]))
        assert f"step {row['step_number']} of" in text.alt
        for element in row["elements"].split(";"):
            assert ELEMENT_TEXT[element] in text.long
        assert row["description"] in text.long
    strip = drawing_text("vertebroplasty")
    count = sum(r["option_id"] == "vertebroplasty" for r in ROWS)
    assert f"the {count} steps of vertebroplasty" in strip.alt
    assert strip.long.count("Step ") == count


def test_the_step_view_cites_its_sources_and_escapes_html(data_copy: Path) -> None:
    view = step_view("vertebroplasty", 5)
    row = next(r for r in ROWS if r["option_id"] == "vertebroplasty" and r["step_number"] == "5")
    assert view.sources["source_id"].tolist() == row["source_ids"].split(";")
    assert "high pressure" in step_view_html(view).lower()
    steps = data_copy / "steps.csv"
    steps.write_text(
        steps.read_text(encoding="utf-8").replace("Push in the cement", "<script>x</script>"),
        encoding="utf-8",
    )
    hostile = step_view("vertebroplasty", 5, data_dir=data_copy)
    shown = step_view_html(hostile)
    assert "<script>" not in shown and "&lt;script&gt;" in shown


@pytest.mark.parametrize(
    ("option", "step", "error", "message"),
    [
        ("surgery", 1, UnknownOptionError, "unknown option 'surgery'"),
        ("non_surgical", 1, KyphoAidError, "not a procedure"),
        ("vertebroplasty", 0, KyphoAidError, "from 1 to 7"),
        ("kyphoplasty", 12, KyphoAidError, "from 1 to 11"),
        ("kyphoplasty", "3", KyphoAidError, "whole number"),
        ("kyphoplasty", True, KyphoAidError, "whole number"),
    ],
)
def test_a_bad_option_or_step_is_named(
    option: str, step: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        plot_procedure_step(option, step)  # type: ignore[arg-type]


def test_an_unknown_element_is_refused() -> None:
    with pytest.raises(KyphoAidError, match="no drawing for stent"):
        draw_elements(["vertebra", "stent"])


def test_the_step_explorer_follows_its_controls() -> None:
    from kypho_aid.widgets import StepExplorer

    explorer = StepExplorer()
    kyphoplasty = [r for r in ROWS if r["option_id"] == "kyphoplasty"]
    assert explorer.step.max == len(kyphoplasty)
    assert explorer.png[:4] == b"\x89PNG"
    assert f'alt="{explorer.value.text.alt}"' in explorer.drawing.value
    first = explorer.png
    explorer.step.value = len(kyphoplasty)
    assert explorer.value.label == kyphoplasty[-1]["label"]
    assert explorer.png != first
    explorer.option.value = "vertebroplasty"
    vertebroplasty = [r for r in ROWS if r["option_id"] == "vertebroplasty"]
    assert explorer.step.max == explorer.step.value == len(vertebroplasty)
    assert explorer.value.label == vertebroplasty[-1]["label"]
    assert "Vertebroplasty, step" in explorer.words.value


def test_first_step_with_finds_the_injection_and_refuses_a_balloon_in_vertebroplasty() -> None:
    for option in DRAWN_OPTIONS:
        rows = [r for r in ROWS if r["option_id"] == option]
        expected = next(int(r["step_number"]) for r in rows if "cement" in r["elements"].split(";"))
        assert first_step_with(option, "cement") == expected
    with pytest.raises(KyphoAidError, match="no step of vertebroplasty shows 'balloon'"):
        first_step_with("vertebroplasty", "balloon")


def test_the_step_comparison_draws_the_chosen_steps_in_order() -> None:
    chosen = [("kyphoplasty", 7), ("vertebroplasty", 5)]
    figure = plot_step_comparison(chosen)
    panels = [ax for ax in figure.axes if ax.get_title(loc="left")]
    rows = {(r["option_id"], int(r["step_number"])): r for r in ROWS}
    assert [_drawn(ax) for ax in panels] == [set(rows[c]["elements"].split(";")) for c in chosen]
    assert [ax.get_title(loc="left").split("\n")[1] for ax in panels] == [
        rows[c]["label"] for c in chosen
    ]
    text = step_comparison_text(chosen)
    assert "2 steps side by side" in text.alt
    assert ELEMENT_TEXT["balloon"] in text.long and ELEMENT_TEXT["high_pressure"] in text.long
    with pytest.raises(KyphoAidError, match="at least one"):
        plot_step_comparison([])


def test_the_strip_takes_a_number_of_columns() -> None:
    figure = plot_procedure_strip("kyphoplasty", columns=6)
    panels = [ax for ax in figure.axes if ax.get_title(loc="left")]
    assert len({round(ax.get_position().y0, 3) for ax in panels}) == 2  # two rows of six
    with pytest.raises(KyphoAidError, match="columns must be 1 or more"):
        plot_procedure_strip("kyphoplasty", columns=-1)


def test_element_words_follow_a_data_copy(data_copy: Path) -> None:
    assert element_words() == ELEMENT_TEXT
    assert list(ELEMENT_TEXT)[:2] == ["vertebra", "fracture"]  # the bone first
    path = data_copy / "ui_text.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("a hollow needle from the back", "a thin hollow needle from the back")
    text = text.replace("Drawing of step {step}", "Picture of step {step}")
    path.write_text(text, encoding="utf-8")
    step = first_step_with("kyphoplasty", "needle")
    described = drawing_text("kyphoplasty", step, data_dir=data_copy)
    assert described.alt.startswith("Picture of step ")
    assert "a thin hollow needle" in described.long
    assert "a thin hollow needle" in step_view("kyphoplasty", step, data_dir=data_copy).shows
    assert "a thin hollow needle" in drawing_text("kyphoplasty", data_dir=data_copy).long
