"""The grading pipeline at an earlier commit against the checkout's, graded alternately on the same class.

    .venv/bin/python benchmarks/pipeline_ab.py 6734700            # 3 rounds, 2 workers
    .venv/bin/python benchmarks/pipeline_ab.py HEAD~1 --rounds 5

A machine's speed drifts by a third from one minute to the next (a shared host): figures from
two runs of benchmarks/grading.py, minutes apart, cannot tell a change's effect from the drift.
This grades the class of benchmarks/grading.py with `python -m autograder grade --force` from
a throwaway worktree of the given commit and from this checkout, one after the other, round
after round, and prints each round's seconds and the median ratio (checkout / commit). Both
run with this checkout's Python environment.
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grading import build_class  # noqa: E402

from autograder.course import REPO_ROOT, default_workers  # noqa: E402


def grade_seconds(checkout, course, workers):
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "autograder", "grade", "--course", str(course.root), "--force",
                             "--workers", str(workers), "--quiet"], cwd=checkout, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"grading from {checkout} failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commit", help="the earlier commit (any git revision)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pipeline-ab-") as scratch:
        worktree = Path(scratch) / "earlier"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(worktree), args.commit], cwd=REPO_ROOT,
                       check=True)
        try:
            courses, chosen = build_class(Path(scratch) / "courses", ("earlier", "checkout"))
            checkouts = {"earlier": worktree, "checkout": REPO_ROOT}
            times = {side: [] for side in checkouts}
            for round_number in range(1, args.rounds + 1):
                for side, checkout in checkouts.items():
                    times[side].append(grade_seconds(checkout, courses[side], args.workers))
                print(f"round {round_number}: {args.commit} {times['earlier'][-1]:.1f} s, "
                      f"checkout {times['checkout'][-1]:.1f} s", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=REPO_ROOT)
    ratios = [new / old for new, old in zip(times["checkout"], times["earlier"])]
    print(f"{len(chosen)} submissions, {args.workers} workers: the checkout takes {statistics.median(ratios):.2f}x "
          f"the time of {args.commit} (median of {args.rounds} rounds; each round's ratio: "
          f"{', '.join(f'{ratio:.2f}' for ratio in ratios)})")


if __name__ == "__main__":
    main()
