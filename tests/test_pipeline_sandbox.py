"""Every attack in tests/fixtures/attacks/, graded in one run with good submissions, in a sandbox.

The same good submissions are graded twice, in two throwaway courses: once alone, once
with the attackers. The attackers must gain nothing (each gets exactly the scores its
wrong code earns), the good students must end exactly as in the run without attackers
(grades, autograded notebooks, feedback), no file outside the pipeline's own outputs may
change (the course's source/, submitted/, release/ and the course's `helpers` package are
hashed before and after), nothing may reach a server on the machine, no process of an
attacker may outlive the run, no instructor variable may reach a notebook, and the
report must name what each attacker tried.
"""
import hashlib
import html
import http.server
import importlib.util
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest

import helpers
from autograder import demo, grade, sandbox, submissions
from autograder.course import Limits
from support import FIXTURES_DIR, REPO_ROOT, selected_assignments

ASSIGNMENT = "01_perceptron"
ATTACKS = sorted((FIXTURES_DIR / "attacks").glob("*.py"))
GOOD = {"good_solutions": "solutions", "good_blank": "blank", "good_two_mistakes": "two_mistakes"}
MARKER = "nnattack"  # the name the attackers' processes give themselves (at most 15 characters)
SECRET = "COURSE_GRADER_SECRET_TOKEN"
LIMITS = ["--cell-timeout", "20", "--memory-limit", "2G", "--workers", "2", "--quiet"]
REPORT_LINE = re.compile(r"^# report: (?P<words>.+)$", re.MULTILINE)
PIPELINE_OUTPUTS = {"gradebook.db", "autograded", "feedback", "reports", ".autograder"}
UNPRIVILEGED_USER = "nncourse-grader"


