"""The sandbox every grading kernel runs in: bubblewrap (`bwrap`) around ipykernel.

A student's code is hostile. Each kernel gets a sandbox of its own, made fresh and
thrown away with it:

* its own user: as root, a dedicated unprivileged uid no one else has (SANDBOX_UID_BASE
  plus the grading process's pid), switched to by util-linux's `setpriv` before the
  kernel starts; as an ordinary user, a user namespace with no capabilities;
* a file system that is read-only and nearly empty: the system's /usr, the Python that
  runs the kernel, the installed packages and the `helpers` package, nothing of the
  course folder; the only writable place is /tmp, an empty tmpfs of `Limits.scratch_bytes`
  that holds the student's files (read-only) in /tmp/work, the kernel's working folder;
* no network (a network namespace of its own, loopback only), its own PID namespace
  (it sees only its own processes, and when the kernel dies every process it started
  dies with it), its own IPC and UTS namespaces, a clean environment;
* limits set by `prlimit` before the kernel starts: processes, address space, file
  size, CPU time (see autograder.course.Limits).

The kernel talks to the grader over ZMQ's ipc transport: Unix sockets in a short private
folder on the host, bound into the sandbox at the same path, with the connection file.
Its interrupts go over the control channel (bwrap does not pass signals on).
"""
import atexit
import functools
import json
import os
import select
import signal
import shutil
import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path

import zmq
import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Dict, List, Type, Unicode

from autograder.course import Limits
from autograder.errors import CommandError

# Sandboxed kernels run as SANDBOX_UID_BASE + the grading process's pid when the grader is
# root: a uid no account has, different for every kernel running at the same time, so that
# the process limit counts exactly one sandbox's processes. Stays below 2**31 - 1.
SANDBOX_UID_BASE = 2_100_000_000
SCRATCH = "/tmp"
WORK = "/tmp/work"  # the kernel's working folder: the student's files, read-only, and room for new ones
# The longest Unix socket path is 107 bytes: the private folders live in a short /tmp path.
SOCKET_FOLDER_ROOT = "/tmp"
STALE_FOLDER_SECONDS = 300
MAX_MESSAGE_BYTES = 128 * 2**20
KERNEL_LOG_BYTES = 20_000  # of the kernel's own stdout/stderr, kept to explain a kernel that would not start
PATH_INSIDE = "/usr/local/bin:/usr/bin:/bin"

INSTALL_HINT = ("install it: `sudo apt-get install bubblewrap` (Debian, Ubuntu), `sudo dnf install bubblewrap` "
                "(Fedora), `sudo pacman -S bubblewrap` (Arch)")
NO_SANDBOX_HINT = "To grade notebooks you wrote yourself (never students' work) without it, pass --no-sandbox."


class SandboxUnavailable(CommandError):
    """The sandbox cannot be made on this machine: grading stops rather than run student code unconfined."""


def is_root():
    return os.geteuid() == 0


def sandbox_uid():
    return SANDBOX_UID_BASE + os.getpid()


def _system_binds():
    """bwrap arguments for the read-only system: /usr, /etc's few files a program needs, merged-/usr links."""
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives", "fonts"):
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args


GRADING_SIDE_PACKAGES = ("reference", "answers", "specs")
NOT_IN_THE_SANDBOX = Path(__file__).with_name("not_in_the_sandbox.py")


