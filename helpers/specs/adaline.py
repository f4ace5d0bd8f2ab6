"""Assignment 02, Adaline and feature scaling: what it grades and on which problems; its catalogue of
mistakes is in helpers/answers/adaline.py."""
import numpy as np

from helpers.reference import adaline, preprocessing
from helpers.reference.adaline import cost
from helpers.answers import adaline as answers
from helpers.specs import Graded


# -- test problems: the assignment's examples (seed=None), or random ones drawn from a seed -------------------
# Each returns [(args, case)], for grading.Check.cases; the random ones vary n_x and m, so that an answer
# written for the example's shapes only is found out.


def _example():
    """The notebook's example (X, Y, w, b): two features, three examples."""
    return np.array([[1.0, -2.0, 0.5], [2.0, 1.0, -1.0]]), np.array([[1, -1, -1]]), np.array([[0.5], [-0.25]]), 0.1


def _random_data(rng, m_low, m_high):
    """n_x, m, X (n_x, m), Y (1, m) in {-1, +1}, w (n_x, 1) and b, drawn from rng in this order."""
    n_x, m = int(rng.integers(1, 6)), int(rng.integers(m_low, m_high))
    X, Y = rng.normal(size=(n_x, m)), rng.choice([-1, 1], size=(1, m))
    w, b = rng.normal(size=(n_x, 1)), float(rng.normal())
    return n_x, m, X, Y, w, b


def _net_input_and_activation_draws(seed, count):
    """The random problems of net_input and of activation, drawn in turn from one generator:
    [((X, w, b), case), ((Z,), case)] per round."""
    rng, rounds = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(1, 9))
        X, w, b = rng.normal(size=(n_x, m)), rng.normal(size=(n_x, 1)), float(rng.normal())
        rounds.append((((X, w, b), f"n_x={n_x}, m={m}"), ((rng.normal(size=(1, m)),), f"m={m}")))
    return rounds


def net_input_problems(seed=None, count=4):
    """Problems (X, w, b) for net_input."""
    if seed is None:
        X, _, w, b = _example()
        return [((X, w, b), "")]
    return [net_input for net_input, _ in _net_input_and_activation_draws(seed, count)]


def activation_problems(seed=None, count=4):
    """Problems (Z,) for activation, drawn from the same generator as net_input's (same seed, same values)."""
    if seed is None:
        return [((np.array([[-1.5, 0.0, 0.25, 2.0]]),), "")]
    return [activation for _, activation in _net_input_and_activation_draws(seed, count)]


