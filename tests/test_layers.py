"""The package's layers: imports point one way, from what shows down to what is known.

knowledge base <- facts <- rendering <- plotting and widgets <- entry points. A module may
import from its own layer or any layer below it, never above; matplotlib only in plotting and
ipywidgets only in widgets. Imports made only for type checking do not count. The one upward
import left is listed in ``UPWARD`` with its reason, and the test fails if it is no longer
needed, so the list cannot go stale.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kypho_aid"

LAYERS: dict[str, frozenset[str]] = {
    "knowledge base": frozenset(
        {
            "model",
            "exceptions",
            "_values",
            "_files",
            "_yaml",
            "schema",
            "profile",
            "validation",
            "loading",
            "snapshot",
            "datasets",
            "texts",
            "style",
        }
    ),
    "facts": frozenset(
        {
            "findings",
            "wording",
            "compare",
            "outcomes",
            "candidacy",
            "intake",
            "decision",
            "procedure",
            "exercises",
        }
    ),
    "rendering": frozenset({"templating", "export", "handout", "note", "grading", "readability"}),
    "plotting and widgets": frozenset({"plotting", "widgets"}),
    "entry points": frozenset({"__init__", "__main__", "cli"}),
}
RANK = {module: rank for rank, members in enumerate(LAYERS.values()) for module in members}

#: (importer, imported): why the import still points up.
UPWARD = {
    ("compare", "export"): "ComparisonTable.to_markdown/to_html/to_csv and its notebook "
    "display are public API (README, notebooks); they hand the table to the rendering layer",
}

#: Third-party packages only one module may import.
ONLY_IN = {"matplotlib": "plotting", "ipywidgets": "widgets"}


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """Line numbers inside ``if TYPE_CHECKING:`` blocks."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _files(module: str) -> list[Path]:
    """The source of a module, or every file of a subpackage (``plotting`` is one unit)."""
    folder = PACKAGE / module
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [PACKAGE / f"{module}.py"]


def imports_of(module: str) -> set[str]:
    """Top-level names this module imports at run time (kypho_aid.x gives x), anywhere in it."""
    found: set[str] = set()
    for path in _files(module):
        found |= _imports_in(ast.parse(path.read_text(encoding="utf-8")))
    return found - {module}


def _imports_in(tree: ast.Module) -> set[str]:
    typing_only = _type_checking_lines(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] == "kypho_aid" and len(parts) > 1:
                found.add(parts[1])
            elif parts[0] == "kypho_aid":
                found.update(alias.name for alias in node.names)
            else:
                found.add(parts[0])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                found.add(parts[1] if parts[0] == "kypho_aid" and len(parts) > 1 else parts[0])
    return found


def modules() -> list[str]:
    """Every module of the package; a subpackage (a folder with ``__init__.py``) counts as one."""
    files = [path.stem for path in PACKAGE.glob("*.py")]
    folders = [path.parent.name for path in PACKAGE.glob("*/__init__.py")]
    return sorted(files + folders)


def test_every_module_has_a_layer() -> None:
    assert sorted(RANK) == modules()


@pytest.mark.parametrize("module", modules())
def test_imports_point_down(module: str) -> None:
    upward = sorted(
        imported
        for imported in imports_of(module) & set(RANK)
        if RANK[imported] > RANK[module] and (module, imported) not in UPWARD
    )
    assert upward == [], f"{module} ({RANK[module]}) imports a higher layer: {upward}"


@pytest.mark.parametrize(("importer", "imported"), sorted(UPWARD))
def test_each_allowed_upward_import_is_still_needed(importer: str, imported: str) -> None:
    assert imported in imports_of(importer), f"drop ({importer}, {imported}) from UPWARD"


@pytest.mark.parametrize(("package", "owner"), sorted(ONLY_IN.items()))
def test_drawing_and_widget_packages_stay_in_their_module(package: str, owner: str) -> None:
    assert [m for m in modules() if package in imports_of(m)] == [owner]


def test_the_checker_sees_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A knowledge-base module that reached up to plotting, even inside a function, is found."""
    (tmp_path / "schema.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from kypho_aid.widgets import SessionApp\n"
        "def f():\n    from kypho_aid import plotting\n    import kypho_aid.handout\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    assert imports_of("schema") >= {"plotting", "handout", "typing"}
    assert "widgets" not in imports_of("schema")
