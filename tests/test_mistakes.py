"""The catalogues of mistakes (helpers/answers): every catalogued mistake is wrong, and it is the value a student's
bug really produces."""
import numpy as np
import pytest

from helpers.answers import adaline as adaline_answers
from helpers.answers import logistic_regression as logistic_answers
from helpers.answers import shallow_network as shallow_answers
from helpers.answers import vectorization as vectorization_answers
from helpers.reference import adaline, logistic, shallow, shallow_squared
from helpers.answers import catalogue as mistake_catalogue

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
    variants = shallow_answers.shallow_backward(params, cache, X, Y)
    assert len(variants) >= 9
    for diagnosis, grads in variants.items():
        assert set(grads) == set(right), diagnosis
        assert any(differs(grads[name], right[name]) for name in right), diagnosis


@pytest.mark.parametrize("seed", SEEDS)
def test_every_logistic_mistake_differs_from_the_reference(seed):
    X, Y, w, b = neuron_problem(seed, [0, 1])
    right = logistic.gradients(X, Y, w, b)
    variants = logistic_answers.logistic_gradients(X, Y, w, b)
    assert len(variants) >= 5
    for diagnosis, (dw, db) in variants.items():
        assert differs(dw, right[0]) or differs(db, right[1]), diagnosis


@pytest.mark.parametrize("seed", SEEDS)
def test_every_adaline_mistake_differs_from_the_reference(seed):
    X, Y, w, b = neuron_problem(seed, [-1, 1])
    right = adaline.gradients(X, Y, w, b)
    variants = adaline_answers.adaline_gradients(X, Y, w, b)
    assert len(variants) == 5
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
    variants = shallow_answers.shallow_backward(params, cache, X, Y)
    assert not any("m times" in diagnosis for diagnosis in variants)
    assert not any(diagnosis.startswith("dW1 is transposed") for diagnosis in variants)
    for diagnosis, grads in variants.items():
        assert any(differs(grads[name], right[name]) for name in right), diagnosis


def test_w2_instead_of_its_transpose_is_offered_only_when_it_can_be_formed():
    params, cache, X, Y = shallow_problem(1)
    assert not any("W2.T belongs" in diagnosis for diagnosis in shallow_answers.shallow_backward(params, cache, X, Y))
    # Three outputs and three hidden units: W2 is square, so W2 @ dZ2 is a valid product.
    rng = np.random.default_rng(2)
    X, Y = rng.standard_normal((2, 6)), rng.integers(0, 2, size=(3, 6))
    params = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1)),
              "W2": rng.standard_normal((3, 3)), "b2": rng.standard_normal((3, 1))}
    _, cache = shallow.forward(X, params)
    variants = shallow_answers.shallow_backward(params, cache, X, Y)
    matching = [diagnosis for diagnosis in variants if "W2.T belongs" in diagnosis]
    assert len(matching) == 1
    dZ1 = (params["W2"] @ (cache["A2"] - Y)) * (1 - cache["A1"] ** 2)
    assert same(variants[matching[0]]["dW1"], dZ1 @ X.T / 6)


# -- each variant is what a student's buggy code really returns -------------------------
# The buggy functions are written the way a student would write them, from
# scratch, so that the test checks the catalogue against real bugs.


def buggy_shallow_backward(params, cache, X, Y, bug, output_delta=lambda A2, Y: A2 - Y):
    """The shallow network's gradients with the named bug; output_delta gives the cost's right dZ2 (the
    cross-entropy's by default, shallow_squared.output_delta for the homework's network)."""
    m = X.shape[1]
    W2, Z1, A1, A2 = params["W2"], cache["Z1"], cache["A1"], cache["A2"]
    dZ2 = -output_delta(A2, Y) if bug == "sign" else output_delta(A2, Y)
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


def diagnoses_by_output(catalogue, student, right, names):
    """{output: the diagnoses whose value for that output is the student's}, for the outputs the student got
    wrong: the grader compares output by output, so each wrong output must be named on its own."""
    def value(variant, name):
        return variant[name] if isinstance(variant, dict) else variant[names.index(name)]
    return {name: [diagnosis for diagnosis, variant in catalogue.items()
                   if same(value(student, name), value(variant, name))]
            for name in names if differs(value(student, name), value(right, name))}


