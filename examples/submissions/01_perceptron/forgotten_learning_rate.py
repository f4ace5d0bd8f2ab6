# expect: update_step_tests=0
# start from: solutions
# A typical mistake: update_step leaves out the learning rate, w + (y - y_hat) x. On a
# misclassified example the change of w and of b is 1/eta times the right one, and the test
# says so ("the learning rate is missing from the update"); on a correct example nothing
# changes either way. train_epoch and fit are tested with the course's update_step in place of
# this one, so they keep their points, and the notebook's self-check names update_step (from
# zero weights the perceptron makes the lecture's mistakes at any rate, with weights ten times
# the lecture's).

# %% grade_id: update_step
def update_step(x, y, w, b, eta):
    error = y - predict(x, w, b).item()
    return w + error * x, b + error
