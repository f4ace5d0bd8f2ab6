"""The feedback of assignments 02 and 03: each named mistake, fed into the notebook's own test cell, gets its message.

A test cell is run here as the notebook runs it (the import cell, then the test cell
with its hidden tests), on a student's function written with one typical bug. The
row of the table that fails must name that bug, and the cell must earn exactly the
points the bug leaves. This is fast (no kernel, no nbgrader); the end-to-end test
autogrades whole fixture submissions with nbgrader itself.
"""
import ast

import nbformat
import numpy as np
import pytest

from autograder import release, submissions
from helpers import grading
from support import EXAMPLES_DIR, RELEASE_DIR, SOURCE_DIR, selected_assignments

ADALINE, LOGISTIC = "02_adaline", "03_logistic_regression"


def cell_source(assignment, grade_id):
    notebook = nbformat.read(SOURCE_DIR / assignment / f"{assignment}.ipynb", as_version=4)
    return next(cell.source for cell in notebook.cells if submissions.grade_id(cell) == grade_id)


def run_test_cell(assignment, grade_id, **student_functions):
    """Run the import cell, then test cell grade_id on the student's functions; return (points, check)."""
    namespace = {}
    exec(cell_source(assignment, "imports"), namespace)
    namespace.update(student_functions)
    body = ast.parse(cell_source(assignment, grade_id))
    last = body.body.pop()
    assert isinstance(last, ast.Expr), f"{grade_id} must end with check.points(...)"
    exec(compile(body, grade_id, "exec"), namespace)
    points = eval(compile(ast.Expression(last.value), grade_id, "eval"), namespace)
    return points, namespace["check"]


def diagnosis(check, row_name):
    return next(row for row in check.rows if row.name == row_name).diagnosis


# -- logistic regression: the gradients, loop and vectorized --------------------------


def logistic_gradients_with(bug):
    """A vectorized gradient with one typical bug (or none)."""
    def gradients(X, Y, w, b):
        m = X.shape[1]
        Z = np.dot(w.T, X) + b
        A = 1 / (1 + np.exp(-Z))
        dZ = {"z_instead_of_a": Z - Y, "sign": Y - A}.get(bug, A - Y)
        scale = 1 if bug == "missing_1/m" else m
        dw = np.dot(dZ, X.T) / scale if bug == "transposed" else np.dot(X, dZ.T) / scale
        db = {"axis": np.sum(dZ, axis=0) / m, "keepdims": np.sum(dZ, axis=1, keepdims=True) / m}.get(
            bug, float(np.sum(dZ)) / scale)
        return dw, db
    return gradients


# (bug, row that names it, phrase of the diagnosis, points left of 3)
LOGISTIC_GRADIENT_BUGS = [
    ("missing_1/m", "dw", "the 1/m average over the examples is missing", 0),
    ("sign", "dw", "the sign is flipped", 0),
    ("transposed", "dw", "dw is transposed", 1),
    ("z_instead_of_a", "dw", "dz uses the net input Z instead of the activation A", 0),
    ("z_instead_of_a", "db", "dz uses the net input Z instead of the activation A", 0),
    ("axis", "db", "db is summed over axis=0, which leaves one value per example", 2),
    ("keepdims", "db", "got an array of shape (1, 1); return a plain number here (use float(...) or .item())", 2),
]


@pytest.mark.parametrize("grade_id, name", [("gradients_loop_tests", "gradients_loop"), ("gradients_tests", "gradients")])
@pytest.mark.parametrize("bug, row, phrase, points", LOGISTIC_GRADIENT_BUGS)
def test_logistic_gradient_mistakes_are_named(grade_id, name, bug, row, phrase, points):
    earned, check = run_test_cell(LOGISTIC, grade_id, **{name: logistic_gradients_with(bug)})
    assert phrase in diagnosis(check, row)
    assert earned == points


def test_a_missing_one_over_m_in_db_alone_is_named_in_db_alone():
    def gradients(X, Y, w, b):
        dZ = 1 / (1 + np.exp(-(np.dot(w.T, X) + b))) - Y
        return np.dot(X, dZ.T) / X.shape[1], float(np.sum(dZ))   # db forgot its 1/m
    _, check = run_test_cell(LOGISTIC, "gradients_tests", gradients=gradients)
    failing = [row for row in check.rows if not row.passed]
    assert failing and {row.output.removesuffix(grading.GRADCHECK_SUFFIX) for row in failing} == {"db"}
    assert all("missing from db; divide db by m" in row.diagnosis and "dw" not in row.diagnosis for row in failing)


