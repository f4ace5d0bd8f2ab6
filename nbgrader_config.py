"""nbgrader reads its configuration from the course root: JupyterLab's nbgrader panels and
nbgrader's own commands run from here (e.g. `nbgrader generate_assignment 01_perceptron`).
The settings themselves live in autograder/course.py, shared with `python -m autograder`."""
import os

from autograder.course import REPO_ROOT, nbgrader_config

c = get_config()  # noqa: F821 (traitlets provides get_config when nbgrader loads this file)
c.merge(nbgrader_config(REPO_ROOT))
# `make lab` sets up a local exchange (git-ignored) for the Assignment List; on a JupyterHub the
# instructor's own Exchange.root (e.g. /srv/nbgrader/exchange) applies instead.
if os.environ.get("COURSE_LOCAL_EXCHANGE"):
    c.Exchange.root = os.environ["COURSE_LOCAL_EXCHANGE"]