def _package_binds(helpers_modules=None):
    """The Python that runs the kernel, the environment's packages and `helpers` (an editable install points
    at the repository's folder: only that package is bound, never the course folder around it). With
    helpers_modules, only those modules of helpers (and its data) are there: while the test cells run in
    the trusted grader, the reference implementation has no business in the sandbox."""
    import helpers

    package = Path(helpers.__file__).resolve().parent
    needed = [Path(sys.base_prefix), Path(sys.prefix), Path(os.path.realpath(sys.executable)).parent.parent]
    if helpers_modules is None:
        needed.append(package)
    folders = []
    for folder in sorted({path.resolve() for path in needed}, key=lambda path: len(path.parts)):
        if str(folder).startswith("/usr/") or any(folder.is_relative_to(outer) for outer in folders):
            continue
        folders.append(folder)
    # The environment's own path may be a symlink to where it lives: bind both names.
    prefix = Path(sys.prefix)
    if prefix != prefix.resolve():
        folders.append(prefix)
    binds = [arg for folder in folders for arg in ("--ro-bind", str(folder.resolve()), str(folder))]
    if helpers_modules is not None and not any(package.is_relative_to(folder) for folder in folders):
        for name in ["__init__.py", "data", *(f"{module}.py" for module in helpers_modules)]:
            binds += ["--ro-bind", str(package / name), str(package / name)]
        for grading_side in GRADING_SIDE_PACKAGES:  # an import of them fails with a message that says why
            binds += ["--ro-bind", str(NOT_IN_THE_SANDBOX), str(package / grading_side / "__init__.py")]
    return binds


def _with_open_parents(args):
    """bwrap makes the missing parents of a mount point private (0700) when run as root: make them 0755 first,
    so that the unprivileged user can reach what is mounted below them."""
    made, opened = {"/", SCRATCH, WORK}, []  # (the scratch folders keep their own permissions)
    for position, arg in enumerate(args):
        if arg.startswith("--") and arg.endswith(("bind", "bind-try", "symlink")):
            destination = Path(args[position + 2])
            for parent in reversed(destination.parents):
                if str(parent) not in made:
                    made.add(str(parent))
                    opened += ["--perms", "0755", "--dir", str(parent)]
    return opened + args


# prlimit's option for each resource limit rlimits() sets.
PRLIMIT_OPTIONS = {"RLIMIT_NPROC": "nproc", "RLIMIT_FSIZE": "fsize", "RLIMIT_CORE": "core", "RLIMIT_CPU": "cpu",
                   "RLIMIT_AS": "as"}


def rlimits(limits):
    """{resource limit: (soft, hard)} of one kernel process under limits (autograder.course.Limits): the one mapping,
    which both ways of starting a kernel apply (prlimit's command line, the template's fork)."""
    found = {"RLIMIT_NPROC": (limits.max_processes,) * 2, "RLIMIT_FSIZE": (limits.max_file_bytes,) * 2,
             "RLIMIT_CORE": (0, 0),
             # the soft limit sends SIGXCPU, which a kernel could ignore: the hard one, 5 s later, kills
             "RLIMIT_CPU": (limits.cpu_seconds, limits.cpu_seconds + 5)}
    if limits.memory_bytes:
        found["RLIMIT_AS"] = (limits.memory_bytes,) * 2
    return found


def limit_command(limits):
    """prlimit, run inside the sandbox just before the kernel, with the limits that apply to one process."""
    return ["prlimit", *(f"--{PRLIMIT_OPTIONS[name]}={soft}:{hard}" for name, (soft, hard) in rlimits(limits).items()),
            "--"]


def bwrap_command(kernel_cmd, socket_folder, work_files, limits, uid=None, helpers_modules=None, stub=False,
                  agent_folder=None):
    """The command that runs kernel_cmd in a fresh sandbox (see the module's docstring).

    work_files: host paths bound read-only into the working folder; uid: the unprivileged uid to switch
    to when bwrap runs as root (None: an ordinary user's user namespace); agent_folder: the grader's
    folder for its agent's sockets, seen read-only at the same path.
    """
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc",
            "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox"]
    if uid is None:
        args += ["--unshare-user", "--disable-userns", "--cap-drop", "ALL"]
    else:
        # bwrap keeps these two for setpriv, which drops them with everything else when it changes user.
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    # The scratch tmpfs first: a course or a Python that lives under /tmp is bound on top of it, not hidden by it.
    args += ["--size", str(limits.scratch_bytes), "--perms", "1777", "--tmpfs", SCRATCH,
             "--perms", "0777", "--dir", WORK]
    args += _with_open_parents(_system_binds() + _package_binds(helpers_modules))
    args += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev"]
    for path in work_files:
        args += ["--ro-bind", str(path), f"{WORK}/{Path(path).name}"]
    if agent_folder is not None:
        args += ["--ro-bind", str(agent_folder), str(agent_folder)]
    args += ["--bind", str(socket_folder), str(socket_folder),
             "--ro-bind", str(Path(socket_folder) / "passwd"), "/etc/passwd",
             "--chdir", WORK, "--clearenv"]
    for name, value in environment(uid).items():
        args += ["--setenv", name, value]
    args.append("--")
    if stub:  # the first process of a sandbox a kernel is forked into: it counts for none of the kernel's limits
        return args + list(kernel_cmd)
    if uid is not None:
        args += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                 "--inh-caps=-all", "--bounding-set=-all", "--"]
    return args + limit_command(limits) + list(kernel_cmd)


