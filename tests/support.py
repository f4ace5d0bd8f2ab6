"""Shared by the tests: the course's folders and a fresh-kernel notebook runner."""
import os
from pathlib import Path

from autograder.run_notebook import execute  # noqa: F401  (the tests' notebook runner)

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
SOURCE_DIR = REPO_ROOT / "source"
RELEASE_DIR = REPO_ROOT / "release"
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"
EXAMPLES_DIR = REPO_ROOT / "examples" / "submissions"


def selected_assignments():
    """The assignments in source/, or only those named in COURSE_ASSIGNMENTS (space-separated),
    which lets an author run the slow suites on the assignment being written."""
    from autograder.course import assignments

    everything = assignments(SOURCE_DIR)
    chosen = os.environ.get("COURSE_ASSIGNMENTS", "").split()
    unknown = set(chosen) - set(everything)
    if unknown:
        raise ValueError(f"COURSE_ASSIGNMENTS names assignments not in source/: {sorted(unknown)}")
    return [name for name in everything if name in chosen] if chosen else everything


def committed_notebooks():
    """Every notebook the repository ships, except nbgrader's checkpoints."""
    folders = (NOTEBOOKS_DIR, SOURCE_DIR, RELEASE_DIR, FIXTURES_DIR, EXAMPLES_DIR)
    return sorted(path for folder in folders for path in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts)


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def stderr_outputs(notebook):
    """The text every cell wrote to stderr (nbgrader scores such a test cell zero),
    including what went into an ipywidgets Output widget, which is kept in the widget state."""
    cells = [(f"cell {index}", output.get("text", ""))
             for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
             for output in cell.get("outputs", []) if output.get("name") == "stderr"]
    models = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    widgets = [(f"widget {model_id}", output.get("text", ""))
               for model_id, model in models.items()
               for output in model.get("state", {}).get("outputs", []) if output.get("name") == "stderr"]
    return cells + widgets