HOMEWORK_BUGS = {**SHALLOW_BUGS, "cross_entropy": "the cross-entropy's", "doubled": "twice the loop version's"}


def buggy_homework_backward(params, cache, X, Y, bug):
    """The homework network's gradients with the named bug: assignment 4's kinds, its cross-entropy's dZ2 (a step
    pasted from assignment 4), or a dZ2 twice the right one (the square's 2 without the cost's 1/2)."""
    if bug == "cross_entropy":
        return shallow.backward(params, cache, X, Y)
    if bug == "doubled":
        return {name: 2 * grad for name, grad in shallow_squared.backward(params, cache, X, Y).items()}
    return buggy_shallow_backward(params, cache, X, Y, bug, shallow_squared.output_delta)


# Each network's backward pass: its bugs, their buggy gradients, the right gradients and its catalogue.
NETWORKS = {
    "assignment 04": (SHALLOW_BUGS, buggy_shallow_backward, shallow.backward, shallow_answers.shallow_backward),
    "homework 05": (HOMEWORK_BUGS, buggy_homework_backward, shallow_squared.backward,
                    vectorization_answers.squared_error_backward),
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("network, bug", [(network, bug) for network, (bugs, *_) in NETWORKS.items() for bug in bugs])
def test_the_shallow_catalogues_recognise_a_real_bug(network, bug, seed):
    """Every gradient the student got wrong is named by exactly one diagnosis, the bug's."""
    bugs, buggy, backward, catalogue = NETWORKS[network]
    params, cache, X, Y = shallow_problem(seed)
    right = backward(params, cache, X, Y)
    named = diagnoses_by_output(catalogue(params, cache, X, Y), buggy(params, cache, X, Y, bug), right, tuple(right))
    assert named
    for output, matches in named.items():
        assert len(matches) == 1, (output, matches)
        assert bugs[bug] in matches[0]


def test_the_homework_cost_catalogue_names_assignment_4_s_cost():
    params, cache, X, Y = shallow_problem(0)
    catalogue = vectorization_answers.squared_error_cost(cache["A2"], Y)
    [named] = [diagnosis for diagnosis, value in catalogue.items() if value == shallow.cost(cache["A2"], Y)]
    assert "cross-entropy" in named


@pytest.mark.parametrize("seed", SEEDS)
def test_a_missing_one_over_m_names_only_the_gradients_that_lack_it(seed):
    params, cache, X, Y = shallow_problem(seed)
    m = X.shape[1]
    right = shallow.backward(params, cache, X, Y)
    student = {**right, "dW1": m * right["dW1"], "db1": m * right["db1"]}   # the 1/m forgotten in layer 1 only
    named = diagnoses_by_output(shallow_answers.shallow_backward(params, cache, X, Y), student, right, tuple(right))
    assert set(named) == {"dW1", "db1"}
    for output, matches in named.items():
        assert len(matches) == 1, matches
        assert "1/m average over the examples is missing from " + output in matches[0]
        assert not any(other in matches[0] for other in set(right) - {output})


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
    named = diagnoses_by_output(logistic_answers.logistic_gradients(X, Y, w, b), student, logistic.gradients(X, Y, w, b),
                                ("dw", "db"))
    assert named
    for output, matches in named.items():
        assert len(matches) == 1, (output, matches)
        assert LOGISTIC_BUGS[bug] in matches[0]


@pytest.mark.parametrize("seed", SEEDS)
def test_logistic_missing_one_over_m_in_db_alone_names_db_alone(seed):
    X, Y, w, b = neuron_problem(seed, [0, 1])
    dw, db = logistic.gradients(X, Y, w, b)
    named = diagnoses_by_output(logistic_answers.logistic_gradients(X, Y, w, b), (dw, X.shape[1] * db), (dw, db),
                                ("dw", "db"))
    assert list(named) == ["db"] and len(named["db"]) == 1
    assert "missing from db" in named["db"][0] and "dw" not in named["db"][0]


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
    matches = [diagnosis for diagnosis, (dw, db) in adaline_answers.adaline_gradients(X, Y, w, b).items()
               if same(student[0], dw) and same(student[1], db)]
    assert len(matches) == 1, matches
    assert ADALINE_BUGS[bug] in matches[0]


def test_diagnoses_tell_the_student_what_to_do():
    params, cache, X, Y = shallow_problem(0)
    X1, Y1, w, b = neuron_problem(0, [0, 1])
    catalogues = [shallow_answers.shallow_backward(params, cache, X, Y),
                  logistic_answers.logistic_gradients(X1, Y1, w, b),
                  adaline_answers.adaline_gradients(X1, 2 * Y1 - 1, w, b)]
    for catalogue in catalogues:
        for diagnosis in catalogue:
            # "what is wrong: what to do." in one sentence, as the grader prints it.
            assert ":" in diagnosis and diagnosis.endswith("."), diagnosis
            assert len(diagnosis) < 200, diagnosis


# -- Adaline and logistic regression: cost, step, loop and prediction catalogues -------
# Each bug is written out as a student would write it; exactly one entry of the
# catalogue must match it, and it must be the one that names that bug.


def matching(catalogue, student):
    """The diagnoses whose value equals the student's answer (nan equal to nan)."""
    def equal(value, reference):
        value, reference = np.asarray(value, dtype=np.float64), np.asarray(reference, dtype=np.float64)
        return value.shape == reference.shape and np.allclose(value, reference, rtol=1e-12, atol=1e-14, equal_nan=True)
    student = student if isinstance(student, tuple) else (student,)
    return [diagnosis for diagnosis, value in catalogue.items()
            if all(equal(s, v) for s, v in zip(student, value if isinstance(value, tuple) else (value,)))]


def assert_named(catalogue, student, phrase):
    matches = matching(catalogue, student)
    assert len(matches) == 1, matches
    assert phrase in matches[0]


def buggy_loop_gradients_last_example_only(X, Y, w, b):
    n_x, m = X.shape
    dw, db = np.zeros((n_x, 1)), 0.0
    for i in range(m):
        a = 1 / (1 + np.exp(-(np.dot(w.T, X[:, [i]]).item() + b)))
        dz = a - Y[0, i]
        dw = X[:, [i]] * dz
        db = dz
    return dw / m, db / m


@pytest.mark.parametrize("seed", SEEDS)
def test_logistic_catalogue_recognises_a_loop_that_does_not_accumulate(seed):
    X, Y, w, b = neuron_problem(seed, [0, 1])
    student = buggy_loop_gradients_last_example_only(X, Y, w, b)
    assert_named(logistic_answers.logistic_gradients(X, Y, w, b), student, "only the last example")


def buggy_adaline_step_errors(X, Y, w, b):
    errors = Y - np.where(np.dot(w.T, X) + b >= 0, 1, -1)
    return -np.dot(X, errors.T), -np.sum(errors)


@pytest.mark.parametrize("seed", SEEDS)
def test_adaline_catalogue_recognises_errors_of_the_predicted_labels(seed):
    X, Y, w, b = neuron_problem(seed, [-1, 1])
    w = 0.1 * w  # small weights leave some examples on the wrong side, so Y - Z and Y - Y_hat differ
    student = buggy_adaline_step_errors(X, Y, w, b)
    assert_named(adaline_answers.adaline_gradients(X, Y, w, b), student, "unit step")


def buggy_adaline_cost(X, Y, w, b, bug):
    Z = np.dot(w.T, X) + b
    if bug == "step":
        Z = np.where(Z >= 0, 1, -1)
    if bug == "square_of_sum":
        return 0.5 * np.sum(Y - Z) ** 2
    squared = np.sum((Y - Z) ** 2)
    return {"no_half": squared, "mean": 0.5 * squared / X.shape[1]}.get(bug, 0.5 * squared)


ADALINE_COST_BUGS = {"no_half": "twice too large", "mean": "not their mean", "square_of_sum": "squares the sum",
                     "step": "unit step"}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", ADALINE_COST_BUGS)
def test_adaline_cost_catalogue_recognises_a_real_bug(bug, seed):
    X, Y, w, b = neuron_problem(seed, [-1, 1])
    assert_named(adaline_answers.adaline_cost(X, Y, w, b), buggy_adaline_cost(X, Y, w, b, bug), ADALINE_COST_BUGS[bug])


def buggy_batch_step(X, Y, w, b, eta, bug):
    errors = Y - (np.dot(w.T, X) + b)
    dw, db = -np.dot(X, errors.T), -np.sum(errors)
    if bug == "ascent":
        return w + eta * dw, b + eta * db
    if bug == "no_bias":
        return w - eta * dw, b
    return w - dw, b - db


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug, phrase", [("ascent", "up the gradient"), ("no_bias", "bias is not updated"),
                                         ("no_eta", "learning rate is missing")])