def load(path):
    spec = importlib.util.spec_from_file_location(f"attack_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Listener(http.server.BaseHTTPRequestHandler):
    heard = []

    def do_GET(self):
        Listener.heard.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


def start_listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def tree_hashes(*folders):
    """{path: sha256} of every file under the folders (a deleted or added file shows as a difference)."""
    hashes = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def protected_files(course):
    """Everything in a course folder the pipeline does not write, and the course's code."""
    outside = [path for path in course.root.iterdir() if path.name not in PIPELINE_OUTPUTS]
    return tree_hashes(*[path for path in outside if path.is_dir()], Path(helpers.__file__).parent) | {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in outside if path.is_file()}


def survivors():
    """Processes on this machine named like the attackers' (a daemon, a forked child)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and MARKER in (entry / "comm").read_text():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def make_class(root, attackers, target_of):
    """A throwaway course with its own source/ (so that an attack has something to hit), the good students and
    the given attack fixtures."""
    root.mkdir(parents=True)
    shutil.copytree(REPO_ROOT / "source" / ASSIGNMENT, root / "source" / ASSIGNMENT)
    course = demo.make_course(root, [ASSIGNMENT], source_dir=root / "source")
    chosen = {(name, ASSIGNMENT): variant for name, variant in GOOD.items()}
    demo.write_submitted(course, demo.cohort_files(course, chosen))
    if attackers:
        release = nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        answers = submissions.solutions(nbformat.read(course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                                                      as_version=4))
        for path in attackers:
            folder = course.submitted / path.stem / ASSIGNMENT
            folder.mkdir(parents=True)
            for name, data in load(path).hand_in(release, answers, target_of(course)).items():
                (folder / name).write_bytes(data)
    return course, chosen


def run_pipeline(course, environment=None, user=None):
    command = [sys.executable, "-m", "autograder", "run", "--course", str(course.root), *LIMITS]
    if user is not None:
        command = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--"] + command
    return subprocess.run(command, capture_output=True, text=True, timeout=900,
                          env={**os.environ, **(environment or {})}, cwd=course.root)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if ASSIGNMENT not in selected_assignments():
        pytest.skip(f"{ASSIGNMENT} is not among COURSE_ASSIGNMENTS")
    server = start_listener()
    secret_value = secrets.token_hex(16)
    root = tmp_path_factory.mktemp("sandbox")

    def target_of(course):
        return {"course": str(course.root), "helpers": str(Path(helpers.__file__).parent),
                "port": server.server_address[1], "secret": SECRET, "marker": MARKER}

    clean, chosen = make_class(root / "clean", [], target_of)
    attacked, _ = make_class(root / "attacked", ATTACKS, target_of)
    clean_result = run_pipeline(clean)
    assert clean_result.returncode == 0, clean_result.stderr
    before = protected_files(attacked)
    result = run_pipeline(attacked, {SECRET: secret_value})
    after = protected_files(attacked)
    alive = survivors()
    server.shutdown()
    return {"clean": clean, "attacked": attacked, "chosen": chosen, "result": result, "before": before,
            "after": after, "alive": alive, "heard": list(Listener.heard), "secret": secret_value}


def scores(course, who):
    return {cell: score[0] for (assignment, name, *rest), score in grade.snapshot(course.db_url).items()
            if name == who and len(rest) == 2 for notebook, cell in [rest] if cell != "late penalty"}


def problems(course):
    return {entry["student"]: entry["problems"] for entry in grade.journal_of(course).entries().values()}


def outputs_text(notebook_path, students_cells_only=False):
    notebook = nbformat.read(notebook_path, as_version=4)
    return "".join(str(output) for cell in notebook.cells for output in cell.get("outputs", [])
                   if not (students_cells_only and cell.metadata.get("nbgrader", {}).get("locked")))


def test_there_is_a_fixture_for_every_class_of_attack():
    assert {path.stem for path in ATTACKS} >= {"gradebook_write", "read_hidden_tests", "overwrite_others", "network",
                                               "kill_grader", "daemon", "fork_flood", "environment"}


def test_the_run_with_attackers_finishes(graded):
    assert graded["result"].returncode == 0, graded["result"].stderr
    assert f"graded {len(GOOD) + len(ATTACKS)} submissions" in graded["result"].stdout


@pytest.mark.parametrize("path", ATTACKS, ids=lambda path: path.stem)
def test_an_attacker_gains_nothing(graded, path):
    course = graded["attacked"]
    source = nbformat.read(course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    lost = submissions.read_expected_scores(path)
    expected = {cell: lost.get(cell, points) for cell, points in submissions.grade_cells(source).items()}
    assert scores(course, path.stem) == expected


@pytest.mark.parametrize("path", ATTACKS, ids=lambda path: path.stem)
def test_the_report_names_what_an_attacker_tried(graded, path):
    words = REPORT_LINE.search(path.read_text())["words"]
    said = problems(graded["attacked"])[path.stem]
    assert any(words in sentence for sentence in said), f"no problem mentions {words!r}: {said}"
    report = html.unescape((graded["attacked"].reports / "report.html").read_text())
    assert words in report


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_students_end_exactly_as_without_the_attackers(graded, name):
    clean, attacked = graded["clean"], graded["attacked"]
    expected = {cell: score for (who, _, _, cell), score in demo.expected_scores(clean, graded["chosen"]).items()
                if who == name}
    assert scores(attacked, name) == scores(clean, name) == expected
    assert problems(attacked)[name] == problems(clean)[name] == []
    notebook = Path(name) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert outputs_text(attacked.autograded / notebook) == outputs_text(clean.autograded / notebook)
    page = Path(name) / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert (attacked.feedback / page).read_text().replace(str(attacked.root), "") == \
        (clean.feedback / page).read_text().replace(str(clean.root), "")


def test_no_file_outside_the_pipelines_outputs_changed(graded):
    before, after = graded["before"], graded["after"]
    assert len(before) > 10
    changed = sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))
    assert changed == []
    assert not (graded["attacked"].root / "daemon-was-here").exists()
    assert not (graded["attacked"].submitted / "intruder").exists()


def test_nothing_reached_the_network(graded):
    assert graded["heard"] == []


def test_no_attacker_process_outlives_the_run(graded):
    assert graded["alive"] == []


def test_the_fork_flood_was_bounded(graded):
    text = outputs_text(graded["attacked"].autograded / "fork_flood" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    forked = int(re.search(r"forked (\d+) processes", text)[1])
    assert 0 < forked < Limits.max_processes


def test_no_instructor_variable_reaches_a_notebook(graded):
    course = graded["attacked"]
    texts = [path.read_text() for folder in (course.autograded, course.feedback) for path in folder.rglob("*")
             if path.is_file()]
    assert any("HOME" in text for text in texts), "the environment attack printed nothing"
    assert not any(graded["secret"] in text for text in texts)
    printed = outputs_text(course.autograded / "environment" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                           students_cells_only=True)
    assert "'HOME': '/tmp'" in printed and f"'HOME': '{os.environ['HOME']}'" not in printed


def test_no_attacker_read_the_hidden_tests_or_the_gradebook(graded):
    course = graded["attacked"]
    text = outputs_text(course.autograded / "read_hidden_tests" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                        students_cells_only=True)
    assert "notebooks with hidden tests found: 0" in text
    assert "no gradebook" in text
    assert "HIDDEN TESTS" not in text and "grading.Check" not in text


def test_grading_stops_with_a_clear_message_when_the_sandbox_tool_is_missing(tmp_path):
    course = demo.make_course(tmp_path / "course", [ASSIGNMENT]) if ASSIGNMENT in selected_assignments() else None
    if course is None:
        pytest.skip(f"{ASSIGNMENT} is not among COURSE_ASSIGNMENTS")
    submissions.write_submission(nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                                               as_version=4), course.root, "someone", ASSIGNMENT, f"{ASSIGNMENT}.ipynb")
    bare = tmp_path / "bin"
    bare.mkdir()
    for tool in ("setpriv", "prlimit"):  # everything but bwrap
        (bare / tool).symlink_to(shutil.which(tool))
    command = [sys.executable, "-m", "autograder", "grade", "--course", str(course.root), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{bare}"})
    assert result.returncode == 1
    assert "`bwrap` is not installed" in result.stderr and "apt-get install bubblewrap" in result.stderr
    assert "--no-sandbox" in result.stderr
    assert not course.autograded.exists()
    unsandboxed = subprocess.run(command + ["--no-sandbox"], capture_output=True, text=True, timeout=300,
                                 env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{bare}"})
    assert unsandboxed.returncode == 0, unsandboxed.stderr
    assert "WITHOUT a sandbox" in unsandboxed.stdout and "--no-sandbox" in unsandboxed.stderr
    report = subprocess.run([sys.executable, "-m", "autograder", "report", "--course", str(course.root)],
                            capture_output=True, text=True, timeout=300)
    assert report.returncode == 0, report.stderr
    assert "1 submissions were graded WITHOUT a sandbox" in (course.reports / "report.html").read_text()


def test_the_sandbox_check_explains_a_machine_where_bwrap_cannot_work(tmp_path, monkeypatch):
    failing = tmp_path / "bwrap"
    failing.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    failing.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    sandbox.check_available.cache_clear()
    try:
        with pytest.raises(sandbox.SandboxUnavailable, match="user namespaces") as error:
            sandbox.check_available()
        assert "No permissions to create new namespace" in str(error.value)
    finally:
        sandbox.check_available.cache_clear()


def unprivileged_user():
    """An ordinary account to grade as: this one when not root, else one made for the test."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(UNPRIVILEGED_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        UNPRIVILEGED_USER], check=True, capture_output=True)
        return pwd.getpwnam(UNPRIVILEGED_USER)


def open_the_way_to_python():
    """Let others pass through (x, not read) the folders above this checkout's Python and packages that only
    root may enter (a Python installed in /root, say), as they would be for an instructor's own Python.
    Returns [(folder, old mode)] to put back."""
    needed = {Path(os.path.realpath(sys.executable)), Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(),
              Path(helpers.__file__).resolve().parent}
    opened = []
    for path in needed:
        for folder in reversed(path.parents):
            mode = folder.stat().st_mode & 0o7777
            if not mode & 0o001 and (folder, mode) not in opened:
                folder.chmod(mode | 0o001)
                opened.append((folder, mode))
    return opened


def test_the_sandbox_works_for_an_ordinary_user():
    """As an ordinary user the sandbox is a user namespace: grading still confines the attackers."""
    if ASSIGNMENT not in selected_assignments():
        pytest.skip(f"{ASSIGNMENT} is not among COURSE_ASSIGNMENTS")
    user = unprivileged_user()
    root = Path(tempfile.mkdtemp(prefix="sandbox-user-", dir="/tmp"))
    opened = []
    try:
        os.chmod(root, 0o755)
        picked = [path for path in ATTACKS if path.stem in ("overwrite_others", "environment", "kill_grader")]

        def target_of(course):
            return {"course": str(course.root), "helpers": str(Path(helpers.__file__).parent), "port": 9,
                    "secret": SECRET, "marker": MARKER}

        course, chosen = make_class(root / "course", picked, target_of)
        if user is not None:
            subprocess.run(["chown", "-R", f"{user.pw_uid}:{user.pw_gid}", str(root)], check=True)
            opened += open_the_way_to_python()
        before = protected_files(course)
        result = run_pipeline(course, {SECRET: "not-for-students", "HOME": str(root)}, user)
        assert result.returncode == 0, result.stderr
        assert protected_files(course) == before
        for name in GOOD:
            expected = {cell: score for (who, _, _, cell), score in demo.expected_scores(course, chosen).items()
                        if who == name}
            assert scores(course, name) == expected
        source = nbformat.read(course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        for path in picked:
            lost = submissions.read_expected_scores(path)
            assert scores(course, path.stem) == {cell: lost.get(cell, points)
                                                 for cell, points in submissions.grade_cells(source).items()}
        environment = outputs_text(course.autograded / "environment" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
        assert "not-for-students" not in environment and "'USER': 'student'" in environment
    finally:
        for folder, mode in reversed(opened):
            folder.chmod(mode)
        shutil.rmtree(root, ignore_errors=True)
