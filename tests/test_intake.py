"""A hand-in's nbgrader flags are the assignment's (autograder/intake.py restore_flags), whichever way it is graded.

JupyterLab's nbgrader toolbar lets a student change a cell's flags. nbgrader's OverwriteCells trusts a hand-in's
"grade" flag: an answer cell marked graded fails the whole notebook. The pipeline's intake puts the assignment's
flags back before nbgrader reads the hand-in; the course's OverwriteCells does the same under `nbgrader autograde`.
"""
import copy

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import demo, intake, preprocessors, submissions
from support import SOURCE_DIR

ASSIGNMENT = "01_perceptron"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return demo.make_course(tmp_path_factory.mktemp("intake") / "course", [ASSIGNMENT])


@pytest.fixture(scope="module")
def definitions(course):
    with Gradebook(course.db_url) as book:
        return intake.cell_definitions(book.find_notebook(ASSIGNMENT, ASSIGNMENT))


def flags(notebook):
    return {submissions.grade_id(cell): {flag: cell.metadata.nbgrader.get(flag) for flag in intake.FLAGS}
            for cell in notebook.cells if "nbgrader" in cell.metadata}


def toggled(course):
    """The handed-out notebook, with an answer marked graded, a test cell marked an answer, a test cell's points
    changed and a cell of the student's own marked graded."""
    notebook = nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    handed_out = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if submissions.grade_id(cell) == "net_input":
            cell.metadata.nbgrader.update(grade=True, solution=False, locked=True, points=5)
        elif submissions.grade_id(cell) == "predict_tests":
            cell.metadata.nbgrader.update(grade=False, solution=True, locked=False)
        elif submissions.grade_id(cell) == "fit_tests":
            cell.metadata.nbgrader["points"] = 99
    own = nbformat.v4.new_code_cell("x = 1")
    own.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": False, "points": 3, "grade_id": "mine",
                                "schema_version": 3}
    notebook.cells.append(own)
    return notebook, handed_out


def test_the_definitions_are_the_source_notebooks_flags(definitions):
    source = nbformat.read(SOURCE_DIR / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    assert {name: definition["flags"] for name, definition in definitions.items()} == {
        name: {**dict.fromkeys(("grade", "solution", "locked", "task"), False), "points": None,
               **{flag: value for flag, value in cell.items() if value is not None}}
        | ({"points": float(cell["points"])} if cell.get("grade") else {})
        for name, cell in flags(source).items()}
    assert intake.test_cells(definitions) == set(submissions.grade_cells(source))


def test_every_changed_flag_is_put_back_and_named(course, definitions):
    notebook, handed_out = toggled(course)
    changed = intake.restore_flags(notebook, definitions)
    assert flags(notebook) == {name: {flag: (float(value) if flag == "points" and value is not None else value)
                                      for flag, value in cell.items()}
                               for name, cell in flags(handed_out).items()}
    assert len(changed) == 4
    assert "cell 'net_input' were changed (grade set to True, solution set to False, locked set to True, " \
           "points set to 5)" in changed[0]
    assert "'fit_tests' were changed (points set to 99)" in changed[2]
    assert "cell 'mine' was marked grade but is not a cell of the assignment: graded as ordinary code" in changed[3]
    assert all(intake.HARMLESS_CHANGE in sentence for sentence in changed)
    assert intake.restore_flags(notebook, definitions) == []


def test_nbgraders_own_autograde_gets_the_assignments_flags_too(course):
    """The course's OverwriteCells (TolerantOverwriteCells) restores the flags before nbgrader checks them."""
    notebook, handed_out = toggled(course)
    resources = {"nbgrader": {"notebook": ASSIGNMENT, "assignment": ASSIGNMENT, "db_url": course.db_url}}
    step = preprocessors.TolerantOverwriteCells()
    said = []
    step.log.warning = lambda message, *args: said.append(message % args if args else message)
    notebook, _ = step.preprocess(notebook, resources)
    assert {name: {flag: value for flag, value in cell.items() if flag != "points"}
            for name, cell in flags(notebook).items()} == {
        name: {flag: value for flag, value in cell.items() if flag != "points"}
        for name, cell in flags(handed_out).items()}
    assert any("'net_input' were changed" in sentence for sentence in said)
