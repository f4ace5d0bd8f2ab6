"""Assignment 04's L2 part (compute_cost_l2, backward_propagation_l2): the course's gradients are the regularized
cost's (central differences), and each usual mistake of the penalty is named by its test."""
import numpy as np
import pytest

from helpers import grading
from helpers.gradcheck import error_relative_to_largest, numerical_gradient
from helpers.reference import shallow
from helpers.specs import shallow_network as spec


@pytest.mark.parametrize("seed", [None, 410])
def test_the_course_s_l2_gradients_are_the_regularized_cost_s(seed):
    for (params, cache, X, Y, lambd), case in (spec.l2_problems() if seed is None else spec.l2_problems(seed)):
        grads = shallow.backward_l2(params, cache, X, Y, lambd)
        for name, grad in grads.items():
            numeric = numerical_gradient(lambda: shallow.cost_l2(shallow.forward(X, params)[0], Y, params, lambd),
                                         params[name[1:]])
            assert error_relative_to_largest(grad, numeric) < 1e-6, (case, name)


# The student's versions call the notebook's backward_propagation and compute_cost by name; the course's stand in
# while a check runs.
def backward_propagation(params, cache, X, Y):
    raise AssertionError("the course's backward pass stands in for this one while a check runs")


def compute_cost(A2, Y):
    raise AssertionError("the course's cost stands in for this one while a check runs")


def l2_with(weight_factor, bias_factor=0.0):
    def backward_propagation_l2(params, cache, X, Y, lambd):
        m = X.shape[1]
        grads = backward_propagation(params, cache, X, Y)
        return {"dW1": grads["dW1"] + weight_factor(lambd, m) * params["W1"],
                "db1": grads["db1"] + bias_factor * lambd / m * params["b1"],
                "dW2": grads["dW2"] + weight_factor(lambd, m) * params["W2"],
                "db2": grads["db2"] + bias_factor * lambd / m * params["b2"]}
    return backward_propagation_l2


@pytest.mark.parametrize("student, wrong, words, points", [
    (l2_with(lambda lambd, m: lambd / m), set(), "", 3.0),
    (l2_with(lambda lambd, m: lambd / (2 * m)), {"dW1", "dW2"}, "the 2 of the square cancels", 1.0),
    (l2_with(lambda lambd, m: lambd), {"dW1", "dW2"}, "lacks the 1/m", 1.0),
    (l2_with(lambda lambd, m: lambd / m, bias_factor=1.0), {"db1", "db2"}, "the biases get a penalty term", 2.0),
    (l2_with(lambda lambd, m: 0.0), {"dW1", "dW2"}, "gradient is missing", 1.0),
])
def test_each_usual_mistake_of_the_penalty_s_gradient_is_named_and_costs_its_gradients_points(student, wrong, words,
                                                                                              points):
    check = grading.Check.of(spec.GRADED, "backward_propagation_l2")
    spec.l2_backward_cases(check, student)
    spec.l2_backward_cases(check, student, seed=410)
    failed = [row for row in check.rows if not row.passed]
    assert {row.name.split(" [")[0] for row in failed} == wrong
    assert all(words in row.diagnosis for row in failed), [row.diagnosis for row in failed]
    assert check.points({"dW1": 1, "db1": 0.5, "dW2": 1, "db2": 0.5}) == points


def test_a_penalty_on_the_biases_in_the_cost_is_named():
    def compute_cost_l2(A2, Y, params, lambd):
        m = Y.shape[1]
        squares = sum(float(np.sum(value ** 2)) for value in params.values())
        return compute_cost(A2, Y) + lambd / (2 * m) * squares

    check = grading.Check.of(spec.GRADED, "compute_cost_l2")
    check.cases(compute_cost_l2, seed=409)
    failed = [row for row in check.rows if not row.passed]
    assert failed and all("the biases are penalized too" in row.diagnosis for row in failed)
