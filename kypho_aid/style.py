"""Every visual choice of kypho-aid in one place: colours, sizes and the HTML stylesheet.

This module holds values only and imports no plotting or widget library, so that the
core can use it (for the HTML exports) without pulling in matplotlib.
"""

from __future__ import annotations

from typing import Final, Literal

#: One colour per option, fixed everywhere; taken from the Okabe–Ito colour-blind-safe palette.
PROCEDURE_COLORS: Final = {
    "kyphoplasty": "#0072B2",  # blue
    "vertebroplasty": "#D55E00",  # vermillion
    "non_surgical": "#009E73",  # bluish green
}
#: Colours of the arms that are not options: the sham procedure and both procedures together
#: (Paul Tol's wine and indigo, far from the option colours and dark enough for 3:1 on white).
ARM_COLORS: Final = {
    **PROCEDURE_COLORS,
    "sham": "#882255",
    "either_procedure": "#332288",
}
#: Fill of icons for people without the outcome: light grey, far in lightness from every
#: option colour (also under colour-vision deficiency); every icon's outline (ICON_EDGE_COLOR)
#: carries the 3:1 contrast against the background.
UNAFFECTED_COLOR: Final = "#d4d4d4"
#: The outcome tiles' grid: as many 19rem columns as fit, one on a phone.
TILE_COLUMNS: Final = "repeat(auto-fill, minmax(min(100%, 19rem), 1fr))"
#: Side of each arm's 10 x 10 icon grid on an outcome tile, in CSS px (4 px dots, 10 px apart).
TILE_ICON_GRID_PX: Final = 120
ICON_EDGE_COLOR: Final = "#595959"
TEXT_COLOR: Final = "#1a1a1a"
MUTED_TEXT_COLOR: Final = "#4d4d4d"
BACKGROUND_COLOR: Final = "#ffffff"
RULE_COLOR: Final = "#bdbdbd"
HEADER_BACKGROUND: Final = "#f2f2f2"

#: Hidden on screen, still read by screen readers (a table's caption or header row, a control's
#: label whose question is written beside it): the one way the aid hides text.
VISUALLY_HIDDEN: Final = (
    "position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); "
    "white-space: nowrap;"
)

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
/* inside a widget, the HTML box grows to its content: bound it, so the table's width: 100%
   means the page's width and every option's column stays on a tablet screen */
.widget-html-content:has(> .kypho-aid) {{ max-width: 100%; min-width: 0; }}
.kypho-aid table.kypho-aid-table p.kypho-aid-fact {{ margin: 0 0 0.45rem; text-align: left; }}
.kypho-aid table.kypho-aid-table p.kypho-aid-fact:last-child {{ margin-bottom: 0; }}
.kypho-aid .kypho-aid-cite {{ color: {MUTED_TEXT_COLOR}; font-size: 0.85em; white-space: nowrap; }}
.kypho-aid .kypho-aid-footer {{ color: {MUTED_TEXT_COLOR}; font-size: 0.9em; }}
.kypho-aid ol.kypho-aid-sources {{ font-size: 0.9em; padding-left: 1.6rem; }}
/* the option grid: short answers, the full answer and sources on request */
.kypho-aid .kypho-aid-visually-hidden {{ {VISUALLY_HIDDEN} }}
.kypho-aid table.kypho-aid-grid-table p.kypho-aid-short {{ margin: 0 0 0.3rem; }}
.kypho-aid details.kypho-aid-more summary, .kypho-aid details.kypho-aid-sources-layer summary {{
  cursor: pointer; min-height: 44px; display: flex; align-items: center; font-weight: 600;
  text-decoration: underline; }}