# How the numeric libraries compute here (a BLAS core type, a cache size, CPU features): the kernel must round
# as the grader does, or a student's table would show differences of 1e-16 that are not theirs. These say
# nothing about the instructor, and the kernel's own values are no secret either.
NUMERIC_SETTINGS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES",
                    "MKL_CBWR", "MKL_ENABLE_INSTRUCTIONS")


def environment(uid):
    """The kernel's whole environment: nothing of the instructor's (no tokens, no paths, no names), but the
    numeric libraries' settings of the grader."""
    numeric = {name: os.environ[name] for name in NUMERIC_SETTINGS if name in os.environ}
    return {**numeric, "HOME": SCRATCH, "TMPDIR": SCRATCH, "USER": "student", "LOGNAME": "student", "LANG": "C.UTF-8",
            "PATH": f"{Path(sys.executable).parent}:{PATH_INSIDE}", "PYTHONDONTWRITEBYTECODE": "1",
            "MPLCONFIGDIR": f"{SCRATCH}/.matplotlib", "MPLBACKEND": "agg",
            # One BLAS thread per kernel: the process limit counts threads, and the workers share the cores.
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def make_socket_folder(uid):
    """A private, short folder for the kernel's sockets, connection file and log, owned by the sandbox's user."""
    folder = Path(tempfile.mkdtemp(prefix="nnk-", dir=SOCKET_FOLDER_ROOT))
    inside_uid = uid if uid is not None else os.getuid()
    (folder / "passwd").write_text(f"student:x:{inside_uid}:{inside_uid}:student:{SCRATCH}:/bin/false\n")
    if uid is not None:
        os.chown(folder, uid, uid)
    return folder


def make_agent_folder(uid):
    """The folder where the grader listens for its agent (autograder/trusted.py): the grader's own, which the
    sandbox sees read-only. Unlike the socket folder, where the kernel writes, nothing in it can be swapped
    for a link by the student's code between the grader making a socket and setting who may connect."""
    folder = Path(tempfile.mkdtemp(prefix="nnk-", suffix="-agent", dir=SOCKET_FOLDER_ROOT))
    if uid is not None:  # the sandbox's user may look in, nobody else (it connects through the group)
        os.chown(folder, os.geteuid(), uid)
        os.chmod(folder, 0o750)
    return folder


def remove_socket_folder(folder):
    """Remove one of our folders with whatever the kernel left in it, however it set their modes.

    Only the folder and what is inside it are ever made writable: the folder that holds it (/tmp) is not
    ours to change. Two graders may sweep the same stale folder at once (`reap_orphans`), so what is gone
    meanwhile is gone, not an error."""
    top = os.path.abspath(folder)
    retried = set()

    def writable_then_retry(function, path, exc_info):
        if isinstance(exc_info[1], FileNotFoundError):
            return
        path = os.path.abspath(path)
        if os.path.commonpath([top, path]) != top or path in retried:
            raise exc_info[1]
        retried.add(path)
        if path != top:
            os.chmod(os.path.dirname(path), 0o700)
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, 0o700)
            shutil.rmtree(path, onerror=writable_then_retry)
        else:
            function(path)

    if os.path.lexists(top):
        shutil.rmtree(top, onerror=writable_then_retry)


