"""python -m autograder demo: a synthetic class through collect, grade, feedback and report.

The report's table must hold every student's expected scores, which come from the
fixtures' `# expect:` lines (the pipeline never reads them), and its problem list
must explain the three students whose hand-ins went wrong.
"""
import csv
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from autograder import demo, submissions
from support import EXAMPLES_DIR, SOURCE_DIR, selected_assignments

ASSIGNMENT = "01_perceptron"
STUDENTS = 8


class ReportTable(HTMLParser):
    """The cells of report.html that carry data-student/data-assignment/data-cell, and the problem rows."""

    def __init__(self):
        super().__init__()
        self.cells, self.problems, self._key, self._row = {}, {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "data-student" in attrs:
            self._key = (attrs["data-student"], attrs.get("data-assignment"), attrs["data-cell"])
            self.cells[self._key] = ""
        if tag == "tr" and "data-student" in attrs:
            self._row = (attrs["data-student"], attrs["data-assignment"])
            self.problems[self._row] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self._key = None
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._key:
            self.cells[self._key] += data
        if self._row:
            self.problems[self._row] += data


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    if ASSIGNMENT not in selected_assignments():
        pytest.skip(f"{ASSIGNMENT} is not among COURSE_ASSIGNMENTS")
    directory = tmp_path_factory.mktemp("demo") / "run"
    result = subprocess.run([sys.executable, "-m", "autograder", "demo", ASSIGNMENT, "--students", str(STUDENTS),
                             "--dir", str(directory), "--cell-timeout", "30", "--quiet"],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    table = ReportTable()
    table.feed((directory / "course" / "reports" / "report.html").read_text())
    return directory, result, table, json.loads((directory / "cohort.json").read_text())


def expected(student, info):
    """{cell: score} from the fixtures, or None when nothing was handed in."""
    if info["accident"] == demo.MISSING:
        return None
    source = nbformat.read(SOURCE_DIR / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    scores = submissions.expected_scores(source, info["variant"], EXAMPLES_DIR / ASSIGNMENT)
    return dict.fromkeys(scores, 0.0) if info["accident"] == demo.NOT_A_NOTEBOOK else scores


def test_the_demo_ends_with_the_path_of_the_report(demo_run):
    directory, result, _, _ = demo_run
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("report:")
    assert Path(last.split(":", 1)[1].strip()) == directory / "course" / "reports" / "report.html"


def test_the_class_holds_every_variant_and_the_accidents(demo_run):
    _, _, _, cohort = demo_run
    variants = {info[ASSIGNMENT]["variant"] for info in cohort.values()}
    fixtures = {path.stem for path in (EXAMPLES_DIR / ASSIGNMENT).glob("*.py")
                if not path.stem.startswith(submissions.TRICKS)}
    assert len(cohort) == STUDENTS and variants == {"solutions", "blank"} | fixtures
    assert sorted(info[ASSIGNMENT]["accident"] or "" for info in cohort.values())[-3:] == sorted(
        [demo.NOT_A_NOTEBOOK, demo.RENAMED, demo.MISSING])


def test_the_report_table_holds_the_expected_scores(demo_run):
    _, _, table, cohort = demo_run
    for student, assignments in cohort.items():
        scores = expected(student, assignments[ASSIGNMENT])
        shown = {cell: text for (who, assignment, cell), text in table.cells.items()
                 if who == student and assignment == ASSIGNMENT}
        if scores is None:
            assert set(shown.values()) == {"\N{EM DASH}"}, student
            continue
        assert {cell: float(text) for cell, text in shown.items()} == {**scores, "total": sum(scores.values())}, student
        assert float(table.cells[student, None, "grand total"]) == sum(scores.values())


def test_the_report_explains_the_accidents(demo_run):
    _, _, table, cohort = demo_run
    said = {demo.NOT_A_NOTEBOOK: "is not a notebook", demo.RENAMED: "graded as 01_perceptron.ipynb",
            demo.MISSING: "no submission"}
    for student, assignments in cohort.items():
        accident = assignments[ASSIGNMENT]["accident"]
        if accident:
            assert said[accident] in table.problems[student, ASSIGNMENT]
        else:
            assert (student, ASSIGNMENT) not in table.problems


def test_the_report_is_self_contained(demo_run):
    directory, _, _, _ = demo_run
    page = (directory / "course" / "reports" / "report.html").read_text()
    assert "<svg" in page and "<style>" in page
    assert not any(tag in page for tag in ("<link", "<script", "src=\"http", "url(http"))


def test_every_graded_student_has_feedback(demo_run):
    directory, _, _, cohort = demo_run
    course = directory / "course"
    pages = {path.parent.parent.name for path in (course / "feedback").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.html")}
    assert pages == {student for student, info in cohort.items() if info[ASSIGNMENT]["accident"] != demo.MISSING}


def test_a_feedback_pages_contents_name_each_test(demo_run):
    directory, _, _, _ = demo_run
    pages = [path.read_text() for path in sorted((directory / "course" / "feedback").glob(f"*/{ASSIGNMENT}/*.html"))]
    page = next(page for page in pages if '<div id="toc">' in page)  # not a page for a hand-in that could not be graded
    contents = page[page.index('<div id="toc">'):page.index("</ol>", page.index('<div id="toc">'))]
    source = nbformat.read(SOURCE_DIR / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    titles = [cell.source.splitlines()[0].lstrip("# ").split(" (")[0] for cell in source.cells
              if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution")]
    assert titles[:2] == ["Test net_input", "Test predict"]
    assert [title for title in titles if f">{title}</a>" not in contents] == [] and "Test cell" not in contents
    assert 'id="notebook-container"' in page and 'class="nf">net_input' in page  # the notebook itself, its code highlighted, is still there


def test_a_feedback_pages_maths_is_mathml_not_latex_for_a_script_from_the_internet(demo_run):
    directory, _, _, _ = demo_run
    pages = [path.read_text() for path in sorted((directory / "course" / "feedback").glob(f"*/{ASSIGNMENT}/*.html"))]
    page = next(page for page in pages if '<div id="toc">' in page)
    notebook = page[page.index('id="notebook-container"'):]
    source = nbformat.read(SOURCE_DIR / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    formulas = sum(cell.source.count("$") // 2 for cell in source.cells if cell.cell_type == "markdown")
    assert formulas > 10 and notebook.count("<math ") >= formulas // 2  # $$...$$ is one formula of four dollars
    markdown_text = re.sub(r"<pre.*?</pre>|<code.*?</code>|<math .*?</math>", "", notebook, flags=re.S)
    assert re.findall(r"\$[^$<]{1,40}\$", markdown_text) == [], "LaTeX left for MathJax"


def test_grades_csv_is_nbgraders_export_of_the_same_scores(demo_run):
    directory, _, _, cohort = demo_run
    lines = (directory / "course" / "reports" / "grades.csv").read_text().splitlines()
    header = lines[0].split(",")
    rows = {row[header.index("student_id")]: float(row[header.index("score")])
            for row in (line.split(",") for line in lines[1:])}
    assert rows == {student: sum((expected(student, info[ASSIGNMENT]) or {}).values())
                    for student, info in cohort.items()}


def test_canvas_grades_have_canvas_columns_the_points_possible_and_each_students_score(demo_run):
    directory, _, _, cohort = demo_run
    with open(directory / "course" / "reports" / "canvas-grades.csv", newline="") as file:
        header, points, *rows = list(csv.reader(file))
    # Canvas's Gradebook import: these five columns first, in this order, then an assignment per column
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] and header[5:] == [ASSIGNMENT]
    source = nbformat.read(SOURCE_DIR / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    maximum = sum(cell.metadata["nbgrader"]["points"] for cell in source.cells
                  if cell.metadata.get("nbgrader", {}).get("grade"))
    assert points[0] == "Points Possible" and points[1:5] == [""] * 4 and float(points[5]) == maximum
    scores = {row[header.index("SIS User ID")]: float(row[5]) for row in rows}
    assert all(row[header.index("SIS Login ID")] == row[header.index("SIS User ID")] for row in rows)
    assert scores == {student: sum((expected(student, info[ASSIGNMENT]) or {}).values())
                      for student, info in cohort.items()}


def test_the_demo_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "something.txt").write_text("mine")
    result = subprocess.run([sys.executable, "-m", "autograder", "demo", "--dir", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "not empty" in result.stderr
