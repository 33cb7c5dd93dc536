"""The session app, served safely on one machine: standalone Voilà, hardened (run: make app).

Usage
-----
    python deploy/kypho_app.py NOTEBOOK [--port=8866] [--KyphoApp.max_sessions=10] [Voilà options]

Voilà's own defaults suit a trusted desktop, not a clinic. This launcher keeps Voilà and
changes only what a visitor could abuse:

- **Loopback only.** It listens on 127.0.0.1 and answers 403 to any request whose ``Host``
  or ``Origin`` is not a loopback name (a DNS-rebinding page cannot use it).
- **One page, nothing else.** ``/`` renders the app; the static, template and widget files
  it loads are served; every other path, ``/api/*`` included, is 404.
- **Each kernel belongs to the browser that opened it.** The page sets a random,
  HttpOnly, SameSite=Strict cookie; the kernel's model, websocket and shutdown answer only
  to that cookie (404 otherwise), so a kernel id seen in a log reaches nothing.
- **A closed tab's kernel is shut down.** The page also gets the ``_xsrf`` cookie that
  Voilà's unload beacon (``POST /voila/api/shutdown/<id>``) sends back; without it the
  beacon is refused and the kernel lives on. A visitor's kernel that has no websocket for
  ``KyphoApp.unconnected_timeout`` (30 s) after its page was sent is shut down too (a
  crashed browser, a page fetched without JavaScript): on loopback a lost socket means the
  tab is gone. Jupyter Server's culler (``cull_connected`` off) is the last net: any kernel
  idle without a connection for ``cull_idle_timeout`` (5 min) goes.
- **A cap on sessions.** Past ``KyphoApp.max_sessions`` kernels in use, visitors get a calm
  503 page ("the aid is busy, try again in a minute") and no kernel is started.
- **Only the current websocket protocol.** Clients that do not ask for
  ``v1.kernel.websocket.jupyter.org`` are refused before the upgrade, and malformed v1
  frames close the socket: a legacy binary frame once made the server allocate gigabytes
  while parsing it.
- **Nothing written.** Kernels run with IPython history off and an IPython folder inside
  the private (0700) temporary folder that also holds the connection files; the folder is
  removed on exit.
- **Kernels off the network.** Server and kernel talk over IPC sockets in that private
  folder, not TCP ports on 127.0.0.1: any account on the machine can find a loopback port
  (``/proc/net/tcp``) and subscribe to a kernel's output channel, which carries what the
  patient types (signed, not encrypted); a socket in a 0700 folder reaches only its owner.
- **Preheated kernels.** Two kernels run the notebook ahead of time and the pool refills
  after each visitor, so the first widget appears sooner than a cold empty notebook's.
"""

from __future__ import annotations

import hmac
import itertools
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import tornado.ioloop
import tornado.web
from jupyter_core.utils import ensure_async, run_sync
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Int
from traitlets.config import Config
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

ROOT = Path(__file__).resolve().parents[1]
#: The page shown when every session is taken (kept beside the app's Voilà template).
BUSY_PAGE = ROOT / "share" / "jupyter" / "voila" / "templates" / "kypho" / "busy.html"
#: The websocket protocol JupyterLab 4 and Voilà 0.5 speak; the legacy one is refused.
KERNEL_PROTOCOL = "v1.kernel.websocket.jupyter.org"
#: Host names a request may name in ``Host`` or ``Origin``.
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
#: The cookie that binds a kernel to the browser that opened it.
VISITOR_COOKIE = "kypho_visitor"
#: The longest path a Unix socket may have (``sun_path`` holds 108 bytes, the last a NUL).
IPC_PATH_LIMIT = 107
#: Arguments every kernel gets: no IPython history (history.sqlite) on disk.
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]
#: Paths of the app's own files, served to anyone on loopback.
PUBLIC_PREFIXES = (
    "voila/static/",
    "voila/templates/",
    "voila/labextensions/",
    "voila/files/",
    "voila/api/themes/",
)
#: Paths that act on one kernel: only its owner reaches them.
KERNEL_PATH = re.compile(
    r"(?:api/kernels/(?P<api>[\w-]+)(?:/channels)?|voila/api/shutdown/(?P<shutdown>[\w-]+))"
)

