"""Grading in a Dask worker's own thread against grading in the worker's grading process, side by side.

    .venv/bin/python benchmarks/grading_process.py                      # 4 hand-ins of 05_vectorization
    .venv/bin/python benchmarks/grading_process.py 01_perceptron --count 6

One single-threaded LocalCluster worker grades the same hand-ins (the course's solutions,
sandbox on) both ways, alternately: autograde.grade_here called in the task's own thread,
beside the worker's event loop, profiler and heartbeats (how the pipeline graded before), and
grading_process.grade, which hands the task to the worker's grading process (how it grades
now). The first task each way is a warm-up (the kernel template starts, modules load). Prints
the median seconds per hand-in each way, timed inside the task, and their ratio. Then the
reason, without nbgrader: the course's loop version (pure Python, what homework 05's speed
test times in the grader) timed in the worker's task thread and in a child process of the
same worker.
"""
import argparse
import contextlib
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from autograder import autograde, cluster, demo, grade, grading_process  # noqa: E402
from helpers.specs.vectorization import SPEED_EXAMPLES  # noqa: E402


def captured_tasks(course):
    """(shared, [task, ...]) as `grade` would hand them to the cluster, without a cluster."""
    captured = {}

    def run(client, function, tasks, on_result, on_start=None, progress=None, shared=None):
        captured["shared"], captured["tasks"] = shared, [task for _, task in tasks]

    originals = cluster.connect, cluster.run, cluster.worker_count
    cluster.connect, cluster.run = (lambda *args, **kwargs: contextlib.nullcontext()), run
    cluster.worker_count = lambda client: 1
    try:
        grade.grade(course, show_progress=False)
    finally:
        cluster.connect, cluster.run, cluster.worker_count = originals
    return captured["shared"], captured["tasks"]


def in_the_task_thread(shared, task):
    start = time.perf_counter()
    autograde.grade_here(shared, task)
    return time.perf_counter() - start


def in_the_grading_process(shared, task):
    start = time.perf_counter()
    grading_process.grade(shared, task)
    return time.perf_counter() - start


LOOP_SOURCE = """
import statistics, time
from helpers import datasets
from helpers.reference import shallow, shallow_squared
from helpers.specs import vectorization as vectorization_spec
X, Y = datasets.noisy_xor(m=vectorization_spec.SPEED_EXAMPLES, noise=0.25, seed=6)
params = shallow.initialize_parameters(2, 4, 1, seed=6, scale=1.0)
times = []
for _ in range(7):
    start = time.perf_counter()
    shallow_squared.train_step_per_unit(X, Y, params, 1.2)
    times.append(time.perf_counter() - start)
seconds = statistics.median(times)
"""


def loop_version_here():
    """Median seconds of one call of the course's loop version, in the calling thread."""
    namespace = {}
    exec(LOOP_SOURCE, namespace)  # noqa: S102 (the benchmark's own code)
    return namespace["seconds"]


def loop_version_in_a_child():
    """The same, in a fresh Python process started from here."""
    import subprocess

    code = LOOP_SOURCE + "print(seconds)\n"
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", nargs="?", default="05_vectorization")
    parser.add_argument("--count", type=int, default=4, help="hand-ins, each graded both ways")
    args = parser.parse_args(argv)
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory(prefix="grading-process-benchmark-") as root:
        course = demo.make_course(Path(root) / "course", [args.assignment])
        chosen = {(f"s{index:02}", args.assignment): "solutions" for index in range(args.count + 1)}
        demo.write_submitted(course, demo.cohort_files(course, chosen))
        shared, tasks = captured_tasks(course)
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR) as local, Client(local) as client:
            seconds = {"thread": [], "process": []}
            for index, task in enumerate(tasks):
                for way, function in (("thread", in_the_task_thread), ("process", in_the_grading_process)):
                    taken = client.submit(function, shared, task, pure=False).result()
                    if index:  # the first is a warm-up
                        seconds[way].append(taken)
            loops = {"thread": [], "child": []}
            for _ in range(3):
                loops["thread"].append(client.submit(loop_version_here, pure=False).result())
                loops["child"].append(client.submit(loop_version_in_a_child, pure=False).result())
    thread, process = (statistics.median(seconds[way]) for way in ("thread", "process"))
    print(f"{args.assignment}, {args.count} hand-ins graded each way by one Dask worker (median):")
    print(f"  in the task's thread:             {thread:6.2f} s")
    print(f"  in the worker's grading process:  {process:6.2f} s")
    print(f"  the grading process takes {process / thread:.2f}x the thread's time")
    loop_thread, loop_child = (statistics.median(loops[way]) for way in ("thread", "child"))
    print(f"the course's loop version on {SPEED_EXAMPLES} examples (pure Python), one call (median):")
    print(f"  in the worker's task thread:          {loop_thread * 1000:6.1f} ms")
    print(f"  in a child process of the worker:     {loop_child * 1000:6.1f} ms")
    print(f"  the task thread takes {loop_thread / loop_child:.2f}x the child's time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
