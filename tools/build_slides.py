"""Build the teaching deck as offline reveal.js slides and a PDF, one page per slide.

Usage
-----
    python tools/build_slides.py [--out DIR] [--notebook PATH] [--no-pdf] [--screenshot PNG]
    (or: make slides, which writes build/slides/)

1. reveal.js 4.6.0 and require.js 2.3.8 are installed with npm into ``DIR/node_modules`` (skipped
   when already there); the deck loads them by relative path, so it works without a network.
2. The executed notebook (``notebooks/06-teaching-deck.ipynb``, regenerated only by
   ``make notebooks``) is exported with nbconvert's SlidesExporter, code hidden
   (``--no-input``), with slide numbers. nbconvert's reveal template also pulls jQuery,
   MathJax, Mermaid and the widget manager from CDNs; a small template on top of it drops
   them (the deck uses none) and sets reveal.js to print exactly one page per slide.
3. Playwright drives the system chromium (never a downloaded browser) over
   ``DECK.slides.html?print-pdf`` and prints ``DECK.pdf``.

Links to other notebooks point at their pages in the static site (``../site/NN-name.html``,
as ``make site`` writes them beside the slides).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from build_site import link_pages, static_widgets  # a sibling script: tools/ is on sys.path
from nbconvert import SlidesExporter

from kypho_aid import style
from kypho_aid.handout import CHROMIUM_ARGS, find_chromium

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "06-teaching-deck.ipynb"
OUT = ROOT / "build" / "slides"
#: Exact versions, like constraints.txt for Python (neither package has dependencies).
NPM_PACKAGES = ["reveal.js@4.6.0", "requirejs@2.3.8"]
REVEAL = "node_modules/reveal.js"
REQUIRE = "node_modules/requirejs/require.js"

# nbconvert's reveal template, minus every CDN reference, with reveal.js told to print
# one page per slide; code cells are hidden by the exporter, not here.
TEMPLATE = """
{%- extends 'index.html.j2' -%}
{%- block html_head_js_jquery -%}{%- endblock html_head_js_jquery -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block notebook_css -%}
{{ super() }}
<style type="text/css">__STYLE__</style>
{%- endblock notebook_css -%}
{%- block footer_js -%}
<script>
require(
    {waitSeconds: 15},
    ["{{ reveal_url_prefix }}/dist/reveal.js", "{{ reveal_url_prefix }}/plugin/notes/notes.js"],
    function (Reveal, RevealNotes) {
        Reveal.initialize({
            controls: true,
            progress: true,
            center: false,
            history: true,
            transition: "{{ reveal_transition }}",
            slideNumber: "{{ reveal_number }}",
            plugins: [RevealNotes],
            width: {{ reveal_width }},
            height: {{ reveal_height }},
            pdfMaxPagesPerSlide: 1,
            pdfSeparateFragments: false,
        });
    }
);
</script>
{%- endblock footer_js -%}
""".replace("__STYLE__", style.SLIDES_CSS)


def install_reveal(out: Path) -> None:
    """npm-install reveal.js and require.js into OUT/node_modules unless they are there."""
    if (out / REVEAL / "dist" / "reveal.js").is_file() and (out / REQUIRE).is_file():
        return
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(out),
            "--no-audit",
            "--no-fund",
            "--save-exact",
            *NPM_PACKAGES,
        ],
        check=True,
    )


def export(notebook: Path, out: Path) -> Path:
    """Write OUT/NAME.slides.html, code hidden, reveal.js and require.js loaded locally."""
    exporter = SlidesExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        reveal_url_prefix=REVEAL,
        require_js_url=REQUIRE,
        reveal_theme=style.SLIDES_THEME,
        reveal_number="c/t",
        reveal_transition="none",
    )
    exporter.raw_template = TEMPLATE
    body, _ = exporter.from_notebook_node(
        static_widgets(nbformat.read(notebook, as_version=4)),
        resources={"metadata": {"name": notebook.stem}},
    )
    body = link_pages(body, "../site/")
    target = out / f"{notebook.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


VIEWPORT = {"width": 1280, "height": 720}
#: Every slide whose content is taller or wider than the slide, as (number, title, w, h).
#: The extent is measured on every element, not only the slide: an output area that
#: clips its own overflow (a wide table) would hide it from the slide's scroll size.
OVERFLOW_JS = """() => [...document.querySelectorAll('.pdf-page > section')].map((s, i) => {
    const box = s.getBoundingClientRect();
    let w = s.scrollWidth, h = s.scrollHeight;
    for (const e of s.querySelectorAll('*')) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        w = Math.max(w, Math.ceil(r.right - box.left));
        h = Math.max(h, Math.ceil(r.bottom - box.top));
    }
    return [i + 1, (s.querySelector('h1, h2, h3') || {textContent: ''}).textContent.replace('¶', ''),
        w, h];
}).filter(([, , w, h]) => w > WIDTH || h > HEIGHT)"""


def _open_deck(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(url, wait_until="load")
    page.wait_for_selector(".reveal.ready", state="attached", timeout=30_000)
    return page


def render(
    html: Path, pdf: Path | None, screenshot: Path | None, *, size: tuple[int, int] = (960, 700)
) -> list[tuple[int, str, int, int]]:
    """Print HTML to PDF (one page per slide) and/or screenshot its first slide at 1280x720.

    Returns the slides whose content does not fit the slide ``size`` (checked when printing):
    reveal.js cuts such content off in the PDF."""
    from playwright.sync_api import sync_playwright

    overflowing: list[tuple[int, str, int, int]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=list(CHROMIUM_ARGS))
        try:
            if pdf is not None:
                page = _open_deck(browser, f"{html.resolve().as_uri()}?print-pdf")
                page.wait_for_selector(".pdf-page", state="attached", timeout=30_000)
                page.wait_for_load_state("networkidle")
                script = OVERFLOW_JS.replace("WIDTH", str(size[0])).replace("HEIGHT", str(size[1]))
                overflowing = [tuple(row) for row in page.evaluate(script)]
                page.pdf(path=str(pdf), print_background=True, prefer_css_page_size=True)
                page.close()
            if screenshot is not None:
                page = _open_deck(browser, html.resolve().as_uri())
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(screenshot))
                page.close()
        finally:
            browser.close()
    return overflowing


def build(
    out: Path = OUT,
    notebook: Path = NOTEBOOK,
    *,
    pdf: bool = True,
    screenshot: Path | None = None,
) -> dict[str, Path]:
    """Build the deck into OUT; return the paths written ("html", "pdf", "screenshot")."""
    out.mkdir(parents=True, exist_ok=True)
    install_reveal(out)
    html = export(notebook, out)
    written = {"html": html}
    if pdf:
        written["pdf"] = out / f"{notebook.stem}.pdf"
    if screenshot is not None:
        written["screenshot"] = screenshot
    if pdf or screenshot is not None:
        for number, heading, width, height in render(html, written.get("pdf"), screenshot):
            print(
                f"warning: slide {number} ({heading}) is {width}x{height} px, larger than a "
                "slide; the PDF cuts it off",
                file=sys.stderr,
            )
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (build/slides)")
    parser.add_argument("--notebook", type=Path, default=NOTEBOOK, help="the executed deck")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF")
    parser.add_argument("--screenshot", type=Path, help="also save the first slide as PNG")
    args = parser.parse_args(argv)
    start = time.monotonic()
    written = build(args.out, args.notebook, pdf=not args.no_pdf, screenshot=args.screenshot)
    for path in written.values():
        print(f"wrote {path}")
    print(f"slides built in {time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
