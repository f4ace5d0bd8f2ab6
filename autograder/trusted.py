"""Test cells evaluated in the trusted grader while the student's code runs in the sandboxed kernel.

During autograding, ResilientExecute sends a notebook's ordinary cells to the student's
kernel as usual, but runs each test cell here, in the grader's own process, with the
course's `helpers` (reference, hidden test inputs, comparisons, clock, code checks). A
test cell reaches the student's work only through names it does not define itself:

* a function of the student's becomes a `RemoteFunction`: calling it sends the arguments
  to the kernel as plain data (autograder/agent.py) and reads the result back, strictly;
  the course's versions of the other graded functions stand in for the student's during
  the call, answering from here;
* a module the student imported (`np`, `datasets`) is imported here, if it is one of
  ALLOWED_MODULES, never taken from the kernel;
* anything else the kernel holds arrives as plain data, or not at all.

Builtins are always the grader's own. The cell's table, its verdict and its points are
written into the notebook from here, as the kernel would have written them, so nbgrader
scores, records and renders them unchanged. Hidden tests never reach the kernel.
"""
import builtins
import contextlib
import ctypes
import importlib
import io
import json
import os
import select
import shutil
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode

from autograder import agent, cpu
from helpers import grading, place

AGENT_SOURCE = Path(agent.__file__).read_text()
AGENT_MODULE, AGENT_FILE = "course_agent", "<course-agent>"  # the agent's module in the kernel, and its file name
AGENT_KEPT = "course_agent_kept"  # set on a kernel manager once its kernel holds the agent's module
ALLOWED_MODULES = {"numpy", "math", "time", "helpers", "helpers.datasets", "helpers.plotting", "matplotlib",
                   "matplotlib.pyplot"}
INTERRUPT_GRACE_SECONDS = 10
POLL_MILLISECONDS = 100  # between looks at the clock and the kernel's health; the agent's messages wake the wait
RECEIVE_BYTES = 2**20
TIMEOUT_ERROR = "CellTimeoutError"  # the name nbgrader gives a cell stopped at the time limit
CLOSE_SECONDS = 10


def serve_code(address, kept=False):
    """The code that runs the agent in the kernel, serving the grader's socket at address.

    The kernel compiles the agent once, at its first test cell, into a module of its own (AGENT_MODULE), never
    into the student's namespace, and keeps it: compiling takes 4-5 ms, and a cell holding the 20 kB source takes
    IPython 10-14 ms more to tokenize and parse, in each of a notebook's 7-12 test cells. kept=True: one line that
    runs the module the kernel already holds. The student's code can replace that module, and so break its own
    grading only, as it could replace anything else the agent uses."""
    if kept:
        return f"__import__('sys').modules[{AGENT_MODULE!r}].serve({address!r})"
    install = (f"(lambda module: (module.__dict__.update(__file__={AGENT_FILE!r}), "
               f"exec(compile({AGENT_SOURCE!r}, {AGENT_FILE!r}, 'exec'), module.__dict__), module)[2])"
               f"(type(sys)({AGENT_MODULE!r}))")
    return (f"(lambda sys: (sys.modules.get({AGENT_MODULE!r}) or sys.modules.setdefault({AGENT_MODULE!r}, {install}))"
            f".serve({address!r}))(__import__('sys'))")


class StandInTimeout(BaseException):
    """Raised in the grader's thread when a stand-in it computes for the student's code runs past the cell's time
    limit (BaseException: the course's code it interrupts must not swallow it)."""


class _Watchdog:
    """One thread for the whole process that raises StandInTimeout in a thread whose stand-in runs past its deadline
    (a stand-in can be called thousands of times in a cell: a timer thread each would cost a third of a second per
    hand-in)."""

    def __init__(self):
        self._condition = threading.Condition()
        self._watched = {}  # token: (thread id, deadline)
        self._thread = None

    def watch(self, token, deadline):
        with self._condition:
            self._watched[token] = (threading.get_ident(), deadline)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="stand-in watchdog", daemon=True)
                self._thread.start()
            self._condition.notify()

    def release(self, token):
        """Stop watching token; once this returns, no StandInTimeout is raised for it."""
        with self._condition:
            self._watched.pop(token, None)

    def _run(self):
        with self._condition:
            while True:
                now = time.monotonic()
                for token, (thread, deadline) in list(self._watched.items()):
                    if deadline <= now:
                        del self._watched[token]
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread),
                                                                   ctypes.py_object(StandInTimeout))
                soonest = min((deadline for _, deadline in self._watched.values()), default=None)
                self._condition.wait(None if soonest is None else max(soonest - now, 0.0))


