"""The grading toolkit: every diagnosis is triggered by feeding in the mistake, and nothing is trusted."""
import re
import sys
import warnings

import numpy as np
import pytest

from helpers.answers import perceptron as perceptron_answers
from helpers.answers import shallow_network as shallow_answers
from helpers import grading
from helpers.reference import perceptron, shallow
from helpers.grading import Check


def failing_report(check):
    """Run done() and return (AssertionError text, table text)."""
    with pytest.raises(AssertionError) as raised:
        check.done()
    return str(raised.value), str(check)


def row(check, name):
    return next(r for r in check.rows if r.name == name)


@pytest.fixture
def rng():
    return np.random.default_rng(7)


# -- values, types and shapes ---------------------------------------------------------


def test_right_answer_passes_and_shows_a_table(capsys, rng):
    expected = rng.normal(size=(3, 2))
    check = Check("ok")
    assert check.compare("dW1", expected.copy(), expected)
    check.done()
    printed = capsys.readouterr().out
    assert "ok: 1 of 1 checks passed" in printed and "dW1" in printed


def test_value_just_outside_tolerance_fails(rng):
    expected = rng.normal(size=(4, 1))
    check = Check("tolerance")
    assert not check.compare("dw", expected * (1 + 1e-4), expected)
    assert row(check, "dw").error == pytest.approx(1e-4, rel=1e-3)


def test_object_whose_eq_always_says_true_fails():
    class AlwaysEqual:
        def __eq__(self, other):
            return True
        __array_priority__ = 1000

    check = Check("liar")
    assert not check.compare("w", AlwaysEqual(), np.ones((2, 1)))
    assert "AlwaysEqual" in row(check, "w").diagnosis


def test_ndarray_subclass_that_lies_about_equality_fails():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, dtype=bool)

    check = Check("subclass")
    assert not check.compare("w", np.zeros((2, 1)).view(Liar), np.ones((2, 1)))
    assert "subclass" in row(check, "w").diagnosis


@pytest.mark.parametrize("got, phrase", [
    ([[1.0], [2.0]], "Python list"),
    (np.array([["a"], ["b"]]), "dtype <U1"),
    (np.array([[None], [None]]), "dtype object"),
    ("1.0", "got a str"),
    (True, "boolean"),
])
def test_wrong_types_are_named(got, phrase):
    check = Check("types")
    assert not check.compare("w", got, np.array([[1.0], [2.0]]))
    assert phrase in row(check, "w").diagnosis


def test_array_where_a_number_is_expected_says_how_to_fix():
    check = Check("bias")
    assert not check.compare("b", np.array([[0.5]]), 0.5)
    assert "plain number" in row(check, "b").diagnosis and ".item()" in row(check, "b").diagnosis


def test_array_where_a_number_is_expected_can_be_a_known_mistake():
    per_example = np.array([0.1, -0.2, 0.3])
    check = Check("bias")
    check.compare("db", per_example, 0.2 / 3, mistakes={"db is summed over axis=0": per_example})
    assert row(check, "db").diagnosis == "db is summed over axis=0"
    assert row(check, "db").got_shape == "(3,)"


def test_repeated_warnings_become_one_note():
    def noisy(z):
        for _ in range(30):
            np.log(np.zeros(1))
        return z

    check = Check("noisy")
    check.call(noisy, 1.0)
    assert len(check.notes) == 1 and "divide by zero" in check.notes[0]


def test_numpy_scalars_count_as_numbers():
    check = Check("scalars")
    assert check.compare("b", np.float64(0.5), 0.5)
    assert check.compare("count", np.int64(3), 3)


def test_transposed_matrix_is_named(rng):
    expected = rng.normal(size=(4, 2))
    check = Check("backward")
    check.compare("dW1", expected.T.copy(), expected)
    message, table = failing_report(check)
    assert re.search(r"dW1.*transposed", message)
    assert "(2, 4)" in table and "(4, 2)" in table


def test_transposed_square_matrix_is_named(rng):
    expected = rng.normal(size=(3, 3))
    check = Check("square")
    check.compare("dW1", expected.T.copy(), expected)
    assert "transposed" in row(check, "dW1").diagnosis


