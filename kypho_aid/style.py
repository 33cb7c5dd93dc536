"""Every visual choice of kypho-aid in one place: colours, sizes and the HTML stylesheet.

This module holds values only and imports no plotting or widget library, so that the
core can use it (for the HTML exports) without pulling in matplotlib.
"""

from __future__ import annotations

from typing import Final

#: One colour per option, fixed everywhere; taken from the Okabe–Ito colour-blind-safe palette.
PROCEDURE_COLORS: Final = {
    "kyphoplasty": "#0072B2",  # blue
    "vertebroplasty": "#D55E00",  # vermillion
    "non_surgical": "#009E73",  # bluish green
}
TEXT_COLOR: Final = "#1a1a1a"
MUTED_TEXT_COLOR: Final = "#4d4d4d"
BACKGROUND_COLOR: Final = "#ffffff"
RULE_COLOR: Final = "#bdbdbd"
HEADER_BACKGROUND: Final = "#f2f2f2"

#: Stylesheet of the HTML exports (self-contained: no web fonts, no external files).
HTML_CSS: Final = f"""
.kypho-aid {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: {TEXT_COLOR}; background: {BACKGROUND_COLOR}; line-height: 1.45; max-width: 72rem; }}
.kypho-aid table.kypho-aid-table {{ border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem;
  table-layout: fixed; }}
.kypho-aid table.kypho-aid-table caption {{ text-align: left; font-weight: 600; padding-bottom: 0.4rem; }}
.kypho-aid table.kypho-aid-table th, .kypho-aid table.kypho-aid-table td {{
  border: 1px solid {RULE_COLOR}; padding: 0.45rem 0.6rem; vertical-align: top; text-align: left;
  background: {BACKGROUND_COLOR}; color: {TEXT_COLOR}; }}
.kypho-aid table.kypho-aid-table thead th, .kypho-aid table.kypho-aid-table tbody th {{
  background: {HEADER_BACKGROUND}; font-weight: 600; }}
.kypho-aid table.kypho-aid-table tr > :first-child {{ width: 10rem; }}
.kypho-aid table.kypho-aid-table p.kypho-aid-fact {{ margin: 0 0 0.45rem; text-align: left; }}
.kypho-aid table.kypho-aid-table p.kypho-aid-fact:last-child {{ margin-bottom: 0; }}
.kypho-aid .kypho-aid-cite {{ color: {MUTED_TEXT_COLOR}; font-size: 0.85em; white-space: nowrap; }}
.kypho-aid .kypho-aid-footer {{ color: {MUTED_TEXT_COLOR}; font-size: 0.9em; }}
.kypho-aid ol.kypho-aid-sources {{ font-size: 0.9em; padding-left: 1.6rem; }}
@media print {{ .kypho-aid {{ max-width: none; }} }}
"""
