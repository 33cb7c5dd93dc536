"""Export every notebook to code-free, offline HTML with navigation: a static site.

Usage
-----
    python tools/build_site.py [--out DIR] [--notebooks DIR]     (or: make site)

Each executed ``notebooks/NN-name.ipynb`` becomes ``DIR/NN-name.html`` through nbconvert's
HTMLExporter, code hidden (``--no-input``) and images embedded (``--embed-images``). An
``index.html`` lists every page, and every page links home and to the previous and next
page; links between notebooks (``NN-name.ipynb``) are rewritten to their ``.html`` pages.

Offline: nbconvert's lab template loads require.js, MathJax, Mermaid and the widget manager
from CDNs. A small template on top of it drops them all (no notebook uses math, diagrams or
embedded widget state), so a page loads nothing but itself. Widgets cannot run in a static
page: where an output is a live widget, the page says it is interactive in JupyterLab or the
app instead of leaving a gap.
"""

from __future__ import annotations

import argparse
import copy
import html
import re
import sys
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

import kypho_aid
from kypho_aid import style

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "build" / "site"
WIDGET_NOTE = (
    "This part is interactive. It works when the notebook is opened in JupyterLab "
    "(make lab) or, for the session, in the app (make app); a static page cannot run it."
)


# nbconvert's lab template minus every CDN reference, plus the navigation bars.
TEMPLATE = """
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<style type="text/css">__STYLE__</style>{%- endblock extra_css -%}
{%- block body_header -%}
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<main>
{{ resources.kypho_nav | replace('__WHERE__', 'top') }}
{%- endblock body_header -%}
{%- block body_footer -%}
{{ resources.kypho_nav | replace('__WHERE__', 'bottom') }}
</main>
</body>
{%- endblock body_footer -%}
""".replace("__STYLE__", style.SITE_CSS)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NOTEBOOK_LINK = re.compile(r'href="(\d\d-[a-z0-9-]+)\.ipynb(#[^"]*)?"')


def static_widgets(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` where every live widget output is a short note instead.

    Without saved widget state nbconvert would print the widget's Python repr."""
    notebook = copy.deepcopy(notebook)
    note = f'<p class="kypho-widget-note">{html.escape(WIDGET_NOTE)}</p>'
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                output["data"] = {"text/html": note, "text/plain": WIDGET_NOTE}
    return notebook


def link_pages(body: str, prefix: str = "") -> str:
    """``body`` with every link to a notebook (``NN-name.ipynb``) pointing at its page,
    ``PREFIXNN-name.html``, anchor kept."""
    return NOTEBOOK_LINK.sub(lambda m: f'href="{prefix}{m.group(1)}.html{m.group(2) or ""}"', body)


def title(notebook: nbformat.NotebookNode, fallback: str) -> str:
    """The notebook's H1 title (its first line starting with "# ")."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def nav(pages: list[tuple[str, str]], index: int) -> str:
    """Home, previous and next links for page ``index`` of ``pages`` [(file, title)]."""
    links = ['<a href="index.html" rel="home">Home: all pages</a>']
    if index > 0:
        name, text = pages[index - 1]
        links.append(f'<a href="{name}" rel="prev">Previous: {html.escape(text)}</a>')
    if index < len(pages) - 1:
        name, text = pages[index + 1]
        links.append(f'<a href="{name}" rel="next">Next: {html.escape(text)}</a>')
    return f'<nav class="kypho-site-nav __WHERE__" aria-label="Pages">{" ".join(links)}</nav>'


def index_page(pages: list[tuple[str, str]]) -> str:
    """The home page: every page in order, and the content version with the disclaimer."""
    info = kypho_aid.content_info()
    items = "".join(f'<li><a href="{n}">{html.escape(t)}</a></li>' for n, t in pages)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>kypho-aid: the notebooks</title><style>{style.SITE_INDEX_CSS}"
        "</style></head><body><main><h1>kypho-aid: the notebooks</h1>"
        f"<blockquote><p>{html.escape(info.disclaimer)}</p></blockquote>"
        f'<nav aria-label="Pages"><ol>{items}</ol></nav>'
        f"<p><small>{html.escape(info.footer)}</small></p></main></body></html>\n"
    )


def build(out: Path = OUT, notebooks: Path = NOTEBOOKS) -> list[Path]:
    """Write DIR/index.html and one page per notebook; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted(notebooks.glob("[0-9][0-9]-*.ipynb"))
    loaded = [static_widgets(nbformat.read(path, as_version=4)) for path in sources]
    pages = [(f"{p.stem}.html", title(nb, p.stem)) for p, nb in zip(sources, loaded, strict=True)]
    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.raw_template = TEMPLATE
    written = []
    for number, notebook in enumerate(loaded):
        resources = {
            "metadata": {"name": pages[number][1], "path": str(notebooks)},
            "kypho_nav": nav(pages, number),
        }
        body, _ = exporter.from_notebook_node(notebook, resources=resources)
        body = link_pages(body)
        target = out / pages[number][0]
        target.write_text(body, encoding="utf-8")
        written.append(target)
    for stale in set(out.glob("[0-9][0-9]-*.html")) - set(written):
        stale.unlink()  # a page whose notebook is gone
    home = out / "index.html"
    home.write_text(index_page(pages), encoding="utf-8")
    return [home, *written]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (build/site)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="executed notebooks")
    args = parser.parse_args(argv)
    start = time.monotonic()
    for path in build(args.out, args.notebooks):
        print(f"wrote {path}")
    print(f"site built in {time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
