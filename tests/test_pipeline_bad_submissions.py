"""Every kind of bad hand-in in tests/fixtures/bad_submissions/, graded in one run with good ones
(`python -m autograder run`: grade, feedback, report).

Each bad submission must get exactly the scores its fixture expects (zero where the
work is lost, full credit for the untouched correct parts), a line in the report saying
what happened, and must not change anyone else's grades. No feedback file may show a
line of the hidden tests, not even in a traceback.
"""
import dataclasses
import html
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

from autograder import demo, grade, submissions
from autograder.course import Limits
from support import FIXTURES_DIR, selected_assignments

ASSIGNMENT = "01_perceptron"
BAD_DIR = FIXTURES_DIR / "bad_submissions"
BAD = sorted(BAD_DIR.glob("*.py"))
GOOD = {"good_solutions": "solutions", "good_blank": "blank", "good_two_mistakes": "two_mistakes",
        "good_visible_only": "passes_visible_tests_only"}
# Short limits keep the run quick: the infinite loop costs two cell timeouts.
LIMITS = ["--cell-timeout", "10", "--memory-limit", "2G", "--max-output", "100000", "--workers", "2", "--quiet"]
REPORT_LINE = re.compile(r"^# report: (?P<words>.+)$", re.MULTILINE)
# Words no sentence about the submission may contain (what it forged); "# report: none": no sentence at all.
NOT_REPORTED_LINE = re.compile(r"^# not reported: (?P<words>.+)$", re.MULTILINE)
NOTHING = "none"