def test_a_mistake_outside_the_catalogue_is_located_in_the_table():
    def gradients(X, Y, w, b):
        m = X.shape[1]
        dZ = 1 / (1 + np.exp(-(np.dot(w.T, X) + b))) - Y
        dw = np.dot(X, dZ.T) / m
        dw[0] = 0.0                                                 # the first feature's gradient is dropped
        return dw, float(np.sum(dZ)) / m
    _, check = run_test_cell(LOGISTIC, "gradients_tests", gradients=gradients)
    failing = [row for row in check.rows if not row.passed]
    assert failing and {row.output.removesuffix(grading.GRADCHECK_SUFFIX) for row in failing} == {"dw"}
    for row in failing:
        assert row.kind == "undiagnosed"
        if row.expected_shape == "(1, 1)":   # one feature: the only entry is the first
            assert row.diagnosis.startswith("wrong value: 0 where ") and row.diagnosis.endswith(" is expected.")
        else:
            assert row.diagnosis == "wrong values in row 0 (counted from 0) and nowhere else, where yours are 0."
    assert "rel. error = max |yours - expected| / max |entry|" in str(check)


def test_right_logistic_gradients_earn_every_point_in_both_cells():
    for grade_id, name in [("gradients_loop_tests", "gradients_loop"), ("gradients_tests", "gradients")]:
        earned, check = run_test_cell(LOGISTIC, grade_id, **{name: logistic_gradients_with(None)})
        assert earned == 3 and not check.failures, grade_id


def test_a_wrong_gradient_is_also_caught_by_central_differences():
    _, check = run_test_cell(LOGISTIC, "gradients_tests", gradients=logistic_gradients_with("sign"))
    assert not next(row for row in check.rows if row.name == "dw vs central difference").passed
    assert "sign is flipped" in diagnosis(check, "dw vs central difference")


def gradients_with_a_loop(X, Y, w, b):
    m = X.shape[1]
    dw, db = np.zeros_like(w), 0.0
    for i in range(m):
        dz = 1 / (1 + np.exp(-(np.dot(w.T, X[:, [i]]).item() + b))) - Y[0, i]
        dw = dw + X[:, [i]] * dz
        db = db + dz
    return dw / m, db / m


def gradients_with_a_comprehension(X, Y, w, b):
    m = X.shape[1]
    dZ = np.array([[1 / (1 + np.exp(-(np.dot(w.T, X[:, [i]]).item() + b))) for i in range(m)]]) - Y
    return np.dot(X, dZ.T) / m, float(np.sum(dZ)) / m


def gradients_that_call_the_loop(X, Y, w, b):
    return gradients_loop(X, Y, w, b)  # noqa: F821 (the student's own loop version, swapped in below)


@pytest.mark.parametrize("student, phrase", [
    (gradients_with_a_loop, "still runs a Python loop, a for loop at line"),
    (gradients_with_a_comprehension, "still runs a Python loop, a list comprehension at line"),
    (gradients_that_call_the_loop, "a for loop in `gradients_loop` (called by `gradients_that_call_the_loop`)"),
])
def test_a_vectorized_gradient_with_a_python_loop_earns_nothing(student, phrase, monkeypatch):
    """The grade measures the loop's cost (helpers/cputime.py); reading the code names it, as advice."""
    monkeypatch.setitem(globals(), "gradients_loop", gradients_with_a_loop)
    earned, check = run_test_cell(LOGISTIC, "gradients_tests", gradients=student)
    assert [row.name for row in check.failures] == ["no loop over the examples or the features"], \
        "the values are right"
    assert "examples" in diagnosis(check, "no loop over the examples or the features")
    assert any(note.startswith("Advice, not graded") and phrase in note for note in check.notes)
    assert earned == 0


def gradients_with_a_piecewise_sigmoid(X, Y, w, b):
    Z = np.dot(w.T, X) + b
    A = np.piecewise(Z, [Z >= 0, Z < 0], [lambda t: 1 / (1 + np.exp(-t)), lambda t: np.exp(t) / (1 + np.exp(t))])
    dZ = A - Y
    return np.dot(X, dZ.T) / X.shape[1], float(np.sum(dZ)) / X.shape[1]


def test_an_honest_vectorized_gradient_in_a_style_of_its_own_earns_everything():
    earned, check = run_test_cell(LOGISTIC, "gradients_tests", gradients=gradients_with_a_piecewise_sigmoid)
    assert earned == 3 and not check.failures, check.failures


def test_the_loop_version_may_loop():
    earned, check = run_test_cell(LOGISTIC, "gradients_loop_tests", gradients_loop=gradients_with_a_loop)
    assert earned == 3 and not check.failures


# -- logistic regression: the sigmoid and the cost --------------------------------------


def textbook_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_with_flipped_exponent(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))


