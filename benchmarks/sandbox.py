"""What a grading kernel costs: started, run and stopped without the sandbox, in it, and forked from the template.

    .venv/bin/python benchmarks/sandbox.py              # 15 rounds
    .venv/bin/python benchmarks/sandbox.py --rounds 40

Each round starts one kernel of each kind, in rotating order (so that a busy moment of
the machine hits all), waits until it answers, runs a cell that imports NumPy, matplotlib
and the course's student-facing helpers, and shuts it down. The kinds: a plain kernel
(no sandbox), a fresh Python in a fresh sandbox, and (as root) a kernel forked from the
template into a fresh sandbox (autograder/kernel_template.py). Prints the median seconds of
each, the sandbox's cost and the template's saving per submission (every submission gets
one kernel); exits 1 if the sandbox costs more than TARGET_SECONDS.
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
CELL = "import numpy as np\nimport matplotlib.pyplot as plt\nfrom helpers import datasets, plotting\nprint(np.ones(3).sum())"
KINDS = {"without sandbox": {"sandboxed": False}, "in the sandbox": {"sandboxed": True},
         "forked from the template": {"sandboxed": True, "fast_start": True}}


async def one_kernel(settings):
    """Seconds from asking for a kernel to having it stopped, with one cell run in between."""
    started = time.perf_counter()
    manager = sandbox.SandboxedKernelManager(kernel_name="python3", helpers_modules=["datasets", "plotting"],
                                             **settings)
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
    kinds = [kind for kind in KINDS if sandbox.is_root() or "fast_start" not in KINDS[kind]]
    if "forked from the template" in kinds:
        sandbox.template(["helpers.datasets", "helpers.plotting"])  # once per grading process, not per kernel
    times = {kind: [] for kind in kinds}
    for round_number in range(args.rounds):
        for kind in kinds[round_number % len(kinds):] + kinds[:round_number % len(kinds)]:
            times[kind].append(asyncio.run(one_kernel(KINDS[kind])))
    median = {kind: statistics.median(seconds) for kind, seconds in times.items()}
    print(f"kernel start + one cell (NumPy, matplotlib, helpers) + shutdown, median of {args.rounds}:")
    for kind in kinds:
        print(f"  {kind:26} {median[kind]:.3f} s")
    cost = median["in the sandbox"] - median["without sandbox"]
    print(f"  sandbox cost per submission: {cost:+.3f} s ({median['in the sandbox'] / median['without sandbox']:.2f}x); "
          f"target under {TARGET_SECONDS} s")
    if "forked from the template" in kinds:
        saved = median["in the sandbox"] - median["forked from the template"]
        print(f"  the template saves {saved:.3f} s per submission "
              f"({median['in the sandbox'] / median['forked from the template']:.2f}x faster kernels)")
    return 0 if cost < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
