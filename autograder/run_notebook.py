"""Run one notebook top to bottom in a fresh, unsandboxed kernel (for authors' checks and benchmarks)."""
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path, timeout=300):
    """Run a notebook in its own folder in a fresh kernel; return (notebook, seconds)."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    start = time.perf_counter()
    client.execute()
    return notebook, time.perf_counter() - start
