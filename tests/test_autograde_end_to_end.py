"""The whole path, author -> release -> student -> autograde -> score, in a throwaway course.

nbgrader generates the assignment from source/, three students submit (the
instructor's solutions, the untouched release, a hand-written notebook with two
typical mistakes), `nbgrader autograde` grades them, and the gradebook must hold
exactly the expected scores, cell by cell.
"""
import shutil
import subprocess
import sys
import textwrap

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import submissions
from support import FIXTURES_DIR, SOURCE_DIR

ASSIGNMENT = "01_perceptron"
NOTEBOOK = "01_perceptron.ipynb"
POINTS = {"net_input_tests": 2, "predict_tests": 2, "update_step_tests": 3, "train_epoch_tests": 3, "fit_tests": 2}
# Which cells each submission must lose, all their points, and nothing else.
EXPECTED_LOST = {
    "solutions": set(),
    "untouched": set(POINTS),
    "two_mistakes": {"predict_tests", "update_step_tests"},
}
EXPECTED_TOTAL = {"solutions": 12.0, "untouched": 0.0, "two_mistakes": 7.0}


def nbgrader(course_root, *args):
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course_root,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(SOURCE_DIR / ASSIGNMENT, root / "source" / ASSIGNMENT)
    (root / "nbgrader_config.py").write_text(textwrap.dedent(f"""\
        from autograder.course import nbgrader_config
        c = get_config()
        c.merge(nbgrader_config({str(root)!r}, source_dir={str(root / 'source')!r}))
        """))
    nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    release_notebook = nbformat.read(root / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    source_notebook = nbformat.read(root / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    answers = {
        "solutions": submissions.solutions(source_notebook),
        "untouched": {},
        "two_mistakes": submissions.read_fixture(FIXTURES_DIR / "submissions" / ASSIGNMENT / "two_mistakes.py"),
    }
    for student, cells in answers.items():
        notebook = submissions.fill_answers(release_notebook, cells)
        submissions.write_submission(notebook, root, student, ASSIGNMENT, NOTEBOOK)
    nbgrader(root, "autograde", ASSIGNMENT, "--force")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as book:
        yield book


def test_the_assignment_has_the_points_this_test_expects():
    notebook = nbformat.read(SOURCE_DIR / ASSIGNMENT / NOTEBOOK, as_version=4)
    points = {cell.metadata.nbgrader.grade_id: cell.metadata.nbgrader.points
              for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")}
    assert points == POINTS


@pytest.mark.parametrize("student", sorted(EXPECTED_LOST))
def test_each_cell_scores_exactly_as_expected(gradebook, student):
    scores = {cell: gradebook.find_grade(cell, "01_perceptron", ASSIGNMENT, student).score for cell in POINTS}
    expected = {cell: 0.0 if cell in EXPECTED_LOST[student] else float(points) for cell, points in POINTS.items()}
    assert scores == expected


@pytest.mark.parametrize("student", sorted(EXPECTED_TOTAL))
def test_total_score(gradebook, student):
    submission = gradebook.find_submission(ASSIGNMENT, student)
    assert (submission.score, submission.max_score) == (EXPECTED_TOTAL[student], 12.0)
