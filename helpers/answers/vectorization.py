"""What right and wrong answers look like in assignment 05, the vectorization homework: the catalogue of the mistakes its graded functions are compared with, and the expected answers to its questions.

Grading side: never in a student's edition (helpers/answers/__init__.py).
"""
import numpy as np

from helpers.answers.shallow_network import shallow_backward, shallow_update_parameters
from helpers.reference import shallow


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


def shallow_train_step(X, Y, params, learning_rate):
    """{diagnosis: (new_params, cost, grads)} for a whole training step written in one function.

    The backward pass's mistakes are carried through the update the way NumPy
    would broadcast them (a (n_h,) db1 turns b1 into an (n_h, n_h) matrix), and
    the update's own mistakes come with the right gradients.
    """
    _, cache = shallow.forward(X, params)
    _, cost, right_grads = shallow.train_step(X, Y, params, learning_rate)
    # The update's mistakes come first: a flipped dZ2 carried through a right update moves the
    # parameters exactly as a right dZ2 with a flipped update does, and the parameters' rows
    # should then say "moves up the gradient", while the gradients' rows name the flipped dZ2.
    variants = {diagnosis: (new_params, cost, right_grads)
                for diagnosis, new_params in shallow_update_parameters(params, right_grads, learning_rate).items()}
    variants.update({diagnosis: (_broadcast_update(params, grads, learning_rate), cost, grads)
                     for diagnosis, grads in shallow_backward(params, cache, X, Y).items()})
    return variants


# -- check-your-understanding questions: {name: (kind, expected answer)} -----------------------------------------


# -- the expected answers to the assignment's questions (their kinds are the spec's QUESTIONS) --------------
ANSWERS = {
    "tanh_runs": 2100.0,  # once per example and hidden unit: m * n_h = 300 * 7
    "bigger_win": "b",  # the loop version's work per example grows with n_h * n_x, stage 1's hardly
}
