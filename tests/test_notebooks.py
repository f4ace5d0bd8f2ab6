"""Every lecture and assignment notebook runs top to bottom in a fresh kernel, and none is committed with outputs."""
import nbformat
import pytest

from support import (NOTEBOOKS_DIR, REPO_ROOT, SOURCE_DIR, committed_notebooks, execute, selected_assignments,
                     stderr_outputs)

RUNNABLE = sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + [
    path for assignment in selected_assignments() for path in sorted((SOURCE_DIR / assignment).glob("*.ipynb"))]


def test_the_course_has_notebooks_to_run():
    assert any(path.parent == NOTEBOOKS_DIR for path in RUNNABLE), "no lecture notebook found"
    assert any(path.parent.parent == SOURCE_DIR for path in RUNNABLE), "no assignment found in source/"


@pytest.mark.parametrize("path", RUNNABLE, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_notebook_runs_top_to_bottom_without_stderr(path):
    notebook, seconds = execute(path)
    print(f"{path.relative_to(REPO_ROOT)} ran in {seconds:.1f} s")
    assert stderr_outputs(notebook) == [], "cells wrote to stderr (warnings?)"


@pytest.mark.parametrize("path", committed_notebooks(), ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_notebook_is_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    dirty = [index for index, cell in enumerate(notebook.cells)
             if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]
    assert dirty == [], f"cells {dirty} have outputs or execution counts: clear them before committing"


def test_stderr_scan_sees_cells_and_output_widgets():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    notebook.cells[0].outputs = [nbformat.v4.new_output("stream", name="stderr", text="cell warning")]
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"abc": {"state": {
        "outputs": [{"output_type": "stream", "name": "stderr", "text": "widget warning"}]}}}}}
    assert [text for _, text in stderr_outputs(notebook)] == ["cell warning", "widget warning"]
