"""Speed of kypho-aid, measured against baselines taken in the same run (run: make bench).

Usage
-----
    python benchmarks/bench.py [--quick] [--no-browser] [--only-serving | --no-serving]

Prints each result as a ratio to its named baseline (or in milliseconds against its
target) and appends a dated row with package versions to benchmarks/results.md.

1. import kypho_aid + load every dataset, against import pandas alone (target ≤ 1.2×)
2. strict nbval over the notebook suite, against as many trivial notebooks (target ≤ 1.5×),
   and the notebooks' twins (the same import cell and number of cells, each cell else 1 + 1):
   the least any speed-up of the library could reach
   (1 and 2 run each side turn about, 7 and 3 times, and compare medians: the machine's
   speed drifts, and a side measured minutes after the other would carry that drift)
3. widget update latency, value change → updated output: median and 95th percentile, in the
   kernel and in the browser (targets: text/table < 50 ms, chart <= 100 ms p95, issue 13)
4. the app as ``make app`` serves it: time to the first interactive widget in headless
   chromium, against an empty notebook served the same way (target ≤ 1.5×) and against an
   empty notebook in plain Voilà without preheated kernels (target < 1×)
5. load: 1, 5 and 10 visitors arriving together (each a browser of its own): first widget
   median and 95th percentile against the empty notebook, kernel memory, and the kernels
   still running two minutes after every tab closed (target 0)
6. serving modes: the hardened standalone app against Voilà as a Jupyter Server extension
   (as JupyterHub's single-user servers run it): first widget and memory
Servers listen on 127.0.0.1 only and every wait is bounded (benchmarks/serving.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from serving import (  # a sibling module: benchmarks/ is on sys.path
    APP,
    APP_WIDGET,
    EMPTY_WIDGET,
    LEFT_AFTER,
    first_widget,
    load,
    percentiles,
    serve,
    write_empty_notebook,
)

from kypho_aid.handout import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
RESULTS = ROOT / "benchmarks" / "results.md"


def _run(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def _medians_in_turns(commands: list[tuple[list[str], Path]], runs: int) -> list[float]:
    """Median time of each (command, folder), the commands run turn about ``runs`` times: the
    speed of this machine drifts by a third over minutes, and turns cancel the drift that a
    ratio of two sides measured minutes apart would carry."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for samples, (args, cwd) in zip(times, commands, strict=True):
            samples.append(_run(args, cwd))
    return [statistics.median(samples) for samples in times]


def bench_import(runs: int) -> tuple[float, float]:
    load = "import kypho_aid; [kypho_aid.load_dataset(n) for n in kypho_aid.list_datasets()]"
    ours, pandas_only = _medians_in_turns(
        [([PYTHON, "-c", load], ROOT), ([PYTHON, "-c", "import pandas"], ROOT)], runs
    )
    return ours, pandas_only


