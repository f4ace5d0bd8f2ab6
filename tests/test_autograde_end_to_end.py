"""The whole path, author -> release -> student -> autograde -> score, in a throwaway course.

For every assignment in source/, nbgrader generates the student version, and
students submit: the instructor's solutions (full marks), the untouched release
(zero), and every hand-written fixture in examples/submissions/<assignment>/,
each of which states the score of every cell it must lose points on. `nbgrader
autograde` grades them all, and the gradebook must hold exactly those scores.

The same class, but for its attacks and tricks, is graded a second time with the test
cells in the student's kernel (nbgrader's own way, as in JupyterLab's Validate): every
cell must get the same points and the same table (the toolkit's result as data) both ways.
"""
import shutil
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import release, submissions
from helpers import codecheck
from support import EXAMPLES_DIR, RELEASE_DIR, SOURCE_DIR, selected_assignments

ASSIGNMENTS = selected_assignments()
# Attacks work in the student's kernel (that is why test cells run in the trusted grader), and tricks that are
# harmless to the trusted grader may not be in the kernel: the two ways are compared on the other fixtures, and
# only those are graded in the kernel.
NOT_COMPARED = submissions.TRICKS


def fixtures(assignment):
    return sorted((EXAMPLES_DIR / assignment).glob("*.py"))


def grade_cells(assignment):
    """{(notebook, grade_id): points} of every graded cell of the assignment."""
    return {(path.stem, cell.metadata.nbgrader.grade_id): float(cell.metadata.nbgrader.points)
            for path in release.notebooks(SOURCE_DIR / assignment)
            for cell in nbformat.read(path, as_version=4).cells if cell.metadata.get("nbgrader", {}).get("grade")}


def expected_scores(assignment, student):
    """{(notebook, grade_id): score} the student must get."""
    cells = grade_cells(assignment)
    if student == "solutions":
        return cells
    if student == "untouched":
        return dict.fromkeys(cells, 0.0)
    lost = submissions.read_expected_scores(EXAMPLES_DIR / assignment / f"{student}.py")
    unknown = set(lost) - {grade_id for _, grade_id in cells}
    assert not unknown, f"the fixture {student} expects scores for unknown cells {unknown}"
    return {(notebook, grade_id): lost.get(grade_id, points) for (notebook, grade_id), points in cells.items()}


def students(assignment):
    return ["solutions", "untouched"] + [path.stem for path in fixtures(assignment)]


def nbgrader(course_root, *args):
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course_root,
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def autograde_class(root, trusted_tests):
    """A throwaway course holding every assignment and its fixtures (with the test cells in the student's kernel,
    only those compared), autograded once."""
    shutil.copytree(SOURCE_DIR, root / "source")
    (root / "nbgrader_config.py").write_text(textwrap.dedent(f"""\
        from autograder.course import nbgrader_config
        c = get_config()
        c.merge(nbgrader_config({str(root)!r}, source_dir={str(root / 'source')!r}, trusted_tests={trusted_tests}))
        """))
    for assignment in ASSIGNMENTS:
        nbgrader(root, "generate_assignment", assignment, "--force")
        for path in release.notebooks(root / "source" / assignment):
            release_notebook = nbformat.read(root / "release" / assignment / path.name, as_version=4)
            answers = {"solutions": submissions.solutions(nbformat.read(path, as_version=4)), "untouched": {}}
            answers.update({fixture.stem: submissions.read_fixture(fixture, answers["solutions"])
                            for fixture in fixtures(assignment)
                            if trusted_tests or not fixture.stem.startswith(NOT_COMPARED)})
            for student, cells in answers.items():
                notebook = submissions.fill_answers(release_notebook, cells)
                submissions.write_submission(notebook, root, student, assignment, path.name)
        nbgrader(root, "autograde", assignment, "--force")
    return root


@pytest.fixture(scope="module")
def graded_both_ways(tmp_path_factory):
    """{trusted_tests: course root}: the class graded the course's way (test cells in the trusted grader) and with
    the test cells in the student's kernel, at the same time (two courses, two nbgrader processes)."""
    roots = {True: tmp_path_factory.mktemp("course"), False: tmp_path_factory.mktemp("in_kernel")}
    with ThreadPoolExecutor(len(roots)) as pool:
        graded = {trusted: pool.submit(autograde_class, root, trusted) for trusted, root in roots.items()}
        return {trusted: future.result() for trusted, future in graded.items()}