_watchdog = _Watchdog()


def within(deadline, function, *args, **kwargs):
    """function(*args, **kwargs), computed in this thread, or StandInTimeout once time.monotonic() passes deadline.

    A stand-in computes in the grader, on the student's arguments (a training epoch of ten million examples, say):
    the watchdog thread raises StandInTimeout in this thread at the deadline, which Python delivers between two of
    its instructions (one NumPy operation ends first). Whenever it arrives, even as the call returns, it arrives
    inside the try below."""
    if deadline - time.monotonic() <= 0:
        raise StandInTimeout
    token = object()
    _watchdog.watch(token, deadline)
    try:
        return function(*args, **kwargs)
    finally:
        _watchdog.release(token)


class KernelLost(BaseException):
    """The kernel died or stopped answering during a test cell (BaseException: no test code may swallow it)."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


class AgentGone(Exception):
    """The agent ended without answering: the student's code left the kernel unable to run it."""


class RemoteFunction:
    """A student's function, in the sandboxed kernel, called by name."""

    remote = True

    def __init__(self, name, session):
        self.__name__ = name
        self.session = session

    def __repr__(self):
        return f"<the student's function {self.__name__}>"

    def __deepcopy__(self, memo):
        return self  # a handle on the kernel's function: copying arguments must not copy the connection

    __copy__ = lambda self: self  # noqa: E731

    def __call__(self, *args, **kwargs):
        """Call it as a plain function (from a test cell's own helper): its errors are raised here, its warnings
        warned and its stderr written here, for whatever runs the helper to catch as it would in the kernel."""
        outcome = self.session.call(self.__name__, args, kwargs, {})
        for warning in outcome.warnings:
            name, _, message = warning.partition(": ")
            category = getattr(builtins, name, None)
            warnings.warn(message, category if isinstance(category, type) and issubclass(category, Warning)
                          else UserWarning, stacklevel=2)
        if outcome.stderr:
            sys.stderr.write(outcome.stderr)
        if outcome.error or outcome.not_implemented or outcome.lost:
            raise RuntimeError(f"`{self.__name__}` " + (outcome.error or outcome.lost or "is not implemented yet"))
        if isinstance(outcome.value, agent.Unsupported):
            raise TypeError(f"`{self.__name__}` returned {outcome.value.type_name} object, which is not data")
        return outcome.value


