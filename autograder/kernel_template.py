"""A kernel template (a "zygote"): Python with the kernel's imports done once, forked into each fresh sandbox.

Run as a script by the grading process, as root, with the kernel's environment; it imports
only what a kernel would (ipykernel, NumPy, matplotlib and the student-facing modules of
helpers), never the grader's code. For each request, one JSON line on stdin, it forks:

- the first child joins every namespace of a sandbox that bubblewrap has just made (mount,
  PID, network, IPC, UTS, cgroup), so its root is the sandbox's root; it forks the kernel
  into the sandbox's PID namespace, answers with the kernel's pid, waits for the kernel to
  end and then kills the sandbox (so the kernel manager sees its process end);
- the kernel sets its resource limits, leaves root for the sandbox's user (no capabilities,
  no_new_privs), closes every inherited file, takes the kernel's environment, and becomes an
  IPython kernel on the given connection file.

Nothing of one kernel reaches the next: each is a fresh fork of a template no kernel can
write to or signal (another user, in another PID namespace), with a fresh sandbox; NumPy's
random state is drawn afresh, as a new process would.
"""
import ctypes
import gc
import json
import os
import resource
import signal
import sys
import traceback

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = (
    0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x20000000, 0x40000000)
# The mount namespace last: after it, /proc is the sandbox's and the others could not be opened.
NAMESPACES = (("cgroup", CLONE_NEWCGROUP), ("ipc", CLONE_NEWIPC), ("uts", CLONE_NEWUTS), ("net", CLONE_NEWNET),
              ("pid", CLONE_NEWPID), ("mnt", CLONE_NEWNS))
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 24, 38
LAST_CAPABILITY = 63
# What every kernel imports before it answers its first request, or when it runs its first cell: the kernel
# application alone imports its shell, its debugger (debugpy, about a hundred modules) and IPython's inspector
# only while it starts, which a forked kernel would otherwise do again each time (tests/test_kernel_template.py
# checks that a forked kernel's start imports nothing more).
KERNEL_IMPORTS = ["ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
                  "IPython.core.oinspect", "IPython.core.debugger", "IPython.core.completerlib",
                  "IPython.core.pylabtools", "IPython.core.logger", "IPython.extensions.storemagic",
                  "tornado.platform.asyncio", "faulthandler", "secrets", "numpy", "numpy.random", "matplotlib.pyplot",
                  "matplotlib.backends.backend_agg"]
libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def join_namespaces(pid):
    """Join every namespace of process pid (files opened first: joining mnt changes what /proc is)."""
    files = []
    for name, kind in NAMESPACES:
        try:
            files.append((os.open(f"/proc/{pid}/ns/{name}", os.O_RDONLY), kind, name))
        except FileNotFoundError:
            if name != "cgroup":
                raise
    for fd, kind, name in files:
        _check(libc.setns(fd, kind), f"setns {name}")
        os.close(fd)


def become_the_kernel(request):
    """In the sandbox's PID namespace: no inherited files, limits, an unprivileged user, then the kernel."""
    null = os.open("/dev/null", os.O_RDONLY)
    log = os.open(request["log"], os.O_WRONLY | os.O_APPEND)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    os.setsid()  # no controlling terminal of the grader's to type into
    for name, value in request["limits"].items():
        resource.setrlimit(getattr(resource, name), tuple(value))
    for capability in range(LAST_CAPABILITY + 1):  # nothing to regain, even through a setuid program
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)
    uid = request["uid"]
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    import numpy

    numpy.random.seed()  # a fresh process would have drawn its own state
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    sys.argv = [sys.executable, "-m", "ipykernel_launcher", *request["argv"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=request["argv"])


def serve_one(request, reply):
    """In the first child: join the sandbox, fork the kernel into it, answer, wait, then end the sandbox."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # (the template lets the system reap; this child waits)
    try:
        join_namespaces(request["sandbox_pid"])
        kernel = os.fork()
    except OSError as error:
        reply.write(json.dumps({"error": str(error)}) + "\n")
        reply.flush()
        return
    if kernel == 0:
        try:
            become_the_kernel(request)
        except BaseException:
            traceback.print_exc()  # into the kernel's log, once it is set up
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(1)
    reply.write(json.dumps({"kernel_pid": kernel}) + "\n")
    reply.flush()
    os.waitpid(kernel, 0)
    try:
        os.kill(request["bwrap_pid"], signal.SIGKILL)
    except ProcessLookupError:
        pass


def main():
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # dies with the grading process
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # its first children are reaped by the system
    # What every kernel imports, done once here.
    for module in KERNEL_IMPORTS + sys.argv[1:]:
        __import__(module)
    # Every kernel's collector passes over the template's objects otherwise, writing to them: copying their pages.
    gc.freeze()
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            child = os.fork()
        except OSError as error:
            out.write(json.dumps({"error": str(error)}) + "\n")
            out.flush()
            continue
        if child == 0:
            try:
                serve_one(request, out)
            finally:
                os._exit(0)  # never back into the template's loop


if __name__ == "__main__":
    main()
