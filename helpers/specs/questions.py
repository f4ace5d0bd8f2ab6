"""The "predict, then run" questions of a spec: each question's name and the kind of its answer, "number" (right
within grading.ANSWER_RTOL) or the letters it offers, e.g. ("a", "b", "c"); the expected answers are in
helpers/answers."""


class Questions:
    """A spec's questions: kinds {name: "number" | (letters offered)}; answers, the helpers.answers module with
    ANSWERS."""

    def __init__(self, kinds, answers):
        self.kinds, self.answers = kinds, answers

    def _choices(self, question):
        kind = self.kinds[question]
        return None if kind == "number" else tuple(kind)

    def check_answer_form(self, check, question, answer):
        """The visible test of an answer: a number, or one of the letters the question offers (recorded, graded after
        hand-in)."""
        return check.answer(question, answer, choices=self._choices(question))

    def check_answer(self, check, question, answer):
        """The hidden test: the right number or letter; no row of its own when the visible test already found the
        answer's form wrong."""
        return check.answer(question, answer, expected=self.answers.ANSWERS[question], choices=self._choices(question))