def test_vector_without_keepdims_is_named(rng):
    expected = rng.normal(size=(5, 1))
    check = Check("keepdims")
    check.compare("db1", expected.ravel(), expected)
    diagnosis = row(check, "db1").diagnosis
    assert "(5,)" in diagnosis and "(5, 1)" in diagnosis and "keepdims=True" in diagnosis


def test_other_shape_mismatch_points_to_the_notation(rng):
    check = Check("shape")
    check.compare("Z", rng.normal(size=(3, 4)), rng.normal(size=(1, 4)))
    assert "notation" in row(check, "Z").diagnosis


def test_flipped_sign_is_named(rng):
    expected = rng.normal(size=(2, 3))
    check = Check("sign")
    check.compare("dW2", -expected, expected)
    assert "sign is flipped" in row(check, "dW2").diagnosis


def test_missing_one_over_m_is_named(rng):
    expected = rng.normal(size=(3, 1))
    check = Check("average")
    check.compare("dw", 8 * expected, expected, m=8)
    assert "1/m average is missing" in row(check, "dw").diagnosis


def test_gradient_averaged_twice_is_named(rng):
    expected = rng.normal(size=(3, 1))
    check = Check("average")
    check.compare("dw", expected / 8, expected, m=8)
    assert "averaged twice" in row(check, "dw").diagnosis


def test_constant_factor_is_named(rng):
    expected = rng.normal(size=(3, 2))
    check = Check("factor")
    check.compare("dw", 0.5 * expected, expected)
    assert "constant factor of 0.5" in row(check, "dw").diagnosis


def test_nan_is_named():
    check = Check("nan")
    check.compare("cost", np.array(np.nan), 0.3)
    assert "nan or inf" in row(check, "cost").diagnosis


def test_known_mistake_takes_precedence_over_generic_ones(rng):
    expected = rng.normal(size=(2, 2))
    wrong = -expected
    check = Check("known")
    check.compare("dW1", wrong, expected, mistakes={"used the sigmoid's derivative": wrong})
    assert row(check, "dW1").diagnosis == "used the sigmoid's derivative"


def test_unrecognised_wrong_values_say_so(rng):
    check = Check("plain")
    check.compare("dW1", rng.normal(size=(2, 2)), rng.normal(size=(2, 2)))
    assert row(check, "dW1").diagnosis.startswith("wrong values in every entry, with no common pattern")
    assert row(check, "dW1").kind == "undiagnosed" and grading.as_data(check)["rows"][0]["mistake_key"] is None


def difference(got, expected):
    check = Check("where")
    check.compare("W", got, expected)
    assert row(check, "W").kind == "undiagnosed"
    return row(check, "W").diagnosis


def test_a_wrong_row_is_located_with_its_pattern(rng):
    expected = rng.normal(size=(3, 4))
    flipped = expected.copy()
    flipped[1] *= -1
    assert difference(flipped, expected) == "wrong values in all of row 1 (counted from 0) and nowhere else, " \
                                            "with the sign flipped."
    doubled = expected.copy()
    doubled[[0, 2]] *= 2
    assert difference(doubled, expected) == "wrong values in all of rows 0, 2 (counted from 0) and nowhere else, " \
                                            "where yours are all 2 times the expected values."


def test_a_wrong_column_is_located_with_its_pattern(rng):
    expected = rng.normal(size=(3, 4))
    shifted = expected.copy()
    shifted[:, 3] += 0.5
    assert difference(shifted, expected) == "wrong values in all of column 3 (counted from 0) and nowhere else, " \
                                            "where yours are all shifted by 0.5."
    zeroed = expected.copy()
    zeroed[:, 0] = 0.0
    assert "column 0" in difference(zeroed, expected) and "yours are 0" in difference(zeroed, expected)


def test_a_constant_shift_everywhere_is_named(rng):
    expected = rng.normal(size=(1, 5))
    assert difference(expected - 0.25, expected) == "wrong values in every entry, where yours are all shifted by -0.25."


def test_scattered_wrong_entries_are_listed_by_position(rng):
    expected = rng.normal(size=(4, 4))
    got = expected.copy()
    got[0, 1], got[3, 2] = 7.0, 5.0
    diagnosis = difference(got, expected)
    assert diagnosis.startswith("wrong values in 2 of 16 entries ([0, 1]: 7 where ")
    assert "[3, 2]: 5 where" in diagnosis and "no common pattern" in diagnosis


