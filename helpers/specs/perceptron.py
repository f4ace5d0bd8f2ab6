"""Assignment 01, the perceptron: what it grades and on which problems; its catalogue of
mistakes is in helpers/answers/perceptron.py.

GRADED lists the graded functions in the notebook's order (see helpers/specs/__init__.py); the test cells run
grading.Check.of(GRADED, name).cases(student) on the examples, and with a seed on random problems.
"""
import numpy as np

from helpers.reference import perceptron
from helpers.answers import perceptron as answers
from helpers.specs import Graded


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


# -- the mistakes a student's function is compared with (helpers/answers) ---------------------------


GRADED = {
    "net_input": Graded(perceptron.net_input, ("Z",), net_input_problems),
    "predict": Graded(perceptron.predict, ("Y_hat",), predict_problems, answers.perceptron_predict),
    "update_step": Graded(perceptron.update_step, ("w", "b"), update_step_problems, answers.perceptron_update_step,
                          updates={"w": 2, "b": 3}, rate=4),
    "train_epoch": Graded(perceptron.train_epoch, ("w", "b", "num_errors"), train_epoch_problems,
                          answers.perceptron_train_epoch),
    "fit": Graded(perceptron.fit, ("w", "b", "errors"), fit_problems),
}
