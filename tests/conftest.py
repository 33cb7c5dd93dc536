"""Shared fixtures: the repository paths, a scratch copy of data/, and file snapshots."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kypho_aid.handout import CHROMIUM_ARGS as HANDOUT_CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Hash and mtime of every file below ``folder``, to prove nothing was written."""
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(autouse=True)
def _no_data_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KYPHO_AID_DATA", raising=False)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def shared() -> Path:
    """The project's shared/ folder (seeds and evidence); required in CI."""
    if not (SHARED / "seeds").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shared/ is missing beside the checkout ({SHARED}); CI must have it")
        pytest.skip("shared/ (seeds and evidence) is not beside this checkout")
    return SHARED


# --- servers started through the Makefile, for the browser tests -------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: The project's one set of chromium flags (as root, no DNS lookups), as Playwright takes them.
CHROMIUM_ARGS = list(HANDOUT_CHROMIUM_ARGS)


def require_chromium() -> None:
    """Skip without Debian's chromium, except in CI, where its absence is a failure."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it with apt")
        pytest.skip("chromium is not installed (apt-get install chromium)")


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve_make_target(
    target: str, variables: list[str], home: Path, ready: Callable[[], object], timeout: float = 120
) -> Iterator[Path]:
    """Run ``make TARGET VARIABLES…`` as a newcomer would, wait until ``ready()`` stops raising
    OSError, yield its log file, then stop the whole process group."""
    log_path = home / f"{target}.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", target, *variables],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(home / "runtime")},
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                ready()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    if proc.poll() is None:
                        os.killpg(proc.pid, signal.SIGTERM)
                    pytest.fail(f"make {target} did not start:\n" + log_path.read_text())
                time.sleep(0.5)
        try:
            yield log_path
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def files_containing(marker: str, since: float, skip: Path) -> list[str]:
    """Files below the checkout, the home folder and the temporary folder, modified since
    ``since`` (a time.time()), holding ``marker``; ``skip`` and browser profiles excepted."""
    found = []
    for root in (ROOT, Path.home(), Path(tempfile.gettempdir())):
        for path in root.rglob("*"):
            try:
                if (
                    not path.is_file()
                    or path.stat().st_mtime < since
                    or skip in path.parents
                    or path == skip
                ):
                    continue
                if any(part.startswith("playwright") for part in path.parts):
                    continue  # the test browser's own throw-away profile, not the app
                if path.stat().st_size < 5_000_000 and marker.encode() in path.read_bytes():
                    found.append(str(path))
            except OSError:
                continue
    return found


def kernel_process(kernel_id: str) -> tuple[int, Path] | None:
    """The process id and connection file of the running kernel with this id, or None."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        for argument in arguments:
            if argument.endswith(f"kernel-{kernel_id}.json".encode()):
                path = argument.split(b"=", 1)[-1]  # -f PATH or --f=PATH
                return int(cmdline.parent.name), Path(os.fsdecode(path))
    return None


def kernel_running(kernel_id: str) -> bool:
    """Whether a kernel process with this id (in its connection file's name) is running."""
    return kernel_process(kernel_id) is not None


def listening_tcp_ports(pid: int) -> list[int]:
    """The TCP ports (IPv4 or IPv6) on which the process ``pid`` listens, from /proc."""
    listening = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                listening[fields[9]] = int(fields[1].rsplit(":", 1)[1], 16)
    ports = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in listening:
            ports.append(listening[target[8:-1]])
    return sorted(ports)


@contextlib.contextmanager
def serve_app(home: Path, *app_args: str) -> Iterator[tuple[str, Path]]:
    """``make app`` on a free loopback port with APP_ARGS; yields its URL and log file."""
    require_chromium()
    port = free_port()

    def ready() -> None:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()

    variables = [f"APP_PORT={port}", f"APP_ARGS={' '.join(app_args)}"]
    with serve_make_target("app", variables, home, ready) as log:
        yield f"http://127.0.0.1:{port}/", log


def run_tool(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one of tools/*.py with this Python from the repository root; fail on a non-zero exit."""
    result = subprocess.run(
        [sys.executable, f"tools/{script}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def charts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Draw on the Agg backend, fail if a chart function calls plt.show(), close every figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setattr(
        plt, "show", lambda *a, **k: pytest.fail("a chart function called plt.show()")
    )
    yield
    plt.close("all")
