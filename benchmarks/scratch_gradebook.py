"""A hand-in graded with the scratch gradebook's shared engine against nbgrader's engine per opening, side by side.

    .venv/bin/python benchmarks/scratch_gradebook.py                    # 8 hand-ins of 01_perceptron
    .venv/bin/python benchmarks/scratch_gradebook.py 03_logistic_regression --count 12

The same hand-ins (the course's solutions, sandbox on) are graded in this process both ways,
alternately: as the grading process grades them (autograder/scratch_gradebook.py: one engine
for all of the task's openings of its scratch gradebook, no fsync) and with nbgrader's own
engine for each opening. The first hand-in each way is a warm-up. Prints the median seconds per
hand-in each way and their ratio, then the same for the scratch gradebook's own work alone:
ten openings, each upserting a student, as nbgrader opens it about ten times per hand-in.
"""
import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from nbgrader.api import Gradebook  # noqa: E402

from autograder import autograde, demo, grade, scratch_gradebook  # noqa: E402
from autograder.course import COURSE_ID  # noqa: E402
from benchmarks.grading_process import captured_tasks  # noqa: E402

OPENINGS = 10


@contextlib.contextmanager
def nbgraders_engines(path):
    """scratch_gradebook.engines without its engine: every opening makes its own, as nbgrader does."""
    yield f"sqlite:///{path}"


def one_hand_in(shared, task, shared_engine):
    with contextlib.ExitStack() as stack:
        if not shared_engine:
            stack.enter_context(mock.patch.object(scratch_gradebook, "engines", nbgraders_engines))
        start = time.perf_counter()
        autograde.grade_here(shared, task)
        return time.perf_counter() - start


def openings(template, folder, shared_engine):
    """Seconds for OPENINGS openings of a fresh copy of the template gradebook, each upserting a student."""
    database = Path(folder) / "gradebook.db"
    shutil.copyfile(template, database)
    with (scratch_gradebook.engines if shared_engine else nbgraders_engines)(database) as url:
        start = time.perf_counter()
        for index in range(OPENINGS):
            with Gradebook(url, COURSE_ID) as book:
                book.update_or_create_student(f"student{index}")
        return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", nargs="?", default="01_perceptron")
    parser.add_argument("--count", type=int, default=8, help="hand-ins, each graded both ways")
    args = parser.parse_args(argv)
    ways = {"one engine per task, no fsync": True, "nbgrader's engine per opening": False}
    with tempfile.TemporaryDirectory(prefix="scratch-gradebook-benchmark-") as root:
        course = demo.make_course(Path(root) / "course", [args.assignment])
        chosen = {(f"s{index:02}", args.assignment): "solutions" for index in range(args.count + 1)}
        demo.write_submitted(course, demo.cohort_files(course, chosen))
        shared, tasks = captured_tasks(course)
        seconds = {way: [] for way in ways}
        for index, task in enumerate(tasks):
            for way, shared_engine in ways.items():
                taken = one_hand_in(shared, task, shared_engine)
                if index:  # the first is a warm-up
                    seconds[way].append(taken)
        template = Path(root) / "template.db"
        grade.build_template(course, [args.assignment], template)
        gradebook_seconds = {way: [] for way in ways}
        for index in range(args.count + 1):
            for way, shared_engine in ways.items():
                with tempfile.TemporaryDirectory(dir=root) as folder:
                    taken = openings(template, folder, shared_engine)
                if index:
                    gradebook_seconds[way].append(taken)
    print(f"{args.assignment}, {args.count} hand-ins graded each way, alternately (median):")
    for way in ways:
        print(f"  {way:32} {statistics.median(seconds[way]):6.3f} s per hand-in")
    fast, slow = (statistics.median(seconds[way]) for way in ways)
    print(f"  the shared engine takes {fast / slow:.2f}x the time ({1000 * (slow - fast):.0f} ms less per hand-in)")
    print(f"the scratch gradebook alone, {OPENINGS} openings each upserting a student (median):")
    for way in ways:
        print(f"  {way:32} {1000 * statistics.median(gradebook_seconds[way]):6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
