"""How long each notebook takes top to bottom in a fresh kernel, against the course's limits.

    .venv/bin/python benchmarks/notebook_times.py            # every notebook
    .venv/bin/python benchmarks/notebook_times.py 02_adaline # names containing a word

Limits: an assignment in source/ 30 s, a lecture 60 s (the shallow-network lecture 90 s).
Prints seconds and the ratio to the limit; exits 1 if a notebook is over its limit.
"""
import sys

from autograder.course import REPO_ROOT, SOURCE_DIR
from autograder.run_notebook import execute

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"

LECTURE_LIMITS = {"04_shallow_network_lecture.ipynb": 90.0}


def limit(path):
    return 30.0 if SOURCE_DIR in path.parents else LECTURE_LIMITS.get(path.name, 60.0)


def main(words):
    paths = sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + sorted(SOURCE_DIR.glob("*/*.ipynb"))
    paths = [path for path in paths if not words or any(word in str(path) for word in words)]
    over = []
    print(f"{'notebook':55} {'seconds':>8} {'limit':>6} {'ratio':>6}")
    for path in paths:
        _, seconds = execute(path)
        ratio = seconds / limit(path)
        print(f"{str(path.relative_to(REPO_ROOT)):55} {seconds:8.1f} {limit(path):6.0f} {ratio:6.2f}")
        if ratio > 1:
            over.append(path.name)
    if over:
        print(f"over the limit: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
