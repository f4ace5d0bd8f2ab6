"""Rosenblatt's perceptron: unit-step output and the perceptron learning rule.

    z = w^T x + b
    y_hat = +1 if z >= 0 else -1
    w := w + eta (y - y_hat) x,    b := b + eta (y - y_hat)

Shapes: X (n_x, m), Y (1, m) with labels in {-1, +1}, w (n_x, 1), b float.
"""
import numpy as np

from helpers.activations import unit_step


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


# -- test problems: the assignment's examples (seed=None), or random ones drawn from a seed -------------------
# Each returns [(args, case)], for grading.Check.cases; the random ones vary n_x and m, so that an answer
# written for the example's shapes only is found out.


def net_input_problems(seed=None, count=4):
    """Problems (X, w, b) for net_input."""
    if seed is None:
        return [((np.array([[1.5, 0.0, -1.0], [1.0, 1.0, -2.0]]), np.array([[1.0], [-2.0]]), 0.5), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = rng.integers(1, 6), rng.integers(1, 9)
        X, w, b = rng.normal(size=(n_x, m)), rng.normal(size=(n_x, 1)), float(rng.normal())
        problems.append(((X, w, b), f"n_x={n_x}, m={m}"))
    return problems


def predict_problems(seed=None, count=4):
    """Problems (X, w, b) for predict, with small integers so that some examples sit exactly on the boundary."""
    if seed is None:
        return [((np.array([[1.5, 0.0, -1.0, 2.0], [1.0, 1.0, -2.0, 0.5]]), np.array([[1.0], [-2.0]]), 0.5), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = rng.integers(1, 6), rng.integers(2, 12)
        X = rng.integers(-3, 4, size=(n_x, m)).astype(float)
        w = rng.integers(-2, 3, size=(n_x, 1)).astype(float)
        b = float(rng.integers(-2, 3))
        X[:, 0] = 0.0  # the first example sits on the boundary when b == 0
        problems.append(((X, w, b), f"n_x={n_x}, m={m}, b={b}"))
    return problems


def update_step_problems(seed=None, count=6):
    """Problems (x, y, w, b, eta) for update_step: the example misclassified, then classified right."""
    if seed is None:
        x, w = np.array([[1.0], [2.0]]), np.array([[0.5], [0.25]])
        return [((x, y, w, 0.0, 0.1), case) for y, case in [(-1, "misclassified"), (1, "correct")]]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x = rng.integers(1, 6)
        x, w, b = rng.normal(size=(n_x, 1)), rng.normal(size=(n_x, 1)), float(rng.normal())
        y, eta = int(rng.choice([-1, 1])), float(rng.uniform(0.01, 1.0))
        problems.append(((x, y, w, b, eta), f"n_x={n_x}, y={y}"))
    return problems


def train_epoch_problems(seed=None, count=4):
    """Problems (X, Y, w, b, eta) for train_epoch."""
    if seed is None:
        X = np.array([[2.0, -1.0, 0.5, -2.0], [1.0, 1.5, -1.0, -0.5]])
        return [((X, np.array([[1, -1, 1, -1]]), np.array([[-0.5], [0.5]]), 0.0, 0.5), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = rng.integers(1, 5), rng.integers(3, 15)
        X, Y = rng.normal(size=(n_x, m)), rng.choice([-1, 1], size=(1, m))
        w, b, eta = rng.normal(size=(n_x, 1)), float(rng.normal()), float(rng.uniform(0.05, 1.0))
        problems.append(((X, Y, w, b, eta), f"n_x={n_x}, m={m}"))
    return problems


def fit_problems(seed=None, count=3):
    """Problems (X, Y, eta, num_epochs) for fit: the lecture's iris data, or linearly separable random data."""
    if seed is None:
        from helpers import datasets

        X, Y = datasets.load_iris_subset()
        return [((X, Y, 0.1, 10), "iris")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = rng.integers(1, 5), rng.integers(5, 30)
        X = rng.normal(size=(n_x, m))
        Y = np.where(rng.normal(size=(1, n_x)) @ X >= 0.0, 1, -1)
        eta, num_epochs = float(rng.uniform(0.05, 1.0)), int(rng.integers(1, 8))
        problems.append(((X, Y, eta, num_epochs), f"n_x={n_x}, m={m}, {num_epochs} epochs"))
    return problems
