"""Regenerate notebooks/*.ipynb from their py:percent sources in notebooks/src/, executed.

Usage
-----
    python tools/build_notebooks.py [NAME ...]     (or: make notebooks)

Each source is converted with jupytext, executed top to bottom in a fresh kernel of this
Python (cwd = notebooks/), stripped of volatile metadata with nbstripout (outputs and
execution counts kept, as strict nbval needs them) and written next to the sources' folder.
This is the only way notebooks are saved: never hand-save them from JupyterLab.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "notebooks" / "src"
TARGET = ROOT / "notebooks"


def build(source: Path) -> Path:
    """Convert, execute and strip one notebook; return the path written."""
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    notebook.metadata.pop("jupytext", None)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(TARGET)}},
        record_timing=False,
        store_widget_state=False,
    )
    client.execute()
    target = TARGET / f"{source.stem}.ipynb"
    nbformat.write(notebook, target)
    subprocess.run(
        [sys.executable, "-m", "nbstripout", "--keep-output", "--keep-count", str(target)],
        check=True,
    )
    return target


def main(argv: list[str]) -> int:
    sources = sorted(SOURCES.glob("*.py"))
    if argv:
        sources = [s for s in sources if s.stem in argv or s.name in argv]
    for source in sources:
        print(f"built {build(source).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