#: The hardened settings; the command line and config files still override each one.
HARDENED: dict[str, dict[str, Any]] = {
    "Voila": {"ip": "127.0.0.1", "open_browser": False, "port_retries": 0},
    "VoilaConfiguration": {
        "template": "kypho",
        "strip_sources": True,
        "show_tracebacks": False,
        "allow_template_override": "NO",
        "allow_theme_override": "NO",
        "preheat_kernel": True,
        "default_pool_size": 2,
        "extension_denylist": ["jupyterlab-jupytext"],
    },
    "KernelManager": {"transport": "ipc"},
    "MappingKernelManager": {
        "cull_idle_timeout": 300,
        "cull_interval": 30,
        "cull_connected": False,
        "cull_busy": False,
    },
}


#: Settings the standalone app shares with Voilà as a Jupyter Server extension (each user's
#: server under JupyterHub): what the page shows and when idle kernels go.
SHARED = {
    "VoilaConfiguration": ("template", "strip_sources", "show_tracebacks", "extension_denylist"),
    "MappingKernelManager": ("cull_idle_timeout", "cull_interval", "cull_connected", "cull_busy"),
}


def server_extension_options() -> list[str]:
    """``SHARED`` settings as Jupyter Server command-line options (lists and flags in JSON)."""
    options = []
    for section, keys in SHARED.items():
        for key in keys:
            value = HARDENED[section][key]
            options.append(
                f"--{section}.{key}={value if isinstance(value, str) else json.dumps(value)}"
            )
    return options


class AppKernelManager(AsyncMappingKernelManager):  # type: ignore[misc]
    """Jupyter Server's kernel manager, starting every kernel with ``KERNEL_ARGUMENTS``.

    It also knows which kernels are shutting down: their process may already be gone while
    the manager still lists them, and such a kernel no longer holds a visitor's seat.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.closing: set[str] = set()

    async def start_kernel(self, **kwargs: Any) -> str:
        kwargs["extra_arguments"] = [*kwargs.get("extra_arguments", []), *KERNEL_ARGUMENTS]
        return str(await super().start_kernel(**kwargs))

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        self.closing.add(kernel_id)
        try:
            await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self.closing.discard(kernel_id)


class _Claiming:
    """The kernel manager as one page handler sees it: kernels it obtains are claimed."""

    def __init__(self, manager: Any, claim: Any) -> None:
        self._manager, self._claim = manager, claim

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    async def start_kernel(self, **kwargs: Any) -> str:
        kernel_id = str(await ensure_async(self._manager.start_kernel(**kwargs)))
        self._claim(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, **kwargs: Any) -> Any:
        task, cache, kernel_id = await self._manager.get_rendered_notebook(**kwargs)
        self._claim(kernel_id)
        return task, cache, kernel_id


class SessionPageHandler(TornadoVoilaHandler):  # type: ignore[misc]
    """The app's page: admits a visitor (or shows the busy page) and ties the kernel to them."""

    _claim: Any = None

    @property
    def kernel_manager(self) -> Any:
        manager = self.settings["kernel_manager"]
        return manager if self._claim is None else _Claiming(manager, self._claim)

    async def get(self, path: str | None = None) -> None:
        app: KyphoApp = self.settings["kypho_app"]
        if path:
            raise tornado.web.HTTPError(404)
        ticket = app.admit()
        if ticket is None:
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.set_header("Cache-Control", "no-store")
            self.finish(BUSY_PAGE.read_text(encoding="utf-8"))
            return
        visitor = self.get_cookie(VISITOR_COOKIE) or ""
        if len(visitor) < 32:
            visitor = secrets.token_urlsafe(32)
        self.set_cookie(VISITOR_COOKIE, visitor, httponly=True, samesite="Strict")
        _ = self.xsrf_token  # sets the _xsrf cookie that Voilà's unload beacon sends back
        self._claim = lambda kernel_id: app.claim(ticket, kernel_id, visitor)
        try:
            await super().get(path)
        finally:
            app.release(ticket)


