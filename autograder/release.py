"""Generate the student versions in release/ from source/, and check them.

A release is right when the instructor's solutions pass every test
(`nbgrader validate`) and the untouched student version passes none of them
(`nbgrader validate --invert`).
"""
import shutil
import tempfile
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.validator import Validator

from autograder.course import RELEASE_DIR, SOURCE_DIR, nbgrader_config
from autograder.errors import CommandError


class ReleaseError(CommandError):
    """nbgrader could not generate or validate an assignment."""


def generate(assignment, release_dir=RELEASE_DIR, source_dir=SOURCE_DIR, db_url=None):
    """Write release_dir/<assignment>/ from source_dir/<assignment>/ with nbgrader generate_assignment,
    recording the assignment in the gradebook at db_url (by default a throwaway one)."""
    with tempfile.TemporaryDirectory() as scratch:
        config = nbgrader_config(scratch, db_url=db_url or f"sqlite:///{Path(scratch) / 'gradebook.db'}",
                                 source_dir=source_dir, release_dir=release_dir)
        result = NbGraderAPI(config=config).generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise ReleaseError(f"nbgrader could not generate {assignment}:\n{result.get('error') or result.get('log')}")
    return Path(release_dir) / assignment


def notebooks(folder):
    return sorted(Path(folder).glob("*.ipynb"))


def validate(notebook, invert=False):
    """Problems found by nbgrader validate (an empty dict means the notebook is as it should be)."""
    config = nbgrader_config(Path(notebook).parent)
    config.Validator.invert = invert
    return Validator(config=config).validate(str(notebook))


def check(assignment, release_dir=RELEASE_DIR, source_dir=SOURCE_DIR):
    """Raise ReleaseError unless the source passes its tests and the release fails every one."""
    problems = []
    for notebook in notebooks(Path(source_dir) / assignment):
        for cell in validate(notebook).get("failed", []):
            problems.append(f"{notebook.name}: the solution fails a test:\n{cell['raw_error']}")
    for notebook in notebooks(Path(release_dir) / assignment):
        for cell in validate(notebook, invert=True).get("passed", []):
            problems.append(f"{notebook.name}: the untouched release passes a test cell:\n{cell['source'][:300]}")
    if problems:
        raise ReleaseError("\n\n".join(problems))


def clean_generated_files(release_dir=RELEASE_DIR):
    """Remove what nbgrader leaves beside a release that a student does not need."""
    for checkpoint in Path(release_dir).rglob(".ipynb_checkpoints"):
        shutil.rmtree(checkpoint)