@pytest.fixture(scope="module")
def graded_class(graded_both_ways):
    return graded_both_ways[True]


@pytest.fixture(scope="module")
def gradebook(graded_class):
    with Gradebook(f"sqlite:///{graded_class / 'gradebook.db'}") as book:
        yield book


@pytest.fixture(scope="module")
def graded_in_kernel(graded_both_ways):
    return graded_both_ways[False]


def cell_results(root, assignment, student):
    """{(notebook, grade_id): (score, [the toolkit's tables as data])} of one autograded submission."""
    from autograder.report import check_results

    results = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as book:
        for path in sorted((root / "autograded" / student / assignment).glob("*.ipynb")):
            tables = {}
            test_cells = {cell for notebook, cell in grade_cells(assignment) if notebook == path.stem}
            for grade_id, data in check_results(nbformat.read(path, as_version=4), test_cells):
                tables.setdefault(grade_id, []).append(data)
            for notebook, cell in grade_cells(assignment):
                if notebook == path.stem:
                    results[notebook, cell] = (book.find_grade(cell, notebook, assignment, student).score,
                                               tables.get(cell, []))
    return results


CASES = [(assignment, student) for assignment in ASSIGNMENTS for student in students(assignment)]


def test_every_assignment_has_a_fixture_with_mistakes():
    assert all(fixtures(assignment) for assignment in ASSIGNMENTS)


def test_the_perceptron_is_worth_the_points_the_fixtures_assume():
    assert grade_cells("01_perceptron") == {("01_perceptron", cell): points for cell, points in
                                            {"net_input_tests": 2, "predict_tests": 2, "update_step_tests": 3,
                                             "train_epoch_tests": 3, "fit_tests": 2, "question_bias_change_tests": 1,
                                             "question_eta_ten_times_tests": 1}.items()}


def test_the_hard_coded_predict_passes_the_visible_tests(tmp_path):
    """So its lost points in the gradebook can only come from the hidden tests."""
    release_notebook = nbformat.read(RELEASE_DIR / "01_perceptron" / "01_perceptron.ipynb", as_version=4)
    answers = submissions.read_fixture(EXAMPLES_DIR / "01_perceptron" / "passes_visible_tests_only.py")
    path = tmp_path / "01_perceptron.ipynb"
    nbformat.write(submissions.fill_answers(release_notebook, answers), path)
    assert release.validate(path) == {}


@pytest.mark.parametrize("assignment, student", CASES)
def test_every_cell_scores_exactly_as_expected(gradebook, assignment, student):
    expected = expected_scores(assignment, student)
    scores = {(notebook, cell): gradebook.find_grade(cell, notebook, assignment, student).score
              for notebook, cell in expected}
    assert scores == expected


@pytest.mark.parametrize("assignment, student", [case for case in CASES if not case[1].startswith(NOT_COMPARED)])
def test_the_trusted_grader_and_the_students_kernel_agree(graded_class, graded_in_kernel, assignment, student):
    trusted, in_kernel = (cell_results(root, assignment, student) for root in (graded_class, graded_in_kernel))
    assert trusted.keys() == in_kernel.keys() and trusted
    for cell in trusted:
        assert trusted[cell][0] == in_kernel[cell][0], f"{cell}: not the same points"
        assert _graded(trusted[cell][1]) == _graded(in_kernel[cell][1]), f"{cell}: not the same table"


def _graded(tables):
    """The tables without the notes of advice from reading the code: the kernel reads the functions it holds (a
    decorator's wrapper, say), the grader the cells the kernel ran, and neither reading is graded."""
    return [{**table, "notes": [note for note in table["notes"] if not note["text"].startswith(codecheck.ADVICE)]}
            for table in tables]