def reap_orphans():
    """Kill sandboxes whose grader died before they did, and remove their folders.

    bwrap --die-with-parent ties a sandbox to the process that started it, but a grader
    killed while bwrap is still setting the sandbox up can leave its inner process (the
    namespace's first process, which takes every other one with it) behind, adopted by
    init. A live sandbox's bwrap is always the child of a grader, so one adopted by init
    whose socket folder is one of ours is an orphan: nothing else looks like that.
    """
    in_use = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            words = (entry / "cmdline").read_bytes().split(b"\0")
            in_use.update(word.decode(errors="replace") for word in words
                          if word.startswith(f"{SOCKET_FOLDER_ROOT}/nnk-".encode()))
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent != 1 or not words or not words[0].endswith(b"bwrap") or b"--unshare-pid" not in words:
            continue
        folders = [word.decode(errors="replace") for word in words
                   if word.startswith(f"{SOCKET_FOLDER_ROOT}/nnk-".encode())]
        if not folders:
            continue
        try:
            os.kill(int(entry.name), 9)
        except OSError:
            continue
        in_use -= set(folders)
    # A folder no sandbox uses any more, left by a grader that was killed (a new one may not be in use yet).
    # Only this user's folders (root's: all of them): another user's leftovers are theirs to remove.
    for folder in Path(SOCKET_FOLDER_ROOT).glob("nnk-*"):
        try:
            status = folder.stat()
            stale = (str(folder) not in in_use and time.time() - status.st_mtime > STALE_FOLDER_SECONDS
                     and (is_root() or status.st_uid == os.geteuid()))
            if stale:
                remove_socket_folder(folder)
        except OSError:  # gone meanwhile, or not ours to remove after all: never a reason not to grade
            continue


@functools.lru_cache(maxsize=None)
def check_available():
    """Make one sandbox and run `true` in it; raise SandboxUnavailable saying what is missing and how to fix it."""
    for tool, package in (("bwrap", "bubblewrap"), ("prlimit", "util-linux"), ("setpriv", "util-linux")):
        if shutil.which(tool) is None:
            hint = INSTALL_HINT if tool == "bwrap" else f"install the `{package}` package"
            raise SandboxUnavailable(f"grading runs every student's notebook in a sandbox made with bubblewrap, "
                                     f"but `{tool}` is not installed: {hint}. {NO_SANDBOX_HINT}")
    from autograder.course import Limits

    uid = sandbox_uid() if is_root() else None
    folder = make_socket_folder(uid)
    try:
        result = subprocess.run(bwrap_command(["true"], folder, [], Limits(), uid), capture_output=True, text=True,
                                timeout=60)
    finally:
        remove_socket_folder(folder)
    if result.returncode:
        said = result.stderr.strip() or f"exit status {result.returncode}"
        raise SandboxUnavailable(
            f"bubblewrap is installed but cannot make a sandbox on this machine ({said}). Most often unprivileged "
            "user namespaces are off: `sudo sysctl -w kernel.unprivileged_userns_clone=1` (Debian), or on Ubuntu "
            "23.10 and newer `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`; in a container, grade "
            f"as root inside it or allow user namespaces. {NO_SANDBOX_HINT}")


STUB_INFO_FD, STUB_READY_FD = 5, 6
TEMPLATE_SCRIPT = Path(__file__).with_name("kernel_template.py")
READY_SECONDS = 120  # for a sandbox to be set up, or the template to start: generous on a loaded machine
# The sandbox's first process, when a kernel is forked into it from the template: it tells the manager the
# sandbox is ready, then waits (the kernel's end ends it).
STUB = ["/bin/sh", "-c", "echo ready >&{fd}; exec {fd}>&-; exec sleep infinity"]


