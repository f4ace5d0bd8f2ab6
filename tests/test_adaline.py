"""helpers.reference.adaline: the sum-of-squares gradient against central differences, and the lecture's iris runs."""
from pathlib import Path

import numpy as np
import pytest

import helpers
from helpers.reference import adaline
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.reference.preprocessing import standardize

pytestmark = pytest.mark.filterwarnings("error")

SEEDS = range(6)
# The best step for a central difference balances truncation (~eps^2) against
# rounding (~1e-16 / eps): around 1e-5 for costs of order 1 to 100.
EPS = 1e-5


def load_iris_setosa_versicolor():
    """Setosa (-1) and versicolor (+1) by sepal and petal length: X (2, 100), Y (1, 100)."""
    table = np.loadtxt(Path(helpers.__file__).parent / "data" / "iris.csv", skiprows=1, delimiter=",")
    first_two_species = table[:100]
    X = first_two_species[:, [0, 2]].T
    Y = np.where(first_two_species[:, -1] == 0, -1, 1).reshape(1, -1)
    return X, Y


@pytest.fixture(scope="module")
def iris():
    return load_iris_setosa_versicolor()


@pytest.fixture(scope="module")
def iris_standardized(iris):
    X, Y = iris
    return standardize(X)[0], Y


def random_problem(seed):
    """X (n_x, m), Y (1, m) in {-1, +1}, w (n_x, 1), b float, with n_x and m drawn from the seed."""
    rng = np.random.default_rng(seed)
    n_x, m = rng.integers(1, 6), rng.integers(1, 30)
    X = rng.standard_normal((n_x, m))
    Y = rng.choice([-1, 1], size=(1, m))
    return X, Y, rng.standard_normal((n_x, 1)), float(rng.standard_normal())


def sse(X, Y, w, b):
    """The cost written out independently of the module: 1/2 sum (y - w^T x - b)^2."""
    return 0.5 * np.sum((Y - (w.T @ X + b)) ** 2)


def test_net_input_predict_and_cost_by_hand():
    X = np.array([[1.0, -2.0, 0.5],
                  [2.0, 1.0, -1.0]])
    w = np.array([[0.5], [-0.25]])
    Z = adaline.net_input(X, w, 0.1)
    assert np.allclose(Z, [[0.1, -1.15, 0.6]])
    assert np.array_equal(adaline.activation(Z), Z)
    assert np.array_equal(adaline.predict(X, w, 0.1), [[1, -1, 1]])
    assert np.array_equal(adaline.predict(X, w, -0.1), [[-1, -1, 1]])
    Y = np.array([[1, -1, -1]])
    assert adaline.cost(X, Y, w, 0.1) == pytest.approx(0.5 * (0.9 ** 2 + 0.15 ** 2 + 1.6 ** 2))
    assert isinstance(adaline.cost(X, Y, w, 0.1), float)


def test_predict_counts_zero_as_positive():
    assert np.array_equal(adaline.predict(np.zeros((2, 3)), np.ones((2, 1)), 0.0), [[1, 1, 1]])


@pytest.mark.parametrize("seed", SEEDS)
def test_gradients_match_central_differences(seed):
    X, Y, w, b = random_problem(seed)
    bias = np.array([b])
    dw, db = adaline.gradients(X, Y, w, b)
    assert dw.shape == w.shape and isinstance(db, float)
    numeric_dw = numerical_gradient(lambda: sse(X, Y, w, b), w, eps=EPS)
    numeric_db = numerical_gradient(lambda: sse(X, Y, w, bias[0]), bias, eps=EPS)
    assert relative_error(dw, numeric_dw) < 1e-7
    assert relative_error(db, numeric_db[0]) < 1e-7


def test_gradient_is_a_sum_over_examples_not_a_mean():
    X, Y, w, b = random_problem(11)
    doubled_dw, doubled_db = adaline.gradients(np.hstack([X, X]), np.hstack([Y, Y]), w, b)
    dw, db = adaline.gradients(X, Y, w, b)
    assert np.allclose(doubled_dw, 2 * dw) and doubled_db == pytest.approx(2 * db)


