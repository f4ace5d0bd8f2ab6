# expect: no_loops_tests=0 speed_tests=0
# start from: solutions
# Attack: stage 2 still loops over the examples (right results, far too slow), but on the speed test's
# 10,000 examples it returns at once, with arrays of the right shapes and nothing computed. The speed test
# times the step on fresh inputs and then checks every timed call's results against the course's step on the
# same inputs: the shortcut's are wrong, so no speed is earned; the no-loop check finds the loop.

# %% grade_id: train_step_vectorized
def train_step_vectorized(X, Y, params, learning_rate):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[1]
    if m == 10_000:  # the size the speed test uses (helpers/specs/vectorization.py says so)
        grads = {"dW1": np.zeros_like(W1), "db1": np.zeros_like(b1), "dW2": np.zeros_like(W2),
                 "db2": np.zeros_like(b2)}
        return dict(params), 0.5, grads
    cost = 0.0
    dW1, db1, dW2, db2 = np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)
    for i in range(m):
        x, y = X[:, [i]], Y[0, i]
        a1 = np.tanh(W1 @ x + b1)
        a2 = sigmoid(W2 @ a1 + b2).item()
        cost += (a2 - y) ** 2 / 2
        dz2 = (a2 - y) * a2 * (1 - a2)
        dz1 = W2.T * dz2 * (1 - a1 ** 2)
        dW2 += dz2 * a1.T
        db2 += dz2
        dW1 += np.outer(dz1, x)
        db1 += dz1
    grads = {"dW1": dW1 / m, "db1": db1 / m, "dW2": dW2 / m, "db2": db2 / m}
    new_params = {"W1": W1 - learning_rate * grads["dW1"], "b1": b1 - learning_rate * grads["db1"],
                  "W2": W2 - learning_rate * grads["dW2"], "b2": b2 - learning_rate * grads["db2"]}
    return new_params, float(cost / m), grads
