"""The multi-user route: `make hub` (JupyterHub, dummy login, one server per user) on loopback.

Two users log in in their own browsers; each reaches the session app's first widget on a
server of their own, neither can open the other's, and stopping the hub stops every
server and the proxy.
"""

from __future__ import annotations

import socket
import time
import urllib.request
from pathlib import Path

from .conftest import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, serve_make_target

RESULTS = Path(__file__).resolve().parents[1] / "test-results"


def _hub_processes(api_port: int) -> dict[int, str]:
    """Processes started for this hub: pid -> "server USER" or "proxy"."""
    found: dict[int, str] = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            environ = (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        hub_api = f"JUPYTERHUB_API_URL=http://127.0.0.1:{api_port}/hub/api".encode()
        if "jupyterhub.singleuser" in cmdline and hub_api in environ:
            user = next(v for v in environ if v.startswith(b"JUPYTERHUB_USER=")).decode()
            found[int(proc.name)] = "server " + user.split("=", 1)[1]
        elif "configurable-http-proxy" in cmdline and f"--api-port {api_port + 1}" in cmdline:
            found[int(proc.name)] = "proxy"
    return found


def test_two_users_each_reach_the_app_on_a_server_of_their_own(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    require_chromium()
    port, api_port = free_port(), free_port()
    while True:  # the proxy's API port is api_port + 1: find a pair free together
        proxy_port = api_port + 1
        try:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", proxy_port))
            break
        except OSError:
            api_port = free_port()
    variables = [
        f"HUB_PORT={port}",
        f"HUB_API_PORT={api_port}",
        f"HUB_PROXY_PORT={proxy_port}",
        f"HUB_STATE={tmp_path / 'state'}",
    ]

    def ready() -> None:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/health", timeout=2).close()

    url = f"http://127.0.0.1:{port}"
    timings: dict[str, float] = {}
    with serve_make_target("hub", variables, tmp_path, ready, timeout=300) as log:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pages = {}
            for user in ("ana", "ben"):
                page = browser.new_context().new_page()
                start = time.monotonic()
                page.goto(f"{url}/hub/login")
                page.locator("input[name=username]").fill(user)
                page.locator("input[name=password]").fill("any password")
                page.locator("input[type=submit], button[type=submit]").first.click()
                expect(page.locator(".kypho-steps")).to_be_visible(timeout=180_000)
                timings[user] = time.monotonic() - start
                assert f"/user/{user}/voila/render/" in page.url
                pages[user] = page
            RESULTS.mkdir(exist_ok=True)
            pages["ben"].screenshot(path=str(RESULTS / "hub-app.png"))
            # separate servers: two processes, one per user
            servers = {v for v in _hub_processes(api_port).values() if v.startswith("server")}
            assert servers == {"server ana", "server ben"}
            # ana's login does not open ben's server
            response = pages["ana"].request.get(f"{url}/user/ben/api/status", max_redirects=0)
            assert response.status in (302, 403, 404), response.status
            own = pages["ana"].request.get(f"{url}/user/ana/api/status")
            assert own.status == 200
            browser.close()
        started = _hub_processes(api_port)
        assert len(started) == 3, started  # two servers and the proxy
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in started) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = [what for pid, what in started.items() if Path(f"/proc/{pid}").exists()]
    assert left == [], f"still running after the hub stopped: {left}"
    text = log.read_text()
    assert "Traceback" not in text, text[-3000:]
    print(f"hub first widget: {', '.join(f'{u} {t:.1f} s' for u, t in timings.items())}")
    assert (tmp_path / "state" / "jupyterhub.sqlite").exists()