def test_batch_step_goes_against_the_gradient_and_keeps_its_inputs():
    X, Y, w, b = random_problem(2)
    w_before = w.copy()
    dw, db = adaline.gradients(X, Y, w, b)
    new_w, new_b = adaline.batch_step(X, Y, w, b, 0.01)
    assert np.allclose(new_w, w - 0.01 * dw) and new_b == pytest.approx(b - 0.01 * db)
    assert np.array_equal(w, w_before)
    assert adaline.cost(X, Y, new_w, new_b) < adaline.cost(X, Y, w, b)


def test_fit_batch_records_the_cost_before_each_epoch(iris_standardized):
    X, Y = iris_standardized
    w, b, costs = adaline.fit_batch(X, Y, 0.01, 3)
    assert w.shape == (2, 1) and isinstance(b, float) and len(costs) == 3
    # Zero weights give Z = 0, so every example contributes 1/2 (+-1)^2.
    assert costs[0] == pytest.approx(0.5 * X.shape[1])
    w1, b1 = adaline.batch_step(X, Y, np.zeros((2, 1)), 0.0, 0.01)
    assert costs[1] == pytest.approx(adaline.cost(X, Y, w1, b1))


def test_standardized_iris_converges_with_eta_0_01(iris_standardized):
    X, Y = iris_standardized
    w, b, costs = adaline.fit_batch(X, Y, 0.01, 15)
    assert len(costs) == 15
    assert all(later < earlier for earlier, later in zip(costs, costs[1:])), costs
    assert costs[-1] < 0.1 * costs[0]
    assert np.array_equal(adaline.predict(X, w, b), Y)


def test_unscaled_iris_diverges_with_eta_0_01(iris):
    X, Y = iris
    _, _, costs = adaline.fit_batch(X, Y, 0.01, 10)
    assert all(later > earlier for earlier, later in zip(costs, costs[1:])), costs
    assert costs[-1] > 1e6 * costs[0]


def test_unscaled_iris_converges_slowly_with_eta_0_0001(iris):
    X, Y = iris
    _, _, costs = adaline.fit_batch(X, Y, 0.0001, 10)
    assert all(later < earlier for earlier, later in zip(costs, costs[1:])), costs
    assert costs[-1] > 0.5 * costs[0], "ten small steps should leave most of the cost"


def test_sgd_update_is_a_batch_step_on_one_example():
    X, Y, w, b = random_problem(4)
    x, y = X[:, [0]], Y[0, 0]
    new_w, new_b, example_cost = adaline.sgd_update(x, y, w, b, 0.05)
    z = (w.T @ x).item() + b
    assert np.allclose(new_w, w + 0.05 * (y - z) * x)
    assert new_b == pytest.approx(b + 0.05 * (y - z))
    assert example_cost == pytest.approx(0.5 * (y - z) ** 2)


@pytest.mark.parametrize("seed", SEEDS)
def test_sgd_epoch_visits_the_examples_in_rng_permutation_order(seed):
    X, Y, w, b = random_problem(seed)
    order = np.random.default_rng(100 + seed).permutation(X.shape[1])
    expected_w, expected_b, example_costs = w, b, []
    for i in order:
        expected_w, expected_b, example_cost = adaline.sgd_update(X[:, [i]], Y[:, [i]], expected_w, expected_b, 0.02)
        example_costs.append(example_cost)
    new_w, new_b, average_cost = adaline.sgd_epoch(X, Y, w, b, 0.02, np.random.default_rng(100 + seed))
    assert np.allclose(new_w, expected_w, rtol=1e-12, atol=1e-12)
    assert new_b == pytest.approx(expected_b, rel=1e-12, abs=1e-12)
    assert average_cost == pytest.approx(np.mean(example_costs), rel=1e-12)


def test_fit_sgd_is_reproducible_under_a_seed(iris_standardized):
    X, Y = iris_standardized
    first = adaline.fit_sgd(X, Y, 0.01, 3, seed=5)
    second = adaline.fit_sgd(X, Y, 0.01, 3, seed=5)
    other = adaline.fit_sgd(X, Y, 0.01, 3, seed=6)
    assert np.array_equal(first[0], second[0]) and first[1] == second[1] and first[2] == second[2]
    assert not np.array_equal(first[0], other[0])


def test_sgd_on_standardized_iris_converges(iris_standardized):
    X, Y = iris_standardized
    w, b, avg_costs = adaline.fit_sgd(X, Y, 0.01, 15, seed=1)
    assert len(avg_costs) == 15
    assert avg_costs[-1] < 0.25 * avg_costs[0]
    assert max(avg_costs[5:]) < avg_costs[1]
    assert np.array_equal(adaline.predict(X, w, b), Y)


