"""The wrong answers students typically give, computed from the reference so the grader can name them.

Each function takes the same arguments as the reference it shadows and returns
a dict {diagnosis: wrong value}: the diagnosis is a sentence for the student
(what is wrong, what to do), the value is what that mistake computes on these
arguments, in the reference's output format (a grads dict for the shallow
network, a (dw, db) tuple for one neuron).

A mistake is left out when, on these particular arguments, it gives the right
answer (same shape and a relative error below DISTINCT_RTOL), so no correct
answer is ever mistaken for a wrong one. For example a transposed gradient is
dropped when the gradient is symmetric.
"""
import numpy as np

from helpers import adaline, logistic, perceptron, shallow
from helpers.gradcheck import relative_error

# The grader's default tolerance: anything closer to the reference than this
# would be graded correct, so it cannot serve as a recognisable mistake.
DISTINCT_RTOL = 1e-6


def _differs(value, reference):
    """True if value and reference differ in shape or by more than DISTINCT_RTOL somewhere."""
    if isinstance(reference, dict):
        return any(_differs(value[key], reference[key]) for key in reference)
    if isinstance(reference, tuple):
        return any(_differs(v, r) for v, r in zip(value, reference))
    value, reference = np.asarray(value, dtype=np.float64), np.asarray(reference, dtype=np.float64)
    return value.shape != reference.shape or relative_error(value, reference) > DISTINCT_RTOL


def _only_distinct(variants, reference):
    """Keep the variants that differ from the reference answer."""
    return {diagnosis: value for diagnosis, value in variants.items() if _differs(value, reference)}


def shallow_backward(params, cache, X, Y):
    """{diagnosis: grads dict} for the usual mistakes in the shallow network's backward pass."""
    m = X.shape[1]
    W2 = params["W2"]
    Z1, A1, A2 = cache["Z1"], cache["A1"], cache["A2"]
    right = shallow.backward(params, cache, X, Y)
    dZ2 = A2 - Y
    back_through_W2 = W2.T @ dZ2
    dZ1 = back_through_W2 * (1 - A1 ** 2)
    variants = {
        "dZ1 uses the sigmoid's derivative A1 * (1 - A1), but the hidden layer is tanh: "
        "multiply by 1 - A1**2 instead.":
            shallow.gradients_from_dZ(X, A1, back_through_W2 * A1 * (1 - A1), dZ2),
        "dZ1 uses 1 - Z1**2: the derivative of tanh is 1 - tanh(Z1)**2, "
        "so use the activation, 1 - A1**2.":
            shallow.gradients_from_dZ(X, A1, back_through_W2 * (1 - Z1 ** 2), dZ2),
        "m times too large: the 1/m average over the examples is missing "
        "(divide dW1, db1, dW2 and db2 by m).":
            {name: m * grad for name, grad in right.items()},
        "m times too small: the gradients are averaged twice. Divide by m once, "
        "after summing over the examples.":
            {name: grad / m for name, grad in right.items()},
        "the sign is flipped: dZ2 must be A2 - Y, not Y - A2.":
            {name: -grad for name, grad in right.items()},
        "dW1 is transposed, shape (n_x, n_h) instead of (n_h, n_x): "
        "compute np.dot(dZ1, X.T), not np.dot(X, dZ1.T).":
            {**right, "dW1": right["dW1"].T},
        "dW2 is transposed, shape (n_h, n_y) instead of (n_y, n_h): "
        "compute np.dot(dZ2, A1.T), not np.dot(A1, dZ2.T).":
            {**right, "dW2": right["dW2"].T},
        "db is summed over axis=0, the units, instead of over the examples: "
        "use np.sum(dZ, axis=1, keepdims=True) / m.":
            {**right,
             "db1": np.sum(dZ1, axis=0, keepdims=True) / m,
             "db2": np.sum(dZ2, axis=0, keepdims=True) / m},
        "db is summed over the examples' axis without keepdims=True, so it lost its "
        "column shape: use np.sum(dZ, axis=1, keepdims=True) / m.":
            {**right,
             "db1": np.sum(dZ1, axis=1) / m,
             "db2": np.sum(dZ2, axis=1) / m},
    }
    # W2 @ dZ2 can only be formed when W2 is square (n_h == n_y).
    if W2.shape[1] == dZ2.shape[0] and (W2 @ dZ2).shape == A1.shape:
        variants["dZ1 multiplies by W2 where W2.T belongs: "
                 "dZ1 = np.dot(W2.T, dZ2) * (1 - A1**2)."] = \
            shallow.gradients_from_dZ(X, A1, (W2 @ dZ2) * (1 - A1 ** 2), dZ2)
    return _only_distinct(variants, right)


