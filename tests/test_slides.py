"""`make slides`: the teaching deck as offline reveal.js slides and a PDF, one page per slide.

Runs the real build (tools/build_slides.py, npm included) into a scratch folder, then checks
the deck in Debian's chromium: nothing but local files is loaded, there is one slide per
slide or subslide cell of the notebook and one PDF page per slide, every slide fits, and no
code is shown. Skipped where chromium is absent, except in CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kypho_aid.handout import count_pdf_pages

from .conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, require_chromium, run_tool
from .test_site import external_references

NOTEBOOK = ROOT / "notebooks" / "06-teaching-deck.ipynb"


def _cells() -> list[dict[str, Any]]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]  # type: ignore[no-any-return]


def expected_slides() -> int:
    """Slides the notebook asks for: its cells marked slide or subslide."""
    kinds = [c["metadata"].get("slideshow", {}).get("slide_type", "-") for c in _cells()]
    assert kinds[0] == "slide", "the title cell opens the deck"
    return sum(kind in {"slide", "subslide"} for kind in kinds)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The real deck built into a scratch folder, and what the build printed on stderr."""
    require_chromium()
    out = tmp_path_factory.mktemp("slides")
    return out, run_tool("build_slides.py", "--out", str(out)).stderr


@pytest.fixture(scope="module")
def deck(built: tuple[Path, str]) -> Path:
    return built[0]


def _slide(kind: str, html: str) -> list[dict[str, Any]]:
    """A markdown title cell opening a slide, then a code cell whose output is ``html``."""
    return [
        {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": kind}},
         "source": f"## {kind} {len(html)}"},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "shown()",
         "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                      "data": {"text/html": html, "text/plain": "table"}}]},
    ]  # fmt: skip


def test_a_slide_wider_or_taller_than_the_page_is_reported(tmp_path: Path) -> None:
    """The build's own check sees a wide table, which the output area clips (so the slide's
    scroll size alone would miss it), and a long one."""
    require_chromium()
    wide = "<table><tr>" + "<th>a long column heading</th>" * 30 + "</tr></table>"
    tall = "<table>" + "<tr><td>a row</td></tr>" * 60 + "</table>"
    cells = _slide("slide", "<p>fits</p>") + _slide("slide", wide) + _slide("subslide", tall)
    notebook = tmp_path / "deck.ipynb"
    notebook.write_text(
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
        encoding="utf-8",
    )
    result = run_tool(
        "build_slides.py", "--out", str(tmp_path / "out"), "--notebook", str(notebook)
    )
    reported = [line.split(" (")[0] for line in result.stderr.splitlines() if "warning" in line]
    assert reported == ["warning: slide 2", "warning: slide 3"], result.stderr


@pytest.fixture(scope="module")
def browsed(deck: Path) -> dict[str, Any]:
    """Open the deck and its print view in chromium; record every request and page error."""
    from playwright.sync_api import sync_playwright

    html = (deck / f"{NOTEBOOK.stem}.slides.html").resolve().as_uri()
    requests: list[str] = []
    errors: list[str] = []
    seen: dict[str, Any] = {"requests": requests, "errors": errors}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(html, wait_until="load")
        page.wait_for_selector(".reveal.ready", state="attached", timeout=30_000)
        page.wait_for_load_state("networkidle")
        seen["number"] = page.locator(".slide-number").inner_text()
        seen["leaves"] = page.locator(".slides section:not(:has(section))").count()
        seen["code"] = page.locator(".jp-InputArea-editor, .jp-InputPrompt, .jp-CodeMirrorEditor")
        seen["code"] = seen["code"].count()
        for _ in range(seen["leaves"] - 1):  # step through every slide, as a presenter would
            page.keyboard.press("Space")
        page.wait_for_load_state("networkidle")
        seen["last"] = page.locator(".slide-number").inner_text()
        page.goto(f"{html}?print-pdf", wait_until="load")
        page.wait_for_selector(".pdf-page", state="attached", timeout=30_000)
        page.wait_for_load_state("networkidle")
        seen["pages"] = page.evaluate("() => document.querySelectorAll('.pdf-page').length")
        browser.close()
    return seen


def test_deck_and_pdf_are_written(deck: Path) -> None:
    assert (deck / "node_modules" / "reveal.js" / "dist" / "reveal.js").is_file()
    assert (deck / "node_modules" / "requirejs" / "require.js").is_file()
    assert (deck / f"{NOTEBOOK.stem}.pdf").read_bytes().startswith(b"%PDF")


def test_deck_references_no_external_url(deck: Path) -> None:
    html = (deck / f"{NOTEBOOK.stem}.slides.html").read_text(encoding="utf-8")
    assert external_references(html) == []
    assert 'src="node_modules/requirejs/require.js"' in html
    assert "node_modules/reveal.js/dist/reveal.js" in html


def test_deck_loads_only_local_files_in_chromium(browsed: dict[str, Any]) -> None:
    assert browsed["requests"], "the browser saw no request at all"
    remote = [url for url in browsed["requests"] if not url.startswith(("file://", "data:"))]
    assert remote == []
    assert browsed["errors"] == []


def test_one_slide_per_slide_cell_and_one_pdf_page_per_slide(
    deck: Path, browsed: dict[str, Any]
) -> None:
    expected = expected_slides()
    assert browsed["leaves"] == expected
    assert browsed["number"].split() == ["1", "/", str(expected)]  # slide numbers: current/total
    assert browsed["last"].split() == [str(expected), "/", str(expected)]
    assert browsed["pages"] == expected
    assert count_pdf_pages(deck / f"{NOTEBOOK.stem}.pdf") == expected


def test_every_slide_fits_on_its_page(built: tuple[Path, str]) -> None:
    """The build reports no slide larger than the page (its check is tested above)."""
    assert [line for line in built[1].splitlines() if "warning" in line] == []


def test_no_code_is_shown(deck: Path, browsed: dict[str, Any]) -> None:
    assert browsed["code"] == 0
    html = (deck / f"{NOTEBOOK.stem}.slides.html").read_text(encoding="utf-8")
    sources = ["".join(c["source"]) for c in _cells() if c["cell_type"] == "code"]
    assert "import kypho_aid" in sources[0]
    shown = [line for s in sources for line in s.splitlines() if len(line) > 20 and line in html]
    assert shown == []
