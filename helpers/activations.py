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


# -- test problems and checks for a student's sigmoid ---------------------------------------------------------


def sigmoid_problems(seed=None, count=4):
    """Problems (z,) for sigmoid, [(args, case)] for grading.Check.cases: the notebook's examples (seed=None), or
    arrays of random shapes and scales (up to 1000) drawn from seed, then z just inside the limits of float64."""
    if seed is None:
        return [((np.array([[-3.0, -1.0, 0.0, 0.5, 4.0]]),), ""),
                ((np.array([[-1000.0, -50.0, 50.0, 1000.0]]),), "|z| up to 1000")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        shape = tuple(int(n) for n in rng.integers(1, 7, size=2))
        z = rng.normal(scale=10.0 ** int(rng.integers(0, 4)), size=shape)
        problems.append(((z,), f"shape {shape}"))
    problems.append(((np.array([[-745.5, -709.8, -40.0, 40.0, 709.8, 745.5]]),), "near the float limits"))
    return problems


def check_sigmoid(check, student, seed=None, **draw):
    """The cases of sigmoid (check.graded), each also required to run without overflow: a call that makes np.exp
    overflow adds a warning to the table's notes, and its case gets a failing 'no overflow' row."""
    graded = check.graded
    for args, case in graded.problems(seed, **draw):
        notes_before = len(check.notes)
        check.function(student, graded.reference, args, outputs=graded.outputs, case=case,
                       mistakes=graded.mistakes(*args))
        overflowed = any("overflow" in note for note in check.notes[notes_before:])
        check.require(f"no overflow [{case or 'example'}]", not overflowed,
                      "np.exp overflowed (e^z is inf beyond z = 709): exponentiate only -|z|, "
                      "e = np.exp(-np.abs(z)), and pick the form by the sign of z.")


def check_sigmoid_of_a_float(check, student):
    """sigmoid(0.0): a plain float in, a number out (check.graded is sigmoid's)."""
    check.function(student, check.graded.reference, (0.0,), outputs=check.graded.outputs, case="z = 0.0, a float")
