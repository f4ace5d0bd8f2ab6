"""What each assignment grades, declared once: for every graded function, the course's version, the names
of its outputs, the problems it is tested on and the catalogue of known mistakes.

A test cell names its assignment and function and says which problems to run:

    with grading.Check.of(assignments.PERCEPTRON, "update_step") as check:
        check.cases(update_step)               # the assignment's examples
        check.cases(update_step, seed=303)     # random problems drawn from a seed (the hidden tests)

While one of a student's functions is tested, the course's versions of the graded functions
it builds on stand in for the student's, so that one mistake never counts twice. A function
builds on those before it in the assignment (the notebook's order), except the ones declared
in its `not_from`: functions from which its answer could be had without doing the exercise
(the loop version of the vectorized gradients, the tanh network's backward pass for the leaky
ReLU one). A function after it never stands in: it could compute the answer (a perceptron's
train_epoch run on one example is its update_step). While autograding, a stand-in answers from
the grader; were it one of those, the student's function could ask it for the very answer it
is tested on.
"""
from dataclasses import dataclass
from typing import Callable

from helpers import activations, adaline, logistic, mistakes, perceptron, preprocessing, shallow


@dataclass(frozen=True)
class Graded:
    """One graded function of an assignment."""

    reference: Callable                   # the course's version
    outputs: tuple = ("result",)          # names of what it returns, one table row each
    problems: Callable | None = None      # problems(seed=None) -> [(args, case)]: the examples, or random ones
    mistakes: Callable | None = None      # mistakes(*args) -> {diagnosis: the outputs that mistake gives}
    not_from: tuple = ()                  # earlier graded functions that could compute this one's answer


def stand_ins(assignment, name):
    """{function name: the course's version} of the graded functions that `name` builds on (see above);
    none for a function the assignment does not grade."""
    if name not in assignment:
        return {}
    names = list(assignment)
    return {other: assignment[other].reference for other in names[:names.index(name)]
            if other not in assignment[name].not_from}


PERCEPTRON = {
    "net_input": Graded(perceptron.net_input, ("Z",), perceptron.net_input_problems),
    "predict": Graded(perceptron.predict, ("Y_hat",), perceptron.predict_problems, mistakes.perceptron_predict),
    "update_step": Graded(perceptron.update_step, ("w", "b"), perceptron.update_step_problems,
                          mistakes.perceptron_update_step),
    "train_epoch": Graded(perceptron.train_epoch, ("w", "b", "num_errors"), perceptron.train_epoch_problems,
                          mistakes.perceptron_train_epoch),
    "fit": Graded(perceptron.fit, ("w", "b", "errors"), perceptron.fit_problems),
}

# -- 02_adaline ------------------------------------------------------------------------------------------
ADALINE = {
    "net_input": Graded(adaline.net_input, ("Z",), adaline.net_input_problems),
    "activation": Graded(adaline.activation, ("A",), adaline.activation_problems, mistakes.adaline_activation),
    "cost": Graded(adaline.cost, ("cost",), adaline.cost_problems, mistakes.adaline_cost),
    "gradients": Graded(adaline.gradients, ("dw", "db"), adaline.gradients_problems, mistakes.adaline_gradients),
    "batch_step": Graded(adaline.batch_step, ("w", "b"), adaline.batch_step_problems, mistakes.adaline_batch_step),
    "standardize": Graded(preprocessing.standardize, ("X_std", "mean", "std"), preprocessing.standardize_problems,
                          mistakes.standardize),
    "fit_batch": Graded(adaline.fit_batch, ("w", "b", "costs"), adaline.fit_batch_problems, mistakes.adaline_fit_batch),
    "sgd_epoch": Graded(adaline.sgd_epoch, ("w", "b", "average_cost"), adaline.sgd_epoch_problems,
                        mistakes.adaline_sgd_epoch),
}
# -- 03_logistic_regression ------------------------------------------------------------------------------
LOGISTIC_REGRESSION = {
    "sigmoid": Graded(activations.sigmoid, ("A",), activations.sigmoid_problems, mistakes.logistic_sigmoid),
    "cost": Graded(logistic.cost, ("cost",), logistic.cost_problems, mistakes.logistic_cost),
    "gradients_loop": Graded(logistic.gradients_loop, ("dw", "db"), logistic.gradients_loop_problems,
                             mistakes.logistic_gradients),
    "gradients": Graded(logistic.gradients, ("dw", "db"), logistic.gradients_problems, mistakes.logistic_gradients,
                        not_from=("gradients_loop",)),
    "optimize": Graded(logistic.optimize, ("w", "b", "costs"), logistic.optimize_problems, mistakes.logistic_optimize),
    "predict": Graded(logistic.predict, ("Y_hat",), logistic.predict_problems, mistakes.logistic_predict),
}
# -- 04_shallow_network ----------------------------------------------------------------------------------
SHALLOW_NETWORK = {
    "layer_sizes": Graded(shallow.layer_sizes, ("n_x", "n_h", "n_y"), shallow.layer_sizes_problems),
    "initialize_parameters": Graded(shallow.initialize_parameters, ("params",), shallow.initialize_parameters_problems,
                                    shallow.initialize_parameters_mistakes),
    "forward_propagation": Graded(shallow.forward, ("A2", "cache"), shallow.forward_problems, shallow.forward_mistakes),
    "compute_cost": Graded(shallow.cost, ("cost",), shallow.cost_problems, mistakes.logistic_cost),
    "backward_propagation": Graded(shallow.backward, ("grads",), shallow.backward_problems, shallow.backward_mistakes),
    "update_parameters": Graded(shallow.update_parameters, ("params",), shallow.update_parameters_problems,
                                shallow.update_parameters_mistakes),
    "fit": Graded(shallow.fit, ("params", "costs"), shallow.fit_problems),
    "predict": Graded(shallow.predict, ("Y_hat",), shallow.predict_problems, mistakes.shallow_predict),
    "backward_propagation_leaky_relu": Graded(shallow.backward_leaky_relu, ("grads",),
                                              shallow.backward_leaky_relu_problems,
                                              shallow.backward_leaky_relu_mistakes,
                                              not_from=("backward_propagation",)),
}
# -- 05_vectorization ------------------------------------------------------------------------------------
VECTORIZATION = {
    "train_step_per_example": Graded(shallow.train_step_per_example, shallow.STEP_OUTPUTS, shallow.train_step_problems,
                                     mistakes.shallow_train_step),
    "train_step_vectorized": Graded(shallow.train_step, shallow.STEP_OUTPUTS, shallow.train_step_problems,
                                    mistakes.shallow_train_step, not_from=("train_step_per_example",)),
}
