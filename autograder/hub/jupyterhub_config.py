"""The course's JupyterHub configuration. `python -m autograder hub` copies it into the hub's own folder beside
settings.json (what install.py decided: accounts, ports, folders), and starts `jupyterhub -f` on the copy.

- Real accounts, logged in with their system password (PAM, JupyterHub's default); only the course's accounts.
- Each server runs as its account (LocalProcessSpawner; the hub runs as root to switch to it), from the hub's
  environment, which every account can run.
- Students' servers: their home is their root, the student edition's `helpers` is what they import, and Formgrader is
  off. The instructor's server: the course folder is its root (Formgrader's links work only under it) and the
  course's own code comes first on PYTHONPATH.
- A service token for the course's own tools (the end-to-end test, an administrator's scripts), from a root-only file.
"""
import json
import os
from pathlib import Path

from tornado.web import RedirectHandler

c = get_config()  # noqa: F821 (JupyterHub provides get_config when it loads this file)
settings = json.loads((Path(__file__).parent / "settings.json").read_text())
env_bin = os.path.join(settings["environment"], "bin")

c.JupyterHub.ip = settings["ip"]
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [os.path.join(env_bin, "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = os.path.join(settings["state"], "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{os.path.join(settings['state'], 'jupyterhub.sqlite')}"
c.JupyterHub.cookie_secret_file = os.path.join(settings["state"], "cookie_secret")
c.JupyterHub.pid_file = os.path.join(settings["state"], "jupyterhub.pid")

c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login session per server (containers have no logind)
c.Authenticator.allowed_users = set(settings["students"]) | {settings["instructor"]}
c.Authenticator.admin_users = {settings["instructor"]}

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(env_bin, "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
# A loaded machine starts servers slowly: a spawn that takes a minute is slow, not failed.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.environment = {"PATH": f"{env_bin}:/usr/local/bin:/usr/bin:/bin"}
STUDENT_EXTENSIONS_OFF = ["nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list"]


def per_account(spawner):
    """The instructor's server opens the course; a student's opens their home, without the instructor's panels."""
    if spawner.user.name == settings["instructor"]:
        spawner.notebook_dir = settings["course"]
        spawner.environment["PYTHONPATH"] = settings["course"]
    else:
        spawner.notebook_dir = "~"
        spawner.environment.pop("PYTHONPATH", None)
        spawner.args = [f"--ServerApp.jpserver_extensions={extension}=False"
                        for extension in STUDENT_EXTENSIONS_OFF]


c.Spawner.pre_spawn_hook = per_account

# Formgrader: JupyterHub forbids framing a server's pages (frame-ancestors 'none'), which leaves JupyterLab's
# Formgrader panel blank; the instructor opens <hub>/user/<instructor>/formgrader in a tab of its own instead (no
# frame, no clickjacking). There nbgrader links an assignment or a submission to /tree/..., /notebooks/... or
# /edit/... at the site's root, as on a server of one's own: on the hub these lead to the user's own JupyterLab.
c.JupyterHub.extra_handlers = [(rf"/{kind}/(.*)", RedirectHandler, {"url": "/hub/user-redirect/lab/tree/{0}"})
                               for kind in ("tree", "notebooks", "edit")]

c.JupyterHub.services = [{"name": "course-admin", "api_token": settings["service_token"]}]
c.JupyterHub.load_roles = [{"name": "course-admin", "services": ["course-admin"],
                            "scopes": ["admin:users", "admin:servers", "tokens", "read:users"]}]
