"""What homework 05's loop checks measure: the CPU time of one training step, in the shapes of
helpers/specs/vectorization.py's LOOP_SHAPES, over the course's own, for steps written many ways.

    .venv/bin/python benchmarks/loop_costs.py

Each row is one way to write the step; each column a shape, with its bound (max_ratio). Every
figure is measured in this run, the course's step and the student's side by side, on fresh
inputs every call, by helpers/cputime.py in this process (a plain kernel: no sandbox, no wire).
Grading adds the wire's work to both sides, which brings every ratio closer to 1: the graded
fixtures print the sandbox's figures (examples/submissions/05_vectorization/, in the table of
their (b) cell). Exits 1 if a loop-free way costs more than its bound, or a loop less.
"""
import copy
import math
import sys

import numpy as np

from helpers import cputime
from helpers.reference import shallow_squared
from helpers.reference.activations import sigmoid
from helpers.specs import vectorization as spec


def step_with(activation=np.tanh, output=sigmoid, sums=lambda A: np.sum(A, axis=1, keepdims=True), copy_first=False):
    """A loop-free step, its pieces replaceable."""
    def step(X, Y, params, learning_rate):
        params = copy.deepcopy(params) if copy_first else params
        m = X.shape[1]
        A1 = activation(params["W1"] @ X + params["b1"])
        A2 = output(params["W2"] @ A1 + params["b2"])
        cost = float(np.sum((A2 - Y) ** 2) / (2 * m))
        dZ2 = (A2 - Y) * A2 * (1 - A2)
        dZ1 = (params["W2"].T @ dZ2) * (1 - A1 ** 2)
        grads = {"dW1": dZ1 @ X.T / m, "db1": sums(dZ1) / m, "dW2": dZ2 @ A1.T / m, "db2": sums(dZ2) / m}
        return {name: params[name] - learning_rate * grads["d" + name] for name in params}, cost, grads
    return step


def piecewise_sigmoid(z):
    return np.piecewise(z, [z >= 0, z < 0], [lambda t: 1 / (1 + np.exp(-t)), lambda t: np.exp(t) / (1 + np.exp(t))])


_python_tanh = np.vectorize(math.tanh)
_python_logistic = np.frompyfunc(lambda z: 1.0 / (1.0 + math.exp(-z)), 1, 1)

LOOP_FREE = {
    "the course's step, as a student's": shallow_squared.train_step,
    "loop-free, dict comprehension over the 4 names": step_with(),
    "loop-free, deepcopy and np.add.reduce": step_with(copy_first=True,
                                                       sums=lambda A: np.add.reduce(A, axis=1, keepdims=True)),
    "loop-free, np.piecewise sigmoid": step_with(output=piecewise_sigmoid),
}
PYTHON_PER_ENTRY = {  # not caught in the sandbox (the module docstring of the fixtures says why)
    "np.vectorize(math.tanh) over Z1": step_with(activation=_python_tanh),
    "np.frompyfunc over the logits": step_with(output=lambda z: _python_logistic(z).astype(float)),
}
LOOPS = {
    "stage 1 (loop over the examples)": shallow_squared.train_step_per_example,
    "the loop version (examples, units, inputs)": shallow_squared.train_step_per_unit,
}


def main():
    rng = np.random.default_rng(0)
    shapes = spec.LOOP_SHAPES
    print(f"{'step':48}" + "".join(f"{label + ' (<= ' + str(shape['max_ratio']) + ')':>24}"
                                    for label, shape in shapes.items()))
    failed = False
    for group, steps in (("loop-free", LOOP_FREE), ("per entry", PYTHON_PER_ENTRY), ("loops", LOOPS)):
        for name, step in steps.items():
            cells = []
            for label, shape in shapes.items():
                sizes = {key: shape[key] for key in ("inputs", "hiddens", "examples")}

                def fresh(sizes=sizes):
                    return spec._fresh_problem(rng, **sizes)

                course = cputime.course_seconds(shallow_squared.train_step, fresh)
                ratio = cputime.students_seconds(step, fresh, enough=30 * course, repeats=2) / course
                cells.append(f"{ratio:24.1f}")
                if group == "loop-free" and ratio > shape["max_ratio"]:
                    failed = True
                if group == "loops" and ratio <= shape["max_ratio"] and not (
                        name.startswith("stage 1") and label != "examples"):
                    failed = True
            print(f"{name:48}" + "".join(cells))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
