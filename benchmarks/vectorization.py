"""How many times faster the vectorized training step is than the loop versions, on 1000 examples.

    .venv/bin/python benchmarks/vectorization.py

Measures the CPU time of one gradient-descent step of the shallow network (noisy XOR,
2 inputs, 4 hidden units) with helpers.cputime, the measurement of homework 05's speed
test (the least of a few measurements, each of enough calls), both versions in one run:

* the reference helpers.shallow.train_step against helpers.shallow.train_step_loop,
  the course's loop version; the target is a speed-up of at least 100;
* the homework's network's vectorized step (helpers.reference.shallow_squared.train_step)
  against train_step_loop of source/05_vectorization, the loop version the homework
  starts from, whose test asks students for 20;
* the homework's speed tests time its loop version (train_step_per_unit) on a share of
  their examples and scale its time up (part (c): LOOP_EXAMPLES of SPEED_EXAMPLES, 2
  inputs and 4 hidden units; stage 1: STAGE1_SPEED's loop_examples of its examples, 8
  inputs and 32 hidden units), which holds if that time grows in step with the number of
  examples: the loop version on all of them against on the share, side by side (target:
  the ratio of their sizes, within SCALING_TOLERANCE).

Exits 1 if a target is missed.
"""
import sys
from pathlib import Path

import nbformat
import numpy as np

from helpers import cputime, datasets
from helpers.reference import shallow, shallow_squared
from helpers.specs import vectorization as vectorization_spec

REPO_ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = REPO_ROOT / "source" / "05_vectorization" / "05_vectorization.ipynb"
NUM_EXAMPLES = 1000
NUM_HIDDENS = 4
TARGET = 100.0
HOMEWORK_THRESHOLD = 20.0
SCALING_TOLERANCE = 0.1
SCALING_REPEATS = 41  # more than a test's 7: this machine's speed drifts by a tenth within seconds


def homework_loop_version():
    """train_step_loop as the homework defines it, run from its own notebook cells."""
    cells = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell.source
             for cell in nbformat.read(HOMEWORK, as_version=4).cells}
    namespace = {}
    for grade_id in ("imports", "loop_version"):
        exec(cells[grade_id], namespace)  # noqa: S102 (the course's own notebook)
    return namespace["train_step_loop"]


def main():
    X, Y = datasets.noisy_xor(m=NUM_EXAMPLES, noise=0.25, seed=0)
    params = shallow.initialize_parameters(2, NUM_HIDDENS, 1, seed=0, scale=1.0)
    args = (X, Y, params, 1.2)
    reference = speedup(shallow.train_step_loop, shallow.train_step, args)
    homework = speedup(homework_loop_version(), shallow_squared.train_step, args)
    print(f"one training step, {NUM_EXAMPLES} examples, {NUM_HIDDENS} hidden units")
    print(f"{'loop version':45} {'speed-up':>9} {'needed':>7}")
    print(f"{'helpers.reference.shallow.train_step_loop':45} {reference:9.0f} {TARGET:7.0f}")
    print(f"{'train_step_loop of the homework (05)':45} {homework:9.0f} {HOMEWORK_THRESHOLD:7.0f}")
    failed = False
    if reference < TARGET:
        print(f"the reference is only {reference:.0f} times faster than the loop version; {TARGET:.0f} is the target")
        failed = True
    stage1 = vectorization_spec.STAGE1_SPEED
    for test, inputs, hiddens, examples, share in (
            ("part (c)", 2, NUM_HIDDENS, vectorization_spec.SPEED_EXAMPLES, vectorization_spec.LOOP_EXAMPLES),
            ("stage 1", stage1["inputs"], stage1["hiddens"], stage1["examples"], stage1["loop_examples"])):
        scaling = speedup(shallow_squared.train_step_per_unit, vectorization_spec.loop_version_on_a_share(share),
                          problem(inputs, hiddens, examples), repeats=SCALING_REPEATS)
        print(f"{test}: the loop version on {examples} examples takes {scaling:.2f} times its time on {share} "
              f"(the speed test multiplies by {examples / share:g})")
        if abs(scaling / (examples / share) - 1) > SCALING_TOLERANCE:
            print(f"{test}: the loop version's time does not grow in step with the examples: the scaling is off")
            failed = True
    return 1 if failed else 0


def speedup(slow, fast, args, repeats=cputime.REPEATS):
    """How many times less CPU time fast(*args) costs than slow(*args)."""
    return (cputime.course_seconds(slow, lambda: args, repeats=repeats)
            / cputime.course_seconds(fast, lambda: args, repeats=repeats))


def problem(inputs, hiddens, examples, seed=6):
    """Arguments of a training step, drawn as the speed tests draw theirs (normal inputs, random labels)."""
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(inputs, examples)), rng.integers(0, 2, size=(1, examples)),
            shallow.initialize_parameters(inputs, hiddens, 1, seed=seed, scale=0.5), 1.2)


if __name__ == "__main__":
    sys.exit(main())