def test_many_scattered_wrong_entries_are_listed_up_to_a_limit(rng):
    expected = rng.normal(size=(10, 10))
    got = expected.copy()
    got[np.arange(10), np.arange(10)] += np.arange(1, 11)   # the diagonal, each by another amount
    diagnosis = difference(got, expected)
    assert diagnosis.startswith("wrong values in 10 of 100 entries ([0, 0]: ")
    assert diagnosis.count(" where ") == grading.MAX_LISTED_ENTRIES and "; ...)" in diagnosis


def test_a_wrong_number_says_what_was_expected():
    assert difference(np.float64(0.75), 0.5) == "wrong value: 0.75 where 0.5 is expected."


def test_previews_keep_the_shape_and_are_rounded(rng):
    expected = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.123456]])
    check = Check("shape")
    check.compare("W", expected[::-1].copy(), expected)
    assert row(check, "W").expected_preview == "[[1.    , 2.    , 3.    ],\n [4.    , 5.    , 6.1235]]"
    table = str(check)
    assert "     expected [[1.    , 2.    , 3.    ],\n               [4.    , 5.    , 6.1235]]" in table
    assert "     yours    [[4.    , 5.    , 6.1235],\n               [1.    , 2.    , 3.    ]]" in table


def test_large_previews_are_truncated_in_their_shape(rng):
    check = Check("large")
    check.compare("W", rng.normal(size=(50, 40)), rng.normal(size=(50, 40)))
    preview = row(check, "W").expected_preview
    assert preview.count("\n") == 2 * grading.PREVIEW_EDGE_ITEMS   # first and last rows and an ellipsis row
    assert preview.startswith("[[") and "..." in preview and len(preview) < 600


def test_one_measure_for_values_and_central_differences_defined_in_the_legend(network):
    X, Y, params, cache, grads = network

    def cost():
        return shallow.cost(shallow.forward(X, params)[0], Y)

    check = Check("one measure")
    check.compare("dW2", 1.5 * grads["dW2"], grads["dW2"])
    check.gradient("dW2", 1.5 * grads["dW2"], cost, params["W2"])
    value_row, gradcheck_row = check.rows
    # the same wrong answer against the reference and against the central difference: the same error
    assert value_row.error == pytest.approx(1 / 3, rel=1e-12)
    assert gradcheck_row.error == pytest.approx(1 / 3, rel=1e-6)
    table = str(check)
    assert "rel. error" in table.splitlines()[1] and "max |yours - expected| / max |entry|" in table
    assert "vs central difference" in grading.legend(check) and "1e-06" in grading.legend(check)
    assert grading.as_data(check)["legend"] == grading.legend(check)
    assert "max |yours - expected|" in grading.render_html(check)


def test_the_legend_leaves_out_central_differences_when_there_are_none(rng):
    check = Check("plain")
    check.compare("w", np.ones((2, 1)), np.ones((2, 1)))
    assert "central difference" not in grading.legend(check)
    check.require("a yes/no check", True, "")
    assert grading.legend(Check("empty")) == ""


def test_every_check_runs_before_the_cell_fails(rng):
    expected = rng.normal(size=(3, 2))
    check = Check("all of them")
    check.compare("first", -expected, expected)
    check.compare("second", expected.copy(), expected)
    check.compare("third", expected.T.copy(), expected)
    message, _ = failing_report(check)
    assert message.startswith("all of them: 2 of 3 checks failed.")
    assert "first" in message and "third" in message and "second" not in message


# -- calling the student's code ------------------------------------------------------


def test_exception_in_student_code_is_reported_with_its_line():
    def net_input(X, w, b):
        return w @ X + b  # shapes do not line up

    check = Check("net_input")
    check.function(net_input, perceptron.net_input, (np.ones((2, 3)), np.ones((2, 1)), 0.0), outputs=("Z",))
    message, _ = failing_report(check)
    assert "ValueError" in message and "`return w @ X + b" in message
    assert "Z: not computed" in message


def test_unimplemented_function_is_reported_as_such():
    def predict(X, w, b):
        raise NotImplementedError()

    check = Check("predict")
    check.function(predict, perceptron.predict, (np.ones((2, 3)), np.ones((2, 1)), 0.0), outputs=("Y_hat",))
    assert "not implemented yet" in failing_report(check)[0]


