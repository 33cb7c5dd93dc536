"""`make lab` in a real browser: JupyterLab on 127.0.0.1 opens the index, and every notebook
runs top to bottom in it without an error. Uses Debian's chromium (never a
downloaded browser); skipped where chromium is absent, except in CI."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    free_port,
    require_chromium,
    serve_make_target,
    snapshot,
)

TOKEN = "kypho-aid-test-token"
RESULTS = ROOT / "test-results"


def _title(path: Path) -> str:
    """The H1 title of a notebook, as JupyterLab renders it."""
    first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
    return "".join(first["source"]).splitlines()[0].removeprefix("# ").strip()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_chromium()
    home = tmp_path_factory.mktemp("lab")
    # Autosave off, so running the notebooks never rewrites the committed files; every cell
    # rendered (no windowing), so the test sees them all; no news prompt in the screenshots.
    for plugin, values in {
        "docmanager-extension/plugin": {"autosave": False},
        "notebook-extension/tracker": {"windowingMode": "none"},
        "apputils-extension/notification": {"fetchNews": "false"},
    }.items():
        path = home / "settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port = free_port()
    args = " ".join(
        [
            f"--no-browser --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={TOKEN}",
            f"--LabApp.user_settings_dir={home / 'settings'} --LabApp.workspaces_dir={home / 'workspaces'}",
            f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",  # not beside the notebooks
        ]
    )
    url = f"http://127.0.0.1:{port}"

    def ready() -> None:
        urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)

    with serve_make_target("lab", [f"LAB_ARGS={args}"], home, ready, timeout=90) as log:
        yield url, log


def test_lab_listens_on_loopback_only(lab: tuple[str, Path]) -> None:
    url, log = lab
    text = log.read_text()
    assert f"{url}/lab" in text
    assert "0.0.0.0" not in text and "://localhost" not in text


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_notebook_runs_top_to_bottom_in_lab(lab: tuple[str, Path], name: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, _ = lab
    before = snapshot(ROOT / "notebooks")
    RESULTS.mkdir(exist_ok=True)
    external: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on(
            "request",
            lambda r: (
                external.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                else None
            ),
        )
        page.goto(f"{url}/lab/workspaces/{name}/tree/notebooks/{name}.ipynb?reset&token={TOKEN}")
        title = _title(ROOT / "notebooks" / f"{name}.ipynb")
        heading = page.get_by_role("heading", name=title, level=1, exact=True)
        notebook = page.locator(".jp-NotebookPanel .jp-Notebook").filter(has=heading)
        expect(notebook).to_be_visible(timeout=60_000)
        expect(
            page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first
        ).to_be_attached(timeout=60_000)
        page.screenshot(path=str(RESULTS / f"lab-{name}-opened.png"))
        prompts = notebook.locator(".jp-CodeCell .jp-InputPrompt")
        count = prompts.count()
        assert count > 0
        # clear the stored outputs first, so that what follows can only come from this run
        page.get_by_role("menuitem", name="Edit", exact=True).click()
        page.get_by_role("menuitem", name="Clear Outputs of All Cells", exact=True).click()
        expect(notebook.locator(".jp-CodeCell .jp-OutputArea-output")).to_have_count(0)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        numbered = prompts.filter(has_text=re.compile(r"\[\d+\]"))
        expect(numbered).to_have_count(count, timeout=120_000)
        expect(prompts.filter(has_text=f"[{count}]")).to_have_count(1)
        assert notebook.locator(".jp-CodeCell .jp-OutputArea-output").count() >= count - 1
        errors = notebook.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        )
        assert errors.count() == 0, errors.all_inner_texts()
        page.screenshot(path=str(RESULTS / f"lab-{name}.png"))
        browser.close()
    assert external == []
    assert snapshot(ROOT / "notebooks") == before, (
        "running in JupyterLab changed a committed notebook"
    )