def logistic_gradients(X, Y, w, b):
    """{diagnosis: (dw, db)} for the usual mistakes in logistic regression's gradients."""
    m = X.shape[1]
    right = logistic.gradients(X, Y, w, b)
    dw, db = right
    Z = logistic.net_input(X, w, b)
    dZ = logistic.forward(X, w, b) - Y
    dZ_from_Z = Z - Y
    variants = {
        "m times too large: the 1/m average over the examples is missing (divide dw and db by m).":
            (m * dw, m * db),
        "m times too small: the gradients are averaged twice. Divide by m once, "
        "after summing over the examples.":
            (dw / m, db / m),
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
    }
    return _only_distinct(variants, right)


def adaline_gradients(X, Y, w, b):
    """{diagnosis: (dw, db)} for the usual mistakes in Adaline's sum-of-squares gradients."""
    m = X.shape[1]
    right = adaline.gradients(X, Y, w, b)
    dw, db = right
    variants = {
        "the sign is flipped: the gradient of 1/2 sum (Y - Z)^2 is dw = -X (Y - Z)^T and "
        "db = -sum(Y - Z); the plus sign of the delta rule comes from w - eta dw.":
            (-dw, -db),
        "dw is transposed, shape (1, n_x) instead of (n_x, 1): "
        "compute -np.dot(X, (Y - Z).T), not -np.dot(Y - Z, X.T).":
            (dw.T, db),
        "m times too small: Adaline's cost is the sum of squared errors, not their mean, "
        "so do not divide the gradients by m.":
            (dw / m, db / m),
    }
    return _only_distinct(variants, right)


# -- the perceptron ---------------------------------------------------------------


def perceptron_predict(X, w, b):
    """Wrong predictions: {diagnosis: Y_hat}."""
    Z = perceptron.net_input(X, w, b)
    return _only_distinct({
        "gives 0 where z = 0 (np.sign does that): the unit step must give +1 for z >= 0.":
            np.sign(Z).astype(int),
        "predicts -1 where z = 0: the unit step must give +1 for z >= 0 (use >=, not >).":
            np.where(Z > 0.0, 1, -1),
        "returns 0/1 labels: the perceptron's labels are -1 and +1.":
            (Z >= 0.0).astype(int),
    }, perceptron.predict(X, w, b))


def perceptron_update_step(x, y, w, b, eta):
    """Wrong single-example updates: {diagnosis: (w, b)}."""
    update = eta * (y - perceptron.predict(x, w, b).item())
    return _only_distinct({
        "the update has the wrong sign: use eta * (y - y_hat), the true label minus the prediction.":
            (w - update * x, b - update),
        "the bias is not updated: b := b + eta * (y - y_hat), like the weights but without x.":
            (w + update * x, b),
        "updates even when the prediction is right: the step is eta * (y - y_hat), which is 0 then.":
            (w + eta * y * x, b + eta * y),
    }, perceptron.update_step(x, y, w, b, eta))


def perceptron_train_epoch(X, Y, w, b, eta):
    """Wrong epochs: {diagnosis: (w, b, num_errors)}."""
    m = X.shape[1]
    new_w, new_b, num_errors = perceptron.train_epoch(X, Y, w, b, eta)
    # All predictions made with the starting weights, as if the updates were applied at the end.
    Y_hat = perceptron.predict(X, w, b)
    step = eta * (Y - Y_hat)
    return _only_distinct({
        "counts the correctly classified examples: num_errors counts the misclassified ones.":
            (new_w, new_b, m - num_errors),
        "every prediction uses the starting weights: each example must see the weights left by the previous update.":
            (w + X @ step.T, b + float(step.sum()), int(np.count_nonzero(step))),
    }, (new_w, new_b, num_errors))