def test_partial_fit_continues_from_the_given_weights():
    X, Y, w, b = random_problem(3)
    w_before = w.copy()
    expected_w, expected_b = w, b
    for i in range(X.shape[1]):
        expected_w, expected_b, _ = adaline.sgd_update(X[:, [i]], Y[:, [i]], expected_w, expected_b, 0.05)
    new_w, new_b = adaline.partial_fit(X, Y, w, b, 0.05)
    assert np.allclose(new_w, expected_w) and new_b == pytest.approx(expected_b)
    assert np.array_equal(w, w_before)


def test_partial_fit_in_two_chunks_equals_one_pass():
    X, Y, _, _ = random_problem(8)
    X, Y = np.hstack([X, X]), np.hstack([Y, Y])
    half = X.shape[1] // 2
    w, b = adaline.partial_fit(X[:, :half], Y[:, :half], None, None, 0.05)
    w, b = adaline.partial_fit(X[:, half:], Y[:, half:], w, b, 0.05)
    w_once, b_once = adaline.partial_fit(X, Y, None, None, 0.05)
    assert np.allclose(w, w_once, rtol=1e-12) and b == pytest.approx(b_once, rel=1e-12)


def test_partial_fit_without_weights_starts_from_zero():
    X, Y, _, _ = random_problem(9)
    w, b = adaline.partial_fit(X, Y, None, None, 0.05)
    w_zero, b_zero = adaline.partial_fit(X, Y, np.zeros((X.shape[0], 1)), 0.0, 0.05)
    assert w.shape == (X.shape[0], 1)
    assert np.array_equal(w, w_zero) and b == b_zero


@pytest.mark.parametrize("seed", SEEDS)
def test_minibatches_of_one_are_stochastic_gradient_descent(seed):
    X, Y, w, b = random_problem(seed)
    sgd = adaline.sgd_epoch(X, Y, w, b, 0.02, np.random.default_rng(seed))
    minibatch = adaline.minibatch_epoch(X, Y, w, b, 0.02, 1, np.random.default_rng(seed))
    assert np.allclose(minibatch[0], sgd[0], rtol=1e-12, atol=1e-12)
    assert minibatch[1] == pytest.approx(sgd[1], rel=1e-12, abs=1e-12)
    assert minibatch[2] == pytest.approx(sgd[2], rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_one_minibatch_of_everything_is_a_batch_step(seed):
    X, Y, w, b = random_problem(seed)
    m = X.shape[1]
    new_w, new_b, average_cost = adaline.minibatch_epoch(X, Y, w, b, 0.02, m, np.random.default_rng(seed))
    expected_w, expected_b = adaline.batch_step(X, Y, w, b, 0.02)
    assert np.allclose(new_w, expected_w, rtol=1e-12, atol=1e-12)
    assert new_b == pytest.approx(expected_b, rel=1e-12, abs=1e-12)
    assert average_cost == pytest.approx(sse(X, Y, w, b) / m, rel=1e-12)


def test_minibatch_epoch_handles_a_short_last_batch():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3, 23)), rng.choice([-1, 1], size=(1, 23))
    w, b = rng.standard_normal((3, 1)), 0.3
    order = np.random.default_rng(1).permutation(23)
    expected_w, expected_b = w, b
    for start in range(0, 23, 5):
        batch = order[start:start + 5]
        expected_w, expected_b = adaline.batch_step(X[:, batch], Y[:, batch], expected_w, expected_b, 0.01)
    new_w, new_b, _ = adaline.minibatch_epoch(X, Y, w, b, 0.01, 5, np.random.default_rng(1))
    assert np.allclose(new_w, expected_w) and new_b == pytest.approx(expected_b)


def test_fit_minibatch_is_reproducible_and_converges(iris_standardized):
    X, Y = iris_standardized
    w, b, avg_costs = adaline.fit_minibatch(X, Y, 0.01, 15, batch_size=10, seed=2)
    w_again, b_again, avg_costs_again = adaline.fit_minibatch(X, Y, 0.01, 15, batch_size=10, seed=2)
    assert np.array_equal(w, w_again) and b == b_again and avg_costs == avg_costs_again
    assert len(avg_costs) == 15 and avg_costs[-1] < 0.25 * avg_costs[0]
    assert np.array_equal(adaline.predict(X, w, b), Y)
