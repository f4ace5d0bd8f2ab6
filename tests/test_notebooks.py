"""Every lecture and assignment notebook runs top to bottom in a fresh kernel, none is committed with outputs,
and each carries the metadata a kernel fills in, so that opening it in JupyterLab does not mark it unsaved."""
import json

import nbformat
import pytest
from ipykernel.ipkernel import IPythonKernel
from jupyter_client.kernelspec import KernelSpecManager

from course_questions import appearances, course_position, question_position, questions
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
    printed = [f"cell {index} shows {found} before {question.assignment}'s question {question.name}"
               for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
               for question in QUESTIONS if course_position(path, index) < question_position(question)
               for found in appearances(question, printed_text(cell))]
    assert not printed, printed


QUESTIONS = questions()


def printed_text(cell):
    """What a code cell's outputs show as text."""
    parts = []
    for output in cell.outputs:
        parts.append(output.get("text", ""))
        parts += [str(output.get("data", {}).get(kind, "")) for kind in ("text/plain", "text/html", "text/markdown")]
    return "\n".join(parts)


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


LECTURE_04 = NOTEBOOKS_DIR / "04_shallow_network_lecture.ipynb"
# The cells section 11's widget needs (imports, data, section 8's run, the widget), by cell id.
LECTURE_04_WIDGET_CELLS = ("cell-1", "cell-3", "headline-run", "try-it-widget")
LECTURE_04_PROBE = """import json
print(json.dumps({
    "headline": HEADLINE, "final_cost": float(final_cost), "widget_final_cost": float(last_run["final_cost"]),
    "sliders": {"num_hiddens": hidden_units.value, "learning_rate": learning_rate.value,
                "num_iterations": iterations.value},
    "label_widths": {w.description: w.style.description_width for w in (hidden_units, learning_rate, iterations, progress)},
}))"""


def test_lecture_04_widget_starts_at_section_8s_run_and_reports_the_same_final_cost(tmp_path):
    lecture = nbformat.read(LECTURE_04, as_version=4)
    by_id = {cell.get("id"): cell for cell in lecture.cells}
    lecture.cells = [by_id[cell_id] for cell_id in LECTURE_04_WIDGET_CELLS] + [nbformat.v4.new_code_cell(LECTURE_04_PROBE)]
    path = tmp_path / LECTURE_04.name
    nbformat.write(lecture, path)
    notebook, _ = execute(path)
    probe = json.loads("".join(output.get("text", "") for output in notebook.cells[-1].outputs
                               if output.get("name") == "stdout"))
    assert probe["sliders"] == probe["headline"], "the sliders must start at section 8's settings, exactly"
    assert probe["widget_final_cost"] == probe["final_cost"], "Train at the start values must give section 8's cost"
    assert all(width for width in probe["label_widths"].values()), f"labels cut short: {probe['label_widths']}"
