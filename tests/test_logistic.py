"""helpers.reference.logistic: gradients against central differences, loop = vectorized, a stable cost, training."""
import numpy as np
import pytest

from helpers import datasets
from helpers.reference import logistic
from helpers.gradcheck import numerical_gradient, relative_error

pytestmark = pytest.mark.filterwarnings("error")

SEEDS = range(6)
# The best step for a central difference balances truncation (~eps^2) against
# rounding (~1e-16 / eps): around 1e-5 for costs of order 1 to 100.
EPS = 1e-5


def random_problem(seed):
    """X (n_x, m), Y (1, m) in {0, 1}, w (n_x, 1), b float, with n_x and m drawn from the seed."""
    rng = np.random.default_rng(seed)
    n_x, m = rng.integers(1, 6), rng.integers(1, 30)
    X = rng.standard_normal((n_x, m))
    Y = rng.integers(0, 2, size=(1, m))
    return X, Y, rng.standard_normal((n_x, 1)), float(rng.standard_normal())


def cross_entropy(X, Y, w, b):
    """The cost written out independently of the module, accurate to rounding for moderate z.

    -log(sigmoid(z)) = log(1 + e^-z) and -log(1 - sigmoid(z)) = log(1 + e^z); log1p
    keeps them exact where the textbook's log(1 - a) would lose digits to 1 - a.
    """
    Z = w.T @ X + b
    return np.mean(Y * np.log1p(np.exp(-Z)) + (1 - Y) * np.log1p(np.exp(Z)))


def test_forward_by_hand():
    X = np.array([[0.0, 1.0, -2.0]])
    A = logistic.forward(X, np.array([[2.0]]), 0.5)
    assert A.shape == (1, 3)
    assert np.allclose(A, 1.0 / (1.0 + np.exp(-np.array([[0.5, 2.5, -3.5]]))))


def test_cost_by_hand():
    A = np.array([[0.8, 0.3, 0.6]])
    Y = np.array([[1, 0, 0]])
    expected = -(np.log(0.8) + np.log(0.7) + np.log(0.4)) / 3
    assert logistic.cost(A, Y) == pytest.approx(expected, rel=1e-12)
    assert isinstance(logistic.cost(A, Y), float)


@pytest.mark.parametrize("seed", SEEDS)
def test_cost_from_logits_agrees_with_cost_of_probabilities(seed):
    X, Y, w, b = random_problem(seed)
    Z = w.T @ X + b
    assert logistic.cost_from_logits(Z, Y) == pytest.approx(cross_entropy(X, Y, w, b), rel=1e-12)
    A = 1.0 / (1.0 + np.exp(-Z))
    textbook = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    assert logistic.cost(logistic.forward(X, w, b), Y) == pytest.approx(textbook, rel=1e-12)


def test_cost_is_finite_when_probabilities_hit_exactly_0_or_1():
    with np.errstate(divide="raise", invalid="raise", over="raise"):
        confidently_wrong = logistic.cost(np.array([[0.0, 1.0]]), np.array([[1, 0]]))
        confidently_right = logistic.cost(np.array([[1.0, 0.0]]), np.array([[1, 0]]))
    assert np.isfinite(confidently_wrong) and confidently_wrong > 20
    assert np.isfinite(confidently_right) and 0 <= confidently_right < 1e-10


def test_cost_from_logits_is_exact_for_huge_net_inputs():
    with np.errstate(divide="raise", invalid="raise", over="raise"):
        wrong = logistic.cost_from_logits(np.array([[-1000.0, 1000.0]]), np.array([[1, 0]]))
        right = logistic.cost_from_logits(np.array([[1000.0, -1000.0]]), np.array([[1, 0]]))
    # log(1 + e^1000) = 1000 to double precision; the loss of a confident right answer is e^-1000 = 0.
    assert wrong == pytest.approx(1000.0, rel=1e-15)
    assert right == 0.0


@pytest.mark.parametrize("seed", SEEDS)
def test_gradients_match_central_differences(seed):
    X, Y, w, b = random_problem(seed)
    bias = np.array([b])
    dw, db = logistic.gradients(X, Y, w, b)
    assert dw.shape == w.shape and isinstance(db, float)
    numeric_dw = numerical_gradient(lambda: cross_entropy(X, Y, w, b), w, eps=EPS)
    numeric_db = numerical_gradient(lambda: cross_entropy(X, Y, w, bias[0]), bias, eps=EPS)
    assert relative_error(dw, numeric_dw) < 1e-7
    assert relative_error(db, numeric_db[0]) < 1e-7


@pytest.mark.parametrize("seed", SEEDS)
def test_loop_and_vectorized_gradients_agree(seed):
    X, Y, w, b = random_problem(seed)
    dw_loop, db_loop = logistic.gradients_loop(X, Y, w, b)
    dw, db = logistic.gradients(X, Y, w, b)
    assert dw_loop.shape == dw.shape and isinstance(db_loop, float)
    assert np.allclose(dw_loop, dw, rtol=1e-12, atol=1e-12)
    assert db_loop == pytest.approx(db, rel=1e-12, abs=1e-12)


