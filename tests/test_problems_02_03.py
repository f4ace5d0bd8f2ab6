"""The test problems of assignments 02 and 03 (helpers/specs/adaline.py, logistic_regression.py):
the notebook's examples, and from a seed exactly the random problems the hidden tests drew when each test cell drew
its own, so that every score stays the same."""
import numpy as np
import pytest

from helpers.specs import adaline as adaline_spec
from helpers.specs import logistic_regression as logistic_spec


def same(got, expected):
    """Equal values of the same types, shapes and dtypes, all the way down (a generator by its state)."""
    if isinstance(expected, np.random.Generator):
        return isinstance(got, np.random.Generator) and got.bit_generator.state == expected.bit_generator.state
    if isinstance(expected, (tuple, list)):
        return type(got) is type(expected) and len(got) == len(expected) and all(map(same, got, expected))
    if isinstance(expected, np.ndarray):
        return (isinstance(got, np.ndarray) and got.dtype == expected.dtype and got.shape == expected.shape
                and np.array_equal(got, expected))
    return type(got) is type(expected) and got == expected


# -- the problems as the test cells drew them before they were declared once (their own code, verbatim) --------


def old_net_input_and_activation():
    rng, net_inputs, activations_ = np.random.default_rng(201), [], []
    for case in range(4):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(1, 9))
        X, w, b = rng.normal(size=(n_x, m)), rng.normal(size=(n_x, 1)), float(rng.normal())
        net_inputs.append(((X, w, b), f"n_x={n_x}, m={m}"))
        Z = rng.normal(size=(1, m))
        activations_.append(((Z,), f"m={m}"))
    return net_inputs, activations_


def old_adaline(seed, count, m_high, eta=None):
    rng, problems = np.random.default_rng(seed), []
    for case in range(count):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(2, m_high))
        X, Y = rng.normal(size=(n_x, m)), rng.choice([-1, 1], size=(1, m))
        if eta is None:
            w, b = rng.normal(size=(n_x, 1)), float(rng.normal())
            problems.append(((X, Y, w, b), f"n_x={n_x}, m={m}"))
        else:
            w, b, eta = rng.normal(size=(n_x, 1)), float(rng.normal()), float(rng.uniform(0.001, 0.1))
            problems.append(((X, Y, w, b, eta), f"n_x={n_x}, m={m}"))
    return problems


def old_standardize():
    rng, problems = np.random.default_rng(205), []
    for case in range(4):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(3, 30))
        X = rng.normal(loc=rng.uniform(-50, 50, size=(n_x, 1)), scale=rng.uniform(0.1, 20, size=(n_x, 1)), size=(n_x, m))
        problems.append(((X,), f"n_x={n_x}, m={m}"))
    return problems


def old_fit_batch():
    rng, problems = np.random.default_rng(206), []
    for case in range(4):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(4, 40))
        X = rng.normal(size=(n_x, m))
        Y = np.where(rng.normal(size=(1, n_x)) @ X + 0.3 >= 0, 1, -1)
        eta, num_epochs = float(rng.uniform(0.001, 0.02)), int(rng.integers(1, 12))
        problems.append(((X, Y, eta, num_epochs), f"n_x={n_x}, m={m}, {num_epochs} epochs"))
    return problems


def old_sgd_epoch():
    seeds, problems = np.random.default_rng(207), []
    for case in range(4):
        rng = np.random.default_rng(int(seeds.integers(1000)))
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(3, 25))
        X, Y = rng.normal(size=(n_x, m)), rng.choice([-1, 1], size=(1, m))
        w, b, eta = rng.normal(size=(n_x, 1)), float(rng.normal()), float(rng.uniform(0.01, 0.2))
        problems.append(((X, Y, w, b, eta, rng), f"n_x={n_x}, m={m}"))
    return problems


def old_sigmoid():
    rng, problems = np.random.default_rng(301), []
    for case in range(4):
        shape = tuple(int(n) for n in rng.integers(1, 7, size=2))
        z = rng.normal(scale=10.0 ** int(rng.integers(0, 4)), size=shape)
        problems.append(((z,), f"shape {shape}"))
    problems.append(((np.array([[-745.5, -709.8, -40.0, 40.0, 709.8, 745.5]]),), "near the float limits"))
    return problems


def old_cost():
    rng, costs, confidently_wrong = np.random.default_rng(302), [], []
    for case in range(4):
        m = int(rng.integers(2, 40))
        A, Y = rng.uniform(0.01, 0.99, size=(1, m)), rng.integers(0, 2, size=(1, m))
        costs.append(((A, Y.copy()), f"m={m}"))
        saturated = rng.random(size=(1, m)) < 0.3
        A = np.where(saturated, Y.astype(float), A)
        costs.append(((A, Y.copy()), f"m={m}, {int(saturated.sum())} saturated"))
        A_wrong = np.where(saturated, 1.0 - Y, A)
        A_wrong[0, 0], Y[0, 0] = 0.0, 1
        confidently_wrong.append(((A_wrong, Y), f"m={m}, confidently wrong"))
    return costs, confidently_wrong


def old_logistic_gradients(seed, n_x_high, m_high):
    rng, problems = np.random.default_rng(seed), []
    for case in range(5):
        n_x, m = int(rng.integers(1, n_x_high)), int(rng.integers(2, m_high))
        X, Y = rng.normal(size=(n_x, m)), rng.integers(0, 2, size=(1, m))
        w, b = rng.normal(size=(n_x, 1)), float(rng.normal())
        problems.append(((X, Y, w, b), f"n_x={n_x}, m={m}"))
    return problems


