"""Rosenblatt's perceptron: unit-step output and the perceptron learning rule.

    z = w^T x + b
    y_hat = +1 if z >= 0 else -1
    w := w + eta (y - y_hat) x,    b := b + eta (y - y_hat)

Shapes: X (n_x, m), Y (1, m) with labels in {-1, +1}, w (n_x, 1), b float.
"""
import numpy as np

from helpers.reference.activations import unit_step


def net_input(X, w, b):
    """Z = w^T X + b, shape (1, m)."""
    return w.T @ X + b


def predict(X, w, b):
    """Unit step of the net input: +1 where Z >= 0, else -1; shape (1, m)."""
    return unit_step(net_input(X, w, b))


def update_step(x, y, w, b, eta):
    """One perceptron update on example x (n_x, 1) with label y; returns new (w, b).

    Nothing changes when the example is classified correctly, because then
    y - y_hat = 0. The inputs are not modified.
    """
    y_hat = predict(x, w, b).item()
    update = eta * (y - y_hat)
    return w + update * x, b + update


def train_epoch(X, Y, w, b, eta):
    """One pass over the examples in column order; returns (w, b, num_errors).

    num_errors counts the examples whose update was not zero, i.e. those the
    perceptron misclassified when it met them during this pass.
    """
    num_errors = 0
    for i in range(X.shape[1]):
        new_w, new_b = update_step(X[:, [i]], Y[0, i], w, b, eta)
        num_errors += int(new_b != b)
        w, b = new_w, new_b
    return w, b, num_errors


def fit(X, Y, eta=0.1, num_epochs=10):
    """Train from zero weights; returns (w, b, errors) with one error count per epoch."""
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    errors = []
    for _ in range(num_epochs):
        w, b, num_errors = train_epoch(X, Y, w, b, eta)
        errors.append(num_errors)
    return w, b, errors