def test_adaline_batch_step_catalogue_recognises_a_real_bug(bug, phrase, seed):
    X, Y, w, b = neuron_problem(seed, [-1, 1])
    assert_named(adaline_answers.adaline_batch_step(X, Y, w, b, 0.05), buggy_batch_step(X, Y, w, b, 0.05, bug), phrase)


def buggy_fit_batch(X, Y, eta, num_epochs, bug):
    w, b, costs = np.zeros((X.shape[0], 1)), 0.0, []
    for _ in range(num_epochs):
        errors = Y - (np.dot(w.T, X) + b)
        if bug == "mean":
            costs.append(0.5 * np.sum(errors ** 2) / X.shape[1])
        w, b = w + eta * np.dot(X, errors.T), b + eta * np.sum(errors)
        if bug == "after":
            costs.append(0.5 * np.sum((Y - (np.dot(w.T, X) + b)) ** 2))
    return w, b, costs


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug, phrase", [("after", "after each update"), ("mean", "divided by m")])
def test_adaline_fit_batch_catalogue_recognises_a_real_bug(bug, phrase, seed):
    X, Y, _, _ = neuron_problem(seed, [-1, 1])
    assert_named(adaline_answers.adaline_fit_batch(X, Y, 0.01, 4), buggy_fit_batch(X, Y, 0.01, 4, bug), phrase)