def test_wrong_number_of_outputs_is_reported():
    def update_step(x, y, w, b, eta):
        return w

    check = Check("update_step")
    check.function(update_step, perceptron.update_step, (np.ones((2, 1)), 1, np.zeros((2, 1)), 0.0, 0.1),
                   outputs=("w", "b"))
    assert "must return 2 values (w, b)" in failing_report(check)[0]


def test_warnings_and_stderr_from_student_code_become_notes_not_stderr(capfd):
    def noisy(z):
        np.exp(np.array([1000.0]))
        warnings.warn("student warning")
        print("student's stderr line", file=sys.stderr)
        return 1.0 / (1.0 + np.exp(-z))

    check = Check("noisy")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping the toolkit would raise here
        check.function(noisy, lambda z: 1.0 / (1.0 + np.exp(-z)), (np.zeros((1, 3)),), outputs=("A",))
        check.done()
    captured = capfd.readouterr()
    assert captured.err == ""
    notes = " ".join(check.notes)
    assert "RuntimeWarning" in notes and "student warning" in notes and "student's stderr line" in notes


def test_student_code_gets_copies_of_the_inputs():
    def update_step(x, y, w, b, eta):
        w += eta * y * x  # in place: would corrupt the caller's w
        return w, b + eta * y

    x, w = np.ones((2, 1)), np.zeros((2, 1))
    Check("copies").call(update_step, x, -1, w, 0.0, 0.1, outputs=("w", "b"))
    assert np.array_equal(w, np.zeros((2, 1)))


def test_calling_the_reference_module_is_rejected():
    def predict(X, w, b):
        return perceptron.predict(X, w, b)

    check = Check("predict")
    check.function(predict, perceptron.predict, (np.ones((2, 3)), np.ones((2, 1)), 0.0), outputs=("Y_hat",))
    assert "reference implementation" in failing_report(check)[0]


def test_importing_the_reference_inside_the_function_is_rejected():
    def predict(X, w, b):
        from helpers.reference.perceptron import predict as course_predict
        return course_predict(X, w, b)

    check = Check("predict")
    check.function(predict, perceptron.predict, (np.ones((2, 3)), np.ones((2, 1)), 0.0), outputs=("Y_hat",))
    assert "helpers.reference.perceptron" in failing_report(check)[0]


def test_handing_in_the_reference_function_itself_is_rejected():
    check = Check("predict")
    check.function(perceptron.predict, perceptron.predict, (np.ones((2, 3)), np.ones((2, 1)), 0.0), outputs=("Y_hat",))
    assert "helpers.reference.perceptron.predict itself" in failing_report(check)[0]


def test_in_a_students_edition_the_references_stand_in_is_rejected_by_the_name_of_the_reference():
    """A student's edition holds stand-ins for the course's functions (helpers/replay.py): a function that uses one,
    or is one, is told it uses the course's reference, named as the student imported it."""
    from helpers import replay

    stand_in = replay.stand_in("helpers.reference.perceptron.predict")

    namespace = {"course_predict": stand_in}  # a notebook's globals, after `from ... import predict as course_predict`
    exec("def predict(X, w, b):\n    return course_predict(X, w, b)\n", namespace)
    for student in (namespace["predict"], stand_in):
        check = Check("predict")
        check.function(student, perceptron.predict, (np.ones((2, 3)), np.ones((2, 1)), 0.0), outputs=("Y_hat",))
        report = failing_report(check)[0]
        assert "reference implementation" in report and "helpers.reference.perceptron.predict" in report, report


def test_using_swaps_in_the_reference_for_the_call_only():
    namespace = {"np": np}
    exec("def predict(X, w, b):\n    return np.zeros((1, X.shape[1]))\n"
         "def count_positive(X, w, b):\n    return int((predict(X, w, b) > 0).sum())\n", namespace)
    X, w = np.ones((2, 3)), np.ones((2, 1))
    check = Check("isolated")
    (got,) = check.call(namespace["count_positive"], X, w, 0.0, using={"predict": perceptron.predict})
    assert got == 3  # judged with the reference predict
    assert namespace["count_positive"](X, w, 0.0) == 0  # the student's own predict is back


