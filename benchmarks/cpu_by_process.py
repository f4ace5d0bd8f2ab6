"""Where a grading run's CPU time goes, by kind of process: the parent, Dask's workers, grading processes, kernels.

    .venv/bin/python benchmarks/cpu_by_process.py              # the class of benchmarks/grading.py, 2 workers
    .venv/bin/python benchmarks/cpu_by_process.py --workers 1

Grades the same synthetic class as benchmarks/grading.py with `python -m autograder grade`,
reading every process's CPU time from /proc every 50 ms while it runs (a process that ends
between two looks loses at most 50 ms). Kernels are forked from the kernel template and keep
its command line, so they are counted with it. Prints the CPU seconds of each kind, the
machine's busy CPU seconds and the run's wall-clock seconds.
"""
import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grading import build_class  # noqa: E402

from autograder.course import default_workers  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
LOOK_EVERY_SECONDS = 0.05
KINDS = (("kernel_template", "kernels and their template"), ("autograder.grading_process", "grading processes"),
         ("multiprocessing", "Dask workers and nannies"), ("autograder grade", "the parent (and Dask's scheduler)"))


def kind_of(pid):
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    return next((kind for marker, kind in KINDS if marker in command), "other")


def cpu_seconds(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def busy_seconds():
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICKS  # all but idle and iowait


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="cpu-benchmark-"))
    try:
        courses, chosen = build_class(root, ("pipeline",))
        first_seen, last_seen, kinds = {}, {}, {}
        busy_before, started = busy_seconds(), time.perf_counter()
        run = subprocess.Popen([sys.executable, "-m", "autograder", "grade", "--course", str(courses["pipeline"].root),
                                "--workers", str(args.workers), "--quiet"], stdout=subprocess.DEVNULL)
        while run.poll() is None:
            for entry in os.listdir("/proc"):
                if entry.isdigit() and (seconds := cpu_seconds(entry)) is not None:
                    if entry not in kinds:
                        kinds[entry], first_seen[entry] = kind_of(entry), seconds
                    last_seen[entry] = seconds
            time.sleep(LOOK_EVERY_SECONDS)
        wall, busy = time.perf_counter() - started, busy_seconds() - busy_before
        if run.returncode:
            sys.exit(f"grading failed with exit status {run.returncode}")
        by_kind = collections.Counter()
        for pid, seconds in last_seen.items():
            by_kind[kinds[pid]] += seconds - first_seen[pid]
        print(f"{len(chosen)} submissions, {args.workers} workers: {wall:.1f} s, the machine busy for {busy:.1f} "
              f"CPU seconds ({busy / wall:.2f} cores)")
        for kind, seconds in by_kind.most_common():
            if kind is not None:
                print(f"  {kind:36}{seconds:8.1f} CPU s")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
