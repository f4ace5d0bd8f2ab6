"""Feature scaling: standardize every feature to mean 0 and standard deviation 1.

    x_j,std = (x_j - mu_j) / sigma_j

Features are the rows of X (n_x, m), so mu and sigma are per row, shape (n_x, 1),
and broadcast across the m columns. Test data must be scaled with the mean and
standard deviation of the training data, never with its own.
"""
import numpy as np


def standardize(X, mean=None, std=None):
    """Return (X_std, mean, std); computes mean and std per row of X unless they are given.

    Pass the training set's mean and std to scale a test set the same way.
    """
    X = np.asarray(X, dtype=np.float64)
    if mean is None:
        mean = np.mean(X, axis=1, keepdims=True)
    if std is None:
        std = np.std(X, axis=1, keepdims=True)
    mean = np.asarray(mean, dtype=np.float64).reshape(-1, 1)
    std = np.asarray(std, dtype=np.float64).reshape(-1, 1)
    constant_rows = np.flatnonzero(std[:, 0] == 0)
    if constant_rows.size:
        raise ValueError(
            f"feature row(s) {constant_rows.tolist()} of X have standard deviation 0 "
            "(the feature has the same value in every example), so dividing by it is "
            "undefined: drop those rows from X before standardizing"
        )
    return (X - mean) / std, mean, std
