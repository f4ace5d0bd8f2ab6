"""helpers.mistakes: every catalogued mistake is wrong, and it is the value a student's bug really produces."""
import numpy as np
import pytest

from helpers import adaline, logistic, mistakes, shallow

pytestmark = pytest.mark.filterwarnings("error")

SEEDS = range(5)


def differs(value, reference):
    """True if the shapes differ or some entry is off by more than 1e-6 relative."""
    value, reference = np.asarray(value, dtype=np.float64), np.asarray(reference, dtype=np.float64)
    return value.shape != reference.shape or not np.allclose(value, reference, rtol=1e-6, atol=1e-12)


def same(value, reference):
    """True if value has reference's shape and values (to 1e-12)."""
    value, reference = np.asarray(value, dtype=np.float64), np.asarray(reference, dtype=np.float64)
    return value.shape == reference.shape and np.allclose(value, reference, rtol=1e-12, atol=1e-14)


# -- random problems in which every mistake can be told apart (n_h != n_x, m >= 2) --------


def shallow_problem(seed, n_y=1):
    rng = np.random.default_rng(seed)
    n_x = int(rng.integers(1, 5))
    n_h = n_x + int(rng.integers(1, 4))
    m = int(rng.integers(2, 20))
    X = rng.standard_normal((n_x, m))
    Y = rng.integers(0, 2, size=(n_y, m))
    params = {"W1": rng.standard_normal((n_h, n_x)), "b1": rng.standard_normal((n_h, 1)),
              "W2": rng.standard_normal((n_y, n_h)), "b2": rng.standard_normal((n_y, 1))}
    _, cache = shallow.forward(X, params)
    return params, cache, X, Y


def neuron_problem(seed, labels):
    rng = np.random.default_rng(seed)
    n_x, m = int(rng.integers(2, 6)), int(rng.integers(2, 30))
    X = rng.standard_normal((n_x, m))
    Y = rng.choice(labels, size=(1, m))
    return X, Y, rng.standard_normal((n_x, 1)), float(rng.standard_normal())


# -- every variant differs from the reference -------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_every_shallow_mistake_differs_from_the_reference(seed):
    params, cache, X, Y = shallow_problem(seed)
    right = shallow.backward(params, cache, X, Y)
    variants = mistakes.shallow_backward(params, cache, X, Y)
    assert len(variants) >= 9
    for diagnosis, grads in variants.items():
        assert set(grads) == set(right), diagnosis
        assert any(differs(grads[name], right[name]) for name in right), diagnosis


@pytest.mark.parametrize("seed", SEEDS)
def test_every_logistic_mistake_differs_from_the_reference(seed):
    X, Y, w, b = neuron_problem(seed, [0, 1])
    right = logistic.gradients(X, Y, w, b)
    variants = mistakes.logistic_gradients(X, Y, w, b)
    assert len(variants) >= 5
    for diagnosis, (dw, db) in variants.items():
        assert differs(dw, right[0]) or differs(db, right[1]), diagnosis


@pytest.mark.parametrize("seed", SEEDS)
def test_every_adaline_mistake_differs_from_the_reference(seed):
    X, Y, w, b = neuron_problem(seed, [-1, 1])
    right = adaline.gradients(X, Y, w, b)
    variants = mistakes.adaline_gradients(X, Y, w, b)
    assert len(variants) == 3
    for diagnosis, (dw, db) in variants.items():
        assert differs(dw, right[0]) or differs(db, right[1]), diagnosis


def test_mistakes_that_coincide_with_the_right_answer_are_dropped():
    # One example (m = 1) makes "missing 1/m" and "averaged twice" right; one
    # hidden unit and one input make dW1 a 1x1 matrix, equal to its transpose.
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((1, 1)), np.array([[1]])
    params = {"W1": rng.standard_normal((1, 1)), "b1": np.zeros((1, 1)),
              "W2": rng.standard_normal((1, 1)), "b2": np.zeros((1, 1))}
    _, cache = shallow.forward(X, params)
    right = shallow.backward(params, cache, X, Y)
    variants = mistakes.shallow_backward(params, cache, X, Y)
    assert not any("m times" in diagnosis for diagnosis in variants)
    assert not any(diagnosis.startswith("dW1 is transposed") for diagnosis in variants)
    for diagnosis, grads in variants.items():
        assert any(differs(grads[name], right[name]) for name in right), diagnosis


def test_w2_instead_of_its_transpose_is_offered_only_when_it_can_be_formed():
    params, cache, X, Y = shallow_problem(1)
    assert not any("W2.T belongs" in diagnosis for diagnosis in mistakes.shallow_backward(params, cache, X, Y))
    # Three outputs and three hidden units: W2 is square, so W2 @ dZ2 is a valid product.
    rng = np.random.default_rng(2)
    X, Y = rng.standard_normal((2, 6)), rng.integers(0, 2, size=(3, 6))
    params = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1)),
              "W2": rng.standard_normal((3, 3)), "b2": rng.standard_normal((3, 1))}
    _, cache = shallow.forward(X, params)
    variants = mistakes.shallow_backward(params, cache, X, Y)
    matching = [diagnosis for diagnosis in variants if "W2.T belongs" in diagnosis]
    assert len(matching) == 1
    dZ1 = (params["W2"] @ (cache["A2"] - Y)) * (1 - cache["A1"] ** 2)
    assert same(variants[matching[0]]["dW1"], dZ1 @ X.T / 6)