def load(path):
    spec = importlib.util.spec_from_file_location(f"bad_submission_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def student(path):
    return f"bad_{path.stem}"


def reported(path):
    """The words the report must say about the fixture's submission (None: nothing at all)."""
    words = REPORT_LINE.search(path.read_text())["words"]
    return None if words == NOTHING else words


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if ASSIGNMENT not in selected_assignments():
        pytest.skip(f"{ASSIGNMENT} is not among COURSE_ASSIGNMENTS")
    course = demo.make_course(tmp_path_factory.mktemp("bad") / "course", [ASSIGNMENT])
    chosen = {(name, ASSIGNMENT): variant for name, variant in GOOD.items()}
    demo.write_submitted(course, demo.cohort_files(course, chosen))
    release_notebook = nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    source_notebook = nbformat.read(course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for path in BAD:
        folder = course.submitted / student(path) / ASSIGNMENT
        folder.mkdir(parents=True)
        for name, data in load(path).hand_in(release_notebook, submissions.solutions(source_notebook)).items():
            (folder / name).write_bytes(data)
    result = subprocess.run([sys.executable, "-m", "autograder", "run", "--course", str(course.root), *LIMITS],
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr
    return course, chosen, result


@pytest.fixture(scope="module")
def graded_in_kernel(graded, tmp_path_factory):
    """The same class graded again with the test cells in the students' kernels (nbgrader's own way)."""
    course, _, _ = graded
    copy = tmp_path_factory.mktemp("bad_in_kernel") / "course"
    shutil.copytree(course.root, copy, ignore=shutil.ignore_patterns("autograded", "feedback", "reports",
                                                                     ".autograder", "gradebook.db"))
    in_kernel = demo.make_course(copy, [ASSIGNMENT])
    in_kernel = dataclasses.replace(in_kernel, trusted_tests=False,
                                    limits=Limits(cell_timeout=10, memory_bytes=2 * 2**30, max_output_chars=100_000))
    grade.grade(in_kernel, [ASSIGNMENT], workers_count=2, show_progress=False)
    return in_kernel


def scores(course, who):
    return {cell: score[0] for (assignment, name, *rest), score in grade.snapshot(course.db_url).items()
            if name == who and len(rest) == 2 for notebook, cell in [rest] if cell != "late penalty"}


def problems(course):
    return {entry["student"]: entry["problems"] for entry in grade.journal_of(course).entries().values()}


def test_there_is_a_fixture_for_every_attack():
    assert {path.stem for path in BAD} >= {
        "not_json", "not_a_notebook", "empty_file", "wrong_name", "missing_notebook", "other_assignment",
        "deleted_test_cells", "edited_test_cell", "duplicated_ids", "cell_type_changed", "infinite_loop",
        "kernel_exit", "kernel_segfault", "memory_hog", "gigantic_output", "input_call", "sys_exit",
        "stderr_warnings", "lone_surrogates", "lone_surrogate_in_source", "flags_toggled", "forged_results",
        "stand_in_marathon"}


@pytest.mark.parametrize("path", BAD, ids=lambda path: path.stem)
def test_a_bad_submission_gets_exactly_its_expected_scores(graded, path):
    course, _, _ = graded
    source_notebook = nbformat.read(course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    lost = submissions.read_expected_scores(path)
    expected = {cell: lost.get(cell, points) for cell, points in submissions.grade_cells(source_notebook).items()}
    assert scores(course, student(path)) == expected


@pytest.mark.parametrize("path", BAD, ids=lambda path: path.stem)
def test_a_bad_submission_is_explained(graded, path):
    course, _, _ = graded
    words, said = reported(path), problems(course)[student(path)]
    if words is None:
        assert said == []
    else:
        assert any(words in sentence for sentence in said), f"no problem mentions {words!r}: {said}"
    for forged in NOT_REPORTED_LINE.findall(path.read_text()):
        assert not any(forged in sentence for sentence in said)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_submissions_are_graded_as_if_alone(graded, name):
    course, chosen, _ = graded
    expected = {cell: score for (who, _, _, cell), score in demo.expected_scores(course, chosen).items() if who == name}
    assert scores(course, name) == expected
    assert problems(course)[name] == []


@pytest.mark.parametrize("path", BAD, ids=lambda path: path.stem)
def test_a_bad_submission_scores_the_same_in_its_kernel_and_in_the_trusted_grader(graded, graded_in_kernel, path):
    """The same points both ways (the tables of a cell whose kernel died or hung differ: the kernel's has none)."""
    course, _, _ = graded
    assert scores(graded_in_kernel, student(path)) == scores(course, student(path))


def test_the_command_counts_the_problem_submissions(graded):
    _, _, result = graded
    # Their remarks are notes: one lost no points, the other only what its wrong code earns.
    harmless = ["stderr_warnings", "lone_surrogates", "flags_toggled"]
    clean = [path for path in BAD if reported(path) is None]
    assert f"{len(BAD) - len(harmless) - len(clean)} submissions had problems:" in result.stdout
    assert f"{len(harmless)} more had only harmless notes" in result.stdout


def test_a_stand_in_is_stopped_at_the_cells_time_limit_and_the_cell_says_why(graded):
    """The grader's own computation for the student's code (the course's train_epoch, on five million examples)
    stops at the cell's limit: the test cell's error says so (the kernel's interrupt alone would not end it)."""
    course, _, _ = graded
    notebook = nbformat.read(course.autograded / student(BAD_DIR / "stand_in_marathon.py") / ASSIGNMENT
                             / f"{ASSIGNMENT}.ipynb", as_version=4)
    errors = [output.evalue for cell in notebook.cells if submissions.grade_id(cell) == "fit_tests"
              for output in cell.outputs if output.output_type == "error"]
    assert any("compute the course's `train_epoch` until the time ran out" in error for error in errors), errors


def test_gigantic_output_stays_small(graded):
    course, _, _ = graded
    autograded = course.autograded / student(BAD_DIR / "gigantic_output.py") / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert autograded.stat().st_size < 1_000_000


def page_text(path):
    """The text a reader sees in an HTML file (code is split into highlighting spans in the markup)."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.hidden = [], 0

        def handle_starttag(self, tag, attrs):
            self.hidden += tag in ("style", "script")

        def handle_endtag(self, tag):
            self.hidden -= tag in ("style", "script")

        def handle_data(self, data):
            if not self.hidden:
                self.parts.append(data)

    parser = Text()
    parser.feed(path.read_text() if isinstance(path, Path) else path)
    return "".join(parser.parts)


def hidden_lines():
    """Every line of the hidden tests that appears nowhere in the notebook students get."""
    source = nbformat.read(FIXTURES_DIR.parent.parent / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    handed_out = nbformat.read(FIXTURES_DIR.parent.parent / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                               as_version=4)
    visible = {line.strip() for cell in handed_out.cells for line in cell.source.splitlines()}
    hidden = set()
    for cell in source.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line or "END HIDDEN TESTS" in line:
                inside = "BEGIN" in line
            elif inside and line.strip() and line.strip() not in visible:
                hidden.add(line.strip())
    return hidden


def feedback_pages(course):
    return sorted(course.feedback.glob(f"*/{ASSIGNMENT}/*.html"))


def test_every_submission_has_a_feedback_page(graded):
    course, _, _ = graded
    assert {path.parent.parent.name for path in feedback_pages(course)} == set(GOOD) | {student(path) for path in BAD}


def test_no_feedback_page_shows_a_hidden_test_line(graded):
    course, _, _ = graded
    lines = hidden_lines()
    assert len(lines) >= 5, "every test cell has hidden tests"
    texts = {path.parent.parent.name: page_text(path) for path in feedback_pages(course)}
    leaks = {name: sorted(line for line in lines if line in text) for name, text in texts.items()}
    assert {name: found for name, found in leaks.items() if found} == {}


def test_the_hidden_test_check_finds_them_in_an_unfiltered_rendering(graded):
    """The same check on the autograded notebook rendered without the course's feedback steps finds the
    hidden tests in the test cells; and the test cells' tracebacks, written by the trusted grader, never
    quote them (an IPython traceback from the kernel would)."""
    course, _, _ = graded
    notebook = nbformat.read(course.autograded / student(BAD_DIR / "infinite_loop.py") / ASSIGNMENT
                             / f"{ASSIGNMENT}.ipynb", as_version=4)
    text = page_text(HTMLExporter().from_notebook_node(notebook)[0])
    assert len([line for line in hidden_lines() if line in text]) == len(hidden_lines())
    tracebacks = "".join(line for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")
                         for output in cell.get("outputs", []) if output.output_type == "error"
                         for line in output.traceback)
    assert tracebacks and not any(line in tracebacks for line in hidden_lines())


def test_feedback_shows_the_code_the_visible_tests_the_scores_and_the_diagnoses(graded):
    course, _, _ = graded
    text = page_text(course.feedback / "good_two_mistakes" / ASSIGNMENT / f"{ASSIGNMENT}.html")
    assert "return np.sign(net_input(X, w, b))" in text                          # the student's code
    assert 'check.cases(predict)' in text                                           # a visible test
    assert "Score: 8.0 / 14.0" in text and "Score: 0.0 / 2.0" in text              # the scores
    assert "FAIL" in text and "np.sign" in text                                    # the toolkit's table


def test_feedback_keeps_the_name_and_message_of_an_error(graded):
    course, _, _ = graded
    text = page_text(course.feedback / student(BAD_DIR / "sys_exit.py") / ASSIGNMENT / f"{ASSIGNMENT}.html")
    assert "SystemExit: I give up" in text


def test_a_submission_without_a_notebook_gets_a_page_saying_why(graded):
    course, _, _ = graded
    text = page_text(course.feedback / student(BAD_DIR / "not_json.py") / ASSIGNMENT / f"{ASSIGNMENT}.html")
    assert "Score: 0 / 14" in text and "is not valid JSON" in text


@pytest.mark.parametrize("path", BAD, ids=lambda path: path.stem)
def test_the_report_says_what_happened(graded, path):
    course, _, _ = graded
    page = (course.reports / "report.html").read_text()
    row = re.search(rf'<tr data-student="{student(path)}" data-assignment="{ASSIGNMENT}">(.*?)</tr>', page, re.S)
    if reported(path) is None:
        assert row is None, f"{student(path)} is in the report's problem list: {html.unescape(row[1])}"
    else:
        assert row, f"{student(path)} is not in the report's problem list"
        assert reported(path) in html.unescape(row[1])


def test_the_report_shows_no_result_an_answer_cell_displayed(graded):
    """forged_results displays a table in the grader's format from its answer cell: its diagnosis is not counted."""
    course, _, _ = graded
    page = html.unescape((course.reports / "report.html").read_text())
    assert "forged diagnosis" not in page
    autograded = course.autograded / student(BAD_DIR / "forged_results.py") / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert "forged diagnosis" in autograded.read_text(), "the fixture no longer displays its forged table"


def test_the_report_lists_no_good_submission_as_a_problem(graded):
    course, _, _ = graded
    page = (course.reports / "report.html").read_text()
    assert not any(f'<tr data-student="{name}"' in page for name in GOOD)