def test_an_overflowing_sigmoid_is_named_and_earns_nothing():
    earned, check = run_test_cell(LOGISTIC, "sigmoid_tests", sigmoid=textbook_sigmoid)
    assert "np.exp overflowed" in diagnosis(check, "no overflow [|z| up to 1000]")
    assert diagnosis(check, "A [|z| up to 1000]") == "", "the values are right, only the overflow is wrong"
    assert any("overflow encountered in exp" in note for note in check.notes)
    assert earned == 0


def test_a_sigmoid_with_the_flipped_exponent_is_named():
    earned, check = run_test_cell(LOGISTIC, "sigmoid_tests", sigmoid=sigmoid_with_flipped_exponent)
    assert "uses e^z where e^-z belongs" in diagnosis(check, "A")
    assert earned == 0


def cost_with(bug):
    def cost(A, Y):
        m = Y.shape[1]
        if bug != "unclipped":
            A = np.clip(A, 1e-12, 1 - 1e-12)
        total = np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        return float({"sign": total / m, "sum": -total}.get(bug, -total / m))
    return cost


def test_log_of_zero_in_the_cost_is_named():
    earned, check = run_test_cell(LOGISTIC, "cost_tests", cost=cost_with("unclipped"))
    assert diagnosis(check, "cost") == "", "nothing saturates in the first example"
    assert "log(0)" in diagnosis(check, "cost [A exactly 0 and 1]")   # nan: 0 * log(0)
    assert "log(0) = -inf" in diagnosis(check, "cost [confidently wrong] is large but finite")  # inf
    assert "got inf" in diagnosis(check, "cost [confidently wrong] is large but finite")
    assert earned == 0


@pytest.mark.parametrize("bug, phrase", [("sign", "the sign is flipped"), ("sum", "divide their sum by m")])
def test_other_cost_mistakes_are_named(bug, phrase):
    earned, check = run_test_cell(LOGISTIC, "cost_tests", cost=cost_with(bug))
    assert phrase in diagnosis(check, "cost")
    assert earned == 0


def test_a_stable_cost_from_clipping_earns_every_point():
    earned, check = run_test_cell(LOGISTIC, "cost_tests", cost=cost_with(None))
    assert earned == 3 and not check.failures


# -- Adaline: the gradient and the epoch ------------------------------------------------


def adaline_gradients_with(bug):
    def gradients(X, Y, w, b):
        Z = np.dot(w.T, X) + b
        errors = Y - (np.where(Z >= 0, 1, -1) if bug == "step" else Z)
        sign = 1 if bug == "sign" else -1
        scale = X.shape[1] if bug == "mean" else 1
        dw = sign * np.dot(errors, X.T) / scale if bug == "transposed" else sign * np.dot(X, errors.T) / scale
        db = {"axis": -np.sum(errors, axis=0), "keepdims": -np.sum(errors, axis=1, keepdims=True)}.get(
            bug, sign * float(np.sum(errors)) / scale)
        return dw, db
    return gradients


ADALINE_GRADIENT_BUGS = [
    ("mean", "dw", "Adaline's cost is the sum of squared errors, not their mean", 0),
    ("sign", "dw", "the sign is flipped", 0),
    ("transposed", "dw", "dw is transposed", 1),
    ("step", "dw", "the errors use the predicted labels (the unit step of Z)", 0),
    ("axis", "db", "db is summed over axis=0, which leaves one value per example", 3),
    ("keepdims", "db", "got an array of shape (1, 1); return a plain number here", 3),
]


@pytest.mark.parametrize("bug, row, phrase, points", ADALINE_GRADIENT_BUGS)
def test_adaline_gradient_mistakes_are_named(bug, row, phrase, points):
    earned, check = run_test_cell(ADALINE, "gradients_tests", gradients=adaline_gradients_with(bug))
    assert phrase in diagnosis(check, row)
    assert earned == points


def test_right_adaline_gradients_earn_every_point():
    earned, check = run_test_cell(ADALINE, "gradients_tests", gradients=adaline_gradients_with(None))
    assert earned == 4 and not check.failures


def adaline_cost_without_the_half(X, Y, w, b):
    return float(np.sum((Y - (np.dot(w.T, X) + b)) ** 2))


def test_adaline_cost_without_the_half_is_named():
    earned, check = run_test_cell(ADALINE, "cost_tests", cost=adaline_cost_without_the_half)
    assert "twice too large" in diagnosis(check, "cost")
    assert earned == 0


def sgd_epoch_in_column_order(X, Y, w, b, eta, rng):
    total = 0.0
    for i in range(X.shape[1]):
        error = Y[0, i] - (np.dot(w.T, X[:, [i]]).item() + b)
        total += 0.5 * error ** 2
        w, b = w + eta * error * X[:, [i]], b + eta * error
    return w, b, total / X.shape[1]