def _well_formed(message: object) -> bool:
    """Whether ``message`` is a v1 kernel-protocol frame whose offsets stay inside it."""
    if not isinstance(message, bytes) or len(message) < 8:
        return False
    count = int.from_bytes(message[:8], "little")
    if not 2 <= count <= 64 or 8 * (count + 1) > len(message):
        return False
    offsets = [int.from_bytes(message[8 * i : 8 * (i + 1)], "little") for i in range(1, count + 1)]
    bounds = [8 * (count + 1), *offsets, len(message)]
    return all(a <= b for a, b in itertools.pairwise(bounds))


class StrictKernelWebsocket(VoilaKernelWebsocketHandler):  # type: ignore[misc]
    """Voilà's kernel websocket, for v1-protocol clients only, closed on a malformed frame."""

    async def get(self, *args: Any, **kwargs: Any) -> None:
        offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
        if KERNEL_PROTOCOL not in (p.strip() for p in offered.split(",")):
            self.set_status(400)
            self.finish(f"this server speaks only the {KERNEL_PROTOCOL} websocket protocol")
            return
        await super().get(*args, **kwargs)

    def select_subprotocol(self, subprotocols: list[str]) -> str | None:
        return KERNEL_PROTOCOL if KERNEL_PROTOCOL in subprotocols else None

    def on_message(self, message: str | bytes) -> None:
        if not _well_formed(message):
            self.log.warning("Closing a kernel websocket after a malformed frame")
            self.close(1003, "malformed frame")
            return
        super().on_message(message)


class GuardedApplication(tornado.web.Application):
    """A tornado application that checks Host, Origin, path and kernel owner first."""

    def __init__(self, app: KyphoApp, **settings: Any) -> None:
        super().__init__(**settings)
        self.kypho = app

    def find_handler(self, request: Any, **kwargs: Any) -> Any:
        status = self.kypho.refusal(request)
        if status is not None:
            return self.get_handler_delegate(
                request, tornado.web.ErrorHandler, {"status_code": status}
            )
        return super().find_handler(request, **kwargs)


