"""nbgrader inside JupyterLab: Validate uses the course's cell limit, and Formgrader's generate never
reaches the student's copy. (The Assignment List and Validate over HTTP: tests/test_lab.py.)"""
import logging
import shutil
import time

import nbformat
import pytest
from nbgrader.apps import NbGraderAPI
from nbgrader.preprocessors import Execute
from nbgrader.server_extensions.validate_assignment.handlers import ValidateAssignmentHandler
from nbgrader.validator import Validator

from autograder.course import CELL_TIMEOUT_SECONDS, Limits, nbgrader_config
from student import work_copy
from support import REPO_ROOT, SOURCE_DIR


def test_validate_button_reads_the_course_cell_limit_and_no_unknown_option(monkeypatch, caplog):
    # The Validate button's handler loads nbgrader_config.py from the server's folder, the course root.
    monkeypatch.chdir(REPO_ROOT)
    config = ValidateAssignmentHandler.load_config(None)
    with caplog.at_level(logging.WARNING):
        validator = Validator(config=config)
        execute = Execute(parent=validator)
    assert execute.timeout == CELL_TIMEOUT_SECONDS
    assert [record.getMessage() for record in caplog.records if "not recognized" in record.getMessage()] == []


def test_validate_stops_a_cell_at_the_course_limit(tmp_path):
    cell = nbformat.v4.new_code_cell("import time\ntime.sleep(60)")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "slow", "locked": True, "points": 1, "schema_version": 3,
                                 "solution": False, "task": False}
    path = tmp_path / "slow.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    config = nbgrader_config(tmp_path, limits=Limits(cell_timeout=3))
    start = time.monotonic()
    result = Validator(config=config).validate(str(path))
    assert time.monotonic() - start < 30, "the cell ran past the course's limit"
    assert [failed["source"] for failed in result["failed"]] == [cell.source]
    assert "timeout" in result["failed"][0]["error"].lower() or "Timeout" in result["failed"][0]["raw_error"]


@pytest.mark.parametrize("assignment", ["01_perceptron"])
def test_formgraders_generate_never_touches_the_students_copy(assignment, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(SOURCE_DIR / assignment, course / "source" / assignment)
    shutil.copytree(REPO_ROOT / "release" / assignment, course / "release" / assignment)
    shutil.copytree(REPO_ROOT / "notebooks", course / "notebooks")
    work = course / "work"
    work_copy.update(work, course)
    answers = work / "release" / assignment / f"{assignment}.ipynb"
    answers.write_text(answers.read_text().replace("# YOUR CODE HERE", "# my answer"))
    before = answers.read_bytes()
    # What Formgrader's Generate button runs, with the course's settings, in this course.
    api = NbGraderAPI(config=nbgrader_config(course, source_dir=course / "source"))
    assert api.generate_assignment(assignment, force=True, create=True)["success"]
    assert answers.read_bytes() == before
