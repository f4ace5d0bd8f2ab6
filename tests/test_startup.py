"""Starting a grading process: what importing the grader pulls in."""
import subprocess
import sys

from autograder.course import REPO_ROOT

CHECK = """
import sys
import autograder.autograde
import nbformat
assert sys.modules.get("rfc3987_syntax") is None, "rfc3987_syntax was imported"
notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
nbformat.validate(notebook)
notebook.cells[0]["cell_type"] = "no such type"
try:
    nbformat.validate(notebook)
except nbformat.ValidationError:
    print("still validated")
"""


def test_the_grader_does_not_import_jsonschemas_iri_grammar_and_still_validates_notebooks():
    # rfc3987_syntax compiles a grammar on import (1.3-1.7 s in every parent, worker and grading process).
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "still validated"
