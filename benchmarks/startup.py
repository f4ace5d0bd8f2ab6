"""What starting a grading process costs: importing the grader, with and without jsonschema's IRI grammar.

    .venv/bin/python benchmarks/startup.py              # 5 fresh interpreters of each kind, alternately
    .venv/bin/python benchmarks/startup.py --runs 9

The parent (`python -m autograder grade`), every Dask worker and every grading process import
nbgrader, and so nbformat and jsonschema. jsonschema checks the "iri" format with
rfc3987_syntax when it is installed, which compiles a grammar on import; `autograder` keeps it
out (autograder/__init__.py). Each side runs in a fresh interpreter, alternately; "before"
imports rfc3987_syntax first, as every process did before. Prints the median seconds of each
and their ratio.
"""
import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDES = {"before (rfc3987_syntax imported)": "import rfc3987_syntax, autograder.autograde",
         "after (autograder keeps it out)": "import autograder.autograde"}


def seconds(code):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    times = {side: [] for side in SIDES}
    for _ in range(args.runs):
        for side, code in SIDES.items():
            times[side].append(seconds(code))
    medians = {side: statistics.median(values) for side, values in times.items()}
    for side, median in medians.items():
        print(f"{side:36} {median:6.2f} s (median of {args.runs})")
    before, after = medians.values()
    print(f"importing the grading code: {after / before:.2f}x the time it took, "
          f"{before - after:.2f} s less per process")


if __name__ == "__main__":
    main()
