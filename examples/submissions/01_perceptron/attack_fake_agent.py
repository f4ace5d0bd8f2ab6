# expect: fit_tests=0 question_eta_ten_times_tests=0
# start from: solutions
# Attack: replaces the grader's agent, which the kernel keeps as a module of its own between test cells, with
# one that answers nothing, and hands in a fit that does nothing, hoping that a test the grader cannot run is a
# test it passes. Whatever runs in the kernel is the student's, agent included: the grader decides from what it
# receives, so from the fit cell on it cannot read this kernel at all and the tests after it score 0, the
# question answered after it too. The attack only costs its author.

# %% grade_id: fit
import sys
import types

sys.modules["course_agent"] = types.SimpleNamespace(serve=lambda address: None)


def fit(X, Y, eta, num_epochs):
    return np.zeros((X.shape[0], 1)), 0.0, [0] * num_epochs