class KernelSession:
    """The agent running in the student's kernel for one test cell; requests go over the grader's Unix socket."""

    def __init__(self, executor, deadline):
        self.kc, self.km = executor.kc, executor.km
        self.deadline = deadline
        self.msg_id = None
        self.stand_ins = {}
        self.broken = ""
        self.timed_out = False  # a call ran past the cell's time limit and was interrupted
        self.connection = None  # the agent's end of the grader's Unix socket
        self.frames = agent.Frames()
        self._own_folder = None
        self._interrupted_at = None  # when the cell's time limit made the grader interrupt the kernel
        self._received = bytearray(RECEIVE_BYTES)
        self._kernel_cpu = None  # what the operating system charges to the kernel's processes (autograder/cpu.py)
        self.callback_seconds = 0.0  # the grader's CPU time spent answering the student's code's stand-in calls
        self.stand_in_timed_out = None  # the stand-in that was computing here when the cell's time ran out

    # -- the wire ------------------------------------------------------------------------
    # Synchronous: a training loop's stand-ins make thousands of round trips per test cell, and an event loop's
    # turn per message (a task and a timer each) added to every one. The Jupyter channels, async, are looked at
    # only while the agent is silent.

    def _wait_until_readable(self, sock):
        """Return once sock has something to read, looking at the clock every time and at the kernel's health
        every POLL_MILLISECONDS while it has not; raises KernelLost, AgentGone (the agent's execution ended: it
        will never answer). The clock first, always: an agent that sends a byte now and then, or one callback
        after another, must not keep the grader past the cell's time limit."""
        poller = select.poll()
        poller.register(sock, select.POLLIN | select.POLLERR | select.POLLHUP)
        while True:
            self._mind_the_clock()
            if poller.poll(POLL_MILLISECONDS):
                return
            self._run(self._check_agent)

    def _mind_the_clock(self):
        """Past the cell's time limit, interrupt the kernel once; past the grace after that, raise KernelLost."""
        now = time.monotonic()
        if now > self.deadline:
            if self._interrupted_at is None:
                self._interrupted_at, self.timed_out = now, True
                self._run(self.km.interrupt_kernel)
            elif now > self._interrupted_at + INTERRUPT_GRACE_SECONDS:
                raise KernelLost(CellTimeoutError("the kernel did not answer, even after an interrupt"))

    async def _check_agent(self):
        """Raise AgentGone if the agent's execution has ended, KernelLost if the kernel has."""
        while await self.kc.shell_channel.msg_ready():
            reply = await self.kc.get_shell_msg(timeout=1)
            if reply["parent_header"].get("msg_id") == self.msg_id:
                content = reply["content"]
                raise AgentGone(f"{content.get('ename', 'the agent stopped')}: {content.get('evalue', '')}"[:500])
        if not await self.km.is_alive():
            raise KernelLost(DeadKernelError("the kernel died while the grader called the student's code"))

    def _receive(self):
        """The agent's next message, decoded, and its arrays' bytes; raises KernelLost, AgentGone."""
        while True:
            try:
                received = self.frames.next_message()
            except agent.WireError as error:
                self.frames = agent.Frames()  # what follows an oversized frame cannot be read either
                raise AgentGone(f"the agent sent {error}") from None
            if received is not None:
                text, tail = received
                try:
                    return agent.decode(text), tail
                except agent.WireError as error:
                    return {"kind": "garbled", "message": str(error)}, b""
            self._wait_until_readable(self.connection)
            try:
                # into a buffer kept for the session: recv(n) would allocate n bytes every time
                count = self.connection.recv_into(self._received)
            except BlockingIOError:
                continue
            except OSError as error:  # reset by the agent: its doing, never a loss the grader forgives
                raise AgentGone(f"the agent's connection broke ({error})") from None
            if not count:  # the agent closed its end: its execution is over, or about to be
                until = time.monotonic() + CLOSE_SECONDS
                while time.monotonic() < until:
                    self._run(self._check_agent)
                    time.sleep(POLL_MILLISECONDS / 1000)
                raise AgentGone("the agent closed its connection")
            self.frames.feed(memoryview(self._received)[:count])

    def _send(self, message, tail=b""):
        """Write one message (its arrays' bytes in tail) to the agent, which reads as it goes; one that stops
        reading (the student's code can make it) holds the grader no longer than the cell's time limit and its
        grace."""
        self.connection.settimeout(max(self.deadline + INTERRUPT_GRACE_SECONDS - time.monotonic(), 0.1))
        try:
            self.connection.sendall(agent.frame(_reply(message), tail))
        except TimeoutError:
            self.timed_out = True
            raise KernelLost(CellTimeoutError("the kernel stopped reading the grader's messages")) from None
        except OSError as error:
            raise AgentGone(f"the agent's connection broke ({error})") from None
        finally:
            self.connection.setblocking(False)

    def _exchange(self, message, tail=b""):
        """Send one request and answer the agent's callbacks until it replies to it; the reply and its tail."""
        self._send(message, tail)
        while True:
            reply, reply_tail = self._receive()
            if reply.get("kind") != "callback":
                return reply, reply_tail
            self._mind_the_clock()  # callbacks already received are answered without a wait
            self._send(*self._answer_callback(reply, reply_tail))

    def _answer_callback(self, request, request_tail):
        name = request.get("name")
        function = self.stand_ins.get(name) if type(name) is str else None
        if function is None:
            return {"kind": "raise", "message": f"`{str(name)[:40]}` has no stand-in here"}, b""
        try:
            args = agent.from_data(request.get("args"), request_tail)
            kwargs = agent.from_data(request.get("kwargs"), request_tail)
            if not (isinstance(args, list) and isinstance(kwargs, dict)):
                raise agent.WireError("a call without a list of arguments")
            tail = bytearray()
            started = time.thread_time()
            try:
                value = within(self.deadline, function, *args, **kwargs)
            finally:  # work the student's code had the grader do is the student's
                self.callback_seconds += time.thread_time() - started
            return {"kind": "return", "value": agent.to_data(value, tail)}, tail
        except StandInTimeout:
            # The cell is out of time: it scores 0 (run_test_cell says why), and the kernel is interrupted next.
            self.timed_out, self.stand_in_timed_out = True, name
            return {"kind": "raise", "type": "TimeoutError",
                    "message": f"the course's `{name}`, called by your code, ran past the cell's time limit"}, b""
        except Exception as error:  # the course's function, given the student's arguments, may refuse them
            # (MemoryError included: the grading process's address space is capped, grading_process.limit_memory)
            return {"kind": "raise", "type": type(error).__name__, "message": str(error)[:500]}, b""

    def _open(self):
        import secrets
        import socket

        folder = getattr(self.km, "agent_folder", None)
        if folder is None:  # an unsandboxed kernel: a private folder of the grader's
            self._own_folder = tempfile.mkdtemp(prefix="nnagent-")
            folder = self._own_folder
        # A name nobody can guess, in a folder nobody else can write to.
        address = str(Path(folder) / f"agent-{secrets.token_hex(8)}")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(address)
            group = os.stat(folder).st_gid
            if group != os.getegid():  # the sandbox's user, a member of the folder's group, connects
                os.chown(address, -1, group)
                os.chmod(address, 0o660)
            listener.listen(1)
            listener.setblocking(False)
            kept = getattr(self.km, AGENT_KEPT, False)
            try:
                self._start_agent(listener, serve_code(address, kept))
            except AgentGone:
                if not kept:
                    raise
                # The kernel no longer holds the agent (the student's code took it away): send it again.
                self._start_agent(listener, serve_code(address))
            setattr(self.km, AGENT_KEPT, True)
        finally:
            listener.close()
            with contextlib.suppress(OSError):
                os.unlink(address)
        self.connection.setblocking(False)
        ready, _ = self._receive()
        if ready.get("kind") != "ready":
            raise AgentGone("the kernel did not start the grader's agent")

    def _start_agent(self, listener, code):
        """Have the kernel run code, which starts the agent; return once the agent has connected to listener."""
        self.msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        self._wait_until_readable(listener)
        self.connection, _ = listener.accept()

    async def _close(self):
        try:
            self._send({"kind": "done"})
        except (AgentGone, KernelLost):
            return
        until = time.monotonic() + CLOSE_SECONDS
        while time.monotonic() < until:
            if await self.kc.shell_channel.msg_ready():
                reply = await self.kc.get_shell_msg(timeout=1)
                if reply["parent_header"].get("msg_id") == self.msg_id:
                    break
            elif not await self.km.is_alive():
                return
            else:
                await self.kc.shell_channel.socket.poll(POLL_MILLISECONDS)
        # The agent's own output (status, streams) is nobody's: drop it so that the next cell starts clean.
        while await self.kc.iopub_channel.msg_ready():
            await self.kc.get_iopub_msg(timeout=1)

    # -- what the toolkit asks -----------------------------------------------------------

    def _run(self, coroutine_function, *args):
        from jupyter_core.utils import run_sync

        return run_sync(coroutine_function)(*args)

    def _ensure_open(self):
        if self.msg_id is None and not self.broken:
            try:
                self._open()
            except AgentGone as error:
                self.broken = str(error)

    def call(self, name, args, kwargs, stand_ins):
        self._ensure_open()
        if self.broken:
            return place.Outcome(error=f"{self.broken} (the notebook left its kernel unable to run the grader's "
                                       "calls)")
        self.stand_ins = dict(stand_ins)
        tail = bytearray()
        try:
            reply, reply_tail = self._exchange({"kind": "call", "name": name, "args": agent.to_data(list(args), tail),
                                                "kwargs": agent.to_data(dict(kwargs), tail),
                                                "stand_ins": sorted(stand_ins)}, tail)
        except AgentGone as error:
            self.broken = str(error)
            return place.Outcome(error=f"{error} (the call ended the grader's agent in the kernel)")
        except (KernelLost, KeyboardInterrupt):
            raise
        except Exception as error:  # the grader's own failure: it must not cost the student other rows
            return place.Outcome(lost=f"{type(error).__name__}: {error}")
        return _outcome(reply, reply_tail, name)

    def cpu_seconds(self):
        """The CPU time charged so far to every process of the student's kernel, and to the grader for the stand-in
        calls the kernel made."""
        if self._kernel_cpu is None:
            provisioner = self.km.provisioner
            pid = getattr(provisioner, "pid", None) or getattr(getattr(provisioner, "process", None), "pid", None)
            if pid is None:
                raise RuntimeError("the kernel's process is not known: its CPU time cannot be measured")
            self._kernel_cpu = cpu.KernelCPU(pid, sandboxed=getattr(self.km, "sandboxed", False))
        return self._kernel_cpu.seconds() + self.callback_seconds

    def lookup(self, name):
        """What the kernel's name holds: a RemoteFunction, a module's name, plain data; KeyError when nothing."""
        self._ensure_open()
        if self.broken:
            raise KeyError(name)
        try:
            reply, reply_tail = self._exchange({"kind": "lookup", "name": name})
        except AgentGone as error:
            self.broken = str(error)
            raise KeyError(name) from None
        if reply.get("kind") != "value":
            raise KeyError(name)
        value = agent.from_data(reply.get("value"), reply_tail)
        if isinstance(value, agent.Function):
            return RemoteFunction(name, self)
        return value

    def close(self):
        try:
            if self.msg_id is not None and not self.broken:
                self._run(self._close)
        finally:
            if self.connection is not None:
                self.connection.close()
            if self._own_folder is not None:
                shutil.rmtree(self._own_folder, ignore_errors=True)


