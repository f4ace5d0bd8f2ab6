"""What each assignment grades, one module per assignment (perceptron, adaline, logistic_regression,
shallow_network, vectorization): its graded functions with the course's version of each, the problems they are
tested on, the catalogue of known mistakes, the checks that are more than a comparison, and the answers to its
questions. This is the grading side of helpers: it and helpers.reference never reach a student's edition.

A test cell names its assignment's GRADED and a function, and says which problems to run:

    from helpers import grading
    from helpers.specs import perceptron as spec

    with grading.Check.of(spec.GRADED, "update_step") as check:
        check.cases(update_step)               # the assignment's examples
        check.cases(update_step, seed=1234)    # random problems drawn from a seed (as the hidden tests do)

While one of a student's functions is tested, the course's versions of the graded functions it builds on stand in
for the student's, so that one mistake never counts twice (grading.stand_ins). A function builds on those before it
in GRADED (the notebook's order), except the ones declared in its `not_from`: functions from which its answer could
be had without doing the exercise (the loop version of the vectorized gradients, the tanh network's backward pass for
the leaky ReLU one). A function after it never stands in: it could compute the answer (a perceptron's train_epoch run
on one example is its update_step). While autograding, a stand-in answers from the grader; were it one of those, the
student's function could ask it for the very answer it is tested on.
"""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Graded:
    """One graded function of an assignment."""

    reference: Callable                   # the course's version
    outputs: tuple = ("result",)          # names of what it returns, one table row each
    problems: Callable | None = None      # problems(seed=None) -> [(args, case)]: the examples, or random ones
    mistakes: Callable | None = None      # mistakes(*args) -> {diagnosis: the outputs that mistake gives}
    not_from: tuple = ()                  # earlier graded functions that could compute this one's answer
    updates: dict = None                  # {output: index in the args of its value before the update}: an update,
                                          # whose wrong values are diagnosed by their change (grading.Check)
    rate: int | None = None               # the index in the args of the update's learning rate