.kypho-aid details.kypho-aid-more[open] {{ border-left: 3px solid {RULE_COLOR}; padding-left: 0.5rem; }}
/* a narrow screen stacks each question's answers, every answer under its option's name */
@media (max-width: 48rem) {{
  .kypho-aid table.kypho-aid-grid-table,
  .kypho-aid table.kypho-aid-grid-table :is(caption, tbody, tr, th, td) {{
    display: block; width: auto; }}
  .kypho-aid table.kypho-aid-grid-table thead {{ {VISUALLY_HIDDEN} }}
  .kypho-aid table.kypho-aid-grid-table td::before {{ content: attr(data-option); display: block;
    font-weight: 600; }}
  .kypho-aid table.kypho-aid-grid-table tr > :first-child {{ width: auto; }}
}}
@media print {{ .kypho-aid {{ max-width: none; }} }}
"""


# --- charts ---------------------------------------------------------------------------

FIGURE_DPI: Final = 100
ICON_ARRAY_SIZE: Final = (6.6, 3.9)  # inches, the two arms of one finding, 100 each
#: The two arms of one finding, 1000 each, side by side: sized to the blocks' shape (one arm
#: is 2 rows of 5 blocks of 100), so that the icons fill the width and not the margins.
RARE_ICON_ARRAY_SIZE: Final = (10.0, 4.3)
#: Icon arrays are built of square blocks of 100 (10 by 10); a denominator of 1000 is 10
#: blocks per arm, RARE_BLOCKS_PER_ROW to a row, with a gap of ICON_BLOCK_GAP icon widths
#: between blocks so that each hundred can be seen (and counted) at a glance.
ICON_BLOCK_SIDE: Final = 10
RARE_BLOCKS_PER_ROW: Final = 5
ICON_BLOCK_GAP: Final = 1.0
#: A person icon is about twice as tall as it is wide: rows sit this many widths apart.
ICON_ROW_STEP: Final = 1.8
#: Space between the two arms, in icon widths, by denominator.
ICON_ARM_GAP: Final = {100: 6.0, 1000: 4.0}
#: Icon area (points squared, as matplotlib's scatter takes it) and outline width (points),
#: by denominator; at the chart's own size a person icon of 1000 is 5 by 13 pixels.
ICON_MARKER_SIZE: Final = {100: 95.0, 1000: 100.0}
ICON_LINE_WIDTH: Final = {100: 0.6, 1000: 0.4}
#: The least distance between two icons' centres in a drawn chart (pixels at FIGURE_DPI):
#: below this, one person among 1000 cannot be picked out (tested on every risk chart).
MIN_ICON_PITCH_PX: Final = 8.0
CHART_SIZE: Final = (8.0, 3.6)
TIMELINE_SIZE: Final = (8.0, 3.6)
FONT_SIZE: Final = 10
#: A chart's title wraps before this share of the figure's width is left on its right.
TITLE_MARGIN: Final = 0.015
#: Icons inside the uncertain ("likely") range are outlined, not filled: white inside, with a
#: outline in a dark shade of the arm's colour. Fill, not only colour, tells them apart
#: from the people with the outcome; and every outline reaches 3:1 against both the background
#: and UNAFFECTED_COLOR (tested), so they never read as grey icons. Vermillion and bluish
#: green are too light for that (2.6:1 and 2.3:1 against the grey), so their outlines are
#: darker shades of the same hues.
UNCERTAIN_FILL: Final = BACKGROUND_COLOR
UNCERTAIN_EDGE_COLORS: Final = {
    **ARM_COLORS,
    "vertebroplasty": "#B34D00",  # darker vermillion
    "non_surgical": "#007A5A",  # darker bluish green
}
THRESHOLD_COLOR: Final = "#4d4d4d"
THRESHOLD_LINESTYLE: Final = (0, (4, 2))
#: Marker per option, so options differ by shape as well as colour.
PROCEDURE_MARKERS: Final = {"kyphoplasty": "o", "vertebroplasty": "s", "non_surgical": "D"}

#: Matplotlib settings every chart is drawn with (owned keys, as in seaborn's rcmod).
RC_PARAMS: Final = {
    "figure.dpi": FIGURE_DPI,
    "savefig.dpi": FIGURE_DPI,
    "font.size": FONT_SIZE,
    "axes.edgecolor": MUTED_TEXT_COLOR,
    "axes.labelcolor": TEXT_COLOR,
    "axes.titlesize": FONT_SIZE + 1,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": TEXT_COLOR,
    "ytick.color": TEXT_COLOR,
    "text.color": TEXT_COLOR,
    "figure.facecolor": BACKGROUND_COLOR,
    "axes.facecolor": BACKGROUND_COLOR,
    "svg.hashsalt": "kypho-aid",
}


# --- procedure drawings (kypho_aid.plotting.plot_procedure_step) ----------------------

#: Size of one step drawing and of one panel in the strip of all steps (inches).
STEP_SIZE: Final = (4.2, 4.2)
STRIP_PANEL_SIZE: Final = (3.0, 3.25)
STRIP_COLUMNS: Final = 4
#: Width of one step drawing in the step explorer, in CSS pixels (its natural size).
STEP_IMAGE_WIDTH_PX: Final = round(STEP_SIZE[0] * FIGURE_DPI)
#: Panels per row of a strip on a wide (16:9) slide.
SLIDE_STRIP_COLUMNS: Final = 6
#: Bone is a warm off-white, discs a cool light grey; both carry dark outlines (shape, not
#: colour, tells the parts apart). Cement is a mid grey, as it looks on X-ray, with a dot
#: texture; once set it is cross-hatched. The balloon takes the kyphoplasty colour.
BONE_COLOR: Final = "#f3ead7"
DISC_COLOR: Final = "#dfe3e8"
OUTLINE_COLOR: Final = ICON_EDGE_COLOR
CEMENT_COLOR: Final = "#8a8a8a"
CEMENT_HATCH: Final = ".."
CEMENT_SET_HATCH: Final = "xx"
CAVITY_COLOR: Final = BACKGROUND_COLOR
BALLOON_COLOR: Final = "#9cc9e6"
BALLOON_EDGE_COLOR: Final = PROCEDURE_COLORS["kyphoplasty"]
NEEDLE_COLOR: Final = "#333333"
#: The X-ray beam: Okabe–Ito yellow, faint, so that it never hides the bone.
XRAY_COLOR: Final = "#F0E442"
XRAY_ALPHA: Final = 0.35
DYE_COLOR: Final = "#000000"
DRAWING_LABEL_SIZE: Final = 7.5
STEP_TITLE_SIZE: Final = 9.5


# --- colour science used by the accessibility tests ---------------------------------

Deficiency = Literal["protan", "deutan", "tritan"]

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
_CVD_MATRICES: Final = {
    "protan": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deutan": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritan": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _encode(channel: float) -> float:
    channel = min(max(channel, 0.0), 1.0)
    return channel * 12.92 if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def hex_to_linear_rgb(color: str) -> tuple[float, float, float]:
    """Linear-light RGB (0–1) of a ``#rrggbb`` colour."""
    value = color.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return _linear(r), _linear(g), _linear(b)


