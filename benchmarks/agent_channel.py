"""A round trip between the trusted grader and its agent in the kernel: the grader's socket against Jupyter's stdin.

    .venv/bin/python benchmarks/agent_channel.py            # 2,000 round trips each way

A test of a training loop calls the course's stand-ins from the student's loop thousands of
times per hand-in (assignment 04's fit: four per iteration), each a round trip from the
sandboxed kernel to the grader. Measured side by side in one sandboxed kernel: the grader's
own Unix socket (autograder/trusted.py, what grading uses: a student's function calling a
stand-in that answers from the grader) and the Jupyter protocol's stdin channel (what it
used before: the kernel's raw_input and the client's input_reply, with nothing else done).
Then what a test of assignment 04's fit costs per stand-in call: a student's training loop on
noisy XOR (m = 200, 4 hidden units) calling the course's four stand-ins every iteration, each
call carrying the network's parameters, cache or gradients both ways.

Last, what starting and ending the agent costs each test cell (a notebook has 7-12), three
ways, alternately, in the same kernel (median of --sessions each): as grading does (the
kernel compiled the agent at its first test cell and keeps it; one short line starts it),
with the agent's source sent every time but compiled once, and sent and compiled every time
(how grading started it before it was kept).
"""
import argparse
import asyncio
import statistics
import sys
import time
import types
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from autograder import sandbox, trusted  # noqa: E402
from helpers import datasets  # noqa: E402
from helpers.reference import shallow

CALLBACKS = """
def calls_back(count):
    total = 0
    for i in range(count):
        total += stand_in(i)
    return total
"""

TRAINING_LOOP = """
import numpy as np

def training_loop(X, Y, params, learning_rate, iterations):
    for _ in range(iterations):
        A2, cache = forward_propagation(X, params)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(params, cache, X, Y)
        params = update_parameters(params, grads, learning_rate)
    return params
"""
STAND_INS = {"forward_propagation": shallow.forward, "compute_cost": shallow.cost,
             "backward_propagation": shallow.backward, "update_parameters": shallow.update_parameters}


async def stdin_round_trips(client, count):
    """Seconds for count input_request/input_reply exchanges (the kernel's raw_input, answered at once)."""
    code = f"for _ in range({count}):\n    get_ipython().kernel.raw_input('ping')\n"
    start = time.perf_counter()
    msg_id = client.execute(code, allow_stdin=True, silent=True)
    answered = 0
    while answered < count:
        message = await client.get_stdin_msg(timeout=60)
        if message["parent_header"].get("msg_id") == msg_id:
            client.input("pong")
            answered += 1
    while (await client.get_shell_msg(timeout=60))["parent_header"].get("msg_id") != msg_id:
        pass
    return time.perf_counter() - start


FORGET_THE_AGENT = "import sys as _sys\n_sys.modules.pop('course_agent', None)\ndel _sys\n"
# How each way starts the agent: (the kernel manager says the kernel keeps it, the kernel forgets it before).
SESSION_WAYS = {"kept, started by one line": (True, False), "source sent, compiled once": (False, False),
                "source sent and compiled": (False, True)}


def session_seconds(loop, client, manager, way):
    """Seconds to open a session the given way, call a function that returns at once, and close it."""
    kept, forget = SESSION_WAYS[way]
    if forget:
        loop.run_until_complete(client.execute_interactive(FORGET_THE_AGENT, silent=True, timeout=60))
    setattr(manager, trusted.AGENT_KEPT, kept)
    start = time.perf_counter()
    session = trusted.KernelSession(types.SimpleNamespace(kc=client, km=manager), time.monotonic() + 60)
    outcome = session.call("calls_back", (0,), {}, {})
    session.close()
    assert outcome.value == 0, outcome
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--sessions", type=int, default=40, help="test cells' sessions each way")
    args = parser.parse_args(argv)
    sandbox.check_available()
    loop = asyncio.new_event_loop()
    manager = sandbox.SandboxedKernelManager(kernel_name="python3", fast_start=sandbox.is_root(),
                                             helpers_modules=["datasets", "plotting"])
    loop.run_until_complete(manager.start_kernel(cwd=str(Path(__file__).parent)))
    client = manager.client()
    client.start_channels()
    try:
        loop.run_until_complete(client.wait_for_ready(timeout=120))
        loop.run_until_complete(client.execute_interactive(CALLBACKS + TRAINING_LOOP, timeout=60))
        session = trusted.KernelSession(types.SimpleNamespace(kc=client, km=manager), time.monotonic() + 600)
        session.call("calls_back", (10,), {}, {"stand_in": lambda i: i})  # the session open, and a warm-up
        start = time.perf_counter()
        outcome = session.call("calls_back", (args.count,), {}, {"stand_in": lambda i: i})
        socket_seconds = time.perf_counter() - start
        assert outcome.value == args.count * (args.count - 1) // 2, outcome
        X, Y = datasets.noisy_xor(m=200, noise=0.25, seed=0)
        params = shallow.initialize_parameters(2, 4, 1)
        iterations = args.count // len(STAND_INS)
        start = time.perf_counter()
        outcome = session.call("training_loop", (X, Y, params, 1.2, iterations), {}, STAND_INS)
        training_seconds = time.perf_counter() - start
        session.close()
        expected = params
        for _ in range(iterations):
            expected = shallow.train_step(X, Y, expected, 1.2)[0]
        assert all(np.allclose(outcome.value[name], expected[name]) for name in expected), outcome
        loop.run_until_complete(stdin_round_trips(client, 10))
        stdin_seconds = loop.run_until_complete(stdin_round_trips(client, args.count))
        sessions = {way: [] for way in SESSION_WAYS}
        for _ in range(args.sessions):
            for way in SESSION_WAYS:
                sessions[way].append(session_seconds(loop, client, manager, way))
    finally:
        client.stop_channels()
        loop.run_until_complete(manager.shutdown_kernel(now=True))
        loop.close()
    per = {name: seconds / args.count * 1000 for name, seconds in (("socket", socket_seconds),
                                                                    ("stdin", stdin_seconds))}
    print(f"{args.count} round trips, sandboxed kernel ({'forked' if sandbox.is_root() else 'plain'}):")
    print(f"  the grader's socket (a stand-in called back): {per['socket']:.3f} ms each")
    print(f"  Jupyter's stdin channel (raw_input, nothing else): {per['stdin']:.3f} ms each")
    print(f"  the socket takes {per['socket'] / per['stdin']:.2f}x the stdin channel's time")
    print(f"a training loop's stand-ins (4 per iteration, the network's arrays both ways, {iterations} iterations): "
          f"{training_seconds / (iterations * len(STAND_INS)) * 1000:.3f} ms per call")
    print(f"a test cell's agent, started, called once and ended (median of {args.sessions}):")
    for way, seconds in sessions.items():
        print(f"  {way:28} {statistics.median(seconds) * 1000:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
