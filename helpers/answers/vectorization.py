"""What right and wrong answers look like in assignment 05, the vectorization homework: the catalogue of the mistakes its graded functions are compared with, and the expected answers to its questions.

Grading side: never in a student's edition (helpers/answers/__init__.py).
"""
import numpy as np

from helpers.answers.catalogue import only_distinct
from helpers.answers.shallow_network import backward_mistakes_given, shallow_update_parameters
from helpers.reference import shallow, shallow_squared
from helpers.reference.shallow import gradients_from_dZ


def _broadcast_update(params, grads, learning_rate):
    """params - learning_rate * grads as NumPy computes it, even for grads of the wrong shape.

    A parameter whose gradient cannot be broadcast against it is left out: the
    student's code would have raised there, and the grader reports that instead.
    """
    new_params = {}
    for name in shallow.PARAMETER_NAMES:
        parameter, grad = params[name], np.asarray(grads["d" + name])
        try:
            np.broadcast_shapes(parameter.shape, grad.shape)
        except ValueError:
            continue
        new_params[name] = parameter - learning_rate * grad
    return new_params


def squared_error_cost(A2, Y):
    """{diagnosis: cost} for the usual mistakes in the homework network's cost, 1/(2m) sum (A2 - Y)^2."""
    right = shallow_squared.cost(A2, Y)
    return only_distinct({
        "this is the cross-entropy, assignment 4's cost: this network's cost is the loop version's squared "
        "error, the mean of (a2 - y)**2 / 2.":
            shallow.cost(A2, Y),
        "twice the loop version's cost: the factor 1/2 of (a2 - y)**2 / 2 is missing.":
            2 * right,
        "m times too large: the cost is averaged over the examples, so divide the sum by m.":
            Y.shape[1] * right,
    }, right)


def squared_error_backward(params, cache, X, Y):
    """{diagnosis: grads dict} for the usual mistakes in the homework network's backward pass: assignment 4's
    (helpers/answers/shallow_network.py) and those of its own output delta."""
    A1, A2, W2 = cache["A1"], cache["A2"], params["W2"]
    right, dZ2 = shallow_squared.backward(params, cache, X, Y), shallow_squared.output_delta(A2, Y)

    def from_output_delta(delta):
        return gradients_from_dZ(X, A1, (W2.T @ delta) * (1 - A1 ** 2), delta)

    own = {
        "dZ2 = A2 - Y lacks the sigmoid's slope a2 * (1 - a2), which the loop version's dz2 carries: A2 - Y is "
        "the cross-entropy's (assignment 4's network).":
            from_output_delta(A2 - Y),
        "the gradients are twice the loop version's: the 1/2 of the cost cancels the 2 of the square's "
        "derivative, so dz2 is (a2 - y) * a2 * (1 - a2), without a factor 2.":
            from_output_delta(2 * dZ2),
    }
    common = backward_mistakes_given(params, cache, X, right, dZ2,
                                     "the loop version's dz2 is (a2 - y) * a2 * (1 - a2), not its negative.")
    return only_distinct({**own, **common}, right)


def shallow_train_step(X, Y, params, learning_rate):
    """{diagnosis: (new_params, cost, grads)} for a whole training step of the homework's network written in one
    function.

    The backward pass's mistakes are carried through the update the way NumPy
    would broadcast them (a (n_h,) db1 turns b1 into an (n_h, n_h) matrix), and
    the update's own mistakes come with the right gradients.
    """
    _, cache = shallow.forward(X, params)
    _, cost, right_grads = shallow_squared.train_step(X, Y, params, learning_rate)
    # The update's mistakes come first: a flipped dZ2 carried through a right update moves the
    # parameters exactly as a right dZ2 with a flipped update does, and the parameters' rows
    # should then say "moves up the gradient", while the gradients' rows name the flipped dZ2.
    variants = {diagnosis: (new_params, cost, right_grads)
                for diagnosis, new_params in shallow_update_parameters(params, right_grads, learning_rate).items()}
    variants.update({diagnosis: (_broadcast_update(params, grads, learning_rate), cost, grads)
                     for diagnosis, grads in squared_error_backward(params, cache, X, Y).items()})
    return variants


# -- check-your-understanding questions: {name: (kind, expected answer)} -----------------------------------------


# -- the expected answers to the assignment's questions (their kinds are the spec's QUESTIONS) --------------
ANSWERS = {
    "tanh_runs": 2100.0,  # once per example and hidden unit: m * n_h = 300 * 7
    "bigger_win": "b",  # the loop version's work per example grows with n_h * n_x, stage 1's hardly
}
