"""The student edition's visible tests judge as the course's own do (the edition: tests/conftest.py).

Its visible tests run on the solutions and on every example hand-in but the tricks, in a kernel that sees only the
edition's helpers, and each test cell's table is compared, row by row, with the table the full repository's
helpers give in a kernel of its own. The tricks (attacks on the grader, and code that only the trusted grader
tells apart) are left out, as in tests/test_autograde_end_to_end.py's comparison of the two ways of grading: in a
student's own kernel they work by design, and the grade comes from the trusted grader.
"""
import asyncio
import json
import os
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from helpers.notebook_client import NotebookClient

from autograder import submissions
from helpers import grading
from support import EXAMPLES_DIR, RELEASE_DIR, SOURCE_DIR, selected_assignments


def run_visible_tests(notebook, folder, helpers_root=None):
    """{grade_id: the rows of the test cell's table} of a filled notebook run in a fresh kernel; helpers_root puts
    an edition's helpers first on the kernel's path."""
    env = dict(os.environ)
    if helpers_root:
        env["PYTHONPATH"] = str(helpers_root)
    client = NotebookClient(nbformat.from_dict(json.loads(json.dumps(notebook))), timeout=600,
                            kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(folder)}})
    # in an event loop of its own, closed at the end (nbclient's execute() leaves one open in each thread)
    asyncio.run(client.async_execute(env=env))
    tables = {}
    for cell in client.nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            continue
        data = [output["data"][grading.RESULT_MIMETYPE] for output in cell.get("outputs", [])
                if grading.RESULT_MIMETYPE in output.get("data", {})]
        errors = [f"{output.get('ename')}: {output.get('evalue')}" for output in cell.get("outputs", [])
                  if output.get("output_type") == "error" and output.get("ename") != "ChecksFailed"]
        tables[grade_id] = {"rows": [(row["name"], row["passed"], row["kind"], row["diagnosis"])
                                     for table in data for row in table["rows"]],
                            "notes": [note["text"] for table in data for note in table["notes"]],
                            "errors": errors}
    return tables


def hand_ins():
    """(assignment, name, answers) of the solutions and every example hand-in but the tricks."""
    found = []
    for assignment in selected_assignments():
        source = nbformat.read(SOURCE_DIR / assignment / f"{assignment}.ipynb", as_version=4)
        solutions = submissions.solutions(source)
        found.append((assignment, "solutions", solutions))
        for path in submissions.fixture_files(EXAMPLES_DIR / assignment):
            if not path.stem.startswith(submissions.TRICKS):
                found.append((assignment, path.stem, submissions.read_fixture(path, solutions)))
    return found


HAND_INS = hand_ins()




@pytest.mark.parametrize("assignment, name, answers", HAND_INS, ids=[f"{a}-{n}" for a, n, _ in HAND_INS])
def test_the_visible_tests_judge_as_the_courses_do(edition, assignment, name, answers, tmp_path):
    """Table by table, row by row: the same checks, verdicts, kinds and diagnoses in the edition as with the
    course's own helpers."""
    if any(package in code for code in answers.values() for package in ("helpers.reference", "helpers.answers")):
        pytest.skip("a hand-in that rewrites the course's functions in its own kernel changes what its own visible "
                    "tests compare with there; an edition's record cannot be rewritten so, and the grade comes from "
                    "the trusted grader either way")
    folder, _, _ = edition
    notebook_name = f"{assignment}.ipynb"
    released = nbformat.read(folder / "release" / assignment / notebook_name, as_version=4)
    assert released == nbformat.read(RELEASE_DIR / assignment / notebook_name, as_version=4)
    filled = submissions.fill_answers(released, answers)
    # the notebook's own demonstrations (cells nbgrader does not track) test nothing: left out, in both runs
    filled.cells = [cell for cell in filled.cells if cell.get("metadata", {}).get("nbgrader")]
    with ThreadPoolExecutor(max_workers=2) as pool:  # two kernels side by side
        edition_run = pool.submit(run_visible_tests, filled, folder / "release" / assignment, folder)
        course_run = pool.submit(run_visible_tests, filled, RELEASE_DIR / assignment)
        in_edition, in_course = edition_run.result(), course_run.result()
    assert in_edition.keys() == in_course.keys()
    for grade_id in in_course:
        assert in_edition[grade_id]["rows"] == in_course[grade_id]["rows"], grade_id
        assert in_edition[grade_id]["errors"] == in_course[grade_id]["errors"], grade_id
        if name == "solutions":
            assert in_edition[grade_id]["rows"] and all(row[1] for row in in_edition[grade_id]["rows"]), grade_id
