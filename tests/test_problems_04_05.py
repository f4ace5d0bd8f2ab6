"""The test problems of assignments 04 and 05 (helpers/specs/shallow_network.py, vectorization.py): the examples,
and from a seed exactly the random problems the hidden tests drew when each test cell drew its own, so that every
score stays the same."""
import numpy as np
import pytest

from helpers import datasets
from helpers.reference import shallow, shallow_squared
from helpers.specs import shallow_network as shallow_spec
from helpers.specs import vectorization as vectorization_spec

EXAMPLE_PARAMS = {"W1": np.array([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]]), "b1": np.array([[0.1], [-0.2], [0.0]]),
                  "W2": np.array([[1.0, -1.5, 0.5]]), "b2": np.array([[0.2]])}
X_EXAMPLE, Y_EXAMPLE = np.array([[1.0, -0.5, 2.0], [0.5, 1.5, -1.0]]), np.array([[1, 0, 1]])


def same(got, expected):
    """Equal values of the same types, shapes and dtypes, all the way down."""
    if isinstance(expected, dict):
        return isinstance(got, dict) and list(got) == list(expected) and all(same(got[k], expected[k]) for k in got)
    if isinstance(expected, (tuple, list)):
        return type(got) is type(expected) and len(got) == len(expected) and all(map(same, got, expected))
    if isinstance(expected, np.ndarray):
        return (isinstance(got, np.ndarray) and got.dtype == expected.dtype and got.shape == expected.shape
                and np.array_equal(got, expected))
    return type(got) is type(expected) and got == expected


# -- the problems as the test cells drew them before they were declared once (their own code, verbatim) --------


def drawn_problem(rng, hiddens=8, examples=30):
    n_x, n_h, m = int(rng.integers(1, 6)), int(rng.integers(1, hiddens)), int(rng.integers(1, examples))
    X = rng.normal(size=(n_x, m))
    Y = rng.integers(0, 2, size=(1, m))
    params = {"W1": rng.normal(size=(n_h, n_x)), "b1": rng.normal(size=(n_h, 1)),
              "W2": rng.normal(size=(1, n_h)), "b2": rng.normal(size=(1, 1))}
    return X, Y, params, f"n_x={n_x}, n_h={n_h}, m={m}"


def old_layer_sizes():
    rng, problems = np.random.default_rng(401), []
    for case in range(4):
        n_x, n_y, m, n_h = (int(size) for size in rng.integers(1, 9, size=4))
        problems.append(((np.zeros((n_x, m)), np.zeros((n_y, m)), n_h), f"X {(n_x, m)}, Y {(n_y, m)}, n_h={n_h}"))
    return problems


def old_initialize_parameters():
    rng, problems = np.random.default_rng(402), []
    for _ in range(4):
        n_x, n_h, seed = int(rng.integers(1, 6)), int(rng.integers(1, 9)), int(rng.integers(0, 1000))
        problems.append(((n_x, n_h, 1, seed), f"n_x={n_x}, n_h={n_h}, seed={seed}"))
    return problems


def old_forward():
    rng = np.random.default_rng(403)
    return [((X, params), case) for X, Y, params, case in (drawn_problem(rng) for _ in range(4))]


def old_cost():
    rng, problems = np.random.default_rng(404), []
    for _ in range(4):
        m = int(rng.integers(2, 40))
        A2 = rng.uniform(0.02, 0.98, size=(1, m))
        Y = rng.integers(0, 2, size=(1, m))
        problems.append(((A2, Y), f"m={m}"))
    return problems


def old_backward():
    rng, problems = np.random.default_rng(405), []
    for _ in range(5):
        X, Y, params, case = drawn_problem(rng)
        problems.append(((params, shallow.forward(X, params)[1], X, Y), case))
    return problems


def old_update_parameters():
    rng, problems = np.random.default_rng(406), []
    for _ in range(4):
        X, Y, params, case = drawn_problem(rng)
        grads = shallow.backward(params, shallow.forward(X, params)[1], X, Y)
        learning_rate = float(rng.uniform(0.01, 2.0))
        problems.append(((params, grads, learning_rate), f"{case}, learning_rate={learning_rate:.3f}"))
    return problems


def old_fit():
    rng, problems = np.random.default_rng(407), []
    for _ in range(3):
        n_x, m = int(rng.integers(1, 5)), int(rng.integers(2, 40))
        X = rng.normal(size=(n_x, m))
        Y = rng.integers(0, 2, size=(1, m))
        arguments = (int(rng.integers(1, 7)), float(rng.uniform(0.1, 2.0)), int(rng.integers(1, 60)),
                     int(rng.integers(0, 100)), int(rng.integers(1, 8)))
        problems.append(((X, Y, *arguments), f"n_x={n_x}, m={m}, n_h={arguments[0]}, {arguments[2]} iterations"))
    return problems


