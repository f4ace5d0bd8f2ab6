"""The grading pipeline against plain sequential `nbgrader autograde`, on the same class, in one run.

    .venv/bin/python benchmarks/grading.py                 # every assignment in source/, >= 40 submissions
    .venv/bin/python benchmarks/grading.py --students 20   # a bigger class

Two throwaway courses get the same synthetic class (autograder.demo: solutions, blanks and
the fixtures' typical mistakes). One is graded with `nbgrader autograde <assignment>` for
each assignment, one after the other; the other with `python -m autograder grade`. Both
are timed from the command line, start-up included. Prints seconds per submission for
both and the ratio, checks that the two gradebooks are equal cell by cell, and exits 1
if they differ or the pipeline is less than TARGET times faster. Measure on an idle
machine: other processes on the same cores slow both sides unevenly.
"""
import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from autograder import demo, grade, submissions  # noqa: E402
from autograder.course import SOURCE_DIR, assignments, default_workers  # noqa: E402

TARGET = 1.7
MIN_SUBMISSIONS = 40


def timed(command, cwd=None):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, help=f"class size (default: enough for {MIN_SUBMISSIONS} submissions)")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--keep", action="store_true", help="keep the two throwaway courses")
    args = parser.parse_args(argv)
    chosen_assignments = assignments(SOURCE_DIR)
    students = args.students or math.ceil(MIN_SUBMISSIONS / len(chosen_assignments))
    root = Path(tempfile.mkdtemp(prefix="grading-benchmark-"))
    print(f"{datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"class: {students} students x {len(chosen_assignments)} assignments ({', '.join(chosen_assignments)})")
    courses = {name: demo.make_course(root / name, chosen_assignments) for name in ("sequential", "pipeline")}
    variants = {assignment: list(submissions.variants(demo.notebooks_of(courses["pipeline"], assignment)[0][0],
                                                      demo.EXAMPLES_DIR / assignment))
                for assignment in chosen_assignments}
    chosen = demo.plan_cohort(demo.student_ids(students), chosen_assignments, variants)
    for course in courses.values():
        demo.write_submitted(course, demo.cohort_files(course, chosen))
    handed_in = len(chosen)

    sequential = sum(timed([sys.executable, "-m", "nbgrader", "autograde", assignment],
                           cwd=courses["sequential"].root) for assignment in chosen_assignments)
    pipeline = timed([sys.executable, "-m", "autograder", "grade", "--course", str(courses["pipeline"].root),
                      "--workers", str(args.workers), "--quiet"])
    equal = grade.snapshot(courses["sequential"].db_url) == grade.snapshot(courses["pipeline"].db_url)
    ratio = sequential / pipeline
    print(f"{'':28}{'seconds':>9}{'s/submission':>14}")
    print(f"{'nbgrader autograde, sequential':28}{sequential:9.1f}{sequential / handed_in:14.2f}")
    print(f"{f'autograder grade, {args.workers} workers':28}{pipeline:9.1f}{pipeline / handed_in:14.2f}")
    print(f"ratio: {ratio:.2f}x faster (target {TARGET}x) on {handed_in} submissions; "
          f"gradebooks {'equal cell by cell' if equal else 'DIFFER'}; load average now {os.getloadavg()[0]:.2f}")
    if args.keep:
        print(f"courses kept in {root}")
    else:
        shutil.rmtree(root)
    return 0 if equal and ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
