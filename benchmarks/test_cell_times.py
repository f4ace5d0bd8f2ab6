"""How long each test cell takes in the student's own kernel, as in JupyterLab: the instant feedback.

    .venv/bin/python benchmarks/test_cell_times.py

Runs every notebook of source/ (the solutions) top to bottom in a fresh kernel, as a student
runs a finished assignment, and reads each test cell's time from the kernel's own record
(execute_input to execute_reply). Prints every test cell, slowest first, marking the ones
that train a network or time training steps (TRAINS), and exits 1 if any other test cell
takes TARGET_SECONDS or more.
"""
import sys
from datetime import datetime
from pathlib import Path

import nbformat
from helpers.notebook_client import NotebookClient

SOURCE_DIR = Path(__file__).resolve().parent.parent / "source"
TARGET_SECONDS = 1.0
# Test cells whose job is to train a network, or to run many training steps against a clock.
TRAINS = {("04_shallow_network", "fit_tests"), ("04_shallow_network", "xor_accuracy_tests"),
          ("05_vectorization", "same_boundary_tests"), ("05_vectorization", "speed_tests"),
          ("05_vectorization", "per_example_speed_tests")}


def _seconds(cell):
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return float("nan")
    parse = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    return (parse(end) - parse(start)).total_seconds()


def test_cell_times(path):
    """[(grade id, seconds)] of the test cells of one notebook, run in a fresh kernel."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", record_timing=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return [(cell.metadata.nbgrader.grade_id, _seconds(cell)) for cell in notebook.cells
            if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("grade")]


def main():
    rows = [(path.parent.name, grade_id, seconds) for path in sorted(SOURCE_DIR.glob("*/*.ipynb"))
            for grade_id, seconds in test_cell_times(path)]
    print(f"{'assignment':24} {'test cell':30} {'seconds':>8}")
    for assignment, grade_id, seconds in sorted(rows, key=lambda row: -row[2]):
        mark = "  (trains a network)" if (assignment, grade_id) in TRAINS else ""
        print(f"{assignment:24} {grade_id:30} {seconds:8.3f}{mark}")
    others = [row for row in rows if (row[0], row[1]) not in TRAINS]
    slowest = max(others, key=lambda row: row[2])
    print(f"slowest test cell that trains no network: {slowest[0]}/{slowest[1]}, {slowest[2]:.3f} s "
          f"(target under {TARGET_SECONDS:g} s)")
    return 0 if slowest[2] < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