def buggy_standardize(X, bug):
    if bug == "axis0":
        mean, std = X.mean(axis=0, keepdims=True), X.std(axis=0, keepdims=True)
    elif bug == "overall":
        mean, std = X.mean(), X.std()
    else:
        mean, std = X.mean(axis=1, keepdims=True), X.var(axis=1, keepdims=True)
    return (X - mean) / std, mean, std


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug, phrase", [("axis0", "axis=0"), ("overall", "whole of X"), ("variance", "variance")])
def test_standardize_catalogue_recognises_a_real_bug(bug, phrase, seed):
    X, _, _, _ = neuron_problem(seed, [-1, 1])
    assert_named(adaline_answers.standardize(X), buggy_standardize(X, bug), phrase)


def buggy_sgd_epoch(X, Y, w, b, eta, rng, bug):
    m = X.shape[1]
    order = range(m) if bug == "in_order" else rng.permutation(m)
    if bug == "batch":
        errors = Y - (np.dot(w.T, X) + b)
        return w + eta * np.dot(X, errors.T), b + eta * np.sum(errors), 0.5 * np.sum(errors ** 2) / m
    total = 0.0
    for i in order:
        error = Y[0, i] - (np.dot(w.T, X[:, [i]]).item() + b)
        total += 0.5 * error ** 2
        w, b = w + eta * error * X[:, [i]], b + eta * error
    if bug == "final_weights":
        return w, b, 0.5 * np.sum((Y - (np.dot(w.T, X) + b)) ** 2) / m
    return w, b, total if bug == "sum" else total / m


SGD_BUGS = {"in_order": "column order", "batch": "batch gradient descent", "sum": "divide it by m",
            "final_weights": "final weights"}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", SGD_BUGS)
