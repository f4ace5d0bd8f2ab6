"""Every graded update (a perceptron's step, Adaline's batch step, the network's update, homework 05's training
steps) is diagnosed by its change: the same kinds of mistake are named in every assignment, whatever its own
catalogue holds (helpers/grading.py, _update_diagnosis)."""
import copy

import numpy as np
import pytest

from helpers import grading
from helpers.specs import adaline, logistic_regression, perceptron, shallow_network, vectorization

ASSIGNMENTS = {"01": perceptron.GRADED, "02": adaline.GRADED, "03": logistic_regression.GRADED,
               "04": shallow_network.GRADED, "05": vectorization.GRADED}
UPDATES = [(number, name) for number, graded in ASSIGNMENTS.items() for name, spec in graded.items() if spec.updates]

# The kinds of mistake an update can make, as what they do to the right change, and a word the diagnosis must hold.
KINDS = {
    "the learning rate left out": (lambda change, rate: change / rate, "learning rate is missing"),
    "the learning rate applied twice": (lambda change, rate: change * rate, "applied twice"),
    "the change subtracted": (lambda change, rate: -change, "wrong sign"),
    "no change applied": (lambda change, rate: 0 * change, "not applied"),
}


def test_every_single_step_update_declares_what_it_updates():
    """The functions that make one update of their parameters are the ones diagnosed by their change."""
    assert sorted(UPDATES) == [("01", "update_step"), ("02", "batch_step"), ("04", "update_parameters"),
                               ("05", "train_step_per_example"), ("05", "train_step_vectorized")]


def _with_changed_update(spec, kind):
    """A function that returns the course's answer with its update's change transformed as kind does."""
    transform = KINDS[kind][0]

    def changed(*args):
        outputs = spec.reference(*copy.deepcopy(args))
        outputs = list(outputs) if len(spec.outputs) > 1 else [outputs]
        rate = args[spec.rate]
        for output, index in spec.updates.items():
            position = spec.outputs.index(output)
            before, after = args[index], outputs[position]
            if isinstance(after, dict):
                outputs[position] = {key: before[key] + transform(after[key] - before[key], rate) for key in after}
            else:
                outputs[position] = before + transform(np.asarray(after) - before, rate)
        return tuple(outputs) if len(spec.outputs) > 1 else outputs[0]
    return changed


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("number, name", UPDATES)
def test_each_kind_of_wrong_update_is_named_in_every_assignment(number, name, kind):
    spec = ASSIGNMENTS[number][name]
    student = _with_changed_update(spec, kind)
    rows = []
    for args, case in spec.problems(seed=11):
        check = grading.Check(name, assignment=ASSIGNMENTS[number], graded=spec)
        check.function(student, spec.reference, args, outputs=spec.outputs, case=case, updates=spec.updates,
                       rate=spec.rate, using={})
        rows += [row for row in check.rows if not row.passed]
    assert rows, f"{kind} went unnoticed"
    # only the updated values change, and each of their failing rows names the kind
    assert all(KINDS[kind][1] in row.diagnosis for row in rows), [(row.name, row.diagnosis) for row in rows]


def test_a_perceptron_step_without_the_learning_rate_is_named_in_its_visible_test():
    """Assignment 01's example: the change of w is 1/eta = 10 times the right one."""
    def without_eta(x, y, w, b, eta):
        y_hat = 1 if (w.T @ x).item() + b >= 0 else -1
        return w + (y - y_hat) * x, b + (y - y_hat)

    check = grading.Check.of(perceptron.GRADED, "update_step")
    check.cases(without_eta)
    wrong = [row for row in check.rows if not row.passed]
    assert [row.name for row in wrong] == ["w [misclassified]", "b [misclassified]"]
    assert all("10 times the right one" in row.diagnosis and "learning rate is missing" in row.diagnosis
               for row in wrong), [row.diagnosis for row in wrong]


def test_an_update_on_a_correctly_classified_example_and_a_weight_change_without_its_input_are_named():
    def always_updates(x, y, w, b, eta):
        return w + eta * y * x + 0.5 * eta * x, b + eta * y

    def without_x(x, y, w, b, eta):
        y_hat = 1 if (w.T @ x).item() + b >= 0 else -1
        return w + eta * (y - y_hat), b + eta * (y - y_hat)

    check = grading.Check.of(perceptron.GRADED, "update_step")
    check.cases(always_updates)
    correct_rows = [row for row in check.rows if not row.passed and "[correct]" in row.name]
    # the catalogue's own words where it has the mistake (b), the change's where it has not (w)
    assert [row.name for row in correct_rows] == ["w [correct]", "b [correct]"]
    assert "the right update here is 0" in correct_rows[0].diagnosis
    assert "even when the prediction is right" in correct_rows[1].diagnosis
    check = grading.Check.of(perceptron.GRADED, "update_step")
    check.cases(without_x)
    (w_row,) = [row for row in check.rows if not row.passed]
    assert w_row.name == "w [misclassified]" and "scaled by its own input x_j" in w_row.diagnosis