def relative_luminance(color: str) -> float:
    """WCAG 2.2 relative luminance of a ``#rrggbb`` colour."""
    r, g, b = hex_to_linear_rgb(color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.2 contrast ratio between two colours (1 to 21)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def simulate_cvd(color: str, deficiency: Deficiency) -> str:
    """How ``color`` looks with full protanopia, deuteranopia or tritanopia (Machado 2009)."""
    rgb = hex_to_linear_rgb(color)
    rows = _CVD_MATRICES[deficiency]
    mixed = [sum(m * c for m, c in zip(row, rgb, strict=True)) for row in rows]
    return "#" + "".join(f"{round(_encode(c) * 255):02x}" for c in mixed)


def _lab(color: str) -> tuple[float, float, float]:
    r, g, b = hex_to_linear_rgb(color)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def color_distance(first: str, second: str) -> float:
    """CIE76 colour difference (ΔE*ab) between two colours; about 10 or more reads as distinct."""
    a, b = _lab(first), _lab(second)
    return float(sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5)


# --- the printable handout ----------------------------------------------------------

#: Smallest type on the printed handout, in points (notes, source marks, sources, footer).
HANDOUT_SMALL_PT: Final = 11
#: Body text of the printed handout, in points.
HANDOUT_BODY_PT: Final = 12
#: Stylesheet of the summary handout: one page on A4 and on US Letter alike. The page size is
#: left to the printer (no ``size``), with 5 mm margins (what office printers can reach), so
#: the content box is 200 mm wide on A4 and 269 mm high on Letter, and the page is laid out
#: to fit both: the table and the findings across the page, the person's own answers, the
#: warning signs and their notes in three columns, the sources run on after their heading.
#: Body text 12 pt, nothing under 11 pt; fonts with Arial's metrics (so the page holds on every
#: system), no external files. Each option column carries its fixed colour as a rule above its
#: header. The Print button shows on screen only.
HANDOUT_CSS: Final = f"""
@page {{ margin: 5mm; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body.kypho-aid-handout {{ margin: 0 auto; padding: 0; max-width: 206mm;
  font-family: "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "Nimbus Sans", system-ui,
    sans-serif;
  font-size: {HANDOUT_BODY_PT}pt; line-height: 1.1; color: {TEXT_COLOR};
  background: {BACKGROUND_COLOR}; }}
.kypho-aid-handout * {{ box-sizing: border-box; }}
.kypho-aid-handout header {{ border-bottom: 1.5pt solid {TEXT_COLOR}; padding-bottom: 0.8mm;
  margin-bottom: 0.5mm; }}
.kypho-aid-handout h1 {{ font-size: 15pt; line-height: 1.15; margin: 0 0 0.5mm; }}
.kypho-aid-handout h2 {{ font-size: {HANDOUT_BODY_PT}pt; line-height: 1.1; margin: 0.6mm 0 0.2mm;
  padding-bottom: 0.2mm; border-bottom: 0.75pt solid {RULE_COLOR};
  break-after: avoid; page-break-after: avoid; }}
.kypho-aid-handout h3 {{ font-size: {HANDOUT_BODY_PT}pt; margin: 0.6mm 0 0.3mm;
  break-after: avoid; page-break-after: avoid; }}
.kypho-aid-handout p {{ margin: 0 0 0.6mm; }}
.kypho-aid-handout ul, .kypho-aid-handout ol {{ margin: 0 0 0.6mm; padding-left: 5mm; }}
.kypho-aid-handout li {{ margin: 0; }}
.kypho-aid-handout .disclaimer {{ margin: 0; }}
.kypho-aid-handout .hint, .kypho-aid-handout .cite, .kypho-aid-handout caption,
.kypho-aid-handout footer {{ color: {MUTED_TEXT_COLOR}; }}
.kypho-aid-handout .hint, .kypho-aid-handout .cite, .kypho-aid-handout caption,
.kypho-aid-handout ol.sources, .kypho-aid-handout footer {{ font-size: {HANDOUT_SMALL_PT}pt;
  line-height: 1.15; }}
.kypho-aid-handout .cite {{ white-space: nowrap; }}
.kypho-aid-handout section {{ break-inside: avoid; page-break-inside: avoid; }}
.kypho-aid-handout table {{ border-collapse: collapse; width: 100%; table-layout: auto;
  margin: 0.5mm 0; font-size: {HANDOUT_BODY_PT}pt; line-height: 1.1; }}
/* the table's caption names it for screen readers; the page says what [ ] means under Sources */
.kypho-aid-handout caption, .kypho-aid-handout .visually-hidden {{ {VISUALLY_HIDDEN} }}
.kypho-aid-handout th, .kypho-aid-handout td {{ border: 0.75pt solid {RULE_COLOR};
  padding: 0.5mm 1mm; vertical-align: top; text-align: left; }}
.kypho-aid-handout thead th, .kypho-aid-handout tbody th {{ background: {HEADER_BACKGROUND};
  font-weight: 600; }}
.kypho-aid-handout table.options col.rowhead {{ width: 12%; }}
.kypho-aid-handout .finding {{ margin-bottom: 0.8mm; }}
.kypho-aid-handout .comparison {{ font-weight: 400; }}
.kypho-aid-handout tr {{ break-inside: avoid; page-break-inside: avoid; }}
.kypho-aid-handout .flow {{ column-count: 3; column-gap: 4mm; }}
.kypho-aid-handout .flow > section {{ break-inside: auto; page-break-inside: auto; }}
.kypho-aid-handout .flow li {{ break-inside: avoid; page-break-inside: avoid; }}
.kypho-aid-handout .flow > section > h2:first-child {{ margin-top: 0.8mm; }}
.kypho-aid-handout ul.ratings {{ list-style: none; padding-left: 0; }}
.kypho-aid-handout .dots {{ letter-spacing: 0.02em; margin-right: 1mm; }}
.kypho-aid-handout .answer {{ font-weight: 700; }}
.kypho-aid-handout .notes {{ border: 0.75pt solid {RULE_COLOR}; padding: 0.6mm 1.2mm;
  overflow-wrap: anywhere; word-break: break-word; margin-bottom: 0.6mm; }}
/* the sources run on after their heading, to spare the page a line */
.kypho-aid-handout #sources h2 {{ display: inline; border: 0; font-size: {HANDOUT_SMALL_PT}pt; }}
.kypho-aid-handout ol.sources {{ display: inline; list-style: none; padding-left: 0;
  overflow-wrap: anywhere; }}
.kypho-aid-handout ol.sources li {{ display: inline; margin: 0 1.5mm 0 0; }}
.kypho-aid-handout ol.sources .n {{ font-weight: 700; }}
.kypho-aid-handout footer {{ border-top: 0.75pt solid {RULE_COLOR}; margin-top: 1mm;
  padding-top: 0.6mm; }}
.kypho-aid-handout footer p {{ margin: 0; }}
.kypho-aid-handout .print-button {{ float: right; margin: 0 0 2mm 4mm; padding: 2mm 6mm;
  font: 600 {HANDOUT_BODY_PT}pt Arial, "Liberation Sans", sans-serif; cursor: pointer;
  color: {BACKGROUND_COLOR}; background: {PROCEDURE_COLORS["kyphoplasty"]};
  border: 2px solid {PROCEDURE_COLORS["kyphoplasty"]}; border-radius: 4px; }}
.kypho-aid-handout .print-button:focus-visible {{ outline: 3px solid {TEXT_COLOR};
  outline-offset: 2px; }}
@media screen {{ body.kypho-aid-handout {{ padding: 8mm 6mm; }} }}
/* the saved page opened on a phone: one column, not three; the table stacked, each box
   named by its option (a label shown only there) */
.kypho-aid-handout .cell-option {{ display: none; }}
@media screen and (max-width: 48rem) {{
  .kypho-aid-handout .flow {{ column-count: 1; }}
  .kypho-aid-handout table.options, .kypho-aid-handout table.options tbody,
  .kypho-aid-handout table.options tr, .kypho-aid-handout table.options th,
  .kypho-aid-handout table.options td {{ display: block; width: auto; }}
  .kypho-aid-handout table.options thead, .kypho-aid-handout table.options colgroup {{
    display: none; }}
  .kypho-aid-handout .cell-option {{ display: inline; font-weight: 700; }}
}}
@media print {{
  body.kypho-aid-handout {{ max-width: none; }}
  .kypho-aid-handout .print-button {{ display: none; }}
}}
""" + "".join(
    f".kypho-aid-handout th.opt-{option} {{ border-top: 3pt solid {color}; }}\n"
    for option, color in PROCEDURE_COLORS.items()
)


#: The app's "save my summary" link: a clear button-like target (contrast 5.2:1 on white).
DOWNLOAD_LINK_STYLE: Final = (
    f"display:inline-block;padding:0.45rem 0.9rem;border:2px solid {PROCEDURE_COLORS['kyphoplasty']};"
    f"border-radius:4px;color:{PROCEDURE_COLORS['kyphoplasty']};font-weight:600;text-decoration:underline;"
)


# --- the static site and the slides (tools/build_site.py, tools/build_slides.py) ---------

#: Links on the static site, and the rule beside its note on interactive parts (7.8:1 on white).
LINK_COLOR: Final = "#0b5394"
#: Background of the site's note that a part of a page is interactive.
NOTE_BACKGROUND: Final = "#f2f6fb"
#: Stylesheet of every notebook page of the static site: the navigation bars and the note.
SITE_CSS: Final = f"""
.kypho-site-nav {{ display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; padding: 0.6rem 0;
  margin: 0 0 1rem; border-bottom: 1px solid {RULE_COLOR}; font-family: system-ui, sans-serif; }}
.kypho-site-nav.bottom {{ border-bottom: none; border-top: 1px solid {RULE_COLOR}; margin: 1rem 0 0; }}
.kypho-site-nav a {{ color: {LINK_COLOR}; }}
.jp-OutputArea-output.jp-RenderedText pre {{ word-break: normal; overflow-wrap: break-word; }}
.kypho-widget-note {{ border-left: 4px solid {LINK_COLOR}; background: {NOTE_BACKGROUND}; padding: 0.5rem 0.8rem;
  font-style: italic; }}
"""
#: Stylesheet of the static site's home page.
SITE_INDEX_CSS: Final = (
    f"body {{ font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto;"
    f" padding: 0 1rem; line-height: 1.5; color: {TEXT_COLOR}; }} a {{ color: {LINK_COLOR}; }}"
)
#: The reveal.js theme of the teaching slides: dark text on white.
SLIDES_THEME: Final = "white"
#: A section heading above a slide title (a small kicker line), and text output on slides.
SLIDE_KICKER_COLOR: Final = "#555"
SLIDE_OUTPUT_COLOR: Final = "#333"
#: Stylesheet of the teaching slides (reveal.js): type sizes, kicker lines, print pages.
SLIDES_CSS: Final = f"""
.reveal .slides {{ text-align: left; }}
.reveal .slides h1 {{ font-size: 1.9em; }}
.reveal .slides h2 {{ font-size: 1.4em; }}
/* a section heading with a slide title under it becomes a small kicker line */
.reveal .slides h2:has(+ h3) {{ font-size: 0.75em; color: {SLIDE_KICKER_COLOR}; margin-bottom: 0.3em; }}
.reveal .slides h3 {{ font-size: 1.1em; }}
.reveal .slides blockquote {{ width: 85%; margin: 1em 0; font-size: 0.8em; }}
.reveal .jp-RenderedHTMLCommon {{ font-size: 24px; line-height: 1.35; }}
.reveal .jp-RenderedHTMLCommon table {{ font-size: 16px; line-height: 1.25; }}
/* a list of citations (one column) in smaller type */
.reveal .jp-RenderedHTMLCommon table:not(:has(td:nth-of-type(2))) {{ font-size: 13px; }}
.reveal .jp-RenderedHTMLCommon td, .reveal .jp-RenderedHTMLCommon th {{
  vertical-align: top; text-align: left; white-space: normal; }}
.reveal div.jp-OutputArea-output.jp-RenderedText > pre {{
  font: 12px/1.3 "Source Sans Pro", Helvetica, sans-serif; white-space: pre-wrap; color: {SLIDE_OUTPUT_COLOR};
  width: auto; max-width: 100%; word-break: normal; overflow-wrap: break-word; }}
.reveal .jp-RenderedImage img {{ max-height: 370px; width: auto; margin: 4px 0; }}
.reveal .kypho-widget-note {{ font-style: italic; }}
/* reveal.js 4.6 breaks the page after every slide, the last too: a blank trailing page */
html.print-pdf .reveal .slides .pdf-page:last-child {{ page-break-after: auto; }}
"""


# --- the session app (kypho_aid.widgets.SessionApp, served by make app) ---------------------

#: Selected answers and steps: white on dark blue (7.8:1 against the white of an unselected
#: button, whose dark grey border has 7:1), bold, with a check mark: not colour alone.
SELECTED_COLOR: Final = LINK_COLOR
SELECTED_TEXT_COLOR: Final = BACKGROUND_COLOR
CONTROL_BORDER_COLOR: Final = ICON_EDGE_COLOR
#: The keyboard focus ring: near black, 3 px, set off by a 2 px gap (17:1 on white).
FOCUS_COLOR: Final = TEXT_COLOR
#: Type in rem, so the browser's font-size setting scales it: 1.125rem is 18 px by default.
APP_FONT_SIZE: Final = "1.125rem"
#: Controls at least 44 CSS px tall (WCAG 2.5.5, target size enhanced), more with larger type.
APP_CONTROL_HEIGHT: Final = "max(44px, 2.75rem)"
#: Longest line of running text, about 70 characters.
APP_MEASURE: Final = "70ch"
#: The screening statuses' edge colours (kypho_aid.intake.status_badges), each with its words
#: beside it, so colour is never the only cue; all 4.5:1 or more against white.
STATUS_COLORS: Final = {
    "urgent_assessment": "#b00020",
    "not_suitable": "#8a4b00",
    "caution": "#6b5900",
    "more_information_needed": "#4d4d4d",
    "no_contraindication_found": "#1e6b34",
}
_STATUS_RULES: Final = "\n".join(
    f".kypho-session .kypho-status-{status} {{ border-left-color: {color}; }}"
    for status, color in STATUS_COLORS.items()
)
#: Stylesheet of the session app. Everything is scoped to the app's box (.kypho-session), so
#: the app looks the same in JupyterLab; the rules under body[data-voila] reach the rest of
#: the page only when Voilà serves it (the notebook's own text above the app).
#: Most steps a session can have: the step list's marks for steps done are written for this many.
MAX_SESSION_STEPS: Final = 12
APP_CSS: Final = (
    f"""
body[data-voila] {{ font-size: {APP_FONT_SIZE}; --jp-content-font-size1: {APP_FONT_SIZE};
  --jp-ui-font-size1: {APP_FONT_SIZE}; --jp-content-line-height: 1.5; }}
body[data-voila] .jp-RenderedMarkdown {{ font-size: {APP_FONT_SIZE}; }}
body[data-voila] .jp-RenderedMarkdown :is(p, li, blockquote) {{ max-width: {APP_MEASURE}; }}
.kypho-session {{ font-size: {APP_FONT_SIZE}; line-height: 1.5; color: {TEXT_COLOR};
  --jp-widgets-font-size: {APP_FONT_SIZE}; --jp-ui-font-size1: {APP_FONT_SIZE};
  --jp-content-font-size1: {APP_FONT_SIZE}; --jp-widgets-inline-height: {APP_CONTROL_HEIGHT};
  --jp-widgets-radio-item-height: {APP_CONTROL_HEIGHT}; --jp-widgets-slider-handle-size: 1.75rem;
  --jp-widgets-slider-track-thickness: 0.4rem; --jp-widgets-inline-label-width: 7rem;
  --jp-widgets-color: {TEXT_COLOR}; --jp-widgets-label-color: {TEXT_COLOR}; }}
.kypho-session .widget-html-content, .kypho-session .widget-html {{ line-height: 1.5;
  font-size: {APP_FONT_SIZE}; height: auto; white-space: normal; }}
.kypho-session :is(p, li) {{ max-width: {APP_MEASURE}; }}
.kypho-session .kypho-aid table :is(p, li) {{ max-width: none; }}
.kypho-session .widget-label {{ font-size: {APP_FONT_SIZE}; white-space: normal; }}
/* a control whose question is written beside it keeps its label for screen readers only */
.kypho-session .kypho-labelled > .widget-label {{ {VISUALLY_HIDDEN} margin: 0; padding: 0; }}
.kypho-session :is(.jupyter-button, select, input[type="text"], textarea) {{
  font-size: {APP_FONT_SIZE}; min-height: {APP_CONTROL_HEIGHT}; }}
.kypho-session .jupyter-button {{ height: auto; padding: 0.4rem 0.9rem; line-height: 1.3;
  white-space: normal; background: {BACKGROUND_COLOR}; color: {TEXT_COLOR};
  border: 2px solid {CONTROL_BORDER_COLOR}; border-radius: 4px; }}
.kypho-session .jupyter-button.mod-primary {{ background: {SELECTED_COLOR};
  color: {SELECTED_TEXT_COLOR}; border-color: {SELECTED_COLOR}; font-weight: 700; }}
.kypho-session .widget-toggle-buttons {{ height: auto; flex-wrap: wrap; }}
.kypho-session .widget-toggle-buttons .widget-toggle-button {{ width: auto; min-width: 5rem;
  margin: 0.2rem 0.4rem 0.2rem 0; }}
.kypho-session .widget-toggle-button.mod-active {{ background: {SELECTED_COLOR};
  color: {SELECTED_TEXT_COLOR}; border-color: {SELECTED_COLOR}; font-weight: 700;
  box-shadow: inset 0 0 0 2px {SELECTED_TEXT_COLOR}; }}
.kypho-session .widget-toggle-button.mod-active::before {{ content: "\\2713\\00a0"; }}
/* the step list: the current step is the filled one (and "Step N of 7" above says so); a step
   the person has been to and left carries a check mark after its name (kypho-done-N on the
   list, set by the session) */
.kypho-session .kypho-steps .widget-toggle-button.mod-active::before {{ content: none; }}
"""
    + "".join(
        f".kypho-session .kypho-steps.kypho-done-{n} .widget-toggle-button:nth-of-type({n})::after "
        '{ content: "\\00a0\\2713"; }\n'
        for n in range(1, MAX_SESSION_STEPS + 1)
    )
    + f""".kypho-session .widget-dropdown, .kypho-session .widget-text, .kypho-session .widget-slider {{
  height: auto; min-height: {APP_CONTROL_HEIGHT}; }}
.kypho-session .widget-dropdown > select {{ height: {APP_CONTROL_HEIGHT};
  border: 2px solid {CONTROL_BORDER_COLOR}; }}
.kypho-session .widget-text input {{ height: {APP_CONTROL_HEIGHT};
  border: 2px solid {CONTROL_BORDER_COLOR}; }}
.kypho-session textarea {{ border: 2px solid {CONTROL_BORDER_COLOR}; }}
.kypho-session .widget-radio-box label {{ min-height: {APP_CONTROL_HEIGHT}; display: flex;
  align-items: center; font-size: {APP_FONT_SIZE}; }}
.kypho-session .widget-radio-box input {{ width: 1.25rem; height: 1.25rem; }}
.kypho-session .widget-checkbox {{ min-height: {APP_CONTROL_HEIGHT}; width: auto;
  margin-right: 1rem; }}
.kypho-session .widget-checkbox label {{ font-size: {APP_FONT_SIZE}; display: flex;
  align-items: center; gap: 0.4rem; min-height: {APP_CONTROL_HEIGHT}; }}
.kypho-session .widget-checkbox input {{ width: 1.5rem; height: 1.5rem; }}
/* slider handles: the drawn handle is 28 px; an invisible margin makes the target 44 px
   (the margin is measured from inside the 2 px border: 24 + 2 x 10) */
.kypho-session .noUi-handle {{ border: 2px solid {CONTROL_BORDER_COLOR}; }}
.kypho-session .noUi-handle::after {{ content: ""; position: absolute; inset: -10px;
  display: block; width: auto; height: auto; border: 0; background: transparent; }}
.kypho-session .jupyter-widget-Collapse-header, .kypho-session .lm-AccordionPanel-title {{
  min-height: {APP_CONTROL_HEIGHT}; font-size: {APP_FONT_SIZE}; display: flex;
  align-items: center; color: {TEXT_COLOR}; background: {HEADER_BACKGROUND}; }}
/* on a narrow screen the boxes wrap instead of scrolling sideways */
.kypho-session .widget-hbox {{ flex-wrap: wrap; }}
.kypho-session :is(.widget-box, .widget-html) {{ max-width: 100%; min-width: 0; }}
.kypho-session .widget-html-content {{ min-width: 0; overflow-wrap: break-word; }}
.kypho-session .kypho-aid .kypho-aid-cite {{ white-space: normal; }}
.kypho-session :is(button, select, input, textarea, a, [tabindex]):focus,
.kypho-session .noUi-handle:focus {{ outline: 3px solid {FOCUS_COLOR}; outline-offset: 2px; }}
/* focus moves to a step's heading when the step changes: its ring shows for the keyboard */
.kypho-session h2[tabindex="-1"]:focus:not(:focus-visible) {{ outline: none; }}
/* the step in words and as a bar, the one disclaimer as a compact note, the footer small */
.kypho-session .kypho-progress-text {{ margin: 0; font-weight: 600; }}
.kypho-session .kypho-progress progress {{ display: block; width: 100%; max-width: 30rem;
  height: 0.5rem; margin: 0.2rem 0 0.3rem; accent-color: {SELECTED_COLOR}; }}
.kypho-session .kypho-disclaimer {{ border-left: 4px solid {LINK_COLOR};
  background: {NOTE_BACKGROUND}; padding: 0.1rem 0.8rem; margin: 0.2rem 0 0.4rem; }}
.kypho-session .kypho-disclaimer p {{ margin: 0.2rem 0; }}
.kypho-session .kypho-moves {{ margin-top: 1rem; }}
.kypho-session .kypho-footer p {{ font-size: 0.9rem; color: {MUTED_TEXT_COLOR}; margin: 0.5rem 0 0; }}
/* the candidacy form: each question with its error right under it; one badge per option,
   its status in words and as a coloured edge (every edge 4.5:1 or more on white) */
.kypho-session .kypho-question {{ margin: 0.3rem 0 0.5rem; }}
.kypho-session .kypho-question .widget-hbox > .widget-html {{ flex: 1 1 20rem; }}
.kypho-session .kypho-error {{ color: {STATUS_COLORS["urgent_assessment"]}; font-weight: 600;
  margin: 0.1rem 0 0; }}
.kypho-session .kypho-urgent {{ border: 3px solid {STATUS_COLORS["urgent_assessment"]};
  padding: 0.4rem 0.8rem; }}
.kypho-session .kypho-badges {{ display: grid; gap: 0.8rem;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr)); }}
.kypho-session .kypho-badge {{ border: 2px solid {RULE_COLOR}; border-left-width: 10px;
  padding: 0.2rem 0.8rem; }}
.kypho-session .kypho-badge h4 {{ margin: 0.3rem 0; font-size: 1.1em; }}
.kypho-session .kypho-badge ul {{ padding-left: 1.2rem; margin: 0.2rem 0; }}
{_STATUS_RULES}
/* what opens on request (the other side of a trade-off, sources): a summary 44 px tall */
.kypho-session details > summary {{ cursor: pointer; min-height: {APP_CONTROL_HEIGHT};
  display: flex; align-items: center; font-weight: 600; text-decoration: underline; }}
/* the outcome tiles: same-size pictures side by side, a certainty badge in words and symbols */
.kypho-session .kypho-tile-box {{ border: 2px solid {RULE_COLOR}; padding: 0.4rem 0.8rem; }}
.kypho-session .kypho-tile h4 {{ margin: 0.2rem 0; font-size: 1.1em; }}
.kypho-session .kypho-tile-comparison {{ margin: 0; color: {MUTED_TEXT_COLOR}; }}
.kypho-session .kypho-tile-pictures {{ display: flex; flex-wrap: wrap; gap: 0.8rem; }}
.kypho-session .kypho-tile-pictures figure {{ margin: 0.3rem 0; }}
.kypho-session .kypho-tile-badge {{ font-weight: 600; }}
/* the summary step: Print and Copy (plain buttons the page's script shows and runs), the note
   for the record in a fixed-width box as wide as its 80-column lines and a scroll bar */
.kypho-session :is(.kypho-print-summary, .kypho-copy-note) {{ font: inherit; font-size: {APP_FONT_SIZE};
  min-height: {APP_CONTROL_HEIGHT}; padding: 0.4rem 0.9rem; margin: 0.2rem 0.6rem 0.2rem 0;
  border: 2px solid {CONTROL_BORDER_COLOR}; border-radius: 4px; background: {BACKGROUND_COLOR};
  color: {TEXT_COLOR}; cursor: pointer; }}
.kypho-session .kypho-print-summary {{ background: {SELECTED_COLOR}; color: {SELECTED_TEXT_COLOR};
  border-color: {SELECTED_COLOR}; font-weight: 700; }}
.kypho-session textarea.kypho-note-text {{ box-sizing: border-box; width: 100%; max-width: calc(80ch + 2.5rem);
  font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 1rem; line-height: 1.4;
  padding: 0.5rem 0.6rem; color: {TEXT_COLOR}; background: {BACKGROUND_COLOR}; }}
.kypho-session .kypho-copy-status {{ font-weight: 600; min-height: 1.5em; margin: 0.2rem 0; }}
/* on a narrow screen the step list is one row that scrolls sideways (Step N of 7 above it
   says where one is); the page's script keeps the current step in view */
/* the first step reads as plain text: its source marks show once "Sources" is opened */
.kypho-session .kypho-aid-overview .kypho-aid-cite {{ display: none; }}
.kypho-session .kypho-aid-overview:has(details[open]) .kypho-aid-cite {{ display: inline; }}
/* reflow down to 320 px (400% zoom): controls and boxes never wider than the screen */
.kypho-session .widget-box {{ max-width: 100%; }}
.kypho-session .widget-inline-hbox {{ max-width: calc(100% - 2 * var(--jp-widgets-margin, 2px)); }}
.kypho-session .widget-inline-hbox.kypho-notes {{
  max-width: min(40rem, calc(100% - 2 * var(--jp-widgets-margin, 2px))); }}
.kypho-session :is(.widget-slider, .widget-dropdown, .widget-textarea) {{ min-width: 0; }}
.kypho-session .widget-dropdown > select, .kypho-session .widget-hslider .slider-container {{
  min-width: 0; flex: 1 1 auto; }}
@media (max-width: 40rem) {{
  /* a table of figures: one block per row, each cell named by its column */
  .kypho-session table.kypho-aid-stacking,
  .kypho-session table.kypho-aid-stacking :is(tbody, tr, th, td) {{ display: block;
    width: auto; text-align: left; }}
  .kypho-session table.kypho-aid-stacking thead {{ {VISUALLY_HIDDEN} }}
  .kypho-session table.kypho-aid-stacking tr {{ margin-bottom: 0.6rem; }}
  .kypho-session table.kypho-aid-stacking td::before {{ content: attr(data-label) ": ";
    font-weight: 600; }}
  .kypho-session .kypho-steps > div {{ display: flex; flex-wrap: nowrap; overflow-x: auto; }}
  .kypho-session .kypho-steps .widget-toggle-button {{ flex: 0 0 auto; white-space: nowrap; }}
}}
"""
)
