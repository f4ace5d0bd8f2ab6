"""The feedback of the shallow-network assignments: each catalogued mistake, written as a student
would write it and fed to the real test cell of source/04 or source/05, is named in the table, and
the backward pass's partial credit is exactly the points of the gradients that are right."""
import ast

import nbformat
import numpy as np
import pytest

from helpers.answers import shallow_network as shallow_answers
from helpers import grading
from helpers.reference import shallow, shallow_squared
from helpers.specs import shallow_network as shallow_spec
from support import SOURCE_DIR

SHALLOW = SOURCE_DIR / "04_shallow_network" / "04_shallow_network.ipynb"
HOMEWORK = SOURCE_DIR / "05_vectorization" / "05_vectorization.ipynb"


def cells(path):
    """{grade_id: source} of a source notebook."""
    return {cell.metadata.get("nbgrader", {}).get("grade_id"): cell.source
            for cell in nbformat.read(path, as_version=4).cells}


SHALLOW_CELLS, HOMEWORK_CELLS = cells(SHALLOW), cells(HOMEWORK)


def run_test_cell(notebook_cells, grade_id, setup=("imports",), **student):
    """Run a test cell the way the notebook would, with the student's functions in its namespace.

    Returns (check, score): score is the value of the cell's last expression, as nbgrader reads it
    (None when there is none), or the AssertionError the cell raised.
    """
    namespace = {}
    for setup_id in setup:
        exec(notebook_cells[setup_id], namespace)  # noqa: S102 (the course's own cells)
    namespace.update(student)
    body = ast.parse(notebook_cells[grade_id])
    last = body.body[-1]
    expression = body.body.pop() if isinstance(last, ast.Expr) else None
    try:
        exec(compile(body, grade_id, "exec"), namespace)  # noqa: S102
        score = eval(compile(ast.Expression(expression.value), grade_id, "eval"), namespace) if expression else None
    except AssertionError as error:
        score = error
    return namespace["check"], score


def failing(check):
    return {row.name: row.diagnosis for row in check.failures}


# -- the backward pass, as students get it wrong -----------------------------------------------


def backward_with(bug):
    """A student's backward_propagation, right except for the named bug."""

    def backward_propagation(params, cache, X, Y):
        m = X.shape[1]
        W2, Z1, A1, A2 = params["W2"], cache["Z1"], cache["A1"], cache["A2"]
        dZ2 = Y - A2 if bug == "sign" else A2 - Y
        derivative = {"sigmoid": A1 * (1 - A1), "Z1": 1 - Z1 ** 2}.get(bug, 1 - A1 ** 2)
        dZ1 = np.dot(W2, dZ2) * derivative if bug == "W2" else np.dot(W2.T, dZ2) * derivative
        scale = {"no_mean": 1, "mean_twice": m * m}.get(bug, m)
        dW1 = np.dot(X, dZ1.T) / scale if bug == "dW1_T" else np.dot(dZ1, X.T) / scale
        dW2 = np.dot(A1, dZ2.T) / scale if bug == "dW2_T" else np.dot(dZ2, A1.T) / scale
        db1 = np.sum(dZ1, axis=1, keepdims=True) / scale
        db2 = np.sum(dZ2, axis=1, keepdims=True) / scale
        if bug == "axis0":
            db1, db2 = np.sum(dZ1, axis=0, keepdims=True) / m, np.sum(dZ2, axis=0, keepdims=True) / m
        if bug in ("no_keepdims", "db1_no_keepdims"):
            db1 = np.sum(dZ1, axis=1) / m
        if bug in ("no_keepdims", "db2_no_keepdims"):
            db2 = np.sum(dZ2, axis=1) / m
        if bug == "scalar_db":
            db1, db2 = np.sum(dZ1) / m, np.sum(dZ2) / m
        return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}

    return backward_propagation


