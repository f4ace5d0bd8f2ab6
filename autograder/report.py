"""The instructor's report: reports/grades.csv (nbgrader's CSV export), reports/canvas-grades.csv (for a
learning-management system's gradebook import: autograder/lms_grades.py) and reports/report.html.

The HTML file is self-contained (inline CSS and SVG): a table of every student's score
per assignment and exercise, a histogram of total scores, the pass rate of every graded
cell (hardest first), the mistakes the grading toolkit diagnosed most often (read from
the test cells' results as data, helpers.grading.RESULT_MIMETYPE), and the submissions
that had problems, with what happened to each (harmless remarks apart, as notes).
"""
import collections
import datetime
import html
import io
import json
from dataclasses import dataclass, field

import nbformat
from matplotlib.figure import Figure
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import CsvExportPlugin

from autograder import intake, lms_grades, problems
from helpers import grading
from autograder.course import COURSE_ID
from autograder.grade import journal_of

TOP_MISTAKES = 25
COLLECT_PROBLEMS = "collect-problems.json"


@dataclass
class Grades:
    """What the report shows, read from the gradebook, the autograded notebooks and the journal."""

    assignments: list = field(default_factory=list)     # [name]
    cells: dict = field(default_factory=dict)           # {assignment: [(notebook, grade_id, max_score)]}
    students: list = field(default_factory=list)        # [id]
    scores: dict = field(default_factory=dict)          # {(student, assignment): {(notebook, grade_id): score}}
    totals: dict = field(default_factory=dict)          # {(student, assignment): (score, max_score)}
    mistakes: collections.Counter = field(default_factory=collections.Counter)  # {(assignment, cell, kind): n}
    examples: dict = field(default_factory=dict)        # {(assignment, cell, kind): the first diagnosis seen}
    problems: list = field(default_factory=list)        # [(student, assignment, sentence)]
    unsandboxed: list = field(default_factory=list)     # [(student, assignment)] graded with --no-sandbox

    def max_total(self, assignment):
        return sum(points for _, _, points in self.cells[assignment])

    def student_total(self, student):
        return sum(self.totals.get((student, assignment), (0.0, 0.0))[0] for assignment in self.assignments)


