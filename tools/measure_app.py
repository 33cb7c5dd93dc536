"""Measure the session app step by step, as a person would see it: page height, sideways
scrolling and axe-core findings at desktop, tablet and phone width and at 320 px (a 1280 px
screen at 400% zoom), with a screenshot of each.

Usage
-----
    python tools/measure_app.py [--checkout DIR] [--out DIR] [--json FILE]

Serves ``notebooks/05-shared-decision-session.ipynb`` of ``--checkout`` (default: this one)
the way ``make app`` does (deploy/kypho_app.py, on a free loopback port), opens it in Debian's
chromium and walks the seven steps with the step buttons. Used for the closing notes'
before/after tables (run it on an older checkout with ``--checkout``) and to refresh the
README's screenshots (``--out docs/images``). Prints one line per step and width.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# what shows that each step (1 to 7) has been built: the browser tests' own list
from tests.test_app import STEP_READY  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "tablet": {"width": 768, "height": 1024},
    "phone": {"width": 390, "height": 844},
    "400% zoom": {"width": 320, "height": 640},
}
STEPS = len(STEP_READY)
#: Wait until the page has not changed for 800 ms (at most 20 s): the step is drawn.
QUIET = """() => new Promise(resolve => {
  let timer = null;
  const done = () => { observer.disconnect(); resolve(); };
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 800); });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  timer = setTimeout(done, 800);
  setTimeout(done, 20000);
})"""
#: The page's height and sideways overflow, in CSS px: Voilà scrolls an inner box, not the
#: document, so take the tallest scrolling box (the document included).
SIZE = """() => {
  const boxes = [document.scrollingElement, ...document.querySelectorAll('*')].filter(e => {
    const y = getComputedStyle(e).overflowY;
    return e === document.scrollingElement || y === 'auto' || y === 'scroll';
  });
  const tallest = boxes.reduce((a, b) => (b.scrollHeight > a.scrollHeight ? b : a));
  return [tallest.scrollHeight, tallest.scrollWidth, tallest.clientWidth];
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(checkout: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(checkout),
        "JUPYTER_PATH": str(checkout / "share" / "jupyter"),
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "deploy/kypho_app.py",
                "notebooks/05-shared-decision-session.ipynb",
                f"--Voila.port={port}",
            ],
            cwd=checkout,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"the app did not start:\n{log.read_text()}")


def _axe_counts(page: Any) -> dict[str, int]:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        return {}
    results = Axe().run(page)
    counts: dict[str, int] = {}
    for violation in results.response.get("violations", []):
        impact = str(violation.get("impact"))
        counts[impact] = counts.get(impact, 0) + len(violation.get("nodes", []))
    return counts


def measure(checkout: Path, out: Path | None) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"measure-app-{port}.log"
    proc = _serve(checkout, port, log)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            for width_name, viewport in VIEWPORTS.items():
                page = browser.new_page(viewport=viewport)
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector(".kypho-steps", timeout=120_000)
                for step in range(STEPS):
                    page.locator(".kypho-steps button").nth(step).click()
                    # a step is built the first time it is opened: wait for it, then for quiet
                    page.locator(STEP_READY[step]).first.wait_for(timeout=120_000)
                    page.evaluate(QUIET)
                    size = page.evaluate(SIZE)
                    row = {
                        "step": step + 1,
                        "width": width_name,
                        "height": size[0],
                        "sideways": max(0, size[1] - size[2]),
                        "axe": _axe_counts(page),
                    }
                    rows.append(row)
                    print(json.dumps(row), flush=True)
                    if out is not None and width_name in ("desktop", "tablet"):
                        out.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(out / f"app-{width_name}-step{step + 1}.png"))
                page.close()
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--out", type=Path, help="folder for the screenshots (desktop, tablet)")
    parser.add_argument("--json", type=Path, help="write the measurements here too")
    args = parser.parse_args(argv)
    rows = measure(args.checkout.resolve(), args.out)
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
