"""The outcomes at a glance: a tile per outcome from its fairest test, pictures only where fair."""

from __future__ import annotations

import re

import pytest

import kypho_aid
from kypho_aid.export import outcome_tile_html
from kypho_aid.findings import lead_finding
from kypho_aid.outcomes import outcome_tiles
from kypho_aid.style import ARM_COLORS, TILE_ICON_GRID_PX
from kypho_aid.texts import ui_text


def test_every_outcome_gets_a_tile_least_biased_designs_first() -> None:
    definitions = kypho_aid.load_dataset("outcome_definitions")["outcome"].astype(str).tolist()
    with_finding = [o for o in definitions if lead_finding(o) is not None]
    tiles = outcome_tiles()
    assert sorted(t.outcome for t in tiles) == sorted(with_finding)
    order = {"sham_controlled_rct": 0, "open_rct": 1, "observational": 2}
    ranks = [order[t.design] for t in tiles]
    assert ranks == sorted(ranks), [t.design for t in tiles]
    assert tiles[0].design == "sham_controlled_rct" and tiles[-1].design == "observational"
    for rank in set(ranks):  # within one design, the definitions' order
        same = [t.outcome for t in tiles if order[t.design] == rank]
        assert same == [o for o in with_finding if o in same]


def test_a_tile_shows_the_same_finding_as_the_detailed_view() -> None:
    for tile in outcome_tiles():
        lead = lead_finding(tile.outcome)
        assert lead is not None
        assert tile.comparison == lead["comparison_label"]
        assert tile.statement == lead["glance"] and lead["brief"].startswith(tile.statement)
        assert tile.certainty == lead["certainty"]
        # the certainty is told once, by the badge: not again at the end of the words
        assert "How sure we can be" not in tile.statement
        assert "How sure we can be" in outcome_tile_html(tile)


def test_only_randomised_risks_out_of_100_become_pictures() -> None:
    tiles = outcome_tiles()
    pictured = [t for t in tiles if t.pictured]
    assert pictured, "at least one randomised risk is drawn"
    for tile in tiles:
        if tile.design == "observational":
            assert not tile.pictured
            assert "cannot show" in tile.statement
        if tile.pictured:
            assert tile.denominator == 100 and len(tile.arms) == 2
            assert tile.design != "observational"
        else:
            assert tile.arms == ()


def test_a_pictured_tile_draws_both_arms_the_same_size_with_their_counts() -> None:
    tile = next(t for t in outcome_tiles() if t.pictured)
    html = outcome_tile_html(tile)
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert len(svgs) == 2
    sizes = {re.search(r'width="(\d+)" height="(\d+)"', svg).groups() for svg in svgs}  # type: ignore[union-attr]
    assert sizes == {(str(TILE_ICON_GRID_PX), str(TILE_ICON_GRID_PX))}
    for svg, (arm, label, filled) in zip(svgs, tile.arms, strict=True):
        assert svg.count("<circle") == 100
        assert svg.count(f'fill="{ARM_COLORS[arm]}"') == filled
        assert f'aria-label="{label}: {filled} out of 100"' in svg


def test_every_tile_carries_its_certainty_in_words_and_symbols() -> None:
    for tile in outcome_tiles():
        html = outcome_tile_html(tile)
        words = ui_text("tile.certainty", level=tile.certainty.replace("_", " "))
        assert words in html
        symbols = re.search(r'<span aria-hidden="true">([^<]*)</span>', html)
        assert symbols is not None and len(symbols.group(1)) == 4
        if not tile.pictured:
            assert "<svg" not in html


def test_the_session_opens_the_chosen_tile_in_the_risk_view() -> None:
    pytest.importorskip("ipywidgets")
    from kypho_aid.widgets import SessionApp

    app = SessionApp()
    app.step.value = 2
    assert app.tiles is not None and app.risks is not None
    assert app.risks.outcome.value == "new_fracture"
    app.tiles.buttons["leakage_any"].click()
    assert app.tiles.chosen == "leakage_any"
    assert app.risks.outcome.value == "leakage_any"
    assert "Cement" in app.risks.summary.value or "cement" in app.risks.summary.value
