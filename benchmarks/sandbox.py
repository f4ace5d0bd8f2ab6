"""What the sandbox costs per grading kernel: the same kernel started, run and stopped with and without it.

    .venv/bin/python benchmarks/sandbox.py              # 15 rounds
    .venv/bin/python benchmarks/sandbox.py --rounds 40

Each round starts one kernel of each kind, in alternating order (so that a busy moment
of the machine hits both), waits until it answers, runs a cell that imports NumPy and
the course's helpers, and shuts it down. Prints the median seconds of each kind, the
difference (the sandbox's cost per submission, since every submission gets one kernel)
and the ratio; exits 1 if the cost is over TARGET_SECONDS.
"""
import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from autograder import sandbox  # noqa: E402

TARGET_SECONDS = 0.1
CELL = "import numpy as np\nfrom helpers import grading, perceptron\nprint(np.ones(3).sum())"


async def one_kernel(sandboxed):
    """Seconds from asking for a kernel to having it stopped, with one cell run in between."""
    started = time.perf_counter()
    manager = sandbox.SandboxedKernelManager(kernel_name="python3", sandboxed=sandboxed)
    await manager.start_kernel(cwd=str(Path(__file__).parent))
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=120)
        reply = await client.execute_interactive(CELL, timeout=120, output_hook=lambda message: None)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)
    return time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    sandbox.check_available()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, {'root' if sandbox.is_root() else 'user'}")
    times = {True: [], False: []}
    for round_number in range(args.rounds):
        order = (True, False) if round_number % 2 == 0 else (False, True)
        for sandboxed in order:
            times[sandboxed].append(asyncio.run(one_kernel(sandboxed)))
    plain, boxed = statistics.median(times[False]), statistics.median(times[True])
    print(f"kernel start + one cell + shutdown, median of {args.rounds}:")
    print(f"  without sandbox  {plain:.3f} s")
    print(f"  in the sandbox   {boxed:.3f} s")
    print(f"  sandbox cost per submission: {boxed - plain:+.3f} s ({boxed / plain:.2f}x); target under "
          f"{TARGET_SECONDS} s")
    return 0 if boxed - plain < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
