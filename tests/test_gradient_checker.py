"""Assignment 04's gradient checker (numerical_gradients, relative_error): the course's version agrees with
backpropagation to within the central difference's own error, each usual mistake of a checker is named by its
test, and backpropagation's exact gradients cannot pass for central differences."""
import numpy as np
import pytest

from helpers import grading
from helpers.gradcheck import error_relative_to_largest
from helpers.reference import shallow
from helpers.specs import shallow_network as spec

GRADED = spec.GRADED


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_course_s_checker_agrees_with_backpropagation_to_the_difference_s_own_error(seed):
    X, Y, params, _ = spec.random_problem(np.random.default_rng(seed), max_hiddens=3, max_examples=12)
    exact = shallow.backward(params, shallow.forward(X, params)[1], X, Y)
    before = {name: value.copy() for name, value in params.items()}
    errors = {}
    for epsilon in (1e-1, 1e-2, 1e-3):
        estimate = shallow.numerical_gradients(params, X, Y, epsilon)
        errors[epsilon] = max(error_relative_to_largest(estimate[name], exact[name]) for name in exact)
    assert all(np.array_equal(params[name], before[name]) for name in params), "params must be left unchanged"
    # an error of order epsilon squared: a hundred times smaller for a ten times smaller step
    assert errors[1e-2] < errors[1e-1] / 30 and errors[1e-3] < errors[1e-2] / 30, errors
    estimate = shallow.numerical_gradients(params, X, Y)
    assert max(error_relative_to_largest(estimate[name], exact[name]) for name in exact) < 1e-7


# A student's checkers call the notebook's forward_propagation and compute_cost by name: while a check runs, the
# course's versions stand in for them (grading.stand_ins), as in the notebook.
def forward_propagation(X, params):
    raise AssertionError("the course's forward pass stands in for this one while a check runs")


def compute_cost(A2, Y):
    raise AssertionError("the course's cost stands in for this one while a check runs")


def central(params, X, Y, epsilon=1e-6, step=None):
    """The notebook's solution; with step, another difference from the costs at the moved points."""
    grads = {}
    for name in ("W1", "b1", "W2", "b2"):
        grad = np.zeros(params[name].shape)
        for index in np.ndindex(params[name].shape):
            moved = {key: value.copy() for key, value in params.items()}
            moved[name][index] += epsilon
            cost_plus = compute_cost(forward_propagation(X, moved)[0], Y)
            moved[name][index] -= 2 * epsilon
            cost_minus = compute_cost(forward_propagation(X, moved)[0], Y)
            cost_here = compute_cost(forward_propagation(X, params)[0], Y)
            grad[index] = (step or (lambda plus, minus, here: (plus - minus) / (2 * epsilon)))(
                cost_plus, cost_minus, cost_here)
        grads["d" + name] = grad
    return grads


def named_as_the_notebook_s(function):
    """function under the notebook's name, which is how the check finds the stand-ins it calls."""
    def numerical_gradients(params, X, Y, epsilon=1e-6):
        return function(params, X, Y, epsilon)
    return numerical_gradients


def one_sided(params, X, Y, epsilon=1e-6):
    return central(params, X, Y, epsilon, step=lambda plus, minus, here: (plus - here) / epsilon)


def over_epsilon(params, X, Y, epsilon=1e-6):
    return central(params, X, Y, epsilon, step=lambda plus, minus, here: (plus - minus) / epsilon)


def backpropagation(params, X, Y, epsilon=1e-6):
    """Returns the exact gradients, written out (a student's own backward pass)."""
    m = X.shape[1]
    A1 = np.tanh(params["W1"] @ X + params["b1"])
    A2 = 1 / (1 + np.exp(-(params["W2"] @ A1 + params["b2"])))
    dZ2 = A2 - Y
    dZ1 = (params["W2"].T @ dZ2) * (1 - A1 ** 2)
    return {"dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m, "dW2": dZ2 @ A1.T / m,
            "db2": dZ2.sum(axis=1, keepdims=True) / m}


@pytest.mark.parametrize("student, words", [
    (one_sided, "one-sided difference"), (over_epsilon, "divide J(theta + epsilon) - J(theta - epsilon) by 2 epsilon"),
    (backpropagation, "the gradients of backpropagation, not central differences")])
@pytest.mark.parametrize("seed", [None, 408])
def test_each_usual_mistake_of_a_checker_is_named(student, words, seed):
    student = named_as_the_notebook_s(student)
    check = grading.Check.of(GRADED, "numerical_gradients")
    check.cases(student, seed=seed)
    wrong = [row for row in check.rows if not row.passed]
    assert wrong, "the mistake went unnoticed"
    # every problem has a row that names it (a gradient can be right by chance, as db2 is for backpropagation
    # where the cost is close to linear in b2)
    cases = {row.case for row in check.rows}
    assert cases == {row.case for row in wrong if words in row.diagnosis}, [(row.name, row.diagnosis) for row in wrong]


def test_the_right_checker_passes_and_the_relative_error_is_the_tables_measure():
    check = grading.Check.of(GRADED, "numerical_gradients")
    check.cases(named_as_the_notebook_s(central))
    check.cases(named_as_the_notebook_s(central), seed=408)
    assert not check.failures and len(check.rows) == 4 * (1 + 3)
    a, b = np.array([[1.0, -2.0], [0.5, 0.001]]), np.array([[1.0, -2.5], [0.5, 0.0]])
    assert shallow.relative_error(a, b) == pytest.approx(0.5 / 2.5) == shallow.relative_error(b, a)


def test_a_relative_error_divided_entry_by_entry_is_named():
    def entry_by_entry(a, b):
        return float(np.max(np.abs(np.asarray(a) - np.asarray(b)) / np.abs(np.asarray(b))))

    check = grading.Check.of(GRADED, "relative_error")
    check.cases(entry_by_entry, seed=406)
    wrong = [row for row in check.rows if not row.passed]
    assert wrong and any("divides entry by entry" in row.diagnosis for row in wrong), [r.diagnosis for r in wrong]
