"""The course's "predict, then run" questions as data, read from source/ (for tests): each question's expected
answer and the letters it offers, and where in the course it is asked, so that a test can look for its answer in
everything a student sees before it."""
import ast
import re
from dataclasses import dataclass

import nbformat

from helpers.grading import ANSWER_RTOL
from support import NOTEBOOKS_DIR, SOURCE_DIR

# (assignment, the answer cell's grade id, the id of the cell that asks the question)
QUESTION_CELLS = [
    ("01_perceptron", "question_bias_change", "question_bias_change_text"),
    ("01_perceptron", "question_eta_ten_times", "question_eta_ten_times_text"),
    ("02_adaline", "question_first_cost", "question_first_cost_text"),
    ("02_adaline", "question_twice_the_rate", "question_twice_the_rate_text"),
    ("03_logistic_regression", "question_cost_at_zero", "question_cost_at_zero_text"),
    ("03_logistic_regression", "question_raw_sizes", "question_raw_sizes_text"),
    ("04_shallow_network", "initial_cost_answer", "initial-cost-question"),
    ("04_shallow_network", "equal_units_answer", "equal-units-question"),
    ("05_vectorization", "tanh_runs_answer", "questions-text"),
    ("05_vectorization", "bigger_win_answer", "bigger-win-question"),
]
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
OPTION = re.compile(r'^\*\s+(?:`"(?P<quoted>[a-z])"`:|\((?P<bracketed>[a-z])\))\s*(?P<text>.+)$', re.M)


@dataclass
class Question:
    assignment: str
    name: str            # the variable the student assigns
    expected: object     # the instructor's solution: a number or a letter
    offered: tuple       # the letters the question's text offers ((), for a number)
    correct_text: str    # the text of the right option ("" for a number)
    asked_at: int        # the index of the cell that asks it, in the assignment's notebook


def assignment_notebook(assignment):
    return nbformat.read(SOURCE_DIR / assignment / f"{assignment}.ipynb", as_version=4)


def questions():
    found = []
    for assignment, answer_id, asked_id in QUESTION_CELLS:
        cells = assignment_notebook(assignment).cells
        ids = [cell.id for cell in cells]
        grade_ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in cells]
        (statement,) = ast.parse(SOLUTION.search(cells[grade_ids.index(answer_id)].source).group(1)).body
        asked = cells[ids.index(asked_id)].source
        options = {match["quoted"] or match["bracketed"]: match["text"].strip() for match in OPTION.finditer(asked)}
        expected = ast.literal_eval(statement.value)
        found.append(Question(assignment, statement.targets[0].id, expected, tuple(options),
                              options.get(expected, "") if isinstance(expected, str) else "", ids.index(asked_id)))
    return found


def course_position(path, cell_index):
    """Where a cell sits in the course's order: lecture N, then assignment N, then lecture N + 1..."""
    number = int(path.name[:2])
    return number, 0 if path.parent == NOTEBOOKS_DIR else 1, cell_index


def question_position(question):
    return course_position(SOURCE_DIR / question.assignment / f"{question.assignment}.ipynb", question.asked_at)


def number_forms(value):
    """The ways a cell could write a number that the question's test would accept as its answer."""
    forms = {f"{value:g}"} | {f"{value:.{digits}f}" for digits in range(5)}
    accepted = {form for form in forms if abs(float(form) - value) <= ANSWER_RTOL * abs(value)}
    if float(value).is_integer() and abs(value) >= 1000:
        accepted.add(f"{int(value):,}")
    return accepted | {form.replace("-", "\N{MINUS SIGN}") for form in accepted}


def appearances(question, text):
    """Where text shows the question's answer: its number in a form the test accepts, or its right option's words."""
    if isinstance(question.expected, str):
        return [question.correct_text] if question.correct_text and question.correct_text in text else []
    return [form for form in sorted(number_forms(question.expected))
            if re.search(r"(?<![\d.])" + re.escape(form) + r"(?![\d])", text)]