def check_results(notebook, test_cells):
    """[(grade_id, the table as data)] of every test cell's result in an autograded notebook. test_cells: the ids of
    the assignment's test cells, the only cells whose results the grader wrote (an answer cell can display
    anything)."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") not in test_cells:
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(grading.RESULT_MIMETYPE)
            if isinstance(data, dict):
                found.append((cell.metadata.nbgrader.get("grade_id"), data))
    return found


def diagnosed_mistakes(notebook, test_cells):
    """{(grade_id, mistake key): a diagnosis} of the named mistakes in the test cells' results of a notebook
    (the key is the same for one mistake seen at several shapes, so that it counts once)."""
    found = {}
    for grade_id, data in check_results(notebook, test_cells):
        for row in data.get("rows", []):
            if isinstance(row, dict) and row.get("kind") == "mistake" and row.get("mistake_key"):
                found.setdefault((grade_id, str(row["mistake_key"])), str(row.get("diagnosis", "")))
    return found


def read_grades(course, assignments=None):
    grades = Grades()
    journal = journal_of(course).entries()
    with Gradebook(course.db_url, COURSE_ID) as book:
        chosen = [assignment for assignment in sorted(book.assignments, key=lambda a: a.name)
                  if not assignments or assignment.name in assignments]
        grades.assignments = [assignment.name for assignment in chosen]
        grades.students = sorted(student.id for student in book.students)
        for assignment in chosen:
            test_cells = {notebook.name: intake.test_cells(intake.cell_definitions(notebook))
                          for notebook in assignment.notebooks}
            grades.cells[assignment.name] = [(notebook.name, cell.name, float(cell.max_score))
                                             for notebook in sorted(assignment.notebooks, key=lambda n: n.name)
                                             for cell in notebook.grade_cells]
            for student in grades.students:
                try:
                    submission = book.find_submission(assignment.name, student)
                except MissingEntry:
                    grades.problems.append((student, assignment.name, "no submission"))
                    continue
                key = (student, assignment.name)
                grades.totals[key] = (float(submission.score), float(submission.max_score))
                grades.scores[key] = {(notebook.name, grade.name): float(grade.score)
                                      for notebook in submission.notebooks for grade in notebook.grades}
                for sentence in journal.get((assignment.name, student), {}).get("problems", []):
                    grades.problems.append((student, assignment.name, sentence))
                if journal.get((assignment.name, student), {}).get("sandboxed") is False:
                    grades.unsandboxed.append((student, assignment.name))
                kinds = {}
                for path in sorted((course.autograded / student / assignment.name).glob("*.ipynb")):
                    notebook = nbformat.read(path, as_version=4)
                    for (cell, key), diagnosis in sorted(
                            diagnosed_mistakes(notebook, test_cells.get(path.stem, set())).items()):
                        kinds.setdefault((assignment.name, cell, key), diagnosis)
                for kind, diagnosis in kinds.items():
                    grades.mistakes[kind] += 1
                    grades.examples.setdefault(kind, diagnosis)
    collected = course.state / COLLECT_PROBLEMS
    if collected.exists():
        grades.problems += [(item["student"] or "?", item["assignment"] or "?", item["problem"])
                            for item in json.loads(collected.read_text())]
    return grades


# -- HTML ---------------------------------------------------------------------------------------

STYLE = """
.warning{background:#ffebe9;border:1px solid #cf222e;padding:6px 10px}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#1f2328;line-height:1.4}
h1{margin-bottom:.2em} h2{margin-top:2em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
.meta{color:#59636e} table{border-collapse:collapse;font-size:.9em} th,td{padding:.25em .6em;text-align:right}
th{background:#f6f8fa} td.name,th.name{text-align:left} tr:nth-child(even) td{background:#fafbfc}
#scores td:first-child,#scores th:first-child{position:sticky;left:0;background:#fff;z-index:1}
td.full{color:#1a7f37} td.zero{color:#cf222e} td.part{color:#9a6700} td.missing{color:#8c959f}
td.total{font-weight:bold;border-left:2px solid #d0d7de} .bar{display:inline-block;height:.8em;background:#0969da}
.barcell{text-align:left;width:12em} .scroll{overflow-x:auto;max-width:100%}
ul.reasons{margin:0;padding-left:1.2em;text-align:left}
"""


def _number(value):
    return f"{value:g}"


def _score_cell(score, maximum, **data):
    attributes = "".join(f' data-{name}="{html.escape(str(value))}"' for name, value in data.items())
    if score is None:
        return f'<td class="missing"{attributes}>&mdash;</td>'
    kind = "full" if score >= maximum else "zero" if score == 0 else "part"
    return f'<td class="{kind}"{attributes}>{_number(score)}</td>'


def _short(grade_id):
    return grade_id.removesuffix("_tests")


def students_table(grades):
    top = ['<th class="name" rowspan="2">student</th>']
    bottom = []
    for assignment in grades.assignments:
        top.append(f'<th colspan="{len(grades.cells[assignment]) + 1}">{html.escape(assignment)}</th>')
        bottom += [f'<th title="{html.escape(cell)} ({_number(points)} points)">{html.escape(_short(cell))}</th>'
                   for _, cell, points in grades.cells[assignment]]
        bottom.append(f"<th>total / {_number(grades.max_total(assignment))}</th>")
    top.append(f'<th rowspan="2">total / {_number(sum(map(grades.max_total, grades.assignments)))}</th>')
    rows = []
    for student in grades.students:
        cells = [f'<td class="name">{html.escape(student)}</td>']
        for assignment in grades.assignments:
            scores = grades.scores.get((student, assignment))
            for notebook, cell, points in grades.cells[assignment]:
                cells.append(_score_cell(None if scores is None else scores.get((notebook, cell), 0.0), points,
                                         student=student, assignment=assignment, cell=cell))
            total = grades.totals.get((student, assignment))
            cells.append(_score_cell(None if total is None else total[0], grades.max_total(assignment),
                                     student=student, assignment=assignment, cell="total")
                         .replace("<td class=\"", "<td class=\"total "))
        cells.append(f'<td class="total" data-student="{html.escape(student)}" data-cell="grand total">'
                     f'{_number(grades.student_total(student))}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<div class="scroll"><table id="scores"><thead><tr>{"".join(top)}</tr><tr>{"".join(bottom)}</tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table></div>')


def histogram_svg(grades):
    """Total scores as a percentage of the points available, as an inline SVG figure."""
    available = sum(map(grades.max_total, grades.assignments)) or 1.0
    percents = [100 * grades.student_total(student) / available for student in grades.students]
    figure = Figure(figsize=(7, 2.8))
    axes = figure.subplots()
    axes.hist(percents, bins=range(0, 101, 5), color="#0969da", edgecolor="white")
    axes.set_xlabel("total score (% of the points available)")
    axes.set_ylabel("students")
    axes.set_xlim(0, 100)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()[buffer.getvalue().index("<svg"):]


def pass_rates(grades):
    """[(pass rate, mean score, assignment, cell, points, submissions)], hardest first."""
    rates = []
    for assignment in grades.assignments:
        submitted = [scores for (student, name), scores in grades.scores.items() if name == assignment]
        for notebook, cell, points in grades.cells[assignment]:
            scores = [entry.get((notebook, cell), 0.0) for entry in submitted]
            if scores:
                rates.append((sum(score >= points for score in scores) / len(scores), sum(scores) / len(scores),
                              assignment, cell, points, len(scores)))
    return sorted(rates, key=lambda rate: (rate[0], rate[1] / rate[4]))


def pass_rate_table(grades):
    rows = "".join(
        f'<tr><td class="name">{html.escape(assignment)}</td><td class="name">{html.escape(cell)}</td>'
        f'<td>{_number(points)}</td>'
        f'<td data-cell="{html.escape(cell)}" data-pass-rate="{rate:.4f}">{100 * rate:.0f}%</td>'
        f'<td class="barcell"><span class="bar" style="width:{100 * rate:.0f}%"></span></td>'
        f"<td>{mean:.2f}</td><td>{count}</td></tr>"
        for rate, mean, assignment, cell, points, count in pass_rates(grades))
    return ('<table id="pass-rates"><thead><tr><th class="name">assignment</th><th class="name">graded cell</th>'
            "<th>points</th><th>full marks</th><th></th><th>mean score</th><th>submissions</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def mistakes_table(grades):
    if not grades.mistakes:
        return "<p>No mistake was diagnosed.</p>"
    rows = "".join(
        f'<tr><td>{count}</td><td class="name">{html.escape(assignment)}</td><td class="name">{html.escape(cell)}</td>'
        f'<td class="name">{html.escape(grades.examples[assignment, cell, kind])}</td></tr>'
        for (assignment, cell, kind), count in grades.mistakes.most_common(TOP_MISTAKES))
    return ('<table id="mistakes"><thead><tr><th>submissions</th><th class="name">assignment</th>'
            '<th class="name">graded cell</th><th class="name">diagnosis</th></tr></thead>'
            f'<tbody>{rows}</tbody></table>')


def problems_table(grades, notes=False):
    """The submissions with problems, or (notes=True) those with only harmless notes."""
    grouped = collections.defaultdict(list)
    for student, assignment, sentence in grades.problems:
        grouped[student, assignment].append(sentence)
    grouped = {key: sentences for key, sentences in grouped.items()
               if all(map(problems.is_note, sentences)) == notes}
    if not grouped:
        return "<p>None.</p>" if notes else "<p>Every submission was graded without trouble.</p>"
    rows = "".join(
        f'<tr data-student="{html.escape(student)}" data-assignment="{html.escape(assignment)}">'
        f'<td class="name">{html.escape(student)}</td><td class="name">{html.escape(assignment)}</td>'
        f'<td class="name"><ul class="reasons">{"".join(f"<li>{html.escape(s)}</li>" for s in sentences)}</ul>'
        "</td></tr>"
        for (student, assignment), sentences in sorted(grouped.items()))
    return (f'<table id="{"notes" if notes else "problems"}"><thead><tr><th class="name">student</th>'
            '<th class="name">assignment</th><th class="name">what happened</th></tr></thead>'
            f'<tbody>{rows}</tbody></table>')


def unsandboxed_warning(grades):
    if not grades.unsandboxed:
        return ""
    return (f'<p class="warning"><b>{len(grades.unsandboxed)} submissions were graded WITHOUT a sandbox</b> '
            "(--no-sandbox): their code ran as the instructor, with the instructor's files and network. Grade "
            "students' work again with the sandbox.</p>")


def render_html(grades, course):
    available = sum(map(grades.max_total, grades.assignments))
    totals = [grades.student_total(student) for student in grades.students]
    mean = sum(totals) / len(totals) if totals else 0.0
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    summary = (f"{len(grades.students)} students, {len(grades.assignments)} assignments "
               f"({', '.join(grades.assignments)}), {len(grades.totals)} submissions graded; "
               f"mean total {mean:.1f} of {_number(available)}.")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Grades: {html.escape(COURSE_ID)}</title>
<style>{STYLE}</style></head><body>
<h1>Grades: {html.escape(COURSE_ID)}</h1>
<p class="meta">{html.escape(summary)} Made {when} from {html.escape(str(course.root))}.</p>
{unsandboxed_warning(grades)}<h2>Scores by student, assignment and exercise</h2>
{students_table(grades)}
<h2>Total scores</h2>
{histogram_svg(grades)}
<h2>Exercises, hardest first</h2>
<p>The share of submissions with full marks on each graded cell.</p>
{pass_rate_table(grades)}
<h2>Most frequent diagnosed mistakes</h2>
<p>What the grading toolkit recognised in failing checks, by number of submissions (visible and hidden tests).</p>
{mistakes_table(grades)}
<h2>Submissions with problems</h2>
{problems_table(grades)}
<h2>Notes</h2>
<p>Submissions whose only remarks cost no points: warnings the tests caught, stderr in ungraded cells.</p>
{problems_table(grades, notes=True)}
</body></html>
"""


def report(course, assignments=None):
    """Write reports/grades.csv, reports/canvas-grades.csv and reports/report.html; return the first and last."""
    course.reports.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = course.reports / "grades.csv", course.reports / "report.html"
    with Gradebook(course.db_url, COURSE_ID) as book:
        CsvExportPlugin(to=str(csv_path), assignment=list(assignments or [])).export(book)
    lms_grades.write(course, course.reports / "canvas-grades.csv", assignments)
    grades = read_grades(course, assignments)
    html_path.write_text(render_html(grades, course))
    return csv_path, html_path