def _executed_notebook(sources: list[str], path: Path) -> None:
    """Write a notebook of these code cells, run once so that nbval has outputs to compare."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    NotebookClient(nb, kernel_name="python3").execute()
    nbformat.write(nb, path)


def bench_nbval(runs: int) -> tuple[float, float, float]:
    """Strict nbval over the notebooks, over as many trivial notebooks (one cell, ``1 + 1``),
    and over the notebooks' "twins": each notebook's import cell followed by as many ``1 + 1``
    cells as it has code cells. The twins run everything but the library's work, so their
    ratio is the least that any speed-up of the library could reach."""
    import nbformat

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
    with tempfile.TemporaryDirectory() as folder:
        trivial, twins = Path(folder) / "trivial", Path(folder) / "twins"
        trivial.mkdir()
        twins.mkdir()
        for index, notebook in enumerate(notebooks):
            _executed_notebook(["1 + 1"], trivial / f"trivial-{index}.ipynb")
            code = [
                c.source
                for c in nbformat.read(notebook, as_version=4).cells
                if c.cell_type == "code"
            ]
            _executed_notebook([code[0]] + ["1 + 1"] * (len(code) - 1), twins / notebook.name)
        suite, floor, shape = _medians_in_turns(
            [
                ([*args, *map(str, notebooks)], ROOT),
                ([*args, *map(str, sorted(trivial.glob("*.ipynb")))], trivial),
                ([*args, *map(str, sorted(twins.glob("*.ipynb")))], twins),
            ],
            runs,
        )
        return suite, floor, shape


def _timed(action: Callable[[int], None], runs: int) -> tuple[float, float]:
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def bench_kernel_widgets(runs: int) -> dict[str, tuple[float, float]]:
    import matplotlib

    matplotlib.use("Agg")
    from kypho_aid.widgets import RiskExplorer, StepExplorer, SureCheck, ValuesRater

    explorer, values, sure = RiskExplorer(), ValuesRater(), SureCheck()
    steps = StepExplorer()
    outcomes = ["new_fracture", "leakage_any", "cement_embolism", "natural_recovery"]
    views = ["numbers", "words"]
    toggle = values.choices["leaks_or_height"]
    scale = [value for _, value in toggle.options]

    def chart(i: int) -> None:
        explorer.view.value = "icons"
        explorer.outcome.value = outcomes[i % len(outcomes)]

    def words(i: int) -> None:
        explorer.view.value = views[i % 2]

    def rating(i: int) -> None:
        toggle.value = scale[i % len(scale)]

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


def bench_browser(runs: int) -> dict[str, tuple[float, float]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, tuple[float, float]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        with serve("app", APP) as served:
            page = browser.new_page()
            page.goto(served.url)
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
            # a step switch: from the click on a step's button to its page on screen, between
            # steps already opened once (opening a step the first time builds it)
            switch = """n => new Promise(resolve => {
                const start = performance.now();
                document.querySelectorAll('.kypho-steps button')[n].click();
                const shown = () => {
                    const page = document.querySelector('.kypho-page-' + (n + 1));
                    if (page && page.offsetParent !== null && page.offsetHeight > 0) {
                        resolve(performance.now() - start);
                    } else {
                        requestAnimationFrame(shown);
                    }
                };
                requestAnimationFrame(shown);
            })"""
            for step in range(7):  # open every step once
                page.evaluate(switch, step)
            samples_step = [float(page.evaluate(switch, i % 7)) for i in range(runs * 2)]
            page.close()
        browser.close()
    results["browser step switch (steps opened before)"] = percentiles(samples_step)
    results["browser text: risk explorer view"] = percentiles(samples_text)
    results["browser chart: risk explorer outcome"] = percentiles(samples_chart)
    return results


def bench_serving(report: Callable[[str], None], *, quick: bool) -> None:
    """4. first widget for one visitor; 5. visitors arriving together; 6. serving modes."""
    runs = 2 if quick else 3
    with tempfile.TemporaryDirectory() as folder:
        empty = write_empty_notebook(Path(folder))
        with serve("app", APP) as served:
            app = first_widget(served, APP_WIDGET, runs)
        with serve("app", empty) as served:
            same_way = first_widget(served, EMPTY_WIDGET, runs)
        with serve("plain", empty) as served:
            cold = first_widget(served, EMPTY_WIDGET, runs)
        report(
            f"4. first widget, one visitor: app (make app, preheated) {app:.0f} ms; empty notebook "
            f"served the same way {same_way:.0f} ms = {app / same_way:.2f}x (target <= 1.5x); "
            f"empty notebook in plain Voilà, not preheated, {cold:.0f} ms = {app / cold:.2f}x "
            "(target < 1)"
        )
        for visitors in (1, 5, 10):
            with serve("app", APP) as served:
                ours = load(served, APP_WIDGET, visitors, wait_left=True)
            with serve("app", empty) as served:
                floor = load(served, EMPTY_WIDGET, visitors, wait_left=False)
            report(
                f"5. {visitors} visitor(s) arriving together (make app): first widget median "
                f"{ours['median'] / 1000:.1f} s, p95 {ours['p95'] / 1000:.1f} s (empty notebook "
                f"{floor['median'] / 1000:.1f} / {floor['p95'] / 1000:.1f} s = "
                f"{ours['median'] / floor['median']:.2f}x / {ours['p95'] / floor['p95']:.2f}x); "
                f"kernel RSS {ours['kernel_mb']:.0f} MB each (empty {floor['kernel_mb']:.0f} MB), "
                f"all kernels {ours['all_kernels_mb']:.0f} MB, server {ours['server_mb']:.0f} MB; "
                f"kernels left {LEFT_AFTER} s after all tabs closed: {ours['left']:.0f}"
            )
        for kind in ("app", "extension"):
            with serve(kind, APP) as served:
                widget = first_widget(served, APP_WIDGET, runs)
                rss = served.server_rss() / 2**20
                kernels = sum(served.kernels().values()) / 2**20
            report(
                f"6. serving mode {kind}: first widget {widget:.0f} ms (median of {runs}), "
                f"server RSS {rss:.0f} MB, idle kernels {kernels:.0f} MB"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--no-browser", action="store_true", help="skip the Voilà and browser measures"
    )
    parser.add_argument(
        "--only-serving", action="store_true", help="only the serving measures (4-6)"
    )
    parser.add_argument("--no-serving", action="store_true", help="skip the serving measures (4-6)")
    args = parser.parse_args(argv)
    runs = 5 if args.quick else 15
    lines: list[str] = []

    def report(text: str) -> None:
        print(text)
        lines.append(text)

    if not args.only_serving:
        ours, pandas_only = bench_import(3 if args.quick else 7)
        report(
            f"1. import + load all datasets: {ours * 1000:.0f} ms vs import pandas {pandas_only * 1000:.0f} ms "
            f"= {ours / pandas_only:.2f}x (target <= 1.2x)"
        )
        suite, floor, shape = bench_nbval(1 if args.quick else 3)
        report(
            f"2. strict nbval, {len(list((ROOT / 'notebooks').glob('*.ipynb')))} notebooks: {suite:.1f} s vs trivial "
            f"notebooks {floor:.1f} s = {suite / floor:.2f}x (target <= 1.5x); their twins (imports and "
            f"as many cells, each 1 + 1) {shape:.1f} s = {shape / floor:.2f}x, the least a faster "
            "library could reach"
        )
        for name, (median, p95) in bench_kernel_widgets(runs * 2).items():
            target = 100 if name.startswith("chart") else 50
            report(
                f"3. kernel {name}: median {median:.1f} ms, p95 {p95:.1f} ms (target < {target} ms)"
            )
    if not args.no_browser and Path(CHROMIUM).exists():
        if not args.only_serving:
            for name, (median, p95) in bench_browser(runs).items():
                target = 100 if "chart" in name or "step" in name else 50
                report(
                    f"3. {name}: median {median:.1f} ms, p95 {p95:.1f} ms (target < {target} ms)"
                )
        if not args.no_serving:
            bench_serving(report, quick=args.quick)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    versions = ", ".join(
        f"{p} {version(p)}" for p in ("kypho-aid", "pandas", "matplotlib", "ipywidgets", "voila")
    )
    load_1, load_5, _ = os.getloadavg()  # other work on the machine skews every timing
    entry = (
        f"\n## {stamp}\n\nPython {platform.python_version()}, {versions}; {os.cpu_count()} cores; "
        f"load average at the end {load_1:.1f} (1 min), {load_5:.1f} (5 min).\n\n"
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
