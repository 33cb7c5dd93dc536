"""Speed of kypho-aid, measured against baselines taken in the same run (run: make bench).

Usage
-----
    python benchmarks/bench.py [--quick] [--no-browser]

Prints each result as a ratio to its named baseline (or in milliseconds against its
target) and appends a dated row with package versions to benchmarks/results.md.

1. import kypho_aid + load every dataset, against import pandas alone (target ≤ 1.3×)
2. strict nbval over the notebook suite, against as many trivial notebooks (target ≤ 1.5×)
3. widget update latency, value change → updated output: median and 95th percentile, in the
   kernel and in the browser (targets: text/table < 50 ms, chart < 150 ms)
4. Voilà app: time to first interactive widget in headless chromium, against an empty
   notebook served the same way (target ≤ 1.5×)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

from kypho_aid.handout import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
RESULTS = ROOT / "benchmarks" / "results.md"


def _median_run(args: list[str], runs: int, cwd: Path = ROOT) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_import(runs: int) -> tuple[float, float]:
    load = "import kypho_aid; [kypho_aid.load_dataset(n) for n in kypho_aid.list_datasets()]"
    return _median_run([PYTHON, "-c", load], runs), _median_run(
        [PYTHON, "-c", "import pandas"], runs
    )


def bench_nbval() -> tuple[float, float]:
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    args = [
        PYTHON,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(ROOT / "tests" / "nbval_sanitize.cfg"),
    ]
    suite = _median_run([*args, *map(str, notebooks)], 1)
    with tempfile.TemporaryDirectory() as folder:
        import nbformat
        from nbclient import NotebookClient

        trivial = []
        for index in range(len(notebooks)):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
            nb.metadata["kernelspec"] = {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            }
            NotebookClient(nb, kernel_name="python3").execute()
            path = Path(folder) / f"trivial-{index}.ipynb"
            nbformat.write(nb, path)
            trivial.append(str(path))
        floor = _median_run([*args, *trivial], 1, cwd=Path(folder))
    return suite, floor


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _timed(action: Callable[[int], None], runs: int) -> tuple[float, float]:
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - start) * 1000)
    return _percentiles(samples)


def bench_kernel_widgets(runs: int) -> dict[str, tuple[float, float]]:
    import matplotlib

    matplotlib.use("Agg")
    from kypho_aid.widgets import RiskExplorer, StepExplorer, SureCheck, ValuesRater

    explorer, values, sure = RiskExplorer(), ValuesRater(), SureCheck()
    steps = StepExplorer()
    outcomes = ["new_fracture", "leakage_any", "cement_embolism", "natural_recovery"]
    views = ["numbers", "words"]
    slider = values.sliders["avoid_leakage"]

    def chart(i: int) -> None:
        explorer.view.value = "icons"
        explorer.outcome.value = outcomes[i % len(outcomes)]

    def words(i: int) -> None:
        explorer.view.value = views[i % 2]

    def rating(i: int) -> None:
        slider.value = i % 5

    def sure_toggle(i: int) -> None:
        sure.answers["S"].value = bool(i % 2)

    def step(i: int) -> None:
        steps.step.value = 1 + i % steps.step.max

    return {
        "chart: risk explorer outcome (icons)": _timed(chart, runs),
        "text: risk explorer view (numbers/words)": _timed(words, runs),
        "table: values rating": _timed(rating, runs),
        "text: SURE answer": _timed(sure_toggle, runs),
        "chart: step explorer slider (drawing)": _timed(step, runs),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def voila(notebook: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": tempfile.mkdtemp()}
    proc = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "voila",
            str(notebook),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--Voila.port_retries=0",
            "--VoilaConfiguration.strip_sources=True",
            "--TagRemovePreprocessor.enabled=True",
            '--TagRemovePreprocessor.remove_cell_tags=["hide-in-app"]',
        ],
        cwd=notebook.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("voila did not start") from None
            time.sleep(0.3)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def bench_browser(runs: int) -> dict[str, tuple[float, float]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, tuple[float, float]] = {}
    app = ROOT / "notebooks" / "05-shared-decision-session.ipynb"
    with tempfile.TemporaryDirectory() as folder:
        import nbformat

        empty = Path(folder) / "empty.ipynb"
        nb = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("import ipywidgets as w\nw.Button(description='ok')")]
        )
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nbformat.write(nb, empty)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=list(CHROMIUM_ARGS),
            )

            def first_widget(url: str, selector: str) -> float:
                page = browser.new_page()
                start = time.perf_counter()
                page.goto(url)
                page.locator(selector).first.wait_for(state="visible", timeout=120_000)
                elapsed = (time.perf_counter() - start) * 1000
                page.close()
                return elapsed

            with voila(empty) as url:
                baseline = statistics.median(first_widget(url, ".widget-button") for _ in range(3))
            with voila(app) as url:
                tti = statistics.median(first_widget(url, ".kypho-steps") for _ in range(3))
                page = browser.new_page()
                page.goto(url)
                page.locator(".kypho-steps").first.wait_for(state="visible", timeout=120_000)
                page.get_by_role("button", name="3. Risks and benefits").click()
                summary = page.locator(".kypho-risk-summary").first
                summary.wait_for(state="visible")
                # Timed inside the page: from the click (or change) event to the DOM update.
                page.evaluate(
                    """() => {
                        window.__kypho = {start: null, end: null};
                        const begin = () => { window.__kypho = {start: performance.now(), end: null}; };
                        document.addEventListener('click', begin, true);
                        document.addEventListener('change', begin, true);
                        new MutationObserver(() => {
                            if (window.__kypho.start !== null && window.__kypho.end === null) {
                                window.__kypho.end = performance.now();
                            }
                        }).observe(document.querySelector('.kypho-session'),
                                   {subtree: true, childList: true, characterData: true, attributes: true,
                                    attributeFilter: ['src']});
                    }"""
                )

                def in_page() -> float:
                    page.wait_for_function("() => window.__kypho.end !== null", polling="raf")
                    return float(page.evaluate("() => window.__kypho.end - window.__kypho.start"))

                samples_text, samples_chart = [], []
                for i in range(runs):
                    page.get_by_role("button", name="Numbers" if i % 2 else "Words").click()
                    samples_text.append(in_page())
                page.get_by_role("button", name="Icons").click()
                in_page()
                page.locator(".kypho-session img").first.wait_for(state="visible")
                choices = ["Cement leaking out of the bone", "A new break in the spine"]
                for i in range(runs):
                    page.locator(".kypho-risk-outcome select").select_option(label=choices[i % 2])
                    samples_chart.append(in_page())
                page.close()
            browser.close()
    results["voila time to first widget (ms): app"] = (tti, tti)
    results["voila time to first widget (ms): empty notebook"] = (baseline, baseline)
    results["browser text: risk explorer view"] = _percentiles(samples_text)
    results["browser chart: risk explorer outcome"] = _percentiles(samples_chart)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--no-browser", action="store_true", help="skip the Voilà and browser measures"
    )
    args = parser.parse_args(argv)
    runs = 5 if args.quick else 15
    lines: list[str] = []

    def report(text: str) -> None:
        print(text)
        lines.append(text)

    ours, pandas_only = bench_import(3 if args.quick else 7)
    report(
        f"1. import + load all datasets: {ours * 1000:.0f} ms vs import pandas {pandas_only * 1000:.0f} ms "
        f"= {ours / pandas_only:.2f}x (target <= 1.3x)"
    )
    suite, floor = bench_nbval()
    report(
        f"2. strict nbval, {len(list((ROOT / 'notebooks').glob('*.ipynb')))} notebooks: {suite:.1f} s vs trivial "
        f"notebooks {floor:.1f} s = {suite / floor:.2f}x (target <= 1.5x)"
    )
    for name, (median, p95) in bench_kernel_widgets(runs * 2).items():
        target = 150 if name.startswith("chart") else 50
        report(f"3. kernel {name}: median {median:.1f} ms, p95 {p95:.1f} ms (target < {target} ms)")
    if not args.no_browser and Path(CHROMIUM).exists():
        browser = bench_browser(runs)
        app, empty = (
            browser.pop("voila time to first widget (ms): app")[0],
            browser.pop("voila time to first widget (ms): empty notebook")[0],
        )
        for name, (median, p95) in browser.items():
            target = 150 if "chart" in name else 50
            report(f"3. {name}: median {median:.1f} ms, p95 {p95:.1f} ms (target < {target} ms)")
        report(
            f"4. voila first interactive widget: app {app:.0f} ms vs empty notebook {empty:.0f} ms "
            f"= {app / empty:.2f}x (target <= 1.5x)"
        )
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    versions = ", ".join(
        f"{p} {version(p)}" for p in ("kypho-aid", "pandas", "matplotlib", "ipywidgets", "voila")
    )
    entry = (
        f"\n## {stamp}\n\nPython {platform.python_version()}, {versions}; {os.cpu_count()} cores.\n\n"
        + "\n".join(f"- {line}" for line in lines)
        + "\n"
    )
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nAppended by `make bench`; newest last.\n", encoding="utf-8"
        )
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(entry)
    return 0


if __name__ == "__main__":
    sys.exit(main())
