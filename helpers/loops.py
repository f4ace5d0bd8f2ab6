"""The lecture notes' loop versions of the shallow network: one example, one hidden unit, one input at a time.

Public by design: homework 05 hands out its network's training step (squared_error_step_per_unit, the squared
error's) as its starting point, and the lectures compare these loops with the vectorized code. They are slow on
purpose and never graded; a student's edition keeps them (the speed tests time them, and where its record of the
course's answers has none, the REPLAY_FALLBACKS of helpers/reference/shallow.py and shallow_squared.py answer with
them: the same results up to rounding). Self-contained: the stable sigmoid and the losses below are the formulas
the notebooks print.
"""
import numpy as np


def _sigmoid(z):
    """1 / (1 + e^-z) as exp(-log(1 + e^-z)), which never overflows (the form the notebooks give)."""
    return np.exp(-np.logaddexp(0.0, -z))


def _cross_entropy_from_logit(z, y):
    """-y log(sigmoid(z)) - (1 - y) log(1 - sigmoid(z)) = log(1 + e^z) - y z, without log(0)."""
    return float(np.logaddexp(0.0, z) - y * z)


def forward_loop(X, params):
    """The forward pass, one example x = X[:, [i]] at a time, as the lectures first write it; returns (A2, cache)."""
    n_h, n_y, m = params["W1"].shape[0], params["W2"].shape[0], X.shape[1]
    cache = {"Z1": np.zeros((n_h, m)), "A1": np.zeros((n_h, m)),
             "Z2": np.zeros((n_y, m)), "A2": np.zeros((n_y, m))}
    for i in range(m):
        z1 = params["W1"] @ X[:, [i]] + params["b1"]
        a1 = np.tanh(z1)
        z2 = params["W2"] @ a1 + params["b2"]
        cache["Z1"][:, [i]] = z1
        cache["A1"][:, [i]] = a1
        cache["Z2"][:, [i]] = z2
        cache["A2"][:, [i]] = _sigmoid(z2)
    return cache["A2"], cache


def backward_loop(params, cache, X, Y):
    """The gradients of the mean cross-entropy with explicit loops over examples, output units, hidden units and
    inputs; returns grads."""
    W2 = params["W2"]
    (n_h, n_x), n_y, m = params["W1"].shape, W2.shape[0], X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dW1, db1 = np.zeros((n_h, n_x)), np.zeros((n_h, 1))
    dW2, db2 = np.zeros((n_y, n_h)), np.zeros((n_y, 1))
    for i in range(m):
        for k in range(n_y):
            dz2 = A2[k, i] - Y[k, i]
            db2[k, 0] += dz2
            for h in range(n_h):
                dW2[k, h] += dz2 * A1[h, i]
        for h in range(n_h):
            dz1 = 0.0
            for k in range(n_y):
                dz1 += W2[k, h] * (A2[k, i] - Y[k, i])
            dz1 *= 1 - A1[h, i] ** 2
            db1[h, 0] += dz1
            for j in range(n_x):
                dW1[h, j] += dz1 * X[j, i]
    return {"dW1": dW1 / m, "db1": db1 / m, "dW2": dW2 / m, "db2": db2 / m}


def _updated(params, grads, learning_rate):
    """params moved by -learning_rate times their gradients, in a new dict."""
    return {name: params[name] - learning_rate * grads["d" + name] for name in ("W1", "b1", "W2", "b2")}


def train_step_loop(X, Y, params, learning_rate):
    """A training step with the per-example forward_loop and backward_loop; returns (new_params, cost, grads), the
    cost before the update."""
    _, cache = forward_loop(X, params)
    grads = backward_loop(params, cache, X, Y)
    cost = float(np.mean(np.logaddexp(0.0, cache["Z2"]) - Y * cache["Z2"]))  # the cross-entropy from the logits
    return _updated(params, grads, learning_rate), cost, grads


def train_step_per_unit(X, Y, params, learning_rate):
    """The lecture notes' training step: loops over the examples, the hidden units and the inputs, forward and
    backward; returns (new_params, cost, grads), the mean cross-entropy before the update. One output unit."""
    return _step_per_unit(X, Y, params, learning_rate, _cross_entropy_output)


def squared_error_step_per_unit(X, Y, params, learning_rate):
    """Homework 05's loop version: train_step_per_unit for the network trained on the squared error
    1/(2m) sum (a2 - y)^2 (helpers/reference/shallow_squared.py); returns (new_params, cost, grads)."""
    return _step_per_unit(X, Y, params, learning_rate, _squared_error_output)


def _cross_entropy_output(z2, y):
    """(loss, dz2) of one example for the cross-entropy: dz2 = a2 - y."""
    return _cross_entropy_from_logit(z2, y), _sigmoid(z2) - y


def _squared_error_output(z2, y):
    """(loss, dz2) of one example for the squared error (a2 - y)^2 / 2: dz2 = (a2 - y) a2 (1 - a2)."""
    a2 = _sigmoid(z2)
    return (a2 - y) ** 2 / 2, (a2 - y) * a2 * (1 - a2)


def _step_per_unit(X, Y, params, learning_rate, output):
    """One step with loops over the examples, the hidden units and the inputs; output(z2, y) gives an example's
    loss and dz2, the only part that depends on the cost."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    (n_h, n_x), m = W1.shape, X.shape[1]
    total = 0.0
    dW1, db1, dW2, db2 = np.zeros((n_h, n_x)), np.zeros((n_h, 1)), np.zeros((1, n_h)), np.zeros((1, 1))
    for i in range(m):
        a1 = np.zeros(n_h)
        z2 = b2[0, 0]
        for h in range(n_h):
            z1 = b1[h, 0]
            for j in range(n_x):
                z1 += W1[h, j] * X[j, i]
            a1[h] = np.tanh(z1)
            z2 += W2[0, h] * a1[h]
        loss, dz2 = output(z2, Y[0, i])
        total += loss
        db2[0, 0] += dz2
        for h in range(n_h):
            dW2[0, h] += dz2 * a1[h]
            dz1 = W2[0, h] * dz2 * (1 - a1[h] ** 2)
            db1[h, 0] += dz1
            for j in range(n_x):
                dW1[h, j] += dz1 * X[j, i]
    grads = {"dW1": dW1 / m, "db1": db1 / m, "dW2": dW2 / m, "db2": db2 / m}
    return _updated(params, grads, learning_rate), float(total / m), grads


def cost_loop(A2, Y, epsilon=1e-12):
    """The mean cross-entropy of the probabilities A2 against Y, one example at a time, each probability clipped to
    [epsilon, 1 - epsilon] so that a saturated output gives a large finite loss; a float."""
    total = 0.0
    for a, y in zip(np.clip(A2, epsilon, 1.0 - epsilon).ravel(), np.asarray(Y).ravel()):
        total -= y * np.log(a) + (1 - y) * np.log(1 - a)
    return float(total / np.asarray(Y).size)


def predict_loop(X, params, threshold=0.5):
    """Labels 1 where forward_loop's output is above threshold, else 0, one example at a time; an int array
    (n_y, m)."""
    A2, _ = forward_loop(X, params)
    labels = np.zeros(A2.shape, dtype=int)
    for i in range(A2.shape[1]):
        labels[:, i] = A2[:, i] > threshold
    return labels
