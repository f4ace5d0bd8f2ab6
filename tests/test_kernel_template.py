"""Kernels forked from the template (autograder/kernel_template.py): each as confined as a fresh one, none sees another.

Each kernel gets a fresh sandbox and a fresh process; the template has the imports done.
These tests run a kernel's own view of itself, then attack from one kernel to the next.
"""
import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import kernel_template, sandbox

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="kernels are forked from the template only as root")
MODULES = ["datasets", "plotting"]
KERNEL_SETS = {"JPY_PARENT_PID", "PYDEVD_USE_FRAME_EVAL", "PYDEVD_IPYTHON_COMPATIBLE_DEBUGGING", "COLUMNS", "LINES",
               "PAGER", "GIT_PAGER", "CLICOLOR", "CLICOLOR_FORCE", "FORCE_COLOR", "TERM", "PYDEVD_USE_CYTHON"}

SELF_VIEW = r"""
import json, os, sys
status = dict(line.split(":\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\t" in line)
fds = {}
for fd in os.listdir("/proc/self/fd"):
    try:
        fds[fd] = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:  # the folder's own descriptor, closed by now
        pass
try:
    tty = os.open("/dev/tty", os.O_RDWR); has_tty = True
except OSError:
    has_tty = False
pids = sorted(int(name) for name in os.listdir("/proc") if name.isdigit())
print(json.dumps({"uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups(), "pid": os.getpid(),
                  "cwd": os.getcwd(), "env": dict(os.environ), "cap_eff": status["CapEff"].strip(),
                  "cap_bnd": status["CapBnd"].strip(), "no_new_privs": status["NoNewPrivs"].strip(),
                  "fds": fds, "has_tty": has_tty, "pids": pids, "sid_is_self": os.getsid(0) == os.getpid(),
                  "hostname": os.uname().nodename, "limits": open("/proc/self/limits").read(),
                  "reference": "helpers.reference.perceptron" in sys.modules,
                  "random": __import__("numpy").random.random()}))
"""

LEAVE_TRACES = r"""
import os, numpy, subprocess
open("/tmp/left-behind", "w").write("secret")
numpy.left_behind = "secret"
os.environ["LEFT_BEHIND"] = "secret"
subprocess.Popen(["sleep", "300"], start_new_session=True)  # a daemon that would outlive its kernel
print("done")
"""

LOOK_FOR_TRACES = r"""
import json, os, numpy
print(json.dumps({"file": os.path.exists("/tmp/left-behind"), "module": hasattr(numpy, "left_behind"),
                  "env": "LEFT_BEHIND" in os.environ,
                  "sleepers": [pid for pid in os.listdir("/proc") if pid.isdigit()
                               and open(f"/proc/{pid}/cmdline", "rb").read() == b"sleep\\x00300\\x00"]}))
"""


async def run_in_kernel(code, work):
    manager = sandbox.SandboxedKernelManager(kernel_name="python3", fast_start=True, helpers_modules=MODULES)
    await manager.start_kernel(cwd=str(work))
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=120)
        printed = []
        reply = await client.execute_interactive(
            code, timeout=120, output_hook=lambda message: printed.append(message["content"].get("text", "")))
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(printed), manager.provisioner.pid
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)


def in_kernel(code, work):
    return asyncio.run(run_in_kernel(code, work))


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    folder = tmp_path_factory.mktemp("work")
    (folder / "handed_in.ipynb").write_text("{}")
    return folder


@pytest.fixture(scope="module")
def views(work):
    """What two forked kernels see of themselves, one after the other."""
    return [json.loads(in_kernel(SELF_VIEW, work)[0]) for _ in range(2)]


def test_a_forked_kernel_is_the_sandbox_user_with_nothing_to_regain(views):
    view = views[0]
    uid = sandbox.sandbox_uid()
    assert (view["uid"], view["gid"], view["groups"]) == (uid, uid, [])
    assert view["cap_eff"] == "0000000000000000" and view["cap_bnd"] == "0000000000000000"
    assert view["no_new_privs"] == "1"


def test_a_forked_kernel_is_in_the_sandbox_alone(views):
    view = views[0]
    assert view["cwd"] == sandbox.WORK and view["hostname"] == "sandbox"
    assert max(view["pids"]) < 10, "its own PID namespace: only the sandbox's few processes"
    given = sandbox.environment(sandbox.sandbox_uid())
    assert {name: view["env"][name] for name in given} == given
    # and nothing of the grader's: only what the kernel itself sets as it starts
    assert set(view["env"]) - set(given) <= KERNEL_SETS
    assert not view["reference"], "the template never imports the reference implementation"