# -- each variant is what a student's buggy code really returns -------------------------
# The buggy functions are written the way a student would write them, from
# scratch, so that the test checks the catalogue against real bugs.


def buggy_shallow_backward(params, cache, X, Y, bug):
    m = X.shape[1]
    W2, Z1, A1, A2 = params["W2"], cache["Z1"], cache["A1"], cache["A2"]
    dZ2 = Y - A2 if bug == "sign" else A2 - Y
    derivative = {"sigmoid": A1 * (1 - A1), "Z1": 1 - Z1 ** 2}.get(bug, 1 - A1 ** 2)
    dZ1 = np.dot(W2.T, dZ2) * derivative
    scale = {"no_mean": 1, "mean_twice": m * m}.get(bug, m)
    dW1 = np.dot(X, dZ1.T) / scale if bug == "dW1_T" else np.dot(dZ1, X.T) / scale
    dW2 = np.dot(A1, dZ2.T) / scale if bug == "dW2_T" else np.dot(dZ2, A1.T) / scale
    if bug == "axis0":
        db1, db2 = np.sum(dZ1, axis=0, keepdims=True) / m, np.sum(dZ2, axis=0, keepdims=True) / m
    elif bug == "no_keepdims":
        db1, db2 = np.sum(dZ1, axis=1) / m, np.sum(dZ2, axis=1) / m
    else:
        db1, db2 = np.sum(dZ1, axis=1, keepdims=True) / scale, np.sum(dZ2, axis=1, keepdims=True) / scale
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


SHALLOW_BUGS = {
    "sigmoid": "sigmoid", "Z1": "Z1**2", "no_mean": "missing", "mean_twice": "twice", "sign": "sign",
    "dW1_T": "dW1 is transposed", "dW2_T": "dW2 is transposed", "axis0": "axis=0", "no_keepdims": "keepdims",
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", SHALLOW_BUGS)
def test_shallow_catalogue_recognises_a_real_bug(bug, seed):
    params, cache, X, Y = shallow_problem(seed)
    student = buggy_shallow_backward(params, cache, X, Y, bug)
    right = shallow.backward(params, cache, X, Y)
    assert any(differs(student[name], right[name]) for name in right)
    matches = [diagnosis for diagnosis, grads in mistakes.shallow_backward(params, cache, X, Y).items()
               if all(same(student[name], grads[name]) for name in student)]
    assert len(matches) == 1, matches
    assert SHALLOW_BUGS[bug] in matches[0]


def buggy_logistic_gradients(X, Y, w, b, bug):
    m = X.shape[1]
    Z = np.dot(w.T, X) + b
    A = 1 / (1 + np.exp(-Z))
    dZ = {"sign": Y - A, "Z": Z - Y}.get(bug, A - Y)
    scale = {"no_mean": 1, "mean_twice": m * m}.get(bug, m)
    dw = np.dot(dZ, X.T) / scale if bug == "dw_T" else np.dot(X, dZ.T) / scale
    db = np.sum(dZ, axis=0) / m if bug == "axis0" else np.sum(dZ) / scale
    return dw, db


LOGISTIC_BUGS = {"no_mean": "missing", "mean_twice": "twice", "sign": "sign", "dw_T": "transposed",
                 "axis0": "axis=0", "Z": "net input Z"}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", LOGISTIC_BUGS)
def test_logistic_catalogue_recognises_a_real_bug(bug, seed):
    X, Y, w, b = neuron_problem(seed, [0, 1])
    student = buggy_logistic_gradients(X, Y, w, b, bug)
    matches = [diagnosis for diagnosis, (dw, db) in mistakes.logistic_gradients(X, Y, w, b).items()
               if same(student[0], dw) and same(student[1], db)]
    assert len(matches) == 1, matches
    assert LOGISTIC_BUGS[bug] in matches[0]


def buggy_adaline_gradients(X, Y, w, b, bug):
    errors = Y - (np.dot(w.T, X) + b)
    sign = 1 if bug == "sign" else -1
    scale = X.shape[1] if bug == "mean" else 1
    dw = sign * np.dot(errors, X.T) if bug == "dw_T" else sign * np.dot(X, errors.T)
    return dw / scale, sign * np.sum(errors) / scale


ADALINE_BUGS = {"sign": "sign", "dw_T": "transposed", "mean": "not their mean"}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", ADALINE_BUGS)
def test_adaline_catalogue_recognises_a_real_bug(bug, seed):
    X, Y, w, b = neuron_problem(seed, [-1, 1])
    student = buggy_adaline_gradients(X, Y, w, b, bug)
    matches = [diagnosis for diagnosis, (dw, db) in mistakes.adaline_gradients(X, Y, w, b).items()
               if same(student[0], dw) and same(student[1], db)]
    assert len(matches) == 1, matches
    assert ADALINE_BUGS[bug] in matches[0]


def test_diagnoses_tell_the_student_what_to_do():
    params, cache, X, Y = shallow_problem(0)
    X1, Y1, w, b = neuron_problem(0, [0, 1])
    catalogues = [mistakes.shallow_backward(params, cache, X, Y),
                  mistakes.logistic_gradients(X1, Y1, w, b),
                  mistakes.adaline_gradients(X1, 2 * Y1 - 1, w, b)]
    for catalogue in catalogues:
        for diagnosis in catalogue:
            # "what is wrong: what to do." in one sentence, as the grader prints it.
            assert ":" in diagnosis and diagnosis.endswith("."), diagnosis
            assert len(diagnosis) < 200, diagnosis