def test_an_sgd_epoch_without_shuffling_is_named():
    earned, check = run_test_cell(ADALINE, "sgd_epoch_tests", sgd_epoch=sgd_epoch_in_column_order)
    assert "visits the examples in column order" in diagnosis(check, "w")
    assert earned == 0


# -- the fixtures and the points they assume --------------------------------------------


def grade_points(assignment):
    notebook = nbformat.read(SOURCE_DIR / assignment / f"{assignment}.ipynb", as_version=4)
    return {cell.metadata.nbgrader.grade_id: cell.metadata.nbgrader.points
            for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")}


def test_the_assignments_are_worth_the_points_the_fixtures_assume():
    assert grade_points(ADALINE) == {"net_input_tests": 2, "cost_tests": 2, "gradients_tests": 4, "batch_step_tests": 2,
                                     "standardize_tests": 3, "fit_batch_tests": 3, "sgd_epoch_tests": 3,
                                     "question_first_cost_tests": 1, "question_twice_the_rate_tests": 1}
    assert grade_points(LOGISTIC) == {"sigmoid_tests": 2, "cost_tests": 3, "gradients_loop_tests": 3,
                                      "gradients_tests": 3, "optimize_tests": 3, "predict_tests": 2,
                                      "question_cost_at_zero_tests": 1, "question_raw_sizes_tests": 1}


# -- check-your-understanding questions: the solution's answer passes, another fails only in the hidden test -----

QUESTIONS = [("01_perceptron", "question_bias_change", 0.1), ("01_perceptron", "question_eta_ten_times", "a"),
             (ADALINE, "question_first_cost", 0.5), (ADALINE, "question_twice_the_rate", "a"),
             (LOGISTIC, "question_cost_at_zero", 0.5), (LOGISTIC, "question_raw_sizes", "b")]


def run_question(assignment, grade_id, source):
    """Run the answer cell's code, then the question's test cell (with its hidden test); return the Check."""
    namespace = {}
    exec(source, namespace)
    try:
        exec(cell_source(assignment, f"{grade_id}_tests"), namespace)
    except AssertionError:
        pass
    return namespace["check"]


@pytest.mark.parametrize("assignment, grade_id, wrong", QUESTIONS)
def test_a_question_grades_the_right_answer_and_only_the_hidden_test_knows_it(assignment, grade_id, wrong):
    notebook = nbformat.read(SOURCE_DIR / assignment / f"{assignment}.ipynb", as_version=4)
    solution = submissions.solutions(notebook)[grade_id]
    name = solution.strip().splitlines()[-1].split("=")[0].strip()
    assert not run_question(assignment, grade_id, solution).failures
    check = run_question(assignment, grade_id, f"{name} = {wrong!r}")
    form, value = check.rows
    assert form.passed and not value.passed and value.name == name


@pytest.mark.parametrize("assignment, grade_id, wrong", QUESTIONS)
def test_a_question_hides_its_answer_from_the_release(assignment, grade_id, wrong):
    notebook = nbformat.read(RELEASE_DIR / assignment / f"{assignment}.ipynb", as_version=4)
    (test_cell,) = [cell.source for cell in notebook.cells if submissions.grade_id(cell) == f"{grade_id}_tests"]
    (answer_cell,) = [cell.source for cell in notebook.cells if submissions.grade_id(cell) == grade_id]
    assert "expected=" not in test_cell and "raise NotImplementedError()" in answer_cell


@pytest.mark.parametrize("assignment", [name for name in (ADALINE, LOGISTIC) if name in selected_assignments()])
def test_the_hidden_tests_fixture_passes_every_visible_test(assignment, tmp_path):
    """So the points it loses in the end-to-end test can only come from the hidden tests."""
    release_notebook = nbformat.read(RELEASE_DIR / assignment / f"{assignment}.ipynb", as_version=4)
    answers = submissions.read_fixture(EXAMPLES_DIR / assignment / "passes_visible_tests_only.py")
    path = tmp_path / f"{assignment}.ipynb"
    nbformat.write(submissions.fill_answers(release_notebook, answers), path)
    assert release.validate(path) == {}


def test_a_cost_returned_as_a_zero_dimensional_array_earns_every_point():
    earned, check = run_test_cell(LOGISTIC, "cost_tests", cost=lambda A, Y: np.asarray(cost_with(None)(A, Y)))
    assert earned == 3 and not check.failures


def cost_clipped_too_loosely(A, Y):
    A = np.clip(A, 1e-3, 1 - 1e-3)
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def test_a_cost_clipped_too_loosely_is_told_so():
    earned, check = run_test_cell(LOGISTIC, "cost_tests", cost=cost_clipped_too_loosely)
    assert "too little for predictions that are certain and wrong" in diagnosis(
        check, "cost [confidently wrong] is large but finite")
    assert earned == 0