# -- gradients and the course's own mistakes -------------------------------------------


@pytest.fixture
def network(rng):
    n_x, n_h, m = 3, 4, 6
    X = rng.normal(size=(n_x, m))
    Y = (rng.random(size=(1, m)) > 0.5).astype(float)
    params = shallow.initialize_parameters(n_x, n_h, 1, seed=3, scale=1.0)
    A2, cache = shallow.forward(X, params)
    return X, Y, params, cache, shallow.backward(params, cache, X, Y)


def backward_table(student_grads, network):
    X, Y, params, cache, grads = network
    check = Check("backward")
    known = shallow_answers.shallow_backward(params, cache, X, Y)
    for name in ("dW1", "db1", "dW2", "db2"):
        by_output = {message: wrong[name] for message, wrong in known.items() if name in wrong}
        check.compare(name, student_grads[name], grads[name], mistakes=by_output, m=X.shape[1])
    return check


def test_transposed_dW1_is_named_in_the_table(network):
    X, Y, params, cache, grads = network
    student = dict(grads, dW1=grads["dW1"].T.copy())
    message, table = failing_report(backward_table(student, network))
    assert "1 of 4 checks failed" in message
    assert re.search(r"FAIL dW1: .*transposed", table, re.I)


def test_wrong_activation_derivative_is_named_in_the_table(network):
    X, Y, params, cache, grads = network
    A1, m = cache["A1"], X.shape[1]
    dZ1 = params["W2"].T @ (cache["A2"] - Y) * A1 * (1 - A1)  # the sigmoid's derivative, not tanh's
    student = dict(grads, dW1=dZ1 @ X.T / m, db1=dZ1.sum(axis=1, keepdims=True) / m)
    message, table = failing_report(backward_table(student, network))
    assert re.search(r"FAIL dW1: .*sigmoid", table, re.I) and re.search(r"FAIL db1: .*sigmoid", table, re.I)
    assert "dW2" not in message


def test_bias_gradient_summed_over_the_wrong_axis_is_named(network):
    X, Y, params, cache, grads = network
    dZ1 = params["W2"].T @ (cache["A2"] - Y) * (1 - cache["A1"] ** 2)
    student = dict(grads, db1=np.sum(dZ1, axis=0, keepdims=True) / X.shape[1])
    message, table = failing_report(backward_table(student, network))
    assert "1 of 4 checks failed" in message
    assert re.search(r"FAIL db1: .*axis", table, re.I)


def test_gradient_is_checked_against_central_differences(network):
    X, Y, params, cache, grads = network

    def cost():
        return shallow.cost(shallow.forward(X, params)[0], Y)

    check = Check("gradcheck")
    assert check.gradient("dW1", grads["dW1"], cost, params["W1"])
    assert not check.gradient("dW2", 2 * grads["dW2"], cost, params["W2"])
    assert "dW2 vs central difference" in failing_report(check)[0]


def test_a_missing_one_over_m_in_layer_1_names_dW1_and_db1_only(network):
    X, Y, params, cache, grads = network
    m = X.shape[1]
    student = dict(grads, dW1=m * grads["dW1"], db1=m * grads["db1"])
    message, table = failing_report(backward_table(student, network))
    assert "2 of 4 checks failed" in message
    for name in ("dW1", "db1"):
        diagnosis = row(backward_table(student, network), name).diagnosis
        assert f"missing from {name}; divide {name} by m" in diagnosis
        assert not any(other in diagnosis for other in {"dW1", "db1", "dW2", "db2"} - {name})


@pytest.mark.parametrize("make_mistake, phrase", [
    (lambda X, w, b: np.sign(w.T @ X + b).astype(int), "np.sign"),
    (lambda X, w, b: np.where(w.T @ X + b > 0, 1, -1), "use >=, not >"),
    (lambda X, w, b: (w.T @ X + b >= 0).astype(int), "0/1 labels"),
])
def test_perceptron_predict_mistakes_are_named(make_mistake, phrase):
    X = np.array([[1.5, 0.0, -1.0, 2.0], [1.0, 1.0, -2.0, 0.5]])
    w, b = np.array([[1.0], [-2.0]]), 0.5
    check = Check("predict")
    check.function(make_mistake, perceptron.predict, (X, w, b), outputs=("Y_hat",),
                   mistakes=perceptron_answers.perceptron_predict(X, w, b))
    assert phrase in failing_report(check)[0]