class _Template:
    """This process's kernel template (autograder/kernel_template.py): started once, forks every kernel."""

    def __init__(self, modules):
        self.config_folder = tempfile.mkdtemp(prefix="nncourse-template-")  # not a socket folder (nnk-*)
        env = {**environment(0), "HOME": self.config_folder, "MPLCONFIGDIR": self.config_folder,
               "TMPDIR": self.config_folder}
        atexit.register(shutil.rmtree, self.config_folder, True)
        self.process = subprocess.Popen([sys.executable, str(TEMPLATE_SCRIPT), *modules], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd="/",
                                        text=True)
        self.modules = modules
        self._ready = False  # its first answer is read when a kernel is first forked: it boots meanwhile

    def _wait_until_ready(self):
        if not self._ready:
            if self._answer().get("ready") is not True:
                self.process.kill()
                raise RuntimeError("the kernel template did not start")
            self._ready = True

    def _answer(self):
        ready, _, _ = select.select([self.process.stdout], [], [], READY_SECONDS)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.process.kill()
            raise RuntimeError("the kernel template did not answer")
        return json.loads(line)

    def fork(self, request):
        """Fork a kernel into the sandbox of request["sandbox_pid"]; return its pid."""
        self._wait_until_ready()
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = self._answer()
        if "error" in answer:
            raise RuntimeError(f"the kernel template could not fork a kernel: {answer['error']}")
        return answer["kernel_pid"]

    def alive(self):
        return self.process.poll() is None


_templates = {}


def template(modules):
    """This process's template with these helpers modules imported (started on first use, again if it died; it may
    still be starting when this returns: its first fork waits for it)."""
    key = tuple(modules)
    if key not in _templates or not _templates[key].alive():
        _templates[key] = _Template(list(modules))
    return _templates[key]


def kernel_template(helpers_modules=None):
    """This process's template for kernels that see these modules of helpers (None: the student-facing ones)."""
    from helpers import STUDENT_MODULES

    shown = STUDENT_MODULES if helpers_modules is None else helpers_modules
    return template([f"helpers.{name}" for name in shown])


def _place_fds(info_write, ready_write):
    """In the child, before bwrap starts: the two pipes at the descriptors the command line names."""
    os.dup2(info_write, STUB_INFO_FD)
    os.dup2(ready_write, STUB_READY_FD)


def _read_ready(info, ready):
    """bwrap's info (the outer pid of the sandbox's first process) once the stub says the sandbox is set up."""
    deadline = time.monotonic() + READY_SECONDS
    said = b""
    while b"ready" not in said:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([ready], [], [], left)[0]:
            raise RuntimeError("the sandbox was not ready in time")
        chunk = os.read(ready, 64)
        if not chunk:
            raise RuntimeError("the sandbox ended before it was ready")
        said += chunk
    text = b""
    while True:
        try:
            return json.loads(text)["child-pid"]
        except ValueError:
            chunk = os.read(info, 4096) if select.select([info], [], [], READY_SECONDS)[0] else b""
            if not chunk:
                raise RuntimeError("bubblewrap did not say which process is the sandbox") from None
            text += chunk


# Every kernel manager of this process with a kernel that may be running: the notebook deadline kills them.
_LIVE = weakref.WeakSet()


def kill_kernels():
    """Kill every kernel this process started (its sandbox goes with it: bwrap --die-with-parent)."""
    for manager in list(_LIVE):
        pid = getattr(manager.provisioner, "pid", None) if manager.provisioner else None
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


SHUTDOWN_POLL_SECONDS = 0.005  # how often a killed kernel is looked at until it is gone
# How often kernel_info is asked again while IOPub has carried nothing: only a kernel that does not greet its
# subscribers needs it (its replies' status messages then prove IOPub connected).
KERNEL_INFO_AGAIN_SECONDS = 0.25
# How soon a client's socket tries again to connect to a kernel that is not listening yet (ZMQ's default: 100 ms).
# The client connects right after the kernel's process starts, before the kernel has made its sockets.
RECONNECT_MILLISECONDS = 2


