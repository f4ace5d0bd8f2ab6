"""The grader's socket to its agent in the student's kernel (autograder/trusted.py, autograder/agent.py), attacked.

The student's code runs in the same process as the agent, so it can find the socket and
write to it. Whatever it sends, the grader must stay in charge: a frame claiming to be huge
is refused before it is read, a stream cut off or gone quiet ends the call at the cell's
time limit, a closed socket ends the session, and the next test cell gets a fresh one. The
folder where the grader listens is its own: the sandbox sees it read-only.
"""
import asyncio
import os
import socket
import stat
import threading
import time
import tracemalloc
import types

import numpy as np
import pytest

from autograder import sandbox, trusted

# Finds the agent's end of the grader's socket among the kernel's descriptors (connected to an "agent-..." path).
FIND_SOCKET = """
import os, socket

def agent_socket():
    for fd in sorted(map(int, os.listdir("/proc/self/fd"))):
        try:
            candidate = socket.socket(fileno=fd)
        except OSError:
            continue
        try:
            if candidate.family == socket.AF_UNIX and "agent-" in str(candidate.getpeername()):
                return socket.fromfd(fd, socket.AF_UNIX, socket.SOCK_STREAM)  # a copy: the agent's stays open
        except OSError:
            pass
        finally:
            candidate.detach()
    raise RuntimeError("no agent socket found")
"""

ATTACKS = {
    # 2**62 bytes announced: the grader must not try to read (or allocate) them.
    "huge_frame": "def attack():\n    agent_socket().sendall((2**62).to_bytes(8, 'big') + b'{}')\n    return 1\n",
    # A text of 18 MB of empty lists, under the frame's limit: json.loads would take twenty times that.
    "text_bomb": ("def attack():\n    text = b'{\"kind\": [' + b'[],' * (6 * 2**20) + b'[]]}'\n"
                  "    agent_socket().sendall(len(text).to_bytes(8, 'big') + text)\n    return 1\n"),
    # A frame that is not JSON.
    "garbled": "def attack():\n    agent_socket().sendall((5).to_bytes(8, 'big') + b'\\xff\\xfe{{{')\n    return 1\n",
    # Half a frame, then silence: the grader must not wait past the cell's time limit.
    "stalls": ("def attack():\n    import time\n    agent_socket().sendall((100).to_bytes(8, 'big') + b'{')\n"
               "    time.sleep(3600)\n"),
    # Half a frame, then a byte now and then, forever: the grader is never left waiting long, yet must stop.
    "dribbles": ("def attack():\n    import time\n    connection = agent_socket()\n"
                 "    connection.sendall((10**6).to_bytes(8, 'big'))\n"
                 "    while True:\n        connection.sendall(b' ')\n        time.sleep(0.02)\n"),
    # One callback after another, forever, each answered at once.
    "calls_back_forever": "def attack():\n    while True:\n        helper(1)\n",
    # The agent's connection shut down under it.
    "closes": "def attack():\n    agent_socket().shutdown(socket.SHUT_RDWR)\n    return 1\n",
}

LOOK_AT_AGENT_FOLDER = """
def look(folder):
    import os
    tried = {}
    for what, action in {"file": lambda: open(os.path.join(folder, "planted"), "w"),
                         "link": lambda: os.symlink("/etc/passwd", os.path.join(folder, "agent-link")),
                         "chmod": lambda: os.chmod(folder, 0o777)}.items():
        try:
            action()
            tried[what] = "done"
        except OSError as error:
            tried[what] = type(error).__name__
    return tried
"""


@pytest.fixture
def kernel(tmp_path):
    """A sandboxed kernel (forked from the template as root) and a way to run code in it."""
    sandbox.check_available()

    async def start():
        manager = sandbox.SandboxedKernelManager(kernel_name="python3", fast_start=sandbox.is_root(),
                                                 helpers_modules=["datasets", "plotting"])
        await manager.start_kernel(cwd=str(tmp_path))
        client = manager.client()
        client.start_channels()
        await client.wait_for_ready(timeout=120)
        return manager, client

    loop = asyncio.new_event_loop()
    manager, client = loop.run_until_complete(start())

    def run(code):
        reply = loop.run_until_complete(client.execute_interactive(code, timeout=120))
        assert reply["content"]["status"] == "ok", reply["content"]

    yield types.SimpleNamespace(manager=manager, client=client, run=run)
    client.stop_channels()
    loop.run_until_complete(manager.shutdown_kernel(now=True))
    loop.close()


