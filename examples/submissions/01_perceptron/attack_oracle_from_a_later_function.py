# expect: update_step_tests=0
# start from: solutions
# Attack: update_step hands its example to train_epoch as a one-example epoch and returns what comes back.
# While a function is tested, the course's versions stand in only for the graded functions it builds on
# (those before it in the notebook), never for one that could compute its answer: train_epoch is the
# student's own here, which calls this update_step again, so the call never ends (RecursionError).

# %% grade_id: update_step
def update_step(x, y, w, b, eta):
    new_w, new_b, _ = train_epoch(x, np.array([[y]]), w, b, eta)
    return new_w, new_b
