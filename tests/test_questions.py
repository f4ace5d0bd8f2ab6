"""The ten "predict, then run" questions ask for transfer, not recall: no answer can be read off anything a student
sees before the question (a lecture's or an assignment's cells, in the course's order), each question offers its
own letters and its test accepts exactly those, and the visible test records an answer without judging it."""
import re

import nbformat
import pytest

from course_questions import appearances, assignment_notebook, course_position, question_position, questions
from helpers import grading
from helpers.specs import shallow_network, vectorization
from support import NOTEBOOKS_DIR, SOURCE_DIR

QUESTIONS = questions()
EVERY_NOTEBOOK = sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + sorted(SOURCE_DIR.glob("*/*.ipynb"))
SPEC_KINDS = {**shallow_network.QUESTIONS.kinds, **vectorization.QUESTIONS.kinds}


def test_there_are_ten_questions_two_per_assignment():
    assert len(QUESTIONS) == 10
    assert sorted({question.assignment for question in QUESTIONS}) == sorted(
        path.parent.name for path in SOURCE_DIR.glob("*/*.ipynb"))


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda question: question.name)
def test_no_cell_before_a_question_shows_its_answer(question):
    asked = question_position(question)
    shown = [f"{path.name} cell {index}: {found}"
             for path in EVERY_NOTEBOOK
             for index, cell in enumerate(nbformat.read(path, as_version=4).cells)
             if course_position(path, index) < asked
             for found in appearances(question, cell.source)]
    assert not shown, f"the answer of {question.name} ({question.expected!r}) is shown earlier: {shown}"


def test_the_search_finds_an_answer_that_is_shown():
    """The check above can fail: the old questions' answers were printed or stated before them."""
    (cost,) = [question for question in QUESTIONS if question.name == "first_cost"]
    assert appearances(cost, "the cost is J = 62.5 there") == ["62.5"]
    assert appearances(cost, "J = 62.50") == ["62.50"] and appearances(cost, "162.5 or 62.51") == []
    (letter,) = [question for question in QUESTIONS if question.name == "eta_ten_times"]
    assert appearances(letter, "note: " + letter.correct_text) == [letter.correct_text]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda question: question.name)
def test_each_question_s_test_accepts_exactly_the_letters_it_offers(question):
    if not isinstance(question.expected, str):
        assert question.offered == ()
        return
    assert question.expected in question.offered and len(question.offered) >= 3
    if question.name in SPEC_KINDS:
        assert tuple(SPEC_KINDS[question.name]) == question.offered
        return
    (test_cell,) = [cell.source for cell in assignment_notebook(question.assignment).cells
                    if cell.metadata.get("nbgrader", {}).get("grade_id") == f"question_{question.name}_tests"]
    for choices in re.findall(r"choices=\(([^)]*)\)", test_cell):
        assert tuple(letter.strip(" '\"") for letter in choices.split(",")) == question.offered


def test_a_letter_the_question_does_not_offer_is_refused():
    check = grading.Check("question 2")
    vectorization.check_answer_form(check, "bigger_win", "d")
    assert [row.name for row in check.failures] == ["bigger_win is one of a, b, c"]


def test_the_visible_test_records_an_answer_and_says_it_is_graded_after_hand_in():
    check = grading.Check("question 1")
    shallow_network.check_answer_form(check, "initial_cost", 0.5)
    (row,) = check.rows
    assert row.recorded and row.kind == "recorded" and not check.failures
    text, html = grading.render_text(check), grading.render_html(check)
    assert text.splitlines()[0] == f"question 1: {grading.RECORDED}" and "recorded" in text.splitlines()[-1]
    assert "✔" not in html and "✎ recorded" in html and grading.RECORDED in html
    # once graded, the form is a plain check beside the answer's own row
    shallow_network.check_answer(check, "initial_cost", 0.5)
    assert not check.rows[0].recorded and check.rows[0].kind == "passed"
    assert [row.name for row in check.failures] == ["initial_cost"]
