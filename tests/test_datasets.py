"""helpers.datasets: shapes (n_x, m) and (1, m), dtypes, label sets, seeds, and the published data."""
import csv
from importlib.resources import files

import numpy as np
import pytest

from helpers import datasets

pytestmark = pytest.mark.filterwarnings("error")


def read_iris_rows():
    """The iris csv read with the csv module, independently of load_iris: (header, rows)."""
    with (files("helpers") / "data" / "iris.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle)
    return header, rows


def test_load_iris_shapes_and_dtypes():
    X, y = datasets.load_iris()
    assert X.shape == (4, 150) and X.dtype == np.float64
    assert y.shape == (150,) and np.issubdtype(y.dtype, np.integer)


def test_load_iris_has_50_flowers_of_each_species():
    _, y = datasets.load_iris()
    assert np.array_equal(np.bincount(y), [50, 50, 50])


def test_load_iris_matches_the_csv_column_for_column():
    header, rows = read_iris_rows()
    X, y = datasets.load_iris()
    assert header[:2] == ["150", "4"]
    for i in (0, 51, 149):
        assert np.array_equal(X[:, i], [float(value) for value in rows[i][:4]])
        assert y[i] == int(rows[i][4])


def test_iris_subset_shapes_and_labels():
    X, Y = datasets.load_iris_subset()
    assert X.shape == (2, 100) and X.dtype == np.float64
    assert Y.shape == (1, 100) and np.issubdtype(Y.dtype, np.integer)
    assert set(np.unique(Y)) == {-1, 1}
    assert np.count_nonzero(Y == -1) == 50 and np.count_nonzero(Y == 1) == 50


def test_iris_subset_is_setosa_then_versicolor():
    _, Y = datasets.load_iris_subset()
    assert np.all(Y[0, :50] == -1) and np.all(Y[0, 50:] == 1)


def test_iris_subset_keeps_sepal_and_petal_length():
    _, rows = read_iris_rows()
    X, _ = datasets.load_iris_subset()
    for i in (0, 50, 99):
        sepal_length, petal_length = float(rows[i][0]), float(rows[i][2])
        assert X[0, i] == sepal_length and X[1, i] == petal_length
    assert np.array_equal(X[:, 0], [5.1, 1.4])


def test_xor_corners_in_both_label_conventions():
    X, Y01 = datasets.xor_corners()
    _, Ypm1 = datasets.xor_corners(labels="pm1")
    assert X.shape == (2, 4) and Y01.shape == (1, 4) and Ypm1.shape == (1, 4)
    assert np.array_equal(Y01[0], (X[0] != X[1]).astype(int))
    assert np.array_equal(Ypm1, 2 * Y01 - 1)
    assert {tuple(column) for column in X.T} == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_xor_corners_rejects_unknown_labels():
    with pytest.raises(ValueError, match="pm1"):
        datasets.xor_corners(labels="+-1")


def test_noisy_xor_shapes_and_labels():
    X, Y = datasets.noisy_xor()
    assert X.shape == (2, 1000) and X.dtype == np.float64
    assert Y.shape == (1, 1000) and np.issubdtype(Y.dtype, np.integer)
    assert set(np.unique(Y)) == {0, 1}


def test_noisy_xor_without_noise_is_the_corners():
    X, Y = datasets.noisy_xor(m=400, noise=0.0, seed=3)
    assert set(np.unique(X)) == {0.0, 1.0}
    assert np.array_equal(Y[0], (X[0] != X[1]).astype(int))
    corner_counts = np.bincount((X[0] + 2 * X[1]).astype(int), minlength=4)
    assert np.all(corner_counts > 60), "corners should be drawn uniformly, 100 each on average"


def test_noisy_xor_noise_has_the_requested_scale():
    X_clean, _ = datasets.noisy_xor(m=5000, noise=0.0, seed=1)
    X_noisy, _ = datasets.noisy_xor(m=5000, noise=0.25, seed=1)
    assert np.std(X_noisy - X_clean) == pytest.approx(0.25, rel=0.05)


def test_noisy_xor_is_reproducible_under_a_seed():
    X1, Y1 = datasets.noisy_xor(m=50, seed=7)
    X2, Y2 = datasets.noisy_xor(m=50, seed=7)
    X3, _ = datasets.noisy_xor(m=50, seed=8)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("maker", [datasets.noisy_xor, datasets.shirt_sizes, datasets.two_blobs,
                                   datasets.apartment_prices])
@pytest.mark.parametrize("m", [0, -5, 2.5])
def test_bad_number_of_examples_is_a_clear_error(maker, m):
    with pytest.raises(ValueError, match="number of examples"):
        maker(m=m)


@pytest.mark.parametrize("maker", [datasets.noisy_xor, datasets.two_blobs])
def test_negative_noise_is_a_clear_error(maker):
    with pytest.raises(ValueError, match="noise must be"):
        maker(noise=-0.1)


def test_shirt_sizes_shapes_range_and_labels():
    X, Y = datasets.shirt_sizes()
    assert X.shape == (1, 50) and X.dtype == np.float64
    assert Y.shape == (1, 50) and np.issubdtype(Y.dtype, np.integer)
    assert np.all((X >= 94.0) & (X <= 114.0))
    assert np.allclose(X * 100, np.round(X * 100)), "chest sizes are rounded to 0.01 cm"
    assert np.array_equal(Y, (X >= 104.0).astype(int))


def test_shirt_sizes_reproduce_the_published_data_set():
    X, Y = datasets.shirt_sizes()
    published_first_ten = [102.51, 110.29, 108.71, 111.36, 101.67,
                           113.59, 111.86, 98.19, 108.84, 107.26]
    published_last_five = [112.3, 108.09, 101.74, 108.11, 112.47]
    assert np.array_equal(X[0, :10], published_first_ten)
    assert np.array_equal(X[0, -5:], published_last_five)
    published_labels = [0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0,
                        1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1]
    assert np.array_equal(Y[0], published_labels)


def test_shirt_sizes_follow_their_arguments():
    X, Y = datasets.shirt_sizes(m=200, seed=1, low=80.0, high=90.0, threshold=85.0)
    assert X.shape == (1, 200)
    assert np.all((X >= 80.0) & (X <= 90.0))
    assert np.array_equal(Y, (X >= 85.0).astype(int))
    assert 0 < Y.sum() < 200


def test_shirt_sizes_rejects_an_empty_range():
    with pytest.raises(ValueError, match="low must be smaller than high"):
        datasets.shirt_sizes(low=110.0, high=100.0)


def test_two_blobs_shapes_and_balanced_labels():
    X, Y = datasets.two_blobs(m=201)
    assert X.shape == (2, 201) and X.dtype == np.float64
    assert Y.shape == (1, 201) and np.issubdtype(Y.dtype, np.integer)
    assert np.count_nonzero(Y == 0) == 100 and np.count_nonzero(Y == 1) == 101


def test_two_blobs_are_shuffled_and_reproducible():
    X1, Y1 = datasets.two_blobs(seed=4)
    X2, Y2 = datasets.two_blobs(seed=4)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    assert 0 < Y1[0, :100].sum() < 100, "labels should not come sorted"


def test_two_blobs_centres_lie_separation_apart_and_are_almost_separable():
    X, Y = datasets.two_blobs(m=4000, separation=4.0, noise=1.0, seed=2)
    centre_gap = X[:, Y[0] == 1].mean(axis=1) - X[:, Y[0] == 0].mean(axis=1)
    assert np.allclose(centre_gap, 4.0 / np.sqrt(2.0), atol=0.1)
    accuracy = np.mean((X[0] + X[1] > 0).astype(int) == Y[0])
    assert accuracy > 0.95


def test_apartment_prices_shapes_and_ranges():
    X, Y = datasets.apartment_prices()
    assert X.shape == (2, 100) and X.dtype == np.float64
    assert Y.shape == (1, 100) and Y.dtype == np.float64
    surface, distance = X
    assert np.all((surface >= 40.0) & (surface <= 200.0))
    assert np.all((distance >= 50.0) & (distance <= 1000.0))
    assert np.allclose(X * 100, np.round(X * 100)), "surfaces and distances are rounded to 0.01"
    average = datasets.apartment_price_rule(surface, distance)
    assert np.all(np.abs(Y[0] / average - 1) <= 0.1 + 1e-6), "prices vary by at most 10% around the rule"


def test_apartment_prices_reproduce_the_published_data_set():
    X, Y = datasets.apartment_prices()
    assert np.array_equal(X[0, :3], [58.16, 195.92, 156.6])
    assert np.array_equal(X[1, :3], [572.97, 809.8, 349.04])
    published_first_ten = [1.581913, 3.450274, 2.978769, 2.808258, 2.556398,
                           3.023983, 3.099523, 2.121069, 3.136544, 1.273443]
    assert np.allclose(Y[0, :10], published_first_ten, rtol=0, atol=1e-12)


def test_apartment_prices_follow_their_arguments_and_seed():
    X, Y = datasets.apartment_prices(m=500, seed=3, surfaces=(20.0, 30.0), distances=(10.0, 20.0))
    assert X.shape == (2, 500) and Y.shape == (1, 500)
    assert np.all((X[0] >= 20.0) & (X[0] <= 30.0)) and np.all((X[1] >= 10.0) & (X[1] <= 20.0))
    X_again, Y_again = datasets.apartment_prices(m=500, seed=3, surfaces=(20.0, 30.0), distances=(10.0, 20.0))
    assert np.array_equal(X, X_again) and np.array_equal(Y, Y_again)


def test_apartment_prices_rejects_an_empty_range():
    with pytest.raises(ValueError, match="distances must be a range"):
        datasets.apartment_prices(distances=(1000.0, 50.0))


def test_the_digits_are_scikit_learn_s():
    """digits_pair reads scikit-learn's file without importing scikit-learn: the same images and labels as
    load_digits gives."""
    load_digits = pytest.importorskip("sklearn.datasets").load_digits
    digits = load_digits()
    X, Y = datasets.digits_pair(8, 9)
    chosen = np.isin(digits.target, (8, 9))
    np.testing.assert_array_equal(X, digits.data[chosen].T / 16.0)
    np.testing.assert_array_equal(Y, (digits.target[chosen] == 9).astype(int).reshape(1, -1))
    assert X.shape == (64, 354) and Y.dtype.kind == "i"