def old_optimize():
    rng, problems = np.random.default_rng(305), []
    for case in range(4):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(3, 60))
        X = rng.normal(size=(n_x, m))
        Y = (rng.normal(size=(1, n_x)) @ X + 0.5 * rng.normal(size=(1, m)) > 0).astype(int)
        w, b = 0.5 * rng.normal(size=(n_x, 1)), float(rng.normal())
        learning_rate, num_iterations = float(rng.uniform(0.05, 1.0)), int(rng.integers(1, 40))
        record_every = int(rng.integers(1, 6))
        problems.append(((X, Y, w, b, learning_rate, num_iterations, record_every),
                         f"n_x={n_x}, m={m}, {num_iterations} iterations, every {record_every}"))
    return problems


def old_predict():
    rng, problems = np.random.default_rng(306), []
    for case in range(4):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(2, 30))
        X = rng.integers(-3, 4, size=(n_x, m)).astype(float)
        w, b = rng.integers(-2, 3, size=(n_x, 1)).astype(float), float(rng.integers(-1, 2))
        X[:, 0] = 0.0
        problems.append(((X, w, b), f"n_x={n_x}, m={m}, b={b:g}"))
    return problems


OLD = {
    ("ADALINE", "net_input", 201): lambda: old_net_input_and_activation()[0],
    ("ADALINE", "activation", 201): lambda: old_net_input_and_activation()[1],
    ("ADALINE", "cost", 202): lambda: old_adaline(202, 4, 20),
    ("ADALINE", "gradients", 203): lambda: old_adaline(203, 5, 25),
    ("ADALINE", "batch_step", 204): lambda: old_adaline(204, 4, 20, eta=True),
    ("ADALINE", "standardize", 205): old_standardize,
    ("ADALINE", "fit_batch", 206): old_fit_batch,
    ("ADALINE", "sgd_epoch", 207): old_sgd_epoch,
    ("LOGISTIC_REGRESSION", "sigmoid", 301): old_sigmoid,
    ("LOGISTIC_REGRESSION", "cost", 302): lambda: old_cost()[0],
    ("LOGISTIC_REGRESSION", "gradients_loop", 303): lambda: old_logistic_gradients(303, 6, 30),
    ("LOGISTIC_REGRESSION", "gradients", 304): lambda: old_logistic_gradients(304, 8, 200),
    ("LOGISTIC_REGRESSION", "optimize", 305): old_optimize,
    ("LOGISTIC_REGRESSION", "predict", 306): old_predict,
}


SPECS = {"ADALINE": adaline_spec, "LOGISTIC_REGRESSION": logistic_spec}


@pytest.mark.parametrize("assignment, name, seed", list(OLD), ids=lambda value: str(value))
def test_a_seed_draws_exactly_the_old_hidden_problems(assignment, name, seed):
    assert same(SPECS[assignment].GRADED[name].problems(seed), OLD[assignment, name, seed]())


def test_the_confidently_wrong_costs_are_drawn_with_the_others():
    assert same(logistic_spec.confidently_wrong_problems(302), old_cost()[1])


def test_every_graded_function_is_declared_with_its_problems():
    assert list(adaline_spec.GRADED) == ["net_input", "activation", "cost", "gradients", "batch_step", "standardize",
                                         "fit_batch", "sgd_epoch"]
    assert list(logistic_spec.GRADED) == ["sigmoid", "cost", "gradients_loop", "gradients", "optimize",
                                                     "predict"]
    for graded in [*adaline_spec.GRADED.values(), *logistic_spec.GRADED.values()]:
        assert graded.problems is not None


def test_without_a_seed_the_problems_are_the_notebooks_examples():
    X, Y, w = np.array([[1.0, -2.0, 0.5], [2.0, 1.0, -1.0]]), np.array([[1, -1, -1]]), np.array([[0.5], [-0.25]])
    assert same(adaline_spec.net_input_problems(), [((X, w, 0.1), "")])
    assert same(adaline_spec.gradients_problems(), [((X, Y, w, 0.1), "")])
    assert same(adaline_spec.batch_step_problems(), [((X, Y, w, 0.1, 0.1), "")])
    (args, _), = adaline_spec.sgd_epoch_problems()
    assert same(args[-1], np.random.default_rng(0)), "the example's rng is a fresh one seeded 0"
    assert [case for _, case in logistic_spec.sigmoid_problems()] == ["", "|z| up to 1000"]
    assert [case for _, case in logistic_spec.cost_problems()] == ["", "A exactly 0 and 1"]
    assert same(logistic_spec.confidently_wrong_problems(),
                [((np.array([[0.0, 1.0, 0.5]]), np.array([[1, 0, 1]])), "confidently wrong")])
    assert same(adaline_spec.standardize_problems(),
                [((np.array([[2.0, 4.0, 6.0, 8.0], [10.0, 10.5, 9.0, 10.5]]),), "")])


def test_the_problems_are_fresh_arrays_every_time():
    first, second = logistic_spec.cost_problems(302), logistic_spec.cost_problems(302)
    assert same(first, second)
    first[0][0][0][0, 0] = 99.0
    assert not same(first, second)