def separable_toy_set():
    """Two features; class 1 has x1 + x2 > 1, class 0 has x1 + x2 < -1, a margin of sqrt(2) between them."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, size=(2, 200))
    total = X.sum(axis=0)
    X = X[:, np.abs(total) > 1]
    return X, (X.sum(axis=0, keepdims=True) > 0).astype(int)


def test_fit_separates_a_separable_set():
    X, Y = separable_toy_set()
    w, b, costs = logistic.fit(X, Y, learning_rate=0.5, num_iterations=300, record_every=10)
    assert w.shape == (2, 1) and isinstance(b, float)
    assert len(costs) == 30
    assert costs[0] == pytest.approx(np.log(2.0))
    assert all(later < earlier for earlier, later in zip(costs, costs[1:]))
    assert logistic.accuracy(logistic.predict(X, w, b), Y) == 1.0


def test_fit_records_one_cost_per_iteration_by_default():
    X, Y, _, _ = random_problem(1)
    _, _, costs = logistic.fit(X, Y, learning_rate=0.1, num_iterations=7)
    assert len(costs) == 7


def test_predict_gives_integer_labels_and_honours_the_threshold():
    X = np.array([[-2.0, -0.1, 0.1, 2.0]])
    w = np.array([[1.0]])
    Y_hat = logistic.predict(X, w, 0.0)
    assert Y_hat.shape == (1, 4) and np.issubdtype(Y_hat.dtype, np.integer)
    assert np.array_equal(Y_hat, [[0, 0, 1, 1]])
    assert np.array_equal(logistic.predict(X, w, 0.0, threshold=0.8), [[0, 0, 0, 1]])


def test_accuracy_by_hand():
    assert logistic.accuracy(np.array([[1, 0, 1, 1]]), np.array([[1, 1, 1, 0]])) == 0.5


def test_confusion_matrix_layout_is_tn_fp_fn_tp():
    # 2 true negatives, 1 false positive, 3 false negatives, 4 true positives.
    Y = np.array([[0, 0, 0, 1, 1, 1, 1, 1, 1, 1]])
    Y_hat = np.array([[0, 0, 1, 0, 0, 0, 1, 1, 1, 1]])
    counts = logistic.confusion_matrix(Y_hat, Y)
    assert counts.shape == (2, 2) and np.issubdtype(counts.dtype, np.integer)
    assert np.array_equal(counts, [[2, 1], [3, 4]])


@pytest.mark.parametrize("seed", SEEDS)
def test_confusion_matrix_is_consistent_with_accuracy(seed):
    rng = np.random.default_rng(seed)
    Y, Y_hat = rng.integers(0, 2, size=(1, 50)), rng.integers(0, 2, size=(1, 50))
    counts = logistic.confusion_matrix(Y_hat, Y)
    assert counts.sum() == 50
    assert counts[1].sum() == Y.sum() and counts[:, 1].sum() == Y_hat.sum()
    assert np.trace(counts) / 50 == pytest.approx(logistic.accuracy(Y_hat, Y))


@pytest.mark.parametrize("seed", SEEDS)
def test_optimize_takes_descent_steps_from_the_given_parameters(seed):
    X, Y, w, b = random_problem(seed)
    w_before = w.copy()
    expected_w, expected_b, expected_costs = w, b, []
    for iteration in range(7):
        if iteration % 3 == 0:
            expected_costs.append(cross_entropy(X, Y, expected_w, expected_b))
        dw, db = logistic.gradients(X, Y, expected_w, expected_b)
        expected_w, expected_b = expected_w - 0.3 * dw, expected_b - 0.3 * db
    new_w, new_b, costs = logistic.optimize(X, Y, w, b, 0.3, 7, record_every=3)
    assert np.array_equal(w, w_before), "optimize must not change the caller's w"
    assert len(costs) == 3 and all(isinstance(value, float) for value in costs)
    assert np.allclose(costs, expected_costs, rtol=1e-12)
    assert np.allclose(new_w, expected_w, rtol=1e-12) and new_b == pytest.approx(expected_b, rel=1e-12)


def test_fit_is_optimize_from_zero_weights():
    X, Y, _, _ = random_problem(2)
    fitted = logistic.fit(X, Y, 0.2, 5)
    optimized = logistic.optimize(X, Y, np.zeros((X.shape[0], 1)), 0.0, 0.2, 5)
    assert np.array_equal(fitted[0], optimized[0]) and fitted[1] == optimized[1] and fitted[2] == optimized[2]


def test_scikit_learn_reproduces_the_seed_shirt_size_model():
    """The lecture notes' cross-check: scikit-learn (penalty C=1, Newton's method) on the raw chest sizes."""
    from sklearn.linear_model import LogisticRegression

    X, Y = datasets.shirt_sizes()
    model = LogisticRegression(solver="newton-cg", tol=1e-10).fit(X.T, Y.ravel())
    assert model.coef_[0, 0] == pytest.approx(1.41, abs=0.01)
    assert model.intercept_[0] == pytest.approx(-147.4, abs=0.1)
    assert np.array_equal(model.predict(X.T), Y.ravel())


def test_fit_converges_to_scikit_learns_unpenalized_optimum():
    """Gradient descent and Newton's method land on the same w and b where the cost has a minimum."""
    from sklearn.linear_model import LogisticRegression

    X, Y = datasets.two_blobs(m=200, seed=1, separation=3.0)
    model = LogisticRegression(C=np.inf, tol=1e-10).fit(X.T, Y.ravel())
    w, b, _ = logistic.fit(X, Y, learning_rate=0.5, num_iterations=3000, record_every=3000)
    assert relative_error(w.ravel(), model.coef_.ravel()) < 1e-8
    assert b == pytest.approx(model.intercept_[0], rel=1e-8)