def _data_problems(seed, count, m_high):
    """Problems (X, Y, w, b): the example, or count random ones with m in [2, m_high)."""
    if seed is None:
        return [(_example(), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m, X, Y, w, b = _random_data(rng, 2, m_high)
        problems.append(((X, Y, w, b), f"n_x={n_x}, m={m}"))
    return problems


def cost_problems(seed=None, count=4):
    """Problems (X, Y, w, b) for cost."""
    return _data_problems(seed, count, 20)


def gradients_problems(seed=None, count=5):
    """Problems (X, Y, w, b) for gradients."""
    return _data_problems(seed, count, 25)


def batch_step_problems(seed=None, count=4):
    """Problems (X, Y, w, b, eta) for batch_step."""
    if seed is None:
        return [((*_example(), 0.1), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m, X, Y, w, b = _random_data(rng, 2, 20)
        eta = float(rng.uniform(0.001, 0.1))
        problems.append(((X, Y, w, b, eta), f"n_x={n_x}, m={m}"))
    return problems


def fit_batch_problems(seed=None, count=4):
    """Problems (X, Y, eta, num_epochs) for fit_batch: nearly separable data, small learning rates."""
    if seed is None:
        X = np.array([[0.5, -1.0, 1.5, -0.5, 2.0, -2.0], [1.0, -0.5, -1.0, 0.5, 0.0, -1.5]])
        return [((X, np.array([[1, -1, 1, -1, 1, -1]]), 0.05, 5), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(4, 40))
        X = rng.normal(size=(n_x, m))
        Y = np.where(rng.normal(size=(1, n_x)) @ X + 0.3 >= 0, 1, -1)
        eta, num_epochs = float(rng.uniform(0.001, 0.02)), int(rng.integers(1, 12))
        problems.append(((X, Y, eta, num_epochs), f"n_x={n_x}, m={m}, {num_epochs} epochs"))
    return problems


def sgd_epoch_problems(seed=None, count=4):
    """Problems (X, Y, w, b, eta, rng) for sgd_epoch. Each random problem has a generator of its own, seeded from
    seed, that first draws the problem and then, in the state that leaves, is the rng that shuffles the epoch: an
    answer that ignores its rng and seeds one itself (the example's seed, 0) visits the examples in another order."""
    if seed is None:
        X = np.array([[1.0, -1.0, 2.0, 0.0], [0.5, 1.5, -1.0, -2.0]])
        return [((X, np.array([[1, -1, 1, -1]]), np.zeros((2, 1)), 0.0, 0.1, np.random.default_rng(0)), "")]
    seeds, problems = np.random.default_rng(seed), []
    for _ in range(count):
        rng = np.random.default_rng(int(seeds.integers(1000)))
        n_x, m, X, Y, w, b = _random_data(rng, 3, 25)
        eta = float(rng.uniform(0.01, 0.2))
        problems.append(((X, Y, w, b, eta, rng), f"n_x={n_x}, m={m}"))
    return problems


# -- checks that are more than a comparison with the reference ------------------------------------------------


def check_activation(check, student, seed=None, **draw):
    """activation's cases in the table of check, a check of net_input: the notebook tests the two in one cell."""
    tested, check.graded = check.graded, GRADED["activation"]
    try:
        check.cases(student, seed, **draw)
    finally:
        check.graded = tested


def check_gradients(check, student, seed=None, **draw):
    """The cases of gradients (check.graded), and each of dw and db also against a central difference of the
    course's cost: a mistake the catalogue does not know is still found."""
    graded = check.graded
    for (X, Y, w, b), case in graded.problems(seed, **draw):
        dw, db = check.function(student, graded.reference, (X, Y, w, b), outputs=graded.outputs, case=case,
                                mistakes=graded.mistakes(X, Y, w, b))
        suffix = f" [{case}]" if case else ""
        check.gradient_of("dw" + suffix, dw, lambda w_: cost(X, Y, w_, b), w)
        check.gradient_of("db" + suffix, db, lambda b_: cost(X, Y, w, b_), b)


def standardize_problems(seed=None, count=4):
    """Problems (X,) for a student's standardize(X), [(args, case)] for grading.Check.cases: the notebook's example
    (seed=None), or features drawn from seed with means up to +-50 and standard deviations from 0.1 to 20."""
    if seed is None:
        return [((np.array([[2.0, 4.0, 6.0, 8.0], [10.0, 10.5, 9.0, 10.5]]),), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(3, 30))
        X = rng.normal(loc=rng.uniform(-50, 50, size=(n_x, 1)), scale=rng.uniform(0.1, 20, size=(n_x, 1)),
                       size=(n_x, m))
        problems.append(((X,), f"n_x={n_x}, m={m}"))
    return problems


# -- the mistakes a student's function is compared with (helpers/answers) ---------------------------


GRADED = {
    "net_input": Graded(adaline.net_input, ("Z",), net_input_problems),
    "activation": Graded(adaline.activation, ("A",), activation_problems, answers.adaline_activation),
    "cost": Graded(adaline.cost, ("cost",), cost_problems, answers.adaline_cost),
    "gradients": Graded(adaline.gradients, ("dw", "db"), gradients_problems, answers.adaline_gradients),
    "batch_step": Graded(adaline.batch_step, ("w", "b"), batch_step_problems, answers.adaline_batch_step,
                         updates={"w": 2, "b": 3}, rate=4),
    "standardize": Graded(preprocessing.standardize, ("X_std", "mean", "std"), standardize_problems,
                          answers.standardize),
    "fit_batch": Graded(adaline.fit_batch, ("w", "b", "costs"), fit_batch_problems, answers.adaline_fit_batch),
    "sgd_epoch": Graded(adaline.sgd_epoch, ("w", "b", "average_cost"), sgd_epoch_problems, answers.adaline_sgd_epoch),
}
