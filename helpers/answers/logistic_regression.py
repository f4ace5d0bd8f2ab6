"""What right and wrong answers look like in assignment 03, logistic regression: the catalogue of the mistakes its graded functions are compared with.

Grading side: never in a student's edition (helpers/answers/__init__.py).
"""
import numpy as np

from helpers.answers.catalogue import each_gradient_averaged_wrongly, only_distinct
from helpers.reference import logistic
from helpers.reference.activations import sigmoid


def logistic_sigmoid(z):
    """{diagnosis: sigmoid(z)} for the usual mistakes in the sigmoid."""
    right = sigmoid(z)
    return only_distinct({
        "uses e^z where e^-z belongs: sigmoid(z) = 1 / (1 + e^-z), which tends to 1 as z grows.": 1.0 - right,
    }, right)


def logistic_cost(A, Y):
    """{diagnosis: cost} for the usual mistakes in the cross-entropy cost."""
    m = Y.shape[1]
    right = logistic.cost(A, Y)
    clipped = np.clip(A, logistic.EPSILON, 1.0 - logistic.EPSILON)
    with np.errstate(divide="ignore", invalid="ignore"):
        unclipped = float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
    return only_distinct({
        "log(0): some of A is exactly 0 or 1, so np.log gives -inf (and 0 * -inf gives nan). "
        "Clip A to [1e-12, 1 - 1e-12] before the logs.":
            unclipped,
        "the sign is flipped: the cost is minus the mean of y log(a) + (1 - y) log(1 - a), a positive number.":
            -right,
        "m times too large: the cost is the mean of the losses, so divide their sum by m.":
            m * right,
        "only the y log(a) term: add (1 - y) log(1 - a), the loss of the examples labelled 0.":
            float(-np.mean(Y * np.log(clipped))),
        "uses np.log10: the cross-entropy uses the natural logarithm, np.log.":
            right / np.log(10.0),
    }, right)


def logistic_gradients(X, Y, w, b):
    """{diagnosis: (dw, db)} for the usual mistakes in logistic regression's gradients."""
    m = X.shape[1]
    right = logistic.gradients(X, Y, w, b)
    dw, db = right
    Z = logistic.net_input(X, w, b)
    dZ = logistic.forward(X, w, b) - Y
    dZ_from_Z = Z - Y
    variants = {
        **each_gradient_averaged_wrongly(right, m, names=("dw", "db")),
        "the sign is flipped: dz must be a - y (A - Y), not y - a.":
            (-dw, -db),
        "dw is transposed, shape (1, n_x) instead of (n_x, 1): "
        "compute np.dot(X, dZ.T) / m, not np.dot(dZ, X.T) / m.":
            (dw.T, db),
        "db is summed over axis=0, which leaves one value per example: "
        "db is a single number, np.sum(dZ) / m.":
            (dw, np.sum(dZ, axis=0) / m),
        "dz uses the net input Z instead of the activation A: dz = A - Y with A = sigmoid(Z).":
            (X @ dZ_from_Z.T / m, float(np.sum(dZ_from_Z)) / m),
        "only the last example counts: inside the loop accumulate with dw += x * dz and db += dz, "
        "not dw = x * dz.":
            (X[:, [-1]] * dZ[0, -1] / m, float(dZ[0, -1]) / m),
    }
    return only_distinct(variants, right)


def logistic_optimize(X, Y, w, b, learning_rate, num_iterations, record_every=1):
    """{diagnosis: (w, b, costs)} for the usual mistakes in the gradient-descent loop."""
    right = logistic.optimize(X, Y, w, b, learning_rate, num_iterations, record_every)
    # one iteration more records the cost after the last update too
    costs_at = logistic.optimize(X, Y, w, b, learning_rate, num_iterations + 1)[2]
    recorded = range(0, num_iterations, record_every)
    return only_distinct({
        "records the cost after the update: record it before, so that costs[0] is the cost of the starting w and b.":
            (right[0], right[1], [costs_at[k + 1] for k in recorded]),
        "records the cost at every iteration: record it only when iteration % record_every == 0.":
            (right[0], right[1], costs_at[:num_iterations]),
        "moves up the gradient: a descent step is w := w - learning_rate * dw (and the same for b).":
            logistic.optimize(X, Y, w, b, -learning_rate, num_iterations, record_every),
        "starts from zero weights: start from the w and b passed in.":
            logistic.optimize(X, Y, np.zeros_like(w), 0.0, learning_rate, num_iterations, record_every),
    }, right)


def logistic_predict(X, w, b):
    """{diagnosis: Y_hat} for the usual mistakes in logistic regression's predictions."""
    A = logistic.forward(X, w, b)
    return only_distinct({
        "predicts 1 where a is exactly 0.5: the rule is a > 0.5, so use >, not >=.":
            (A >= 0.5).astype(int),
        "returns the probabilities A: turn them into labels, 1 where A > 0.5 and 0 elsewhere.":
            A,
        "compares z with 0.5: compare the probability a = sigmoid(z) with 0.5 (or, the same, z with 0).":
            (logistic.net_input(X, w, b) > 0.5).astype(int),
    }, logistic.predict(X, w, b))
