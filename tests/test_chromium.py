"""Every chromium the project starts stays off the network: no DNS query at all.

Counted with strace (connect/sendto/sendmsg to port 53) around the two ways chromium is
started: the handout's PDF (its command line) and Playwright (the browser tests and the
slides share ``CHROMIUM_ARGS``). Without ``--host-resolver-rules`` the same runs made dozens
of lookups (accounts.google.com, clients2.google.com, update.googleapis.com, ...).
Also: a failed ``handout --pdf`` leaves no file behind, so running it again is not refused.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kypho_aid.handout import CHROMIUM_ARGS as FLAGS

from .conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, require_chromium
from .test_handout import run as run_cli

STRACE = shutil.which("strace")
#: One DNS query: a socket call addressed to port 53.
DNS_CALL = re.compile(r"(connect|sendto|sendmsg|sendmmsg)\(.*htons\(53\)")


def _dns_queries(command: list[str], cwd: Path) -> list[str]:
    """Run ``command`` (and every process it starts) under strace; return its DNS calls."""
    if STRACE is None:
        if os.environ.get("CI"):
            pytest.fail("strace is not installed; .ci/run installs it with apt")
        pytest.skip("strace is not installed (apt-get install strace)")
    trace = cwd / "trace.txt"
    subprocess.run(
        [
            STRACE,
            "-f",
            "-qq",
            "-e",
            "trace=connect,sendto,sendmsg,sendmmsg",
            "-o",
            str(trace),
            *command,
        ],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=300,
        check=True,
    )
    return DNS_CALL.findall(trace.read_text(errors="replace"))


def test_one_set_of_flags_with_the_resolver_rule() -> None:
    assert "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" in FLAGS
    assert list(FLAGS) == CHROMIUM_ARGS
    # nobody else spells the flags out: they are imported from kypho_aid.handout
    flag = "--disable-" + "background-networking"
    for path in [*ROOT.glob("tools/*.py"), *ROOT.glob("benchmarks/*.py"), *ROOT.glob("tests/*.py")]:
        assert flag not in path.read_text(encoding="utf-8"), path


def test_the_handout_pdf_makes_no_dns_query(tmp_path: Path) -> None:
    require_chromium()
    queries = _dns_queries(
        [sys.executable, "-m", "kypho_aid", "handout", "--out", "h.html", "--pdf"], tmp_path
    )
    assert (tmp_path / "h.pdf").read_bytes().startswith(b"%PDF")
    assert queries == []


def test_playwright_chromium_makes_no_dns_query(tmp_path: Path) -> None:
    require_chromium()
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><title>t</title><p>offline</p>", encoding="utf-8")
    script = (
        "import sys\n"
        "from playwright.sync_api import sync_playwright\n"
        "with sync_playwright() as pw:\n"
        f"    browser = pw.chromium.launch(executable_path={CHROMIUM!r}, args={CHROMIUM_ARGS!r})\n"
        "    tab = browser.new_page()\n"
        f"    tab.goto({page.as_uri()!r})\n"
        "    tab.wait_for_timeout(3000)  # background requests start in the first seconds\n"
        "    assert tab.inner_text('p') == 'offline'\n"
        "    browser.close()\n"
    )
    assert _dns_queries([sys.executable, "-c", script], tmp_path) == []


def test_a_failed_pdf_leaves_nothing_and_a_rerun_is_not_refused(tmp_path: Path) -> None:
    failing = tmp_path / "chromium"
    failing.write_text("#!/bin/sh\necho 'chromium crashed' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    for _ in range(2):
        result = run_cli(
            "handout", "--out", "h.html", "--pdf", cwd=tmp_path, KYPHO_AID_CHROMIUM=str(failing)
        )
        assert result.returncode == 1
        assert "chromium did not print" in result.stderr and "already exists" not in result.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["chromium"]
