"""Render the README's pictures of the charts into docs/images/ (run: make figures).

Usage
-----
    python tools/make_figures.py

Draws with the public API only, exactly as the notebooks do, so the pictures show what a
reader of notebooks 02 and 10 sees.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import kypho_aid
from kypho_aid.plotting import (
    plot_outcome_comparison,
    plot_procedure_strip,
    plot_risk_view,
    plot_timeline,
    theme,
)

OUT = Path(__file__).resolve().parents[1] / "docs" / "images"


def _save(name: str) -> None:
    plt.gcf().savefig(OUT / name, bbox_inches="tight", metadata={"Software": None})
    plt.close("all")
    print(f"wrote docs/images/{name}")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with theme():
        plot_risk_view(kypho_aid.risk_view("new_fracture"))
        _save("icon-array-new-fracture.png")
        plot_risk_view(kypho_aid.risk_view("cement_embolism"))
        _save("icon-array-cement-embolism.png")
        pain = kypho_aid.chartable_gaps(["pain_relief_early", "pain_relief_later"], "vp_vs_sham")
        plot_outcome_comparison(pain)
        _save("outcome-chart-pain.png")
        items = kypho_aid.load_dataset("preparation_recovery")
        plot_timeline(items[items["applies_to"].str.contains("kyphoplasty")])
        _save("timeline-kyphoplasty.png")
        for option in ("kyphoplasty", "vertebroplasty"):
            plot_procedure_strip(option)
            _save(f"procedure-strip-{option}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