def _reply(message):
    """One message's text to the agent: a JSON object whose values went through agent.to_data."""
    return json.dumps(message, allow_nan=False)


def _outcome(reply, tail, name):
    """The Outcome a reply of the agent stands for; anything malformed is the student's kernel's doing."""
    text = {key: str(reply.get(key, ""))[:agent.MAX_TEXT_CHARS] for key in ("stdout", "stderr")}
    caught = [str(item)[:500] for item in reply.get("warnings", [])][:50] \
        if isinstance(reply.get("warnings"), list) else []
    kind = reply.get("kind")
    outcome = place.Outcome(warnings=caught, **text)
    if kind == "result":
        try:
            outcome.value = agent.from_data(reply.get("value"), tail)
            if isinstance(outcome.value, agent.Unsupported):  # the toolkit reads plain data only: it says what came
                outcome.unsupported = outcome.value.type_name
        except agent.WireError as error:
            outcome.error = f"a result that could not be read ({error})"
    elif kind == "not_implemented":
        outcome.not_implemented = True
    elif kind == "error":
        outcome.raised = str(reply.get("type"))[:80]
        outcome.error = f"{str(reply.get('type'))[:80]}: {str(reply.get('message'))[:2000]}{str(reply.get('where', ''))[:500]}."
    elif kind == "missing":
        outcome.error = f"NameError: `{name}` is not defined in the notebook (was its cell run?)."
    else:
        outcome.error = f"an answer the grader could not read ({str(reply.get('message', kind))[:200]})"
    return outcome


