"""Serving the session app safely: `make app` (deploy/kypho_app.py) probed as a visitor and as an attacker.

A closed tab's kernel goes, and what was typed reaches no file and no TCP port; a second
visitor, a rebinding page (Host evil.example), a kernel id read from the log and a
legacy-protocol websocket client reach nothing and cannot stall the server; past the session
cap visitors see a calm busy page; the private folder of connection files is removed on exit.
"""

from __future__ import annotations

import asyncio
import http.client
import http.cookiejar
import importlib.util
import json
import os
import re
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    files_containing,
    free_port,
    kernel_process,
    kernel_running,
    listening_tcp_ports,
    serve_app,
)

V1 = "v1.kernel.websocket.jupyter.org"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with serve_app(tmp_path_factory.mktemp("app")) as served:
        yield served


def _kernel_id(html: str) -> str:
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html)
    assert found, "the page names no kernel"
    return found.group(1)


class Visitor:
    """A browser without JavaScript: a cookie jar and urllib."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def _status(url: str, path: str, **headers: str) -> int:
    """The status of a GET with exactly these headers (Host included), no cookies."""
    host = url.split("//", 1)[1].rstrip("/")
    connection = http.client.HTTPConnection(host, timeout=30)
    connection.putrequest("GET", path, skip_host="Host" in headers)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


async def _websocket(url: str, kernel_id: str, cookie: str, protocols: list[str]) -> object:
    """Open the kernel's websocket; return the connection or the error it raised."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    ws_url = url.replace("http://", "ws://") + f"api/kernels/{kernel_id}/channels"
    request = HTTPRequest(ws_url, headers={"Cookie": cookie} if cookie else {})
    try:
        return await asyncio.wait_for(
            websocket_connect(request, subprotocols=protocols or None), 30
        )
    except Exception as err:
        return err


def _answers_quickly(url: str) -> float:
    start = time.monotonic()
    assert _status(url, "/voila/static/voila.js") == 200 or _status(url, "/") == 200
    return time.monotonic() - start