# bug: (words the diagnosis of every failing row contains, the gradients it gets wrong)
BACKWARD_BUGS = {
    "sigmoid": ("sigmoid's derivative", {"dW1", "db1"}),
    "Z1": ("1 - Z1**2", {"dW1", "db1"}),
    "no_mean": ("1/m average over the examples is missing", {"dW1", "db1", "dW2", "db2"}),
    "mean_twice": ("averaged twice", {"dW1", "db1", "dW2", "db2"}),
    "sign": ("sign is flipped", {"dW1", "db1", "dW2", "db2"}),
    "dW1_T": ("dW1 is transposed", {"dW1"}),
    "dW2_T": ("dW2 is transposed", {"dW2"}),
    "axis0": ("summed over axis=0", {"db1", "db2"}),
    "no_keepdims": ("without keepdims=True", {"db1", "db2"}),
    "scalar_db": ("db is a single number", {"db1", "db2"}),
    "db1_no_keepdims": ("without keepdims=True", {"db1"}),
    "db2_no_keepdims": ("without keepdims=True", {"db2"}),
}


@pytest.mark.parametrize("bug", BACKWARD_BUGS)
def test_the_backward_cell_names_the_mistake_and_gives_the_points_of_the_right_gradients(bug):
    words, wrong_gradients = BACKWARD_BUGS[bug]
    check, score = run_test_cell(SHALLOW_CELLS, "backward_propagation_tests",
                                 backward_propagation=backward_with(bug))
    failed = failing(check)
    assert {name.split()[0] for name in failed} == wrong_gradients
    for name, diagnosis in failed.items():
        if "vs central difference" in name and bug in ("no_mean", "mean_twice"):
            continue  # the central difference is the yardstick there, and m is not known to it per row
        assert words in diagnosis, (name, diagnosis)
    assert score == 4 - len(wrong_gradients)


def test_every_row_of_a_wrong_gradient_fails_in_every_case():
    """One point per gradient is earned only if all its cases pass: the hidden cases count."""
    check, _ = run_test_cell(SHALLOW_CELLS, "backward_propagation_tests", backward_propagation=backward_with("dW2_T"))
    dW2_rows = [row for row in check.rows if row.name.startswith("dW2")]
    assert len(dW2_rows) >= 12  # 6 cases, each against the reference and a central difference
    # a (1, 1) dW2 (one hidden unit) is its own transpose: there the mistake cannot show
    assert all(not row.passed for row in dW2_rows if row.expected_shape != "(1, 1)")


def test_the_right_backward_pass_earns_all_four_points():
    check, score = run_test_cell(SHALLOW_CELLS, "backward_propagation_tests",
                                 backward_propagation=backward_with(None))
    assert not check.failures and score == 4


def test_w2_instead_of_its_transpose_stops_at_the_line_that_uses_it():
    # With one output unit np.dot(W2, dZ2) cannot be formed: the cell names the crash and its line.
    check, score = run_test_cell(SHALLOW_CELLS, "backward_propagation_tests", backward_propagation=backward_with("W2"))
    crashes = [row.diagnosis for row in check.failures if row.name == "call backward_propagation"]
    assert crashes and all("np.dot(W2, dZ2)" in diagnosis and "ValueError" in diagnosis for diagnosis in crashes)
    assert score == 0


def test_w2_instead_of_its_transpose_is_named_where_the_product_exists():
    # Three outputs and three hidden units: W2 is square and the mistaken product computes something.
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(2, 7)), rng.integers(0, 2, size=(3, 7))
    params = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=(3, 1)),
              "W2": rng.normal(size=(3, 3)), "b2": rng.normal(size=(3, 1))}
    _, cache = shallow.forward(X, params)
    grads = backward_with("W2")(params, cache, X, Y)
    variants = shallow_answers.shallow_backward(params, cache, X, Y)
    check = grading.Check("backward")
    for name, expected in shallow.backward(params, cache, X, Y).items():
        check.compare(name, grads[name], expected, m=7, mistakes={d: value[name] for d, value in variants.items()})
    assert {row.name for row in check.failures} == {"dW1", "db1"}
    assert all("W2.T belongs" in row.diagnosis for row in check.failures)