def test_sgd_epoch_catalogue_recognises_a_real_bug(bug, seed):
    X, Y, w, b = neuron_problem(seed, [-1, 1])
    X = np.hstack([X, X[:, :1] + 1.0])  # m >= 3, so that a shuffled order differs from column order
    Y = np.hstack([Y, Y[:, :1]])
    catalogue = adaline_answers.adaline_sgd_epoch(X, Y, w, b, 0.05, np.random.default_rng(seed))
    student = buggy_sgd_epoch(X, Y, w, b, 0.05, np.random.default_rng(seed), bug)
    if bug == "in_order" and np.array_equal(np.random.default_rng(seed).permutation(X.shape[1]), np.arange(X.shape[1])):
        pytest.skip("this seed's permutation happens to be the identity")
    assert_named(catalogue, student, SGD_BUGS[bug])


def test_sgd_epoch_catalogue_leaves_the_callers_generator_alone():
    X, Y, w, b = neuron_problem(0, [-1, 1])
    rng = np.random.default_rng(3)
    adaline_answers.adaline_sgd_epoch(X, Y, w, b, 0.05, rng)
    assert rng.integers(1 << 30) == np.random.default_rng(3).integers(1 << 30)


def test_sigmoid_catalogue_recognises_the_flipped_exponent():
    z = np.linspace(-4, 4, 9).reshape(1, -1)
    assert_named(logistic_answers.logistic_sigmoid(z), 1 / (1 + np.exp(z)), "e^z where e^-z belongs")


def buggy_logistic_cost(A, Y, bug):
    m = Y.shape[1]
    A_safe = np.clip(A, 1e-12, 1 - 1e-12)
    if bug == "unclipped":
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    log = np.log10 if bug == "log10" else np.log
    losses = Y * log(A_safe) + (0 if bug == "one_term" else (1 - Y) * log(1 - A_safe))
    return {"sign": np.sum(losses) / m, "sum": -np.sum(losses)}.get(bug, -np.sum(losses) / m)


LOGISTIC_COST_BUGS = {"unclipped": "log(0)", "sign": "sign is flipped", "sum": "divide their sum by m",
                      "one_term": "only the y log(a) term", "log10": "np.log10"}


@pytest.mark.parametrize("bug", LOGISTIC_COST_BUGS)
@pytest.mark.parametrize("A", [
    np.array([[1.0, 0.0, 0.7, 0.2]]),   # saturated and right: the unclipped cost is nan (0 * log 0)
    np.array([[0.0, 1.0, 0.7, 0.2]]),   # saturated and wrong: the unclipped cost is inf
], ids=["confidently_right", "confidently_wrong"])
def test_logistic_cost_catalogue_recognises_a_real_bug(bug, A):
    Y = np.array([[1, 0, 1, 0]])
    assert_named(logistic_answers.logistic_cost(A, Y), buggy_logistic_cost(A, Y, bug), LOGISTIC_COST_BUGS[bug])


def test_unclipped_cost_is_no_mistake_when_nothing_saturates():
    A, Y = np.array([[0.9, 0.2, 0.6]]), np.array([[1, 0, 0]])
    assert not any("log(0)" in diagnosis for diagnosis in logistic_answers.logistic_cost(A, Y))


def test_a_nan_answer_counts_as_different_from_a_finite_one():
    assert mistake_catalogue.differs(np.array([np.nan]), np.array([1.0]))
    assert mistake_catalogue.differs(np.inf, 27.6)
    assert not mistake_catalogue.differs(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]))


