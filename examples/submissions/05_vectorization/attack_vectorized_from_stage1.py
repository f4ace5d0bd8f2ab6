# expect: per_example_same_results_tests=0 same_results_tests=0 no_loops_tests=0 speed_tests=0 same_boundary_tests=0
# start from: solutions
# Attack: stage 1 forgets to average the gradients over the examples (a wrong answer, scored as such), and
# stage 2 is not written at all: train_step_vectorized returns train_step_per_example's answer. Were the
# course's train_step_per_example standing in while stage 2 is tested, its results would be right and the
# loop would run in the grader, out of sight of the no-loop check. Only the graded functions a function
# builds on stand in for it, and stage 1 is declared one that could compute stage 2's answer: the student's
# own stage 1 runs, wrong, with its loop in plain view, and far slower than a vectorized step.

# %% grade_id: train_step_per_example
def train_step_per_example(X, Y, params, learning_rate):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[1]
    cost = 0.0
    dW1, db1, dW2, db2 = np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)
    for i in range(m):
        x, y = X[:, [i]], Y[0, i]
        a1 = np.tanh(np.dot(W1, x) + b1)
        a2 = sigmoid(np.dot(W2, a1) + b2).item()
        cost += (a2 - y) ** 2 / 2
        dz2 = (a2 - y) * a2 * (1 - a2)
        dz1 = W2.T * dz2 * (1 - a1 ** 2)
        dW2 += dz2 * a1.T
        db2 += dz2
        dW1 += np.outer(dz1, x)
        db1 += dz1
    grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    new_params = {"W1": W1 - learning_rate * dW1, "b1": b1 - learning_rate * db1,
                  "W2": W2 - learning_rate * dW2, "b2": b2 - learning_rate * db2}
    return new_params, float(cost / m), grads


# %% grade_id: train_step_vectorized
def train_step_vectorized(X, Y, params, learning_rate):
    return train_step_per_example(X, Y, params, learning_rate)
