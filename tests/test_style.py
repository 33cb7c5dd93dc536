"""Accessibility of the palette: WCAG 2.2 contrast and colour-vision-deficiency distances."""

from __future__ import annotations

import itertools
import re

import pytest

from kypho_aid import style

from .conftest import ROOT

MARKS = {
    **style.PROCEDURE_COLORS,
    "icon edge": style.ICON_EDGE_COLOR,
    "threshold": style.THRESHOLD_COLOR,
}
TEXTS = {"text": style.TEXT_COLOR, "muted text": style.MUTED_TEXT_COLOR, "link": style.LINK_COLOR}
FILLS = {**style.PROCEDURE_COLORS, "unaffected": style.UNAFFECTED_COLOR}


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert style.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert style.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert style.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_cvd_simulation_keeps_greys_and_merges_red_green_for_deuteranopes() -> None:
    for deficiency in ("protan", "deutan", "tritan"):
        assert style.color_distance(style.simulate_cvd("#808080", deficiency), "#808080") < 3
    # the classic confusion: pure red and green are far apart normally, close for a deuteranope
    assert style.color_distance("#d62728", "#2ca02c") > 80
    deutan = style.color_distance(
        style.simulate_cvd("#d62728", "deutan"), style.simulate_cvd("#2ca02c", "deutan")
    )
    assert deutan < 40


@pytest.mark.parametrize("name", sorted(MARKS))
def test_marks_reach_three_to_one_against_the_background(name: str) -> None:
    assert style.contrast_ratio(MARKS[name], style.BACKGROUND_COLOR) >= 3.0


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_text_reaches_four_and_a_half_to_one(name: str) -> None:
    for background in (style.BACKGROUND_COLOR, style.HEADER_BACKGROUND):
        assert style.contrast_ratio(TEXTS[name], background) >= 4.5


@pytest.mark.parametrize("deficiency", ["none", "protan", "deutan", "tritan"])
def test_fills_stay_distinguishable_under_colour_vision_deficiency(deficiency: str) -> None:
    seen = {
        name: color if deficiency == "none" else style.simulate_cvd(color, deficiency)  # type: ignore[arg-type]
        for name, color in FILLS.items()
    }
    for first, second in itertools.combinations(seen, 2):
        assert style.color_distance(seen[first], seen[second]) >= 15, (deficiency, first, second)


@pytest.mark.parametrize("arm", sorted(style.ARM_COLORS))
def test_likely_range_icons_stand_apart_from_grey_icons_and_the_background(arm: str) -> None:
    # WCAG 1.4.11: the outline that marks an icon as "in the likely range" reaches 3:1
    # against the page and against the grey of people without the outcome
    assert set(style.UNCERTAIN_EDGE_COLORS) == set(style.ARM_COLORS)
    edge = style.UNCERTAIN_EDGE_COLORS[arm]
    assert style.contrast_ratio(edge, style.BACKGROUND_COLOR) >= 3.0
    assert style.contrast_ratio(edge, style.UNAFFECTED_COLOR) >= 3.0
    assert style.UNCERTAIN_FILL == style.BACKGROUND_COLOR  # white inside: outlined, not filled


def test_options_differ_by_shape_as_well_as_colour() -> None:
    assert set(style.PROCEDURE_MARKERS) == set(style.PROCEDURE_COLORS)
    assert len(set(style.PROCEDURE_MARKERS.values())) == len(style.PROCEDURE_MARKERS)
    assert style.UNCERTAIN_FILL != style.UNAFFECTED_COLOR  # outlined, not just lighter


def test_no_colour_is_typed_outside_the_style_module() -> None:
    hexes = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
    places = [
        *sorted((ROOT / "kypho_aid").rglob("*.py")),
        *sorted((ROOT / "notebooks" / "src").glob("*.py")),
        *sorted((ROOT / "tools").glob("*.py")),
    ]
    assert any(p.parent.name == "tools" for p in places)
    offenders = [
        str(p.relative_to(ROOT))
        for p in places
        if p != ROOT / "kypho_aid" / "style.py" and hexes.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_site_and_slides_take_their_colours_from_the_style_module() -> None:
    assert style.LINK_COLOR in style.SITE_CSS and style.LINK_COLOR in style.SITE_INDEX_CSS
    assert style.RULE_COLOR in style.SITE_CSS and style.TEXT_COLOR in style.SITE_INDEX_CSS
    assert style.SLIDE_KICKER_COLOR in style.SLIDES_CSS
    tools = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "tools").glob("build_*.py")}
    assert "style.SITE_CSS" in tools["build_site.py"]
    assert "style.SITE_INDEX_CSS" in tools["build_site.py"]
    assert "style.SLIDES_CSS" in tools["build_slides.py"]
