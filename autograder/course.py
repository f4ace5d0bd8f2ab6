"""Where the course lives on disk, and the nbgrader configuration every command shares."""
from pathlib import Path

from traitlets.config import Config

COURSE_ID = "nn-first-principles"
REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = REPO_ROOT / "source"
RELEASE_DIR = REPO_ROOT / "release"
# What a student sees in place of a solution: a clear marker and a failing stub.
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
CELL_TIMEOUT_SECONDS = 120


def assignments(source_dir=SOURCE_DIR):
    """The assignment ids in source/, in course order (their names start with a number)."""
    return sorted(path.name for path in Path(source_dir).iterdir() if path.is_dir() and not path.name.startswith("."))


def nbgrader_config(root, db_url=None, source_dir=SOURCE_DIR, release_dir=None):
    """nbgrader settings for a course rooted at root (source/ may live elsewhere)."""
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.source_directory = str(source_dir)
    if release_dir is not None:
        config.CourseDirectory.release_directory = str(release_dir)
    config.CourseDirectory.db_url = db_url or f"sqlite:///{Path(root) / 'gradebook.db'}"
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    config.ExecutePreprocessor.timeout = CELL_TIMEOUT_SECONDS
    config.Execute.timeout = CELL_TIMEOUT_SECONDS
    config.Validator.timeout = CELL_TIMEOUT_SECONDS
    return config
