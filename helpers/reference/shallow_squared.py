"""Homework 5's network: lecture 04's shallow network (one tanh hidden layer, one sigmoid output unit), trained on
the squared error instead of the cross-entropy.

Forward pass, all m examples at once (examples are columns), as in helpers/reference/shallow.py:
    Z1 = W1 X + b1        A1 = tanh(Z1)          (n_h, m)
    Z2 = W2 A1 + b2       A2 = sigmoid(Z2)       (1, m)
    J  = 1/(2m) sum (A2 - Y)^2                   Adaline's cost (lecture 02), averaged

Backward pass: only dZ2 differs from the cross-entropy network's, because the square's derivative no longer
cancels the sigmoid's slope:
    dZ2 = (A2 - Y) * A2 * (1 - A2)
    dZ1 = (W2^T dZ2) * (1 - A1^2)
    dW2 = 1/m dZ2 A1^T    db2 = 1/m sum over examples of dZ2    (and the same for layer 1 with dZ1 and X)

Why this network in the homework: it cannot be assembled from assignment 4's functions, which compute the
cross-entropy's gradients; the vector forms must come from reading the loop version. The lecture notes' own first
shallow network (a regression) is trained on a mean squared error too.

Three versions of one training step, each returning (new_params, cost, grads), the cost of params before the
update: the loop version the homework hands out (train_step_per_unit, helpers/loops.py), stage 1 with one loop over
the examples (train_step_per_example), and no loop at all (train_step).
"""
import numpy as np

from helpers.loops import squared_error_step_per_unit as train_step_per_unit  # noqa: F401 (the loop version)
from helpers.reference.activations import sigmoid
from helpers.reference.shallow import forward, gradients_from_dZ, update_parameters

# In a student's edition train_step answers from the record of the course's answers (helpers/replay.py); where it
# has none, the loop version the homework hands out answers instead (the same results up to rounding).
REPLAY_FALLBACKS = {"train_step": "train_step_per_unit"}


def cost(A2, Y):
    """1/(2m) times the sum of the squared errors (A2 - Y)^2, m = Y.shape[1]; a float."""
    return float(np.sum((A2 - Y) ** 2) / (2 * Y.shape[1]))


def output_delta(A2, Y):
    """dZ2 = (A2 - Y) * A2 * (1 - A2): the squared error's derivative times the sigmoid's slope, (1, m)."""
    return (A2 - Y) * A2 * (1 - A2)


def backward(params, cache, X, Y):
    """Gradients of the squared-error cost, vectorized over examples; returns grads."""
    A1 = cache["A1"]
    dZ2 = output_delta(cache["A2"], Y)
    dZ1 = (params["W2"].T @ dZ2) * (1 - A1 ** 2)
    return gradients_from_dZ(X, A1, dZ1, dZ2)


def train_step(X, Y, params, learning_rate):
    """Forward, backward, update with no Python loop; returns (new_params, cost, grads)."""
    A2, cache = forward(X, params)
    grads = backward(params, cache, X, Y)
    return update_parameters(params, grads, learning_rate), cost(A2, Y), grads


def train_step_per_example(X, Y, params, learning_rate):
    """Stage 1 of the homework: one loop, over the examples; each example's units and inputs as vectors (np.outer
    for the weight gradients); returns (new_params, cost, grads)."""
    W1, b1, W2, b2 = params["W1"], params["b1"][:, 0], params["W2"][0], params["b2"][0, 0]
    m = X.shape[1]
    total = 0.0
    dW1, db1, dW2, db2 = np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), 0.0
    for i in range(m):
        x, y = X[:, i], Y[0, i]
        a1 = np.tanh(W1 @ x + b1)
        a2 = sigmoid(W2 @ a1 + b2)
        total += (a2 - y) ** 2
        dz2 = (a2 - y) * a2 * (1 - a2)
        dz1 = W2 * dz2 * (1 - a1 ** 2)
        dW2 += dz2 * a1
        db2 += dz2
        dW1 += np.outer(dz1, x)
        db1 += dz1
    grads = {"dW1": dW1 / m, "db1": db1[:, None] / m, "dW2": dW2[None, :] / m, "db2": np.array([[db2 / m]])}
    return update_parameters(params, grads, learning_rate), float(total / (2 * m)), grads