def test_a_result_that_is_not_data_is_refused_with_a_clear_message(graded_class):
    if "01_perceptron" not in ASSIGNMENTS:
        pytest.skip("01_perceptron is not among COURSE_ASSIGNMENTS")
    results = cell_results(graded_class, "01_perceptron", "attack_returns_an_object")
    (table,) = results["01_perceptron", "net_input_tests"][1]
    diagnoses = [row["diagnosis"] for row in table["rows"] if not row["passed"]]
    assert any("returned _Agreeable object, which is not data" in diagnosis for diagnosis in diagnoses), diagnoses


def test_a_forgotten_learning_rate_is_named_as_such(graded_class):
    """The update is diagnosed by its change: 1/eta times the right one (helpers/grading.py, _update_diagnosis)."""
    if "01_perceptron" not in ASSIGNMENTS:
        pytest.skip("01_perceptron is not among COURSE_ASSIGNMENTS")
    results = cell_results(graded_class, "01_perceptron", "forgotten_learning_rate")
    tables = results["01_perceptron", "update_step_tests"][1]
    diagnoses = [row["diagnosis"] for table in tables for row in table["rows"] if not row["passed"]]
    assert diagnoses and all("the learning rate is missing from the update" in diagnosis for diagnosis in diagnoses), \
        diagnoses


def test_a_step_pasted_from_assignment_4_is_named_as_such(graded_class):
    """Homework 05's network is trained on the squared error: assignment 4's cross-entropy step is named, in its
    cost and in every gradient (helpers/answers/vectorization.py)."""
    if "05_vectorization" not in ASSIGNMENTS:
        pytest.skip("05_vectorization is not among COURSE_ASSIGNMENTS")
    results = cell_results(graded_class, "05_vectorization", "pasted_from_assignment_04")
    tables = results["05_vectorization", "same_results_tests"][1]
    failed = [(row["output"], row["diagnosis"]) for table in tables for row in table["rows"] if not row["passed"]]
    assert failed and all("cross-entropy" in diagnosis for _, diagnosis in failed), failed
    assert {"cost", "dW1", "db1", "dW2", "db2", "W1", "b1", "W2", "b2"} <= {output for output, _ in failed}, failed


@pytest.mark.parametrize("assignment, student", CASES)
def test_total_score(gradebook, assignment, student):
    expected = expected_scores(assignment, student)
    submission = gradebook.find_submission(assignment, student)
    assert (submission.score, submission.max_score) == (sum(expected.values()), sum(grade_cells(assignment).values()))


def test_perceptron_totals():
    """The numbers an instructor would read off the gradebook, spelled out."""
    named = {"solutions": 14.0, "untouched": 0.0, "two_mistakes": 8.0, "passes_visible_tests_only": 11.0,
             "correct_with_harmless_tricks": 14.0, "attack_patch_toolkit": 12.0}
    assert {student: sum(expected_scores("01_perceptron", student).values()) for student in named} == named


def test_a_failing_test_cell_ends_in_its_summary_both_ways(graded_class, graded_in_kernel):
    """The error a failing test cell records is the toolkit's short summary of its table, never a traceback, in the
    trusted grader and in the student's kernel alike (nbgrader scores the cell 0 either way: see the scores above)."""
    from helpers import grading

    if "01_perceptron" not in ASSIGNMENTS:
        pytest.skip("01_perceptron is not among COURSE_ASSIGNMENTS")
    tracebacks = []
    for root in (graded_class, graded_in_kernel):
        notebook = nbformat.read(root / "autograded" / "two_mistakes" / "01_perceptron" / "01_perceptron.ipynb",
                                 as_version=4)
        (cell,) = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == "predict_tests"]
        (error,) = [output for output in cell.outputs if output.output_type == "error"]
        (table,) = [output.data[grading.RESULT_MIMETYPE] for output in cell.outputs
                    if grading.RESULT_MIMETYPE in output.get("data", {})]
        assert error.ename == "ChecksFailed"
        text = "\n".join(error.traceback)
        failed = [row for row in table["rows"] if not row["passed"]]
        assert failed and f"predict: {len(failed)} of {len(table['rows'])} checks failed." in text
        assert all(row["diagnosis"] in text for row in failed)
        assert "Traceback" not in text and "helpers/" not in text
        tracebacks.append(error.traceback)
    assert tracebacks[0] == tracebacks[1]