def test_a_forked_kernel_inherits_no_file_terminal_or_limitless_resource(views):
    view = views[0]
    inherited = {fd: target for fd, target in view["fds"].items()
                 if not target.startswith(("socket:", "anon_inode:", "/dev/null", "/tmp/nnk-", "pipe:", "/tmp/.ipython/"))}
    assert inherited == {}, "only its log, /dev/null, its own sockets and its IPython history in its /tmp"
    template = sandbox.template([f"helpers.{name}" for name in MODULES]).process.pid
    templates_pipes = {os.readlink(path) for path in Path(f"/proc/{template}/fd").iterdir()
                       if os.readlink(path).startswith("pipe:")}
    assert templates_pipes and not templates_pipes & set(view["fds"].values()), "no pipe to the template"
    assert not view["has_tty"] and view["sid_is_self"]
    assert "Max processes             128" in view["limits"]
    assert "Max cpu time              1800" in view["limits"]


ROUNDING = r"""
import hashlib, numpy as np
rng, digest = np.random.default_rng(7), hashlib.sha256()
for n in range(1, 40):
    A, B = rng.standard_normal((n, n + 3)), rng.standard_normal((n + 3, 5))
    digest.update((A @ B).tobytes() + np.dot(A[:1], B).tobytes() + np.tanh(A).tobytes())
print(digest.hexdigest())
"""


def test_a_kernel_rounds_as_the_grader_does(work):
    """The reference computes in the grader, the student's code in the kernel: on the same numbers both must get
    the same bits, or a student's table shows differences that are not theirs (a BLAS core type set for the
    grader, as some machines do, must reach the kernel)."""
    printed, _ = in_kernel(ROUNDING, work)
    here = {}
    exec(ROUNDING.replace("print(digest.hexdigest())", "here['digest'] = digest.hexdigest()"), {"here": here})
    assert printed.strip() == here["digest"]


def test_the_kernel_gets_the_numeric_settings_and_nothing_else(monkeypatch):
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Zen")
    monkeypatch.setenv("GRADER_TOKEN", "secret")
    given = sandbox.environment(1234)
    assert given["OPENBLAS_CORETYPE"] == "Zen" and "GRADER_TOKEN" not in given
    assert "secret" not in given.values()


def test_each_forked_kernel_draws_its_own_random_state(views):
    assert views[0]["random"] != views[1]["random"]


def test_nothing_of_one_kernel_reaches_the_next(work):
    said, first_bwrap = in_kernel(LEAVE_TRACES, work)
    assert said.strip() == "done"
    traces = json.loads(in_kernel(LOOK_FOR_TRACES, work)[0])
    assert traces == {"file": False, "module": False, "env": False, "sleepers": []}
    uid = str(sandbox.sandbox_uid())
    survivors = [path.parent.name for path in Path("/proc").glob("[0-9]*/status")
                 if f"Uid:\t{uid}\t" in _read(path)]
    assert survivors == [], "the daemon died with its sandbox"
    assert not Path(f"/proc/{first_bwrap}").exists()


def test_a_kernel_cannot_reach_the_template(work):
    template = sandbox.template([f"helpers.{name}" for name in MODULES])
    said, _ = in_kernel(f"import os\ntry:\n    os.kill({template.process.pid}, 9)\n    print('killed')\n"
                        f"except OSError as error:\n    print(type(error).__name__)", work)
    assert said.strip() in ("ProcessLookupError", "PermissionError")
    assert template.alive()


def _read(path):
    try:
        return path.read_text()
    except OSError:
        return ""


MODULES_NOW = "import json, sys\nprint(json.dumps(sorted(sys.modules)))"


def test_a_forked_kernel_imports_nothing_on_its_way_to_its_first_cell(work):
    """Whatever a kernel imports while it starts is in the template already (kernel_template.KERNEL_IMPORTS):
    a module missing there is imported again by every kernel, for every notebook."""
    template_code = ("import json, runpy, sys\nrunpy.run_path(sys.argv[1], run_name='template')\n"
                     "for name in sys.argv[2:]:\n    __import__(name)\n" + MODULES_NOW)
    imported = subprocess.run(
        [sys.executable, "-c", template_code, kernel_template.__file__, *kernel_template.KERNEL_IMPORTS,
         *[f"helpers.{name}" for name in MODULES]],
        capture_output=True, text=True, check=True, cwd=Path(kernel_template.__file__).parent.parent,
        env={**sandbox.environment(0), "HOME": str(work), "MPLCONFIGDIR": str(work)}).stdout
    in_the_template = set(json.loads(imported))
    in_the_kernel = set(json.loads(in_kernel(MODULES_NOW, work)[0]))
    assert in_the_template - {"runpy"} <= in_the_kernel
    # (a text codec is found by name when first used: nothing to import ahead)
    assert sorted(name for name in in_the_kernel - in_the_template if not name.startswith("encodings.")) == []
