"""The "predict, then run" questions of a spec: QUESTIONS maps a question's name to the kind of its answer, "number"
(right within grading.ANSWER_RTOL) or "choice" (one letter of CHOICES); the expected answers are in helpers/answers."""
CHOICES = ("a", "b", "c", "d")


def _choices(kind):
    return CHOICES if kind == "choice" else None


def check_form(check, kinds, question, answer):
    """The visible test of an answer: a number, or one letter of CHOICES."""
    return check.answer(question, answer, choices=_choices(kinds[question]))


def check_answer(check, kinds, answers, question, answer):
    """The hidden test: the right number or letter; no row of its own when the visible test already found the
    answer's form wrong."""
    return check.answer(question, answer, expected=answers[question], choices=_choices(kinds[question]))