def test_html_table_names_every_row(network):
    X, Y, params, cache, grads = network
    html = grading.render_html(backward_table(dict(grads, db2=-grads["db2"]), network))
    assert all(f"<code>{name}</code>" in html for name in ("dW1", "db1", "dW2", "db2"))
    assert "sign" in html


# -- partial credit -------------------------------------------------------------------


def test_points_are_earned_per_group_of_rows(network, capsys):
    X, Y, params, cache, grads = network
    check = backward_table(dict(grads, db1=grads["db1"].ravel()), network)
    check.compare("dW1 [second case]", grads["dW1"].copy(), grads["dW1"])
    assert check.points({"dW1": 2, "db1": 1, "dW2": 1, "db2": 1}) == 4.0
    assert "points for this cell: 4 of 5" in capsys.readouterr().out


def test_a_group_with_one_failing_case_earns_nothing(network):
    X, Y, params, cache, grads = network
    check = backward_table(grads, network)
    check.compare("dW1 [second case]", -grads["dW1"], grads["dW1"])
    assert check.points({"dW1": 1, "db1": 1, "dW2": 1, "db2": 1}) == 3.0


def test_a_failing_row_outside_every_group_earns_nothing(network):
    X, Y, params, cache, grads = network
    check = backward_table(grads, network)
    check.require("no loops", False, "uses a for loop")
    assert check.points({"dW1": 1, "db1": 1, "dW2": 1, "db2": 1}) == 0.0


def test_a_group_name_does_not_cover_a_longer_name():
    check = Check("prefixes")
    check.compare("db1", 1.0, 1.0)
    check.compare("db10", 2.0, 1.0)
    assert check.points({"db1": 1, "db10": 1}) == 1.0


def test_a_call_the_grader_could_not_read_costs_only_its_own_rows(network):
    """A row lost to the grader's own failure (not the answer's) takes no points from the other rows."""
    from helpers import place

    class Failing(place.InKernel):
        remote = True

        def call(self, function, args, kwargs, stand_ins):
            return place.Outcome(lost="OSError: the connection broke")

    class Remote:
        remote, __name__ = True, "backward_propagation"

        def __call__(self, *args):
            raise AssertionError("a remote function is called through the place, not directly")

    X, Y, params, cache, grads = network
    check = backward_table(grads, network)
    with place.using(Failing()):
        (lost,) = check.call(Remote(), params, cache, X, Y)
    check.compare("dW1 [lost case]", lost, grads["dW1"])
    lost_rows = [row for row in check.rows if row.lost]
    assert len(lost_rows) == 1 and "not your answer's" in lost_rows[0].diagnosis
    assert check.points({"dW1": 1, "db1": 1, "dW2": 1, "db2": 1}) == 3.0


# -- check-your-understanding answers ------------------------------------------------------


def test_a_numeric_answer_is_checked_for_its_form_then_its_value():
    check = Check("question")
    assert check.answer("bias_change", 0.2)                                  # the visible test: a number
    assert check.answer("bias_change", 0.2001, expected=0.2)                 # within 1e-3
    assert not check.answer("bias_change", 0.1, expected=0.2)
    (failed,) = check.failures
    assert failed.name == "bias_change" and failed.diagnosis == "wrong value: 0.1 where 0.2 is expected."


def test_a_numeric_answer_must_be_a_number():
    for wrong in ("0.2", None, True, float("nan"), [0.2]):
        check = Check("question")
        assert not check.answer("bias_change", wrong, expected=0.2)
        (failed,) = check.failures
        assert failed.name == "bias_change is a number" and "answer with a number" in failed.diagnosis
        assert len(check.rows) == 1   # the value is not compared when the form is wrong


def test_a_choice_is_checked_for_its_form_then_against_the_answer():
    check = Check("question")
    assert check.answer("eta_ten_times", " A ", choices=("a", "b", "c"))     # the visible test
    assert check.answer("eta_ten_times", "a", expected="a", choices=("a", "b", "c"))
    assert not check.answer("eta_ten_times", "b", expected="a", choices=("a", "b", "c"))
    assert "you chose 'b', the answer is 'a'" in check.failures[0].diagnosis
    assert not Check("form").answer("eta_ten_times", "d", choices=("a", "b", "c"))
    assert not Check("form").answer("eta_ten_times", 1, choices=("a", "b", "c"))


