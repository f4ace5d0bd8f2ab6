"""helpers.reference.activations: every derivative against central differences, and a sigmoid that never overflows."""
import numpy as np
import pytest

from helpers.reference import activations
from helpers.gradcheck import numerical_gradient, relative_error

pytestmark = pytest.mark.filterwarnings("error")

SEEDS = range(5)

PAIRS = {
    "sigmoid": (activations.sigmoid, activations.sigmoid_derivative),
    "tanh": (activations.tanh, activations.tanh_derivative),
    "relu": (activations.relu, activations.relu_derivative),
    "leaky_relu": (activations.leaky_relu, activations.leaky_relu_derivative),
    "leaky_relu slope 0.2": (lambda z: activations.leaky_relu(z, slope=0.2),
                             lambda z: activations.leaky_relu_derivative(z, slope=0.2)),
}


def random_inputs(seed):
    """z of a random 1-, 2- or 3-d shape, in [-3, 3] and at least 1e-3 away from the kink at 0."""
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 5, size=rng.integers(1, 4)))
    magnitude = rng.uniform(1e-3, 3.0, size=shape)
    return magnitude * rng.choice([-1.0, 1.0], size=shape)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", PAIRS)
def test_derivative_matches_central_differences(name, seed):
    g, g_prime = PAIRS[name]
    z = random_inputs(seed)
    # Subtracting the unperturbed values makes every untouched entry contribute
    # exactly 0, so rounding in the sum does not swamp small derivatives.
    baseline = g(z.copy())
    numeric = numerical_gradient(lambda: np.sum(g(z) - baseline), z)
    analytic = g_prime(z)
    assert analytic.shape == z.shape
    assert relative_error(analytic, numeric) < 1e-7


@pytest.mark.parametrize("name", PAIRS)
def test_derivatives_take_the_net_input_not_the_activation(name):
    g, g_prime = PAIRS[name]
    z = np.array([-2.0, -0.5, 0.7, 1.5])
    h = 1e-5
    assert np.allclose(g_prime(z), (g(z + h) - g(z - h)) / (2 * h), rtol=1e-8, atol=0)


def test_sigmoid_is_one_half_at_zero_exactly():
    assert activations.sigmoid(0) == 0.5
    assert activations.sigmoid(0.0) == 0.5
    assert np.array_equal(activations.sigmoid(np.zeros((2, 3))), np.full((2, 3), 0.5))


def test_sigmoid_saturates_without_overflow_warnings():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert activations.sigmoid(1000.0) == 1.0
        assert activations.sigmoid(-1000.0) == 0.0
        values = activations.sigmoid(np.array([[-1000.0, -745.0, 745.0, 1000.0]]))
        derivative = activations.sigmoid_derivative(np.array([-1000.0, 1000.0]))
    assert values[0, 0] == 0.0 and values[0, 3] == 1.0
    assert np.all((values >= 0.0) & (values <= 1.0)) and np.all(np.diff(values) >= 0)
    assert np.array_equal(derivative, [0.0, 0.0])


def test_sigmoid_agrees_with_the_textbook_formula_where_that_is_safe():
    z = np.linspace(-30, 30, 121)
    assert np.allclose(activations.sigmoid(z), 1.0 / (1.0 + np.exp(-z)), rtol=1e-14, atol=0)


def test_sigmoid_is_symmetric():
    z = np.linspace(-40, 40, 81)
    assert np.allclose(activations.sigmoid(-z), 1.0 - activations.sigmoid(z), rtol=0, atol=1e-15)


@pytest.mark.parametrize("function", [
    activations.sigmoid, activations.sigmoid_derivative, activations.tanh, activations.tanh_derivative,
    activations.relu, activations.relu_derivative, activations.leaky_relu, activations.leaky_relu_derivative,
])
def test_shapes_are_preserved_from_scalars_to_3d(function):
    assert np.ndim(function(0.3)) == 0
    assert np.ndim(function(-2)) == 0
    for shape in [(3,), (1, 4), (2, 3, 4)]:
        assert np.shape(function(np.ones(shape))) == shape


def test_sigmoid_accepts_integer_arrays():
    assert np.allclose(activations.sigmoid(np.array([-1, 0, 1])), 1.0 / (1.0 + np.exp([1.0, 0.0, -1.0])))


def test_derivative_values_at_zero():
    assert activations.sigmoid_derivative(0.0) == 0.25
    assert activations.tanh_derivative(0.0) == 1.0
    # The kink: both ReLUs take the left-hand derivative at z = 0.
    assert activations.relu_derivative(0.0) == 0.0
    assert activations.leaky_relu_derivative(0.0) == 0.01
    assert activations.leaky_relu_derivative(0.0, slope=0.3) == 0.3


def test_relu_family_by_hand():
    z = np.array([-2.0, 0.0, 3.0])
    assert np.array_equal(activations.relu(z), [0.0, 0.0, 3.0])
    assert np.array_equal(activations.relu_derivative(z), [0.0, 0.0, 1.0])
    assert np.allclose(activations.leaky_relu(z), [-0.02, 0.0, 3.0])
    assert np.allclose(activations.leaky_relu(z, slope=0.5), [-1.0, 0.0, 3.0])
    assert np.allclose(activations.leaky_relu_derivative(z, slope=0.5), [0.5, 0.5, 1.0])


def test_tanh_limits():
    with np.errstate(over="raise", invalid="raise"):
        assert activations.tanh(1000.0) == 1.0
        assert activations.tanh(-1000.0) == -1.0
        assert activations.tanh_derivative(1000.0) == 0.0


def test_unit_step_counts_zero_as_positive():
    assert np.array_equal(activations.unit_step(np.array([-0.5, 0.0, 2.0])), [-1, 1, 1])