def test_the_backward_cell_ends_with_its_points():
    """nbgrader reads a test cell's last value as its partial credit: the weights must add up to the cell's points."""
    notebook = nbformat.read(SHALLOW, as_version=4)
    [cell] = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == "backward_propagation_tests"]
    last_line = cell.source.strip().splitlines()[-1]
    assert last_line.startswith("check.points(")
    weights = ast.literal_eval(last_line[len("check.points("):-1])
    assert weights == {"dW1": 1, "db1": 1, "dW2": 1, "db2": 1}
    assert sum(weights.values()) == cell.metadata.nbgrader.points


# -- the rest of assignment 04 --------------------------------------------------------------


def update_with(bug):
    def update_parameters(params, grads, learning_rate):
        rate = 1.0 if bug == "no_rate" else learning_rate
        sign = 1 if bug == "sign" else -1
        return {name: params[name] + sign * rate * grads["d" + name] for name in ("W1", "b1", "W2", "b2")}

    return update_parameters


@pytest.mark.parametrize("bug, words", [("sign", "wrong sign"), ("no_rate", "learning rate is missing")])
def test_the_update_cell_names_the_mistake(bug, words):
    check, score = run_test_cell(SHALLOW_CELLS, "update_parameters_tests", update_parameters=update_with(bug))
    assert isinstance(score, AssertionError)
    assert check.failures and all(words in row.diagnosis for row in check.failures)


def test_the_forward_cell_names_a_sigmoid_hidden_layer():
    def forward_propagation(X, params):
        Z1 = params["W1"] @ X + params["b1"]
        A1 = 1 / (1 + np.exp(-Z1))
        Z2 = params["W2"] @ A1 + params["b2"]
        A2 = 1 / (1 + np.exp(-Z2))
        return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}

    check, _ = run_test_cell(SHALLOW_CELLS, "forward_propagation_tests", forward_propagation=forward_propagation)
    assert {row.name.split(" [")[0] for row in check.failures} == {"A2", "cache A1", "cache Z2", "cache A2"}
    assert all("hidden layer uses the sigmoid" in row.diagnosis for row in check.failures)


# -- the homework: a whole training step in one function ---------------------------------------


def step_with(bug):
    """A student's train_step_vectorized, right except for the named bug."""

    def train_step_vectorized(X, Y, params, learning_rate):
        m = X.shape[1]
        A1 = np.tanh(params["W1"] @ X + params["b1"])
        A2 = 1 / (1 + np.exp(-(params["W2"] @ A1 + params["b2"])))
        if bug == "pasted_04":  # assignment 4's cross-entropy network
            cost, dZ2 = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))), A2 - Y
        else:
            cost, dZ2 = float(np.mean((A2 - Y) ** 2) / 2), (A2 - Y) * A2 * (1 - A2)
        if bug == "doubled_dz2":  # the square's 2 without the cost's 1/2
            dZ2 = 2 * dZ2
        dZ1 = (params["W2"].T @ dZ2) * (1 - A1 ** 2)
        scale = 1 if bug == "no_mean" else m
        grads = {"dW1": dZ1 @ X.T / scale, "db1": np.sum(dZ1, axis=1, keepdims=bug != "no_keepdims") / scale,
                 "dW2": dZ2 @ A1.T / scale, "db2": np.sum(dZ2, axis=1, keepdims=True) / scale}
        rate = -learning_rate if bug == "sign" else learning_rate
        new_params = {"W1": params["W1"] - rate * grads["dW1"], "b1": params["b1"] - rate * grads["db1"],
                      "W2": params["W2"] - rate * grads["dW2"], "b2": params["b2"] - rate * grads["db2"]}
        return new_params, cost, grads

    return train_step_vectorized