class StudentNamespace(dict):
    """A test cell's globals: its own names, then the grader's builtins, then the student's kernel."""

    def __init__(self, session_of):
        # The names the course's own imports cell gives every notebook are the course's here: a student who
        # rebinds `np` in the kernel changes nothing in the tests.
        import numpy

        from helpers import datasets, plotting

        super().__init__({"__name__": "__main__", "__builtins__": builtins, "np": numpy, "datasets": datasets,
                          "plotting": plotting})
        self._session_of = session_of

    def __missing__(self, name):
        if name.startswith("__") or hasattr(builtins, name):
            raise KeyError(name)
        value = self._session_of().lookup(name)
        if isinstance(value, agent.Module):
            if value.name not in ALLOWED_MODULES:
                raise KeyError(name)  # a module of the student's own, or one the grader does not load
            return importlib.import_module(value.name)
        return value


class TrustedPlace:
    """helpers.place for a test cell run by the grader."""

    remote = True

    def __init__(self, session_of, outputs, sources):
        self._session_of, self._outputs, self._sources = session_of, outputs, sources

    def call(self, function, args, kwargs, stand_ins):
        return self._session_of().call(function.__name__, args, kwargs, stand_ins)

    def cpu_seconds(self):
        return self._session_of().cpu_seconds()

    def channel_seconds(self, args, result):
        """Do, and time, the work the wire adds to a call of the student's function with these arguments and this
        result: the kernel decodes the one and encodes the other (autograder/agent.py). Done here with the same code
        (and the arguments' encoding besides, a little more than the kernel's share), on the grader's side: a
        yardstick the student's code cannot change."""
        started = time.thread_time()
        tail = bytearray()
        text = _reply({"args": agent.to_data(list(args), tail)})
        agent.from_data(json.loads(text)["args"], bytes(tail))
        tail = bytearray()
        agent.frame(_reply({"value": agent.to_data(result, tail)}), tail)
        return time.thread_time() - started

    def show(self, bundle):
        self._outputs.flush_stdout()
        self._outputs.append(NotebookNode(output_type="display_data", data=dict(bundle), metadata={}))

    def sources(self):
        return list(self._sources)


