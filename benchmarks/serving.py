"""Serving measures for bench.py: first widget, visitors arriving together, memory, leftovers.

Every server listens on 127.0.0.1 only and is stopped (its whole process group) on exit;
every wait is bounded. Three ways of serving a notebook are compared:

- ``app``: what ``make app`` runs (deploy/kypho_app.py: hardened standalone Voilà, two
  preheated kernels);
- ``plain``: Voilà's defaults (a kernel started for each visitor, no pool);
- ``extension``: Voilà as a Jupyter Server extension, as each user's server under JupyterHub
  runs it (``/voila/render/...``, token login, no pool).
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from kypho_aid.handout import CHROMIUM_ARGS, find_chromium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
from kypho_app import server_extension_options  # noqa: E402 (deploy/ is not a package)

PYTHON = sys.executable
APP = ROOT / "notebooks" / "05-shared-decision-session.ipynb"
#: The first widget of the app and of the empty notebook.
APP_WIDGET, EMPTY_WIDGET = ".kypho-steps", ".widget-button"
#: Seconds to wait after all tabs closed before counting the kernels left.
LEFT_AFTER = 120
T = TypeVar("T")
_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def write_empty_notebook(folder: Path) -> Path:
    """A notebook with one button: the floor any Voilà page pays."""
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import ipywidgets as w\nw.Button(description='ok')")]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "empty.ipynb"
    nbformat.write(nb, path)
    return path


@dataclass
class Served:
    """A running server: the page URL, its log, its kernels' folder, its process and pool."""

    url: str
    log: Path
    kernels_dir: Path
    pid: int
    pool: int

    def kernels(self) -> dict[str, int]:
        """Kernel id -> resident memory in bytes, for this server's kernel processes."""
        found = {}
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
                match = re.search(
                    rf"{re.escape(str(self.kernels_dir))}/kernel-([0-9a-f-]{{36}})", cmdline
                )
                if match:
                    found[match.group(1)] = _rss(proc)
            except OSError:
                continue
        return found

    def server_rss(self) -> int:
        return _rss(Path(f"/proc/{self.pid}"))

    def settle(self, timeout: float = 180) -> None:
        """Wait until only the pool's kernels run and the log has been quiet for 3 s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            quiet = time.time() - self.log.stat().st_mtime > 3
            if quiet and len(self.kernels()) == self.pool:
                return
            time.sleep(1)


def _rss(proc: Path) -> int:
    for line in (proc / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


@contextmanager
def serve(kind: str, notebook: Path, *extra: str) -> Iterator[Served]:
    """Serve ``notebook`` the ``kind`` way (app, plain or extension) on a free loopback port."""
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="kypho-bench-"))
    log = work / "server.log"
    env = {
        **os.environ,
        "JUPYTER_PATH": str(ROOT / "share" / "jupyter"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
    }
    url, pool = f"http://127.0.0.1:{port}/", 0
    if kind == "app":
        command = [
            PYTHON,
            str(ROOT / "deploy" / "kypho_app.py"),
            notebook.name,
            f"--Voila.port={port}",
        ]
        pool = 2
    elif kind == "plain":
        command = [PYTHON, "-m", "voila", notebook.name, "--no-browser", f"--port={port}"]
        command += ["--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--template=kypho"]
    elif kind == "extension":
        token = secrets.token_hex(16)
        command = [PYTHON, "-m", "jupyter_server", "--ServerApp.ip=127.0.0.1"]
        command += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
        command += ["--ServerApp.open_browser=False", f"--IdentityProvider.token={token}"]
        command += [*server_extension_options(), *(["--allow-root"] if os.getuid() == 0 else [])]
        url = f"{url}voila/render/{notebook.name}?token={token}"
    else:
        raise ValueError(kind)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*command, *extra],
            cwd=notebook.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{kind} server did not start:\n{log.read_text()}") from None
                time.sleep(0.3)
        stored = re.findall(r"Storing connection files in (\S+?)\.?$", log.read_text(), re.M)
        kernels_dir = Path(stored[-1]) if stored else work / "runtime"
        served = Served(url, log, kernels_dir, proc.pid, pool)
        served.settle()
        yield served
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


async def _visit(
    url: str, selector: str, visitors: int, measure: Callable[[], T]
) -> tuple[list[float], T, list[str]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=find_chromium(), args=list(CHROMIUM_ARGS)
        )

        async def one() -> tuple[float, Any]:
            page = await (await browser.new_context()).new_page()
            start = time.perf_counter()
            await page.goto(url, timeout=600_000)
            await page.locator(selector).first.wait_for(state="visible", timeout=600_000)
            return (time.perf_counter() - start) * 1000, page

        opened = await asyncio.gather(*(one() for _ in range(visitors)))
        measured = measure()
        ids = []
        for _, page in opened:  # closed as a person would: unload handlers run
            found = _KERNEL_ID.search(await page.content())
            if found:
                ids.append(found.group(1))
            await page.close(run_before_unload=True)
        await asyncio.sleep(2)  # let the unload beacons leave before the browser goes
        await browser.close()
    return [elapsed for elapsed, _ in opened], measured, ids


def visit(
    url: str, selector: str, visitors: int, measure: Callable[[], T]
) -> tuple[list[float], T, list[str]]:
    """``visitors`` browsers (own cookies each) open ``url`` at once. Returns each one's time to
    the first ``selector`` (ms), what ``measure()`` gave while all were open, and the kernel
    ids of their pages, after closing every tab."""
    return asyncio.run(_visit(url, selector, visitors, measure))


def first_widget(served: Served, selector: str, runs: int) -> float:
    """Median time to the first widget (ms) over ``runs`` visitors one after another."""
    samples = []
    for _ in range(runs):
        served.settle()
        times, _, _ = visit(served.url, selector, 1, lambda: None)
        samples.append(times[0])
    return statistics.median(samples)


def load(served: Served, selector: str, visitors: int, *, wait_left: bool) -> dict[str, float]:
    """``visitors`` arriving together: first widget median/p95 (ms), kernel memory (MB) while
    all are open, and (``wait_left``) their kernels still running LEFT_AFTER s after closing."""
    served.settle()
    times, memory, ids = visit(served.url, selector, visitors, served.kernels)
    median, p95 = percentiles(times)
    visitor_rss = [memory[k] for k in ids if k in memory]
    result = {
        "median": median,
        "p95": p95,
        "kernel_mb": statistics.median(visitor_rss) / 2**20 if visitor_rss else 0.0,
        "all_kernels_mb": sum(memory.values()) / 2**20,
        "server_mb": served.server_rss() / 2**20,
        "left": float("nan"),
    }
    if wait_left:
        time.sleep(LEFT_AFTER)
        result["left"] = float(sum(1 for k in ids if k in served.kernels()))
    return result
