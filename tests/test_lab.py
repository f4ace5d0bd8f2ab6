"""`make lab` starts JupyterLab serving the course (checked over HTTP, then stopped)."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from support import REPO_ROOT

TOKEN = "course-test-token"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.read()


@pytest.fixture
def lab():
    port = free_port()
    args = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={TOKEN}"
    server = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=REPO_ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                              env={**os.environ, "JUPYTER_RUNTIME_DIR": str(REPO_ROOT / ".venv" / "runtime")})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert server.poll() is None, "make lab exited early"
            try:
                get(f"{base}/api/status")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 90 s")
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_make_lab_serves_the_course(lab):
    status, page = get(f"{lab}/lab")
    assert status == 200 and b"JupyterLab" in page
    _, listing = get(f"{lab}/api/contents/notebooks")
    names = {item["name"] for item in json.loads(listing)["content"]}
    assert "01_perceptron.ipynb" in names
    _, release = get(f"{lab}/api/contents/release/01_perceptron")
    assert "01_perceptron.ipynb" in {item["name"] for item in json.loads(release)["content"]}
