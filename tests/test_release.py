"""release/ is exactly what nbgrader generates from source/ now, solutions pass and the release fails."""
import json

import pytest

from autograder import release
from autograder.course import assignments
from support import RELEASE_DIR, SOURCE_DIR, selected_assignments

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
