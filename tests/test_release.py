"""release/ is exactly what nbgrader generates from source/ now, solutions pass and the release fails."""
import json

import nbformat
import pytest

from autograder import release, submissions
from autograder.course import assignments
from support import EXAMPLES_DIR, RELEASE_DIR, SOURCE_DIR, selected_assignments

ASSIGNMENTS = selected_assignments()


def test_every_assignment_has_a_release():
    everything = assignments(SOURCE_DIR)
    assert everything, "source/ holds no assignment"
    assert sorted(path.name for path in RELEASE_DIR.iterdir() if path.is_dir()) == everything


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_is_in_sync_with_source(assignment, tmp_path):
    generated = release.generate(assignment, release_dir=tmp_path)
    committed = RELEASE_DIR / assignment
    generated_files = sorted(path.relative_to(generated) for path in generated.rglob("*") if path.is_file())
    committed_files = sorted(path.relative_to(committed) for path in committed.rglob("*") if path.is_file())
    assert committed_files == generated_files, "run `make release` to regenerate release/"
    for name in generated_files:
        if name.suffix == ".ipynb":
            assert json.loads((committed / name).read_text()) == json.loads((generated / name).read_text()), (
                f"release/{assignment}/{name} differs from what source/ generates: run `make release`")
        else:
            assert (committed / name).read_bytes() == (generated / name).read_bytes()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solutions_pass_every_test(assignment):
    for notebook in release.notebooks(SOURCE_DIR / assignment):
        assert release.validate(notebook) == {}, f"{notebook.name}: a solution fails its tests"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_passes_no_test(assignment):
    for notebook in release.notebooks(RELEASE_DIR / assignment):
        assert release.validate(notebook, invert=True) == {}, f"{notebook.name}: a test passes with no answer"


def test_validate_reports_the_diagnoses_not_a_traceback(tmp_path):
    """What JupyterLab's Validate button shows for a failing test cell: the summary and the diagnosis."""
    notebook = nbformat.read(RELEASE_DIR / "01_perceptron" / "01_perceptron.ipynb", as_version=4)
    answers = submissions.read_fixture(EXAMPLES_DIR / "01_perceptron" / "two_mistakes.py")
    nbformat.write(submissions.fill_answers(notebook, answers), tmp_path / "01_perceptron.ipynb")
    errors = [cell["raw_error"] for cell in release.validate(tmp_path / "01_perceptron.ipynb")["failed"]]
    assert len(errors) == 2, errors  # predict and update_step fail, nothing else
    assert "update_step: 2 of 4 checks failed." in errors[1] and "the update has the wrong sign" in errors[1]
    assert "np.sign" in errors[0]
    assert not any("Traceback" in error or "helpers/grading.py" in error for error in errors), errors