@pytest.mark.parametrize("bug, words, wrong", [
    ("sign", "wrong sign", {"W1", "b1", "W2", "b2"}),
    ("no_mean", "1/m average over the examples is missing", {"dW1", "db1", "dW2", "db2", "W1", "b1", "W2", "b2"}),
    ("no_keepdims", "without keepdims=True", {"db1", "b1"}),
    ("pasted_04", "cross-entropy", {"cost", "dW1", "db1", "dW2", "db2", "W1", "b1", "W2", "b2"}),
    ("doubled_dz2", "twice the loop version's", {"dW1", "db1", "dW2", "db2", "W1", "b1", "W2", "b2"}),
])
def test_the_homework_names_mistakes_in_the_vectorized_step(bug, words, wrong):
    check, score = run_test_cell(HOMEWORK_CELLS, "same_results_tests", setup=("imports", "loop_version"),
                                 train_step_vectorized=step_with(bug))
    assert isinstance(score, AssertionError)
    failed = failing(check)
    assert {name.split(" [")[0] for name in failed} == wrong
    named = [diagnosis for diagnosis in failed.values() if words in diagnosis]
    # m = 1 makes a missing 1/m harmless, and a (1,) db1 broadcast into a (1, 1) b1 is no mistake:
    # those cases pass, every failing one is named
    assert len(named) == len(failed), failed


def test_the_homework_accepts_the_right_step():
    check, score = run_test_cell(HOMEWORK_CELLS, "same_results_tests", setup=("imports", "loop_version"),
                                 train_step_vectorized=step_with(None))
    assert not check.failures and score is None


def step_with_comprehension(X, Y, params, learning_rate):
    _, cost, grads = step_with(None)(X, Y, params, learning_rate)
    new_params = {name: params[name] - learning_rate * grads["d" + name] for name in params}
    return new_params, cost, grads


def loop_over_examples(X, Y, params, learning_rate):
    m = X.shape[1]
    columns = [np.tanh(params["W1"] @ X[:, [i]] + params["b1"]) for i in range(m)]
    return step_with(None)(X, Y, params, learning_rate) if columns else None


def elementwise_tanh(X, Y, params, learning_rate):
    np.vectorize(np.tanh)(X)
    return step_with(None)(X, Y, params, learning_rate)


@pytest.mark.parametrize("student, words, loops", [
    (step_with_comprehension, "a dict comprehension at line", False),  # over the four parameter names
    (loop_over_examples, "a list comprehension at line", True),
    (elementwise_tanh, "np.vectorize at line", True),
])
def test_the_no_loop_part_measures_loops_and_names_their_lines_as_advice(student, words, loops):
    """(b)'s grade is what the step costs where the examples, units or inputs are many (helpers/cputime.py);
    reading the code names the lines that look like loops, as advice, loops over four names included."""
    student.__name__ = "train_step_vectorized"
    check, score = run_test_cell(HOMEWORK_CELLS, "no_loops_tests", setup=("imports", "loop_version"),
                                 train_step_vectorized=student)
    assert [row.name for row in check.failures] == (
        ["no loop over the examples, the hidden units or the inputs"] if loops else [])
    assert any(note.startswith("Advice, not graded") and words in note and "`train_step_vectorized` still runs" in note
               for note in check.notes), check.notes
    assert isinstance(score, AssertionError) == loops


def test_the_no_loop_part_passes_a_loop_free_step_even_if_it_is_wrong():
    check, _ = run_test_cell(HOMEWORK_CELLS, "no_loops_tests", setup=("imports", "loop_version"),
                             train_step_vectorized=step_with("sign"))
    assert not check.failures


def test_the_no_loop_part_needs_a_step_that_runs():
    def train_step_vectorized(X, Y, params, learning_rate):
        raise NotImplementedError()

    check, _ = run_test_cell(HOMEWORK_CELLS, "no_loops_tests", setup=("imports", "loop_version"),
                             train_step_vectorized=train_step_vectorized)
    assert [row.name for row in check.failures] == ["call train_step_vectorized"]


