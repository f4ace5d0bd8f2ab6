"""The self-checks of assignments 01-03 ("look at what you built"): with the course's functions they agree with the
lecture at every step (so the numbers they quote are the course's own run), and with one wrong function they name
that function, not a later one whose test the course's stand-ins keep green."""
import contextlib
import io

import nbformat
import numpy as np
import pytest

from helpers import datasets
from helpers.reference import activations, adaline, logistic, perceptron, preprocessing
from support import SOURCE_DIR

MARKER = "# Self-check:"


def self_check_code(assignment):
    path = SOURCE_DIR / assignment / f"{assignment}.ipynb"
    (source,) = [cell.source for cell in nbformat.read(path, as_version=4).cells if MARKER in cell.source]
    return source[source.index(MARKER):]


def run_self_check(assignment, namespace):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(self_check_code(assignment), {"np": np, **namespace})  # noqa: S102 (the course's own cell)
    return printed.getvalue()


def perceptron_run(update_step=perceptron.update_step):
    def train_epoch(X, Y, w, b, eta):  # the course's, over the given update_step
        errors = 0
        for i in range(X.shape[1]):
            x, y = X[:, i:i + 1], int(Y[0, i])
            errors += int(perceptron.predict(x, w, b).item() != y)
            w, b = update_step(x, y, w, b, eta)
        return w, b, errors

    def fit(X, Y, eta, num_epochs):
        w, b, errors = np.zeros((X.shape[0], 1)), 0.0, []
        for _ in range(num_epochs):
            w, b, count = train_epoch(X, Y, w, b, eta)
            errors.append(count)
        return w, b, errors

    X_iris, Y_iris = datasets.load_iris_subset()
    w, b, errors = fit(X_iris, Y_iris, 0.1, 10)
    return {"predict": perceptron.predict, "update_step": update_step, "train_epoch": train_epoch,
            "X_iris": X_iris, "Y_iris": Y_iris, "w": w, "b": b, "errors": errors}


def adaline_run(gradients=adaline.gradients):
    X_iris, Y_iris = datasets.load_iris_subset()
    X_std, mean, std = preprocessing.standardize(X_iris)

    def batch_step(X, Y, w, b, eta):
        dw, db = gradients(X, Y, w, b)
        return w - eta * dw, b - eta * db

    w, b, costs = np.zeros((2, 1)), 0.0, []
    for _ in range(15):
        costs.append(adaline.cost(X_std, Y_iris, w, b))
        w, b = batch_step(X_std, Y_iris, w, b, 0.01)
    return {"X_std": X_std, "Y_iris": Y_iris, "mean": mean, "std": std, "cost": adaline.cost,
            "gradients": gradients, "batch_step": batch_step, "costs_batch": costs}


def logistic_run():
    X_shirts, Y_shirts = datasets.shirt_sizes()
    mu, sigma = X_shirts.mean(), X_shirts.std()
    X_scaled = (X_shirts - mu) / sigma
    w, b, costs = logistic.optimize(X_scaled, Y_shirts, np.zeros((1, 1)), 0.0, 1.0, 2000, 100)
    return {"X_scaled": X_scaled, "Y_shirts": Y_shirts, "mu": mu, "sigma": sigma, "w": w, "b": b, "costs": costs,
            "sigmoid": activations.sigmoid, "cost": logistic.cost, "gradients": logistic.gradients}


@pytest.mark.parametrize("assignment, run", [("01_perceptron", perceptron_run), ("02_adaline", adaline_run),
                                             ("03_logistic_regression", logistic_run)])
def test_with_the_course_s_functions_every_step_agrees_with_the_lecture(assignment, run):
    printed = run_self_check(assignment, run())
    assert printed.startswith("Self-check: your run agrees with the lecture's at every step"), printed


def test_a_perceptron_step_without_the_learning_rate_is_named_by_the_self_check():
    """Without eta every weight is ten times the lecture's but the mistakes are the same (the perceptron from zero
    does not care about its rate): train_epoch's and fit's tests are green, update_step is to blame."""
    def without_eta(x, y, w, b, eta):
        return perceptron.update_step(x, y, w, b, 1.0)

    printed = run_self_check("01_perceptron", perceptron_run(without_eta))
    assert printed.startswith("Self-check: MISMATCH at `update_step`"), printed
    assert "the tests of `train_epoch`, `fit` use the course's `update_step`" in printed


def test_adaline_gradients_without_the_sign_are_named_by_the_self_check():
    def flipped(X, Y, w, b):
        dw, db = adaline.gradients(X, Y, w, b)
        return -dw, -db

    printed = run_self_check("02_adaline", adaline_run(flipped))
    assert printed.startswith("Self-check: MISMATCH at `gradients`"), printed
