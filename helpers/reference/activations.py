"""Activation functions g(z) and their derivatives g'(z), elementwise on arrays of any shape.

    sigmoid     s(z) = 1 / (1 + e^-z)              s'(z) = s(z) (1 - s(z))
    tanh        tanh(z)                            tanh'(z) = 1 - tanh(z)^2
    relu        max(0, z)                          relu'(z) = 1 if z > 0 else 0
    leaky relu  z if z > 0 else slope z            1 if z > 0 else slope

Every derivative takes the net input z, not the activation g(z). ReLU and
leaky ReLU have no derivative at z = 0; we use the left-hand value there
(0 and slope), the usual convention.

Apart from unit_step, a scalar z gives a NumPy scalar back and an array z an
array of its shape (indexing with [()] unwraps the 0-d array that np.where
makes from a scalar).
"""
import numpy as np


def unit_step(z):
    """The perceptron's threshold: +1 where z >= 0, else -1 (integers)."""
    return np.where(np.asarray(z) >= 0.0, 1, -1)


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^-z), without overflow for large |z|.

    e^-|z| lies in (0, 1], so it never overflows: for z >= 0 we use
    1 / (1 + e^-z), for z < 0 the equal form e^z / (1 + e^z).
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


def sigmoid_derivative(z):
    """s(z) (1 - s(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent."""
    return np.tanh(z)


def tanh_derivative(z):
    """1 - tanh(z)^2."""
    return 1.0 - np.tanh(z) ** 2


def relu(z):
    """max(0, z)."""
    return np.maximum(0.0, z)


def relu_derivative(z):
    """1 where z > 0, else 0 (0 at z = 0 by convention)."""
    return np.where(np.asarray(z) > 0, 1.0, 0.0)[()]


def leaky_relu(z, slope=0.01):
    """z where z > 0, else slope * z."""
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, z, slope * z)[()]


def leaky_relu_derivative(z, slope=0.01):
    """1 where z > 0, else slope (slope at z = 0 by convention)."""
    return np.where(np.asarray(z) > 0, 1.0, slope)[()]
