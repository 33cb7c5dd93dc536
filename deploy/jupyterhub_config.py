"""JupyterHub for a clinic or a class: each user gets a server of their own (run: make hub).

Usage
-----
    make hub                      # http://127.0.0.1:8000, any name and password
    KYPHO_HUB_STUDENTS=ana,ben make hub   # these users open JupyterLab instead of the app

Each user who logs in gets their own single-user Jupyter Server, started by JupyterHub's
spawner, holding their own kernels: clinicians land on the session app (Voilà, running as
a Jupyter Server extension, so the hub's login, Jupyter Server's Host check and XSRF
protection guard it), students on JupyterLab at the index. The hub, its proxy
(configurable-http-proxy from npm, pinned by the Makefile) and every user's server listen
on 127.0.0.1 only.

For trying it out this file uses JupyterHub's dummy authenticator (any name, any password)
and ``SimpleLocalProcessSpawner`` (all users run as the account that started the hub, with
a home folder under the state folder). Both are for a single trusted machine only; the
README's "Many users" section says what a real deployment uses instead (The Littlest
JupyterHub, or Zero to JupyterHub on Kubernetes).

Settings from the environment (``make hub`` sets them): ``KYPHO_HUB_PORT`` (8000),
``KYPHO_HUB_API_PORT`` (8081), ``KYPHO_HUB_PROXY_PORT`` (8001), ``KYPHO_HUB_STATE`` (where the
database, cookie secret and homes go), ``KYPHO_HUB_PROXY`` (the proxy command) and
``KYPHO_HUB_STUDENTS`` (comma-separated user names).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kypho_app import server_extension_options

ROOT = Path(__file__).resolve().parents[1]
#: The session app, as a path below the users' root folder (the checkout).
APP = "notebooks/05-shared-decision-session.ipynb"
STATE = Path(os.environ.get("KYPHO_HUB_STATE", ROOT / "build" / "hub" / "state")).resolve()
STUDENTS = {n.strip() for n in os.environ.get("KYPHO_HUB_STUDENTS", "").split(",") if n.strip()}

c = get_config()  # type: ignore[name-defined]  # noqa: F821 (JupyterHub provides it)

# --- the hub and its proxy, on loopback ---------------------------------------------------
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ.get("KYPHO_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("KYPHO_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{os.environ.get('KYPHO_HUB_PROXY_PORT', '8001')}"
)
c.ConfigurableHTTPProxy.command = [os.environ.get("KYPHO_HUB_PROXY", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server
c.JupyterHub.cleanup_proxy = True

# --- trying it out: any name and password, every user as this account -----------------
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")

# --- each user's server -------------------------------------------------------------------
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = str(ROOT)
c.Spawner.environment = {"JUPYTER_PATH": str(ROOT / "share" / "jupyter")}
c.Spawner.args = [
    # the app as `make app` shows it (kypho template, no code, no tracebacks), and idle
    # kernels culled as there (connected ones stay)
    *server_extension_options(),
    # offline: no news feed, no update check
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    *(["--allow-root"] if os.getuid() == 0 else []),
]
c.Spawner.default_url = f"/voila/render/{APP}"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def _open_lab_for_students(spawner):  # type: ignore[no-untyped-def]
    """Students open JupyterLab at the index; everyone else the session app."""
    if spawner.user.name in STUDENTS:
        spawner.default_url = "/lab/tree/notebooks/00-index.ipynb"


c.Spawner.pre_spawn_hook = _open_lab_for_students
