"""The central-difference yardstick itself, on functions whose gradients are known in closed form."""
import numpy as np
import pytest

from helpers.gradcheck import norm_relative_error, numerical_gradient, relative_error


@pytest.mark.parametrize("seed", range(5))
def test_numerical_gradient_of_a_quadratic_form(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 6))
    A = rng.normal(size=(n, n))
    theta = rng.normal(size=(n, 1))
    numeric = numerical_gradient(lambda: theta.T @ A @ theta, theta)  # a (1, 1) array
    assert relative_error(numeric, (A + A.T) @ theta) < 1e-8


def test_numerical_gradient_restores_the_parameter():
    theta = np.array([[0.3, -1.2], [2.0, 0.5]])
    before = theta.copy()
    numerical_gradient(lambda: float(np.sum(np.sin(theta))), theta)
    assert np.array_equal(theta, before)


def test_numerical_gradient_of_a_non_linear_function():
    theta = np.array([0.1, -0.7, 1.3])
    numeric = numerical_gradient(lambda: float(np.sum(np.tanh(theta) ** 2)), theta)
    analytic = 2 * np.tanh(theta) * (1 - np.tanh(theta) ** 2)
    assert relative_error(numeric, analytic) < 1e-8


def test_relative_error_is_relative_and_symmetric():
    a = np.array([1.0, 100.0])
    b = np.array([1.001, 100.1])
    assert relative_error(a, b) == pytest.approx(1e-3, rel=1e-2)
    assert relative_error(a, b) == relative_error(b, a)
    assert relative_error(a, a) == 0.0


def test_relative_error_ignores_rounding_noise_next_to_zero():
    assert relative_error(np.array([1.0, 0.0]), np.array([1.0, 1e-17])) < 1e-9


def test_relative_error_sees_a_wrong_small_entry_of_a_small_array():
    assert relative_error(np.array([1e-4, 2e-4]), np.array([1e-4, 3e-4])) > 0.3


def test_norm_relative_error():
    a = np.array([3.0, 4.0])
    assert norm_relative_error(a, a) == 0.0
    assert norm_relative_error(a, -a) == pytest.approx(1.0)
    assert norm_relative_error(np.zeros(2), np.zeros(2)) == 0.0
