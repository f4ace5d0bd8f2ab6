"""Run one notebook top to bottom in a fresh, unsandboxed kernel (for authors' checks and benchmarks)."""
import time
from pathlib import Path

import nbformat
from helpers.notebook_client import NotebookClient


def execute(path, timeout=300, allow_errors=False):
    """Run a notebook in its own folder in a fresh kernel; return (notebook, seconds).

    allow_errors=False stops at the first cell that raises (nbclient's CellExecutionError), as a
    student's Run All does; True runs every cell, as autograding does."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    start = time.perf_counter()
    client.execute()
    return notebook, time.perf_counter() - start