def buggy_optimize(X, Y, w, b, learning_rate, num_iterations, record_every, bug):
    if bug == "zeros":
        w, b = np.zeros_like(w), 0.0
    costs = []
    for i in range(num_iterations):
        A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
        if bug == "every" or (bug != "after" and i % record_every == 0):
            costs.append(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
        dZ = A - Y
        dw, db = np.dot(X, dZ.T) / X.shape[1], np.mean(dZ)
        step = learning_rate if bug != "ascent" else -learning_rate
        w, b = w - step * dw, b - step * db
        if bug == "after" and i % record_every == 0:
            A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
            costs.append(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
    return w, b, costs


OPTIMIZE_BUGS = {"after": "after the update", "every": "every iteration", "ascent": "up the gradient",
                 "zeros": "starts from zero weights"}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", OPTIMIZE_BUGS)
def test_logistic_optimize_catalogue_recognises_a_real_bug(bug, seed):
    X, Y, w, b = neuron_problem(seed, [0, 1])
    catalogue = logistic_answers.logistic_optimize(X, Y, w, b, 0.5, 6, record_every=2)
    assert_named(catalogue, buggy_optimize(X, Y, w, b, 0.5, 6, 2, bug), OPTIMIZE_BUGS[bug])


@pytest.mark.parametrize("bug, phrase", [("ge", "not >="), ("probabilities", "returns the probabilities"),
                                         ("z", "compares z with 0.5")])
def test_logistic_predict_catalogue_recognises_a_real_bug(bug, phrase):
    X = np.array([[-2.0, 0.0, 0.3, 0.6, 3.0]])  # z = 0 exactly for the second example
    w, b = np.array([[1.0]]), 0.0
    A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
    student = {"ge": (A >= 0.5).astype(int), "probabilities": A,
               "z": (np.dot(w.T, X) + b > 0.5).astype(int)}[bug]
    assert_named(logistic_answers.logistic_predict(X, w, b), student, phrase)


def test_new_diagnoses_tell_the_student_what_to_do():
    X, Y, w, b = neuron_problem(1, [-1, 1])
    Y01 = (Y + 1) // 2
    A = np.array([[1.0, 0.0, 0.5]])
    catalogues = [adaline_answers.adaline_cost(X, Y, w, b), adaline_answers.adaline_batch_step(X, Y, w, b, 0.1),
                  adaline_answers.adaline_fit_batch(X, Y, 0.1, 3), adaline_answers.standardize(X),
                  adaline_answers.adaline_sgd_epoch(X, Y, w, b, 0.1, np.random.default_rng(0)),
                  logistic_answers.logistic_sigmoid(np.array([[-1.0, 2.0]])),
                  logistic_answers.logistic_cost(A, np.array([[1, 0, 1]])),
                  logistic_answers.logistic_optimize(X, Y01, w, b, 0.1, 4, 2),
                  logistic_answers.logistic_predict(np.hstack([X, np.zeros((X.shape[0], 1))]), w, 0.0)]
    for catalogue in catalogues:
        assert catalogue
        for diagnosis in catalogue:
            assert ":" in diagnosis and diagnosis.endswith("."), diagnosis
            assert len(diagnosis) < 200, diagnosis


def test_adaline_activation_catalogue_recognises_the_unit_step():
    Z = np.array([[-1.5, 0.0, 0.25, 2.0]])
    assert_named(adaline_answers.adaline_activation(Z), np.where(Z >= 0, 1, -1), "identity")


# -- the rest of the shallow network: initialization, forward pass, update, training step --------


def buggy_initialize_parameters(n_x, n_h, n_y, seed, bug):
    rng = np.random.default_rng(seed)
    scale = 1.0 if bug == "unscaled" else 0.01
    if bug == "W2_first":
        W2 = scale * rng.standard_normal((n_y, n_h))
        W1 = scale * rng.standard_normal((n_h, n_x))
        return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
    W1 = scale * rng.standard_normal((n_h, n_x))
    b1 = scale * rng.standard_normal((n_h, 1)) if bug == "random_biases" else np.zeros((n_h, 1))
    W2 = scale * rng.standard_normal((n_y, n_h))
    b2 = scale * rng.standard_normal((n_y, 1)) if bug == "random_biases" else np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def buggy_forward(X, params, bug):
    Z1 = np.dot(params["W1"], X) + (0 if bug == "no_b1" else params["b1"])
    A1 = 1 / (1 + np.exp(-Z1)) if bug == "sigmoid_hidden" else np.tanh(Z1)
    Z2 = np.dot(params["W2"], A1) + params["b2"]
    A2 = np.tanh(Z2) if bug == "tanh_output" else 1 / (1 + np.exp(-Z2))
    return {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def buggy_update(params, grads, learning_rate, bug):
    rate = 1.0 if bug == "no_rate" else learning_rate
    sign = 1 if bug == "sign" else -1
    return {"W1": params["W1"] + sign * rate * grads["dW1"], "b1": params["b1"] + sign * rate * grads["db1"],
            "W2": params["W2"] + sign * rate * grads["dW2"], "b2": params["b2"] + sign * rate * grads["db2"]}


def matches(student, catalogue):
    """The diagnoses whose value equals the student's dict entry for entry."""
    return [diagnosis for diagnosis, value in catalogue.items()
            if set(value) == set(student) and all(same(student[name], value[name]) for name in student)]


INIT_BUGS = {"unscaled": "not scaled", "W2_first": "W2 is drawn before W1", "random_biases": "biases are random"}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", INIT_BUGS)
def test_initialization_catalogue_recognises_a_real_bug(bug, seed):
    n_x, n_h = 1 + seed % 3, 2 + seed
    student = buggy_initialize_parameters(n_x, n_h, 1, seed, bug)
    right = shallow.initialize_parameters(n_x, n_h, 1, seed=seed)
    assert any(differs(student[name], right[name]) for name in right)
    [diagnosis] = matches(student, shallow_answers.shallow_initialize_parameters(n_x, n_h, 1, seed=seed))
    assert INIT_BUGS[bug] in diagnosis


FORWARD_BUGS = {"sigmoid_hidden": "hidden layer uses the sigmoid", "tanh_output": "output uses tanh",
                "no_b1": "b1 is not added"}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", FORWARD_BUGS)
def test_forward_catalogue_recognises_a_real_bug(bug, seed):
    params, cache, X, _ = shallow_problem(seed)
    student = buggy_forward(X, params, bug)
    assert any(differs(student[name], cache[name]) for name in cache)
    [diagnosis] = matches(student, shallow_answers.shallow_forward(X, params))
    assert FORWARD_BUGS[bug] in diagnosis


UPDATE_BUGS = {"sign": "wrong sign", "no_rate": "learning rate is missing"}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", UPDATE_BUGS)
def test_update_catalogue_recognises_a_real_bug(bug, seed):
    params, cache, X, Y = shallow_problem(seed)
    grads = shallow.backward(params, cache, X, Y)
    student = buggy_update(params, grads, 0.3, bug)
    [diagnosis] = matches(student, shallow_answers.shallow_update_parameters(params, grads, 0.3))
    assert UPDATE_BUGS[bug] in diagnosis


def test_a_learning_rate_of_one_drops_the_missing_rate_mistake():
    params, cache, X, Y = shallow_problem(0)
    grads = shallow.backward(params, cache, X, Y)
    assert list(shallow_answers.shallow_update_parameters(params, grads, 1.0)) == [
        diagnosis for diagnosis in shallow_answers.shallow_update_parameters(params, grads, 0.5) if "sign" in diagnosis]


def test_a_scalar_db_is_recognised():
    params, cache, X, Y = shallow_problem(3)
    dZ2 = cache["A2"] - Y
    dZ1 = (params["W2"].T @ dZ2) * (1 - cache["A1"] ** 2)
    student = {**shallow.backward(params, cache, X, Y), "db1": np.sum(dZ1) / X.shape[1], "db2": np.sum(dZ2) / X.shape[1]}
    [diagnosis] = matches(student, shallow_answers.shallow_backward(params, cache, X, Y))
    assert "single number" in diagnosis


@pytest.mark.parametrize("seed", SEEDS)
def test_train_step_catalogue_carries_backward_mistakes_through_the_update(seed):
    params, cache, X, Y = shallow_problem(seed)
    student_grads = buggy_shallow_backward(params, cache, X, Y, "no_keepdims", shallow_squared.output_delta)
    # what the student's own update makes of a (n_h,) db1: NumPy broadcasts b1 to (n_h, n_h)
    student_params = buggy_update(params, student_grads, 0.5, bug=None)
    assert student_params["b1"].shape == (params["b1"].shape[0],) * 2
    variants = vectorization_answers.shallow_train_step(X, Y, params, 0.5)
    found = [diagnosis for diagnosis, (new_params, _, grads) in variants.items()
             if matches(student_params, {diagnosis: new_params}) and matches(student_grads, {diagnosis: grads})]
    assert len(found) == 1 and "keepdims" in found[0]


def test_train_step_catalogue_leaves_out_updates_that_cannot_be_formed():
    params, cache, X, Y = shallow_problem(1)  # n_h != n_x: a transposed dW1 cannot be subtracted from W1
    variants = vectorization_answers.shallow_train_step(X, Y, params, 0.5)
    [transposed] = [value for diagnosis, value in variants.items() if diagnosis.startswith("dW1 is transposed")]
    new_params, _, grads = transposed
    assert "W1" not in new_params and set(new_params) == {"b1", "W2", "b2"}
    assert same(grads["dW1"], shallow_squared.backward(params, cache, X, Y)["dW1"].T)


def test_train_step_catalogue_names_the_wrong_sign_with_the_right_gradients():
    params, cache, X, Y = shallow_problem(2)
    _, cost, grads = shallow_squared.train_step(X, Y, params, 0.5)
    [(new_params, wrong_cost, wrong_grads)] = [
        value for diagnosis, value in vectorization_answers.shallow_train_step(X, Y, params, 0.5).items() if "wrong sign" in diagnosis]
    assert wrong_cost == cost and all(same(wrong_grads[name], grads[name]) for name in grads)
    assert same(new_params["W1"], params["W1"] + 0.5 * grads["dW1"])


def test_new_shallow_diagnoses_tell_the_student_what_to_do():
    params, cache, X, Y = shallow_problem(0)
    grads = shallow.backward(params, cache, X, Y)
    catalogues = [shallow_answers.shallow_initialize_parameters(2, 3, 1, seed=0), shallow_answers.shallow_forward(X, params),
                  shallow_answers.shallow_update_parameters(params, grads, 0.5), vectorization_answers.shallow_train_step(X, Y, params, 0.5)]
    for catalogue in catalogues:
        assert catalogue
        for diagnosis in catalogue:
            assert ":" in diagnosis and diagnosis.endswith("."), diagnosis
            assert len(diagnosis) < 200, diagnosis


@pytest.mark.parametrize("seed", SEEDS)
def test_shallow_predict_catalogue(seed):
    params, cache, X, _ = shallow_problem(seed)
    variants = shallow_answers.shallow_predict(X, params)
    right = shallow.predict(X, params)
    assert all(differs(value, right) for value in variants.values())
    assert any(same(value, cache["A2"]) for value in variants.values())
    # W2 = 0 and b2 = 0 put every example exactly on the boundary, A2 = 0.5: only there do > and >= differ
    on_boundary = {**params, "W2": np.zeros_like(params["W2"]), "b2": np.zeros_like(params["b2"])}
    [diagnosis] = [d for d, value in shallow_answers.shallow_predict(X, on_boundary).items() if same(value, np.ones_like(right))]
    assert "not >=" in diagnosis


def test_sgd_epoch_catalogue_recognises_an_order_from_rng_choice():
    X, Y, w, b = neuron_problem(2, [-1, 1])
    rng = np.random.default_rng(5)
    order = np.random.default_rng(5).choice(X.shape[1], X.shape[1], replace=False)
    w_student, b_student, total = w, b, 0.0
    for i in order:
        error = Y[0, i] - (np.dot(w_student.T, X[:, [i]]).item() + b_student)
        total += 0.5 * error ** 2
        w_student, b_student = w_student + 0.05 * error * X[:, [i]], b_student + 0.05 * error
    catalogue = adaline_answers.adaline_sgd_epoch(X, Y, w, b, 0.05, rng)
    assert_named(catalogue, (w_student, b_student, total / X.shape[1]), "rng.choice")
