"""The hub's own files: its lock agrees with the course's, its configuration gives each account its server, its
exchange folders get their modes (the whole hub, with real accounts: tests/test_hub_end_to_end.py)."""
import json
import os
import re
import stat
import types
from pathlib import Path

import pytest
from traitlets.config import Config

from autograder.course import COURSE_ID, REPO_ROOT
from autograder.hub import exchange_folders, install

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)$")


def pins(path):
    return {match[1].lower().replace("_", "-"): match[2]
            for match in map(PIN.match, Path(path).read_text().splitlines()) if match}


def requirement_names(path):
    return [re.split(r"[=<>\s]", line)[0].lower() for line in Path(path).read_text().splitlines()
            if line and not line.startswith(("#", "-"))]


def test_the_hub_lock_pins_the_course_packages_as_the_course_does():
    course, hub = pins(REPO_ROOT / "constraints.txt"), pins(REPO_ROOT / "hub" / "constraints.txt")
    unpinned = [name for name in requirement_names(REPO_ROOT / "hub" / "requirements.txt")
                if name not in pins(REPO_ROOT / "hub" / "requirements.txt")]
    assert "numpy" in unpinned and "nbgrader" in unpinned
    assert {name: hub.get(name) for name in unpinned} == {name: course[name] for name in unpinned}


def test_jupyterhub_and_its_proxy_are_pinned_and_locked_alike():
    required = pins(REPO_ROOT / "hub" / "requirements.txt")
    locked = pins(REPO_ROOT / "hub" / "constraints.txt")
    assert set(required) == {"jupyterhub", "configurable-http-proxy"}
    assert {name: locked[name] for name in required} == required


def loaded_config(tmp_path, **settings):
    (tmp_path / "settings.json").write_text(json.dumps({
        "ip": "127.0.0.1", "port": 8000, "hub_port": 8081, "proxy_api_port": 8001, "environment": "/hub/environment",
        "state": str(tmp_path), "instructor": "teacher", "students": ["alice", "bob"], "course": "/home/teacher/course",
        "service_token": "t", **settings}))
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(tmp_path / "jupyterhub_config.py")}
    exec(compile(install.CONFIG_TEMPLATE.read_text(), "jupyterhub_config.py", "exec"), namespace)  # noqa: S102
    return config


def spawned(config, name):
    spawner = types.SimpleNamespace(user=types.SimpleNamespace(name=name), notebook_dir="", args=[],
                                    environment=dict(config.Spawner.environment))
    config.Spawner.pre_spawn_hook(spawner)
    return spawner


def test_the_instructors_server_opens_the_course_and_a_students_their_home_without_formgrader(tmp_path):
    config = loaded_config(tmp_path)
    assert config.Authenticator.allowed_users == {"teacher", "alice", "bob"}
    assert config.Authenticator.admin_users == {"teacher"}
    assert config.Spawner.cmd == ["/hub/environment/bin/jupyterhub-singleuser"]
    teacher, alice = spawned(config, "teacher"), spawned(config, "alice")
    assert teacher.notebook_dir == "/home/teacher/course" and teacher.environment["PYTHONPATH"] == teacher.notebook_dir
    assert teacher.args == []
    assert alice.notebook_dir == "~" and "PYTHONPATH" not in alice.environment
    assert "--ServerApp.jpserver_extensions=nbgrader.server_extensions.formgrader=False" in alice.args


@pytest.mark.skipif(os.geteuid() != 0, reason="setting owners needs root (CI runs as root)")
def test_the_exchange_folders_get_their_owners_and_modes(tmp_path):
    course = exchange_folders.make(tmp_path / "exchange", "daemon", 1)
    assert course == tmp_path / "exchange" / COURSE_ID
    assert stat.S_IMODE(os.stat(tmp_path / "exchange").st_mode) == 0o1777
    for name, mode in exchange_folders.MODES.items():
        info = os.stat(course / name)
        assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (mode, 1, 1), name
