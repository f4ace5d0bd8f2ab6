"""helpers.reference.perceptron: the unit step, the learning rule, the lecture's iris result, and failure on XOR."""
import numpy as np
import pytest

from helpers import datasets
from helpers.reference import perceptron

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def iris_fit():
    """The lecture's run: iris subset, eta 0.1, 10 epochs, zero initial weights."""
    X, Y = datasets.load_iris_subset()
    return perceptron.fit(X, Y, eta=0.1, num_epochs=10)


def test_net_input_by_hand():
    X = np.array([[1.0, 2.0],
                  [3.0, -1.0]])
    w = np.array([[0.5], [-1.0]])
    Z = perceptron.net_input(X, w, 0.25)
    assert Z.shape == (1, 2)
    assert np.allclose(Z, [[0.5 - 3.0 + 0.25, 1.0 + 1.0 + 0.25]])


def test_predict_is_the_unit_step_with_zero_counted_as_positive():
    X = np.array([[-1.0, 0.0, 2.0]])
    Y_hat = perceptron.predict(X, np.array([[1.0]]), 0.0)
    assert Y_hat.shape == (1, 3)
    assert np.array_equal(Y_hat, [[-1, 1, 1]])


def test_update_step_leaves_a_correctly_classified_example_alone():
    x = np.array([[1.0], [2.0]])
    w = np.array([[0.3], [0.1]])
    new_w, new_b = perceptron.update_step(x, 1, w, -0.2, eta=0.1)
    assert np.array_equal(new_w, w) and new_b == -0.2


def test_update_step_moves_by_two_eta_x_on_a_mistake():
    x = np.array([[1.0], [2.0]])
    w = np.array([[0.3], [0.1]])
    new_w, new_b = perceptron.update_step(x, -1, w, -0.2, eta=0.1)
    assert np.allclose(new_w, w - 0.2 * x)
    assert new_b == pytest.approx(-0.4)


def test_update_step_does_not_modify_its_inputs():
    x = np.array([[1.0], [2.0]])
    w = np.array([[0.3], [0.1]])
    x_before, w_before = x.copy(), w.copy()
    perceptron.update_step(x, -1, w, -0.2, eta=0.1)
    assert np.array_equal(x, x_before) and np.array_equal(w, w_before)


def test_train_epoch_counts_the_updates_it_makes():
    X = np.array([[1.0, 3.0, -2.0]])
    Y = np.array([[-1, -1, 1]])
    w, b, num_errors = perceptron.train_epoch(X, Y, np.zeros((1, 1)), 0.0, eta=0.5)
    # Zero weights predict +1 for the first example (a mistake); after that
    # update, w = -1 and b = -1 classify the other two correctly.
    assert num_errors == 1
    assert np.allclose(w, [[-1.0]]) and b == pytest.approx(-1.0)


def test_iris_reproduces_the_published_weights(iris_fit):
    w, b, _ = iris_fit
    assert w.shape == (2, 1)
    assert np.allclose(b, -0.4, rtol=0.0, atol=1e-9)
    assert np.allclose(w.ravel(), [-0.68, 1.82], rtol=0.0, atol=1e-9)


def test_iris_converges_in_the_sixth_epoch(iris_fit):
    _, _, errors = iris_fit
    assert len(errors) == 10
    assert errors[0] > 0
    assert errors.index(0) == 5, f"first error-free epoch should be the 6th, errors were {errors}"
    assert all(count == 0 for count in errors[5:])


def test_iris_final_weights_classify_every_training_flower(iris_fit):
    w, b, _ = iris_fit
    X, Y = datasets.load_iris_subset()
    assert np.array_equal(perceptron.predict(X, w, b), Y)


def test_xor_corners_are_never_learned():
    X, Y = datasets.xor_corners(labels="pm1")
    _, _, errors = perceptron.fit(X, Y, eta=0.1, num_epochs=50)
    assert len(errors) == 50
    assert min(errors) > 0