def old_predict():
    rng, problems = np.random.default_rng(408), []
    for index in range(4):
        X, Y, params, case = drawn_problem(rng)
        if index == 0:
            params = {**params, "W2": np.zeros_like(params["W2"]), "b2": np.zeros_like(params["b2"])}
            case += ", A2 = 0.5"
        problems.append(((X, params), case))
    return problems


def old_train_step():
    rng, problems = np.random.default_rng(501), []
    for index in range(6):
        X, Y, params, case = drawn_problem(rng, hiddens=9, examples=40)
        learning_rate = float(rng.uniform(0.01, 2.0))
        against = "the loop version" if index % 3 == 0 else "the reference"
        problems.append(((X, Y, params, learning_rate), f"{case}, vs {against}"))
    return problems


HIDDEN = {
    "layer_sizes": (401, old_layer_sizes), "initialize_parameters": (402, old_initialize_parameters),
    "forward_propagation": (403, old_forward), "compute_cost": (404, old_cost),
    "backward_propagation": (405, old_backward), "update_parameters": (406, old_update_parameters),
    "fit": (407, old_fit), "predict": (408, old_predict),
}

EXAMPLES = {
    "layer_sizes": [((np.zeros((2, 5)), np.zeros((1, 5)), 4), "")],
    "initialize_parameters": [((2, 3, 1, 0), "")],
    "forward_propagation": [((X_EXAMPLE, EXAMPLE_PARAMS), "")],
    "compute_cost": [((np.array([[0.8, 0.3, 0.6]]), Y_EXAMPLE), "")],
    "backward_propagation": [((EXAMPLE_PARAMS, shallow.forward(X_EXAMPLE, EXAMPLE_PARAMS)[1], X_EXAMPLE, Y_EXAMPLE),
                              "")],
    "update_parameters": [((EXAMPLE_PARAMS, shallow.backward(EXAMPLE_PARAMS, shallow.forward(X_EXAMPLE, EXAMPLE_PARAMS)[1],
                                                             X_EXAMPLE, Y_EXAMPLE), 0.5), "")],
    "fit": [((*datasets.noisy_xor(m=200, noise=0.25, seed=0), 4, 2.4, 250, 0, 50), "noisy XOR")],
    "predict": [((X_EXAMPLE, EXAMPLE_PARAMS), "")],
}


@pytest.mark.parametrize("name", HIDDEN)
def test_the_random_problems_of_04_are_those_the_hidden_tests_drew(name):
    seed, old = HIDDEN[name]
    assert same(shallow_spec.GRADED[name].problems(seed), old())


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_examples_of_04_are_those_of_the_visible_tests(name):
    assert same(shallow_spec.GRADED[name].problems(), EXAMPLES[name])


def test_the_problems_of_05_are_those_the_tests_drew():
    X = np.array([[1.0, -0.5, 2.0, 0.0], [0.5, 1.5, -1.0, 1.0]])
    example = [((X, np.array([[1, 0, 1, 0]]), EXAMPLE_PARAMS, 0.3), "example, vs the loop version")]
    problems = vectorization_spec.GRADED["train_step_vectorized"].problems
    assert same(problems(), example)
    assert same(problems(501), old_train_step())


def test_the_step_is_compared_with_the_loop_version_where_its_case_says_so():
    for seed in (None, 501):
        for _, case, version in vectorization_spec._train_step_problems(seed):
            looped = case.endswith("vs the loop version")
            assert version is (shallow_squared.train_step_per_unit if looped else shallow_squared.train_step)


@pytest.mark.parametrize("name", [*HIDDEN, "backward_propagation_leaky_relu", "train_step_vectorized",
                                  "train_step_per_example"])
def test_the_catalogued_mistakes_come_in_the_order_of_the_outputs(name):
    graded = {**shallow_spec.GRADED, **vectorization_spec.GRADED}[name]
    for args, _ in graded.problems() + graded.problems(7):
        expected = graded.reference(*args)
        expected = expected if len(graded.outputs) > 1 else (expected,)
        for variant in (graded.mistakes(*args) if graded.mistakes else {}).values():
            variant = variant if isinstance(variant, tuple) else (variant,)
            assert len(variant) == len(graded.outputs)
            for got, right in zip(variant, expected):
                assert type(got) is type(right) or np.ndim(right) == np.ndim(got) == 0


def test_the_leaky_relu_example_is_the_backward_pass_example():
    [((params, cache, X, Y), case)] = shallow_spec.GRADED["backward_propagation_leaky_relu"].problems()
    assert case == "" and same(X, X_EXAMPLE) and same(Y, Y_EXAMPLE) and same(params, EXAMPLE_PARAMS)
    assert same(cache, shallow.forward_leaky_relu(X_EXAMPLE, EXAMPLE_PARAMS)[1])


def test_stage_1_is_tested_on_the_problems_of_stage_2():
    stages = vectorization_spec.GRADED
    assert same(stages["train_step_per_example"].problems(511), stages["train_step_vectorized"].problems(511))