# -- assignment 04's leaky ReLU part and questions, homework 05's stage 1 ------------------------------------


def leaky_backward_with(bug):
    """A student's backward_propagation_leaky_relu, right except for the named bug."""

    def backward_propagation_leaky_relu(params, cache, X, Y):
        m = X.shape[1]
        Z1, A1 = cache["Z1"], cache["A1"]
        dZ2 = cache["A2"] - Y
        derivative = {"relu": (Z1 > 0).astype(float), "tanh": 1 - A1 ** 2, "swapped": np.where(Z1 > 0, 0.01, 1.0),
                      "activation": A1}.get(bug, np.where(Z1 > 0, 1.0, 0.01))
        dZ1 = (params["W2"].T @ dZ2) * derivative
        return {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
                "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}

    return backward_propagation_leaky_relu


@pytest.mark.parametrize("bug, words", [("relu", "plain ReLU's"), ("tanh", "tanh's"), ("swapped", "swapped"),
                                        ("activation", "activation A1 itself")])
def test_the_leaky_relu_cell_names_the_wrong_derivative_and_keeps_the_output_layers_points(bug, words):
    check, score = run_test_cell(SHALLOW_CELLS, "backward_propagation_leaky_relu_tests",
                                 backward_propagation_leaky_relu=leaky_backward_with(bug))
    failed = failing(check)
    assert {name.split()[0] for name in failed} == {"dW1", "db1"}
    assert all(words in diagnosis for diagnosis in failed.values()), failed
    assert score == 1


def test_the_right_leaky_relu_backward_pass_earns_all_three_points():
    check, score = run_test_cell(SHALLOW_CELLS, "backward_propagation_leaky_relu_tests",
                                 backward_propagation_leaky_relu=leaky_backward_with(None))
    assert not check.failures and score == 3


@pytest.mark.parametrize("grade_id, name, right, wrong, malformed", [
    ("initial_cost_tests", "initial_cost", 1.1369, 0.6931, "1.1369"),
    ("equal_units_tests", "equal_units", "b", "a", 2),
    ("tanh_runs_tests", "tanh_runs", 2100, 8000, "2100"),
    ("bigger_win_tests", "bigger_win", "B", "a", "stage 2"),
])
def test_a_question_passes_the_right_answer_only(grade_id, name, right, wrong, malformed):
    notebook_cells = SHALLOW_CELLS if grade_id in SHALLOW_CELLS else HOMEWORK_CELLS
    check, score = run_test_cell(notebook_cells, grade_id, **{name: right})
    assert not check.failures and score is None
    check, score = run_test_cell(notebook_cells, grade_id, **{name: wrong})
    assert [row.name for row in check.failures] == [name] and isinstance(score, AssertionError)
    check, score = run_test_cell(notebook_cells, grade_id, **{name: malformed})
    assert len(check.failures) == 1 and check.failures[0].name.startswith(f"{name} is ")
    assert isinstance(score, AssertionError)


def per_example_with_unit_loop(X, Y, params, learning_rate):
    m, n_h = X.shape[1], params["W1"].shape[0]
    for i in range(m):
        a1 = np.zeros(n_h)
        for h in range(n_h):  # one hidden unit at a time: what stage 1 removes
            a1[h] = np.tanh(params["W1"][h] @ X[:, i] + params["b1"][h, 0])
    return step_with(None)(X, Y, params, learning_rate)


def per_example_right(X, Y, params, learning_rate):
    for i in range(X.shape[1]):
        pass
    return step_with(None)(X, Y, params, learning_rate)


def test_stage_1_allows_the_loop_over_the_examples_only():
    per_example_right.__name__ = per_example_with_unit_loop.__name__ = "train_step_per_example"
    check, score = run_test_cell(HOMEWORK_CELLS, "per_example_loop_tests", setup=("imports", "loop_version"),
                                 train_step_per_example=per_example_right)
    assert not check.failures and score is None
    check, score = run_test_cell(HOMEWORK_CELLS, "per_example_loop_tests", setup=("imports", "loop_version"),
                                 train_step_per_example=per_example_with_unit_loop)
    assert [row.name for row in check.failures] == ["no loop over the hidden units or the inputs"]
    assert "hidden unit" in check.failures[0].diagnosis  # measured where the units are many
    assert any("runs 2 Python loops" in note and "for h in range(n_h):" in note for note in check.notes)
    assert isinstance(score, AssertionError)


def test_stage_1_names_a_wrong_step_like_stage_2():
    check, score = run_test_cell(HOMEWORK_CELLS, "per_example_same_results_tests", setup=("imports", "loop_version"),
                                 train_step_per_example=step_with("sign"))
    assert {name.split(" [")[0] for name in failing(check)} == {"W1", "b1", "W2", "b2"}
    assert isinstance(score, AssertionError)


def quoted_constants(path, names):
    """The numbers a notebook's self-check cell assigns to names, e.g. `A, B = 0.1, 0.2`, read from its source."""
    for cell in nbformat.read(path, as_version=4).cells:
        for line in cell.source.splitlines():
            targets, _, values = line.partition(" = ")
            if targets.strip() == ", ".join(names):
                return ast.literal_eval(values.strip())
    raise AssertionError(f"no cell of {path.name} assigns {', '.join(names)}")


def test_the_self_check_of_04_quotes_the_course_s_own_run():
    from helpers import datasets

    X_train, Y_train = datasets.noisy_xor(m=2000, noise=0.25, seed=0)
    X_test, Y_test = datasets.noisy_xor(m=10000, noise=0.25, seed=1)
    params, costs = shallow.fit(X_train, Y_train, 5, learning_rate=1.2, num_iterations=3000, seed=0)
    last_cost, held_out = quoted_constants(SHALLOW, ("COURSE_LAST_COST", "COURSE_HELD_OUT"))
    assert abs(costs[-1] - last_cost) < 5e-5
    assert abs(np.mean(shallow.predict(X_test, params) == Y_test) - held_out) < 5e-5


def test_the_self_check_of_05_quotes_the_course_s_own_run():
    from helpers import datasets

    X, Y = datasets.noisy_xor(m=1000, noise=0.25, seed=0)
    rng = np.random.default_rng(0)  # params_demo, as the homework draws it
    params = {"W1": rng.normal(size=(4, 2)), "b1": np.zeros((4, 1)),
              "W2": rng.normal(size=(1, 4)), "b2": np.zeros((1, 1))}
    for _ in range(300):
        params, last_cost, _ = shallow_squared.train_step(X, Y, params, 1.2)
    course_cost, course_accuracy = quoted_constants(HOMEWORK, ("COURSE_LAST_COST", "COURSE_ACCURACY"))
    assert abs(last_cost - course_cost) < 5e-5
    assert abs(np.mean(shallow.predict(X, params) == Y) - course_accuracy) < 5e-5


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_homework_s_loop_version_loops_over_units_and_inputs_and_agrees_with_the_reference(seed):
    namespace = {}
    for grade_id in ("imports", "loop_version"):
        exec(HOMEWORK_CELLS[grade_id], namespace)  # noqa: S102 (the course's own cells)
    assert all(loop in HOMEWORK_CELLS["loop_version"] for loop in ("for h in range(n_h):", "for j in range(n_x):"))
    X, Y, params, _ = shallow_spec.random_problem(np.random.default_rng(seed))
    new_params, step_cost, grads = namespace["train_step_loop"](X, Y, params, 0.7)
    expected_params, expected_cost, expected_grads = shallow_squared.train_step(X, Y, params, 0.7)
    assert step_cost == pytest.approx(expected_cost, rel=1e-12)
    for name in expected_grads:
        np.testing.assert_allclose(grads[name], expected_grads[name], rtol=1e-10, atol=1e-14)
    for name in expected_params:
        np.testing.assert_allclose(new_params[name], expected_params[name], rtol=1e-10, atol=1e-14)
