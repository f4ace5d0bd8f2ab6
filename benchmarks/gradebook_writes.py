"""How fast the parent, the gradebook's only writer, records graded submissions (the first bottleneck at scale).

    .venv/bin/python benchmarks/gradebook_writes.py              # 300 submissions into SQLite
    .venv/bin/python benchmarks/gradebook_writes.py --count 1000
    .venv/bin/python benchmarks/gradebook_writes.py --db postgresql://user@host/db   # any URL nbgrader accepts

Records synthetic results (every grade cell of every assignment scored) with the same
`grade.record` the pipeline uses, one commit per submission as in a real run, and prints
submissions recorded per second: the most a cluster of any size can grade per second
into one gradebook. See benchmarks/SCALE.md.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from nbgrader.api import Gradebook  # noqa: E402

from autograder import demo, grade  # noqa: E402
from autograder.autograde import Job  # noqa: E402
from autograder.course import COURSE_ID, SOURCE_DIR, assignments  # noqa: E402


def synthetic_result(book, assignment):
    return {"timestamp": None, "notebooks": {
        notebook.name: {"late_penalty": None, "autograded": True, "comments": {},
                        "grades": {cell.name: (cell.max_score, False) for cell in notebook.grade_cells}}
        for notebook in book.find_assignment(assignment).notebooks}}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300, help="submissions to record (default %(default)s)")
    parser.add_argument("--db", help="gradebook URL (default: a new SQLite file)")
    args = parser.parse_args(argv)
    names = assignments(SOURCE_DIR)
    with tempfile.TemporaryDirectory() as root:
        course = demo.make_course(Path(root) / "course", names, db_url=args.db)
        with Gradebook(course.db_url, COURSE_ID) as book:
            results = {name: synthetic_result(book, name) for name in names}
            start = time.perf_counter()
            for index in range(args.count):
                assignment = names[index % len(names)]
                grade.record(book, Job(assignment, f"student{index:06d}", "fingerprint"), results[assignment])
            seconds = time.perf_counter() - start
        kind = course.db_url.split(":", 1)[0]
    per_second = args.count / seconds
    print(f"{kind}: recorded {args.count} submissions in {seconds:.1f} s: {per_second:.1f} per second, "
          f"{1000 / per_second:.0f} ms each; 50,000 submissions take {50_000 / per_second / 3600:.2f} h of writing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