class KyphoApp(Voila):  # type: ignore[misc]
    """Voilà with the hardening described in this module's docstring."""

    name = "kypho-app"
    max_sessions = Int(
        10, config=True, help="Kernels in use at most; further visitors see the busy page."
    )
    unconnected_timeout = Int(
        30,
        config=True,
        help="Seconds a visitor's kernel may go without a websocket once its page is sent "
        "(on loopback that means the tab is gone) before it is shut down.",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: kernel id -> the visitor cookie that owns it
        self.owners: dict[str, str] = {}
        #: admitted sessions still being rendered: ticket -> kernel id once known
        self._tickets: dict[int, str | None] = {}
        self._next_ticket = 0
        #: kernel id -> since when it has had no websocket (None: connected)
        self._quiet_since: dict[str, float | None] = {}

    def load_config_file(self, *args: Any, **kwargs: Any) -> None:
        super().load_config_file(*args, **kwargs)
        merged = Config(HARDENED)
        merged.VoilaConfiguration.multi_kernel_manager_class = AppKernelManager
        merged.merge(self.config)  # what was given (command line, files) wins
        self.update_config(merged)

    # --- sessions ------------------------------------------------------------------------

    def _alive(self) -> set[str]:
        manager = self.kernel_manager
        running = set(manager.list_kernel_ids()) - getattr(manager, "closing", set())
        for kernel_id in [k for k in self.owners if k not in running]:
            del self.owners[kernel_id]
        return set(self.owners)

    def admit(self) -> int | None:
        """A ticket for one more session, or None when ``max_sessions`` are in use."""
        if len(self._alive()) + len(self._tickets) >= self.max_sessions:
            self.log.warning("Busy: %d sessions in use", self.max_sessions)
            return None
        self._next_ticket += 1
        self._tickets[self._next_ticket] = None
        return self._next_ticket

    def claim(self, ticket: int, kernel_id: str, visitor: str) -> None:
        """Record that ``visitor`` owns ``kernel_id`` (the session of ``ticket``)."""
        self.owners[kernel_id] = visitor
        self._tickets[ticket] = kernel_id

    def release(self, ticket: int) -> None:
        """The page of ``ticket`` is sent: from now on its kernel needs a websocket."""
        kernel_id = self._tickets.pop(ticket, None)
        if kernel_id is not None:
            self._quiet_since[kernel_id] = time.monotonic()

    async def reap(self) -> None:
        """Shut down visitors' kernels that went ``unconnected_timeout`` s without a socket."""
        connections = self.kernel_manager._kernel_connections
        now = time.monotonic()
        for kernel_id in list(self._quiet_since):
            if kernel_id not in self._alive():
                del self._quiet_since[kernel_id]
            elif connections.get(kernel_id, 0) > 0:
                self._quiet_since[kernel_id] = None
            elif self._quiet_since[kernel_id] is None:
                self._quiet_since[kernel_id] = now
            elif now - (self._quiet_since[kernel_id] or now) > self.unconnected_timeout:
                self.log.info("Shutting down a kernel whose page is gone: %s", kernel_id)
                del self._quiet_since[kernel_id]
                await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))

    def _owns(self, request: Any, kernel_id: str) -> bool:
        morsel = request.cookies.get(VISITOR_COOKIE)
        owner = self.owners.get(kernel_id)
        return bool(
            morsel is not None
            and owner
            and kernel_id in self._alive()
            and hmac.compare_digest(morsel.value.encode(), owner.encode())
        )

    def refusal(self, request: Any) -> int | None:
        """The status to answer ``request`` with before any handler runs, or None to go on."""
        if request.host_name not in LOOPBACK_NAMES:
            return 403
        origin = request.headers.get("Origin")
        if origin is not None and urlparse(origin).hostname not in LOOPBACK_NAMES:
            return 403
        base = self.base_url
        if not request.path.startswith(base) or ".." in unquote(request.path).split("/"):
            return 404
        path = request.path[len(base) :]
        kernel = KERNEL_PATH.fullmatch(path)
        if kernel:
            return None if self._owns(request, kernel["api"] or kernel["shutdown"]) else 404
        if path == "" or path.startswith(PUBLIC_PREFIXES):
            return None
        return 404

    # --- the server --------------------------------------------------------------------

    def init_handlers(self) -> list[Any]:
        swap = {
            TornadoVoilaHandler: SessionPageHandler,
            VoilaKernelWebsocketHandler: StrictKernelWebsocket,
        }
        return [
            (rule[0], swap.get(rule[1], rule[1]), *rule[2:]) for rule in super().init_handlers()
        ]

    def start(self) -> None:
        # Voilà.start, with a private folder that also holds IPython's, and the guard.
        self.connection_dir = tempfile.mkdtemp(prefix="kypho-app-", dir=self.connection_dir_root)
        # jupyter_client names a kernel's sockets after its connection file: kernel-ID-ipc-1..5
        socket_path = Path(self.connection_dir) / f"kernel-{uuid.uuid4()}-ipc-5"
        transport = self.config.get("KernelManager", {}).get("transport")  # HARDENED or argv
        if transport == "ipc" and len(os.fsencode(socket_path)) > IPC_PATH_LIMIT:
            shutil.rmtree(self.connection_dir, ignore_errors=True)
            self.log.critical(
                "The folder for the kernels' sockets, %s, is too deep: a socket's path would "
                "take %d bytes, more than the %d a Unix socket allows. Start the app with a "
                "shorter --Voila.connection_dir_root (or TMPDIR).",
                self.connection_dir,
                len(os.fsencode(socket_path)),
                IPC_PATH_LIMIT,
            )
            self.exit(1)
        os.environ["IPYTHONDIR"] = str(Path(self.connection_dir) / "ipython")
        self.log.info("Storing connection files in %s.", self.connection_dir)
        settings = self.init_settings()
        settings.update(
            allow_remote_access=False,
            local_hostnames=["localhost"],
            xsrf_cookie_kwargs={"samesite": "Strict"},
            websocket_max_message_size=1024 * 1024,
            kypho_app=self,
        )
        self.app = GuardedApplication(self, **settings)
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", self.init_handlers())
        reaper = tornado.ioloop.PeriodicCallback(self.reap, 5000)
        reaper.start()
        self.listen()

    def stop(self) -> None:
        try:
            run_sync(self.kernel_manager.shutdown_all)()
        finally:
            shutil.rmtree(self.connection_dir, ignore_errors=True)


main = KyphoApp.launch_instance

if __name__ == "__main__":
    sys.exit(main())
