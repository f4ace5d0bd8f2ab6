"""What right and wrong answers look like in assignment 01, the perceptron: the catalogue of the mistakes its graded functions are compared with.

Grading side: never in a student's edition (helpers/answers/__init__.py).
"""
import numpy as np

from helpers.answers.catalogue import only_distinct
from helpers.reference import perceptron


def perceptron_predict(X, w, b):
    """Wrong predictions: {diagnosis: Y_hat}."""
    Z = perceptron.net_input(X, w, b)
    return only_distinct({
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
    return only_distinct({
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
    return only_distinct({
        "counts the correctly classified examples: num_errors counts the misclassified ones.":
            (new_w, new_b, m - num_errors),
        "every prediction uses the starting weights: each example must see the weights left by the previous update.":
            (w + X @ step.T, b + float(step.sum()), int(np.count_nonzero(step))),
    }, (new_w, new_b, num_errors))