def session(kernel, seconds=60):
    return trusted.KernelSession(types.SimpleNamespace(kc=kernel.client, km=kernel.manager), time.monotonic() + seconds)


def call_in_a_session(kernel, name, *args, seconds=60, stand_ins=None):
    """As one test cell does: open a session, call name(*args) in the kernel, close; return (outcome, session)."""
    calls = session(kernel, seconds)
    try:
        return calls.call(name, args, {}, stand_ins or {}), calls
    finally:
        calls.close()


def test_a_call_and_a_callback_cross_the_socket(kernel):
    kernel.run("def twice_via(x):\n    return 2 * helper(x)\n")
    outcome, _ = call_in_a_session(kernel, "twice_via", 21, stand_ins={"helper": lambda x: x + 0.5})
    assert (outcome.value, outcome.error) == (43.0, "")


# Counts the kernel's compilations of the agent's source, and the names its namespace gains after this cell.
WATCH_THE_AGENT = """
import builtins
BEFORE = set(globals()) | {"BEFORE", "agent_compilations", "new_names", "_compile"}
agent_compilations = []
_compile = builtins.compile
builtins.compile = lambda source, filename, *args, **kwargs: (
    agent_compilations.append(filename) if filename == "<course-agent>" else None,
    _compile(source, filename, *args, **kwargs))[1]


def new_names():  # but IPython's own record of the cells run since (_i2, _2, ...)
    return len(agent_compilations), sorted(name for name in set(globals()) - BEFORE
                                           if not name.lstrip("_i").isdigit())
"""


def test_the_agent_is_compiled_once_per_kernel_and_adds_nothing_to_the_students_namespace(kernel):
    kernel.run(WATCH_THE_AGENT)
    outcomes = [call_in_a_session(kernel, "new_names")[0] for _ in range(3)]
    assert [(outcome.value, outcome.error) for outcome in outcomes] == [((1, []), "")] * 3


def test_a_kernel_whose_code_took_the_kept_agent_away_is_sent_it_again(kernel):
    kernel.run(WATCH_THE_AGENT)
    assert call_in_a_session(kernel, "new_names")[0].value == (1, [])
    kernel.run("import sys\ndel sys.modules['course_agent']\ndel sys")
    outcome, _ = call_in_a_session(kernel, "new_names")
    assert (outcome.value, outcome.error) == ((2, []), "")


@pytest.mark.parametrize("attack", ["huge_frame", "text_bomb", "garbled", "closes"])
def test_what_the_student_writes_on_the_socket_costs_only_that_call(kernel, attack):
    kernel.run(FIND_SOCKET + ATTACKS[attack] + "def honest(x):\n    return x + 1\n")
    started = time.monotonic()
    outcome, _ = call_in_a_session(kernel, "attack")
    assert outcome.error and outcome.value is None, outcome
    assert time.monotonic() - started < 30
    # The next test cell opens a session of its own, which works.
    assert call_in_a_session(kernel, "honest", 1)[0].value == 2


def test_a_text_bomb_is_refused_before_it_is_parsed(kernel):
    kernel.run(FIND_SOCKET + ATTACKS["text_bomb"])
    tracemalloc.start()
    try:
        outcome, _ = call_in_a_session(kernel, "attack")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 150 * 2**20, f"the grader held {peak / 2**20:.0f} MB for an 18 MB message"
    assert "text is over" in outcome.error, outcome


def test_an_answer_too_long_as_text_says_to_return_an_array(kernel):
    kernel.run("def as_list(n):\n    return list(range(n))\n")
    outcome, _ = call_in_a_session(kernel, "as_list", 3_000_000)
    assert "return NumPy arrays" in outcome.error and outcome.value is None, outcome
    assert call_in_a_session(kernel, "as_list", 3)[0].value == [0, 1, 2]


def test_a_stream_that_stops_mid_frame_ends_at_the_time_limit(kernel):
    kernel.run(FIND_SOCKET + ATTACKS["stalls"] + "def honest(x):\n    return x + 1\n")
    started = time.monotonic()
    outcome, calls = call_in_a_session(kernel, "attack", seconds=3)
    assert calls.timed_out and not outcome.value, (outcome, time.monotonic() - started)
    assert time.monotonic() - started < 3 + trusted.INTERRUPT_GRACE_SECONDS + trusted.CLOSE_SECONDS
    assert call_in_a_session(kernel, "honest", 1)[0].value == 2


