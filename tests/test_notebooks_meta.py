"""Notebook rules: names, skeleton, sources in sync, outputs present, no typed-in figures."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import jupytext
import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SKELETON = ["## Overview", "## Prerequisites", "## Imports", "## Summary", "## Sources"]


def test_there_are_notebooks_and_sources_for_each() -> None:
    names = [p.stem for p in NOTEBOOKS]
    assert names[:2] == ["00-index", "01-compare-the-options"]
    assert sorted(p.stem for p in (ROOT / "notebooks" / "src").glob("*.py")) == names


def test_the_index_and_the_readme_list_every_notebook() -> None:
    index = jupytext.read(ROOT / "notebooks" / "src" / "00-index.py")
    text = "\n".join(c.source for c in index.cells if c.cell_type == "markdown")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"]({path.name})" in text, f"00-index does not link {path.name}"
        assert f"](notebooks/{path.name})" in readme, f"README does not link {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_name_and_skeleton(path: Path) -> None:
    assert re.fullmatch(r"\d\d-[a-z0-9]+(-[a-z0-9]+)*\.ipynb", path.name)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    markdown = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    titles = [line for text in markdown for line in text.splitlines() if line.startswith("# ")]
    assert len(titles) == 1 and markdown[0].startswith("# "), "one H1 title, first"
    # the disclaimer sits under the title: in the title's cell, or (the session app, which
    # shows its own disclaimer once) in the next cell, hidden in the app only
    first_two = [c for c in cells if c["cell_type"] == "markdown"][:2]
    assert "not medical advice" in markdown[0] or (
        "not medical advice" in "".join(first_two[1]["source"])
        and "hide-in-app" in first_two[1].get("metadata", {}).get("tags", [])
        and cells.index(first_two[1]) == cells.index(first_two[0]) + 1
    ), "the disclaimer sits under the title"
    headings = [
        line.strip() for text in markdown for line in text.splitlines() if line.startswith("## ")
    ]
    positions = [headings.index(h) for h in SKELETON]
    assert positions == sorted(positions), headings
    assert headings[-1] == "## Sources"
    code = [c for c in cells if c["cell_type"] == "code"]
    imports = next(i for i, c in enumerate(cells) if "".join(c["source"]).strip() == "## Imports")
    assert cells[imports + 1]["cell_type"] == "code" and "import kypho_aid" in "".join(
        cells[imports + 1]["source"]
    )
    assert all(c["execution_count"] is not None for c in code), "regenerate with make notebooks"
    assert sum(bool(c["outputs"]) for c in code) >= len(code) - 1, "only the imports cell is silent"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_matches_its_source(path: Path) -> None:
    source = jupytext.read(ROOT / "notebooks" / "src" / f"{path.stem}.py")
    stored = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert [c.source for c in source.cells] == ["".join(c["source"]) for c in stored], (
        "run make notebooks"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_figures_are_typed_into_the_notebook(path: Path) -> None:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            prose = re.sub(r"\[[^\]]*\]\([^)]*\)", "", text)  # links name notebooks by number
            prose = re.sub(r"^\s*\d+\. ", "", prose, flags=re.M)  # numbered lists
            # the aid's fixed denominators are words, not figures
            prose = re.sub(r"\bout of 1000?\b|\b1000? people\b", "", prose, flags=re.I)
            assert not re.search(r"\d", prose), (
                f"{path.name}: a figure is typed into markdown: {text[:80]!r}"
            )
        else:
            numbers = [
                n.value
                for n in ast.walk(ast.parse(re.sub(r"^%.*$", "", text, flags=re.M)))
                if isinstance(n, ast.Constant) and type(n.value) in (int, float)
            ]
            assert set(numbers) <= {0, 1}, f"{path.name}: numeric literal in code: {numbers}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_volatile_metadata(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in notebook["metadata"]
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    for cell in notebook["cells"]:
        assert "execution" not in cell.get("metadata", {})
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_shows_the_content_version_and_review_date(path: Path) -> None:
    import kypho_aid

    info = kypho_aid.content_info()
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    printed = "".join("".join(o.get("text", "")) for c in cells for o in c.get("outputs", []))
    assert info.version in printed and info.reviewed_on.isoformat() in printed
    assert info.disclaimer in printed
