"""Which of the course's functions stand in for the student's while one of theirs is tested.

A stand-in answers from the trusted grader, so a function that could compute the tested
function's answer must never be one: the student's code could ask it for that answer.
"""
import ast

import nbformat
import numpy as np
import pytest

from autograder import release
from helpers import grading
from helpers.specs import adaline as adaline_spec
from helpers.specs import logistic_regression as logistic_spec
from helpers.specs import perceptron as perceptron_spec
from helpers.specs import shallow_network as shallow_spec
from helpers.specs import vectorization as vectorization_spec
from support import SOURCE_DIR

GRADED = {"01_perceptron": perceptron_spec.GRADED, "02_adaline": adaline_spec.GRADED,
          "03_logistic_regression": logistic_spec.GRADED,
          "04_shallow_network": shallow_spec.GRADED, "05_vectorization": vectorization_spec.GRADED}
FUNCTIONS = [(folder, name) for folder, graded in GRADED.items() for name in graded]


def solution_functions(folder):
    """{name: its ast.FunctionDef} of every graded function defined in the assignment's source notebooks, in
    the notebooks' order."""
    found = {}
    for path in release.notebooks(SOURCE_DIR / folder):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:  # a cell with IPython magics: no graded function there
                continue
            found.update({node.name: node for node in tree.body
                          if isinstance(node, ast.FunctionDef) and node.name in GRADED[folder]})
    return found


def test_every_assignment_of_source_is_declared():
    assert set(GRADED) == set(path.name for path in SOURCE_DIR.iterdir() if path.is_dir())


@pytest.mark.parametrize("folder", GRADED)
def test_the_graded_functions_are_declared_in_the_notebooks_order(folder):
    assert list(solution_functions(folder)) == list(GRADED[folder])


@pytest.mark.parametrize("folder, name", FUNCTIONS)
def test_only_functions_before_the_tested_one_stand_in(folder, name):
    names = list(GRADED[folder])
    assert set(grading.stand_ins(GRADED[folder], name)) <= set(names[:names.index(name)])


@pytest.mark.parametrize("folder, name", FUNCTIONS)
def test_every_graded_function_the_solution_calls_stands_in(folder, name):
    """So that a mistake in a function the exercise builds on never costs the student twice."""
    called = {node.id for node in ast.walk(solution_functions(folder)[name]) if isinstance(node, ast.Name)}
    assert (called & set(GRADED[folder])) - {name} <= set(grading.stand_ins(GRADED[folder], name))


@pytest.mark.parametrize("folder, name, other", [
    ("03_logistic_regression", "gradients", "gradients_loop"),
    ("04_shallow_network", "backward_propagation_leaky_relu", "backward_propagation"),
    ("05_vectorization", "train_step_vectorized", "train_step_per_example"),
])
def test_an_earlier_function_that_could_compute_the_answer_never_stands_in(folder, name, other):
    assert other in GRADED[folder][name].not_from
    assert other not in grading.stand_ins(GRADED[folder], name)


def test_a_function_no_assignment_grades_gets_no_stand_ins():
    assert grading.stand_ins(perceptron_spec.GRADED, "my_helper") == {}


STUDENT_CODE = """
import numpy as np

def train_epoch(X, Y, w, b, eta):
    for i in range(X.shape[1]):
        w, b = update_step(X[:, [i]], Y[0, i], w, b, eta)
    return w, b, 0

def update_step(x, y, w, b, eta):
    new_w, new_b, _ = train_epoch(x, np.array([[y]]), w, b, eta)
    return new_w, new_b
"""


def test_a_later_function_cannot_be_asked_for_the_tested_ones_answer():
    """update_step handing its example to train_epoch as a one-example epoch: the student's own train_epoch runs
    (and calls update_step again, without end), not the course's."""
    notebook = {}
    exec(STUDENT_CODE, notebook)  # noqa: S102  (the functions' globals are a notebook's namespace, as in a kernel)
    check = grading.Check.of(perceptron_spec.GRADED, "update_step")
    args, _ = perceptron_spec.update_step_problems(seed=303)[0]
    check.call(notebook["update_step"], *args, outputs=("w", "b"))
    assert check.failures and "RecursionError" in check.failures[0].diagnosis