class ReadyKernelClient(AsyncKernelClient):
    """jupyter_client's client, told that a kernel is ready as soon as it is.

    A kernel is ready when IOPub is connected and it answers kernel_info. jupyter_client
    proves IOPub connected by awaiting, for 0.2 s, a status message of a kernel_info
    request, asking again after each silence (ZMQ's slow joiner loses what a kernel
    publishes before the subscription reaches it, nearly always for a forked kernel). The
    kernel greets each new subscriber on IOPub instead (ipykernel's iopub_welcome, JEP 65):
    here the first message on IOPub proves it connected, and one kernel_info asked after
    it, whose reply and idle status then cannot be lost, proves the kernel answers and
    leaves nothing of the start-up on either channel. A kernel that does not greet is asked
    for kernel_info every KERNEL_INFO_AGAIN_SECONDS until a status message arrives.
    """

    def _context_default(self):
        # The client's own context (jupyter_client gives each client one), whose sockets try again within
        # milliseconds to reach a kernel still starting. Not MAX_MESSAGE_BYTES: a SUB socket that cuts off an
        # oversized message loses every later message too (the next cells' outputs and errors, measured with a
        # 200 MB print), so the kernel's messages are bounded by the grading process's memory cap instead.
        self._created_context = True
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MILLISECONDS)
        return context

    async def _async_wait_for_ready(self, timeout=None):
        from queue import Empty

        until = time.monotonic() + (float("inf") if timeout is None else timeout)

        async def next_message(channel):
            while True:
                try:
                    return await channel.get_msg(timeout=KERNEL_INFO_AGAIN_SECONDS)
                except Empty:
                    if not await self._async_is_alive():
                        raise RuntimeError("Kernel died before replying to kernel_info") from None
                    if time.monotonic() >= until:
                        raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds") from None
                    if channel is self.iopub_channel:
                        self.kernel_info()

        await next_message(self.iopub_channel)  # IOPub is connected: its greeting, or a status of a kernel_info
        request = self.kernel_info()
        while True:
            reply = await next_message(self.shell_channel)
            if reply["msg_type"] == "kernel_info_reply" and reply["parent_header"].get("msg_id") == request:
                break
        while True:  # what IOPub holds up to that request's end is from before any cell: dropped
            message = await next_message(self.iopub_channel)
            if (message["msg_type"] == "status" and message["content"].get("execution_state") == "idle"
                    and message["parent_header"].get("msg_id") == request):
                break
        self._handle_kernel_info_reply(reply)

    wait_for_ready = _async_wait_for_ready  # (AsyncKernelClient binds the name to its parent's method)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels each run in a fresh sandbox (nbclient and nbgrader use it unchanged)."""

    sandboxed = Bool(True, help="Run the kernel in a bubblewrap sandbox (False: trusted code only).").tag(config=True)
    limits = Dict(help="The kernel's limits: autograder.course.Limits as a dict (a field it lacks keeps Limits' "
                       "default).").tag(config=True)
    helpers_modules = List(Unicode(), default_value=None, allow_none=True,
                           help="The only modules of helpers in the sandbox (None: all of them).").tag(config=True)
    client_factory = Type(ReadyKernelClient, klass=AsyncKernelClient)
    fast_start = Bool(False, help="Fork each kernel into its fresh sandbox from a template process with the imports "
                                  "done (as root only; autograder/kernel_template.py).").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._socket_folder = None
        self._agent_folder = None
        self._kernel_log = None
        self._forked = None  # (uid, work folder) when the kernel is forked from the template
        if self.sandboxed:
            self.transport = "ipc"

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None and self.sandboxed:
            spec.interrupt_mode = "message"  # a signal would reach bwrap, not the kernel inside
        return spec

    def _limits(self):
        return Limits(**self.limits)

    async def _async_pre_start_kernel(self, **kw):
        _LIVE.add(self)
        cwd = kw.pop("cwd", None)
        # No history database and no thread saving to it: the grader never reads it, and a thread the kernel
        # would start again later may find the process limit spent by the student's own processes.
        kw["extra_arguments"] = [*kw.get("extra_arguments", []), "--HistoryManager.enabled=False"]
        if not self.sandboxed:
            kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
            return limit_command(self._limits()) + kernel_cmd, {**kw, "cwd": cwd}
        check_available()
        reap_orphans()
        self._remove_folder()
        uid = sandbox_uid() if is_root() else None
        self._socket_folder = make_socket_folder(uid)
        self._agent_folder = make_agent_folder(uid)
        self.ip = str(self._socket_folder / "k")
        self.connection_file = str(self._socket_folder / "connection.json")
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        # No message on the manager's own socket (control) may be larger than this: a kernel that sends one is cut
        # off rather than making the grader allocate whatever the student's process chose to send. (The client's
        # sockets, which carry the cells' outputs, are not capped this way: see ReadyKernelClient.)
        self.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
        self.context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MILLISECONDS)
        if uid is not None:
            os.chown(self.connection_file, uid, uid)
        work_files = sorted(Path(cwd).iterdir()) if cwd and Path(cwd).is_dir() else []
        self._forked = None
        if self.fast_start and uid is not None:
            self._forked = uid
            launcher = "ipykernel_launcher"
            self._kernel_argv = kernel_cmd[kernel_cmd.index(launcher) + 1:] if launcher in kernel_cmd else [
                "-f", self.connection_file]
            kernel_cmd = [part.format(fd=STUB_READY_FD) for part in STUB]
        command = bwrap_command(kernel_cmd, self._socket_folder, work_files, self._limits(), uid,
                                self.helpers_modules, stub=self._forked is not None, agent_folder=self._agent_folder)
        if self._forked is not None:
            command = command[:1] + ["--info-fd", str(STUB_INFO_FD)] + command[1:]
        # The kernel's own stdout and stderr (not the cells': those go over ZMQ) go to a small file of its
        # own: never to the grader's log, which one kernel could otherwise fill for all the others.
        self._kernel_log = open(self._socket_folder / "kernel.log", "wb")
        env = {"PATH": os.environ.get("PATH", PATH_INSIDE)}
        return command, {**kw, "env": env, "cwd": "/", "stdout": self._kernel_log, "stderr": self._kernel_log}

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self._forked is None:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        info_read, info_write = os.pipe()
        ready_read, ready_write = os.pipe()
        # The stub and bwrap write to fixed descriptors: put the pipes' ends there in the child.
        try:
            await super()._async_launch_kernel(kernel_cmd, pass_fds=(STUB_INFO_FD, STUB_READY_FD),
                                               preexec_fn=functools.partial(_place_fds, info_write, ready_write),
                                               **kw)
        finally:
            os.close(info_write)
            os.close(ready_write)
        try:
            sandbox_pid = _read_ready(info_read, ready_read)
        finally:
            os.close(info_read)
            os.close(ready_read)
        kernel_template(self.helpers_modules).fork({
            "sandbox_pid": sandbox_pid, "bwrap_pid": self.provisioner.pid, "uid": self._forked, "cwd": WORK,
            "env": environment(self._forked), "limits": rlimits(self._limits()), "argv": self._kernel_argv,
            "log": str(self._socket_folder / "kernel.log")})

    @property
    def agent_folder(self):
        """The grader's folder for its agent's sockets, which the sandbox sees read-only (None: unsandboxed)."""
        return self._agent_folder

    def kernel_log(self):
        """The end of what the kernel printed outside of cells (why it did not start, say)."""
        if self._socket_folder is None or not (self._socket_folder / "kernel.log").exists():
            return ""
        with open(self._socket_folder / "kernel.log", "rb") as log:
            log.seek(max(0, os.fstat(log.fileno()).st_size - KERNEL_LOG_BYTES))
            return log.read().decode(errors="replace")

    async def _async_wait(self, pollinterval=0.1):
        # A killed sandbox is gone within milliseconds: looking every 0.1 s (jupyter_client's pace) would cost
        # each notebook most of that.
        await super()._async_wait(pollinterval=min(pollinterval, SHUTDOWN_POLL_SECONDS))

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._remove_folder()

    def _remove_folder(self):
        if self._kernel_log is not None:
            self._kernel_log.close()
            self._kernel_log = None
        if self._socket_folder is not None:
            remove_socket_folder(self._socket_folder)
            self._socket_folder = None
        if self._agent_folder is not None:
            remove_socket_folder(self._agent_folder)
            self._agent_folder = None

    def __del__(self):
        super().__del__()
        self._remove_folder()
