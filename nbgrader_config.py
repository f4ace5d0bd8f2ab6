"""nbgrader reads its configuration from the course root: JupyterLab's nbgrader panels and
nbgrader's own commands run from here (e.g. `nbgrader generate_assignment 01_perceptron`).
The settings themselves live in autograder/course.py, shared with `python -m autograder`."""
from autograder.course import REPO_ROOT, nbgrader_config

c = get_config()  # noqa: F821 (traitlets provides get_config when nbgrader loads this file)
c.merge(nbgrader_config(REPO_ROOT))
