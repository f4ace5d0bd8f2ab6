"""The course's packages import from any folder, as nbgrader's autograded/ copies need."""
import subprocess
import sys

from support import REPO_ROOT


def test_helpers_and_autograder_import_from_any_folder(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import helpers, autograder, helpers.datasets as d; "
                               "print(helpers.__file__); print(d.load_iris_subset()[0].shape)"],
        cwd=tmp_path, capture_output=True, text=True, check=True)
    module_file, shape = result.stdout.split("\n")[:2]
    assert module_file == str(REPO_ROOT / "helpers" / "__init__.py")
    assert shape == "(2, 100)"


def test_command_line_explains_itself():
    result = subprocess.run([sys.executable, "-m", "autograder", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "release" in result.stdout
