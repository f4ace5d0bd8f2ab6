"""The course's CheckCellMetadata (preprocessors.CheckCellMetadataOnce) accepts and refuses exactly what nbgrader's does."""
import copy

import nbformat
import pytest
from nbgrader.preprocessors import CheckCellMetadata

from autograder.course import SOURCE_DIR
from autograder.preprocessors import CheckCellMetadataOnce


def released_notebook():
    return nbformat.read(SOURCE_DIR / "01_perceptron" / "01_perceptron.ipynb", as_version=4)


def first_test_cell(notebook):
    return next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade"))


def outcome(preprocessor, notebook):
    try:
        preprocessor().preprocess(copy.deepcopy(notebook), {})
    except Exception as error:
        return type(error).__name__
    return "accepted"


BREAKAGES = {
    "points that are text": lambda meta: meta.update(points="three"),
    "no grade_id": lambda meta: meta.pop("grade_id"),
    "an empty grade_id": lambda meta: meta.update(grade_id=""),
    "no points": lambda meta: meta.pop("points"),
    "an old schema": lambda meta: meta.update(schema_version=1),
    "a newer schema": lambda meta: meta.update(schema_version=99),
    "grade that is not a bool": lambda meta: meta.update(grade="yes"),
    "nothing wrong": lambda meta: None,
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_each_cell_is_judged_as_nbgrader_judges_it(breakage):
    notebook = released_notebook()
    BREAKAGES[breakage](first_test_cell(notebook).metadata["nbgrader"])
    expected = outcome(CheckCellMetadata, notebook)
    assert outcome(CheckCellMetadataOnce, notebook) == expected
    assert (expected == "accepted") == (breakage == "nothing wrong")


def test_a_second_notebook_is_judged_afresh():
    broken = released_notebook()
    first_test_cell(broken).metadata["nbgrader"]["points"] = "three"
    assert outcome(CheckCellMetadataOnce, released_notebook()) == "accepted"
    assert outcome(CheckCellMetadataOnce, broken) != "accepted"
    assert outcome(CheckCellMetadataOnce, released_notebook()) == "accepted"
