"""`make grade-me` (student/grade_me.py): the student's own copy graded as the instructor's grader would,
hidden tests included, a line per assignment, and the student's files left exactly as they were."""
import csv
import hashlib
import subprocess
import sys

import nbformat
import pytest

from autograder.submissions import fill_answers, solutions
from student import grade_me, work_copy
from support import REPO_ROOT, SOURCE_DIR, selected_assignments

SOLVED, BLANK = "01_perceptron", "02_adaline"


def fingerprints(folder):
    return {path.relative_to(folder): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def points_of(assignment):
    """The assignment's total points, hidden tests included, from source/'s nbgrader metadata."""
    return sum(float(cell.metadata.nbgrader["points"]) for path in sorted((SOURCE_DIR / assignment).glob("*.ipynb"))
               for cell in nbformat.read(path, as_version=4).cells
               if cell.get("metadata", {}).get("nbgrader", {}).get("grade"))


@pytest.fixture
def student_copy(tmp_path):
    """A copy made as `make lab` makes it, with the solved assignment's answers filled in."""
    if not {SOLVED, BLANK} <= set(selected_assignments()):
        pytest.skip(f"{SOLVED} and {BLANK} are not both among COURSE_ASSIGNMENTS")
    work = tmp_path / "work"
    work_copy.update(work, REPO_ROOT)
    path = work / "release" / SOLVED / f"{SOLVED}.ipynb"
    answers = solutions(nbformat.read(SOURCE_DIR / SOLVED / f"{SOLVED}.ipynb", as_version=4))
    nbformat.write(fill_answers(nbformat.read(path, as_version=4), answers), path)
    return work


def test_grade_me_gives_full_points_to_a_solution_zero_to_a_blank_and_leaves_the_copy_alone(student_copy, tmp_path):
    course = tmp_path / "grading"
    before = fingerprints(student_copy)
    result = subprocess.run([sys.executable, "-m", "student.grade_me", SOLVED, BLANK, "--work", str(student_copy),
                             "--course-dir", str(course)], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert fingerprints(student_copy) == before, "grade-me changed the student's files"
    with open(course / "reports" / "grades.csv", newline="") as file:
        scores = {row["assignment"]: (float(row["score"]), float(row["max_score"])) for row in csv.DictReader(file)}
    assert scores == {SOLVED: (points_of(SOLVED), points_of(SOLVED)), BLANK: (0.0, points_of(BLANK))}
    verdicts = {verdict.assignment: verdict for verdict in grade_me.read_verdicts(course, [SOLVED, BLANK])}
    # What to look at next: nothing after full marks; for the blank copy, its first test.
    assert verdicts[SOLVED].look_at == ""
    assert verdicts[BLANK].look_at.startswith(first_test_title(BLANK)), verdicts[BLANK].look_at
    assert all(page.is_file() for verdict in verdicts.values() for page in verdict.feedback)
    assert [verdict.feedback[0].name for verdict in verdicts.values()] == [f"{SOLVED}.html", f"{BLANK}.html"]
    # The feedback a class gets never shows the hidden tests.
    assert "HIDDEN TESTS" not in (course / "feedback" / "me" / SOLVED / f"{SOLVED}.html").read_text()


def first_test_title(assignment):
    """What the first test cell tests, from its first line: '# Test net_input and activation (2 points)'."""
    first = next(cell for cell in nbformat.read(SOURCE_DIR / assignment / f"{assignment}.ipynb", as_version=4).cells
                 if cell.get("metadata", {}).get("nbgrader", {}).get("grade"))
    return first.source.splitlines()[0].removeprefix("# Test ").split(" (")[0]


def test_grade_me_refuses_to_empty_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit, match="not made by grade-me"):
        grade_me.prepare_course(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
