"""Logistic regression: one sigmoid neuron trained on the cross-entropy cost.

    Z = w^T X + b,    A = sigmoid(Z) = P(y = 1 | x)
    J = -1/m sum_i [ y_i log a_i + (1 - y_i) log(1 - a_i) ]
    dZ = A - Y,    dw = 1/m X dZ^T,    db = 1/m sum_i dz_i
    w := w - learning_rate dw,    b := b - learning_rate db

In terms of z the loss is log(1 + e^z) - y z, which np.logaddexp(0, z)
evaluates without overflow and without ever taking log(0).

Shapes: X (n_x, m), Y (1, m) with labels in {0, 1}, w (n_x, 1), b float,
Z and A (1, m).
"""
import numpy as np

from helpers.reference.activations import sigmoid

EPSILON = 1e-12


def net_input(X, w, b):
    """Z = w^T X + b, shape (1, m)."""
    return w.T @ X + b


def forward(X, w, b):
    """A = sigmoid(w^T X + b), shape (1, m)."""
    return sigmoid(net_input(X, w, b))


def cost(A, Y):
    """Mean cross-entropy of probabilities A against labels Y, a float.

    A is clipped to [EPSILON, 1 - EPSILON] so that a saturated sigmoid (A exactly
    0 or 1) gives a large finite cost rather than inf or nan. Prefer
    cost_from_logits when Z is at hand: it needs no clipping.
    """
    A = np.clip(A, EPSILON, 1.0 - EPSILON)
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def cost_from_logits(Z, Y):
    """Mean cross-entropy computed from the net input Z, exact for any finite Z."""
    return float(np.mean(np.logaddexp(0.0, Z) - Y * Z))


def gradients_loop(X, Y, w, b):
    """(dw (n_x, 1), db float) with explicit loops over examples and features, as in the lectures."""
    n_x, m = X.shape
    dw = np.zeros((n_x, 1))
    db = 0.0
    for i in range(m):
        z = b
        for j in range(n_x):
            z += w[j, 0] * X[j, i]
        a = sigmoid(z)
        dz = a - Y[0, i]
        for j in range(n_x):
            dw[j, 0] += X[j, i] * dz
        db += dz
    return dw / m, float(db / m)


def gradients(X, Y, w, b):
    """(dw (n_x, 1), db float), vectorized over examples and features."""
    m = X.shape[1]
    dZ = forward(X, w, b) - Y
    return (X @ dZ.T) / m, float(np.sum(dZ)) / m


def optimize(X, Y, w, b, learning_rate, num_iterations, record_every=1):
    """Batch gradient descent from (w, b); returns the final (w, b) and costs.

    costs holds the cost before iterations 0, record_every, 2 * record_every, ...
    (so costs[0] is the cost of the starting parameters), computed as
    cost(forward(X, w, b), Y), the way the assignment records it.
    """
    costs = []
    for iteration in range(num_iterations):
        if iteration % record_every == 0:
            costs.append(cost(forward(X, w, b), Y))
        dw, db = gradients(X, Y, w, b)
        w = w - learning_rate * dw
        b = b - learning_rate * db
    return w, b, costs


def fit(X, Y, learning_rate, num_iterations, record_every=1):
    """optimize() from zero weights; returns (w, b, costs)."""
    return optimize(X, Y, np.zeros((X.shape[0], 1)), 0.0, learning_rate, num_iterations, record_every)


def predict(X, w, b, threshold=0.5):
    """Labels 1 where P(y = 1 | x) > threshold, else 0; int array of shape (1, m)."""
    return (forward(X, w, b) > threshold).astype(int)


def accuracy(Y_hat, Y):
    """Fraction of predictions equal to the labels, a float in [0, 1]."""
    return float(np.mean(np.asarray(Y_hat) == np.asarray(Y)))


def confusion_matrix(Y_hat, Y):
    """2x2 int counts [[TN, FP], [FN, TP]]: row = true label, column = predicted label."""
    Y_hat = np.asarray(Y_hat).ravel().astype(int)
    Y = np.asarray(Y).ravel().astype(int)
    counts = np.zeros((2, 2), dtype=int)
    np.add.at(counts, (Y, Y_hat), 1)
    return counts
