"""What right and wrong answers look like in assignment 02, Adaline and feature scaling: the catalogue of the mistakes its graded functions are compared with.

Grading side: never in a student's edition (helpers/answers/__init__.py).
"""
import copy

import numpy as np

from helpers.answers.catalogue import only_distinct
from helpers.reference import adaline, preprocessing
from helpers.reference.activations import unit_step


def adaline_activation(Z):
    """{diagnosis: A} for the usual mistake in Adaline's activation."""
    return only_distinct({
        "applies the unit step: Adaline's activation is the identity, a = z; the step is used only to predict.":
            unit_step(Z),
    }, adaline.activation(Z))


def adaline_cost(X, Y, w, b):
    """{diagnosis: cost} for the usual mistakes in Adaline's sum-of-squared-errors cost."""
    m = X.shape[1]
    right = adaline.cost(X, Y, w, b)
    errors = Y - adaline.net_input(X, w, b)
    return only_distinct({
        "twice too large: the cost is 1/2 sum (Y - Z)^2; the 1/2 cancels the 2 that the derivative brings down.":
            2 * right,
        "m times too small: Adaline's cost is the sum of squared errors, not their mean: do not divide by m.":
            right / m,
        "squares the sum of the errors: square each error first, then add them up, 0.5 * np.sum((Y - Z)**2).":
            0.5 * float(np.sum(errors)) ** 2,
        "the errors use the predicted labels (the unit step of Z): Adaline measures Y - Z, before the threshold.":
            0.5 * float(np.sum((Y - adaline.predict(X, w, b)) ** 2)),
    }, right)


def _adaline_gradients_of_errors(X, errors):
    """(dw, db) of the delta rule for the given errors (1, m)."""
    return -(X @ errors.T), -float(np.sum(errors))


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
        "the errors use the predicted labels (the unit step of Z): Adaline learns from Y - Z, "
        "the error before the threshold.":
            _adaline_gradients_of_errors(X, Y - unit_step(adaline.net_input(X, w, b))),
        "db is summed over axis=0, which leaves one value per example: "
        "db is a single number, -np.sum(Y - Z).":
            (dw, -np.sum(Y - adaline.net_input(X, w, b), axis=0)),
    }
    return only_distinct(variants, right)


def adaline_batch_step(X, Y, w, b, eta):
    """{diagnosis: (w, b)} for the usual mistakes in one gradient-descent step."""
    dw, db = adaline.gradients(X, Y, w, b)
    return only_distinct({
        "moves up the gradient: a descent step subtracts it, w - eta * dw and b - eta * db.":
            (w + eta * dw, b + eta * db),
        "the bias is not updated: b := b - eta * db, like the weights.":
            (w - eta * dw, b),
        "the learning rate is missing: multiply the gradient by eta before subtracting it.":
            (w - dw, b - db),
    }, adaline.batch_step(X, Y, w, b, eta))


def standardize(X):
    """{diagnosis: (X_std, mean, std)} for the usual mistakes in standardization."""
    right = preprocessing.standardize(X)
    X_std, mean, std = right
    with np.errstate(divide="ignore", invalid="ignore"):
        column_mean, column_std = np.mean(X, axis=0, keepdims=True), np.std(X, axis=0, keepdims=True)
        per_column = ((X - column_mean) / column_std, column_mean, column_std)
        overall = ((X - np.mean(X)) / np.std(X), float(np.mean(X)), float(np.std(X)))
    return only_distinct({
        "standardizes each example (axis=0, the columns): the features are the rows of X, "
        "so use axis=1 with keepdims=True.":
            per_column,
        "one mean and one standard deviation for the whole of X: each feature (row) needs its own, "
        "np.mean(X, axis=1, keepdims=True).":
            overall,
        "divides by the variance: divide by the standard deviation, np.std(X, axis=1, keepdims=True).":
            ((X - mean) / std ** 2, mean, std ** 2),
    }, right)


def adaline_fit_batch(X, Y, eta, num_epochs):
    """{diagnosis: (w, b, costs)} for the usual mistakes in the batch training loop."""
    w, b, costs = adaline.fit_batch(X, Y, eta, num_epochs)
    # one epoch more gives the cost after the last update too
    costs_before_every_epoch = adaline.fit_batch(X, Y, eta, num_epochs + 1)[2]
    return only_distinct({
        "records the cost after each update: record it before, so that costs[0] is the cost of the zero weights.":
            (w, b, costs_before_every_epoch[1:]),
        "the costs are divided by m: record the sum of squared errors, cost(X, Y, w, b).":
            (w, b, [value / X.shape[1] for value in costs]),
    }, (w, b, costs))


def _sgd_pass(X, Y, w, b, eta, order):
    """Delta-rule updates in the given order: (w, b, per-example costs)."""
    example_costs = []
    for i in order:
        w, b, example_cost = adaline.sgd_update(X[:, [i]], Y[:, [i]], w, b, eta)
        example_costs.append(example_cost)
    return w, b, example_costs


def adaline_sgd_epoch(X, Y, w, b, eta, rng):
    """{diagnosis: (w, b, average_cost)} for the usual mistakes in one stochastic epoch (rng is not used up)."""
    m = X.shape[1]
    right = adaline.sgd_epoch(X, Y, w, b, eta, copy.deepcopy(rng))
    order = copy.deepcopy(rng).permutation(m)
    w_in_order, b_in_order, costs_in_order = _sgd_pass(X, Y, w, b, eta, range(m))
    _, _, example_costs = _sgd_pass(X, Y, w, b, eta, order)
    w_batch, b_batch = adaline.batch_step(X, Y, w, b, eta)
    w_choice, b_choice, costs_choice = _sgd_pass(X, Y, w, b, eta, copy.deepcopy(rng).choice(m, m, replace=False))
    return only_distinct({
        "takes the order from rng.choice, which shuffles differently: take it from rng.permutation(m).":
            (w_choice, b_choice, float(np.mean(costs_choice))),
        "visits the examples in column order: shuffle them, visiting them in the order rng.permutation(m).":
            (w_in_order, b_in_order, float(np.mean(costs_in_order))),
        "one step for the whole epoch (batch gradient descent): update after every example, "
        "from the weights the previous update left.":
            (w_batch, b_batch, adaline.cost(X, Y, w, b) / m),
        "average_cost is the sum of the example costs: divide it by m.":
            (right[0], right[1], float(np.sum(example_costs))),
        "average_cost is measured with the final weights: average each example's cost "
        "as it is visited, just before its update.":
            (right[0], right[1], adaline.cost(X, Y, right[0], right[1]) / m),
    }, right)
