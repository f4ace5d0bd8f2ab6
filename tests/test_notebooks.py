"""Every lecture and assignment notebook runs top to bottom in a fresh kernel, none is committed with outputs,
and each carries the metadata a kernel fills in, so that opening it in JupyterLab does not mark it unsaved."""
import nbformat
import pytest
from ipykernel.ipkernel import IPythonKernel
from jupyter_client.kernelspec import KernelSpecManager

from support import (NOTEBOOKS_DIR, RELEASE_DIR, REPO_ROOT, SOURCE_DIR, committed_notebooks, execute, selected_assignments,
                     stderr_outputs)

STUDENT_FACING = sorted(path for folder in (NOTEBOOKS_DIR, SOURCE_DIR, RELEASE_DIR) for path in folder.rglob("*.ipynb")
                        if ".ipynb_checkpoints" not in path.parts)
# language_info's "version" is the Python that runs the kernel: it may differ from machine to machine.
MACHINE_DEPENDENT = {"version"}
RUNNABLE = sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + [
    path for assignment in selected_assignments() for path in sorted((SOURCE_DIR / assignment).glob("*.ipynb"))]


def test_the_course_has_notebooks_to_run():
    assert any(path.parent == NOTEBOOKS_DIR for path in RUNNABLE), "no lecture notebook found"
    assert any(path.parent.parent == SOURCE_DIR for path in RUNNABLE), "no assignment found in source/"


def portable(language_info):
    return {key: value for key, value in language_info.items() if key not in MACHINE_DEPENDENT}


@pytest.mark.parametrize("path", RUNNABLE, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_notebook_runs_top_to_bottom_without_stderr(path):
    committed = nbformat.read(path, as_version=4).metadata
    notebook, seconds = execute(path)
    print(f"{path.relative_to(REPO_ROOT)} ran in {seconds:.1f} s")
    assert stderr_outputs(notebook) == [], "cells wrote to stderr (warnings?)"
    assert portable(committed.get("language_info", {})) == portable(notebook.metadata.language_info), (
        "the kernel fills in other language_info than the committed one: run tools/notebook_metadata.py")


@pytest.mark.parametrize("path", STUDENT_FACING, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_notebook_is_committed_with_the_metadata_a_kernel_fills_in(path):
    spec = KernelSpecManager().get_kernel_spec("python3")
    metadata = nbformat.read(path, as_version=4).metadata
    assert metadata.get("kernelspec") == {"display_name": spec.display_name, "language": spec.language,
                                          "name": "python3"}, "run tools/notebook_metadata.py (then make release)"
    language_info = metadata.get("language_info", {})
    assert portable(language_info) == portable(IPythonKernel.language_info) and "version" in language_info, (
        "opening this notebook in JupyterLab would change its language_info and mark it unsaved: "
        "run tools/notebook_metadata.py (then make release)")


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
