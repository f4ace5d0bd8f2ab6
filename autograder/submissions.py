"""Build student submissions from the release: the instructor's solutions, a blank copy,
or a hand-written fixture that fills some answer cells.

A fixture is a Python file whose answer cells are introduced by a marker line:

    # %% grade_id: predict
    def predict(X, w, b):
        return np.sign(net_input(X, w, b))

Every answer cell the fixture names gets that code; the others keep the release's stub.
A fixture states the scores it must get in one line; cells it does not name must get
full marks:

    # expect: predict_tests=0 update_step_tests=0
"""
import copy
import re
from pathlib import Path

import nbformat

EXPECT_LINE = re.compile(r"^# expect:(?P<scores>.*)$", re.MULTILINE)
# Fixtures that attack the grader, or solve an exercise in an unusual but correct way: they test the
# grader, and stay out of the synthetic classes of the demo and the benchmark (typical mistakes only).
TRICKS = ("attack_", "correct_")
START_FROM_SOLUTIONS = re.compile(r"^# start from: solutions\s*$", re.MULTILINE)
FIXTURE_MARKER = re.compile(r"^# %% grade_id: (?P<grade_id>\S+)\s*$", re.MULTILINE)
SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


def grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def is_answer_cell(cell):
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def read_fixture(path, solutions=None):
    """{grade_id: code} from a fixture file. A fixture with the line `# start from: solutions` changes only the
    cells it names: given the instructor's solutions, the other answer cells get those."""
    text = Path(path).read_text()
    parts = FIXTURE_MARKER.split(text)
    # parts = [preamble, id1, code1, id2, code2, ...]
    cells = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts), 2)}
    if solutions is not None and START_FROM_SOLUTIONS.search(parts[0]):
        return {**solutions, **cells}
    return cells


def read_expected_scores(path):
    """{grade_id: score} from a fixture's `# expect:` line ({} when it expects full marks)."""
    match = EXPECT_LINE.search(Path(path).read_text())
    if match is None:
        raise ValueError(f"{path} has no `# expect: grade_id=score ...` line")
    pairs = (item.split("=") for item in match.group("scores").split())
    return {cell: float(score) for cell, score in pairs}


def fill_answers(release_notebook, answers):
    """A copy of the release notebook with the answer cells named in answers replaced."""
    notebook = copy.deepcopy(release_notebook)
    unknown = set(answers) - {grade_id(cell) for cell in notebook.cells if is_answer_cell(cell)}
    if unknown:
        raise ValueError(f"the fixture names answer cells the notebook does not have: {sorted(unknown)}")
    for cell in notebook.cells:
        if is_answer_cell(cell) and grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return notebook


def solutions(source_notebook):
    """{grade_id: code} of the instructor's solutions, without nbgrader's solution markers."""
    return {grade_id(cell): SOLUTION_MARKERS.sub("", cell.source).strip("\n")
            for cell in source_notebook.cells if is_answer_cell(cell) and cell.cell_type == "code"}


def write_submission(notebook, course_root, student, assignment, notebook_name):
    """Place a notebook where nbgrader autograde looks for it: submitted/<student>/<assignment>/."""
    folder = Path(course_root) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / notebook_name
    nbformat.write(notebook, path)
    return path


def fixture_files(folder):
    """The fixture files of one assignment (an empty list when the folder does not exist)."""
    return sorted(Path(folder).glob("*.py"))


def variants(source_notebook, fixtures_folder):
    """{name: answers} of every way the course's material can fill a notebook: the instructor's
    solutions, a blank copy, and each fixture of fixtures_folder (restricted to this notebook's cells)."""
    answer_cells = {grade_id(cell) for cell in source_notebook.cells if is_answer_cell(cell)}
    found = {"solutions": solutions(source_notebook), "blank": {}}
    for path in fixture_files(fixtures_folder):
        found[path.stem] = {cell: code for cell, code in read_fixture(path, found["solutions"]).items()
                            if cell in answer_cells}
    return found


def grade_cells(notebook):
    """{grade_id: points} of a notebook's graded cells."""
    return {grade_id(cell): float(cell.metadata.nbgrader.points) for cell in notebook.cells
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade")}


def expected_scores(source_notebook, variant, fixtures_folder):
    """{grade_id: score} the variant must get in this notebook (see variants)."""
    points = grade_cells(source_notebook)
    if variant == "solutions":
        return points
    if variant == "blank":
        return dict.fromkeys(points, 0.0)
    lost = read_expected_scores(Path(fixtures_folder) / f"{variant}.py")
    return {cell: lost.get(cell, full) for cell, full in points.items()}
