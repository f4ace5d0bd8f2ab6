"""How many times faster the vectorized training step is than the loop versions, on 1000 examples.

    .venv/bin/python benchmarks/vectorization.py

Times one gradient-descent step of the shallow network (noisy XOR, 2 inputs,
4 hidden units) side by side with helpers.codecheck.speedup, the same
measurement as homework 05's speed test (median of interleaved repeats):

* the reference helpers.shallow.train_step against helpers.shallow.train_step_loop,
  the course's loop version; the target is a speed-up of at least 100;
* the same train_step against train_step_loop of source/05_vectorization, the
  loop version the homework starts from, whose test asks students for 20.

Exits 1 if the reference misses its target.
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
    if reference < TARGET:
        print(f"the reference is only {reference:.0f} times faster than the loop version; {TARGET:.0f} is the target")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