@pytest.mark.parametrize("attack", ["dribbles", "calls_back_forever"])
def test_an_agent_that_keeps_the_grader_busy_ends_at_the_time_limit(kernel, attack):
    kernel.run(FIND_SOCKET + ATTACKS[attack] + "def honest(x):\n    return x + 1\n")
    limit = 3 + trusted.INTERRUPT_GRACE_SECONDS + trusted.CLOSE_SECONDS
    ended = {}

    def grade():
        try:
            ended["outcome"], ended["calls"] = call_in_a_session(kernel, "attack", seconds=3,
                                                                 stand_ins={"helper": lambda x: x})
        except trusted.KernelLost:  # also an end: the kernel is given up, as nbclient gives up such a cell
            ended["lost"] = True

    grader = threading.Thread(target=grade, daemon=True)  # a grader that never stops fails, rather than hangs
    grader.start()
    grader.join(limit + 30)
    assert ended, f"the grader was still busy {limit + 30} s after the call started"
    if "calls" in ended:
        assert ended["calls"].timed_out and not ended["outcome"].value, ended


def test_the_grader_listens_in_a_folder_the_sandbox_cannot_change(kernel):
    folder = kernel.manager.agent_folder
    status = os.stat(folder)
    assert status.st_uid == os.geteuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    assert not status.st_mode & stat.S_IRWXO  # nobody else on the machine may look in (or connect)
    kernel.run(LOOK_AT_AGENT_FOLDER)
    tried = call_in_a_session(kernel, "look", str(folder))[0].value
    assert "done" not in tried.values(), tried
    assert sorted(os.listdir(folder)) == []  # the session's socket is gone with it, nothing was planted


def test_an_agent_that_stops_reading_holds_the_grader_no_longer_than_the_time_limit(kernel):
    kernel.run("import socket, time\n"
               "def attack():\n    socket.socket.recv = socket.socket.recv_into = lambda *args: time.sleep(3600)\n"
               "    return 1\n"
               "def honest(x):\n    return 1\n")
    calls = session(kernel, seconds=3)
    started = time.monotonic()
    with pytest.raises(trusted.KernelLost):
        try:
            assert calls.call("attack", (), {}, {}).value == 1
            calls.call("honest", (np.zeros(4 * 2**20),), {}, {})  # 32 MB: more than the socket holds
        finally:
            calls.close()
    assert time.monotonic() - started < 3 + trusted.INTERRUPT_GRACE_SECONDS + 5


def test_a_connection_reset_by_the_agent_is_the_agents_doing_not_the_graders():
    """A reset surfaces as AgentGone (the call fails), never as the grader's own loss, which a row forgives."""
    grader_end, agent_end = socket.socketpair()
    grader_end.setblocking(False)
    calls = trusted.KernelSession(types.SimpleNamespace(kc=None, km=None), time.monotonic() + 60)
    calls.connection = grader_end
    grader_end.sendall(b"unread")  # the agent closes with this unread: its end resets the connection
    agent_end.close()
    with pytest.raises(trusted.AgentGone, match="broke"):
        calls._receive()
    grader_end.close()


@pytest.mark.parametrize("name", [[], {}, None, 3, ["helper"]])
def test_a_callback_whose_name_is_not_text_is_refused_as_an_answer(name):
    calls = trusted.KernelSession(types.SimpleNamespace(kc=None, km=None), time.monotonic() + 60)
    calls.stand_ins = {"helper": lambda x: x}
    answer, tail = calls._answer_callback({"kind": "callback", "name": name, "args": [1], "kwargs": {"dict": []}},
                                          b"")
    assert answer["kind"] == "raise" and tail == b""


def test_a_stand_in_past_its_deadline_is_interrupted_and_one_within_it_never_is():
    """within() raises StandInTimeout in the computing thread at the deadline, for a pure-Python loop and a NumPy
    one; thousands of quick calls before a deadline pass untouched, and nothing is raised after a call returned."""
    def spin():
        while True:
            pass

    def numpy_spin():
        while True:
            np.sort(np.random.default_rng(0).random(10_000))

    for endless in (spin, numpy_spin):
        started = time.monotonic()
        with pytest.raises(trusted.StandInTimeout):
            trusted.within(started + 0.3, endless)
        assert 0.3 <= time.monotonic() - started < 10
    deadline = time.monotonic() + 0.5
    assert sum(trusted.within(deadline, abs, -1) for _ in range(5_000)) == 5_000
    time.sleep(max(0.0, deadline - time.monotonic()) + 0.3)  # a StandInTimeout would arrive during this sleep
    with pytest.raises(trusted.StandInTimeout):
        trusted.within(time.monotonic() - 1, abs, -1)  # a deadline already past: not even started
