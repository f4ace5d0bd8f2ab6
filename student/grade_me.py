"""Grade the student's own copy exactly as the instructor's `grade` would, and say what to look at next.

    python -m student.grade_me [ASSIGNMENT ...] [--work DIR] [--open]    # `make grade-me`

Each assignment of work/release/ is handed in to a private course folder (.grade-me/, git-ignored) and
graded there by the instructor's command line, `python -m autograder collect` then `run`: in the
sandbox, with the hidden tests of source/, the same feedback pages a class gets. The student's
notebooks are only read. The summary has one line per assignment: the points, and the first test
that lost points with its diagnosis.
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import webbrowser
from dataclasses import dataclass
from pathlib import Path

import nbformat

from helpers.grading import RESULT_MIMETYPE

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORK_DIR = REPO_ROOT / "work"
DEFAULT_COURSE_DIR = REPO_ROOT / ".grade-me"
STUDENT = "me"
MARKER = "made-by-grade-me"  # a course folder holding this file is ours to empty before grading again


@dataclass
class Verdict:
    """One assignment's result, as the summary line shows it."""

    assignment: str
    score: float | None        # None: not graded (no notebook in the copy)
    max_score: float | None
    look_at: str               # the first test that lost points, with its diagnosis; "" when none did
    feedback: list             # the feedback pages, one per notebook

    def line(self):
        if self.score is None:
            return f"{self.assignment}: not graded: {self.look_at}"
        points = f"{self.score:g} / {self.max_score:g} points"
        if self.score >= self.max_score:
            return f"{self.assignment}: {points}, full marks: on to the next topic"
        return f"{self.assignment}: {points}; look next at {self.look_at}"


def assignments_in(work_dir):
    """The assignments the student's copy holds, in course order."""
    release = Path(work_dir) / "release"
    return sorted(path.name for path in release.iterdir() if path.is_dir()) if release.is_dir() else []


def prepare_course(course_dir):
    """An empty course folder for this run; refuses to empty a folder grade_me did not make."""
    course_dir = Path(course_dir)
    if course_dir.exists():
        if any(course_dir.iterdir()) and not (course_dir / MARKER).exists():
            raise SystemExit(f"{course_dir} exists and was not made by grade-me: give another --course-dir")
        shutil.rmtree(course_dir)
    course_dir.mkdir(parents=True)
    (course_dir / MARKER).write_text("grade-me's private course: emptied and graded again on every run\n")
    return course_dir


def hand_in(work_dir, course_dir, assignments):
    """Copy each assignment's files from the student's copy to handin/<student>/<assignment>/ (read only)."""
    handin = Path(course_dir) / "handin"
    for assignment in assignments:
        shutil.copytree(Path(work_dir) / "release" / assignment, handin / STUDENT / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return handin


def autograder(*arguments):
    """Run the instructor's command line, `python -m autograder ...`, showing its output as it goes."""
    command = [sys.executable, "-m", "autograder", *map(str, arguments)]
    if subprocess.run(command, cwd=REPO_ROOT).returncode != 0:
        raise SystemExit(f"grading stopped: `{' '.join(command[1:])}` failed (its message is above)")


def first_lost_test(notebook):
    """'<test title>: <diagnosis>' of the first test cell in the graded notebook that did not earn its points."""
    for cell in notebook.cells:
        if cell.cell_type != "code" or not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            continue
        results = [output["data"][RESULT_MIMETYPE] for output in cell.get("outputs", [])
                   if RESULT_MIMETYPE in output.get("data", {})]
        title = cell.source.splitlines()[0].lstrip("# ") if cell.source else cell.metadata.nbgrader["grade_id"]
        if not results:
            if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
                return f"{title}: the test cell stopped with an error (see the feedback page)"
            continue
        result = results[-1]
        if not result.get("passed", False):
            diagnoses = [row["diagnosis"] for row in result.get("rows", []) if not row.get("passed") and row.get("diagnosis")]
            return f"{result.get('title') or title}" + (f": {diagnoses[0]}" if diagnoses else "")
    return ""


def read_verdicts(course_dir, assignments):
    """A Verdict per assignment, from reports/grades.csv and the autograded notebooks (nbgrader's layout)."""
    with open(Path(course_dir) / "reports" / "grades.csv", newline="") as file:
        totals = {row["assignment"]: (float(row["score"]), float(row["max_score"]))
                  for row in csv.DictReader(file) if row["student_id"] == STUDENT}
    verdicts = []
    for assignment in assignments:
        score, max_score = totals.get(assignment, (0.0, None))
        graded = sorted((Path(course_dir) / "autograded" / STUDENT / assignment).glob("*.ipynb"))
        look_at = "" if max_score is not None and score >= max_score else next(
            (found for found in (first_lost_test(nbformat.read(path, as_version=4)) for path in graded) if found),
            "the feedback page")
        feedback = sorted((Path(course_dir) / "feedback" / STUDENT / assignment).glob("*.html"))
        verdicts.append(Verdict(assignment, score, max_score, look_at, feedback))
    return verdicts


def grade_me(work_dir=DEFAULT_WORK_DIR, course_dir=DEFAULT_COURSE_DIR, assignments=None, grade_arguments=()):
    """Grade the chosen assignments of the student's copy; [Verdict] in course order."""
    available = assignments_in(work_dir)
    if not available:
        raise SystemExit(f"no assignments in {work_dir}/release: run `make lab` first, which makes your copy")
    chosen = list(assignments or available)
    missing = [name for name in chosen if name not in available]
    present = [name for name in chosen if name in available]
    course_dir = prepare_course(course_dir)
    verdicts = []
    if present:
        handin = hand_in(work_dir, course_dir, present)
        autograder("collect", handin, "--pattern", "{student}/{assignment}/{file}", "--course", course_dir)
        autograder("run", *present, "--course", course_dir, "--quiet", *grade_arguments)
        verdicts = read_verdicts(course_dir, present)
    verdicts += [Verdict(name, None, None, f"there is no {name} in {work_dir}/release", []) for name in missing]
    return sorted(verdicts, key=lambda verdict: verdict.assignment)


def has_desktop():
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m student.grade_me", description=__doc__.split("\n")[0])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: every one in your copy)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK_DIR, help="your copy (default: work/)")
    parser.add_argument("--course-dir", type=Path, default=DEFAULT_COURSE_DIR,
                        help="where the grading happens (default: .grade-me/, emptied on every run)")
    parser.add_argument("--open", action="store_true", help="open the first feedback page with lost points")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="without bubblewrap: your own code runs unconfined (it is yours, so this is safe)")
    args = parser.parse_args(argv)
    verdicts = grade_me(args.work, args.course_dir, args.assignments, ["--no-sandbox"] if args.no_sandbox else [])
    print("\nyour grades, as the instructor's grader gives them (hidden tests included):")
    for verdict in verdicts:
        print(f"  {verdict.line()}")
    pages = [page for verdict in verdicts for page in verdict.feedback]
    if pages:
        print("feedback pages (the same a class gets):")
        print("\n".join(f"  {page}" for page in pages))
    if args.open and pages:
        lost = [verdict.feedback[0] for verdict in verdicts
                if verdict.feedback and verdict.score is not None and verdict.score < verdict.max_score]
        page = (lost or pages)[0].resolve().as_uri()
        # Without a desktop, webbrowser would start a text browser in this terminal: print the address instead.
        if has_desktop():
            webbrowser.open(page)
        else:
            print(f"no desktop to open a browser on: open {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
