"""What each assignment grades, declared once: for every graded function, the course's version, the names
of its outputs, the problems it is tested on and the catalogue of known mistakes.

A test cell names its assignment and function and says which problems to run:

    with grading.Check.of(assignments.PERCEPTRON, "update_step") as check:
        check.cases(update_step)               # the assignment's examples
        check.cases(update_step, seed=303)     # random problems drawn from a seed (the hidden tests)

While one of a student's functions is tested, the course's versions of the assignment's
other graded functions stand in for the student's, so that one mistake never counts twice.
"""
from dataclasses import dataclass
from typing import Callable

from helpers import mistakes, perceptron


@dataclass(frozen=True)
class Graded:
    """One graded function of an assignment."""

    reference: Callable                   # the course's version
    outputs: tuple = ("result",)          # names of what it returns, one table row each
    problems: Callable | None = None      # problems(seed=None) -> [(args, case)]: the examples, or random ones
    mistakes: Callable | None = None      # mistakes(*args) -> {diagnosis: the outputs that mistake gives}


def stand_ins(assignment):
    """{function name: the course's version} of every graded function of the assignment."""
    return {name: graded.reference for name, graded in assignment.items()}


PERCEPTRON = {
    "net_input": Graded(perceptron.net_input, ("Z",), perceptron.net_input_problems),
    "predict": Graded(perceptron.predict, ("Y_hat",), perceptron.predict_problems, mistakes.perceptron_predict),
    "update_step": Graded(perceptron.update_step, ("w", "b"), perceptron.update_step_problems,
                          mistakes.perceptron_update_step),
    "train_epoch": Graded(perceptron.train_epoch, ("w", "b", "num_errors"), perceptron.train_epoch_problems,
                          mistakes.perceptron_train_epoch),
    "fit": Graded(perceptron.fit, ("w", "b", "errors"), perceptron.fit_problems),
}

# -- 02_adaline (section owned by the 02/03 rewrite) ----------------------------------------------------------
ADALINE = {}
# -- end of 02_adaline ------------------------------------------------------------------------------------

# -- 03_logistic_regression (section owned by the 02/03 rewrite) --------------------------------------------
LOGISTIC_REGRESSION = {}
# -- end of 03_logistic_regression ----------------------------------------------------------------------------

# -- 04_shallow_network (section owned by the 04/05 rewrite) -------------------------------------------------
SHALLOW_NETWORK = {}
# -- end of 04_shallow_network ------------------------------------------------------------------------------

# -- 05_vectorization (section owned by the 04/05 rewrite) ---------------------------------------------------
VECTORIZATION = {}
# -- end of 05_vectorization --------------------------------------------------------------------------------
