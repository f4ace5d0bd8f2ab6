"""Assignment 04's mini-batch part: fit_minibatch's usual mistakes are named, and the digits choice is graded by the
validation accuracy, the only honest judge of a setting."""
import numpy as np
import pytest

from helpers import datasets, grading
from helpers.answers import shallow_network as shallow_answers
from helpers.specs import shallow_network as spec


# A student's training loop calls the notebook's functions by name; the course's versions stand in while checked.
def layer_sizes(X, Y, num_hiddens):
    raise AssertionError("stand-in")


initialize_parameters = forward_propagation = backward_propagation = update_parameters = compute_cost = layer_sizes


def fit_minibatch_with(shuffle_every_epoch=True, keep_last=True):
    def fit_minibatch(X, Y, num_hiddens, learning_rate, num_epochs, batch_size, seed=0):
        n_x, n_h, n_y = layer_sizes(X, Y, num_hiddens)
        params = initialize_parameters(n_x, n_h, n_y, seed)
        rng, m, costs = np.random.default_rng(seed), X.shape[1], []
        order = rng.permutation(m)
        for epoch in range(num_epochs):
            if shuffle_every_epoch and epoch:
                order = rng.permutation(m)
            stop = m if keep_last else m - batch_size + 1
            for start in range(0, stop, batch_size):
                batch = order[start:start + batch_size]
                _, cache = forward_propagation(X[:, batch], params)
                params = update_parameters(params, backward_propagation(params, cache, X[:, batch], Y[:, batch]),
                                           learning_rate)
            costs.append(compute_cost(forward_propagation(X, params)[0], Y))
        return params, costs
    return fit_minibatch


@pytest.mark.parametrize("student, words", [
    (fit_minibatch_with(), None),
    (fit_minibatch_with(shuffle_every_epoch=False), "shuffled once, before the first epoch"),
    (fit_minibatch_with(keep_last=False), "the last, smaller batch is dropped"),
])
def test_mini_batch_training_and_its_usual_mistakes(student, words):
    check = grading.Check.of(spec.GRADED, "fit_minibatch")
    check.cases(student)
    check.cases(student, seed=411)
    failed = [row for row in check.rows if not row.passed]
    if words is None:
        assert not failed, [(row.name, row.diagnosis) for row in failed]
    else:
        assert failed and all(words in row.diagnosis for row in failed), [(row.name, row.diagnosis) for row in failed]


def test_the_stored_digits_accuracies_are_the_course_s_fit():
    """The grader reads the grid's validation accuracies from helpers/answers: they are what fit_minibatch gives."""
    (_, (_, Y_valid), _) = datasets.split(*datasets.digits_pair(*spec.DIGITS), seed=0)
    assert Y_valid.shape[1] == shallow_answers.DIGITS_VALIDATION_SIZE
    assert set(shallow_answers.DIGITS_VALIDATION_RIGHT) == {
        (num_hiddens, learning_rate) for num_hiddens in spec.DIGITS_GRID["num_hiddens"]
        for learning_rate in spec.DIGITS_GRID["learning_rate"]}
    assert spec.compute_digits_validation_accuracies() == spec.digits_validation_accuracies()


def test_the_digits_choice_is_right_only_where_the_validation_accuracy_is_best():
    accuracies = spec.digits_validation_accuracies()
    best = max(accuracies.values())
    assert 0.9 < best <= 1.0 and min(accuracies.values()) < best, "the grid must hold worse and best settings"
    (X_train, Y_train), (X_valid, Y_valid), (X_test, Y_test) = datasets.split(*datasets.digits_pair(*spec.DIGITS))
    assert X_train.shape[1] + X_valid.shape[1] + X_test.shape[1] == 354
    for setting, accuracy in accuracies.items():
        check = grading.Check("choice")
        spec.check_digits_choice(check, setting)
        assert (not check.failures) == (accuracy == best), setting
    for wrong_form in (None, (3, 0.5), "2, 0.5", ("2", "0.5"), (2.7, 0.5), (True, 0.5)):
        check = grading.Check("choice")
        spec.check_digits_choice(check, wrong_form)
        assert [row.name for row in check.failures] == ["chosen is a (num_hiddens, learning_rate) of the grid"]


def test_split_cuts_every_example_into_exactly_one_part():
    X = np.arange(20.0).reshape(2, 10)
    parts = datasets.split(X, np.arange(10).reshape(1, 10), fractions=(0.5, 0.3, 0.2), seed=3)
    assert [part[0].shape[1] for part in parts] == [5, 3, 2]
    assert sorted(np.concatenate([part[1].ravel() for part in parts]).tolist()) == list(range(10))
    with pytest.raises(ValueError, match="add up to 1"):
        datasets.split(X, X[:1], fractions=(0.5, 0.2))
