"""Central-difference gradients, the independent yardstick for every analytic gradient.

    dJ/dtheta_k ~ (J(theta + eps e_k) - J(theta - eps e_k)) / (2 eps)

The error of the estimate is O(eps^2); with eps = 1e-6 in float64 it agrees
with a correct analytic gradient to about 1e-9 relative error.
"""
import numpy as np


def numerical_gradient(cost, theta, eps=1e-6):
    """Central-difference gradient of cost() with respect to the array theta.

    cost takes no arguments, returns one number (a float or a size-1 array) and reads theta, which is perturbed in place one
    entry at a time and restored afterwards. Returns an array of theta's shape.
    """
    theta = np.asarray(theta)
    grad = np.zeros(theta.shape, dtype=np.float64)
    for index in np.ndindex(theta.shape):
        original = theta[index]
        theta[index] = original + eps
        cost_plus = np.asarray(cost(), dtype=np.float64).item()
        theta[index] = original - eps
        cost_minus = np.asarray(cost(), dtype=np.float64).item()
        theta[index] = original
        grad[index] = (cost_plus - cost_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """max |a - b| / max(|a|, |b|), elementwise, with a floor that ignores rounding noise near zero."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    denominator = np.maximum(np.maximum(np.abs(a), np.abs(b)), max(1e-6 * scale, 1e-12))
    return float(np.max(np.abs(a - b) / denominator, initial=0.0))


def error_relative_to_largest(a, b):
    """max |a - b| / max(|a|, |b|) over all entries: the largest difference, relative to the largest entry.

    The one measure of the grading tables: 0 for the same values, about 1e-16 for the same formula
    computed another way, about 1e-9 between a right gradient and its central difference (whose small
    absolute error would look large next to tiny entries under an entry-by-entry measure), and of order 1
    for a wrong formula.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    largest = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    return float(np.max(np.abs(a - b), initial=0.0)) / max(largest, 1e-12)


def norm_relative_error(a, b):
    """||a - b|| / (||a|| + ||b||): the measure for central differences, whose small absolute
    error would look large next to tiny entries under the elementwise measure."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denominator) if denominator > 0 else 0.0
