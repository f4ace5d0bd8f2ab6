"""The "predict, then run" questions of a spec: each question's name and the kind of its answer, "number" (right
within grading.ANSWER_RTOL) or "choice" (one letter of CHOICES); the expected answers are in helpers/answers."""
CHOICES = ("a", "b", "c", "d")


class Questions:
    """A spec's questions: kinds {name: "number" | "choice"}; answers, the helpers.answers module with ANSWERS."""

    def __init__(self, kinds, answers):
        self.kinds, self.answers = kinds, answers

    def _choices(self, question):
        return CHOICES if self.kinds[question] == "choice" else None

    def check_answer_form(self, check, question, answer):
        """The visible test of an answer: a number, or one letter of CHOICES."""
        return check.answer(question, answer, choices=self._choices(question))

    def check_answer(self, check, question, answer):
        """The hidden test: the right number or letter; no row of its own when the visible test already found the
        answer's form wrong."""
        return check.answer(question, answer, expected=self.answers.ANSWERS[question], choices=self._choices(question))
