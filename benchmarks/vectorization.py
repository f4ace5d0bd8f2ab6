"""How many times faster the vectorized training step is than the loop versions, on 1000 examples.

    .venv/bin/python benchmarks/vectorization.py

Times one gradient-descent step of the shallow network (noisy XOR, 2 inputs,
4 hidden units) side by side with helpers.codecheck.speedup, the same
measurement as homework 05's speed test (median of interleaved repeats):

* the reference helpers.shallow.train_step against helpers.shallow.train_step_loop,
  the course's loop version; the target is a speed-up of at least 100;
* the same train_step against train_step_loop of source/05_vectorization, the
  loop version the homework starts from, whose test asks students for 20;
* the homework's speed test times its loop version (train_step_per_unit) on
  LOOP_EXAMPLES of the SPEED_EXAMPLES examples and scales its time up, which holds if
  that time grows in step with the number of examples: the loop version on all of
  them against on the share, side by side (target: the ratio of their sizes, within
  SCALING_TOLERANCE).

Exits 1 if a target is missed.
"""
import sys
from pathlib import Path

import nbformat

from helpers import codecheck, datasets, shallow

REPO_ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = REPO_ROOT / "source" / "05_vectorization" / "05_vectorization.ipynb"
NUM_EXAMPLES = 1000
NUM_HIDDENS = 4
TARGET = 100.0
HOMEWORK_THRESHOLD = 20.0
SCALING_TOLERANCE = 0.1


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
    reference = codecheck.speedup(shallow.train_step_loop, shallow.train_step, args)
    homework = codecheck.speedup(homework_loop_version(), shallow.train_step, args)
    print(f"one training step, {NUM_EXAMPLES} examples, {NUM_HIDDENS} hidden units")
    print(f"{'loop version':45} {'speed-up':>9} {'needed':>7}")
    print(f"{'helpers.shallow.train_step_loop':45} {reference:9.0f} {TARGET:7.0f}")
    print(f"{'train_step_loop of the homework (05)':45} {homework:9.0f} {HOMEWORK_THRESHOLD:7.0f}")
    X_all, Y_all = datasets.noisy_xor(m=shallow.SPEED_EXAMPLES, noise=0.25, seed=6)
    all_args = (X_all, Y_all, shallow.initialize_parameters(2, NUM_HIDDENS, 1, seed=6, scale=1.0), 1.2)
    scaling = codecheck.speedup(shallow.train_step_per_unit, shallow.loop_version_on_a_share, all_args)
    sizes = shallow.SPEED_EXAMPLES / shallow.LOOP_EXAMPLES
    print(f"the loop version on {shallow.SPEED_EXAMPLES} examples takes {scaling:.2f} times its time on "
          f"{shallow.LOOP_EXAMPLES} (the speed test multiplies by {sizes:g})")
    failed = False
    if reference < TARGET:
        print(f"the reference is only {reference:.0f} times faster than the loop version; {TARGET:.0f} is the target")
        failed = True
    if abs(scaling / sizes - 1) > SCALING_TOLERANCE:
        print("the loop version's time does not grow in step with the examples: the speed test's scaling is off")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
