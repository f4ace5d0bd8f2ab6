"""The grading pipeline against stock `nbgrader autograde` and raw nbclient, on the same class, in one run.

    .venv/bin/python benchmarks/grading.py                 # every assignment in source/, >= 40 submissions
    .venv/bin/python benchmarks/grading.py --students 20   # a bigger class

Throwaway courses get the same synthetic class (autograder.demo: solutions, blanks and the
example hand-ins' typical mistakes and tricks). Measured side by side, each from the command
line, start-up included:
- stock nbgrader: `nbgrader autograde <assignment>` for each assignment, one after the other,
  in a course whose nbgrader_config.py holds only its folders, id and gradebook: nbgrader's
  own defaults (a fresh kernel per notebook, test cells in the student's kernel, no sandbox,
  none of this course's settings), what an instructor would use instead of the pipeline
  (the kernels find the course's `helpers` on PYTHONPATH, as an installed package);
- with --course-sequential, also `nbgrader autograde` in a course with the course's
  nbgrader_config.py: the pipeline's own grading (sandbox, test cells in the trusted
  grader, kernels forked from the template) in one process, without Dask;
- raw nbclient: every handed-in notebook executed top to bottom in a fresh kernel, with no
  sandbox and no grading, by as many processes as the pipeline has workers: the floor of
  any grading that runs a kernel per notebook. Every cell runs, as in grading (nbgrader
  executes with allow_errors): a Run All that stops at the first failing cell skips most of
  a wrong or blank hand-in, which no grader may do (--stop-at-first-error measures that
  instead);
- the pipeline, `python -m autograder grade` (sandboxed, on a local Dask cluster), with 1
  worker and with --workers (the scaling table).
Prints seconds per submission, the pipeline's ratios to stock nbgrader and to raw nbclient,
and the extrapolation to 50,000 submissions (benchmarks/SCALE.md explains it); checks that
the pipeline's gradebooks (and the course-settings column's) are equal cell by cell, and
counts the cells where stock nbgrader grades differently (the tricks that work in a
student's kernel, its 30 s cell limit). Exits 1 if the pipeline's gradebooks differ or a
target is missed. Measure on an idle machine: other processes on the same cores slow every
side unevenly.
"""
import argparse
import functools
import math
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from autograder import demo, grade, submissions  # noqa: E402
from autograder.course import COURSE_ID, REPO_ROOT, SOURCE_DIR, assignments, default_workers  # noqa: E402

# The targets: the pipeline at least this many times faster than stock nbgrader, and at most this fraction of raw
# nbclient's time.
TARGET_VS_SEQUENTIAL = 3.0
TARGET_VS_NBCLIENT = 0.7
MIN_SUBMISSIONS = 40
EXTRAPOLATE_TO = 50_000


def timed(command, cwd=None, env=None):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return time.perf_counter() - start


def execute_one(path, every_cell=True):
    """Run one handed-in notebook in a fresh kernel, in a scratch copy of its folder (raw nbclient); return
    the seconds it took."""
    from autograder.run_notebook import execute

    # The kernels' start-up chatter (a warning about TCP, each time) is not the benchmark's output.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / Path(path).name
        shutil.copyfile(path, copy)
        try:
            execute(copy, timeout=120, allow_errors=every_cell)
        except Exception:  # without every_cell, a student's error stops nbclient at that cell
            pass
    return time.perf_counter() - start


def raw_nbclient(course, workers, every_cell=True):
    """Seconds to execute every notebook in submitted/ with `workers` processes, and {assignment: the
    seconds its notebooks took, one after the other}."""
    paths = sorted(course.submitted.glob("*/*/*.ipynb"))
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        seconds = list(pool.map(functools.partial(execute_one, every_cell=every_cell), map(str, paths)))
    per_assignment = {}
    for path, taken in zip(paths, seconds):
        per_assignment[path.parent.name] = per_assignment.get(path.parent.name, 0.0) + taken
    return time.perf_counter() - start, per_assignment


def task_seconds(course):
    """{assignment: the seconds its submissions' grading tasks took on the workers} (from the journal)."""
    per_assignment = {}
    for entry in grade.journal_of(course).entries().values():
        if "seconds" in entry:
            per_assignment[entry["assignment"]] = per_assignment.get(entry["assignment"], 0.0) + entry["seconds"]
    return per_assignment


def make_stock(course):
    """Make course's nbgrader_config.py nbgrader's defaults but for its folders, id and gradebook; return the
    environment its commands run in (the course's helpers importable, as an installed package would be)."""
    (course.root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course.root)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.CourseDirectory.source_directory = {str(course.source_dir)!r}\n"
        f"c.CourseDirectory.db_url = {course.db_url!r}\n")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}


def differing_cells(snapshot, reference):
    """The graded cells whose scores differ between two snapshots (grade.snapshot)."""
    return sorted(key for key, value in reference.items()
                  if isinstance(value, tuple) and snapshot.get(key, (None,))[0] != value[0])


def pipeline(course, workers):
    return timed([sys.executable, "-m", "autograder", "grade", "--course", str(course.root),
                  "--workers", str(workers), "--quiet"])


