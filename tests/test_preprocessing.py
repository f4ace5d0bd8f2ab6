"""helpers.reference.preprocessing.standardize: per-feature (per-row) scaling, reused statistics, constant features."""
import numpy as np
import pytest

from helpers.reference.preprocessing import standardize

pytestmark = pytest.mark.filterwarnings("error")


def random_features(seed):
    """X (n_x, m) whose rows have very different offsets and scales."""
    rng = np.random.default_rng(seed)
    n_x, m = rng.integers(1, 6), rng.integers(2, 40)
    offsets = rng.uniform(-100, 100, size=(n_x, 1))
    scales = 10.0 ** rng.uniform(-3, 3, size=(n_x, 1))
    return offsets + scales * rng.standard_normal((n_x, m))


@pytest.mark.parametrize("seed", range(5))
def test_every_row_gets_mean_zero_and_std_one(seed):
    X = random_features(seed)
    X_std, mean, std = standardize(X)
    assert X_std.shape == X.shape
    assert mean.shape == std.shape == (X.shape[0], 1)
    assert np.allclose(X_std.mean(axis=1), 0.0, atol=1e-9)
    assert np.allclose(X_std.std(axis=1), 1.0, rtol=1e-9)


def test_by_hand():
    X = np.array([[1.0, 2.0, 3.0],
                  [10.0, 10.0, 40.0]])
    X_std, mean, std = standardize(X)
    assert np.allclose(mean, [[2.0], [20.0]])
    assert np.allclose(std, [[np.sqrt(2.0 / 3.0)], [np.sqrt(200.0)]])
    assert np.allclose(X_std[0], [-np.sqrt(1.5), 0.0, np.sqrt(1.5)])


def test_features_are_rows_not_columns():
    # Two features on very different scales: standardizing columns would mix them.
    X = np.array([[1.0, 2.0, 3.0, 4.0],
                  [1000.0, 3000.0, 2000.0, 4000.0]])
    X_std, _, _ = standardize(X)
    assert np.allclose(X_std[0], X_std[0, ::-1] * -1)
    assert np.allclose(X_std[1], [-1.5, 0.5, -0.5, 1.5] / np.std([-1.5, 0.5, -0.5, 1.5]))


def test_given_statistics_are_applied_unchanged_to_test_data():
    rng = np.random.default_rng(3)
    X_train = 5.0 + 2.0 * rng.standard_normal((3, 50))
    X_test = 8.0 + 0.5 * rng.standard_normal((3, 7))
    _, mean, std = standardize(X_train)
    X_test_std, test_mean, test_std = standardize(X_test, mean, std)
    assert test_mean is not None and np.array_equal(test_mean, mean) and np.array_equal(test_std, std)
    assert np.allclose(X_test_std, (X_test - mean) / std)
    # Scaled with the training statistics, the test set is not centred on 0.
    assert np.all(X_test_std.mean(axis=1) > 0.5)


def test_only_the_mean_can_be_given():
    X = np.array([[1.0, 3.0], [2.0, 6.0]])
    X_std, mean, std = standardize(X, mean=np.zeros((2, 1)))
    assert np.array_equal(mean, np.zeros((2, 1)))
    assert np.allclose(X_std, X / X.std(axis=1, keepdims=True))


def test_constant_feature_raises_a_clear_error():
    X = np.array([[1.0, 2.0, 3.0],
                  [4.0, 4.0, 4.0],
                  [0.0, 1.0, 0.0]])
    with pytest.raises(ValueError, match=r"\[1\]") as info:
        standardize(X)
    message = str(info.value)
    assert "standard deviation 0" in message and "drop" in message


def test_input_is_not_modified():
    X = random_features(7)
    before = X.copy()
    standardize(X)
    assert np.array_equal(X, before)