def test_a_closed_tab_takes_its_kernel_and_its_words_with_it(
    app: tuple[str, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, _ = app
    marker = f"kypho-closed-tab-{uuid.uuid4().hex}"
    history = Path.home() / ".ipython" / "profile_default" / "history.sqlite"
    history_before = history.stat().st_mtime_ns if history.exists() else None
    started = time.time()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first = browser.new_context()
        page = first.new_page()
        page.goto(url)
        expect(page.locator(".kypho-steps")).to_be_visible(timeout=120_000)
        kernel_id = _kernel_id(page.content())
        assert kernel_running(kernel_id)
        for _ in range(5):
            page.locator(".kypho-next").click()
        page.locator(".kypho-notes textarea").fill(marker)
        page.locator(".kypho-notes textarea").blur()
        page.wait_for_timeout(500)  # let the note reach the kernel
        # The owner's page may read its kernel; a second visitor, with its own cookies, may not.
        own = page.evaluate(f"fetch('api/kernels/{kernel_id}').then(r => r.status)")
        assert own == 200
        second = browser.new_context().new_page()
        second.goto(url)
        expect(second.locator(".kypho-steps")).to_be_visible(timeout=120_000)
        assert _kernel_id(second.content()) != kernel_id
        stolen = second.evaluate(f"fetch('api/kernels/{kernel_id}').then(r => r.status)")
        assert stolen == 404
        reached = second.evaluate(
            f"""() => new Promise(done => {{
                const ws = new WebSocket(location.href.replace('http', 'ws') +
                    'api/kernels/{kernel_id}/channels', ['{V1}']);
                ws.onopen = () => done('open'); ws.onerror = () => done('refused');
            }})"""
        )
        assert reached == "refused"
        closed_at = time.monotonic()
        page.close(run_before_unload=True)
        deadline = closed_at + 60
        while kernel_running(kernel_id) and time.monotonic() < deadline:
            time.sleep(0.5)
        gone_after = time.monotonic() - closed_at
        browser.close()
    assert not kernel_running(kernel_id), "the closed tab's kernel outlived 60 s"
    # Voilà's unload beacon did it (the fallback for a lost socket waits 30 s).
    assert gone_after < 20, f"kernel gone only after {gone_after:.0f} s"
    assert files_containing(marker, started, skip=tmp_path) == []
    history_after = history.stat().st_mtime_ns if history.exists() else None
    assert history_after == history_before, "IPython history was written"


def test_only_loopback_names_and_the_app_paths_are_answered(app: tuple[str, Path]) -> None:
    url, _ = app
    assert _status(url, "/voila/static/voila.js") == 200
    assert _status(url, "/voila/static/voila.js", Host="evil.example") == 403
    assert _status(url, "/", Host="evil.example") == 403
    assert _status(url, "/", Origin="http://evil.example") == 403
    assert _status(url, "/voila/static/voila.js", Host="localhost") == 200
    for path in (
        "/api/kernels",
        "/api/kernels/" + str(uuid.uuid4()),
        "/api/contents",
        "/api/sessions",
        "/voila/render/05-shared-decision-session.ipynb",
        "/voila/tree",
        "/voila/templates/..%2f..%2f..%2fetc/passwd",
        "/voila/files/05-shared-decision-session.ipynb",
        "/anything",
    ):
        assert _status(url, path) in (403, 404), path


def test_a_kernel_id_from_the_log_reaches_nothing(app: tuple[str, Path]) -> None:
    url, log = app
    owner = Visitor(url)
    status, html = owner.get("")
    assert status == 200
    kernel_id = _kernel_id(html)
    assert kernel_id in log.read_text()  # the id is in the log, for anyone who can read it
    assert owner.get(f"api/kernels/{kernel_id}")[0] == 200
    stranger = Visitor(url)
    assert stranger.get(f"api/kernels/{kernel_id}")[0] == 404
    conn = asyncio.run(_websocket(url, kernel_id, "", [V1]))
    assert isinstance(conn, Exception), "a stranger opened the kernel's websocket"
    request = urllib.request.Request(
        url + f"voila/api/shutdown/{kernel_id}", data=b"", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError, match="404"):
        urllib.request.urlopen(request, timeout=10)
    assert kernel_running(kernel_id)


def test_the_kernel_listens_on_no_port_and_its_output_reaches_only_its_owner(
    app: tuple[str, Path],
) -> None:
    """The output channel carries what the patient types. Over TCP on loopback any account on
    the machine could subscribe to it; over an IPC socket in the 0700 folder only the owner can.
    A subscriber on each of the kernel's TCP ports hears nothing while the page works; one on
    its IPC output socket (the same account, as the server) hears the traffic, so there was some.
    """
    import zmq
    from playwright.sync_api import expect, sync_playwright

    url, _ = app
    context = zmq.Context()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            expect(page.locator(".kypho-steps")).to_be_visible(timeout=120_000)
            found = kernel_process(_kernel_id(page.content()))
            assert found, "the page's kernel is not running"
            pid, connection_file = found
            info = json.loads(connection_file.read_text())
            folder = connection_file.parent
            assert info["transport"] == "ipc"
            assert Path(info["ip"]).parent == folder
            mode = folder.stat().st_mode
            assert mode & (stat.S_IRWXG | stat.S_IRWXO) == 0, oct(mode)  # the owner's alone

            def subscriber(address: str) -> zmq.Socket[bytes]:
                socket = context.socket(zmq.SUB)
                socket.setsockopt(zmq.LINGER, 0)
                socket.setsockopt(zmq.SUBSCRIBE, b"")
                socket.connect(address)
                return socket

            ports = listening_tcp_ports(pid)
            strangers = {port: subscriber(f"tcp://127.0.0.1:{port}") for port in ports}
            owner = subscriber(f"ipc://{info['ip']}-{info['iopub_port']}")
            time.sleep(1)  # subscriptions reach the publisher before anything is sent
            for _ in range(3):
                page.locator(".kypho-next").click()
                page.wait_for_timeout(300)
            assert owner.poll(5000), "the page's actions published nothing (the check is blind)"
            assert owner.recv_multipart()
            heard = [port for port, socket in strangers.items() if socket.poll(1000)]
            browser.close()
    finally:
        context.destroy(linger=0)
    assert heard == [], f"the kernel's output could be read on TCP port(s) {heard}"
    assert len(ports) <= 1, ports  # at most ipykernel's receive-only pipe for subprocess output


def test_a_socket_folder_too_deep_stops_the_app_with_a_clear_message(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 90)
    deep.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "deploy/kypho_app.py",
            "notebooks/05-shared-decision-session.ipynb",
            f"--Voila.port={free_port()}",
            f"--Voila.connection_dir_root={deep}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "is too deep" in result.stderr and "--Voila.connection_dir_root" in result.stderr
    assert list(deep.iterdir()) == []  # its private folder is gone again


def test_legacy_and_malformed_websocket_clients_cannot_stall_the_server(
    app: tuple[str, Path],
) -> None:
    url, _ = app
    owner = Visitor(url)
    status, html = owner.get("")
    assert status == 200
    kernel_id, cookie = _kernel_id(html), owner.cookie_header()

    async def attack() -> tuple[object, object, object]:
        legacy = await _websocket(url, kernel_id, cookie, [])
        if not isinstance(legacy, Exception):  # it must not get this far; if it did, try harm
            await legacy.write_message(b"\xff" * 64, binary=True)  # type: ignore[attr-defined]
        modern = await _websocket(url, kernel_id, cookie, [V1])
        assert not isinstance(modern, Exception), modern
        # 2**62 offsets announced in a 16-byte frame: parsed naively, this never ends
        await modern.write_message((2**62).to_bytes(8, "little") + b"\0" * 8, binary=True)  # type: ignore[attr-defined]
        closed = await asyncio.wait_for(modern.read_message(), 10)  # type: ignore[attr-defined]
        return legacy, closed, modern.close_code  # type: ignore[attr-defined]

    legacy, closed, code = asyncio.run(attack())
    assert isinstance(legacy, Exception) and "400" in str(legacy), legacy
    assert closed is None and code == 1003
    assert _answers_quickly(url) < 1.0
    assert owner.get(f"api/kernels/{kernel_id}")[0] == 200  # the kernel itself is unharmed


def test_past_the_cap_visitors_see_the_busy_page_and_the_server_cleans_up(
    tmp_path: Path,
) -> None:
    args = (
        "--KyphoApp.max_sessions=1",
        "--VoilaConfiguration.default_pool_size=1",
        "--KyphoApp.unconnected_timeout=3",
    )
    with serve_app(tmp_path, *args) as (url, log):
        first = Visitor(url)
        status, html = first.get("")
        assert status == 200
        kernel_id = _kernel_id(html)
        status, busy = Visitor(url).get("")
        assert status == 503 and "The aid is busy" in busy and "try again in a minute" in busy
        assert "kernelId" not in busy
        # No websocket ever came (no JavaScript here): the kernel is shut down, a seat frees.
        deadline = time.monotonic() + 30
        while kernel_running(kernel_id) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not kernel_running(kernel_id)
        assert Visitor(url).get("")[0] == 200
        folder = Path(
            re.findall(r"Storing connection files in (\S+?)\.?$", log.read_text(), re.M)[-1]
        )
        assert folder.is_dir() and folder.stat().st_mode & 0o777 == 0o700  # private
        assert any(folder.glob("kernel-*.json"))
        assert not list(folder.rglob("history.sqlite"))  # IPython's folder is here, unused
        text = log.read_text()
        assert "Culling kernels with idle durations > 300 seconds" in text
        assert "even with connected clients" not in text  # cull_connected is off
        assert os.access(folder, os.W_OK)
    deadline = time.monotonic() + 20  # the server shuts its kernels down, then removes it
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not folder.exists(), "the connection files outlived the server"


def test_a_kernel_shutting_down_no_longer_holds_a_seat() -> None:
    """Between its process ending and the manager forgetting it, a kernel frees its seat."""
    spec = importlib.util.spec_from_file_location("kypho_app", ROOT / "deploy" / "kypho_app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("kypho_app", module)
    spec.loader.exec_module(module)

    class Manager:
        def __init__(self) -> None:
            self.closing: set[str] = set()

        def list_kernel_ids(self) -> list[str]:
            return ["k1"]

    app = module.KyphoApp(max_sessions=1)
    app.kernel_manager = manager = Manager()
    app.owners["k1"] = "visitor"
    assert app.admit() is None  # k1 holds the only seat
    manager.closing.add("k1")  # its shutdown has begun; the manager still lists it
    assert app.admit() is not None
    assert "k1" not in app.owners