class Outputs(list):
    """A cell's outputs as the kernel would have written them, with the cell's stdout in order."""

    def __init__(self):
        super().__init__()
        self.stdout = io.StringIO()

    def flush_stdout(self):
        text = self.stdout.getvalue()
        if text:
            self.append(NotebookNode(output_type="stream", name="stdout", text=text))
            self.stdout.seek(0)
            self.stdout.truncate()


def run_test_cell(executor, source, namespace, sources, timeout):
    """Run one test cell's code here; return its outputs (display data, stdout, the result or the error)."""
    import ast

    outputs = Outputs()
    deadline = time.monotonic() + timeout
    sessions = []

    def session_of():
        if not sessions:
            sessions.append(KernelSession(executor, deadline))
        return sessions[0]

    namespace._session_of = session_of
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    try:
        with place.using(TrustedPlace(session_of, outputs, sources)), contextlib.redirect_stdout(outputs.stdout):
            exec(compile(tree, "<test cell>", "exec"), namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), "<test cell>", "eval"), namespace)
                if value is not None:
                    outputs.flush_stdout()
                    outputs.append(NotebookNode(output_type="execute_result", execution_count=None,
                                                data={"text/plain": repr(value)}, metadata={}))
        outputs.flush_stdout()
    except KernelLost as lost:
        raise lost.error from None
    except Exception as error:  # the cell's verdict (ChecksFailed) or its own failure: only name and message
        outputs.flush_stdout()
        # The verdict's short summary, as the student's kernel shows it (grading.ChecksFailed._render_traceback_).
        if isinstance(error, grading.ChecksFailed):
            lines = error._render_traceback_()
        else:
            lines = [f"{type(error).__name__}: {error}"]
        outputs.append(NotebookNode(output_type="error", ename=type(error).__name__, evalue=str(error),
                                    traceback=lines))
    finally:
        for session in sessions:
            try:
                session.close()
            except KernelLost:
                pass
    if any(session.timed_out for session in sessions):  # as nbclient marks a cell it had to interrupt
        stand_in = next((session.stand_in_timed_out for session in sessions if session.stand_in_timed_out), None)
        why = (f"the student's code had the grader compute the course's `{stand_in}` until the time ran out"
               if stand_in else "the student's code was interrupted")
        outputs.append(NotebookNode(output_type="error", ename=TIMEOUT_ERROR,
                                    evalue=f"the cell ran longer than {timeout} s: {why}", traceback=[TIMEOUT_ERROR]))
    return outputs
