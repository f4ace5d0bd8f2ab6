"""`make lab` fills the student's copy and starts JupyterLab serving it (checked over HTTP, then stopped)."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import nbformat
import pytest

from support import REPO_ROOT

TOKEN = "course-test-token"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, method="GET", data=None, timeout=5):
    request = urllib.request.Request(url, method=method, data=data, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


@pytest.fixture
def work(tmp_path):
    return tmp_path / "work"


@pytest.fixture
def lab(work, tmp_path):
    port = free_port()
    args = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={TOKEN}"
    server = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}", f"WORK={work}",
                               f"EXCHANGE={tmp_path / 'exchange'}"], cwd=REPO_ROOT,
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
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def names_in(lab, folder):
    _, listing = get(f"{lab}/api/contents/{folder}")
    return {item["name"] for item in json.loads(listing)["content"]}


def test_make_lab_serves_the_students_copy(lab, work):
    status, page = get(f"{lab}/lab")
    assert status == 200 and b"JupyterLab" in page
    assert names_in(lab, "") == {"notebooks", "release"}, "the copy's root holds the lectures and assignments only"
    assert "01_perceptron_lecture.ipynb" in names_in(lab, "notebooks")
    assert "01_perceptron.ipynb" in names_in(lab, "release/01_perceptron")
    # JupyterLab saves into the copy, never into the course.
    course_lecture = REPO_ROOT / "notebooks" / "01_perceptron_lecture.ipynb"
    copied_lecture = work / "notebooks" / "01_perceptron_lecture.ipynb"
    before = course_lecture.read_bytes()
    content = json.loads(copied_lecture.read_text())
    content["cells"][0]["source"] = "saved from JupyterLab"
    request = urllib.request.Request(f"{lab}/api/contents/notebooks/01_perceptron_lecture.ipynb", method="PUT",
                                     data=json.dumps({"type": "notebook", "content": content}).encode(),
                                     headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    assert nbformat.read(copied_lecture, as_version=4).cells[0].source == "saved from JupyterLab"
    assert course_lecture.read_bytes() == before


def test_nbgraders_assignment_list_and_course_list_answer_without_error(lab):
    for endpoint in ("assignments?course_id=nn-first-principles", "courses", "formgraders"):
        status, body = get(f"{lab}/{endpoint}")
        answer = json.loads(body)
        assert status == 200 and answer["success"], f"/{endpoint}: {answer.get('value')}"


def test_validate_button_checks_the_students_copy(lab, work):
    path = "release/01_perceptron/01_perceptron.ipynb"
    _, body = get(f"{lab}/assignments/validate", method="POST", data=json.dumps({"path": path}).encode(), timeout=120)
    answer = json.loads(body)
    assert answer["success"], answer.get("value")
    assert answer["value"]["failed"], "the untouched assignment passed a test cell"