def build_class(root, names, students=None):
    """({name: a throwaway course under root}, {(student, assignment): variant}): each course holds the same
    synthetic class of at least MIN_SUBMISSIONS hand-ins (autograder.demo), every assignment of source/."""
    chosen_assignments = assignments(SOURCE_DIR)
    students = students or math.ceil(MIN_SUBMISSIONS / len(chosen_assignments))
    print(f"class: {students} students x {len(chosen_assignments)} assignments ({', '.join(chosen_assignments)})")
    courses = {name: demo.make_course(Path(root) / name, chosen_assignments) for name in names}
    first = courses[names[0]]
    variants = {assignment: list(submissions.variants(demo.notebooks_of(first, assignment)[0][0],
                                                      demo.EXAMPLES_DIR / assignment))
                for assignment in chosen_assignments}
    chosen = demo.plan_cohort(demo.student_ids(students), chosen_assignments, variants)
    for course in courses.values():
        demo.write_submitted(course, demo.cohort_files(course, chosen))
    return courses, chosen


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, help=f"class size (default: enough for {MIN_SUBMISSIONS} submissions)")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--keep", action="store_true", help="keep the throwaway courses")
    parser.add_argument("--course-sequential", action="store_true",
                        help="also time sequential `nbgrader autograde` with the course's settings (the pipeline's "
                             "grading without Dask)")
    parser.add_argument("--stop-at-first-error", action="store_true",
                        help="raw nbclient stops each notebook at its first failing cell (a student's Run All)")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="grading-benchmark-"))
    print(f"{datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    names = ("stock",) + (("sequential",) if args.course_sequential else ()) + ("nbclient", "pipeline-1", "pipeline")
    courses, chosen = build_class(root, names, args.students)
    chosen_assignments = assignments(SOURCE_DIR)
    handed_in = len(chosen)

    stock_env = make_stock(courses["stock"])
    stock = {assignment: timed([sys.executable, "-m", "nbgrader", "autograde", assignment],
                               cwd=courses["stock"].root, env=stock_env) for assignment in chosen_assignments}
    sequential = {}
    if args.course_sequential:
        sequential["sequential"] = sum(timed([sys.executable, "-m", "nbgrader", "autograde", assignment],
                                             cwd=courses["sequential"].root) for assignment in chosen_assignments)
    nbclient_seconds, nbclient_per_assignment = raw_nbclient(courses["nbclient"], args.workers,
                                                             every_cell=not args.stop_at_first_error)
    seconds = {"stock": sum(stock.values()), **sequential, "nbclient": nbclient_seconds,
               "pipeline-1": pipeline(courses["pipeline-1"], 1),
               "pipeline": pipeline(courses["pipeline"], args.workers)}
    expected = grade.snapshot(courses["pipeline-1"].db_url)
    equal = all(grade.snapshot(courses[name].db_url) == expected for name in ("pipeline", *sequential))
    stock_differs = differing_cells(grade.snapshot(courses["stock"].db_url), expected)
    labels = {"stock": "stock nbgrader autograde, sequential",
              "sequential": "nbgrader autograde, the course's settings",
              "nbclient": f"raw nbclient, {args.workers} processes"
              + (", to the 1st error" if args.stop_at_first_error else ""),
              "pipeline-1": "autograder grade, 1 worker", "pipeline": f"autograder grade, {args.workers} workers"}
    print(f"{'':46}{'seconds':>9}{'s/submission':>14}")
    for name in names:
        print(f"{labels[name]:46}{seconds[name]:9.1f}{seconds[name] / handed_in:14.2f}")
    tasks = task_seconds(courses["pipeline-1"])
    count_of = {assignment: sum(1 for _, planned in chosen if planned == assignment) for assignment in stock}
    print("where the time goes, s/submission by assignment (stock: its nbgrader command, start-up included;"
          " nbclient: one notebook after another; pipeline: one grading task on a worker):")
    print(f"  {'':26}{'stock':>11}{'nbclient':>10}{'pipeline':>10}")
    for assignment, count in count_of.items():
        print(f"  {assignment:26}{stock[assignment] / count:11.2f}"
              f"{nbclient_per_assignment.get(assignment, 0.0) / count:10.2f}{tasks.get(assignment, 0.0) / count:10.2f}")
    vs_stock = seconds["stock"] / seconds["pipeline"]
    vs_nbclient = seconds["pipeline"] / seconds["nbclient"]
    scaling = seconds["pipeline-1"] / seconds["pipeline"]
    print(f"pipeline: {vs_stock:.2f}x faster than stock nbgrader (target >= {TARGET_VS_SEQUENTIAL}x), "
          f"{vs_nbclient:.2f}x raw nbclient's time (target <= {TARGET_VS_NBCLIENT}x), on {handed_in} submissions; "
          f"its gradebooks {'equal cell by cell' if equal else 'DIFFER'}")
    print(f"stock nbgrader grades {len(stock_differs)} of {sum(isinstance(v, tuple) for v in expected.values())} "
          "graded cells differently (tricks that work in the student's kernel, its 30 s cell limit)"
          + (f": {', '.join('/'.join(key[:2] + key[3:]) for key in stock_differs[:8])}"
             + (" ..." if len(stock_differs) > 8 else "") if stock_differs else ""))
    if sequential:
        print(f"pipeline: {seconds['sequential'] / seconds['pipeline']:.2f}x faster than nbgrader autograde with "
              "the course's settings")
    per_worker = seconds["pipeline-1"] / handed_in
    efficiency = scaling / args.workers
    print(f"scaling 1 -> {args.workers} workers: {scaling:.2f}x ({efficiency:.0%} of linear)")
    for count in (2, 16, 64, 256):
        hours = EXTRAPOLATE_TO * per_worker / (count * efficiency) / 3600
        print(f"  {EXTRAPOLATE_TO:,} submissions on {count:3} workers: ~{hours:.1f} h "
              f"(at {per_worker:.2f} s per submission per worker, {efficiency:.0%} efficiency)")
    print(f"load average now {os.getloadavg()[0]:.2f}")
    if args.keep:
        print(f"courses kept in {root}")
    else:
        shutil.rmtree(root)
    return 0 if equal and vs_stock >= TARGET_VS_SEQUENTIAL and vs_nbclient <= TARGET_VS_NBCLIENT else 1


if __name__ == "__main__":
    sys.exit(main())