def test_the_hidden_test_does_not_repeat_the_visible_form_check():
    check = Check("question")
    check.answer("raw_sizes", "b", choices=("a", "b", "c"))
    check.answer("raw_sizes", "b", expected="b", choices=("a", "b", "c"))
    assert [r.name for r in check.rows] == ["raw_sizes is one of a, b, c", "raw_sizes"]


# -- a failing cell, as JupyterLab and nbgrader show it --------------------------------


def failed_check(num_rows):
    check = Check("update_step")
    for index in range(num_rows):
        check.compare(f"w [case {index}]", np.array([1.0, 2.0]) * (index + 1), -np.array([1.0, 2.0]) * (index + 1))
    check.compare("b", 1.0, 1.0)
    return check


def test_a_failing_cell_raises_an_assertion_error_summed_up_in_a_few_lines():
    with pytest.raises(grading.ChecksFailed) as raised:
        failed_check(3).done()
    assert isinstance(raised.value, AssertionError)  # nbgrader and pytest see a failed assertion
    summary, *diagnoses = raised.value._render_traceback_()
    assert "update_step: 3 of 4 checks failed." in summary and "✘" in summary
    # One line for the three rows that fail for the same reason, and no frame of the toolkit.
    assert len(diagnoses) == 1
    assert diagnoses[0].startswith("  - w [case 0], w [case 1], w [case 2]: the sign is flipped")
    assert not any("Traceback" in line or "helpers/" in line for line in [summary, *diagnoses])


def test_a_long_summary_is_cut_and_points_at_the_table():
    check = Check("many")
    for index in range(grading.MAX_SUMMARY_LINES + 3):
        check.require(f"rule {index}", False, f"broken rule {index}")
    with pytest.raises(grading.ChecksFailed) as raised:
        check.done()
    lines = raised.value._render_traceback_()
    assert len(lines) == 1 + grading.MAX_SUMMARY_LINES + 1
    assert lines[-1] == "  ... and 3 more: see the table above."
    assert all(f"broken rule {index}" in str(raised.value) for index in range(grading.MAX_SUMMARY_LINES + 3))


def test_the_html_table_is_styled_inline_for_jupyterlab():
    """JupyterLab's rules right-align output tables and fix equal column widths; its sanitizer drops <style>."""
    failing, passing = grading.render_html(failed_check(1)), grading.render_html(Check("ok"))
    assert "<style" not in failing
    cells = re.findall(r"<t[dh] style=\"([^\"]*)\"", failing)
    assert cells and all("text-align: left" in style for style in cells)
    assert "table-layout: auto" in failing
    assert "--jp-error-color1" in failing and "--jp-success-color1" not in failing
    assert "--jp-success-color1" in passing and "--jp-error-color1" not in passing
    # JupyterLab's sanitizer drops declarations that use var(): a plain one of the same property comes first.
    for style in re.findall(r"style=\"([^\"]*)\"", failing + passing):
        declarations = [declaration.split(":", 1) for declaration in style.split("; ")]
        for index, (name, value) in enumerate(declarations):
            if "var(" in value:
                assert any(other == name and "var(" not in plain for other, plain in declarations[:index]), style


def test_the_summary_names_a_failed_call_once_and_leaves_out_its_consequences():
    def update_step(x, y, w, b, eta):
        raise NotImplementedError()

    check = Check("update_step")
    for case in ("first", "second"):
        check.function(update_step, perceptron.update_step, (np.ones((2, 1)), 1, np.zeros((2, 1)), 0.0, 0.1),
                       outputs=("w", "b"), case=case)
    with pytest.raises(grading.ChecksFailed) as raised:
        check.done()
    summary, *diagnoses = raised.value._render_traceback_()
    assert "6 of 6 checks failed" in summary
    assert diagnoses == [f"  - call update_step: {row(check, 'call update_step').diagnosis}"]
    assert grading.NOT_COMPUTED in str(raised.value)  # the full message keeps every row
